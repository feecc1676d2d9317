"""Every experiment's settings, with their domains: the one definition of each option.

Light on purpose (no torch, sympy or numpy), so that the command line and `--config`
files are checked here before any heavy import. Each field carries its domain, help text
and flag (`experiments.domains.setting`); the `gap` command line is generated from
`PairsConfig`, and a `--config` TOML file is checked field by field against the same
domains (`experiments.domains.replaced`).

- `PairsConfig`: the pairs pipeline (`gap`, E2 width-sweep);
- `SeedTableConfig` (E1), `GeometryConfig` (E3), `TopologyConfig` (E4);
- the barrier protocol's settings (docs/barrier-protocol.md): the level rule, beads
  trained toward λ − δ with δ = `bead_margin`·τ, the acceptance slack s = `accept_slack`·λ,
  the certificate tolerance τ = `tol_ratio`·s (so τ < s always), the resolution r = s + τ.

>>> PairsConfig(widths=(8,), pairs=2).resolution(0.5)
0.00055
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from experiments.domains import (
    COUNT,
    DEPTH,
    FLAG,
    FRACTION,
    GRID,
    NONNEGATIVE,
    NONNEGATIVE_COUNT,
    POSITIVE,
    PROPER_FRACTION,
    WIDTH,
    Checked,
    Choice,
    Integer,
    Many,
    Maybe,
    Pair,
    Real,
    Settings,
    Table,
    setting,
)
from experiments.sensitivity import GRID as SENSITIVITY_GRID
from experiments.sensitivity import PAIRS_GRID
from theory.errors import InvalidArgumentError

DATASETS = ("moons", "cancer", "blobs", "teacher")
SPARSIFY = ("sampling", "pruning")  # numerics.METHODS (checked equal by a test)
MAX_POINTS = 4096  # a certificate's point budget: numerics.MAX_POINTS (checked equal)
LEVEL_RULES = ("pair", "fixed", "moving")
TEACHER_TASKS = ("binary", "regression")
SCALES = ("quick", "paper", "smoke")  # smoke: tiny, for the test-suite
EXPERIMENTS = ("seed-table", "width-sweep", "fb-geometry", "topology-contrast",
               "digits-geometry")


def _loss(value: Any) -> str:
    from theory.loss_names import check_loss_name

    if not isinstance(value, str):
        raise InvalidArgumentError(f"expected a loss name, got {value!r}")
    return check_loss_name(value)


LOSS = Checked(_loss, "a catalogue loss name (bce_logit, logistic, hinge, huber(δ), …)")


@dataclass(frozen=True)
class Protocol(Settings):
    """The barrier protocol (docs/barrier-protocol.md), shared by every experiment that
    measures barriers: how the level is chosen, how beads are trained, and what a
    certificate must resolve."""

    level_rule: str = setting(Choice(LEVEL_RULES), "level λ of each pair: pair = max{F(A), "
                              "F(B)}; fixed = --level for every width (endpoints trained "
                              "to it); moving = ê(m) + --level-offset", default="pair")
    level: float | None = setting(Maybe(POSITIVE), "λ of the fixed level rule", default=None)
    level_offset: float | None = setting(Maybe(POSITIVE), "Δ of the moving level rule, "
                                         "λ_m = ê(m) + Δ", default=None)
    accept_slack: float = setting(Real(gt=0, lt=0.5), "acceptance slack s/λ: a segment is "
                                  "accepted when its certified maximum is ≤ λ + s",
                                  default=1e-3)
    tol_ratio: float = setting(PROPER_FRACTION, "certificate tolerance τ as a fraction of "
                               "the slack s (τ < s, so certificates never decide by their "
                               "own slack)", default=0.1)
    bead_margin: float = setting(Real(ge=5), "beads are trained toward λ − δ with δ = "
                                 "bead_margin·τ (≥ 5)", default=5.0)
    bead_fraction: float = setting(FRACTION, "beads are trained to min(F·λ, λ − δ) "
                                   "(1: the margin rule; FB17's code: 0.98)", default=1.0)
    stop_unreached: bool = setting(FLAG, "a bead that does not reach λ stops its string "
                                   "(the pair is inconclusive) instead of doubling it",
                                   default=True, cli=False)

    def check(self) -> None:
        if self.level_rule == "fixed" and self.level is None:
            raise InvalidArgumentError("the fixed level rule needs level = λ > 0")
        if self.level_rule == "moving" and self.level_offset is None:
            raise InvalidArgumentError("the moving level rule needs level_offset = Δ > 0")

    def slack(self, level: float) -> float:
        """s = accept_slack·λ."""
        return self.accept_slack * level

    def tolerance(self, level: float) -> float:
        """τ = tol_ratio·s."""
        return self.tol_ratio * self.slack(level)

    def resolution(self, level: float) -> float:
        """r = s + τ: a certified gap ≤ r is written "≤ r" (DSS cannot resolve it)."""
        return self.slack(level) + self.tolerance(level)


@dataclass(frozen=True)
class PairsConfig(Protocol):
    """Every setting of the pairs pipeline that can change a record.

    - data: `dataset`, `n_samples` (samples before the train/test split; None: the
      loader's default), `train_fraction`, `n_features` (blobs/teacher), `teacher_width`,
      `teacher_task` ("binary" or "regression");
    - model and objective: `widths` (m ≥ 2 each), `loss`, `kappa` κ;
    - training: `steps`, `lr` (endpoints and reference starts), `bead_steps` (beads);
    - the constructive path: `l` (None: ⌊m/2⌋), `sparsify`, `draws`, `refit_steps`;
    - DSS: `max_depth`, `grid`, `max_points`, and the protocol (`Protocol`);
    - `pairs` P per width, `batch` pairs per task (records are saved per batch);
    - `negative_control`: allow a loss lacking the hypotheses (no certificate then);
    - `resamples`: bootstrap resamples of the report's CIs.
    """

    widths: tuple[int, ...] = setting(Many(WIDTH, increasing=True), "widths m ≥ 2",
                                      default=(16,), cli=False)
    pairs: int = setting(COUNT, "disjoint endpoint pairs P (2P models are trained)",
                         default=16, flag="--pairs")
    dataset: str = setting(Choice(DATASETS), "data set", default="moons")
    loss: str = setting(LOSS, "catalogue loss (bce_logit, logistic, hinge, absolute, "
                        "huber(δ), …)", default="bce_logit")
    kappa: float = setting(POSITIVE, "κ > 0 (ℓ1 weight of the output layer)", default=1e-2)
    l: int | None = setting(Maybe(COUNT), "reference width l, 1 ≤ l < m (default ⌊m/2⌋)",
                            default=None)
    draws: int = setting(COUNT, "Maurey draws per endpoint (best of S)", default=32)
    sparsify: str = setting(Choice(SPARSIFY), "sparsification of the constructive path",
                            default="sampling")
    refit_steps: int = setting(NONNEGATIVE_COUNT, "Adam steps refitting the kept "
                               "coefficients at fixed W (0: none)", default=200)
    steps: int = setting(Integer(1, 10**7), "Adam steps of the endpoints and the reference",
                         default=500)
    lr: float = setting(POSITIVE, "Adam learning rate", default=0.01)
    plateau_patience: int = setting(COUNT, "Adam steps without a 0.01 % improvement of F "
                                    "before the learning rate is cut by 0.9", default=20)
    bead_steps: int | None = setting(Maybe(Integer(1, 10**7)), "Adam steps of each DSS bead "
                                     "(default: --steps)", default=None)
    max_depth: int = setting(DEPTH, "DSS depth limit (bead generations)", default=10)
    grid: int = setting(GRID, "DSS: first points of each segment's certificate (≥ 2)",
                        default=9)
    max_points: int = setting(GRID, "DSS: point budget of each segment's certificate "
                              "(≥ --grid)", default=MAX_POINTS)
    batch: int = setting(COUNT, "pairs per task (results are saved after each batch)",
                         default=16)
    n_samples: int | None = setting(Maybe(Integer(2, 10**7)), "data set size N before the "
                                    "train/test split (moons, blobs, teacher)", default=None,
                                    flag="--samples")
    n_features: int | None = setting(Maybe(Integer(1, 10**5)), "input dimension (blobs, "
                                     "teacher)", default=None, flag="--features")
    teacher_width: int | None = setting(Maybe(COUNT), "teacher width (teacher)", default=None)
    teacher_task: str | None = setting(Maybe(Choice(TEACHER_TASKS)), "teacher task",
                                       default=None, cli=False)
    train_fraction: float | None = setting(Maybe(FRACTION),
                                           "training fraction of the samples", default=None,
                                           cli=False)
    negative_control: bool = setting(FLAG, "allow a loss lacking the hypotheses (no "
                                     "certificate then)", default=False)
    resamples: int = setting(Integer(10, 10**6), "bootstrap resamples of the report's CIs",
                             default=2000, cli=False)
    sensitivity_pairs: int = setting(NONNEGATIVE_COUNT, "pairs per width whose paths are "
                                     "recomputed under each setting of the sensitivity grid "
                                     "(0: no grid)", default=0, cli=False)
    sensitivity: tuple[str, ...] = setting(Many(Choice(PAIRS_GRID)), "settings of the "
                                           "sensitivity grid (experiments/sensitivity.py)",
                                           default=PAIRS_GRID, cli=False)

    def check(self) -> None:
        super().check()
        if self.sensitivity_pairs > self.pairs:
            raise InvalidArgumentError(f"sensitivity_pairs must be ≤ pairs ({self.pairs}), "
                                       f"got {self.sensitivity_pairs}")
        if self.max_points < self.grid:
            raise InvalidArgumentError(
                f"max_points must be ≥ grid, got grid={self.grid}, max_points={self.max_points}")
        if self.l is not None and any(not self.l < m for m in self.widths):
            raise InvalidArgumentError(
                f"the reference width l (--l) must satisfy 1 ≤ l < m for every width, got "
                f"l={self.l}"
                f", widths={self.widths}")
        for name, value, datasets in (("n_samples", self.n_samples, ("moons", "blobs",
                                                                      "teacher")),
                                      ("n_features", self.n_features, ("blobs", "teacher")),
                                      ("teacher_width", self.teacher_width, ("teacher",)),
                                      ("teacher_task", self.teacher_task, ("teacher",))):
            if value is not None and self.dataset not in datasets:
                raise InvalidArgumentError(f"{name} applies to {', '.join(datasets)} only, "
                                           f"not to dataset {self.dataset}")

    @property
    def training(self) -> dict[str, Any]:
        """`numerics.train` keyword arguments of the endpoints and the reference."""
        return {"steps": self.steps, "lr": self.lr, "plateau": (0.9, self.plateau_patience)}

    @property
    def bead_training(self) -> dict[str, Any]:
        """`numerics.train` keyword arguments of the DSS beads."""
        return {**self.training, "steps": self.bead_steps or self.steps}

    def data_kwargs(self, seed: int) -> dict[str, Any]:
        """Keyword arguments of the data set's loader in a run with root seed `seed` (its
        data seed, `experiments.run.data_seed`, and only the settings that were given)."""
        from experiments.run import data_seed

        given = {"n_samples": self.n_samples, "n_features": self.n_features,
                 "width_k": self.teacher_width, "task": self.teacher_task,
                 "train_fraction": self.train_fraction}
        return {"seed": data_seed(seed, self.dataset),
                **{k: v for k, v in given.items() if v is not None}}

    def footprint(self) -> dict[str, int]:
        """The sizes of the memory estimate (`experiments._cli_common.check_memory`)."""
        return {"models": 2 * self.pairs, "width": max(self.widths),
                "samples": self.n_samples or 1000,
                "features": 30 if self.dataset == "cancer" else self.n_features or 2}


@dataclass(frozen=True)
class SeedTableConfig(Protocol):
    """E1 settings: data sets and widths, models trained (legacy draws pairs among them),
    pairs measured, training (`steps` epochs, lr, plateau (factor, patience), κ), DSS
    (`grid` points per legacy segment, depth, `bead_steps`), pairs per task (`batch`),
    resamples of the statistics. `corrected_grid`: the corrected variant's first points per
    segment (its certificate refines them near the maximum). The corrected arm follows the
    barrier protocol (`Protocol`); the legacy arm is the published protocol."""

    datasets: tuple[str, ...] = setting(Many(Choice(("moons", "cancer"))), "data sets",
                                        default=("moons", "cancer"))
    widths: tuple[int, ...] = setting(Many(WIDTH, increasing=True), "widths",
                                      default=(20, 200))
    models: int = setting(Integer(2, 10**6), "models trained for the legacy arm",
                          default=1000)
    pairs: int = setting(COUNT, "pairs per width", default=200)
    steps: int = setting(Integer(1, 10**7), "training epochs of the endpoints", default=150)
    lr: float = setting(POSITIVE, "Adam learning rate", default=0.01)
    plateau: tuple[float, int] = setting(Pair(PROPER_FRACTION, COUNT),
                                         "ReduceLROnPlateau (factor, patience)",
                                         default=(0.9, 10))
    kappa: float = setting(POSITIVE, "κ > 0", default=1e-3)
    grid: int = setting(GRID, "legacy grid points per segment", default=200)
    max_depth: int = setting(DEPTH, "DSS depth limit", default=8)
    bead_steps: int = setting(Integer(1, 10**7), "training epochs of each legacy bead "
                              "(the published 150)", default=150)
    corrected_bead_steps: int = setting(Integer(1, 10**7), "training epochs of each "
                                        "corrected bead (the protocol needs beads that reach "
                                        "λ − δ: 5× the published budget)", default=750)
    batch: int = setting(COUNT, "pairs per task", default=20)
    resamples: int = setting(Integer(10, 10**6), "resamples of the statistics", default=2000)
    corrected_grid: int = setting(GRID, "corrected arm's first points per segment",
                                  default=9)
    sensitivity_pairs: int = setting(NONNEGATIVE_COUNT, "corrected pairs per width whose "
                                     "paths are recomputed under each setting of the "
                                     "sensitivity grid (0: no grid)", default=32)
    sensitivity: tuple[str, ...] = setting(Many(Choice(SENSITIVITY_GRID)), "settings of the "
                                           "sensitivity grid (experiments/sensitivity.py)",
                                           default=SENSITIVITY_GRID)
    # the corrected arm's family (b), the proof's constructive path on the augmented ball
    # model (numerics/_bias_map.py); off by default, the behaviour of runs recorded before it
    constructive: bool = setting(FLAG, "corrected pairs also get the constructive path "
                                 "(ll:zero-radius on the augmented ball model, reference "
                                 "width ⌊m/2⌋), certified on the bias model's F",
                                 default=False, cli=False)
    draws: int = setting(COUNT, "Maurey draws per endpoint of the constructive path "
                         "(best of S)", default=32)
    sparsify: str = setting(Choice(SPARSIFY), "sparsification of the constructive path",
                            default="sampling")
    refit_steps: int = setting(NONNEGATIVE_COUNT, "Adam steps refitting the kept "
                               "coefficients at fixed rows (0: none)", default=200)
    reference_starts: int = setting(COUNT, "starts of the width-⌊m/2⌋ bias reference "
                                    "(the best is kept)", default=8)
    reference_steps: int = setting(Integer(1, 10**7), "training epochs of each reference "
                                   "start (lr and plateau as the endpoints')", default=1000)

    def check(self) -> None:
        super().check()
        if self.level_rule == "moving":
            raise InvalidArgumentError("E1 has no reference loss ê(m): level_rule must be "
                                       "pair or fixed, not moving")
        if self.sensitivity_pairs > self.pairs:
            raise InvalidArgumentError(f"sensitivity_pairs must be ≤ pairs ({self.pairs}), "
                                       f"got {self.sensitivity_pairs}")

    def footprint(self) -> dict[str, int]:
        return {"models": max(self.models, 2 * self.pairs), "width": max(self.widths),
                "samples": 1000, "features": 30 if "cancer" in self.datasets else 2}


GEOMETRY_TASKS = ("fb_quadratic", "fb_cubic", "moons_relu")
POLYNOMIAL_TASKS = ("fb_quadratic", "fb_cubic")  # fitted by the 1-4-4-1 sigmoid MLP
MLP_OUTPUTS = ("linear", "sigmoid")  # numerics.sigmoid_mlp's output units


@dataclass(frozen=True)
class GeometryConfig(Settings):
    """E3 settings: tasks, pairs per level, training and bead steps (with their learning
    rates and ReduceLROnPlateau), DSS depth, the ReLU task's width and κ, the polynomial
    tasks' MLP (output unit, biases: [FB17]'s code per task), the target losses L0 per
    task."""

    tasks: tuple[str, ...] = setting(Many(Choice(GEOMETRY_TASKS)), "tasks",
                                     default=GEOMETRY_TASKS)
    pairs: int = setting(COUNT, "pairs per level", default=8)
    steps: int = setting(Integer(1, 10**7), "endpoint training steps", default=20000)
    bead_steps: int = setting(Integer(1, 10**7), "bead training steps", default=4000)
    max_depth: int = setting(DEPTH, "DSS depth limit", default=10)
    relu_width: int = setting(WIDTH, "width of the ReLU task", default=16)
    kappa: float = setting(POSITIVE, "κ of the ReLU task", default=1e-3)
    # [FB17]'s QUADRATICS.py: no biases, a sigmoid output unit; CUBICS.py: biases, linear
    mlp_output: dict[str, str] = setting(
        Table(POLYNOMIAL_TASKS, Choice(MLP_OUTPUTS)), "output unit of each polynomial "
        "task's sigmoid MLP", factory=lambda: {"fb_quadratic": "sigmoid", "fb_cubic": "linear"})
    mlp_biases: dict[str, bool] = setting(
        Table(POLYNOMIAL_TASKS, FLAG), "whether each polynomial task's sigmoid MLP has "
        "biases", factory=lambda: {"fb_quadratic": False, "fb_cubic": True})
    levels: dict[str, tuple[float, ...]] = setting(
        Table(GEOMETRY_TASKS, Many(POSITIVE)), "levels λ per task ([FB17]'s thresholds L0: "
        "endpoints trained to F ≤ λ)", factory=dict)
    lr: dict[str, float] = setting(Table(GEOMETRY_TASKS, POSITIVE), "learning rate per task",
                                   factory=lambda: dict.fromkeys(GEOMETRY_TASKS, 0.02))
    plateau: tuple[float, int] = setting(Pair(PROPER_FRACTION, COUNT),
                                         "ReduceLROnPlateau (factor, patience)",
                                         default=(0.9, 50))
    stop_unreached: bool = setting(FLAG, "a bead that does not reach 0.98·L0's acceptance "
                                   "level stops its string (the pair is inconclusive and "
                                   "its length unmeasured) instead of doubling it to "
                                   "2^depth beads", default=True)

    def check(self) -> None:
        for name, table, tasks in (
                ("levels", self.levels, self.tasks), ("lr", self.lr, self.tasks),
                ("mlp_output", self.mlp_output, set(self.tasks) & set(POLYNOMIAL_TASKS)),
                ("mlp_biases", self.mlp_biases, set(self.tasks) & set(POLYNOMIAL_TASKS))):
            missing = sorted(t for t in tasks if t not in table)
            if missing:
                raise InvalidArgumentError(f"{name} has no entry for task(s) {missing}")

    def footprint(self) -> dict[str, int]:
        return {"models": 2 * self.pairs, "width": self.relu_width, "samples": 1000,
                "features": 2}


@dataclass(frozen=True)
class TopologyConfig(Settings):
    """E4 settings: deep-linear pairs and their training steps, the [FB17]
    counterexample's κ, bead and endpoint steps of the width-2 ReLU model, DSS depth."""

    pairs: int = setting(COUNT, "deep-linear pairs", default=20)
    steps: int = setting(Integer(1, 10**7), "deep-linear endpoint training steps",
                         default=5000)
    kappa_counterexample: float = setting(NONNEGATIVE, "κ of the counterexample",
                                          default=1e-3)
    bead_steps: int = setting(Integer(1, 10**7), "bead training steps of every DSS run",
                              default=500)
    lr: float = setting(POSITIVE, "Adam learning rate of endpoints and beads", default=0.01)
    max_depth: int = setting(DEPTH, "DSS depth limit", default=10)

    def footprint(self) -> dict[str, int]:
        return {"models": 2 * self.pairs, "width": 6, "samples": 1000, "features": 4}


@dataclass(frozen=True)
class DigitsConfig(Protocol):
    """E5 settings (real images): widths and target training losses L0 of the
    one-hidden-layer ReLU net on the bundled 8×8 digits (odd vs even), endpoint pairs per
    (width, L0), training, DSS and the barrier protocol (`Protocol`: the level is L0)."""

    widths: tuple[int, ...] = setting(Many(WIDTH, increasing=True), "widths",
                                      default=(8, 32, 128))
    levels: tuple[float, ...] = setting(Many(POSITIVE), "levels λ (endpoints trained to "
                                        "F ≤ λ; [FB17]'s L0)",
                                        default=(0.5, 0.3, 0.15, 0.05))
    pairs: int = setting(COUNT, "endpoint pairs per (width, L0)", default=10)
    kappa: float = setting(POSITIVE, "κ > 0", default=1e-3)
    steps: int = setting(Integer(1, 10**7), "Adam steps of the endpoints", default=3000)
    bead_steps: int = setting(Integer(1, 10**7), "Adam steps of each bead", default=1000)
    lr: float = setting(POSITIVE, "Adam learning rate", default=0.01)
    max_depth: int = setting(DEPTH, "DSS depth limit", default=8)
    grid: int = setting(GRID, "first points of each segment's certificate", default=9)
    max_points: int = setting(GRID, "point budget of each segment's certificate",
                              default=MAX_POINTS)
    resamples: int = setting(Integer(10, 10**6), "bootstrap resamples of the CIs",
                             default=2000)

    def check(self) -> None:
        super().check()
        if self.level_rule != "pair" or self.level is not None or self.level_offset is not None:
            raise InvalidArgumentError("E5's level is each cell's L0: level_rule, level and "
                                       "level_offset do not apply (leave them unset)")

    def footprint(self) -> dict[str, int]:
        return {"models": 2 * self.pairs, "width": max(self.widths), "samples": 1797,
                "features": 65}


def config_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


_L0_PAPER = (0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.125)
# every experiment's configuration per scale (quick: minutes; paper: the published sizes;
# smoke: a tiny run for the test-suite)
PRESETS: dict[str, dict[str, Any]] = {
    "seed-table": {
        "quick": SeedTableConfig(models=10, pairs=5, grid=50, max_depth=3, batch=5,
                                 sensitivity_pairs=3, constructive=True),
        "smoke": SeedTableConfig(datasets=("moons",), widths=(4, 8), models=4, pairs=2,
                                 steps=20, grid=10, max_depth=1, bead_steps=10,
                                 corrected_bead_steps=10, batch=1, resamples=50,
                                 corrected_grid=10, sensitivity_pairs=2,
                                 sensitivity=("bead-fraction-0.98", "level-fixed"),
                                 constructive=True, draws=2, refit_steps=5,
                                 reference_starts=2, reference_steps=20),
        "paper": SeedTableConfig(constructive=True),
    },
    "width-sweep": {
        "quick": PairsConfig(widths=(4, 16, 64), pairs=3, steps=300, draws=16, max_depth=3,
                             resamples=1000, sensitivity_pairs=2),
        "smoke": PairsConfig(widths=(4, 8), pairs=2, steps=20, draws=2, max_depth=1,
                             resamples=50, sensitivity_pairs=1,
                             sensitivity=("bead-fraction-0.98", "depth-12")),
        "paper": PairsConfig(widths=(4, 8, 16, 32, 64, 128, 256, 512), pairs=20, steps=2000,
                             draws=64, max_depth=10, resamples=2000),
    },
    "fb-geometry": {
        "quick": GeometryConfig(pairs=2, steps=3000, bead_steps=600, max_depth=6,
                                levels={"fb_quadratic": (0.1, 0.05, 0.025, 0.01),
                                        "fb_cubic": (0.125, 0.075, 0.05, 0.025),
                                        "moons_relu": (0.4, 0.3, 0.25, 0.2)}),
        "smoke": GeometryConfig(tasks=("fb_quadratic", "moons_relu"), pairs=1, steps=100,
                                bead_steps=20, max_depth=1, relu_width=4,
                                levels={"fb_quadratic": (0.2,), "moons_relu": (0.6,)}),
        # ≥ 10 pairs per L0; the cubic task through its regime change near 0.157, up to 0.2
        "paper": GeometryConfig(pairs=10, levels={
            "fb_quadratic": _L0_PAPER,
            "fb_cubic": (*_L0_PAPER, 0.15, 0.157, 0.165, 0.175, 0.2),
            "moons_relu": (0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15)}),
    },
    "topology-contrast": {
        "quick": TopologyConfig(pairs=3, steps=1500, max_depth=6),
        "smoke": TopologyConfig(pairs=1, steps=50, max_depth=1),
        "paper": TopologyConfig(),
    },
    "digits-geometry": {
        "quick": DigitsConfig(widths=(8, 64), levels=(0.4, 0.15), pairs=2, steps=1500,
                              bead_steps=300, max_depth=4, resamples=500),
        "smoke": DigitsConfig(widths=(4, 8), levels=(0.6,), pairs=1, steps=100, bead_steps=20,
                              max_depth=1, resamples=50),
        "paper": DigitsConfig(),
    },
}
_E2_PAPER = PRESETS["width-sweep"]["paper"]
DESIGNS: dict[str, dict[str, Any]] = {
    "width-sweep": {
        # the paper-scale sweep in ll:thm-fixed-level's regime: one λ above e_∞ (and above
        # e(4)) for every width, endpoints trained to it; theory O(1/m)
        "paper-fixed": dataclasses.replace(_E2_PAPER, level_rule="fixed", level=0.34,
                                           sensitivity_pairs=8),
        # the moving-level regime λ_m = ê(m) + Δ (ê(m): the best width-m endpoint);
        # theory O(m^{-1/2}) (ll:cor-moving-level)
        "paper-moving": dataclasses.replace(_E2_PAPER, level_rule="moving",
                                            level_offset=0.02, sensitivity_pairs=8),
        # [B26]'s theory-aligned design: a width-3 regression teacher in dimension 2,
        # N = 384 training samples, Huber δ = 1/4 (L = δ), κ = 0.002, DSS depth 7,
        # certificates from 33 points refined up to 513 per segment
        "teacher-huber": PairsConfig(
            widths=(8, 16, 32, 64), pairs=6, dataset="teacher", n_samples=384,
            train_fraction=1.0, n_features=2, teacher_width=3, teacher_task="regression",
            loss="huber(1/4)", kappa=0.002, max_depth=7, grid=33, max_points=513,
            steps=500, draws=32, resamples=2000),
    },
}


def preset(experiment: str, scale: str = "quick", *, design: str | None = None,
           overrides: dict[str, Any] | None = None, pairs: int | None = None,
           where: str = "") -> Any:
    """The configuration of `experiment` at `scale` (or its named `design`), with the
    fields in `overrides` replaced and checked against their domains (`where` names their
    source in errors, e.g. "--config FILE") and the pair count set to `pairs`."""
    from experiments.domains import COUNT, replaced

    if experiment not in PRESETS:
        raise InvalidArgumentError(
            f"unknown experiment {experiment!r}; known: {', '.join(PRESETS)}")
    if design is not None:
        designs = DESIGNS.get(experiment, {})
        if design not in designs:
            raise InvalidArgumentError(f"{experiment} has no design {design!r}; designs: "
                                       f"{', '.join(designs) or 'none'}")
        cfg = designs[design]
    elif scale not in PRESETS[experiment]:
        raise InvalidArgumentError(f"scale must be one of {SCALES}, got {scale!r}")
    else:
        cfg = PRESETS[experiment][scale]
    if overrides:
        cfg = replaced(cfg, overrides, where=where)
    if pairs is not None:
        changes = {"pairs": COUNT.check("--pairs", pairs)}
        if getattr(cfg, "sensitivity_pairs", 0) > pairs:  # the grid takes the first pairs
            changes["sensitivity_pairs"] = pairs
        cfg = replaced(cfg, changes)
    return cfg


def read_overrides(path: Any) -> dict[str, Any]:
    """Settings from a TOML file (`key = value` lines, e.g. `widths = [8, 16, 32]`)."""
    import tomllib

    try:
        return tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise InvalidArgumentError(f"--config file {path} does not exist") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidArgumentError(f"--config file {path} is not valid TOML: {exc}") from None
