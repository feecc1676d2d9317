"""The [B26] v1 model (docs/validation.py E1): one hidden ReLU layer *with* biases.

Φ(x) = Σ_{i=1..m} θ_i ρ(w_iᵀx + b_i) + θ_0, penalty κ(‖θ‖₁ + |θ_0|), no constraint.
After every optimizer step [B26] v1 renormalizes the first-layer rows to unit norm and
pushes the scale into the output layer; here that map is the model's `project`, so
`train` applies it exactly where the published code did. It is not a Euclidean
projection: it keeps Φ (hence the risk) and changes only the penalty.
`predict`, `vjp` and `penalty_grad` work as for `ReluNet` (fused kernels, closed form).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import torch

from numerics import _kernels, _layers
from numerics import _validate as check
from theory.errors import InvalidArgumentError


@dataclass(frozen=True)
class BiasReluNet:
    """One-hidden-layer ReLU net with hidden and output biases, ℓ1 on the output layer.

    **Arguments**
    - `n`: raw input dimension (no augmentation column needed), `m`: width, `kappa`: κ > 0.

    Flat layout (P = m·n + 2m + 1): vec W `(m, n)`, b `(m,)`, θ `(m,)`, θ_0 `(1,)`.

    >>> import torch
    >>> from numerics import BiasReluNet
    >>> net = BiasReluNet(n=2, m=3, kappa=0.1)
    >>> p = net.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> W, b, theta, theta_0 = net.split(p)
    >>> net.n_params, tuple(W.shape), tuple(theta_0.shape)
    (13, (2, 3, 2), (2, 1))
    >>> X = torch.randn(5, 2, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    >>> scaled = net.join(2 * W, 2 * b, theta / 2, theta_0)  # same Φ, rows of norm 2
    >>> torch.allclose(net.predict(scaled, X), net.predict(p, X)), torch.allclose(
    ...     net.project(scaled), p)  # `project` moves the scale back into θ
    (True, True)
    """

    n: int
    m: int
    kappa: float

    def __post_init__(self) -> None:
        if not (isinstance(self.n, int) and isinstance(self.m, int) and self.n >= 1
                and self.m >= 1):
            raise InvalidArgumentError(
                f"n and m must be integers ≥ 1, got n={self.n!r}, m={self.m!r}")
        check.positive("kappa", self.kappa)

    @property
    def widths(self) -> tuple[int, int, int]:
        return (self.n, self.m, 1)

    @property
    def n_params(self) -> int:
        return _layers.n_params(self.widths, bias=True)

    def split(self, p: torch.Tensor
              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """p `(B, P)` → W `(B, m, n)`, b `(B, m)`, θ `(B, m)`, θ_0 `(B, 1)` (views)."""
        (W, b), (theta, theta_0) = _layers.split(p, self.widths, bias=True)
        # bias=True: both layers carry their bias vector, never None
        return W, cast(torch.Tensor, b), theta[..., 0, :], cast(torch.Tensor, theta_0)

    def join(self, W: torch.Tensor, b: torch.Tensor, theta: torch.Tensor,
             theta_0: torch.Tensor) -> torch.Tensor:
        return _layers.join([(W, b), (theta[..., None, :], theta_0)])

    def predict(self, p: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        """Φ(X) for each of the B models, X `(N, n)`: shape `(B, N)`."""
        if p.dim() == 2 and not (torch.is_grad_enabled() and p.requires_grad):
            W, b, theta, theta_0 = self.split(p)
            return _kernels.relu_forward(W, b, theta, theta_0[..., 0], X)
        # $\Phi(x) = \sum_i \theta_i \rho(w_i^\top x + b_i) + \theta_0$
        return _layers.forward(_layers.split(p, self.widths, bias=True), X, torch.relu)[..., 0]

    def vjp(self, p: torch.Tensor, X: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
        """Σ_k g_bk ∂Φ_b(x_k)/∂p for a cotangent g `(B, N)`: shape `(B, P)` (closed form)."""
        W, b, theta, _ = self.split(p)
        gW, gb, gtheta = _kernels.relu_backward(W, b, theta, X, g)
        gb = cast(torch.Tensor, gb)  # a bias was passed, so its gradient is returned
        # $\partial\Phi_k/\partial\theta_0 = 1$
        return self.join(gW, gb, gtheta, g.sum(-1, keepdim=True))

    def penalty_grad(self, p: torch.Tensor) -> torch.Tensor:
        """∂κ(‖θ‖₁ + |θ_0|)/∂p (sign 0 at 0, autograd's choice): shape `(B, P)`."""
        W, b, theta, theta_0 = self.split(p)
        return self.join(torch.zeros_like(W), torch.zeros_like(b), self.kappa * theta.sign(),
                         self.kappa * theta_0.sign())

    def penalty(self, p: torch.Tensor) -> torch.Tensor:
        """κ(‖θ‖₁ + |θ_0|) per model: shape `(B,)`."""
        _, _, theta, theta_0 = self.split(p)
        return self.kappa * (theta.abs().sum(-1) + theta_0.abs().sum(-1))

    def project(self, p: torch.Tensor) -> torch.Tensor:
        """Rows to unit norm, scale into the output layer: Φ is unchanged.

        With s_i = ‖w_i‖ > 0: (w_i, b_i, θ_i) ↦ (w_i/s_i, b_i/s_i, s_i θ_i), and
        s_i θ_i ρ((w_iᵀx + b_i)/s_i) = θ_i ρ(w_iᵀx + b_i) since ρ is positively homogeneous.
        Zero rows are left as they are.
        """
        W, b, theta, theta_0 = self.split(p)
        s = W.norm(dim=-1)
        s = torch.where(s > 0, s, torch.ones_like(s))
        # $(w_i, b_i, \theta_i) \mapsto (w_i/s_i,\ b_i/s_i,\ s_i\theta_i)$
        return self.join(W / s[..., None], b / s, theta * s, theta_0)

    def init(self, B: int, generator: torch.Generator, dtype: torch.dtype = torch.float32,
             device: str | torch.device | None = None) -> torch.Tensor:
        """`nn.Linear`'s default initialization, then `project` (rows of unit norm): `(B, P)`."""
        p = self.project(_layers.uniform_init(self.widths, True, B, generator, torch.float64, None))
        return p.to(dtype=dtype, device=check.device_of(device))

    def validate(self, p: torch.Tensor, name: str = "p") -> torch.Tensor:
        """Shape `(B, P)` and finite."""
        return _layers.validate_flat(p, self.n_params, name)
