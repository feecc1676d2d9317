"""z3 method: hypotheses ⇒ conclusion is valid iff hypotheses ∧ ¬conclusion is unsat.

sympy expressions are translated exactly (Rationals stay rational; a Float is refused:
floats never decide a symbolic step). Every free symbol's declared assumptions
(integer, positive, nonnegative) are added as constraints. Square roots become fresh
variables s ≥ 0 with s² = x (x^{p/2} = s^p); Abs, Max, Min, sign, Heaviside and Piecewise become If.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

import sympy as sp
import z3

from proofs_check._outcome import Outcome, Status
from theory.symbols import is_predicate

#: caps every z3 timeout while set (``check --mutate`` runs many mutants)
TIMEOUT_CAP_MS: ContextVar[int | None] = ContextVar("TIMEOUT_CAP_MS", default=None)


class _Translator:
    def __init__(self) -> None:
        self.vars: dict[sp.Symbol, z3.ArithRef] = {}
        self.side: list[z3.BoolRef] = []
        self._sqrt: dict[sp.Basic, z3.ArithRef] = {}
        self._atoms: dict[str, z3.ExprRef] = {}

    def atom(self, e: sp.Basic, boolean: bool) -> z3.ExprRef:
        """An opaque term (a predicate, an undefined function, a limit) as a z3 variable:
        equal sympy terms get the same variable, nothing else is known about it."""
        key = ("P:" if boolean else "T:") + sp.srepr(e)
        if key not in self._atoms:
            self._atoms[key] = z3.Bool(str(e)) if boolean else z3.Real(str(e))
        return self._atoms[key]

    def var(self, s: sp.Symbol) -> z3.ArithRef:
        if s not in self.vars:
            v = z3.Int(s.name) if s.is_integer else z3.Real(s.name)
            self.vars[s] = v
            if s.is_positive:
                self.side.append(v > 0)
            elif s.is_nonnegative:
                self.side.append(v >= 0)
            elif s.is_negative:
                self.side.append(v < 0)
        return self.vars[s]

    def expr(self, e: sp.Basic):
        if isinstance(e, sp.Symbol):
            return self.var(e)
        if e is sp.true:
            return z3.BoolVal(True)
        if e is sp.false:
            return z3.BoolVal(False)
        if isinstance(e, sp.Float):
            raise TypeError(f"float {e} in a symbolic obligation; use an exact Rational")
        if e is sp.pi:  # π as an unknown in the exact interval (3.14159, 3.14160)
            if "pi" not in self._atoms:
                pi = z3.Real("pi")
                self._atoms["pi"] = pi
                self.side += [pi > z3.RealVal("314159/100000"), pi < z3.RealVal("314160/100000")]
            return self._atoms["pi"]
        if is_predicate(e):
            return self.atom(e, boolean=True)
        if isinstance(e, sp.core.function.AppliedUndef | sp.Limit):
            return self.atom(e, boolean=False)
        if isinstance(e, sp.Integer):
            return z3.IntVal(int(e))
        if isinstance(e, sp.Rational):
            return z3.RealVal(f"{e.p}/{e.q}")
        if isinstance(e, sp.Add):
            return z3.Sum([self.expr(a) for a in e.args])
        if isinstance(e, sp.Mul):
            out = self.expr(e.args[0])
            for a in e.args[1:]:
                out = out * self.expr(a)
            return out
        if isinstance(e, sp.Pow):
            return self.power(e)
        if isinstance(e, sp.Abs):
            x = self.expr(e.args[0])
            return z3.If(x >= 0, x, -x)
        if isinstance(e, sp.Max | sp.Min):
            args = [self.expr(a) for a in e.args]
            out = args[0]
            for x in args[1:]:
                out = z3.If(x >= out, x, out) if isinstance(e, sp.Max) else z3.If(x <= out, x, out)
            return out
        if isinstance(e, sp.sign):
            x = self.expr(e.args[0])
            return z3.If(x > 0, 1, z3.If(x < 0, -1, 0))
        if isinstance(e, sp.Heaviside):
            x = self.expr(e.args[0])
            return z3.If(x > 0, 1, z3.If(x < 0, 0, z3.RealVal("1/2")))
        if isinstance(e, sp.Piecewise):
            out = None
            for value, cond in reversed(e.args):
                v = self.expr(value)
                out = v if out is None and cond is sp.true else z3.If(self.expr(cond), v, out)
            return out
        if isinstance(e, sp.Rel):
            lhs, rhs = self.expr(e.lhs), self.expr(e.rhs)
            return {
                sp.Eq: lambda: lhs == rhs,
                sp.Ne: lambda: lhs != rhs,
                sp.Ge: lambda: lhs >= rhs,
                sp.Gt: lambda: lhs > rhs,
                sp.Le: lambda: lhs <= rhs,
                sp.Lt: lambda: lhs < rhs,
            }[type(e)]()
        if isinstance(e, sp.And):
            return z3.And([self.expr(a) for a in e.args])
        if isinstance(e, sp.Or):
            return z3.Or([self.expr(a) for a in e.args])
        if isinstance(e, sp.Not):
            return z3.Not(self.expr(e.args[0]))
        if isinstance(e, sp.Implies):
            return z3.Implies(self.expr(e.args[0]), self.expr(e.args[1]))
        if isinstance(e, sp.Equivalent):
            parts = [self.expr(a) for a in e.args]
            return z3.And([p == parts[0] for p in parts[1:]])
        raise TypeError(f"cannot translate {type(e).__name__} ({e}) to z3")

    def power(self, e: sp.Pow):
        base, exp = e.args
        if exp.is_Integer:
            k = int(exp)
            b = self.expr(base)
            if k == 0:
                return z3.IntVal(1)
            out = b
            for _ in range(abs(k) - 1):
                out = out * b
            if k > 0:
                return out
            return 1 / (z3.ToReal(out) if out.is_int() else out)
        if exp.is_Rational and exp.q == 2:
            # x^{p/2} = (√x)^p: √x a fresh s ≥ 0 with s² = x (and x ≥ 0)
            if base not in self._sqrt:
                s = z3.FreshReal("sqrt")
                b = self.expr(base)
                self.side += [s >= 0, s * s == b, b >= 0]
                self._sqrt[base] = s
            s = self._sqrt[base]
            out = s
            for _ in range(abs(int(exp.p)) - 1):
                out = out * s
            return out if exp > 0 else 1 / out
        raise TypeError(f"cannot translate the power {e} to z3 (only integer and half-integer)")


def to_z3(expr: sp.Basic) -> tuple[z3.ExprRef, list[z3.BoolRef], dict]:
    """Translate `expr`; returns (z3 expression, side constraints, symbol map)."""
    tr = _Translator()
    out = tr.expr(expr)
    return out, tr.side, tr.vars


@dataclass(frozen=True)
class Z3Valid:
    """hypotheses ⇒ conclusion over the reals (integers for integer symbols).

    unsat negation → passed; sat → failed with z3's model as counterexample;
    unknown (timeout or incompleteness) → undecided.
    """

    hypotheses: Sequence[sp.Basic]
    conclusion: sp.Basic
    timeout_ms: int = 20_000
    name: str = "z3"
    extra: Sequence[z3.BoolRef] = field(default=(), compare=False)

    def run(self) -> Outcome:
        tr = _Translator()
        hyps = [tr.expr(h) for h in self.hypotheses]
        concl = tr.expr(self.conclusion)
        solver = z3.Solver()
        cap = TIMEOUT_CAP_MS.get()
        solver.set("timeout", self.timeout_ms if cap is None else min(cap, self.timeout_ms))
        solver.add(*tr.side, *hyps, *self.extra, z3.Not(concl))
        result = solver.check()
        if result == z3.unsat:
            return Outcome.passed("negation is unsat")
        if result == z3.sat:
            model = solver.model()
            point = {
                str(s): str(model.eval(v, model_completion=True)) for s, v in tr.vars.items()
            }
            return Outcome.failed("negation is sat: z3 found a counterexample", point)
        return Outcome.undecided(f"z3 returned unknown ({solver.reason_unknown()})")


@dataclass(frozen=True)
class Z3Witness:
    """The constraints have a common solution: sat → passed with z3's model as the witness;
    unsat → failed; unknown → undecided. Used to exhibit a counterexample to a source's
    claim (a recorded defect)."""

    constraints: Sequence[sp.Basic]
    timeout_ms: int = 20_000
    name: str = "z3 witness"

    def run(self) -> Outcome:
        tr = _Translator()
        parts = [tr.expr(c) for c in self.constraints]
        solver = z3.Solver()
        cap = TIMEOUT_CAP_MS.get()
        solver.set("timeout", self.timeout_ms if cap is None else min(cap, self.timeout_ms))
        solver.add(*tr.side, *parts)
        result = solver.check()
        if result == z3.sat:
            model = solver.model()
            point = {
                str(s): str(model.eval(v, model_completion=True)) for s, v in tr.vars.items()
            }
            return Outcome(Status.PASSED, "z3 found a witness", point)
        if result == z3.unsat:
            return Outcome.failed("the constraints have no common solution")
        return Outcome.undecided(f"z3 returned unknown ({solver.reason_unknown()})")
