"""Data sets as `Dataset`s (THEORY.md §1, §8): deterministic in `seed`, split into train and
test, standardized with train statistics, augmented x ↦ (x, c) with c last.

| name | loader | task |
|---|---|---|
| "moons" | `moons(n_samples, noise, train_fraction, seed, c)` | binary |
| "cancer" | `cancer(train_fraction, seed, c)` | binary |
| "blobs" | `blobs(n_samples, n_features, seed, …)` | binary |
| "teacher" | `teacher(n_samples, n_features, width_k, noise, seed, task)` | binary / regression |
| "fb_quadratic", "fb_cubic" | `fb_poly(kind, n_samples, seed)` | regression |

`from_arrays` builds a `Dataset` from raw arrays by the same rules.
"""

from __future__ import annotations

from functools import partial

from numerics._data_prep import from_arrays
from numerics._data_sets import blobs, cancer, fb_poly, moons, teacher
from numerics._dataset import Dataset

__all__ = ["LOADERS", "Dataset", "UnknownDatasetError", "blobs", "cancer", "fb_poly",
           "from_arrays", "load", "moons", "teacher"]


class UnknownDatasetError(ValueError):
    """`load` was asked for a data set it does not know."""


LOADERS = {
    "moons": moons,
    "cancer": cancer,
    "blobs": blobs,
    "teacher": teacher,
    "fb_quadratic": partial(fb_poly, "quadratic"),
    "fb_cubic": partial(fb_poly, "cubic"),
}


def load(name: str, **kwargs) -> Dataset:
    """The data set `name` (a key of `LOADERS`), built with the loader's keyword arguments."""
    if name not in LOADERS:
        raise UnknownDatasetError(f"unknown data set {name!r}; known: {', '.join(LOADERS)}")
    return LOADERS[name](**kwargs)
