"""The width calculator: smallest m with ε(m) ≤ target, decided by certified intervals.

Main definitions: `BoundInputs` (validated exact inputs), `RateInputError`,
`WidthOutOfRangeError`, `certified_value`, `certifies`, `smallest_width`, `exact`.

A width counts only when the arb enclosure of ε(m) (`theory.intervals.enclose`, exact
rational parameters, integer m) lies entirely at or below the target, or, when the ball
straddles the target, ε(m) − target simplifies to exactly 0 in sympy (an exact tie). The search is
exponential then bisection; it is correct because every explicit ε(m) is nonincreasing
in m (obligation ``rate_monotone_in_m`` of each rate in `proofs_check.steps.rates`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import flint
import sympy as sp

from theory.errors import RelulandscapeError
from theory.intervals import PRECISION_BITS, enclose, working_precision
from theory.losses import Loss, get_loss
from theory.rates._rate import Needs, Rate, abar
from theory.symbols import D_X, H, L, R_low, alpha, kappa, l, lam_bar, m, n

MAX_WIDTH = 10**40


class RateInputError(RelulandscapeError, ValueError):
    """An input of the width calculator is missing, not finite, or outside the hypotheses."""


class WidthOutOfRangeError(RelulandscapeError, ValueError):
    """No width up to the search limit certifies ε(m) ≤ target."""


def exact(
    name: str, x: float | int | str | sp.Rational, *, positive: bool = False
) -> sp.Rational:
    """`x` as an exact Rational (floats through their shortest repr, ``Rational(str(x))``).

    Raises `RateInputError` naming `name` for NaN, ±inf, a non-number, or (with
    `positive`) a value ≤ 0.

    >>> from theory.rates import exact
    >>> exact("kappa", 0.1), exact("level", "7/10")
    (1/10, 7/10)
    >>> exact("kappa", 0.0, positive=True)
    Traceback (most recent call last):
        ...
    theory.rates._width.RateInputError: kappa must be > 0, got 0.0
    """
    if isinstance(x, float) and not math.isfinite(x):
        raise RateInputError(f"{name} must be a finite number, got {x!r}")
    try:
        value = sp.Rational(str(x))
    except (TypeError, ValueError, sp.SympifyError):
        raise RateInputError(f"{name} must be a number, got {x!r}") from None
    if not value.is_finite:
        raise RateInputError(f"{name} must be a finite number, got {x!r}")
    if positive and value <= 0:
        raise RateInputError(f"{name} must be > 0, got {x}")
    return value


@dataclass(frozen=True)
class BoundInputs:
    """Exact, validated inputs of the bounds: a convex loss and the data/level scalars.

    **Arguments**
    - `loss`: a catalogue loss; it must be convex (every theorem needs convexity).
    - `kappa`: κ > 0; `D_X`: D_X > 0; `level`: λ̄ (the calculator takes λ = λ̄);
      `lower`: R̲ ≤ λ̄ (0 for nonnegative losses, then λ̄ ≥ 0 too).
    - `n`: input dimension (augmented), needed by the dimension-dependent bounds only.
    - `ref_width`: the fixed reference width l ≥ 1 of the fixed-l bounds.

    Raises `RateInputError` (naming the argument) or `theory.losses.LossHypothesisError`.

    >>> from theory.rates import RATES, BoundInputs
    >>> inputs = BoundInputs.parse("logistic", kappa=0.5, D_X=1.0, level=0.7)  # R̲ = 0
    >>> inputs.parameters(RATES["dimfree"])  # ā = (λ̄ − R̲)/κ
    {D_X: 1, l: 1, L: 1, abar: 7/5}
    >>> inputs.not_applicable(RATES["fb-cor-2.5"])
    'rate only: the source states no constant'
    """

    loss: Loss
    kappa: sp.Rational
    D_X: sp.Rational
    level: sp.Rational
    lower: sp.Rational
    n: int | None = None
    ref_width: int = 1

    def __post_init__(self) -> None:
        self.loss.require(convex=True, needed_by="every bound of the ll: chain")
        exact("kappa", self.kappa, positive=True)
        exact("D_X", self.D_X, positive=True)
        if self.level < self.lower:
            raise RateInputError(f"level {self.level} is below the risk lower bound {self.lower}")
        if self.loss.nonnegative and self.level < 0:
            raise RateInputError(
                f"level must be ≥ 0: loss {self.loss.name!r} is nonnegative, so the "
                f"sublevel set at {self.level} is empty"
            )
        if self.n is not None and self.n < 1:
            raise RateInputError(f"n must be ≥ 1, got {self.n}")
        if self.ref_width < 1:
            raise RateInputError(f"ref_width must be ≥ 1, got {self.ref_width}")

    @classmethod
    def parse(
        cls, loss: str, *, kappa: float, D_X: float, level: float, lower: float | None = None,
        n: int | None = None, ref_width: int = 1,
    ) -> BoundInputs:
        """Build from command-line values: look the loss up, make every float exact."""
        try:
            found = get_loss(loss)
        except (KeyError, ValueError) as exc:  # unknown name, or a bad huber(δ)
            raise RateInputError(str(exc.args[0]) if exc.args else str(exc)) from None
        if lower is None and not found.nonnegative:
            raise RateInputError(f"lower (R̲) is required: loss {loss!r} is not nonnegative")
        return cls(
            found, exact("kappa", kappa), exact("D_X", D_X), exact("level", level),
            sp.Integer(0) if lower is None else exact("lower", lower), n, ref_width,
        )

    def not_applicable(self, rate: Rate) -> str | None:
        """Why no width can be computed for `rate` from these inputs, or None."""
        name = self.loss.name
        if not rate.explicit:
            return "rate only: the source states no constant"
        if rate.needs is Needs.LIPSCHITZ and self.loss.lipschitz is None:
            return f"not applicable: loss {name} is not Lipschitz"
        if rate.needs is Needs.HOLDER and self.loss.holder is None:
            return f"not applicable: loss {name} has no Hölder-continuous derivative"
        if rate.needs is Needs.HOLDER and not self.loss.nonnegative:
            return f"not applicable: loss {name} is not nonnegative"
        if n in rate.parameters and self.n is None:
            return "not applicable: needs the input dimension n"
        return None

    def parameters(self, rate: Rate) -> dict[sp.Symbol, sp.Rational]:
        """Exact values of `rate`'s parameters; ā by ll:l1-control for its hypothesis."""
        reason = self.not_applicable(rate)
        if reason is not None:
            raise RateInputError(f"{rate.name}: {reason}")
        values: dict[sp.Symbol, sp.Rational] = {D_X: self.D_X, kappa: self.kappa,
                                                l: sp.Integer(self.ref_width)}
        if self.loss.lipschitz is not None:
            values[L] = self.loss.lipschitz
        if self.loss.holder is not None:
            values[alpha], values[H] = self.loss.holder
        if self.n is not None:
            values[n] = sp.Integer(self.n)
        # $\bar a = (\bar\lambda - \underline R)/\kappa$, or $\bar\lambda/\kappa$ (Hölder)
        values[abar] = rate.radius.subs({lam_bar: self.level, R_low: self.lower, kappa: self.kappa})
        return {s: v for s, v in values.items() if s in rate.parameters}


def _specialize(rate: Rate, params: dict[sp.Symbol, sp.Rational]) -> sp.Expr:
    if not rate.explicit:
        raise RateInputError(f"rate {rate.name!r} states no constant; no width can be computed")
    missing = sorted(str(s) for s in rate.parameters - set(params))
    if missing:
        raise RateInputError(f"rate {rate.name!r} needs values for {', '.join(missing)}")
    for s, v in params.items():
        if not (isinstance(v, sp.Rational) and v.is_finite):
            raise RateInputError(f"parameter {s} must be an exact finite Rational, got {v!r}")
    unmet = [d for d in rate.domain if d.subs(params) is not sp.true]
    if unmet:
        raise RateInputError(f"rate {rate.name!r} needs {', '.join(map(str, unmet))}")
    return rate.expr.subs(params)


def _bits(width: int) -> int:
    """Working precision at `width`: ε(m) and ε(m − 1) differ in relative terms by about
    1/m, so the precision grows with the bit length of m (never below `PRECISION_BITS`)."""
    return max(PRECISION_BITS, 2 * int(width).bit_length() + 64)


def _enclose_at(expr: sp.Expr, width: int) -> flint.arb:
    """Certified ε(width): each floor(·) of m gets its exact integer value first."""
    floors = {f: sp.Dummy("floor") for f in expr.atoms(sp.floor)}
    box = {m: (width, width)}
    for f, d in floors.items():
        value = int(f.subs(m, width))
        box[d] = (value, value)
    return enclose(expr.xreplace(floors), box, precision=_bits(width))


def certified_value(rate: Rate, params: dict[sp.Symbol, sp.Rational], width: int) -> flint.arb:
    """An arb ball certainly containing ε(`width`) at the exact `params`.

    >>> import flint
    >>> from theory.rates import RATES, BoundInputs, certified_value
    >>> dimfree = RATES["dimfree"]
    >>> params = BoundInputs.parse("logistic", kappa=0.5, D_X=1.0, level=0.7).parameters(dimfree)
    >>> value = certified_value(dimfree, params, 10)  # (7/5)/√9 = 7/15
    >>> value.overlaps(flint.arb(7) / 15), value.rad() < 1e-15
    (True, True)
    """
    expr = _specialize(rate, params)
    lowest = int(rate.min_width.subs(params))
    if width < lowest:
        raise RateInputError(f"rate {rate.name!r} is stated for m ≥ {lowest}, got m = {width}")
    return _enclose_at(expr, width)


def _certified_le(expr: sp.Expr, width: int, eps: sp.Rational) -> bool:
    value = _enclose_at(expr, width)
    # $q\,\varepsilon(m) \le p$ with exact integers p/q = target: no rounding of the target;
    # the product is formed at the working precision of ε(width), not the 53-bit default
    with working_precision(_bits(width)):
        scaled = value * int(eps.q)
        below, above = scaled <= int(eps.p), scaled > int(eps.p)
    if below:
        return True
    if above:
        return False
    # the ball straddles the target: only an exact tie ε(m) = target (sympy) counts
    return sp.simplify(expr.subs(m, width) - eps) == 0


def certifies(
    rate: Rate, params: dict[sp.Symbol, sp.Rational], width: int, target: sp.Rational | float
) -> bool:
    """Whether ε(`width`) ≤ `target` is certain: the arb enclosure lies at or below the
    target, or ε(width) − target simplifies to exactly 0 (an exact tie).

    >>> from theory.rates import RATES, BoundInputs, certifies
    >>> dimfree = RATES["dimfree"]
    >>> params = BoundInputs.parse("logistic", kappa=0.5, D_X=1.0, level=0.7).parameters(dimfree)
    >>> certifies(dimfree, params, 197, 0.1), certifies(dimfree, params, 196, 0.1)  # 1.4/√q
    (True, False)
    """
    certified_value(rate, params, width)  # validates the parameters and the width
    return _certified_le(_specialize(rate, params), width, exact("target", target, positive=True))


def smallest_width(
    rate: Rate, params: dict[sp.Symbol, sp.Rational], target: sp.Rational | float,
    *, max_width: int = MAX_WIDTH,
) -> int:
    """The smallest width m ≥ `rate.min_width` with ε(m) ≤ `target` certified (`certifies`).

    **Arguments**
    - `rate`: an explicit `Rate`.
    - `params`: exact Rational values of every parameter of the rate
      (see `BoundInputs.parameters`).
    - `target`: ε > 0 (a float is made exact with ``Rational(str(target))``).
    - `max_width`: search limit.

    **Returns** m such that ε(m) ≤ `target` is certified and ε(m − 1) ≤ `target` is not
    (or m is the smallest width the bound is stated for).

    Raises `RateInputError` for a bad target or parameter, `WidthOutOfRangeError` when
    no width ≤ `max_width` certifies.

    >>> from theory.rates import RATES, BoundInputs, smallest_width
    >>> dimfree = RATES["dimfree"]
    >>> params = BoundInputs.parse("logistic", kappa=0.5, D_X=1.0, level=0.7).parameters(dimfree)
    >>> smallest_width(dimfree, params, 0.1)  # 1.4/√(m − 1) ≤ 0.1 ⟺ m ≥ 197
    197
    >>> smallest_width(dimfree, params, 1e-9, max_width=1000)
    Traceback (most recent call last):
        ...
    theory.rates._width.WidthOutOfRangeError: dimfree: no width up to 1e+03 certifies ...
    """
    eps = exact("target", target, positive=True)
    expr = _specialize(rate, params)
    lo = int(rate.min_width.subs(params))
    if _certified_le(expr, lo, eps):
        return lo
    hi = lo
    while not _certified_le(expr, hi, eps):
        if hi >= max_width:
            raise WidthOutOfRangeError(
                f"{rate.name}: no width up to {max_width:.3g} certifies ε(m) ≤ {float(eps):.6g}"
            )
        lo, hi = hi, min(2 * hi, max_width)
    # invariant: hi certifies, lo does not; ε nonincreasing in m
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if _certified_le(expr, mid, eps) else (mid, hi)
    return hi
