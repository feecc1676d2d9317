"""Benchmarks: speed ratios measured side by side in one run (never in tests).

Each case times a batched implementation against its one-at-a-time or higher-precision
counterpart on the same work, repeats both `repeats` times and reports the median
seconds and their ratio. `run_bench` writes `bench.json` (with provenance) and
`bench.md` into the output folder.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

import torch

from numerics import Problem, ReluNet, moons, train
from theory.losses import get_loss


def _median_seconds(fn: Callable[[], object], repeats: int, sync: Callable[[], None]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _cases(device: torch.device, scale: int) -> dict[str, tuple[Callable, Callable, str, str]]:
    data = moons(seed=0)
    net = ReluNet(data.n, 20 * scale, 1e-3)
    problem = Problem.of(net, data, get_loss("bce_logit"), device=device)
    gen = torch.Generator().manual_seed(0)
    B, steps = 16 * scale, 100
    p0 = net.init(B, gen, device=device)

    def batched():
        train(problem, p0, steps=steps, lr=0.01)

    def sequential():
        for b in range(B):
            train(problem, p0[b : b + 1], steps=steps, lr=0.01)

    p_eval = net.init(256 * scale, gen, device=device)
    problem64 = problem.with_dtype(torch.float64)

    def eval32():
        problem.F(p_eval)

    def eval64():
        problem64.F(p_eval.double())

    cases = {
        "train_batched_vs_sequential": (batched, sequential, f"{B} models batched",
                                        f"{B} models one at a time"),
        "objective_float32_vs_float64": (eval32, eval64, "F in float32", "F in float64"),
    }
    try:
        from numerics import dss_batched, dss_recursive
    except ImportError:
        return cases
    pairs = 4 * scale
    ends = train(problem, net.init(2 * pairs, gen, device=device), steps=300, lr=0.02)
    A, Bp = ends.p[:pairs], ends.p[pairs:]
    level = torch.maximum(ends.F[:pairs], ends.F[pairs:]) * 1.02

    def dss_b():
        dss_batched(problem, A, Bp, level, max_depth=3)

    def dss_r():
        for i in range(pairs):
            dss_recursive(problem, A[i], Bp[i], float(level[i]), max_depth=3)

    cases["dss_batched_vs_recursive"] = (dss_b, dss_r, f"{pairs} pairs breadth-first batched",
                                         f"{pairs} pairs recursive one at a time")
    return cases


def run_bench(out: Path, device: str | None = None, repeats: int = 3, scale: int = 1) -> list[dict]:
    """Time every case; write out/bench.json and out/bench.md; return the rows."""
    from experiments._io import write_json_atomic
    from experiments.provenance import provenance
    from numerics import device_of

    dev = device_of(device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    rows = []
    for name, (fast, slow, fast_desc, slow_desc) in _cases(dev, scale).items():
        fast()  # warm-up
        t_fast = _median_seconds(fast, repeats, sync)
        t_slow = _median_seconds(slow, repeats, sync)
        rows.append({"case": name, "fast": fast_desc, "slow": slow_desc, "fast_s": t_fast,
                     "slow_s": t_slow, "speedup": t_slow / t_fast})
    out.mkdir(parents=True, exist_ok=True)
    config = {"device": str(dev), "repeats": repeats, "scale": scale,
              "threads": torch.get_num_threads()}
    write_json_atomic(out / "bench.json", {"provenance": provenance(config, 0, dev), "rows": rows})
    lines = ["# relu-landscape benchmarks", "",
             f"device {dev}, torch threads {torch.get_num_threads()}, median of {repeats} runs; "
             "both sides of each ratio are measured in the same run.", "",
             "| case | fast side | slow side | fast (s) | slow (s) | speed-up |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['case']} | {r['fast']} | {r['slow']} | {r['fast_s']:.4f} | {r['slow_s']:.4f} "
              f"| {r['speedup']:.2f}× |" for r in rows]
    (out / "bench.md").write_text("\n".join(lines) + "\n")
    return rows
