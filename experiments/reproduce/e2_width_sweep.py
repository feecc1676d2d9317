"""E2 width-sweep (docs/validation.py): barriers versus width, next to `ll:thm-dimfree`.

The theory-aligned setting: the bias-free, ball-constrained model on augmented inputs,
a Lipschitz loss (BCE with logits), widths on a log grid, independent replicates (one
disjoint endpoint pair each). Each width runs the `gap` pipeline (`experiments.pairs`).
Per pair: the level λ = max{F(A), F(B)}, the DSS barrier
(certified path max − λ)₊, the constructive-path barrier (exact vertex max − λ)₊ with
l = ⌊m/2⌋, and the `ll:thm-dimfree` bound evaluated at the pair's numbers,
max{L D_X (λ̄ − R̲)/(κ√q), (ê(l) − λ)₊} with λ̄ = λ, R̲ = 0, q = m − l and ê(l) the best
trained width-l model (an upper estimate of e(l), so the evaluated bound is conservative).
Slopes of log(mean barrier) against log m come with replicate-level bootstrap CIs; where
most gaps are zero the zero frequency is reported instead of a slope.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from experiments import stats
from experiments.configs import PairsConfig
from experiments.pairs import tasks
from experiments.reproduce._common import Experiment
from experiments.reproduce._report import Section, markdown_table, save_figure
from experiments.reproduce._runner import Task
from experiments.run import task_seed
from theory import bounds
from theory.losses import get_loss

THEORY_EXPONENT = -0.5  # ll:cor-moving-level with l = ⌊m/2⌋
ZERO_ATOL = 1e-6  # a barrier below this counts as zero in the zero frequency


def phases(cfg: PairsConfig, seed: int, device: str, folder: Path) -> list[list[Task]]:
    return [tasks(cfg, seed, device)]


def _barriers(records: list[dict], cfg: PairsConfig) -> list[dict]:
    """Per pair: the DSS and constructive barriers (max − λ)₊ and the evaluated bound."""
    L = get_loss(cfg.loss).L

    def bound(r: dict) -> float:
        # ll:thm-dimfree at the pair's numbers: λ̄ = λ, R̲ = 0, e(l) ≤ ê(l); it needs L
        if L is None:
            return math.nan
        return bounds.dimfree_bound(float(L), r["D_X"], cfg.kappa, r["level"], 0.0, r["q"],
                                    r["e_hat"], r["level"])

    return [{**r, "dss_barrier": max(0.0, r["dss_certified_max"] - r["level"]),
             "constructive_barrier": max(0.0, r["constructive_max"] - r["level"]),
             "dimfree_bound": bound(r)} for r in records]


def _slope(widths: tuple[int, ...], values: dict[int, np.ndarray], cfg: PairsConfig,
           seed: int) -> str:
    """Slope with its replicate bootstrap CI, or the zero frequency where zeros make the
    logarithm meaningless (most gaps zero, or a resampled mean zero)."""
    zeros = stats.zero_frequency(np.concatenate(list(values.values())), ZERO_ATOL)
    zero_text = f"zero in {zeros.n_zero}/{zeros.n} replicates (no slope)"
    if zeros.fraction > 0.5:
        return zero_text
    try:
        fit = stats.loglog_slope_bootstrap(widths, [values[w] for w in widths],
                                           n_resamples=cfg.resamples, rng=seed)
    except ValueError:
        return zero_text
    return f"{fit.slope:.3f} [{fit.low:.3f}, {fit.high:.3f}]"


def analyze(records: list[dict], cfg: PairsConfig, seed: int, folder: Path,
            out: Path) -> Section:
    import matplotlib.pyplot as plt

    widths = cfg.widths
    records = _barriers(records, cfg)
    measures = ("dss_barrier", "constructive_barrier", "barrier_upper", "dimfree_bound")
    values = {m: {w: np.array([r[m] for r in records if r["width"] == w]) for w in widths}
              for m in measures}
    table = [{"width": w, **{f"mean {m}": float(values[m][w].mean()) for m in measures},
              "DSS connected": f"{sum(r['dss_connected'] for r in records if r['width'] == w)}"
              f"/{len(values[measures[0]][w])}"} for w in widths]
    slopes = [{"measure": m, "log–log slope [95% CI]": _slope(
                   widths, values[m], cfg, task_seed(seed, f"stats/slope/{m}")),
               "theory": THEORY_EXPONENT if m == "dimfree_bound" else "≤ bound"}
              for m in measures]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for m in measures:
        means = [max(values[m][w].mean(), 1e-12) for w in widths]
        ax.plot(widths, means, "o-" if m != "dimfree_bound" else "k--", label=m)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("width m")
    ax.set_ylabel("barrier above the level (mean over replicates, floored 1e-12)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    png = save_figure(fig, out, "e2_gap_vs_width")
    text = (f"Theory-aligned width sweep on {cfg.dataset} (bias-free ball-constrained ReLU "
            "net on "
            f"augmented inputs, {cfg.loss}, κ = {cfg.kappa}), {cfg.pairs} "
            "independent replicates per width. Slopes: least squares of log(mean) on log m, "
            "CIs by resampling replicates within each width. 'DSS connected k/n': the "
            "replicates whose DSS string had every segment accepted (its certified maximum "
            "at the level, up to DSS's acceptance slack) before the depth limit "
            f"({cfg.max_depth}); a depth-limited string still bounds the barrier by its "
            "certified maximum, and barrier_upper takes the better of DSS and the "
            "constructive path, so a low k at quick scale (shallow depth, few steps) means "
            "the search was cut short, not that the pair is disconnected.\n\n"
            + markdown_table(table) + "\n\n" + markdown_table(slopes))
    return Section("E2 width-sweep: barriers vs width and the ll:thm-dimfree bound", text,
                   [(png, "Mean barriers per width (DSS, constructive, their minimum) and "
                          "the evaluated ll:thm-dimfree bound.")])


EXPERIMENT = Experiment("width-sweep", "E2 width-sweep", phases, analyze)
