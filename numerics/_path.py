"""Paths in parameter space (docs/notation.md): vertices joined by straight segments.

Each segment has a kind:
- `convex`: only θ moves (W fixed) — F is convex along it, its maximum is at an endpoint;
- `constant`: only zero-coefficient rows move, or an identical-row transfer — F constant;
- `general`: anything moves — needs a certified maximum.
The normalized geodesic length is Σ‖v_{j+1} − v_j‖ / ‖v_last − v_0‖ (1 for a straight path).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import torch

from numerics import _validate as check
from theory.errors import InvalidArgumentError


class SegmentKind(StrEnum):
    """How F behaves on a segment: convex and constant ones reach their max at a vertex.

    >>> from numerics import SegmentKind
    >>> SegmentKind("convex") is SegmentKind.CONVEX, [kind.value for kind in SegmentKind]
    (True, ['convex', 'constant', 'general'])
    """

    CONVEX = "convex"
    CONSTANT = "constant"
    GENERAL = "general"


@dataclass(frozen=True)
class Path:
    """`vertices` `(V, P)` (float64 recommended) and one `SegmentKind` per segment.

    >>> import torch
    >>> from numerics import Path
    >>> path = Path(torch.tensor([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]]), ("convex", "general"))
    >>> path.n_segments, path.exact, round(path.normalized_length(), 4)  # 2√2 / 2
    (2, False, 1.4142)
    """

    vertices: torch.Tensor
    kinds: tuple[SegmentKind, ...]

    def __post_init__(self) -> None:
        check.shape("vertices", self.vertices, (None, None))
        check.finite("vertices", self.vertices)
        if self.vertices.shape[0] < 2:
            raise InvalidArgumentError("a path needs at least two vertices")
        if len(self.kinds) != self.vertices.shape[0] - 1:
            raise InvalidArgumentError(
                f"a path with {self.vertices.shape[0]} vertices needs "
                f"{self.vertices.shape[0] - 1} segment kinds, got {len(self.kinds)}"
            )
        object.__setattr__(self, "kinds", tuple(SegmentKind(k) for k in self.kinds))

    @property
    def n_segments(self) -> int:
        return len(self.kinds)

    @property
    def exact(self) -> bool:
        """True when every segment is convex or constant: max F = max over vertices."""
        return SegmentKind.GENERAL not in self.kinds

    def segment_lengths(self) -> torch.Tensor:
        return (self.vertices[1:] - self.vertices[:-1]).norm(dim=-1)

    def normalized_length(self) -> float:
        """Σ segment lengths / ‖end − start‖ (≥ 1; inf if the endpoints coincide)."""
        chord = float((self.vertices[-1] - self.vertices[0]).norm())
        total = float(self.segment_lengths().sum())
        return total / chord if chord > 0 else float("inf")

    def concat(self, other: Path) -> Path:
        """This path followed by `other` (which must start where this one ends)."""
        if not torch.equal(self.vertices[-1], other.vertices[0]):
            raise InvalidArgumentError(
                "paths do not meet: the second must start at the first's end")
        return Path(torch.cat([self.vertices, other.vertices[1:]]), self.kinds + other.kinds)
