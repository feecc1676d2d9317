"""`reproduce … --compare REF`: a new run beside a committed reference, cell by cell.

A cell is one group of pair records (E1: data set × width of the corrected arm; E2: width;
E3: task × L0; E4: case) and its measure (the barrier's certified upper bound, or E3's
normalized length). Per cell: the means of both runs, their difference with a percentile
bootstrap CI (each run's pairs resampled independently), and whether the CI excludes 0
("beyond noise"). Cells present in only one run, and settings that differ between the two
runs' configurations, are listed as not comparable / as what a difference may come from.
Light at import (the CLI checks the reference folder before heavy imports).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from experiments._io import write_text_atomic
from theory.errors import InvalidArgumentError


@dataclass(frozen=True)
class Cells:
    """Which records of an experiment are compared: `keep`, grouped by `by`, on `measure`."""

    keep: Callable[[dict], bool]
    by: tuple[str, ...]
    measure: str


CELLS: dict[str, Cells] = {
    "seed-table": Cells(lambda r: r["phase"] == "dss" and r["variant"] == "corrected"
                        and r["protocol_status"] != "inconclusive", ("dataset", "width"),
                        "protocol_barrier_upper"),
    # the replicates, not the sensitivity grid's recomputed paths (they carry `setting`)
    "width-sweep": Cells(lambda r: r.get("setting") is None and r["status"] != "inconclusive",
                         ("width",), "barrier_upper"),
    # the report's pairs: a stopped string (a bead missed its target) has no length
    "fb-geometry": Cells(lambda r: r.get("normalized_length") is not None
                         and not r.get("stopped"), ("task", "L0"), "normalized_length"),
    "topology-contrast": Cells(lambda r: True, ("case",), "certified_barrier"),
}


def records_file(folder: Path) -> Path | None:
    """`folder`'s records.jsonl, or its gzipped copy (committed results), or None."""
    for name in ("records.jsonl", "records.jsonl.gz"):
        if (folder / name).is_file():
            return folder / name
    return None


def _records(folder: Path) -> list[dict]:
    path = records_file(folder)
    if path is None:
        raise InvalidArgumentError(f"--compare: {folder} holds no records.jsonl (a reference "
                                   "folder holds <experiment>/records.jsonl, as `reproduce` "
                                   "writes it)")
    if path.suffix == ".gz":
        import gzip

        text = gzip.decompress(path.read_bytes()).decode()
    else:
        text = path.read_text()
    return [rec for line in text.splitlines() if line.strip()
            for rec in json.loads(line)["records"]]


def _config(folder: Path) -> dict:
    """The folder's configuration under the current field names (`experiments.run.RENAMED`),
    with its seeding scheme (None: recorded before run.json named it)."""
    from experiments.run import current_names

    try:
        run = json.loads((folder / "run.json").read_text())
    except (OSError, ValueError):
        return {}
    return {**current_names(run.get("config", {})), "seeding": run.get("seeding")}


def reference_folder(reference: Path, name: str) -> Path:
    """`reference` itself when it holds records, else `reference/name`."""
    return reference if records_file(reference) is not None else reference / name


def compare(name: str, new: Path, reference: Path, *, resamples: int = 2000,
            seed: int = 0) -> str:
    """The comparison's markdown (also printed by the CLI)."""
    import numpy as np

    from experiments import stats
    from experiments.reproduce._report import markdown_table

    spec = CELLS[name]
    ref_folder = reference_folder(reference, name)
    groups: dict[str, dict[tuple, list[float]]] = {"new": {}, "ref": {}}
    for which, folder in (("new", new), ("ref", ref_folder)):
        for r in _records(folder):
            if spec.keep(r) and r.get(spec.measure) is not None:
                groups[which].setdefault(tuple(r[k] for k in spec.by), []).append(
                    float(r[spec.measure]))
    rows, alone = [], []
    for cell in sorted(set(groups["new"]) | set(groups["ref"]), key=str):
        x, y = groups["new"].get(cell), groups["ref"].get(cell)
        label = ", ".join(f"{k} {v}" for k, v in zip(spec.by, cell, strict=True))
        if not x or not y:
            alone.append(f"{label} (only in the {'new run' if x else 'reference'})")
            continue
        ci = stats.bootstrap_diff_ci(np.array(x), np.array(y), np.mean,
                                     n_resamples=resamples, rng=seed)
        rows.append({"cell": label, "pairs new/ref": f"{len(x)}/{len(y)}",
                     "mean new": float(np.mean(x)), "mean ref": float(np.mean(y)),
                     "new − ref": ci.estimate, "95% CI": f"[{ci.low:.3g}, {ci.high:.3g}]",
                     "beyond noise": "yes" if ci.low > 0 or ci.high < 0 else "no"})
    new_cfg, ref_cfg = _config(new), _config(ref_folder)
    differ = [f"{k}: {new_cfg.get(k)!r} (new) vs {ref_cfg.get(k)!r} (reference)"
              for k in sorted(set(new_cfg) | set(ref_cfg)) if new_cfg.get(k) != ref_cfg.get(k)]
    beyond = sum(r["beyond noise"] == "yes" for r in rows)
    text = [f"# {name}: this run beside {ref_folder}", "",
            f"Measure: `{spec.measure}` per cell ({', '.join(spec.by)}), mean over the cell's "
            "pairs; CI: percentile bootstrap of the difference of means, each run's pairs "
            f"resampled independently ({resamples} resamples).", "",
            markdown_table(rows) if rows else "*(no cell in both runs)*", "",
            f"**{beyond} of {len(rows)} cells differ beyond the bootstrap noise.**", ""]
    if alone:
        text += ["Not comparable (a cell in one run only): " + "; ".join(alone) + ".", ""]
    if differ:
        text += ["The runs' settings differ, so a difference may come from them rather than "
                 "from chance: " + "; ".join(differ) + ".", ""]
    return "\n".join(text)


def write_comparison(name: str, new: Path, reference: Path, out: Path, **kwargs) -> Path:
    return write_text_atomic(out / f"compare-{name}.md", compare(name, new, reference,
                                                                  **kwargs))
