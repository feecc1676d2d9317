"""`relu-landscape docs [--out DIR]`: build the documentation site, every page executed.

Runs Sphinx on `docs/` with forced execution (every page runs on every build) and `-W`
(any Sphinx warning, and any cell error, fails the build). Writes `DIR/html` (the site;
open `DIR/html/index.html`), `DIR/jupyter_execute` (the executed notebooks),
`DIR/doctrees`, `DIR/cache` (the test collection shared by the pages) and `DIR/runs/smoke`
(the smoke-scale reproduction that the experiments page shows, started in the background
at once so it overlaps the other pages). Exit 0 when the site built, 1 when the build
failed, 2 for a bad argument or a missing docs toolchain.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments._cli_common import Refused

HELP = "build the documentation site (every page executed; any cell error or warning fails)"

TOOLCHAIN = ("sphinx", "myst_nb", "jupytext", "ipykernel", "pygments")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("docs/_build"),
                        help="build folder (default docs/_build); the site goes to OUT/html")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="Sphinx processes reading pages in parallel (default 1)")


def run(args: argparse.Namespace) -> int:
    import importlib.util

    if str(args.out).strip() == "":
        raise Refused("--out must name a folder")
    if args.out.exists() and not args.out.is_dir():
        raise Refused(f"--out {str(args.out)!r} exists and is not a folder")
    if args.jobs < 1:
        raise Refused(f"--jobs must be ≥ 1, got {args.jobs}")
    missing = [m for m in TOOLCHAIN if importlib.util.find_spec(m) is None]
    if missing:
        raise Refused(f"the docs toolchain is not installed ({', '.join(missing)}): "
                     "pip install -e '.[test,docs]'")
    docs = Path(__file__).resolve().parents[1] / "docs"
    if not (docs / "conf.py").is_file():
        raise Refused(f"no docs sources at {docs} (run from a checkout of the repository)")
    return _build(docs, args.out.resolve(), args.jobs)


def _build(docs: Path, out: Path, jobs: int) -> int:
    import os
    import shutil
    import subprocess
    import threading
    import time

    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "cache", ignore_errors=True)  # this build's collection, not a stale one
    runs = out / "runs"
    runs.mkdir(exist_ok=True)
    for stale in ("smoke.done", "smoke.started"):
        (runs / stale).unlink(missing_ok=True)
    # a smoke run of an older configuration would be refused on resume: start afresh
    shutil.rmtree(runs / "smoke", ignore_errors=True)
    env = {**os.environ, "RELU_LANDSCAPE_NB_EXECUTION": "force",
           "RELU_LANDSCAPE_DOCS_CACHE": str(out / "cache"),
           "RELU_LANDSCAPE_DOCS_RUNS": str(runs), "PYTHONHASHSEED": "0"}
    started = time.monotonic()

    # the experiments page shows a smoke-scale reproduction: run it alongside the build
    # (the page waits for smoke.done); a committed reference run under results/ replaces it
    experiments = None
    if not (docs.parent / "results" / "report.md").is_file():
        (runs / "smoke.started").write_text("")
        log = (runs / "smoke.log").open("w")
        experiments = subprocess.Popen(
            [sys.executable, "-m", "experiments.cli", "reproduce", "all", "--scale", "smoke",
             "--threads", "1", "--out", str(runs / "smoke")],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=docs.parent)

        def finish() -> None:
            code = experiments.wait()
            log.close()
            (runs / "smoke.done").write_text(str(code))

        threading.Thread(target=finish, daemon=True).start()

    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-E",
               "-j", str(jobs), "-d", str(out / "doctrees"), str(docs), str(out / "html")]
    print("building:", " ".join(command), flush=True)
    try:
        code = subprocess.run(command, env=env, cwd=docs.parent, check=False).returncode
    except KeyboardInterrupt:
        code = 130
    if experiments is not None:
        if experiments.poll() is None:
            experiments.terminate()
        experiments.wait()
    seconds = time.monotonic() - started
    if code != 0:
        print(f"relu-landscape docs: the build failed (exit {code}) after {seconds:.0f} s",
              file=sys.stderr)
        return 130 if code == 130 else 1
    print(f"site: {out / 'html' / 'index.html'} (built in {seconds:.0f} s)")
    return 0
