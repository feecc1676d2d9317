"""The loss catalogue's names, without sympy or torch.

The command line checks `--loss` against these before any heavy import, so a misspelt
name is answered at once; `theory.losses.get_loss` stays the authority (a test keeps
`LOSS_NAMES` equal to the catalogue's keys, in order).
"""

from __future__ import annotations

from theory.errors import UnknownNameError

LOSS_NAMES = ("bce_logit", "logistic", "hinge", "absolute", "huber", "half_squared", "mse",
              "ramp", "sigmoid")


def check_loss_name(name: str) -> str:
    """`name` if it names a catalogue loss or has the form ``huber(δ)`` (δ is checked by
    `get_loss`), else the `UnknownNameError` that `get_loss` would raise."""
    if name in LOSS_NAMES or (name.startswith("huber(") and name.endswith(")")):
        return name
    raise UnknownNameError(f"unknown loss {name!r}; known: {', '.join(LOSS_NAMES)} (and huber(δ))")
