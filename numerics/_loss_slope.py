r"""Closed-form slopes $\mathcal L'(y, u) = \partial_u \mathcal L(y, u)$ of the catalogue's losses.

At a kink each formula returns the value torch's autograd gives for the loss's torch form
(`clamp` passes the gradient on its closed range, `abs` and `sign` give 0 at 0), so the
closed-form gradient of F equals the autograd reference everywhere; the tests compare
them. A loss outside the catalogue falls back to autograd on its torch form (an (B, N)
computation, cheap beside the network's).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from theory.losses import Loss

Slope = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _between(x: torch.Tensor, lo: float, hi: float) -> torch.Tensor:
    return ((x >= lo) & (x <= hi)).to(x.dtype)


_SLOPES: dict[str, Slope] = {
    # $\sigma(u) - y$
    "bce_logit": lambda y, u: torch.sigmoid(u) - y,
    # $-y\,\sigma(-yu)$
    "logistic": lambda y, u: -y * torch.sigmoid(-y * u),
    # $-y\,[1 - yu \ge 0]$
    "hinge": lambda y, u: -y * (1 - y * u >= 0).to(u.dtype),
    # $\mathrm{sign}(u - y)$
    "absolute": lambda y, u: torch.sign(u - y),
    # $u - y$, $2(u - y)$
    "half_squared": lambda y, u: u - y,
    "mse": lambda y, u: 2 * (u - y),
    # $-y\,[0 \le 1 - yu \le 1]$
    "ramp": lambda y, u: -y * _between(1 - y * u, 0.0, 1.0),
    # $-y\,\sigma(-yu)(1 - \sigma(-yu))$
    "sigmoid": lambda y, u: -y * torch.sigmoid(-y * u) * torch.sigmoid(y * u),
}


def _huber(delta: float) -> Slope:
    # $\mathrm{clamp}(u - y, -\delta, \delta)$
    return lambda y, u: (u - y).clamp(-delta, delta)


def _autograd(loss: Loss) -> Slope:
    def slope(y: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
        with torch.enable_grad():
            u_ = u.detach().requires_grad_(True)
            (g,) = torch.autograd.grad(loss(y, u_).sum(), u_)
        return g
    return slope


def slope_of(loss: Loss) -> Slope:
    """ℒ'(y, u) as an elementwise function `(y, u) -> slope` (closed form for the catalogue)."""
    if loss.name in _SLOPES:
        return _SLOPES[loss.name]
    if loss.name == "huber" or loss.name.startswith("huber("):
        assert loss.lipschitz is not None, "a Huber loss is Lipschitz, with constant δ"
        return _huber(float(loss.lipschitz))
    return _autograd(loss)


def has_closed_form(loss: Loss) -> bool:
    return loss.name in _SLOPES or loss.name == "huber" or loss.name.startswith("huber(")
