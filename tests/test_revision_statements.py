"""[B26]'s corrected revision (`theory.statements.ll_revision`): attainment, the smooth
near-optimal rate, the balancing retraction, the weight-decay corollary.

Every label's obligations pass and read the registered conclusion; a wrong variant of
each conclusion fails `check`; the balancing flow is integrated numerically and behaves as
the retraction statement says.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from proofs_check import obligations
from proofs_check._reads import replaced
from theory import Kind, registry
from theory.statements import ll_revision
from theory.statements.ll import C_h, thickening
from theory.symbols import m

LABELS = [s.label for s in ll_revision.STATEMENTS]
BY_LABEL = [pytest.param(label, marks=pytest.mark.lemma(label), id=label) for label in LABELS]


@pytest.mark.parametrize("label", BY_LABEL)
def test_obligations_pass_and_read_the_conclusion(label):
    results = [ob.check() for ob in obligations([label])]
    assert len(results) >= 2
    bad = [(r.step, r.status, r.detail) for r in results if not r.status.ok]
    assert not bad, bad
    assert any(r.reads_conclusion for r in results)
    assert registry().get(label).kind in (Kind.LEMMA, Kind.THEOREM, Kind.COROLLARY)


def _fails_with(label, **changes) -> bool:
    from dataclasses import replace

    stmt = replace(registry().get(label), **changes)
    with replaced(stmt):
        return any(not ob.check().status.ok for ob in obligations([label]))


@pytest.mark.lemma("ll:cor-near-optimal")
def test_near_optimal_with_a_slower_claimed_rate_fails():
    # O(m^{-1/2}) is true but is not what the α = 1 proof gives: the statement is bound
    # to its derivation
    stmt = registry().get("ll:cor-near-optimal")
    weaker = stmt.conclusion.xreplace({C_h / m: C_h / sp.sqrt(m)})
    assert weaker != stmt.conclusion
    assert _fails_with("ll:cor-near-optimal", conclusion=weaker)


@pytest.mark.lemma("ll:cor-near-optimal")
def test_near_optimal_without_the_level_bound_fails():
    stmt = registry().get("ll:cor-near-optimal")
    assert _fails_with("ll:cor-near-optimal", hypotheses=stmt.hypotheses[1:])


@pytest.mark.lemma("ll:cor-weight-decay")
def test_weight_decay_with_a_faster_rate_fails():
    stmt = registry().get("ll:cor-weight-decay")
    faster = stmt.conclusion.xreplace({ll_revision.C / m: ll_revision.C / m**2})
    assert faster != stmt.conclusion
    assert _fails_with("ll:cor-weight-decay", conclusion=faster)


@pytest.mark.lemma("ll:attainment")
def test_attainment_without_the_risk_lower_bound_fails():
    stmt = registry().get("ll:attainment")
    assert _fails_with("ll:attainment", hypotheses=stmt.hypotheses[:2])


@pytest.mark.lemma("ll:thm-balancing-retraction")
def test_retraction_with_a_wrong_imbalance_rate_fails():
    stmt = registry().get("ll:thm-balancing-retraction")
    wrong = stmt.conclusion.xreplace({sp.Integer(-2): sp.Integer(-1)})
    assert wrong != stmt.conclusion
    assert _fails_with("ll:thm-balancing-retraction", conclusion=wrong)


def _flow(theta: float, w: np.ndarray, t_end: float, steps: int = 20000):
    """Integrate θ' = θ(‖w‖² − θ²), w' = w(θ² − ‖w‖²) with RK4; returns the trajectory."""
    h = t_end / steps

    def f(state):
        th, ww = state[0], state[1:]
        gap = ww @ ww - th * th
        return np.concatenate(([th * gap], -ww * gap))

    x = np.concatenate(([theta], w)).astype(float)
    out = [x.copy()]
    for _ in range(steps):
        k1 = f(x)
        k2 = f(x + h / 2 * k1)
        k3 = f(x + h / 2 * k2)
        k4 = f(x + h * k3)
        x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out.append(x.copy())
    return np.array(out)


@pytest.mark.lemma("ll:thm-balancing-retraction")
@given(st.floats(-2, 2), st.floats(-2, 2), st.floats(-2, 2))
def test_balancing_flow_retracts_onto_the_balanced_set(theta, w1, w2):
    if abs(theta) * math.hypot(w1, w2) < 0.05:  # a ≈ 0 balances only like 1/t
        return
    traj = _flow(theta, np.array([w1, w2]), t_end=8.0, steps=4000)
    th, W = traj[:, 0], traj[:, 1:]
    norm = np.linalg.norm(W, axis=1)
    unit = th * norm
    np.testing.assert_allclose(unit, unit[0], rtol=1e-6, atol=1e-9)  # function kept
    energy = th**2 + norm**2
    assert np.all(np.diff(energy) <= 1e-12)  # objective nonincreasing
    # the imbalance decays at least like exp(−4|a|t) (squared: exp(−8|a|t))
    a = abs(unit[0])
    t = np.linspace(0, 8.0, len(th))
    imbalance = np.abs(th**2 - norm**2)
    assert np.all(imbalance <= imbalance[0] * np.exp(-4 * a * t) + 1e-8)


@pytest.mark.lemma("ll:cor-weight-decay")
def test_balanced_points_carry_the_atomic_penalty():
    rng = np.random.default_rng(0)
    for _ in range(20):
        a = rng.normal()
        u = rng.normal(size=3)
        u /= np.linalg.norm(u)
        theta, w = math.copysign(math.sqrt(abs(a)), a), math.sqrt(abs(a)) * u
        # (κ/2)(θ² + ‖w‖²) = κ|a| and θ w = a u: the unit's function is a ρ(uᵀx)
        assert math.isclose((theta**2 + w @ w) / 2, abs(a), rel_tol=1e-12)
        np.testing.assert_allclose(theta * w, a * u, rtol=1e-12)


def test_fixed_level_statement_has_the_holder_clause():
    concl = registry().get("ll:thm-fixed-level").conclusion
    assert concl.has(C_h) and concl.has(thickening)
