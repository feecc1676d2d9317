"""E3 fb-geometry ([FB17] §3, docs/validation.py): path geometry versus the threshold L0.

For each task and threshold L0, independent endpoint pairs are trained until F ≤ L0 (pairs
whose endpoints miss L0 within the budget are recorded as such and left out of the
curves), then connected by DSS with the original code's settings (`numerics.FB17_CODE`:
beads trained to 0.98·L0, a segment accepted when its grid maximum is ≤ 1.1·L0), depth
`max_depth` (theirs: d_max = 10), 100 grid points per segment for the polynomial tasks and
20 for Moons. Tasks: the quadratic and cubic
regressions with the 1-4-4-1 sigmoid MLP and mean absolute error (a `FlatModel`: no
Lipschitz certificate, so maxima are sampled; [FB17]'s code fits the quadratic with no
biases and a sigmoid output unit, the cubic with biases and a linear output:
`mlp_output`, `mlp_biases`), and the one-hidden-layer ReLU net on Moons.
Output: normalized geodesic length and bead count versus L0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from experiments.configs import GeometryConfig
from experiments.reproduce._common import Experiment
from experiments.reproduce._report import Section, markdown_table, save_figure
from experiments.run import Run, data_seed, generator
from experiments.tasks import Task
from numerics import (
    FB17_CODE,
    FlatModel,
    Problem,
    ReluNet,
    dss_batched,
    fb_poly,
    moons,
    sigmoid_mlp,
    train,
)
from theory.losses import get_loss

# grid points per segment of each task (the original code's)
GRID = {"fb_quadratic": 100, "fb_cubic": 100, "moons_relu": 20}

Config = GeometryConfig


def _problem(task: str, cfg: Config, seed: int, device: str) -> Problem:
    if task == "moons_relu":
        data = moons(seed=data_seed(seed, "moons"))
        model = ReluNet(data.n, cfg.relu_width, cfg.kappa)
        return Problem.of(model, data, get_loss("bce_logit"), device=device)
    data = fb_poly(task.removeprefix("fb_"), seed=data_seed(seed, task))
    return Problem.of(mlp_of(task, cfg), data, get_loss("absolute"), device=device)


def mlp_of(task: str, cfg: Config) -> FlatModel:
    """A polynomial task's 1-4-4-1 sigmoid MLP as `cfg` sets it up ([FB17]'s code: the
    quadratic with no biases and a sigmoid output unit, the cubic with biases and a linear
    output)."""
    return sigmoid_mlp((1, 4, 4, 1), bias=cfg.mlp_biases[task], output=cfg.mlp_output[task])


def connect_at_threshold(task: str, L0: float, cfg: Config, seed: int, device: str) -> list[dict]:
    """Train 2·pairs endpoints toward F ≤ L0, then DSS between the pairs that made it."""
    problem = _problem(task, cfg, seed, device)
    grid, lr = GRID[task], cfg.lr[task]
    gen = generator(seed, f"{task}/{L0}")
    p0 = problem.model.init(2 * cfg.pairs, gen, device=problem.device)
    ends = train(problem, p0, steps=cfg.steps, lr=lr, target=L0, plateau=cfg.plateau)
    A, B = ends.p[0::2], ends.p[1::2]
    ok = ends.reached[0::2] & ends.reached[1::2]
    rows = [{"task": task, "L0": L0, "pair": k, "endpoints_reached": bool(ok[k])}
            for k in range(cfg.pairs)]
    idx = torch.nonzero(ok).flatten()
    if len(idx) == 0:
        return rows
    levels = torch.full((len(idx),), L0, dtype=torch.float64)
    results = dss_batched(problem, A[idx], B[idx], levels, FB17_CODE, grid=grid,
                          max_depth=cfg.max_depth, stop_unreached=cfg.stop_unreached,
                          train_kwargs={"steps": cfg.bead_steps, "lr": lr})
    for k, r in zip(idx.tolist(), results, strict=True):
        rows[k].update({"connected": r.connected, "beads": r.beads, "stopped": r.stopped,
                        "normalized_length": r.normalized_length,
                        "sampled_barrier": r.sampled_barrier, "beads_reached": r.all_reached})
    return rows


def phases(run: Run) -> list[list[Task]]:
    cfg = run.config
    return [[Task(f"{task}/L0={L0}", connect_at_threshold,
                  {"task": task, "L0": L0, "cfg": cfg, "seed": run.seed, "device": run.device})
             for task in cfg.tasks for L0 in cfg.levels[task]]]


def _mean_ci(x: np.ndarray, run: Run, task: str, L0: float) -> str:
    """95 % percentile bootstrap CI of the mean length over pairs ("—" for one pair)."""
    from experiments import stats

    if x.size < 2:
        return "—"
    ci = stats.bootstrap_ci(x, np.mean, n_resamples=2000,
                            rng=run.task_seed(f"stats/{task}/{L0}"))
    return f"[{ci.low:.3g}, {ci.high:.3g}]"


def analyze(records: list[dict], run: Run, out: Path) -> Section:
    cfg = run.config
    import matplotlib.pyplot as plt

    fig, (ax_len, ax_beads) = plt.subplots(1, 2, figsize=(10, 3.8))
    table = []
    for task in cfg.tasks:
        xs, lengths, beads = [], [], []
        for L0 in cfg.levels[task]:
            cell = [r for r in records if r["task"] == task and r["L0"] == L0]
            # a stopped string (a bead missed its target) has no meaningful length
            done = [r for r in cell if r["endpoints_reached"] and not r.get("stopped")]
            row = {"task": task, "L0": L0, "pairs measured": len(done),
                   "pairs missing L0": sum(not r["endpoints_reached"] for r in cell),
                   "inconclusive": sum(bool(r.get("stopped")) for r in cell)}
            if done:
                length = np.array([r["normalized_length"] for r in done])
                ci = _mean_ci(length, run, task, L0)
                row.update({"mean normalized length": float(length.mean()),
                            "length CI": ci, "median normalized length":
                                float(np.median(length)),
                            "mean beads": float(np.mean([r["beads"] for r in done])),
                            "connected": f"{sum(r['connected'] for r in done)}/{len(done)}"})
                xs.append(L0)
                lengths.append(row["mean normalized length"])
                beads.append(row["mean beads"])
            table.append(row)
        ax_len.plot(xs, lengths, "o-", label=task)
        ax_beads.plot(xs, beads, "o-", label=task)
    for ax, name in ((ax_len, "normalized geodesic length"), (ax_beads, "beads")):
        ax.set_xscale("log")
        ax.set_xlabel("threshold L0")
        ax.set_ylabel(name)
        ax.legend()
    fig.tight_layout()
    png = save_figure(fig, out, "e3_length_beads_vs_L0")
    cols = ["task", "L0", "pairs measured", "pairs missing L0", "inconclusive", "connected",
            "mean normalized length", "length CI", "median normalized length", "mean beads"]
    nets = "; ".join(f"{task}: {mlp_of(task, cfg).name}" for task in cfg.tasks
                     if task != "moons_relu")
    text = ("[FB17] §3: as the threshold L0 drops, paths between minima get longer and need "
            f"more beads. Polynomial tasks: mean absolute error ({nets}); Moons: "
            f"ReLU width {cfg.relu_width}, BCE. Maxima are sampled on the DSS grid (the MLP "
            "has no Lipschitz certificate). A string whose bead missed its target is stopped "
            "(column 'inconclusive', the barrier protocol's rule) rather than doubled to "
            f"2^{cfg.max_depth} beads; its length is not counted. CIs: 95 % percentile "
            "bootstrap over pairs.\n\n" + markdown_table(table, cols))
    return Section("E3 fb-geometry: length and beads vs L0", text,
                   [(png, "Mean normalized geodesic length and bead count versus L0.")])


EXPERIMENT = Experiment("fb-geometry", "E3 fb-geometry", phases, analyze)
