"""`relu-landscape gap`: DSS versus the proof's constructive path on trained pairs.

The one-width case of the width sweep (`experiments.pairs`): trains 2P endpoints
(disjoint pairs), sets each pair's level λ = max{F(A), F(B)}, runs DSS and the
constructive path, and writes `DIR/pairs.csv`, `DIR/records.jsonl` (append-only, one line
per finished batch) and `DIR/run.json`. Rerunning the same command resumes; a different
configuration in DIR is refused.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from experiments._cli_common import (
    Refused,
    device_name,
    loss_name,
    out_folder,
    positive_float,
    positive_int,
    seed_int,
)

if TYPE_CHECKING:  # imported lazily at run time (heavy)
    from experiments.pairs import PairsConfig

HELP = "barriers between trained pairs: DSS versus the proof's constructive path"

DATASETS = ("moons", "cancer", "blobs", "teacher")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", required=True, choices=DATASETS, help="data set")
    parser.add_argument("--width", required=True, type=positive_int, metavar="M",
                        help="width m ≥ 2")
    parser.add_argument("--pairs", required=True, type=positive_int, metavar="P",
                        help="number of disjoint endpoint pairs (2P models are trained)")
    parser.add_argument("--loss", required=True, type=loss_name, metavar="LOSS",
                        help="catalogue loss (bce_logit, logistic, hinge, absolute, huber, …)")
    parser.add_argument("--kappa", required=True, type=positive_float, metavar="K", help="κ > 0")
    parser.add_argument("--device", default="cpu", type=device_name,
                        help="cpu, cuda or cuda:K")
    parser.add_argument("--seed", type=seed_int, default=0, metavar="S",
                        help="root seed, an integer in [0, 2**63)")
    parser.add_argument("--l", type=positive_int, default=None, metavar="L",
                        help="reference width l, 1 ≤ l < m (default ⌊m/2⌋)")
    parser.add_argument("--draws", type=positive_int, default=32, metavar="S",
                        help="Maurey draws per endpoint (best of S)")
    parser.add_argument("--sparsify", default="sampling", choices=("sampling", "pruning"))
    parser.add_argument("--refit-steps", type=int, default=200,
                        help="Adam steps refitting the kept coefficients at fixed W (0: none)")
    parser.add_argument("--steps", type=positive_int, default=500,
                        help="Adam steps for the endpoints and the reference starts")
    parser.add_argument("--tol", type=positive_float, default=1e-3,
                        help="DSS certificate tolerance: certified − sampled segment maximum")
    parser.add_argument("--max-depth", type=positive_int, default=10, help="DSS depth limit")
    parser.add_argument("--grid", type=positive_int, default=9, metavar="G",
                        help="DSS: first points per segment's certificate (≥ 2; default 9)")
    parser.add_argument("--max-points", type=positive_int, default=4096, metavar="B",
                        help="DSS: point budget of each segment's certificate (≥ --grid)")
    parser.add_argument("--bead-fraction", type=positive_float, default=1.0, metavar="F",
                        help="DSS: beads are trained to F·level (default 1; FB17's code: 0.98)")
    parser.add_argument("--batch", type=positive_int, default=16,
                        help="pairs per batch (results are saved after each batch)")
    parser.add_argument("--samples", type=positive_int, default=None, metavar="N",
                        help="data set size N before the train/test split (moons, blobs, "
                             "teacher; default: the loader's)")
    parser.add_argument("--features", type=positive_int, default=None, metavar="n",
                        help="input dimension (blobs, teacher)")
    parser.add_argument("--teacher-width", type=positive_int, default=None, metavar="K",
                        help="teacher width (teacher)")
    parser.add_argument("--threads", type=positive_int, default=1,
                        help="CPU threads for torch (default 1: many small tensors; part of "
                             "the configuration, since float reductions depend on it)")
    parser.add_argument("--negative-control", action="store_true",
                        help="allow a loss lacking the hypotheses (no certificate then)")
    parser.add_argument("--out", required=True, type=out_folder, metavar="DIR",
                        help="output folder")


def check_arguments(args: argparse.Namespace) -> None:
    """The checks that need no heavy import (raises `Refused`): run before torch loads."""
    from experiments._cli_common import check_memory, precheck_out

    precheck_out(args.out)
    for option, value, datasets in (("--samples", args.samples, ("moons", "blobs", "teacher")),
                                    ("--features", args.features, ("blobs", "teacher")),
                                    ("--teacher-width", args.teacher_width, ("teacher",))):
        if value is not None and args.dataset not in datasets:
            raise Refused(f"{option} applies to {', '.join(datasets)} only, not to "
                          f"--dataset {args.dataset}")
    if args.samples is not None and args.samples < 2:
        raise Refused(f"--samples must be ≥ 2 (a train and a test point), got {args.samples}")
    if args.refit_steps < 0:
        raise Refused(f"--refit-steps must be ≥ 0, got {args.refit_steps}")
    if args.width < 2:
        raise Refused(f"--width must be ≥ 2, got {args.width}")
    if args.l is not None and not args.l < args.width:
        raise Refused(f"--l must satisfy 1 ≤ l < width = {args.width}, got {args.l}")
    check_memory(models=2 * args.pairs, width=args.width, samples=args.samples or 1000,
                 features=30 if args.dataset == "cancer" else args.features or 2,
                 hint="Use a smaller --width, --pairs, --samples or --features")


def config_of(args: argparse.Namespace) -> PairsConfig:
    """The `PairsConfig` of the arguments (validated: raises a `RelulandscapeError`)."""
    check_arguments(args)
    from experiments.pairs import PairsConfig

    return PairsConfig(
        widths=(args.width,), pairs=args.pairs, dataset=args.dataset, loss=args.loss,
        kappa=args.kappa, l=args.l, draws=args.draws, sparsify=args.sparsify,
        refit_steps=args.refit_steps, steps=args.steps, tol=args.tol,
        max_depth=args.max_depth, grid=args.grid, max_points=args.max_points,
        bead_fraction=args.bead_fraction, batch=args.batch, n_samples=args.samples,
        n_features=args.features, teacher_width=args.teacher_width,
        negative_control=args.negative_control)


def check_data(cfg, seed: int) -> None:
    """Build the data set once (seconds at most) so that settings it refuses (too few
    samples, a constant teacher) are refused before the folder is taken."""
    from numerics import load

    try:
        load(cfg.dataset, **cfg.data_kwargs(seed))
    except ValueError as exc:  # the loaders' refusals of their arguments
        raise Refused(f"--dataset {cfg.dataset} cannot be built with these settings: {exc}"
                      ) from None


def summary(rows: list[dict]) -> str:
    """The lines `gap` prints: counts and extremes of the pair records."""
    n = len(rows)
    upper = [r["barrier_upper"] for r in rows]
    return "\n".join([
        f"pairs: {n}   DSS connected: {sum(r['dss_connected'] for r in rows)}/{n}   "
        f"certificates converged: {sum(r['dss_certificates_converged'] for r in rows)}/{n}",
        f"barrier upper bound: mean {sum(upper) / n:.4g}, max {max(upper):.4g}, "
        f"min {min(upper):.4g}",
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
    from experiments.reproduce._runner import run_tasks
    from experiments.run import Run
    from numerics import device_of, require_hypotheses
    from theory.losses import get_loss

    device = str(device_of(args.device))
    require_hypotheses(get_loss(cfg.loss), cfg.sparsify, cfg.negative_control)
    check_data(cfg, args.seed)
    run_ = Run(f"gap --threads {args.threads}", cfg, args.seed, device, args.out)
    run_.claim()
    todo = tasks(cfg, args.seed, device)
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
    return 0
