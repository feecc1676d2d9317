"""Project statements beyond the sources (docs/statements_new.py).

Main statement: `new:buffer-permutation` — in the [FB17] example (`fb:counterexample`) a
width-m teacher and its unit permutation are separated by a positive barrier at student
width m, but at width m + 1 (one zero-coefficient buffer unit) `ll:buffer-transfer`
connects them at exactly zero barrier.

Notation: σ a permutation of the m units, fix(σ) its fixed points, cyc(σ) its cycles of
length ≥ 2; a transfer moves a coefficient a between two units with identical rows,
(a, 0) ↦ ((1−t)a, ta), t ∈ [0, 1]. A permutation takes m − fix(σ) + cyc(σ) transfers.
"""

from __future__ import annotations

import sympy as sp

from theory._statement import Kind, Source, Statement
from theory.statements.fb import COUNTEREXAMPLE, F, theta_sigma, theta_star
from theory.symbols import m, n

barrier_m = sp.Symbol("barrier_m", real=True)  # barrier between teacher and swap, width m
barrier_m1 = sp.Symbol("barrier_m1", real=True)  # the same at width m + 1
transfers = sp.Symbol("transfers", integer=True, nonnegative=True)
fixed = sp.Symbol("fix_sigma", integer=True, nonnegative=True)
cycles = sp.Symbol("cyc_sigma", integer=True, nonnegative=True)

STATEMENTS = (
    Statement(
        label="new:buffer-permutation",
        title="one buffer unit removes the permutation barrier of the [FB17] example",
        kind=Kind.PROPOSITION,
        source=Source.PROJECT,
        hypotheses=(sp.Eq(F(theta_star), 0), sp.Eq(F(theta_sigma), 0)),
        conclusion=sp.And(
            # the width-m barrier is fb:counterexample's, so only in its instance n = m = 2
            sp.Implies(sp.And(sp.Eq(n, 2), sp.Eq(m, 2)),
                       sp.Ge(barrier_m, COUNTEREXAMPLE.risk_floor)),
            sp.Eq(barrier_m1, 0),
            sp.Le(transfers, m - fixed + cycles),
        ),
        uses=("ll:buffer-transfer", "fb:counterexample"),
        text="Width m, in the fb:counterexample instance (n = m = 2): barrier ≥ ½. Any "
        "teacher that fits exactly, at width m + 1: copy a row into the "
        "buffer (free), transfer its coefficient (Φ and ‖θ‖₁ unchanged), repeat; a "
        "transposition takes 3 transfers, a permutation m − fix(σ) + cyc(σ).",
    ),
)
