"""Shared plumbing of the experiments: the `Experiment` record and model files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from experiments._io import write_atomic
from experiments.configs import SCALES, preset, read_overrides
from experiments.reproduce._report import Section
from experiments.run import Run
from experiments.tasks import Task

__all__ = ["SCALES", "Experiment", "load_tensor", "read_overrides", "save_tensor"]


@dataclass(frozen=True)
class Experiment:
    """An experiment of the reproduction (E1–E5, see docs/experiments).

    Its configurations (per scale, and named designs) live in `experiments.configs`
    (light, so that they are checked before heavy imports); here:

    - `phases(run)`: lists of `Task`s for the `experiments.run.Run` (its config, seed,
      device and folder); a phase runs after the previous one has finished (e.g. train
      endpoints, then connect pairs). Every generator, the data sets' included, derives
      from the run's root seed (`Run.generator`, `Run.data_seed`, …).
    - `analyze(records, run, out)`: tables and figures → a report `Section` (figure paths
      relative to `out`; the statistics draw from `run.task_seed(key)`).
    - `certifies`: its `phases` take `certificates=DIR` and write a re-checkable
      certificate per pair there (`reproduce --certificates`; `experiments.certificates`).
    """

    name: str
    title: str
    phases: Callable[..., list[list[Task]]]
    analyze: Callable[[list[dict], Run, Path], Section]
    certifies: bool = False

    def config(self, scale: str, pairs: int | None = None, *, design: str | None = None,
               overrides: dict[str, Any] | None = None) -> Any:
        """The configuration of `scale` (or of the named `design`), with the fields in
        `overrides` replaced (e.g. from a `--config` file) and the pair/replicate count
        set to `pairs` (`experiments.configs.preset`)."""
        return preset(self.name, scale, design=design, overrides=overrides, pairs=pairs)


def save_tensor(path: Path, tensor: torch.Tensor) -> None:
    """torch.save, atomically (see `experiments._io.write_atomic`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lambda f: torch.save(tensor.detach().cpu(), f))


def load_tensor(path: Path) -> torch.Tensor:
    if not path.exists():
        raise FileNotFoundError(f"model file {path} is missing: was the training phase run?")
    return torch.load(path, weights_only=True)
