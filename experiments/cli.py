"""The `relu-landscape` command line: one subcommand per module in `COMMANDS`.

Each command module defines `HELP`, `configure(parser)` and `run(args) -> int`, and
keeps its heavy imports inside `run` so `--help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = {
    "check": "proofs_check._cli",
    "bound": "theory._cli_bound",
    "gap": "experiments._cli_gap",
    "bench": "experiments._cli_bench",
    "reproduce": "experiments.reproduce._cli",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relu-landscape",
        description="Check landscape theorems of one-hidden-layer ReLU nets: proofs and numerics.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args._run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
