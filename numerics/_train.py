"""Full-batch Adam, batched over B independent models, with projection.

Each model b has its own learning rate lr_b (ReduceLROnPlateau acts per model) and stops
on its own once F_b ≤ target_b; stopped models keep their parameters. Adam's update is
elementwise, so one (B, P) tensor is exactly B independent Adam runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from numerics._problem import Problem


@dataclass(frozen=True)
class TrainResult:
    """`p` `(B, P)` final parameters, `F` `(B,)` their objective, `steps` `(B,)` steps
    taken, `reached` `(B,)` whether F ≤ target was reached (all False without a target)."""

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
    target: float | torch.Tensor | None = None,
    plateau: tuple[float, int] | None = None,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> TrainResult:
    """Minimize F from `p0` `(B, P)` with projected Adam.

    **Arguments**
    - `steps`: step budget per model.
    - `target`: stop model b once F_b ≤ target_b (scalar or `(B,)`).
    - `plateau`: (factor, patience) — multiply lr_b by factor when F_b has not improved
      for `patience` steps (ReduceLROnPlateau per model).
    """
    if steps < 0:
        raise ValueError(f"steps must be ≥ 0, got {steps}")
    model = problem.model
    B = p0.shape[0]
    p = model.project(p0.detach().to(problem.device, problem.dtype)).clone()
    tgt = None if target is None else torch.as_tensor(target, dtype=p.dtype,
                                                      device=p.device).expand(B)
    lr_b = torch.full((B,), float(lr), dtype=p.dtype, device=p.device)
    m1 = torch.zeros_like(p)
    m2 = torch.zeros_like(p)
    active = torch.ones(B, dtype=torch.bool, device=p.device)
    taken = torch.zeros(B, dtype=torch.long, device=p.device)
    best = torch.full((B,), float("inf"), dtype=p.dtype, device=p.device)
    stale = torch.zeros(B, dtype=torch.long, device=p.device)
    b1, b2 = betas
    for _ in range(steps):
        p.requires_grad_(True)
        F = problem.F(p)
        (grad,) = torch.autograd.grad(F.sum(), p)
        p = p.detach()
        F = F.detach()
        if tgt is not None:
            active &= F > tgt
        if not active.any():
            break
        if plateau is not None:
            factor, patience = plateau
            improved = F < best * (1 - 1e-4)
            best = torch.where(improved, F, best)
            stale = torch.where(improved, 0, stale + 1)
            cut = stale > patience
            lr_b = torch.where(cut & active, lr_b * factor, lr_b)
            stale = torch.where(cut, 0, stale)
        # $m_t \leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t$
        # $v_t \leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2$
        m1 = torch.where(active[:, None], b1 * m1 + (1 - b1) * grad, m1)
        m2 = torch.where(active[:, None], b2 * m2 + (1 - b2) * grad * grad, m2)
        t = (taken + 1).to(p.dtype)[:, None]
        # $p \leftarrow \Pi(p - \mathrm{lr}\, \hat m_t / (\sqrt{\hat v_t} + \epsilon))$
        step = lr_b[:, None] * (m1 / (1 - b1**t)) / ((m2 / (1 - b2**t)).sqrt() + eps)
        p = torch.where(active[:, None], model.project(p - step), p)
        taken += active.long()
    with torch.no_grad():
        F = problem.F(p)
    reached = torch.zeros(B, dtype=torch.bool, device=p.device) if tgt is None else F <= tgt
    return TrainResult(p, F, taken, reached)
