"""`relu-landscape check [LABEL ...] [--json] [--mutate] [--require TOOL]`: run the proof
obligations.

An obligation whose external tool is absent (Coq's `coqc`) is `not run`: counted in the
summary with its install line, and a failure only under ``--require TOOL``.

With ``--mutate`` every statement of LABEL (all if none) is perturbed automatically
(`proofs_check.run_mutations`) and the table says, per label, how many mutants `check` caught;
exit 0 iff at least 95 % are caught and every survivor is explained by its statement.

With ``--coqchk`` no obligation runs: the compiled Coq development and the generated file of
the registry's Coq theorems are re-checked by `coqchk` (`proofs_check.coqchk_recheck`; its line says
how many modules and which axioms), and Coq's dependency graph is compared with the
registry's `uses` edges (`proofs_check.compare_coq_graph`, when coq-dpdgraph is installed); exit 1
when coqchk is missing or fails.
"""

from __future__ import annotations

import argparse
import json
import sys

from experiments._cli_common import Refused
from proofs_check import TOOLS

HELP = "run the proof-step obligations (all statements, or the given labels)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("labels", nargs="*", metavar="LABEL", help="statement labels to check")
    parser.add_argument("--json", action="store_true", help="emit a JSON list of records")
    parser.add_argument(
        "--mutate", action="store_true",
        help="perturb each statement (constants ×½ ×2, exponents ±½, an inequality "
        "reversed, a term dropped, a hypothesis removed) and report which mutants "
        "check catches",
    )
    parser.add_argument(
        "--coqchk", action="store_true",
        help="instead of the obligations: re-check the compiled Coq development with coqchk "
        "(the standard library too; --coqchk-fast admits it) and compare Coq's dependency "
        "graph with the registry's uses edges",
    )
    parser.add_argument(
        "--coqchk-fast", action="store_true",
        help="with --coqchk: admit the standard library unchecked (coqchk -norec)",
    )
    parser.add_argument(
        "--require", action="append", default=[], choices=sorted(TOOLS), metavar="TOOL",
        help="fail when TOOL is absent instead of reporting its checks as 'not run' "
        f"(tools: {', '.join(sorted(TOOLS))}; repeatable)",
    )


def _progress(desc: str, unit: str):
    from tqdm import tqdm

    return lambda it: tqdm(list(it), desc=desc, unit=unit, file=sys.stderr, leave=False)


def _mutate(args: argparse.Namespace) -> int:
    from proofs_check import render_mutations, run_mutations

    progress = (lambda it: it) if args.json else _progress("mutants", "mutant")
    report = run_mutations(args.labels or None, progress=progress)
    if args.json:
        print(json.dumps({
            "caught_fraction": report.caught_fraction,
            "failing_before_mutation": list(report.broken),
            "mutants": [
                {"label": r.mutant.label, "kind": r.mutant.kind, "where": r.mutant.where,
                 "caught_by": r.caught_by, "explanation": r.explained}
                for r in report.rows
            ],
        }, indent=2))
    else:
        print(render_mutations(report))
    return 0 if report.ok else 1


def _coqchk(args: argparse.Namespace) -> int:
    from proofs_check import coqchk_recheck as recheck

    if args.labels or args.mutate:
        raise Refused("--coqchk re-checks the whole development; it takes no LABEL and no "
                      "--mutate")
    report = recheck(stdlib=not args.coqchk_fast)
    print(report.line())
    if report.ok:
        from proofs_check import compare_coq_graph as compare

        for line in compare().lines():
            print(line)
    return 0 if report.ok else 1


def run(args: argparse.Namespace) -> int:
    if args.coqchk or args.coqchk_fast:
        return _coqchk(args)
    # an unknown label is answered before sympy loads, against the light list generated
    # from the registry (theory.labels; a test keeps the two equal); like every refusal it
    # leaves through the one error exit (experiments.cli.main)
    from theory.labels import check_labels

    check_labels(args.labels)
    from proofs_check import failing, not_run_lines, render_json, render_table, run_checks

    if args.mutate:
        return _mutate(args)
    if args.json:
        results = run_checks(args.labels or None)
    else:
        results = run_checks(args.labels or None, progress=_progress("checking", "step"))
    if args.json:
        print(render_json(results))
        for line in not_run_lines(results, args.require):
            print(line, file=sys.stderr)
    else:
        print(render_table(results, args.require))
    return 1 if failing(results, args.require) else 0
