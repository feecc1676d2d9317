"""The `Dataset` record: augmented inputs X, targets Y, and the data scale D_X.

docs/notation.md: a bias is modelled by augmenting x ↦ (x, c); D_X = sqrt(‖E XXᵀ‖_op),
computed exactly (float64 eigvalsh of XᵀX/N) on the augmented inputs.
Classification targets are stored as {0, 1}; `targets_for(loss)` maps them to the
label set the loss expects ({0, 1} or {±1}).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import torch

from numerics import _validate as check
from theory.errors import InvalidArgumentError
from theory.losses import Loss


def data_scale(X: torch.Tensor) -> float:
    r"""$D_X = \sqrt{\lambda_{\max}(X^\top X/N)}$ (= sqrt ‖E XXᵀ‖_op), float64; X `(N, n)`.

    >>> import torch
    >>> from numerics import data_scale
    >>> round(data_scale(torch.tensor([[3.0, 0.0], [0.0, 1.0]])) ** 2, 6)  # λ_max(XᵀX/N)
    4.5
    """
    X = X.double()
    # ‖E XXᵀ‖_op = λ_max(XᵀX / N)
    return float(torch.linalg.eigvalsh(X.T @ X / X.shape[0])[-1].clamp_min(0).sqrt())


@dataclass(frozen=True)
class Dataset:
    """Training data, and optionally held-out test data.

    **Arguments**
    - `X`: inputs $X\\in\\mathbb R^{N\\times n}$ (already augmented), shape `(N, n)`.
    - `Y`: targets, shape `(N,)`; {0, 1} when `task == "binary"`, real for `"regression"`.
    - `X_test`, `Y_test`: held-out split (may be empty tensors).

    >>> import torch
    >>> from numerics import Dataset
    >>> data = Dataset("toy", torch.tensor([[1.0, 1.0], [-1.0, 1.0]]), torch.tensor([1.0, 0.0]))
    >>> data.N, data.n, data.D_X  # XᵀX/N is the identity
    (2, 2, 1.0)
    """

    name: str
    X: torch.Tensor
    Y: torch.Tensor
    task: str = "binary"
    X_test: torch.Tensor | None = None
    Y_test: torch.Tensor | None = None
    info: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.task not in ("binary", "regression"):
            raise InvalidArgumentError(f"task must be 'binary' or 'regression', got {self.task!r}")
        check.shape("X", self.X, (None, None))
        if self.X.shape[0] == 0:
            raise check.EmptyDataError(f"data set {self.name!r} has no samples")
        check.shape("Y", self.Y, (self.X.shape[0],))
        check.finite("X", self.X)
        check.finite("Y", self.Y)
        if self.task == "binary" and not torch.isin(self.Y, torch.tensor([0.0, 1.0],
                                                                       dtype=self.Y.dtype)).all():
            raise InvalidArgumentError("binary targets Y must be in {0, 1}")

    @property
    def N(self) -> int:
        return self.X.shape[0]

    @property
    def n(self) -> int:
        return self.X.shape[1]

    @property
    def D_X(self) -> float:
        """D_X of the training inputs (`data_scale`)."""
        return data_scale(self.X)

    def targets_for(self, loss: Loss, Y: torch.Tensor | None = None) -> torch.Tensor:
        """Y in the label set `loss` expects."""
        Y = self.Y if Y is None else Y
        if loss.labels is None:
            return Y
        if self.task != "binary":
            raise InvalidArgumentError(
                f"loss {loss.name!r} needs class labels; {self.name!r} is regression")
        return 2 * Y - 1 if tuple(loss.labels) == (-1, 1) else Y

    def to(self, device: torch.device | str | None = None, dtype: torch.dtype | None = None
           ) -> Dataset:
        def move(t: torch.Tensor | None) -> torch.Tensor | None:
            return None if t is None else t.to(device=device, dtype=dtype)

        return replace(self, X=self.X.to(device=device, dtype=dtype),
                       Y=self.Y.to(device=device, dtype=dtype), X_test=move(self.X_test),
                       Y_test=move(self.Y_test))
