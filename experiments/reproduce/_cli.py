"""`relu-landscape reproduce EXPERIMENT --out DIR`: the papers' tables and figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments._cli_common import (
    Refused,
    add_seed_option,
    check_memory,
    count_option,
    device_name,
    interruptible,
    out_folder,
    precheck_out,
    say_written,
)
from experiments.configs import PRESETS, SCALES, preset, read_overrides
from experiments.reproduce._compare import records_file, reference_folder

HELP = "reproduce the papers' experiments E1–E5 (records, figures, report.md); resumable"
NAMES = tuple(PRESETS)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("experiment", choices=(*NAMES, "all"), help="which experiment")
    parser.add_argument("--scale", default="quick", choices=SCALES,
                        help="quick (default, minutes), paper (published sizes), smoke (tests)")
    parser.add_argument("--design", default=None, metavar="NAME",
                        help="a named configuration of one experiment instead of --scale "
                             "(width-sweep: teacher-huber, [B26]'s theory-aligned design)")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="TOML file of settings replacing the configuration's fields "
                             "(e.g. widths = [8, 16], n_samples = 384, tol_ratio = 0.01); "
                             "every value is checked against its field's domain before work "
                             "starts")
    parser.add_argument("--device", default="cpu", type=device_name,
                        help="cpu, cuda or cuda:K")
    add_seed_option(parser)
    parser.add_argument("--out", type=out_folder, required=True, help="output folder")
    parser.add_argument("--executor", default="local", choices=("local", "dask"),
                        help="run tasks in-process (default) or on a Dask cluster")
    parser.add_argument("--scheduler", default=None,
                        help="Dask scheduler address, or local:N for an N-worker LocalCluster")
    parser.add_argument("--pairs", type=count_option("--pairs"), default=None,
                        help="override the scale's pairs (replicates) per width, N ≥ 1")
    parser.add_argument("--compare", type=Path, default=None, metavar="REF",
                        help="after the run, put it beside a reference run cell by cell "
                        "(REF: a reproduce output folder or its <experiment> folder, e.g. "
                        "results/e2-fixed); writes compare-<experiment>.md")
    parser.add_argument("--threads", type=count_option("--threads"), default=None,
                        help="torch threads per task (pin it to compare executors bit for bit)")
    parser.add_argument("--certificates", type=Path, default=None, metavar="CERTS",
                        help="write a re-checkable certificate per pair (E1's corrected arm: "
                        "CERTS/seed-table/DATASET/width=M/pair=K/dss; E2: "
                        "CERTS/width-sweep/width=M/pair=K/{dss,constructive}); re-check each "
                        "with `relu-landscape verify`. Pairs recorded by an earlier invocation "
                        "of a resumed run are not certified again")


def run(args: argparse.Namespace) -> int:
    if args.executor == "dask" and not args.scheduler:
        raise Refused("--executor dask needs --scheduler ADDRESS (or local:N)")
    top = ("run.json", "report.md", "figures", *NAMES, *(f"compare-{n}.md" for n in NAMES))
    precheck_out(args.out, owned=top, allowed=top)
    overrides = read_overrides(args.config) if args.config is not None else None
    names = list(NAMES) if args.experiment == "all" else [args.experiment]
    if (args.design or overrides) and len(names) != 1:
        raise Refused("--design and --config apply to one experiment, not 'all'")
    for name in names:  # every value checked against its field's domain, before any import
        cfg = preset(name, args.scale, design=args.design, overrides=overrides,
                     pairs=args.pairs, where=f"--config {args.config}")
        check_memory(**cfg.footprint(), hint=f"{name}: use a smaller --pairs or --config "
                                             "settings")
        if args.certificates is not None and getattr(cfg, "loss", None) is not None:
            from experiments.certificates import check_certifiable

            check_certifiable(cfg)
    if args.compare is not None:
        for name in names:
            if records_file(reference_folder(args.compare, name)) is None:
                raise Refused(f"--compare {args.compare}: no {name} records there (expected "
                              f"{args.compare}/records.jsonl or {args.compare}/{name}/"
                              "records.jsonl)")
    from experiments.reproduce._reproduce import reproduce
    with interruptible(lambda: f"finished tasks are saved in {args.out}/*/records.jsonl"):
        report = reproduce(names, args.out, scale=args.scale, seed=args.seed,
                           device=args.device, executor=args.executor,
                           scheduler=args.scheduler, threads=args.threads, pairs=args.pairs,
                           design=args.design, overrides=overrides,
                           certificates=args.certificates)
    print(f"report: {report}")
    if args.compare is not None:
        from experiments.reproduce._compare import write_comparison

        for name in names:
            path = write_comparison(name, args.out / name, args.compare, args.out,
                                    seed=args.seed)
            print(path.read_text())
            print(f"comparison: {path}")
    say_written(args.out, ["report.md", "run.json", "figures/", *names])
    return 0

