"""`relu-landscape bench --out DIR`: speed ratios measured side by side in one run."""

from __future__ import annotations

import argparse
import sys

from experiments._cli_common import out_folder

HELP = "benchmark batched vs one-at-a-time training, DSS and precision (writes bench.md)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=out_folder, required=True, help="output folder")
    parser.add_argument("--device", default="cpu", help="cpu or cuda")
    parser.add_argument("--repeats", type=int, default=3, help="timed repetitions per side")
    parser.add_argument("--scale", type=int, default=1, help="problem size multiplier")


def run(args: argparse.Namespace) -> int:
    from experiments.bench import run_bench

    if args.out.exists() and not args.out.is_dir():
        print(f"relu-landscape bench: error: --out {args.out} exists and is not a folder",
              file=sys.stderr)
        return 2
    if args.repeats < 1 or args.scale < 1:
        print("relu-landscape bench: error: --repeats and --scale must be ≥ 1", file=sys.stderr)
        return 2
    try:
        rows = run_bench(args.out, args.device, args.repeats, args.scale)
    except (RuntimeError, OSError) as exc:
        print(f"relu-landscape bench: error: {exc}", file=sys.stderr)
        return 2
    for r in rows:
        print(f"{r['case']:32s} {r['speedup']:7.2f}×  ({r['fast_s']:.3f} s vs {r['slow_s']:.3f} s)")
    print(f"report: {args.out / 'bench.md'}")
    return 0
