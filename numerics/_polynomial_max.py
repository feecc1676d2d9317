"""Certified maxima of polynomials on [0, 1], and F along a segment of a deep linear net.

For a deep linear net Φ(x) = W_K⋯W_1 x with the squared loss and the penalty κ‖p‖², F
along a segment p(t) = a + t(b − a) is a polynomial in t of degree 2K: each W_j(t) is
affine in t. `deep_linear_segment_polynomial` computes its coefficients exactly (float64
inputs are exact rationals; the arithmetic is `fractions.Fraction`), and
`polynomial_max` encloses its maximum on [0, 1] rigorously: the Bernstein coefficients
of a polynomial on an interval bound its range there and its end values are two of them,
so subdividing (exactly, by de Casteljau) the intervals that may still hold the maximum
closes the gap between the best value found (a lower bound) and the largest Bernstein
coefficient left (an upper bound) — the maximum over the end points and the critical
points, without solving for the critical points.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any

import torch

from numerics._deep_linear import DeepLinearNet
from theory.errors import InvalidArgumentError

_ZERO, _ONE = Fraction(0), Fraction(1)


@dataclass(frozen=True)
class PolynomialMax:
    """An enclosure `lower ≤ max_{t∈[0,1]} P(t) ≤ upper` (floats rounded outward) and
    `argmax`, a t ∈ [0, 1] with P(t) ≥ lower.

    >>> from numerics import polynomial_max
    >>> result = polynomial_max([0, 1, -1])  # t − t², max ¼ at t = ½
    >>> result.lower <= 0.25 <= result.upper, result.argmax
    (True, 0.5)
    """

    lower: float
    upper: float
    argmax: float


def _down(x: Fraction) -> float:
    f = float(x)
    return f if Fraction(f) <= x else math.nextafter(f, -math.inf)


def _up(x: Fraction) -> float:
    f = float(x)
    return f if Fraction(f) >= x else math.nextafter(f, math.inf)


def _bernstein(coeffs: list[Fraction]) -> list[Fraction]:
    """Monomial coefficients c_0..c_d on [0, 1] → Bernstein coefficients b_0..b_d."""
    d = len(coeffs) - 1
    return [sum((Fraction(math.comb(i, j), math.comb(d, j)) * coeffs[j] for j in range(i + 1)),
                Fraction(0)) for i in range(d + 1)]


def _split(b: list[Fraction]) -> tuple[list[Fraction], list[Fraction]]:
    """de Casteljau at ½: the Bernstein coefficients of the two halves."""
    left, right, row = [b[0]], [b[-1]], list(b)
    while len(row) > 1:
        row = [(u + v) / 2 for u, v in pairwise(row)]
        left.append(row[0])
        right.append(row[-1])
    return left, right[::-1]


def polynomial_max(coefficients: Sequence[Fraction | int | float], *, tol: float = 1e-12,
                   max_pieces: int = 100_000) -> PolynomialMax:
    """Enclose max_{t∈[0,1]} Σ_j c_j t^j, the coefficients given exactly (floats are taken
    as the rationals they are).

    Stops when upper − lower ≤ tol · max(1, |lower|), or after `max_pieces` subdivisions
    (the enclosure is then valid but wider). Raises `InvalidArgumentError` for no or
    non-finite coefficients.

    >>> from fractions import Fraction
    >>> from numerics import polynomial_max
    >>> result = polynomial_max([Fraction(1, 3), 0, -1])  # 1/3 − t², largest at t = 0
    >>> result.lower <= Fraction(1, 3) <= result.upper, result.upper - result.lower < 1e-12
    (True, True)
    """
    if len(coefficients) == 0:
        raise InvalidArgumentError("a polynomial needs at least one coefficient")
    try:
        coeffs = [Fraction(c) for c in coefficients]
    except (ValueError, OverflowError, TypeError):
        raise InvalidArgumentError(
            f"polynomial coefficients must be finite numbers, got {list(coefficients)!r}"
        ) from None
    b = _bernstein(coeffs)
    best, best_t = max((b[0], Fraction(0)), (b[-1], Fraction(1)))
    # max-heap of pieces by their Bernstein bound: (−bound, lo, width, coefficients)
    heap = [(-max(b), Fraction(0), Fraction(1), b)]
    pieces = 0
    while heap:
        bound = -heap[0][0]
        if bound - best <= Fraction(tol) * max(_ONE, abs(best)) or pieces >= max_pieces:
            break
        _, lo, width, piece = heapq.heappop(heap)
        pieces += 1
        half = width / 2
        for start, part in zip((lo, lo + half), _split(piece), strict=True):
            end_value = part[-1]  # P at the right end of the part
            if end_value > best:
                best, best_t = end_value, start + half
            top = max(part)
            if top > best:
                heapq.heappush(heap, (-top, start, half, part))
    upper = max(best, -heap[0][0]) if heap else best
    return PolynomialMax(lower=_down(best), upper=_up(upper), argmax=float(best_t))


def _exact(t: torch.Tensor) -> Any:
    """A float tensor as nested lists of exact Fractions (a Fraction for a 0-dim tensor;
    `Any` because the nesting depth is the tensor's)."""
    return [_exact(row) for row in t] if t.dim() else Fraction(float(t))


def _poly_mul(p: list[Fraction], q: list[Fraction]) -> list[Fraction]:
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, u in enumerate(p):
        if u:
            for j, v in enumerate(q):
                out[i + j] += u * v
    return out


def _poly_add(p: list[Fraction], q: list[Fraction]) -> list[Fraction]:
    n = max(len(p), len(q))
    return [(p[i] if i < len(p) else _ZERO) + (q[i] if i < len(q) else _ZERO)
            for i in range(n)]


def deep_linear_segment_polynomial(model: DeepLinearNet, X: torch.Tensor, Y: torch.Tensor,
                                   a: torch.Tensor, b: torch.Tensor, *,
                                   scale: float = 0.5) -> list[Fraction]:
    """Exact monomial coefficients in t of F(a + t(b − a)) for a `DeepLinearNet` with the
    loss `scale`·(u − y)² (½ for half_squared, 1 for mse) averaged over the N samples,
    plus the penalty κ‖p‖².

    **Arguments** `X` `(N, n_0)`, `Y` `(N,)`, `a`, `b` flat parameters `(P,)`, all taken as
    the exact values of their floats.

    >>> import torch
    >>> from numerics import DeepLinearNet, Problem, deep_linear_segment_polynomial
    >>> from theory.losses import get_loss
    >>> net = DeepLinearNet((2, 2, 1), kappa=0.0)
    >>> X = torch.eye(2, dtype=torch.float64)
    >>> Y = torch.tensor([1.0, -1.0], dtype=torch.float64)
    >>> a, b = net.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> coefficients = deep_linear_segment_polynomial(net, X, Y, a, b)  # scale ½: half_squared
    >>> F = Problem(net, X, Y, get_loss("half_squared")).F
    >>> len(coefficients), round(float(coefficients[0]), 12) == round(float(F(a[None])[0]), 12)
    (5, True)
    """
    Wa = [W[0] for W in model.split(a[None].double())]
    Wb = [W[0] for W in model.split(b[None].double())]
    # row vector v(t) = W_K(t)⋯W_j(t), entries polynomials (coefficient lists)
    layers = []
    for A, B in zip(Wa, Wb, strict=True):
        ea, eb = _exact(A), _exact(B)  # B − A exactly, not its rounded float
        layers.append((ea, [[v - u for u, v in zip(ra, rb, strict=True)]
                            for ra, rb in zip(ea, eb, strict=True)]))
    A_K, D_K = layers[-1]
    v = [[A_K[0][i], D_K[0][i]] for i in range(len(A_K[0]))]
    for A, D in reversed(layers[:-1]):
        cols = len(A[0])
        v = [
            _sum_polys([_poly_mul(v[r], [A[r][c], D[r][c]]) for r in range(len(A))])
            for c in range(cols)
        ]
    Xe, Ye = _exact(X.double()), _exact(Y.double().reshape(-1))
    N = len(Xe)
    risk: list[Fraction] = [Fraction(0)]
    for x, y in zip(Xe, Ye, strict=True):
        u = _sum_polys([[c * xi for c in v[i]] for i, xi in enumerate(x)])
        r = _poly_add(u, [-y])
        risk = _poly_add(risk, _poly_mul(r, r))
    s = Fraction(scale) / N
    total = [s * c for c in risk]
    kappa = Fraction(float(model.kappa))
    if kappa:
        pa = _exact(a.double())
        d = [v - u for u, v in zip(pa, _exact(b.double()), strict=True)]
        penalty = [kappa * sum(x * x for x in pa), 2 * kappa * sum(x * y for x, y in
                                                                   zip(pa, d, strict=True)),
                   kappa * sum(y * y for y in d)]
        total = _poly_add(total, penalty)
    return total


def _sum_polys(polys: list[list[Fraction]]) -> list[Fraction]:
    out: list[Fraction] = [Fraction(0)]
    for p in polys:
        out = _poly_add(out, p)
    return out
