"""Tests for `experiments.stats`: each function against exact small cases or brute force.

Mann–Whitney and the bootstrap run on scipy, so comparing them with scipy would be
circular: they are checked against enumerations of every ordering or resample instead.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest
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


def u_of(xs: np.ndarray, ys: np.ndarray) -> float:
    """U of xs by its definition: #{x > y} + ½ #{x = y} over all pairs."""
    d = np.subtract.outer(xs, ys)
    return float(np.sum(d > 0) + 0.5 * np.sum(d == 0))


def enumerated_u_tails(x, y) -> tuple[float, float, float]:
    """U of x, and exact P0(U' ≤ U), P0(U' ≥ U) over all C(n, len(x)) orderings."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    pooled, n = np.concatenate([x, y]), x.size + y.size
    u_all = []
    for chosen in combinations(range(n), x.size):
        mask = np.isin(np.arange(n), chosen)
        u_all.append(u_of(pooled[mask], pooled[~mask]))
    u_all, u_obs = np.array(u_all), u_of(x, y)
    return u_obs, float(np.mean(u_all <= u_obs)), float(np.mean(u_all >= u_obs))


@pytest.mark.parametrize("alternative", ["less", "greater", "two-sided"])
@pytest.mark.parametrize(
    ("x", "y"),
    [
        ([0.5], [1.5]),
        ([1.0, 2.0], [3.0, 4.0]),
        ([0.3, 1.2, 2.5], [0.1, 0.9, 1.5, 2.0, 3.1]),
        ([4.0, 0.2, 3.3, 1.1], [2.2, 0.7, 5.0]),
        ([9.0, 8.0, 7.0, 6.0, 5.5], [1.0, 2.0]),
    ],
)
def test_mann_whitney_exact_matches_enumeration_of_orderings(x, y, alternative):
    u, q_less, q_greater = enumerated_u_tails(x, y)
    expected = {"less": q_less, "greater": q_greater,
                "two-sided": min(1.0, 2 * min(q_less, q_greater))}[alternative]
    res = stats.mann_whitney(x, y, alternative, method="exact")
    assert res.U == u
    assert res.p == pytest.approx(expected, rel=1e-12)
    assert res.method == "exact"


def test_mann_whitney_exact_by_hand():
    # x below y: U = 0, the one ordering of C(4, 2) = 6 with U ≤ 0
    res = stats.mann_whitney([1.0, 2.0], [3.0, 4.0], "less", method="exact")
    assert (res.U, res.p) == (0.0, pytest.approx(1 / 6, rel=1e-15))
    assert stats.mann_whitney([1.0, 2.0], [3.0, 4.0], "greater", method="exact").p == 1.0
    assert stats.mann_whitney([1.0, 2.0], [3.0, 4.0], "two-sided", method="exact").p == (
        pytest.approx(1 / 3, rel=1e-15)
    )
    # x above y: U = n1·n2
    assert stats.mann_whitney([5.0, 6.0, 7.0], [1.0], "greater").U == 3.0


def normal_approximation_p(x, y, alternative) -> float:
    """The tie- and continuity-corrected normal approximation, written out.

    σ² = n1n2/12 · ((n+1) − Σ_g (t_g³ − t_g)/(n(n−1))), z = (U − n1n2/2 − ½)/σ with
    U = U2, U1 or max(U1, U2) for less, greater, two-sided; p = P(N(0,1) ≥ z), doubled
    for two-sided.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    n1, n2 = x.size, y.size
    n = n1 + n2
    u1 = u_of(x, y)
    u = {"less": n1 * n2 - u1, "greater": u1, "two-sided": max(u1, n1 * n2 - u1)}[alternative]
    _, t = np.unique(np.concatenate([x, y]), return_counts=True)
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - np.sum(t**3 - t) / (n * (n - 1))))
    p = 0.5 * math.erfc((u - n1 * n2 / 2 - 0.5) / sigma / math.sqrt(2))
    return min(1.0, 2 * p) if alternative == "two-sided" else p


@pytest.mark.parametrize("alternative", ["less", "greater", "two-sided"])
@pytest.mark.parametrize(
    ("x", "y"),
    [
        ([1.0, 1.0, 2.0], [2.0, 3.0, 3.0, 4.0]),
        ([0.0, 1.0, 1.0, 1.0, 5.0], [1.0, 2.0]),
        (list(range(12)), [3.0, 3.0, 7.5, 20.0, -1.0, 2.0, 9.0, 10.0, 11.0]),
    ],
)
def test_mann_whitney_asymptotic_matches_the_written_out_formula(x, y, alternative):
    res = stats.mann_whitney(x, y, alternative, method="asymptotic")
    assert res.U == u_of(np.asarray(x, float), np.asarray(y, float))
    assert res.p == pytest.approx(normal_approximation_p(x, y, alternative), rel=1e-12)
    assert res.method == "asymptotic"


@given(x=small_floats, y=small_floats)
def test_mann_whitney_auto_is_exact_only_for_a_small_sample_without_ties(x, y):
    has_ties = len(set(x + y)) < len(x) + len(y)
    expected = "exact" if min(len(x), len(y)) <= 8 and not has_ties else "asymptotic"
    res = stats.mann_whitney(x, y, "less")
    assert res.method == expected
    assert res == stats.mann_whitney(x, y, "less", method=expected)


@pytest.mark.parametrize("alternative", ["less", "greater", "two-sided"])
def test_mann_whitney_all_tied_gives_p_one(alternative):
    res = stats.mann_whitney([1.0, 1.0], [1.0, 1.0, 1.0], alternative)
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
    U = stats.mann_whitney(x, y, method="asymptotic").U
    assert delta == pytest.approx(2 * U / (len(x) * len(y)) - 1, abs=1e-14)


@pytest.mark.parametrize(
    ("x", "y", "delta"),
    [
        ([3.0, 4.0], [1.0, 2.0], 1.0),  # every x above every y
        ([1.0, 2.0], [3.0, 4.0], -1.0),
        ([1.0, 2.0, 3.0], [2.0], 0.0),  # one below, one tied, one above
        ([1.0, 2.0, 2.0, 5.0], [2.0, 3.0], -0.25),  # (2 − 4) / 8
        ([0.0], [0.0], 0.0),
    ],
)
def test_cliffs_delta_by_hand(x, y, delta):
    assert stats.cliffs_delta(x, y) == delta


# --- bootstrap ---------------------------------------------------------------------


def test_bootstrap_ci_is_the_percentile_interval_of_every_resample():
    # x = (0, 1, 3): the 27 equally likely resamples give a mean of 0 w.p. 1/27, ≤ 1/3
    # w.p. 4/27, ≥ 7/3 w.p. 4/27 and 3 w.p. 1/27; the 5 % and 95 % quantiles are 1/3
    # and 7/3 (a miss has probability ≪ 1e-6 at B = 4000)
    x = np.array([0.0, 1.0, 3.0])
    res = stats.bootstrap_ci(x, np.mean, n_resamples=4000, level=0.9, rng=1)
    assert (res.low, res.high) == (np.mean([0.0, 0.0, 1.0]), np.mean([1.0, 3.0, 3.0]))
    assert res.estimate == np.mean(x) and (res.level, res.n_resamples) == (0.9, 4000)
    # at level 0.99 the tails hold the extremes 0 and 3
    wide = stats.bootstrap_ci(x, np.mean, n_resamples=4000, level=0.99, rng=1)
    assert (wide.low, wide.high) == (0.0, 3.0)
    # the median of a resample of (0, 1, 3) is one of its values
    med = stats.bootstrap_ci(x, np.median, n_resamples=4000, level=0.9, rng=1)
    assert (med.low, med.high, med.estimate) == (0.0, 3.0, 1.0)


def test_bootstrap_diff_ci_resamples_the_groups_independently():
    # x = (0, 1), y = (2, 4): the means are {0, ½, 1} and {2, 3, 4} w.p. ¼, ½, ¼ each,
    # independently, so Δ* = −4 w.p. 1/16 and Δ* ≤ −3.5 w.p. 3/16: the 10 % quantile is
    # −3.5 and the 90 % one −1.5. Resampling pairs (x_i, y_i) together would give
    # Δ* ∈ {−2, −2.5, −3} only.
    x, y = np.array([0.0, 1.0]), np.array([2.0, 4.0])
    res = stats.bootstrap_diff_ci(x, y, np.mean, n_resamples=4000, level=0.8, rng=3)
    assert (res.low, res.high) == (-3.5, -1.5)
    assert res.estimate == -2.5
    wide = stats.bootstrap_diff_ci(x, y, np.mean, n_resamples=4000, level=0.99, rng=3)
    assert (wide.low, wide.high) == (-4.0, -1.0)
    assert res.resampled == (
        "x (2 values) and y (2 values) drawn independently with replacement, 4000 times"
    )


def test_bootstrap_holds_a_single_value_fixed():
    # one value resamples only to itself: Δ* = mean(x*) − 5 ∈ {−5, −4.5, −4}
    res = stats.bootstrap_diff_ci([0.0, 1.0], [5.0], np.mean, n_resamples=4000, level=0.9,
                                  rng=0)
    assert (res.low, res.high, res.estimate) == (-5.0, -4.0, -4.5)
    point = stats.bootstrap_ci([2.5], np.mean, n_resamples=10, rng=0)
    assert point.low == point.high == point.estimate == 2.5


def test_bootstrap_on_a_degenerate_sample_is_the_point_exactly():
    # 0.75 is a dyadic value: every sum and mean of copies of it is exact in float64
    x = np.full(7, 0.75)
    ours = stats.bootstrap_ci(x, np.mean, n_resamples=50, rng=0)
    assert ours.low == ours.high == ours.estimate == 0.75
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


def test_loglog_slope_bootstrap_exact_two_width_case():
    # widths 1 and e (logs 0 and 1): the slope is log v(e) − log v(1). v(1) = 1 is one
    # replicate, held fixed; the mean of a resample of (1, e²) is 1, (1+e²)/2 or e² w.p.
    # ¼, ½, ¼, so at level 0.9 the interval is [0, 2]
    res = stats.loglog_slope_bootstrap([1.0, math.e], [[1.0], [1.0, math.e**2]],
                                       n_resamples=4000, level=0.9, rng=2)
    assert res.slope == pytest.approx(math.log((1 + math.e**2) / 2), abs=1e-12)
    assert res.low == pytest.approx(0.0, abs=1e-12)
    assert res.high == pytest.approx(2.0, abs=1e-12)


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


# --- documented defaults and messages (each pinned by a surviving mutant) ------------


def test_documented_defaults():
    x, y = [0.3, 1.7, 2.2], [0.1, 0.9]
    assert stats.permutation_test(x, y, mean_difference, rng=0).B == 2000
    legacy = stats.legacy_permutation_test(x, y, rng=0)
    assert (legacy.B, legacy.p) == (2000, legacy.b / 2000)
    boot = stats.bootstrap_ci(x, np.mean, rng=0)
    assert (boot.n_resamples, boot.level) == (2000, 0.95)
    diff = stats.bootstrap_diff_ci(x, y, np.mean, rng=0)
    assert (diff.n_resamples, diff.level) == (2000, 0.95)
    slope = stats.loglog_slope_bootstrap([1.0, 2.0], [x, y], rng=0)
    assert (slope.n_resamples, slope.level) == (2000, 0.95)
    # the default aggregate is the mean
    assert slope.slope == pytest.approx(math.log(np.mean(y) / np.mean(x)) / math.log(2.0),
                                        rel=1e-12)
    # Mann–Whitney: H1 "x smaller" and scipy's choice of method by default
    assert stats.mann_whitney([1.0, 2.0], [3.0, 4.0]) == stats.MannWhitneyResult(
        0.0, pytest.approx(1 / 6), "exact")


# every sample argument, by the name the error message must give it
_named = {
    "permutation x": (lambda v: stats.permutation_test(v, [1.0], mean_difference, rng=0), "x"),
    "permutation y": (lambda v: stats.permutation_test([1.0], v, mean_difference, rng=0), "y"),
    "legacy wide": (lambda v: stats.legacy_permutation_test(v, [1.0], rng=0), "gaps_wide"),
    "legacy narrow": (lambda v: stats.legacy_permutation_test([1.0], v, rng=0), "gaps_narrow"),
    "mw x": (lambda v: stats.mann_whitney(v, [1.0]), "x"),
    "mw y": (lambda v: stats.mann_whitney([1.0], v), "y"),
    "cliff x": (lambda v: stats.cliffs_delta(v, [1.0]), "x"),
    "cliff y": (lambda v: stats.cliffs_delta([1.0], v), "y"),
    "boot x": (lambda v: stats.bootstrap_ci(v, np.mean, rng=0), "x"),
    "diff x": (lambda v: stats.bootstrap_diff_ci(v, [1.0], np.mean, rng=0), "x"),
    "diff y": (lambda v: stats.bootstrap_diff_ci([1.0], v, np.mean, rng=0), "y"),
    "fit widths": (lambda v: stats.loglog_fit(v, [1.0, 1.0]), "widths"),
    "fit values": (lambda v: stats.loglog_fit([1.0, 2.0], v), "values"),
    "slope widths": (lambda v: stats.loglog_slope_bootstrap(v, [[1.0], [1.0]], rng=0), "widths"),
    "slope group": (lambda v: stats.loglog_slope_bootstrap([1.0, 2.0], [[1.0], v], rng=0),
                    r"replicate_values\[1\]"),
    "zero values": (lambda v: stats.zero_frequency(v, atol=0.0), "values"),
}


@pytest.mark.parametrize("case", list(_named))
def test_each_sample_argument_is_named_in_its_error(case):
    call, name = _named[case]
    with pytest.raises(ValueError, match=rf"^{name} contains 1 NaN and 0 infinite value\(s\)$"):
        call([nan])
    with pytest.raises(ValueError, match=rf"^{name} is empty; at least one value is needed$"):
        call([])


def test_nonpositive_values_are_refused_by_name():
    with pytest.raises(ValueError, match=r"^values must be positive for a log-log fit: 1 zero "):
        stats.loglog_fit([1.0, 2.0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"^widths must be positive, got 1 nonpositive$"):
        stats.loglog_fit([-1.0, 2.0], [1.0, 1.0])


@pytest.mark.parametrize("atol", [True, False, "0", None, math.nan, math.inf])
def test_zero_frequency_refuses_a_tolerance_that_is_no_finite_number(atol):
    with pytest.raises(ValueError, match="atol must be a finite number"):
        stats.zero_frequency([0.0, 1.0], atol)


def test_loglog_slope_bootstrap_names_what_went_wrong():
    widths = [1.0, 2.0]
    with pytest.raises(TypeError, match=r"^aggregate must be callable"):
        stats.loglog_slope_bootstrap(widths, [[1.0], [2.0]], aggregate="mean", rng=0)
    with pytest.raises(ValueError, match=r"^statistic returned 2 non-finite value.* on "
                       r"replicate_values$"):
        stats.loglog_slope_bootstrap(widths, [[1.0], [2.0]], aggregate=lambda g: nan, rng=0)
    with pytest.raises(ValueError, match=r"^the aggregated replicate_values must be positive"):
        stats.loglog_slope_bootstrap(widths, [[0.0], [2.0]], rng=0)

    def spread(g):  # finite on the data (distinct values), NaN on a constant resample
        return 1.0 if g.min() < g.max() else nan

    with pytest.raises(ValueError, match=r"^statistic returned \d+ non-finite value\(s\) on a "
                       "bootstrap resample of replicate_values$"):
        stats.loglog_slope_bootstrap(widths, [[1.0, 2.0], [1.0, 3.0]], aggregate=spread,
                                     n_resamples=50, rng=0)


def test_loglog_slope_bootstrap_counts_the_resamples_with_a_zero_aggregate():
    # each width's mean is 0 in a resample w.p. (2/3)³ = 8/27; some width is zero w.p.
    # 1 − (19/27)² ≈ 0.505, so about 101 of 200 resamples (99.9999 %: 30 to 172)
    mostly_zero = [np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, 2.0])]
    with pytest.raises(ValueError) as err:
        stats.loglog_slope_bootstrap([4.0, 16.0], mostly_zero, n_resamples=200, rng=0)
    message = str(err.value)
    assert message.endswith("report zero_frequency instead")
    n_bad = int(message.split(" in ")[1].split(" of ")[0])
    assert 30 <= n_bad <= 172


@pytest.mark.parametrize(
    "call",
    [
        lambda rng: stats.bootstrap_ci([0.1, 0.5, 2.0, 3.5], np.mean, n_resamples=50, rng=rng),
        lambda rng: stats.bootstrap_diff_ci([0.1, 0.5, 2.0], [1.0, 4.0], np.median,
                                            n_resamples=50, rng=rng),
        lambda rng: stats.loglog_slope_bootstrap([1.0, 2.0], [[1.0, 2.0], [3.0, 5.0, 8.0]],
                                                 n_resamples=50, rng=rng),
        lambda rng: stats.permutation_test([0.1, 0.5, 2.0], [1.0, 4.0], mean_difference,
                                           n_resamples=50, rng=rng),
    ],
)
def test_every_resampling_is_determined_by_its_seed(call):
    assert call(7) == call(7) == call(np.random.default_rng(7))
    assert call(7) != call(8)


def test_each_function_says_where_its_statistic_was_not_finite():
    x, y = [0.5, 1.5, 2.5], [1.0, 3.0]

    def observed_only(a, b):  # finite only on the observed split
        return 0.0 if a.size == 3 and a[0] == 0.5 and a[1] == 1.5 else nan

    def data_only(a):  # finite only on an original sample (values in increasing order)
        return 0.0 if np.all(np.diff(a) > 0) else nan

    cases = [
        (lambda: stats.permutation_test(x, y, lambda a, b: nan, rng=0), "the observed samples"),
        (lambda: stats.permutation_test(x, y, observed_only, n_resamples=50, rng=0),
         "a permuted sample"),
        (lambda: stats.bootstrap_ci(x, lambda a: nan, rng=0), "x"),
        (lambda: stats.bootstrap_ci(x, data_only, n_resamples=50, rng=0),
         "a bootstrap resample of x"),
        (lambda: stats.bootstrap_diff_ci(x, y, lambda a: nan, rng=0), "x and y"),
        (lambda: stats.bootstrap_diff_ci(x, y, data_only, n_resamples=50, rng=0),
         "a bootstrap resample of x and y"),
    ]
    for call, where in cases:
        with pytest.raises(ValueError, match=rf"^statistic returned \d+ non-finite value\(s\) "
                           rf"on {where}$"):
            call()


@pytest.mark.parametrize(
    "call",
    [lambda: stats.permutation_test([1.0], [2.0], "mean", rng=0),
     lambda: stats.bootstrap_ci([1.0], "mean", rng=0),
     lambda: stats.bootstrap_diff_ci([1.0], [2.0], "mean", rng=0)],
)
def test_a_statistic_that_is_no_function_is_refused_by_name(call):
    with pytest.raises(TypeError, match=r"^statistic must be callable, got 'mean'$"):
        call()


def test_two_sided_permutation_result_records_B():
    res = stats.permutation_test([0.1, 2.0], [1.0, 3.0], mean_difference, n_resamples=30,
                                 alternative="two-sided", rng=0)
    assert res.B == 30 and 0 <= res.b <= 30


@pytest.mark.parametrize(("n1", "n2", "method"),
                         [(8, 30, "exact"), (30, 8, "exact"), (9, 9, "asymptotic")])
def test_mann_whitney_auto_is_exact_up_to_eight_values_in_the_smaller_sample(n1, n2, method):
    x, y = np.arange(n1) + 0.5, np.arange(n2) * 1.01  # no ties
    assert stats.mann_whitney(x, y).method == method


def test_mann_whitney_asymptotic_on_a_small_sample_without_ties():
    # scipy's "auto" would pick the exact test here; the requested method is used
    x, y = [0.5, 1.5, 2.5], [1.0, 2.0, 3.0, 4.0]
    res = stats.mann_whitney(x, y, "less", method="asymptotic")
    assert res.p == pytest.approx(normal_approximation_p(x, y, "less"), rel=1e-12)
    assert res.p != pytest.approx(stats.mann_whitney(x, y, "less", method="exact").p, rel=1e-3)


def test_a_warning_of_the_users_statistic_reaches_the_caller():
    def noisy(a):  # quiet on the data (increasing values), warns on a resample with repeats
        import warnings

        if not np.all(np.diff(a) > 0):
            warnings.warn("from the statistic", UserWarning, stacklevel=1)
        return float(np.mean(a))

    with pytest.warns(UserWarning, match="from the statistic"):
        stats.bootstrap_ci([0.5, 1.5, 2.5], noisy, n_resamples=20, rng=0)


def test_loglog_slope_bootstrap_reports_the_intercept_and_names_its_errors():
    # v = 3·w⁻¹ exactly: intercept log 3
    res = stats.loglog_slope_bootstrap([1.0, 2.0], [[3.0, 3.0], [1.5]], n_resamples=10, rng=0)
    assert res.intercept == pytest.approx(math.log(3.0), abs=1e-12)
    with pytest.raises(ValueError, match=r"^widths must contain at least two distinct values "
                       r"to fit a slope$"):
        stats.loglog_fit([2.0, 2.0], [1.0, 1.0])
    with pytest.raises(ValueError, match=r"^widths must be positive, got 2 nonpositive$"):
        stats.loglog_fit([0.0, 0.5, -1.0], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match=r"^method='exact' needs samples without ties; x and y "
                       r"contain ties$"):
        stats.mann_whitney([1.0, 2.0], [2.0, 3.0], method="exact")


def test_loglog_intercepts_of_exact_power_laws():
    # v = 2·w³ and v = 5·w: the intercepts are log 2 and log 5
    fit = stats.loglog_fit([1.0, math.e], [2.0, 2.0 * math.e**3])
    assert (fit.slope, fit.intercept) == (pytest.approx(3.0), pytest.approx(math.log(2.0)))
    e5 = 5.0 * math.e
    slope_ci = stats.loglog_slope_bootstrap([1.0, math.e], [[5.0, 5.0], [e5, e5]],
                                            n_resamples=10, rng=0)
    assert slope_ci.intercept == pytest.approx(math.log(5.0), abs=1e-12)


@pytest.mark.parametrize("n", [0, -1, 1.0, True, 2.5, "3"])
def test_n_resamples_must_be_a_positive_integer(n):
    with pytest.raises(ValueError, match="n_resamples must be an integer ≥ 1"):
        stats.bootstrap_ci([1.0, 2.0], np.mean, n_resamples=n, rng=0)


def test_one_resample_is_allowed():
    res = stats.bootstrap_ci([1.0, 2.0], np.mean, n_resamples=1, rng=0)
    assert res.n_resamples == 1 and res.low == res.high


@pytest.mark.parametrize("level", [True, "0.9", None])
def test_level_must_be_a_number(level):
    with pytest.raises(ValueError, match="level must be a number"):
        stats.bootstrap_ci([1.0, 2.0], np.mean, level=level, rng=0)


def test_integer_samples_are_read_as_floats():
    # integer input is converted to float64 before any statistic sees it
    seen = []
    stats.bootstrap_ci(np.array([1, 2, 4]), lambda a: seen.append(a.dtype) or float(a.mean()),
                       n_resamples=3, rng=0)
    assert set(seen) == {np.dtype(np.float64)}
    assert stats.cliffs_delta(np.array([3, 1]), np.array([2])) == 0.0


def test_loglog_slope_bootstrap_of_single_replicates_is_the_point():
    res = stats.loglog_slope_bootstrap([1.0, 2.0, 4.0], [[1.0], [0.5], [0.25]],
                                       n_resamples=20, rng=0)
    assert res.slope == pytest.approx(-1.0, abs=1e-12)
    assert res.low == res.high == pytest.approx(-1.0, abs=1e-12)
