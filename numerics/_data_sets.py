"""The data sets of docs/validation.py, each a deterministic function of `seed`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import torch
from sklearn.datasets import load_breast_cancer, load_digits, make_moons

from numerics import _validate as check
from numerics._data_prep import augment, from_arrays, sklearn_seed
from numerics._dataset import Dataset
from numerics._relu import ReluNet
from theory.errors import InvalidArgumentError, RelulandscapeError


def _count(name: str, value: int, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InvalidArgumentError(f"{name} must be an integer ≥ {minimum}, got {value!r}")
    return int(value)


def moons(n_samples: int = 1000, noise: float = 0.2, train_fraction: float = 0.8,
          seed: int = 0, c: float | None = 1.0) -> Dataset:
    """Two interleaving half-circles (sklearn `make_moons`), the [B26] v1 setting of E1.

    **Arguments** `n_samples` N before the split, `noise` std of the Gaussian jitter.
    **Returns** a binary `Dataset` with X of shape `(⌊0.8N⌋, 3)`: 2 standardized features, c.

    >>> from numerics import moons
    >>> data = moons(n_samples=20, seed=0)
    >>> data.task, tuple(data.X.shape), sorted(set(data.Y.tolist()))
    ('binary', (16, 3), [0.0, 1.0])
    """
    X, Y = make_moons(_count("n_samples", n_samples), noise=check.nonnegative("noise", noise),
                      random_state=sklearn_seed(seed))
    return from_arrays("moons", X, Y, train_fraction=train_fraction, seed=seed, c=c,
                       info={"noise": noise})


def cancer(train_fraction: float = 0.8, seed: int = 0, c: float | None = 1.0) -> Dataset:
    """Wisconsin Breast Cancer (sklearn's bundled copy, 569 samples, 30 features).

    Stratified split (455 train at 0.8); Y = 1 for benign, 0 for malignant (sklearn's coding).
    **Returns** a binary `Dataset` with X of shape `(455, 31)` at the defaults.

    >>> from numerics import cancer
    >>> data = cancer()
    >>> tuple(data.X.shape), tuple(data.X_test.shape)
    ((455, 31), (114, 31))
    """
    X, Y = load_breast_cancer(return_X_y=True)
    return from_arrays("cancer", X, Y, train_fraction=train_fraction, seed=seed, c=c,
                       stratify=True)


def digits(train_fraction: float = 0.8, seed: int = 0, c: float | None = 1.0) -> Dataset:
    """scikit-learn's bundled 8×8 handwritten digits (1797 images, 64 pixel features) as a
    binary task: Y = 1 for an odd digit, 0 for an even one (E5, real images).

    Stratified split (1437 train at 0.8), pixels standardized on the training split.
    **Returns** a binary `Dataset` with X of shape `(1437, 65)` at the defaults.

    >>> from numerics import digits
    >>> data = digits()
    >>> tuple(data.X.shape), tuple(data.X_test.shape)
    ((1437, 65), (360, 65))
    """
    X, digit = load_digits(return_X_y=True)
    return from_arrays("digits", X, (digit % 2).astype(np.float64),
                       train_fraction=train_fraction, seed=seed, c=c, stratify=True)


def blobs(n_samples: int = 500, n_features: int = 2, seed: int = 0, *, separation: float = 4.0,
          std: float = 1.0, train_fraction: float = 0.8, c: float | None = 1.0) -> Dataset:
    """Two Gaussian blobs N(±(separation/2)·e, std²·I), e a random unit vector.

    Classes alternate before shuffling, so they are balanced (±1 sample).
    **Returns** a binary `Dataset` with X of shape `(⌊0.8N⌋, n_features + 1)`.

    >>> from numerics import blobs
    >>> data = blobs(n_samples=20, n_features=3, seed=1)
    >>> tuple(data.X.shape), data.info["separation"]
    ((16, 4), 4.0)
    """
    N, d = _count("n_samples", n_samples, 2), _count("n_features", n_features)
    rng = np.random.default_rng(seed)
    e = rng.standard_normal(d)
    e /= np.linalg.norm(e)
    Y = rng.permutation(np.arange(N) % 2).astype(np.float64)
    # $x = (2y-1)\,\tfrac{s}{2}\, e + \sigma z$
    X = np.outer(2 * Y - 1, check.nonnegative("separation", separation) / 2 * e)
    X += check.positive("std", std) * rng.standard_normal((N, d))
    return from_arrays("blobs", X, Y, train_fraction=train_fraction, seed=seed, c=c,
                       info={"separation": separation, "noise_std": std,
                             "direction": e.tolist()})


def _balanced_threshold(Phi: np.ndarray) -> float:
    """The value τ of `Phi` for which #{Phi > τ} is closest to N/2."""
    values = np.unique(Phi)
    above = Phi.size - np.searchsorted(np.sort(Phi), values, side="right")
    if values.size < 2:
        raise InvalidArgumentError("the teacher is constant on the sample; choose another seed")
    return float(values[np.argmin(np.abs(above - Phi.size / 2))])


def teacher(n_samples: int = 500, n_features: int = 2, width_k: int = 3, noise: float = 0.0,
            seed: int = 0, task: str = "binary", *, train_fraction: float = 0.8,
            c: float | None = 1.0) -> Dataset:
    """Targets of a random width-k teacher `ReluNet` on x ~ N(0, I_d), augmented by c.

    The teacher acts on the stored inputs: inputs are *not* re-standardized (they are
    standard normal already), so `info["teacher"].predict(info["teacher_p"], data.X)`
    reproduces the noiseless targets. Teacher rows lie on the unit sphere, θ ~ N(0, 1/k).
    - "regression": y = Φ*(x) + noise·z, z ~ N(0, 1).
    - "binary": y = 1[Φ*(x) > τ], τ a value of Φ* on the N samples splitting them as
      evenly as ties allow (Φ* = 0 on every sample where all units are off),
      then each label is flipped with probability `noise` ∈ [0, 1].

    **Returns** a `Dataset` whose `info` holds `teacher` (the `ReluNet`, κ = 1 unused),
    `teacher_p` (shape `(1, P)`, float64), `width_k`, `threshold` τ (binary) and `noise`.

    >>> import torch
    >>> from numerics import teacher
    >>> data = teacher(n_samples=20, width_k=3, task="regression", train_fraction=1.0)
    >>> net, p = data.info["teacher"], data.info["teacher_p"]
    >>> tuple(data.X.shape), net.m, torch.allclose(net.predict(p, data.X)[0], data.Y)
    ((20, 3), 3, True)
    """
    if task not in ("binary", "regression"):
        raise InvalidArgumentError(f"task must be 'binary' or 'regression', got {task!r}")
    N, d = _count("n_samples", n_samples, 2), _count("n_features", n_features)
    noise = check.nonnegative("noise", noise)
    if task == "binary" and noise > 1:
        raise InvalidArgumentError(
            f"noise is a flip probability for binary teachers, got {noise!r}")
    rng = np.random.default_rng(seed)
    X_raw = rng.standard_normal((N, d))
    X = torch.from_numpy(augment(X_raw, c))
    net = ReluNet(X.shape[1], _count("width_k", width_k), kappa=1.0)
    W, theta = net.split(net.init(1, torch.Generator().manual_seed(seed), dtype=torch.float64))
    p = net.join(W / W.norm(dim=-1, keepdim=True), theta)
    # $\Phi^*(x) = \sum_{i\le k} \theta_i\, \rho(w_i^\top x)$
    Phi = net.predict(p, X)[0].numpy()
    info = {"teacher": net, "teacher_p": p, "width_k": width_k, "noise": noise}
    Y: np.ndarray
    if task == "regression":
        Y = Phi + noise * rng.standard_normal(N)
    else:
        info["threshold"] = tau = _balanced_threshold(Phi)
        Y = (Phi > tau) ^ (rng.random(N) < noise)
    return from_arrays("teacher", X_raw, Y, task=task, train_fraction=train_fraction, seed=seed,
                       c=c, standardize=False, info=info)


# [FB17] §3 regression targets on x ∈ [0, 1]
_FB_POLYS = {
    "quadratic": lambda x: 0.5 * x**2 + 0.25 * x + 0.1,
    "cubic": lambda x: 8 * x**3 - 10 * x**2 + 3 * x,
}


def fb_poly(kind: str = "quadratic", n_samples: int = 1000, seed: int = 0, *,
            train_fraction: float = 0.8, c: float | None = None) -> Dataset:
    """[FB17] regression tasks y = 0.5x² + 0.25x + 0.1 ("quadratic") or 8x³ − 10x² + 3x
    ("cubic"), x ~ U[0, 1], no noise.

    Chosen shape rules: x is kept on [0, 1] (no standardization — the task is defined
    there) and, because the 1-4-4-1 sigmoid MLP has its own biases, no augmentation column
    by default (`c=None`): X has shape `(⌊0.8N⌋, 1)`. Pass `c` to append one anyway (for
    the bias-free ReLU model).

    >>> from numerics import fb_poly
    >>> data = fb_poly("quadratic", n_samples=20)
    >>> x, y = data.X[:, 0], data.Y
    >>> error = (y - (0.5 * x**2 + 0.25 * x + 0.1)).abs().max()
    >>> data.task, tuple(data.X.shape), bool(error < 1e-12)
    ('regression', (16, 1), True)
    """
    if kind not in _FB_POLYS:
        raise InvalidArgumentError(f"kind must be one of {sorted(_FB_POLYS)}, got {kind!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, _count("n_samples", n_samples, 2))
    return from_arrays(f"fb_{kind}", x[:, None], _FB_POLYS[kind](x), task="regression",
                       train_fraction=train_fraction, seed=seed, c=c, standardize=False,
                       info={"kind": kind})


class UnknownDatasetError(RelulandscapeError, ValueError):
    """`load` was asked for a data set it does not know.

    >>> from numerics import load
    >>> load("mnist")
    Traceback (most recent call last):
        ...
    numerics._data_sets.UnknownDatasetError: unknown data set 'mnist'; known: moons, ...
    """


LOADERS: dict[str, Callable[..., Dataset]] = {
    "moons": moons,
    "cancer": cancer,
    "digits": digits,
    "blobs": blobs,
    "teacher": teacher,
    "fb_quadratic": partial(fb_poly, "quadratic"),
    "fb_cubic": partial(fb_poly, "cubic"),
}


def load(name: str, **kwargs) -> Dataset:
    """The data set `name` (a key of `LOADERS`), built with the loader's keyword arguments.

    >>> from numerics import load
    >>> data = load("fb_cubic", n_samples=10)
    >>> data.name, tuple(data.X.shape)
    ('fb_cubic', (8, 1))
    """
    if name not in LOADERS:
        raise UnknownDatasetError(f"unknown data set {name!r}; known: {', '.join(LOADERS)}")
    return LOADERS[name](**kwargs)
