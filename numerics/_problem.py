r"""A `Problem` bundles model, data and loss; it evaluates F batched over models.

F(p) = R(p) + penalty(p), R(p) = (1/N) Σ_k ℒ(y_k, Φ(x_k; p))   (docs/notation.md).
Every model class follows the `Model` protocol on flat parameter vectors p of shape
`(B, P)`, so training, paths and DSS work for any of them.

`F_and_grad` is the training hot path. For models with a closed-form vector-Jacobian
product (`vjp`, `penalty_grad`: the ReLU nets) it is
$\nabla F = \mathrm{vjp}(\mathcal L'(y, \Phi)/N) + \nabla\,\mathrm{penalty}$ with the
catalogue's closed-form slopes ℒ'; any other model goes through autograd, which also stays
available as the reference (`reference=True`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

import torch

from numerics import _validate as check
from numerics._dataset import Dataset
from numerics._loss_slope import slope_of
from theory.losses import Loss


class Model(Protocol):
    """What training, paths and DSS use of a model on flat vectors p `(B, P)`.

    >>> from numerics import ReluNet
    >>> methods = ("n_params", "predict", "penalty", "project", "init", "validate")
    >>> all(hasattr(ReluNet(n=2, m=3, kappa=0.1), name) for name in methods)
    True
    """

    @property
    def n_params(self) -> int: ...

    def predict(self, p: torch.Tensor, X: torch.Tensor) -> torch.Tensor: ...

    def penalty(self, p: torch.Tensor) -> torch.Tensor: ...

    def project(self, p: torch.Tensor) -> torch.Tensor: ...

    def init(self, B: int, generator: torch.Generator, dtype: torch.dtype = ...,
             device: str | torch.device | None = ...) -> torch.Tensor: ...

    def validate(self, p: torch.Tensor, name: str = ...) -> torch.Tensor: ...


class ClosedFormModel(Model, Protocol):
    """A `Model` that also gives Φ's vector-Jacobian product and ∇penalty in closed form."""

    def vjp(self, p: torch.Tensor, X: torch.Tensor, g: torch.Tensor) -> torch.Tensor: ...

    def penalty_grad(self, p: torch.Tensor) -> torch.Tensor: ...


# keep (chunk of B) × N × (hidden width) tensors below this many elements
_CHUNK_ELEMENTS = 1 << 24
# rows of per-sample values are padded to a multiple of this many samples (see `per_sample`)
_ROW_ALIGN = 64


def per_sample(fn, Y: torch.Tensor, Phi: torch.Tensor) -> torch.Tensor:
    """`fn(Y, Phi)` for an elementwise `fn` (a loss or its slope) on `(B, N)` predictions,
    computed so that each model's values do not depend on the batch around it.

    torch's CPU elementwise kernels run over the flattened tensor in vector blocks
    (2 × the SIMD width) and finish the remainder with scalar code, whose `exp`/`log` may
    differ from the vector code's in the last bit. So a model's sample k could take the
    vector path in one batch and the scalar path in another (seen with AVX-512: model 3 of
    5 differed from the same model alone by an ulp). Padding each row to a multiple of 64
    samples (zeros, then sliced off) puts every sample of every row at the same place in
    the vector blocks, whatever B is."""
    N = Phi.shape[-1]
    pad = (-N) % _ROW_ALIGN
    if pad == 0:
        return fn(Y, Phi)
    return fn(torch.nn.functional.pad(Y, (0, pad)), torch.nn.functional.pad(Phi, (0, pad)))[
        ..., :N]


@dataclass(frozen=True)
class Problem:
    """Model + inputs X `(N, n)` + loss-ready targets Y `(N,)` + loss.

    Build with `Problem.of(model, data, loss, device=..., dtype=...)`, which converts the
    data set's labels to the loss's label set and moves tensors to the device.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons
    >>> from theory.losses import get_loss
    >>> data = moons(n_samples=20)
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), data, get_loss("logistic"), dtype=torch.float64)
    >>> sorted(set(problem.Y.tolist()))  # the logistic loss wants labels ±1
    [-1.0, 1.0]
    >>> p = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> F, grad = problem.F_and_grad(p)  # closed form; autograd is the reference
    >>> _, reference = problem.F_and_grad(p, reference=True)
    >>> tuple(F.shape), tuple(grad.shape), torch.allclose(grad, reference)
    ((2,), (2, 16), True)
    """

    model: Model
    X: torch.Tensor
    Y: torch.Tensor
    loss: Loss

    @classmethod
    def of(cls, model: Model, data: Dataset, loss: Loss, *,
           device: str | torch.device | None = None, dtype: torch.dtype = torch.float32) -> Problem:
        dev = check.device_of(device)
        Y = data.targets_for(loss)
        return cls(model, data.X.to(dev, dtype), Y.to(dev, dtype), loss)

    @property
    def device(self) -> torch.device:
        return self.X.device

    @property
    def dtype(self) -> torch.dtype:
        return self.X.dtype

    @property
    def closed_form(self) -> bool:
        """True when the model gives Φ's vector-Jacobian product in closed form."""
        return hasattr(self.model, "vjp") and hasattr(self.model, "penalty_grad")

    def _chunk(self) -> int:
        if self.closed_form:  # fused kernels: no (B, N, m) temporaries to bound
            return 1 << 62
        width = getattr(self.model, "m", 64)
        return max(1, _CHUNK_ELEMENTS // max(1, self.X.shape[0] * width))

    def risk(self, p: torch.Tensor) -> torch.Tensor:
        """R(p) per model, shape `(B,)`."""
        out = []
        for block in p.split(self._chunk()):
            # $R = \frac1N \sum_k \mathcal L(y_k, \Phi(x_k))$
            out.append(per_sample(self.loss, self.Y, self.model.predict(block, self.X)).mean(-1))
        return torch.cat(out)

    def F_at(self, p: torch.Tensor, Phi: torch.Tensor) -> torch.Tensor:
        """F(p) from already computed predictions Φ = `predict(p, X)` `(B, N)`: shape `(B,)`."""
        return per_sample(self.loss, self.Y, Phi).mean(-1) + self.model.penalty(p)

    def F(self, p: torch.Tensor) -> torch.Tensor:
        """F(p) = R(p) + penalty(p), shape `(B,)`."""
        check.shape("p", p, (None, self.model.n_params))
        return torch.cat([self.F_at(block, self.model.predict(block, self.X))
                          for block in p.split(self._chunk())])

    def F_and_grad(self, p: torch.Tensor, *, reference: bool = False
                   ) -> tuple[torch.Tensor, torch.Tensor]:
        """F(p) `(B,)` and ∇F(p) `(B, P)` (closed form when the model allows it, else, or
        with `reference=True`, autograd). Both are detached."""
        check.shape("p", p, (None, self.model.n_params))
        if self.closed_form and not reference:
            # `closed_form` checked that the model has `vjp` and `penalty_grad`
            model = cast(ClosedFormModel, self.model)
            with torch.no_grad():
                Phi = model.predict(p, self.X)
                # $g_{bk} = \mathcal L'(y_k, \Phi_{bk}) / N$
                g = per_sample(slope_of(self.loss), self.Y, Phi) / self.X.shape[0]
                grad = model.vjp(p, self.X, g) + model.penalty_grad(p)
                return self.F_at(p, Phi), grad
        with torch.enable_grad():
            p = p.detach().requires_grad_(True)
            F = torch.cat([self.F_at(block, self.model.predict(block, self.X))
                           for block in p.split(self._chunk())])
            (grad,) = torch.autograd.grad(F.sum(), p)
        return F.detach(), grad

    def with_dtype(self, dtype: torch.dtype) -> Problem:
        return Problem(self.model, self.X.to(dtype=dtype), self.Y.to(dtype=dtype), self.loss)
