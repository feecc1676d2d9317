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

import functools
from dataclasses import dataclass
from typing import Any

import torch

from experiments.reproduce._common import chunks
from experiments.reproduce._runner import Task
from experiments.run import generator
from numerics import (
    METHODS,
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
    reference_width,
    train,
    train_reference,
)
from theory.errors import InvalidArgumentError
from theory.losses import get_loss

DATASETS = ("moons", "cancer", "blobs", "teacher")


@dataclass(frozen=True)
class PairsConfig:
    """Every setting of the pairs pipeline that can change a record.

    - data: `dataset`, `n_samples` (samples before the train/test split; None: the
      loader's default), `train_fraction` (N = train_fraction · n_samples), `n_features`
      (input dimension for blobs/teacher), `teacher_width`, `teacher_task` ("binary" or
      "regression");
    - model and objective: `widths` (m ≥ 2 each), `loss` (catalogue name), `kappa` κ;
    - training: `steps`, `lr` (endpoints, reference starts and beads);
    - the constructive path: `l` (None: ⌊m/2⌋), `sparsify` ("sampling" or "pruning"),
      `draws` (best of S Maurey draws), `refit_steps`;
    - DSS: `tol` (certificate tolerance), `max_depth`, `grid` (first points per segment),
      `max_points` (point budget per segment), `bead_fraction` (beads trained to
      `bead_fraction`·λ; 1 is Algorithm 1's "down to the level", FB17's code used 0.98);
    - `pairs` P per width, `batch` pairs per task (records are saved per batch);
    - `negative_control`: allow a loss lacking the hypotheses (no certificate then);
    - `resamples`: bootstrap resamples of the width-slope CIs (the width sweep's report).
    """

    widths: tuple[int, ...]
    pairs: int
    dataset: str = "moons"
    loss: str = "bce_logit"
    kappa: float = 1e-2
    l: int | None = None
    draws: int = 32
    sparsify: str = "sampling"
    refit_steps: int = 200
    steps: int = 500
    lr: float = 0.01
    tol: float = 1e-3
    max_depth: int = 10
    grid: int = 9
    max_points: int = 4096
    bead_fraction: float = 1.0
    batch: int = 16
    n_samples: int | None = None
    n_features: int | None = None
    teacher_width: int | None = None
    teacher_task: str | None = None
    train_fraction: float | None = None
    negative_control: bool = False
    resamples: int = 2000

    def __post_init__(self) -> None:
        if self.dataset not in DATASETS:
            raise InvalidArgumentError(
                f"unknown data set {self.dataset!r}; known: {', '.join(DATASETS)}")
        if self.sparsify not in METHODS:
            raise InvalidArgumentError(f"sparsify must be one of {METHODS}, got {self.sparsify!r}")
        if not self.widths or any(m < 2 for m in self.widths):
            raise InvalidArgumentError(f"every width must be ≥ 2, got {self.widths}")
        for m in self.widths:
            reference_width(m, self.l)
        for name in ("pairs", "draws", "steps", "batch", "max_depth"):
            if getattr(self, name) < 1:
                raise InvalidArgumentError(f"{name} must be ≥ 1, got {getattr(self, name)}")
        if self.refit_steps < 0:
            raise InvalidArgumentError(f"refit_steps must be ≥ 0, got {self.refit_steps}")
        # the DSS settings, checked where they are defined
        self.dss_options()
        for name in ("kappa", "lr", "tol"):
            value = getattr(self, name)
            if not (value > 0 and value < float("inf")):
                raise InvalidArgumentError(f"{name} must be a positive finite number, got {value}")

    def dss_options(self) -> DSSConfig:
        """The DSS settings of the pipeline (beads trained with `training`)."""
        return DSSConfig(tol=self.tol, max_depth=self.max_depth, grid=self.grid,
                         max_points=self.max_points, bead_fraction=self.bead_fraction,
                         train_kwargs=self.training)

    @property
    def training(self) -> dict[str, Any]:
        """`numerics.train` keyword arguments of the endpoints and the DSS beads."""
        return {"steps": self.steps, "lr": self.lr, "plateau": (0.9, 20)}

    def data_kwargs(self, seed: int) -> dict[str, Any]:
        """Keyword arguments of the data set's loader (only the settings that were given)."""
        given = {"n_samples": self.n_samples, "n_features": self.n_features,
                 "width_k": self.teacher_width, "task": self.teacher_task,
                 "train_fraction": self.train_fraction}
        return {"seed": seed, **{k: v for k, v in given.items() if v is not None}}


def pair_measures(cp: ConstructivePath, dss: DSSResult) -> dict[str, Any]:
    """The measurements of one pair (the columns of pairs.csv after the identifiers)."""
    return {
        "level": cp.level,
        "F_A": cp.F_A,
        "F_B": cp.F_B,
        "dss_connected": bool(dss.connected),
        "dss_beads": int(dss.beads),
        # every segment of the final string certified to the tolerance (certified − sampled)
        "dss_certificates_converged": bool(dss.certificate.segments.converged.all()),
        "dss_sampled_max": dss.certificate.sampled_max,
        "dss_certified_max": dss.certificate.certified_max,
        "dss_normalized_length": float(dss.normalized_length),
        "constructive_max": cp.max_F,
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
        # a certified upper bound of bar_m(A, B): the better of the two paths
        "barrier_upper": min(dss.certificate.certified_max, cp.max_F) - cp.level,
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
) -> list[dict[str, Any]]:
    """Constructive path and DSS for every pair; one `pair_measures` record per pair.

    **Arguments**
    - `A`, `B`: endpoints, shape `(pairs, P)`; `reference`: the width-l reference (its
      width fixes l); `generator`: CPU generator for the Maurey draws.
    - `dss`: the DSS settings (its `train_kwargs` train the beads).
    """
    paths = constructive_paths(problem, A, B, l=reference.width, method=method, draws=draws,
                               refit_steps=refit_steps, reference=reference,
                               negative_control=negative_control, generator=generator)
    levels = torch.tensor([cp.level for cp in paths], device=problem.device)
    results = dss_batched(problem, A, B, levels, dss)
    return [pair_measures(cp, r) for cp, r in zip(paths, results, strict=True)]


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
    ends = train(problem, p0, **cfg.training).p
    return problem, reference, ends


def measure_batch(cfg: PairsConfig, width: int, pair_ids: list[int], seed: int,
                  device: str) -> list[dict[str, Any]]:
    """One task: the records of pairs `pair_ids` at width m."""
    problem, reference, ends = _width_setup(cfg, width, seed, device)
    A = ends[[2 * k for k in pair_ids]]
    B = ends[[2 * k + 1 for k in pair_ids]]
    rows = compare_pairs(
        problem, A, B, reference=reference, dss=cfg.dss_options(), method=cfg.sparsify,
        draws=cfg.draws, refit_steps=cfg.refit_steps, negative_control=cfg.negative_control,
        generator=generator(seed, f"width={width}/pairs={pair_ids[0]}"))
    D_X = data_scale(problem.X)
    return [{"width": width, "pair_id": k, "loss": cfg.loss, "kappa": cfg.kappa, "D_X": D_X,
             **r} for k, r in zip(pair_ids, rows, strict=True)]


def tasks(cfg: PairsConfig, seed: int, device: str) -> list[Task]:
    """One task per (width, batch of pairs), in order."""
    return [Task(f"width={m}/pairs={c.start}", measure_batch,
                 {"cfg": cfg, "width": m, "pair_ids": list(c), "seed": seed, "device": device})
            for m in cfg.widths for c in chunks(cfg.pairs, cfg.batch)]
