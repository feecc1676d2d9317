"""Data preparation contracts that surviving mutants showed untested (docs/mutation.md):
sklearn's seed folding, the augmentation column, the train fraction's domain."""

from __future__ import annotations

import numpy as np
import pytest

from numerics import from_arrays
from numerics._data_prep import augment, sklearn_seed


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**32 - 1])
def test_a_seed_below_2_to_the_32_reaches_sklearn_unchanged(seed):
    assert sklearn_seed(seed) == seed


@pytest.mark.parametrize(
    ("seed", "folded"),
    # SHA-256 of "sklearn:<seed>", first 4 bytes little-endian: pinned, because every
    # record made with such a seed depends on these numbers
    [(2**32, 1145657861), (2**63 - 1, 3610333465), (-1, 2307799504)],
)
def test_a_larger_or_negative_seed_is_folded_into_32_bits(seed, folded):
    assert sklearn_seed(seed) == folded
    assert 0 <= folded < 2**32


def test_folded_seeds_differ_from_their_neighbours():
    values = {sklearn_seed(2**32 + k) for k in range(64)}
    assert len(values) == 64 and all(0 <= v < 2**32 for v in values)


def test_a_large_seed_gives_a_valid_reproducible_split():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(20, 2)), (np.arange(20) % 2).astype(float)
    a = from_arrays("d", X, Y, seed=2**40)
    b = from_arrays("d", X, Y, seed=2**40)
    c = from_arrays("d", X, Y, seed=2**40 + 1)
    assert np.array_equal(a.X.numpy(), b.X.numpy())
    assert not np.array_equal(a.X.numpy(), c.X.numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_augment_appends_the_constant_in_the_inputs_dtype(dtype):
    X = np.arange(6, dtype=dtype).reshape(3, 2)
    out = augment(X, 0.5)
    assert out.dtype == dtype
    assert np.array_equal(out, np.array([[0, 1, 0.5], [2, 3, 0.5], [4, 5, 0.5]], dtype=dtype))
    assert augment(X, None) is X


@pytest.mark.parametrize("fraction", [0.0, -0.5, 1.5])
def test_train_fraction_outside_0_1_is_refused_by_name(fraction):
    X, Y = np.ones((10, 2)), (np.arange(10) % 2).astype(float)
    with pytest.raises(ValueError, match=r"train_fraction must lie in \(0, 1\]"):
        from_arrays("d", X, Y, train_fraction=fraction)


def test_bad_arrays_are_refused_with_what_is_wrong():
    X = np.ones((4, 3))
    with pytest.raises(ValueError, match=r"^Y has shape \(3,\), expected \(4,\)$"):
        from_arrays("d", X, np.zeros(3))
    bad = X.copy()
    bad[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"^X contains 1 NaN/Inf value\(s\)$"):
        from_arrays("d", bad, np.zeros(4))
    with pytest.raises(ValueError, match=r"^Y contains 1 NaN/Inf value\(s\)$"):
        from_arrays("d", X, np.array([0.0, 1.0, np.inf, 0.0]))


def test_from_arrays_defaults_seed_0_and_a_constant_1_column():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(20, 2)), (np.arange(20) % 2).astype(float)
    default = from_arrays("d", X, Y)
    assert default.info["seed"] == 0 and default.info["c"] == 1.0
    assert np.array_equal(default.X.numpy(), from_arrays("d", X, Y, seed=0, c=1.0).X.numpy())
    assert np.all(default.X.numpy()[:, -1] == 1.0)
    assert default.X.shape == (16, 3)  # ⌊0.8·20⌋ train rows, d + 1 columns


@pytest.mark.parametrize("dtype", [np.float32, np.int64])
def test_from_arrays_makes_a_float64_dataset_from_any_numeric_input(dtype):
    X = (np.arange(12).reshape(6, 2) * 1.5).astype(dtype)
    data = from_arrays("d", X, (np.arange(6) % 2).astype(float), train_fraction=0.5)
    assert str(data.X.dtype) == str(data.X_test.dtype) == "torch.float64"


def test_binary_targets_outside_0_1_are_refused_with_the_rule():
    with pytest.raises(ValueError,
                       match=r"^binary targets Y must be in \{0, 1\} \(in both splits\)$"):
        from_arrays("d", np.ones((4, 1)), np.array([0.0, 1.0, 2.0, 1.0]))


def test_the_record_of_the_preparation():
    X = np.column_stack([np.arange(10.0), np.full(10, 3.0)])  # the second feature is constant
    data = from_arrays("d", X, (np.arange(10) % 2).astype(float), train_fraction=0.5, seed=4)
    info = data.info
    assert (info["seed"], info["c"], info["train_fraction"], info["standardized"]) == (
        4, 1.0, 0.5, True)
    # σ = 0 is replaced by 1, as sklearn's StandardScaler does
    assert info["std"][1] == 1.0 and info["mean"][1] == 3.0
    raw = from_arrays("d", X, (np.arange(10) % 2).astype(float), standardize=False)
    assert raw.info["standardized"] is False
    assert raw.info["mean"] == [0.0, 0.0] and raw.info["std"] == [1.0, 1.0]


# ---- the teacher data set --------------------------------------------------------------


def test_teacher_defaults_and_its_record():
    from numerics import teacher

    data = teacher()
    assert data.name == "teacher" and data.task == "binary"
    assert tuple(data.X.shape) == (400, 3) and bool((data.X[:, -1] == 1.0).all())
    info = data.info
    assert (info["width_k"], info["noise"], info["seed"], info["standardized"]) == (
        3, 0.0, 0, False)
    assert info["teacher"].m == 3 and info["teacher"].kappa == 1.0
    assert str(info["teacher_p"].dtype) == "torch.float64"
    again = teacher(n_samples=500, n_features=2, width_k=3, noise=0.0, seed=0, c=1.0)
    assert bool((again.X == data.X).all()) and bool((again.Y == data.Y).all())


def test_teacher_reproduces_its_noiseless_targets_and_splits_as_asked():
    from numerics import teacher

    data = teacher(n_samples=40, n_features=3, width_k=2, seed=3, task="regression",
                   train_fraction=0.5, c=0.5)
    assert tuple(data.X.shape) == (20, 4) and data.info["seed"] == 3
    assert bool((data.X[:, -1] == 0.5).all())
    Phi = data.info["teacher"].predict(data.info["teacher_p"], data.X)[0]
    assert bool((Phi == data.Y).all())


def test_binary_teacher_labels_split_at_the_balanced_threshold():
    from numerics import teacher

    data = teacher(n_samples=60, seed=5, train_fraction=1.0)
    Phi = data.info["teacher"].predict(data.info["teacher_p"], data.X)[0].numpy()
    tau = data.info["threshold"]
    assert np.array_equal(data.Y.numpy(), (Phi > tau).astype(float))
    # τ: the value of Φ* with #{Φ* > τ} closest to N/2
    counts = {float(v): int(np.sum(Phi > v)) for v in np.unique(Phi)}
    best = min(counts, key=lambda v: (abs(counts[v] - 30), v))
    assert abs(counts[tau] - 30) == abs(counts[best] - 30)
    # noise 1 flips every label (a flip probability of 1 is allowed)
    flipped = teacher(n_samples=60, seed=5, train_fraction=1.0, noise=1.0)
    assert np.array_equal(flipped.Y.numpy(), 1.0 - data.Y.numpy())


def test_balanced_threshold_on_small_samples():
    from numerics._data_sets import _balanced_threshold

    assert _balanced_threshold(np.array([0.0, 0.0, 1.0, 1.0])) == 0.0
    assert _balanced_threshold(np.array([0.0, 1.0, 1.0, 1.0, 2.0, 2.0])) == 1.0
    with pytest.raises(ValueError, match=r"^the teacher is constant on the sample; "
                       r"choose another seed$"):
        _balanced_threshold(np.array([2.0, 2.0, 2.0]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_samples": 1}, r"^n_samples must be an integer ≥ 2, got 1$"),
     ({"n_features": 0}, r"^n_features must be an integer ≥ 1, got 0$"),
     ({"width_k": 0}, r"^width_k must be an integer ≥ 1, got 0$"),
     ({"noise": -0.5}, r"^noise"),
     ({"noise": 1.5}, r"^noise is a flip probability for binary teachers, got 1.5$")],
)
def test_teacher_refuses_bad_arguments_by_name(kwargs, message):
    from numerics import teacher

    with pytest.raises(ValueError, match=message):
        teacher(**kwargs)
    assert teacher(n_samples=2, train_fraction=1.0, task="regression").X.shape[0] == 2
