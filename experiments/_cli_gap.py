"""`relu-landscape gap`: DSS versus the proof's constructive path on trained pairs.

Trains 2P endpoints (disjoint pairs) in one batched call, sets each pair's level
λ = max{F(A), F(B)}, runs DSS (batched) and the constructive path (THEORY.md §6), and
writes `DIR/pairs.csv` and `DIR/run.json`. Finished pairs are kept in `DIR/pairs.jsonl`
and skipped when the command is run again with the same configuration.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

HELP = "barriers between trained pairs: DSS versus the proof's constructive path"

DATASETS = ("moons", "cancer", "blobs", "teacher")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", required=True, choices=DATASETS, help="data set")
    parser.add_argument("--width", required=True, type=int, metavar="M", help="width m ≥ 2")
    parser.add_argument("--pairs", required=True, type=int, metavar="P",
                        help="number of disjoint endpoint pairs (2P models are trained)")
    parser.add_argument("--loss", required=True, metavar="LOSS",
                        help="catalogue loss (bce_logit, logistic, hinge, absolute, huber, …)")
    parser.add_argument("--kappa", required=True, type=float, metavar="K", help="κ > 0")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="root seed")
    parser.add_argument("--l", type=int, default=None, metavar="L",
                        help="reference width l, 1 ≤ l < m (default ⌊m/2⌋)")
    parser.add_argument("--draws", type=int, default=32, metavar="S",
                        help="Maurey draws per endpoint (best of S)")
    parser.add_argument("--sparsify", default="sampling", choices=("sampling", "pruning"))
    parser.add_argument("--refit-steps", type=int, default=200,
                        help="Adam steps refitting the kept coefficients at fixed W (0: none)")
    parser.add_argument("--steps", type=int, default=500,
                        help="Adam steps for the endpoints and the reference starts")
    parser.add_argument("--tol", type=float, default=1e-3,
                        help="DSS certificate tolerance: certified − sampled segment maximum")
    parser.add_argument("--batch", type=int, default=16,
                        help="pairs per DSS batch (results are saved after each batch)")
    parser.add_argument("--threads", type=int, default=1,
                        help="CPU threads for torch during the run (default 1: these are many "
                             "small tensors, and extra threads mostly contend)")
    parser.add_argument("--negative-control", action="store_true",
                        help="allow a loss lacking the hypotheses (no certificate then)")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")


def _fail(message: str) -> int:
    print(f"relu-landscape gap: error: {message}", file=sys.stderr)
    return 2


def _config(args: argparse.Namespace) -> dict:
    return {name: getattr(args, name) for name in (
        "dataset", "width", "pairs", "loss", "kappa", "seed", "l", "draws", "sparsify",
        "refit_steps", "steps", "tol", "negative_control")}


def _check(args: argparse.Namespace) -> str | None:
    """A message for the first bad argument, None when all are fine."""
    if not (math.isfinite(args.kappa) and args.kappa > 0):
        return f"--kappa must be a positive finite number, got {args.kappa}"
    if args.width < 2:
        return f"--width must be ≥ 2, got {args.width}"
    if args.pairs < 1:
        return f"--pairs must be ≥ 1, got {args.pairs}"
    if not (math.isfinite(args.tol) and args.tol > 0):
        return f"--tol must be a positive finite number, got {args.tol}"
    if args.l is not None and not 1 <= args.l < args.width:
        return f"--l must satisfy 1 ≤ l < width = {args.width}, got {args.l}"
    if args.refit_steps < 0:
        return f"--refit-steps must be ≥ 0, got {args.refit_steps}"
    for name in ("draws", "steps", "batch", "threads"):
        if getattr(args, name) < 1:
            return f"--{name} must be ≥ 1, got {getattr(args, name)}"
    return None


def _prepare_out(out: Path, config: dict) -> str | None:
    """Create DIR (writable) and check a previous run there had the same configuration."""
    import json

    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-probe"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        return f"cannot write to --out {str(out)!r}: {exc.strerror or exc}"
    previous = out / "run.json"
    if previous.exists():
        try:
            old = json.loads(previous.read_text())["config"]
        except (OSError, ValueError, KeyError) as exc:
            return f"{previous} is unreadable ({exc}); choose another --out"
        if old != config:
            return f"{out} holds a run with another configuration; choose another --out"
    return None


def _row(k: int, args: argparse.Namespace, measures: dict) -> dict:
    """One pairs.csv row: the run's identifiers, then `experiments.pairs.pair_measures`."""
    return {"key": f"pair={k}", "pair_id": k, "width": args.width, "loss": args.loss,
            "kappa": args.kappa, **measures}


def _summary(rows: list[dict]) -> str:
    n = len(rows)
    upper = [r["barrier_upper"] for r in rows]
    lines = [
        f"pairs: {n}   DSS connected: {sum(r['dss_connected'] for r in rows)}/{n}",
        f"barrier upper bound: mean {sum(upper) / n:.4g}, max {max(upper):.4g}, "
        f"min {min(upper):.4g}",
        "constructive barrier (max − level): max "
        f"{max(r['constructive_max'] - r['level'] for r in rows):.4g}",
        f"theorem bound − level: min {min(r['theorem_bound'] - r['level'] for r in rows):.4g}",
        f"checks: barrier_upper ≥ 0 for {sum(u >= 0 for u in upper)}/{n}, "
        "constructive_max ≤ theorem_bound for "
        f"{sum(r['constructive_max'] <= r['theorem_bound'] for r in rows)}/{n}",
    ]
    return "\n".join(lines)


def _measure(args: argparse.Namespace, problem, l: int, store, todo: list) -> None:
    """Train the reference and the 2P endpoints, then for each batch of `todo` run the
    constructive paths and DSS and append the pairs not yet in `store`."""
    import torch
    from tqdm import tqdm

    from experiments.pairs import compare_pairs
    from numerics import train, train_reference

    training = {"steps": args.steps, "lr": 0.01, "plateau": (0.9, 20)}
    gen = torch.Generator().manual_seed(args.seed)
    reference = train_reference(problem, l, steps=args.steps, generator=gen)
    # all 2P endpoints in one batched call, also when resuming: the same numbers
    p0 = problem.model.init(2 * args.pairs, gen, device=problem.device)
    ends = train(problem, p0, **training).p
    for j, batch in tqdm(todo, desc="pairs", unit="batch", file=sys.stderr, leave=False):
        A, B = ends[[2 * k for k in batch]], ends[[2 * k + 1 for k in batch]]
        rows = compare_pairs(
            problem, A, B, reference=reference, training=training, method=args.sparsify,
            draws=args.draws, refit_steps=args.refit_steps, tol=args.tol,
            negative_control=args.negative_control,
            generator=torch.Generator().manual_seed(args.seed + 1 + j))
        for k, measures in zip(batch, rows, strict=True):
            if f"pair={k}" not in store:
                store.append(_row(k, args, measures))


def run(args: argparse.Namespace) -> int:
    message = _check(args)
    if message:
        return _fail(message)
    import torch

    from experiments.provenance import provenance, write_json_atomic
    from numerics import device_of, require_hypotheses
    from theory.losses import LossHypothesisError, get_loss

    try:
        device = device_of(args.device)
        loss = get_loss(args.loss)
        require_hypotheses(loss, args.sparsify, args.negative_control)
    except (KeyError, RuntimeError, LossHypothesisError) as exc:
        return _fail(exc.args[0])
    config = _config(args)
    message = _prepare_out(args.out, config)
    if message:
        return _fail(message)
    write_json_atomic(args.out / "run.json", provenance(config, args.seed, device))
    threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    try:
        rows = _pairs(args, loss, device)
    finally:
        torch.set_num_threads(threads)
    write_json_atomic(args.out / "run.json",
                      {**provenance(config, args.seed, device), "pairs_done": len(rows)})
    print(_summary(rows))
    return 0


def _pairs(args: argparse.Namespace, loss, device) -> list[dict]:
    """Measure the pairs not yet in DIR and write pairs.csv. **Returns** every pair's row."""
    from experiments.records import RecordStore, to_csv
    from numerics import Problem, ReluNet, load

    data = load(args.dataset, seed=args.seed)
    model = ReluNet(data.n, args.width, args.kappa)
    problem = Problem.of(model, data, loss, device=device)
    l = args.width // 2 if args.l is None else args.l
    store = RecordStore(args.out / "pairs.jsonl")
    # fixed batches with their own seeds: a resumed run recomputes a batch exactly
    batches = [list(range(i, min(i + args.batch, args.pairs)))
               for i in range(0, args.pairs, args.batch)]
    todo = [(j, batch) for j, batch in enumerate(batches)
            if any(f"pair={k}" not in store for k in batch)]
    if todo:
        _measure(args, problem, l, store, todo)
    rows = sorted(store.records(), key=lambda r: r["pair_id"])
    to_csv([{name: value for name, value in r.items() if name != "key"} for r in rows],
           args.out / "pairs.csv")
    return rows
