"""From raw arrays to a `Dataset`: split, standardize on the train split, augment.

Every loader of `numerics` (numerics/_data_sets.py) ends in `from_arrays`, so the three
rules hold for all of them: (1) the train/test split is a deterministic function of `seed`; (2) the
standardization (x − μ)/σ uses μ, σ of the *train* inputs only; (3) the augmentation
x ↦ (x, c) of docs/notation.md appends the constant `c` as the last input column.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from sklearn.model_selection import train_test_split

from numerics import _validate as check
from numerics._dataset import Dataset
from theory.errors import InvalidArgumentError


def sklearn_seed(seed: int) -> int:
    """`seed` as sklearn's `random_state`, which must lie in [0, 2³²): a seed below 2³²
    passes unchanged (the data of every earlier run), a larger one (every seed in
    [0, 2⁶³) is accepted) is folded to 32 bits by SHA-256."""
    if 0 <= seed < 2**32:
        return seed
    import hashlib

    return int.from_bytes(hashlib.sha256(f"sklearn:{seed}".encode()).digest()[:4], "little")


def augment(X: np.ndarray, c: float | None) -> np.ndarray:
    """x ↦ (x, c): `(N, d)` → `(N, d + 1)`; `c=None` leaves `X` as it is."""
    if c is None:
        return X
    return np.concatenate([X, np.full((X.shape[0], 1), c, dtype=X.dtype)], axis=1)


def _check_arrays(X: np.ndarray, Y: np.ndarray) -> None:
    if X.ndim != 2:
        raise check.ShapeError(f"X has shape {X.shape}, expected (N, d)")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise check.EmptyDataError(f"X has shape {X.shape}: no samples or no features")
    if Y.shape != (X.shape[0],):
        raise check.ShapeError(f"Y has shape {Y.shape}, expected ({X.shape[0]},)")
    for name, a in (("X", X), ("Y", Y)):
        if not np.isfinite(a).all():
            raise check.NonFiniteError(f"{name} contains {int((~np.isfinite(a)).sum())} "
                                       "NaN/Inf value(s)")


def _split(N: int, Y: np.ndarray, train_fraction: float, seed: int, stratify: bool):
    """Index arrays (train, test); no test split when `train_fraction == 1`."""
    if not (0 < train_fraction <= 1):
        raise InvalidArgumentError(f"train_fraction must lie in (0, 1], got {train_fraction!r}")
    idx = np.arange(N)
    if train_fraction == 1:
        return idx, idx[:0]
    n_train = math.floor(train_fraction * N)
    if n_train < 1 or n_train == N:
        raise check.EmptyDataError(
            f"train_fraction={train_fraction} of N={N} samples leaves an empty train or test split"
        )
    return train_test_split(idx, train_size=n_train, random_state=sklearn_seed(seed),
                            stratify=Y if stratify else None)


def from_arrays(
    name: str,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    task: str = "binary",
    train_fraction: float = 0.8,
    seed: int = 0,
    c: float | None = 1.0,
    stratify: bool = False,
    standardize: bool = True,
    info: dict | None = None,
) -> Dataset:
    """Split, standardize (train statistics) and augment raw data into a float64 `Dataset`.

    **Arguments**
    - `X`: raw inputs, shape `(N, d)`; `Y`: targets, shape `(N,)` ({0, 1} for "binary").
    - `train_fraction`: ⌊fraction·N⌋ training samples; 1 keeps everything for training
      (then `X_test`, `Y_test` are empty with the right number of columns).
    - `seed`: seed of the split; `stratify`: keep the class proportions in both splits.
    - `c`: augmentation constant appended as the last column; None appends nothing.
    - `standardize`: map each raw feature to (x − μ)/σ with μ, σ from the train split
      (σ = 0 is replaced by 1, as sklearn's StandardScaler does).

    **Returns** a `Dataset` with `X` of shape `(N_train, d + 1)` (or `d` when `c` is None)
    and `info` recording `seed`, `c`, `train_fraction` and the fitted `mean`, `std`.

    >>> import numpy as np
    >>> from numerics import from_arrays
    >>> data = from_arrays("toy", np.arange(20.0).reshape(10, 2), np.array([0, 1] * 5))
    >>> tuple(data.X.shape), tuple(data.X_test.shape)  # 8 train rows, 2 features + c
    ((8, 3), (2, 3))
    >>> bool(data.X[:, -1].eq(1).all()), bool(data.X[:, :2].mean(0).abs().max() < 1e-12)
    (True, True)
    """
    if c is not None and not math.isfinite(c):
        raise InvalidArgumentError(f"c must be a finite number or None, got {c!r}")
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    _check_arrays(X, Y)
    # checked before the split: `Dataset` checks the train targets only
    if task == "binary" and not np.isin(Y, (0.0, 1.0)).all():
        raise InvalidArgumentError("binary targets Y must be in {0, 1} (in both splits)")
    train, test = _split(X.shape[0], Y, train_fraction, seed, stratify)
    mean = X[train].mean(axis=0) if standardize else np.zeros(X.shape[1])
    std = X[train].std(axis=0) if standardize else np.ones(X.shape[1])
    std[std == 0] = 1.0

    def prepared(rows: np.ndarray) -> torch.Tensor:
        # $x \mapsto ((x-\mu)/\sigma,\ c)$ with $\mu, \sigma$ of the train split
        return torch.from_numpy(augment((X[rows] - mean) / std, c))

    meta = {"seed": seed, "c": c, "train_fraction": train_fraction,
            "standardized": standardize, "mean": mean.tolist(), "std": std.tolist()}
    # the caller's own facts sit beside the preparation's, never in their place
    clash = sorted(set(meta) & set(info or {}))
    if clash:
        raise InvalidArgumentError(f"info keys {clash} are reserved for the preparation's "
                                   f"record ({', '.join(meta)}); rename them")
    return Dataset(name, prepared(train), torch.from_numpy(Y[train]), task=task,
                   X_test=prepared(test), Y_test=torch.from_numpy(Y[test]),
                   info={**meta, **(info or {})})
