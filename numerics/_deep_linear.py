"""Deep linear nets of [FB17] `fb:prop-2.2`: Φ(x) = W_K⋯W_1 x, penalty κ Σ_j ‖W_j‖²_F."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from numerics import _layers
from numerics import _validate as check
from theory.errors import InvalidArgumentError


@dataclass(frozen=True)
class DeepLinearNet:
    """Product of K matrices, no biases, no constraint.

    **Arguments**
    - `widths`: (n_0, n_1, …, n_K) with n_K = 1 (scalar output); W_j has shape
      `(n_j, n_{j−1})`. Flat layout: vec W_1, …, vec W_K.
    - `kappa`: κ ≥ 0 (κ = 0 is the unregularized case of `fb:prop-2.2`).

    >>> import torch
    >>> from numerics import DeepLinearNet
    >>> net = DeepLinearNet((2, 3, 1), kappa=0.1)
    >>> p = net.init(4, torch.Generator().manual_seed(0))
    >>> net.n_params, tuple(net.end_to_end(p).shape), tuple(net.predict(p, torch.eye(2)).shape)
    (9, (4, 1, 2), (4, 2))
    """

    widths: tuple[int, ...]
    kappa: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "widths", _layers.check_widths(self.widths))
        if self.widths[-1] != 1:
            raise InvalidArgumentError(f"widths must end in 1 (scalar output), got {self.widths!r}")
        check.nonnegative("kappa", self.kappa)

    @property
    def n_params(self) -> int:
        return _layers.n_params(self.widths, bias=False)

    def split(self, p: torch.Tensor) -> list[torch.Tensor]:
        """p `(B, P)` → [W_1 `(B, n_1, n_0)`, …, W_K `(B, n_K, n_{K−1})`] (views)."""
        return [W for W, _ in _layers.split(p, self.widths, bias=False)]

    def join(self, Ws: Sequence[torch.Tensor]) -> torch.Tensor:
        return _layers.join([(W, None) for W in Ws])

    def end_to_end(self, p: torch.Tensor) -> torch.Tensor:
        """The product W_K⋯W_1 per model: shape `(B, n_K, n_0)`."""
        Ws = self.split(p)
        Z = Ws[0]
        for W in Ws[1:]:
            # $Z \leftarrow W_j Z$
            Z = W @ Z
        return Z

    def predict(self, p: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        """Φ(X) = (W_K⋯W_1) x for each of the B models, X `(N, n_0)`: shape `(B, N)`."""
        return torch.einsum("kd,bd->bk", X, self.end_to_end(p)[:, 0, :])

    def penalty(self, p: torch.Tensor) -> torch.Tensor:
        """κ Σ_j ‖W_j‖²_F per model: shape `(B,)`."""
        # $\kappa \sum_j \|W_j\|_F^2$ = κ times the squared norm of the whole flat vector
        return self.kappa * p.square().sum(-1)

    def project(self, p: torch.Tensor) -> torch.Tensor:
        """No constraint: the identity."""
        return p

    def init(self, B: int, generator: torch.Generator, dtype: torch.dtype = torch.float32,
             device: str | torch.device | None = None) -> torch.Tensor:
        """`nn.Linear`'s default initialization (no biases): shape `(B, P)`."""
        return _layers.uniform_init(self.widths, False, B, generator, dtype, device)

    def validate(self, p: torch.Tensor, name: str = "p") -> torch.Tensor:
        """Shape `(B, P)` and finite."""
        return _layers.validate_flat(p, self.n_params, name)
