"""The [B26] Lipschitz chain (`ll:` labels, docs/statements_ll.py): statements, steps, numerics.

Every label's proof obligations must pass (or be the expected refutation); each z3 step's
hypotheses must be satisfiable (a contradictory premise would prove anything); a wrong
step fed to the engine must fail. The numeric tests check the statements on float64
models built with the project's `ReluNet`, with the bounds taken from
`theory.statements.ll` so the statement and its test use one expression.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest
import sympy as sp
import torch
import z3
from conftest import assert_close
from hypothesis import given
from hypothesis import strategies as st

from numerics import Dataset, Problem, ReluNet, maurey_sample, prune
from proofs_check import AllOf, Obligation, Status, SympyIdentity, Z3Valid, obligations
from proofs_check._z3 import to_z3
from proofs_check.steps._ll_common import DiscreteLaw
from proofs_check.steps.ll_sampling import VARIANCE_LAW
from theory import Kind, Source, registry
from theory.losses import CATALOGUE, LossHypothesisError, get_loss
from theory.statements import ll
from theory.symbols import D_X, L, R_low, a, kappa, l, m, n, q, r

LABELS = [s.label for s in ll.STATEMENTS]
BY_LABEL = [pytest.param(label, marks=pytest.mark.lemma(label), id=label) for label in LABELS]
#: convex L-Lipschitz losses of the catalogue (ll:assumption), each with its constant L
LIPSCHITZ = [loss for loss in CATALOGUE.values()
             if loss.convex and loss.lipschitz is not None and not loss.negative_control]


def _own_obligations(label: str) -> list[Obligation]:
    """The proof-step obligations of `label` (rate obligations are tested with the rates)."""
    return [o for o in obligations([label]) if not o.step.startswith("rate_")]


def _z3_parts(method):
    if isinstance(method, AllOf):
        for part in method.parts:
            yield from _z3_parts(part)
    elif isinstance(method, Z3Valid):
        yield method


def _relu_problem_on(loss, X: torch.Tensor, Y: torch.Tensor, m_: int, kappa_: float) -> Problem:
    """A width-m_ ReluNet problem on the given float64 data (X already augmented)."""
    # targets are expanded to the batch of predictions: huber's torch form
    # (F.huber_loss) warns on broadcasting a `(N,)` target against `(B, N)` predictions
    base = loss.torch_form
    loss = replace(loss, torch_form=lambda target, pred: base(target.expand_as(pred), pred))
    task = "regression" if loss.labels is None else "binary"
    data = Dataset("ll-test", X, Y, task=task)
    return Problem.of(ReluNet(X.shape[1], m_, kappa_), data, loss, dtype=torch.float64)


def _random_data(gen: torch.Generator, N: int = 40, n_: int = 3, binary: bool = True):
    X = torch.randn(N, n_, generator=gen, dtype=torch.float64)
    X = torch.cat([X, torch.ones(N, 1, dtype=torch.float64)], dim=1)  # bias by augmentation
    if binary:
        Y = (torch.rand(N, generator=gen, dtype=torch.float64) < 0.5).double()
    else:
        Y = torch.randn(N, generator=gen, dtype=torch.float64)
    return X, Y


def _d_x(X: torch.Tensor) -> float:
    return float(torch.linalg.eigvalsh(X.T @ X / X.shape[0])[-1].sqrt())


# ------------------------------------------------------------------ statements


def test_every_ll_label_is_registered_from_b26():
    reg = registry()
    expected = {
        "ll:assumption", "ll:assumption-holder", "ll:l1-control", "ll:relu-lipschitz",
        "ll:convex-output", "ll:free-row", "ll:buffer-transfer", "ll:bridge", "ll:thm-finite",
        "ll:sphericalize", "ll:sampling", "ll:sharpness", "ll:zero-radius", "ll:thm-dimfree",
        "ll:approx-rate", "ll:pruning", "ll:thm-fixed-level", "ll:cor-moving-level",
        "ll:cor-qualitative", "ll:two-ray", "ll:cor-1d", "ll:cube-certificate", "ll:balancing",
    }
    assert set(LABELS) == expected
    for label in expected:
        st_ = reg.get(label)
        assert st_.source is Source.B26
        assert st_.kind is not Kind.DEFINITION
        assert all(u.startswith("ll:") for u in st_.uses), (label, st_.uses)
    assert reg.get("ll:thm-finite").kind is Kind.THEOREM
    assert reg.get("ll:cor-1d").kind is Kind.COROLLARY
    assert {"ll:l1-control", "ll:relu-lipschitz", "ll:assumption"} <= set(
        reg.get("ll:bridge").uses)
    assert {"ll:zero-radius", "ll:sampling"} <= set(reg.get("ll:thm-dimfree").uses)


def test_bounds_use_positive_constants():
    for sym in (kappa, L, D_X):
        assert sym.is_positive
    for sym in (m, l, q, n):
        assert sym.is_integer and sym.is_positive
    # the dimension-free bound does not contain n, the cube certificate does
    assert n not in ll.DIMFREE_BOUND.free_symbols
    assert n in ll.CUBE_BOUND.free_symbols


@pytest.mark.parametrize("label", BY_LABEL)
def test_proof_steps_check(label):
    results = [o.check() for o in _own_obligations(label)]
    kind = registry().get(label).kind
    assert len(results) >= (1 if kind is Kind.ASSUMPTION else 3), f"{label}: too few steps"
    bad = [(r.step, r.status, r.detail, r.counterexample) for r in results if not r.status.ok]
    assert not bad, bad
    flagged = [r.step for r in results if r.status is Status.FLAGGED]
    assert not flagged or registry().get(label).flags, f"{label}: {flagged} flagged, no Flag"


@pytest.mark.parametrize("label", BY_LABEL)
def test_z3_premises_are_satisfiable(label):
    # a contradictory premise would make every conclusion "valid"
    for ob in _own_obligations(label):
        for method in _z3_parts(ob.build()):
            side, exprs = [], []
            for h in method.hypotheses:
                expr, extra, _ = to_z3(h)
                exprs.append(expr)
                side += extra
            solver = z3.Solver()
            solver.set("timeout", 5000)
            solver.add(*side, *exprs)
            assert solver.check() == z3.sat, f"{label} / {ob.step}: premise is unsatisfiable"


# ---------------------------------------------------------------- ll:sampling


@pytest.mark.lemma("ll:sampling")
def test_wrong_variance_step_fails():
    """Feeding the engine E‖Z̄ − EZ‖² = (E‖Z‖² − ‖EZ‖²)/q² must fail with a counterexample."""
    law = VARIANCE_LAW
    mu = law.mean()
    wrong = (law.second_moment() - law.inner(mu, mu)) / q**2
    bad = Obligation("ll:sampling", "wrong_variance", lambda: SympyIdentity(
        law.mean_error(q), wrong, simplifier=sp.expand)).check()
    assert bad.status is Status.FAILED and bad.counterexample
    # exact enumeration at q = 2 (two atoms on one point) refutes the /q² version as well
    small = DiscreteLaw(k=2, d=1)
    nu = small.mean()
    at_two = SympyIdentity(small.mean_error_enumerated(2),
                           (small.second_moment() - small.inner(nu, nu)) / 4, simplifier=sp.expand)
    assert at_two.run().status is Status.FAILED


@pytest.mark.lemma("ll:sampling")
@given(
    weights=st.lists(st.integers(1, 9), min_size=2, max_size=4),
    values=st.lists(st.floats(-3, 3, allow_nan=False), min_size=4, max_size=4),
    q_=st.integers(1, 4),
)
def test_variance_identity_by_enumeration(weights, values, q_):
    # exact enumeration of all kᵠ draws in float64 against (E Z² − (EZ)²)/q
    k = len(weights)
    p = np.array(weights, dtype=np.float64) / sum(weights)
    z = np.array(values[:k])
    mu = float(p @ z)
    total = 0.0
    for draw in itertools.product(range(k), repeat=q_):
        total += np.prod(p[list(draw)]) * (z[list(draw)].mean() - mu) ** 2
    assert math.isclose(total, (float(p @ z**2) - mu**2) / q_, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.lemma("ll:sampling")
def test_maurey_sampling_keeps_mass_and_is_unbiased(torch_gen):
    m_, q_, draws = 12, 5, 20000
    theta = torch.randn(2, m_, generator=torch_gen, dtype=torch.float64)
    theta[:, :3] = 0.0
    a_ = theta.abs().sum(-1)
    hat = maurey_sample(theta, q_, draws, torch_gen)
    assert_close(hat.abs().sum(-1), a_[:, None].expand(-1, draws))  # ‖θ̂‖₁ = a exactly
    assert int((hat != 0).sum(-1).max()) <= q_  # ‖θ̂‖₀ ≤ q
    assert bool((hat[:, :, :3] == 0).all())  # zero coefficients are never drawn
    # E θ̂ = θ: Var θ̂_i ≤ (a/q)² q p_i ≤ a²/q, so 6 standard errors bound the mean error
    tol = 6 * a_[:, None] / math.sqrt(q_ * draws)
    assert bool(((hat.mean(1) - theta).abs() <= tol).all())


@pytest.mark.lemma("ll:sampling")
def test_maurey_l2_error_matches_the_identity(torch_gen):
    # E‖Φ̂ − Φ‖² = (a Σ|θ_i|‖ρ_i‖² − ‖Φ‖²)/q ≤ a²D_X²/q, Monte Carlo against the exact value
    X, _ = _random_data(torch_gen, N=30, n_=2)
    m_, q_, draws = 8, 3, 40000
    W = torch.randn(m_, X.shape[1], generator=torch_gen, dtype=torch.float64)
    W = W / W.norm(dim=-1, keepdim=True).clamp_min(1.0)
    theta = torch.randn(1, m_, generator=torch_gen, dtype=torch.float64)
    feats = torch.relu(X @ W.T)  # (N, m)
    Phi = feats @ theta[0]
    hat = maurey_sample(theta, q_, draws, torch_gen)[0]  # (draws, m)
    err = ((hat @ feats.T - Phi) ** 2).mean(-1)  # ‖Φ̂ − Φ‖²_{L²(P_X)} per draw
    a_ = float(theta.abs().sum())
    exact = (a_ * float(theta[0].abs() @ (feats**2).mean(0)) - float((Phi**2).mean())) / q_
    assert abs(float(err.mean()) - exact) <= 6 * float(err.std()) / math.sqrt(draws)
    bound = float((a**2 * D_X**2 / q).subs({a: a_, D_X: _d_x(X), q: q_}))
    assert exact <= bound + 1e-12


# ---------------------------------------------------------------- ll:pruning


@pytest.mark.lemma("ll:pruning")
@pytest.mark.parametrize("loss", LIPSCHITZ, ids=lambda x: x.name)
def test_pruning_bound_on_random_models(loss, torch_gen):
    X, Y = _random_data(torch_gen, binary=loss.labels is not None)
    m_, kappa_ = 16, 0.05
    problem = _relu_problem_on(loss, X, Y, m_, kappa_)
    p = problem.model.init(6, torch_gen, dtype=torch.float64)
    W, theta = problem.model.split(p)
    for l_ in (1, 4, 8, 15):
        p_pr = problem.model.join(W, prune(theta, m_ - l_))
        gap = problem.F(p_pr) - problem.F(p)
        for b in range(p.shape[0]):
            bound = ll.PRUNING_BOUND.subs({
                L: loss.lipschitz, D_X: _d_x(X), kappa: kappa_, l: l_, m: m_,
                a: float(theta[b].abs().sum()),
            })
            assert float(gap[b]) <= float(bound) + 1e-12, (l_, b)


# ----------------------------------------------------------- ll:relu-lipschitz


@pytest.mark.lemma("ll:relu-lipschitz")
@given(seed=st.integers(0, 2**31 - 1))
def test_relu_features_are_lipschitz_on_random_data(seed):
    gen = np.random.default_rng(seed)
    X = gen.standard_normal((50, 4)) * gen.uniform(0.1, 3.0, size=4)
    dx = math.sqrt(np.linalg.eigvalsh(X.T @ X / len(X))[-1])
    A, B = gen.standard_normal((2, 4))
    A /= max(1.0, np.linalg.norm(A))
    B /= max(1.0, np.linalg.norm(B))
    relu = lambda z: np.maximum(z, 0.0)  # noqa: E731
    assert np.abs(relu(X @ A) - relu(X @ B)).mean() <= dx * np.linalg.norm(A - B) + 1e-12
    assert (relu(X @ A) ** 2).mean() <= dx**2 + 1e-12


# ---------------------------------------------------------------- ll:bridge


@pytest.mark.lemma("ll:bridge")
@pytest.mark.parametrize("loss", LIPSCHITZ, ids=lambda x: x.name)
def test_bridge_bound_on_random_segments(loss, torch_gen):
    X, Y = _random_data(torch_gen, binary=loss.labels is not None)
    m_, kappa_, r_ = 6, 0.1, 0.3
    problem = _relu_problem_on(loss, X, Y, m_, kappa_)
    A = problem.model.init(8, torch_gen, dtype=torch.float64)
    W, theta = problem.model.split(A)
    step = torch.randn(W.shape, generator=torch_gen, dtype=torch.float64)
    W_hat = W + r_ * step / step.norm(dim=-1, keepdim=True)  # every row moves by exactly r
    W_hat = W_hat / W_hat.norm(dim=-1, keepdim=True).clamp_min(1.0)  # (projection: ≤ r)
    B = problem.model.join(W_hat, torch.randn(theta.shape, generator=torch_gen,
                                              dtype=torch.float64) / m_)
    ts = torch.linspace(0, 1, 101, dtype=torch.float64)
    F_path = torch.stack([problem.F((1 - t) * A + t * B) for t in ts])  # (T, batch)
    Lam = torch.maximum(problem.F(A), problem.F(B))
    for b in range(A.shape[0]):
        subs = {L: loss.lipschitz, D_X: _d_x(X), kappa: kappa_, r: r_, R_low: 0}
        bound = ll.bridge_bound(sp.Float(float(Lam[b]))).subs(subs)
        assert float(F_path[:, b].max()) <= float(bound) + 1e-12


# ----------------------------------------------------------- ll:convex-output


@pytest.mark.lemma("ll:convex-output")
def test_theta_segment_maximum_is_at_an_endpoint(torch_gen):
    X, Y = _random_data(torch_gen)
    problem = _relu_problem_on(get_loss("logistic"), X, Y, 5, 0.1)
    A = problem.model.init(4, torch_gen, dtype=torch.float64)
    W, theta = problem.model.split(A)
    B = problem.model.join(W, 3 * torch.randn(theta.shape, generator=torch_gen,
                                              dtype=torch.float64))
    ts = torch.linspace(0, 1, 51, dtype=torch.float64)
    F_path = torch.stack([problem.F((1 - t) * A + t * B) for t in ts])
    assert bool((F_path <= torch.maximum(F_path[0], F_path[-1]) + 1e-12).all())


@pytest.mark.lemma("ll:convex-output")
def test_ramp_loss_breaks_the_endpoint_maximum():
    # the negative control: F(θ) = ½(ramp(1, θ) + ramp(−1, θ)) on a feature equal to 1
    ramp = get_loss("ramp")
    y_ = torch.tensor([1.0, -1.0], dtype=torch.float64)

    def F(c: float) -> float:
        return float(ramp(y_, torch.full((2,), c, dtype=torch.float64)).mean())

    assert F(0.0) > max(F(-2.0), F(2.0))


# --------------------------------------------------- ll:free-row, ll:buffer-transfer


@pytest.mark.lemma("ll:free-row")
def test_moving_a_zero_row_changes_nothing(torch_gen):
    X, Y = _random_data(torch_gen)
    problem = _relu_problem_on(get_loss("bce_logit"), X, Y, 4, 0.1)
    p = problem.model.init(3, torch_gen, dtype=torch.float64)
    W, theta = problem.model.split(p.clone())
    theta[:, 2] = 0.0
    moved = W.clone()
    moved[:, 2] = -W[:, 0]  # anywhere in the ball
    before, after = problem.model.join(W, theta), problem.model.join(moved, theta)
    assert_close(problem.model.predict(after, X), problem.model.predict(before, X))
    assert_close(problem.F(after), problem.F(before))


@pytest.mark.lemma("ll:buffer-transfer")
def test_buffer_transfer_is_flat(torch_gen):
    X, Y = _random_data(torch_gen)
    problem = _relu_problem_on(get_loss("hinge"), X, Y, 3, 0.1)
    p = problem.model.init(2, torch_gen, dtype=torch.float64)
    W, theta = problem.model.split(p.clone())
    theta[:, 2] = 0.0
    W[:, 2] = W[:, 0]  # buffer row := row u (free, ll:free-row)
    F0 = problem.F(problem.model.join(W, theta))
    for t in torch.linspace(0, 1, 11, dtype=torch.float64):
        moved = theta.clone()
        moved[:, 0], moved[:, 2] = (1 - t) * theta[:, 0], t * theta[:, 0]
        assert_close(problem.F(problem.model.join(W, moved)), F0)


# --------------------------------------------------------------- ll:sharpness


@pytest.mark.lemma("ll:sharpness")
@pytest.mark.parametrize("M_", [3, 4, 5])
def test_best_q_term_error_on_the_isotropic_dictionary(M_):
    # X uniform on {√M e_i}: best L² error over every support of size q, by least squares
    X = math.sqrt(M_) * np.eye(M_)
    atoms = np.maximum(X, 0.0)  # atoms[k, i] = ρ(e_iᵀ x_k)
    f = atoms.mean(1)
    assert math.isclose(np.linalg.eigvalsh(X.T @ X / M_)[-1], 1.0)  # D_X = 1
    for q_ in range(1, M_):
        best_l2 = min(
            float(np.mean((atoms[:, list(S)] @ np.linalg.lstsq(atoms[:, list(S)], f,
                                                              rcond=None)[0] - f) ** 2))
            for S in itertools.combinations(range(M_), q_)
        )
        assert math.isclose(best_l2, float(ll.SHARPNESS_L2.subs({ll.M: M_, q: q_})),
                            rel_tol=1e-9)
        g = atoms[:, :q_] @ np.full(q_, 1 / M_)  # the L² optimum also meets the L¹ bound
        assert np.abs(g - f).mean() >= float(ll.SHARPNESS_L1.subs({ll.M: M_, q: q_})) - 1e-12


# ------------------------------------------------------------ ll:balancing


@pytest.mark.lemma("ll:balancing")
def test_balancing_flow_conserves_the_unit(rng):
    theta_, w = 2.0, rng.standard_normal(3) * 0.3

    def rhs(state):
        th, vec = state[0], state[1:]
        gap = float(vec @ vec) - th**2
        return np.concatenate([[th * gap], -vec * gap])

    state = np.concatenate([[theta_], w])
    product0 = theta_ * np.linalg.norm(w)
    energy = [0.5 * float(state @ state)]
    dt = 1e-3
    for _ in range(4000):  # RK4
        k1 = rhs(state)
        k2 = rhs(state + dt / 2 * k1)
        k3 = rhs(state + dt / 2 * k2)
        k4 = rhs(state + dt * k3)
        state = state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        energy.append(0.5 * float(state @ state))
    th, vec = state[0], state[1:]
    assert math.isclose(th * np.linalg.norm(vec), product0, rel_tol=1e-8)
    assert np.allclose(vec / np.linalg.norm(vec), w / np.linalg.norm(w))
    assert all(e1 <= e0 + 1e-12 for e0, e1 in itertools.pairwise(energy))
    assert math.isclose(abs(th), np.linalg.norm(vec), rel_tol=1e-3)  # balanced
    assert math.isclose(energy[-1], abs(product0), rel_tol=1e-3)  # = |a|


# ---------------------------------------------------- ll:sphericalize, ll:two-ray


@pytest.mark.lemma("ll:sphericalize")
def test_sphericalize_keeps_predictor_and_lowers_penalty(torch_gen):
    X, Y = _random_data(torch_gen)
    problem = _relu_problem_on(get_loss("absolute"), X, Y, 5, 0.2)
    p = problem.model.init(3, torch_gen, dtype=torch.float64)
    W, theta = problem.model.split(p)
    c = W.norm(dim=-1)  # ‖w_i‖ ≤ 1
    previous = problem.F(p)
    for t in torch.linspace(0, 1, 11, dtype=torch.float64):
        scale = ((1 - t) * c + t) / c  # ‖w_i(t)‖ = (1 − t)c + t
        q_t = problem.model.join(W * scale[..., None], theta / scale)
        assert_close(problem.model.predict(q_t, X), problem.model.predict(p, X))
        F_t = problem.F(q_t)
        assert bool((F_t <= previous + 1e-12).all())
        previous = F_t
    assert_close(problem.model.split(q_t)[0].norm(dim=-1), torch.ones_like(c))


@pytest.mark.lemma("ll:two-ray")
@pytest.mark.lemma("ll:cor-1d")
@given(seed=st.integers(0, 2**31 - 1))
def test_one_dimensional_models_live_on_two_rays(seed):
    gen = np.random.default_rng(seed)
    x = gen.standard_normal(30)
    w = gen.uniform(-1, 1, 7)
    theta_ = gen.standard_normal(7)
    relu = lambda z: np.maximum(z, 0.0)  # noqa: E731
    Phi = relu(np.outer(x, w)) @ theta_
    A = float(theta_[w > 0] @ w[w > 0])
    B = float(theta_[w < 0] @ -w[w < 0])
    assert np.allclose(Phi, A * relu(x) + B * relu(-x), atol=1e-12)
    assert abs(A) + abs(B) <= np.abs(theta_).sum() + 1e-12  # two rows, F not larger


# ------------------------------------------------------- ll:cube-certificate


@pytest.mark.lemma("ll:cube-certificate")
@pytest.mark.parametrize("l_", [0, 5, 20, 39])
def test_cell_merge_meets_the_certificate(l_, torch_gen):
    loss = get_loss("logistic")
    X, Y = _random_data(torch_gen, n_=1)  # augmented n = 2
    m_, kappa_ = 40, 0.05
    problem = _relu_problem_on(loss, X, Y, m_, kappa_)
    p = problem.model.init(1, torch_gen, dtype=torch.float64)
    W, theta = problem.model.split(p)
    n_ = W.shape[-1]
    k = math.floor((m_ - l_) ** (1 / n_) + 1e-12)
    cells = torch.clamp(((W[0] + 1) / 2 * k).floor().long(), 0, k - 1)  # side 2/k in [−1, 1]ⁿ
    merged = torch.zeros_like(theta)
    for cell in {tuple(c) for c in cells.tolist()}:
        members = [i for i in range(m_) if tuple(cells[i].tolist()) == cell]
        merged[0, members[0]] = theta[0, members].sum()  # onto an existing row (r = 0)
    assert int((merged != 0).sum()) <= m_ - l_
    gap = float(problem.F(problem.model.join(W, merged)) - problem.F(p))
    bound = ll.CUBE_BOUND.subs({n: n_, L: loss.lipschitz, D_X: _d_x(X), l: l_, m: m_,
                                a: float(theta.abs().sum())})
    assert gap <= float(bound) + 1e-12


# ----------------------------------------------------------- ll:thm-fixed-level


@pytest.mark.lemma("ll:thm-fixed-level")
@pytest.mark.parametrize("loss", LIPSCHITZ, ids=lambda x: x.name)
def test_zero_network_wins_when_kappa_dominates(loss, torch_gen):
    X, Y = _random_data(torch_gen, binary=loss.labels is not None)
    kappa_ = float(loss.lipschitz) * _d_x(X) * 1.0001
    problem = _relu_problem_on(loss, X, Y, 6, kappa_)
    p = problem.model.init(64, torch_gen, dtype=torch.float64) * 3
    p = problem.model.project(p)
    zero = problem.model.join(problem.model.split(p)[0], torch.zeros(64, 6, dtype=torch.float64))
    assert bool((problem.F(zero) <= problem.F(p) + 1e-12).all())


# ---------------------------------------------------------- ll:l1-control, assumptions


@pytest.mark.lemma("ll:l1-control")
@pytest.mark.parametrize("loss", LIPSCHITZ, ids=lambda x: x.name)
def test_l1_norm_is_controlled_by_the_level(loss, torch_gen):
    X, Y = _random_data(torch_gen, binary=loss.labels is not None)
    kappa_ = 0.3
    problem = _relu_problem_on(loss, X, Y, 6, kappa_)
    p = problem.model.init(32, torch_gen, dtype=torch.float64)
    a_ = problem.model.split(p)[1].abs().sum(-1)
    assert bool((a_ <= (problem.F(p) - 0.0) / kappa_ + 1e-12).all())  # R̲ = 0, ℒ ≥ 0


@pytest.mark.lemma("ll:assumption")
@pytest.mark.lemma("ll:assumption-holder")
def test_assumptions_select_the_right_losses():
    names = {loss.name for loss in LIPSCHITZ}
    assert names == {"bce_logit", "logistic", "hinge", "absolute", "huber"}
    for loss in LIPSCHITZ:
        loss.require(convex=True, lipschitz=True, needed_by="ll:assumption")
    with pytest.raises(LossHypothesisError):
        get_loss("ramp").require(convex=True, needed_by="ll:assumption")
    with pytest.raises(LossHypothesisError):
        get_loss("half_squared").require(lipschitz=True, needed_by="ll:assumption")
    holder = {x.name for x in CATALOGUE.values()
              if x.convex and x.holder is not None and x.nonnegative and x.holder[0] <= 1}
    assert {"bce_logit", "logistic", "huber", "half_squared", "mse"} == holder


# ---------------------------------------------------------- ll:cor-moving-level


@pytest.mark.lemma("ll:cor-moving-level")
@pytest.mark.lemma("ll:cor-qualitative")
def test_half_width_choice_for_every_width():
    ms = np.arange(2, 5001)
    ls = ms // 2
    qs = ms - ls
    assert (2 * qs >= ms).all() and (3 * ls >= ms).all()
    assert (1 / np.sqrt(qs) <= np.sqrt(2) / np.sqrt(ms) + 1e-15).all()
    rate = sp.lambdify(m, ll.MOVING_RATE.subs(ll.C, 1))
    assert rate(10**8) < 1e-3 < rate(10**4)  # → 0, at the m^{-1/2} pace


@pytest.mark.lemma("ll:sampling")
def test_discrete_law_product_moment_is_independence():
    law = DiscreteLaw(k=2, d=1)
    mu = law.mean()
    assert sp.expand(law.pair_moment() - law.inner(mu, mu)) == 0


# ------------------------------------------------ issue 24: the clauses the sources state

#: label → the step that checks its registered Hölder clause
HOLDER_STEPS = {
    "ll:sampling": "step_14_holder_realization",
    "ll:thm-dimfree": "step_5_holder_barrier",
    "ll:approx-rate": "step_4_holder_constant",
    "ll:cor-moving-level": "step_6_holder_rate",
    "ll:cor-weight-decay": "step_2_conclusion_derived",
}


@pytest.mark.parametrize("label", [pytest.param(lb, marks=pytest.mark.lemma(lb), id=lb)
                                   for lb in HOLDER_STEPS])
def test_holder_clause_is_registered_and_checked_from_the_registry(label):
    from proofs_check._mutate import mutants
    from proofs_check._reads import recording
    from theory.symbols import HolderDerivative

    concl = registry().get(label).conclusion
    parts = concl.args if isinstance(concl, sp.And) else (concl,)
    assert any(isinstance(p, sp.Implies) and p.args[0].has(HolderDerivative) for p in parts)
    step = next(o for o in obligations([label]) if o.step == HOLDER_STEPS[label])
    with recording() as reads:
        step.build()
    assert (label, "conclusion") in reads  # the step sees the registered clause
    # and a perturbed Hölder clause fails that step (the mutants check --mutate makes)
    holder = [mu for mu in mutants(registry().get(label))
              if mu.kind in ("exp+1/2", "reversed") and "alpha" in mu.where
              and "alpha <= 1" not in mu.where]  # the bound, not the antecedent
    assert holder
    from proofs_check._reads import replaced
    with replaced(holder[0].statement):
        assert not step.check().status.ok, holder[0].id


@pytest.mark.lemma("ll:pruning")
def test_pruning_states_the_kept_support():
    concl = registry().get("ll:pruning").conclusion
    assert sp.Le(ll.l0_hat, m - l) in concl.args
    # θ_pr = θ with ‖θ‖₀ = m no longer meets the registered conclusion
    weaker = replace(registry().get("ll:pruning"),
                     conclusion=concl.subs(m - l, m))
    from proofs_check._reads import replaced
    step = next(o for o in obligations(["ll:pruning"]) if o.step == "step_6_conclusion_derived")
    with replaced(weaker):
        assert not step.check().status.ok
