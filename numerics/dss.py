"""Dynamic String Sampling, [FB17] Algorithm 1 (THEORY.md §7).

Main definitions: `dss_recursive` (the faithful depth-first recursion), `dss_batched`
(breadth-first over many pairs, every bead of a round trained in one batched call),
`DSSResult` (beads, connected or depth-limited, per-segment sampled and certified maxima,
barrier, final `Path`, normalized length, gap), `gap_of` and `GAP_DEFINITIONS`
("corrected": certified path max − level; "legacy_b26_v1": the [B26] v1 definition).
"""

from numerics._dss import GAP_DEFINITIONS, DSSResult, dss_batched, dss_recursive, gap_of

__all__ = ["GAP_DEFINITIONS", "DSSResult", "dss_batched", "dss_recursive", "gap_of"]
