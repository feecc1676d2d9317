"""The proof-obligation engine: each method passes, fails and stays undecided honestly."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from experiments.cli import main
from proofs_check import (
    AllOf,
    Expect,
    IntervalBound,
    Obligation,
    Status,
    SympyIdentity,
    SympyInequality,
    SympyLimit,
    Z3Valid,
    enclose,
)
from proofs_check import _obligation as registry_module

x = sp.Symbol("x", real=True)
p = sp.Symbol("p", positive=True)
k = sp.Symbol("k", integer=True, positive=True)


def test_identity_passes_and_wrong_identity_fails_with_counterexample():
    assert SympyIdentity((p + 1) ** 2, p**2 + 2 * p + 1).run().status is Status.PASSED
    out = SympyIdentity((p + 1) ** 2, p**2 + 1).run()
    assert out.status is Status.FAILED and out.counterexample


def test_inequality_true_false_and_undecided():
    assert SympyInequality(sp.Ge(p**2 + 1, 0, evaluate=False)).run().status is Status.PASSED
    assert SympyInequality(sp.Ge(-p - 1, 0, evaluate=False)).run().status is Status.FAILED
    # true (e^x ≥ 1 + x) but sympy's assumption system cannot decide it
    undecided = SympyInequality(sp.Ge(sp.exp(x) - 1 - x, 0, evaluate=False)).run()
    assert undecided.status is Status.UNDECIDED
    assert "could not decide" in undecided.detail


def test_z3_valid_and_counterexample():
    a, b = sp.symbols("a b", real=True)
    assert Z3Valid([a >= 0, b >= a], b >= 0).run().status is Status.PASSED
    out = Z3Valid([a >= 0], a * a >= 1).run()
    assert out.status is Status.FAILED and "a" in out.counterexample
    assert Z3Valid([], sp.Abs(a + b) <= sp.Abs(a) + sp.Abs(b)).run().status is Status.PASSED
    assert Z3Valid([k >= 2], k * k >= 2 * k).run().status is Status.PASSED


def test_z3_refuses_floats():
    out = Obligation("new:x", "s", lambda: Z3Valid([], x >= sp.Float(0.5))).check()
    assert out.status is Status.FAILED and "float" in out.detail


def test_interval_bound_certifies_and_refutes():
    ok = IntervalBound(sp.sin(x) ** 2 + sp.cos(x) ** 2, {x: (-3, 3)}, upper=sp.Rational(1001, 1000),
                       lower=sp.Rational(999, 1000)).run()
    assert ok.status is Status.PASSED
    bad = IntervalBound(sp.sin(x), {x: (0, 3)}, upper=sp.Rational(9, 10)).run()
    assert bad.status is Status.FAILED and bad.counterexample
    # x·(1 − x) ≤ 1/4 touches the bound at x = 1/2: certification by bisection never closes
    tight = IntervalBound(x * (1 - x), {x: (0, 1)}, upper=sp.Rational(1, 4), max_boxes=200).run()
    assert tight.status is Status.UNDECIDED


def test_enclosure_contains_true_value():
    ball = enclose(sp.exp(x) * sp.sin(x), {x: (1, 1)})
    import math

    assert ball.contains(ball.mid())  # sanity
    assert abs(float(ball.mid()) - math.exp(1) * math.sin(1)) < 1e-12


def test_limit_method():
    assert SympyLimit(1 / sp.sqrt(k), k, sp.oo, 0).run().status is Status.PASSED
    assert SympyLimit(1 / sp.sqrt(k), k, sp.oo, 1).run().status is Status.FAILED


def test_all_of_reports_first_failure():
    out = AllOf((SympyIdentity(p, p), SympyIdentity(p, 2 * p))).run()
    assert out.status is Status.FAILED


def test_expected_refutation_semantics():
    a = sp.Symbol("a", real=True)
    false_claim = Obligation("new:x", "s", lambda: Z3Valid([], a >= 0), Expect.REFUTATION)
    assert false_claim.check().status is Status.REFUTED
    true_claim = Obligation("new:x", "s", lambda: Z3Valid([], a * a >= 0), Expect.REFUTATION)
    assert true_claim.check().status is Status.FAILED  # a proved negative control is a failure
    undecided = Obligation("new:x", "s",
                           lambda: SympyInequality(sp.Ge(sp.exp(x) - 1 - x, 0, evaluate=False)),
                           Expect.REFUTATION)
    assert undecided.check().status is Status.UNDECIDED


def test_defect_semantics():
    confirmed = Obligation("new:x", "s", lambda: SympyIdentity(p, p), Expect.DEFECT, "why")
    assert confirmed.check().status is Status.FLAGGED
    gone = Obligation("new:x", "s", lambda: SympyIdentity(p, 2 * p), Expect.DEFECT, "why")
    assert gone.check().status is Status.FAILED


@pytest.fixture
def undecidable_step(monkeypatch):
    """Register, for the duration of a test, a true step sympy cannot decide."""
    registry_module.obligations()  # load the real ones first
    ob = Obligation("loss:hinge", "deliberately_undecidable",
                    lambda: SympyInequality(sp.Ge(sp.exp(x) - 1 - x, 0, evaluate=False)))
    monkeypatch.setattr(registry_module, "_OBLIGATIONS", [*registry_module._OBLIGATIONS, ob])
    return ob


def test_undecidable_obligation_is_reported_and_fails_the_run(undecidable_step, capsys):
    code = main(["check", "loss:hinge", "--json"])
    records = json.loads(capsys.readouterr().out)
    statuses = {r["step"]: r["status"] for r in records}
    assert statuses["deliberately_undecidable"] == "undecided"
    assert code == 1
