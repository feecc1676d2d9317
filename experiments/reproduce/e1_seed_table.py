"""E1 seed-table (docs/validation.py): the [B26] v1 measurement, run `legacy` and `corrected`.

Both variants use the published model and training: one hidden layer with biases, rows
renormalized to unit norm after each step with the scale pushed into the output layer
(`BiasReluNet.project`), ℓ1 on output weights and output bias (κ = 1e−3), full-batch Adam
lr 0.01 with ReduceLROnPlateau(0.9), 150 epochs; Moons (MSE on 0/1 labels) and Breast
Cancer (BCE with logits); widths 20 and 200.

- `legacy` (exactly as published): pairs drawn at random from all models (endpoints
  reused), DSS splitting at the argmax of a 200-point grid, beads retrained ≤ 150 epochs to
  ≤ E, depth ≤ 8, E = max(F_A, F_B), segments judged on the grid, gap = max(0, MIN over
  recorded above-threshold segment maxima − E) if the depth limit was hit, else 0;
  permutation p = fraction of permuted T ≤ observed (can be 0).
- `corrected`: the barrier protocol (docs/barrier-protocol.md) on disjoint endpoint pairs
  (each pair an independent replicate): beads trained `corrected_bead_steps` (750) epochs
  toward λ − 5τ (training returns the best iterate, so the projection cannot make it
  climb), segments accepted on their certified maximum, strings with an unreached bead
  stopped (the pair is inconclusive), per-pair status and cause, the aligned segment beside
  DSS. Its certificates start from `corrected_grid` points per segment (9 at paper scale)
  and refine near the maximum.
- phase 3, the sensitivity grid (experiments/sensitivity.py): the corrected paths of the
  first `sensitivity_pairs` pairs recomputed under each setting, on the same endpoints.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np
import torch

from experiments import barrier, sensitivity, stats, verdict
from experiments.certificates import pair_folder, write_certificate
from experiments.configs import SeedTableConfig
from experiments.reproduce._common import (
    Experiment,
    load_tensor,
    save_tensor,
)
from experiments.reproduce._report import Section, markdown_table, save_figure
from experiments.run import Run, data_seed, generator, task_seed
from experiments.run import rng as numpy_rng
from experiments.tasks import Task, chunks
from numerics import (
    BiasBallMap,
    BiasReference,
    BiasReluNet,
    Problem,
    ball_map,
    bias_constructive_paths,
    cancer,
    dss_batched,
    moons,
    path_max,
    reference_width,
    train,
    train_bias_reference,
)
from theory.losses import get_loss

VARIANTS = ("legacy", "corrected")
LOSS_OF = {"moons": "mse", "cancer": "bce_logit"}

Config = SeedTableConfig


def _data(name: str, seed: int):
    # inputs without an augmentation column: the v1 model has explicit biases
    return moons(n_samples=1000, noise=0.2, seed=data_seed(seed, name), c=None) \
        if name == "moons" else cancer(seed=data_seed(seed, name), c=None)


def _problem(dataset: str, width: int, cfg: Config, seed: int, device: str) -> Problem:
    data = _data(dataset, seed)
    model = BiasReluNet(data.n, width, cfg.kappa)
    return Problem.of(model, data, get_loss(LOSS_OF[dataset]), device=device)


def _models_file(folder: Path, variant: str, dataset: str, width: int) -> Path:
    return folder / "models" / f"{variant}_{dataset}_w{width}.pt"


def _n_models(variant: str, cfg: Config) -> int:
    return cfg.models if variant == "legacy" else 2 * cfg.pairs


def train_models(variant: str, dataset: str, width: int, cfg: Config, seed: int, device: str,
                 folder: str) -> list[dict]:
    """Phase 1: train the endpoint models of one (variant, data set, width)."""
    problem = _problem(dataset, width, cfg, seed, device)
    gen = generator(seed, f"init/{variant}/{dataset}/{width}")
    p0 = problem.model.init(_n_models(variant, cfg), gen, device=problem.device)
    res = train(problem, p0, steps=cfg.steps, lr=cfg.lr, plateau=cfg.plateau)
    save_tensor(_models_file(Path(folder), variant, dataset, width), res.p)
    F64 = problem.with_dtype(torch.float64).F(res.p.double())
    return [{"phase": "train", "variant": variant, "dataset": dataset, "width": width,
             "model": i, "F": float(f)} for i, f in enumerate(F64)]


def pairs_of(variant: str, cfg: Config, seed: int, dataset: str, width: int) -> list[tuple]:
    """Legacy: random pairs i ≠ j with reuse; corrected: disjoint pairs (2k, 2k+1)."""
    if variant == "corrected":
        return [(2 * k, 2 * k + 1) for k in range(cfg.pairs)]
    rng = numpy_rng(seed, f"pairs/{dataset}/{width}")
    out: list[tuple[int, int]] = []
    while len(out) < cfg.pairs:
        i, j = rng.choice(cfg.models, size=2, replace=False)
        out.append((int(i), int(j)))
    return out


@functools.lru_cache(maxsize=2)
def _constructive_setup(dataset: str, width: int, key: tuple, seed: int, device: str,
                        folder: str) -> tuple[BiasReference, BiasBallMap]:
    """The corrected arm's width-⌊m/2⌋ bias reference and the map onto the augmented ball
    model (R from every corrected endpoint of the width and the reference), cached per
    process: every batch and every sensitivity setting of the width share them. `key`:
    the settings they depend on (`_reference_key`)."""
    cfg = dict(key)
    problem = _problem(dataset, width, Config(kappa=cfg["kappa"]), seed, device)
    reference = train_bias_reference(
        problem, reference_width(width), starts=cfg["reference_starts"],
        steps=cfg["reference_steps"], lr=cfg["lr"], plateau=cfg["plateau"],
        generator=generator(seed, f"reference/{dataset}/{width}"))
    pool = load_tensor(_models_file(Path(folder), "corrected", dataset, width))
    return reference, ball_map(problem, reference, pool)


def _reference_key(cfg: Config) -> tuple:
    return tuple((name, getattr(cfg, name)) for name in
                 ("kappa", "lr", "plateau", "reference_starts", "reference_steps"))


def _constructive(dataset: str, width: int, pair_ids: list[int], cfg: Config, seed: int,
                  device: str, folder: str, problem: Problem, A, B, tol: float) -> list:
    """Family (b) of the corrected pairs: the constructive path in the bias model's space
    (`numerics.bias_constructive_paths`) and its certified maximum on the bias model's own
    F (`numerics.path_max`): per pair (path, `BiasConstructivePath`, certified max, max of
    the bias F over the path's vertices)."""
    reference, mapping = _constructive_setup(dataset, width, _reference_key(cfg), seed,
                                             device, folder)
    paths = bias_constructive_paths(
        problem, A, B, reference=reference, mapping=mapping, method=cfg.sparsify,
        draws=cfg.draws, refit_steps=cfg.refit_steps,
        generator=generator(seed, f"constructive/{dataset}/{width}/c{pair_ids[0]}"))
    return [(cp.path, cp, path_max(problem, cp.path, tol, grid=cfg.corrected_grid).certified_max,
             cp.max_F) for cp in paths]


def connect_pairs(variant: str, dataset: str, width: int, pair_ids: list[int], cfg: Config,
                  seed: int, device: str, folder: str,
                  certificates: str | None = None) -> list[dict]:
    """Phase 2: DSS between the given pairs (`certificates`: a folder that gets each
    corrected pair's DSS certificate, DATASET/width=M/pair=K/dss)."""
    problem = _problem(dataset, width, cfg, seed, device)
    p = load_tensor(_models_file(Path(folder), variant, dataset, width)).to(problem.device)
    pairs = [pairs_of(variant, cfg, seed, dataset, width)[k] for k in pair_ids]
    A = p[[i for i, _ in pairs]]
    B = p[[j for _, j in pairs]]
    problem64 = problem.with_dtype(torch.float64)
    F_A, F_B = problem64.F(A.double()), problem64.F(B.double())
    # the level rule: each pair's max(F_A, F_B), or one λ for every width
    levels = barrier.levels_of(cfg, F_A, F_B)
    steps = cfg.bead_steps if variant == "legacy" else cfg.corrected_bead_steps
    # family (b) per pair (`_constructive`); empty when off
    family_b: list = []
    bead_kwargs = {"steps": steps, "lr": cfg.lr, "plateau": cfg.plateau}
    if variant == "legacy":
        # the published protocol judges segments on the grid only: no certificate work
        results = dss_batched(
            problem, A, B, levels, split="argmax", max_depth=cfg.max_depth, grid=cfg.grid,
            accept=1.0, bead_fraction=1.0, acceptance="grid", gap_definition="legacy_b26_v1",
            certify_path=False, train_kwargs=bead_kwargs)
        aligned = [math.nan] * len(results)
    else:
        # the barrier protocol (docs/barrier-protocol.md)
        options = barrier.dss_options(cfg, max_depth=cfg.max_depth, grid=cfg.corrected_grid,
                                      train_kwargs=bead_kwargs)
        results = dss_batched(problem, A, B, levels, options)
        tol = min(r.tol for r in results)
        aligned = barrier.aligned_max(problem, A, B, tol,
                                      grid=cfg.corrected_grid)[0].tolist()
        if cfg.constructive and width >= 2:
            family_b = _constructive(dataset, width, pair_ids, cfg, seed, device, folder,
                                     problem, A, B, tol)
        if certificates is not None:
            for n, (k, r) in enumerate(zip(pair_ids, results, strict=True)):
                folder_k = pair_folder(Path(certificates), width, k, dataset=dataset)
                write_certificate(folder_k / "dss", problem, r.path.vertices, tol=r.tol)
                if family_b:
                    write_certificate(folder_k / "constructive", problem,
                                      family_b[n][0].vertices, tol=tol)
    rows = []
    for n, (k, (i, j), fa, fb, r, al) in enumerate(zip(pair_ids, pairs, F_A, F_B, results,
                                                       aligned, strict=True)):
        cm = family_b[n][2] if family_b else math.nan
        rows.append({
            "phase": "dss", "variant": variant, "dataset": dataset, "width": width, "pair": k,
            "i": i, "j": j, "F_A": float(fa), "F_B": float(fb), "level": r.level,
            "connected": r.connected, "depth": r.depth, "beads": r.beads,
            "beads_reached": r.all_reached, "sampled_max": r.certificate.sampled_max,
            "certified_max": r.certificate.certified_max, "gap": r.gap,
            "sampled_gap": max(0.0, r.certificate.sampled_max - r.level),
            "certificate_converged": bool(r.certificate.segments.converged.all()),
            "legacy_gap": _legacy(r), "normalized_length": r.normalized_length,
            # the protocol's record (corrected); the same columns, empty, for legacy
            **{f"protocol_{key}": value for key, value in (
                dict.fromkeys(barrier.KEYS) if variant == "legacy"
                else barrier.assess(r, aligned_max=al, constructive_max=cm)).items()},
            **_constructive_columns(*(family_b[n] if family_b else (None,) * 4)),
        })
    return rows


def _constructive_columns(path, cp, certified, vertex_max) -> dict:
    """The constructive path's details beside the protocol record (NaN when it is off):
    the max of the bias F over its vertices (float64), ê(l), l, q, the realized ε of the
    sparsified ends (each at its own θ_0), whether every segment is convex or constant."""
    if cp is None:
        return {"constructive_vertex_max": math.nan, "constructive_e_hat": math.nan,
                "constructive_epsilon": math.nan, "constructive_l": None,
                "constructive_q": None, "constructive_exact": None}
    return {"constructive_vertex_max": vertex_max, "constructive_e_hat": cp.e_hat,
            "constructive_epsilon": cp.epsilon, "constructive_l": cp.l,
            "constructive_q": cp.q, "constructive_exact": path.exact}


def sensitivity_pairs(setting: str, dataset: str, width: int, pair_ids: list[int], cfg: Config,
                      seed: int, device: str, folder: str) -> list[dict]:
    """Phase 3: the corrected arm's paths between the same endpoints under one setting of
    the sensitivity grid (experiments/sensitivity.py); the baseline is phase 2 itself."""
    fixed = _common_level(dataset, cfg, seed, device, folder) if setting == "level-fixed" \
        else None
    varied = sensitivity.variant(cfg, setting, bead_steps="corrected_bead_steps",
                                 fixed_level=fixed)
    return [{**row, "phase": "sensitivity", "setting": setting}
            for row in connect_pairs("corrected", dataset, width, pair_ids, varied, seed,
                                     device, folder)]


def _common_level(dataset: str, cfg: Config, seed: int, device: str, folder: str) -> float:
    """λ of `level-fixed`: the largest endpoint F of the grid's pairs over every width, so
    that every endpoint lies in the sublevel set at every width."""
    top = -math.inf
    for width in cfg.widths:
        problem = _problem(dataset, width, cfg, seed, device).with_dtype(torch.float64)
        p = load_tensor(_models_file(Path(folder), "corrected", dataset, width))
        top = max(top, float(problem.F(p[: 2 * cfg.sensitivity_pairs].double().to(
            problem.device)).max()))
    return top


def _statuses(rows: list[dict]) -> str:
    """Counts of the protocol's per-pair statuses, e.g. "connected 4, inconclusive 1"."""
    from collections import Counter

    counts = Counter(r["protocol_status"] for r in rows)
    return ", ".join(f"{s} {counts[s]}" for s in barrier.STATUSES if counts[s])


def _attained(rows: list[dict]) -> str:
    """Which family gives each pair's barrier_upper, e.g. "dss 3, constructive 2"."""
    from collections import Counter

    counts = Counter(r["protocol_attained_by"] for r in rows)
    return ", ".join(f"{f} {counts[f]}" for f in barrier.FAMILIES if counts[f])


def _legacy(result) -> float:
    from numerics import gap_of

    return gap_of(result, "legacy_b26_v1")


def phases(run: Run, certificates: Path | None = None) -> list[list[Task]]:
    cfg = run.config
    common = {"cfg": cfg, "seed": run.seed, "device": run.device, "folder": str(run.folder)}
    # the costliest runs first (wide, then corrected), so that two workers finish together
    runs = sorted(((v, d, w) for v in VARIANTS for d in cfg.datasets for w in cfg.widths),
                  key=lambda run: (-run[2], run[0] == "legacy"))
    train_tasks = [Task(f"train/{v}/{d}/w{w}", train_models,
                        {"variant": v, "dataset": d, "width": w, **common}) for v, d, w in runs]
    dss_tasks = [
        Task(f"dss/{v}/{d}/w{w}/c{c.start}", connect_pairs,
             {"variant": v, "dataset": d, "width": w, "pair_ids": list(c), **common,
              "certificates": None if certificates is None or v == "legacy"
              else str(certificates)})
        for v, d, w in runs for c in chunks(cfg.pairs, cfg.batch)
    ]
    grid_tasks = [
        Task(f"sensitivity/{name}/{d}/w{w}/c{c.start}", sensitivity_pairs,
             {"setting": name, "dataset": d, "width": w, "pair_ids": list(c), **common})
        for w in sorted(cfg.widths, reverse=True) for name in cfg.sensitivity
        for d in cfg.datasets for c in chunks(cfg.sensitivity_pairs, cfg.batch)
    ] if cfg.sensitivity_pairs and cfg.sensitivity else []
    return [train_tasks, dss_tasks, grid_tasks] if grid_tasks else [train_tasks, dss_tasks]


def _compare(wide: np.ndarray, narrow: np.ndarray, cfg: Config,
             seed: int) -> dict[str, float | str]:
    """The legacy arm's wide-vs-narrow statistics, with its published permutation test;
    `seed` seeds the resampling."""
    B = cfg.resamples
    out: dict[str, float | str] = {}
    mw = stats.mann_whitney(wide, narrow, alternative="less")
    out["mann_whitney_p"] = mw.p
    out["cliffs_delta"] = stats.cliffs_delta(wide, narrow)
    for name, fn in (("mean", np.mean), ("median", np.median), ("max", np.max)):
        ci = stats.bootstrap_diff_ci(wide, narrow, fn, n_resamples=B, rng=seed)
        out[f"{name}_diff"] = ci.estimate
        out[f"{name}_diff_ci"] = f"[{ci.low:.3g}, {ci.high:.3g}]"
    out["perm_p"] = stats.legacy_permutation_test(wide, narrow, n_resamples=B, rng=seed).p
    return out


def _legacy_table(dss: list[dict], cfg: Config, seed: int) -> list[dict]:
    """The published protocol's rows: [B26] v1's gap definition and permutation test."""
    narrow_w, wide_w = min(cfg.widths), max(cfg.widths)
    table = []
    for dataset in cfg.datasets:
        gaps = {w: np.array([r["gap"] for r in dss if (r["variant"], r["dataset"], r["width"])
                             == ("legacy", dataset, w)]) for w in cfg.widths}
        for w in cfg.widths:
            sel = [r for r in dss if (r["variant"], r["dataset"], r["width"])
                   == ("legacy", dataset, w)]
            table.append({"dataset": dataset, "width": w, "pairs": len(sel),
                          "mean gap": float(np.mean(gaps[w])),
                          "median gap": float(np.median(gaps[w])),
                          "max gap": float(np.max(gaps[w])),
                          "max sampled gap": max(r["sampled_gap"] for r in sel),
                          "depth-limit fraction": float(np.mean(
                              [not r["connected"] for r in sel]))})
        table[-1].update(_compare(gaps[wide_w], gaps[narrow_w], cfg,
                                  task_seed(seed, f"stats/legacy/{dataset}")))
    return table


def _protocol_rows(records: list[dict], cfg: Config, seed: int, key: str) -> tuple[
        list[dict], str]:
    """Per width the protocol's summary (experiments/verdict.py) and the width verdict."""
    narrow_w, wide_w = min(cfg.widths), max(cfg.widths)
    by_width = {w: [r for r in records if r["width"] == w] for w in cfg.widths}
    summaries = {w: verdict.summarize(w, by_width[w], resamples=cfg.resamples,
                                      seed=task_seed(seed, f"verdict/{key}/{w}"))
                 for w in cfg.widths}
    rows = []
    for w in cfg.widths:
        row = summaries[w].row()
        row["status"] = _statuses(by_width[w])
        row["attained by"] = _attained(by_width[w])
        row["r (median)"] = float(np.median([r["protocol_resolution"] for r in by_width[w]]))
        rows.append(row)
    cmp = verdict.compare(summaries[wide_w], summaries[narrow_w],
                          verdict.bounds(by_width[wide_w]), verdict.bounds(by_width[narrow_w]))
    rows[-1].update({"Fisher p (fewer above r)": cmp.fisher_p,
                     "MW p (excess over r smaller)": cmp.mann_whitney_p, "verdict": cmp.verdict})
    return rows, cmp.verdict


PROTOCOL_COLUMNS = ["width", "pairs", "inconclusive", "status", "attained by", "r (median)",
                    "mean bound", "mean CI", "q90 bound", "q90 CI", "max bound", "above r",
                    "Fisher p (fewer above r)", "MW p (excess over r smaller)", "verdict"]


def analyze(records: list[dict], run: Run, out: Path) -> Section:
    cfg, seed = run.config, run.seed
    import matplotlib.pyplot as plt

    from experiments.reproduce._report import log_strip

    dss = [r for r in records if r["phase"] == "dss"]
    grid = [r for r in records if r["phase"] == "sensitivity"]
    wide_w = max(cfg.widths)
    corrected = {d: [r for r in dss if (r["variant"], r["dataset"]) == ("corrected", d)]
                 for d in cfg.datasets}
    protocol_text, sensitivity_text = [], []
    for dataset in cfg.datasets:
        rows, _ = _protocol_rows(corrected[dataset], cfg, seed, f"corrected/{dataset}")
        protocol_text.append(f"**{dataset}** (all {cfg.pairs} pairs per width)\n\n"
                             + markdown_table(rows, PROTOCOL_COLUMNS))
        if not grid:
            continue
        base = [r for r in corrected[dataset] if r["pair"] < cfg.sensitivity_pairs]
        verdicts, table = {}, []
        for name in (sensitivity.BASELINE, *cfg.sensitivity):
            sel = base if name == sensitivity.BASELINE else [
                r for r in grid if (r["dataset"], r["setting"]) == (dataset, name)]
            if not sel:
                continue
            rows, verdicts[name] = _protocol_rows(sel, cfg, seed, f"grid/{dataset}/{name}")
            for row in rows:
                table.append({"setting": name, **row})
        sensitivity_text.append(
            f"**{dataset}** (the first {cfg.sensitivity_pairs} pairs per width)\n\n"
            + markdown_table(table, ["setting", "width", "pairs", "inconclusive",
                                     "q90 bound", "q90 CI", "max bound", "above r",
                                     "MW p (excess over r smaller)", "verdict"])
            + "\n\n" + verdict.conclusion(verdicts))
    fig, axes = plt.subplots(1, len(cfg.datasets), squeeze=False,
                             figsize=(4.2 * len(cfg.datasets), 3.6))
    for b, dataset in enumerate(cfg.datasets):
        groups = []
        for w in cfg.widths:
            sel = [r for r in corrected[dataset] if r["width"] == w
                   and r["protocol_status"] != "inconclusive"]
            groups.append((f"m = {w}", [r["protocol_barrier_upper"] for r in sel],
                           [r["protocol_resolution"] for r in sel]))
        log_strip(axes[0][b], groups, ylabel="certified upper bound of the barrier above "
                  "λ = max(F_A, F_B)")
        axes[0][b].set_title(f"corrected · {dataset}", fontsize=9)
    fig.tight_layout()
    png = save_figure(fig, out, "e1_gap_distributions")
    legacy_cols = ["dataset", "width", "pairs", "mean gap", "median gap", "max gap",
                   "max sampled gap", "depth-limit fraction", "mann_whitney_p",
                   "cliffs_delta", "mean_diff", "mean_diff_ci", "max_diff_ci", "perm_p"]
    text = (
        "The [B26] v1 seed table measured twice on the same data sets and widths.\n\n"
        "### Legacy: the published protocol\n\n"
        "Pairs drawn at random from all models (endpoints reused), segments judged on a "
        f"{cfg.grid}-point grid, beads trained {cfg.bead_steps} epochs, and [B26] v1's gap: "
        "0 when DSS reports the pair connected and otherwise the *smallest* above-threshold "
        "segment maximum minus the level. Its permutation test takes "
        "T = max(gaps_wide) − max(gaps_narrow) and reports p = fraction of permuted T ≤ "
        "observed, which can be 0; with reused endpoints the pairs are not independent "
        "replicates, so neither test's p-value has its nominal meaning. 'max sampled gap' "
        "is the sampled maximum along the final string minus the level.\n\n"
        + markdown_table(_legacy_table(dss, cfg, seed), legacy_cols)
        + "\n\n### Corrected: the barrier protocol (docs/barrier-protocol.md)\n\n"
        "Disjoint endpoint pairs, λ = max(F_A, F_B), beads trained "
        f"{cfg.corrected_bead_steps} epochs toward λ − 5τ, segments accepted on their "
        "certified maximum (τ = s/10, s = 10⁻³·λ), strings with an unreached bead stopped. "
        "Each pair's number is the certified upper bound 𝔟̄ of its barrier: the smaller of "
        "DSS's and, where measured, the constructive path's (family (b): the proof's "
        "ll:zero-radius path on the augmented ball model x̃ = R·(x, 1), reference width "
        "⌊m/2⌋, mapped back into the bias model and certified on its own F); 'attained by' "
        "counts the family giving it. r = s + τ is the "
        "resolution. Statistics are over the conclusive pairs (the inconclusive ones, whose "
        "beads did not reach λ, are counted and left out); CIs are 95 % percentile bootstrap "
        "over pairs; the tests are one-sided (width "
        f"{wide_w} has fewer pairs above r: Fisher; smaller 𝔟̄: Mann–Whitney). Upper bounds "
        "can only show that a barrier is *small*: a verdict says where the upper bound is "
        "smaller, never that a barrier is larger.\n\n"
        + "\n\n".join(protocol_text)
    )
    if sensitivity_text:
        text += ("\n\n### Sensitivity of the verdict\n\n"
                 "The corrected arm's paths recomputed between the same endpoints, one "
                 "setting of the protocol changed at a time (experiments/sensitivity.py).\n\n"
                 + "\n\n".join(sensitivity_text))
    return Section("E1 seed-table: [B26] v1 legacy vs corrected", text,
                   [(png, "Certified upper bound of each pair's barrier (corrected arm), "
                          "log axis; pairs at or below the resolution r are counted under "
                          "each width, inconclusive pairs are left out (see the table).")])


EXPERIMENT = Experiment("seed-table", "E1 seed-table", phases, analyze, certifies=True)
