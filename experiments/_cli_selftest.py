"""`relu-landscape selftest --mutation [MODULE ...]`: do the tests catch wrong numerics?

Each core module listed in `mutation.toml` (repository root) is mutated one small edit at
a time (an operator, a constant, a comparison) by mutmut, and each mutant runs against
the tests mapped to that module (those its `marker` selects, e.g. the `fast` ones); a
mutant is *killed* when some test fails. The statement modules (`theory.statements.*`)
hold data, not functions, so they are mutated at the level of statements instead: every
conclusion is perturbed and every hypothesis dropped in turn (`proofs_check._mutate`, the
engine of `check --mutate`), and a mutant is killed when an obligation that reads the
statement fails.

Writes OUT/score.md (per module: mutants, killed, survived, equivalent, timeout, no
tests, score = killed ÷ non-equivalent, the change against the baseline, wall time) and
OUT/score.json (the same, plus every surviving mutant with its diff). Equivalent mutants
are listed in `mutation.toml` with a one-line reason. The baseline
(`docs/mutation-score.json`, committed) holds each module's last full run: a module whose
score fell below it is marked ▼, and `--update-baseline` replaces the rows of the
modules just run in full. Exit 0 iff every module reached the target score and none fell
below its baseline; 2 on a usage error.

Needs the `mutation` extra (`pip install -e ".[mutation]"`) and runs from the repository
root; each module is mutated in its own folder `.mutation/MODULE/`, so runs of different
modules never share mutmut's cache.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from experiments._cli_common import Refused

HELP = "mutation score of the core modules: killed, survived, equivalent, timeout"

#: packages copied into each work folder (the mutated module and everything it imports)
PACKAGES = ("theory", "numerics", "proofs_check", "experiments")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mutation", action="store_true",
                        help="run mutation testing (the one self-test there is)")
    parser.add_argument("modules", nargs="*", metavar="MODULE",
                        help="dotted module names from mutation.toml (all if none)")
    parser.add_argument("--config", type=Path, default=Path("mutation.toml"),
                        help="module map and equivalent mutants (default: mutation.toml)")
    parser.add_argument("--out", type=Path, default=Path("runs/mutation"),
                        help="folder for score.md and score.json (default: runs/mutation)")
    parser.add_argument("--workers", type=int, default=1,
                        help="mutants tested in parallel (default 1)")
    parser.add_argument("--resume", action="store_true",
                        help="keep earlier results in .mutation/ (mutmut retests only "
                        "the functions that changed)")
    parser.add_argument("--budget", type=float, default=None, metavar="MINUTES",
                        help="stop each module's run after this many minutes (the mutants "
                        "not reached are counted as not run)")
    parser.add_argument("--survivors", action="store_true",
                        help="retest only the mutants the last run did not catch")
    parser.add_argument("--list", action="store_true",
                        help="print the modules and their mapped tests, run nothing")
    parser.add_argument("--modules-at-once", type=int, default=1, metavar="K",
                        help="mutmut modules run side by side (default 1); with K = 2 and "
                        "--workers 1 neither core idles while a module runs its clean "
                        "tests alone")
    parser.add_argument("--baseline", type=Path, default=Path("docs/mutation-score.json"),
                        help="scores of the last full runs, compared with this run "
                        "(default: docs/mutation-score.json)")
    parser.add_argument("--update-baseline", action="store_true",
                        help="write the modules run in full (every mutant, no --resume, "
                        "--survivors or budget cut) into the baseline")


def run(args: argparse.Namespace) -> int:
    from experiments import _mutation as mutation

    if not args.mutation:
        raise Refused("say what to test: --mutation is the only self-test")
    if args.workers < 1:
        raise Refused("--workers must be ≥ 1")
    if args.modules_at_once < 1:
        raise Refused("--modules-at-once must be ≥ 1")
    if args.budget is not None and not args.budget > 0:
        raise Refused("--budget must be > 0 minutes")
    try:
        config = mutation.load_config(args.config)
        modules = mutation.select(config, args.modules)
        baseline = mutation.load_baseline(args.baseline)
    except (OSError, ValueError) as exc:
        raise Refused(str(exc)) from None
    if args.list:
        for m in modules:
            print(f"{m.name:32s} {m.kind:10s} {' '.join(m.selection)}")
        return 0
    missing = mutation.missing_tools(modules)
    if missing:
        raise Refused(f"{missing} is not installed; pip install -e \".[mutation]\"")
    from experiments.provenance import git_state

    commit, dirty = git_state()  # of the code the run starts from
    started = datetime.now(UTC).isoformat(timespec="seconds")
    done: dict[str, mutation.ModuleScore] = {}

    def measure(m: mutation.Module) -> None:
        try:
            row = mutation.run_module(
                m, config, workers=args.workers, resume=args.resume, survivors=args.survivors,
                budget_s=None if args.budget is None else 60 * args.budget)
        except (mutation.MutationRunError, RuntimeError) as exc:
            # one module that cannot be measured does not lose the others' results
            row = mutation.ModuleScore(m.name, m.kind, error=str(exc))
        done[m.name] = row
        print(mutation.render_rows([row], config.target, baseline), flush=True)
        # after every module: a stopped run keeps what it measured
        mutation.write_report([done[n.name] for n in modules if n.name in done], config,
                              args.out, baseline)

    # mutmut modules run in their own processes, K at a time, the longest first (by their
    # baseline wall time); statement modules run here,
    # one after the other (their obligations share sympy's and z3's state)
    tools = mutation.longest_first([m for m in modules if m.kind != "statements"],
                                   args.baseline)
    with ThreadPoolExecutor(max_workers=args.modules_at_once) as pool:
        for m in tools:
            print(f"== {m.name} ({m.kind})", flush=True)
        futures = [pool.submit(measure, m) for m in tools]
        for m in modules:
            if m.kind == "statements":
                print(f"== {m.name} ({m.kind})", flush=True)
                measure(m)
        for f in futures:
            f.result()
    rows = [done[m.name] for m in modules]
    table = mutation.write_report(rows, config, args.out, baseline)
    print(table)
    print(f"report: {args.out / 'score.md'}")
    fell = mutation.dropped(rows, baseline)
    if fell:
        print(f"below the baseline ({args.baseline}): {', '.join(fell)}")
    if args.update_baseline:
        stamp = {"commit": commit, "dirty": dirty, "workers": args.workers,
                 "modules_at_once": args.modules_at_once, "date": started}
        written = mutation.update_baseline(args.baseline, rows, stamp)
        print(f"baseline {args.baseline}: {', '.join(written) or 'nothing run in full'}")
    return 0 if all(r.score >= config.target for r in rows) and not fell else 1
