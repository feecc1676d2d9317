"""The `Rate` record: one energy-gap bound ε(m) of the docs' statement pages as a sympy expression.

Notation: m width, l reference width, q = m − l, n input dimension, ā = a bound on ‖θ‖₁
(ll:l1-control: F_m ≤ λ̄ ⇒ ‖θ‖₁ ≤ (λ̄ − R̲)/κ), C an unstated positive constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sympy as sp

from theory.errors import InvalidArgumentError
from theory.symbols import R_low, kappa, lam_bar, m

# ā: the ℓ1 radius of the sublevel set, (λ̄ − R̲)/κ (ll:l1-control). Under the Hölder assumption
# ℒ ≥ 0, so R̲ = 0 is always a valid risk lower bound (λ̄/κ); a larger known R̲ ≥ 0 tightens it.
abar = sp.Symbol("abar", positive=True)
# C: a constant the source leaves unstated (rate-only bounds)
C = sp.Symbol("C", positive=True)

# ā per hypothesis: ll:l1-control with R̲, or R̲ = 0 for the nonnegative Hölder losses
RADIUS_LIPSCHITZ = (lam_bar - R_low) / kappa
RADIUS_HOLDER = (lam_bar - R_low) / kappa


class Needs(StrEnum):
    """Which loss hypothesis a bound needs beyond convexity."""

    LIPSCHITZ = "lipschitz"  # ll:assumption: ℒ convex, L-Lipschitz
    HOLDER = "holder"  # ll:assumption-holder: ℒ ≥ 0 convex, ℒ' (α, H)-Hölder
    SOURCE = "source"  # the source's own setting (FB17: squared loss); rate only


@dataclass(frozen=True)
class Rate:
    """An upper bound ε(m) on the sublevel thickening 𝔟_m, with its claimed order.

    **Arguments**
    - `name`: short key, e.g. ``"moving-level"``.
    - `label`: the statement the bound belongs to, e.g. ``"ll:cor-moving-level"``.
    - `title`: one line saying what the bound is.
    - `expr`: ε(m) in `theory.symbols.m` and parameters (may hold ``floor(m/2)``).
    - `exponent`: the claimed p with ε(m) ~ `leading` · m^{−p} as m → ∞.
    - `leading`: the claimed constant c of that asymptotic equivalence.
    - `needs`: the loss hypothesis the bound is stated under.
    - `min_width`: the smallest width the bound is stated for (an expression in l).
    - `envelope`: closed-form (lower, upper) with lower ≤ ε(m) ≤ upper, used where
      `expr` holds a floor that sympy's limits cannot handle; None means (expr, expr).
    - `domain`: hypotheses on the parameters for the formula to be defined (e.g. n ≥ 2).
    - `nondegenerate`: conditions for c > 0; outside them ε ≡ 0 (e.g. κ ≥ L D_X).
    - `explicit`: False when the source states no constant (then `expr` carries `C`
      and no width can be computed).
    - `reference`: how the reference width l is chosen: ``"fixed"`` (l is a parameter),
      a formula in m such as ``"⌊m/2⌋"``, or ``""`` when the bound has no l.

    >>> from theory.rates import RATES
    >>> dimfree = RATES["dimfree"]
    >>> dimfree.label, dimfree.expr, dimfree.exponent, str(dimfree.needs)
    ('ll:thm-dimfree', D_X*L*abar/sqrt(-l + m), 1/2, 'lipschitz')
    """

    name: str
    label: str
    title: str
    expr: sp.Expr
    exponent: sp.Expr
    leading: sp.Expr
    needs: Needs
    min_width: sp.Expr = sp.S.One
    envelope: tuple[sp.Expr, sp.Expr] | None = None
    domain: tuple[sp.Basic, ...] = ()
    nondegenerate: tuple[sp.Basic, ...] = ()
    explicit: bool = True
    reference: str = "fixed"

    def __post_init__(self) -> None:
        if m not in self.expr.free_symbols:
            raise InvalidArgumentError(f"rate {self.name!r}: expr {self.expr} does not depend on m")
        if self.explicit == (C in self.expr.free_symbols):
            raise InvalidArgumentError(
                f"rate {self.name!r}: explicit={self.explicit} but expr "
                f"{'holds' if self.explicit else 'lacks'} the unstated constant C"
            )

    @property
    def bounds(self) -> tuple[sp.Expr, sp.Expr]:
        """(lower, upper) closed-form envelopes of ε(m)."""
        return self.envelope if self.envelope is not None else (self.expr, self.expr)

    @property
    def radius(self) -> sp.Expr:
        """ā in the symbols of docs/notation.md for this bound's hypothesis."""
        return RADIUS_HOLDER if self.needs is Needs.HOLDER else RADIUS_LIPSCHITZ

    @property
    def parameters(self) -> set[sp.Symbol]:
        """Every symbol of ε(m) except m."""
        return (self.expr.free_symbols | self.min_width.free_symbols) - {m}
