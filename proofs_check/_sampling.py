"""Exact rational sample points that respect sympy symbols' declared assumptions.

Used to look for counterexamples when a symbolic method does not succeed: a point is a
dict of sympy Rationals, so evaluating an expression there is exact (or sympy's
adaptive-precision numerics for transcendental functions), never a float decision.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

import sympy as sp


def sample_value(symbol: sp.Symbol, rng: random.Random) -> sp.Rational:
    """A random exact value satisfying `symbol`'s assumptions."""
    if symbol.is_integer:
        low = 1 if symbol.is_positive else (0 if symbol.is_nonnegative else -9)
        return sp.Integer(rng.randint(low, 12))
    num = sp.Rational(rng.randint(1, 400), 100)  # in (0, 4]
    if symbol.is_positive or symbol.is_nonnegative:
        return num
    return num if rng.random() < 0.5 else -num


def sample_points(
    symbols: Iterable[sp.Symbol], count: int, seed: int = 0
) -> Iterator[dict[sp.Symbol, sp.Rational]]:
    syms = sorted(symbols, key=lambda s: s.name)
    rng = random.Random(seed)
    for _ in range(count):
        yield {s: sample_value(s, rng) for s in syms}


def describe(point: dict[sp.Symbol, sp.Basic]) -> dict[str, str]:
    return {str(k): str(v) for k, v in point.items()}
