"""The barrier protocol's knobs, varied one at a time (docs/barrier-protocol.md).

A width verdict is a finding only when it survives the settings that could decide it. The
grid recomputes the *paths* on the same endpoints, changing one setting of the baseline
protocol at a time:

- `bead-fraction-0.98`, `bead-fraction-0.95`: beads trained to 0.98·λ or 0.95·λ instead
  of λ − 5τ (where that is reachable; beads that miss it make the pair inconclusive);
- `tolerance-slack/100`: certificate tolerance τ = s/100 instead of s/10;
- `bead-steps-1/5`, `bead-steps-5x`: a fifth of or five times the baseline's bead budget;
- `depth-12`: DSS depth limit 12 instead of the baseline's;
- `level-fixed`: one level λ for every width (the largest endpoint loss of the pairs in
  the grid), instead of each pair's max(F_A, F_B).
"""

from __future__ import annotations

import dataclasses
from typing import Any

GRID = ("bead-fraction-0.98", "bead-fraction-0.95", "tolerance-slack/100",
        "bead-steps-1/5", "bead-steps-5x", "depth-12", "level-fixed")
#: E2's grid: its level rule is the design itself (paper-fixed, paper-moving), not a knob
PAIRS_GRID = tuple(name for name in GRID if name != "level-fixed")
BASELINE = "baseline"


def variant(cfg: Any, name: str, *, bead_steps: str, fixed_level: float | None = None) -> Any:
    """`cfg` (a frozen `Protocol` config) with the one setting `name` changed;
    `bead_steps` names cfg's field of the beads' budget; `fixed_level` is λ of
    `level-fixed`."""
    if name == BASELINE:
        return cfg
    if name.startswith("bead-fraction-"):
        changes: dict[str, Any] = {"bead_fraction": float(name.removeprefix("bead-fraction-"))}
    elif name == "tolerance-slack/100":
        changes = {"tol_ratio": 0.01}
    elif name == "bead-steps-1/5":
        changes = {bead_steps: max(1, getattr(cfg, bead_steps) // 5)}
    elif name == "bead-steps-5x":
        changes = {bead_steps: 5 * getattr(cfg, bead_steps)}
    elif name == "depth-12":
        changes = {"max_depth": 12}
    elif name == "level-fixed":
        if fixed_level is None:
            raise ValueError("level-fixed needs the common level λ")
        changes = {"level_rule": "fixed", "level": fixed_level}
    else:
        raise ValueError(f"unknown sensitivity setting {name!r}; known: {', '.join(GRID)}")
    return dataclasses.replace(cfg, **changes)
