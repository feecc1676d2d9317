"""docs/statements_fb.py: the [FB17] statements — their proof steps are checked, and each claim
holds numerically on random data (numpy / torch float64)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
import torch
from hypothesis import given
from hypothesis import strategies as st

from proofs_check import Expect, Obligation, Status, obligations
from proofs_check.steps import fb_counterexample, fb_prop_2_2
from theory import Source, registry
from theory.statements.fb import COUNTEREXAMPLE, PRUNING_EXPONENT, eta
from theory.symbols import n

FB_LABELS = ["fb:prop-2.1", "fb:prop-2.1-source", "fb:prop-2.2", "fb:counterexample",
             "fb:prop-2.3", "fb:thm-2.4", "fb:cor-2.5"]
# steps whose success is not "passed": negative controls and recorded defects
EXPECTED = {
    ("fb:prop-2.1-source", "step_1_plateau_counterexample"): Status.FLAGGED,
    ("fb:prop-2.2", "step_3_factor_two_control"): Status.REFUTED,
    ("fb:prop-2.2", "step_5_source_width_control"): Status.REFUTED,
    ("fb:thm-2.4", "step_6_displayed_C1_power"): Status.FLAGGED,
    ("fb:cor-2.5", "step_3_stated_rate"): Status.FLAGGED,
    ("fb:thm-2.4", "step_3_displayed_sigma_factor"): Status.FLAGGED,
    ("fb:cor-2.5", "step_6_absolute_level_with_penalty"): Status.FLAGGED,
}
USES = {"fb:thm-2.4": {"fb:prop-2.3"}, "fb:cor-2.5": {"fb:thm-2.4"}}

angles = st.floats(0, 2 * math.pi, allow_nan=False)
coefficients = st.floats(-20, 20, allow_nan=False)


def _relu(z):
    return np.maximum(z, 0.0)


def _cx_arrays() -> tuple[np.ndarray, np.ndarray]:
    X = np.array(COUNTEREXAMPLE.X.tolist(), dtype=float)
    W = np.array(COUNTEREXAMPLE.W.tolist(), dtype=float)
    theta = np.array(COUNTEREXAMPLE.theta.tolist(), dtype=float).ravel()
    return X, _relu(X @ W.T) @ theta


def _cx_risk(W: np.ndarray, theta: np.ndarray) -> float:
    # $R = \frac1N\sum_k (Y_k - \sum_i \theta_i \rho(w_i^\top x_k))^2$
    X, Y = _cx_arrays()
    return float(np.mean((Y - _relu(X @ W.T) @ theta) ** 2))


# ------------------------------------------------------------------ all labels


@pytest.mark.parametrize(
    "label", [pytest.param(lb, marks=pytest.mark.lemma(lb), id=lb) for lb in FB_LABELS]
)
def test_proof_steps_are_checked(label):
    results = [ob.check() for ob in obligations([label])]
    # the source's wording of Prop. 2.1 has one step: the counterexample that flags it
    least = 1 if label == "fb:prop-2.1-source" else 3
    assert len([r for r in results if r.step.startswith("step_")]) >= least
    for r in results:
        want = EXPECTED.get((r.label, r.step), Status.PASSED)
        assert r.status == want, (r.step, r.status, r.detail)


@pytest.mark.parametrize(
    "label", [pytest.param(lb, marks=pytest.mark.lemma(lb), id=lb) for lb in FB_LABELS]
)
def test_statement_source_uses_and_flags(label):
    statement = registry().get(label)
    assert statement.source is Source.FB17
    assert USES.get(label, set()) <= set(statement.uses)
    steps = {ob.step: ob.expect for ob in obligations([label])}
    for flag in statement.flags:  # every recorded defect names a real check of it
        assert steps.get(flag.step) in (Expect.DEFECT, Expect.REFUTATION), flag.step


@pytest.mark.lemma("fb:prop-2.2")
def test_engine_fails_a_wrong_step():
    # ‖Z‖_* = ‖U‖² + ‖V‖² (the ½ dropped), run as if it were a proof step
    wrong = Obligation("fb:prop-2.2", "wrong_factor_two", fb_prop_2_2._factor_two, Expect.PROOF)
    result = wrong.check()
    assert result.status is Status.FAILED
    assert result.counterexample is not None


@pytest.mark.lemma("fb:counterexample")
def test_engine_fails_a_risk_floor_above_the_minimum():
    # the rank-one minimum is ≈ 0.6992; claiming 0.7 must fail with a direction
    ob = fb_counterexample.IntervalBound(
        fb_counterexample.rank_one_risk_floor_expr(),
        {fb_counterexample.phi: (0, sp.Rational(355, 113))},
        lower=sp.Rational(7, 10),
    )
    outcome = ob.run()
    assert outcome.status is Status.FAILED and "phi" in outcome.counterexample


# ------------------------------------------------------------------ fb:prop-2.1


def _sublevels_connected(p: np.ndarray) -> bool:
    """Every sublevel of the piecewise-linear interpolant of nodes p is an interval."""
    for level in p:
        idx = np.flatnonzero(p <= level)
        if idx[-1] - idx[0] + 1 != len(idx):
            return False
    return True


@pytest.mark.lemma("fb:prop-2.1")
@given(st.lists(st.integers(-3, 3), min_size=3, max_size=8))
def test_strict_local_minima_are_global_when_sublevels_connected(values):
    p = np.array(values, dtype=float)
    if not _sublevels_connected(p):
        return
    for j in range(len(p)):
        neighbours = [p[k] for k in (j - 1, j + 1) if 0 <= k < len(p)]
        if all(q > p[j] for q in neighbours):
            assert p[j] == p.min()


@pytest.mark.lemma("fb:prop-2.1-source")
def test_plateau_counterexample_is_genuine():
    (result,) = [ob.check() for ob in obligations(["fb:prop-2.1-source"])
                 if ob.step == "step_1_plateau_counterexample"]
    assert result.status is Status.FLAGGED
    p = np.array([float(sp.Rational(result.counterexample[f"p_{k}"])) for k in range(5)])
    assert _sublevels_connected(p)
    assert p[0] >= p[1] <= p[2]  # a (non-strict) local minimum at node 1 …
    assert p[1] > p.min()  # … that is not global


# ------------------------------------------------------------------ fb:prop-2.2


@pytest.mark.lemma("fb:prop-2.2")
def test_nuclear_norm_variational_form(rng):
    Z = rng.standard_normal((3, 2))
    P, sigma, Qt = np.linalg.svd(Z, full_matrices=False)
    nuclear = sigma.sum()
    U, V = P * np.sqrt(sigma), Qt.T * np.sqrt(sigma)  # balanced factors
    np.testing.assert_allclose(U @ V.T, Z, atol=1e-12)
    assert math.isclose(0.5 * (np.sum(U**2) + np.sum(V**2)), nuclear, rel_tol=1e-12)
    for _ in range(20):  # any other factorization costs at least as much
        G = rng.standard_normal((2, 2)) + 2 * np.eye(2)
        U2, V2 = U @ G, V @ np.linalg.inv(G).T
        np.testing.assert_allclose(U2 @ V2.T, Z, atol=1e-10)
        assert 0.5 * (np.sum(U2**2) + np.sum(V2**2)) >= nuclear - 1e-12


@pytest.mark.lemma("fb:prop-2.2")
def test_lifted_path_stays_below_the_larger_endpoint(torch_gen):
    N, kappa = 40, 0.3
    X = torch.randn(N, 2, generator=torch_gen, dtype=torch.float64)
    Y = torch.randn(N, 2, generator=torch_gen, dtype=torch.float64)
    UA, VA, UB, VB = (torch.randn(2, 2, generator=torch_gen, dtype=torch.float64)
                      for _ in range(4))

    def objective(U, V):
        # $F = \frac1N\sum\|y - UV^\top x\|^2 + \kappa\cdot\tfrac12(\|U\|^2 + \|V\|^2)$
        return ((Y - X @ (U @ V.T).T) ** 2).sum(-1).mean() + kappa * 0.5 * (
            U.pow(2).sum() + V.pow(2).sum()
        )

    ends = max(objective(UA, VA), objective(UB, VB))
    for tt in torch.linspace(0, 1, 101, dtype=torch.float64):
        c, s = torch.sqrt(1 - tt), torch.sqrt(tt)
        U, V = torch.cat([c * UA, s * UB], 1), torch.cat([c * VA, s * VB], 1)
        assert objective(U, V) <= ends + 1e-12


# ------------------------------------------------------------- fb:counterexample


@pytest.mark.lemma("fb:counterexample")
def test_teacher_and_swap_fit_exactly():
    cx = COUNTEREXAMPLE
    for W, theta in ((cx.W, cx.theta), (cx.W_perm, cx.theta_perm)):
        risk = _cx_risk(np.array(W.tolist(), float), np.array(theta.tolist(), float).ravel())
        assert risk == 0.0
    assert not np.array_equal(np.array(cx.W.tolist()), np.array(cx.W_perm.tolist()))


@pytest.mark.lemma("fb:counterexample")
@given(angle=angles, c1=coefficients, c2=coefficients, t1=coefficients, t2=coefficients)
def test_rank_one_networks_have_risk_at_least_half(angle, c1, c2, t1, t2):
    v = np.array([math.cos(angle), math.sin(angle)])
    W = np.stack([c1 * v, c2 * v])  # rank(W) ≤ 1
    assert _cx_risk(W, np.array([t1, t2])) >= float(COUNTEREXAMPLE.risk_floor)


@pytest.mark.lemma("fb:counterexample")
def test_rank_one_floor_matches_least_squares(rng):
    # the closed form R_min(φ) equals the least-squares optimum over (a, b) in float64
    X, Y = _cx_arrays()
    floor = sp.lambdify(fb_counterexample.phi, fb_counterexample.rank_one_risk_floor_expr())
    for angle in rng.uniform(0, math.pi, 50):
        s = X @ np.array([math.cos(angle), math.sin(angle)])
        design = np.stack([_relu(s), _relu(-s)], 1)
        coef = np.linalg.lstsq(design, Y, rcond=None)[0]
        assert math.isclose(np.mean((Y - design @ coef) ** 2), floor(angle), rel_tol=1e-10)


@pytest.mark.lemma("fb:counterexample")
def test_straight_path_to_the_swap_crosses_the_floor():
    cx = COUNTEREXAMPLE
    W0, W1 = (np.array(M.tolist(), float) for M in (cx.W, cx.W_perm))
    t0, t1 = (np.array(v.tolist(), float).ravel() for v in (cx.theta, cx.theta_perm))
    top = max(_cx_risk((1 - t) * W0 + t * W1, (1 - t) * t0 + t * t1)
              for t in np.linspace(0, 1, 201))
    assert top >= float(cx.risk_floor)


# ------------------------------------------------------------------ fb:prop-2.3


def _unit(angle: float) -> np.ndarray:
    return np.array([math.cos(angle), math.sin(angle)])


@pytest.mark.lemma("fb:prop-2.3")
@given(base=angles, alpha=st.floats(0, math.pi, allow_nan=False),
       seed=st.integers(0, 2**32 - 1))
def test_linearization_bounds_on_random_data(base, alpha, seed):
    X = np.random.default_rng(seed).standard_normal((30, 2)) * [1.0, 2.5] + [0.5, -1.0]
    w1, w2 = _unit(base), _unit(base + alpha)
    wm = _unit(base + alpha / 2)  # the unit bisector
    z1, z2, zm = (_relu(X @ w) for w in (w1, w2, wm))
    bracket, norm_m = np.mean(z1 * z2), np.mean(zm**2)
    sigma_op = np.linalg.eigvalsh(X.T @ X / len(X)).max()  # ‖E XXᵀ‖
    c = math.cos(alpha)
    upper = (1 + c) / 2 * norm_m
    lower = upper - 2 * sigma_op * ((1 - c) / 2 + math.sin(alpha) ** 2)
    assert lower - 1e-12 <= bracket <= upper + 1e-12


@pytest.mark.lemma("fb:prop-2.3")
def test_gaussian_arc_cosine_kernel(torch_gen):
    # Monte Carlo check of the closed form used by step_7_gaussian_instance
    X = torch.randn(400_000, 2, generator=torch_gen, dtype=torch.float64)
    for alpha in (0.3, 1.2, 2.5):
        w1 = torch.tensor([1.0, 0.0], dtype=torch.float64)
        w2 = torch.tensor([math.cos(alpha), math.sin(alpha)], dtype=torch.float64)
        mc = (torch.relu(X @ w1) * torch.relu(X @ w2)).mean()
        closed = (math.sin(alpha) + (math.pi - alpha) * math.cos(alpha)) / (2 * math.pi)
        assert abs(float(mc) - closed) < 5e-3


# ------------------------------------------------------------------- fb:thm-2.4


@pytest.mark.lemma("fb:thm-2.4")
@given(seed=st.integers(0, 2**32 - 1), alpha=st.floats(0, 0.5, allow_nan=False))
def test_perturbation_cost_bound(seed, alpha):
    # R(W̃, β) − R(W, β) ≤ 2√R‖ΔΦ‖ + ‖ΔΦ‖², ‖ΔΦ‖ ≤ ‖β‖₁ D_X α when ‖w̃_i − w_i‖ ≤ α
    g = np.random.default_rng(seed)
    N, n_in, width = 50, 3, 4
    X = g.standard_normal((N, n_in))
    Y = g.standard_normal(N)
    W = g.standard_normal((width, n_in))
    W /= np.linalg.norm(W, axis=1, keepdims=True)
    step = g.standard_normal((width, n_in))
    W_tilde = W + alpha * step / np.linalg.norm(step, axis=1, keepdims=True)
    beta = g.standard_normal(width)
    D_X = math.sqrt(np.linalg.eigvalsh(X.T @ X / N).max())
    phi, phi_tilde = _relu(X @ W.T) @ beta, _relu(X @ W_tilde.T) @ beta
    R, R_tilde = np.mean((Y - phi) ** 2), np.mean((Y - phi_tilde) ** 2)
    delta = np.abs(beta).sum() * D_X * alpha
    assert math.sqrt(np.mean((phi_tilde - phi) ** 2)) <= delta + 1e-12
    assert R_tilde - R <= 2 * math.sqrt(R) * delta + delta**2 + 1e-12


# ------------------------------------------------------------------- fb:cor-2.5


@pytest.mark.lemma("fb:cor-2.5")
@pytest.mark.parametrize("n_in", [2, 3, 5])
def test_pruning_term_exponent_numerically(n_in):
    # l = m^η units freed, K = m/l cells of diameter K^{-1/n}: log(l·K^{-1/n})/log m
    expo = sp.lambdify(eta, PRUNING_EXPONENT.subs(n, n_in))
    for e in (0.1, 0.25, 0.5):
        m_big = 10.0**8
        l_m = m_big**e
        measured = math.log(l_m * (m_big / l_m) ** (-1 / n_in)) / math.log(m_big)
        assert math.isclose(measured, expo(e), abs_tol=1e-12)
        assert measured > -1 / n_in  # slower than the stated m^{-1/n}


# ---------------------------------------------- issue 24: the two flags of silent fixes


@pytest.mark.lemma("fb:cor-2.5")
@given(st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_absolute_level_stays_above_kappa_floor(width, seed):
    # Y = 1, ‖x‖ = 1 (so E‖X‖ = 1), κ = 0.1: every model of every width has
    # F = E(1 − Φ)² + κ‖θ‖₁ ≥ κ − κ²/4 = 0.0975 (step_6_absolute_level_with_penalty)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(64, 3))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    W = rng.normal(size=(width, 3))
    W /= np.maximum(1.0, np.linalg.norm(W, axis=1, keepdims=True))  # ‖w_i‖ ≤ 1
    theta = rng.normal(size=width) * rng.uniform(0, 3)
    phi = np.maximum(X @ W.T, 0) @ theta
    F = np.mean((1 - phi) ** 2) + 0.1 * np.abs(theta).sum()
    assert F >= 0.0975 - 1e-12
    # the floor is the bound's minimum: a one-unit model aligned with a constant input
    a_star = 0.95
    assert math.isclose((1 - a_star) ** 2 + 0.1 * a_star, 0.0975)


@pytest.mark.lemma("fb:thm-2.4")
def test_sigma_factor_is_too_small_for_small_data():
    # X = ¼e₂, w = e₁, w̃ = (cos α, sin α): the unit changes by ¼ sin α, which exceeds the
    # source's ‖Σ_X‖α = α/16 and stays below D_X α = α/4
    for alpha_ in (1e-3, 0.1, 0.5):
        change = max(0.0, 0.25 * math.sin(alpha_)) - 0.0
        assert change > alpha_ / 16
        assert change <= alpha_ / 4
    flags = {f.step for f in registry().get("fb:thm-2.4").flags}
    assert "step_3_displayed_sigma_factor" in flags
    assert "step_6_absolute_level_with_penalty" in {
        f.step for f in registry().get("fb:cor-2.5").flags}
