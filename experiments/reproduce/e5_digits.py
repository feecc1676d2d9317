"""E5 digits-geometry (beyond the papers): path geometry and certified barriers on real images.

scikit-learn's bundled 8×8 handwritten digits as a binary task (odd vs even, 1437 training
and 360 test images, 64 standardized pixels + the augmentation column), the bias-free
ball-constrained one-hidden-layer ReLU net (`ReluNet`) with BCE and ℓ1 weight κ on the
output layer. For every width m and target training loss L0, independent endpoint pairs
are trained until F ≤ L0 (pairs that miss it are recorded and left out), then joined by
the barrier protocol (docs/barrier-protocol.md) at λ = L0: DSS with certified acceptance,
beads trained toward L0 − 5τ, plus the aligned segment. Per pair: the endpoints' test
error, DSS's normalized length and bead count, the certified upper bound of the barrier
and the protocol's status. The widths and levels span test errors from a few % to ~30 %.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import torch

from experiments import barrier, stats
from experiments.configs import DigitsConfig
from experiments.reproduce._common import Experiment
from experiments.reproduce._report import PALETTE, Section, markdown_table, save_figure
from experiments.run import Run, data_seed, generator
from experiments.tasks import Task
from numerics import Problem, ReluNet, digits, dss_batched, train
from theory.losses import get_loss

Config = DigitsConfig


def _problem(width: int, cfg: Config, seed: int, device: str) -> tuple[Problem, object]:
    data = digits(seed=data_seed(seed, "digits"))
    return Problem.of(ReluNet(data.n, width, cfg.kappa), data, get_loss("bce_logit"),
                      device=device), data


def _test_error(problem: Problem, data, p: torch.Tensor) -> torch.Tensor:
    """Misclassified fraction of the test images per model (predict 1 where Φ > 0)."""
    X = data.X_test.to(problem.device, problem.dtype)
    Y = data.Y_test.to(problem.device)
    Phi = problem.model.predict(p, X)
    return ((Phi > 0).to(Y.dtype) != Y).double().mean(dim=-1)


def connect_at_level(width: int, L0: float, cfg: Config, seed: int, device: str
                     ) -> list[dict]:
    """Train 2·pairs endpoints toward F ≤ L0, then the barrier protocol between the pairs
    that made it."""
    problem, data = _problem(width, cfg, seed, device)
    p0 = problem.model.init(2 * cfg.pairs, generator(seed, f"digits/{width}/{L0}"),
                            device=problem.device)
    ends = train(problem, p0, steps=cfg.steps, lr=cfg.lr, target=L0)
    A, B = ends.p[0::2], ends.p[1::2]
    ok = ends.reached[0::2] & ends.reached[1::2]
    err = _test_error(problem, data, ends.p)
    rows = [{"width": width, "L0": L0, "pair": k, "endpoints_reached": bool(ok[k]),
             "test_error": float((err[2 * k] + err[2 * k + 1]) / 2)}
            for k in range(cfg.pairs)]
    idx = torch.nonzero(ok).flatten()
    if len(idx) == 0:
        return rows
    levels = torch.full((len(idx),), L0, dtype=torch.float64)
    options = barrier.dss_options(cfg, max_depth=cfg.max_depth, grid=cfg.grid,
                                  max_points=cfg.max_points,
                                  train_kwargs={"steps": cfg.bead_steps, "lr": cfg.lr})
    results = dss_batched(problem, A[idx], B[idx], levels, options)
    aligned = barrier.aligned_max(problem, A[idx], B[idx], min(r.tol for r in results),
                                  grid=cfg.grid, max_points=cfg.max_points)[0].tolist()
    for k, r, al in zip(idx.tolist(), results, aligned, strict=True):
        rows[k].update({"connected": r.connected, "beads": r.beads,
                        "normalized_length": r.normalized_length,
                        **barrier.assess(r, aligned_max=al)})
    return rows


def phases(run: Run) -> list[list[Task]]:
    cfg = run.config
    # the widest first, so that two workers finish together
    return [[Task(f"w{m}/L0={L0}", connect_at_level,
                  {"width": m, "L0": L0, "cfg": cfg, "seed": run.seed, "device": run.device})
             for m in sorted(cfg.widths, reverse=True) for L0 in cfg.levels]]


def _mean_ci(values: list[float], run: Run, key: str) -> str:
    if len(values) < 2:
        return "—"
    ci = stats.bootstrap_ci(np.array(values), np.mean, n_resamples=run.config.resamples,
                            rng=run.task_seed(key))
    return f"[{ci.low:.3g}, {ci.high:.3g}]"


def analyze(records: list[dict], run: Run, out: Path) -> Section:
    cfg = run.config
    import matplotlib.pyplot as plt

    table = []
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    for k, m in enumerate(cfg.widths):
        curve: dict[str, list[float]] = {"L0": [], "length": [], "barrier": [], "error": []}
        for L0 in cfg.levels:
            cell = [r for r in records if (r["width"], r["L0"]) == (m, L0)]
            done = [r for r in cell if r["endpoints_reached"]]
            row: dict[str, object] = {
                "width": m, "L0": L0, "pairs measured": len(done),
                "pairs missing L0": len(cell) - len(done),
                "test error": float(np.mean([r["test_error"] for r in cell]))}
            if done:
                lengths = [r["normalized_length"] for r in done]
                upper = [r["barrier_upper"] for r in done if r["status"] != "inconclusive"]
                row.update({
                    "mean normalized length": float(np.mean(lengths)),
                    "length CI": _mean_ci(lengths, run, f"len/{m}/{L0}"),
                    "median normalized length": float(np.median(lengths)),
                    "mean beads": float(np.mean([r["beads"] for r in done])),
                    "status": ", ".join(f"{s} {n}" for s, n in sorted(
                        Counter(r["status"] for r in done).items())),
                    "max barrier upper": max(upper) if upper else float("nan"),
                    "≤ r": f"{sum(r['barrier_upper'] <= r['resolution'] for r in done)}"
                           f"/{len(done)}"})
                curve["L0"].append(L0)
                curve["length"].append(float(np.mean(lengths)))
                curve["barrier"].append(max(upper) if upper else float("nan"))
                curve["error"].append(float(row["test error"]))  # type: ignore[arg-type]
            table.append(row)
        color = PALETTE[k % len(PALETTE)]
        axes[0].plot(curve["L0"], curve["length"], "o-", color=color, label=f"m = {m}")
        axes[1].plot(curve["error"], curve["length"], "o-", color=color, label=f"m = {m}")
        positive = [(x, b) for x, b in zip(curve["L0"], curve["barrier"], strict=True) if b > 0]
        if positive:
            axes[2].plot(*zip(*positive, strict=True), "o-", color=color, label=f"m = {m}")
    axes[0].set_xscale("log")
    axes[0].set_xlabel("target training loss L0 (= the level λ)")
    axes[0].set_ylabel("normalized DSS length (mean)")
    axes[1].set_xlabel("test error of the endpoints")
    axes[1].set_ylabel("normalized DSS length (mean)")
    axes[2].set_xscale("log")
    axes[2].set_yscale("log")
    axes[2].set_xlabel("L0")
    axes[2].set_ylabel("max certified barrier above L0 (> 0 only)")
    for ax in axes:
        ax.legend(fontsize=7)
    fig.tight_layout()
    png = save_figure(fig, out, "e5_digits_geometry")
    cols = ["width", "L0", "pairs measured", "pairs missing L0", "test error",
            "mean normalized length", "length CI", "median normalized length", "mean beads",
            "status", "≤ r", "max barrier upper"]
    text = ("Beyond the papers: scikit-learn's 8×8 digits, odd vs even, with the bias-free "
            f"one-hidden-layer ReLU net (BCE, κ = {cfg.kappa}), {cfg.pairs} endpoint pairs "
            "per (width, L0), each trained to F ≤ L0 and joined by the barrier protocol at "
            "λ = L0 (certified acceptance, beads toward L0 − 5τ). 'test error': mean over "
            "the cell's endpoints on the 360 held-out images. CIs: 95 % percentile bootstrap "
            "over pairs. 'max barrier upper' is the largest certified upper bound among the "
            "conclusive pairs; '≤ r' counts the pairs within the protocol's resolution.\n\n"
            + markdown_table(table, cols))
    return Section("E5 digits-geometry: real images, length and barrier vs L0 and width",
                   text, [(png, "Normalized DSS length against L0 and against test error, "
                                "and the largest certified barrier upper bound (positive "
                                "ones) per width.")])


EXPERIMENT = Experiment("digits-geometry", "E5 digits-geometry", phases, analyze)
