"""Boundary validation: clear, typed errors that name the offending argument."""

from __future__ import annotations

import math

import torch

from theory.errors import InvalidArgumentError, RelulandscapeError


class ShapeError(RelulandscapeError, ValueError):
    """A tensor argument has the wrong shape."""


class NonFiniteError(RelulandscapeError, ValueError):
    """A tensor argument contains NaN or ±Inf."""


class ConstraintError(RelulandscapeError, ValueError):
    """Parameters violate the model's constraint (a row outside the unit ball, …)."""


class EmptyDataError(RelulandscapeError, ValueError):
    """A data set with no samples."""


class DeviceUnavailableError(RelulandscapeError, RuntimeError):
    """A device was requested that this machine does not have."""


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
    """Resolve a device argument; CPU by default, a clear error when CUDA is absent."""
    dev = torch.device("cpu" if device is None else device)
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailableError(
            "device 'cuda' was requested but torch.cuda.is_available() is False")
    return dev
