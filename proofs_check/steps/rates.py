"""Checks of the ε(m) rates of `theory.rates` (docs/statements_ll.py; fb:cor-2.5).

Registered under the label of the statement each bound belongs to; step names carry the
bound's name in brackets, e.g. ``rate_leading_exponent[moving-level]``.

Only explicit bounds (a stated constant) get rate obligations; a bound with no stated
constant records "no rate stated" (no obligation). Per bound, with (lower, upper) its
closed-form envelope (both = ε unless ε holds a floor):
- `rate_tends_to_zero`: lim_{m→∞} lower = lim upper = 0 (sympy), hence ε → 0 (squeeze).
- `rate_leading_exponent`: lim lower·m^p = lim upper·m^p = c (the claimed constant) and
  c > 0 (sympy's assumptions, or z3 under the bound's non-degeneracy conditions), so
  ε ~ c·m^{−p}: p is the exact order, not merely an upper exponent.
- `rate_envelope` (l = ⌊m/2⌋ only): ε = f(q) at q = m − ⌊m/2⌋ with f nonincreasing (sympy)
  and m/2 ≤ q ≤ (m+1)/2 (z3, ⌊m/2⌋ = k characterised by 2k ≤ m ≤ 2k + 1), so
  f((m+1)/2) ≤ ε ≤ f(m/2).
- `rate_monotone_in_m` (explicit bounds, used by the width calculator's bisection):
  dε/dm ≤ 0 on m ≥ l + 1 (sympy, m = l + q), or for l = ⌊m/2⌋: f nonincreasing and
  q(m + 1) ≥ q(m) (z3).
Per crossover: p_faster > p_slower ⟺ condition on n (z3) and the exponents tie at the
stated point (sympy identity). Plus `rate_covering_balance` (the balanced l of the
covering, moving-level version). That the fixed-level bound vanishes when κ ≥ L D_X is
`ll:thm-fixed-level`'s own step 4 (`proofs_check.steps.ll_levels`).
"""

from __future__ import annotations

import sympy as sp

from proofs_check._obligation import obligation
from proofs_check._sympy_methods import AllOf, SympyIdentity, SympyInequality, SympyLimit
from proofs_check._z3 import Z3Valid
from theory.errors import InvalidArgumentError
from theory.rates import CROSSOVERS, HALF, Q_MOVING, RATES, Crossover, Rate, cover_exponent
from theory.symbols import l, m, n, q

k, k_next = sp.symbols("k k_next", integer=True, nonnegative=True)  # ⌊m/2⌋, ⌊(m+1)/2⌋
s_approx = sp.Symbol("s_approx", positive=True)  # ll:approx-rate exponent s


def _on_domain(expr: sp.Expr, rate: Rate) -> sp.Expr:
    """`expr` with n ↦ n + 1 when the bound needs n ≥ 2 (n stays a positive integer)."""
    return expr.subs(n, n + 1) if (n >= 2) in rate.domain else expr


def _for_limit(expr: sp.Expr, rate: Rate) -> sp.Expr:
    """`expr` on the bound's domain with (a/b)^e split into a^e b^{−e} where that is valid.

    sympy's `expand_power_base` splits only when the bases are nonnegative, so the value
    is unchanged; sympy's limit recurses forever on the unsplit ((l+1)/m)^{1/n}.
    """
    return sp.expand_power_base(_on_domain(expr, rate))


def _at_floor(rate: Rate) -> sp.Expr:
    """f with ε(m) = f(q), q = m − ⌊m/2⌋; refuses a bound not of that form."""
    f = rate.expr.xreplace({Q_MOVING: q})
    if m in f.free_symbols or q not in f.free_symbols:
        raise InvalidArgumentError(f"{rate.name}: ε is not a function of q = m − ⌊m/2⌋ alone")
    return f


def _nonincreasing_in_q(f: sp.Expr) -> SympyInequality:
    return SympyInequality(sp.Le(sp.diff(f, q), 0, evaluate=False))


def _floor_bounds() -> Z3Valid:
    # $k = \lfloor m/2 \rfloor \iff 2k \le m \le 2k+1$; then $m/2 \le m - k \le (m+1)/2$
    return Z3Valid([2 * k <= m, m <= 2 * k + 1], sp.And(m / 2 <= m - k, m - k <= (m + 1) / 2))


def _positive(c: sp.Expr, rate: Rate):
    if rate.nondegenerate:
        return Z3Valid([*rate.nondegenerate, *rate.domain], c > 0)
    return SympyInequality(sp.Gt(_on_domain(c, rate), 0, evaluate=False))


def tends_to_zero(rate: Rate) -> AllOf:
    """lim_{m→∞} of both envelopes of ε is 0."""
    return AllOf(tuple(
        SympyLimit(_for_limit(e, rate), m, sp.oo, 0) for e in dict.fromkeys(rate.bounds)
    ))


def leading_exponent(rate: Rate) -> AllOf:
    """lim ε·m^p = c for both envelopes, with c > 0: ε has order exactly m^{−p}."""
    p, c = rate.exponent, rate.leading
    limits = tuple(
        SympyLimit(_for_limit(e * m**p, rate), m, sp.oo, _on_domain(c, rate))
        for e in dict.fromkeys(rate.bounds)
    )
    return AllOf((*limits, _positive(c, rate)))


def envelope(rate: Rate) -> AllOf:
    """The envelope of a l = ⌊m/2⌋ bound is f at q's bounds, f nonincreasing, q in them."""
    f = _at_floor(rate)
    lower, upper = rate.bounds
    return AllOf((
        SympyIdentity(lower, f.subs(q, (m + 1) / 2)),
        SympyIdentity(upper, f.subs(q, m / 2)),
        _nonincreasing_in_q(f),
        _floor_bounds(),
    ))


def monotone_in_m(rate: Rate):
    """ε(m + 1) ≤ ε(m) on the widths the bound is stated for."""
    if rate.envelope is not None:
        # $q(m) = m - \lfloor m/2\rfloor$ is nondecreasing and f is nonincreasing
        step = Z3Valid(
            [2 * k <= m, m <= 2 * k + 1, 2 * k_next <= m + 1, m + 1 <= 2 * k_next + 1],
            (m + 1) - k_next >= m - k,
        )
        return AllOf((_nonincreasing_in_q(_at_floor(rate)), step))
    if rate.min_width != l + 1:
        raise InvalidArgumentError(f"{rate.name}: monotonicity is checked on m ≥ l + 1 only")
    # m = l + q with q ≥ 1 covers exactly the stated widths m ≥ l + 1
    slope = sp.diff(rate.expr, m).subs(m, l + q)
    return SympyInequality(sp.Le(_on_domain(slope, rate), 0, evaluate=False))


def crossover(c: Crossover) -> AllOf:
    """p_faster > p_slower ⟺ condition (z3), and the exponents tie at the point (sympy)."""
    p_fast, p_slow = RATES[c.faster].exponent, RATES[c.slower].exponent
    faster = p_fast > p_slow
    equivalence = sp.And(sp.Implies(faster, c.condition), sp.Implies(c.condition, faster))
    return AllOf((
        Z3Valid(list(c.domain), equivalence),
        SympyIdentity(p_fast.subs(n, c.point), p_slow.subs(n, c.point)),
    ))


def _register(rate: Rate) -> None:
    if not rate.explicit:
        # no rate stated: the statement gives no constant (fb:cor-2.5's O(m^{−1/n}) is a
        # recorded defect, the covering orders carry an unstated C), so there is nothing
        # to check; `relu-landscape bound` reports these rows as "rate only"
        return
    tag = f"[{rate.name}]"
    obligation(rate.label, f"rate_tends_to_zero{tag}")(lambda: tends_to_zero(rate))
    obligation(rate.label, f"rate_leading_exponent{tag}")(lambda: leading_exponent(rate))
    if rate.envelope is not None:
        obligation(rate.label, f"rate_envelope{tag}")(lambda: envelope(rate))
    obligation(rate.label, f"rate_monotone_in_m{tag}")(lambda: monotone_in_m(rate))


for _rate in RATES.values():
    _register(_rate)

for _c in CROSSOVERS:
    obligation(RATES[_c.faster].label, f"rate_crossover[{_c.faster} vs {_c.slower}]")(
        lambda c=_c: crossover(c)
    )


@obligation("ll:cor-moving-level", "rate_covering_balance[covering-moving]")
def _covering_balance():
    e = cover_exponent(s_approx)
    # $l = m^e$: $l^{-s} = m^{-se}$ and $(l/m)^{1/(n-1)} = m^{(e-1)/(n-1)}$ have equal exponents
    return AllOf((
        SympyIdentity(-s_approx * e, (e - 1) / (n - 1)),
        SympyIdentity(HALF * cover_exponent(HALF), RATES["covering-moving"].exponent),
    ))
