"""Run experiments into an output folder and write the report.

Layout of `out/`: `report.md` (every experiment run so far), `<experiment>/records.jsonl`
(append-only, one line per finished task), `<experiment>/records.csv` (tidy, one row per
model/pair, sorted), `<experiment>/run.json` (configuration and provenance),
`figures/*.png|svg`, `run.json` (the last invocation). Running again with the same
arguments skips finished tasks; a different configuration in an existing folder is
refused (`experiments.run.Run.claim`) rather than mixed in.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from experiments.domains import SEED
from experiments.records import to_csv
from experiments.reproduce import (
    e1_seed_table,
    e2_width_sweep,
    e3_fb_geometry,
    e4_topology,
    e5_digits,
)
from experiments.reproduce._common import SCALES, Experiment
from experiments.reproduce._report import Section, write_report
from experiments.run import RUN_FILE, Run, prepare_folder
from experiments.tasks import run_tasks
from numerics import device_of
from theory.errors import InvalidArgumentError

EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (e1_seed_table.EXPERIMENT, e2_width_sweep.EXPERIMENT, e3_fb_geometry.EXPERIMENT,
              e4_topology.EXPERIMENT, e5_digits.EXPERIMENT)
}


def experiment_runs(names: list[str], out: Path, *, scale: str, seed: int, device: str,
                    threads: int | None, pairs: int | None, design: str | None = None,
                    overrides: dict | None = None) -> list[tuple[Experiment, Run]]:
    """The `Run` of each named experiment in `out/<name>` (validated, nothing written).

    The torch thread count is part of the configuration: float reductions depend on it.
    """
    if scale not in SCALES:
        raise InvalidArgumentError(f"scale must be one of {SCALES}, got {scale!r}")
    unknown = [n for n in names if n not in EXPERIMENTS]
    if unknown:
        raise InvalidArgumentError(
            f"unknown experiment(s) {unknown}; known: {', '.join(EXPERIMENTS)}")
    SEED.check("--seed", seed)
    if (design or overrides) and len(names) != 1:
        raise InvalidArgumentError("--design and --config apply to one experiment, not 'all'")
    runs = []
    for name in names:
        exp = EXPERIMENTS[name]
        cfg = exp.config(scale, pairs, design=design, overrides=overrides)
        label = f"--design {design}" if design else f"--scale {scale}"
        runs.append((exp, Run(f"reproduce {name} {label} --threads {threads}", cfg,
                              seed, str(device), out / name)))
    return runs


def reproduce(names: list[str], out: Path, *, scale: str = "quick", seed: int = 0,
              device: str = "cpu", executor: str = "local",
              scheduler: str | None = None, threads: int | None = None,
              pairs: int | None = None, design: str | None = None,
              overrides: dict | None = None, certificates: Path | None = None) -> Path:
    """Run the named experiments (resumably) and write `out/report.md`; return its path.

    `design` picks a named configuration of the one experiment (e.g. width-sweep's
    "teacher-huber") instead of `scale`; `overrides` replaces fields of the configuration.
    `certificates`: the experiments that certify pairs (`Experiment.certifies`: E1's
    corrected arm, E2) write one certificate per pair under `certificates/<experiment>/`.
    """
    dev = str(device_of(device))
    runs = experiment_runs(names, out, scale=scale, seed=seed, device=dev, threads=threads,
                           pairs=pairs, design=design, overrides=overrides)
    top = Run("reproduce", Invocation(tuple(names), design or scale), seed, dev, out)
    _claim_top(top)
    for _, run in runs:  # refuse a mismatch in any folder before any work starts
        run.claim()
    started, cpu = time.monotonic(), _cpu_seconds()
    sections: list[Section] = []
    for exp, run in runs:
        records: list[dict] = []
        extra = {"certificates": Path(certificates).resolve() / exp.name} \
            if certificates is not None and exp.certifies else {}
        for k, phase in enumerate(exp.phases(run, **extra)):
            records = run_tasks(phase, run.folder / "records.jsonl", executor=executor,
                                scheduler=scheduler, threads=threads,
                                desc=f"{exp.name} phase {k + 1}")
        to_csv(records, run.folder / "records.csv")
        sections.append(exp.analyze(records, run, out))
    from experiments.provenance import git_state

    commit, dirty = git_state()
    # each invocation of a resumed run names the code it ran (a resume may run newer code)
    now = {"elapsed_s": round(time.monotonic() - started, 1), **_machine(cpu),
           "git_commit": commit, "git_dirty": dirty}
    # a resumed run adds this invocation to the earlier ones: the totals cover them all
    calls = [*_earlier_invocations(top), now]
    top.write_run_json(elapsed_s=round(sum(c["elapsed_s"] for c in calls), 1),
                       cpu_s=round(sum(c["cpu_s"] or 0.0 for c in calls), 1),
                       cpu_s_complete=all(c["cpu_s"] is not None for c in calls),
                       cpu_count=now["cpu_count"], load_average=now["load_average"],
                       invocations=calls)
    what = f"design {design}" if design else f"{scale} scale"
    return write_report(out, f"relu-landscape reproduction report ({what})", sections,
                        _provenance(top))


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children (workers)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _machine(cpu_at_start: float) -> dict:
    """What run.json says of the machine and the run's cost: CPU seconds, cores, load."""
    import os

    return {"cpu_s": round(_cpu_seconds() - cpu_at_start, 1), "cpu_count": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def _earlier_invocations(top: Run) -> list[dict]:
    """The invocations recorded in `top`'s run.json by earlier calls of the same run."""
    try:
        old = json.loads((top.folder / RUN_FILE).read_text())
    except (OSError, ValueError):
        return []
    if old.get("config") != top.identity()["config"]:
        return []
    if "invocations" not in old and isinstance(old.get("elapsed_s"), int | float):
        # written before run.json listed invocations: its wall time, CPU time unknown
        return [{"elapsed_s": old["elapsed_s"], "cpu_s": None}]
    return [c for c in old.get("invocations", []) if isinstance(c, dict)
            and {"elapsed_s", "cpu_s"} <= set(c)]


def _provenance(run: Run) -> dict:
    return json.loads((run.folder / RUN_FILE).read_text())


@dataclass(frozen=True)
class Invocation:
    """The top folder's record of the last `reproduce` call: experiments and scale."""

    experiments: tuple[str, ...]
    scale: str


TOP_NAMES = (RUN_FILE, "report.md", "figures", *EXPERIMENTS,
             *(f"compare-{name}.md" for name in EXPERIMENTS))


def _claim_top(top: Run) -> None:
    """The top folder is empty or made by `reproduce` (run.json, report, figures and
    experiment folders); anything else is refused before work starts."""
    prepare_folder(top.folder, TOP_NAMES, "holds files that `reproduce` did not write")
