"""The barrier protocol (docs/barrier-protocol.md): refusals, stopped strings, families,
status and cause, and training as a descent method."""

from __future__ import annotations

import math

import pytest
import torch
from _problems import moons_problem

from experiments import barrier
from experiments.configs import PairsConfig
from numerics import BiasReluNet, DSSConfig, Problem, cancer, dss_batched, train
from theory.errors import InvalidArgumentError
from theory.losses import get_loss

F64 = torch.float64


@pytest.fixture(scope="module")
def trained():
    problem = moons_problem("bce_logit", 6, N=60, seed=1)
    p0 = problem.model.init(4, torch.Generator().manual_seed(2), dtype=F64)
    ends = train(problem, p0, steps=200, lr=0.02).p
    A, B = ends[0::2], ends[1::2]
    levels = barrier.pair_level(problem.F(A), problem.F(B))
    return problem, A, B, levels


def test_each_level_rule_gives_its_level():
    F_A, F_B = torch.tensor([0.3, 0.2], dtype=F64), torch.tensor([0.25, 0.4], dtype=F64)
    pair = barrier.levels_of(PairsConfig(), F_A, F_B)
    assert pair.tolist() == [0.3, 0.4] and pair.dtype == F64
    fixed = barrier.levels_of(PairsConfig(level_rule="fixed", level=0.5), F_A, F_B)
    assert fixed.tolist() == [0.5, 0.5]
    moving = PairsConfig(level_rule="moving", level_offset=0.125)
    assert barrier.levels_of(moving, F_A, F_B, e_hat=0.25).tolist() == [0.375, 0.375]
    with pytest.raises(InvalidArgumentError, match="needs ê"):
        barrier.levels_of(moving, F_A, F_B)


def test_a_tolerance_not_below_the_slack_is_refused(trained):
    problem, A, B, levels = trained
    slack = 1e-3 * float(levels.min())
    with pytest.raises(InvalidArgumentError, match="not below the acceptance slack"):
        dss_batched(problem, A, B, levels, tol=slack, max_depth=1,
                    train_kwargs={"steps": 1})
    # the protocol never builds such a configuration: τ = tol_ratio·s < s
    cfg = PairsConfig(widths=(6,), pairs=2)
    assert cfg.tolerance(0.3) < cfg.slack(0.3)
    with pytest.raises(InvalidArgumentError, match="tol_ratio"):
        PairsConfig(widths=(6,), pairs=2, tol_ratio=1.0)


def test_default_tolerance_is_a_power_of_two_below_the_slack(trained):
    problem, A, B, levels = trained
    results = dss_batched(problem, A, B, levels, max_depth=1, train_kwargs={"steps": 5})
    for r in results:
        slack = r.config.slack(r.level)
        assert r.tol <= 0.1 * slack < 2 * r.tol
        assert math.log2(r.tol) == int(math.log2(r.tol))


def test_an_unreached_bead_stops_its_string_and_the_pair_is_inconclusive(trained):
    problem, A, B, levels = trained
    low = 0.5 * levels  # below what any bead reaches in 2 steps
    opts = {"max_depth": 4, "train_kwargs": {"steps": 2, "lr": 1e-3}}
    stopped = dss_batched(problem, A, B, low, stop_unreached=True, **opts)
    doubled = dss_batched(problem, A, B, low, stop_unreached=False, **opts)
    for s, d in zip(stopped, doubled, strict=True):
        assert s.stopped and s.inconclusive and not s.depth_limited
        assert s.beads == 3  # one bead, never split again
        assert d.beads == 2**4 + 1 and not d.stopped
        record = barrier.assess(s)
        assert record["status"] == "inconclusive"
        # the upper bound is still a certified bound of the stopped string's path
        assert record["dss_max"] >= float(s.F_beads.max())


def test_status_and_cause_of_connected_pairs(trained):
    problem, A, B, levels = trained
    cfg = PairsConfig(widths=(6,), pairs=2, bead_steps=300)
    dss = barrier.dss_options(cfg, max_depth=6, grid=9, max_points=4096,
                              train_kwargs={"steps": 300, "lr": 0.02})
    for r in dss_batched(problem, A, B, levels, dss):
        rec = barrier.assess(r)
        assert rec["status"] in barrier.STATUSES
        assert rec["resolution"] == pytest.approx(cfg.accept_slack * r.level + r.tol)
        if rec["status"] == "connected":
            assert rec["barrier_upper"] <= rec["resolution"]
        excess = rec["dss_max"] - r.level
        parts = rec["bead_excess"] + rec["sampled_bump"] + rec["certificate_slack"]
        if excess > 0:
            assert parts >= excess - 1e-12  # the parts account for the whole excess
        # beads were trained toward λ − 5τ
        assert r.bead_target == pytest.approx(r.level - 5 * r.tol)


def test_aligned_relabels_units_and_keeps_F(trained):
    problem, A, _, _ = trained
    W, theta = problem.model.split(A)
    perm = torch.tensor([3, 1, 5, 0, 2, 4])
    B = problem.model.join(W[:, perm], theta[:, perm])
    torch.testing.assert_close(problem.F(B), problem.F(A))
    # aligning a relabeled copy recovers A exactly, and the aligned segment is constant
    torch.testing.assert_close(barrier.aligned(problem.model, A, B), A, rtol=0, atol=0)
    upper, converged = barrier.aligned_max(problem, A, B, 1e-6, grid=9, max_points=64)
    assert bool(converged.all())
    assert torch.allclose(upper, problem.F(A), atol=1e-6)


def test_aligned_on_the_bias_model():
    data = cancer(seed=0, c=None)
    model = BiasReluNet(data.n, 5, 1e-3)
    problem = Problem.of(model, data, get_loss("bce_logit"), dtype=F64)
    A = model.init(1, torch.Generator().manual_seed(1), dtype=F64)
    W, b, theta, theta_0 = model.split(A)
    perm = torch.tensor([4, 0, 3, 1, 2])
    B = model.join(W[:, perm], b[:, perm], theta[:, perm], theta_0)
    torch.testing.assert_close(barrier.aligned(model, A, B), A, rtol=0, atol=0)
    torch.testing.assert_close(problem.F(B), problem.F(A))


def test_training_returns_its_best_iterate_even_when_the_projection_climbs():
    """BiasReluNet.project keeps Φ but moves the ℓ1 term, so Adam + projection can climb;
    the best iterate never lies above the (projected) start."""
    data = cancer(seed=0, c=None)
    model = BiasReluNet(data.n, 20, 1e-1)
    problem = Problem.of(model, data, get_loss("bce_logit"), dtype=F64)
    p0 = model.init(3, torch.Generator().manual_seed(4), dtype=F64)
    start = problem.F(model.project(p0))
    result = train(problem, p0, steps=200, lr=0.05)
    assert (result.F <= start + 1e-12).all()
    torch.testing.assert_close(problem.F(result.p), result.F)


def test_dss_config_keeps_unknown_tolerances_none():
    assert DSSConfig().tol is None
    assert DSSConfig().bead_target(1.0, 1e-4) == 1.0
    assert DSSConfig(bead_margin=5).bead_target(1.0, 1e-4) == pytest.approx(1 - 5e-4)
