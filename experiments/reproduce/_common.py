"""Shared plumbing of the experiments: the `Experiment` record, seeds, model files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from experiments.reproduce._report import Section
from experiments.reproduce._runner import Task, task_seed

SCALES = ("quick", "paper", "smoke")  # smoke: tiny, for the test-suite


@dataclass(frozen=True)
class Experiment:
    """An experiment of THEORY.md §8.

    - `configs`: {"quick": …, "paper": …} plain dicts (JSON-serializable, part of run.json).
    - `phases(config, seed, device, folder)`: lists of `Task`s; a phase runs after the
      previous one has finished (e.g. train endpoints, then connect pairs).
    - `analyze(records, config, folder, out)`: tables and figures → a report `Section`
      (figure paths relative to `out`).
    - `pairs_key`: the config entry that `--pairs N` overrides (pairs or replicates).
    """

    name: str
    title: str
    configs: dict[str, dict[str, Any]]
    phases: Callable[[dict, int, str, Path], list[list[Task]]]
    analyze: Callable[[list[dict], dict, Path, Path], Section]
    pairs_key: str

    def config(self, scale: str, pairs: int | None = None) -> dict[str, Any]:
        """The configuration of `scale`, with the pair/replicate count set to `pairs`."""
        if scale not in self.configs:
            raise ValueError(f"scale must be one of {tuple(self.configs)}, got {scale!r}")
        cfg = dict(self.configs[scale])
        if pairs is not None:
            if isinstance(pairs, bool) or not isinstance(pairs, int) or pairs < 1:
                raise ValueError(f"--pairs must be a positive integer, got {pairs!r}")
            cfg[self.pairs_key] = pairs
        return cfg


def generator(seed: int, key: str) -> torch.Generator:
    """A CPU torch generator seeded from (run seed, task key)."""
    return torch.Generator().manual_seed(task_seed(seed, key))


def save_tensor_atomic(path: Path, tensor: torch.Tensor) -> None:
    """torch.save to a temp file in the same folder, fsync, os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(tensor.detach().cpu(), f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_tensor(path: Path) -> torch.Tensor:
    if not path.exists():
        raise FileNotFoundError(f"model file {path} is missing: was the training phase run?")
    return torch.load(path, weights_only=True)


def chunks(n: int, size: int) -> list[range]:
    return [range(i, min(n, i + size)) for i in range(0, n, size)]
