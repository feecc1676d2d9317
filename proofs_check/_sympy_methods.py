"""Symbolic methods: identities, inequalities under the symbols' assumptions, limits.

Only sympy's `True` passes an inequality; `None` is *undecided* and fails the run with a
message. Failing identities and inequalities are searched for an exact counterexample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from proofs_check._outcome import Outcome
from proofs_check._sampling import describe, sample_points

_NORMAL_FORMS: tuple[Callable[[sp.Expr], sp.Expr], ...] = (
    lambda e: e,
    sp.simplify,
    sp.factor,
    sp.expand,
    sp.together,
    lambda e: sp.factor(sp.together(sp.expand(e))),
)


def _is_zero_at(expr: sp.Expr, point: dict) -> bool | None:
    value = sp.simplify(expr.subs(point))
    if value.is_zero is not None:
        return bool(value.is_zero)
    return None


@dataclass(frozen=True)
class SympyIdentity:
    """`lhs == rhs` identically: the difference must simplify to 0.

    If it does not, exact sample points are searched for a nonzero difference
    (a counterexample); if none is found the result is *undecided*.
    """

    lhs: sp.Expr
    rhs: sp.Expr
    simplifier: Callable[[sp.Expr], sp.Expr] = field(default=sp.simplify, compare=False)
    name: str = "sympy identity"

    def run(self) -> Outcome:
        diff = sp.sympify(self.lhs - self.rhs)
        for form in (self.simplifier, *_NORMAL_FORMS[1:]):
            if sp.sympify(form(diff)) == 0:
                return Outcome.passed(f"{self.lhs} − ({self.rhs}) simplifies to 0")
        for point in sample_points(diff.free_symbols, 12):
            if _is_zero_at(diff, point) is False:
                return Outcome.failed(
                    f"difference {sp.simplify(diff)} is nonzero at the point", describe(point)
                )
        return Outcome.undecided(
            f"difference {sp.simplify(diff)} did not simplify to 0 (zero at sample points)"
        )


_SIGN_TESTS = {
    sp.GreaterThan: ("is_nonnegative", "≥"),
    sp.StrictGreaterThan: ("is_positive", ">"),
}


def _as_difference(relation: sp.Rel) -> tuple[sp.Expr, str, str]:
    """(d, predicate, symbol) with relation ⟺ predicate(d)."""
    if isinstance(relation, sp.LessThan | sp.StrictLessThan):
        relation = relation.reversed
    if type(relation) not in _SIGN_TESTS:
        raise TypeError(f"SympyInequality needs ≥, >, ≤ or <, got {relation!r}")
    pred, sym = _SIGN_TESTS[type(relation)]
    return sp.sympify(relation.lhs - relation.rhs), pred, sym


@dataclass(frozen=True)
class SympyInequality:
    """A relation decided by sympy's assumption system on the symbols' declared facts.

    `relation` is built with ``sp.Ge``/``sp.Gt``/``sp.Le``/``sp.Lt`` (use ``evaluate=False``
    if sympy would evaluate it away). Several normal forms of lhs − rhs are tried; only
    `True` passes, `False` fails (with a counterexample when sampling finds one), `None`
    is undecided.
    """

    relation: sp.Basic
    name: str = "sympy inequality"

    def run(self) -> Outcome:
        if self.relation is sp.true:
            return Outcome.passed("relation evaluated to True")
        if self.relation is sp.false:
            return Outcome.failed("relation evaluated to False")
        diff, pred, sym = _as_difference(self.relation)
        for form in _NORMAL_FORMS:
            value = getattr(sp.sympify(form(diff)), pred)
            if value is True:
                return Outcome.passed(f"{form(diff)} {sym} 0 under the symbols' assumptions")
            if value is False:
                break
        for point in sample_points(diff.free_symbols, 40):
            value = getattr(sp.simplify(diff.subs(point)), pred)
            if value is False:
                return Outcome.failed(f"{diff} {sym} 0 fails at the point", describe(point))
        return Outcome.undecided(f"sympy could not decide {diff} {sym} 0")


@dataclass(frozen=True)
class SympyLimit:
    """lim_{var → point} expr equals `expected` (sympy's `limit`, exact comparison)."""

    expr: sp.Expr
    var: sp.Symbol
    point: sp.Basic
    expected: sp.Basic
    name: str = "sympy limit"

    def run(self) -> Outcome:
        value = sp.limit(self.expr, self.var, self.point)
        if isinstance(value, sp.Limit) or value.has(sp.AccumBounds):
            return Outcome.undecided(f"sympy could not evaluate lim {self.expr}")
        if value.is_finite:
            same = sp.simplify(value - self.expected) == 0
        else:
            same = value == self.expected
        if same:
            return Outcome.passed(f"lim_{{{self.var}→{self.point}}} {self.expr} = {value}")
        return Outcome.failed(
            f"lim_{{{self.var}→{self.point}}} {self.expr} = {value}, expected {self.expected}",
            {"limit": str(value)},
        )


@dataclass(frozen=True)
class AllOf:
    """Every part must pass; the first failure (or undecided part) decides."""

    parts: tuple
    name: str = "all of"

    def __post_init__(self) -> None:
        if not self.parts:
            raise ValueError("AllOf needs at least one part")
        if self.name == "all of":
            object.__setattr__(self, "name", " + ".join(dict.fromkeys(p.name for p in self.parts)))

    def run(self) -> Outcome:
        details = []
        for part in self.parts:
            outcome = part.run()
            if outcome.status != "passed":
                return outcome
            details.append(outcome.detail)
        return Outcome.passed("; ".join(details))
