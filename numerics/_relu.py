"""The canonical model of docs/notation.md, batched over a leading dimension B.

Φ_m(x; W, θ) = Σ_{i=1..m} θ_i ρ(w_iᵀx), ρ = ReLU (ρ'(0) := 0, torch's convention),
rows w_i in the closed unit ball B₂ⁿ, penalty κ‖θ‖₁.
A point of parameter space is a flat vector p = (vec W, θ) of length P = m·n + m, so
training, paths and DSS treat every model alike; `split`/`join` convert.

`predict` runs the fused kernel of `numerics._kernels` unless autograd needs the graph (then
the plain torch formula, the reference); `vjp` and `penalty_grad` give the closed-form
gradient that `Problem.F_and_grad` uses on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from numerics import _kernels
from numerics import _validate as check
from theory.errors import InvalidArgumentError


@dataclass(frozen=True)
class ReluNet:
    """Bias-free, ball-constrained one-hidden-layer ReLU net with ℓ1 output penalty.

    **Arguments**
    - `n`: input dimension (after augmentation), `m`: width, `kappa`: κ > 0.

    >>> import torch
    >>> from numerics import ReluNet
    >>> net = ReluNet(n=2, m=3, kappa=0.1)
    >>> p = net.init(4, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> W, theta = net.split(p)
    >>> net.n_params, tuple(W.shape), tuple(net.predict(p, torch.eye(2)).shape)
    (9, (4, 3, 2), (4, 2))
    >>> bool((W.norm(dim=-1) <= 1).all()), torch.equal(net.penalty(p), 0.1 * theta.abs().sum(-1))
    (True, True)
    """

    n: int
    m: int
    kappa: float

    def __post_init__(self) -> None:
        if self.n < 1 or self.m < 1:
            raise InvalidArgumentError(f"n and m must be ≥ 1, got n={self.n}, m={self.m}")
        check.positive("kappa", self.kappa)

    @property
    def n_params(self) -> int:
        return self.m * self.n + self.m

    def split(self, p: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """p of shape `(..., P)` → W `(..., m, n)`, θ `(..., m)` (views)."""
        mn = self.m * self.n
        return p[..., :mn].unflatten(-1, (self.m, self.n)), p[..., mn:]

    def join(self, W: torch.Tensor, theta: torch.Tensor) -> torch.Tensor:
        return torch.cat([W.flatten(-2), theta], dim=-1)

    def features(self, p: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        """ρ(w_iᵀx) for every model and sample: shape `(B, N, m)`."""
        W, _ = self.split(p)
        # $h_{bki} = \rho(w_{bi}^\top x_k)$
        return torch.relu(torch.einsum("kd,bid->bki", X, W))

    def predict(self, p: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        """Φ(X) for each of the B models: shape `(B, N)`."""
        W, theta = self.split(p)
        if p.dim() == 2 and not (torch.is_grad_enabled() and p.requires_grad):
            return _kernels.relu_forward(W, None, theta, None, X)
        # $\Phi_b(x_k) = \sum_i \theta_{bi}\, \rho(w_{bi}^\top x_k)$
        return torch.einsum("bki,bi->bk", self.features(p, X), theta)

    def vjp(self, p: torch.Tensor, X: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
        """Σ_k g_bk ∂Φ_b(x_k)/∂p for a cotangent g `(B, N)`: shape `(B, P)` (closed form)."""
        W, theta = self.split(p)
        gW, _, gtheta = _kernels.relu_backward(W, None, theta, X, g)
        return self.join(gW, gtheta)

    def penalty_grad(self, p: torch.Tensor) -> torch.Tensor:
        """∂(κ‖θ‖₁)/∂p = (0, κ sign θ) (sign 0 at 0, autograd's choice): shape `(B, P)`."""
        W, theta = self.split(p)
        return self.join(torch.zeros_like(W), self.kappa * theta.sign())

    def penalty(self, p: torch.Tensor) -> torch.Tensor:
        """κ‖θ‖₁ per model: shape `(B,)`."""
        return self.kappa * self.split(p)[1].abs().sum(-1)

    def project(self, p: torch.Tensor) -> torch.Tensor:
        """Euclidean projection onto the constraint: rows with ‖w_i‖ > 1 are rescaled to 1."""
        W, theta = self.split(p)
        norms = W.norm(dim=-1, keepdim=True).clamp_min(1.0)
        return self.join(W / norms, theta)

    def init(self, B: int, generator: torch.Generator, dtype: torch.dtype = torch.float32,
             device: str | torch.device | None = None) -> torch.Tensor:
        """B random points: rows uniform on the unit sphere times U(0,1)^{1/n}, θ ~ N(0, 1/m)."""
        W = torch.randn(B, self.m, self.n, generator=generator, dtype=torch.float64)
        radius = torch.rand(B, self.m, 1, generator=generator, dtype=torch.float64)
        W = W / W.norm(dim=-1, keepdim=True) * radius ** (1 / self.n)
        theta = torch.randn(B, self.m, generator=generator, dtype=torch.float64) / self.m**0.5
        return self.join(W, theta).to(dtype=dtype, device=check.device_of(device))

    def validate(self, p: torch.Tensor, name: str = "p", atol: float = 1e-5) -> torch.Tensor:
        """Shape `(B, P)`, finite, every row in the ball (to `atol`)."""
        check.shape(name, p, (None, self.n_params))
        check.finite(name, p)
        norms = self.split(p)[0].norm(dim=-1)
        if (norms > 1 + atol).any():
            worst = float(norms.max())
            raise check.ConstraintError(
                f"{name}: a row of W lies outside the unit ball (‖w_i‖ = {worst:.6g} > 1)"
            )
        return p
