"""Sparsification of the output layer θ at fixed W, and the ε it costs in theory.

With a = ‖θ‖₁ and q = m − l active coefficients kept:
- `maurey_sample` (`ll:sampling`): I₁..I_q iid with P(I = i) = |θ_i|/a,
  θ̂_i = (a/q) sgn(θ_i) N_i; then ‖θ̂‖₀ ≤ q, ‖θ̂‖₁ = a and E θ̂ = θ;
- `prune` (`ll:pruning`): keep the q largest |θ_i|, zero the rest;
- `refit_output`: minimize F_m(W, ·) over θ with supp θ ⊆ supp θ̂ at fixed W, a convex
  problem (`ll:convex-output`), so the segment θ → θ̂ stays `convex`;
- `sparsify`: θ ↦ θ̂ by either method (`METHODS`), best of the draws, then the refit if
  it lowers F;
- `sampling_bound`, `pruning_bound`: the theorem's ε_thm, L·a·D_X/√q (Hölder:
  H/(1+α)·(a·D_X/√q)^{1+α}) and (L·D_X − κ)₊·(l/m)·a.

Exact quantities are computed in float64; the refit runs in the problem's dtype.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from numerics._problem import Problem
from numerics._walk import _relu_model
from theory.errors import InvalidArgumentError
from theory.losses import Loss

METHODS = ("sampling", "pruning")



def maurey_sample(theta: torch.Tensor, q: int, draws: int,
                  generator: torch.Generator) -> torch.Tensor:
    """Penalty-preserving Maurey sampling (`ll:sampling`), `draws` independent draws.

    **Arguments**
    - `theta`: θ, shape `(B, m)`.
    - `q`: number of draws I₁..I_q per realization, 1 ≤ q.
    - `generator`: a CPU `torch.Generator` (the draws do not depend on the device).

    **Returns** θ̂ of shape `(B, draws, m)`: ‖θ̂‖₀ ≤ q, ‖θ̂‖₁ = ‖θ‖₁, E θ̂ = θ.
    θ = 0 gives θ̂ = 0.

    >>> import torch
    >>> from numerics import maurey_sample
    >>> theta = torch.tensor([[0.5, -0.25, 0.25, 0.0]], dtype=torch.float64)
    >>> theta_hat = maurey_sample(theta, q=2, draws=3, generator=torch.Generator().manual_seed(0))
    >>> tuple(theta_hat.shape), theta_hat.abs().sum(-1).tolist()  # ‖θ̂‖₁ = ‖θ‖₁ = 1
    ((1, 3, 4), [[1.0, 1.0, 1.0]])
    >>> bool(((theta_hat != 0).sum(-1) <= 2).all())  # at most q atoms
    True
    """
    if q < 1 or draws < 1:
        raise InvalidArgumentError(f"q and draws must be ≥ 1, got q={q}, draws={draws}")
    B, m = theta.shape
    mass = theta.detach().double().cpu().abs()
    a = mass.sum(-1, keepdim=True)
    # $P(I = i) = |\theta_i| / a$ (uniform when θ = 0: every θ̂ is 0 then)
    probs = torch.where(a > 0, mass / a.clamp_min(torch.finfo(a.dtype).tiny), 1.0 / m)
    I = torch.multinomial(probs.repeat_interleave(draws, 0), q, replacement=True,
                          generator=generator)
    counts = torch.zeros(B * draws, m, dtype=torch.float64).scatter_add_(
        1, I, torch.ones_like(I, dtype=torch.float64)).view(B, draws, m)
    # $\hat\theta_i = \frac{a}{q}\,\mathrm{sgn}(\theta_i)\, N_i$
    theta_hat = (a / q)[:, :, None] * theta.detach().cpu().double().sign()[:, None] * counts
    return theta_hat.to(theta.device)


def prune(theta: torch.Tensor, q: int) -> torch.Tensor:
    """Keep the q largest-mass coefficients |θ_i| of each row, zero the rest (`ll:pruning`).

    **Arguments** `theta`: θ, shape `(B, m)`; `q` ≥ 1. **Returns** θ_pr, shape `(B, m)`.

    >>> import torch
    >>> from numerics import prune
    >>> prune(torch.tensor([[0.5, -0.25, 0.125, 0.0]]), q=2).tolist()
    [[0.5, -0.25, 0.0, 0.0]]
    """
    if q < 1:
        raise InvalidArgumentError(f"q must be ≥ 1, got {q}")
    keep = theta.abs().topk(min(q, theta.shape[-1]), dim=-1).indices
    return torch.zeros_like(theta).scatter(-1, keep, theta.gather(-1, keep))


def refit_output(problem: Problem, p: torch.Tensor, *, steps: int = 200,
                 lr: float = 0.01) -> torch.Tensor:
    """Minimize F(W, θ) over θ with supp θ ⊆ supp θ₀ at the fixed W of `p` (a convex problem,
    `ll:convex-output`), by Adam in the problem's dtype.

    **Arguments** `p`: points (W, θ₀), shape `(B, P)`.
    **Returns** shape `(B, P)`: the best iterate of each model (F never above F(p) in the
    problem's dtype), same W, support within that of θ₀.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, refit_output
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> p = problem.model.init(2, torch.Generator().manual_seed(0))
    >>> refit = refit_output(problem, p, steps=20)
    >>> bool((problem.F(refit) <= problem.F(p)).all())
    True
    >>> torch.equal(problem.model.split(refit)[0], problem.model.split(p)[0])  # W is kept
    True
    """
    model = _relu_model(problem)
    p = p.detach().to(problem.device, problem.dtype)
    W, theta0 = model.split(p)
    mask = (theta0 != 0).to(theta0.dtype)
    theta = theta0.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([theta], lr=lr)
    best, best_F = theta0.clone(), problem.F(p)
    for _ in range(steps):
        F = problem.F(model.join(W, theta * mask))
        improved = F.detach() < best_F
        best = torch.where(improved[:, None], (theta * mask).detach(), best)
        best_F = torch.where(improved, F.detach(), best_F)
        optimizer.zero_grad()
        F.sum().backward()
        optimizer.step()
    return model.join(W, best)


@dataclass(frozen=True)
class Sparsified:
    """Sparsified endpoints: `theta` θ̂ `(B, m)` float64 with ‖θ̂‖₀ ≤ q, `F` F(W, θ̂) `(B,)`
    float64, `refitted` `(B,)` whether the refit lowered F and was kept.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, sparsify
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> p = problem.model.init(2, torch.Generator().manual_seed(0))
    >>> result = sparsify(problem, p, q=3, method="pruning", refit_steps=0)
    >>> tuple(result.theta.shape), result.F.dtype, result.refitted.tolist()
    ((2, 6), torch.float64, [False, False])
    """

    theta: torch.Tensor
    F: torch.Tensor
    refitted: torch.Tensor


def sparsify(problem: Problem, p: torch.Tensor, q: int, *, method: str = "sampling",
             draws: int = 32, refit_steps: int = 200,
             generator: torch.Generator | None = None) -> Sparsified:
    """θ ↦ θ̂ with ≤ q active coefficients at fixed W, then an optional refit.

    **Arguments**
    - `p`: points (W, θ), shape `(B, P)`.
    - `method`: "sampling" (best of `draws` Maurey draws, all evaluated in one batched
      F call) or "pruning".
    - `refit_steps`: Adam steps of `refit_output` (0: no refit); a refit is kept only if it
      lowers F in float64.
    - `generator`: CPU generator for the draws (default: seeded with 0).

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, sparsify
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"),
    ...                      dtype=torch.float64)
    >>> p = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> result = sparsify(problem, p, q=3, draws=8, refit_steps=0)
    >>> bool(((result.theta != 0).sum(-1) <= 3).all()), torch.allclose(result.F, problem.F(
    ...     problem.model.join(problem.model.split(p)[0], result.theta)))
    (True, True)
    """
    if method not in METHODS:
        raise InvalidArgumentError(f"method must be one of {METHODS}, got {method!r}")
    model = _relu_model(problem)
    exact = problem.with_dtype(torch.float64)
    p = p.detach().to(problem.device, torch.float64)
    W, theta = model.split(p)
    B = p.shape[0]
    if method == "sampling":
        gen = torch.Generator().manual_seed(0) if generator is None else generator
        candidates = maurey_sample(theta, q, draws, gen)
        F = exact.F(model.join(W.repeat_interleave(draws, 0), candidates.flatten(0, 1)))
        best = F.view(B, draws).argmin(-1)
        theta_hat = candidates[torch.arange(B), best]
        F_hat = F.view(B, draws)[torch.arange(B), best]
    else:
        theta_hat = prune(theta, q)
        F_hat = exact.F(model.join(W, theta_hat))
    refitted = torch.zeros(B, dtype=torch.bool, device=p.device)
    if refit_steps > 0:
        _, theta_fit = model.split(refit_output(problem, model.join(W, theta_hat),
                                                steps=refit_steps).double())
        F_fit = exact.F(model.join(W, theta_fit))
        refitted = F_fit < F_hat
        theta_hat = torch.where(refitted[:, None], theta_fit, theta_hat)
        F_hat = torch.where(refitted, F_fit, F_hat)
    return Sparsified(theta_hat, F_hat, refitted)

def sampling_bound(loss: Loss, a: float, D_X: float, q: int) -> float:
    """ε_thm of `ll:sampling`: L·a·D_X/√q, or H/(1+α)·(a·D_X/√q)^{1+α} for a Hölder loss
    without L (`theory.bounds`, generated from the registered statement); NaN for a loss
    with neither (a negative control).

    >>> from numerics import sampling_bound
    >>> from theory.losses import get_loss
    >>> sampling_bound(get_loss("logistic"), a=2.0, D_X=1.5, q=9)  # L a D_X/√q
    1.0
    >>> sampling_bound(get_loss("half_squared"), a=1.0, D_X=1.0, q=4)  # Hölder (1, 1): ½(½)²
    0.125
    """
    from theory import bounds

    if loss.L is not None:
        return bounds.sampling_gap(float(loss.L), a, D_X, q)
    if loss.holder is not None:
        alpha, H = (float(v) for v in loss.holder)
        return bounds.sampling_holder_gap(H, alpha, a, D_X, q)
    return math.nan


def pruning_bound(loss: Loss, a: float, D_X: float, kappa: float, l: int, m: int) -> float:
    """ε_thm of `ll:pruning`: (L·D_X − κ)₊·(l/m)·a (`theory.bounds`); NaN without L.

    >>> from numerics import pruning_bound
    >>> from theory.losses import get_loss
    >>> pruning_bound(get_loss("hinge"), a=3.0, D_X=2.0, kappa=1.0, l=2, m=4)  # 1 · ½ · 3
    1.5
    >>> pruning_bound(get_loss("mse"), a=3.0, D_X=2.0, kappa=1.0, l=2, m=4)  # no L
    nan
    """
    from theory import bounds

    if loss.L is None:
        return math.nan
    return bounds.pruning_gap(float(loss.L), D_X, kappa, a, l, m)
