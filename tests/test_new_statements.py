"""docs/statements_new.py: `new:buffer-permutation` — the buffer schedule, its checked steps, and
both sides numerically: barrier ≥ ½ at width m, zero barrier (to rounding) at m + 1."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from conftest import assert_close
from hypothesis import given
from hypothesis import strategies as st

from numerics import ReluNet
from proofs_check import Status, obligations
from proofs_check.steps.new import Move, apply_moves, buffer_schedule
from theory import Source, registry
from theory.statements.fb import COUNTEREXAMPLE

LABEL = "new:buffer-permutation"
pytestmark = pytest.mark.lemma(LABEL)


def _tensor(M) -> torch.Tensor:
    return torch.tensor([[float(e) for e in row] for row in M.tolist()], dtype=torch.float64)


def test_proof_steps_are_checked():
    results = [ob.check() for ob in obligations([LABEL])]
    assert len(results) >= 3
    assert all(r.status is Status.PASSED for r in results), [(r.step, r.detail) for r in results]


def test_statement_uses_the_transfer_lemma_and_the_counterexample():
    statement = registry().get(LABEL)
    assert statement.source is Source.PROJECT
    assert {"ll:buffer-transfer", "fb:counterexample"} <= set(statement.uses)


@pytest.mark.parametrize("size", [2, 3, 4, 5])
def test_schedule_realizes_every_permutation(size):
    for sigma in itertools.permutations(range(size)):
        moves = buffer_schedule(sigma)
        rows, theta = apply_moves([*range(size), -1], [*(10 + i for i in range(size)), 0],
                                  moves)[-1]
        assert theta == [10 + sigma[i] for i in range(size)] + [0]
        assert rows[:size] == list(sigma)
        moved = sum(sigma[i] != i for i in range(size))
        cycles = {frozenset(c) for c in _orbits(sigma) if len(c) > 1}
        assert sum(mv.kind == "transfer" for mv in moves) == moved + len(cycles)


def _orbits(sigma):
    for start in range(len(sigma)):
        orbit, i = {start}, sigma[start]
        while i != start:
            orbit.add(i)
            i = sigma[i]
        yield orbit


def test_schedule_rejects_a_non_permutation():
    with pytest.raises(ValueError, match="sigma must be a permutation"):
        buffer_schedule([0, 0])


def test_illegal_moves_are_refused():
    with pytest.raises(ValueError, match="copy onto unit 0"):
        apply_moves(["w", "v"], [1.0, 0.0], [Move("copy", 1, 0)])
    with pytest.raises(ValueError, match="transfer between different rows"):
        apply_moves(["w", "v"], [1.0, 0.0], [Move("transfer", 0, 1)])


def _buffer_path(steps_per_move: int) -> torch.Tensor:
    """The constructed width-3 path teacher → swap, as points p = (vec W, θ), float64."""
    net = ReluNet(n=2, m=3, kappa=0.1)
    W = torch.cat([_tensor(COUNTEREXAMPLE.W), torch.zeros(1, 2, dtype=torch.float64)])
    theta = torch.cat([_tensor(COUNTEREXAMPLE.theta).ravel(), torch.zeros(1, dtype=torch.float64)])
    ts = torch.linspace(0, 1, steps_per_move, dtype=torch.float64)[1:]
    points = [net.join(W, theta)]
    for mv in buffer_schedule([1, 0]):
        W0, th0 = W.clone(), theta.clone()
        for tt in ts:  # a free row moves on a segment; a transfer splits (1−t)a, ta
            if mv.kind == "copy":
                W[mv.dst] = (1 - tt) * W0[mv.dst] + tt * W0[mv.src]
            else:
                moved = tt * th0[mv.src]
                theta[mv.src], theta[mv.dst] = th0[mv.src] - moved, th0[mv.dst] + moved
            points.append(net.join(W, theta))
    return torch.stack(points)


def test_buffer_path_has_zero_barrier_at_width_m_plus_1():
    net = ReluNet(n=2, m=3, kappa=0.1)
    X = _tensor(COUNTEREXAMPLE.X)
    path = net.validate(_buffer_path(steps_per_move=9))
    phi = net.predict(path, X)
    objective = ((phi - phi[:1]) ** 2).mean(-1) + net.penalty(path)  # teacher targets
    assert_close(objective, objective[0].expand_as(objective))
    W_end, theta_end = net.split(path[-1])
    assert_close(W_end[:2], _tensor(COUNTEREXAMPLE.W_perm))
    assert_close(theta_end[:2], _tensor(COUNTEREXAMPLE.theta_perm).ravel())
    assert float(theta_end[2]) == 0.0


@given(waypoint=st.lists(st.floats(-1, 1, allow_nan=False), min_size=6, max_size=6))
def test_width_m_paths_through_a_waypoint_have_a_positive_barrier(waypoint):
    # teacher → random waypoint → swap, straight segments: the top risk is ≥ ½
    X = np.array(COUNTEREXAMPLE.X.tolist(), dtype=float)
    ends = [(np.array(W.tolist(), float), np.array(th.tolist(), float).ravel())
            for W, th in ((COUNTEREXAMPLE.W, COUNTEREXAMPLE.theta),
                          (COUNTEREXAMPLE.W_perm, COUNTEREXAMPLE.theta_perm))]
    Y = np.maximum(X @ ends[0][0].T, 0) @ ends[0][1]
    mid = (np.array(waypoint[:4]).reshape(2, 2), 5 * np.array(waypoint[4:]))
    top = 0.0
    for (Wa, ta), (Wb, tb) in ((ends[0], mid), (mid, ends[1])):
        for tt in np.linspace(0, 1, 401):
            W, th = (1 - tt) * Wa + tt * Wb, (1 - tt) * ta + tt * tb
            top = max(top, float(np.mean((Y - np.maximum(X @ W.T, 0) @ th) ** 2)))
    assert top >= float(COUNTEREXAMPLE.risk_floor)


def test_width_m_barrier_is_conditional_on_the_counterexample_instance():
    # issue 24: barrier_m ≥ ½ holds in fb:counterexample's instance (n = m = 2) only
    import sympy as sp

    concl = registry().get(LABEL).conclusion
    cond = next(p for p in concl.args if isinstance(p, sp.Implies))
    assert set(cond.args[0].args) == set(registry().get("fb:counterexample").hypotheses)
    assert cond.args[1] == sp.Ge(sp.Symbol("barrier_m", real=True), COUNTEREXAMPLE.risk_floor)
