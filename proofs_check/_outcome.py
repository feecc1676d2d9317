"""Outcomes of checks: the six statuses and the record a method returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNDECIDED = "undecided"
    FLAGGED = "flagged"
    REFUTED = "refuted"
    #: the check's external tool is absent (`proofs_check._tools`): nothing was decided,
    #: and nothing was in doubt; a failure only under ``check --require TOOL``
    NOT_RUN = "not run"

    @property
    def ok(self) -> bool:
        """Whether this status lets `relu-landscape check` exit 0 (`not run` does unless
        its tool is required: `proofs_check._runner.failing`)."""
        return self in (Status.PASSED, Status.FLAGGED, Status.REFUTED, Status.NOT_RUN)


@dataclass(frozen=True)
class Outcome:
    """What a method decided: PASSED, FAILED (maybe with a counterexample) or UNDECIDED."""

    status: Status
    detail: str = ""
    counterexample: dict[str, Any] | None = field(default=None)

    @classmethod
    def passed(cls, detail: str = "") -> Outcome:
        return cls(Status.PASSED, detail)

    @classmethod
    def failed(cls, detail: str, counterexample: dict[str, Any] | None = None) -> Outcome:
        return cls(Status.FAILED, detail, counterexample)

    @classmethod
    def undecided(cls, detail: str) -> Outcome:
        return cls(Status.UNDECIDED, detail)

    @classmethod
    def not_run(cls, detail: str) -> Outcome:
        """The method's external tool is absent (`detail` says which and how to install it)."""
        return cls(Status.NOT_RUN, detail)
