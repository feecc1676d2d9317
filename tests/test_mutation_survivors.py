"""Behaviour that small wrong edits of the library used to get away with.

Each test here was written for a mutant that passed the rest of the suite (issue 14, and
`relu-landscape selftest --mutation`, docs/mutation.md): it states the behaviour the
edit broke, not the text of the code.

- every `require` guard of the constructive paths refuses what it should, and only that;
"""

from __future__ import annotations

import dataclasses

import pytest
import torch

from numerics import (
    Dataset,
    Problem,
    ReluNet,
    data_scale,
    fixed_level_path,
    moons,
    one_dimensional_path,
    require_hypotheses,
)
from theory.losses import LossHypothesisError, get_loss

F64 = torch.float64


# ---- constructive paths: each require guard refuses what it should ---------------------


def _relu_problem(loss: str, *, n: int = 3, kappa: float = 10.0) -> Problem:
    if n == 1:
        g = torch.Generator().manual_seed(0)
        X = torch.randn(20, 1, generator=g, dtype=F64)
        data = Dataset("line", X, (X[:, 0] > 0).to(F64))
        return Problem.of(ReluNet(1, 4, kappa), data, get_loss(loss), dtype=F64)
    return Problem.of(ReluNet(n, 4, kappa), moons(n_samples=30), get_loss(loss), dtype=F64)


def _two_points(problem: Problem) -> torch.Tensor:
    return problem.model.init(2, torch.Generator().manual_seed(0), dtype=F64)


def test_fixed_level_path_requires_a_lipschitz_loss():
    # half_squared is convex but not Lipschitz: ll:thm-fixed-level needs κ ≥ L·D_X
    problem = _relu_problem("half_squared")
    p = _two_points(problem)
    with pytest.raises(LossHypothesisError, match=r"not Lipschitz.*ll:thm-fixed-level"):
        fixed_level_path(problem, p[0], p[1])
    # negative-control mode waives it: the path is built
    path = fixed_level_path(problem, p[0], p[1], negative_control=True)
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])


def test_fixed_level_path_requires_a_convex_loss():
    problem = _relu_problem("ramp")  # Lipschitz, not convex
    p = _two_points(problem)
    with pytest.raises(LossHypothesisError, match=r"not convex.*ll:thm-fixed-level"):
        fixed_level_path(problem, p[0], p[1])


def test_fixed_level_path_accepts_a_lipschitz_convex_loss_at_the_kappa_threshold():
    problem = _relu_problem("hinge", kappa=1.0)
    threshold = problem.loss.L * data_scale(problem.X)
    at = Problem(ReluNet(3, 4, float(threshold)), problem.X, problem.Y, problem.loss)
    p = _two_points(at)
    assert fixed_level_path(at, p[0], p[1]).exact  # κ = L·D_X is allowed
    below = Problem(ReluNet(3, 4, float(threshold) * (1 - 1e-9)), problem.X, problem.Y,
                    problem.loss)
    with pytest.raises(ValueError, match="kappa"):
        fixed_level_path(below, p[0], p[1])


def test_one_dimensional_path_requires_a_convex_loss():
    problem = _relu_problem("sigmoid", n=1)
    p = _two_points(problem)
    with pytest.raises(LossHypothesisError, match=r"not convex.*ll:cor-1d"):
        one_dimensional_path(problem, p[0], p[1])
    path = one_dimensional_path(problem, p[0], p[1], negative_control=True)
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])
    # a non-Lipschitz convex loss is fine for ll:cor-1d
    convex = _relu_problem("half_squared", n=1)
    assert one_dimensional_path(convex, p[0], p[1]).exact


@pytest.mark.parametrize(
    ("loss", "method", "refusal"),
    [
        ("ramp", "sampling", "not convex"),
        ("ramp", "pruning", "not convex"),
        ("half_squared", "pruning", r"not Lipschitz.*ll:pruning"),
        ("no_holder", "sampling", r"no Hölder.*ll:sampling"),
        ("no_holder", "pruning", "not Lipschitz"),
    ],
)
def test_require_hypotheses_refuses_what_each_method_lacks(loss, method, refusal):
    if loss == "no_holder":  # convex, neither Lipschitz nor Hölder
        the_loss = dataclasses.replace(get_loss("half_squared"), name="no_holder", holder=None)
    else:
        the_loss = get_loss(loss)
    with pytest.raises(LossHypothesisError, match=refusal):
        require_hypotheses(the_loss, method)
    require_hypotheses(the_loss, method, negative_control=True)  # waived


@pytest.mark.parametrize(
    ("loss", "method"),
    [("half_squared", "sampling"), ("mse", "sampling"), ("hinge", "sampling"),
     ("hinge", "pruning"), ("absolute", "pruning"), ("bce_logit", "sampling")],
)
def test_require_hypotheses_accepts_what_each_method_has(loss, method):
    require_hypotheses(get_loss(loss), method)  # no error


def test_require_hypotheses_refuses_an_unknown_method_even_as_negative_control():
    with pytest.raises(ValueError, match="method"):
        require_hypotheses(get_loss("hinge"), "sparsify", negative_control=True)
