"""Symbolic methods: identities, inequalities under the symbols' assumptions, limits.

Only sympy's `True` passes an inequality; `None` is *undecided* and fails the run with a
message. Failing identities and inequalities are searched for an exact counterexample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp
from sympy.logic.boolalg import Boolean

from proofs_check._outcome import Outcome
from proofs_check._sampling import describe, sample_points
from theory.errors import InvalidArgumentError

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
            raise InvalidArgumentError("AllOf needs at least one part")
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


_FLIP = {sp.GreaterThan: sp.LessThan, sp.StrictGreaterThan: sp.StrictLessThan}


def _canonical_relation(rel: sp.Rel) -> sp.Rel:
    """a ≥ b as b ≤ a, a > b as b < a (so the two spellings of one claim compare equal)."""
    if type(rel) in _FLIP:
        return _FLIP[type(rel)](rel.rhs, rel.lhs, evaluate=False)
    return rel


def _same_term(a: sp.Basic, b: sp.Basic) -> bool | None:
    """True when a = b identically, False when sample points show they differ, else None."""
    if a == b:
        return True
    if not (isinstance(a, sp.Expr) and isinstance(b, sp.Expr)):
        return False
    if a.has(sp.Limit) or b.has(sp.Limit):
        # never let simplification evaluate a limit away (lim C/m = lim C/√m = 0): the
        # claimed expression inside the limit must be the derived one
        if a.func != b.func or len(a.args) != len(b.args) or not a.args:
            return False
        return all(_same_term(x, y) is True for x, y in zip(a.args, b.args, strict=True))
    diff = a - b
    for form in _NORMAL_FORMS[1:]:
        if sp.sympify(form(diff)) == 0:
            return True
    for point in sample_points(diff.free_symbols, 6):
        if _is_zero_at(diff, point) is False:
            return False
    return None


def claim_mismatch(registered: sp.Basic, derived: sp.Basic) -> str | None:
    """None when `registered` is the claim `derived` (same logical shape, every term
    identical), else what differs. Conjunctions match in any order."""
    a, b = registered, derived
    if a == b:
        return None
    if isinstance(a, sp.Rel) and isinstance(b, sp.Rel):
        a, b = _canonical_relation(a), _canonical_relation(b)
        if type(a) is not type(b):
            return f"{registered} and {derived} are different relations"
        if isinstance(a, sp.Eq | sp.Ne):
            same = _same_term(a.lhs - a.rhs, b.lhs - b.rhs)
            same = same or _same_term(a.lhs - a.rhs, b.rhs - b.lhs)
        else:
            same = _same_term(a.lhs, b.lhs) and _same_term(a.rhs, b.rhs)
            same = same or _same_term(a.lhs - a.rhs, b.lhs - b.rhs)
        return None if same else f"{registered} is not {derived}"
    if isinstance(a, sp.And | sp.Or) and isinstance(b, sp.And | sp.Or):
        if type(a) is not type(b) or len(a.args) != len(b.args):
            return f"{registered} and {derived} have different parts"
        left = list(b.args)
        for part in a.args:
            hit = next((k for k, other in enumerate(left)
                        if claim_mismatch(part, other) is None), None)
            if hit is None:
                return f"no derived part matches {part}"
            left.pop(hit)
        return None
    if isinstance(a, Boolean) and isinstance(b, Boolean):
        if a.func != b.func or len(a.args) != len(b.args):
            return f"{registered} is not {derived}"
        for x, y in zip(a.args, b.args, strict=True):
            if isinstance(x, Boolean) or isinstance(y, Boolean):
                why = claim_mismatch(x, y)
            else:
                why = None if _same_term(x, y) else f"{x} is not {y}"
            if why is not None:
                return why
        return None
    if isinstance(a, sp.Expr) and isinstance(b, sp.Expr):
        return None if _same_term(a, b) else f"{a} is not {b}"
    return f"{registered} is not {derived}"


@dataclass(frozen=True)
class SameClaim:
    """The registered claim is exactly the one the proof derives (no stronger, no weaker).

    `registered` is read from the registry (a conclusion or a hypothesis list), `derived`
    is what the proof's steps compose to. Relations compare side by side (a ≥ b and b ≤ a
    are the same claim), terms must be identical (sympy normal forms; sample points
    report a difference), conjunctions match in any order.
    """

    registered: sp.Basic
    derived: sp.Basic
    name: str = "claim = derivation"

    def run(self) -> Outcome:
        why = claim_mismatch(sp.sympify(self.registered), sp.sympify(self.derived))
        if why is None:
            return Outcome.passed("the registered claim is the derived one")
        return Outcome.failed(f"the registered claim is not what the proof derives: {why}",
                              {"registered": str(self.registered), "derived": str(self.derived)})
