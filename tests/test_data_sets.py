"""The loaders of `numerics._data_sets` against what their docstrings promise: documented
defaults, the geometry of each set, the record in `info`, and refusals that name the bad
argument (fast enough for every mutant of the module, mutation.toml)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.datasets import load_breast_cancer, make_moons

import numerics
from numerics import blobs, cancer, fb_poly, moons, teacher
from numerics._data_sets import _count
from theory.errors import InvalidArgumentError

# every test here is a small oracle-checked case, run against the mutants of
# numerics._data_sets (mutation.toml)
pytestmark = pytest.mark.fast


def _raw(data) -> np.ndarray:
    """The raw (unstandardized) features of the train split, from the recorded μ and σ."""
    d = len(data.info["mean"])
    return data.X.numpy()[:, :d] * np.array(data.info["std"]) + np.array(data.info["mean"])


def _same(a, b) -> bool:
    return all(torch.equal(getattr(a, s), getattr(b, s)) for s in ("X", "Y", "X_test", "Y_test"))


# ---- _count ----------------------------------------------------------------------------


def test_count_accepts_integers_from_the_minimum_on():
    assert _count("n", 1) == 1 and _count("n", 2, 2) == 2
    value = _count("n", np.int64(7))
    assert value == 7 and type(value) is int


@pytest.mark.parametrize(("value", "minimum", "shown"),
                         [(0, 1, "0"), (1, 2, "1"), (True, 1, "True"), (2.0, 1, "2.0"),
                          ("3", 1, "'3'")])
def test_count_refuses_by_name_with_the_minimum(value, minimum, shown):
    with pytest.raises(ValueError, match=rf"^width must be an integer ≥ {minimum}, got {shown}$"):
        _count("width", value, minimum)


# ---- moons -----------------------------------------------------------------------------


def test_moons_documented_defaults():
    default = moons()
    assert _same(default, moons(n_samples=1000, noise=0.2, train_fraction=0.8, seed=0, c=1.0))
    assert tuple(default.X.shape) == (800, 3) and default.name == "moons"
    assert default.info["noise"] == 0.2 and default.info["standardized"] is True


@pytest.mark.parametrize(("seed", "noise"), [(0, 0.0), (7, 0.3)])
def test_moons_rows_are_sklearns_make_moons(seed, noise):
    data = moons(n_samples=50, noise=noise, seed=seed, train_fraction=0.5, c=None)
    assert data.X.shape == (25, 2) and data.info["noise"] == noise
    X, Y = make_moons(50, noise=noise, random_state=seed)
    raw = _raw(data)
    for row, y in zip(raw, data.Y.numpy(), strict=True):
        k = int(np.argmin(np.abs(X - row).sum(axis=1)))
        assert np.allclose(X[k], row, atol=1e-12) and Y[k] == y


def test_moons_refusals_name_the_argument():
    with pytest.raises(ValueError, match=r"^n_samples must be an integer ≥ 1, got 0$"):
        moons(n_samples=0)
    with pytest.raises(ValueError, match=r"^noise must be a nonnegative finite number"):
        moons(noise=-1.0)


# ---- cancer ----------------------------------------------------------------------------


def test_cancer_documented_defaults_and_coding():
    default = cancer()
    assert _same(default, cancer(train_fraction=0.8, seed=0, c=1.0))
    assert tuple(default.X.shape) == (455, 31) and default.name == "cancer"
    assert bool((default.X[:, -1] == 1.0).all())
    _, y = load_breast_cancer(return_X_y=True)
    # Y = 1 for benign (sklearn's coding), and the split is stratified
    allY = torch.cat([default.Y, default.Y_test]).numpy()
    assert allY.sum() == y.sum() == 357
    assert abs(default.Y.numpy().mean() - 357 / 569) < 2 / 455
    other = cancer(train_fraction=0.5, seed=3, c=None)
    assert tuple(other.X.shape) == (284, 30) and other.info["seed"] == 3


# ---- blobs -----------------------------------------------------------------------------


def test_blobs_documented_defaults():
    default = blobs()
    assert _same(default, blobs(500, 2, 0, separation=4.0, std=1.0, train_fraction=0.8, c=1.0))
    assert tuple(default.X.shape) == (400, 3) and default.name == "blobs"
    assert (default.info["separation"], default.info["noise_std"]) == (4.0, 1.0)


@pytest.mark.parametrize(("separation", "std"), [(4.0, 0.5), (6.0, 2.0)])
def test_blobs_are_two_balanced_gaussians_at_plus_minus_half_the_separation(separation, std):
    # standardization is affine per feature, so along feature j, (mean₊ − mean₋)/2 over
    # the within-class standard deviation is separation/2·|e_j| over std, whatever μ and
    # σ were fitted; the fitted μ (recorded) is near 0, the blobs being centred on ±
    data = blobs(n_samples=2000, n_features=2, seed=2, separation=separation, std=std,
                 train_fraction=0.5, c=None)
    e = np.array(data.info["direction"])
    X, Y = data.X.numpy(), data.Y.numpy()
    assert Y.sum() + data.Y_test.numpy().sum() == 1000  # balanced over both splits
    assert np.abs(np.array(data.info["mean"])).max() < 0.1 * separation
    for j in range(2):
        x = X[:, j] * np.sign(e[j])
        plus, minus = x[Y == 1], x[Y == 0]
        within = np.sqrt((plus.var() * plus.size + minus.var() * minus.size) / x.size)
        ratio = (plus.mean() - minus.mean()) / 2 / within
        assert ratio == pytest.approx(separation / 2 * abs(e[j]) / std, rel=0.1)


def test_loaders_pass_their_seed_and_train_fraction_to_the_split():
    for data in (moons(n_samples=40, seed=3, train_fraction=0.5),
                 blobs(n_samples=40, seed=3, train_fraction=0.5),
                 fb_poly(n_samples=40, seed=3, train_fraction=0.5),
                 teacher(n_samples=40, seed=3, train_fraction=0.5),
                 cancer(seed=3, train_fraction=0.5)):
        assert data.info["seed"] == 3 and data.info["train_fraction"] == 0.5, data.name
        assert data.N == (284 if data.name == "cancer" else 20)


def test_blobs_direction_is_a_random_unit_vector():
    a, b = (blobs(n_samples=20, n_features=3, seed=s).info["direction"] for s in (0, 1))
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-12) and len(a) == 3
    assert not np.allclose(a, b)
    # the classes are separated along the direction (tiny std: nearly no overlap)
    data = blobs(n_samples=200, n_features=3, seed=4, std=1e-3, c=None)
    X, Y = data.X.numpy(), data.Y.numpy()
    raw_side = X @ np.array(data.info["direction"])  # σ_j > 0 keeps the order
    assert np.all((raw_side > raw_side.mean()) == (Y == 1))


def test_blobs_accept_two_samples_and_refuse_one_by_name():
    assert blobs(n_samples=2, train_fraction=0.5).N == 1
    with pytest.raises(ValueError, match=r"^n_samples must be an integer ≥ 2, got 1$"):
        blobs(n_samples=1)
    with pytest.raises(ValueError, match=r"^n_features must be an integer ≥ 1, got 0$"):
        blobs(n_features=0)
    with pytest.raises(ValueError, match=r"^separation must be a nonnegative finite number"):
        blobs(separation=-1.0)
    with pytest.raises(ValueError, match=r"^std must be a positive finite number"):
        blobs(std=0.0)
    assert blobs(separation=0.0, n_samples=10).N == 8  # separation 0 is allowed


# ---- teacher ---------------------------------------------------------------------------


def test_teacher_rows_are_unit_and_the_task_is_checked_by_name():
    data = teacher(n_samples=30, n_features=3, width_k=4, seed=1)
    W, theta = data.info["teacher"].split(data.info["teacher_p"])
    assert W.shape == (1, 4, 4) and theta.shape == (1, 4)
    assert torch.allclose(W.norm(dim=-1), torch.ones(1, 4, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"^task must be 'binary' or 'regression', "
                       r"got 'multiclass'$"):
        teacher(task="multiclass")


def test_teacher_regression_noise_is_added_with_its_scale():
    clean = teacher(n_samples=400, seed=2, task="regression", train_fraction=0.5)
    noisy = teacher(n_samples=400, seed=2, task="regression", train_fraction=0.5, noise=0.5)
    assert torch.equal(clean.X, noisy.X) and noisy.info["noise"] == 0.5
    residual = (noisy.Y - clean.Y).numpy()
    assert residual.std() == pytest.approx(0.5, rel=0.15) and abs(residual.mean()) < 0.15
    # regression noise is a standard deviation, not a probability: above 1 is fine
    assert teacher(n_samples=10, task="regression", noise=2.0).info["noise"] == 2.0


# ---- fb_poly ---------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "poly"), [
    ("quadratic", lambda x: 0.5 * x**2 + 0.25 * x + 0.1),
    ("cubic", lambda x: 8 * x**3 - 10 * x**2 + 3 * x),
])
def test_fb_poly_targets_on_the_unit_interval(kind, poly):
    data = fb_poly(kind, n_samples=50, seed=1, train_fraction=0.5)
    x = data.X.numpy()[:, 0]
    assert data.X.shape == (25, 1) and data.name == f"fb_{kind}" and data.task == "regression"
    assert np.all((0 <= x) & (x <= 1)) and x.max() - x.min() > 0.5
    assert np.allclose(data.Y.numpy(), poly(x), rtol=0, atol=1e-12)
    assert data.info["kind"] == kind and data.info["standardized"] is False


def test_fb_poly_documented_defaults_and_refusals():
    default = fb_poly()
    assert _same(default, fb_poly("quadratic", 1000, 0, train_fraction=0.8, c=None))
    assert tuple(default.X.shape) == (800, 1) and default.info["c"] is None
    assert fb_poly(n_samples=2, train_fraction=0.5).N == 1
    with pytest.raises(ValueError, match=r"^n_samples must be an integer ≥ 2, got 1$"):
        fb_poly(n_samples=1)
    with pytest.raises(ValueError, match=r"^kind must be one of \['cubic', 'quadratic'\], "
                       r"got 'quartic'$"):
        fb_poly("quartic")


# ---- load ------------------------------------------------------------------------------


def test_load_passes_its_arguments_and_names_what_it_knows():
    assert _same(numerics.load("moons", n_samples=40, seed=2), moons(n_samples=40, seed=2))
    assert _same(numerics.load("fb_cubic", n_samples=20), fb_poly("cubic", n_samples=20))
    assert numerics.load("fb_quadratic", n_samples=20).name == "fb_quadratic"
    with pytest.raises(numerics.UnknownDatasetError,
                       match=r"^unknown data set 'mnist'; known: moons, cancer, digits, blobs, "
                       r"teacher, fb_quadratic, fb_cubic$"):
        numerics.load("mnist")


def test_blobs_record_the_standardization_beside_their_noise():
    # the σ of the standardization and the blobs' noise scale are different numbers under
    # different names: neither hides the other
    data = blobs(n_samples=4000, n_features=2, seed=1, separation=4.0, std=0.25, c=None)
    assert data.info["noise_std"] == 0.25
    # feature j is ±(s/2)·e_j plus noise: its spread is √((s/2·e_j)² + std²), per feature
    e = np.array(data.info["direction"])
    expected = np.sqrt((4.0 / 2 * e) ** 2 + 0.25**2)
    assert np.allclose(data.info["std"], expected, rtol=0.05)


def test_prepared_data_refuse_info_keys_of_the_preparation():
    from numerics import from_arrays

    X, Y = np.zeros((4, 2)), np.array([0.0, 1.0, 0.0, 1.0])
    with pytest.raises(InvalidArgumentError, match=r"info keys \['std'\] are reserved"):
        from_arrays("x", X, Y, seed=0, info={"std": 1.0})
