"""E4 topology-contrast (docs/validation.py): connected landscapes versus a real barrier.

- `fb:prop-2.2`: deep linear nets (K = 2 with κ > 0, K = 3 with κ = 0) on a regression
  teacher: DSS between independently trained minima finds strings whose maximum exceeds
  the level by at most its acceptance slack (1 % of the level); F along each segment is a
  polynomial of degree 2K in t (squared loss, penalty κ‖p‖²), so each string's maximum is
  certified exactly (`numerics.polynomial_max`).
- `fb:counterexample`: the width-2 teacher in ℝ² and its unit swap both fit exactly, but
  every path between them crosses rank(W) ≤ 1 where the risk is ≥ ½: DSS at width 2 stays
  above the level (certified maximum, ReLU model), and `new:crossing-barrier` certifies a
  lower bound (arb branch-and-bound on det W = 0): barrier ∈ [lower, upper].
- `new:buffer-permutation`: at width 3 (one zero buffer unit) `ll:buffer-transfer`
  connects the same two points at exactly zero barrier (every segment `constant`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from experiments import barrier
from experiments.configs import TopologyConfig
from experiments.reproduce._common import Experiment
from experiments.reproduce._report import Section, markdown_table, save_figure
from experiments.run import Run, data_seed, generator
from experiments.tasks import Task
from numerics import (
    DeepLinearNet,
    Problem,
    ReluNet,
    buffer_permutation_path,
    deep_linear_segment_polynomial,
    dss_batched,
    from_arrays,
    path_max,
    polynomial_max,
    teacher,
    train,
)
from theory.crossing import barrier_lower_bound, best_point, objective
from theory.losses import get_loss
from theory.statements.fb import COUNTEREXAMPLE

Config = TopologyConfig

LINEAR = {"linear_K2": ((4, 6, 1), 1e-3), "linear_K3": ((4, 6, 6, 1), 0.0)}
LOSS = "half_squared"  # the loss of the counterexample runs (and of the crossing bound)
ACCEPT = 1.01  # DSS accepts a deep-linear segment whose sampled maximum is ≤ 1.01 · level


def certified_string_max(problem: Problem, vertices: torch.Tensor) -> float:
    """An upper bound of max F over the polygonal string `vertices` `(V, P)` of a deep
    linear net with the half-squared loss: per segment, the exact polynomial in t and its
    certified maximum on [0, 1]."""
    model = problem.model
    if not isinstance(model, DeepLinearNet):
        raise TypeError(f"certified_string_max needs a DeepLinearNet, got {type(model).__name__}")
    V = vertices.double().cpu()
    X, Y = problem.X.double().cpu(), problem.Y.double().cpu()
    return max(polynomial_max(deep_linear_segment_polynomial(model, X, Y, V[k],
                                                             V[k + 1])).upper
               for k in range(V.shape[0] - 1))


def deep_linear(case: str, cfg: Config, seed: int, device: str) -> list[dict]:
    widths, kappa = LINEAR[case]
    data = teacher(n_samples=200, n_features=widths[0] - 1, width_k=3, noise=0.1,
                   seed=data_seed(seed, "teacher"), task="regression")
    problem = Problem.of(DeepLinearNet(widths, kappa), data, get_loss("half_squared"),
                         device=device)
    k = cfg.pairs
    p0 = problem.model.init(2 * k, generator(seed, case), device=problem.device)
    ends = train(problem, p0, steps=cfg.steps, lr=cfg.lr)
    A, B = ends.p[0::2], ends.p[1::2]
    p64 = problem.with_dtype(torch.float64)
    levels = barrier.pair_level(p64.F(A.double()), p64.F(B.double()))
    results = dss_batched(problem, A, B, levels, bead_fraction=1.0, accept=ACCEPT,
                          max_depth=cfg.max_depth, acceptance="grid",
                          train_kwargs={"steps": cfg.bead_steps, "lr": cfg.lr})
    # the barrier is ≥ 0 (the path holds its endpoints), so flooring keeps an upper bound
    return [{"case": case, "statement": "fb:prop-2.2", "pair": i, "width": str(widths),
             "level": r.level, "connected": r.connected, "beads": r.beads,
             "sampled_barrier": max(0.0, r.sampled_barrier),
             "certified_barrier": max(0.0, certified_string_max(p64, r.path.vertices)
                                      - r.level)}
            for i, r in enumerate(results)]


def _counterexample_problem(cfg: Config, device: str
                            ) -> tuple[Problem, ReluNet, torch.Tensor]:
    """The fb:counterexample data and teacher, as a width-2 `ReluNet` (the example's own
    width): the problem, its model and the teacher's point."""
    X = np.array(COUNTEREXAMPLE.X.tolist(), dtype=np.float64)
    W = torch.tensor(np.array(COUNTEREXAMPLE.W.tolist(), dtype=np.float64))
    theta = torch.tensor(np.array(COUNTEREXAMPLE.theta.tolist(), dtype=np.float64)).flatten()
    Y = (torch.relu(torch.tensor(X) @ W.T) @ theta).numpy()
    data = from_arrays("fb_counterexample", X, Y, task="regression", train_fraction=1.0,
                       seed=0, c=None, standardize=False)
    model = ReluNet(2, 2, cfg.kappa_counterexample)
    problem = Problem.of(model, data, get_loss(LOSS), device=device,
                         dtype=torch.float64)
    return problem, model, model.join(W, theta).to(problem.device)


def relu_narrow(cfg: Config, seed: int, device: str) -> list[dict]:
    problem, model, p = _counterexample_problem(cfg, device)
    q = model.join(*(t.flip(0) for t in model.split(p)))  # the unit swap σ = (1 0)
    A, B = p[None], q[None]
    level = barrier.pair_level(problem.F(A), problem.F(B))
    (r,) = dss_batched(problem, A, B, level, max_depth=cfg.max_depth,
                       train_kwargs={"steps": cfg.bead_steps, "lr": cfg.lr})
    return [{"case": "relu_width_m=2", "statement": "fb:counterexample", "pair": 0,
             "width": "2", "level": r.level, "connected": r.connected, "beads": r.beads,
             "sampled_barrier": r.sampled_barrier, "certified_barrier": r.barrier,
             **crossing_lower_bound(problem, model, p, q)}]


def crossing_lower_bound(problem: Problem, model: ReluNet, p: torch.Tensor,
                         q: torch.Tensor) -> dict:
    """`new:crossing-barrier` for the pair (p, q): barrier ≥ inf F on det W = 0 minus the
    level, certified in arb (`theory.crossing`), with the risk/penalty split of F at the
    best crossing point found (deterministic: no timings in records)."""
    X, Y = problem.X.cpu().tolist(), problem.Y.cpu().tolist()
    (W_A, th_A), (W_B, th_B) = (tuple(t.cpu().tolist() for t in model.split(x))
                                for x in (p, q))
    bound = barrier_lower_bound(W_A, th_A, W_B, th_B, X, Y, model.kappa, loss=LOSS,
                                tol=1e-6)
    W, theta = best_point(bound.crossing.phi, X, Y, model.kappa, loss=LOSS)
    penalty = model.kappa * sum(abs(t) for t in theta)
    return {"lower_barrier": bound.barrier_lower, "crossing_lower": bound.crossing.lower,
            "crossing_upper": bound.crossing.upper, "certified_level": bound.level,
            "crossing_risk": float(objective(W, theta, X, Y, 0.0, LOSS).mid()),
            "crossing_penalty": penalty}


def buffer(cfg: Config, seed: int, device: str) -> list[dict]:
    problem, model, p = _counterexample_problem(cfg, device)
    wide, path = buffer_permutation_path(model, p, [1, 0])
    wide_problem = Problem(wide, problem.X, problem.Y, problem.loss)
    pm = path_max(wide_problem, path, tol=1e-9)
    return [{"case": "buffer_width_m+1=3", "statement": "new:buffer-permutation", "pair": 0,
             "width": "3", "level": pm.endpoint_max, "connected": True,
             "beads": path.vertices.shape[0], "sampled_barrier": pm.sampled_barrier,
             "certified_barrier": pm.certified_barrier}]


def phases(run: Run) -> list[list[Task]]:
    common = {"cfg": run.config, "seed": run.seed, "device": run.device}
    return [[*(Task(case, deep_linear, {"case": case, **common}) for case in LINEAR),
             Task("relu_narrow", relu_narrow, common), Task("buffer", buffer, common)]]


def analyze(records: list[dict], run: Run, out: Path) -> Section:
    import matplotlib.pyplot as plt

    cases = list(dict.fromkeys(r["case"] for r in records))
    table = []
    for case in cases:
        sel = [r for r in records if r["case"] == case]
        table.append({"case": case, "statement": sel[0]["statement"], "width": sel[0]["width"],
                      "pairs": len(sel), "connected": f"{sum(r['connected'] for r in sel)}/"
                      f"{len(sel)}", "max sampled barrier": max(r["sampled_barrier"]
                                                                for r in sel),
                      "max certified barrier": _max_or_nan(r["certified_barrier"]
                                                           for r in sel),
                      "certified lower barrier": _lower(sel)})
    fig, ax = plt.subplots(figsize=(7, 3.6))
    values = [max(t["max sampled barrier"], 1e-16) for t in table]
    colour = {"fb:prop-2.2": "tab:green", "fb:counterexample": "tab:red",
              "new:buffer-permutation": "tab:blue"}
    ax.bar(range(len(table)), values, color=[colour[t["statement"]] for t in table])
    lows = [(i, t["certified lower barrier"]) for i, t in enumerate(table)
            if isinstance(t["certified lower barrier"], float)
            and t["certified lower barrier"] == t["certified lower barrier"]]
    if lows:
        ax.scatter([i for i, _ in lows], [v for _, v in lows], marker="_", s=600,
                   color="black", zorder=3,
                   label="certified lower bound (new:crossing-barrier)")
        ax.legend(loc="lower left", fontsize=8)
    ax.set_yscale("log")
    ax.set_xticks(range(len(table)), [t["case"] for t in table], rotation=15)
    ax.set_ylabel("barrier (floored at 1e-16)")
    fig.tight_layout()
    png = save_figure(fig, out, "e4_topology_contrast")
    text = _text(records) + "\n\n" + markdown_table(table)
    return Section("E4 topology-contrast", text,
                   [(png, "Largest barrier per case (log scale); the black mark is the "
                     "certified lower bound where the crossing argument applies.")])


def _lower(sel: list[dict]) -> float | str:
    """The smallest certified lower barrier of the case's pairs: the crossing bound where
    it applies, the trivial 0 elsewhere (a path holds its endpoints); NaN for records
    that predate it."""
    if sel[0]["statement"] != "fb:counterexample":
        return "0 (trivial)"
    return min((r.get("lower_barrier", float("nan")) for r in sel), default=float("nan"))


def _max_or_nan(values) -> float:
    """The largest value, or NaN when any is NaN (an unavailable certificate)."""
    values = list(values)
    return float("nan") if any(v != v for v in values) else max(values)


def _text(records: list[dict]) -> str:
    """The section's prose, worded from the records so that it agrees with the table."""
    parts = []
    lin = [r for r in records if r["statement"] == "fb:prop-2.2"]
    if lin:
        worst = _max_or_nan(r["certified_barrier"] for r in lin)
        joined = sum(r["connected"] for r in lin)
        if worst == worst:
            rel = max(r["certified_barrier"] / r["level"] for r in lin if r["level"] > 0) \
                if any(r["level"] > 0 for r in lin) else 0.0
            slack = ACCEPT - 1
            verdict = (
                "within that slack, so the positive value is the search's tolerance, not a "
                "barrier" if rel <= slack * (1 + 1e-9) else
                "above that slack only where DSS stopped at its depth limit before it could "
                "bring the string down (see 'connected'): the search was cut short")
            parts.append(
                f"Deep linear nets (`fb:prop-2.2`): DSS connected {joined}/{len(lin)} pairs "
                "within its depth limit; the certified maximum of its strings exceeds the "
                f"level by at most {worst:.2g} ({100 * rel:.2g} % of the level). [FB17] "
                "Prop. 2.2 says the barrier is zero; DSS accepts a segment whose sampled "
                f"maximum is within {100 * slack:.0f} % of the level, and the values are "
                f"{verdict}. The certificate is exact: along a segment F is a polynomial of "
                "degree 2K in t (squared loss, penalty κ‖p‖²), whose maximum on [0, 1] is "
                "enclosed rigorously.")
        else:
            parts.append(
                f"Deep linear nets (`fb:prop-2.2`): DSS joined {joined}/{len(lin)} pairs; the "
                "certified barrier is unavailable (NaN) because these records predate the "
                "exact polynomial certificate: rerun E4 into a new folder to get it.")
    for r in records:
        value, sampled = r["certified_barrier"], r["sampled_barrier"]
        if r["statement"] == "fb:counterexample":
            what = (f"a certified barrier of {value:.3g}" if value == value else
                    f"a sampled barrier of {sampled:.3g} (the certified value is unavailable: "
                    "DSS's certificate did not converge within its depth)")
            parts.append(
                "The width-2 ReLU teacher and its unit swap (`fb:counterexample`) are "
                f"separated by {what}: every path between them crosses rank(W) ≤ 1, where "
                "the risk is at least ½ in [FB17]'s squared loss (¼ in E4's half-squared "
                f"loss; the barrier is the path maximum minus the level "
                f"{r['level']:.3g} of the endpoints).")
            parts.append(_crossing_text(r))
        elif r["statement"] == "new:buffer-permutation":
            parts.append(
                f"One zero buffer unit (width 3) connects the same two points with barrier "
                f"{value:.2g} by buffer transfers (`new:buffer-permutation`; exact: the "
                "maximum over the vertices of an all-`constant` path).")
    return " ".join(parts)


def _crossing_text(r: dict) -> str:
    """The two-sided barrier of the counterexample, and how risk, penalty and level make it."""
    if "lower_barrier" not in r:
        return ("The certified lower bound (`new:crossing-barrier`) is unavailable: these "
                "records predate it; rerun E4 into a new folder to get it.")
    upper, lower = r["certified_barrier"], r["lower_barrier"]
    meet = (f"the two bounds meet, so the barrier is {lower:.4g} exactly" if upper == upper
            and upper - lower <= 1e-6 else
            f"they do not meet: the gap {upper - lower:.3g} is slack in DSS's path (not the "
            "lowest one), in the crossing bound (the lowest path need not reach its top at "
            "det W = 0), or both" if upper == upper else
            "the upper bound is unavailable")
    return (
        f"**Certified two-sided barrier: barrier ∈ [{lower:.4g}, {upper:.4g}]**, strictly "
        f"above 0. The lower end (`new:crossing-barrier`): "
        "det W changes sign between the endpoints, so every path meets det W = 0, and "
        "interval branch-and-bound in arb over the direction of the rank-one rows (the "
        "second layer minimized in closed form) encloses inf F there in "
        f"[{r['crossing_lower']:.6g}, {r['crossing_upper']:.6g}]. [FB17] claim risk ≥ ½ on "
        "the rank-one set for their squared loss with κ = 0 (`fb:counterexample` certifies "
        "that floor; the exact minimum is ≈ 0.699); E4 uses the half-squared loss, so "
        "the same set has risk ≈ 0.35 (half of it: floor ¼). At the best crossing point "
        f"found F = risk {r['crossing_risk']:.6g} + penalty κ‖θ‖₁ "
        f"{r['crossing_penalty']:.3g}; minus the level {r['certified_level']:.3g} (F at "
        f"the endpoints: risk 0, penalty κ‖θ*‖₁) that is the lower end {lower:.4g}; "
        f"{meet}.")


EXPERIMENT = Experiment("topology-contrast", "E4 topology-contrast", phases, analyze)
