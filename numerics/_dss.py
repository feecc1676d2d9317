r"""Dynamic String Sampling, [FB17] Algorithm 1 (THEORY.md §7), for any flat-vector `Model`.

FindConnection(θ₁, θ₂): $t^* = \arg\max_t F((1-t)\theta_1 + t\theta_2)$ (or ½); the bead
θ₃ is trained from $(1-t^*)\theta_1 + t^*\theta_2$ down to `bead_fraction`·L0 and inserted
after θ₁; each half whose maximum exceeds the acceptance threshold is treated the same
way, up to `max_depth` bead generations. Each bead depends only on its own segment's ends,
so the depth-first recursion (`dss_recursive`) and the breadth-first rounds of the original
code (`dss_batched`: every offending segment of every string gets a bead each round, all
beads of a round trained in one batched `train` call) build the same tree.

Acceptance of a segment, with threshold τ = `accept`·L0:
- "certified" (default): its certified maximum (`certified_segment_max`, float64, refined
  to `tol`) is ≤ τ + `tol`; a segment with a sample above τ is offending at once. Hence a
  connected string's certified path maximum is ≤ τ + tol.
- "grid": its maximum on `grid` equally spaced points is ≤ τ (the original code; the
  certified maxima of the final path are still computed and reported).
Models without a Lipschitz certificate fall back to "grid"; their certified maxima are NaN.
Beads are trained in the problem's dtype; maxima and the final path are float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

from numerics import _validate as check
from numerics._certify import PathMax, SegmentMax, certified_segment_max, has_certificate
from numerics._path import Path, SegmentKind
from numerics._problem import Problem
from numerics._train import train

GAP_DEFINITIONS = ("corrected", "legacy_b26_v1")
_ACCEPTANCE = ("certified", "grid")
_SPLITS = ("argmax", "midpoint")


@dataclass(frozen=True)
class DSSResult:
    """One string of beads from A to B at level L0.

    - `path`: the final `Path` (float64 vertices `(V, P)`, every segment `general`).
    - `level`: L0; `bead_target`: `bead_fraction`·L0, the level beads were trained to.
    - `connected`: every segment accepted (else depth-limited); `depth`: bead generations.
    - `F_beads` `(V,)`: F at every vertex (float64); `reached`: per interior bead, whether
      training reached `bead_target` (in the training dtype).
    - `certificate`: `PathMax` of the final path (per-segment sampled/certified maxima).
    - `above_threshold`: the sampled maximum of every segment found above the threshold
      during the run (the values the [B26] v1 gap takes its minimum over).
    - `acceptance`: the rule actually used ("certified" or "grid"); `gap_definition`.
    """

    path: Path
    level: float
    bead_target: float
    connected: bool
    depth: int
    F_beads: torch.Tensor
    reached: tuple[bool, ...]
    certificate: PathMax
    above_threshold: tuple[float, ...]
    acceptance: str
    gap_definition: str

    @property
    def beads(self) -> int:
        """Number of beads, both endpoints included."""
        return self.path.vertices.shape[0]

    @property
    def depth_limited(self) -> bool:
        return not self.connected

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
    - "legacy_b26_v1" ([B26] v1 as published, THEORY.md §8 E1; a defect to expose): if the
      depth limit was hit, max(0, min(`above_threshold`) − L0), else 0.
    """
    if definition == "corrected":
        excess = result.certificate.certified_max - result.level
        return excess if math.isnan(excess) else max(0.0, excess)
    if definition == "legacy_b26_v1":
        if result.connected:
            return 0.0
        return max(0.0, min(result.above_threshold) - result.level)
    raise ValueError(f"gap_definition must be one of {GAP_DEFINITIONS}, got {definition!r}")


@dataclass(frozen=True)
class _Options:
    split: str
    bead_fraction: float
    accept: float
    grid: int
    max_depth: int
    tol: float
    max_points: int
    acceptance: str
    gap_definition: str
    train_kwargs: dict = field(compare=False)

    def __post_init__(self) -> None:
        for name, value, allowed in (("split", self.split, _SPLITS),
                                     ("acceptance", self.acceptance, _ACCEPTANCE),
                                     ("gap_definition", self.gap_definition, GAP_DEFINITIONS)):
            if value not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
        check.positive("bead_fraction", self.bead_fraction)
        check.positive("accept", self.accept)
        check.positive("tol", self.tol)
        if self.grid < 2 or self.max_points < self.grid:
            raise ValueError(f"need grid ≥ 2 and max_points ≥ grid, got grid={self.grid}, "
                             f"max_points={self.max_points}")
        if self.max_depth < 0:
            raise ValueError(f"max_depth must be ≥ 0, got {self.max_depth}")
        if "target" in self.train_kwargs:
            raise ValueError("train_kwargs must not set 'target'; DSS sets bead_fraction·level")


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

    @classmethod
    def between(cls, pA: torch.Tensor, pB: torch.Tensor, level: float) -> _String:
        return cls([pA, pB], level, [None], [None], [])

    def insert(self, j: int, bead: torch.Tensor, reached: bool) -> None:
        """Put `bead` inside segment j; both halves await assessment."""
        self.vertices.insert(j + 1, bead)
        self.rows[j:j + 1] = [None, None]
        self.accepted[j:j + 1] = [None, None]
        self.reached.insert(j, reached)


def _assess(problem64: Problem, strings: list[_String], pending: list[tuple[int, int]],
            opts: _Options, certified: bool) -> None:
    """Maxima and acceptance of segments (string k, segment j), all in one batched call."""
    if not pending:
        return
    a = torch.stack([strings[k].vertices[j] for k, j in pending])
    b = torch.stack([strings[k].vertices[j + 1] for k, j in pending])
    level = torch.tensor([strings[k].level for k, _ in pending], dtype=torch.float64,
                         device=problem64.device)
    # $\tau = \mathrm{accept}\cdot L_0$
    threshold = opts.accept * level
    if certified:
        rows = certified_segment_max(problem64, a, b, opts.tol, grid=opts.grid,
                                     max_points=opts.max_points, stop_above=threshold)
        accepted = rows.certified <= threshold + opts.tol
    else:
        rows = certified_segment_max(problem64, a, b, opts.tol, grid=opts.grid,
                                     max_points=opts.grid)
        accepted = rows.sampled <= threshold
    for r, ((k, j), ok) in enumerate(zip(pending, accepted.tolist(), strict=True)):
        strings[k].rows[j] = rows.select([r])
        strings[k].accepted[j] = ok
        if not ok:
            strings[k].above.append(float(rows.sampled[r]))


def _beads(problem: Problem, strings: list[_String], offending: list[tuple[int, int]],
           opts: _Options) -> list[tuple[torch.Tensor, bool]]:
    """Train one bead per offending segment, all in one batched `train` call."""
    t = torch.tensor([float(strings[k].rows[j].argmax_t) if opts.split == "argmax" else 0.5
                      for k, j in offending], dtype=torch.float64, device=problem.device)
    a = torch.stack([strings[k].vertices[j] for k, j in offending])
    b = torch.stack([strings[k].vertices[j + 1] for k, j in offending])
    # $\theta_3^{(0)} = (1 - t^*)\,\theta_1 + t^*\theta_2$
    start = (1 - t)[:, None] * a + t[:, None] * b
    target = torch.tensor([opts.bead_fraction * strings[k].level for k, _ in offending],
                          dtype=problem.dtype, device=problem.device)
    result = train(problem, start, target=target, **opts.train_kwargs)
    return list(zip(result.p.to(torch.float64).unbind(), result.reached.tolist(), strict=True))


def _finish(problem64: Problem, strings: list[_String], opts: _Options,
            certified: bool) -> list[DSSResult]:
    """Complete the final paths' certificates (one batched call) and build the records."""
    redo = [(k, j) for k, s in enumerate(strings) for j, row in enumerate(s.rows)
            if certified and (row.status[0] == "above"
                              or (opts.acceptance == "grid" and row.status[0] == "budget"))]
    if redo:
        a = torch.stack([strings[k].vertices[j] for k, j in redo])
        b = torch.stack([strings[k].vertices[j + 1] for k, j in redo])
        rows = certified_segment_max(problem64, a, b, opts.tol, grid=opts.grid,
                                     max_points=opts.max_points)
        for r, (k, j) in enumerate(redo):
            strings[k].rows[j] = rows.select([r])
    results = []
    for s in strings:
        vertices = torch.stack(s.vertices)
        path = Path(vertices, (SegmentKind.GENERAL,) * (len(s.vertices) - 1))
        F_beads = problem64.F(vertices)
        results.append(DSSResult(
            path=path, level=s.level, bead_target=opts.bead_fraction * s.level,
            connected=all(s.accepted), depth=s.depth, F_beads=F_beads,
            reached=tuple(s.reached),
            certificate=PathMax(path, F_beads, SegmentMax.cat(s.rows)),
            above_threshold=tuple(s.above),
            acceptance="certified" if certified and opts.acceptance == "certified" else "grid",
            gap_definition=opts.gap_definition,
        ))
    return results


def _setup(problem: Problem, pA: torch.Tensor, pB: torch.Tensor, levels: torch.Tensor,
           opts: _Options) -> tuple[Problem, list[_String], bool]:
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


def dss_batched(
    problem: Problem,
    pairs_A: torch.Tensor,
    pairs_B: torch.Tensor,
    levels: torch.Tensor,
    *,
    split: str = "argmax",
    bead_fraction: float = 1.0,
    accept: float = 1.0,
    grid: int = 20,
    max_depth: int = 10,
    tol: float = 1e-3,
    max_points: int = 4096,
    acceptance: str = "certified",
    gap_definition: str = "corrected",
    train_kwargs: dict | None = None,
) -> list[DSSResult]:
    """Breadth-first DSS for K pairs at once (the original code's form).

    Each round assesses every new segment of every string in one batched call, then gives
    every offending segment a bead, all beads of the round trained in one `train` call;
    it stops when every string is connected or after `max_depth` rounds (d_max).

    **Arguments**
    - `pairs_A`, `pairs_B`: endpoints $A, B\\in\\mathbb R^{K\\times P}$, shape `(K, P)`.
    - `levels`: L0 per pair, shape `(K,)` (e.g. max{F(A), F(B)}).
    - `split`: "argmax" (t* = argmax of F on the segment) or "midpoint" (t = ½).
    - `bead_fraction`: beads are trained to `bead_fraction`·L0 (the original code: 0.98).
    - `accept`: accept a segment when its maximum ≤ `accept`·L0 (original code: 1.1).
    - `grid`: points per segment for the argmax and the first sampling (original: 20).
    - `max_depth`: bead generations (d_max). `tol`, `max_points`: certificate precision and
      point budget per segment (see `certified_segment_max`).
    - `acceptance`: "certified" or "grid" (module docstring).
    - `gap_definition`: "corrected" (default) or "legacy_b26_v1" (see `gap_of`).
    - `train_kwargs`: passed to `train` (steps, lr, plateau, …), never `target`.

    **Returns** one `DSSResult` per pair, in order.
    """
    opts = _Options(split, bead_fraction, accept, grid, max_depth, tol, max_points,
                    acceptance, gap_definition, dict(train_kwargs or {}))
    levels = torch.as_tensor(levels, dtype=torch.float64)
    problem64, strings, certified = _setup(problem, pairs_A, pairs_B, levels, opts)
    certified_acceptance = certified and opts.acceptance == "certified"
    for depth in range(max_depth + 1):
        pending = [(k, j) for k, s in enumerate(strings) for j, row in enumerate(s.rows)
                   if row is None]
        _assess(problem64, strings, pending, opts, certified_acceptance)
        offending = [(k, j) for k, j in pending if not strings[k].accepted[j]]
        if depth == max_depth or not offending:
            break
        beads = _beads(problem, strings, offending, opts)
        # insert from the right so that earlier segment indices stay valid
        for (k, j), (bead, reached) in sorted(zip(offending, beads, strict=True),
                                              key=lambda item: item[0], reverse=True):
            strings[k].insert(j, bead, reached)
            strings[k].depth = depth + 1
    return _finish(problem64, strings, opts, certified)


def dss_recursive(
    problem: Problem,
    pA: torch.Tensor,
    pB: torch.Tensor,
    level: float,
    *,
    split: str = "argmax",
    bead_fraction: float = 1.0,
    accept: float = 1.0,
    grid: int = 20,
    max_depth: int = 10,
    tol: float = 1e-3,
    max_points: int = 4096,
    acceptance: str = "certified",
    gap_definition: str = "corrected",
    train_kwargs: dict | None = None,
) -> DSSResult:
    """Faithful recursive Algorithm 1 for one pair (one bead trained at a time).

    **Arguments**
    - `pA`, `pB`: endpoints, shape `(P,)`; `level`: L0.
    - the rest as in `dss_batched`.

    **Returns** a `DSSResult`.
    """
    opts = _Options(split, bead_fraction, accept, grid, max_depth, tol, max_points,
                    acceptance, gap_definition, dict(train_kwargs or {}))
    problem64, strings, certified = _setup(
        problem, pA.reshape(1, -1), pB.reshape(1, -1),
        torch.tensor([float(level)], dtype=torch.float64), opts)
    certified_acceptance = certified and opts.acceptance == "certified"

    def find_connection(j: int, depth: int) -> None:
        s = strings[0]
        if s.accepted[j] or depth > max_depth:
            return
        ((bead, reached),) = _beads(problem, strings, [(0, j)], opts)
        s.insert(j, bead, reached)
        s.depth = max(s.depth, depth)
        _assess(problem64, strings, [(0, j), (0, j + 1)], opts, certified_acceptance)
        # the right half first, so that index j still names the left half afterwards
        find_connection(j + 1, depth + 1)
        find_connection(j, depth + 1)

    _assess(problem64, strings, [(0, 0)], opts, certified_acceptance)
    find_connection(0, 1)
    return _finish(problem64, strings, opts, certified)[0]
