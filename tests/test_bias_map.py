"""The bias model on the augmented ball model (numerics/_bias_map.py): E1's family (b)."""

from __future__ import annotations

import pytest
import torch
from _problems import moons_problem

from numerics import (
    BiasBallMap,
    Problem,
    SegmentKind,
    ball_map,
    bias_constructive_paths,
    path_max,
    train,
    train_bias_reference,
)
from numerics._bias_map import power_of_two_at_least, row_scale
from theory.errors import InvalidArgumentError


def _bias_moons_problem(m: int, loss: str = "mse") -> Problem:
    """A width-m bias net on 60 moons without the augmentation constant (c = None)."""
    return moons_problem(loss, m, N=60, seed=3, c=None, model="bias")


def _gaussian_points(problem: Problem, B: int, seed: int) -> torch.Tensor:
    """Random bias points with rows of norm up to ~3 (beyond the unit ball with the bias)."""
    g = torch.Generator().manual_seed(seed)
    p = torch.randn(B, problem.model.n_params, generator=g, dtype=torch.float64)
    return p * 1.5


@pytest.mark.parametrize("loss", ["mse", "bce_logit"])
def test_map_keeps_phi_and_F(loss):
    problem = _bias_moons_problem(5, loss)
    p = _gaussian_points(problem, 6, 0)
    theta_0 = problem.model.split(p)[3]
    # one offset per point: the map reads θ_0 as c
    for k in range(p.shape[0]):
        mapping = BiasBallMap(problem.model, power_of_two_at_least(row_scale(
            problem.model, p)), float(theta_0[k, 0]))
        ball = mapping.problem(problem)
        q = mapping.to_ball(p[k:k + 1])
        assert bool((ball.model.split(q)[0].norm(dim=-1) <= 1).all())
        torch.testing.assert_close(ball.model.predict(q, ball.X),
                                   problem.model.predict(p[k:k + 1], problem.X),
                                   rtol=0, atol=1e-12)
        torch.testing.assert_close(ball.F(q), problem.F(p[k:k + 1]), rtol=0, atol=1e-12)


def test_map_back_is_the_inverse():
    problem = _bias_moons_problem(4)
    p = _gaussian_points(problem, 5, 1)
    mapping = BiasBallMap(problem.model, power_of_two_at_least(row_scale(problem.model, p)),
                          0.25)
    # bit-exact: R is a power of two
    assert torch.equal(mapping.to_bias(mapping.to_ball(p)), mapping.with_offset(p))
    q = mapping.to_ball(p)
    assert torch.equal(mapping.to_ball(mapping.to_bias(q)), q)


def test_offset_changes_F_unless_equal_to_theta_0():
    """F̃(map(p)) = F(p) needs θ_0 = c: the map does not hide a different output bias."""
    problem = _bias_moons_problem(4)
    p = _gaussian_points(problem, 1, 2)
    mapping = BiasBallMap(problem.model, power_of_two_at_least(row_scale(problem.model, p)),
                          float(problem.model.split(p)[3][0, 0]) + 0.5)
    assert float((mapping.problem(problem).F(mapping.to_ball(p)) - problem.F(p)).abs()) > 1e-3


def test_scale_must_be_a_power_of_two():
    problem = _bias_moons_problem(3)
    with pytest.raises(InvalidArgumentError):
        BiasBallMap(problem.model, 3.0, 0.0)
    assert power_of_two_at_least(0.3) == 1.0
    assert power_of_two_at_least(2.0) == 2.0
    assert power_of_two_at_least(2.1) == 4.0


def test_constructive_path_in_the_bias_space_from_A_to_B():
    problem = _bias_moons_problem(6)
    g = torch.Generator().manual_seed(0)
    ends = train(problem, problem.model.init(4, g, dtype=torch.float64), steps=60, lr=0.02).p
    reference = train_bias_reference(problem, 3, starts=2, steps=60, lr=0.02,
                                     plateau=(0.9, 10), generator=g)
    mapping = ball_map(problem, reference, ends)
    A, B = ends[[0, 2]], ends[[1, 3]]
    out = bias_constructive_paths(problem, A, B, reference=reference, mapping=mapping,
                                  draws=4, refit_steps=10,
                                  generator=torch.Generator().manual_seed(1))
    for k, cp in enumerate(out):
        path = cp.path
        # the path lies in the bias model's space and joins the actual endpoints exactly
        assert path.vertices.shape[1] == problem.model.n_params
        assert torch.equal(path.vertices[0], A[k].double())
        assert torch.equal(path.vertices[-1], B[k].double())
        assert set(path.kinds) <= {SegmentKind.CONVEX, SegmentKind.CONSTANT}
        F = problem.F(path.vertices)
        torch.testing.assert_close(F, cp.F, rtol=0, atol=0)
        # the theorem's vertex values: F(A), F(Â), ê(l) (θ_0 = c there), F(B̂), F(B)
        assert float(F[1]) == pytest.approx(cp.F_A_hat, abs=1e-12)
        assert float(F[-2]) == pytest.approx(cp.F_B_hat, abs=1e-12)
        assert float(F.min()) <= reference.F + 1e-12
        assert (F - reference.F).abs().min() < 1e-12
        top = max(cp.F_A, cp.F_B, cp.F_A_hat, cp.F_B_hat, reference.F)
        assert float(F.max()) <= top + 1e-12
        # the certificate on the bias model's own F bounds every vertex and sampled point
        cert = path_max(problem, path, 1e-4, grid=9)
        assert cert.certified_max >= float(F.max())
        t = torch.linspace(0, 1, 17, dtype=torch.float64)[:, None]
        for j in range(path.n_segments):
            seg = path.vertices[j] + t * (path.vertices[j + 1] - path.vertices[j])
            assert float(problem.F(seg).max()) <= cert.certified_max
        # convex/constant kinds hold on the bias F: the vertex max is the path max
        assert cert.certified_max - float(F.max()) < 1e-3
