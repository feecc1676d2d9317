"""Statistics for the experiments: scipy where scipy has it, ours where it does not.

Main definitions
- `permutation_test` — two-sample permutation test, p = (b+1)/(B+1);
  `legacy_permutation_test` — the published [B26] v1 rule (p = b/B, may be 0), kept
  to expose it; `difference_of_maxima` — T = max(x) − max(y), the [B26] statistic.
- `mann_whitney` — `scipy.stats.mannwhitneyu`, reporting which method it used.
- `cliffs_delta` — δ = P(X > Y) − P(X < Y) in O(n log n) (scipy has none).
- `bootstrap_ci`, `bootstrap_diff_ci` — percentile intervals, resampled by
  `scipy.stats.bootstrap`.
- `loglog_fit`, `loglog_slope_bootstrap` — power-law exponents with replicate-level CIs
  (the replicates resampled by `scipy.stats.bootstrap`).
- `zero_frequency` — how often a measured gap is zero.

The permutation tests stay ours: scipy.stats.permutation_test counts the observed
labelling differently from the (b+1)/(B+1) rule, and has no legacy b/B variant.

Conventions: the statistical unit is an independent replicate; every interval records
what was resampled; every random function takes `rng` (a `numpy.random.Generator` or an
integer seed) and is deterministic given it. Invalid inputs raise `ValueError` (or
`TypeError` for a wrong kind of object) naming the offending argument.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
import scipy.stats

from theory.errors import InvalidArgumentError

Alternative = Literal["less", "greater", "two-sided"]
Statistic1 = Callable[[np.ndarray], float]
Statistic2 = Callable[[np.ndarray, np.ndarray], float]

# Relative slack when comparing a resampled statistic with the observed one, so that a
# relabelling equal to the observed one counts as "at least as extreme" despite
# summation-order rounding (the same rule as scipy.stats.permutation_test).
_TIE_RTOL = 1e-14

# `method="auto"` uses the exact U distribution when a sample has at most this many
# values and there are no ties (scipy.stats.mannwhitneyu's rule, restated here only to
# report which method was used).
_EXACT_MAX_SMALLER_N = 8


# --- validation --------------------------------------------------------------------


def _sample(name: str, x: object) -> np.ndarray:
    """`x` as a nonempty, finite, one-dimensional float64 array."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1:
        raise InvalidArgumentError(f"{name} must be one-dimensional, got shape {a.shape}")
    if a.size == 0:
        raise InvalidArgumentError(f"{name} is empty; at least one value is needed")
    if not np.isfinite(a).all():
        n_nan = int(np.isnan(a).sum())
        n_inf = int(np.isinf(a).sum())
        raise InvalidArgumentError(f"{name} contains {n_nan} NaN and {n_inf} infinite value(s)")
    return a


def _n_resamples(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InvalidArgumentError(f"n_resamples must be an integer ≥ 1, got {n!r}")
    return int(n)


def _level(level: object) -> float:
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise InvalidArgumentError(
            f"level must be a number in the open interval (0, 1), got {level!r}")
    return float(level)


def _alternative(alternative: object) -> Alternative:
    if alternative not in ("less", "greater", "two-sided"):
        raise InvalidArgumentError(
            f"alternative must be 'less', 'greater' or 'two-sided', got {alternative!r}"
        )
    return cast(Alternative, alternative)


def _generator(rng: object) -> np.random.Generator:
    """A Generator passes through; an integer seeds a new one."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy.random.Generator or an integer seed, got {rng!r}")


def _callable(name: str, f: object) -> None:
    if not callable(f):
        raise TypeError(f"{name} must be callable, got {f!r}")


def _finite_values(name: str, values: np.ndarray) -> np.ndarray:
    """Check the outputs of a user statistic; `name` says where they came from."""
    if not np.isfinite(values).all():
        bad = int((~np.isfinite(values)).sum())
        raise InvalidArgumentError(f"statistic returned {bad} non-finite value(s) on {name}")
    return values


# --- permutation tests -------------------------------------------------------------


@dataclass(frozen=True)
class PermutationResult:
    """Outcome of a permutation test.

    **Fields**
    - `statistic`: T on the observed labelling.
    - `p`: the p-value (its rule is stated by the function that made it).
    - `b`: how many of the `B` relabellings counted as at least as extreme as observed.
    - `B`: number of random relabellings drawn.
    """

    statistic: float
    p: float
    b: int
    B: int


def difference_of_maxima(x: np.ndarray, y: np.ndarray) -> float:
    """T = max(x) − max(y), the [B26] v1 statistic (x = wide gaps, y = narrow gaps).

    **Arguments**
    - `x`, `y`: nonempty one-dimensional samples.

    **Returns** the float max(x) − max(y).
    """
    return float(np.max(x) - np.max(y))


def _permutation_distribution(
    x: np.ndarray,
    y: np.ndarray,
    statistic: Statistic2,
    n_resamples: int,
    rng: np.random.Generator,
) -> tuple[float, np.ndarray]:
    """T on the observed split and on `n_resamples` uniformly random relabellings.

    A relabelling shuffles the pooled sample (x, y) and gives its first len(x) values
    to x and the rest to y; the group sizes are kept.
    """
    t_obs = float(_finite_values("the observed samples", np.asarray([statistic(x, y)]))[0])
    pooled = np.concatenate([x, y])
    n_x = x.size
    t_perm = np.empty(n_resamples)
    for i in range(n_resamples):
        z = rng.permutation(pooled)
        t_perm[i] = statistic(z[:n_x], z[n_x:])
    return t_obs, _finite_values("a permuted sample", t_perm)


def permutation_test(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    statistic: Statistic2,
    *,
    n_resamples: int = 2000,
    alternative: Alternative = "greater",
    rng: np.random.Generator | int,
) -> PermutationResult:
    """Two-sample Monte Carlo permutation test with p = (b+1)/(B+1).

    Resampled: the group labels. Each of the B = `n_resamples` draws shuffles the
    pooled sample uniformly and splits it into groups of sizes len(x), len(y); T* is
    `statistic` on that split. Under H0 (x and y exchangeable) the observed split is
    one more draw from the same distribution, so p = (b+1)/(B+1) is a valid p-value
    and is never 0 (its smallest value is 1/(B+1)).

    Direction of "at least as extreme" (γ = 1e-14·|T| absorbs rounding):
    - `"greater"` (H1: T large): b = #{T* ≥ T − γ}, p = (b+1)/(B+1).
    - `"less"` (H1: T small): b = #{T* ≤ T + γ}, p = (b+1)/(B+1).
    - `"two-sided"`: b = min(b_less, b_greater) and p = min(1, 2(b+1)/(B+1)), the
      doubled smaller tail (no symmetry of T needed).

    **Arguments**
    - `x`, `y`: nonempty finite one-dimensional samples.
    - `statistic`: `(x, y) -> float`, e.g. a difference of means or
      `difference_of_maxima`; must return finite values.
    - `n_resamples`: B ≥ 1.
    - `alternative`: `"greater"`, `"less"` or `"two-sided"`.
    - `rng`: a `numpy.random.Generator` or an integer seed.

    **Returns** a `PermutationResult(statistic=T, p, b, B)`.
    """
    x, y = _sample("x", x), _sample("y", y)
    _callable("statistic", statistic)
    B = _n_resamples(n_resamples)
    alternative = _alternative(alternative)
    t_obs, t_perm = _permutation_distribution(x, y, statistic, B, _generator(rng))
    gamma = _TIE_RTOL * abs(t_obs)
    b_greater = int(np.sum(t_perm >= t_obs - gamma))
    b_less = int(np.sum(t_perm <= t_obs + gamma))
    if alternative == "greater":
        return PermutationResult(t_obs, (b_greater + 1) / (B + 1), b_greater, B)
    if alternative == "less":
        return PermutationResult(t_obs, (b_less + 1) / (B + 1), b_less, B)
    b = min(b_less, b_greater)
    return PermutationResult(t_obs, min(1.0, 2 * (b + 1) / (B + 1)), b, B)


def legacy_permutation_test(
    gaps_wide: Sequence[float] | np.ndarray,
    gaps_narrow: Sequence[float] | np.ndarray,
    *,
    n_resamples: int = 2000,
    rng: np.random.Generator | int,
) -> PermutationResult:
    """The published [B26] v1 rule, reproduced to expose it (not for new claims).

    T = max(gaps_wide) − max(gaps_narrow); the group labels are shuffled B times as in
    `permutation_test`; b = #{T* ≤ T} (exact comparison) and p = b/B. Because the
    observed labelling is not counted, p = 0 whenever no shuffle reaches the observed
    T — the "p_perm = 0 of 2000" of the paper — which no valid p-value can be. The
    corrected counterpart is `permutation_test(gaps_wide, gaps_narrow,
    difference_of_maxima, alternative="less")`, with p = (b+1)/(B+1).

    **Arguments**
    - `gaps_wide`, `gaps_narrow`: nonempty finite one-dimensional samples.
    - `n_resamples`: B ≥ 1.
    - `rng`: a `numpy.random.Generator` or an integer seed.

    **Returns** a `PermutationResult(statistic=T, p=b/B, b, B)`.
    """
    x, y = _sample("gaps_wide", gaps_wide), _sample("gaps_narrow", gaps_narrow)
    B = _n_resamples(n_resamples)
    t_obs, t_perm = _permutation_distribution(x, y, difference_of_maxima, B, _generator(rng))
    b = int(np.sum(t_perm <= t_obs))
    return PermutationResult(t_obs, b / B, b, B)


# --- rank statistics ---------------------------------------------------------------


@dataclass(frozen=True)
class MannWhitneyResult:
    """Outcome of `mann_whitney`.

    **Fields**
    - `U`: U of x, #{(i, j): x_i > y_j} + ½·#{(i, j): x_i = y_j}.
    - `p`: the p-value for the requested alternative.
    - `method`: `"exact"` or `"asymptotic"`, the one actually used.
    """

    U: float
    p: float
    method: str


def mann_whitney(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    alternative: Alternative = "less",
    method: Literal["auto", "exact", "asymptotic"] = "auto",
) -> MannWhitneyResult:
    """Mann–Whitney U (Wilcoxon rank-sum) test of x against y, by `scipy.stats.mannwhitneyu`.

    U1 = #{(i, j): x_i > y_j} + ½·#{(i, j): x_i = y_j} is the U of x. H1 for `"less"`:
    x stochastically smaller than y (the [B26] "wide < narrow" with x = wide);
    `"greater"` the reverse; `"two-sided"` either.

    - `"exact"`: the exact null distribution of U (all C(n1+n2, n1) orderings equally
      likely), valid without ties only; ties raise `ValueError`.
    - `"asymptotic"`: normal approximation with tie and continuity correction; if all
      values are tied the data carry no evidence and p = 1.
    - `"auto"`: exact when min(n1, n2) ≤ 8 and there are no ties, else asymptotic
      (scipy's rule; the result records which one ran).

    Nothing is resampled.

    **Arguments**
    - `x`, `y`: nonempty finite one-dimensional samples.
    - `alternative`: `"less"` (default), `"greater"` or `"two-sided"`.
    - `method`: `"auto"` (default), `"exact"` or `"asymptotic"`.

    **Returns** `MannWhitneyResult(U=U1, p, method)`.
    """
    x, y = _sample("x", x), _sample("y", y)
    alternative = _alternative(alternative)
    if method not in ("auto", "exact", "asymptotic"):
        raise InvalidArgumentError(
            f"method must be 'auto', 'exact' or 'asymptotic', got {method!r}")
    ties = np.unique(np.concatenate([x, y])).size < x.size + y.size
    if method == "auto":
        exact = min(x.size, y.size) <= _EXACT_MAX_SMALLER_N and not ties
        method = "exact" if exact else "asymptotic"
    if method == "exact" and ties:
        raise InvalidArgumentError(
            "method='exact' needs samples without ties; x and y contain ties")
    res = scipy.stats.mannwhitneyu(x, y, alternative=alternative, method=method)
    return MannWhitneyResult(float(res.statistic), float(res.pvalue), method)


def cliffs_delta(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Cliff's δ = P(X > Y) − P(X < Y) over all n1·n2 pairs, in O((n1+n2) log n2).

    δ = (#{x_i > y_j} − #{x_i < y_j}) / (n1·n2); ties count for neither side. With y
    sorted, #{y_j < x_i} and #{y_j > x_i} come from binary search. δ ∈ [−1, 1],
    δ(x, y) = −δ(y, x), and δ = 2·U1/(n1·n2) − 1 for the U of `mann_whitney`.
    Nothing is resampled.

    **Arguments**
    - `x`, `y`: nonempty finite one-dimensional samples.

    **Returns** δ as a float.
    """
    x, y = _sample("x", x), _sample("y", y)
    y_sorted = np.sort(y)
    n_y_below = np.searchsorted(y_sorted, x, side="left")
    n_y_above = y.size - np.searchsorted(y_sorted, x, side="right")
    return float((n_y_below.sum() - n_y_above.sum()) / (x.size * y.size))


# --- bootstrap ---------------------------------------------------------------------


@dataclass(frozen=True)
class BootstrapInterval:
    """A percentile bootstrap interval.

    **Fields**
    - `estimate`: the statistic on the original data.
    - `low`, `high`: the (1−level)/2 and (1+level)/2 quantiles of the bootstrap
      distribution.
    - `level`: the nominal coverage.
    - `n_resamples`: number of bootstrap resamples B.
    - `resampled`: in words, what was resampled.
    """

    estimate: float
    low: float
    high: float
    level: float
    n_resamples: int
    resampled: str


def _bootstrap_distribution(
    what: str, samples: Sequence[np.ndarray], statistic: Callable[..., object], B: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """`statistic(*resamples)` on B resamples drawn by `scipy.stats.bootstrap`.

    Each sample is drawn with replacement at its own size, independently of the others
    (unpaired). A sample of one value can only resample to itself, so it is held fixed
    (scipy needs two or more values to resample). Returns shape (B,) for a scalar
    statistic, (k, B) for a statistic of k values; `what` names the data in errors.
    """
    free = [j for j, a in enumerate(samples) if a.size > 1]

    def on_resample(*drawn: np.ndarray) -> object:
        args = list(samples)
        for j, a in zip(free, drawn, strict=True):
            args[j] = a
        return statistic(*args)

    if free:
        with warnings.catch_warnings(), np.errstate(invalid="ignore"):
            # scipy's own interval is not used, and non-finite values are refused below
            warnings.simplefilter("ignore", scipy.stats.DegenerateDataWarning)
            # scipy's standard error of a single resample (B = 1), also unused; a NaN or
            # infinity the statistic itself produces is refused below
            warnings.filterwarnings("ignore", "Degrees of freedom <= 0", RuntimeWarning)
            res = scipy.stats.bootstrap(
                [samples[j] for j in free], on_resample, n_resamples=B, method="percentile",
                paired=False, vectorized=False, rng=rng,
            )
        theta = np.asarray(res.bootstrap_distribution, dtype=np.float64)
    else:
        fixed = np.asarray(statistic(*samples), dtype=np.float64)
        theta = np.repeat(fixed[..., None], B, axis=-1)
    return _finite_values(f"a bootstrap resample of {what}", theta)


def _percentile_interval(theta: np.ndarray, level: float) -> tuple[float, float]:
    """Quantiles (1−level)/2 and (1+level)/2 of `theta` (numpy's linear interpolation, so
    a distribution of equal values gives that value exactly at both ends)."""
    low, high = np.quantile(theta, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def bootstrap_ci(
    x: Sequence[float] | np.ndarray,
    statistic: Statistic1,
    *,
    n_resamples: int = 2000,
    level: float = 0.95,
    rng: np.random.Generator | int,
) -> BootstrapInterval:
    """Percentile bootstrap interval for a one-sample statistic θ = s(x).

    Resampled: the n values of x, with replacement, B = `n_resamples` times; θ*_b =
    s(x*_b); the interval is [q_{(1−level)/2}, q_{(1+level)/2}] of {θ*_b}. If all values
    of x are equal every resample equals x, so low = high = s(x) exactly.

    **Arguments**
    - `x`: nonempty finite one-dimensional sample.
    - `statistic`: `x -> float` (e.g. `np.mean`, `np.median`, `np.max`); finite values.
    - `n_resamples`: B ≥ 1. `level`: in (0, 1).
    - `rng`: a `numpy.random.Generator` or an integer seed.

    **Returns** a `BootstrapInterval`.
    """
    x = _sample("x", x)
    _callable("statistic", statistic)
    B, level = _n_resamples(n_resamples), _level(level)
    estimate = float(_finite_values("x", np.asarray([statistic(x)]))[0])
    theta = _bootstrap_distribution("x", [x], statistic, B, _generator(rng))
    low, high = _percentile_interval(theta, level)
    resampled = f"x: {x.size} values drawn with replacement, {B} times"
    return BootstrapInterval(estimate, low, high, level, B, resampled)


def bootstrap_diff_ci(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    statistic: Statistic1,
    *,
    n_resamples: int = 2000,
    level: float = 0.95,
    rng: np.random.Generator | int,
) -> BootstrapInterval:
    """Percentile bootstrap interval for a difference Δ = s(x) − s(y) of two groups.

    Resampled: x and y independently (unpaired), each with replacement at its own size,
    B = `n_resamples` times; Δ*_b = s(x*_b) − s(y*_b); the interval is the
    [(1−level)/2, (1+level)/2] quantile range of {Δ*_b}. Degenerate groups (all values
    equal in both) give low = high = Δ exactly.

    **Arguments**
    - `x`, `y`: nonempty finite one-dimensional samples.
    - `statistic`: `sample -> float` applied to each group (mean, median, max, …).
    - `n_resamples`: B ≥ 1. `level`: in (0, 1).
    - `rng`: a `numpy.random.Generator` or an integer seed.

    **Returns** a `BootstrapInterval` for s(x) − s(y).
    """
    x, y = _sample("x", x), _sample("y", y)
    _callable("statistic", statistic)
    B, level = _n_resamples(n_resamples), _level(level)
    estimate = float(_finite_values("x and y", np.asarray([statistic(x) - statistic(y)]))[0])

    def difference(a: np.ndarray, b: np.ndarray) -> float:
        # Δ*_b = s(x*_b) − s(y*_b)
        return float(statistic(a)) - float(statistic(b))

    delta = _bootstrap_distribution("x and y", [x, y], difference, B, _generator(rng))
    low, high = _percentile_interval(delta, level)
    resampled = (
        f"x ({x.size} values) and y ({y.size} values) drawn independently with "
        f"replacement, {B} times"
    )
    return BootstrapInterval(estimate, low, high, level, B, resampled)


# --- power laws --------------------------------------------------------------------


@dataclass(frozen=True)
class LogLogFit:
    """Least-squares line log v = intercept + slope · log w (natural logarithms).

    **Fields** `slope` (the power-law exponent a in v ≈ e^intercept · wᵃ), `intercept`.
    """

    slope: float
    intercept: float


@dataclass(frozen=True)
class LogLogSlopeCI:
    """A log–log slope with its replicate-level percentile bootstrap interval.

    **Fields** `slope`, `intercept` (fit to the per-width aggregates), `low`, `high`,
    `level`, `n_resamples`, `resampled` (in words).
    """

    slope: float
    intercept: float
    low: float
    high: float
    level: float
    n_resamples: int
    resampled: str


def _log_widths(widths: object) -> np.ndarray:
    w = _sample("widths", widths)
    if np.any(w <= 0):
        raise InvalidArgumentError(
            f"widths must be positive, got {int(np.sum(w <= 0))} nonpositive")
    if np.unique(w).size < 2:
        raise InvalidArgumentError(
            "widths must contain at least two distinct values to fit a slope")
    return np.log(w)


def _log_positive(name: str, v: np.ndarray) -> np.ndarray:
    """log v, refusing zeros and negatives with a count of each."""
    if np.any(v <= 0):
        n_zero, n_neg = int(np.sum(v == 0)), int(np.sum(v < 0))
        raise InvalidArgumentError(
            f"{name} must be positive for a log-log fit: {n_zero} zero and {n_neg} negative "
            f"of {v.size}; report zero_frequency instead"
        )
    return np.log(v)


def _least_squares_line(log_w: np.ndarray, log_v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slope and intercept of log_v ≈ α + a·log_w for each row of `log_v` (..., k)."""
    lw_c = log_w - log_w.mean()
    # a = Σ (ℓw_i − mean ℓw) ℓv_i / Σ (ℓw_i − mean ℓw)²,  α = mean ℓv − a · mean ℓw
    slope = (log_v @ lw_c) / (lw_c @ lw_c)
    intercept = log_v.mean(axis=-1) - slope * log_w.mean()
    return slope, intercept


def loglog_fit(
    widths: Sequence[float] | np.ndarray, values: Sequence[float] | np.ndarray
) -> LogLogFit:
    """Fit v ≈ e^α · wᵃ by least squares on (log w, log v).

    Nothing is resampled. Widths may repeat (e.g. one point per replicate).

    **Arguments**
    - `widths`: positive finite widths w, shape (k,), at least two distinct.
    - `values`: positive finite values v, shape (k,). Zeros or negatives raise
      `ValueError` saying how many there were (use `zero_frequency` for such data).

    **Returns** `LogLogFit(slope=a, intercept=α)`.
    """
    log_w = _log_widths(widths)
    v = _sample("values", values)
    if v.shape != log_w.shape:
        raise InvalidArgumentError(f"values has {v.size} entries but widths has {log_w.size}")
    slope, intercept = _least_squares_line(log_w, _log_positive("values", v))
    return LogLogFit(float(slope), float(intercept))


def loglog_slope_bootstrap(
    widths: Sequence[float] | np.ndarray,
    replicate_values: Sequence[Sequence[float] | np.ndarray],
    *,
    aggregate: Statistic1 = np.mean,
    n_resamples: int = 2000,
    level: float = 0.95,
    rng: np.random.Generator | int,
) -> LogLogSlopeCI:
    """Log–log slope of a per-width aggregate, with a replicate-level bootstrap CI.

    Point estimate: v_j = aggregate(replicates at width w_j), then `loglog_fit(w, v)`.
    Resampled: the replicates *within each width*, with replacement at that width's
    replicate count, independently across widths, B = `n_resamples` times; each
    resample gives aggregates v*_j and a slope a*_b; the interval is the
    [(1−level)/2, (1+level)/2] quantile range of {a*_b}. Widths are fixed design points
    and are never resampled. If the replicates agree within every width the interval
    is the single point a.

    **Arguments**
    - `widths`: positive finite widths, shape (k,), at least two distinct.
    - `replicate_values`: k nonempty finite samples, the j-th holding the independent
      replicates measured at `widths[j]` (counts may differ).
    - `aggregate`: `sample -> float`, default `np.mean`.
    - `n_resamples`: B ≥ 1. `level`: in (0, 1).
    - `rng`: a `numpy.random.Generator` or an integer seed.

    **Returns** `LogLogSlopeCI`. A nonpositive aggregate, on the data or on any
    resample, raises `ValueError` with the count (use `zero_frequency` then).
    """
    log_w = _log_widths(widths)
    _callable("aggregate", aggregate)
    B, level = _n_resamples(n_resamples), _level(level)
    if len(replicate_values) != log_w.size:
        raise InvalidArgumentError(
            f"replicate_values has {len(replicate_values)} groups but widths has {log_w.size}"
        )
    groups = [_sample(f"replicate_values[{j}]", g) for j, g in enumerate(replicate_values)]
    v = _finite_values("replicate_values", np.array([aggregate(g) for g in groups]))
    fit = _least_squares_line(log_w, _log_positive("the aggregated replicate_values", v))

    def aggregates(*resampled: np.ndarray) -> np.ndarray:
        # v*_{bj} = aggregate of a resample of the replicates at width j
        return np.array([aggregate(g) for g in resampled], dtype=np.float64)

    v_star = _bootstrap_distribution("replicate_values", groups, aggregates, B, _generator(rng)).T
    n_bad = int(np.sum(np.any(v_star <= 0, axis=1)))
    if n_bad:
        raise InvalidArgumentError(
            f"the aggregate of replicate_values is nonpositive at some width in {n_bad} of "
            f"{B} bootstrap resamples; too many zeros for a log-log slope, report "
            "zero_frequency instead"
        )
    slopes, _ = _least_squares_line(log_w, np.log(v_star))
    low, high = _percentile_interval(slopes, level)
    counts = ", ".join(str(g.size) for g in groups)
    resampled = (
        f"replicates within each of {log_w.size} widths (counts {counts}) drawn with "
        f"replacement, independently per width, {B} times"
    )
    return LogLogSlopeCI(float(fit[0]), float(fit[1]), low, high, level, B, resampled)


@dataclass(frozen=True)
class ZeroFrequency:
    """How many values are zero within `atol`: `n_zero` of `n`, `fraction` = n_zero/n."""

    n_zero: int
    n: int
    fraction: float


def zero_frequency(values: Sequence[float] | np.ndarray, atol: float) -> ZeroFrequency:
    """Count the values with |v| ≤ atol (a gap that is zero up to tolerance).

    Reported instead of a log–log slope when most gaps vanish. Nothing is resampled.

    **Arguments**
    - `values`: nonempty finite one-dimensional sample.
    - `atol`: tolerance ≥ 0 (0 counts exact zeros only).

    **Returns** `ZeroFrequency(n_zero, n, fraction)`.
    """
    v = _sample("values", values)
    valid = isinstance(atol, int | float) and not isinstance(atol, bool)
    if not (valid and math.isfinite(atol) and atol >= 0):
        raise InvalidArgumentError(f"atol must be a finite number ≥ 0, got {atol!r}")
    n_zero = int(np.sum(np.abs(v) <= atol))
    return ZeroFrequency(n_zero, v.size, n_zero / v.size)
