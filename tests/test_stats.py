"""Tests for `experiments.stats`: each function against scipy, brute force or exact cases."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from experiments import stats

small_floats = st.lists(
    st.floats(-100, 100, allow_nan=False, allow_infinity=False), min_size=1, max_size=12
)
# few distinct values, so ties are common
tied_ints = st.lists(st.integers(-3, 3), min_size=1, max_size=15)
seeds = st.integers(0, 2**32 - 1)


def mean_difference(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(x) - np.mean(y))


# --- permutation tests -------------------------------------------------------------


def enumerated_tail_fractions(x, y, statistic) -> tuple[float, float]:
    """Exact P(T* ≤ T) and P(T* ≥ T) over all C(n, len(x)) relabellings."""
    pooled = np.concatenate([x, y])
    t_obs = statistic(np.asarray(x), np.asarray(y))
    t_all = []
    for chosen in combinations(range(pooled.size), len(x)):
        mask = np.zeros(pooled.size, dtype=bool)
        mask[list(chosen)] = True
        t_all.append(statistic(pooled[mask], pooled[~mask]))
    t_all = np.array(t_all)
    return float(np.mean(t_all <= t_obs)), float(np.mean(t_all >= t_obs))


@pytest.mark.parametrize("alternative", ["less", "greater", "two-sided"])
def test_permutation_count_matches_full_enumeration(alternative):
    # integer data: every relabelling's mean difference is computed without rounding
    x, y = np.array([3.0, 7.0, 8.0]), np.array([1.0, 2.0, 4.0, 5.0])
    q_less, q_greater = enumerated_tail_fractions(x, y, mean_difference)
    q = {"less": q_less, "greater": q_greater, "two-sided": min(q_less, q_greater)}[alternative]
    B = 5000
    res = stats.permutation_test(
        x, y, mean_difference, n_resamples=B, alternative=alternative, rng=1
    )
    # b ~ Binomial(B, q) for the one-sided tails: allow five standard deviations
    assert abs(res.b / B - q) <= 5 * math.sqrt(q * (1 - q) / B) + 1 / B
    assert res.statistic == mean_difference(x, y)


@given(x=small_floats, y=small_floats, seed=seeds, alternative=st.sampled_from(["less", "greater"]))
def test_permutation_p_is_b_plus_one_over_B_plus_one(x, y, seed, alternative):
    B = 40
    res = stats.permutation_test(
        x, y, mean_difference, n_resamples=B, alternative=alternative, rng=seed
    )
    assert res.B == B and 0 <= res.b <= B
    assert res.p == (res.b + 1) / (B + 1)
    assert 1 / (B + 1) <= res.p <= 1


@given(x=small_floats, y=small_floats, seed=seeds)
def test_two_sided_p_doubles_the_smaller_tail(x, y, seed):
    kwargs = {"n_resamples": 40, "rng": seed}
    less = stats.permutation_test(x, y, mean_difference, alternative="less", **kwargs)
    greater = stats.permutation_test(x, y, mean_difference, alternative="greater", **kwargs)
    both = stats.permutation_test(x, y, mean_difference, alternative="two-sided", **kwargs)
    assert both.b == min(less.b, greater.b)
    assert both.p == min(1.0, 2 * min(less.p, greater.p))


def test_permutation_counts_relabellings_equal_to_the_observed_one():
    # all values equal: every T* equals T, so every draw is "at least as extreme"
    for alternative in ("less", "greater"):
        res = stats.permutation_test(
            [2.0] * 4, [2.0] * 3, mean_difference, n_resamples=30, alternative=alternative, rng=0
        )
        assert (res.b, res.p) == (30, 1.0)


def test_permutation_direction_follows_the_alternative():
    x, y = np.arange(10.0, 20.0), np.arange(0.0, 10.0)  # x clearly larger
    greater = stats.permutation_test(
        x, y, mean_difference, n_resamples=200, alternative="greater", rng=3
    )
    less = stats.permutation_test(x, y, mean_difference, n_resamples=200, alternative="less", rng=3)
    assert greater.p == 1 / 201
    assert less.p == 1.0


def test_permutation_is_deterministic_given_a_seed():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=8), rng.normal(size=9)
    a = stats.permutation_test(x, y, mean_difference, n_resamples=100, rng=11)
    b = stats.permutation_test(
        x, y, mean_difference, n_resamples=100, rng=np.random.default_rng(11)
    )
    assert a == b


def test_legacy_rule_reports_zero_where_the_corrected_rule_cannot():
    # wide gaps all below narrow ones: almost no shuffle reaches the observed T
    wide, narrow = np.linspace(0.0, 0.1, 10), np.linspace(1.0, 2.0, 10)
    legacy = stats.legacy_permutation_test(wide, narrow, n_resamples=2000, rng=0)
    corrected = stats.permutation_test(
        wide, narrow, stats.difference_of_maxima, n_resamples=2000, alternative="less", rng=0
    )
    assert legacy.statistic == corrected.statistic == pytest.approx(0.1 - 2.0)
    assert (legacy.b, legacy.p) == (0, 0.0)
    assert corrected.p == 1 / 2001


def test_legacy_and_corrected_rules_share_the_shuffles(rng):
    wide, narrow = rng.exponential(size=12), rng.exponential(size=15)
    legacy = stats.legacy_permutation_test(wide, narrow, n_resamples=300, rng=8)
    corrected = stats.permutation_test(
        wide, narrow, stats.difference_of_maxima, n_resamples=300, alternative="less", rng=8
    )
    assert legacy.b == corrected.b
    assert legacy.p == legacy.b / 300
    assert corrected.p == (legacy.b + 1) / 301


# --- Mann–Whitney and Cliff's δ ----------------------------------------------------


@pytest.mark.parametrize("alternative", ["less", "greater", "two-sided"])
@pytest.mark.parametrize("sizes", [(1, 1), (3, 5), (8, 8), (4, 30)])
def test_mann_whitney_exact_matches_scipy(rng, alternative, sizes):
    x, y = rng.normal(size=sizes[0]), rng.normal(0.5, size=sizes[1])
    ours = stats.mann_whitney(x, y, alternative, method="exact")
    ref = scipy.stats.mannwhitneyu(x, y, alternative=alternative, method="exact")
    assert ours.U == ref.statistic
    assert ours.p == pytest.approx(ref.pvalue, rel=1e-12)


@pytest.mark.parametrize("alternative", ["less", "greater", "two-sided"])
@given(x=tied_ints, y=tied_ints)
def test_mann_whitney_asymptotic_with_ties_matches_scipy(alternative, x, y):
    ours = stats.mann_whitney(x, y, alternative, method="asymptotic")
    ref = scipy.stats.mannwhitneyu(x, y, alternative=alternative, method="asymptotic")
    assert ours.U == ref.statistic
    assert ours.p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)


@given(x=small_floats, y=small_floats)
def test_mann_whitney_auto_chooses_like_scipy(x, y):
    ours = stats.mann_whitney(x, y, "less")
    ref = scipy.stats.mannwhitneyu(x, y, alternative="less")
    assert ours.p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
    has_ties = len(set(x + y)) < len(x) + len(y)
    assert (ours.method == "exact") == (min(len(x), len(y)) <= 8 and not has_ties)


def test_mann_whitney_exact_matches_enumeration_of_orderings():
    x, y = np.array([0.3, 1.2, 2.5]), np.array([0.1, 0.9, 1.5, 2.0, 3.1])
    pooled = np.concatenate([x, y])

    def u_of(xs, ys):
        return int(np.sum(xs[:, None] > ys[None, :]))

    u_obs = u_of(x, y)
    u_all = []
    for chosen in combinations(range(8), 3):
        mask = np.isin(np.arange(8), chosen)
        u_all.append(u_of(pooled[mask], pooled[~mask]))
    u_all = np.array(u_all)
    assert stats.mann_whitney(x, y, "greater", "exact").p == pytest.approx(
        np.mean(u_all >= u_obs), rel=1e-12
    )
    assert stats.mann_whitney(x, y, "less", "exact").p == pytest.approx(
        np.mean(u_all <= u_obs), rel=1e-12
    )


def test_mann_whitney_all_tied_gives_p_one():
    res = stats.mann_whitney([1.0, 1.0], [1.0, 1.0, 1.0], "less")
    assert (res.U, res.p, res.method) == (3.0, 1.0, "asymptotic")


def test_mann_whitney_exact_refuses_ties():
    with pytest.raises(ValueError, match="ties"):
        stats.mann_whitney([1.0, 2.0], [2.0, 3.0], method="exact")


def test_mann_whitney_refuses_unknown_method():
    with pytest.raises(ValueError, match="method"):
        stats.mann_whitney([1.0], [2.0], method="permutation")


@given(x=tied_ints, y=tied_ints)
def test_cliffs_delta_matches_the_pairwise_definition(x, y):
    # δ = P(X > Y) − P(X < Y) over all pairs, O(n²)
    sign = np.sign(np.subtract.outer(np.asarray(x, float), np.asarray(y, float)))
    assert stats.cliffs_delta(x, y) == pytest.approx(sign.mean(), abs=1e-15)


@given(x=tied_ints, y=tied_ints)
def test_cliffs_delta_is_antisymmetric_and_a_rescaled_u(x, y):
    delta = stats.cliffs_delta(x, y)
    assert stats.cliffs_delta(y, x) == -delta
    assert -1 <= delta <= 1
    U = scipy.stats.mannwhitneyu(x, y, method="asymptotic").statistic
    assert delta == pytest.approx(2 * U / (len(x) * len(y)) - 1, abs=1e-14)


# --- bootstrap ---------------------------------------------------------------------


@pytest.mark.parametrize("statistic", [np.mean, np.median])
def test_bootstrap_ci_matches_scipy_percentile(rng, statistic):
    x = rng.normal(size=30)
    ours = stats.bootstrap_ci(x, statistic, n_resamples=2000, level=0.9, rng=1)
    ref = scipy.stats.bootstrap(
        (x,), statistic, n_resamples=2000, confidence_level=0.9, method="percentile", rng=2
    ).confidence_interval
    # Monte Carlo error of a 5 % bootstrap quantile at B = 2000 is ~0.1 s/√n per method
    tol = 0.5 * np.std(x) / np.sqrt(x.size)
    assert ours.low == pytest.approx(ref.low, abs=tol)
    assert ours.high == pytest.approx(ref.high, abs=tol)
    assert ours.estimate == statistic(x)
    assert ours.low < ours.estimate < ours.high


def test_bootstrap_diff_ci_matches_scipy_unpaired(rng):
    x, y = rng.normal(size=25), rng.normal(1.0, 2.0, size=40)

    def diff(a, b, axis=-1):
        return np.mean(a, axis=axis) - np.mean(b, axis=axis)

    ours = stats.bootstrap_diff_ci(x, y, np.mean, n_resamples=2000, rng=1)
    ref = scipy.stats.bootstrap(
        (x, y), diff, n_resamples=2000, method="percentile", paired=False, rng=2
    ).confidence_interval
    tol = 0.5 * np.sqrt(np.var(x) / x.size + np.var(y) / y.size)
    assert ours.low == pytest.approx(ref.low, abs=tol)
    assert ours.high == pytest.approx(ref.high, abs=tol)
    assert ours.estimate == pytest.approx(np.mean(x) - np.mean(y), abs=1e-15)
    assert "independently" in ours.resampled


def test_bootstrap_on_a_degenerate_sample_is_the_point_exactly():
    # 0.75 is a dyadic value: every sum and mean of copies of it is exact in float64
    x = np.full(7, 0.75)
    ours = stats.bootstrap_ci(x, np.mean, n_resamples=50, rng=0)
    ref = scipy.stats.bootstrap(
        (x,), np.mean, n_resamples=50, method="percentile", rng=0
    ).confidence_interval
    assert ours.low == ours.high == ours.estimate == 0.75
    assert (ref.low, ref.high) == (0.75, 0.75)
    # a constant non-dyadic sample: every resample is x itself, so the point is s(x)
    x = np.full(7, 0.1)
    ours = stats.bootstrap_ci(x, np.mean, n_resamples=50, rng=0)
    assert ours.low == ours.high == ours.estimate == np.mean(x)
    diff = stats.bootstrap_diff_ci(x, np.full(3, 2.0), np.max, n_resamples=50, rng=0)
    assert diff.low == diff.high == diff.estimate == 0.1 - 2.0


@given(x=small_floats, seed=seeds)
def test_bootstrap_intervals_are_nested_in_the_level(x, seed):
    narrow = stats.bootstrap_ci(x, np.mean, n_resamples=60, level=0.5, rng=seed)
    wide = stats.bootstrap_ci(x, np.mean, n_resamples=60, level=0.95, rng=seed)
    assert wide.low <= narrow.low <= narrow.high <= wide.high


def test_bootstrap_is_deterministic_given_a_seed(rng):
    x = rng.normal(size=10)
    a = stats.bootstrap_ci(x, np.median, n_resamples=100, rng=4)
    b = stats.bootstrap_ci(x, np.median, n_resamples=100, rng=np.random.default_rng(4))
    assert a == b
    assert a.resampled == "x: 10 values drawn with replacement, 100 times"


# --- power laws and zero frequency ---------------------------------------------------

widths_grid = np.array([4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0])


@given(a=st.floats(-3, 3), c=st.floats(1e-3, 1e3))
def test_loglog_fit_recovers_the_exponent_of_an_exact_power_law(a, c):
    fit = stats.loglog_fit(widths_grid, c * widths_grid**a)
    assert fit.slope == pytest.approx(a, abs=1e-9)
    assert fit.intercept == pytest.approx(math.log(c), abs=1e-9)


def test_loglog_fit_refuses_zeros_and_says_how_many():
    values = np.array([1.0, 0.0, 0.5, 0.0, -0.1, 0.2, 0.3, 0.1])
    with pytest.raises(ValueError, match=r"values.*2 zero and 1 negative of 8"):
        stats.loglog_fit(widths_grid, values)


@pytest.mark.parametrize(
    ("widths", "match"),
    [([0.0, 4.0], "widths must be positive"), ([4.0, 4.0], "two distinct"), ([4.0], "two")],
)
def test_loglog_fit_refuses_bad_widths(widths, match):
    with pytest.raises(ValueError, match=match):
        stats.loglog_fit(widths, np.ones(len(widths)))


def test_loglog_fit_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="values has 3 entries but widths has 8"):
        stats.loglog_fit(widths_grid, [1.0, 2.0, 3.0])


def test_loglog_slope_bootstrap_covers_the_true_exponent(rng):
    a = -0.5
    replicates = [2.0 * w**a * rng.lognormal(0.0, 0.2, size=20) for w in widths_grid]
    res = stats.loglog_slope_bootstrap(widths_grid, replicates, n_resamples=500, rng=0)
    assert res.low < a < res.high
    assert res.low < res.slope < res.high
    assert res.high - res.low < 0.2
    means = [np.mean(r) for r in replicates]
    assert res.slope == pytest.approx(stats.loglog_fit(widths_grid, means).slope, abs=1e-12)


def test_loglog_slope_bootstrap_resamples_only_within_widths():
    # replicates agree within each width but the widths are no power law: resampling
    # replicates within widths cannot move the aggregates, so the interval is a point
    widths = [4.0, 16.0, 64.0]
    replicates = [np.full(5, 1.0), np.full(3, 3.0), np.full(4, 2.0)]
    res = stats.loglog_slope_bootstrap(widths, replicates, n_resamples=200, rng=0)
    assert res.low == pytest.approx(res.slope, abs=1e-12)
    assert res.high == pytest.approx(res.slope, abs=1e-12)
    assert "within each of 3 widths (counts 5, 3, 4)" in res.resampled


def test_loglog_slope_bootstrap_refuses_zero_aggregates():
    widths = [4.0, 16.0]
    mostly_zero = [np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, 2.0])]
    with pytest.raises(ValueError, match=r"aggregated replicate_values.*2 zero"):
        stats.loglog_slope_bootstrap(widths, mostly_zero, aggregate=np.median, rng=0)
    # the means are positive, but many resamples draw only zeros at some width
    with pytest.raises(ValueError, match=r"of 200 bootstrap resamples.*zero_frequency"):
        stats.loglog_slope_bootstrap(widths, mostly_zero, n_resamples=200, rng=0)


def test_loglog_slope_bootstrap_refuses_mismatched_groups():
    with pytest.raises(ValueError, match="replicate_values has 1 groups but widths has 2"):
        stats.loglog_slope_bootstrap([4.0, 8.0], [[1.0]], rng=0)


def test_zero_frequency_counts_values_within_atol():
    values = [0.0, 1e-12, -1e-12, 0.5, 2.0]
    assert stats.zero_frequency(values, atol=1e-9) == stats.ZeroFrequency(3, 5, 0.6)
    assert stats.zero_frequency(values, atol=0) == stats.ZeroFrequency(1, 5, 0.2)


@given(values=small_floats, atol=st.floats(0, 50), more=st.floats(0, 50))
def test_zero_frequency_grows_with_atol(values, atol, more):
    assert (
        stats.zero_frequency(values, atol).n_zero
        <= stats.zero_frequency(values, atol + more).n_zero
    )


# --- argument validation -----------------------------------------------------------

nan = float("nan")
calls = {
    "empty x": (lambda: stats.permutation_test([], [1.0], mean_difference, rng=0), "x is empty"),
    "nan x": (
        lambda: stats.permutation_test([1.0, nan], [1.0], mean_difference, rng=0),
        "x contains 1 NaN",
    ),
    "inf y": (
        lambda: stats.permutation_test([1.0], [math.inf], mean_difference, rng=0),
        "y contains 0 NaN and 1 infinite",
    ),
    "2-d x": (
        lambda: stats.permutation_test([[1.0]], [1.0], mean_difference, rng=0),
        "x must be one-dimensional",
    ),
    "zero resamples": (
        lambda: stats.permutation_test([1.0], [2.0], mean_difference, n_resamples=0, rng=0),
        "n_resamples",
    ),
    "alternative": (
        lambda: stats.permutation_test([1.0], [2.0], mean_difference, alternative="bigger", rng=0),
        "alternative",
    ),
    "nan statistic": (
        lambda: stats.permutation_test([1.0], [2.0], lambda a, b: nan, rng=0),
        "statistic returned",
    ),
    "legacy nan": (
        lambda: stats.legacy_permutation_test([nan], [1.0], rng=0),
        "gaps_wide contains 1 NaN",
    ),
    "legacy resamples": (
        lambda: stats.legacy_permutation_test([1.0], [1.0], n_resamples=0, rng=0),
        "n_resamples",
    ),
    "mw empty y": (lambda: stats.mann_whitney([1.0], []), "y is empty"),
    "mw alternative": (lambda: stats.mann_whitney([1.0], [2.0], "bigger"), "alternative"),
    "cliff nan": (lambda: stats.cliffs_delta([1.0], [nan]), "y contains 1 NaN"),
    "boot empty": (lambda: stats.bootstrap_ci([], np.mean, rng=0), "x is empty"),
    "boot level 0": (lambda: stats.bootstrap_ci([1.0], np.mean, level=0, rng=0), "level"),
    "boot level 1": (lambda: stats.bootstrap_ci([1.0], np.mean, level=1.0, rng=0), "level"),
    "boot level nan": (lambda: stats.bootstrap_ci([1.0], np.mean, level=nan, rng=0), "level"),
    "boot resamples": (
        lambda: stats.bootstrap_ci([1.0], np.mean, n_resamples=-3, rng=0),
        "n_resamples",
    ),
    "diff nan y": (lambda: stats.bootstrap_diff_ci([1.0], [nan], np.mean, rng=0), "y contains"),
    "diff level": (
        lambda: stats.bootstrap_diff_ci([1.0], [1.0], np.mean, level=1.5, rng=0),
        "level",
    ),
    "fit nan": (lambda: stats.loglog_fit([1.0, 2.0], [1.0, nan]), "values contains 1 NaN"),
    "slope empty group": (
        lambda: stats.loglog_slope_bootstrap([1.0, 2.0], [[1.0], []], rng=0),
        r"replicate_values\[1\] is empty",
    ),
    "slope level": (
        lambda: stats.loglog_slope_bootstrap([1.0, 2.0], [[1.0], [2.0]], level=2, rng=0),
        "level",
    ),
    "zero empty": (lambda: stats.zero_frequency([], atol=0.0), "values is empty"),
    "zero atol": (lambda: stats.zero_frequency([1.0], atol=-1.0), "atol"),
}


@pytest.mark.parametrize("name", list(calls))
def test_invalid_arguments_raise_value_errors_naming_them(name):
    call, match = calls[name]
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: stats.bootstrap_ci([1.0], np.mean, rng="seed"),
        lambda: stats.permutation_test([1.0], [2.0], mean_difference, rng=None),
    ],
)
def test_rng_must_be_a_generator_or_seed(call):
    with pytest.raises(TypeError, match="rng"):
        call()


def test_statistic_must_be_callable():
    with pytest.raises(TypeError, match="statistic"):
        stats.bootstrap_ci([1.0], "mean", rng=0)
