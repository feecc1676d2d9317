"""Dynamic String Sampling (numerics._dss): the invariants of its records, and what each
option does to the string.

- trained float32 nets: beads at or below their level (or reported otherwise);
  connected ⇒ every certified segment maximum ≤ (accept + accept_tol)·L0; at least one
  bead (Algorithm 1) unless the straight segment is allowed by its flag; normalized
  length ≥ 1; the recursive and the batched forms agree on an easy (wide-net) case; same
  inputs ⇒ the same numbers; the two gap definitions of experiment E1; any flat-vector
  model runs, with NaN certificates; beads end at or below `bead_fraction`·L0;
- a tiny float64 problem (marked `fast`: run against every mutant of `numerics._dss`,
  mutation.toml): with `train_kwargs={"steps": 0}` a bead is exactly its starting point,
  so the split rule (argmax of F on the grid, or the midpoint) can be read off the string;
  every record's promises are checked against F itself.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch
from _problems import moons_problem
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import make_moons

import numerics._dss as dss_module
from numerics import (
    GAP_DEFINITIONS,
    BiasReluNet,
    Dataset,
    DSSConfig,
    DSSResult,
    Problem,
    ReluNet,
    dss_batched,
    dss_recursive,
    gap_of,
    train,
)
from theory.losses import get_loss

F64 = torch.float64
TRAIN = {"steps": 300, "lr": 0.02}
# the original code's bead level (0.98·L0); with beads exactly at L0 the segments between
# them bulge above L0 + tol and strings need many more beads
EASY = {"bead_fraction": 0.98, "train_kwargs": TRAIN}


def _data(source: str, N: int, seed: int) -> Dataset:
    """Binary data (augmented inputs, n = 3) from one of several generators."""
    g = torch.Generator().manual_seed(seed)
    if source == "moons":
        X, Y = make_moons(N, noise=0.15, random_state=seed)
        X, Y = torch.tensor(X, dtype=torch.float32), torch.tensor(Y, dtype=torch.float32)
        X = (X - X.mean(0)) / X.std(0).clamp_min(1e-6)
    else:
        X = torch.randn(N, 2, generator=g)
        if source == "uniform":
            X = 2 * torch.rand(N, 2, generator=g) - 1
        Y = (X[:, 0] * X[:, 1] > 0).to(torch.float32)  # XOR-like labels
    return Dataset(source, torch.cat([X, torch.ones(N, 1)], dim=1), Y)


def _trained_endpoints(problem: Problem, K: int, seed: int, steps: int = 600):
    """K pairs of trained endpoints and their levels L0 = max{F(A), F(B)}."""
    g = torch.Generator().manual_seed(seed)
    result = train(problem, problem.model.init(2 * K, g, device=problem.device), steps=steps,
                   lr=0.03)
    A, B = result.p[:K], result.p[K:]
    return A, B, torch.maximum(result.F[:K], result.F[K:]).double()


def _wide(device=None) -> Problem:
    return Problem.of(ReluNet(3, 32, 1e-3), _data("moons", 60, 0), get_loss("bce_logit"),
                      device=device)


@pytest.fixture(scope="module")
def wide_pairs():
    problem = _wide()
    A, B, level = _trained_endpoints(problem, 2, seed=5, steps=300)
    return problem, A, B, 1.05 * level


def assert_invariants(result: DSSResult, *, accept: float, tol: float, max_depth: int) -> None:
    V = result.path.vertices.shape[0]
    assert result.beads == V >= 2
    assert len(result.reached) == V - 2
    # beads at or below their level, unless reported otherwise (reached is in float32)
    for F_bead, reached in zip(result.F_beads[1:-1].tolist(), result.reached, strict=True):
        if reached:
            assert F_bead <= result.bead_target * (1 + 1e-5) + 1e-6
    assert result.all_reached == all(result.reached)
    if result.connected and result.acceptance == "certified":
        # accepted: certified ≤ τ + accept_tol·L0 (the recorded acceptance tolerance)
        bound = (accept + result.config.accept_tol) * result.level
        assert (result.segment_certified <= bound + 1e-12).all()
    # Algorithm 1 trains at least one bead unless the straight segment was allowed
    assert V >= 3 or result.config.straight_without_bead
    assert (result.segment_certified >= result.segment_sampled).all()
    assert result.normalized_length >= 1 - 1e-12
    assert 0 <= result.depth <= max_depth
    assert result.connected or result.depth == max_depth
    assert result.barrier == result.certificate.certified_max - float(
        torch.maximum(result.F_beads[0], result.F_beads[-1]))


@given(source=st.sampled_from(["moons", "gaussian", "uniform"]),
       seed=st.integers(0, 2**20), m=st.integers(2, 8),
       level_factor=st.sampled_from([0.7, 1.0, 1.1]),
       split=st.sampled_from(["argmax", "midpoint"]),
       accept=st.sampled_from([1.0, 1.1]), bead_fraction=st.sampled_from([0.98, 1.0]))
def test_dss_records_satisfy_their_invariants(source, seed, m, level_factor, split, accept,
                                              bead_fraction):
    problem = Problem.of(ReluNet(3, m, 1e-2), _data(source, 16, seed), get_loss("logistic"))
    A, B, level = _trained_endpoints(problem, 2, seed, steps=80)
    results = dss_batched(problem, A, B, level_factor * level, split=split, accept=accept,
                          bead_fraction=bead_fraction, max_depth=2, tol=1e-4,
                          train_kwargs={"steps": 40, "lr": 0.02})
    assert len(results) == 2
    for result in results:
        assert_invariants(result, accept=accept, tol=1e-4, max_depth=2)


def test_wide_net_connects_and_both_forms_agree(wide_pairs):
    problem, A, B, level = wide_pairs
    batched = dss_batched(problem, A, B, level, **EASY)
    for k, result in enumerate(batched):
        recursive = dss_recursive(problem, A[k], B[k], float(level[k]), **EASY)
        assert result.connected and recursive.connected and result.beads > 2
        assert result.beads == recursive.beads
        for r in (result, recursive):
            assert_invariants(r, accept=1.0, tol=1e-4, max_depth=10)
            assert r.gap <= 1e-3


def test_same_inputs_give_the_same_numbers(wide_pairs):
    problem, A, B, level = wide_pairs
    first, again = (dss_batched(problem, A, B, level, max_depth=2, train_kwargs=TRAIN)
                    for _ in range(2))
    for x, y in zip(first, again, strict=True):
        assert torch.equal(x.path.vertices, y.path.vertices)
        assert torch.equal(x.segment_certified, y.segment_certified)
        assert x.above_threshold == y.above_threshold


def test_unreachable_level_is_reported_and_depth_limited(wide_pairs):
    problem, A, B, level = wide_pairs
    low = 0.5 * level / 1.05
    (result,) = dss_batched(problem, A[:1], B[:1], low[:1], max_depth=2, train_kwargs=TRAIN)
    assert not result.all_reached and not result.connected and result.depth_limited
    assert_invariants(result, accept=1.0, tol=1e-4, max_depth=2)
    assert result.beads == 5  # one bead, then one in each half


def test_gap_definitions(wide_pairs):
    problem, A, B, level = wide_pairs
    low = 0.5 * level[:1] / 1.05
    (limited,) = dss_batched(problem, A[:1], B[:1], low, max_depth=1, train_kwargs=TRAIN,
                             gap_definition="legacy_b26_v1")
    assert limited.gap_definition == "legacy_b26_v1"
    assert limited.gap == max(0.0, min(limited.above_threshold) - limited.level) > 0
    corrected = gap_of(limited, "corrected")
    assert corrected == limited.certificate.certified_max - limited.level
    # the legacy minimum over recorded segments never exceeds the path's certified maximum
    assert limited.gap <= corrected
    (connected,) = dss_batched(problem, A[:1], B[:1], level[:1], **EASY,
                               gap_definition="legacy_b26_v1")
    assert connected.connected and connected.gap == 0.0
    assert set(GAP_DEFINITIONS) == {"corrected", "legacy_b26_v1"}
    with pytest.raises(ValueError, match="gap_definition must be one of"):
        gap_of(connected, "published")


def test_grid_acceptance_still_certifies_the_final_path(wide_pairs):
    problem, A, B, level = wide_pairs
    (result,) = dss_batched(problem, A[:1], B[:1], level[:1], acceptance="grid", accept=1.1,
                            grid=10, train_kwargs=TRAIN)
    assert result.acceptance == "grid"
    assert result.connected
    assert set(result.certificate.segments.status) <= {"converged", "budget"}
    assert (result.segment_certified >= result.segment_sampled).all()


def test_bias_relu_net_strings_are_certified():
    data = _data("moons", 40, 3)
    problem = Problem.of(BiasReluNet(3, 8, 1e-3), data, get_loss("half_squared"))
    A, B, level = _trained_endpoints(problem, 1, seed=2, steps=200)
    (result,) = dss_batched(problem, A, B, 1.02 * level, max_depth=3, **EASY)
    assert result.acceptance == "certified"
    assert result.segment_certified.isfinite().all()
    assert_invariants(result, accept=1.0, tol=1e-4, max_depth=3)


def test_models_without_a_certificate_run_with_nan_maxima(torch_gen):
    class Quadratic:  # a generic flat-vector model: Φ(x) = (pᵀx)²
        n_params = 3

        def predict(self, p, X):
            return (p @ X.T) ** 2

        def penalty(self, p):
            return 1e-3 * p.abs().sum(-1)

        def project(self, p):
            return p

    X = torch.randn(20, 3, generator=torch_gen)
    problem = Problem(Quadratic(), X, (X[:, 0] ** 2), get_loss("half_squared"))
    A, B = torch.randn(2, 1, 3, generator=torch_gen)
    level = 0.5 * torch.maximum(problem.F(A), problem.F(B)).double()
    (result,) = dss_batched(problem, A, B, level, max_depth=2, train_kwargs=TRAIN)
    assert result.acceptance == "grid" and result.beads > 2
    assert result.certificate.segments.status == ("unavailable",) * (result.beads - 1)
    assert result.segment_certified.isnan().all()
    assert math.isnan(result.barrier) and math.isnan(result.gap)
    assert math.isfinite(result.sampled_barrier)


def test_bad_arguments_raise_named_errors(wide_pairs):
    problem, A, B, level = wide_pairs
    with pytest.raises(ValueError, match="split must be one of"):
        dss_batched(problem, A, B, level, split="golden")
    with pytest.raises(ValueError, match="must not set 'target'"):
        dss_batched(problem, A, B, level, train_kwargs={"target": 0.1})
    with pytest.raises(ValueError, match="levels has shape"):
        dss_batched(problem, A, B, level[:1])
    with pytest.raises(ValueError, match="pairs_A contains"):
        dss_batched(problem, A * math.nan, B, level)
    with pytest.raises(ValueError, match="accept must be a positive"):
        dss_recursive(problem, A[0], B[0], 0.1, accept=0.0)


def test_one_config_for_both_forms(wide_pairs):
    problem, A, B, level = wide_pairs
    cfg = DSSConfig(max_depth=2, bead_fraction=0.98, train_kwargs=TRAIN)
    with pytest.raises(AttributeError):
        cfg.max_depth = 3  # frozen
    batched = dss_batched(problem, A[:1], B[:1], level[:1], cfg)
    recursive = dss_recursive(problem, A[0], B[0], float(level[0]), cfg)
    assert batched[0].config == recursive.config == cfg
    assert batched[0].beads == recursive.beads
    # keyword options replace config fields; unknown ones are refused by name
    (deeper,) = dss_batched(problem, A[:1], B[:1], level[:1], cfg, max_depth=3)
    assert deeper.config == cfg.with_options(max_depth=3)
    with pytest.raises(ValueError, match="unknown DSS option"):
        dss_batched(problem, A, B, level, cfg, depth=3)
    with pytest.raises(ValueError, match="max_depth must be ≥ 1"):
        DSSConfig(max_depth=0)


def test_first_bead_is_always_trained_unless_flagged(wide_pairs):
    """A level far above the straight segment: Algorithm 1 still trains one bead; the
    flag accepts the straight segment without one, and the result records it."""
    problem, A, B, level = wide_pairs
    high = 10 * level[:1]
    (always,) = dss_batched(problem, A[:1], B[:1], high, train_kwargs=TRAIN)
    assert always.connected and always.beads == 3 and always.depth == 1
    (straight,) = dss_batched(problem, A[:1], B[:1], high, straight_without_bead=True)
    assert straight.connected and straight.beads == 2 and straight.depth == 0
    assert straight.config.straight_without_bead
    alone = dss_recursive(problem, A[0], B[0], float(high[0]), train_kwargs=TRAIN)
    assert alone.beads == 3


def test_grid_acceptance_does_no_certificate_work(wide_pairs, monkeypatch):
    problem, A, B, level = wide_pairs

    def refused(*args, **kwargs):
        raise AssertionError("certificate work under grid acceptance")

    monkeypatch.setattr(dss_module, "certified_segment_max", refused)
    (result,) = dss_batched(problem, A[:1], B[:1], level[:1], acceptance="grid", accept=1.1,
                            certify_path=False, max_depth=2, train_kwargs=TRAIN)
    assert set(result.certificate.segments.status) == {"sampled"}
    assert result.segment_certified.isnan().all() and math.isnan(result.barrier)


def test_acceptance_tolerance_is_recorded_and_never_the_barrier(wide_pairs):
    problem, A, B, level = wide_pairs
    (result,) = dss_batched(problem, A[:1], B[:1], level[:1], accept_tol=0.05, **EASY)
    assert result.config.accept_tol == 0.05
    # the barrier is the path's certified maximum, within the certificate's tol of a sample
    assert result.barrier == result.certificate.certified_max - float(
        torch.maximum(result.F_beads[0], result.F_beads[-1]))
    assert result.certificate.certified_max <= result.certificate.sampled_max + result.tol


@pytest.mark.cuda
def test_dss_on_cuda_keeps_its_invariants_and_matches_itself():
    problem = _wide(device="cuda")
    A, B, level = _trained_endpoints(problem, 2, seed=5)
    runs = [dss_batched(problem, A, B, 1.05 * level, max_depth=4, train_kwargs=TRAIN)
            for _ in range(2)]
    for x, y in zip(*runs, strict=True):
        assert_invariants(x, accept=1.0, tol=1e-4, max_depth=4)
        assert x.path.vertices.device.type == "cuda"
        assert torch.equal(x.path.vertices, y.path.vertices)


# ---- DSS: beads end at or below their target level ------------------------------------


@pytest.fixture(scope="module")
def bead_case():
    """Two independently trained small nets on moons: the straight segment between them
    rises above their level, so DSS must train beads."""
    problem = moons_problem("bce_logit", 6, 1e-3, N=60, seed=1, dtype=torch.float32)
    g = torch.Generator().manual_seed(3)
    ends = train(problem, problem.model.init(2, g), steps=300, lr=0.03)
    level = float(ends.F.max()) * 1.01  # not a float32 number: the level must stay float64
    return problem, ends.p[:1], ends.p[1:], level


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_beads_end_at_or_below_bead_fraction_of_the_level(bead_case, form):
    problem, A, B, level = bead_case
    fraction = 0.9
    kwargs = {"bead_fraction": fraction, "max_depth": 2,
              "train_kwargs": {"steps": 400, "lr": 0.02}}
    if form == "batched":
        (result,) = dss_batched(problem, A, B, torch.tensor([level], dtype=F64), **kwargs)
    else:
        result = dss_recursive(problem, A[0], B[0], level, **kwargs)
    assert result.bead_target == pytest.approx(fraction * level, rel=1e-12)
    # the level is kept in float64, and a ReluNet path is accepted on its certificate
    assert result.level == level and result.acceptance == "certified"
    # the default gap is the corrected one, never negative
    assert gap_of(result) == gap_of(result, "corrected") == result.gap >= 0.0
    F_inner = result.F_beads[1:-1]
    assert F_inner.numel() >= 1, "the case must need beads"
    assert any(result.reached), "the case must reach its bead target"
    for F_bead, reached in zip(F_inner.tolist(), result.reached, strict=True):
        # a bead stops as soon as F ≤ target (judged in float32): it ends at or below the
        # target, and a bead that did not reach it is reported as such
        if reached:
            assert F_bead <= fraction * level * (1 + 1e-5)
        else:
            assert F_bead > fraction * level * (1 - 1e-5)


# ==== a tiny float64 problem: what each option does (fast) ===========================

STEPS0 = {"steps": 0}


@pytest.fixture(scope="module")
def case():
    """A float64 problem, two trained endpoints, their level L0 = max F(ends)."""
    problem = moons_problem("bce_logit", 4, N=30, seed=1)
    ends = train(problem, problem.model.init(2, torch.Generator().manual_seed(4), dtype=F64),
                 steps=150, lr=0.05)
    return problem, ends.p[:1], ends.p[1:], float(ends.F.max())


def _grid_F(problem, a, b, grid):
    t = torch.linspace(0, 1, grid, dtype=F64)
    return t, problem.F((1 - t)[:, None] * a + t[:, None] * b)


def _dense_max(problem, a, b, n=400):
    return float(_grid_F(problem, a, b, n)[1].max())


def assert_record(result, problem, *, accept, accept_tol):
    """What every DSSResult promises, checked against F itself."""
    V = result.path.vertices
    assert V.dtype == F64 and result.beads == V.shape[0] >= 2
    assert torch.equal(result.F_beads, problem.F(V))
    assert len(result.reached) == V.shape[0] - 2
    # a bead is reported reached iff its F is at or below bead_fraction·L0 (float64 here)
    for F_bead, reached in zip(result.F_beads[1:-1].tolist(), result.reached, strict=True):
        assert reached == (F_bead <= result.bead_target)
    assert result.bead_target == result.config.bead_target(result.level, result.tol)
    seg = result.certificate.segments
    assert len(seg.status) == V.shape[0] - 1
    for j in range(V.shape[0] - 1):
        dense = _dense_max(problem, V[j], V[j + 1])
        # a certified maximum is above every sample of F on its segment, and the sampled
        # maximum is a value of F on it
        if result.acceptance == "certified" or result.config.certify_path:
            assert float(seg.certified[j]) >= dense - 1e-12
            assert float(seg.certified[j]) - float(seg.sampled[j]) <= result.tol + 1e-12 \
                or seg.status[j] == "budget"
        # a finely refined certificate samples points a fixed dense grid misses
        assert float(seg.sampled[j]) <= max(dense, float(seg.certified[j])) + 1e-12
        assert float(seg.sampled[j]) >= float(max(result.F_beads[j], result.F_beads[j + 1])) - 1e-12
    bound = (accept + accept_tol) * result.level
    if result.acceptance == "certified":
        assert result.connected == bool((seg.certified <= bound).all())
    assert all(v > accept * result.level for v in result.above_threshold)
    assert result.depth_limited == (not result.connected)
    assert result.connected or result.depth == result.config.max_depth
    assert result.all_reached == all(result.reached)
    assert result.barrier == result.certificate.certified_max - float(
        max(result.F_beads[0], result.F_beads[-1]))
    assert result.sampled_barrier == result.certificate.sampled_max - float(
        max(result.F_beads[0], result.F_beads[-1]))
    assert result.normalized_length == result.path.normalized_length() >= 1 - 1e-12
    assert result.gap == gap_of(result, result.gap_definition)
    # the certificate is of this path, and no row is left stopped early ("above")
    assert result.certificate.path is result.path
    assert result.certificate.normalized_length == result.normalized_length
    assert "above" not in seg.status


# ---- the split rule and the bead's start -----------------------------------------------


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_argmax_split_starts_the_bead_at_the_grid_argmax(case, form):
    problem, A, B, level = case
    t, F = _grid_F(problem, A[0], B[0], 7)
    k = int(F.argmax())
    assert 0 < k < 6, "the case needs a bump inside the segment"
    kwargs = {"grid": 7, "max_depth": 1, "train_kwargs": STEPS0}
    result = _run(form, problem, A, B, 0.5 * level, **kwargs)
    expected = problem.model.project((1 - t[k]) * A + t[k] * B)[0]
    torch.testing.assert_close(result.path.vertices[1], expected, rtol=0, atol=1e-15)
    assert result.depth == 1 and result.beads == 3
    assert result.path.vertices[0].equal(A[0].to(F64)) and result.path.vertices[-1].equal(B[0])


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_midpoint_split_starts_the_bead_halfway(case, form):
    problem, A, B, level = case
    result = _run(form, problem, A, B, 0.5 * level, split="midpoint", max_depth=2,
                  train_kwargs=STEPS0)
    mid = problem.model.project(0.5 * A + 0.5 * B)[0]
    torch.testing.assert_close(result.path.vertices[2], mid, rtol=0, atol=1e-15)
    # the second generation splits each half at its midpoint again
    V = result.path.vertices
    assert V.shape[0] == 5 and result.depth == 2 and not result.connected
    for j in (1, 3):
        halfway = problem.model.project(0.5 * V[j - 1:j] + 0.5 * V[j + 1:j + 2])[0]
        torch.testing.assert_close(V[j], halfway, rtol=0, atol=1e-15)
    assert_record(result, problem, accept=1.0, accept_tol=1e-3)


def _run(form, problem, A, B, level, **kwargs):
    if form == "batched":
        (result,) = dss_batched(problem, A, B, torch.tensor([level], dtype=F64), **kwargs)
        return result
    return dss_recursive(problem, A[0], B[0], level, **kwargs)


# ---- acceptance ------------------------------------------------------------------------


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
@pytest.mark.parametrize("acceptance", ["certified", "grid"])
def test_records_keep_their_promises(case, form, acceptance):
    problem, A, B, level = case
    kwargs = {"max_depth": 3, "bead_fraction": 0.97, "accept": 1.02, "accept_tol": 0.01,
              "tol": 1e-3, "acceptance": acceptance, "train_kwargs": {"steps": 60, "lr": 0.05}}
    result = _run(form, problem, A, B, 1.01 * level, **kwargs)
    assert result.acceptance == acceptance and result.config.acceptance == acceptance
    assert_record(result, problem, accept=1.02, accept_tol=0.01)
    assert result.beads > 2


@pytest.mark.fast
def test_both_forms_build_the_same_string(case):
    problem, A, B, level = case
    kwargs = {"max_depth": 3, "bead_fraction": 0.97, "tol": 1e-5,
              "train_kwargs": {"steps": 60, "lr": 0.05}}
    batched = _run("batched", problem, A, B, 1.01 * level, **kwargs)
    recursive = _run("recursive", problem, A, B, 1.01 * level, **kwargs)
    assert torch.equal(batched.path.vertices, recursive.path.vertices)
    assert batched.reached == recursive.reached and batched.depth == recursive.depth
    assert batched.connected == recursive.connected


@pytest.mark.fast
def test_grid_acceptance_compares_grid_samples_with_the_threshold(case):
    problem, A, B, level = case
    # a level between the grid maximum of the final segments and their certified maxima
    # would make the rules differ; here: accepted iff every grid maximum ≤ accept·L0
    (result,) = dss_batched(problem, A, B, torch.tensor([level], dtype=F64), acceptance="grid",
                            grid=5, max_depth=2, certify_path=False, accept=1.05,
                            train_kwargs={"steps": 60, "lr": 0.05})
    seg = result.certificate.segments
    assert set(seg.status) == {"sampled"} and seg.certified.isnan().all()
    V = result.path.vertices
    for j in range(V.shape[0] - 1):
        assert float(seg.sampled[j]) == float(_grid_F(problem, V[j], V[j + 1], 5)[1].max())
        assert int(seg.points[j]) == 5
    assert result.connected == bool((seg.sampled <= 1.05 * level).all())
    assert math.isnan(result.gap) and math.isnan(result.barrier)


@pytest.mark.fast
def test_a_level_above_the_straight_segment(case):
    problem, A, B, level = case
    high = 2.0 * _dense_max(problem, A[0], B[0])
    # Algorithm 1 still trains one bead, then accepts both halves
    always = _run("batched", problem, A, B, high, train_kwargs=STEPS0)
    assert always.beads == 3 and always.connected and always.depth == 1
    assert always.above_threshold == () and always.gap == 0.0
    # the flag accepts the straight segment as it is
    for form in ("batched", "recursive"):
        straight = _run(form, problem, A, B, high, straight_without_bead=True)
        assert straight.beads == 2 and straight.connected and straight.depth == 0
        assert straight.reached == () and straight.certificate.segments.status[0] in (
            "converged", "exact")
    # with max_depth 0 a low level leaves the straight segment unaccepted
    low = _run("batched", problem, A, B, 0.5 * level, straight_without_bead=True, max_depth=0)
    assert low.beads == 2 and not low.connected and low.depth == 0
    assert low.above_threshold == (float(low.certificate.segments.sampled[0]),) or \
        len(low.above_threshold) == 1


@pytest.mark.fast
def test_an_unreachable_level_is_depth_limited_and_gaps_are_defined(case):
    problem, A, B, level = case
    kwargs = {"max_depth": 2, "tol": 1e-5, "train_kwargs": {"steps": 20, "lr": 0.05}}
    result = _run("batched", problem, A, B, 0.3 * level, gap_definition="legacy_b26_v1",
                  **kwargs)
    assert not result.connected and not any(result.reached) and result.depth == 2
    assert result.beads == 5 and result.gap_definition == "legacy_b26_v1"
    assert result.gap == max(0.0, min(result.above_threshold) - result.level) > 0
    assert gap_of(result) == gap_of(result, "corrected") == \
        result.certificate.certified_max - result.level
    assert_record(result, problem, accept=1.0, accept_tol=1e-3)
    # every segment judged above the threshold is recorded: one per bead plus the first
    assert len(result.above_threshold) >= 3
    # rows stopped early are completed even when the path is not to be certified
    bare = _run("batched", problem, A, B, 0.3 * level, certify_path=False, **kwargs)
    assert_record(bare, problem, accept=1.0, accept_tol=1e-3)


# ---- gap_of on hand-made records -------------------------------------------------------


def _record(case, **fields):
    problem, A, B, level = case
    result = _run("batched", problem, A, B, level, max_depth=1, train_kwargs=STEPS0)
    return dataclasses.replace(result, **fields)


@pytest.mark.fast
def test_gap_definitions_on_hand_made_records(case):
    base = _record(case)
    cmax = base.certificate.certified_max
    assert gap_of(dataclasses.replace(base, level=cmax - 0.25)) == pytest.approx(0.25)
    assert gap_of(dataclasses.replace(base, level=cmax + 0.25)) == 0.0
    legacy = dataclasses.replace(base, connected=False, above_threshold=(3.0, 2.0, 2.5),
                                 level=1.5)
    assert gap_of(legacy, "legacy_b26_v1") == 0.5
    assert gap_of(dataclasses.replace(legacy, level=2.5), "legacy_b26_v1") == 0.0
    assert gap_of(dataclasses.replace(legacy, connected=True), "legacy_b26_v1") == 0.0
    with pytest.raises(ValueError, match=r"^gap_definition must be one of \('corrected', "
                       r"'legacy_b26_v1'\), got 'x'$"):
        gap_of(base, "x")
    assert GAP_DEFINITIONS == ("corrected", "legacy_b26_v1")


# ---- the configuration -----------------------------------------------------------------


@pytest.mark.fast
def test_documented_defaults():
    cfg = DSSConfig()
    assert dataclasses.asdict(cfg) == {
        "split": "argmax", "bead_fraction": 1.0, "bead_margin": 0.0, "stop_unreached": False,
        "accept": 1.0, "accept_tol": 1e-3, "grid": 9, "max_depth": 10, "tol": None,
        "tol_ratio": 0.1, "max_points": 4096,
        "acceptance": "certified", "certify_path": True, "straight_without_bead": False,
        "gap_definition": "corrected", "train_kwargs": {}}


@pytest.mark.fast
@pytest.mark.parametrize(("options", "message"), [
    ({"split": "golden"}, r"^split must be one of \('argmax', 'midpoint'\), got 'golden'$"),
    ({"acceptance": "x"}, r"^acceptance must be one of \('certified', 'grid'\), got 'x'$"),
    ({"gap_definition": "y"}, r"^gap_definition must be one of \('corrected', "
                              r"'legacy_b26_v1'\), got 'y'$"),
    ({"bead_fraction": 0.0}, r"^bead_fraction must be a positive finite number, got 0.0$"),
    ({"accept": -1.0}, r"^accept must be a positive finite number, got -1.0$"),
    ({"accept_tol": -1e-3}, r"^accept_tol must be a nonnegative finite number"),
    ({"tol": 0.0}, r"^tol must be a positive finite number, got 0.0$"),
    ({"grid": 1}, r"^need grid ≥ 2 and max_points ≥ grid, got grid=1, max_points=4096$"),
    ({"grid": 30, "max_points": 29}, r"^need grid ≥ 2 and max_points ≥ grid, got grid=30, "
                                     r"max_points=29$"),
    ({"max_depth": 0}, r"^max_depth must be ≥ 1 \(Algorithm 1 trains at least one bead; 0 "
                       r"needs straight_without_bead=True\), got 0$"),
    ({"max_depth": -1, "straight_without_bead": True}, r"^max_depth must be ≥ 1"),
    ({"train_kwargs": {"target": 0.1}}, r"^train_kwargs must not set 'target'; DSS sets "
                                        r"bead_fraction·level$"),
])
def test_bad_options_are_refused_by_name(options, message):
    with pytest.raises(ValueError, match=message):
        DSSConfig(**options)


@pytest.mark.fast
def test_boundary_options_are_accepted():
    DSSConfig(accept_tol=0.0, grid=2, max_points=2)
    DSSConfig(max_depth=0, straight_without_bead=True)
    DSSConfig(max_depth=1, train_kwargs={"steps": 3})


@pytest.mark.fast
def test_options_replace_fields_and_train_kwargs_are_copied():
    kwargs = {"steps": 3}
    cfg = DSSConfig(train_kwargs=kwargs)
    kwargs["steps"] = 4
    assert cfg.train_kwargs == {"steps": 3}
    assert cfg.with_options(max_depth=2) == dataclasses.replace(cfg, max_depth=2)
    assert cfg.with_options() == cfg
    with pytest.raises(ValueError, match=r"^unknown DSS option\(s\) \['depth'\]; known: "
                       r"\['split', 'bead_fraction'"):
        cfg.with_options(depth=2, max_depth=3)


@pytest.mark.fast
def test_the_config_argument_and_keyword_options(case):
    problem, A, B, level = case
    cfg = DSSConfig(max_depth=1, train_kwargs=STEPS0)
    (result,) = dss_batched(problem, A, B, torch.tensor([level], dtype=F64), cfg, grid=5)
    assert result.config == cfg.with_options(grid=5)
    assert _run("recursive", problem, A, B, level, max_depth=1, train_kwargs=STEPS0).config == cfg
    with pytest.raises(ValueError, match=r"^config must be a DSSConfig, got dict$"):
        dss_batched(problem, A, B, torch.tensor([level], dtype=F64), {"max_depth": 1})


@pytest.mark.fast
def test_bad_endpoints_and_levels_are_refused_by_name(case):
    problem, A, B, level = case
    L = torch.tensor([level], dtype=F64)
    P = problem.model.n_params
    with pytest.raises(ValueError,
                       match=rf"^pairs_A has shape \(1, {P + 1}\), expected \(\*, {P}\)$"):
        dss_batched(problem, torch.cat([A, A[:, :1]], 1), B, L)
    with pytest.raises(ValueError,
                       match=rf"^pairs_B has shape \(2, {P}\), expected \(1, {P}\)$"):
        dss_batched(problem, A, torch.cat([B, B]), L)
    with pytest.raises(ValueError, match=r"^levels has shape \(2,\), expected \(1,?\)$"):
        dss_batched(problem, A, B, torch.cat([L, L]))
    for name, args in (("pairs_A", (A * math.nan, B, L)), ("pairs_B", (A, B * math.inf, L)),
                       ("levels", (A, B, L * math.nan))):
        with pytest.raises(ValueError, match=rf"^{name} contains"):
            dss_batched(problem, *args)


@pytest.mark.fast
def test_levels_are_kept_in_float64(case):
    problem, A, B, level = case
    odd = level * (1 + 1e-12)  # not a float32 number
    result = _run("batched", problem, A, B, odd, max_depth=1, train_kwargs=STEPS0)
    assert result.level == odd
    (from_list,) = dss_batched(problem, A, B, [odd], max_depth=1, train_kwargs=STEPS0)
    assert from_list.level == odd


# ---- acceptance at its boundary, and what each rule records ----------------------------


def _straight(form, problem, A, B, level, **kwargs):
    return _run(form, problem, A, B, level, straight_without_bead=True, max_depth=0,
                **kwargs)


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_certified_acceptance_is_certified_max_at_most_the_bound(case, form):
    """accept = 1, accept_tol = 10⁻³: the straight segment is accepted iff its certified
    maximum ≤ (1 + 10⁻³)·L0, judged in float64 (the level is not rounded to float32)."""
    from numerics import certified_segment_max

    problem, A, B, _ = case
    opts = {"accept": 1.0, "accept_tol": 1e-3, "tol": 1e-5, "grid": 5, "max_points": 64}
    c = float(certified_segment_max(problem, A, B, 1e-5, grid=5, max_points=64).certified[0])
    assert _straight(form, problem, A, B, c / 1.001 * (1 + 1e-12), **opts).connected
    below = c / 1.001 * (1 - 1e-12)
    low = _straight(form, problem, A, B, below, **opts)
    assert not low.connected and len(low.above_threshold) == 1


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_grid_acceptance_is_grid_max_at_most_the_threshold(case, form):
    problem, A, B, _ = case
    opts = {"acceptance": "grid", "grid": 5, "certify_path": False, "accept_tol": 0.5}
    s = float(_grid_F(problem, A[0], B[0], 5)[1].max())
    at = _straight(form, problem, A, B, s, **opts)
    assert at.connected and at.certificate.segments.status == ("sampled",)
    below = float(torch.nextafter(torch.tensor(s, dtype=F64), torch.tensor(0.0, dtype=F64)))
    low = _straight(form, problem, A, B, below, **opts)
    assert not low.connected and low.above_threshold == (s,)


@pytest.mark.fast
def test_grid_rows_sample_the_segment_itself(case):
    problem, A, B, level = case
    for a, b in ((A, B), (B, A)):
        (r,) = dss_batched(problem, a, b, torch.tensor([level], dtype=F64), acceptance="grid",
                           grid=5, certify_path=False, straight_without_bead=True, max_depth=0)
        seg = r.certificate.segments
        assert float(seg.sampled[0]) == float(_grid_F(problem, a[0], b[0], 5)[1].max())
        t = float(seg.argmax_t[0])
        assert t in (0.0, 0.25, 0.5, 0.75, 1.0)
        assert float(seg.sampled[0]) == float(problem.F((1 - t) * a + t * b)[0])


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_ends_only_grid_still_judges_by_the_certificate(case, form):
    """grid = 2 samples only the ends, which lie below L0: only the certificate can see a
    bump between them, and every segment it rejects is recorded."""
    problem, A, B, level = case
    result = _run(form, problem, A, B, level, grid=2, split="midpoint", max_depth=1,
                  train_kwargs=STEPS0)
    assert_record(result, problem, accept=1.0, accept_tol=1e-3)
    seg = result.certificate.segments
    rejected = int((seg.certified > (1.0 + 1e-3) * level).sum())
    assert rejected >= 1, "the case needs a bump between grid points"
    assert not result.connected and len(result.above_threshold) == rejected
    assert result.acceptance == "certified"


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_certificates_use_the_configured_grid_and_budget(case, form):
    problem, A, B, level = case
    result = _run(form, problem, A, B, level, grid=3, max_points=3, max_depth=2,
                  train_kwargs={"steps": 10, "lr": 0.05})
    seg = result.certificate.segments
    assert bool((seg.points == 3).all())
    assert set(seg.status) <= {"converged", "budget", "exact"}


@pytest.mark.fast
def test_the_straight_segment_before_the_first_bead_is_recorded_only_above(case):
    problem, A, B, level = case
    s = float(_grid_F(problem, A[0], B[0], 9)[1].max())
    low = _run("batched", problem, A, B, 0.5 * level, max_depth=1, train_kwargs=STEPS0)
    assert low.above_threshold[0] == s  # grid maximum of A → B, above 0.5·L0
    at = _run("batched", problem, A, B, s, max_depth=1, train_kwargs=STEPS0,
              acceptance="grid", certify_path=False)
    assert s not in at.above_threshold  # at τ exactly: not above


@pytest.mark.fast
def test_float32_problems_report_float64_maxima(case):
    problem, A, B, level = case
    p32 = problem.with_dtype(torch.float32)
    (r,) = dss_batched(p32, A.float(), B.float(), torch.tensor([level], dtype=F64),
                       acceptance="grid", certify_path=False, max_depth=1, train_kwargs=STEPS0)
    seg = r.certificate.segments
    assert seg.sampled.dtype == F64 and r.path.vertices.dtype == F64
    assert r.F_beads.dtype == F64 and r.beads == 3


@pytest.mark.fast
def test_models_without_a_certificate_report_unavailable(torch_gen):
    from numerics import FlatModel

    model = FlatModel(3, lambda p, X: (p @ X.T) ** 2)
    X = torch.randn(12, 3, generator=torch_gen, dtype=F64)
    problem = Problem(model, X, X[:, 0] ** 2, get_loss("half_squared"))
    A, B = torch.randn(2, 1, 3, generator=torch_gen, dtype=F64)
    level = float(torch.maximum(problem.F(A), problem.F(B))[0])
    for form in ("batched", "recursive"):
        r = _run(form, problem, A, B, 0.5 * level, max_depth=1, train_kwargs=STEPS0)
        assert r.acceptance == "grid" and r.certificate.segments.status == (
            ("unavailable",) * (r.beads - 1))
        assert r.segment_certified.isnan().all()


@pytest.mark.fast
def test_the_recursive_form_takes_its_config_and_a_float64_level(case):
    problem, A, B, level = case
    cfg = DSSConfig(max_depth=1, grid=5, train_kwargs=STEPS0)
    assert dss_recursive(problem, A[0], B[0], level, cfg).config == cfg
    odd = level * (1 + 1e-12)
    assert dss_recursive(problem, A[0], B[0], odd, cfg).level == odd


# ---- survivors of the mutation run (docs/mutation.md) ----------------------------------


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_certified_acceptance_sees_a_bump_between_bead_ends(case, form):
    """Midpoint beads that stay where they start (t = 0, ¼, ½, ¾, 1) and a level at the
    largest of F at those points: every segment's ends lie below τ, yet F peaks near
    t = 0.35, above τ + accept_tol·L0, so only a certificate rejects [¼, ½], in both forms."""
    problem, A, B, _ = case
    t = torch.tensor([0.0, 0.25, 0.5, 0.75, 1.0], dtype=F64)
    level = float(problem.F((1 - t)[:, None] * A + t[:, None] * B).max())
    assert _dense_max(problem, A[0], B[0]) > (1.0 + 1e-3) * level, "the case needs a bump"
    result = _run(form, problem, A, B, level, grid=2, split="midpoint", max_depth=2,
                  train_kwargs=STEPS0)
    assert_record(result, problem, accept=1.0, accept_tol=1e-3)
    assert result.acceptance == "certified" and not result.connected
    assert result.depth == 2 and result.above_threshold
    # grid acceptance on the same string accepts those segments
    grid = _run(form, problem, A, B, level, grid=2, split="midpoint", max_depth=2,
                train_kwargs=STEPS0, acceptance="grid")
    assert grid.acceptance == "grid" and grid.connected


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_a_model_without_a_certificate_is_judged_on_its_grid(torch_gen, form):
    from numerics import FlatModel

    model = FlatModel(3, lambda p, X: (p @ X.T) ** 2)
    X = torch.randn(12, 3, generator=torch_gen, dtype=F64)
    problem = Problem(model, X, X[:, 0] ** 2, get_loss("half_squared"))
    A, B = torch.randn(2, 1, 3, generator=torch_gen, dtype=F64)
    high = 2 * _dense_max(problem, A[0], B[0])
    r = _run(form, problem, A, B, high, max_depth=1, train_kwargs=STEPS0)
    assert r.acceptance == "grid" and r.connected


@pytest.mark.fast
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_grid_accepted_rows_are_certified_at_the_end_with_the_configured_budget(case, form):
    """`certify_path` certifies the grid-accepted ("sampled") rows once the string is done,
    with the configured grid and point budget (a tiny tolerance spends the budget)."""
    problem, A, B, level = case
    result = _run(form, problem, A, B, 1.01 * level, acceptance="grid", certify_path=True,
                  grid=3, max_points=3, tol=1e-12, max_depth=1, train_kwargs=STEPS0)
    seg = result.certificate.segments
    assert bool((seg.points == 3).all()) and set(seg.status) == {"budget"}
    assert not seg.certified.isnan().any()


@pytest.mark.fast
@pytest.mark.parametrize("certify_path", [True, False])
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_a_straight_segment_stopped_above_is_certified_at_the_end(case, form, certify_path):
    """max_depth = 0: the straight segment, judged under certified acceptance, stops refining
    once above the bound ("above"); no bead follows, so the record's certificate is
    completed to the tolerance at the end."""
    problem, A, B, level = case
    result = _straight(form, problem, A, B, 0.9 * level, certify_path=certify_path, tol=1e-4)
    seg = result.certificate.segments
    assert seg.status in (("converged",), ("budget",))
    assert float(seg.certified[0] - seg.sampled[0]) <= 1e-4
    assert not result.connected and len(result.above_threshold) == 1
