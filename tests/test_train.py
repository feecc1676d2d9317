"""`train` (numerics._train): against an independent oracle, torch's own Adam and
ReduceLROnPlateau, and on F(p) = |p|, where every number is exact.

The tests marked `fast` run against every mutant of `numerics._train` (mutation.toml):
small nets, few steps, float64. Each batched run must give, model by model, the parameters
that `torch.optim.Adam` (with the model's projection after each step, and per-model
`ReduceLROnPlateau(threshold=1e-4)` when a plateau rule is given) reaches alone, stopping
at the first step where its F ≤ its target, and returning the lowest iterate it visited.
The plateau rule only ever lowers a model's learning rate.
"""

from __future__ import annotations

import pytest
import torch
from _problems import abs_problem, moons_problem
from conftest import warm_up_optimizer

from numerics import Problem, train

F64 = torch.float64


# the mutation runs fork after collecting: pay torch.optim's import here, once
warm_up_optimizer()


@pytest.fixture(scope="module")
def problem() -> Problem:
    return moons_problem("bce_logit", 4, N=40, seed=2)


@pytest.fixture(scope="module")
def p0(problem) -> torch.Tensor:
    return problem.model.init(3, torch.Generator().manual_seed(5), dtype=F64)


def _oracle(problem: Problem, p0: torch.Tensor, *, steps: int, lr: float,
            target: float | None = None, plateau: tuple[float, int] | None = None,
            betas=(0.9, 0.999), eps=1e-8) -> tuple[torch.Tensor, int, float]:
    """One model trained by torch.optim.Adam: (best p, steps taken, its F)."""
    p = problem.model.project(p0[None].clone())[0].requires_grad_(True)
    opt = torch.optim.Adam([p], lr=lr, betas=betas, eps=eps)
    sched = None
    if plateau is not None:
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, mode="min", factor=plateau[0], patience=plateau[1], threshold=1e-4,
            threshold_mode="rel", cooldown=0, min_lr=0.0, eps=0.0)
    taken = 0
    best_F, best_p = float("inf"), p.detach().clone()
    for _ in range(steps):
        F, grad = problem.F_and_grad(p.detach()[None])
        if float(F[0]) < best_F:
            best_F, best_p = float(F[0]), p.detach().clone()
        if target is not None and float(F[0]) <= target:
            break
        if sched is not None:
            sched.step(float(F[0]))
        p.grad = grad[0].clone()
        opt.step()
        with torch.no_grad():
            p.copy_(problem.model.project(p[None])[0])
        taken += 1
    final = float(problem.F(p.detach()[None])[0])
    if best_F < final:
        return best_p, taken, best_F
    return p.detach(), taken, final


def _assert_matches_oracle(result, problem, p0, targets=None, **kwargs):
    for b in range(p0.shape[0]):
        target = None if targets is None else targets[b]
        p, taken, F = _oracle(problem, p0[b], target=target, **kwargs)
        torch.testing.assert_close(result.p[b], p, rtol=1e-9, atol=1e-12)
        assert int(result.steps[b]) == taken
        assert float(result.F[b]) == pytest.approx(F, rel=1e-9)
        assert bool(result.reached[b]) == (target is not None and F <= target)


@pytest.mark.fast
def test_batched_adam_is_torch_adam_per_model(problem, p0):
    result = train(problem, p0, steps=25, lr=0.05, betas=(0.8, 0.99), eps=1e-3)
    _assert_matches_oracle(result, problem, p0, steps=25, lr=0.05, betas=(0.8, 0.99), eps=1e-3)
    assert result.p.dtype == F64 and result.steps.dtype == torch.long
    assert result.p.shape == p0.shape and result.F.shape == (3,)
    # the returned F is the objective of the returned parameters
    assert torch.equal(result.F, problem.F(result.p))
    assert not bool(result.reached.any())  # no target: never reached


@pytest.mark.fast
def test_the_documented_defaults(problem, p0):
    explicit = train(problem, p0, steps=500, lr=0.01, target=None, plateau=None,
                     betas=(0.9, 0.999), eps=1e-8)
    default = train(problem, p0)
    assert torch.equal(default.p, explicit.p) and torch.equal(default.steps, explicit.steps)
    _assert_matches_oracle(default, problem, p0[:1], steps=500, lr=0.01)


@pytest.mark.fast
def test_each_model_stops_at_its_own_target(problem, p0):
    # targets between the first and the final F of each model: each stops on its own step
    free = train(problem, p0, steps=40, lr=0.05)
    F0 = problem.F(problem.model.project(p0))
    targets = [float(F0[0]) * 1.01,  # reached before the first step
               float(0.5 * (F0[1] + free.F[1])),  # reached on the way
               float(free.F[2]) * 0.5]  # not reached in 40 steps
    result = train(problem, p0, steps=40, lr=0.05, target=torch.tensor(targets, dtype=F64))
    _assert_matches_oracle(result, problem, p0, targets, steps=40, lr=0.05)
    assert result.steps.tolist()[0] == 0 and 0 < result.steps.tolist()[1] < 40
    assert result.steps.tolist()[2] == 40
    assert result.reached.tolist() == [True, True, False]
    # a scalar target applies to every model
    scalar = train(problem, p0, steps=40, lr=0.05, target=targets[1])
    _assert_matches_oracle(scalar, problem, p0, [targets[1]] * 3, steps=40, lr=0.05)


@pytest.mark.fast
def test_all_models_stopped_ends_the_run(problem, p0):
    result = train(problem, p0, steps=30, lr=0.05, target=1e9)
    assert result.steps.tolist() == [0, 0, 0] and bool(result.reached.all())
    torch.testing.assert_close(result.p, problem.model.project(p0), rtol=0, atol=0)


@pytest.mark.fast
def test_plateau_rule_is_torchs_reduce_on_plateau(problem, p0):
    # a large rate makes F stall and oscillate, so the rule cuts the rate several times
    kwargs = {"steps": 60, "lr": 0.8, "plateau": (0.3, 2)}
    result = train(problem, p0, **kwargs)
    _assert_matches_oracle(result, problem, p0, **kwargs)
    assert not torch.allclose(result.p, train(problem, p0, steps=60, lr=0.8).p)


@pytest.mark.fast
def test_plateau_with_stopped_models(problem, p0):
    free = train(problem, p0, steps=50, lr=0.8, plateau=(0.3, 2))
    targets = [float(free.F[0]) * 0.5, float(free.F[1]) * 1.001, float(free.F[2]) * 0.5]
    kwargs = {"steps": 50, "lr": 0.8, "plateau": (0.3, 2)}
    result = train(problem, p0, target=torch.tensor(targets, dtype=F64), **kwargs)
    _assert_matches_oracle(result, problem, p0, targets, **kwargs)
    assert result.reached.tolist() == [False, True, False]


@pytest.mark.fast
def test_zero_steps_is_the_projected_start(problem, p0):
    result = train(problem, p0 * 3.0, steps=0)
    torch.testing.assert_close(result.p, problem.model.project(p0 * 3.0), rtol=0, atol=0)
    assert result.steps.tolist() == [0, 0, 0]


# ---- boundaries on F(p) = |p|, where every number is exact -----------------------------


@pytest.mark.fast
def test_a_target_equal_to_F_is_reached_before_any_step():
    problem = abs_problem()
    result = train(problem, torch.ones(1, 1, dtype=F64), steps=5, lr=0.1, target=1.0)
    assert result.steps.tolist() == [0] and result.reached.tolist() == [True]
    assert result.reached.dtype == torch.bool
    free = train(problem, torch.ones(1, 1, dtype=F64), steps=5, lr=0.1)
    assert free.reached.dtype == torch.bool and free.reached.tolist() == [False]


@pytest.mark.fast
@pytest.mark.parametrize("batch", [False, True])
def test_an_improvement_is_a_drop_below_best_times_one_minus_1e4(batch):
    """ReduceLROnPlateau's rule (threshold 1e-4, relative): F = best·(1 − 10⁻⁴) exactly is
    no improvement, so with patience 0 the rate is cut before the second step; F just
    below it is one (the best F is kept in float64, also once other models stopped)."""
    problem = abs_problem()

    def second_step(p0: float, lr: float, cut: bool):
        # a second model that stops at once puts the first on the indexed path
        p = torch.tensor([[p0], [0.5]] if batch else [[p0]], dtype=F64)
        target = torch.tensor([-1.0, 1.0] if batch else [-1.0], dtype=F64)
        one, two = (train(problem, p, steps=k, lr=lr, eps=0.0, plateau=(0.5, 0),
                          target=target).p[0, 0] for k in (1, 2))
        assert float(one) == p0 - lr  # the first step: exactly lr
        assert float(one - two) == pytest.approx(lr * (0.5 if cut else 1.0), rel=1e-6)

    assert 1.0 - 1e-4 == 1.0 * (1 - 1e-4)
    second_step(1.0, 1e-4, cut=True)  # F₁ = 1 − 10⁻⁴ = F₀·(1 − 10⁻⁴): no improvement
    p0 = 1.0 + 2.0**-30  # not a float32 number
    below = p0 * (1 - 1e-4) - 2.0**-40  # above float32(p0)·(1 − 10⁻⁴)
    assert p0 - (p0 - below) == below
    second_step(p0, p0 - below, cut=False)


# ---- the plateau rule only lowers the learning rate -----------------------------------


def _trajectory(problem: Problem, steps: int, **kwargs) -> torch.Tensor:
    """p after 0, 1, …, `steps` steps (train is deterministic, so each run is a prefix)."""
    p0 = torch.ones(1, 1, dtype=F64)
    return torch.stack([train(problem, p0, steps=k, **kwargs).p[0, 0] for k in range(steps + 1)])


def test_plateau_rule_only_lowers_the_learning_rate():
    problem, lr = abs_problem(), 0.3
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
    problem = abs_problem()
    assert torch.equal(_trajectory(problem, 12, lr=0.3),
                       _trajectory(problem, 12, lr=0.3, plateau=(1.0, 1)))


# ---- defaults, refusals and the problem's dtype ---------------------------------------


@pytest.mark.fast
def test_train_defaults_and_its_step_refusal():
    problem = abs_problem()
    p0 = torch.ones(1, 1, dtype=F64)
    assert int(train(problem, p0).steps[0]) == 500  # F = |p| is never 0 exactly
    # the first Adam step has length lr exactly (|gradient| = 1)
    assert float(train(problem, p0, steps=1).p[0, 0]) == pytest.approx(1.0 - 0.01, abs=1e-9)
    with pytest.raises(ValueError, match=r"^steps must be ≥ 0, got -1$"):
        train(problem, p0, steps=-1)


@pytest.mark.fast
def test_train_works_in_the_problems_dtype():
    problem = abs_problem()  # float64
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
