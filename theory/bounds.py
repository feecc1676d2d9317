"""Numeric bounds generated from the registered statements (sympy → `lambdify`).

Numerics must evaluate the bounds through these functions, never retype them as float
code: each is lambdified from the registered statement's conclusion (or from the
`theory.rates` expression that the rate obligations check), so a changed statement
changes the number.

Main definitions (floats in, float out; NaN never returned silently — bad input raises
`BoundInputError`):
- `sampling_gap(L, a, D_X, q)`: ll:sampling, F(θ̂) − F(θ) ≤ L a D_X/√q;
- `sampling_holder_gap(H, alpha, a, D_X, q)`: ll:sampling (Hölder),
  H/(1+α)(a D_X/√q)^{1+α};
- `pruning_gap(L, D_X, kappa, a, l, m)`: ll:pruning, (L D_X − κ)₊ (l/m) a;
- `dimfree_bound(L, D_X, kappa, level_bar, lower, q, e_l, level)`: ll:thm-dimfree;
- `bridge_level(Lambda, L, D_X, kappa, r, lower)`: ll:bridge;
- `cube_gap(L, D_X, a, n, l, m)`: ll:cube-certificate;
- `rate(name)`: ε(m) of `theory.rates.RATES[name]` as a function of keyword parameters
  (m, l, n, L, H, alpha, D_X, abar) — explicit rates only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import sympy as sp

from theory._registry import registry
from theory.errors import InvalidArgumentError
from theory.symbols import D_X, H, L, Lam, R_low, a, alpha, e_l, kappa, l, lam, lam_bar, m, n, q, r

__all__ = [
    "BoundInputError",
    "bridge_level",
    "cube_gap",
    "dimfree_bound",
    "pruning_gap",
    "rate",
    "sampling_gap",
    "sampling_holder_gap",
]


class BoundInputError(InvalidArgumentError):
    """An input of a bound is not a finite number, or is outside the statement's domain."""


def _part(label: str, lhs: sp.Basic) -> sp.Expr:
    """The bound b of the conclusion part `lhs ≤ b` of the registered statement `label`."""
    concl = registry().get(label).conclusion
    for part in concl.args if isinstance(concl, sp.And) else (concl,):
        if isinstance(part, sp.Le) and part.lhs == lhs:
            return part.rhs
        if isinstance(part, sp.Ge) and part.rhs == lhs:
            return part.lhs
    raise LookupError(f"{label} has no conclusion part {lhs} ≤ …")


def _symbol(label: str, name: str) -> sp.Symbol:
    for sym in registry().get(label).free_symbols:
        if sym.name == name:
            return sym
    raise LookupError(f"{label} has no symbol {name}")


def _compile(expr: sp.Expr, args: tuple[sp.Symbol, ...], names: tuple[str, ...]):
    fn = sp.lambdify(args, expr, modules="math")

    def call(*values: float) -> float:
        for name, v in zip(names, values, strict=True):
            if not isinstance(v, int | float) or not math.isfinite(v):
                raise BoundInputError(f"{name} must be a finite number, got {v!r}")
        return float(fn(*values))

    return call


@cache
def _sampling():
    F_val, F_hat = _symbol("ll:sampling", "F"), _symbol("ll:sampling", "Fhat")
    gap = _part("ll:sampling", F_hat) - F_val
    return _compile(gap, (L, a, D_X, q), ("L", "a", "D_X", "q"))


def sampling_gap(L: float, a: float, D_X: float, q: int) -> float:
    """ll:sampling: some draw of q atoms has F(W, θ̂) − F(W, θ) ≤ L a D_X/√q.

    >>> from theory.bounds import sampling_gap
    >>> sampling_gap(L=1.0, a=2.0, D_X=1.5, q=9)  # 1 · 2 · 1.5/3
    1.0
    >>> sampling_gap(L=1.0, a=2.0, D_X=1.5, q=0)
    Traceback (most recent call last):
        ...
    theory.bounds.BoundInputError: q must be ≥ 1, got 0
    """
    if q < 1:
        raise BoundInputError(f"q must be ≥ 1, got {q}")
    return _sampling()(L, a, D_X, q)


@cache
def _sampling_holder():
    from theory.statements.ll import SAMPLING_HOLDER_GAP  # checked by ll:sampling step 14

    return _compile(SAMPLING_HOLDER_GAP, (H, alpha, a, D_X, q), ("H", "alpha", "a", "D_X", "q"))


def sampling_holder_gap(H: float, alpha: float, a: float, D_X: float, q: int) -> float:
    """ll:sampling (Hölder ℒ', 0 < α ≤ 1): F(W, θ̂) − F(W, θ) ≤ H/(1+α)(a D_X/√q)^{1+α}.

    >>> from theory.bounds import sampling_holder_gap
    >>> sampling_holder_gap(H=1.0, alpha=1.0, a=1.0, D_X=1.0, q=4)  # ½ · (1/2)²
    0.125
    """
    if q < 1 or not 0 < alpha <= 1:
        raise BoundInputError(f"need q ≥ 1 and 0 < alpha ≤ 1, got q={q}, alpha={alpha}")
    return _sampling_holder()(H, alpha, a, D_X, q)


@cache
def _pruning():
    F_val, F_hat = _symbol("ll:pruning", "F"), _symbol("ll:pruning", "Fhat")
    bound = _part("ll:pruning", F_hat - F_val)
    return _compile(bound, (L, D_X, kappa, a, l, m), ("L", "D_X", "kappa", "a", "l", "m"))


def pruning_gap(L: float, D_X: float, kappa: float, a: float, l: int, m: int) -> float:
    """ll:pruning: F(θ_pr) − F(θ) ≤ (L D_X − κ)₊ (l/m) a after keeping m − l entries.

    >>> from theory.bounds import pruning_gap
    >>> pruning_gap(L=1.0, D_X=2.0, kappa=1.0, a=3.0, l=2, m=4)  # (2 − 1) · ½ · 3
    1.5
    >>> pruning_gap(L=1.0, D_X=2.0, kappa=3.0, a=3.0, l=2, m=4)  # κ ≥ L D_X: pruning is free
    0.0
    """
    if not 0 <= l <= m or m < 1:
        raise BoundInputError(f"need 0 ≤ l ≤ m, m ≥ 1, got l={l}, m={m}")
    return _pruning()(L, D_X, kappa, a, l, m)


@cache
def _dimfree():
    b = _symbol("ll:thm-dimfree", "b_m")
    args = (L, D_X, kappa, lam_bar, R_low, q, e_l, lam)
    return _compile(_part("ll:thm-dimfree", b), args,
                    ("L", "D_X", "kappa", "level_bar", "lower", "q", "e_l", "level"))


def dimfree_bound(L: float, D_X: float, kappa: float, level_bar: float, lower: float,
                  q: int, e_l: float, level: float) -> float:
    """ll:thm-dimfree: 𝔟_m(λ) ≤ max{L D_X (λ̄ − R̲)/(κ√q), (e(l) − λ)₊} (q = m − l).

    >>> from theory.bounds import dimfree_bound
    >>> dimfree_bound(L=1.0, D_X=1.0, kappa=1.0, level_bar=2.0, lower=0.0, q=4, e_l=0.5,
    ...               level=0.25)  # max{2/2, 0.25}
    1.0
    """
    if q < 1:
        raise BoundInputError(f"q must be ≥ 1, got {q}")
    return _dimfree()(L, D_X, kappa, level_bar, lower, q, e_l, level)


@cache
def _bridge():
    F_max = _symbol("ll:bridge", "F_max")
    return _compile(_part("ll:bridge", F_max), (Lam, L, D_X, kappa, r, R_low),
                    ("Lambda", "L", "D_X", "kappa", "r", "lower"))


def bridge_level(Lambda: float, L: float, D_X: float, kappa: float, r: float,
                 lower: float) -> float:
    """ll:bridge: on the straight segment F ≤ Λ + (L D_X/κ) r (Λ − R̲).

    >>> from theory.bounds import bridge_level
    >>> bridge_level(Lambda=1.0, L=1.0, D_X=1.0, kappa=1.0, r=0.5, lower=0.0)  # 1 + ½ · 1
    1.5
    """
    return _bridge()(Lambda, L, D_X, kappa, r, lower)


@cache
def _cube():
    F_val, delta_q = _symbol("ll:cube-certificate", "F"), _symbol("ll:cube-certificate",
                                                                     "delta_q")
    return _compile(_part("ll:cube-certificate", delta_q - F_val), (L, D_X, a, n, l, m),
                    ("L", "D_X", "a", "n", "l", "m"))


def cube_gap(L: float, D_X: float, a: float, n: int, l: int, m: int) -> float:
    """ll:cube-certificate: δ_W(m − l, 0; m) − F ≤ 4√n L D_X a ((l+1)/m)^{1/n}.

    >>> from theory.bounds import cube_gap
    >>> cube_gap(L=1.0, D_X=1.0, a=1.0, n=1, l=0, m=4)  # 4 · 1/4
    1.0
    """
    if not 0 <= l <= m - 1 or n < 1:
        raise BoundInputError(f"need 0 ≤ l ≤ m − 1, n ≥ 1, got l={l}, m={m}, n={n}")
    return _cube()(L, D_X, a, n, l, m)


def rate(name: str) -> Callable[..., float]:
    """ε(m) of the explicit rate `theory.rates.RATES[name]`, called with keyword parameters
    named as its symbols (m, l, n, L, H, alpha, D_X, abar, kappa); floor(m/2) included.

    >>> from theory.bounds import rate
    >>> dimfree = rate("dimfree")  # L D_X ā/√(m − l)
    >>> dimfree(m=10, l=1, L=1.0, D_X=1.0, abar=3.0)
    1.0
    >>> rate("fb-cor-2.5")
    Traceback (most recent call last):
        ...
    theory.bounds.BoundInputError: rate 'fb-cor-2.5' states no constant (rate only)
    """
    from theory.rates import RATES

    if name not in RATES:
        raise BoundInputError(f"unknown rate {name!r}; known: {', '.join(RATES)}")
    spec = RATES[name]
    if not spec.explicit:
        raise BoundInputError(f"rate {name!r} states no constant (rate only)")
    symbols = tuple(sorted(spec.expr.free_symbols, key=lambda s: s.name))
    fn = _compile(spec.expr, symbols, tuple(s.name for s in symbols))

    def call(**values: float) -> float:
        missing = sorted({s.name for s in symbols} - set(values))
        if missing:
            raise BoundInputError(f"rate {name!r} needs {', '.join(missing)}")
        return fn(*(values[s.name] for s in symbols))

    return call
