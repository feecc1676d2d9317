"""`relu-landscape gap`: DSS versus the proof's constructive path on trained pairs.

The one-width case of the width sweep (`experiments.pairs`): trains 2P endpoints
(disjoint pairs), sets each pair's level λ = max{F(A), F(B)}, runs DSS and the
constructive path, and writes `DIR/pairs.csv`, `DIR/records.jsonl` (append-only, one line
per finished batch) and `DIR/run.json`. Rerunning the same command resumes; a different
configuration in DIR is refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments._cli_common import (
    WIDTH_OPTION,
    add_seed_option,
    count_option,
    device_name,
    out_folder,
)
from experiments.configs import PairsConfig
from experiments.domains import add_options, options_of

HELP = "barriers between trained pairs: DSS versus the proof's constructive path"


def configure(parser: argparse.ArgumentParser) -> None:
    """`--width` and the run's own options; every other option is a `PairsConfig` field
    (flag, help, domain and default defined once, in experiments/configs.py)."""
    parser.add_argument("--width", required=True, type=WIDTH_OPTION, metavar="M",
                        help="width m ≥ 2")
    add_options(parser, PairsConfig, required=("dataset", "pairs", "loss", "kappa"))
    parser.add_argument("--device", default="cpu", type=device_name,
                        help="cpu, cuda or cuda:K")
    add_seed_option(parser)
    parser.add_argument("--threads", type=count_option("--threads"), default=1,
                        help="CPU threads for torch (default 1: many small tensors; part of "
                             "the configuration, since float reductions depend on it)")
    parser.add_argument("--out", required=True, type=out_folder, metavar="DIR",
                        help="output folder")
    parser.add_argument("--certificates", type=Path, default=None, metavar="CERTS",
                        help="also write a re-checkable certificate of every pair's DSS string "
                        "and constructive path to CERTS/width=M/pair=K/{dss,constructive} "
                        "(re-check each with `relu-landscape verify`; pairs recorded by an "
                        "earlier, resumed invocation are not certified again)")


def config_of(args: argparse.Namespace) -> PairsConfig:
    """The `PairsConfig` of the arguments (validated: raises a `RelulandscapeError`),
    refused before any heavy import when it would not fit in memory."""
    from experiments._cli_common import check_memory, precheck_out

    precheck_out(args.out)
    cfg = PairsConfig(widths=(args.width,), **options_of(args, PairsConfig))
    if getattr(args, "certificates", None) is not None:
        from experiments.certificates import check_certifiable

        check_certifiable(cfg)
    check_memory(**cfg.footprint(),
                 hint="Use a smaller --width, --pairs, --samples or --features")
    return cfg


def check_data(cfg, seed: int) -> None:
    """Build the data set once (seconds at most) so that settings it refuses (too few
    samples, a constant teacher) are refused before the folder is taken."""
    from numerics import load

    try:
        load(cfg.dataset, **cfg.data_kwargs(seed))
    except ValueError as exc:  # the loaders' refusals of their arguments
        from experiments._cli_common import Refused

        raise Refused(f"--dataset {cfg.dataset} cannot be built with these settings: {exc}"
                      ) from None


def summary(rows: list[dict]) -> str:
    """The lines `gap` prints: status counts, the bound with its resolution, the checks."""
    from collections import Counter

    from experiments.barrier import STATUSES

    n = len(rows)
    upper = [r["barrier_upper"] for r in rows]
    counts = Counter(r["status"] for r in rows)
    shown = ", ".join(f"{s} {counts[s]}" for s in STATUSES if counts[s])
    by = Counter(r["attained_by"] for r in rows)
    return "\n".join([
        f"pairs: {n}   DSS connected: {sum(r['dss_connected'] for r in rows)}/{n}   "
        f"certificates converged: {sum(r['dss_certificates_converged'] for r in rows)}/{n}   "
        f"status: {shown}",
        f"barrier upper bound: mean {sum(upper) / n:.4g}, max {max(upper):.4g}, "
        f"min {min(upper):.4g} (resolution r ≤ {max(r['resolution'] for r in rows):.3g}; "
        f"attained by {', '.join(f'{k} {v}' for k, v in by.most_common())})",
        "up to relabeling (aligned segment included): max "
        f"{max(r['barrier_upper_relabeled'] for r in rows):.4g}",
        "constructive barrier (max − level): max "
        f"{max(r['constructive_max'] - r['level'] for r in rows):.4g}",
        f"theorem bound − level: min {min(r['theorem_bound'] - r['level'] for r in rows):.4g}",
        f"checks: barrier_upper ≥ 0 for {sum(u >= 0 for u in upper)}/{n}, "
        "constructive_max ≤ theorem_bound for "
        f"{sum(r['constructive_max'] <= r['theorem_bound'] for r in rows)}/{n}",
    ])


def run(args: argparse.Namespace) -> int:
    from experiments._cli_common import done_tasks, interruptible, say_written

    cfg = config_of(args)
    from experiments.pairs import tasks
    from experiments.records import to_csv
    from experiments.run import Run
    from experiments.tasks import run_tasks
    from numerics import device_of, require_hypotheses
    from theory.losses import get_loss

    device = str(device_of(args.device))
    require_hypotheses(get_loss(cfg.loss), cfg.sparsify, cfg.negative_control)
    check_data(cfg, args.seed)
    run_ = Run(f"gap --threads {args.threads}", cfg, args.seed, device, args.out)
    run_.claim()
    todo = tasks(run_, certificates=args.certificates.resolve() if args.certificates else None)
    store = run_.folder / "records.jsonl"
    with interruptible(lambda: f"{done_tasks(store)} of {len(todo)} batches saved in {store}"):
        records = run_tasks(todo, store, threads=args.threads,
                            desc="gap batches")
    rows = sorted(records, key=lambda r: r["pair_id"])
    to_csv([{k: v for k, v in r.items() if k not in ("key", "task")} for r in rows],
           run_.folder / "pairs.csv")
    run_.write_run_json(pairs_done=len(rows))
    print(summary(rows))
    say_written(run_.folder, ["pairs.csv", "records.jsonl", "run.json"])
    if args.certificates is not None:
        print(f"certificates: {args.certificates}/width={args.width}/pair=K/{{dss,constructive}}"
              f" (re-check: relu-landscape verify FOLDER)")
    return 0
