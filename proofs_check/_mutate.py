"""Statement mutation: perturb each registered statement and see whether `check` catches it.

Main definitions: `Mutant`, `mutants(statement)`, `MutationRow`, `MutationReport`,
`run_mutations(labels)`, `render_mutations(report)`.

Mutations of a statement (its conclusion; hypotheses are only removed):
- ``const×1/2`` / ``const×2``: one numeric constant (not 0, not an exponent) halved/doubled;
- ``exp+1/2`` / ``exp-1/2``: one exponent of a power shifted by ½ (√x has exponent ½);
- ``reversed``: one inequality reversed (a ≤ b becomes a ≥ b);
- ``drop-term``: one term of a sum, or one argument of a max/min, dropped;
- ``drop-hypothesis``: one hypothesis removed.

A mutant is *caught* when some obligation that reads the statement fails (or is
undecided) with the mutant in place of the registered statement; only those obligations
can see the change (reads are recorded on an unmutated pass, see `proofs_check._reads`).
A surviving mutant must be explained by the statement (`Statement.survivors`: a pattern
on the mutant's id and the reason, e.g. a true weakening of a loose source constant).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

import sympy as sp

from proofs_check._obligation import Obligation, Result, obligations
from proofs_check._reads import replaced
from proofs_check._z3 import TIMEOUT_CAP_MS
from theory import Statement, registry
from theory.symbols import is_predicate

HALF = sp.Rational(1, 2)
#: z3 time per mutant check (an unknown counts as caught: `check` would fail)
MUTANT_Z3_TIMEOUT_MS = 4000
#: the caught fraction `check --mutate` requires
TARGET = 0.95


@dataclass(frozen=True)
class Mutant:
    """One perturbation of `statement`: `kind` and `where` name it (`id`)."""

    label: str
    kind: str
    where: str
    statement: Statement = field(compare=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.kind}: {self.where}"


Path = tuple[int, ...]


def _positions(expr: sp.Basic, path: Path = ()) -> Iterator[tuple[Path, sp.Basic, sp.Basic | None]]:
    """(path, node, parent) for every node below `expr` that a mutation may touch."""
    yield path, expr, None
    if isinstance(expr, sp.Symbol | sp.Number) or not expr.args:
        return
    args = expr.args
    if isinstance(expr, sp.Limit):
        args = args[:1]  # the variable and the point are not terms of the claim
    for k, arg in enumerate(args):
        if not isinstance(arg, sp.Basic) or isinstance(arg, sp.Tuple):
            continue
        for sub_path, node, parent in _positions(arg, (*path, k)):
            yield sub_path, node, parent if parent is not None else expr


def _rebuild(node: sp.Basic, args: list[sp.Basic]) -> sp.Basic:
    if isinstance(node, sp.Rel):
        return node.func(*args, evaluate=False)
    if is_predicate(node) or isinstance(node, sp.core.function.AppliedUndef):
        return node.func(*args)
    return node.func(*args)


def _replace_at(expr: sp.Basic, path: Path, new: sp.Basic) -> sp.Basic:
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = _replace_at(args[path[0]], path[1:], new)
    return _rebuild(expr, args)


def _edits(expr: sp.Basic) -> Iterator[tuple[str, str, Path, sp.Basic]]:
    """(kind, where, path, replacement) for every mutation of a claim."""
    for path, node, parent in _positions(expr):
        in_exponent = isinstance(parent, sp.Pow) and path and path[-1] == 1
        if isinstance(node, sp.Number) and node != 0 and not in_exponent:
            yield "const×1/2", f"{node} in {parent}", path, node * HALF
            yield "const×2", f"{node} in {parent}", path, node * 2
        elif isinstance(node, sp.Pow):
            base, exp = node.args
            yield "exp+1/2", str(node), path, sp.Pow(base, exp + HALF)
            yield "exp-1/2", str(node), path, sp.Pow(base, exp - HALF)
        elif isinstance(node, sp.Le | sp.Lt | sp.Ge | sp.Gt):
            flipped = {sp.Le: sp.Ge, sp.Lt: sp.Gt, sp.Ge: sp.Le, sp.Gt: sp.Lt}[type(node)]
            yield "reversed", str(node), path, flipped(*node.args, evaluate=False)
        elif isinstance(node, sp.Add | sp.Max | sp.Min) and len(node.args) >= 2:
            for k, term in enumerate(node.args):
                rest = node.args[:k] + node.args[k + 1:]
                yield "drop-term", f"{term} of {node}", path, node.func(*rest)


def mutants(stmt: Statement) -> list[Mutant]:
    """Every mutant of `stmt`; mutants equal to the statement or to each other are dropped."""
    out: dict[tuple, Mutant] = {}
    original = (stmt.hypotheses, stmt.conclusion)
    for kind, where, path, new in _edits(stmt.conclusion):
        try:
            mutated = _replace_at(stmt.conclusion, path, new)
        except (TypeError, ValueError):
            continue
        if not isinstance(mutated, sp.Basic) or mutated in (sp.true, sp.false):
            continue
        key = (stmt.hypotheses, mutated)
        if key != original and key not in out:
            out[key] = Mutant(stmt.label, kind, where, replace(stmt, conclusion=mutated))
    for k, hyp in enumerate(stmt.hypotheses):
        rest = stmt.hypotheses[:k] + stmt.hypotheses[k + 1:]
        key = (rest, stmt.conclusion)
        if key not in out:
            out[key] = Mutant(stmt.label, "drop-hypothesis", str(hyp),
                              replace(stmt, hypotheses=rest))
    return list(out.values())


def explanation(stmt: Statement, mutant: Mutant) -> str | None:
    """The statement's explanation of a surviving `mutant`, if it has one."""
    for pattern, why in stmt.survivors:
        if fnmatch.fnmatchcase(mutant.id, pattern):
            return why
    return None


@dataclass(frozen=True)
class MutationRow:
    """One mutant's fate: caught by `caught_by` (label / step), or survived."""

    mutant: Mutant
    caught_by: str | None
    explained: str | None

    @property
    def caught(self) -> bool:
        return self.caught_by is not None


@dataclass(frozen=True)
class MutationReport:
    rows: tuple[MutationRow, ...]
    #: obligations that fail without any mutation ("label / step"); they are left out
    broken: tuple[str, ...] = ()

    @property
    def caught_fraction(self) -> float:
        return sum(r.caught for r in self.rows) / len(self.rows) if self.rows else 1.0

    @property
    def unexplained(self) -> list[MutationRow]:
        return [r for r in self.rows if not r.caught and r.explained is None]

    @property
    def ok(self) -> bool:
        return self.caught_fraction >= TARGET and not self.unexplained and not self.broken

    def by_label(self) -> dict[str, list[MutationRow]]:
        out: dict[str, list[MutationRow]] = {}
        for r in self.rows:
            out.setdefault(r.mutant.label, []).append(r)
        return out


def _catches(mutant: Mutant, readers: list[Obligation]) -> str | None:
    token = TIMEOUT_CAP_MS.set(MUTANT_Z3_TIMEOUT_MS)
    try:
        with replaced(mutant.statement):
            for ob in readers:
                if not ob.check().status.ok:
                    return f"{ob.label} / {ob.step}"
    finally:
        TIMEOUT_CAP_MS.reset(token)
    return None


def run_mutations(
    labels: Iterable[str] | None = None,
    progress: Callable[[Iterable], Iterable] = lambda it: it,
) -> MutationReport:
    """Mutate every statement of `labels` (all if None) and check each mutant.

    Raises `theory.UnknownLabelError` for an unknown label.
    """
    reg = registry()
    wanted = [reg.get(label).label for label in labels] if labels else reg.labels()
    scope = set(wanted)
    grow = list(wanted)
    while grow:  # statements that use a mutated one may read it
        for dep in reg.dependents(grow.pop()):
            if dep not in scope:
                scope.add(dep)
                grow.append(dep)
    baseline: list[tuple[Obligation, Result]] = [
        (ob, ob.check()) for ob in obligations(sorted(scope))
    ]
    broken = tuple(f"{r.label} / {r.step}" for _, r in baseline if not r.status.ok)
    baseline = [(ob, r) for ob, r in baseline if r.status.ok]
    jobs = [(m, reg.get(label)) for label in wanted for m in mutants(reg.get(label))]
    rows = []
    for mutant, stmt in progress(jobs):
        readers = sorted(
            ((ob, r) for ob, r in baseline if mutant.label in r.reads),
            key=lambda pair: (pair[0].label != mutant.label, pair[1].seconds),
        )
        caught = _catches(mutant, [ob for ob, _ in readers])
        rows.append(MutationRow(mutant, caught, None if caught else explanation(stmt, mutant)))
    return MutationReport(tuple(rows), broken)


def render_mutations(report: MutationReport) -> str:
    header = ("label", "mutants", "caught", "survived (explained)")
    table = []
    for label, rows in report.by_label().items():
        survived = [r for r in rows if not r.caught]
        table.append((label, str(len(rows)), str(len(rows) - len(survived)),
                      f"{len(survived)} ({sum(r.explained is not None for r in survived)})"))
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in table]
    survivors = [r for r in report.rows if not r.caught]
    if survivors:
        lines += ["", "survivors:"]
        for r in survivors:
            lines.append(f"  {r.mutant.label}  {r.mutant.id}")
            lines.append(f"    └ {r.explained or 'UNEXPLAINED'}")
    if report.broken:
        lines += ["", "failing before any mutation (left out): " + ", ".join(report.broken)]
    total = len(report.rows)
    caught = sum(r.caught for r in report.rows)
    lines += ["", f"caught {caught} of {total} mutants ({100 * report.caught_fraction:.1f} %, "
              f"target {100 * TARGET:.0f} %); {len(report.unexplained)} unexplained survivors"]
    return "\n".join(lines)
