"""The `Loss` record: sympy form ℒ(y, u), torch form, declared properties.

Declared properties are *claims*; `proofs_check.steps.losses` checks each one.
Convention for kinks: torch's autograd gives the one-sided slopes its kernels define;
sympy's derivative of Max/Abs/Piecewise is used away from the kinks only (a set of
measure zero). For ρ = ReLU the project uses ρ'(0) := 0, which is torch's choice too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp
import torch

from theory.errors import RelulandscapeError
from theory.symbols import y


class LossHypothesisError(RelulandscapeError, ValueError):
    """A loss lacks a property (convexity, Lipschitz, Hölder) that a theorem needs."""


@dataclass(frozen=True)
class Loss:
    """A loss ℒ(y, u) with label y and prediction u.

    **Arguments**
    - `expr`: sympy form in `theory.symbols.y`, `theory.symbols.u`.
    - `labels`: the finite label set ((0, 1) or (−1, 1)), or None for real targets.
    - `convex`, `lipschitz` (L or None), `holder` ((α, H) of ℒ' or None), `nonnegative`:
      declared properties, each checked in `proofs_check`.
    - `torch_form`: elementwise torch implementation `(y, u) -> loss`.
    - `negative_control`: the loss exists to show a hypothesis is needed.

    >>> import torch
    >>> from theory.losses import get_loss
    >>> hinge = get_loss("hinge")
    >>> labels, predictions = torch.tensor([1.0, -1.0]), torch.tensor([0.5, 0.5])
    >>> hinge.label, hinge.smooth, hinge(labels, predictions).tolist()  # max(0, 1 − yu)
    ('loss:hinge', False, [0.5, 1.5])
    >>> get_loss("ramp").require(convex=True, needed_by="ll:thm-dimfree")
    Traceback (most recent call last):
        ...
    theory.losses._loss.LossHypothesisError: loss 'ramp' is not convex; ll:thm-dimfree needs ...
    """

    name: str
    expr: sp.Expr
    labels: tuple[int, ...] | None
    convex: bool
    lipschitz: sp.Rational | None
    holder: tuple[sp.Rational, sp.Rational] | None
    nonnegative: bool
    torch_form: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] = field(compare=False)
    negative_control: bool = False
    description: str = ""

    @property
    def label(self) -> str:
        """The registry label of this loss's property statement."""
        return f"loss:{self.name}"

    @property
    def smooth(self) -> bool:
        """True when ℒ has no kinks (no Max/Min/Abs/Piecewise)."""
        return not self.expr.has(sp.Max, sp.Min, sp.Abs, sp.Piecewise)

    @property
    def L(self) -> float | None:
        return None if self.lipschitz is None else float(self.lipschitz)

    def at_label(self, value: int | None) -> sp.Expr:
        """ℒ(value, u) for a finite label set, ℒ(y, u) otherwise."""
        return self.expr if value is None else self.expr.subs(y, value)

    def label_values(self) -> tuple[int | None, ...]:
        return self.labels if self.labels is not None else (None,)

    def __call__(self, target: torch.Tensor, prediction: torch.Tensor) -> torch.Tensor:
        """Elementwise ℒ(y, u) in torch."""
        return self.torch_form(target, prediction)

    def require(
        self, *, convex: bool = False, lipschitz: bool = False, holder: bool = False,
        needed_by: str = "this computation",
    ) -> None:
        """Raise `LossHypothesisError` unless the loss has each requested property."""
        if convex and not self.convex:
            raise LossHypothesisError(f"loss {self.name!r} is not convex; {needed_by} needs a "
                                      "convex loss (pass negative-control mode to override)")
        if lipschitz and self.lipschitz is None:
            raise LossHypothesisError(f"loss {self.name!r} is not Lipschitz; {needed_by} needs "
                                      "an L-Lipschitz loss")
        if holder and self.holder is None:
            raise LossHypothesisError(f"loss {self.name!r} has no Hölder-continuous derivative; "
                                      f"{needed_by} needs one")
