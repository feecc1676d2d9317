"""Outcomes of checks: the five statuses and the record a method returns."""

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

    @property
    def ok(self) -> bool:
        """Whether this status lets `relu-landscape check` exit 0."""
        return self in (Status.PASSED, Status.FLAGGED, Status.REFUTED)


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
