"""Certified interval enclosures of sympy expressions with python-flint's `arb` balls.

Main definitions: `enclose(expr, box, precision=PRECISION_BITS)` (the true range of
`expr` over a box of exact intervals lies inside the returned ball), `evaluate`,
`working_precision(bits)` (a context for further arb arithmetic), `PRECISION_BITS`.
The lowest layer: the width calculator (`theory.rates`) and the interval obligations
(`proofs_check.IntervalBound`) both use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import flint
import sympy as sp

from theory.errors import InvalidArgumentError

PRECISION_BITS = 128
arb = flint.arb


def _hull(a: arb, b: arb) -> arb:
    return a.union(b)


def _max(a: arb, b: arb) -> arb:
    if a >= b:
        return a
    if b >= a:
        return b
    return _hull(a, b)


def _min(a: arb, b: arb) -> arb:
    if a <= b:
        return a
    if b <= a:
        return b
    return _hull(a, b)


def _truth(cond: sp.Basic, env: dict) -> bool | None:
    """True/False when the condition is certain on the whole box, None otherwise."""
    if cond is sp.true:
        return True
    if cond is sp.false:
        return False
    if isinstance(cond, sp.And | sp.Or):
        parts = [_truth(c, env) for c in cond.args]
        if isinstance(cond, sp.And):
            return False if False in parts else (True if all(parts) else None)
        return True if True in parts else (False if all(p is False for p in parts) else None)
    if isinstance(cond, sp.Not):
        inner = _truth(cond.args[0], env)
        return None if inner is None else not inner
    lhs, rhs = evaluate(cond.lhs, env), evaluate(cond.rhs, env)
    ops = {
        sp.Ge: (lambda: lhs >= rhs, lambda: lhs < rhs),
        sp.Gt: (lambda: lhs > rhs, lambda: lhs <= rhs),
        sp.Le: (lambda: lhs <= rhs, lambda: lhs > rhs),
        sp.Lt: (lambda: lhs < rhs, lambda: lhs >= rhs),
    }
    if type(cond) not in ops:
        raise TypeError(f"interval arithmetic cannot decide the condition {cond}")
    yes, no = ops[type(cond)]
    return True if yes() else (False if no() else None)


_UNARY = {
    sp.exp: lambda x: x.exp(),
    sp.log: lambda x: x.log(),
    sp.sin: lambda x: x.sin(),
    sp.cos: lambda x: x.cos(),
    sp.atan: lambda x: x.atan(),
    sp.Abs: abs,
}


def evaluate(e: sp.Basic, env: dict[sp.Symbol, arb]) -> arb:
    """Rigorous enclosure of `e` when each symbol ranges over the ball `env[symbol]`.

    >>> import flint
    >>> import sympy as sp
    >>> from theory.intervals import evaluate
    >>> x = sp.Symbol("x")
    >>> ball = evaluate(x**2 + sp.Rational(1, 2), {x: flint.arb(3)})
    >>> ball.contains(9.5), ball.rad() == 0
    (True, True)
    """
    if isinstance(e, sp.Symbol):
        return env[e]
    if isinstance(e, sp.Integer):
        return arb(int(e))
    if isinstance(e, sp.Rational):
        return arb(int(e.p)) / int(e.q)
    if e is sp.pi:
        return arb.pi()
    if e is sp.E:
        return arb(1).exp()
    if isinstance(e, sp.Float):
        raise TypeError(f"float {e} in an interval obligation; use an exact Rational")
    if isinstance(e, sp.Add):
        out = evaluate(e.args[0], env)
        for a in e.args[1:]:
            out = out + evaluate(a, env)
        return out
    if isinstance(e, sp.Mul):
        out = evaluate(e.args[0], env)
        for a in e.args[1:]:
            out = out * evaluate(a, env)
        return out
    if isinstance(e, sp.Pow):
        base, exp = e.args
        b = evaluate(base, env)
        if exp.is_Integer:
            return b ** int(exp)
        if exp == sp.Rational(1, 2):
            return b.sqrt()
        return (evaluate(exp, env) * b.log()).exp()
    for fn, impl in _UNARY.items():
        if isinstance(e, fn):
            return impl(evaluate(e.args[0], env))
    if isinstance(e, sp.Max | sp.Min):
        pick = _max if isinstance(e, sp.Max) else _min
        out = evaluate(e.args[0], env)
        for a in e.args[1:]:
            out = pick(out, evaluate(a, env))
        return out
    if isinstance(e, sp.Piecewise):
        hull = None
        for value, cond in e.args:
            truth = _truth(cond, env)
            if truth is False:
                continue
            v = evaluate(value, env)
            hull = v if hull is None else _hull(hull, v)
            if truth is True:
                return hull
        if hull is None:
            raise InvalidArgumentError(f"no branch of {e} applies on the box")
        return hull
    raise TypeError(f"interval arithmetic cannot evaluate {type(e).__name__} ({e})")


def _ball(lo: sp.Rational, hi: sp.Rational) -> arb:
    mid, rad = (lo + hi) / 2, (hi - lo) / 2
    if rad == 0:  # an exact point: the ball is the rational rounded at working precision
        return arb(int(mid.p)) / int(mid.q)
    return arb(int(mid.p)) / int(mid.q) + arb(0, float(rad) * (1 + 2**-40) + 2**-200)


@contextmanager
def working_precision(bits: int) -> Iterator[None]:
    """arb operations inside the block run at `bits` bits (restored afterwards).

    >>> import flint
    >>> from theory.intervals import working_precision
    >>> before = flint.ctx.prec
    >>> with working_precision(20):
    ...     third = flint.arb(1) / 3
    >>> 1e-7 < third.rad() < 1e-5, flint.ctx.prec == before
    (True, True)
    """
    with_ctx = flint.ctx.prec
    flint.ctx.prec = bits
    try:
        yield
    finally:
        flint.ctx.prec = with_ctx


def enclose(
    expr: sp.Basic, box: dict[sp.Symbol, tuple], precision: int = PRECISION_BITS
) -> arb:
    """Certified enclosure of `expr` over the box {symbol: (lo, hi)} (exact endpoints),
    computed at `precision` bits.

    >>> import sympy as sp
    >>> from theory.intervals import enclose
    >>> x = sp.Symbol("x")
    >>> ball = enclose(x**2 - x, {x: (0, 1)})  # the true range is [−1/4, 0]
    >>> float(ball.lower()) <= -0.25, float(ball.upper()) >= 0
    (True, True)
    """
    with working_precision(precision):
        env = {s: _ball(sp.Rational(lo), sp.Rational(hi)) for s, (lo, hi) in box.items()}
        return evaluate(sp.sympify(expr), env)


