"""ε(m) rates of the docs' statement pages and the width calculator.

Main definitions: `Rate` (one bound ε(m) with its claimed exponent, leading constant and
needed hypothesis), `Needs`, `RATES` (by name), `Crossover` / `CROSSOVERS` (for which
input dimension n one bound decays faster than another), `BoundInputs`, `certified_value`,
`certifies`, `smallest_width` (smallest m with certified ε(m) ≤ target), `exact`,
`RateInputError`, `WidthOutOfRangeError`.
Notation: m width, l reference width, q = m − l, n input dimension, ā ℓ1 radius
(λ̄ − R̲)/κ, C an unstated constant.
"""

from theory.rates._catalogue import CROSSOVERS, HALF, Q_MOVING, RATES, Crossover, cover_exponent
from theory.rates._rate import C, Needs, Rate, abar
from theory.rates._width import (
    MAX_WIDTH,
    BoundInputs,
    RateInputError,
    WidthOutOfRangeError,
    certified_value,
    certifies,
    exact,
    smallest_width,
)

__all__ = [
    "CROSSOVERS",
    "HALF",
    "MAX_WIDTH",
    "Q_MOVING",
    "RATES",
    "BoundInputs",
    "C",
    "Crossover",
    "Needs",
    "Rate",
    "RateInputError",
    "WidthOutOfRangeError",
    "abar",
    "certified_value",
    "certifies",
    "cover_exponent",
    "exact",
    "smallest_width",
]
