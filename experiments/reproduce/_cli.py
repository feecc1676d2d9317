"""`relu-landscape reproduce EXPERIMENT --out DIR`: the papers' tables and figures."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HELP = "reproduce the papers' experiments E1–E4 (records, figures, report.md); resumable"
NAMES = ("seed-table", "width-sweep", "fb-geometry", "topology-contrast")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("experiment", choices=(*NAMES, "all"), help="which experiment")
    parser.add_argument("--scale", default="quick", choices=("quick", "paper", "smoke"),
                        help="quick (default, minutes), paper (published sizes), smoke (tests)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--seed", type=int, default=0, help="root seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--executor", default="local", choices=("local", "dask"),
                        help="run tasks in-process (default) or on a Dask cluster")
    parser.add_argument("--scheduler", default=None,
                        help="Dask scheduler address, or local:N for an N-worker LocalCluster")
    parser.add_argument("--pairs", type=int, default=None,
                        help="override the scale's pairs (replicates) per width, N ≥ 1")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads per task (pin it to compare executors bit for bit)")


def _fail(message: str) -> int:
    print(f"relu-landscape reproduce: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    if args.seed < 0:
        return _fail(f"--seed must be ≥ 0, got {args.seed}")
    if args.pairs is not None and args.pairs < 1:
        return _fail(f"--pairs must be ≥ 1, got {args.pairs}")
    if args.threads is not None and args.threads < 1:
        return _fail(f"--threads must be ≥ 1, got {args.threads}")
    if args.executor == "dask" and not args.scheduler:
        return _fail("--executor dask needs --scheduler ADDRESS (or local:N)")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        if not os.access(args.out, os.W_OK):
            raise PermissionError(f"{args.out} is not writable")
    except OSError as exc:
        return _fail(f"cannot write to --out {str(args.out)!r}: {exc}")
    from experiments.reproduce._reproduce import ConfigMismatchError, reproduce

    names = list(NAMES) if args.experiment == "all" else [args.experiment]
    try:
        report = reproduce(names, args.out, scale=args.scale, seed=args.seed,
                           device=args.device, executor=args.executor,
                           scheduler=args.scheduler, threads=args.threads, pairs=args.pairs)
    except (ConfigMismatchError, RuntimeError, ValueError) as exc:
        return _fail(str(exc))
    print(f"report: {report}")
    return 0
