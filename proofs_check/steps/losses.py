"""Checks of every declared loss property of docs/losses.py (statements `loss:<name>`).

Every property is read from the registered statement (its loss form, L, (α, H), label
set), and `catalogue_form` binds the statement to the catalogue's loss (the sympy form the
torch form is tested against). Methods, per property and per label value y:
- convex: sympy sign of ∂²ℒ/∂u² (smooth losses); z3 on the chord inequality
  ℒ(t u₁ + (1−t) u₂) ≤ t ℒ(u₁) + (1−t) ℒ(u₂) (piecewise losses). Negative controls are
  expected refutations: z3 (ramp) or a certified interval violation of midpoint
  convexity (sigmoid) must produce a counterexample.
- Lipschitz L: z3 on |ℒ(u₁) − ℒ(u₂)| ≤ L|u₁ − u₂| (piecewise); for the exponential
  family the substitution E = eᵘ > 0 (a bijection ℝ → (0, ∞), checked by a sympy
  identity) turns sup |ℒ'| ≤ L into a rational inequality on E > 0 that z3 decides —
  the whole real line, no tail argument needed. Non-Lipschitz losses (L = none):
  sympy shows |ℒ'| → ∞.
- Hölder (1, H) of ℒ': |ℒ''| ≤ H (smooth, same substitution) or z3 on
  |ℒ'(u₁) − ℒ'(u₂)| ≤ H|u₁ − u₂| (piecewise).
- nonnegative: z3 on ℒ ≥ 0, or on e^ℒ ≥ 1 after the substitution (exp is increasing).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from proofs_check._intervals import IntervalBound
from proofs_check._obligation import Expect, obligation
from proofs_check._outcome import Outcome, Status
from proofs_check._reads import statement
from proofs_check._sympy_methods import (
    AllOf,
    SameClaim,
    SympyIdentity,
    SympyInequality,
    SympyLimit,
)
from proofs_check._z3 import Z3Valid
from theory.errors import InvalidArgumentError
from theory.losses import CATALOGUE, Loss
from theory.statements.losses import loss_statement
from theory.symbols import Convex, HolderDerivative, LipschitzIn, Nonnegative, u, y

E = sp.Symbol("E", positive=True)  # E = e^u
u1, u2 = sp.symbols("u1 u2", real=True)
t = sp.Symbol("t", real=True)
R = sp.Rational


@dataclass(frozen=True)
class Declared:
    """What the registered statement `loss:<name>` declares, read from its sympy objects:
    each property's loss form (the predicate's argument), L, (α, H), the label values."""

    convex: tuple[bool, sp.Expr]
    lipschitz: tuple[sp.Expr, sp.Expr] | None
    holder: tuple[sp.Expr, sp.Expr, sp.Expr] | None
    nonnegative: sp.Expr | None
    labels: tuple[int | None, ...]


def declared(label: str) -> Declared:
    """Parse the registered statement `label` (a read of its hypotheses and conclusion)."""
    stmt = statement(label)
    parts = stmt.conclusion.args if isinstance(stmt.conclusion, sp.And) else (stmt.conclusion,)
    convex = lipschitz = holder = nonnegative = None
    for part in parts:
        if isinstance(part, sp.Not) and isinstance(part.args[0], Convex):
            convex = (False, part.args[0].args[0])
        elif isinstance(part, Convex):
            convex = (True, part.args[0])
        elif isinstance(part, LipschitzIn):
            lipschitz = (part.args[0], part.args[2])
        elif isinstance(part, HolderDerivative):
            holder = (part.args[0], part.args[2], part.args[3])
        elif isinstance(part, Nonnegative):
            nonnegative = part.args[0]
    if convex is None:
        raise InvalidArgumentError(f"{label} declares neither convexity nor its failure")
    labels: tuple[int | None, ...] = (None,)
    if stmt.hypotheses:
        (domain,) = stmt.hypotheses
        cases = domain.args if isinstance(domain, sp.Or) else (domain,)
        labels = tuple(int(c.rhs) if c.lhs == y else int(c.lhs) for c in cases)
    return Declared(convex, lipschitz, holder, nonnegative, labels)


def _real_target(f: sp.Expr, value: int | None) -> sp.Expr:
    """ℒ at label `value`; for real targets ℒ(y, u) = ℓ(u − y), so y = 0 loses nothing
    (the `translation_invariant` step checks that)."""
    return f.subs(y, 0 if value is None else value)


def _in_E(expr: sp.Expr) -> tuple[sp.Expr, SympyIdentity]:
    """expr(u) rewritten as a function of E = eᵘ, with the identity that certifies it."""
    g = sp.simplify(sp.expand_log(sp.simplify(expr.subs(u, sp.log(E))), force=True))
    if g.has(u) or g.has(sp.exp):
        raise InvalidArgumentError(f"{expr} is not a function of e^u alone")
    return g, SympyIdentity(g.subs(E, sp.exp(u)), expr)


def _convex(loss: Loss, decl: Declared, value: int | None):
    f = _real_target(decl.convex[1], value)
    if loss.smooth and not loss.negative_control:
        return SympyInequality(sp.Ge(sp.diff(f, u, 2), 0, evaluate=False))
    if loss.smooth:  # transcendental negative control: certified midpoint violation
        mid = f.subs(u, (u1 + u2) / 2) - (f.subs(u, u1) + f.subs(u, u2)) / 2
        return IntervalBound(mid, {u1: (-4, 4), u2: (-4, 4)}, upper=0, max_boxes=4000)
    chord = sp.Le(
        f.subs(u, t * u1 + (1 - t) * u2), t * f.subs(u, u1) + (1 - t) * f.subs(u, u2)
    )
    return Z3Valid([t >= 0, t <= 1], chord)


def _lipschitz(loss: Loss, decl: Declared, value: int | None):
    if decl.lipschitz is None:
        f = _real_target(decl.convex[1], value)
        return SympyLimit(sp.Abs(sp.diff(f, u)), u, sp.oo, sp.oo)
    f, L = decl.lipschitz
    f = _real_target(f, value)
    if not loss.smooth:
        return Z3Valid([], sp.Abs(f.subs(u, u1) - f.subs(u, u2)) <= L * sp.Abs(u1 - u2))
    if not f.has(sp.exp):
        return SympyInequality(sp.Ge(L - sp.Abs(sp.diff(f, u)), 0, evaluate=False))
    g, identity = _in_E(sp.diff(f, u))
    return AllOf((identity, Z3Valid([], sp.Abs(g) <= L)))


def _holder(loss: Loss, decl: Declared, value: int | None):
    f, alpha, H = decl.holder
    f = _real_target(f, value)
    if alpha != 1:
        raise NotImplementedError("only α = 1 Hölder pairs are declared in the catalogue")
    if not loss.smooth:
        d = sp.diff(f, u)
        return Z3Valid([], sp.Abs(d.subs(u, u1) - d.subs(u, u2)) <= H * sp.Abs(u1 - u2))
    d2 = sp.diff(f, u, 2)
    if not f.has(sp.exp):
        return SympyInequality(sp.Ge(H - sp.Abs(d2), 0, evaluate=False))
    g, identity = _in_E(d2)
    return AllOf((identity, Z3Valid([], sp.Abs(g) <= H)))


def _nonnegative(loss: Loss, decl: Declared, value: int | None):
    f = _real_target(decl.nonnegative, value)
    if not f.has(sp.exp):
        return Z3Valid([], f >= 0)
    if not f.has(sp.log):
        g, identity = _in_E(f)
        return AllOf((identity, Z3Valid([], g >= 0)))
    g, identity = _in_E(sp.exp(f))  # ℒ ≥ 0 ⟺ e^ℒ ≥ 1
    return AllOf((identity, Z3Valid([], g >= 1)))


@dataclass(frozen=True)
class ForEachLabel:
    """Run one method per label value y; a counterexample records which y failed."""

    parts: tuple[tuple[int | None, object], ...]

    @property
    def name(self) -> str:
        return " + ".join(dict.fromkeys(m.name for _, m in self.parts))

    def run(self) -> Outcome:
        details = []
        for value, method in self.parts:
            outcome = method.run()
            if outcome.status != Status.PASSED:
                if outcome.counterexample is not None and value is not None:
                    return replace(outcome, counterexample={"y": value, **outcome.counterexample})
                return outcome
            details.append(outcome.detail if value is None else f"y={value}: {outcome.detail}")
        return Outcome.passed("; ".join(details))


def _for_labels(loss: Loss, check):
    def build():
        decl = declared(loss.label)
        return ForEachLabel(tuple((v, check(loss, decl, v)) for v in decl.labels))

    return build


def _catalogue_form(loss: Loss):
    # the registered definition is the catalogue's loss (whose torch form the tests compare
    # with the sympy form): same label set, same ℒ(y, u) and constants in every property
    def build():
        stmt = statement(loss.label)
        want = loss_statement(loss)
        return AllOf((
            SameClaim(sp.And(*stmt.hypotheses), sp.And(*want.hypotheses)),
            SameClaim(stmt.conclusion, want.conclusion),
        ))

    return build


def _register(loss: Loss) -> None:
    obligation(loss.label, "catalogue_form")(_catalogue_form(loss))
    if loss.convex:
        obligation(loss.label, "convex")(_for_labels(loss, _convex))
    else:
        obligation(
            loss.label, "convex", expect=Expect.REFUTATION,
            explanation=f"negative control: {loss.name} is not convex; a counterexample "
            "to the chord inequality is required",
        )(_for_labels(loss, _convex))
    if loss.lipschitz is None:
        obligation(loss.label, "not_lipschitz")(_for_labels(loss, _lipschitz))
    else:
        obligation(loss.label, f"lipschitz_L={loss.lipschitz}")(_for_labels(loss, _lipschitz))
    if loss.holder is not None:
        a, H = loss.holder
        obligation(loss.label, f"holder_alpha={a}_H={H}")(_for_labels(loss, _holder))
    if loss.nonnegative:
        obligation(loss.label, "nonnegative")(_for_labels(loss, _nonnegative))
    if loss.labels is None:
        def invariant():
            f = declared(loss.label).convex[1]
            return SympyIdentity(f, f.subs(y, 0).subs(u, u - y))

        obligation(loss.label, "translation_invariant")(invariant)


for _loss in CATALOGUE.values():
    _register(_loss)
