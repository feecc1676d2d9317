"""`relu-landscape bench --out DIR`: speed ratios measured side by side in one run."""

from __future__ import annotations

import argparse

from experiments._cli_common import (
    Refused,
    count_option,
    device_name,
    out_folder,
    precheck_out,
    say_written,
)

HELP = "benchmark the engine: kernels, DSS, certificates, seed-table time (writes bench.md)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=out_folder, required=True, help="output folder")
    parser.add_argument("--device", default="cpu", type=device_name,
                        help="cpu, cuda or cuda:K")
    parser.add_argument("--repeats", type=count_option("--repeats"), default=3,
                        help="timed repetitions per side")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes (a smoke run; the figures mean nothing)")


def run(args: argparse.Namespace) -> int:
    # the folder is checked before the benchmark's minutes: empty, new, or a bench's own
    precheck_out(args.out, owned=("bench.json", "bench.md"), allowed=("bench.json", "bench.md"))
    from experiments.bench import run_bench

    try:
        record = run_bench(args.out, args.device, args.repeats, args.quick)
    except (RuntimeError, OSError) as exc:
        raise Refused(str(exc)) from None
    for key, target in record["targets"].items():
        print(f"{key:28s} {record[key]:10.4g}  target {target['op']} {target['bound']:g}: "
              f"{'met' if target['met'] else 'not met'}")
    print(f"report: {args.out / 'bench.md'}")
    say_written(args.out, ["bench.md", "bench.json"])
    return 0
