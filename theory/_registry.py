"""The statement registry: lookup by label, refusing unknown `uses` and cycles.

Main definitions: `Registry`, `UnknownLabelError`, `DependencyCycleError`,
`registry()` (the project's registry, filled from `theory.statements`).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator

from theory._statement import Statement
from theory.errors import InvalidArgumentError, RelulandscapeError


class UnknownLabelError(RelulandscapeError, KeyError):
    """A label that no registered statement has.

    >>> from theory import Registry
    >>> Registry().get("ll:nowhere")
    Traceback (most recent call last):
        ...
    theory._registry.UnknownLabelError: unknown statement label 'll:nowhere'
    """

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0])


class DependencyCycleError(RelulandscapeError, ValueError):
    """The `uses` edges of a batch of statements form a cycle.

    >>> import sympy as sp
    >>> from theory import Kind, Registry, Source, Statement
    >>> def lemma(label, uses):
    ...     return Statement(label, label, Kind.LEMMA, Source.PROJECT, (), sp.true, uses=uses)
    >>> Registry().add_all([lemma("new:a", ("new:b",)), lemma("new:b", ("new:a",))])
    Traceback (most recent call last):
        ...
    theory._registry.DependencyCycleError: dependency cycle: new:a -> new:b -> new:a
    """


class Registry:
    """Statements keyed by label. Every `uses` label must be registered first.

    >>> import sympy as sp
    >>> from theory import Kind, Registry, Source, Statement
    >>> def lemma(label, uses=()):
    ...     return Statement(label, label, Kind.LEMMA, Source.PROJECT, (), sp.true, uses=uses)
    >>> reg = Registry()
    >>> reg.add_all([lemma("new:b", ("new:a",)), lemma("new:a")])  # any order
    >>> reg.labels(), reg.dependents("new:a"), "new:c" in reg
    (['new:a', 'new:b'], ['new:b'], False)
    """

    def __init__(self) -> None:
        self._by_label: dict[str, Statement] = {}

    def register(self, statement: Statement) -> Statement:
        if statement.label in self._by_label:
            raise InvalidArgumentError(f"statement {statement.label!r} is already registered")
        missing = [u for u in statement.uses if u not in self._by_label]
        if missing:
            raise UnknownLabelError(
                f"{statement.label} uses unknown label(s) {', '.join(missing)}"
            )
        self._by_label[statement.label] = statement
        return statement

    def add_all(self, statements: Iterable[Statement]) -> None:
        """Register a batch in dependency order; refuse unknown labels and cycles."""
        pending = {s.label: s for s in statements}
        for label, s in pending.items():
            for u in s.uses:
                if u not in pending and u not in self._by_label:
                    raise UnknownLabelError(f"{label} uses unknown label {u}")
        state: dict[str, int] = {}  # 1 = on the DFS stack, 2 = done

        def visit(label: str, stack: list[str]) -> None:
            if label not in pending or state.get(label) == 2:
                return
            if state.get(label) == 1:
                cycle = [*stack[stack.index(label):], label]
                raise DependencyCycleError("dependency cycle: " + " -> ".join(cycle))
            state[label] = 1
            for u in pending[label].uses:
                visit(u, [*stack, label])
            state[label] = 2
            self.register(pending[label])

        for label in pending:
            visit(label, [])

    def get(self, label: str) -> Statement:
        try:
            return self._by_label[label]
        except KeyError:
            raise UnknownLabelError(f"unknown statement label {label!r}") from None

    def __contains__(self, label: object) -> bool:
        return label in self._by_label

    def __iter__(self) -> Iterator[Statement]:
        return iter(self._by_label.values())

    def __len__(self) -> int:
        return len(self._by_label)

    def labels(self) -> list[str]:
        return list(self._by_label)

    def dependents(self, label: str) -> list[str]:
        return [s.label for s in self if label in s.uses]


_REGISTRY: Registry | None = None


def registry() -> Registry:
    """The project's registry: every `STATEMENTS` tuple of the `theory.statements` modules.

    >>> from theory import registry
    >>> reg = registry()
    >>> reg is registry(), "ll:sampling" in reg, str(reg.get("ll:sampling").source)
    (True, True, '[B26]')
    """
    global _REGISTRY
    if _REGISTRY is None:
        import theory.statements as pkg

        found: list[Statement] = []
        for info in pkgutil.iter_modules(pkg.__path__):
            module = importlib.import_module(f"{pkg.__name__}.{info.name}")
            found.extend(getattr(module, "STATEMENTS", ()))
        reg = Registry()
        reg.add_all(found)
        _REGISTRY = reg
    return _REGISTRY
