"""Fully connected layers stored in one flat parameter vector, batched over B.

Layout for widths (n_0, n_1, …, n_K): for j = 1..K, vec W_j (W_j of shape `(n_j, n_{j−1})`,
row-major) followed by b_j (`(n_j,)`) when the layers have biases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import torch

from numerics import _validate as check
from theory.errors import InvalidArgumentError

Layer = tuple[torch.Tensor, torch.Tensor | None]


def check_widths(widths: Sequence[int]) -> tuple[int, ...]:
    widths = tuple(widths)
    if len(widths) < 2 or not all(isinstance(w, int) and w >= 1 for w in widths):
        raise InvalidArgumentError(f"widths must be ≥ 2 integers ≥ 1, got {widths!r}")
    return widths


def n_params(widths: Sequence[int], bias: bool) -> int:
    return sum(n_out * n_in + (n_out if bias else 0) for n_in, n_out in pairwise(widths))


def split(p: torch.Tensor, widths: Sequence[int], bias: bool) -> list[Layer]:
    """p `(B, P)` → [(W_j `(B, n_j, n_{j−1})`, b_j `(B, n_j)` or None)] (views)."""
    layers, at = [], 0
    for n_in, n_out in pairwise(widths):
        W = p[..., at:at + n_out * n_in].unflatten(-1, (n_out, n_in))
        at += n_out * n_in
        b = p[..., at:at + n_out] if bias else None
        at += n_out if bias else 0
        layers.append((W, b))
    return layers


def join(layers: Sequence[Layer]) -> torch.Tensor:
    parts = []
    for W, b in layers:
        parts.append(W.flatten(-2))
        if b is not None:
            parts.append(b)
    return torch.cat(parts, dim=-1)


def forward(layers: Sequence[Layer], X: torch.Tensor,
            activation: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
    """h_0 = x, h_j = σ(W_j h_{j−1} + b_j), σ on hidden layers only.

    X `(N, n_0)` → `(B, N, n_K)`."""
    h = X.expand(layers[0][0].shape[0], *X.shape)
    for j, (W, b) in enumerate(layers):
        # $h_j = W_j h_{j-1} + b_j$
        h = torch.einsum("bkd,bjd->bkj", h, W)
        if b is not None:
            h = h + b[:, None, :]
        if j < len(layers) - 1:
            h = activation(h)
    return h


def uniform_init(widths: Sequence[int], bias: bool, B: int, generator: torch.Generator,
                 dtype: torch.dtype, device: str | torch.device | None) -> torch.Tensor:
    """PyTorch's `nn.Linear` default: W_j, b_j entries ~ U(−1/√n_{j−1}, 1/√n_{j−1}); `(B, P)`."""
    layers = []
    for n_in, n_out in pairwise(widths):
        shapes = [(B, n_out, n_in), (B, n_out)] if bias else [(B, n_out, n_in)]
        drawn = [(2 * torch.rand(s, generator=generator, dtype=torch.float64) - 1) * n_in**-0.5
                 for s in shapes]
        layers.append((drawn[0], drawn[1] if bias else None))
    return join(layers).to(dtype=dtype, device=check.device_of(device))


def validate_flat(p: torch.Tensor, P: int, name: str) -> torch.Tensor:
    """Shape `(B, P)` and finite."""
    check.shape(name, p, (None, P))
    return check.finite(name, p)
