"""Run experiments into an output folder and write the report.

Layout of `out/`: `report.md` (every experiment run so far), `<experiment>/records.jsonl`
(append-only, one line per finished task), `<experiment>/records.csv` (tidy, one row per
model/pair, sorted), `<experiment>/run.json` (provenance), `figures/*.png|svg`.
Running again with the same arguments skips finished tasks; a different configuration
in an existing folder is refused rather than mixed in.
"""

from __future__ import annotations

import json
from pathlib import Path

from experiments.provenance import provenance, write_json_atomic
from experiments.records import to_csv
from experiments.reproduce import e1_seed_table, e2_width_sweep, e3_fb_geometry, e4_topology
from experiments.reproduce._common import SCALES, Experiment
from experiments.reproduce._report import Section, write_report
from experiments.reproduce._runner import run_tasks
from numerics import device_of

EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (e1_seed_table.EXPERIMENT, e2_width_sweep.EXPERIMENT, e3_fb_geometry.EXPERIMENT,
              e4_topology.EXPERIMENT)
}


class ConfigMismatchError(ValueError):
    """The output folder holds a run with another configuration."""


def _claim(folder: Path, config: dict, seed: int, device) -> None:
    """Write run.json, or check that the existing one has the same configuration."""
    run_json = folder / "run.json"
    if run_json.exists():
        old = json.loads(run_json.read_text())
        if old.get("config") != config or old.get("seed") != seed:
            raise ConfigMismatchError(
                f"{folder} holds a run with a different configuration or seed; "
                "use a new --out folder (or delete it) instead of mixing runs")
        return
    write_json_atomic(run_json, provenance(config, seed, device))


def reproduce(names: list[str], out: Path, *, scale: str = "quick", seed: int = 0,
              device: str = "cpu", executor: str = "local",
              scheduler: str | None = None, threads: int | None = None,
              pairs: int | None = None) -> Path:
    """Run the named experiments (resumably) and write `out/report.md`; return its path."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
    unknown = [n for n in names if n not in EXPERIMENTS]
    if unknown:
        raise ValueError(f"unknown experiment(s) {unknown}; known: {', '.join(EXPERIMENTS)}")
    dev = device_of(device)
    out.mkdir(parents=True, exist_ok=True)
    sections: list[Section] = []
    for name in names:
        exp = EXPERIMENTS[name]
        cfg = exp.config(scale, pairs)
        folder = out / name
        folder.mkdir(exist_ok=True)
        _claim(folder, {"experiment": name, "scale": scale, "threads": threads, **cfg}, seed, dev)
        records: list[dict] = []
        for k, phase in enumerate(exp.phases(cfg, seed, str(dev), folder)):
            records = run_tasks(phase, folder / "records.jsonl", executor=executor,
                                scheduler=scheduler, threads=threads,
                                desc=f"{name} phase {k + 1}")
        to_csv(records, folder / "records.csv")
        sections.append(exp.analyze(records, cfg, folder, out))
    prov = provenance({"experiments": names, "scale": scale}, seed, dev)
    write_json_atomic(out / "run.json", prov)
    return write_report(out, "relu-landscape reproduction report", sections, prov)
