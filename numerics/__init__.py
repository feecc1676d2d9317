"""Numerics: measuring what the theorems talk about.

The public face of the library; the modules behind it (`numerics._*`) are private.

- data sets: `Dataset`, `data_scale` (D_X), `load`, `LOADERS`, `moons`, `cancer`,
  `blobs`, `teacher`, `fb_poly`, `from_arrays`;
- models: `Model` (the protocol), `ReluNet`, `BiasReluNet`, `DeepLinearNet`, `FlatModel`,
  `sigmoid_mlp`;
- objective: `Problem` (F(W, θ) = R(Φ) + penalty, batched), `train` → `TrainResult`;
- paths: `Path`, `SegmentKind`, `segment_values`, `segment_lipschitz`,
  `certified_segment_max`, `path_max` → `PathMax` / `SegmentMax`, `has_certificate`, and
  their point budget `GRID` / `MAX_POINTS`;
  `polynomial_max` → `PolynomialMax` and `deep_linear_segment_polynomial` (the exact
  segment maximum of a deep linear net with the squared loss);
- DSS: `DSSConfig` (every option; `FB17_CODE`: [FB17]'s code settings), `dss_batched`,
  `dss_recursive` → `DSSResult`, `gap_of`, `GAP_DEFINITIONS`;
- the constructive path: `constructive_paths` → `ConstructivePath`, `Reference`,
  `train_reference`, `reference_width`, `sparsify`, `maurey_sample`, `prune`, `refit_output`,
  `sampling_bound`, `pruning_bound`, `require_hypotheses`, `zero_radius_path`,
  `fixed_level_path`, `one_dimensional_path`, `pad_buffer`, `permute_units`,
  `buffer_permutation_path`;
- the bias model's constructive path (E1): `BiasBallMap` (the bias model on the augmented
  ball model, `ShiftedReluNet`), `ball_map`, `train_bias_reference` → `BiasReference`,
  `bias_constructive_paths`;
- validation: `device_of` and the typed errors (all `theory.errors.RelulandscapeError`).

Paths join vertices by straight segments; every constructive path has only `convex` and
`constant` segments, so its maximum is the maximum of F over its vertices. DSS is
[FB17]'s Algorithm 1 (recursive, and breadth-first over many pairs).
"""

from numerics._bias_map import (
    BiasBallMap,
    BiasReference,
    ShiftedReluNet,
    ball_map,
    bias_constructive_paths,
    train_bias_reference,
)
from numerics._bias_relu import BiasReluNet
from numerics._certify import (
    GRID,
    MAX_POINTS,
    CertificateUnavailableError,
    PathMax,
    SegmentMax,
    certified_segment_max,
    has_certificate,
    path_max,
    segment_evidence,
    segment_lipschitz,
    segment_values,
)
from numerics._constructive import ConstructivePath, constructive_paths, require_hypotheses
from numerics._data_prep import from_arrays
from numerics._data_sets import (
    LOADERS,
    UnknownDatasetError,
    blobs,
    cancer,
    digits,
    fb_poly,
    load,
    moons,
    teacher,
)
from numerics._dataset import Dataset, data_scale
from numerics._deep_linear import DeepLinearNet
from numerics._dss import (
    FB17_CODE,
    GAP_DEFINITIONS,
    DSSConfig,
    DSSResult,
    dss_batched,
    dss_recursive,
    gap_of,
)
from numerics._flat import FlatModel, sigmoid_mlp
from numerics._path import Path, SegmentKind
from numerics._polynomial_max import (
    PolynomialMax,
    deep_linear_segment_polynomial,
    polynomial_max,
)
from numerics._problem import Model, Problem
from numerics._reference import Reference, reference_width, train_reference
from numerics._relu import ReluNet
from numerics._rounding import CERTIFIED_BY
from numerics._sparsify import (
    METHODS,
    Sparsified,
    maurey_sample,
    prune,
    pruning_bound,
    refit_output,
    sampling_bound,
    sparsify,
)
from numerics._special_paths import (
    buffer_permutation_path,
    fixed_level_path,
    one_dimensional_path,
    pad_buffer,
    permute_units,
)
from numerics._train import TrainResult, train
from numerics._validate import (
    ConstraintError,
    DeviceUnavailableError,
    EmptyDataError,
    NonFiniteError,
    ShapeError,
    device_of,
)
from numerics._zero_radius import zero_radius_path

__all__ = [
    "CERTIFIED_BY",
    "FB17_CODE",
    "GAP_DEFINITIONS",
    "GRID",
    "LOADERS",
    "MAX_POINTS",
    "METHODS",
    "BiasBallMap",
    "BiasReference",
    "BiasReluNet",
    "CertificateUnavailableError",
    "ConstraintError",
    "ConstructivePath",
    "DSSConfig",
    "DSSResult",
    "Dataset",
    "DeepLinearNet",
    "DeviceUnavailableError",
    "EmptyDataError",
    "FlatModel",
    "Model",
    "NonFiniteError",
    "Path",
    "PathMax",
    "PolynomialMax",
    "Problem",
    "Reference",
    "ReluNet",
    "SegmentKind",
    "SegmentMax",
    "ShapeError",
    "ShiftedReluNet",
    "Sparsified",
    "TrainResult",
    "UnknownDatasetError",
    "ball_map",
    "bias_constructive_paths",
    "blobs",
    "buffer_permutation_path",
    "cancer",
    "certified_segment_max",
    "constructive_paths",
    "data_scale",
    "deep_linear_segment_polynomial",
    "device_of",
    "digits",
    "dss_batched",
    "dss_recursive",
    "fb_poly",
    "fixed_level_path",
    "from_arrays",
    "gap_of",
    "has_certificate",
    "load",
    "maurey_sample",
    "moons",
    "one_dimensional_path",
    "pad_buffer",
    "path_max",
    "permute_units",
    "polynomial_max",
    "prune",
    "pruning_bound",
    "reference_width",
    "refit_output",
    "require_hypotheses",
    "sampling_bound",
    "segment_evidence",
    "segment_lipschitz",
    "segment_values",
    "sigmoid_mlp",
    "sparsify",
    "teacher",
    "train",
    "train_bias_reference",
    "train_reference",
    "zero_radius_path",
]
