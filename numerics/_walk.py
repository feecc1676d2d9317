"""Walks: paths in a `ReluNet`'s parameter space built move by move, each move a lemma.

A `_Walk` starts at a point (W, θ) (kept in float64) and records one straight segment per
move, of a kind that makes the path's maximum exact:
- `theta_to`: only θ moves at fixed W (`ll:convex-output`: θ ↦ F_m(W, θ) is convex, the
  maximum on the segment is at an endpoint): a `convex` segment (`general` for a loss
  that is not convex, `_theta_kind`);
- `rows_to`: only rows w_i with θ_i = 0 move (`ll:free-row`: Φ and F unchanged): `constant`;
- `relocate`: units change slots through free buffer rows (`ll:buffer-transfer`: copy row
  u into the buffer, then (a, 0) ↦ ((1−t)a, ta), so Φ and |(1−t)a| + |ta| = |a| stay
  fixed): `constant`.

`_onto` (free rows onto given rows, then θ onto given coefficients there) and `_meet`
(join two walks: relocate, move the free rows, interpolate θ at the common W, walk the
other one backwards) are the stages shared by the `ll:zero-radius` path
(`numerics._zero_radius`) and `ll:cor-1d`'s path (`numerics._special_paths`); they live
here, once, for both, with `_relu_model` (the problem's `ReluNet`, which every stage of
the constructive path checks for).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import torch

from numerics._path import Path, SegmentKind
from numerics._problem import Problem
from numerics._relu import ReluNet
from theory.buffer import relocation_rounds
from theory.errors import InvalidArgumentError
from theory.losses import Loss


def _relu_model(problem: Problem) -> ReluNet:
    if not isinstance(problem.model, ReluNet):
        raise TypeError(f"problem.model must be a ReluNet, got {type(problem.model).__name__}")
    return problem.model


def _theta_kind(loss: Loss) -> SegmentKind:
    """θ-only segments are `convex` for convex losses; a negative control gets `general`."""
    return SegmentKind.CONVEX if loss.convex else SegmentKind.GENERAL


# ---------------------------------------------------------------------------------------
# walks: paths built move by move, each move a `convex` or `constant` segment


class _Walk:
    """A path under construction from the point `p` `(P,)` of `model` (kept in float64)."""

    def __init__(self, model: ReluNet, p: torch.Tensor) -> None:
        self.model = model
        W, theta = model.split(p.detach().to(torch.float64))
        self.W, self.theta = W.clone(), theta.clone()
        self._vertices = [model.join(self.W, self.theta)]
        self._kinds: list[SegmentKind] = []

    def _step(self, kind: SegmentKind) -> None:
        vertex = self.model.join(self.W, self.theta)
        if not torch.equal(vertex, self._vertices[-1]):
            self._vertices.append(vertex)
            self._kinds.append(kind)

    def theta_to(self, theta: torch.Tensor, kind: SegmentKind = SegmentKind.CONVEX) -> None:
        """Straight move of θ at fixed W (`ll:convex-output`: max F at an endpoint)."""
        self.theta = theta.to(self.theta).clone()
        self._step(kind)

    def rows_to(self, slots: torch.Tensor, rows: torch.Tensor) -> None:
        """Move the rows `slots` to `rows`; each must carry θ_i = 0 (`ll:free-row`)."""
        if (self.theta[slots] != 0).any():
            raise InvalidArgumentError(
                "rows_to: only rows with a zero coefficient may move at constant F")
        self.W[slots] = rows.to(self.W)
        self._step(SegmentKind.CONSTANT)

    def free_slots(self, exclude: AbstractSet[int] = frozenset()) -> list[int]:
        """Slots with θ_i = 0, in increasing order, other than `exclude`."""
        return [i for i in (self.theta == 0).nonzero().flatten().tolist() if i not in exclude]

    def _transfer(self, moves: dict[int, int]) -> None:
        """Move unit u to the free slot v for every u ↦ v of `moves` (two `constant` segments)."""
        src = torch.tensor(list(moves), device=self.W.device)
        dst = torch.tensor(list(moves.values()), device=self.W.device)
        # the buffer row copies the unit's row while its coefficient is 0 (ll:free-row)
        self.W[dst] = self.W[src]
        self._step(SegmentKind.CONSTANT)
        # $(a, 0) \mapsto ((1-t)a, ta)$: Φ and $|(1-t)a| + |ta| = |a|$ stay fixed
        self.theta[dst] = self.theta[src]
        self.theta[src] = 0
        self._step(SegmentKind.CONSTANT)

    def relocate(self, sources: list[int], targets: list[int]) -> None:
        """Move the unit in slot `sources[j]` to slot `targets[j]` for every j
        (`ll:buffer-transfer`), by the rounds of `theory.buffer.relocation_rounds`: units
        whose targets are still occupied wait, and when only cycles remain one unit is
        parked in a free buffer slot (θ = 0, neither a source nor a target).
        """
        for moves in relocation_rounds(sources, targets, free=self.free_slots()):
            self._transfer(moves)

    def path(self) -> Path:
        """The walk so far (a one-point walk becomes a zero-length `constant` segment)."""
        vertices = self._vertices if len(self._vertices) > 1 else self._vertices * 2
        kinds = self._kinds if self._kinds else [SegmentKind.CONSTANT]
        return Path(torch.stack(vertices), tuple(kinds))


def _reversed(path: Path) -> Path:
    """The same path walked from its end to its start."""
    return Path(path.vertices.flip(0), path.kinds[::-1])


def _meet(a: _Walk, b: _Walk, slots_a: list[int], slots_b: list[int],
         kind: SegmentKind = SegmentKind.CONVEX) -> Path:
    """Join two walks whose active units sit in `slots_a` (walk `a`) and `slots_b` (walk `b`):
    relocate a's units onto b's slots, move a's free rows onto b's rows, interpolate θ at
    the now common W (`kind`), then walk b backwards. Both walks must carry the same rows
    in `slots_b` by then (the same reference, or the same canonical rows).
    """
    a.relocate(slots_a, slots_b)
    rest = torch.tensor(a.free_slots(exclude=set(slots_b)), dtype=torch.long)
    a.rows_to(rest, b.W[rest])
    a.theta_to(b.theta, kind)
    return a.path().concat(_reversed(b.path()))


def _onto(walk: _Walk, slots: list[int], rows: torch.Tensor, coefficients: torch.Tensor,
          kind: SegmentKind) -> None:
    """Move free rows `slots` to `rows` (`ll:free-row`), then θ onto `coefficients` there and
    0 elsewhere (`ll:convex-output`)."""
    index = torch.tensor(slots, dtype=torch.long)
    walk.rows_to(index, rows)
    theta = torch.zeros_like(walk.theta)
    theta[index] = coefficients.to(theta)
    walk.theta_to(theta, kind)
