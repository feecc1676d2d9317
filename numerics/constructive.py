"""The proof's constructive path (THEORY.md §6) and the special paths of §4–§5.

Main definitions: `constructive_paths` (`ll:zero-radius` with `ll:sampling` or
`ll:pruning`, `ll:free-row`, `ll:convex-output`, `ll:buffer-transfer` and a width-l
reference), `require_hypotheses`, `ConstructivePath`, `Reference`, `train_reference`,
`Sparsified`, `sparsify`, `maurey_sample`, `prune`, `refit_output`, `sampling_bound`,
`pruning_bound`, `data_scale`,
`zero_radius_path`, `fixed_level_path` (`ll:thm-fixed-level`), `one_dimensional_path`
(`ll:two-ray`, `ll:cor-1d`), `pad_buffer`, `permute_units`, `buffer_permutation_path`
(`new:buffer-permutation`). Every path they build has only `convex` and `constant`
segments, so its maximum is the maximum of F over its vertices.
"""

from numerics._constructive import (
    METHODS,
    ConstructivePath,
    Reference,
    Sparsified,
    buffer_permutation_path,
    constructive_paths,
    data_scale,
    fixed_level_path,
    maurey_sample,
    one_dimensional_path,
    pad_buffer,
    permute_units,
    prune,
    pruning_bound,
    refit_output,
    require_hypotheses,
    sampling_bound,
    sparsify,
    train_reference,
    zero_radius_path,
)

__all__ = [
    "METHODS",
    "ConstructivePath",
    "Reference",
    "Sparsified",
    "buffer_permutation_path",
    "constructive_paths",
    "data_scale",
    "fixed_level_path",
    "maurey_sample",
    "one_dimensional_path",
    "pad_buffer",
    "permute_units",
    "prune",
    "pruning_bound",
    "refit_output",
    "require_hypotheses",
    "sampling_bound",
    "sparsify",
    "train_reference",
    "zero_radius_path",
]
