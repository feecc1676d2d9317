"""Data sets: determinism, shapes, augmentation, train-only standardization, D_X, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import assert_close
from hypothesis import given
from hypothesis import strategies as st

import numerics
from numerics import EmptyDataError, NonFiniteError, ShapeError
from theory.errors import InvalidArgumentError

# small instances of every loader, keyed like `numerics.LOADERS`
SMALL = {
    "moons": {"n_samples": 200},
    "cancer": {},
    "digits": {},
    "blobs": {"n_samples": 120, "n_features": 3},
    "teacher": {"n_samples": 150, "n_features": 3, "width_k": 2},
    "fb_quadratic": {"n_samples": 60},
    "fb_cubic": {"n_samples": 60},
}
SPLITS = ("X", "Y", "X_test", "Y_test")


def test_every_loader_has_a_small_instance():
    assert set(SMALL) == set(numerics.LOADERS)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_same_seed_gives_identical_tensors(name):
    a = numerics.load(name, seed=3, **SMALL[name])
    b = numerics.load(name, seed=3, **SMALL[name])
    for split in SPLITS:
        assert torch.equal(getattr(a, split), getattr(b, split)), split


@pytest.mark.parametrize("name", sorted(SMALL))
def test_another_seed_gives_other_data(name):
    a = numerics.load(name, seed=3, **SMALL[name])
    b = numerics.load(name, seed=4, **SMALL[name])
    assert not torch.equal(a.X, b.X)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_D_X_matches_brute_force(name):
    d = numerics.load(name, **SMALL[name])
    X = d.X.numpy()
    # D_X² = max_{‖v‖=1} (1/N) Σ_k (vᵀx_k)² = σ_max(X)² / N
    brute = np.linalg.svd(X, compute_uv=False)[0] / np.sqrt(X.shape[0])
    assert_close(d.D_X, brute)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_data_are_float64_and_split_into_train_and_test(name):
    d = numerics.load(name, **SMALL[name])
    N = d.N + d.X_test.shape[0]
    assert d.N == int(0.8 * N)
    assert d.X.dtype == d.Y.dtype == d.X_test.dtype == torch.float64
    assert d.X_test.shape[1] == d.n and d.Y_test.shape == (N - d.N,)


def test_published_moons_and_cancer_shapes():
    moons, cancer = numerics.moons(), numerics.cancer()
    assert moons.X.shape == (800, 3) and moons.X_test.shape == (200, 3)
    assert cancer.X.shape == (455, 31) and cancer.X_test.shape == (114, 31)


def test_cancer_split_is_stratified():
    d = numerics.cancer(seed=5)
    Y = torch.cat([d.Y, d.Y_test])
    expected_train = Y.mean() * d.N
    assert abs(float(d.Y.sum() - expected_train)) <= 1


@pytest.mark.parametrize("name", ["moons", "cancer", "blobs", "teacher"])
def test_last_column_is_the_augmentation_constant(name):
    d = numerics.load(name, c=2.5, **SMALL[name])
    assert torch.all(d.X[:, -1] == 2.5) and torch.all(d.X_test[:, -1] == 2.5)


def test_fb_poly_has_no_augmentation_unless_asked():
    assert numerics.fb_poly(n_samples=50).n == 1
    d = numerics.fb_poly(n_samples=50, c=1.0)
    assert d.n == 2 and torch.all(d.X[:, 1] == 1.0)


@pytest.mark.parametrize("kind", ["quadratic", "cubic"])
def test_fb_poly_targets_follow_the_polynomial(kind):
    d = numerics.fb_poly(kind, n_samples=100, seed=1)
    x = d.X[:, 0]
    expected = 0.5 * x**2 + 0.25 * x + 0.1 if kind == "quadratic" else 8 * x**3 - 10 * x**2 + 3 * x
    assert_close(d.Y, expected)
    assert d.task == "regression" and x.min() >= 0 and x.max() <= 1


def test_moons_train_features_are_standardized():
    d = numerics.moons(n_samples=300, seed=2)
    features = d.X[:, :-1]
    assert_close(features.mean(0), torch.zeros(2), atol=1e-12)
    assert_close(features.std(0, unbiased=False), torch.ones(2))


def test_standardization_uses_the_train_split_only(rng):
    # one far outlier: a full-data mean would differ visibly from a train-only one
    X = rng.normal(size=(50, 2))
    X[0] = [100.0, -100.0]
    Y = np.arange(50) % 2
    d = numerics.from_arrays("toy", X, Y, seed=7)
    mean, std = np.array(d.info["mean"]), np.array(d.info["std"])
    train_raw = d.X[:, :-1].numpy() * std + mean
    test_raw = d.X_test[:, :-1].numpy() * std + mean
    # the inverse map recovers raw rows: train ∪ test is the raw data set
    recovered = np.concatenate([train_raw, test_raw])
    order = np.lexsort(recovered.T)
    np.testing.assert_allclose(recovered[order], X[np.lexsort(X.T)], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mean, train_raw.mean(0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(std, train_raw.std(0), rtol=1e-12)
    assert not np.allclose(mean, X.mean(0))


@given(st.integers(2, 40), st.integers(1, 4), st.floats(0.1, 0.95), st.integers(0, 2**31))
def test_from_arrays_split_sizes_and_train_moments(N, d, fraction, seed):
    X = np.random.default_rng(seed).normal(size=(N, d)) * 3 + 1
    n_train = int(fraction * N)
    if n_train < 1:
        with pytest.raises(EmptyDataError, match="train_fraction"):
            numerics.from_arrays("toy", X, np.zeros(N), train_fraction=fraction, seed=seed)
        return
    ds = numerics.from_arrays("toy", X, np.zeros(N), train_fraction=fraction, seed=seed)
    assert ds.X.shape == (n_train, d + 1) and ds.X_test.shape == (N - n_train, d + 1)
    assert_close(ds.X[:, :-1].mean(0), torch.zeros(d), atol=1e-9)


def test_teacher_regression_targets_are_the_teacher_outputs():
    d = numerics.teacher(n_samples=200, n_features=3, width_k=4, task="regression", seed=1)
    net, p = d.info["teacher"], d.info["teacher_p"]
    assert p.shape == (1, net.n_params) and net.m == 4
    assert_close(net.predict(p, d.X)[0], d.Y)
    assert_close(net.predict(p, d.X_test)[0], d.Y_test)
    assert_close(net.split(p)[0].norm(dim=-1), torch.ones(1, 4))


def test_teacher_binary_labels_threshold_the_teacher():
    d = numerics.teacher(n_samples=400, width_k=3, seed=1)
    net, p, tau = d.info["teacher"], d.info["teacher_p"], d.info["threshold"]
    assert torch.equal(d.Y, (net.predict(p, d.X)[0] > tau).double())
    assert 0.3 < float(d.Y.mean()) < 0.7


def test_teacher_label_noise_flips_about_that_fraction():
    clean = numerics.teacher(n_samples=4000, seed=2, train_fraction=1.0)
    noisy = numerics.teacher(n_samples=4000, seed=2, train_fraction=1.0, noise=0.2)
    flipped = float((clean.Y != noisy.Y).double().mean())
    assert 0.17 < flipped < 0.23


def test_teacher_regression_noise_has_that_std():
    kw = {"n_samples": 4000, "seed": 2, "task": "regression", "train_fraction": 1.0}
    residual = numerics.teacher(noise=0.5, **kw).Y - numerics.teacher(**kw).Y
    assert 0.47 < float(residual.std()) < 0.53


def test_train_fraction_one_keeps_everything_for_training():
    d = numerics.moons(n_samples=100, train_fraction=1.0)
    assert d.N == 100 and d.X_test.shape == (0, 3) and d.Y_test.shape == (0,)


def test_load_dispatches_by_name():
    a = numerics.load("fb_cubic", n_samples=40, seed=2)
    b = numerics.fb_poly("cubic", n_samples=40, seed=2)
    assert a.name == "fb_cubic" and torch.equal(a.Y, b.Y)


def test_unknown_data_set_is_a_clear_error():
    with pytest.raises(numerics.UnknownDatasetError, match=r"'mnist'.*known: moons"):
        numerics.load("mnist")


@pytest.mark.parametrize(
    ("X", "Y", "error", "match"),
    [
        (np.array([[0.0, np.nan], [1.0, 2.0]]), np.zeros(2), NonFiniteError, "X contains 1"),
        (np.ones((4, 2)), np.array([0, 1, np.inf, 0]), NonFiniteError, "Y contains 1"),
        (np.ones(4), np.zeros(4), ShapeError, "X has shape"),
        (np.ones((4, 2)), np.zeros(3), ShapeError, "Y has shape"),
        (np.ones((0, 2)), np.zeros(0), EmptyDataError, "no samples"),
    ],
)
def test_bad_arrays_raise_typed_errors(X, Y, error, match):
    with pytest.raises(error, match=match):
        numerics.from_arrays("bad", X, Y)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: numerics.moons(n_samples=0), "n_samples"),
        (lambda: numerics.moons(noise=-0.1), "noise"),
        (lambda: numerics.moons(train_fraction=0.0), "train_fraction"),
        (lambda: numerics.moons(c=float("nan")), "c must be"),
        (lambda: numerics.blobs(n_features=0), "n_features"),
        (lambda: numerics.blobs(std=0.0), "std"),
        (lambda: numerics.teacher(width_k=0), "width_k"),
        (lambda: numerics.teacher(task="multiclass"), "task"),
        (lambda: numerics.teacher(noise=1.5), "flip probability"),
        (lambda: numerics.fb_poly("quartic"), "kind"),
    ],
)
def test_bad_loader_arguments_raise(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_binary_targets_outside_0_1_are_refused():
    with pytest.raises(ValueError, match="binary targets"):
        numerics.from_arrays("bad", np.ones((4, 2)), np.array([0, 1, 2, 0]))


def test_from_arrays_works_in_float64_whatever_the_input_dtype():
    """float32 inputs are widened before the moments are taken: the prepared data equal the
    float64 preparation of the same (exactly widened) numbers."""
    rng = np.random.default_rng(3)
    X32 = (rng.standard_normal((40, 3)) * 1e3 + 1e4).astype(np.float32)
    Y = (rng.random(40) < 0.5).astype(np.float64)
    d32 = numerics.from_arrays("f32", X32, Y, seed=2)
    d64 = numerics.from_arrays("f64", X32.astype(np.float64), Y, seed=2)
    for name in ("X", "X_test"):
        assert getattr(d32, name).dtype == torch.float64
        assert torch.equal(getattr(d32, name), getattr(d64, name))
    assert d32.info["mean"] == d64.info["mean"] and d32.info["std"] == d64.info["std"]


def test_a_constant_feature_gets_unit_std_and_records_the_preparation():
    """σ = 0 becomes 1 (as sklearn's StandardScaler does); `info` records every fact of the
    preparation, and the caller's own beside them."""
    X = np.column_stack([np.arange(10.0), np.full(10, 5.0)])
    Y = np.zeros(10)
    d = numerics.from_arrays("const", X, Y, task="regression", train_fraction=1.0, seed=0,
                             c=None, info={"source": "test"})
    assert d.info["std"][1] == 1.0 and d.info["mean"][1] == 5.0
    assert torch.equal(d.X[:, 1], torch.zeros(10, dtype=torch.float64))
    assert set(d.info) == {"seed", "c", "train_fraction", "standardized", "mean", "std",
                           "source"}
    assert d.info["standardized"] is True and d.info["train_fraction"] == 1.0
    raw = numerics.from_arrays("raw", X, Y, task="regression", train_fraction=1.0,
                               standardize=False, c=None)
    assert raw.info["standardized"] is False and raw.info["std"] == [1.0, 1.0]


def test_info_keys_of_the_preparation_are_refused_by_name():
    X, Y = np.arange(20.0).reshape(10, 2), np.zeros(10)
    with pytest.raises(InvalidArgumentError,
                       match=r"info keys \['c', 'seed'\] are reserved for the preparation's "
                             r"record \(seed, c, train_fraction, standardized, mean, std\)"):
        numerics.from_arrays("clash", X, Y, info={"seed": 1, "c": 2, "source": "x"})


def test_digits_are_odd_versus_even_images():
    from sklearn.datasets import load_digits

    d = numerics.digits()
    assert d.X.shape == (1437, 65) and d.X_test.shape == (360, 65)
    _, digit = load_digits(return_X_y=True)
    labels = torch.cat([d.Y, d.Y_test])
    assert labels.sum().item() == int((digit % 2).sum())  # every odd digit is a 1
