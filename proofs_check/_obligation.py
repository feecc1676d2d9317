"""Proof obligations: one named proof step of one statement, with its method.

An obligation's `expect` says what success means:
- PROOF: the method must pass.
- REFUTATION: the claim is expected to be false (a negative control); the method must
  *fail with a counterexample*, reported as `refuted`. Proved or undecided is a failure.
- DEFECT: the method checks that a recorded defect of the source is real (e.g. a
  displayed constant disagrees with its derivation); passing reports `flagged`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from proofs_check._derive import note_result
from proofs_check._outcome import Outcome, Status
from proofs_check._reads import recording
from theory.errors import InvalidArgumentError


class Method(Protocol):
    name: str

    def run(self) -> Outcome: ...


class Expect(StrEnum):
    PROOF = "proof"
    REFUTATION = "refutation"
    DEFECT = "defect"


@dataclass(frozen=True)
class Result:
    label: str
    step: str
    method: str
    status: Status
    detail: str
    seconds: float
    counterexample: dict[str, Any] | None = None
    expect: Expect = Expect.PROOF
    explanation: str = ""
    reads_conclusion: bool = False
    #: labels whose statement (hypotheses or conclusion) the check read
    reads: frozenset[str] = frozenset()

    def as_record(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "step": self.step,
            "method": self.method,
            "status": str(self.status),
            "expect": str(self.expect),
            "detail": self.detail,
            "explanation": self.explanation,
            "counterexample": self.counterexample,
            "reads_conclusion": self.reads_conclusion,
            "seconds": round(self.seconds, 4),
        }


@dataclass(frozen=True)
class Obligation:
    """Step `step` of the proof of `label`; `build()` returns the method to run.

    Building is deferred so importing the registry stays cheap.
    """

    label: str
    step: str
    build: Callable[[], Method] = field(compare=False)
    expect: Expect = Expect.PROOF
    explanation: str = ""

    def reads(self) -> set[tuple[str, str]]:
        """What building the method reads of the registry, as (label, "conclusion" |
        "hypotheses") pairs; nothing is checked."""
        with recording() as reads:
            self.build()
        return reads

    def check(self) -> Result:
        start = time.perf_counter()
        name = "?"
        with recording() as reads:
            try:
                method = self.build()
                name = method.name
                outcome = method.run()
            except Exception as exc:  # a crashing check is a failed check, never a pass
                outcome = Outcome.failed(f"check raised {type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - start
        status = _judge(self.expect, outcome)
        note_result(self.label, self.step, status)
        return Result(
            self.label, self.step, name, status, outcome.detail, seconds,
            outcome.counterexample, self.expect, self.explanation,
            reads_conclusion=(self.label, "conclusion") in reads,
            reads=frozenset(label for label, _ in reads),
        )


def _judge(expect: Expect, outcome: Outcome) -> Status:
    s = outcome.status
    if expect is Expect.PROOF:
        return s
    if expect is Expect.REFUTATION:
        if s is Status.FAILED and outcome.counterexample is not None:
            return Status.REFUTED
        return s if s in (Status.UNDECIDED, Status.NOT_RUN) else Status.FAILED
    return Status.FLAGGED if s is Status.PASSED else s


_OBLIGATIONS: list[Obligation] = []


def obligation(
    label: str, step: str, *, expect: Expect = Expect.PROOF, explanation: str = ""
) -> Callable[[Callable[[], Method]], Callable[[], Method]]:
    """Decorator registering `build` as the method of step `step` of statement `label`."""

    def register(build: Callable[[], Method]) -> Callable[[], Method]:
        add(Obligation(label, step, build, expect, explanation))
        return build

    return register


def add(ob: Obligation) -> Obligation:
    if any(o.label == ob.label and o.step == ob.step for o in _OBLIGATIONS):
        raise InvalidArgumentError(f"obligation {ob.label} / {ob.step} is registered twice")
    _OBLIGATIONS.append(ob)
    return ob


_LOADED = False


def obligations(labels: list[str] | None = None) -> list[Obligation]:
    """All registered obligations (of `labels` if given), loading `proofs_check.steps`."""
    global _LOADED
    if not _LOADED:
        import proofs_check.steps as pkg

        for info in pkgutil.iter_modules(pkg.__path__):
            importlib.import_module(f"{pkg.__name__}.{info.name}")
        _LOADED = True
    chosen = list(_OBLIGATIONS) if labels is None else [
        o for o in _OBLIGATIONS if o.label in set(labels)
    ]
    return sorted(chosen, key=_order)


def _order(ob: Obligation) -> tuple:
    """Statements in registry order; within one, step_1, step_2, … then the other steps."""
    from theory import registry

    labels = registry().labels()
    where = labels.index(ob.label) if ob.label in labels else len(labels)
    match = re.match(r"step_(\d+)_", ob.step)
    return (where, 0, int(match.group(1)), ob.step) if match else (where, 1, 0, ob.step)
