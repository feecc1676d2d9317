"""Behaviour that small wrong edits of the library used to get away with.

Each test here was written for a mutant that passed the rest of the suite (issue 14, and
`relu-landscape selftest --mutation`, docs/mutation.md): it states the behaviour the
edit broke, not the text of the code.

- DSS trains each bead down to `bead_fraction`·L0, never above it;
- the plateau rule of `train` only ever lowers a model's learning rate;
- every `require` guard of the constructive paths refuses what it should, and only that;
"""

from __future__ import annotations

import dataclasses

import pytest
import torch

from numerics import (
    Dataset,
    FlatModel,
    Problem,
    ReluNet,
    data_scale,
    dss_batched,
    dss_recursive,
    fixed_level_path,
    gap_of,
    moons,
    one_dimensional_path,
    require_hypotheses,
    train,
)
from theory.losses import LossHypothesisError, get_loss

F64 = torch.float64


# ---- DSS: beads end at or below their target level ------------------------------------


@pytest.fixture(scope="module")
def bead_case():
    """Two independently trained small nets on moons: the straight segment between them
    rises above their level, so DSS must train beads."""
    problem = Problem.of(ReluNet(3, 6, 1e-3), moons(n_samples=60, seed=1),
                         get_loss("bce_logit"))
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


# ---- train: the plateau rule only lowers the learning rate -----------------------------


def _abs_problem() -> Problem:
    """F(p) = |p| for one parameter: Φ ≡ p on four points with target 0, absolute loss.
    Its gradient is ±1, so every Adam step has length exactly lr·|m̂|/√v̂ ≤ lr."""
    model = FlatModel(1, lambda p, X: p[:, :1].expand(-1, X.shape[0]))
    data = Dataset("abs", torch.ones(4, 1, dtype=F64), torch.zeros(4, dtype=F64),
                   task="regression")
    return Problem.of(model, data, get_loss("absolute"), dtype=F64)


def _trajectory(problem: Problem, steps: int, **kwargs) -> torch.Tensor:
    """p after 0, 1, …, `steps` steps (train is deterministic, so each run is a prefix)."""
    p0 = torch.ones(1, 1, dtype=F64)
    return torch.stack([train(problem, p0, steps=k, **kwargs).p[0, 0] for k in range(steps + 1)])


def test_plateau_rule_only_lowers_the_learning_rate():
    problem, lr = _abs_problem(), 0.3
    plain = _trajectory(problem, 30, lr=lr)
    cut = _trajectory(problem, 30, lr=lr, plateau=(0.5, 2))
    # the first steps move by exactly lr, before any plateau
    assert torch.allclose(plain[:4], torch.tensor([1.0, 0.7, 0.4, 0.1], dtype=F64))
    assert torch.equal(cut[:4], plain[:4])
    # no step is ever longer than the initial lr ...
    assert float(cut.diff().abs().max()) <= lr * (1 + 1e-9)
    # ... and once F stalls the steps shrink: after the cuts they are below lr·factor
    assert float(cut[-10:].diff().abs().max()) <= 0.5 * lr
    assert abs(float(cut[-1])) < float(plain[-5:].abs().max())


def test_plateau_with_factor_one_changes_nothing():
    problem = _abs_problem()
    assert torch.equal(_trajectory(problem, 12, lr=0.3),
                       _trajectory(problem, 12, lr=0.3, plateau=(1.0, 1)))


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


def test_train_defaults_and_its_step_refusal():
    problem = _abs_problem()
    p0 = torch.ones(1, 1, dtype=F64)
    assert int(train(problem, p0).steps[0]) == 500  # F = |p| is never 0 exactly
    # the first Adam step has length lr exactly (|gradient| = 1)
    assert float(train(problem, p0, steps=1).p[0, 0]) == pytest.approx(1.0 - 0.01, abs=1e-9)
    with pytest.raises(ValueError, match=r"^steps must be ≥ 0, got -1$"):
        train(problem, p0, steps=-1)


def test_train_works_in_the_problems_dtype():
    problem = _abs_problem()  # float64
    result = train(problem, torch.ones(1, 1, dtype=torch.float32), steps=2, lr=0.3)
    assert result.p.dtype == F64
    # the target is compared in float64: a target just below F after one step is not
    # reached, although float32 would round it up to F (a rate chosen where it does)
    p0 = torch.ones(1, 1, dtype=F64)
    for lr in (0.05 + 0.01 * i for i in range(40)):
        F_1 = float(train(problem, p0, steps=1, lr=lr).F[0])
        target = F_1 - 1e-12
        if float(torch.tensor(target, dtype=torch.float32)) >= F_1:
            break
    else:
        pytest.fail("no rate where float32 rounding of the target matters")
    res = train(problem, p0, steps=1, lr=lr, target=target)
    assert not bool(res.reached[0]) and float(res.F[0]) > target
