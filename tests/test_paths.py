"""docs/notation.md: certified segment maxima and `ll:convex-output`.

Properties on random segments of small `ReluNet`s over data from several generators:
the certified maximum is ≥ F on a 10× finer grid, the Lipschitz constant is ≥ every slope
on a fine grid, θ-only segments peak at an endpoint for convex losses — and, as negative
controls, not for the ramp and sigmoid losses. A mutation (halved Lipschitz constant) is
caught by the same coverage checker, so that test can fail.
"""

from __future__ import annotations

import math

import pytest
import sympy as sp
import torch
from conftest import assert_close
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from sklearn.datasets import make_moons

import numerics._certify as certify
from numerics import (
    BiasReluNet,
    CertificateUnavailableError,
    Dataset,
    Path,
    Problem,
    ReluNet,
    SegmentKind,
    certified_segment_max,
    has_certificate,
    path_max,
    segment_lipschitz,
    segment_values,
)
from theory.losses import Loss, get_loss
from theory.symbols import u, y

CLASSIFICATION = ("bce_logit", "logistic", "hinge")
REGRESSION = ("huber", "mse", "half_squared", "absolute")
CONVEX = CLASSIFICATION + REGRESSION
SOURCES = ("gaussian", "uniform", "heavy", "moons")
# a peaked loss: every Lipschitz bound is attained on both sides of its kink
TENT = Loss(name="tent", expr=-sp.Abs(u - y), labels=None, convex=False, lipschitz=sp.Integer(1),
            holder=None, nonnegative=False, torch_form=lambda t, p: -(p - t).abs(),
            negative_control=True, description="−|u − y| (test-only worst case)")
SEARCH = settings(max_examples=150, derandomize=True, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))


def _inputs(source: str, N: int, n: int, g: torch.Generator, seed: int) -> torch.Tensor:
    """N raw inputs from one of several generators, augmented with a constant 1."""
    if source == "moons":  # 2 moon features, padded with noise features when n − 1 > 2
        X = torch.cat([torch.tensor(make_moons(N, noise=0.2, random_state=seed)[0]),
                       torch.randn(N, max(0, n - 3), generator=g, dtype=torch.float64)],
                      dim=1)[:, : n - 1]
    elif source == "uniform":
        X = 2 * torch.rand(N, n - 1, generator=g, dtype=torch.float64) - 1
    elif source == "heavy":  # Gaussian scale mixture: heavy tails
        X = (torch.randn(N, n - 1, generator=g, dtype=torch.float64)
             * torch.randn(N, 1, generator=g, dtype=torch.float64).exp())
    else:
        X = torch.randn(N, n - 1, generator=g, dtype=torch.float64)
    return torch.cat([X, torch.ones(N, 1, dtype=torch.float64)], dim=1)


def _problem(loss: Loss, source: str, N: int, n: int, m: int, kappa: float, seed: int,
             device=None, model: str = "relu") -> Problem:
    g = torch.Generator().manual_seed(seed)
    X = _inputs(source, N, n, g, seed)
    if loss.labels is None:
        Y, task = 2 * torch.randn(N, generator=g, dtype=torch.float64), "regression"
    else:
        Y, task = torch.randint(0, 2, (N,), generator=g).to(torch.float64), "binary"
    net = ReluNet(n, m, kappa) if model == "relu" else BiasReluNet(n, m, kappa)
    return Problem.of(net, Dataset(source, X, Y, task), loss, device=device,
                      dtype=torch.float64)


@st.composite
def segments(draw, losses=CONVEX, theta_only: bool = False, S: int = 3, device=None,
             models=("relu",)):
    """(problem, a, b): S random segments of a random small ReluNet (or BiasReluNet) problem."""
    seed = draw(st.integers(0, 2**31 - 1), label="seed")
    loss = get_loss(draw(st.sampled_from(losses), label="loss"))
    source = draw(st.sampled_from(SOURCES), label="source")
    N, n, m = draw(st.integers(1, 16)), draw(st.integers(2, 4)), draw(st.integers(1, 6))
    kappa = draw(st.sampled_from([1e-3, 0.1]), label="kappa")
    scale = draw(st.sampled_from([0.3, 1.0, 4.0]), label="theta scale")
    problem = _problem(loss, source, N, n, m, kappa, seed, device,
                       draw(st.sampled_from(models), label="model"))
    net = problem.model
    g = torch.Generator().manual_seed(seed + 1)
    a = net.init(S, g, torch.float64, problem.device)
    b = net.init(S, g, torch.float64, problem.device)
    if isinstance(net, BiasReluNet):  # no constraint: scale everything
        return problem, scale * a, scale * b
    if theta_only:
        b = net.join(net.split(a)[0], net.split(b)[1])
    scale_theta = torch.ones(net.n_params, dtype=torch.float64, device=problem.device)
    scale_theta[net.m * net.n:] = scale
    return problem, a * scale_theta, b * scale_theta


@st.composite
def tent_segments(draw):
    """One θ-only segment of a 1-unit net on 1 sample, the target crossed at a drawn t*:
    the tent loss makes F a tent whose slopes equal the Lipschitz bound up to κ."""
    seed = draw(st.integers(0, 2**31 - 1), label="seed")
    t_star = draw(st.floats(0.05, 0.95), label="t*")
    g = torch.Generator().manual_seed(seed)
    X = _inputs("gaussian", 1, 2, g, seed)
    net = ReluNet(2, 1, 1e-6)
    w = X / X.norm()  # ρ(wᵀx) = ‖x‖ > 0
    theta_a, theta_b = torch.tensor([[-1.0]], dtype=torch.float64), torch.tensor([[1.0]],
                                                                                 dtype=torch.float64)
    Y = (1 - t_star) * theta_a[0] * X.norm() + t_star * theta_b[0] * X.norm()
    problem = Problem.of(net, Dataset("tent", X, Y, "regression"), TENT, dtype=torch.float64)
    return problem, net.join(w[None], theta_a), net.join(w[None], theta_b)


def coverage_violation(problem, a, b, *, grid: int, tol: float, max_points: int = 64) -> float:
    """max over segments of (max F on a uniform grid 10× finer than the points used) −
    (certified max); ≤ 0 when the certificate is sound."""
    result = certified_segment_max(problem, a, b, tol, grid=grid, max_points=max_points)
    T = 10 * int(result.points.max()) + 1
    t = torch.linspace(0, 1, T, dtype=torch.float64, device=problem.device)
    fine = segment_values(problem, a, b, t).max(-1).values
    return float((fine - result.certified).max())


@given(case=segments(models=("relu", "bias")), grid=st.integers(2, 8),
       tol=st.sampled_from([1e-4, 1e-2, 0.5]))
def test_certified_max_is_at_least_the_max_on_a_finer_grid(case, grid, tol):
    problem, a, b = case
    assert coverage_violation(problem, a, b, grid=grid, tol=tol) <= 1e-10


@given(case=segments(models=("relu", "bias")), tol=st.sampled_from([1e-3, 1e-1]))
def test_refinement_reports_convergence_honestly(case, tol):
    problem, a, b = case
    result = certified_segment_max(problem, a, b, tol, grid=5, max_points=200)
    assert (result.certified >= result.sampled).all()
    assert (result.points <= 200).all()
    for status, gap in zip(result.status, (result.certified - result.sampled).tolist(),
                           strict=True):
        assert status in ("converged", "budget")
        assert (gap <= tol) == (status == "converged")
    assert result.converged.tolist() == [s == "converged" for s in result.status]


@given(case=segments(models=("relu", "bias")))
def test_lipschitz_constant_bounds_every_slope_on_a_fine_grid(case):
    problem, a, b = case
    T = 2001
    values = segment_values(problem, a, b, torch.linspace(0, 1, T, dtype=torch.float64))
    slopes = values.diff(dim=-1).abs().max(-1).values * (T - 1)
    lipschitz = segment_lipschitz(problem, a, b)
    assert (slopes <= lipschitz * (1 + 1e-9) + 1e-12).all()


def _interior_excess(problem, a, b) -> float:
    """max over a 401-point grid minus the larger endpoint value, worst segment."""
    values = segment_values(problem, a, b, torch.linspace(0, 1, 401, dtype=torch.float64))
    return float((values.max(-1).values - values[:, [0, -1]].max(-1).values).max())


@pytest.mark.lemma("ll:convex-output")
@given(case=segments(theta_only=True))
def test_theta_segments_peak_at_an_endpoint(case):
    problem, a, b = case
    assert _interior_excess(problem, a, b) <= 1e-12
    path = path_max(problem, Path(torch.stack([a[0], b[0]]), (SegmentKind.CONVEX,)), 1e-3)
    assert path.exact
    top = float(problem.F(torch.stack([a[0], b[0]])).max())
    # the endpoint maximum plus its a-priori rounding margin (numerics/_rounding.py)
    assert top <= path.certified_max <= top + 1e-9 * (1 + abs(top))


@pytest.mark.lemma("ll:convex-output")
@pytest.mark.parametrize("loss", ["ramp", "sigmoid"])
def test_nonconvex_losses_have_theta_segments_with_an_interior_peak(loss):
    problem, a, b = find(segments(losses=(loss,), theta_only=True),
                         lambda case: _interior_excess(*case) > 1e-6, settings=SEARCH)
    assert _interior_excess(problem, a, b) > 1e-6
    with pytest.raises(ValueError, match="not convex"):
        path_max(problem, Path(torch.stack([a[0], b[0]]), (SegmentKind.CONVEX,)), 1e-3)


@pytest.mark.lemma("ll:convex-output")
@pytest.mark.parametrize("loss", CONVEX)
def test_the_same_search_finds_no_interior_peak_for_convex_losses(loss):
    with pytest.raises(NoSuchExample):
        find(segments(losses=(loss,), theta_only=True),
             lambda case: _interior_excess(*case) > 1e-6, settings=SEARCH)


def test_halved_lipschitz_constant_is_caught(monkeypatch):
    def violated(case):
        return coverage_violation(*case, grid=3, tol=1.0) > 1e-9

    with pytest.raises(NoSuchExample):
        find(tent_segments(), violated, settings=SEARCH)
    lipschitz = certify._lipschitz_from
    monkeypatch.setattr(certify, "_lipschitz_from", lambda *args: 0.5 * lipschitz(*args))
    assert violated(find(tent_segments(), violated, settings=SEARCH))


@given(case=segments())
def test_refinement_values_are_problem_F(case):
    problem, a, b = case
    seg = torch.tensor([0, 1, 2, 2])
    t = torch.tensor([0.0, 0.3, 0.7, 1.0], dtype=torch.float64)
    F, Phi = certify._evaluate(problem, a, b, seg, t)
    points = (1 - t)[:, None] * a[seg] + t[:, None] * b[seg]
    assert_close(F, problem.F(points))
    assert_close(Phi, problem.model.predict(points, problem.X))


def test_path_max_combines_exact_and_certified_segments(torch_gen):
    problem = _problem(get_loss("bce_logit"), "moons", 30, 3, 4, 1e-2, 7)
    net: ReluNet = problem.model
    A, B = net.init(2, torch_gen, torch.float64)
    theta_moved = net.join(net.split(A)[0], net.split(B)[1])
    path = Path(torch.stack([A, theta_moved, B]), (SegmentKind.CONVEX, SegmentKind.GENERAL))
    result = path_max(problem, path, 1e-4)
    F = problem.F(path.vertices)
    assert result.segments.status[0] == "exact"
    # the endpoint maximum plus its a-priori rounding margin (numerics/_rounding.py)
    top = float(F[:2].max())
    assert top <= float(result.segments.certified[0]) <= top + 1e-9
    assert result.segments.status[1] == "converged"
    assert result.certified_max >= result.sampled_max >= float(F.max())
    assert result.certified_barrier == result.certified_max - float(F[[0, -1]].max())
    assert result.normalized_length >= 1


def test_path_max_checks_the_claimed_segment_kinds(torch_gen):
    problem = _problem(get_loss("logistic"), "gaussian", 10, 3, 4, 1e-2, 3)
    A, B = problem.model.init(2, torch_gen, torch.float64)
    with pytest.raises(ValueError, match="marked convex but W changes"):
        path_max(problem, Path(torch.stack([A, B]), (SegmentKind.CONVEX,)), 1e-3)
    with pytest.raises(ValueError, match="marked constant but F goes"):
        path_max(problem, Path(torch.stack([A, B]), (SegmentKind.CONSTANT,)), 1e-3)


def test_models_without_a_bound_get_nan_never_a_number(torch_gen):
    class Linear:  # a generic flat-vector model, no Lipschitz certificate
        n_params = 3

        def predict(self, p, X):
            return p @ X.T

        def penalty(self, p):
            return p.abs().sum(-1)

        def project(self, p):
            return p

    X = torch.randn(8, 3, generator=torch_gen, dtype=torch.float64)
    problem = Problem(Linear(), X, X[:, 0], get_loss("absolute"))
    a, b = torch.randn(2, 4, 3, generator=torch_gen, dtype=torch.float64)
    assert not has_certificate(problem)
    with pytest.raises(CertificateUnavailableError, match="Linear"):
        segment_lipschitz(problem, a, b)
    result = certified_segment_max(problem, a, b, 1e-3)
    assert result.status == ("unavailable",) * 4
    assert result.certified.isnan().all() and result.sampled.isfinite().all()
    path = path_max(problem, Path(torch.stack([a[0], b[0]]), (SegmentKind.CONVEX,)), 1e-3)
    assert math.isnan(path.certified_max) and math.isnan(path.certified_barrier)


def test_bad_arguments_raise_named_errors(torch_gen):
    problem = _problem(get_loss("hinge"), "uniform", 5, 3, 2, 1e-2, 1)
    a = problem.model.init(2, torch_gen, torch.float64)
    with pytest.raises(ValueError, match="b has shape"):
        certified_segment_max(problem, a, a[:1], 1e-3)
    with pytest.raises(ValueError, match="a contains 1 NaN"):
        segment_lipschitz(problem, a.index_put((torch.tensor([0]), torch.tensor([0])),
                                               torch.tensor(math.nan, dtype=torch.float64)), a)
    with pytest.raises(ValueError, match="tol must be a positive"):
        certified_segment_max(problem, a, a, 0.0)
    with pytest.raises(ValueError, match="grid ≥ 2"):
        certified_segment_max(problem, a, a, 1e-3, grid=1)


def test_results_are_deterministic(torch_gen):
    problem = _problem(get_loss("mse"), "heavy", 12, 3, 5, 1e-3, 11)
    a, b = problem.model.init(6, torch_gen, torch.float64).split(3)
    first = certified_segment_max(problem, a, b, 1e-4)
    again = certified_segment_max(problem, a, b, 1e-4)
    for name in ("sampled", "certified", "argmax_t", "lipschitz", "points"):
        assert torch.equal(getattr(first, name), getattr(again, name)), name


@pytest.mark.cuda
@given(case=segments(device="cuda", models=("relu", "bias")), grid=st.integers(2, 8))
def test_certified_max_covers_a_finer_grid_on_cuda(case, grid):
    problem, a, b = case
    assert coverage_violation(problem, a, b, grid=grid, tol=1e-3) <= 1e-10
    cpu = Problem(problem.model, problem.X.cpu(), problem.Y.cpu(), problem.loss)
    on_cuda = segment_lipschitz(problem, a, b).cpu()
    torch.testing.assert_close(on_cuda, segment_lipschitz(cpu, a.cpu(), b.cpu()),
                               rtol=1e-12, atol=1e-12)


# ---- the second-order bound, exact in the ReLU kinks ------------------------------------

ALL_CERTIFIABLE = (*CONVEX, "ramp", "sigmoid", "huber(1/4)")


def interval_violation(problem, a, b, *, T: int = 2001) -> float:
    """max over segments of (max F on a dense float64 grid of the whole segment, taken as
    one interval) − (its interval bound); ≤ 0 when the bound is sound."""
    S = a.shape[0]
    t = torch.linspace(0, 1, T, dtype=torch.float64)
    values = segment_values(problem, a, b, t)
    seg = torch.arange(S)
    zeros, ones = torch.zeros(S, dtype=torch.float64), torch.ones(S, dtype=torch.float64)
    F0, Phi0 = certify._evaluate(problem, a, b, seg, zeros)
    F1, Phi1 = certify._evaluate(problem, a, b, seg, ones)
    bound = certify._interval_bounds(problem, a, b, seg, zeros, ones, F0, F1, Phi0, Phi1,
                                     certify._scale(problem, a, b).widen)
    return float((values.max(-1).values - bound).max())


@given(case=segments(losses=ALL_CERTIFIABLE, models=("relu", "bias")))
def test_interval_bound_is_never_below_dense_sampling(case):
    """The bound of one whole segment (no refinement to hide behind) covers F everywhere."""
    problem, a, b = case
    assert interval_violation(problem, a, b) <= 1e-10


@given(case=segments(losses=ALL_CERTIFIABLE, models=("relu", "bias")),
       tol=st.sampled_from([1e-6, 1e-3]))
def test_certified_value_is_never_below_dense_sampling(case, tol):
    problem, a, b = case
    result = certified_segment_max(problem, a, b, tol, grid=3, max_points=40)
    dense = segment_values(problem, a, b, torch.linspace(0, 1, 4001, dtype=torch.float64))
    assert (dense.max(-1).values <= result.certified + 1e-10).all()


def test_halved_second_order_excess_is_caught(monkeypatch):
    """The soundness check can fail: halving the kink-aware excess is found by the search."""
    def violated(case):
        return interval_violation(*case, T=801) > 1e-9

    cases = segments(losses=CONVEX, models=("relu", "bias"), S=1)
    with pytest.raises(NoSuchExample):
        find(cases, violated, settings=SEARCH)
    excess = certify._excess
    monkeypatch.setattr(certify, "_excess", lambda *args: 0.5 * excess(*args))
    assert violated(find(cases, violated, settings=SEARCH))


def test_second_order_refinement_converges_quadratically(torch_gen):
    """Points needed grow like tol^(-1/2), not tol^(-1): 100× smaller tol, ≤ ~10× points."""
    problem = _problem(get_loss("bce_logit"), "moons", 64, 3, 40, 1e-3, 7)
    net = problem.model
    a, b = net.init(4, torch_gen, torch.float64), net.init(4, torch_gen, torch.float64)
    coarse = certified_segment_max(problem, a, b, 1e-3, grid=5, max_points=100_000)
    fine = certified_segment_max(problem, a, b, 1e-7, grid=5, max_points=100_000)
    assert all(s == "converged" for s in coarse.status + fine.status)
    assert int(fine.points.sum()) <= 20 * int(coarse.points.sum())
