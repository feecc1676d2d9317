"""`theory.bounds`: the numeric bounds are the registered statements' expressions."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import sympy as sp

from theory import bounds, registry
from theory.statements import ll
from theory.symbols import D_X, H, L, a, alpha, kappa, l, m, q


@pytest.mark.lemma("ll:sampling")
def test_sampling_gap_is_the_statement_expression():
    value = bounds.sampling_gap(1.0, 2.5, 1.3, 7)
    exact = ll.SAMPLING_GAP.subs({L: 1, a: sp.Rational(5, 2), D_X: sp.Rational(13, 10), q: 7})
    assert math.isclose(value, float(exact), rel_tol=1e-14)
    holder = bounds.sampling_holder_gap(0.25, 0.5, 2.5, 1.3, 7)
    exact_h = ll.SAMPLING_HOLDER_GAP.subs({H: sp.Rational(1, 4), alpha: sp.Rational(1, 2),
                                           a: sp.Rational(5, 2), D_X: sp.Rational(13, 10), q: 7})
    assert math.isclose(holder, float(exact_h), rel_tol=1e-14)


@pytest.mark.lemma("ll:pruning")
def test_pruning_gap_follows_the_registered_statement(monkeypatch):
    value = bounds.pruning_gap(1.0, 1.5, 0.1, 2.0, 3, 10)
    assert math.isclose(value, 1.4 * 0.3 * 2.0, rel_tol=1e-14)
    assert bounds.pruning_gap(1.0, 0.05, 0.1, 2.0, 3, 10) == 0.0  # (L D_X − κ)₊
    # generated from the registry: a changed statement changes the number
    stmt = registry().get("ll:pruning")
    fhat = bounds._symbol("ll:pruning", "Fhat")
    gap = next(p for p in stmt.conclusion.args if p.has(fhat))  # the objective-change part
    doubled = replace(stmt, conclusion=stmt.conclusion.subs(gap, gap.func(gap.lhs, 2 * gap.rhs)))
    monkeypatch.setitem(registry()._by_label, "ll:pruning", doubled)
    bounds._pruning.cache_clear()
    try:
        assert math.isclose(bounds.pruning_gap(1.0, 1.5, 0.1, 2.0, 3, 10), 2 * value)
    finally:
        monkeypatch.undo()
        bounds._pruning.cache_clear()


@pytest.mark.lemma("ll:thm-dimfree")
def test_dimfree_bound_and_rates():
    got = bounds.dimfree_bound(1.0, 1.5, 0.1, 1.0, 0.0, 9, 0.5, 0.7)
    assert math.isclose(got, max(1.5 * 1.0 / (0.1 * 3), max(0.5 - 0.7, 0.0)))
    rate = bounds.rate("moving-level")
    assert math.isclose(rate(m=100, L=1, D_X=1.5, abar=10), 1.5 * 10 / math.sqrt(50))
    with pytest.raises(bounds.BoundInputError, match="rate only"):
        bounds.rate("fb-cor-2.5")


@pytest.mark.lemma("ll:bridge")
def test_bridge_and_cube_levels():
    assert math.isclose(bounds.bridge_level(1.0, 1.0, 1.5, 0.1, 0.01, 0.0), 1.15)
    expected = 4 * math.sqrt(2) * 1 * 1.5 * 2.0 * (4 / 100) ** 0.5
    assert math.isclose(bounds.cube_gap(1.0, 1.5, 2.0, 2, 3, 100), expected)


@pytest.mark.lemma("ll:sampling")
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "x"])
def test_bounds_refuse_bad_input(bad):
    with pytest.raises(bounds.BoundInputError):
        bounds.sampling_gap(bad, 1.0, 1.0, 4)
    with pytest.raises(bounds.BoundInputError):
        bounds.sampling_gap(1.0, 1.0, 1.0, 0)


def test_generated_functions_use_the_statement_symbols():
    assert {kappa, l, m} <= registry().get("ll:pruning").free_symbols
