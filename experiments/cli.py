"""The `relu-landscape` command line.

Each subcommand module defines `HELP`, `configure(parser)` and `run(args) -> int`, and
keeps its heavy imports inside `run`, so `--help` and argument errors answer at once.
Every deliberate error (`theory.errors.RelulandscapeError`) becomes one line on stderr and
exit status 2; an interrupt (Ctrl-C, SIGTERM) exits 130 after saying what was saved.
"""

from __future__ import annotations

import argparse
import sys
from types import ModuleType

from experiments import (
    _cli_bench,
    _cli_bound,
    _cli_certify,
    _cli_check,
    _cli_docs,
    _cli_gap,
    _cli_selftest,
    _cli_verify,
)
from experiments._allocator import keep_freed_memory
from experiments._cli_common import EXIT_INTERRUPTED
from experiments.reproduce import _cli as _cli_reproduce
from experiments.version import VERSION
from theory.errors import RelulandscapeError

COMMANDS: dict[str, ModuleType] = {
    "check": _cli_check,
    "bound": _cli_bound,
    "gap": _cli_gap,
    "certify": _cli_certify,
    "verify": _cli_verify,
    "bench": _cli_bench,
    "reproduce": _cli_reproduce,
    "selftest": _cli_selftest,
    "docs": _cli_docs,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="relu-landscape",
        description="Check landscape theorems of one-hidden-layer ReLU nets: proofs and numerics.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.configure(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    keep_freed_memory()
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print(f"relu-landscape {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except RelulandscapeError as exc:
        print(f"relu-landscape {args.command}: error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)


if __name__ == "__main__":
    sys.exit(main())
