"""Paths in parameter space and their certified maxima (THEORY.md §6).

Main definitions: `Path`, `SegmentKind` (vertices joined by straight segments),
`segment_values` (F along segments), `segment_lipschitz` (an explicit Lipschitz constant of
t ↦ F(a + t(b − a))), `certified_segment_max` (adaptive grid with a certificate),
`path_max` → `PathMax` (sampled and certified maxima, barrier, normalized length),
`has_certificate`, `CertificateUnavailableError`.
"""

from numerics._certify import (
    CertificateUnavailableError,
    PathMax,
    SegmentMax,
    certified_segment_max,
    has_certificate,
    path_max,
    segment_lipschitz,
    segment_values,
)
from numerics._path import Path, SegmentKind

__all__ = [
    "CertificateUnavailableError",
    "Path",
    "PathMax",
    "SegmentKind",
    "SegmentMax",
    "certified_segment_max",
    "has_certificate",
    "path_max",
    "segment_lipschitz",
    "segment_values",
]
