"""Provenance of a run: what was run, with which code and versions, where and when.

`provenance(config, seed, device)` returns a flat JSON-ready dict.
"""

from __future__ import annotations

import json
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import torch

from experiments._io import dumps
from experiments.version import VERSION
from numerics import device_of

# distribution names whose versions a record should carry (the suite's own: `VERSION`)
_PACKAGES = {"torch": "torch", "numpy": "numpy", "sympy": "sympy", "sklearn": "scikit-learn"}


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git(*args: str) -> str | None:
    """Output of a read-only git command run in this package's folder; None outside a repo."""
    try:
        out = subprocess.run(["git", "--no-optional-locks", *args], cwd=Path(__file__).parent,
                             capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout


def git_state() -> tuple[str, bool | None]:
    """(commit hash, dirty?) of the checkout holding this package; ("unknown", None) outside.

    Dirty means tracked files changed or untracked, non-ignored files present."""
    commit = _git("rev-parse", "HEAD")
    if commit is None:
        return "unknown", None
    status = _git("status", "--porcelain")
    return commit.strip(), None if status is None else bool(status.strip())


def _device_name(dev: torch.device) -> str:
    if dev.type == "cuda":
        return torch.cuda.get_device_name(dev)
    return platform.processor() or platform.machine()


def provenance(config: dict, seed: int, device: str | torch.device | None = None) -> dict[str, Any]:
    """Everything needed to say where a result came from.

    **Arguments**
    - `config`: the run's settings, JSON-serializable (checked).
    - `seed`: the run's root seed; `device`: where it ran (CPU by default).

    **Returns** a flat dict: `version` (the suite's, `experiments.version.VERSION`: what
    CITATION.cff cites), `config`, `seed`, `versions` (python, torch, numpy, sympy,
    sklearn, relu-landscape), `git_commit` ("unknown" outside a repository), `git_dirty`
    (see `git_state`; None when unknown), `device`, `device_name`, `platform`,
    `timestamp` (UTC, ISO 8601).
    """
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict, got {type(config).__name__}")
    try:
        config = json.loads(dumps(config))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"config is not JSON-serializable: {exc}") from exc
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {seed!r}")
    dev = device_of(device)
    commit, dirty = git_state()
    return {
        "version": VERSION,
        "config": config,
        "seed": seed,
        "versions": {"python": platform.python_version(),
                     **{name: _version(dist) for name, dist in _PACKAGES.items()},
                     "relu-landscape": VERSION},
        "git_commit": commit,
        "git_dirty": dirty,
        "device": str(dev),
        "device_name": _device_name(dev),
        "platform": platform.platform(),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }

