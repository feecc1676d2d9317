"""docs/losses.py: every loss of the catalogue, negative controls included."""

from __future__ import annotations

import sympy as sp
import torch

from theory.errors import InvalidArgumentError, UnknownNameError
from theory.losses._loss import Loss
from theory.symbols import u, y

R = sp.Rational


def _softplus(x: torch.Tensor) -> torch.Tensor:
    """log(1 + eˣ) to full precision (torch's softplus returns x above a threshold of 20,
    an absolute error of e^-20 ≈ 2e-9 that float64 checks would see)."""
    return torch.logaddexp(torch.zeros_like(x), x)


def _huber(z: torch.Tensor, delta: float) -> torch.Tensor:
    """½z² on |z| ≤ δ, δ(|z| − δ/2) beyond (broadcasts, unlike F.huber_loss)."""
    a = z.abs()
    return torch.where(a <= delta, 0.5 * z * z, delta * (a - 0.5 * delta))


def huber(delta: float | int | sp.Rational = 1) -> Loss:
    """huber(δ): ½(u−y)² if |u−y| ≤ δ else δ(|u−y| − δ/2); L = δ, Hölder (1, 1).

    >>> import torch
    >>> from theory.losses import huber
    >>> loss = huber(0.5)
    >>> loss.name, loss.L, loss(torch.zeros(2), torch.tensor([0.5, 2.0])).tolist()
    ('huber(1/2)', 0.5, [0.125, 0.875])
    """
    try:
        d = sp.Rational(str(delta)) if not isinstance(delta, sp.Rational) else delta
    except (TypeError, ValueError, sp.SympifyError):
        raise InvalidArgumentError(f"huber delta must be a number, got {delta!r}") from None
    if not (d.is_positive and d.is_finite):
        raise InvalidArgumentError(f"huber delta must be a positive finite number, got {delta!r}")
    z = u - y
    df = float(d)
    return Loss(
        name="huber" if d == 1 else f"huber({d})",
        expr=sp.Piecewise((z**2 / 2, sp.Abs(z) <= d), (d * (sp.Abs(z) - d / 2), True)),
        labels=None, convex=True, lipschitz=d, holder=(R(1), R(1)), nonnegative=True,
        torch_form=lambda t, p: _huber(p - t, df),
        description="Huber loss with threshold δ",
    )


CATALOGUE: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss(
            name="bce_logit", expr=sp.log(1 + sp.exp(u)) - y * u, labels=(0, 1),
            convex=True, lipschitz=R(1), holder=(R(1), R(1, 4)), nonnegative=True,
            torch_form=lambda t, p: _softplus(p) - t * p,
            description="binary cross-entropy on logits, y ∈ {0, 1}",
        ),
        Loss(
            name="logistic", expr=sp.log(1 + sp.exp(-y * u)), labels=(-1, 1),
            convex=True, lipschitz=R(1), holder=(R(1), R(1, 4)), nonnegative=True,
            torch_form=lambda t, p: _softplus(-t * p),
            description="logistic margin loss, y ∈ {±1}",
        ),
        Loss(
            name="hinge", expr=sp.Max(0, 1 - y * u), labels=(-1, 1),
            convex=True, lipschitz=R(1), holder=None, nonnegative=True,
            torch_form=lambda t, p: torch.clamp(1 - t * p, min=0),
            description="hinge loss, y ∈ {±1}",
        ),
        Loss(
            name="absolute", expr=sp.Abs(u - y), labels=None,
            convex=True, lipschitz=R(1), holder=None, nonnegative=True,
            torch_form=lambda t, p: torch.abs(p - t),
            description="absolute error",
        ),
        huber(1),
        Loss(
            name="half_squared", expr=(u - y) ** 2 / 2, labels=None,
            convex=True, lipschitz=None, holder=(R(1), R(1)), nonnegative=True,
            torch_form=lambda t, p: 0.5 * (p - t) ** 2,
            description="half squared error (not Lipschitz)",
        ),
        Loss(
            name="mse", expr=(u - y) ** 2, labels=None,
            convex=True, lipschitz=None, holder=(R(1), R(2)), nonnegative=True,
            torch_form=lambda t, p: (p - t) ** 2,
            description="squared error as used in [B26] v1 (not Lipschitz)",
        ),
        Loss(
            name="ramp", expr=sp.Min(1, sp.Max(0, 1 - y * u)), labels=(-1, 1),
            convex=False, lipschitz=R(1), holder=None, nonnegative=True,
            torch_form=lambda t, p: torch.clamp(1 - t * p, min=0, max=1),
            negative_control=True, description="ramp loss (negative control: not convex)",
        ),
        Loss(
            name="sigmoid", expr=1 / (1 + sp.exp(y * u)), labels=(-1, 1),
            convex=False, lipschitz=R(1, 4), holder=None, nonnegative=True,
            torch_form=lambda t, p: torch.sigmoid(-t * p),
            negative_control=True, description="sigmoid loss (negative control: not convex)",
        ),
    )
}


def get_loss(name: str) -> Loss:
    """The catalogue loss `name`; ``huber(δ)`` builds a Huber loss with threshold δ.

    >>> import torch
    >>> from theory.losses import CATALOGUE, get_loss
    >>> logistic = get_loss("logistic")
    >>> logistic.labels, logistic.convex, logistic.L, logistic is CATALOGUE["logistic"]
    ((-1, 1), True, 1.0, True)
    >>> get_loss("huber(2)").L, get_loss("mse").L  # the squared error is not Lipschitz
    (2.0, None)
    >>> get_loss("cross_entropy")
    Traceback (most recent call last):
        ...
    theory.errors.UnknownNameError: unknown loss 'cross_entropy'; known: bce_logit, ...
    """
    if name in CATALOGUE:
        return CATALOGUE[name]
    if name.startswith("huber(") and name.endswith(")"):
        return huber(name[6:-1].strip())
    raise UnknownNameError(
        f"unknown loss {name!r}; known: {', '.join(CATALOGUE)} (and huber(δ))"
    )
