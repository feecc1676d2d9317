"""Full-batch Adam, batched over B independent models, with projection.

Each model b has its own learning rate lr_b (ReduceLROnPlateau acts per model) and stops
on its own once F_b ≤ target_b; stopped models keep their parameters and leave the batch
(no more F or gradient work). Adam's update is elementwise, so one (B, P) tensor is
exactly B independent Adam runs. Gradients come from `Problem.F_and_grad` (closed form for
the ReLU nets).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from numerics._problem import Problem
from theory.errors import InvalidArgumentError


@dataclass(frozen=True)
class TrainResult:
    """`p` `(B, P)` the best iterate of each model (the lowest F it visited, so training
    never returns a point above its start), `F` `(B,)` its objective, `steps` `(B,)` steps
    taken, `reached` `(B,)` whether F ≤ target was reached (all False without a target).

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, train
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> result = train(problem, problem.model.init(2, torch.Generator().manual_seed(0)), steps=5)
    >>> tuple(result.p.shape), result.steps.tolist(), result.reached.tolist()
    ((2, 16), [5, 5], [False, False])
    """

    p: torch.Tensor
    F: torch.Tensor
    steps: torch.Tensor
    reached: torch.Tensor


def train(
    problem: Problem,
    p0: torch.Tensor,
    *,
    steps: int = 500,
    lr: float = 0.01,
    target: float | Sequence[float] | torch.Tensor | None = None,
    plateau: tuple[float, int] | None = None,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> TrainResult:
    """Minimize F from `p0` `(B, P)` with projected Adam; return each model's best iterate.

    A projection that is not a descent step (e.g. `BiasReluNet.project`, which keeps Φ but
    moves the ℓ1 term) can raise F along the run; returning the best iterate keeps
    training a descent method whatever the projection does.

    **Arguments**
    - `steps`: step budget per model.
    - `target`: stop model b once F_b ≤ target_b (scalar, or `(B,)` values: a tensor or a
      sequence of floats, converted once to the problem's dtype).
    - `plateau`: (factor, patience) — multiply lr_b by factor when F_b has not improved
      for `patience` steps (ReduceLROnPlateau per model).

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, train
    >>> from theory.losses import get_loss
    >>> data = moons(n_samples=20)
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), data, get_loss("logistic"), dtype=torch.float64)
    >>> p0 = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> result = train(problem, p0, steps=50)
    >>> bool((result.F < problem.F(p0)).all()), result.steps.tolist()
    (True, [50, 50])
    """
    if steps < 0:
        raise InvalidArgumentError(f"steps must be ≥ 0, got {steps}")
    model = problem.model
    B = p0.shape[0]
    p = model.project(p0.detach().to(problem.device, problem.dtype)).clone()
    tgt = None if target is None else torch.as_tensor(target, dtype=p.dtype,
                                                      device=p.device).expand(B)
    taken = torch.zeros(B, dtype=torch.long, device=p.device)
    b1, b2 = betas
    # the state of the models still training (their indices `idx`), kept compact: a model
    # that stops writes its parameters into `p` once and leaves these tensors for good, so
    # every active model has taken the same number of steps and Adam's bias correction is
    # shared
    idx = torch.arange(B, device=p.device)
    q = p.clone()
    lr_a = torch.full((B,), float(lr), dtype=p.dtype, device=p.device)
    best_a = torch.full((B,), float("inf"), dtype=p.dtype, device=p.device)
    stale_a = torch.zeros(B, dtype=torch.long, device=p.device)
    m1_a, m2_a = torch.zeros_like(p), torch.zeros_like(p)
    # the best iterate so far of every model (lowest F visited) and its F
    best_p = p.clone()
    best_F = torch.full((B,), float("inf"), dtype=p.dtype, device=p.device)
    for t in range(1, steps + 1):
        F, grad = problem.F_and_grad(q)
        better = F < best_F[idx]
        if bool(better.any()):
            best_F[idx[better]] = F[better]
            best_p[idx[better]] = q[better]
        if tgt is not None:
            keep = F > tgt[idx]
            if not bool(keep.all()):
                done = ~keep
                p[idx[done]] = q[done]
                idx, q, F, grad = idx[keep], q[keep], F[keep], grad[keep]
                lr_a, best_a, stale_a = lr_a[keep], best_a[keep], stale_a[keep]
                m1_a, m2_a = m1_a[keep], m2_a[keep]
                if idx.numel() == 0:
                    break
        if plateau is not None:
            factor, patience = plateau
            improved = F < best_a * (1 - 1e-4)
            best_a = torch.where(improved, F, best_a)
            stale_a = torch.where(improved, 0, stale_a + 1)
            cut = stale_a > patience
            lr_a = torch.where(cut, lr_a * factor, lr_a)
            stale_a = torch.where(cut, 0, stale_a)
        # $m_t \leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t$
        m1_a = m1_a.mul_(b1).add_(grad, alpha=1 - b1)
        # $v_t \leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2$
        m2_a = m2_a.mul_(b2).addcmul_(grad, grad, value=1 - b2)
        # $p \leftarrow \Pi(p - \mathrm{lr}\, \hat m_t / (\sqrt{\hat v_t} + \epsilon))$,
        # $\hat m_t = m_t / (1 - \beta_1^t)$, $\hat v_t = v_t / (1 - \beta_2^t)$
        denom = (m2_a / (1 - b2**t)).sqrt_().add_(eps)
        step = (m1_a / (1 - b1**t)).div_(denom).mul_(lr_a[:, None])
        q = model.project(q - step)
        taken[idx] += 1
    p[idx] = q
    with torch.no_grad():
        F = problem.F(p)
    # the last iterate unless an earlier one was lower
    earlier = best_F < F
    p[earlier], F[earlier] = best_p[earlier], best_F[earlier]
    reached = torch.zeros(B, dtype=torch.bool, device=p.device) if tgt is None else F <= tgt
    return TrainResult(p, F, taken, reached)
