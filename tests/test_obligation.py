"""The obligation engine on stub methods: how a step is judged, timed, recorded,
registered and ordered (fast enough for every mutant of `proofs_check._obligation`)."""

from __future__ import annotations

import time

import pytest

from proofs_check import _obligation as engine
from proofs_check._obligation import Expect, Obligation, add, obligation, obligations
from proofs_check._outcome import Outcome, Status
from proofs_check._reads import conclusion, hypotheses
from theory import registry

# every test here is a small oracle-checked case, run against the mutants of
# proofs_check._obligation (mutation.toml)
pytestmark = pytest.mark.fast


class Stub:
    """A method that returns a fixed outcome after running `side` (e.g. reading a
    statement or sleeping)."""

    def __init__(self, outcome: Outcome, name: str = "stub", side=None):
        self.name, self.outcome, self.side = name, outcome, side

    def run(self) -> Outcome:
        if self.side is not None:
            self.side()
        return self.outcome


CE = {"x": 1}
OUTCOMES = {
    "passed": Outcome.passed("fine"),
    "failed": Outcome.failed("bad"),
    "failed+ce": Outcome.failed("bad", CE),
    "undecided": Outcome.undecided("unknown"),
}
# what each expectation turns each method outcome into
JUDGED = {
    Expect.PROOF: {"passed": Status.PASSED, "failed": Status.FAILED,
                   "failed+ce": Status.FAILED, "undecided": Status.UNDECIDED},
    Expect.REFUTATION: {"passed": Status.FAILED, "failed": Status.FAILED,
                        "failed+ce": Status.REFUTED, "undecided": Status.UNDECIDED},
    Expect.DEFECT: {"passed": Status.FLAGGED, "failed": Status.FAILED,
                    "failed+ce": Status.FAILED, "undecided": Status.UNDECIDED},
}


@pytest.mark.parametrize("expect", list(Expect))
@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_each_expectation_judges_each_outcome(expect, outcome):
    out = OUTCOMES[outcome]
    result = Obligation("t:a", "s", lambda: Stub(out, "m"), expect, "why").check()
    assert result.status is JUDGED[expect][outcome]
    assert (result.label, result.step, result.method) == ("t:a", "s", "m")
    assert (result.detail, result.counterexample) == (out.detail, out.counterexample)
    assert (result.expect, result.explanation) == (expect, "why")
    assert result.reads == frozenset() and result.reads_conclusion is False


def test_a_crashing_build_or_method_is_a_failure_never_a_pass():
    def build():
        raise ZeroDivisionError("no build")

    for expect in Expect:
        result = Obligation("t:a", "s", build, expect).check()
        assert result.status is Status.FAILED
        assert result.method == "?"
        assert result.detail == "check raised ZeroDivisionError: no build"

    def crash():
        raise KeyError("k")

    result = Obligation("t:a", "s", lambda: Stub(Outcome.passed(), "m", crash)).check()
    assert (result.status, result.method) == (Status.FAILED, "m")
    assert result.detail == "check raised KeyError: 'k'"


def test_a_check_is_timed():
    result = Obligation("t:a", "s", lambda: Stub(Outcome.passed(), side=lambda: time.sleep(
        0.05))).check()
    assert 0.05 <= result.seconds < 5


def test_reads_are_recorded_per_check():
    first, second = registry().labels()[:2]

    def build():
        conclusion(first)
        return Stub(Outcome.passed(), side=lambda: hypotheses(second))

    result = Obligation(first, "s", build).check()
    assert result.reads == frozenset({first, second}) and result.reads_conclusion
    # reading only hypotheses of its own statement is not reading its conclusion
    result = Obligation(second, "s", build).check()
    assert not result.reads_conclusion
    # reads() says what building reads, without running the method
    ran = []
    ob = Obligation(first, "s", lambda: (conclusion(first), hypotheses(second),
                                         Stub(Outcome.passed(), side=lambda: ran.append(1)))[2])
    assert ob.reads() == {(first, "conclusion"), (second, "hypotheses")} and not ran


def test_result_record_rounds_seconds_and_names_each_status():
    result = Obligation("t:a", "s", lambda: Stub(Outcome.failed("no", CE), "m"),
                        Expect.REFUTATION, "e").check()
    record = result.as_record()
    assert record["status"] == "refuted" and record["expect"] == "refutation"
    assert record["counterexample"] == CE and record["method"] == "m"
    assert record["seconds"] == round(result.seconds, 4)


def test_registration_refuses_a_repeated_step_only(monkeypatch):
    monkeypatch.setattr(engine, "_OBLIGATIONS", [])

    def build():
        return Stub(Outcome.passed())

    first = add(Obligation("t:a", "one", build))
    assert add(Obligation("t:a", "two", build)) is not first
    add(Obligation("t:b", "one", build))  # same step name, other statement: fine
    with pytest.raises(ValueError, match=r"^obligation t:a / one is registered twice$"):
        add(Obligation("t:a", "one", build))
    with pytest.raises(ValueError, match="registered twice"):
        obligation("t:b", "one")(build)
    assert [(o.label, o.step) for o in engine._OBLIGATIONS] == [
        ("t:a", "one"), ("t:a", "two"), ("t:b", "one")]


def test_obligations_are_ordered_by_statement_then_step_number(monkeypatch):
    first, second = registry().labels()[:2]
    assert obligations()  # loads every step module before the registry is replaced
    monkeypatch.setattr(engine, "_OBLIGATIONS", [])

    def build():
        return Stub(Outcome.passed())

    for label, step in [("zz:unknown", "step_1_a"), (second, "step_1_x"), (first, "other"),
                        (first, "step_10_b"), (first, "step_2_c"), (first, "aaa"),
                        (first, "step_1_z")]:
        add(Obligation(label, step, build))
    got = [(o.label, o.step) for o in obligations()]
    assert got == [(first, "step_1_z"), (first, "step_2_c"), (first, "step_10_b"),
                   (first, "aaa"), (first, "other"), (second, "step_1_x"),
                   ("zz:unknown", "step_1_a")]
    assert [(o.label, o.step) for o in obligations([second, "zz:unknown"])] == [
        (second, "step_1_x"), ("zz:unknown", "step_1_a")]
    assert obligations([]) == []


def test_the_registry_loads_every_step_module_once():
    obs = obligations()
    labels = set(registry().labels())
    assert len(obs) > 50 and {o.label for o in obs} <= labels
    assert len({(o.label, o.step) for o in obs}) == len(obs)
    assert obligations() == obs
