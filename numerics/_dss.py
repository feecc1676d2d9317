r"""Dynamic String Sampling, [FB17] Algorithm 1, for any flat-vector `Model`.

FindConnection(θ₁, θ₂): $t^* = \arg\max_t F((1-t)\theta_1 + t\theta_2)$ (or ½); the bead
θ₃ is trained from $(1-t^*)\theta_1 + t^*\theta_2$ down to `bead_fraction`·L0 and inserted
after θ₁; each half whose maximum exceeds the acceptance threshold is treated the same
way, up to `max_depth` bead generations. As in Algorithm 1 the first bead is always
trained; accepting the straight segment A → B without a bead happens only under
`DSSConfig.straight_without_bead` (recorded in the result's config). Each bead depends only
on its own segment's ends, so the depth-first recursion (`dss_recursive`) and the
breadth-first rounds of the original code (`dss_batched`: every offending segment of every
string gets a bead each round, all beads of a round trained in one batched `train` call,
all new segments assessed in one batched call) build the same tree.

Acceptance of a segment, with threshold τ = `accept`·L0 and tolerance `accept_tol`·L0:
- "certified" (default): its certified maximum (`certified_segment_max`, float64, refined
  to the certificate tolerance `tol`) is ≤ τ + `accept_tol`·L0; a segment with a sample
  above that is offending at once. The reported barrier is always the final path's
  certified maximum, never τ or a tolerance.
- "grid": its maximum on `grid` equally spaced points is ≤ τ (the original code); no
  certificate work is done while the string grows. The final path's certified maxima are
  computed once at the end when `certify_path` is set (default).
Models without a certificate fall back to "grid"; their certified maxima are NaN.
Beads are trained in the problem's dtype; maxima and the final path are float64.
All options live in one frozen `DSSConfig`, recorded in every `DSSResult`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import cast

import torch

from numerics import _validate as check
from numerics._certify import (
    MAX_POINTS,
    PathMax,
    SegmentMax,
    certified_segment_max,
    has_certificate,
    segment_values,
)
from numerics._path import Path, SegmentKind
from numerics._problem import Problem
from numerics._train import train
from theory.errors import InvalidArgumentError

GAP_DEFINITIONS = ("corrected", "legacy_b26_v1")
_ACCEPTANCE = ("certified", "grid")
_SPLITS = ("argmax", "midpoint")


@dataclass(frozen=True)
class DSSConfig:
    """Every option of DSS (both forms), with its default.

    - `split`: "argmax" (t* = argmax of F on the segment's grid) or "midpoint" (t = ½).
    - `bead_fraction`, `bead_margin`: beads are trained to min(`bead_fraction`·L0,
      L0 − `bead_margin`·τ), τ the string's certificate tolerance (the original code:
      fraction 0.98, margin 0; the barrier protocol of docs/barrier-protocol.md: fraction 1
      and a margin δ = 5τ).
    - `stop_unreached`: a bead whose F is still above L0 after training stops its string:
      no segment of it is split again, and the result is `inconclusive` (an unreached bead
      says nothing about the landscape; doubling its segments up to 2^depth beads would
      only report the bead's own excess as a gap).
    - `accept`: threshold τ = `accept`·L0 (the original code: 1.1).
    - `accept_tol`: certified acceptance allows τ + `accept_tol`·L0 (relative to the level).
    - `grid`: first points per segment (≥ 2). Under certified acceptance they start the
      certificate, which refines near the maximum, and the split is at the argmax of all
      its samples: a coarse start costs fewer points. Under grid acceptance they are the
      grid (the original code: 20).
    - `max_depth`: bead generations (d_max, ≥ 1 unless `straight_without_bead`).
    - `tol`: certificate tolerance (certified − sampled, absolute) of every segment maximum;
      `max_points`: point budget per segment (see `certified_segment_max`). Under certified
      acceptance `tol` must be below the acceptance slack s = (accept − 1 + accept_tol)·L0
      of every pair (a coarser certificate would reject segments on its own slack); None
      (default): per string, the largest power of 2 ≤ `tol_ratio`·s (`tol_ratio` < 1).
    - `acceptance`: "certified" or "grid" (module docstring).
    - `certify_path`: certify the final path (always the case under "certified").
    - `straight_without_bead`: judge the straight segment A → B first and accept it without
      a bead when it passes (not Algorithm 1; off by default).
    - `gap_definition`: "corrected" or "legacy_b26_v1" (see `gap_of`).
    - `train_kwargs`: passed to `train` (steps, lr, plateau, …), never `target`.

    >>> from numerics import DSSConfig
    >>> config = DSSConfig(max_depth=3)
    >>> config.split, config.acceptance, config.with_options(accept=1.1).accept
    ('argmax', 'certified', 1.1)
    >>> DSSConfig(split="random")
    Traceback (most recent call last):
        ...
    theory.errors.InvalidArgumentError: split must be one of ('argmax', 'midpoint'), got 'random'
    """

    split: str = "argmax"
    bead_fraction: float = 1.0
    bead_margin: float = 0.0
    stop_unreached: bool = False
    accept: float = 1.0
    accept_tol: float = 1e-3
    grid: int = 9
    max_depth: int = 10
    tol: float | None = None
    tol_ratio: float = 0.1
    max_points: int = MAX_POINTS
    acceptance: str = "certified"
    certify_path: bool = True
    straight_without_bead: bool = False
    gap_definition: str = "corrected"
    train_kwargs: dict = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        for name, value, allowed in (("split", self.split, _SPLITS),
                                     ("acceptance", self.acceptance, _ACCEPTANCE),
                                     ("gap_definition", self.gap_definition, GAP_DEFINITIONS)):
            if value not in allowed:
                raise InvalidArgumentError(f"{name} must be one of {allowed}, got {value!r}")
        check.positive("bead_fraction", self.bead_fraction)
        check.nonnegative("bead_margin", self.bead_margin)
        check.positive("accept", self.accept)
        check.nonnegative("accept_tol", self.accept_tol)
        if self.tol is not None:
            check.positive("tol", self.tol)
        if not 0 < self.tol_ratio < 1:
            raise InvalidArgumentError(f"tol_ratio must be in (0, 1), got {self.tol_ratio!r}")
        if self.grid < 2 or self.max_points < self.grid:
            raise InvalidArgumentError(f"need grid ≥ 2 and max_points ≥ grid, got "
                                       f"grid={self.grid}, max_points={self.max_points}")
        if self.max_depth < (0 if self.straight_without_bead else 1):
            raise InvalidArgumentError(
                f"max_depth must be ≥ 1 (Algorithm 1 trains at least one bead; 0 needs "
                f"straight_without_bead=True), got {self.max_depth}")
        if "target" in self.train_kwargs:
            raise InvalidArgumentError("train_kwargs must not set 'target'; DSS sets "
                                       "bead_fraction·level")
        object.__setattr__(self, "train_kwargs", dict(self.train_kwargs))

    def bead_target(self, level: float, tol: float) -> float:
        """The level beads are trained to: min(bead_fraction·L0, L0 − bead_margin·τ)."""
        return min(self.bead_fraction * level, level - self.bead_margin * tol)

    def slack(self, level: float) -> float:
        """What certified acceptance allows above L0: (accept − 1 + accept_tol)·L0."""
        return (self.accept - 1 + self.accept_tol) * level

    def with_options(self, **options) -> DSSConfig:
        """A copy with some fields replaced (unknown names raise a clear error)."""
        unknown = set(options) - {f.name for f in fields(self)}
        if unknown:
            raise InvalidArgumentError(f"unknown DSS option(s) {sorted(unknown)}; known: "
                                       f"{[f.name for f in fields(self)]}")
        return replace(self, **options)


# [FB17]'s code settings (their Algorithm 1 scripts): split at the grid's argmax, beads
# trained to 0.98·L0, a segment accepted when its grid maximum is ≤ 1.1·L0, judged on 20
# grid points per segment (their polynomial-regression scripts: 100), d_max = 10
FB17_CODE = DSSConfig(split="argmax", bead_fraction=0.98, accept=1.1, acceptance="grid",
                      grid=20, max_depth=10)


@dataclass(frozen=True)
class DSSResult:
    """One string of beads from A to B at level L0.

    - `path`: the final `Path` (float64 vertices `(V, P)`, every segment `general`).
    - `level`: L0; `bead_target`: the level beads were trained to (`DSSConfig.bead_target`).
    - `connected`: every segment accepted; `depth`: bead generations; `stopped`: a bead
      stayed above L0 and `stop_unreached` stopped the string (`inconclusive`).
    - `F_beads` `(V,)`: F at every vertex (float64); `reached`: per interior bead, whether
      training reached `bead_target` (in the training dtype).
    - `certificate`: `PathMax` of the final path (per-segment sampled/certified maxima;
      sampled only, certified NaN, under "grid" acceptance without `certify_path`).
    - `above_threshold`: the sampled maximum of every segment found above the threshold
      during the run (the values the [B26] v1 gap takes its minimum over).
    - `acceptance`: the rule actually used ("certified" or "grid"); `gap_definition`.
    - `config`: the `DSSConfig` of the run; `tol`: the certificate tolerance τ this string
      used (`DSSConfig.tol`, or derived from its slack).

    >>> import torch
    >>> from numerics import Problem, ReluNet, dss_recursive, moons
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> A, B = problem.model.init(2, torch.Generator().manual_seed(0))
    >>> level = float(problem.F(torch.stack([A, B])).max())
    >>> result = dss_recursive(problem, A, B, level, max_depth=1, train_kwargs={"steps": 20})
    >>> result.beads, result.depth, tuple(result.F_beads.shape), result.path.vertices.dtype
    (3, 1, (3,), torch.float64)
    """

    path: Path
    level: float
    bead_target: float
    connected: bool
    depth: int
    stopped: bool
    F_beads: torch.Tensor
    reached: tuple[bool, ...]
    certificate: PathMax
    above_threshold: tuple[float, ...]
    acceptance: str
    gap_definition: str
    config: DSSConfig
    tol: float

    @property
    def beads(self) -> int:
        """Number of beads, both endpoints included."""
        return self.path.vertices.shape[0]

    @property
    def depth_limited(self) -> bool:
        """Not connected, and not stopped by an unreached bead: the depth limit ended it."""
        return not self.connected and not self.stopped

    @property
    def inconclusive(self) -> bool:
        return self.stopped

    @property
    def all_reached(self) -> bool:
        return all(self.reached)

    @property
    def segment_sampled(self) -> torch.Tensor:
        return self.certificate.segments.sampled

    @property
    def segment_certified(self) -> torch.Tensor:
        return self.certificate.segments.certified

    @property
    def barrier(self) -> float:
        """Certified path maximum − max{F(A), F(B)} (NaN without a certificate)."""
        return self.certificate.certified_barrier

    @property
    def sampled_barrier(self) -> float:
        return self.certificate.sampled_barrier

    @property
    def normalized_length(self) -> float:
        return self.path.normalized_length()

    @property
    def gap(self) -> float:
        return gap_of(self, self.gap_definition)


def gap_of(result: DSSResult, definition: str = "corrected") -> float:
    """The energy gap of one DSS string.

    - "corrected": $(\\max_{\\text{path}} F - L_0)_+$ with the certified path maximum
      (NaN when there is no certificate).
    - "legacy_b26_v1" ([B26] v1 as published, docs/validation.py E1; a defect to expose): if the
      depth limit was hit, max(0, min(`above_threshold`) − L0), else 0.

    >>> import torch
    >>> from numerics import Problem, ReluNet, dss_recursive, gap_of, moons
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> A, B = problem.model.init(2, torch.Generator().manual_seed(0))
    >>> level = float(problem.F(torch.stack([A, B])).max())
    >>> result = dss_recursive(problem, A, B, level, max_depth=1, train_kwargs={"steps": 20})
    >>> gap = gap_of(result)  # (certified path max − L0)₊
    >>> gap >= 0, gap == max(0.0, result.certificate.certified_max - level)
    (True, True)
    """
    if definition == "corrected":
        excess = result.certificate.certified_max - result.level
        return excess if math.isnan(excess) else max(0.0, excess)
    if definition == "legacy_b26_v1":
        if result.connected:
            return 0.0
        return max(0.0, min(result.above_threshold) - result.level)
    raise InvalidArgumentError(
        f"gap_definition must be one of {GAP_DEFINITIONS}, got {definition!r}")


@dataclass
class _String:
    """Mutable state of one string: vertices, per-segment maxima and acceptance."""

    vertices: list[torch.Tensor]
    level: float
    rows: list[SegmentMax | None]
    accepted: list[bool | None]
    reached: list[bool]
    above: list[float] = field(default_factory=list)
    depth: int = 0
    stopped: bool = False
    tol: float = math.nan  # the certificate tolerance τ of this string (`_tolerances`)

    @classmethod
    def between(cls, pA: torch.Tensor, pB: torch.Tensor, level: float) -> _String:
        return cls([pA, pB], level, [None], [None], [])

    def row(self, j: int) -> SegmentMax:
        """Segment j's maximum, once `_assess` has measured it."""
        return cast(SegmentMax, self.rows[j])

    def measured(self) -> list[SegmentMax]:
        """Every segment's maximum, once `_assess` has measured them all."""
        return cast(list[SegmentMax], self.rows)

    def insert(self, j: int, bead: torch.Tensor, reached: bool) -> None:
        """Put `bead` inside segment j; both halves await assessment."""
        self.vertices.insert(j + 1, bead)
        self.rows[j:j + 1] = [None, None]
        self.accepted[j:j + 1] = [None, None]
        self.reached.insert(j, reached)


def _ends(strings: list[_String], segments: list[tuple[int, int]]
          ) -> tuple[torch.Tensor, torch.Tensor]:
    a = torch.stack([strings[k].vertices[j] for k, j in segments])
    b = torch.stack([strings[k].vertices[j + 1] for k, j in segments])
    return a, b


def _thresholds(problem: Problem, strings, segments, cfg: DSSConfig):
    """τ = accept·L0 and the certified acceptance bound τ + accept_tol·L0, per segment."""
    level = torch.tensor([strings[k].level for k, _ in segments], dtype=torch.float64,
                         device=problem.device)
    # $\tau = \mathrm{accept}\cdot L_0$
    return cfg.accept * level, (cfg.accept + cfg.accept_tol) * level


def _certified(problem: Problem, strings: list[_String], segments: list[tuple[int, int]],
               cfg: DSSConfig, stop_above: torch.Tensor | None = None) -> SegmentMax:
    """`certified_segment_max` of the segments, one batched call per distinct string
    tolerance τ (rows in the order of `segments`)."""
    groups: dict[float, list[int]] = {}
    for r, (k, _) in enumerate(segments):
        groups.setdefault(strings[k].tol, []).append(r)
    rows: list[SegmentMax | None] = [None] * len(segments)
    for tol, members in groups.items():
        a, b = _ends(strings, [segments[r] for r in members])
        limit = None if stop_above is None else stop_above[members]
        got = certified_segment_max(problem, a, b, tol, grid=cfg.grid,
                                    max_points=cfg.max_points, stop_above=limit)
        for i, r in enumerate(members):
            rows[r] = got.select([i])
    return SegmentMax.cat(cast(list[SegmentMax], rows))


def _sampled(problem: Problem, a, b, cfg: DSSConfig, certifiable: bool,
             tol: float) -> SegmentMax:
    """Grid maxima only, in the training dtype (no certificate work, so no float64):
    status "sampled" (or "unavailable")."""
    t = torch.linspace(0, 1, cfg.grid, dtype=torch.float64, device=problem.device)
    smax, j = segment_values(problem, a, b, t).max(-1)
    smax = smax.to(torch.float64)
    nan = torch.full_like(smax, math.nan)
    status = "sampled" if certifiable else "unavailable"
    return SegmentMax(smax, nan, t[j], nan, torch.full_like(j, cfg.grid),
                      (status,) * smax.shape[0], float(tol))


def _assess(problem: Problem, strings: list[_String], pending: list[tuple[int, int]],
            cfg: DSSConfig, certified: bool, certifiable: bool, judge: bool = True,
            last: bool = False) -> None:
    """Maxima and acceptance of segments (string k, segment j), all in one batched call.

    `judge=False` (the straight segment before Algorithm 1's first bead): grid maxima only,
    and the segment is offending whatever they are. `last`: no bead will split these
    segments, so their certificates are refined to the tolerance at once (the final path
    needs them) instead of stopping above the acceptance bound."""
    if not pending:
        return
    a, b = _ends(strings, pending)
    threshold, bound = _thresholds(problem, strings, pending, cfg)
    if certified and judge:
        rows = _certified(problem, strings, pending, cfg, None if last else bound)
        # certified max ≤ τ + accept_tol·L0
        accepted = rows.certified <= bound
    else:
        rows = _sampled(problem, a, b, cfg, certifiable,
                        min(strings[k].tol for k, _ in pending))
        accepted = (rows.sampled <= threshold) & judge
    above = rows.sampled > threshold
    for r, ((k, j), ok) in enumerate(zip(pending, accepted.tolist(), strict=True)):
        strings[k].rows[j] = rows.select([r])
        strings[k].accepted[j] = ok
        if not ok and (judge or bool(above[r])):
            strings[k].above.append(float(rows.sampled[r]))


def _beads(problem: Problem, strings: list[_String], offending: list[tuple[int, int]],
           cfg: DSSConfig) -> list[tuple[torch.Tensor, bool]]:
    """Train one bead per offending segment, all in one batched `train` call; a string
    whose bead stays above its level is stopped when `stop_unreached` is set."""
    t = torch.tensor([float(strings[k].row(j).argmax_t) if cfg.split == "argmax" else 0.5
                      for k, j in offending], dtype=torch.float64, device=problem.device)
    a, b = _ends(strings, offending)
    # $\theta_3^{(0)} = (1 - t^*)\,\theta_1 + t^*\theta_2$
    start = (1 - t)[:, None] * a + t[:, None] * b
    # min(bead_fraction·L0, L0 − δ) per bead, as Python floats: `train` puts them in its
    # own dtype
    target = [cfg.bead_target(strings[k].level, strings[k].tol) for k, _ in offending]
    result = train(problem, start, target=target, **cfg.train_kwargs)
    if cfg.stop_unreached:
        for (k, _), F in zip(offending, result.F.tolist(), strict=True):
            if F > strings[k].level:
                strings[k].stopped = True
    return list(zip(result.p.to(torch.float64).unbind(), result.reached.tolist(), strict=True))


def _finish(problem64: Problem, strings: list[_String], cfg: DSSConfig,
            certifiable: bool) -> list[DSSResult]:
    """Complete the final paths' certificates (one batched call) and build the records.

    Rows left "above" (refinement stopped early) or only "sampled" (grid acceptance) are
    certified now, when `certify_path` asks for it or acceptance was certified."""
    redo_status = {"above", "sampled"} if cfg.certify_path else {"above"}
    redo = [(k, j) for k, s in enumerate(strings) for j, row in enumerate(s.measured())
            if certifiable and row.status[0] in redo_status]
    if redo:
        rows = _certified(problem64, strings, redo, cfg)
        for r, (k, j) in enumerate(redo):
            strings[k].rows[j] = rows.select([r])
    acceptance = "certified" if certifiable and cfg.acceptance == "certified" else "grid"
    results = []
    for s in strings:
        vertices = torch.stack(s.vertices)
        path = Path(vertices, (SegmentKind.GENERAL,) * (len(s.vertices) - 1))
        F_beads = problem64.F(vertices)
        results.append(DSSResult(
            path=path, level=s.level, bead_target=cfg.bead_target(s.level, s.tol),
            connected=all(s.accepted), depth=s.depth, stopped=s.stopped, F_beads=F_beads,
            reached=tuple(s.reached),
            certificate=PathMax(path, F_beads, SegmentMax.cat(s.measured())),
            above_threshold=tuple(s.above), acceptance=acceptance,
            gap_definition=cfg.gap_definition, config=cfg, tol=s.tol,
        ))
    return results


def _setup(problem: Problem, pA: torch.Tensor, pB: torch.Tensor, levels: torch.Tensor
           ) -> tuple[Problem, list[_String], bool]:
    P = problem.model.n_params
    check.shape("pairs_A", pA, (None, P))
    check.shape("pairs_B", pB, (pA.shape[0], P))
    check.shape("levels", levels, (pA.shape[0],))
    for name, x in (("pairs_A", pA), ("pairs_B", pB), ("levels", levels)):
        check.finite(name, x)
    problem64 = problem.with_dtype(torch.float64)
    pA = pA.to(problem.device, torch.float64)
    pB = pB.to(problem.device, torch.float64)
    strings = [_String.between(a, b, float(lv))
               for a, b, lv in zip(pA.unbind(), pB.unbind(), levels.tolist(), strict=True)]
    return problem64, strings, has_certificate(problem)


def _config(config: DSSConfig | None, options: dict) -> DSSConfig:
    if config is not None and not isinstance(config, DSSConfig):
        raise InvalidArgumentError(f"config must be a DSSConfig, got {type(config).__name__}")
    config = config or DSSConfig()
    return config.with_options(**options) if options else config


def _tolerances(cfg: DSSConfig, strings: list[_String], certifiable: bool) -> None:
    """Each string's certificate tolerance τ: `tol`, or (None) the largest power of 2 that
    is ≤ tol_ratio·s for the string's own slack s (a power of 2, so that strings of
    similar levels share one batched certificate call, and a string's τ depends on its
    own level only). A given `tol` ≥ some string's slack is refused under certified
    acceptance."""
    certified = certifiable and cfg.acceptance == "certified"
    for s in strings:
        slack = cfg.slack(s.level)
        if cfg.tol is not None:
            if certified and cfg.tol >= slack:
                raise InvalidArgumentError(
                    f"certificate tolerance tol={cfg.tol:g} is not below the acceptance slack "
                    f"{slack:.3g} (= (accept − 1 + accept_tol)·L0 at L0 = {s.level:.4g}): "
                    "segments would be rejected on certificate slack alone; use a smaller "
                    "tol or a larger accept_tol")
            s.tol = cfg.tol
            continue
        if not slack > 0:
            if certified:
                raise InvalidArgumentError(
                    f"the acceptance slack (accept − 1 + accept_tol)·L0 = {slack:g} leaves no "
                    "room for a certificate tolerance; give a positive accept_tol")
            slack = 1e-3 * max(abs(s.level), 1e-12)
        s.tol = 2.0 ** math.floor(math.log2(cfg.tol_ratio * slack))


def _start(problem: Problem, strings: list[_String], cfg: DSSConfig, certifiable: bool
           ) -> None:
    """The straight segments A → B: judged only under `straight_without_bead`, else sampled
    for the first bead's t* (Algorithm 1 always trains it)."""
    certified = certifiable and cfg.acceptance == "certified"
    _assess(problem, strings, [(k, 0) for k in range(len(strings))], cfg, certified,
            certifiable, judge=cfg.straight_without_bead)


def dss_batched(problem: Problem, pairs_A: torch.Tensor, pairs_B: torch.Tensor,
                levels: torch.Tensor, config: DSSConfig | None = None,
                **options) -> list[DSSResult]:
    """Breadth-first DSS for K pairs at once (the original code's form).

    Round d trains a bead in every offending segment of every string (one batched `train`
    call), then assesses every new segment (one batched certificate call); it stops when
    every string is connected or after `max_depth` rounds (d_max).

    **Arguments**
    - `pairs_A`, `pairs_B`: endpoints $A, B\\in\\mathbb R^{K\\times P}$, shape `(K, P)`.
    - `levels`: L0 per pair, shape `(K,)` (e.g. max{F(A), F(B)}).
    - `config`: a `DSSConfig` (default `DSSConfig()`); `options`: fields of `DSSConfig`
      that replace the config's (`dss_batched(..., max_depth=3)`).

    **Returns** one `DSSResult` per pair, in order.

    >>> import torch
    >>> from numerics import Problem, ReluNet, dss_batched, moons
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> A, B = problem.model.init(4, torch.Generator().manual_seed(0)).split(2)
    >>> levels = torch.maximum(problem.F(A), problem.F(B))
    >>> results = dss_batched(problem, A, B, levels, max_depth=2, train_kwargs={"steps": 20})
    >>> len(results), all(1 <= r.depth <= 2 and r.beads >= 3 for r in results)
    (2, True)
    >>> all(r.gap >= 0 and r.acceptance == "certified" for r in results)
    True
    """
    cfg = _config(config, options)
    levels = torch.as_tensor(levels, dtype=torch.float64)
    problem64, strings, certifiable = _setup(problem, pairs_A, pairs_B, levels)
    _tolerances(cfg, strings, certifiable)
    certified = certifiable and cfg.acceptance == "certified"
    _start(problem, strings, cfg, certifiable)
    offending = [(k, 0) for k, s in enumerate(strings) if not s.accepted[0]]
    for depth in range(1, cfg.max_depth + 1):
        if not offending:
            break
        beads = _beads(problem, strings, offending, cfg)
        # insert from the right so that earlier segment indices stay valid
        for (k, j), (bead, reached) in sorted(zip(offending, beads, strict=True),
                                              key=lambda item: item[0], reverse=True):
            strings[k].insert(j, bead, reached)
            strings[k].depth = depth
        pending = [(k, j) for k, s in enumerate(strings) for j, row in enumerate(s.rows)
                   if row is None]
        _assess(problem, strings, pending, cfg, certified, certifiable,
                last=depth == cfg.max_depth)
        offending = [(k, j) for k, j in pending
                     if not strings[k].accepted[j] and not strings[k].stopped]
    return _finish(problem64, strings, cfg, certifiable)


def dss_recursive(problem: Problem, pA: torch.Tensor, pB: torch.Tensor, level: float,
                  config: DSSConfig | None = None, **options) -> DSSResult:
    """Faithful recursive Algorithm 1 for one pair (one bead trained at a time).

    **Arguments**
    - `pA`, `pB`: endpoints, shape `(P,)`; `level`: L0.
    - `config`, `options`: as in `dss_batched`.

    **Returns** a `DSSResult`.

    >>> import torch
    >>> from numerics import Problem, ReluNet, dss_recursive, moons
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> A, B = problem.model.init(2, torch.Generator().manual_seed(0))
    >>> level = float(problem.F(torch.stack([A, B])).max())
    >>> result = dss_recursive(problem, A, B, level, max_depth=2, train_kwargs={"steps": 20})
    >>> result.path.vertices[0].equal(A.double()), result.path.vertices[-1].equal(B.double())
    (True, True)
    >>> result.connected or result.depth == 2  # accepted, or stopped at d_max
    True
    """
    cfg = _config(config, options)
    problem64, strings, certifiable = _setup(
        problem, pA.reshape(1, -1), pB.reshape(1, -1),
        torch.tensor([float(level)], dtype=torch.float64))
    _tolerances(cfg, strings, certifiable)
    certified = certifiable and cfg.acceptance == "certified"
    s = strings[0]

    def find_connection(j: int, depth: int) -> None:
        if s.accepted[j] or depth > cfg.max_depth or s.stopped:
            return
        ((bead, reached),) = _beads(problem, strings, [(0, j)], cfg)
        s.insert(j, bead, reached)
        s.depth = max(s.depth, depth)
        _assess(problem, strings, [(0, j), (0, j + 1)], cfg, certified, certifiable,
                last=depth == cfg.max_depth)
        # the right half first, so that index j still names the left half afterwards
        find_connection(j + 1, depth + 1)
        find_connection(j, depth + 1)

    _start(problem, strings, cfg, certifiable)
    find_connection(0, 1)
    return _finish(problem64, strings, cfg, certifiable)[0]
