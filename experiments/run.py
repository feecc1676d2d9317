"""One run of an experiment: its typed configuration, its folder, its seeds, its records.

A `Run` is the single way every command (`gap`, `reproduce …`) lays out an output folder:

- `config` is a frozen dataclass; every field goes to `run.json` (with the command, the
  seed, the device and the provenance), so a record can always be traced to its settings;
- `claim()` takes the folder: an empty or absent folder is initialised, a folder holding a
  run of the same command with the same configuration is resumed, and anything else is
  refused *before* any work starts, naming the settings that differ;
- `generator(key)` / `rng(key)` / `data_seed(name)` are the one seeding scheme: a 63-bit
  seed derived from (root seed, key) by SHA-256, so a task's numbers depend on neither the
  order of work nor the process it runs in (torch, numpy, the statistics and the data sets
  all draw from it; `SEEDING` names the scheme in run.json, and a folder recorded under
  another scheme is not resumed);
- `store(name)` is the append-only `RecordStore` of the run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from experiments._io import dumps, write_json_atomic
from experiments.domains import SEED
from theory.errors import InvalidArgumentError, RelulandscapeError

if TYPE_CHECKING:
    import numpy as np
    import torch

    from experiments.records import RecordStore

#: the seeding scheme of the records (run.json's "seeding"): "sha256/2" derives every seed,
#: the data sets' included, from (root seed, key); runs recorded before it (no "seeding")
#: gave the data sets the root seed itself
SEEDING = "sha256/2"
RUN_FILE = "run.json"


class ConfigMismatchError(RelulandscapeError, ValueError):
    """The output folder holds something other than a run of this configuration."""


def task_seed(seed: int, key: str) -> int:
    """A 63-bit seed derived from the root seed and a task key (stable across processes)."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1


def data_seed(seed: int, name: str) -> int:
    """The seed of data set `name` (its draws and its split) in a run with root seed `seed`:
    `task_seed(seed, "data/" + name)`, so that every width, arm and task of the run sees the
    same data and no two data sets share a stream.

    >>> data_seed(0, "moons") == task_seed(0, "data/moons") != data_seed(0, "cancer")
    True
    """
    return task_seed(seed, f"data/{name}")


def generator(seed: int, key: str) -> torch.Generator:
    """A CPU torch generator seeded from (root seed, key)."""
    import torch

    return torch.Generator().manual_seed(task_seed(seed, key))


def rng(seed: int, key: str) -> np.random.Generator:
    """A numpy generator seeded from (root seed, key): the statistics draw from this."""
    import numpy as np

    return np.random.default_rng(task_seed(seed, key))


def config_dict(config: Any) -> dict[str, Any]:
    """The JSON form of a frozen config dataclass (tuples become lists)."""
    if not (dataclasses.is_dataclass(config) and not isinstance(config, type)):
        raise TypeError(f"a run config must be a dataclass instance, got {type(config).__name__}")
    return json.loads(dumps(dataclasses.asdict(config)))


@dataclass(frozen=True)
class Run:
    """A run of `command` with `config` (a frozen dataclass) into `folder`.

    **Arguments**
    - `command`: the command that owns the folder ("gap", "reproduce/seed-table", …);
    - `config`: every setting that can change a record (checked on resume);
    - `seed`: root seed in [0, 2⁶³); `device`: "cpu" or "cuda[:k]" (also checked on resume).
    """

    command: str
    config: Any
    seed: int
    device: str
    folder: Path

    def __post_init__(self) -> None:
        SEED.check("seed", self.seed)
        config_dict(self.config)

    def identity(self) -> dict[str, Any]:
        """What a resumed run must share with the run in the folder."""
        return {"command": self.command, "config": config_dict(self.config),
                "seed": self.seed, "seeding": SEEDING, "device": self.device}

    def claim(self, *, allow: tuple[str, ...] = ()) -> bool:
        """Take `folder` for this run. **Returns** True when resuming an earlier run.

        The folder must be absent, empty (apart from the names in `allow`), or hold
        `run.json` of a run with the same identity; otherwise `ConfigMismatchError`
        names the differing settings and nothing is written.
        """
        folder = self.folder
        run_file = folder / RUN_FILE
        if run_file.is_file():
            try:
                old = json.loads(run_file.read_text())
            except (OSError, ValueError) as exc:
                raise ConfigMismatchError(
                    f"{run_file} is unreadable ({exc}); choose another --out") from None
            diff = _differences(old, self.identity(), _defaults(self.config))
            if diff:
                raise ConfigMismatchError(
                    f"{folder} holds another run ({'; '.join(diff)}); rerun with the same "
                    "settings to resume it, or choose another --out")
            return True
        prepare_folder(folder, allow, "holds no run of this command")
        self.write_run_json()
        return False

    def write_run_json(self, **extra: Any) -> Path:
        """(Re)write run.json: the identity, the provenance and `extra` (e.g. progress)."""
        from experiments.provenance import provenance

        prov = provenance(config_dict(self.config), self.seed, self.device)
        return write_json_atomic(self.folder / RUN_FILE, {**prov, **self.identity(), **extra})

    def generator(self, key: str) -> torch.Generator:
        return generator(self.seed, key)

    def rng(self, key: str) -> np.random.Generator:
        return rng(self.seed, key)

    def task_seed(self, key: str) -> int:
        return task_seed(self.seed, key)

    def data_seed(self, name: str) -> int:
        return data_seed(self.seed, name)

    def store(self, name: str = "records.jsonl") -> RecordStore:
        from experiments.records import RecordStore

        return RecordStore(self.folder / name)


def prepare_folder(folder: Path, allow: tuple[str, ...], foreign_means: str) -> None:
    """Create `folder` (writable), refusing a file or a folder holding names outside
    `allow`; `foreign_means` says what such names mean in the refusal."""
    if str(folder) == "":
        raise InvalidArgumentError("--out must name a folder, got an empty string")
    if folder.exists() and not folder.is_dir():
        raise ConfigMismatchError(f"--out {folder} exists and is not a folder")
    if folder.exists():
        foreign = sorted(p.name for p in folder.iterdir() if p.name not in allow)
        if foreign:
            shown = ", ".join(foreign[:5]) + (" …" if len(foreign) > 5 else "")
            raise ConfigMismatchError(f"--out {folder} is not empty and {foreign_means} "
                                      f"({shown}); choose an empty or new folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigMismatchError(
            f"cannot write to --out {str(folder)!r}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK):
        raise ConfigMismatchError(f"cannot write to --out {str(folder)!r}: not writable")


def _defaults(config: Any) -> dict[str, Any]:
    """The JSON form of each field's default (fields without one are left out)."""
    out = {}
    for f in dataclasses.fields(config):
        if f.default is not dataclasses.MISSING:
            value = f.default
        elif f.default_factory is not dataclasses.MISSING:
            value = f.default_factory()
        else:
            continue
        out[f.name] = json.loads(dumps(value))
    return out


#: configuration fields renamed since runs were recorded (old name → new): a stored run.json
#: is read under the new names, so its run still resumes and compares
RENAMED = {"linear_pairs": "pairs", "linear_steps": "steps", "L0": "levels"}


def current_names(config: dict[str, Any]) -> dict[str, Any]:
    """A stored configuration under the current field names (`RENAMED`)."""
    return {RENAMED.get(k, k): v for k, v in config.items()}


def _differences(old: dict[str, Any], new: dict[str, Any],
                 defaults: dict[str, Any] | None = None) -> list[str]:
    """Human-readable differences between a stored run identity and a new one.

    A field the stored run does not have (the configuration grew since it started) is no
    difference when the new run keeps it at its default: by the project's convention a new
    setting's default reproduces the behaviour from before it existed, so the finished
    records stay valid (e.g. E1's sensitivity grid, added as a later phase).
    """
    defaults = defaults or {}
    out = []
    for name in ("command", "seed", "seeding", "device"):
        if name == "seeding" and "seeding" not in old:
            out.append(f"seeding: the folder's records predate seeding scheme {SEEDING!r} "
                       "(their data sets got the root seed itself)")
        elif old.get(name) != new[name]:
            out.append(f"{name}: {old.get(name)!r} in the folder, {new[name]!r} now")
    old_cfg, new_cfg = current_names(old.get("config") or {}), new["config"]
    for name in sorted(set(old_cfg) | set(new_cfg)):
        if name not in old_cfg and name in defaults and new_cfg.get(name) == defaults[name]:
            continue
        if old_cfg.get(name) != new_cfg.get(name):
            out.append(f"{name}: {old_cfg.get(name)!r} in the folder, {new_cfg.get(name)!r} now")
    return out

