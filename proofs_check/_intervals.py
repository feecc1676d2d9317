"""Certified interval obligations: `IntervalBound` certifies lower ≤ expr ≤ upper over a box
by bisection (widest side first) with `theory.intervals.enclose`; a certain violation at
an exact point is a counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from proofs_check._outcome import Outcome
from theory.errors import InvalidArgumentError
from theory.intervals import PRECISION_BITS, arb, enclose, evaluate

__all__ = ["PRECISION_BITS", "IntervalBound", "arb", "enclose", "evaluate"]


@dataclass(frozen=True)
class IntervalBound:
    """lower ≤ expr ≤ upper for every point of `box`, certified by arb with bisection.

    `box` maps each free symbol to exact (lo, hi) endpoints. At most `max_boxes` boxes are
    evaluated; leaves left uncertified make the result *undecided*. A sub-box midpoint
    where the violation is certain is returned as a counterexample.
    """

    expr: sp.Expr
    box: dict
    upper: sp.Basic | None = None
    lower: sp.Basic | None = None
    max_boxes: int = 20_000
    name: str = "interval enclosure"

    def _violation(self, value: arb) -> bool:
        up = self.upper is not None and value > enclose(self.upper, {})
        low = self.lower is not None and value < enclose(self.lower, {})
        return bool(up or low)

    def _certified(self, value: arb) -> bool:
        up = self.upper is None or value <= enclose(self.upper, {})
        low = self.lower is None or value >= enclose(self.lower, {})
        return bool(up and low)

    def run(self) -> Outcome:
        if self.upper is None and self.lower is None:
            raise InvalidArgumentError("IntervalBound needs an upper or a lower bound")
        missing = sp.sympify(self.expr).free_symbols - set(self.box)
        if missing:
            raise InvalidArgumentError(f"the box gives no range for {sorted(map(str, missing))}")
        stack = [{s: (sp.Rational(lo), sp.Rational(hi)) for s, (lo, hi) in self.box.items()}]
        evaluated = 0
        while stack:
            box = stack.pop()
            evaluated += 1
            if evaluated > self.max_boxes:
                return Outcome.undecided(
                    f"{len(stack) + 1} sub-boxes left uncertified after {self.max_boxes} "
                    f"evaluations at {PRECISION_BITS} bits"
                )
            if self._certified(enclose(self.expr, box)):
                continue
            midpoint = {s: (lo + hi) / 2 for s, (lo, hi) in box.items()}
            value = enclose(self.expr, {s: (v, v) for s, v in midpoint.items()})
            if self._violation(value):
                return Outcome.failed(
                    f"{self.expr} = {value.mid()} violates the bound",
                    {str(s): str(v) for s, v in midpoint.items()},
                )
            widest = max(box, key=lambda s: box[s][1] - box[s][0])
            lo, hi = box[widest]
            mid = (lo + hi) / 2
            stack += [{**box, widest: (lo, mid)}, {**box, widest: (mid, hi)}]
        return Outcome.passed(
            f"certified on {evaluated} sub-boxes at {PRECISION_BITS} bits"
        )
