"""ε(m) rates (`theory.rates`), their checks (`proofs_check.steps.rates`) and the width
calculator (`smallest_width`, `relu-landscape bound`)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from experiments.cli import main as cli_main
from proofs_check import Obligation, Status, obligations
from proofs_check.steps.rates import (
    crossover,
    envelope,
    leading_exponent,
    monotone_in_m,
    tends_to_zero,
)
from theory.losses import CATALOGUE, LossHypothesisError
from theory.rates import (
    CROSSOVERS,
    RATES,
    BoundInputs,
    Needs,
    RateInputError,
    WidthOutOfRangeError,
    certified_value,
    certifies,
    exact,
    smallest_width,
)
from theory.symbols import m, n

EXPLICIT = [r for r in RATES.values() if r.explicit]
LOSSES_FOR = {
    Needs.LIPSCHITZ: ("bce_logit", "logistic", "hinge", "absolute", "huber"),
    Needs.HOLDER: ("bce_logit", "logistic", "huber", "half_squared", "mse"),
}


def _by_rate(rates):
    return [pytest.param(r, marks=pytest.mark.lemma(r.label), id=r.name) for r in rates]


def _status(build) -> Status:
    return Obligation("ll:test", "step", build).check().status


def _rate_checks():
    for r in RATES.values():
        checks = [tends_to_zero, leading_exponent]
        checks += [envelope] if r.envelope is not None else []
        checks += [monotone_in_m] if r.explicit else []
        for check in checks:
            yield pytest.param(r, check, marks=pytest.mark.lemma(r.label),
                               id=f"{check.__name__}[{r.name}]")


# --- symbolic rate checks ------------------------------------------------------------


@pytest.mark.parametrize(("rate", "check"), list(_rate_checks()))
def test_rate_check_passes(rate, check):
    assert _status(lambda: check(rate)) is Status.PASSED


@pytest.mark.parametrize(
    "c",
    [pytest.param(c, marks=pytest.mark.lemma(RATES[c.faster].label),
                  id=f"{c.faster}-vs-{c.slower}") for c in CROSSOVERS],
)
def test_crossover_check_passes(c):
    assert _status(lambda: crossover(c)) is Status.PASSED


@pytest.mark.parametrize("rate", _by_rate(RATES.values()))
def test_every_rate_check_is_registered(rate):
    steps = {o.step for o in obligations([rate.label])}
    expected = {f"rate_tends_to_zero[{rate.name}]", f"rate_leading_exponent[{rate.name}]",
                f"rate_monotone_in_m[{rate.name}]"}
    if rate.explicit:
        assert expected <= steps
    else:  # no rate stated: no rate check may pass for it
        assert not expected & steps


def _wrong_exponents():
    for r in RATES.values():
        # sympy's limit recurses for minutes on the covering rate with a smaller exponent
        shifts = (r.exponent,) if r.name == "covering-moving" else (
            sp.Rational(1, 10), -sp.Rational(1, 10))
        for shift in shifts:
            yield pytest.param(r, r.exponent + shift, marks=pytest.mark.lemma(r.label),
                               id=f"{r.name}:p+{shift}")


@pytest.mark.parametrize(("rate", "wrong"), list(_wrong_exponents()))
def test_wrong_claimed_exponent_fails(rate, wrong):
    wrong_rate = dataclasses.replace(rate, exponent=wrong)
    assert _status(lambda: leading_exponent(wrong_rate)) is Status.FAILED


@pytest.mark.lemma("ll:cor-moving-level")
def test_leading_constant_without_the_floor_factor_fails():
    # l = ⌊m/2⌋ keeps q ≈ m/2 units: the constant gains √2 over the fixed-l bound
    wrong = dataclasses.replace(RATES["moving-level"], leading=RATES["dimfree"].leading)
    assert _status(lambda: leading_exponent(wrong)) is Status.FAILED


@pytest.mark.lemma("ll:thm-dimfree")
def test_wrong_crossover_fails():
    right = CROSSOVERS[0]
    assert _status(lambda: crossover(dataclasses.replace(right, condition=n > 3))) \
        is Status.FAILED
    assert _status(lambda: crossover(dataclasses.replace(right, point=sp.Integer(3)))) \
        is Status.FAILED


@pytest.mark.lemma("ll:thm-dimfree")
def test_monotonicity_check_fails_for_an_increasing_bound():
    rate = RATES["dimfree"]
    growing = dataclasses.replace(rate, expr=rate.expr * m)
    assert _status(lambda: monotone_in_m(growing)) is Status.FAILED


@pytest.mark.parametrize("rate", _by_rate(r for r in RATES.values() if r.envelope))
def test_floor_envelope_brackets_the_bound(rate):
    params = BoundInputs.parse("huber", kappa=0.01, D_X=1.5, level=0.4).parameters(rate)
    widths = np.arange(2, 500, dtype=np.float64)
    lower, upper = rate.bounds
    lo, value, hi = (
        sp.lambdify(m, e.subs(params), "numpy")(widths) for e in (lower, rate.expr, upper)
    )
    assert np.all(lo <= value * (1 + 1e-12))
    assert np.all(value <= hi * (1 + 1e-12))
    # the floor matters: each envelope is attained at some widths and strict at others
    assert np.any(lo < value) and np.any(value < hi)


# --- width calculator ------------------------------------------------------------------


def _float_rate(rate, params):
    f = sp.lambdify(m, rate.expr.subs(params), "numpy")
    return lambda widths: np.broadcast_to(f(np.asarray(widths, dtype=np.float64)),
                                          np.shape(widths))


@st.composite
def _calculator_case(draw, rate):
    inputs = BoundInputs.parse(
        draw(st.sampled_from(LOSSES_FOR[rate.needs])),
        kappa=draw(st.floats(1e-3, 1.0)), D_X=draw(st.floats(0.1, 10.0)),
        level=draw(st.floats(0.01, 5.0)), n=draw(st.integers(1, 8)),
        ref_width=draw(st.integers(1, 8)),
    )
    params = inputs.parameters(rate)
    eps = _float_rate(rate, params)
    lowest = int(rate.min_width.subs(params))
    width = draw(st.integers(lowest, 20_000))
    at_width = float(eps([width])[0])
    target = draw(st.floats(0.98, 1.02)) * (at_width if at_width > 0 else 1.0)
    return params, eps, lowest, width, target


@pytest.mark.parametrize("rate", _by_rate(EXPLICIT))
@given(data=st.data())
def test_smallest_width_agrees_with_float64_brute_force(rate, data):
    params, eps, lowest, width, target = data.draw(_calculator_case(rate))
    widths = np.arange(lowest, 2 * width + 10)
    values = eps(widths)
    # float64 decides ε(m) ≤ target only up to rounding: bracket it with a relative slack
    loose = int(widths[values <= target * (1 + 1e-12)][0])
    strict = int(widths[values <= target * (1 - 1e-12)][0])
    found = smallest_width(rate, params, target)
    assert loose - 1 <= found <= strict + 1
    assert certifies(rate, params, found, target)
    if found > lowest:
        assert not certifies(rate, params, found - 1, target)


@pytest.mark.lemma("ll:cor-moving-level")
def test_an_exact_tie_with_the_target_counts():
    # ε(m) = H/(1+α) (D_X ā)² / ⌈m/2⌉ = 1/(8⌈m/2⌉): ε(3) = ε(4) = 1/16 exactly
    rate = RATES["moving-level-holder"]
    params = BoundInputs.parse("bce_logit", kappa=0.5, D_X=1, level=0.5).parameters(rate)
    assert smallest_width(rate, params, 0.0625) == 3
    assert not certifies(rate, params, 2, 0.0625)


@pytest.mark.lemma("ll:cor-moving-level")
def test_exact_makes_floats_exact_through_their_repr():
    assert exact("target", 0.1) == sp.Rational(1, 10)
    with pytest.raises(RateInputError, match="target must be a finite number"):
        exact("target", float("nan"))
    with pytest.raises(RateInputError, match="target must be > 0"):
        exact("target", 0.0, positive=True)


@pytest.mark.lemma("ll:cor-moving-level")
def test_smallest_width_reports_an_unreachable_target():
    rate = RATES["moving-level"]
    params = BoundInputs.parse("hinge", kappa=0.01, D_X=1, level=1).parameters(rate)
    with pytest.raises(WidthOutOfRangeError):
        smallest_width(rate, params, 1e-3, max_width=1000)


@pytest.mark.lemma("fb:cor-2.5")
def test_rate_without_constant_has_no_width():
    with pytest.raises(RateInputError, match="states no constant"):
        smallest_width(RATES["fb-cor-2.5"], {n: sp.Integer(2)}, 0.1)


@pytest.mark.lemma("ll:thm-fixed-level")
def test_fixed_level_bound_vanishes_when_kappa_dominates():
    rate = RATES["fixed-level"]
    params = BoundInputs.parse("hinge", kappa=2, D_X=1, level=1, ref_width=3).parameters(rate)
    assert smallest_width(rate, params, 1e-9) == 4  # the smallest stated width, l + 1
    assert certified_value(rate, params, 4) == 0


@pytest.mark.parametrize(
    ("loss", "kwargs", "error", "match"),
    [
        ("hinge", {"kappa": 0.0}, RateInputError, "kappa must be > 0"),
        ("hinge", {"kappa": -1.0}, RateInputError, "kappa must be > 0"),
        ("hinge", {"kappa": float("nan")}, RateInputError, "kappa must be a finite"),
        ("hinge", {"D_X": 0.0}, RateInputError, "D_X must be > 0"),
        ("hinge", {"level": 0.1, "lower": 0.2}, RateInputError, "below the risk lower"),
        ("hinge", {"level": -0.1, "lower": -1.0}, RateInputError, "level must be ≥ 0"),
        ("nope", {}, RateInputError, "unknown loss"),
        ("ramp", {}, LossHypothesisError, "not convex"),
        ("sigmoid", {}, LossHypothesisError, "not convex"),
    ],
)
@pytest.mark.lemma("ll:thm-dimfree")
def test_bound_inputs_refuse_out_of_hypothesis_values(loss, kwargs, error, match):
    values = {"kappa": 0.01, "D_X": 1.0, "level": 0.5} | kwargs
    with pytest.raises(error, match=match):
        BoundInputs.parse(loss, **values)


@pytest.mark.parametrize("rate", _by_rate(r for r in EXPLICIT if r.needs is Needs.LIPSCHITZ))
def test_lipschitz_bound_refuses_a_non_lipschitz_loss(rate):
    inputs = BoundInputs.parse("half_squared", kappa=0.01, D_X=1.0, level=0.5, n=3)
    assert inputs.not_applicable(rate) == "not applicable: loss half_squared is not Lipschitz"
    with pytest.raises(RateInputError, match="not Lipschitz"):
        inputs.parameters(rate)


# --- command line ---------------------------------------------------------------------


def _cli(*argv: str) -> int:
    try:
        return cli_main(["bound", *argv])
    except SystemExit as exc:  # argparse refuses a malformed argument with exit 2
        return int(exc.code)


BASE = ("--kappa", "0.001", "--dx", "1.3", "--level", "0.7", "--target", "0.05")


@pytest.mark.lemma("ll:cor-moving-level")
def test_cli_prints_the_certified_widths(capsys):
    assert _cli("--loss", "bce_logit", *BASE, "--n", "3", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    rows = {r["bound"]: r for r in out["rows"]}
    rate = RATES["moving-level"]
    params = BoundInputs.parse("bce_logit", kappa=0.001, D_X=1.3, level=0.7).parameters(rate)
    assert rows["moving-level"]["width"] == smallest_width(rate, params, 0.05)
    assert rows["moving-level"]["epsilon_upper"] <= 0.05
    assert rows["moving-level"]["l"] == "⌊m/2⌋"
    assert "(e(l) − λ)₊" in out["caveat"]
    # the dropped (e(l) − λ)₊ term is a stated hypothesis of every width found
    width = rows["moving-level"]["width"]
    assert rows["moving-level"]["hypothesis"] == f"λ ≥ e({width // 2})"
    assert rows["dimfree"]["hypothesis"] == "λ ≥ e(1)"  # l = --ref-width
    assert rows["fb-cor-2.5"]["hypothesis"] is None
    assert rows["fb-cor-2.5"]["width"] is None


@pytest.mark.lemma("ll:cor-moving-level")
def test_cli_table_names_every_bound(capsys):
    assert _cli("--loss", "hinge", *BASE) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in RATES)
    assert "not applicable: needs the input dimension n" in out
    assert "has no Hölder-continuous derivative" in out


@pytest.mark.lemma("ll:cor-moving-level")
def test_cli_skips_lipschitz_bounds_for_a_non_lipschitz_loss(capsys):
    assert _cli("--loss", "half_squared", *BASE, "--json") == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    for row in rows:
        rate = RATES[row["bound"]]
        if rate.explicit and rate.needs is Needs.LIPSCHITZ:
            assert (row["width"], row["status"]) == (None, "not applicable")
            assert row["note"] == "not applicable: loss half_squared is not Lipschitz"
        if rate.needs is Needs.HOLDER:
            assert row["width"] is not None


@pytest.mark.lemma("ll:cor-moving-level")
def test_cli_reports_an_unreachable_target_per_bound(capsys):
    argv = ("--loss", "hinge", "--kappa", "0.01", "--dx", "1", "--level", "1")
    assert _cli(*argv, "--target", "1e-300", "--json") == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    computed = [r for r in rows if r["status"] not in ("not applicable", "rate only")]
    assert computed
    assert all(r["status"] == "out of range" and r["width"] is None for r in computed)


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (("--loss", "hinge", "--kappa", "0", "--dx", "1", "--level", "1", "--target", "0.1"),
         "kappa must be > 0"),
        (("--loss", "hinge", "--kappa", "nan", "--dx", "1", "--level", "1", "--target", "0.1"),
         "kappa must be a finite"),
        (("--loss", "hinge", "--kappa", "1", "--dx", "-2", "--level", "1", "--target", "0.1"),
         "D_X must be > 0"),
        (("--loss", "hinge", "--kappa", "1", "--dx", "1", "--level", "1", "--target", "0"),
         "target must be > 0"),
        (("--loss", "hinge", "--kappa", "1", "--dx", "1", "--level", "1", "--lower", "2",
          "--target", "0.1"), "below the risk lower bound"),
        (("--loss", "ramp", "--kappa", "1", "--dx", "1", "--level", "1", "--target", "0.1"),
         "not convex"),
        (("--loss", "nope", "--kappa", "1", "--dx", "1", "--level", "1", "--target", "0.1"),
         "unknown loss"),
        (("--loss", "huber(-1)", "--kappa", "1", "--dx", "1", "--level", "1", "--target",
          "0.1"), "huber delta must be a positive finite number"),
        (("--loss", "huber(abc)", "--kappa", "1", "--dx", "1", "--level", "1", "--target",
          "0.1"), "huber delta must be a number"),
    ],
)
@pytest.mark.lemma("ll:thm-dimfree")
def test_cli_refuses_bad_input_with_exit_code_2(capsys, argv, match):
    assert _cli(*argv) == 2
    assert match in capsys.readouterr().err


@pytest.mark.lemma("ll:thm-dimfree")
def test_cli_refuses_when_no_bound_applies(capsys, monkeypatch):
    import theory.loss_names as names

    bare = dataclasses.replace(CATALOGUE["half_squared"], name="bare", holder=None)
    monkeypatch.setitem(CATALOGUE, "bare", bare)
    monkeypatch.setattr(names, "LOSS_NAMES", (*names.LOSS_NAMES, "bare"))
    assert _cli("--loss", "bare", *BASE) == 2
    assert "no bound applies" in capsys.readouterr().err


@pytest.mark.lemma("ll:thm-dimfree")
def test_huber_delta_parses_exactly():
    from theory.losses import get_loss

    assert get_loss("huber(0.5)").lipschitz == sp.Rational(1, 2)
    assert get_loss("huber(1/3)").lipschitz == sp.Rational(1, 3)


@pytest.mark.lemma("ll:thm-dimfree")
def test_huge_widths_are_the_smallest_certified():
    # widths far above 2^53: the scaled comparison runs at the working precision, so the
    # width below the answer is certainly above the target (not merely uncertified)
    from theory.intervals import enclose
    from theory.rates._width import _bits, _specialize

    rate = RATES["dimfree"]
    params = BoundInputs.parse("bce_logit", kappa=1, D_X=1, level=1).parameters(rate)
    target = sp.Rational(1, 10**10)
    width = smallest_width(rate, params, target)
    assert width > 10**18
    assert certifies(rate, params, width, target)
    below = enclose(_specialize(rate, params), {m: (width - 1, width - 1)},
                    precision=_bits(width))
    assert below > enclose(target, {}, precision=_bits(width))


@pytest.mark.lemma("ll:thm-dimfree")
def test_lower_bound_is_used_on_holder_rows(capsys):
    argv = ("--loss", "half_squared", "--kappa", "0.01", "--dx", "1", "--level", "1",
            "--target", "0.01", "--json")
    assert _cli(*argv) == 0
    plain = {r["bound"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert _cli(*argv, "--lower", "0.5") == 0
    lowered = {r["bound"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    for name, rate in RATES.items():
        if rate.needs is Needs.HOLDER and plain[name]["width"] is not None:
            # ā = (λ − R̲)/κ halves, so the Hölder bound needs a smaller width
            assert lowered[name]["width"] < plain[name]["width"]
