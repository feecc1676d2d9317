"""docs/losses.py: the loss catalogue — torch and sympy forms agree, properties are checked.

Convention: at a kink (hinge, absolute, ramp) the derivative is compared only away from
the kink; for ρ = ReLU the project uses ρ'(0) := 0, which is torch's choice as well.
"""

from __future__ import annotations

import math

import pytest
import sympy as sp
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

from proofs_check import obligations
from theory.losses import CATALOGUE, LossHypothesisError, get_loss, huber
from theory.symbols import u, y

LOSSES = [pytest.param(loss, marks=pytest.mark.lemma(loss.label), id=loss.name)
          for loss in CATALOGUE.values()]

finite_u = st.floats(-30, 30, allow_nan=False, allow_infinity=False)


def _sympy_value_and_slope(loss, yv: float, uv: float) -> tuple[float, float, float]:
    """ℒ, ∂ℒ/∂u at (yv, uv), and the slope jump across uv (≈ 0 away from kinks)."""
    f = loss.expr.subs(y, sp.Float(yv, 30))
    d = sp.diff(f, u)
    h = sp.Float(1e-7, 30)
    at = sp.Float(uv, 30)
    jump = abs(float(d.subs(u, at + h).evalf(30)) - float(d.subs(u, at - h).evalf(30)))
    return float(f.subs(u, at).evalf(30)), float(d.subs(u, at).evalf(30)), jump


@pytest.mark.parametrize("loss", LOSSES)
@given(data=st.data(), uv=finite_u)
def test_torch_and_sympy_forms_agree_in_float64(loss, data, uv):
    if loss.labels is None:
        yv = data.draw(st.floats(-10, 10, allow_nan=False), label="y")
    else:
        yv = float(data.draw(st.sampled_from(loss.labels), label="y"))
    value, slope, jump = _sympy_value_and_slope(loss, yv, uv)
    ut = torch.tensor(uv, dtype=torch.float64, requires_grad=True)
    out = loss(torch.tensor(yv, dtype=torch.float64), ut)
    (grad,) = torch.autograd.grad(out, ut)
    assert math.isclose(float(out.detach()), value, rel_tol=1e-12, abs_tol=1e-12)
    assume(jump < 1e-3)  # derivative comparisons away from kinks only
    assert math.isclose(float(grad), slope, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("loss", LOSSES)
def test_declared_properties_are_checked(loss):
    results = [ob.check() for ob in obligations([loss.label])]
    assert results, f"{loss.label} has no obligations"
    statuses = {r.step: r.status for r in results}
    expected_convex = "passed" if loss.convex else "refuted"
    assert statuses["convex"] == expected_convex
    assert all(r.status.ok for r in results), [(r.step, r.status, r.detail) for r in results]


@pytest.mark.lemma("loss:ramp")
@pytest.mark.lemma("loss:sigmoid")
@pytest.mark.parametrize("name", ["ramp", "sigmoid"])
def test_negative_control_counterexample_is_a_real_violation(name):
    """The refutation's counterexample really breaks midpoint/chord convexity (float64)."""
    loss = get_loss(name)
    (res,) = [ob.check() for ob in obligations([loss.label]) if ob.step == "convex"]
    cx = {k: float(sp.Rational(v)) for k, v in res.counterexample.items() if k != "y"}
    t = cx.get("t", 0.5)
    yv = torch.tensor(float(res.counterexample["y"]), dtype=torch.float64)
    u1, u2 = (torch.tensor(cx[k], dtype=torch.float64) for k in ("u1", "u2"))
    inside = loss(yv, t * u1 + (1 - t) * u2)
    chord = t * loss(yv, u1) + (1 - t) * loss(yv, u2)
    assert inside > chord


def test_require_refuses_missing_hypotheses():
    with pytest.raises(LossHypothesisError, match="not convex"):
        get_loss("ramp").require(convex=True, needed_by="ll:thm-dimfree")
    with pytest.raises(LossHypothesisError, match="not Lipschitz"):
        get_loss("mse").require(lipschitz=True)
    get_loss("bce_logit").require(convex=True, lipschitz=True, holder=True)


def test_huber_family_and_unknown_names():
    h = get_loss("huber(1/2)")
    assert h.lipschitz == sp.Rational(1, 2) and h.name == "huber(1/2)"
    with pytest.raises(ValueError, match="delta"):
        huber(0)
    with pytest.raises(KeyError, match="unknown loss 'nope'"):
        get_loss("nope")
