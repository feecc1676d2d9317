"""Dynamic String Sampling — invariants of its output records.

Invariants: beads at or below their level (or reported otherwise); connected ⇒ every
certified segment maximum ≤ (accept + accept_tol)·L0; at least one bead (Algorithm 1)
unless the straight segment is allowed by its flag; normalized length ≥ 1; the recursive and the
batched forms agree on an easy (wide-net) case; same inputs ⇒ the same numbers; the two
gap definitions of experiment E1; any flat-vector model runs, with NaN certificates.
"""

from __future__ import annotations

import math

import pytest
import torch
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


def _endpoints(problem: Problem, K: int, seed: int, steps: int = 600):
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
    A, B, level = _endpoints(problem, 2, seed=5, steps=300)
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
    A, B, level = _endpoints(problem, 2, seed, steps=80)
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
    A, B, level = _endpoints(problem, 1, seed=2, steps=200)
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
    A, B, level = _endpoints(problem, 2, seed=5)
    runs = [dss_batched(problem, A, B, 1.05 * level, max_depth=4, train_kwargs=TRAIN)
            for _ in range(2)]
    for x, y in zip(*runs, strict=True):
        assert_invariants(x, accept=1.0, tol=1e-4, max_depth=4)
        assert x.path.vertices.device.type == "cuda"
        assert torch.equal(x.path.vertices, y.path.vertices)
