"""Boundary validation: clear, typed errors that name the offending argument."""

from __future__ import annotations

import math

import torch

from theory.errors import InvalidArgumentError, RelulandscapeError


class ShapeError(RelulandscapeError, ValueError):
    """A tensor argument has the wrong shape.

    >>> import torch
    >>> from numerics import ReluNet
    >>> ReluNet(n=2, m=3, kappa=0.1).validate(torch.zeros(1, 5))
    Traceback (most recent call last):
        ...
    numerics._validate.ShapeError: p has shape (1, 5), expected (*, 9)
    """


class NonFiniteError(RelulandscapeError, ValueError):
    """A tensor argument contains NaN or ±Inf.

    >>> import torch
    >>> from numerics import ReluNet
    >>> ReluNet(n=2, m=3, kappa=0.1).validate(torch.full((1, 9), float("nan")))
    Traceback (most recent call last):
        ...
    numerics._validate.NonFiniteError: p contains 9 NaN/Inf value(s)
    """


class ConstraintError(RelulandscapeError, ValueError):
    """Parameters violate the model's constraint (a row outside the unit ball, …).

    >>> import torch
    >>> from numerics import ReluNet
    >>> ReluNet(n=2, m=3, kappa=0.1).validate(torch.full((1, 9), 2.0))
    Traceback (most recent call last):
        ...
    numerics._validate.ConstraintError: p: a row of W lies outside the unit ball (‖w_i‖ = ... > 1)
    """


class EmptyDataError(RelulandscapeError, ValueError):
    """A data set with no samples.

    >>> import torch
    >>> from numerics import Dataset
    >>> Dataset("empty", torch.zeros(0, 2), torch.zeros(0))
    Traceback (most recent call last):
        ...
    numerics._validate.EmptyDataError: data set 'empty' has no samples
    """


class DeviceUnavailableError(RelulandscapeError, RuntimeError):
    """A device was requested that this machine does not have.

    >>> import torch
    >>> from numerics import DeviceUnavailableError, device_of
    >>> try:
    ...     device = device_of("cuda")
    ... except DeviceUnavailableError:  # no GPU here
    ...     device = device_of("cpu")
    >>> device.type == ("cuda" if torch.cuda.is_available() else "cpu")
    True
    """


def finite(name: str, x: torch.Tensor) -> torch.Tensor:
    if not torch.isfinite(x).all():
        bad = int((~torch.isfinite(x)).sum())
        raise NonFiniteError(f"{name} contains {bad} NaN/Inf value(s)")
    return x


def shape(name: str, x: torch.Tensor, expected: tuple[int | None, ...]) -> torch.Tensor:
    """Check `x.shape` against `expected` (None = any size)."""
    ok = x.dim() == len(expected) and all(
        e is None or e == s for e, s in zip(expected, x.shape, strict=True)
    )
    if not ok:
        sizes = ["*" if e is None else str(e) for e in expected]
        # a one-element shape reads as Python writes it: (1,)
        want = "(" + ", ".join(sizes) + ("," if len(sizes) == 1 else "") + ")"
        raise ShapeError(f"{name} has shape {tuple(x.shape)}, expected {want}")
    return x


def positive(name: str, value: float) -> float:
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise InvalidArgumentError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def nonnegative(name: str, value: float) -> float:
    if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
        raise InvalidArgumentError(f"{name} must be a nonnegative finite number, got {value!r}")
    return float(value)


def device_of(device: str | torch.device | None) -> torch.device:
    """Resolve a device argument; CPU by default, a clear error when CUDA is absent.

    >>> from numerics import device_of
    >>> device_of(None)
    device(type='cpu')
    """
    dev = torch.device("cpu" if device is None else device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailableError(
            "device 'cuda' was requested but torch.cuda.is_available() is False")
    return dev
