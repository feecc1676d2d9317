"""Benchmarks of the measurement engine (never run in tests, except a smoke run).

Every timing runs on one torch thread. Both sides of a ratio are measured in the same run,
interleaved (side A, side B, side A, …) after one warm-up call of each, and each side's
median over `repeats` is taken. `run_bench` writes `bench.json` (keys below, the targets
and whether each was met, the machine's load, provenance) and `bench.md`.

| key | what |
|---|---|
| `gflops_matmul` | a plain float32 512×512 matmul on the same core (the limit) |
| `train_efficiency_m{20,200}` | GFLOP/s of a full training step of 64 models ÷ `gflops_matmul` |
| `train_speedup_m{20,200}` | 64 models batched vs one at a time, Moons N = 800 |
| `dss_speedup` | `dss_batched` vs `dss_recursive`, pairs per second, 16 pairs at width 20 |
| `certify_points_m200` | median F evaluations per converged segment, width 200, tol 1e-4 |
| `certified_fraction_m200` | share of those segments that converged |
| `verify_s_m200` | wall seconds of `verify` (fresh process, no torch), one such certificate |
| `seed_table_paper_moons_s` | paper-scale Moons seed table, extrapolated from a fraction |
| `teacher_huber_certified_fraction` | [B26]'s theory-aligned design, width 32: pairs certified |
| `teacher_huber_cpu_s_per_certified_pair` | its DSS CPU seconds per certified pair |

A pair is *certified* when DSS connects it under certified acceptance (every segment's
certified maximum within the acceptance tolerance of the level) and every certificate of
its final path converged to the design's tolerance.

FLOPs of a step (`ReluNet`, n inputs, width m, N samples): the forward pass costs N·m·n
multiply-adds for the pre-activations and N·m for the output sum, the gradient N·m·n for
∂W and N·m for ∂θ, plus N·m for the ReLU mask: ≈ 2·N·m·(2n + 3) FLOPs per model (Adam's
update, O(P), is not counted but is timed).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from experiments import barrier
from numerics import (
    DSSConfig,
    Problem,
    ReluNet,
    certified_segment_max,
    dss_batched,
    dss_recursive,
    moons,
    train,
)
from theory.losses import get_loss

TARGETS = {
    "train_efficiency_m20": (">=", 0.15),
    "train_efficiency_m200": (">=", 0.15),
    "train_speedup_m20": (">=", 8.0),
    "train_speedup_m200": (">=", 1.0),
    "dss_speedup": (">=", 5.0),
    "certify_points_m200": ("<=", 150.0),
    "certified_fraction_m200": (">=", 0.99),
    "verify_s_m200": ("<=", 60.0),
    "seed_table_paper_moons_s": ("<=", 1800.0),
    "teacher_huber_certified_fraction": (">=", 0.5),
    "teacher_huber_cpu_s_per_certified_pair": ("<=", 5.5),
}
KEYS = ("gflops_matmul", *TARGETS)


@dataclasses.dataclass(frozen=True)
class BenchConfig:
    """Sizes of the benchmark (`full` is the issue's; `quick` for the smoke test)."""

    models: int = 64
    widths: tuple[int, int] = (20, 200)
    train_steps: int = 20
    dss_pairs: int = 16
    dss_width: int = 20
    dss_depth: int = 3
    bead_steps: int = 150
    certify_segments: int = 16
    certify_width: int = 200
    seed_table_models: int = 64
    seed_table_pairs: int = 2
    seed_table_widths: tuple[int, ...] | None = None  # None: the paper's
    seed_table_overrides: tuple[tuple[str, object], ...] = ()  # fields of E1's Config
    teacher_width: int = 32
    teacher_pairs: int = 6
    teacher_overrides: tuple[tuple[str, object], ...] = ()  # fields of the PairsConfig
    n_samples: int = 1000


QUICK = BenchConfig(models=4, widths=(4, 8), train_steps=2, dss_pairs=2, dss_width=4,
                    dss_depth=1, bead_steps=5, certify_segments=2, certify_width=8,
                    seed_table_models=4, seed_table_pairs=1, seed_table_widths=(4,),
                    seed_table_overrides=(("steps", 2), ("bead_steps", 2), ("max_depth", 1),
                                          ("grid", 10)),
                    teacher_width=4, teacher_pairs=1,
                    teacher_overrides=(("n_samples", 40), ("steps", 5), ("max_depth", 1),
                                       ("grid", 5), ("max_points", 9)),
                    n_samples=60)
# the keys name the widths; `widths` holds the sizes measured in their place
LABELS = ("m20", "m200")


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(sides: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each side, warmed up once, the sides alternating every repeat."""
    for fn in sides.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(repeats):
        for name, fn in sides.items():
            times[name].append(_timed(fn))
    return {name: statistics.median(ts) for name, ts in times.items()}


def _matmul() -> Callable[[], object]:
    g = torch.Generator().manual_seed(0)
    A, B = (torch.randn(512, 512, generator=g) for _ in range(2))
    return lambda: A @ B


MATMUL_FLOPS = 2 * 512**3


def step_flops(N: int, n: int, m: int) -> int:
    """≈ FLOPs of a forward and gradient pass of one `ReluNet` (module docstring)."""
    # $2 N m (2n + 3)$
    return 2 * N * m * (2 * n + 3)


def _moons_problem(width: int, cfg: BenchConfig) -> Problem:
    data = moons(n_samples=cfg.n_samples, seed=0)
    return Problem.of(ReluNet(data.n, width, 1e-3), data, get_loss("bce_logit"))


def bench_training(cfg: BenchConfig, repeats: int) -> dict[str, float]:
    """Efficiency and batched-vs-sequential speed-up of `train` at each width."""
    out: dict[str, float] = {}
    matmul = _matmul()
    for label, m in zip(LABELS, cfg.widths, strict=True):
        problem = _moons_problem(m, cfg)
        p0 = problem.model.init(cfg.models, torch.Generator().manual_seed(m))
        kw = {"steps": cfg.train_steps, "lr": 0.01, "plateau": (0.9, 10)}

        def batched(problem=problem, p0=p0, kw=kw):
            train(problem, p0, **kw)

        def sequential(problem=problem, p0=p0, kw=kw):
            for b in range(p0.shape[0]):
                train(problem, p0[b:b + 1], **kw)

        t = interleaved({"matmul": matmul, "batched": batched, "sequential": sequential},
                        repeats)
        N, n = problem.X.shape
        gflops = step_flops(N, n, m) * cfg.models * cfg.train_steps / t["batched"] / 1e9
        matmul_gflops = MATMUL_FLOPS / t["matmul"] / 1e9
        out[f"train_efficiency_{label}"] = gflops / matmul_gflops
        out[f"train_speedup_{label}"] = t["sequential"] / t["batched"]
        out.setdefault("gflops_matmul", matmul_gflops)
    return out


def _trained_pairs(problem: Problem, K: int, steps: int, seed: int
                   ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    ends = train(problem, problem.model.init(2 * K, torch.Generator().manual_seed(seed)),
                 steps=steps, lr=0.02, plateau=(0.9, 10))
    return ends.p[:K], ends.p[K:], barrier.pair_level(ends.F[:K], ends.F[K:])


def bench_dss(cfg: BenchConfig, repeats: int) -> dict[str, float]:
    """Pairs per second, breadth-first batched vs recursive one pair at a time."""
    problem = _moons_problem(cfg.dss_width, cfg)
    A, B, level = _trained_pairs(problem, cfg.dss_pairs, 300, seed=1)
    dss = DSSConfig(max_depth=cfg.dss_depth, bead_fraction=0.98,
                    train_kwargs={"steps": cfg.bead_steps, "lr": 0.01})

    def batched():
        dss_batched(problem, A, B, level, dss)

    def recursive():
        for k in range(A.shape[0]):
            dss_recursive(problem, A[k], B[k], float(level[k]), dss)

    t = interleaved({"batched": batched, "recursive": recursive}, repeats)
    return {"dss_speedup": t["recursive"] / t["batched"]}


def bench_certificates(cfg: BenchConfig) -> dict[str, float]:
    """F evaluations per converged segment between trained minima, tol 1e-4."""
    problem = _moons_problem(cfg.certify_width, cfg)
    A, B, _ = _trained_pairs(problem, cfg.certify_segments, 150, seed=2)
    result = certified_segment_max(problem, A.double(), B.double(), 1e-4, grid=20)
    converged = result.converged
    points = result.points[converged].double()
    return {"certify_points_m200": float(points.median()) if points.numel() else math.nan,
            "certified_fraction_m200": float(converged.double().mean())}


def bench_verify(cfg: BenchConfig) -> dict[str, float]:
    """Wall seconds of `relu-landscape verify` (`experiments.verify_certificate` in a fresh
    process: no torch) on the certificate `certify` writes for one segment between trained
    minima at the certify width."""
    import subprocess
    import sys

    import numpy as np

    from experiments import cli

    problem = _moons_problem(cfg.certify_width, cfg)
    A, B, _ = _trained_pairs(problem, 1, 150, seed=2)
    net = problem.model
    assert isinstance(net, ReluNet)  # `_moons_problem` builds one
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name, p in (("A", A[0]), ("B", B[0])):
            W, theta = net.split(p.double())
            np.savez(d / f"{name}.npz", W=W.numpy(), theta=theta.numpy())
        np.savez(d / "D.npz", X=problem.X.double().numpy(), Y=problem.Y.double().numpy())
        if cli.main(["certify", "--model-a", str(d / "A.npz"), "--model-b", str(d / "B.npz"),
                     "--data", str(d / "D.npz"), "--loss", "bce_logit", "--kappa", "0.001",
                     "--out", str(d / "cert")]) != 0:
            raise RuntimeError("bench: certify failed")
        start = time.perf_counter()
        got = subprocess.run([sys.executable, "-m", "experiments.verify_certificate",
                              str(d / "cert")], capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
    if got.returncode != 0:
        raise RuntimeError(f"bench: verify failed: {got.stderr.strip()}")
    return {"verify_s_m200": elapsed}


def bench_seed_table(cfg: BenchConfig) -> dict[str, float | dict[str, dict[str, float]]]:
    """The paper-scale Moons seed table (E1), extrapolated from a measured fraction.

    For each variant and width, `seed_table_models` models are trained (of the paper's
    count) and `seed_table_pairs` pairs connected with the paper's DSS settings; each
    phase's time is scaled to the paper's counts and the sum divided by 2 (two worker
    processes on two cores)."""
    from experiments.configs import PRESETS
    from experiments.reproduce import e1_seed_table as e1

    paper = PRESETS["seed-table"]["paper"]
    total, parts = 0.0, {}
    overrides: dict[str, Any] = dict(cfg.seed_table_overrides)  # fields of E1's Config
    with tempfile.TemporaryDirectory() as folder:
        for variant in e1.VARIANTS:
            for width in cfg.seed_table_widths or paper.widths:
                full_models = e1._n_models(variant, paper)
                small = dataclasses.replace(
                    paper, models=max(cfg.seed_table_models, 2 * cfg.seed_table_pairs),
                    pairs=cfg.seed_table_pairs, sensitivity_pairs=0, **overrides)
                t_train = _timed(functools.partial(e1.train_models, variant, "moons", width,
                                                   small, 0, "cpu", folder))
                t_dss = _timed(functools.partial(e1.connect_pairs, variant, "moons", width,
                                                 list(range(small.pairs)), small, 0, "cpu",
                                                 folder))
                scale_train = full_models / e1._n_models(variant, small)
                scale_dss = paper.pairs / small.pairs
                parts[f"{variant}_w{width}"] = (t_train * scale_train, t_dss * scale_dss)
                total += t_train * scale_train + t_dss * scale_dss
    return {"seed_table_paper_moons_s": total / 2,
            "seed_table_parts": {k: {"train_s": a, "dss_s": b} for k, (a, b) in parts.items()}}


def bench_teacher_huber(cfg: BenchConfig) -> dict[str, float]:
    """[B26]'s theory-aligned design (`reproduce width-sweep --design teacher-huber`) at one
    width: DSS on `teacher_pairs` disjoint trained pairs, its CPU time per certified pair."""
    from experiments.configs import DESIGNS
    from experiments.pairs import dss_options, problem_of

    width, P = cfg.teacher_width, cfg.teacher_pairs
    overrides: dict[str, Any] = dict(cfg.teacher_overrides)  # fields of the PairsConfig
    design = dataclasses.replace(DESIGNS["width-sweep"]["teacher-huber"], widths=(width,), pairs=P,
                                 **overrides)
    problem = problem_of(design, width, 0, "cpu")
    ends = train(problem, problem.model.init(2 * P, torch.Generator().manual_seed(3)),
                 **design.training).p
    F = problem.with_dtype(torch.float64).F(ends.double())
    start = time.process_time()
    results = dss_batched(problem, ends[0::2], ends[1::2], torch.maximum(F[0::2], F[1::2]),
                          dss_options(design))
    cpu = time.process_time() - start
    certified = sum(r.connected and bool(r.certificate.segments.converged.all())
                    for r in results)
    return {"teacher_huber_certified_fraction": certified / P,
            "teacher_huber_cpu_s_per_certified_pair": cpu / certified if certified
            else math.inf}


def met(key: str, value: float) -> bool:
    op, bound = TARGETS[key]
    return (value >= bound) if op == ">=" else (value <= bound)


def run_bench(out: Path, device: str | None = None, repeats: int = 3,
              quick: bool = False) -> dict:
    """Measure every key; write out/bench.json and out/bench.md; return the JSON object."""
    from experiments._io import write_json_atomic, write_text_atomic
    from experiments.provenance import provenance
    from numerics import device_of

    dev = device_of(device)
    if dev.type != "cpu":
        raise RuntimeError("the bench measures CPU kernels; run it with --device cpu")
    cfg = QUICK if quick else BenchConfig()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    load_before = os.getloadavg()
    try:
        values: dict = {}
        values.update(bench_training(cfg, repeats))
        values.update(bench_dss(cfg, repeats))
        values.update(bench_certificates(cfg))
        values.update(bench_verify(cfg))
        values.update(bench_seed_table(cfg))
        values.update(bench_teacher_huber(cfg))
    finally:
        torch.set_num_threads(threads)
    record = {
        **{k: values[k] for k in KEYS},
        "targets": {k: {"op": op, "bound": b, "met": met(k, values[k])}
                    for k, (op, b) in TARGETS.items()},
        "seed_table_method": "extrapolated",
        "seed_table_parts": values["seed_table_parts"],
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "cpu_count": os.cpu_count(),
        "config": dataclasses.asdict(cfg) | {"repeats": repeats, "quick": quick},
    }
    record["provenance"] = provenance(record["config"], 0, dev)
    out.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out / "bench.json", record)
    write_text_atomic(out / "bench.md", report(record))
    return record


def report(record: dict) -> str:
    cfg = record["config"]
    lines = [
        "# relu-landscape engine benchmark", "",
        f"One torch thread; medians of {cfg['repeats']} interleaved repeats after a warm-up; "
        f"load average {record['load_average']['before'][0]:.2f} before, "
        f"{record['load_average']['after'][0]:.2f} after, on {record['cpu_count']} cores.", "",
        "FLOPs of a training step per `ReluNet` model: ≈ 2·N·m·(2n + 3) (forward and gradient;"
        " Moons N = 800, n = 3); efficiency = achieved GFLOP/s of full steps of "
        f"{cfg['models']} models ÷ `gflops_matmul` (float32 512×512 matmul, same core).", "",
        "`seed_table_paper_moons_s` is extrapolated: per variant and width, "
        f"{cfg['seed_table_models']} models trained and {cfg['seed_table_pairs']} pair(s) "
        "connected with the paper's settings, each phase scaled to the paper's counts, the sum "
        "halved for two worker processes.", "",
        "| key | value | target | met |", "|---|---|---|---|",
        f"| gflops_matmul | {record['gflops_matmul']:.1f} | | |",
    ]
    for key, t in record["targets"].items():
        lines.append(f"| {key} | {record[key]:.4g} | {t['op']} {t['bound']:g} | "
                     f"{'yes' if t['met'] else 'no'} |")
    lines += ["", "Seed-table parts (seconds, one process, extrapolated):", "",
              "| variant, width | train | DSS |", "|---|---|---|"]
    lines += [f"| {k} | {v['train_s']:.0f} | {v['dss_s']:.0f} |"
              for k, v in record["seed_table_parts"].items()]
    return "\n".join(lines) + "\n"
