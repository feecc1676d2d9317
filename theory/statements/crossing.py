"""The crossing lower bound of a barrier (docs/lower_bounds.py; code: `theory.crossing`).

Main statement: `new:crossing-barrier` — for the width-2 ReLU net on inputs in ℝ² without
bias (rows in the unit ball, F = R + κ‖θ‖₁, squared loss), two points whose first layers
have determinants of opposite signs are separated by barrier ≥ inf_𝒞 F − max(F(A), F(B)),
𝒞 = {det W = 0}; on E4's instance of `fb:counterexample` (half-squared loss, κ = 1/1000)
branch-and-bound certifies inf_𝒞 F ≥ 177/500, so barrier ≥ 349/1000.

Main definitions: `CrossingInstance`, `E4_INSTANCE` (the data of `fb:counterexample` with
E4's loss and κ, and the certified numbers).

Notation (docs/notation.md): 𝒞 the crossing set, top = max_t F(γ(t)) of a path γ from A to
B, F_𝒞 = inf_𝒞 F, level = max(F(A), F(B)), barrier = inf_γ top − level.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from theory._statement import Kind, Source, Statement
from theory.statements.fb import COUNTEREXAMPLE, barrier
from theory.symbols import m, n

det_A, det_B = sp.symbols("det_A det_B", real=True)  # det W at the two endpoints
top = sp.Symbol("top", real=True)  # max of F along any path from A to B
F_cross = sp.Symbol("F_cross", real=True)  # inf of F over the crossing set det W = 0
level = sp.Symbol("level", real=True)  # max(F(A), F(B))


@dataclass(frozen=True)
class CrossingInstance:
    """E4's instance of the crossing bound.

    **Arguments**
    - `X`, `W`, `theta`, `W_perm`, `theta_perm`: `fb:counterexample`'s data, teacher, swap.
    - `loss`, `kappa`: the catalogue loss and κ of E4 (`half_squared`, 1/1000).
    - `level`: F at both endpoints, exact (risk 0, penalty κ‖θ‖₁).
    - `crossing_floor`: what branch-and-bound certifies: F ≥ it on det W = 0.
    - `barrier_floor`: `crossing_floor − level`.
    """

    X: sp.ImmutableMatrix
    W: sp.ImmutableMatrix
    theta: sp.ImmutableMatrix
    W_perm: sp.ImmutableMatrix
    theta_perm: sp.ImmutableMatrix
    loss: str
    kappa: sp.Rational
    level: sp.Rational
    crossing_floor: sp.Rational
    barrier_floor: sp.Rational


_KAPPA = sp.Rational(1, 1000)
_LEVEL = _KAPPA * sum(abs(t) for t in COUNTEREXAMPLE.theta)
_FLOOR = sp.Rational(177, 500)  # the certified value is 0.35421…; attained ≈ 0.354313
E4_INSTANCE = CrossingInstance(
    X=COUNTEREXAMPLE.X, W=COUNTEREXAMPLE.W, theta=COUNTEREXAMPLE.theta,
    W_perm=COUNTEREXAMPLE.W_perm, theta_perm=COUNTEREXAMPLE.theta_perm,
    loss="half_squared", kappa=_KAPPA, level=_LEVEL, crossing_floor=_FLOOR,
    barrier_floor=_FLOOR - _LEVEL,
)

STATEMENTS = (
    Statement(
        label="new:crossing-barrier",
        title="a sign change of det W forces a crossing of det W = 0: barrier ≥ inf F "
        "there minus the level (width 2, inputs in ℝ², no bias)",
        kind=Kind.PROPOSITION,
        source=Source.PROJECT,
        hypotheses=(sp.Eq(n, 2), sp.Eq(m, 2), sp.Lt(det_A * det_B, 0)),
        conclusion=sp.And(
            sp.Ge(top, F_cross),
            sp.Ge(barrier, F_cross - level),
            sp.Ge(barrier, E4_INSTANCE.barrier_floor),
        ),
        uses=("fb:counterexample", "ll:l1-control"),
        text="t ↦ det W(γ(t)) is continuous and changes sign, so every path meets "
        "𝒞 = {det W = 0}, where W = (c₁v, c₂v), |c_i| ≤ 1, Φ = aρ(vᵀx) + bρ(−vᵀx) and "
        "κ‖θ‖₁ ≥ κ(|a| + |b|); the loss splits into a part in a and one in b, each minimized "
        "in closed form (soft threshold), and branch-and-bound over the direction φ of v "
        "encloses inf_𝒞 F in arb. E4 (half-squared loss, κ = 1/1000): inf_𝒞 F ≥ 177/500, "
        "level 1/200, barrier ≥ 349/1000. ll:l1-control makes 𝒞 ∩ {F ≤ λ} compact.",
    ),
)
