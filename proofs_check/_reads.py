"""How obligations read the registered statements: tracked, and replaceable for mutation.

Main definitions: `statement(label)`, `conclusion(label)`, `hypotheses(label)`,
`premise(label)` (what an obligation reads of a statement), `recording()` (collects the
reads of the obligations run inside it), `replaced(statement)` (runs checks against a
perturbed statement in place of the registered one; used by ``check --mutate``).

An obligation *reads* a statement's conclusion when its method is built from
`conclusion(label)` (or `statement(label).conclusion`): then a wrong conclusion changes
what the obligation checks. `check --json` reports this per obligation
(``reads_conclusion``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import sympy as sp

from theory import Statement, registry

#: (label, "conclusion" | "hypotheses") pairs read by the obligation being checked
_READS: ContextVar[set[tuple[str, str]] | None] = ContextVar("_READS", default=None)
_REPLACED: dict[str, Statement] = {}


def _record(label: str, part: str) -> None:
    reads = _READS.get()
    if reads is not None:
        reads.add((label, part))


def _get(label: str) -> Statement:
    if label in _REPLACED:
        return _REPLACED[label]
    return registry().get(label)


def statement(label: str) -> Statement:
    """The statement `label` (a replaced one inside `replaced`); records a read of both its
    hypotheses and its conclusion."""
    _record(label, "conclusion")
    _record(label, "hypotheses")
    return _get(label)


def conclusion(label: str) -> sp.Basic:
    """The registered conclusion of `label`, so a final step checks the registered claim."""
    _record(label, "conclusion")
    return _get(label).conclusion


def hypotheses(label: str) -> tuple[sp.Basic, ...]:
    """Every hypothesis of `label` (sympy booleans; predicates are atoms for z3)."""
    _record(label, "hypotheses")
    return _get(label).hypotheses


def premise(label: str) -> list[sp.Basic]:
    """The hypotheses of `label` as a list, ready to be z3 hypotheses."""
    return list(hypotheses(label))


@contextmanager
def recording() -> Iterator[set[tuple[str, str]]]:
    """Collect the reads made inside the block into the yielded set."""
    reads: set[tuple[str, str]] = set()
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


@contextmanager
def replaced(stmt: Statement) -> Iterator[Statement]:
    """Obligations run inside the block read `stmt` in place of the statement of its label."""
    registry().get(stmt.label)  # only a registered label can be replaced
    previous = _REPLACED.get(stmt.label)
    _REPLACED[stmt.label] = stmt
    try:
        yield stmt
    finally:
        if previous is None:
            del _REPLACED[stmt.label]
        else:
            _REPLACED[stmt.label] = previous
