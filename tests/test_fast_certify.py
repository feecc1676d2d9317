"""Certified maxima on small hand-made and seeded segments (fast enough for every mutant
of `numerics._certify`, mutation.toml).

- soundness: the certified maximum is ≥ F at every point of a dense float64 sample of the
  segment, the sampled maximum is a value of F, for every certifiable loss and both models;
- tightness, where the bounds of the module docstring are exact: on a segment where F is
  affine and increasing the Lipschitz constant is F(1) − F(0), and on a symmetric concave
  quadratic segment the second-order bound is max(F⁰, F¹) + |b|/8, the true maximum;
- the records (`SegmentMax`, `PathMax`), `path_max`'s exact segments, and refusals that
  name the bad argument.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch

from numerics import (
    BiasReluNet,
    CertificateUnavailableError,
    Dataset,
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

F64 = torch.float64
CONVEX = ("bce_logit", "logistic", "hinge", "huber", "mse", "half_squared", "absolute")
LIPSCHITZ_ONLY = ("ramp", "sigmoid")


def _problem(loss: str, model: str = "relu", N: int = 6, n: int = 3, m: int = 3,
             kappa: float = 0.05, seed: int = 0) -> Problem:
    g = torch.Generator().manual_seed(seed)
    X = torch.cat([torch.randn(N, n - 1, generator=g, dtype=F64), torch.ones(N, 1, dtype=F64)],
                  1)
    the_loss = get_loss(loss)
    if the_loss.labels is None:
        Y, task = torch.randn(N, generator=g, dtype=F64), "regression"
    else:
        Y, task = torch.randint(0, 2, (N,), generator=g).to(F64), "binary"
    net = ReluNet(n, m, kappa) if model == "relu" else BiasReluNet(n, m, kappa)
    return Problem.of(net, Dataset("d", X, Y, task), the_loss, dtype=F64)


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
    problem = _problem(loss, model, seed=len(loss))
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
    problem = _problem(loss, seed=3)
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
    problem = _problem("half_squared", seed=5)
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
    problem = _problem("bce_logit", seed=7)
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


def test_path_max_takes_exact_segments_at_their_ends_and_certifies_the_others():
    problem = _problem("hinge", seed=9)
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
    problem = _problem("hinge", seed=11)
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
    ramp = _problem("ramp", seed=11)
    W, th = ramp.model.split(a)
    Vc = torch.cat([a, ramp.model.join(W, th * 2)])
    with pytest.raises(ValueError, match="convex"):
        path_max(ramp, Path(Vc, (SegmentKind.CONVEX,)), 1e-3)
    with pytest.raises(ValueError, match=r"^path.vertices has shape"):
        path_max(problem, Path(V[:, :-1], (SegmentKind.GENERAL,)), 1e-3)


def test_path_max_certifies_every_segment_of_a_bias_net():
    problem = _problem("hinge", "bias", seed=13)
    a, _ = _ends(problem, 1, seed=14)
    W, c, th, th0 = problem.model.split(a)
    V = torch.cat([a, problem.model.join(W, c, 2 * th, th0)])
    result = path_max(problem, Path(V, (SegmentKind.CONVEX,)), 1e-4)
    assert result.segments.status[0] in ("converged", "budget")  # kinds unchecked


# ---- values, availability and refusals -------------------------------------------------


def test_segment_values_along_shared_and_per_segment_positions():
    problem = _problem("logistic", seed=15)
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
    relu = _problem("ramp")
    wild = Problem(relu.model, relu.X, relu.Y, no_bound)
    assert not has_certificate(wild) and has_certificate(relu)
    with pytest.raises(CertificateUnavailableError, match=r"^loss 'wild' is neither convex "
                       r"nor Lipschitz"):
        segment_lipschitz(wild, *_ends(relu, 1, 0))


def test_refusals_name_the_bad_argument():
    problem = _problem("hinge")
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
    problem = _problem("bce_logit", seed=17)
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

    problem = _problem("hinge", model, seed=19)
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

    problem = _problem("bce_logit", model, N=8, seed=31)
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
