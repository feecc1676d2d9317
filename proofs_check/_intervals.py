"""Certified interval enclosures with python-flint's `arb` balls.

`enclose(expr, box)` evaluates a sympy expression on a box of intervals with rigorous
ball arithmetic at `PRECISION_BITS` bits: the true range over the box lies inside the
returned ball. `IntervalBound` certifies lower ≤ expr ≤ upper over a box by bisection
(widest side first); a certain violation at an exact point is a counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass

import flint
import sympy as sp

from proofs_check._outcome import Outcome

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
    """Rigorous enclosure of `e` when each symbol ranges over the ball `env[symbol]`."""
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
            raise ValueError(f"no branch of {e} applies on the box")
        return hull
    raise TypeError(f"interval arithmetic cannot evaluate {type(e).__name__} ({e})")


def _ball(lo: sp.Rational, hi: sp.Rational) -> arb:
    mid, rad = (lo + hi) / 2, (hi - lo) / 2
    return arb(int(mid.p)) / int(mid.q) + arb(0, float(rad) * (1 + 2**-40) + 2**-200)


def enclose(expr: sp.Basic, box: dict[sp.Symbol, tuple]) -> arb:
    """Certified enclosure of `expr` over the box {symbol: (lo, hi)} (exact endpoints)."""
    with_ctx = flint.ctx.prec
    flint.ctx.prec = PRECISION_BITS
    try:
        env = {s: _ball(sp.Rational(lo), sp.Rational(hi)) for s, (lo, hi) in box.items()}
        return evaluate(sp.sympify(expr), env)
    finally:
        flint.ctx.prec = with_ctx


@dataclass(frozen=True)
class IntervalBound:
    """lower ≤ expr ≤ upper for every point of `box`, certified by arb with bisection.

    `box` maps each free symbol to exact (lo, hi) endpoints. At most `max_boxes` boxes are
    evaluated; leaves left uncertified make the result *undecided*. A sub-box midpoint
    where the violation is certain is returned as a counterexample.
    """

    expr: sp.Expr
    box: dict
    upper: sp.Basic | None = None
    lower: sp.Basic | None = None
    max_boxes: int = 20_000
    name: str = "interval enclosure"

    def _violation(self, value: arb) -> bool:
        up = self.upper is not None and value > enclose(self.upper, {})
        low = self.lower is not None and value < enclose(self.lower, {})
        return bool(up or low)

    def _certified(self, value: arb) -> bool:
        up = self.upper is None or value <= enclose(self.upper, {})
        low = self.lower is None or value >= enclose(self.lower, {})
        return bool(up and low)

    def run(self) -> Outcome:
        if self.upper is None and self.lower is None:
            raise ValueError("IntervalBound needs an upper or a lower bound")
        missing = sp.sympify(self.expr).free_symbols - set(self.box)
        if missing:
            raise ValueError(f"the box gives no range for {sorted(map(str, missing))}")
        stack = [{s: (sp.Rational(lo), sp.Rational(hi)) for s, (lo, hi) in self.box.items()}]
        evaluated = 0
        while stack:
            box = stack.pop()
            evaluated += 1
            if evaluated > self.max_boxes:
                return Outcome.undecided(
                    f"{len(stack) + 1} sub-boxes left uncertified after {self.max_boxes} "
                    f"evaluations at {PRECISION_BITS} bits"
                )
            if self._certified(enclose(self.expr, box)):
                continue
            midpoint = {s: (lo + hi) / 2 for s, (lo, hi) in box.items()}
            value = enclose(self.expr, {s: (v, v) for s, v in midpoint.items()})
            if self._violation(value):
                return Outcome.failed(
                    f"{self.expr} = {value.mid()} violates the bound",
                    {str(s): str(v) for s, v in midpoint.items()},
                )
            widest = max(box, key=lambda s: box[s][1] - box[s][0])
            lo, hi = box[widest]
            mid = (lo + hi) / 2
            stack += [{**box, widest: (lo, mid)}, {**box, widest: (mid, hi)}]
        return Outcome.passed(
            f"certified on {evaluated} sub-boxes at {PRECISION_BITS} bits"
        )
