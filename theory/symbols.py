"""Shared sympy symbols (with declared assumptions) and predicates of docs/notation.md.

Notation: m width, n input dimension, l reference width, q = m − l sparsity,
κ penalty, L Lipschitz constant, (α, H) Hölder exponent/constant, D_X data scale,
λ level, λ̄ level bound, R̲ risk lower bound, a = ‖θ‖₁, r row radius, ε energy gap.
Predicates are unevaluated sympy booleans for the topological notions that sympy
cannot compute (connectedness, convexity, …); they make conclusions readable and typed.
"""

from __future__ import annotations

import sympy as sp
from sympy.logic.boolalg import BooleanFunction

m = sp.Symbol("m", integer=True, positive=True)
n = sp.Symbol("n", integer=True, positive=True)
l = sp.Symbol("l", integer=True, positive=True)
q = sp.Symbol("q", integer=True, positive=True)
s = sp.Symbol("s", real=True)
t = sp.Symbol("t", real=True)
u = sp.Symbol("u", real=True)
v = sp.Symbol("v", real=True)
y = sp.Symbol("y", real=True)
kappa = sp.Symbol("kappa", positive=True)
L = sp.Symbol("L", positive=True)
H = sp.Symbol("H", positive=True)
alpha = sp.Symbol("alpha", positive=True)
D_X = sp.Symbol("D_X", positive=True)
lam = sp.Symbol("lambda", real=True)
lam_bar = sp.Symbol("lambdabar", real=True)
R_low = sp.Symbol("R_low", real=True)
a = sp.Symbol("a", nonnegative=True)
r = sp.Symbol("r", nonnegative=True)
eps = sp.Symbol("epsilon", nonnegative=True)
e_l = sp.Symbol("e_l", real=True)  # e(l)
e_inf = sp.Symbol("e_inf", real=True)  # e_∞
Lam = sp.Symbol("Lambda", real=True)  # Λ


class _Predicate(BooleanFunction):
    """An unevaluated named predicate (never decided by sympy)."""

    @classmethod
    def eval(cls, *args: object) -> None:
        return None


def is_predicate(e: sp.Basic) -> bool:
    """Whether `e` is an application of a predicate made by `predicate`."""
    return isinstance(e, _Predicate)


def predicate(name: str) -> type[BooleanFunction]:
    """A new unevaluated boolean predicate class named `name`."""
    return type(name, (_Predicate,), {})


Connected = predicate("Connected")  # Connected(Ω(λ)): every sublevel set is path-connected
Convex = predicate("Convex")
LipschitzIn = predicate("LipschitzIn")
HolderDerivative = predicate("HolderDerivative")
Nonnegative = predicate("Nonnegative")
GlobalMin = predicate("GlobalMin")
Exists = predicate("Exists")
