"""E2 width-sweep (THEORY.md §8): barriers versus width, next to `ll:thm-dimfree`.

The theory-aligned setting: the bias-free, ball-constrained model on augmented inputs,
a Lipschitz loss (BCE with logits), widths on a log grid, independent replicates (one
disjoint endpoint pair each). Per pair: the level λ = max{F(A), F(B)}, the DSS barrier
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
from experiments.pairs import compare_pairs
from experiments.reproduce._common import Experiment, generator
from experiments.reproduce._report import Section, markdown_table, save_figure
from experiments.reproduce._runner import Task
from numerics import Problem, ReluNet, moons, train, train_reference
from theory.losses import get_loss

CONFIGS = {
    "quick": {"widths": [4, 16, 64], "replicates": 3, "loss": "bce_logit",
              "kappa": 1e-2, "steps": 300, "draws": 16, "max_depth": 3, "resamples": 1000,
              "zero_atol": 1e-6},
    "smoke": {"widths": [4, 8], "replicates": 2, "loss": "bce_logit", "kappa": 1e-2,
              "steps": 20, "draws": 2, "max_depth": 1, "resamples": 50, "zero_atol": 1e-6},
    "paper": {"widths": [4, 8, 16, 32, 64, 128, 256, 512], "replicates": 20,
              "loss": "bce_logit", "kappa": 1e-2, "steps": 2000, "draws": 64, "max_depth": 10,
              "resamples": 2000, "zero_atol": 1e-6},
}
THEORY_EXPONENT = -0.5  # ll:cor-moving-level with l = ⌊m/2⌋


def dimfree_bound(L: float, D_X: float, level: float, kappa: float, q: int,
                  e_hat: float) -> float:
    """max{L D_X (λ̄ − R̲)/(κ√q), (ê(l) − λ)₊} − the excess over λ, with λ̄ = λ, R̲ = 0."""
    # $\mathfrak b_m(\lambda) \le \max\{L D_X(\bar\lambda - \underline R)/(\kappa\sqrt q),
    #   (e(l) - \lambda)_+\}$
    return max(L * D_X * level / (kappa * math.sqrt(q)), max(0.0, e_hat - level))


def measure_width(width: int, cfg: dict, seed: int, device: str) -> list[dict]:
    data = moons(seed=seed)
    loss = get_loss(cfg["loss"])
    problem = Problem.of(ReluNet(data.n, width, cfg["kappa"]), data, loss, device=device)
    gen = generator(seed, f"width={width}")
    training = {"steps": cfg["steps"], "lr": 0.01, "plateau": (0.9, 20)}
    l = width // 2
    reference = train_reference(problem, l, steps=cfg["steps"], generator=gen)
    R = cfg["replicates"]
    ends = train(problem, problem.model.init(2 * R, gen, device=problem.device), **training).p
    measures = compare_pairs(problem, ends[0::2], ends[1::2], reference=reference,
                             generator=gen, training=training, draws=cfg["draws"],
                             max_depth=cfg["max_depth"])
    rows = []
    for k, r in enumerate(measures):
        level = r["level"]
        rows.append({
            "width": width, "replicate": k, "D_X": data.D_X, **r,
            "dss_barrier": max(0.0, r["dss_certified_max"] - level),
            "constructive_barrier": max(0.0, r["constructive_max"] - level),
            "dimfree_bound": dimfree_bound(loss.L, data.D_X, level, cfg["kappa"], r["q"],
                                           r["e_hat"]),
        })
    return rows


def phases(cfg: dict, seed: int, device: str, folder: Path) -> list[list[Task]]:
    return [[Task(f"width={w}", measure_width, {"width": w, "cfg": cfg, "seed": seed,
                                                 "device": device}) for w in cfg["widths"]]]


def _slope(widths: list[int], values: dict[int, np.ndarray], cfg: dict) -> str:
    """Slope with its replicate bootstrap CI, or the zero frequency where zeros make the
    logarithm meaningless (most gaps zero, or a resampled mean zero)."""
    zeros = stats.zero_frequency(np.concatenate(list(values.values())), cfg["zero_atol"])
    zero_text = f"zero in {zeros.n_zero}/{zeros.n} replicates (no slope)"
    if zeros.fraction > 0.5:
        return zero_text
    try:
        fit = stats.loglog_slope_bootstrap(widths, [values[w] for w in widths],
                                           n_resamples=cfg["resamples"], rng=0)
    except ValueError:
        return zero_text
    return f"{fit.slope:.3f} [{fit.low:.3f}, {fit.high:.3f}]"


def analyze(records: list[dict], cfg: dict, folder: Path, out: Path) -> Section:
    import matplotlib.pyplot as plt

    widths = cfg["widths"]
    measures = ("dss_barrier", "constructive_barrier", "barrier_upper", "dimfree_bound")
    values = {m: {w: np.array([r[m] for r in records if r["width"] == w]) for w in widths}
              for m in measures}
    table = [{"width": w, **{f"mean {m}": float(values[m][w].mean()) for m in measures},
              "DSS connected": f"{sum(r['dss_connected'] for r in records if r['width'] == w)}"
              f"/{len(values[measures[0]][w])}"} for w in widths]
    slopes = [{"measure": m, "log–log slope [95% CI]": _slope(widths, values[m], cfg),
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
    text = ("Theory-aligned width sweep on Moons (bias-free ball-constrained ReLU net on "
            f"augmented inputs, {cfg['loss']}, κ = {cfg['kappa']}), {cfg['replicates']} "
            "independent replicates per width. Slopes: least squares of log(mean) on log m, "
            "CIs by resampling replicates within each width.\n\n"
            + markdown_table(table) + "\n\n" + markdown_table(slopes))
    return Section("E2 width-sweep: barriers vs width and the ll:thm-dimfree bound", text,
                   [(png, "Mean barriers per width (DSS, constructive, their minimum) and "
                          "the evaluated ll:thm-dimfree bound.")])


EXPERIMENT = Experiment("width-sweep", "E2 width-sweep", CONFIGS, phases, analyze,
                        "replicates")
