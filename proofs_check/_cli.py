"""`relu-landscape check [LABEL ...] [--json]`: run the proof obligations."""

from __future__ import annotations

import argparse
import sys

HELP = "run the proof-step obligations (all statements, or the given labels)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("labels", nargs="*", metavar="LABEL", help="statement labels to check")
    parser.add_argument("--json", action="store_true", help="emit a JSON list of records")


def run(args: argparse.Namespace) -> int:
    from proofs_check._runner import render_json, render_table, run_checks
    from theory import UnknownLabelError

    try:
        if args.json:
            results = run_checks(args.labels or None)
        else:
            from tqdm import tqdm

            results = run_checks(
                args.labels or None,
                progress=lambda it: tqdm(list(it), desc="checking", unit="step",
                                         file=sys.stderr, leave=False),
            )
    except UnknownLabelError as exc:
        print(f"relu-landscape check: error: {exc}", file=sys.stderr)
        return 2
    print(render_json(results) if args.json else render_table(results))
    return 0 if all(r.status.ok for r in results) else 1
