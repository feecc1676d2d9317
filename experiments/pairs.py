"""The pairs pipeline: barriers between trained endpoint pairs, DSS beside the proof's path.

One pipeline, two entry points: `relu-landscape gap` is its one-width case and the E2
width sweep (`reproduce width-sweep`) its many-width case. For each width m:

1. train the width-l reference (l = ⌊m/2⌋ unless set; `numerics.reference_width`) and
   the 2P endpoints of P disjoint pairs, each in one batched call (recomputed
   identically on resume, so only pair records are stored);
2. for each batch of pairs: the pair's level λ = max{F(A), F(B)}, the constructive path
   (`ll:zero-radius` with `ll:sampling` or `ll:pruning`) and breadth-first DSS at λ;
   one record per pair (`pair_measures`), appended when the batch finishes.

Seeds come from the run (`experiments.run.generator`) under fixed keys, so a resumed run
recomputes a batch exactly; `batch` is part of the configuration because it changes
the Maurey draws.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from experiments import barrier, sensitivity
from experiments.certificates import pair_folder, write_certificate
from experiments.configs import DATASETS, PairsConfig
from experiments.run import Run, generator
from experiments.tasks import Task, chunks
from numerics import (
    CERTIFIED_BY,
    ConstructivePath,
    DSSConfig,
    DSSResult,
    Problem,
    Reference,
    ReluNet,
    constructive_paths,
    data_scale,
    dss_batched,
    load,
    path_max,
    reference_width,
    train,
    train_reference,
)
from theory.losses import get_loss

__all__ = ["DATASETS", "PairsConfig", "compare_pairs", "dss_options",
           "measure_batch", "pair_measures", "paths_config", "problem_of",
           "sensitivity_tasks", "tasks"]


def dss_options(cfg: PairsConfig) -> DSSConfig:
    """The DSS settings of the pipeline: the barrier protocol's, beads trained with
    `bead_training`."""
    return barrier.dss_options(cfg, max_depth=cfg.max_depth, grid=cfg.grid,
                               max_points=cfg.max_points, train_kwargs=cfg.bead_training)

def pair_measures(cp: ConstructivePath, dss: DSSResult, aligned_max: float = float("nan"),
                  constructive_max: float | None = None) -> dict[str, Any]:
    """The measurements of one pair (the columns of pairs.csv after the identifiers): the
    protocol's record (`experiments.barrier.assess`) and each path's details.
    `constructive_max`: the certified (rounding-sound) maximum of the constructive path
    (`numerics.path_max`); None takes its float64 vertex maximum (not a certificate)."""
    certified = cp.max_F if constructive_max is None else constructive_max
    return {
        **barrier.assess(dss, constructive_max=certified, aligned_max=aligned_max),
        "F_A": cp.F_A,
        "F_B": cp.F_B,
        "dss_connected": bool(dss.connected),
        "dss_beads": int(dss.beads),
        # every segment of the final string certified to the tolerance (certified − sampled)
        "dss_certificates_converged": bool(dss.certificate.segments.converged.all()),
        "dss_sampled_max": dss.certificate.sampled_max,
        "dss_certified_max": dss.certificate.certified_max,
        # how the certified values are made rounding-sound (numerics/_rounding.py)
        "certified_by": CERTIFIED_BY,
        "dss_normalized_length": float(dss.normalized_length),
        "constructive_max": certified,
        "constructive_vertex_max": cp.max_F,
        "constructive_exact": cp.exact,
        "constructive_normalized_length": cp.path.normalized_length(),
        "theorem_bound": cp.theorem_bound,
        "epsilon": cp.epsilon,
        "epsilon_thm": cp.epsilon_thm,
        "e_hat": cp.e_hat,
        "a": cp.a,
        "l": cp.l,
        "q": cp.q,
        "sparsify": cp.method,
    }


def compare_pairs(
    problem: Problem,
    A: torch.Tensor,
    B: torch.Tensor,
    *,
    reference: Reference,
    generator: torch.Generator,
    dss: DSSConfig,
    method: str = "sampling",
    draws: int = 32,
    refit_steps: int = 200,
    negative_control: bool = False,
    levels: torch.Tensor | None = None,
    certificates: Sequence[Path] | None = None,
) -> list[dict[str, Any]]:
    """Constructive path, DSS and the aligned segment for every pair; one `pair_measures`
    record per pair.

    **Arguments**
    - `A`, `B`: endpoints, shape `(pairs, P)`; `reference`: the width-l reference (its
      width fixes l); `generator`: CPU generator for the Maurey draws.
    - `dss`: the DSS settings (its `train_kwargs` train the beads).
    - `levels`: λ per pair `(pairs,)` (default: the pair level max{F(A), F(B)}).
    - `certificates`: one folder per pair; each gets a re-checkable certificate of the DSS
      string (`dss/`) and of the constructive path (`constructive/`)
      (`experiments.certificates`; re-check with `relu-landscape verify`).
    """
    paths = constructive_paths(problem, A, B, l=reference.width, method=method, draws=draws,
                               refit_steps=refit_steps, reference=reference,
                               negative_control=negative_control, generator=generator)
    if levels is None:
        levels = torch.tensor([cp.level for cp in paths], dtype=torch.float64)
    results = dss_batched(problem, A, B, levels, dss)
    tol = min(r.tol for r in results)
    if negative_control:
        aligned = [float("nan")] * len(results)
    else:
        aligned = barrier.aligned_max(problem, A, B, tol, grid=dss.grid,
                                      max_points=dss.max_points)[0].tolist()
    # the constructive path's certified maximum: exact segments take the endpoint value plus
    # its rounding margin, the others a certificate (`numerics.path_max`)
    certified = [float("nan") if negative_control else path_max(
        problem, cp.path, tol, grid=dss.grid, max_points=dss.max_points).certified_max
        for cp in paths]
    if certificates is not None and not negative_control:
        for folder, cp, r in zip(certificates, paths, results, strict=True):
            write_certificate(folder / "dss", problem, r.path.vertices, tol=tol,
                              max_points=dss.max_points)
            write_certificate(folder / "constructive", problem, cp.path.vertices, tol=tol,
                              max_points=dss.max_points)
    return [pair_measures(cp, r, al, None if negative_control else cm)
            for cp, r, al, cm in zip(paths, results, aligned, certified, strict=True)]


def problem_of(cfg: PairsConfig, width: int, seed: int, device: str) -> Problem:
    """The width-m problem: the bias-free ball-constrained `ReluNet` on augmented inputs."""
    data = load(cfg.dataset, **cfg.data_kwargs(seed))
    return Problem.of(ReluNet(data.n, width, cfg.kappa), data, get_loss(cfg.loss),
                      device=device)


@functools.lru_cache(maxsize=2)
def _width_setup(cfg: PairsConfig, width: int, seed: int,
                 device: str) -> tuple[Problem, Reference, torch.Tensor]:
    """Problem, reference and the 2P trained endpoints of one width (cached per process:
    every batch task of the width shares them, and a resumed run recomputes them
    identically)."""
    problem = problem_of(cfg, width, seed, device)
    l = reference_width(width, cfg.l)
    reference = train_reference(problem, l, steps=cfg.steps, lr=cfg.lr,
                                generator=generator(seed, f"width={width}/reference"))
    p0 = problem.model.init(2 * cfg.pairs, generator(seed, f"width={width}/endpoints"),
                            device=problem.device)
    # the fixed level rule trains the endpoints to λ (ll:thm-fixed-level's regime)
    target = cfg.level if cfg.level_rule == "fixed" else None
    ends = train(problem, p0, target=target, **cfg.training).p
    return problem, reference, ends


def paths_config(cfg: PairsConfig, setting: str | None) -> PairsConfig:
    """The settings the paths of a pair are measured under: `cfg` itself, or `cfg` with the
    one change of a sensitivity-grid `setting` (experiments/sensitivity.py; the endpoints
    stay those of `cfg`)."""
    if setting is None:
        return cfg
    resolved = dataclasses.replace(cfg, bead_steps=cfg.bead_steps or cfg.steps)
    return sensitivity.variant(resolved, setting, bead_steps="bead_steps")


def measure_batch(cfg: PairsConfig, width: int, pair_ids: list[int], seed: int,
                  device: str, certificates: str | None = None,
                  setting: str | None = None) -> list[dict[str, Any]]:
    """One task: the records of pairs `pair_ids` at width m (`certificates`: a folder
    that gets each pair's certificates, `experiments.certificates.pair_folder`; `setting`:
    recompute the paths of the same endpoints under one setting of the sensitivity grid,
    records marked with it)."""
    problem, reference, ends = _width_setup(cfg, width, seed, device)
    paths = paths_config(cfg, setting)
    A = ends[[2 * k for k in pair_ids]]
    B = ends[[2 * k + 1 for k in pair_ids]]
    problem64 = problem.with_dtype(torch.float64)
    F_ends = problem64.F(ends.double())
    levels = barrier.levels_of(paths, F_ends[[2 * k for k in pair_ids]],
                               F_ends[[2 * k + 1 for k in pair_ids]], float(F_ends.min()))
    rows = compare_pairs(
        problem, A, B, reference=reference, dss=dss_options(paths), method=cfg.sparsify,
        draws=cfg.draws, refit_steps=cfg.refit_steps, negative_control=cfg.negative_control,
        generator=generator(seed, f"width={width}/pairs={pair_ids[0]}"), levels=levels,
        certificates=None if certificates is None else
        [pair_folder(Path(certificates), width, k) for k in pair_ids])
    D_X = data_scale(problem.X)
    marks = {} if setting is None else {"setting": setting}
    return [{"width": width, "pair_id": k, "loss": cfg.loss, "kappa": cfg.kappa, "D_X": D_X,
             **marks, **r} for k, r in zip(pair_ids, rows, strict=True)]


def tasks(run: Run, certificates: Path | None = None) -> list[Task]:
    """One task per (width, batch of pairs) of `run` (its config a `PairsConfig`), in order
    (`certificates`: see `measure_batch`; it writes files beside the records and changes
    no record). Each task gets the run's root seed and derives its generators from it."""
    cfg, cert = run.config, None if certificates is None else str(certificates)
    return [Task(f"width={m}/pairs={c.start}", measure_batch,
                 {"cfg": cfg, "width": m, "pair_ids": list(c), "seed": run.seed,
                  "device": run.device, "certificates": cert})
            for m in cfg.widths for c in chunks(cfg.pairs, cfg.batch)]


def sensitivity_tasks(run: Run) -> list[Task]:
    """The sensitivity grid: the first `cfg.sensitivity_pairs` pairs of every width under
    the baseline and each setting of `cfg.sensitivity`, one task per (width, setting,
    batch), grouped by width so that a process trains each width's endpoints once. The
    baseline is recomputed in the grid's own batches: the constructive path's Maurey draws
    come from one generator per batch, so a batch of other pairs draws differently, and
    only a baseline in the same batches isolates the effect of each setting."""
    cfg = run.config
    return [Task(f"sensitivity/{name}/width={m}/pairs={c.start}", measure_batch,
                 {"cfg": cfg, "width": m, "pair_ids": list(c), "seed": run.seed,
                  "device": run.device, "setting": name})
            for m in cfg.widths for name in (sensitivity.BASELINE, *cfg.sensitivity)
            for c in chunks(cfg.sensitivity_pairs, cfg.batch)] if cfg.sensitivity_pairs else []
