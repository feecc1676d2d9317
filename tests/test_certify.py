"""Certified maxima on small hand-made and seeded segments (fast enough for every mutant
of `numerics._certify`, mutation.toml).

- soundness: the certified maximum is ≥ F at every point of a dense float64 sample of the
  segment, the sampled maximum is a value of F, for every certifiable loss and both models;
- tightness, where the bounds of the module docstring are exact: on a segment where F is
  affine and increasing the Lipschitz constant is F(1) − F(0), and on a symmetric concave
  quadratic segment the second-order bound is max(F⁰, F¹) + |b|/8, the true maximum;
- the records (`SegmentMax`, `PathMax`), `path_max`'s exact segments, and refusals that
  name the bad argument;
- on hand-made units with dyadic numbers: bounds that are exact for either slope sign (the
  kink and curvature terms of the second-order bound, the output enclosure behind ℓ), the
  refinement's thresholds at the tolerance boundary, the whole-segment bound, ties, the
  budget spent to the last point, `_rank_within` against brute force, memory blocks within
  `_BLOCK_ELEMENTS`, float64 and device handling (a `cuda` test, skipped without a GPU).
"""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch
from _problems import gaussian_problem

from numerics import (
    BiasReluNet,
    CertificateUnavailableError,
    FlatModel,
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
from numerics._certify import PathMax, SegmentMax
from theory.losses import get_loss

# every test here is a small oracle-checked case, run against the mutants of
# numerics._certify (mutation.toml)
pytestmark = pytest.mark.fast

F64 = torch.float64
CONVEX = ("bce_logit", "logistic", "hinge", "huber", "mse", "half_squared", "absolute")
LIPSCHITZ_ONLY = ("ramp", "sigmoid")


@pytest.fixture
def float_bounds(monkeypatch):
    """Certified values without the a-priori rounding margin (`numerics._rounding`), for the
    tests that pin the float64 refinement's arithmetic exactly; tests/test_rounding.py tests
    the margin."""
    from numerics import _rounding

    monkeypatch.setattr(_rounding.Scale, "add_to", lambda self, certified, f_abs: certified)


def _ends(problem: Problem, S: int, seed: int, scale: float = 2.0):
    g = torch.Generator().manual_seed(seed)
    a = problem.model.init(S, g, F64)
    b = problem.model.init(S, g, F64)
    if isinstance(problem.model, ReluNet):  # θ larger than the unit rows: real bumps
        m, n = problem.model.m, problem.model.n
        s = torch.ones(problem.model.n_params, dtype=F64)
        s[m * n:] = scale
        return a * s, b * s
    return scale * a, scale * b


def _dense(problem, a, b, n=801):
    t = torch.linspace(0, 1, n, dtype=F64)
    return problem.F((1 - t)[:, None] * a + t[:, None] * b)


# ---- soundness -------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["relu", "bias"])
@pytest.mark.parametrize("loss", CONVEX + LIPSCHITZ_ONLY)
def test_certified_max_is_above_every_dense_sample(loss, model):
    problem = gaussian_problem(loss, model, seed=len(loss))
    a, b = _ends(problem, 3, seed=len(loss) + 1)
    for tol, grid in ((1e-3, 5), (0.2, 2)):
        rows = certified_segment_max(problem, a, b, tol, grid=grid, max_points=512)
        assert rows.certified.dtype == rows.sampled.dtype == F64
        assert rows.tol == tol and len(rows.status) == 3
        for s in range(3):
            dense = _dense(problem, a[s], b[s])
            assert float(rows.certified[s]) >= float(dense.max()) - 1e-12, (tol, grid, s)
            # the sampled maximum is F at the recorded t, and below the true maximum
            t = rows.argmax_t[s]
            at = problem.F(((1 - t) * a[s] + t * b[s])[None])[0]
            assert float(rows.sampled[s]) == pytest.approx(float(at), rel=1e-12, abs=1e-14)
            assert float(rows.sampled[s]) <= float(rows.certified[s])
            assert float(rows.sampled[s]) >= float(max(dense[0], dense[-1])) - 1e-12
            assert grid <= int(rows.points[s]) <= 512
            if rows.status[s] == "converged":
                assert float(rows.certified[s] - rows.sampled[s]) <= tol
            else:
                assert rows.status[s] == "budget" and int(rows.points[s]) > 512 - 2 * grid
            # a Lipschitz constant of the whole segment is ≥ every slope of F on it
            slopes = dense.diff().abs() * (dense.numel() - 1)
            assert float(rows.lipschitz[s]) >= float(slopes.max()) - 1e-9


@pytest.mark.parametrize("loss", ["hinge", "ramp", "bce_logit"])
def test_segment_lipschitz_bounds_every_slope(loss):
    problem = gaussian_problem(loss, seed=3)
    a, b = _ends(problem, 4, seed=4)
    ell = segment_lipschitz(problem, a, b)
    assert ell.shape == (4,) and ell.dtype == F64
    for s in range(4):
        dense = _dense(problem, a[s], b[s], 2001)
        assert float(ell[s]) >= float((dense.diff().abs() * 2000).max()) - 1e-9
    # the same constants as certified_segment_max records
    rows = certified_segment_max(problem, a, b, 1e-2)
    torch.testing.assert_close(rows.lipschitz, ell, rtol=1e-12, atol=0)


def test_a_tight_tolerance_converges_and_a_small_budget_is_reported():
    problem = gaussian_problem("half_squared", seed=5)
    a, b = _ends(problem, 2, seed=6)
    tight = certified_segment_max(problem, a, b, 1e-6, max_points=100_000)
    assert tight.status == ("converged", "converged")
    assert bool(((tight.certified - tight.sampled) <= 1e-6).all())
    small = certified_segment_max(problem, a, b, 1e-9, grid=3, max_points=3)
    assert small.status == ("budget", "budget") and small.points.tolist() == [3, 3]
    for s in range(2):
        assert float(small.certified[s]) >= float(_dense(problem, a[s], b[s]).max()) - 1e-12
    # more points never give a worse certificate
    more = certified_segment_max(problem, a, b, 1e-9, grid=3, max_points=40)
    assert bool((more.certified <= small.certified + 1e-12).all())
    assert bool((more.sampled >= small.sampled).all())


def test_stop_above_stops_refining_only_the_segments_above():
    problem = gaussian_problem("bce_logit", seed=7)
    a, b = _ends(problem, 3, seed=8)
    free = certified_segment_max(problem, a, b, 1e-4)
    limit = float(free.sampled.median())
    rows = certified_segment_max(problem, a, b, 1e-4, stop_above=limit)
    for s in range(3):
        above = float(rows.sampled[s]) > limit
        assert (rows.status[s] == "above") == above
        assert float(rows.certified[s]) >= float(_dense(problem, a[s], b[s]).max()) - 1e-12
        if not above:  # untouched by the limit
            assert float(rows.certified[s]) == float(free.certified[s])
            assert rows.status[s] == free.status[s]
    per = certified_segment_max(problem, a, b, 1e-4,
                                stop_above=torch.tensor([math.inf, -math.inf, math.inf]))
    assert per.status[1] == "above" and per.status[0] == free.status[0]


# ---- tightness -------------------------------------------------------------------------


def _affine_increasing(model: str):
    """One unit per sample direction with W (and b) fixed, θ (and θ₀) increasing and
    positive, Φ above every target: F is affine in t, and every bound is attained."""
    X = torch.tensor([[1.0, 0.5, 1.0], [0.2, 1.0, 1.0]], dtype=F64)
    Y = torch.tensor([-5.0, -4.0], dtype=F64)
    kappa = 0.1
    if model == "relu":
        net = ReluNet(3, 2, kappa)
        W = torch.tensor([[[0.6, 0.0, 0.8], [0.0, 0.6, 0.8]]], dtype=F64)
        a = net.join(W, torch.tensor([[0.5, 1.0]], dtype=F64))
        b = net.join(W, torch.tensor([[1.5, 1.25]], dtype=F64))
    else:
        net = BiasReluNet(3, 2, kappa)
        W = torch.tensor([[[0.6, 0.0, 0.8], [0.0, 0.6, 0.8]]], dtype=F64)
        c = torch.tensor([[0.1, 0.3]], dtype=F64)
        a = net.join(W, c, torch.tensor([[0.5, 1.0]], dtype=F64), torch.tensor([[0.2]], dtype=F64))
        b = net.join(W, c, torch.tensor([[1.5, 1.25]], dtype=F64), torch.tensor([[0.7]],
                                                                                  dtype=F64))
    problem = Problem(net, X, Y, get_loss("absolute"))
    return problem, a, b


@pytest.mark.parametrize("model", ["relu", "bias"])
def test_the_lipschitz_constant_is_exact_on_an_affine_segment(model):
    problem, a, b = _affine_increasing(model)
    Fa, Fb = problem.F(a), problem.F(b)
    ell = segment_lipschitz(problem, a, b)
    assert float(Fb - Fa) > 0
    assert float(ell[0]) == pytest.approx(float(Fb - Fa), rel=1e-12)
    # an affine F peaks at the end: certified = sampled = F(1) on the initial grid alone
    rows = certified_segment_max(problem, a, b, 1e-9, grid=4)
    assert float(rows.certified[0]) == pytest.approx(float(Fb[0]), rel=1e-12)
    assert float(rows.sampled[0]) == float(Fb[0]) and float(rows.argmax_t[0]) == 1.0
    assert rows.points.tolist() == [4] and rows.status == ("converged",)


def test_the_second_order_bound_is_exact_on_a_symmetric_concave_segment():
    """One unit, one sample, absolute loss with Φ above y: F = Φ − y + κθ, Φ = θ·z with θ
    rising and z falling symmetrically, so F is a concave parabola with F(0) = F(1) whose
    peak is max(F⁰, F¹) + |b|/8, b = 2·δθ·δz."""
    net = ReluNet(2, 1, 1e-12)  # κθ is affine but tilts the parabola: keep it negligible
    X = torch.tensor([[1.0, 0.0]], dtype=F64)
    a = net.join(torch.tensor([[[0.9, 0.1]]], dtype=F64), torch.tensor([[1.0]], dtype=F64))
    b = net.join(torch.tensor([[[0.3, 0.1]]], dtype=F64), torch.tensor([[3.0]], dtype=F64))
    # z: 0.9 → 0.3, θ: 1 → 3; Φ = θz: 0.9 → 0.9, peak at u = ½ (θ = 2, z = 0.6): 1.2
    problem = Problem(net, X, torch.tensor([-1.0], dtype=F64), get_loss("absolute"))
    Fa, Fb = float(problem.F(a)[0]), float(problem.F(b)[0])
    peak = float(_dense(problem, a[0], b[0]).max())
    curvature = abs(2 * (3.0 - 1.0) * (0.3 - 0.9))
    # the κθ term is affine: its chord adds κ·(θ(½) − (θ⁰ + θ¹)/2) = 0 at the peak
    assert peak == pytest.approx(max(Fa, Fb) + curvature / 8, rel=1e-10)
    rows = certified_segment_max(problem, a, b, 1e-9, grid=3)  # the grid holds u = ½
    assert float(rows.certified[0]) == pytest.approx(peak, rel=1e-10)
    assert rows.points.tolist() == [3] and rows.status == ("converged",)
    assert float(rows.argmax_t[0]) == 0.5
    # from the ends alone, refinement samples u = ½ first and certifies the peak
    two = certified_segment_max(problem, a, b, 1e-6, grid=2)
    assert float(two.certified[0]) == pytest.approx(peak, abs=1e-6)
    assert float(two.sampled[0]) == pytest.approx(peak, rel=1e-10)
    assert float(two.argmax_t[0]) == 0.5 and two.status == ("converged",)


def test_a_kink_is_bounded_by_its_jump():
    """θ fixed negative, z crossing 0 at u* = ¼: F = −θρ(z)… has a kink whose excess is
    |J|·u*(1 − u*); the certificate must cover the dense maximum and converge fast."""
    net = ReluNet(2, 1, 1e-3)
    X = torch.tensor([[1.0, 0.0]], dtype=F64)
    a = net.join(torch.tensor([[[-0.25, 0.5]]], dtype=F64), torch.tensor([[-2.0]], dtype=F64))
    b = net.join(torch.tensor([[[0.75, 0.5]]], dtype=F64), torch.tensor([[-2.0]], dtype=F64))
    for loss in ("absolute", "half_squared", "hinge"):
        Y = torch.tensor([1.0 if loss == "hinge" else 3.0], dtype=F64)
        problem = Problem(net, X, Y, get_loss(loss))
        rows = certified_segment_max(problem, a, b, 1e-6, grid=2, max_points=64)
        dense = _dense(problem, a[0], b[0], 4001)
        assert float(rows.certified[0]) >= float(dense.max()) - 1e-12
        assert rows.status == ("converged",), loss


# ---- records and paths -----------------------------------------------------------------


def _rows(n: int, offset: float = 0.0) -> SegmentMax:
    v = torch.arange(n, dtype=F64) + offset
    return SegmentMax(v, v + 0.5, v / 10, v * 2, torch.arange(n) + 3,
                      tuple(("converged", "exact", "budget", "above")[i % 4] for i in range(n)),
                      0.01 * (1 + offset))


def test_segment_records_select_concatenate_and_report_convergence():
    rows = _rows(4)
    picked = rows.select([2, 0])
    assert picked.sampled.tolist() == [2.0, 0.0] and picked.certified.tolist() == [2.5, 0.5]
    assert picked.argmax_t.tolist() == [0.2, 0.0] and picked.lipschitz.tolist() == [4.0, 0.0]
    assert picked.points.tolist() == [5, 3] and picked.status == ("budget", "converged")
    assert picked.tol == rows.tol
    assert rows.converged.tolist() == [True, True, False, False]
    both = SegmentMax.cat([_rows(2), _rows(1, offset=10.0)])
    assert both.sampled.tolist() == [0.0, 1.0, 10.0] and both.points.tolist() == [3, 4, 3]
    assert both.status == ("converged", "exact", "converged") and both.tol == 0.11
    assert both.certified.tolist() == [0.5, 1.5, 10.5] and both.lipschitz.tolist() == [0, 2, 20]
    assert both.argmax_t.tolist() == [0.0, 0.1, 1.0]
    with pytest.raises(ValueError, match=r"^parts must hold at least one SegmentMax$"):
        SegmentMax.cat([])


def test_path_records():
    path = Path(torch.tensor([[0.0, 0.0], [3.0, 4.0], [3.0, 0.0]], dtype=F64),
                (SegmentKind.GENERAL, SegmentKind.GENERAL))
    rows = dataclasses.replace(_rows(2), sampled=torch.tensor([1.0, 2.5], dtype=F64),
                               certified=torch.tensor([1.5, 2.75], dtype=F64))
    record = PathMax(path, torch.tensor([1.0, 0.5, 2.0], dtype=F64), rows)
    assert record.sampled_max == 2.5 and record.certified_max == 2.75
    assert record.endpoint_max == 2.0
    assert record.sampled_barrier == 0.5 and record.certified_barrier == 0.75
    assert record.normalized_length == path.normalized_length() == 9 / 3
    assert not record.exact
    nan = dataclasses.replace(rows, certified=torch.tensor([1.5, math.nan], dtype=F64))
    assert math.isnan(PathMax(path, record.F_vertices, nan).certified_max)
    exact = dataclasses.replace(rows, status=("exact", "exact"))
    assert PathMax(path, record.F_vertices, exact).exact


def test_path_max_takes_exact_segments_at_their_ends_and_certifies_the_others(float_bounds):
    problem = gaussian_problem("hinge", seed=9)
    net = problem.model
    a, b = _ends(problem, 2, seed=10)
    W0, th0 = net.split(a[:1])
    W1, th1 = net.split(b[:1])
    # convex: W fixed, θ moves; general: W moves; the vertices in a shuffled order of kinds
    V = torch.cat([net.join(W0, th0), net.join(W0, th1), net.join(W1, th1), net.join(W1, th0)])
    kinds = (SegmentKind.CONVEX, SegmentKind.GENERAL, SegmentKind.CONVEX)
    result = path_max(problem, Path(V, kinds), 1e-4)
    F = problem.F(V)
    seg = result.segments
    assert seg.status[0] == seg.status[2] == "exact" and seg.status[1] in ("converged", "budget")
    for j in (0, 2):
        top = float(torch.maximum(F[j], F[j + 1]))
        assert float(seg.sampled[j]) == float(seg.certified[j]) == top
        assert float(seg.argmax_t[j]) == float(F[j + 1] > F[j])
        assert math.isnan(float(seg.lipschitz[j])) and int(seg.points[j]) == 2
        assert float(_dense(problem, V[j], V[j + 1]).max()) <= top + 1e-12
    alone = certified_segment_max(problem, V[1:2], V[2:3], 1e-4)
    assert float(seg.certified[1]) == float(alone.certified[0])
    assert torch.equal(result.F_vertices, F) and not result.exact
    assert result.certified_max == float(seg.certified.max())
    # a constant segment (F equal at both ends) is exact too
    const = path_max(problem, Path(V[[1, 1]], (SegmentKind.CONSTANT,)),
                     1e-4)
    assert const.exact and const.segments.status == ("exact",)


def test_path_max_checks_what_a_kind_claims():
    problem = gaussian_problem("hinge", seed=11)
    a, b = _ends(problem, 1, seed=12)
    V = torch.cat([a, b])
    with pytest.raises(ValueError, match=r"^path segment 0 is marked convex but W changes "
                       r"along it$"):
        path_max(problem, Path(V, (SegmentKind.CONVEX,)), 1e-3)
    Fa, Fb = (float(x) for x in problem.F(V))
    with pytest.raises(ValueError, match=rf"^path segment 0 is marked constant but F goes "
                       rf"from {Fa:.12g} to {Fb:.12g}$"):
        path_max(problem, Path(V, (SegmentKind.CONSTANT,)), 1e-3)
    # a convex segment needs a convex loss
    ramp = gaussian_problem("ramp", seed=11)
    W, th = ramp.model.split(a)
    Vc = torch.cat([a, ramp.model.join(W, th * 2)])
    with pytest.raises(ValueError, match="convex"):
        path_max(ramp, Path(Vc, (SegmentKind.CONVEX,)), 1e-3)
    with pytest.raises(ValueError, match=r"^path.vertices has shape"):
        path_max(problem, Path(V[:, :-1], (SegmentKind.GENERAL,)), 1e-3)


def test_path_max_certifies_every_segment_of_a_bias_net():
    problem = gaussian_problem("hinge", "bias", seed=13)
    a, _ = _ends(problem, 1, seed=14)
    W, c, th, th0 = problem.model.split(a)
    V = torch.cat([a, problem.model.join(W, c, 2 * th, th0)])
    result = path_max(problem, Path(V, (SegmentKind.CONVEX,)), 1e-4)
    assert result.segments.status[0] in ("converged", "budget")  # kinds unchecked


# ---- values, availability and refusals -------------------------------------------------


def test_segment_values_along_shared_and_per_segment_positions():
    problem = gaussian_problem("logistic", seed=15)
    a, b = _ends(problem, 2, seed=16)
    t = torch.tensor([0.0, 0.3, 1.0], dtype=F64)
    values = segment_values(problem, a, b, t)
    assert values.shape == (2, 3)
    for s in range(2):
        expected = problem.F((1 - t)[:, None] * a[s] + t[:, None] * b[s])
        torch.testing.assert_close(values[s], expected, rtol=1e-13, atol=1e-13)
    per = segment_values(problem, a, b, torch.tensor([[0.0, 1.0], [1.0, 0.5]], dtype=F64))
    assert float(per[0, 0]) == pytest.approx(float(problem.F(a[:1])[0]), rel=1e-13)
    assert float(per[1, 0]) == pytest.approx(float(problem.F(b[1:])[0]), rel=1e-13)
    with pytest.raises(ValueError, match=r"^t has shape \(3, 2\), expected \(2, \*\)$"):
        segment_values(problem, a, b, torch.zeros(3, 2, dtype=F64))
    with pytest.raises(ValueError, match=r"^t contains \d+ NaN/Inf"):
        segment_values(problem, a, b, torch.tensor([0.0, math.nan], dtype=F64))


def test_problems_without_a_certificate():
    flat = FlatModel(2, lambda p, X: (p @ X.T) ** 2)
    X = torch.ones(3, 2, dtype=F64)
    problem = Problem(flat, X, torch.zeros(3, dtype=F64), get_loss("half_squared"))
    assert not has_certificate(problem)
    with pytest.raises(CertificateUnavailableError, match=r"^model FlatModel provides no "
                       r"explicit Lipschitz bound along segments"):
        segment_lipschitz(problem, torch.zeros(1, 2, dtype=F64), torch.ones(1, 2, dtype=F64))
    a, b = torch.zeros(2, 2, dtype=F64), torch.tensor([[1.0, 0.0], [0.0, -2.0]], dtype=F64)
    rows = certified_segment_max(problem, a, b, 1e-3, grid=5)
    assert rows.status == ("unavailable", "unavailable") and rows.points.tolist() == [5, 5]
    assert rows.certified.isnan().all() and rows.lipschitz.isnan().all()
    assert rows.sampled.tolist() == [problem.F(b[:1]).item(), problem.F(b[1:]).item()]
    assert rows.argmax_t.tolist() == [1.0, 1.0] and rows.tol == 1e-3
    # a loss that is neither convex nor Lipschitz has no bound of ℒ' either
    no_bound = dataclasses.replace(get_loss("ramp"), name="wild", lipschitz=None)
    relu = gaussian_problem("ramp")
    wild = Problem(relu.model, relu.X, relu.Y, no_bound)
    assert not has_certificate(wild) and has_certificate(relu)
    with pytest.raises(CertificateUnavailableError, match=r"^loss 'wild' is neither convex "
                       r"nor Lipschitz"):
        segment_lipschitz(wild, *_ends(relu, 1, 0))


def test_refusals_name_the_bad_argument():
    problem = gaussian_problem("hinge")
    a, b = _ends(problem, 2, seed=1)
    P = problem.model.n_params
    with pytest.raises(ValueError, match=r"^tol must be a positive finite number, got 0.0$"):
        certified_segment_max(problem, a, b, 0.0)
    with pytest.raises(ValueError, match=r"^need grid ≥ 2 and max_points ≥ grid, got grid=1, "
                       r"max_points=4096$"):
        certified_segment_max(problem, a, b, 1e-3, grid=1)
    with pytest.raises(ValueError, match=r"^need grid ≥ 2 and max_points ≥ grid, got grid=5, "
                       r"max_points=4$"):
        certified_segment_max(problem, a, b, 1e-3, grid=5, max_points=4)
    certified_segment_max(problem, a, b, 1e-3, grid=2, max_points=2)  # the smallest allowed
    with pytest.raises(ValueError, match=r"^a and b hold no segments \(S = 0\)$"):
        certified_segment_max(problem, a[:0], b[:0], 1e-3)
    with pytest.raises(ValueError, match=rf"^a has shape \(2, {P - 1}\), expected \(\*, {P}\)$"):
        certified_segment_max(problem, a[:, 1:], b, 1e-3)
    with pytest.raises(ValueError, match=rf"^b has shape \(1, {P}\), expected \(2, {P}\)$"):
        segment_lipschitz(problem, a, b[:1])
    with pytest.raises(ValueError, match=r"^a contains 1 NaN/Inf"):
        certified_segment_max(problem, a.index_put((torch.tensor([0]), torch.tensor([0])),
                                                   torch.tensor(math.nan, dtype=F64)), b, 1e-3)
    with pytest.raises(ValueError, match=r"^b contains \d+ NaN/Inf"):
        segment_lipschitz(problem, a, b * math.inf)
    assert segment_lipschitz(problem, a[:0], b[:0]).shape == (0,)


def test_float32_problems_are_certified_in_float64():
    problem = gaussian_problem("bce_logit", seed=17)
    p32 = problem.with_dtype(torch.float32)
    a, b = _ends(problem, 2, seed=18)
    rows32 = certified_segment_max(p32, a.float(), b.float(), 1e-4)
    p64 = p32.with_dtype(F64)  # the float32 data, widened
    rows64 = certified_segment_max(p64, a.float().double(), b.float().double(), 1e-4)
    assert rows32.certified.dtype == F64
    torch.testing.assert_close(rows32.certified, rows64.certified, rtol=0, atol=0)
    ell = segment_lipschitz(p32, a.float(), b.float())
    assert ell.dtype == F64
    torch.testing.assert_close(ell, segment_lipschitz(p64, a.float().double(),
                                                       b.float().double()), rtol=0, atol=0)


@pytest.mark.parametrize("model", ["relu", "bias"])
def test_the_output_slope_bound_covers_every_slope_of_each_output(model):
    """φ̇_k of the module docstring bounds |dΦ_k/du| on the whole segment, per sample."""
    from numerics._certify import _stats

    problem = gaussian_problem("hinge", model, seed=19)
    a, b = _ends(problem, 2, seed=20)
    dphi = _stats(problem, a, b)[0]
    assert dphi.shape == (2, problem.X.shape[0])
    t = torch.linspace(0, 1, 2001, dtype=F64)
    for s in range(2):
        Phi = problem.model.predict((1 - t)[:, None] * a[s] + t[:, None] * b[s], problem.X)
        slopes = Phi.diff(dim=0).abs().amax(0) * 2000
        assert bool((dphi[s] >= slopes - 1e-9).all())
        assert bool((dphi[s] <= 10 * slopes.max() + 10).all())


@pytest.mark.parametrize("model", ["relu", "bias"])
def test_blocks_of_segments_change_no_number(model, monkeypatch):
    """The certificate works on blocks of segments (and of intervals) sized to memory: any
    block size, down to one row, gives exactly the numbers of a single block."""
    import numerics._certify as certify

    problem = gaussian_problem("bce_logit", model, N=8, seed=31)
    a, b = _ends(problem, 5, seed=32)
    whole = certified_segment_max(problem, a, b, 1e-6, grid=5, max_points=200)
    values = segment_values(problem, a, b, torch.linspace(0, 1, 7, dtype=F64))
    lipschitz = segment_lipschitz(problem, a, b)
    monkeypatch.setattr(certify, "_BLOCK_ELEMENTS", 1)
    blocked = certified_segment_max(problem, a, b, 1e-6, grid=5, max_points=200)
    for name in ("sampled", "certified", "argmax_t", "points"):
        torch.testing.assert_close(getattr(blocked, name), getattr(whole, name), rtol=0, atol=0)
    assert blocked.status == whole.status
    torch.testing.assert_close(segment_values(problem, a, b, torch.linspace(0, 1, 7,
                                                                            dtype=F64)),
                               values, rtol=0, atol=0)
    torch.testing.assert_close(segment_lipschitz(problem, a, b), lipschitz, rtol=0, atol=0)


# ---- hand-made units: bounds that are exact, and the refinement's thresholds ----------


def _units(kappa: float, z0, z1, th0, th1):
    """A `ReluNet` on the one sample x = (1, 0) and a segment along which unit i has
    z_i = w_i·x going z0[i] → z1[i] and θ_i going th0[i] → th1[i] (w_i's second entry, 0.5,
    meets x's 0): Φ(u) = Σ_i θ_i(u) ρ(z_i(u)) with everything affine in u."""
    net = ReluNet(2, len(z0), kappa)

    def end(z, th):
        W = torch.tensor([[[zi, 0.5] for zi in z]], dtype=F64)
        return net.join(W, torch.tensor([list(th)], dtype=F64))

    return net, torch.tensor([[1.0, 0.0]], dtype=F64), end(z0, th0), end(z1, th1)


def _Y(y: float) -> torch.Tensor:
    return torch.tensor([y], dtype=F64)


@pytest.mark.parametrize("y", [10.0, -10.0])
def test_the_lipschitz_constant_is_exact_for_a_loss_of_varying_slope(y):
    """Φ = θ·1 with θ: 1 → 2 is affine with |Φ'| = φ̇ = 1, so U = [1, 2] is exactly Φ's
    range, and the half-squared loss's slope Φ − y is largest in size at the end of U
    farthest from y (the lower end for y = 10, the upper one for y = −10): ℓ is the largest
    slope of F = (Φ − y)²/2 + κθ, attained at that end (up to 2κ)."""
    kappa = 1e-12
    net, X, a, b = _units(kappa, [1.0], [1.0], [1.0], [2.0])
    problem = Problem(net, X, _Y(y), get_loss("half_squared"))
    ell = float(segment_lipschitz(problem, a, b)[0])
    # $F'(u) = (\Phi(u) - y)\,\Phi' + \kappa\,\delta\theta$ with Φ' = δθ = 1
    slopes = [(phi - y) + kappa for phi in (1.0, 2.0)]
    assert ell == pytest.approx(max(abs(s) for s in slopes), rel=1e-12)
    assert float(_dense(problem, a[0], b[0], 2001).diff().abs().max()) * 2000 <= ell


def test_a_loss_kink_at_an_end_of_the_output_range_counts():
    """Φ = θ with θ: 1 → 1.5 has the exact range U = [1, 1.5] and the hinge loss (y = 1) has
    its kink at U's lower end, where ∂ℒ = [−1, 0]: the slopes are taken one float outside U
    (module docstring: "a kink at an end included"), so ℓ counts the slope −1 there:
    ℓ = φ̇ + κ|δθ| = 0.5 + 0.5κ."""
    kappa = 0.25
    net, X, a, b = _units(kappa, [1.0], [1.0], [1.0], [1.5])
    problem = Problem(net, X, _Y(1.0), get_loss("hinge"))
    assert float(segment_lipschitz(problem, a, b)[0]) == 0.5 + 0.5 * kappa


def _tent(sign: float, loss: str, y: float, k: float = 2.0, kappa: float = 1e-3):
    """Unit A kinked at u = ½ (z: −½ → ½) with θ_A = −k·sign, unit B active and linear
    (z: 1 → 2) with θ_B = sign: Φ = sign·(1 + u − k·max(0, u − ½)), a tent (sign = 1) or a
    V (sign = −1) with a kink of jump J = θ_A at u* = ½; θ is fixed (the penalty is
    constant)."""
    net, X, a, b = _units(kappa, [-0.5, 1.0], [0.5, 2.0], [-k * sign, sign], [-k * sign, sign])
    return Problem(net, X, _Y(y), get_loss(loss)), a, b


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_a_kink_alone_is_certified_exactly_for_either_slope_sign(sign):
    """Φ is a tent (V) with Φ(0) = Φ(1) = sign and Φ(½) = 1.5·sign, always more than δ = ½
    above (below) y: F = ½|Φ − y| + const has slope s = ±½ in Φ and peaks ½·½ = ¼ above its
    ends. The kink bound |s J| u*(1 − u*) = ½·2·¼ is exactly that, so from the two ends alone
    (no refinement) the certified maximum is the true one."""
    problem, a, b = _tent(sign, "huber(0.5)", -8.0 * sign)
    F0, F1 = (float(x) for x in problem.F(torch.cat([a, b])))
    peak = float(_dense(problem, a[0], b[0]).max())
    assert F0 == pytest.approx(F1, abs=1e-15) and peak == pytest.approx(F0 + 0.25, rel=1e-13)
    one = certified_segment_max(problem, a, b, 1e-9, grid=2, max_points=2)
    assert float(one.certified[0]) == pytest.approx(peak, rel=1e-13)
    assert float(one.sampled[0]) == F0 and one.status == ("budget",)
    # one more point (u = ½) reaches the peak and closes the certificate
    more = certified_segment_max(problem, a, b, 1e-9, grid=2, max_points=16)
    assert float(more.sampled[0]) == pytest.approx(peak, rel=1e-15)
    assert float(more.certified[0]) == pytest.approx(peak, rel=1e-13)
    assert more.points.tolist() == [3] and more.status == ("converged",)
    assert float(more.argmax_t[0]) == 0.5


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_a_kink_on_a_curved_unit_is_covered_from_its_ends(sign):
    """One unit with z: −½ → ½ and θ: 3·sign → −sign: Φ = θ(u)ρ(z) is 0 up to the (convex)
    kink at ½, then a concave (convex) parabola with an extremum sign/16 at u = ⅝. The
    huber(½) slope is s = ±½ along the whole range (y far away), so F peaks 1/32 above F(0);
    the curvature on the kinked unit's active side (b = 2δθδz, of the sign that makes sΦ
    concave) must enter the bound even though the kink itself is convex for sΦ."""
    net, X, a, b = _units(1e-9, [-0.5], [0.5], [3.0 * sign], [-sign])
    problem = Problem(net, X, _Y(-10.0 * sign), get_loss("huber(0.5)"))
    dense = _dense(problem, a[0], b[0], 4001)
    assert float(dense.max() - dense[0]) == pytest.approx(1 / 32, rel=1e-3)
    one = certified_segment_max(problem, a, b, 1e-9, grid=2, max_points=2)
    assert float(one.certified[0]) >= float(dense.max()) - 1e-12
    rows = certified_segment_max(problem, a, b, 1e-6, grid=2, max_points=256)
    assert float(rows.certified[0]) >= float(dense.max()) - 1e-12
    assert rows.status == ("converged",)


def test_the_curvature_bound_alone_reaches_the_concave_peak():
    """The symmetric concave segment of the test above, from its two ends only: the
    second-order bound max(F⁰, F¹) + |b|/8 is the peak (up to κ), with no sample near it."""
    net = ReluNet(2, 1, 1e-12)
    X = torch.tensor([[1.0, 0.0]], dtype=F64)
    a = net.join(torch.tensor([[[0.9, 0.1]]], dtype=F64), torch.tensor([[1.0]], dtype=F64))
    b = net.join(torch.tensor([[[0.3, 0.1]]], dtype=F64), torch.tensor([[3.0]], dtype=F64))
    problem = Problem(net, X, _Y(-1.0), get_loss("absolute"))
    peak = float(_dense(problem, a[0], b[0]).max())
    one = certified_segment_max(problem, a, b, 1e-9, grid=2, max_points=2)
    assert float(one.certified[0]) == pytest.approx(peak, rel=1e-10)
    assert float(one.certified[0]) >= peak - 1e-12
    assert float(one.sampled[0]) == float(problem.F(torch.cat([a, b])).max())


@pytest.mark.parametrize(("tol", "gap"), [(1.0, 1.0), (0.75, 0.5), (0.5, 0.5), (0.25, 0.0)])
def test_refinement_stops_at_the_tolerance_boundary_included(tol, gap, float_bounds):
    """A tent with a deep kink, F = Φ + 16 + 7κ exactly (absolute loss, y = −16, dyadic
    numbers): F(0) = 17, F(½) = 17.5, F(1) = 15 (+7κ), sampled on the grid {0, ½, 1}.
    - the whole segment's bound is F(0) + 6·¼ (the kink's jump 6 times u*(1 − u*)), 1 above
      F(½): it settles the segment when tol ≥ 1 (boundary included);
    - else each interval first gets (F⁰ + F¹ + ℓh)/2 with the whole segment's ℓ = 7:
      F(½) + 1.5 on [0, ½], F(½) + ½ on [½, 1]; one within tol of the sampled maximum
      (boundary included) keeps that bound, the others get their own, exact bound (F is
      linear on each half);
    - nothing is bisected: F(½) is the maximum and every interval ends within tol."""
    net, X, a, b = _units(1 / 128, [-0.5, 1.0], [0.5, 2.0], [-6.0, 1.0], [-6.0, 1.0])
    problem = Problem(net, X, _Y(-16.0), get_loss("absolute"))
    c = 16 + 7 / 128
    assert problem.F(torch.cat([a, b])).tolist() == [1 + c, -1 + c]
    rows = certified_segment_max(problem, a, b, tol, grid=3, max_points=64)
    assert float(rows.lipschitz[0]) == 7.0
    assert float(rows.sampled[0]) == 1.5 + c and float(rows.argmax_t[0]) == 0.5
    assert float(rows.certified[0]) == 1.5 + c + gap
    assert rows.points.tolist() == [3] and rows.status == ("converged",)


@pytest.mark.parametrize("loss", ["half_squared", "bce_logit"])
@pytest.mark.parametrize("model", ["relu", "bias"])
def test_a_segment_settled_whole_gets_the_same_bound_on_any_grid(loss, model, float_bounds):
    """With a tolerance above every bump, the bound of the whole segment (from its two ends:
    F, Φ and the units there) settles each segment at once: the certified value is that bound
    whatever the grid, the grid is all that is sampled, and argmax_t is a float64 grid t."""
    problem = gaussian_problem(loss, model, seed=91)
    a, b = _ends(problem, 3, seed=92)
    tol = 1e3
    ref = certified_segment_max(problem, a, b, tol, grid=2, max_points=2)
    assert bool((ref.certified > ref.sampled).all())
    for grid in (3, 4, 7):
        rows = certified_segment_max(problem, a, b, tol, grid=grid, max_points=grid)
        assert rows.certified.tolist() == ref.certified.tolist(), grid
        assert rows.status == ("converged",) * 3 and rows.points.tolist() == [grid] * 3
        t = torch.linspace(0, 1, grid, dtype=F64)
        F = segment_values(problem, a, b, t)
        assert rows.argmax_t.dtype == F64
        assert rows.argmax_t.tolist() == t[F.argmax(-1)].tolist()
        assert rows.sampled.tolist() == F.max(-1).values.tolist()


@pytest.mark.parametrize("loss", LIPSCHITZ_ONLY)
@pytest.mark.parametrize("model", ["relu", "bias"])
def test_each_interval_takes_the_smaller_of_its_first_order_bounds(loss, model, float_bounds):
    """A loss with only a Lipschitz constant has only the first-order bound. Without
    refinement (max_points = grid) the certified value is the largest interval bound:
    (F⁰ + F¹ + ℓh)/2 with the whole segment's constant ℓ, or, where that is open (above the
    sampled maximum by more than tol), the smaller of it and (F⁰ + F¹ + ℓ_i)/2 with the
    interval's own constant ℓ_i (`segment_lipschitz` of the interval)."""
    problem = gaussian_problem(loss, model, seed=81)
    a, b = _ends(problem, 3, seed=82)
    grid, tol = 4, 1e-12
    rows = certified_segment_max(problem, a, b, tol, grid=grid, max_points=grid)
    t = torch.linspace(0, 1, grid, dtype=F64)
    F = segment_values(problem, a, b, t)
    ell = segment_lipschitz(problem, a, b)
    sharpened = 0
    for s in range(3):
        smax = F[s].max()
        assert float(rows.sampled[s]) == float(smax)
        assert float((F[s, 0] + F[s, -1] + ell[s]) / 2) > float(smax) + tol  # not settled whole
        p = (1 - t)[:, None] * a[s] + t[:, None] * b[s]
        own = segment_lipschitz(problem, p[:-1], p[1:])
        coarse = (F[s, :-1] + F[s, 1:] + ell[s] * (t[1:] - t[:-1])) / 2
        fine = (F[s, :-1] + F[s, 1:] + own) / 2
        bound = torch.where(coarse > smax + tol, torch.minimum(coarse, fine), coarse)
        sharpened += int((fine < coarse).sum())
        assert float(rows.certified[s]) == float(torch.maximum(smax, bound.max()))
    assert sharpened > 0


@pytest.mark.parametrize("loss", ["bce_logit", "hinge", "ramp"])
def test_a_spent_budget_is_spent_to_the_last_point(loss):
    """Status "budget" means the segment used exactly max_points evaluations: as long as some
    interval is open and points are left, the open intervals with the largest bounds are
    bisected, one point each."""
    problem = gaussian_problem(loss, seed=61)
    a, b = _ends(problem, 4, seed=62)
    budgets = 0
    for grid, max_points in ((5, 6), (5, 7), (5, 9), (9, 12), (3, 40)):
        rows = certified_segment_max(problem, a, b, 1e-12, grid=grid, max_points=max_points)
        for s in range(4):
            if rows.status[s] == "budget":
                budgets += 1
                assert int(rows.points[s]) == max_points, (grid, max_points, s)
            else:
                assert rows.status[s] == "converged" and int(rows.points[s]) <= max_points
    assert budgets >= 10


def test_a_later_equal_sample_keeps_the_first_argmax():
    """θ = −2 fixed, z: −¼ → ¾, absolute loss with y = −3: F = 3 − 2ρ(z) + 2κ is flat at its
    maximum on [0, ¼]. Refinement samples u = ¼ and ⅛ (equal to F(0)); argmax_t stays at
    u = 0, where the maximum was first sampled."""
    net, X, a, b = _units(1e-3, [-0.25], [0.75], [-2.0], [-2.0])
    problem = Problem(net, X, _Y(-3.0), get_loss("absolute"))
    rows = certified_segment_max(problem, a, b, 1e-9, grid=2, max_points=16)
    F0 = float(problem.F(a)[0])
    assert float(rows.sampled[0]) == F0 == float(_dense(problem, a[0], b[0]).max())
    assert float(rows.argmax_t[0]) == 0.0
    assert int(rows.points[0]) >= 4 and rows.status == ("converged",)
    assert float(segment_values(problem, a, b, torch.tensor([0.25], dtype=F64))[0, 0]) == F0


def test_rank_within_ranks_each_segment_by_descending_key_ties_in_order():
    """`_rank_within` (which open intervals a segment's budget bisects first): the rank of an
    entry among its segment's entries by descending key, equal keys in their order (the same
    choice on any device); against a brute-force count, with ties, −inf and empty
    segments."""
    from numerics._certify import _rank_within

    g = torch.Generator().manual_seed(71)
    for n, S in ((1, 1), (6, 2), (40, 5), (300, 9)):
        seg = torch.randint(0, max(1, S - 1), (n,), generator=g)  # the last segment is empty
        key = torch.randint(0, 4, (n,), generator=g).to(F64)
        key[key == 0] = -math.inf
        rank = _rank_within(seg, key, S)
        sl, kl = seg.tolist(), key.tolist()
        expected = [sum(1 for j in range(n) if sl[j] == sl[i]
                        and (kl[j] > kl[i] or (kl[j] == kl[i] and j < i))) for i in range(n)]
        assert rank.tolist() == expected, (n, S)


def test_interval_bounds_of_no_interval_are_empty():
    from numerics._certify import _interval_bounds

    problem = gaussian_problem("hinge", seed=72)
    a, b = _ends(problem, 2, seed=73)
    none = torch.zeros(0, dtype=torch.long)
    empty = torch.zeros(0, dtype=F64)
    Phi = torch.zeros(0, problem.X.shape[0], dtype=F64)
    out = _interval_bounds(problem, a, b, none, empty, empty, empty, empty, Phi, Phi,
                           Phi.new_zeros(2, Phi.shape[1]))
    assert out.shape == (0,) and out.dtype == F64


def test_lipschitz_constants_of_more_segments_than_parameters():
    """S = 5 segments of a net with P = 3 parameters: one constant per segment, each the one
    of that segment alone (segments never mix: not their penalties, not their sums)."""
    net = ReluNet(2, 1, 0.05)
    g = torch.Generator().manual_seed(74)
    X = torch.randn(4, 2, generator=g, dtype=F64)
    problem = Problem(net, X, torch.tensor([1.0, -1.0, 1.0, 1.0], dtype=F64), get_loss("hinge"))
    a, b = 2 * net.init(5, g, F64), 2 * net.init(5, g, F64)
    ell = segment_lipschitz(problem, a, b)
    assert ell.shape == (5,)
    alone = torch.cat([segment_lipschitz(problem, a[s:s + 1], b[s:s + 1]) for s in range(5)])
    torch.testing.assert_close(ell, alone, rtol=0, atol=0)


def test_blocks_hold_at_most_the_memory_budget(monkeypatch):
    """Blocks of segments, points and intervals stay within `_BLOCK_ELEMENTS` numbers (a
    single row may exceed it): per segment Φ at its grid points and at both ends of each grid
    interval (3·grid·N), per point the point and its Φ (P + N), per interval the kernel's six
    sums and Φ at both ends (8N)."""
    import numerics._certify as certify
    from numerics import _kernels

    problem = gaussian_problem("bce_logit", N=8, seed=75)
    P, N = problem.model.n_params, 8
    a, b = _ends(problem, 9, seed=76)
    seen: dict[str, list[int]] = {"segments": [], "points": [], "intervals": []}
    refine, stats, predict = certify._refine, _kernels.interval_stats, ReluNet.predict

    def spy_refine(problem, a, *args):
        seen["segments"].append(a.shape[0])
        return refine(problem, a, *args)

    def spy_stats(W0, *args):
        seen["intervals"].append(W0.shape[0])
        return stats(W0, *args)

    def spy_predict(self, p, X):
        seen["points"].append(p.shape[0])
        return predict(self, p, X)

    monkeypatch.setattr(certify, "_refine", spy_refine)
    monkeypatch.setattr(_kernels, "interval_stats", spy_stats)
    monkeypatch.setattr(ReluNet, "predict", spy_predict)
    grid = 30
    sizes = {"segments": 3 * grid * N, "points": P + N, "intervals": 8 * N}
    for budget in (5000, 400):
        monkeypatch.setattr(certify, "_BLOCK_ELEMENTS", budget)
        for rows in seen.values():
            rows.clear()
        alone = certified_segment_max(problem, a, b, 1e-12, grid=grid, max_points=grid)
        for name, rows in seen.items():
            assert rows, name
            assert all(r == 1 or r * sizes[name] <= budget for r in rows), (budget, name, rows)
        assert sum(seen["segments"]) == 9
    assert max(seen["points"]) > 1  # blocks of several points under the smaller budget too
    monkeypatch.undo()
    torch.testing.assert_close(certified_segment_max(problem, a, b, 1e-12, grid=grid,
                                                     max_points=grid).certified,
                               alone.certified, rtol=0, atol=0)


# ---- paths, records, dtypes and messages -----------------------------------------------


def _penalty_only(kappa: float = 1.0):
    """One unit that never fires (z = −w < 0 on the sample x = (1, 0)) and the half-squared
    loss at y = 0: F = κ|θ| exactly, so F at each vertex is chosen by θ."""
    net = ReluNet(2, 1, kappa)
    problem = Problem(net, torch.tensor([[1.0, 0.0]], dtype=F64), _Y(0.0),
                      get_loss("half_squared"))

    def vertex(theta: float, w: float = 1.0) -> torch.Tensor:
        return net.join(torch.tensor([[[-w, 0.5]]], dtype=F64),
                        torch.tensor([[theta]], dtype=F64))

    return problem, vertex


def test_path_max_exact_segments_take_the_larger_of_their_own_ends(float_bounds):
    problem, vertex = _penalty_only()
    path = Path(torch.cat([vertex(5.0), vertex(1.0), vertex(2.0)]),
                (SegmentKind.CONVEX, SegmentKind.CONVEX))
    result = path_max(problem, path, 1e-3)
    assert result.path is path and result.normalized_length == path.normalized_length()
    assert result.F_vertices.tolist() == [5.0, 1.0, 2.0]
    seg = result.segments
    assert seg.sampled.tolist() == seg.certified.tolist() == [5.0, 2.0]
    assert seg.argmax_t.dtype == F64 and seg.argmax_t.tolist() == [0.0, 1.0]
    assert seg.points.tolist() == [2, 2] and result.exact
    assert result.certified_max == 5.0 and result.endpoint_max == 5.0


def test_a_constant_segment_is_checked_with_a_relative_tolerance():
    """`constant` claims F(A) = F(B) up to 1e-9·(1 + |F(A)|), boundary included; each
    constant segment is checked against its own two ends."""
    problem, vertex = _penalty_only()

    def constant(Fa: float, Fb: float) -> PathMax:
        return path_max(problem, Path(torch.cat([vertex(Fa), vertex(Fb, w=2.0)]),
                                      (SegmentKind.CONSTANT,)), 1e-3)

    # |F(A)| = 1000: the tolerance is 1.001e-6
    assert constant(1000.0, 1000.0 + 1.0e-6).exact
    with pytest.raises(ValueError, match=r"^path segment 0 is marked constant but F goes from "
                       r"1000 to 1000.000001"):
        constant(1000.0, 1000.0 + 1.0015e-6)
    assert constant(0.0, 1e-9).exact  # exactly at the tolerance 1e-9·(1 + 0)
    with pytest.raises(ValueError, match="marked constant"):
        constant(0.0, 1.5e-9)
    # the second segment is constant (F 2 → 2) after a convex one (F 1 → 2)
    V = torch.cat([vertex(1.0), vertex(2.0), vertex(2.0, w=2.0)])
    result = path_max(problem, Path(V, (SegmentKind.CONVEX, SegmentKind.CONSTANT)), 1e-3)
    assert result.exact and result.segments.sampled.tolist() == [2.0, 2.0]
    with pytest.raises(ValueError, match=r"^path segment 1 is marked constant but F goes from "
                       r"2 to 3$"):
        path_max(problem, Path(torch.cat([V[:2], vertex(3.0, w=2.0)]),
                               (SegmentKind.CONVEX, SegmentKind.CONSTANT)), 1e-3)


def test_a_convex_segment_names_what_needs_the_convex_loss():
    ramp = gaussian_problem("ramp", seed=11)
    a, _ = _ends(ramp, 1, seed=12)
    W, th = ramp.model.split(a)
    V = torch.cat([a, ramp.model.join(W, th * 2)])
    with pytest.raises(ValueError, match=r"^loss 'ramp' is not convex; the exact maximum of a "
                       r"convex segment needs a convex loss"):
        path_max(ramp, Path(V, (SegmentKind.CONVEX,)), 1e-3)


def test_path_max_passes_grid_and_budget_on():
    problem = gaussian_problem("bce_logit", seed=77)
    a, b = _ends(problem, 1, seed=78)
    path = Path(torch.cat([a, b]), (SegmentKind.GENERAL,))
    result = path_max(problem, path, 1e-12, grid=3, max_points=3)
    alone = certified_segment_max(problem, a, b, 1e-12, grid=3, max_points=3)
    assert result.segments.points.tolist() == [3] and result.segments.status == ("budget",)
    for name in ("sampled", "certified", "argmax_t", "lipschitz"):
        assert getattr(result.segments, name).tolist() == getattr(alone, name).tolist()
    # the default budget is 4096 points per segment: F constant (a unit that never fires, θ
    # fixed) under a loss with only a Lipschitz constant leaves every interval open
    net, X, c, d = _units(0.1, [-1.0], [-2.0], [1.0], [1.0])
    flat = Problem(net, X, _Y(1.0), get_loss("ramp"))
    spent = path_max(flat, Path(torch.cat([c, d]), (SegmentKind.GENERAL,)), 1e-12)
    assert spent.segments.status == ("budget",) and spent.segments.points.tolist() == [4096]


def test_path_max_widens_vertices_and_problem_to_float64():
    problem = gaussian_problem("bce_logit", seed=79)
    a, b = _ends(problem, 1, seed=80)
    V32 = torch.cat([a, b]).float()
    result = path_max(problem, Path(V32, (SegmentKind.GENERAL,)), 1e-3)
    assert result.F_vertices.dtype == F64
    assert result.F_vertices.tolist() == problem.F(V32.double()).tolist()
    # a model without a certificate, in float32: F at the vertices in float64 all the same
    flat = FlatModel(2, lambda p, X: (p @ X.T) ** 2)
    X = torch.tensor([[1.0, 0.5], [0.3, 1.0]], dtype=F64)
    flat64 = Problem(flat, X, torch.zeros(2, dtype=F64), get_loss("half_squared"))
    V = torch.tensor([[0.7, -0.2], [-0.4, 0.9]], dtype=F64)
    path = Path(V, (SegmentKind.GENERAL,))
    wide = path_max(flat64.with_dtype(torch.float32).with_dtype(F64), path, 1e-3)
    narrow = path_max(flat64.with_dtype(torch.float32), path, 1e-3)
    assert narrow.F_vertices.dtype == F64
    assert narrow.F_vertices.tolist() == wide.F_vertices.tolist()
    assert narrow.segments.status == ("unavailable",) and math.isnan(narrow.certified_max)


def test_without_a_certificate_the_grid_maximum_is_float64_and_may_sit_at_the_start():
    flat = FlatModel(2, lambda p, X: (p @ X.T) ** 2)
    X = torch.tensor([[1.0, 0.3], [0.2, 1.0], [1.0, 1.0]], dtype=F64)
    p32 = Problem(flat, X, torch.zeros(3, dtype=F64), get_loss("half_squared")).with_dtype(
        torch.float32)
    a = torch.tensor([[2.1, 0.3], [-0.3, 0.1]], dtype=F64)
    b = torch.tensor([[-1.1, 0.2], [0.2, -0.4]], dtype=F64)  # F largest at t = 0, then 1
    rows = certified_segment_max(p32, a, b, 1e-3, grid=9)
    assert rows.sampled.dtype == rows.argmax_t.dtype == F64
    assert rows.argmax_t.tolist() == [0.0, 1.0]
    wide = p32.with_dtype(F64)
    t = torch.linspace(0, 1, 9, dtype=F64)
    assert rows.sampled.tolist() == segment_values(wide, a, b, t).max(-1).values.tolist()
    assert rows.status == ("unavailable", "unavailable") and rows.points.tolist() == [9, 9]


def test_segment_values_at_exact_positions_in_the_problems_dtype():
    problem = gaussian_problem("logistic", seed=15)
    a, b = _ends(problem, 2, seed=16)
    values = segment_values(problem, a, b, [0.0, 0.3, 0.7])  # a list: float64 positions
    t = torch.tensor([0.0, 0.3, 0.7], dtype=F64)
    for s in range(2):
        expected = problem.F((1 - t)[:, None] * a[s] + t[:, None] * b[s])
        torch.testing.assert_close(values[s], expected, rtol=1e-14, atol=0)
    p32 = problem.with_dtype(torch.float32)
    narrow = segment_values(p32, a, b, t)
    assert narrow.dtype == torch.float32
    t32 = t.float()
    expected = torch.stack([p32.F((1 - t32)[:, None] * a[s].float() + t32[:, None] * b[s].float())
                            for s in range(2)])
    torch.testing.assert_close(narrow, expected, rtol=1e-6, atol=0)


def test_selecting_no_segment_gives_empty_records():
    rows = _rows(3)
    none = rows.select([])
    assert none.sampled.shape == none.points.shape == (0,)
    assert none.status == () and none.tol == rows.tol


def test_unavailable_certificates_say_why():
    import re

    flat = FlatModel(2, lambda p, X: (p @ X.T) ** 2)
    problem = Problem(flat, torch.ones(3, 2, dtype=F64), torch.zeros(3, dtype=F64),
                      get_loss("half_squared"))
    with pytest.raises(CertificateUnavailableError, match="^" + re.escape(
            "model FlatModel provides no explicit Lipschitz bound along segments; certified "
            "maxima are unavailable (reported as NaN)") + "$"):
        segment_lipschitz(problem, torch.zeros(1, 2, dtype=F64), torch.ones(1, 2, dtype=F64))
    no_bound = dataclasses.replace(get_loss("ramp"), name="wild", lipschitz=None)
    relu = gaussian_problem("ramp")
    with pytest.raises(CertificateUnavailableError, match="^" + re.escape(
            "loss 'wild' is neither convex nor Lipschitz; no bound of ℒ' along segments") + "$"):
        segment_lipschitz(Problem(relu.model, relu.X, relu.Y, no_bound), *_ends(relu, 1, 0))


@pytest.mark.cuda
def test_certificates_on_cuda_match_the_cpu():
    """Every function of the module on a CUDA problem, with ends, positions and vertices given
    on the CPU: the same numbers as on the CPU (up to the devices' rounding and tol)."""
    _check_device_matches_cpu("cuda")


def _check_device_matches_cpu(device: str) -> None:
    def close(x, y, atol=1e-9):
        assert x.device.type == torch.device(device).type
        torch.testing.assert_close(x.cpu(), y, rtol=1e-9, atol=atol)

    # no certificate: the grid maximum, and a path's vertices, on the device
    flat = FlatModel(2, lambda p, X: (p @ X.T) ** 2)
    X = torch.tensor([[1.0, 0.3], [0.2, 1.0]], dtype=F64)
    flats = [Problem(flat, X.to(d), torch.zeros(2, dtype=F64, device=d),
                     get_loss("half_squared")) for d in ("cpu", device)]
    fa, fb = torch.tensor([[2.1, 0.3]], dtype=F64), torch.tensor([[-1.1, 0.2]], dtype=F64)
    here, there = (certified_segment_max(p, fa, fb, 1e-3, grid=5) for p in flats)
    close(there.sampled, here.sampled)
    close(there.argmax_t, here.argmax_t)
    here_path, there_path = (path_max(p, Path(torch.cat([fa, fb]), (SegmentKind.GENERAL,)),
                                      1e-3) for p in flats)
    close(there_path.F_vertices, here_path.F_vertices)
    # certificates, refined (tol 1e-5) or not, with a limit
    tol = 1e-5
    cpu = gaussian_problem("bce_logit", seed=41)
    dev = Problem(cpu.model, cpu.X.to(device), cpu.Y.to(device), cpu.loss)
    a, b = _ends(cpu, 3, seed=42)
    for grid, max_points in ((5, 200), (3, 3)):
        here = certified_segment_max(cpu, a, b, tol, grid=grid, max_points=max_points)
        there = certified_segment_max(dev, a, b, tol, grid=grid, max_points=max_points,
                                      stop_above=float(here.sampled.max()) + 1)
        for name in ("sampled", "certified"):
            close(getattr(there, name), getattr(here, name), atol=2 * tol)
        close(there.lipschitz, here.lipschitz)
        assert there.points.device == there.sampled.device
        assert bool((there.certified >= there.sampled).all())
    assert int(here.points.max()) == 3 and int(certified_segment_max(
        dev, a, b, tol, grid=5, max_points=200).points.min()) > 5  # refinement ran on device
    t = torch.tensor([0.0, 0.3, 1.0], dtype=F64)
    close(segment_values(dev, a, b, t), segment_values(cpu, a, b, t))
    close(segment_lipschitz(dev, a, b), segment_lipschitz(cpu, a, b))
    # a path with exact and general segments, its vertices on the CPU
    W0, th0 = cpu.model.split(a[:1])
    W1, _ = cpu.model.split(b[:1])
    V = torch.cat([a[:1], cpu.model.join(W0, 2 * th0), cpu.model.join(W1, th0)])
    V = torch.cat([V, V[-1:]])
    kinds = (SegmentKind.CONVEX, SegmentKind.GENERAL, SegmentKind.CONSTANT)
    here_path, there_path = (path_max(p, Path(V, kinds), tol) for p in (cpu, dev))
    close(there_path.F_vertices, here_path.F_vertices)
    close(there_path.segments.certified, here_path.segments.certified, atol=2 * tol)
    assert there_path.segments.status[0] == there_path.segments.status[2] == "exact"
