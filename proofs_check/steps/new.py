"""Obligations of the project statement `new:buffer-permutation` (docs/statements_new.py).

Main definitions: `apply_moves` (runs a schedule, refusing an illegal move). The schedule
itself (`theory.buffer.buffer_schedule(σ)`: the moves that realize a unit permutation σ
through one buffer unit, one cycle of length k taking k + 1 transfers) is the one the
numeric paths are built from.

Steps:
- the two moves keep Φ and ‖θ‖₁: |(1−t)a| + |ta| = |a| and the identical-row predictor
  identity (the `ll:buffer-transfer` checks, reused);
- the schedule of a transposition, on symbolic rows and coefficients: Φ(x) and ‖θ‖₁ equal
  at every state, the end state is the swap, 3 transfers;
- (every permutation, every m: legal, realizes σ, F constant, m − fix(σ) + cyc(σ) moves —
  the Coq theorem `registry_new_buffer_permutation`, `proofs_check/coq/Relabel.v`; the
  enumeration over S₁…S₆ that stood here is retired, and the Python schedule's own
  realization and count are tests, `tests/test_new_statements.py`);
- on the `fb:counterexample` data, width 3: the risk is exactly 0 at every state (so the
  constructed path has barrier 0), while at width 2 the barrier is ≥ ½;
- the assembly into the registered conclusion.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from proofs_check._derive import assume, derivation, used
from proofs_check._obligation import obligation
from proofs_check._reads import hypotheses
from proofs_check._sympy_methods import AllOf, SameClaim, SympyIdentity
from proofs_check.steps._fb_common import entrywise
from proofs_check.steps._ll_common import conclusion, relu
from proofs_check.steps.fb_counterexample import data_predictor
from proofs_check.steps.ll_basic import _split_l1, _split_predictor
from theory.buffer import Move, buffer_schedule
from theory.errors import InvalidArgumentError
from theory.statements.fb import COUNTEREXAMPLE, F, theta_sigma, theta_star
from theory.statements.fb import barrier as fb_barrier_symbol
from theory.statements.new import barrier_m, barrier_m1, cycles, fixed, transfers
from theory.symbols import m


def apply_moves(rows: list, theta: list, moves: Sequence[Move]) -> list[tuple[list, list]]:
    """Run `moves` on (rows, θ); returns every state visited, the start included.

    Raises `ValueError` naming the move when a copy targets a nonzero coefficient or a
    transfer joins different rows.
    """
    rows, theta = list(rows), list(theta)
    states = [(list(rows), list(theta))]
    for k, mv in enumerate(moves):
        if mv.kind == "copy":
            if theta[mv.dst] != 0:
                raise InvalidArgumentError(f"move {k} {mv}: copy onto unit {mv.dst} with θ ≠ 0")
            rows[mv.dst] = rows[mv.src]
        else:
            if rows[mv.src] != rows[mv.dst]:
                raise InvalidArgumentError(f"move {k} {mv}: transfer between different rows")
            theta[mv.dst], theta[mv.src] = theta[mv.dst] + theta[mv.src], 0
        states.append((list(rows), list(theta)))
    return states


def _transfer_count(moves: Sequence[Move]) -> int:
    return sum(mv.kind == "transfer" for mv in moves)


obligation("new:buffer-permutation", "step_1_mass_split_keeps_l1")(_split_l1)
obligation("new:buffer-permutation", "step_2_predictor_constant")(_split_predictor)


@obligation("new:buffer-permutation", "step_3_transposition_three_transfers")
def _transposition():
    # symbolic rows w₁, w₂, buffer row b, coefficients (θ₁, θ₂, 0); σ = (1 2)
    x = sp.symbols("x1 x2", real=True)
    rows = [sp.symbols(f"{p}_1:3", real=True) for p in ("w1", "w2", "b")]
    theta = [*sp.symbols("theta_1:3", real=True), sp.Integer(0)]
    moves = buffer_schedule([1, 0])
    states = apply_moves(rows, theta, moves)

    def phi(state):
        # $\Phi(x) = \sum_i \theta_i \rho(w_i^\top x)$
        return sum(c * relu(w[0] * x[0] + w[1] * x[1]) for w, c in zip(*state, strict=True))

    def l1(state):
        return sum(sp.Abs(c) for c in state[1])

    end_rows, end_theta = states[-1]
    return AllOf((
        *(SympyIdentity(phi(st), phi(states[0])) for st in states[1:]),
        *(SympyIdentity(l1(st), l1(states[0])) for st in states[1:]),
        entrywise(sp.Matrix([*end_rows[0], *end_rows[1]]), sp.Matrix([*rows[1], *rows[0]])),
        entrywise(sp.Matrix(end_theta), sp.Matrix([theta[1], theta[0], 0])),
        SympyIdentity(_transfer_count(moves), 3),
    ))


@obligation("new:buffer-permutation", "step_5_zero_risk_path_on_example")
def _zero_barrier_path():
    # width 3 on the fb:counterexample data: R = 0 exactly at every state of the swap
    # schedule (between states Φ is constant by steps 1–2), ‖θ‖₁ = ‖θ*‖₁ throughout
    cx = COUNTEREXAMPLE
    rows = [list(cx.W.row(i)) for i in range(2)] + [[0, 0]]
    theta = [*cx.theta, sp.Integer(0)]
    states = apply_moves(rows, theta, buffer_schedule([1, 0]))
    target = data_predictor(cx.X, cx.W, cx.theta)

    def risk(state):
        r = target - data_predictor(cx.X, sp.Matrix(state[0]), sp.Matrix(state[1]))
        return sum(e**2 for e in r)

    end_rows, end_theta = states[-1]
    return AllOf((
        *(SympyIdentity(risk(st), 0) for st in states),
        *(SympyIdentity(sum(abs(c) for c in st[1]), sum(abs(c) for c in cx.theta))
          for st in states),
        entrywise(sp.Matrix(end_rows[:2]), cx.W_perm),
        entrywise(sp.Matrix(end_theta[:2]), cx.theta_perm),
    ))


@obligation("new:buffer-permutation", "step_6_assembly")
def _assembly():
    # width m: fb:counterexample's registered barrier bound (its `barrier` is this pair's
    # barrier at width m), under its registered instance n = m = 2. Width m + 1: the ends
    # fit (hypotheses), F is constant along the schedule (steps 1–2, 5), so the path's top
    # is F at the start and the barrier is 0.
    # Transfers: the schedule spends k + 1 transfers on a cycle of length k (the Coq
    # theorem, Relabel.v, for every m), the cycle lengths sum to the m − fix(σ) moved
    # units, so the count is Σ(k + 1).
    # fb:counterexample's barrier holds in its instance only: its hypotheses (n = m = 2)
    # become the antecedent of the width-m clause (its registered result, used below)
    fb_barrier = conclusion("fb:counterexample")
    fb_parts = fb_barrier.args if isinstance(fb_barrier, sp.And) else (fb_barrier,)
    instance = sp.And(*hypotheses("fb:counterexample"))
    width_m = [sp.Implies(instance, p.subs(fb_barrier_symbol, barrier_m)) for p in fb_parts
               if p.has(fb_barrier_symbol)]
    claim = sp.And(*width_m, sp.Eq(barrier_m1, 0),
                   sp.Le(transfers, m - fixed + cycles))
    return AllOf((
        SameClaim(conclusion("new:buffer-permutation"), claim),
        derivation("new:buffer-permutation",
                   results=[used("fb:counterexample", {fb_barrier_symbol: barrier_m})],
                   assumed=_ASSEMBLY_ASSUMED),
    ))


_top1 = sp.Symbol("top_m1", real=True)
_k1, _k2 = sp.symbols("k_1 k_2", integer=True, nonnegative=True)  # two cycles' lengths
_ASSEMBLY_ASSUMED = (
    assume("new:buffer-permutation", "constant-schedule",
           sp.And(sp.Eq(_top1, F(theta_star)),
                  sp.Eq(barrier_m1, _top1 - sp.Max(F(theta_star), F(theta_sigma)))),
           "F is constant along the width-(m + 1) schedule (steps 1–2, 5 check every "
           "state of the n = m = 2 instance), so the path's top is F at the start; the "
           "barrier is the top above the higher end (its definition)"),
    assume("new:buffer-permutation", "cycle-count",
           sp.And(sp.Or(sp.And(sp.Eq(cycles, 0), sp.Eq(_k1 + _k2, 0)),
                        sp.And(sp.Eq(cycles, 1), _k1 >= 2, sp.Eq(_k2, 0)),
                        sp.And(sp.Eq(cycles, 2), _k1 >= 2, _k2 >= 2)),
                  sp.Eq(_k1 + _k2, m - fixed),
                  sp.Eq(transfers, sp.Piecewise((0, sp.Eq(_k1, 0)), (_k1 + 1, True))
                        + sp.Piecewise((0, sp.Eq(_k2, 0)), (_k2 + 1, True)))),
           "σ has at most two nontrivial cycles (lengths k ≥ 2) whose lengths sum to the "
           "m − fix(σ) moved units, and the schedule spends k + 1 transfers on a cycle; "
           "this z3 encoding stops at two cycles, the general count (every m, every σ by "
           "its cycles) is the Coq theorem registry_new_buffer_permutation (Relabel.v)"),
)
