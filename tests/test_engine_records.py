"""The obligation engine's record of a result and its registration decorator: what
`check --json` writes and what `@obligation` registers (survivors of mutation testing,
docs/mutation.md)."""

from __future__ import annotations

import pytest

from proofs_check import _obligation as engine
from proofs_check._obligation import Expect, Result, obligation
from proofs_check._outcome import Status


def test_a_result_record_has_every_field_under_its_name():
    result = Result(label="ll:x", step="s1", method="sympy", status=Status.PASSED,
                    detail="ok", seconds=1.234567, counterexample={"a": 1},
                    expect=Expect.REFUTATION, explanation="why", reads_conclusion=True)
    assert result.as_record() == {
        "label": "ll:x", "step": "s1", "method": "sympy", "status": str(Status.PASSED),
        "expect": "refutation", "detail": "ok", "explanation": "why",
        "counterexample": {"a": 1}, "reads_conclusion": True, "seconds": 1.2346,
    }


def test_the_decorator_registers_the_step_as_written(monkeypatch):
    monkeypatch.setattr(engine, "_OBLIGATIONS", [])

    def build():
        raise AssertionError("not built at registration")

    assert obligation("t:a", "one", expect=Expect.REFUTATION, explanation="because")(build) is build
    assert obligation("t:a", "two")(build) is build
    first, second = engine._OBLIGATIONS
    assert (first.label, first.step, first.build, first.expect, first.explanation) == (
        "t:a", "one", build, Expect.REFUTATION, "because")
    assert (second.expect, second.explanation) == (Expect.PROOF, "")
    with pytest.raises(ValueError, match="t:a"):
        obligation("t:a", "one")(build)
