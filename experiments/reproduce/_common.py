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
    designs: dict[str, Any] = dataclasses.field(default_factory=dict)

    def config(self, scale: str, pairs: int | None = None, *, design: str | None = None,
               overrides: dict[str, Any] | None = None) -> Any:
        """The configuration of `scale` (or of the named `design`), with the fields in
        `overrides` replaced (e.g. from a `--config` file) and the pair/replicate count
        set to `pairs`."""
        if design is not None:
            if design not in self.designs:
                known = ", ".join(self.designs) or "none"
                raise InvalidArgumentError(
                    f"{self.name} has no design {design!r}; designs: {known}")
            cfg = self.designs[design]
        elif scale not in self.configs:
            raise InvalidArgumentError(
                f"scale must be one of {tuple(self.configs)}, got {scale!r}")
        else:
            cfg = self.configs[scale]
        if overrides:
            cfg = _replace_fields(cfg, overrides)
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


def _replace_fields(cfg: Any, overrides: dict[str, Any]) -> Any:
    """`cfg` with the named fields replaced; lists become tuples; unknown names refused."""
    names = {f.name for f in dataclasses.fields(cfg)}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise InvalidArgumentError(
            f"unknown setting(s) {unknown} for {type(cfg).__name__}; known: {sorted(names)}")
    fixed = {k: tuple(v) if isinstance(v, list) else v for k, v in overrides.items()}
    try:
        return dataclasses.replace(cfg, **fixed)
    except TypeError as exc:
        raise InvalidArgumentError(f"bad setting in the configuration: {exc}") from None


def read_overrides(path: Path) -> dict[str, Any]:
    """Settings from a TOML file (`key = value` lines, e.g. `widths = [8, 16, 32]`)."""
    import tomllib

    try:
        return tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise InvalidArgumentError(f"--config file {path} does not exist") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InvalidArgumentError(f"--config file {path} is not valid TOML: {exc}") from None
