"""Collect finished `reproduce` runs into one reference folder and its report.md.

    python -m experiments.reproduce.collect --out results RUN [RUN ...]

Each RUN is an output folder of `relu-landscape reproduce` (report.md, run.json, figures/,
<experiment>/records.jsonl). It is copied to `out/<RUN's name>/` without its model files
(the models are regenerated bit for bit from the seed; the records are what a comparison
needs), records files over 1 MB are gzipped, and `out/report.md` gathers every run's
sections with their figure links rewritten, after a table of each run's scale, wall time,
CPU time, machine and commit.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import sys
from pathlib import Path

from experiments._io import write_text_atomic

GZIP_OVER = 1 << 20  # bytes


def _copy(run: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(run, dest, ignore=shutil.ignore_patterns("models", "*.pt", "dask-*"))
    for records in [*dest.rglob("records.jsonl"), *dest.rglob("records.csv")]:
        if records.stat().st_size > GZIP_OVER:
            # mtime 0: the same records give the same bytes
            with records.open("rb") as src, open(f"{records}.gz", "wb") as raw, \
                    gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
                shutil.copyfileobj(src, out)
            records.unlink()


def _summary(run: Path) -> dict[str, object]:
    top = json.loads((run / "run.json").read_text())
    return {"run": run.name,
            "experiments": ", ".join(top.get("config", {}).get("experiments", [])),
            "scale or design": top.get("config", {}).get("scale", "?"),
            "wall time (s)": top.get("elapsed_s", "?"),
            "CPU time (s)": f"{top.get('cpu_s', '?')}"
                            + ("" if top.get("cpu_s_complete", True) else " (later calls only)"),
            "cores": top.get("cpu_count", "?"), "load average (1, 5, 15 min)":
                ", ".join(str(x) for x in top.get("load_average", [])) or "?",
            "commit": str(top.get("git_commit", "?"))[:10]
                      + (" (dirty)" if top.get("git_dirty") else "")}


def collect(runs: list[Path], out: Path, notes: list[str] | None = None) -> Path:
    """Copy `runs` into `out` and write `out/report.md`; return its path. `notes`: lines
    of the report's introduction (e.g. a run below paper scale and why)."""
    from experiments.reproduce._report import markdown_table

    out.mkdir(parents=True, exist_ok=True)
    rows, sections = [], []
    for run in runs:
        if not (run / "report.md").is_file() or not (run / "run.json").is_file():
            raise SystemExit(f"collect: {run} holds no finished reproduce run "
                             "(report.md and run.json)")
        dest = out / run.name
        if run.resolve() != dest.resolve():
            _copy(run, dest)
        rows.append(_summary(dest))
        body = (dest / "report.md").read_text(encoding="utf-8").split("\n## ", 1)
        text = "## " + body[1] if len(body) > 1 else ""
        # figures and links relative to the run's folder become relative to `out`
        text = re.sub(r"\]\((figures/[^)]+)\)", rf"]({run.name}/\1)", text)
        sections.append(text.strip())
    total = sum(float(r["wall time (s)"]) for r in rows
                if isinstance(r["wall time (s)"], int | float))
    lines = ["# relu-landscape: committed reference results", "",
             "Each experiment's run at paper scale (or the stated design), made with "
             "`relu-landscape reproduce … --out runs/<name>` and collected here with "
             "`python -m experiments.reproduce.collect`. Every run folder holds its "
             "records (records.jsonl, gzipped when large, and records.csv), run.json "
             "(configuration and provenance) and figures; the models are not committed "
             "(rerun with the same seed at the run's commit to get them bit for bit; "
             "run.json's `seeding` names the seeding scheme, and a run without it predates "
             "data sets seeded from the root seed by key). Compare a new run with "
             "`relu-landscape reproduce EXP … --compare results/<name>`.", "",
             markdown_table(rows), "",
             f"Total wall time of the runs: {total:.0f} s ({total / 60:.1f} min), each "
             "run beside others on a 2-core machine (see the load average). 'commit' is "
             "that of the run's last invocation (a resumed run may have started earlier).",
             "", *[f"- {note}" for note in notes or []], ""]
    lines += [s + "\n" for s in sections]
    return write_text_atomic(out / "report.md", "\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.reproduce.collect",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--note", action="append", default=[],
                        help="a line of the introduction (repeatable)")
    parser.add_argument("runs", type=Path, nargs="+")
    args = parser.parse_args(argv)
    print(collect(args.runs, args.out, args.note))
    return 0


if __name__ == "__main__":
    sys.exit(main())
