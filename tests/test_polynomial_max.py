"""Certified polynomial maxima on [0, 1], and F along a deep-linear segment as a polynomial."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from numerics import (
    DeepLinearNet,
    Problem,
    deep_linear_segment_polynomial,
    polynomial_max,
    teacher,
)
from theory.errors import RelulandscapeError
from theory.losses import get_loss


def value(coeffs, t) -> Fraction:
    t = Fraction(t)
    return sum((Fraction(c) * t**j for j, c in enumerate(coeffs)), Fraction(0))


def test_known_maxima():
    # 1 − (t − 1/3)² = 8/9 + 2t/3 − t²: maximum 1 at t = 1/3, inside the interval
    pm = polynomial_max([Fraction(8, 9), Fraction(2, 3), -1])
    assert pm.lower <= 1 <= pm.upper and pm.upper - pm.lower <= 1e-11
    assert abs(pm.argmax - 1 / 3) < 1e-5
    assert polynomial_max([5]) == polynomial_max([5.0])
    assert (polynomial_max([5]).lower, polynomial_max([5]).upper) == (5.0, 5.0)
    pm = polynomial_max([0, 0, 0, 1])  # t³: at the right end
    assert (pm.lower, pm.upper, pm.argmax) == (1.0, 1.0, 1.0)
    pm = polynomial_max([0, 1, -1])  # t(1 − t): ¼ at ½, hit exactly by the bisection
    assert (pm.lower, pm.upper) == (0.25, 0.25)


@pytest.mark.parametrize("bad", [[], [float("nan")], [1.0, float("inf")]])
def test_bad_coefficients_are_refused(bad):
    with pytest.raises(RelulandscapeError):
        polynomial_max(bad)


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=8))
def test_enclosure_holds_the_maximum(coeffs):
    pm = polynomial_max(coeffs, tol=1e-10)
    grid = [value(coeffs, Fraction(k, 64)) for k in range(65)]
    assert max(grid) <= Fraction(pm.upper)  # every value is below the upper bound
    assert Fraction(pm.lower) <= value(coeffs, pm.argmax)  # the lower bound is attained
    assert pm.upper - pm.lower <= 1e-10 * max(1.0, abs(pm.lower)) + 4 * math.ulp(pm.upper)


@pytest.mark.parametrize(("widths", "kappa", "loss", "scale"), [
    ((4, 6, 1), 1e-3, "half_squared", 0.5),
    ((4, 6, 6, 1), 0.0, "half_squared", 0.5),
    ((3, 2, 2, 2, 1), 0.1, "mse", 1.0),
])
def test_deep_linear_segment_polynomial_is_F_along_the_segment(widths, kappa, loss, scale):
    data = teacher(n_samples=40, n_features=widths[0] - 1, width_k=3, noise=0.1, seed=1,
                   task="regression")
    problem = Problem.of(DeepLinearNet(widths, kappa), data, get_loss(loss),
                         dtype=torch.float64)
    a, b = problem.model.init(2, torch.Generator().manual_seed(3), dtype=torch.float64)
    coeffs = deep_linear_segment_polynomial(problem.model, problem.X, problem.Y, a, b,
                                            scale=scale)
    assert len(coeffs) == 2 * (len(widths) - 1) + 1  # degree 2K
    ts = torch.linspace(0, 1, 11, dtype=torch.float64)
    F = problem.F(a + ts[:, None] * (b - a))
    for t, f in zip(ts.tolist(), F.tolist(), strict=True):
        assert float(value(coeffs, t)) == pytest.approx(f, rel=1e-12, abs=1e-14)
    pm = polynomial_max(coeffs)
    dense = problem.F(a + torch.linspace(0, 1, 2001, dtype=torch.float64)[:, None] * (b - a))
    assert float(dense.max()) <= pm.upper * (1 + 1e-12)
    assert pm.lower <= pm.upper
