"""docs/lower_bounds.py: the certified lower bound of F on the crossing set det W = 0
(`theory.crossing`) holds at every crossing point an exact (arb) evaluation visits, is
nearly attained, and is refused where the crossing argument does not apply."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from theory.crossing import (
    CrossingArgumentError,
    barrier_lower_bound,
    best_point,
    crossing_infimum,
    objective,
)
from theory.errors import RelulandscapeError

pytestmark = pytest.mark.lemma("new:crossing-barrier")

# the fb:counterexample data: X = ±e₁, ±e₂, ±(e₁ − e₂), teacher W = I, θ = (2, 3)
X_CX = [[1.0, 0.0], [0.0, 1.0], [1.0, -1.0], [-1.0, 0.0], [0.0, -1.0], [-1.0, 1.0]]
W_CX, THETA_CX = [[1.0, 0.0], [0.0, 1.0]], [2.0, 3.0]
Y_CX = [float(np.dot(THETA_CX, np.maximum(np.array(W_CX) @ x, 0))) for x in X_CX]
KAPPA = 1e-3


@cache
def _cx_bound(loss: str = "half_squared", kappa: float = KAPPA):
    return crossing_infimum(X_CX, Y_CX, kappa, loss=loss, tol=1e-5)


def _crossing_point(phi: float, c1: float, c2: float, t1: float, t2: float):
    """A point of det W = 0: rows c_i v, v = (cos φ, sin φ)."""
    v = [math.cos(phi), math.sin(phi)]
    return [[c1 * v[0], c1 * v[1]], [c2 * v[0], c2 * v[1]]], [t1, t2]


def dense_refutation(claim: float, X, Y, kappa: float, loss: str = "half_squared",
                     points: int = 2000) -> float | None:
    """The smallest exact F (arb upper end) below `claim` at dense crossing points
    w = (v, −v), θ = (a*, b*) over a φ-grid, or None when every value is ≥ `claim`."""
    worst = None
    for phi in np.linspace(0, math.pi, points):
        W, theta = best_point(float(phi), X, Y, kappa, loss=loss)
        value = objective(W, theta, X, Y, kappa, loss)
        if value < claim:
            up = float(value.upper())
            worst = up if worst is None else min(worst, up)
    return worst


def test_counterexample_bound_is_closed_and_positive():
    bound = _cx_bound()
    assert bound.closed and 0 <= bound.upper - bound.lower <= 1e-5
    # R ≥ ½ · 0.699 on rank ≤ 1 for the half-squared loss (the mse floor, halved)
    assert 0.35 < bound.lower <= bound.upper < 0.36


def test_dense_points_never_refute_the_certified_lower_bound():
    bound = _cx_bound()
    assert dense_refutation(bound.lower, X_CX, Y_CX, KAPPA) is None


def test_negative_control_a_claim_above_an_attained_value_is_refuted():
    # the check can fail: a "lower bound" just above the attained value is caught
    bound = _cx_bound()
    refuted = dense_refutation(bound.upper + 1e-4, X_CX, Y_CX, KAPPA)
    assert refuted is not None and refuted < bound.upper + 1e-4


def test_upper_end_is_attained_at_its_angle():
    bound = _cx_bound()
    W, theta = best_point(bound.phi, X_CX, Y_CX, KAPPA)
    value = objective(W, theta, X_CX, Y_CX, KAPPA, "half_squared")
    assert bound.lower <= value.lower() and value.upper() <= bound.upper + 1e-9


def test_mse_without_penalty_matches_the_even_odd_floor():
    # an independent formula: fb:counterexample's exact rank-one floor R_min(φ), squared
    # loss, κ = 0 (proofs_check.steps.fb_counterexample), minimized on a grid
    import sympy as sp

    from proofs_check.steps.fb_counterexample import phi, rank_one_risk_floor_expr

    f = sp.lambdify(phi, rank_one_risk_floor_expr(), "math")
    grid_min = min(f(t) for t in np.linspace(0, math.pi, 20001))
    bound = _cx_bound("mse", 0.0)
    assert bound.lower <= grid_min + 1e-12
    assert grid_min - bound.lower < 2e-5


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 2 * math.pi), st.floats(-1, 1), st.floats(-1, 1),
       st.floats(-10, 10), st.floats(-10, 10))
def test_every_crossing_point_is_above_the_bound(phi, c1, c2, t1, t2):
    bound = _cx_bound()
    W, theta = _crossing_point(phi, c1, c2, t1, t2)
    if any(math.hypot(*row) > 1 for row in W):  # rounding put a row outside the ball
        return
    assert objective(W, theta, X_CX, Y_CX, KAPPA, "half_squared") >= bound.lower


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 7), st.sampled_from(["half_squared", "mse"]),
       st.sampled_from([0.0, 1e-3, 0.1]))
def test_random_data_bound_holds_and_is_nearly_attained(seed, N, loss, kappa):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, 2)).tolist()
    Y = rng.normal(size=N).tolist()
    bound = crossing_infimum(X, Y, kappa, loss=loss, tol=1e-4)
    assert bound.lower <= bound.upper
    assert dense_refutation(bound.lower, X, Y, kappa, loss, points=200) is None
    # a random crossing point too (rows inside the ball)
    W, theta = _crossing_point(*rng.uniform(0, 3, 1), *rng.uniform(-1, 1, 2),
                               *rng.normal(size=2) * 3)
    assert objective(W, theta, X, Y, kappa, loss) >= bound.lower


def test_small_budget_gives_a_valid_open_bound():
    bound = crossing_infimum(X_CX, Y_CX, KAPPA, max_boxes=5)
    assert not bound.closed and bound.lower <= _cx_bound().lower


def test_counterexample_barrier_lower_bound():
    swap = [W_CX[1], W_CX[0]]
    result = barrier_lower_bound(W_CX, THETA_CX, swap, THETA_CX[::-1], X_CX, Y_CX, KAPPA)
    assert result.det_A * result.det_B < 0
    assert result.level == pytest.approx(KAPPA * 5)
    assert 0.34 < result.barrier_lower <= result.crossing.lower - result.level


@pytest.mark.parametrize(("kwargs", "reason"), [
    ({"W_A": [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]}, "shape"),
    ({"W_A": [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]}, "shape"),
    ({"bias_A": [0.0, 0.0]}, "bias"),
    ({"W_B": [[1.0, 0.0], [0.0, 1.0]]}, "opposite signs"),
    ({"W_B": [[1.0, 0.0], [1.0, 0.0]]}, "opposite signs"),
    ({"loss": "hinge"}, "squared loss"),
    ({"W_A": [[1.5, 0.0], [0.0, 1.0]]}, "row_radius"),
    ({"X": [[1.0, float("nan")]], "Y": [0.0]}, "NaN"),
    ({"X": [[1.0, 0.0, 2.0]], "Y": [0.0]}, "shape"),
    ({"kappa": -1.0}, "kappa"),
])
def test_refusals_name_the_reason(kwargs, reason):
    args = {"W_A": W_CX, "theta_A": THETA_CX, "W_B": [W_CX[1], W_CX[0]],
            "theta_B": THETA_CX[::-1], "X": X_CX, "Y": Y_CX, "kappa": KAPPA, **kwargs}
    with pytest.raises(CrossingArgumentError, match=reason) as err:
        barrier_lower_bound(**args)
    assert isinstance(err.value, RelulandscapeError)


def test_e4_records_the_two_sided_barrier():
    import torch

    from experiments.configs import preset
    from experiments.reproduce.e4_topology import (
        _counterexample_problem,
        _crossing_text,
        crossing_lower_bound,
    )

    problem, model, p = _counterexample_problem(preset("topology-contrast", "smoke"), "cpu")
    q = model.join(*(t.flip(0) for t in model.split(p)))
    record = crossing_lower_bound(problem, model, p, q)
    F = problem.F(torch.stack([p, q]))
    assert record["certified_level"] >= float(F.max())
    assert 0.34 < record["lower_barrier"] < 0.449  # E4's certified upper bound
    assert record["crossing_risk"] + record["crossing_penalty"] == pytest.approx(
        record["crossing_upper"], abs=1e-6)
    text = _crossing_text({**record, "certified_barrier": 0.4493})
    assert f"barrier ∈ [{record['lower_barrier']:.4g}, 0.4493]" in text


def _cx_files(folder, W_B, theta_B):
    np.savez(folder / "D.npz", X=np.array(X_CX), Y=np.array(Y_CX))
    np.savez(folder / "A.npz", W=np.array(W_CX), theta=np.array(THETA_CX))
    np.savez(folder / "B.npz", W=np.array(W_B), theta=np.array(theta_B))


def _certify_lower(folder, capsys, *extra, loss="half_squared"):
    from experiments import cli

    capsys.readouterr()
    rc = cli.main(["certify", "--lower", "--model-a", str(folder / "A.npz"), "--model-b",
                   str(folder / "B.npz"), "--data", str(folder / "D.npz"), "--loss", loss,
                   "--kappa", str(KAPPA), "--out", str(folder / "cert"), *extra])
    got = capsys.readouterr()
    return rc, (got.out + got.err).strip()


def test_certify_lower_proves_the_counterexample_disconnected(tmp_path, capsys):
    import json

    _cx_files(tmp_path, [W_CX[1], W_CX[0]], THETA_CX[::-1])
    rc, out = _certify_lower(tmp_path, capsys)
    assert rc == 0 and out.startswith("certified: the level set {F ≤ λ} has A and B in "
                                      "different components"), out
    record = json.loads((tmp_path / "cert" / "lower.json").read_text())
    assert record["proved"] and record["barrier_lower"] > 0.34
    assert record["statement"] == "lb:crossing-barrier"
    direct = barrier_lower_bound(W_CX, THETA_CX, [W_CX[1], W_CX[0]], THETA_CX[::-1], X_CX,
                                 Y_CX, KAPPA, tol=1e-4)
    assert record["barrier_lower"] == direct.barrier_lower


def test_certify_lower_answers_no_bound_when_no_crossing_is_forced(tmp_path, capsys):
    # B = A up to scale: det W_A · det W_B > 0, so a path need not cross det W = 0
    _cx_files(tmp_path, [[0.5, 0.0], [0.0, 0.5]], THETA_CX)
    rc, out = _certify_lower(tmp_path, capsys)
    assert rc == 1 and out.startswith("no lower bound found: ") and "opposite signs" in out


@pytest.mark.parametrize(("loss", "shape", "reason"), [
    ("logistic", 2, "needs loss"), ("half_squared", 3, "width-2 nets")])
def test_certify_lower_refuses_outside_its_hypotheses(tmp_path, capsys, loss, shape, reason):
    W = np.eye(shape)[:2, :2] if shape == 2 else np.eye(3)
    theta = np.ones(W.shape[0])
    Y = [float(y > 1) for y in Y_CX] if loss == "logistic" else Y_CX
    np.savez(tmp_path / "D.npz", X=np.array(X_CX) if shape == 2 else np.ones((6, 3)),
             Y=np.array(Y))
    np.savez(tmp_path / "A.npz", W=W, theta=theta)
    np.savez(tmp_path / "B.npz", W=W[::-1].copy(), theta=theta)
    rc, out = _certify_lower(tmp_path, capsys, loss=loss)
    assert rc == 2 and reason in out, out
