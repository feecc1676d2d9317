"""Shared plumbing of the experiments: the `Experiment` record and model files."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from experiments._io import write_atomic
from experiments.reproduce._report import Section
from experiments.reproduce._runner import Task
from theory.errors import InvalidArgumentError

SCALES = ("quick", "paper", "smoke")  # smoke: tiny, for the test-suite


@dataclass(frozen=True)
class Experiment:
    """An experiment of the reproduction (E1–E4, see docs/experiments).

    - `configs`: {"quick": …, "paper": …, "smoke": …} frozen config dataclasses (every
      field is recorded in run.json).
    - `phases(config, seed, device, folder)`: lists of `Task`s; a phase runs after the
      previous one has finished (e.g. train endpoints, then connect pairs).
    - `analyze(records, config, seed, folder, out)`: tables and figures → a report
      `Section` (figure paths relative to `out`; `seed` seeds the statistics).
    - `pairs_key`: the config field that `--pairs N` overrides (pairs or replicates).
    """

    name: str
    title: str
    configs: dict[str, Any]
    phases: Callable[[Any, int, str, Path], list[list[Task]]]
    analyze: Callable[[list[dict], Any, int, Path, Path], Section]
    pairs_key: str

    def config(self, scale: str, pairs: int | None = None) -> Any:
        """The configuration of `scale`, with the pair/replicate count set to `pairs`."""
        if scale not in self.configs:
            raise InvalidArgumentError(
                f"scale must be one of {tuple(self.configs)}, got {scale!r}")
        cfg = self.configs[scale]
        if pairs is not None:
            if isinstance(pairs, bool) or not isinstance(pairs, int) or pairs < 1:
                raise InvalidArgumentError(f"--pairs must be a positive integer, got {pairs!r}")
            cfg = dataclasses.replace(cfg, **{self.pairs_key: pairs})
        return cfg


def save_tensor(path: Path, tensor: torch.Tensor) -> None:
    """torch.save, atomically (see `experiments._io.write_atomic`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lambda f: torch.save(tensor.detach().cpu(), f))


def load_tensor(path: Path) -> torch.Tensor:
    if not path.exists():
        raise FileNotFoundError(f"model file {path} is missing: was the training phase run?")
    return torch.load(path, weights_only=True)


def chunks(n: int, size: int) -> list[range]:
    return [range(i, min(n, i + size)) for i in range(0, n, size)]
