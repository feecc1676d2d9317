"""Certified lower bounds of a barrier by the crossing argument (docs/lower_bounds.py).

Statement: `lb:crossing-barrier` (theory.statements.crossing). For the width-2 ReLU net on
inputs in ℝ² without bias, Φ(x) = θ₁ρ(w₁ᵀx) + θ₂ρ(w₂ᵀx) with rows in the closed ball of
radius r (ReluNet's constraint: r = 1), and F = (1/N) Σ_k c (y_k − Φ(x_k))² + κ‖θ‖₁
(c = ½ for `half_squared`, c = 1 for `mse`):

- **Crossing.** t ↦ det W(γ(t)) is continuous, so a path from A to B with
  det W_A · det W_B < 0 meets the crossing set 𝒞 = {det W = 0}; its top is ≥ inf_𝒞 F, and
  barrier(A, B) ≥ inf_𝒞 F − max(F(A), F(B)).
- **Ridge.** On 𝒞 the rows are w_i = c_i v (v = (cos φ, sin φ), |c_i| ≤ r), so
  Φ = a ρ(vᵀx) + b ρ(−vᵀx) with a = Σθ_iρ(c_i), b = Σθ_iρ(−c_i), and |a| + |b| ≤ r‖θ‖₁:
  F ≥ R(φ, a, b) + (κ/r)(|a| + |b|), with equality at w = (rv, −rv), θ = (a, b)/r.
- **Split.** One of ρ(s), ρ(−s) is 0, so L(y, aρ(s) + bρ(−s)) = L(y, aρ(s)) + L(y, bρ(−s))
  − L(y, 0): the bound separates into a part in a and a part in b.
- **Closed form.** Each part is C − Ba + Aa² + κ'|a| (κ' = κ/r), whose minimum over
  a ∈ ℝ is C − (|B| − κ')₊² / (4A) (soft threshold), and (|B| − κ')₊²/(4A) ≤ B²/(4A)
  ≤ (c/N) Σ_{k : p_k > 0} y_k² (Cauchy–Schwarz) where A vanishes.
- **Branch and bound.** m(φ) = min_{a,b} of that bound is enclosed in `arb` on φ-intervals
  covering [0, π] (m(φ + π) = m(φ): v ↦ −v swaps a and b), best first, until the smallest
  lower end is within `tol` of the best value attained at a point.

Compactness (ll:l1-control: F ≤ λ ⇒ ‖θ‖₁ ≤ λ/κ) makes 𝒞 ∩ {F ≤ λ} compact, so the
infimum over it is attained; the closed form minimizes over all of ℝ², so the bound never
needs the box.

Main definitions: `crossing_infimum` (certified [lower, upper] of inf_𝒞 F for a data set),
`barrier_lower_bound` (the crossing argument for two given endpoints), `best_point` (the
crossing point attaining the profile at an angle), `objective` (F in arb), `CrossingBound`,
`BarrierLowerBound`, `CrossingArgumentError`. Everything is exact: the data and weights
are float64 numbers read as the dyadic rationals they are, and all arithmetic is arb
balls at `PRECISION_BITS`, rounded outward to float at the end.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import flint

from theory.errors import RelulandscapeError
from theory.intervals import PRECISION_BITS, working_precision

arb = flint.arb

# c in L(y, u) = c (u − y)²: the losses whose inner minimum has the closed form
SQUARED_LOSSES = {"half_squared": Fraction(1, 2), "mse": Fraction(1)}
PHI_HI = 3.1416  # > π: the φ-interval [0, PHI_HI] covers every direction v up to sign


class CrossingArgumentError(RelulandscapeError, ValueError):
    """The crossing argument does not apply to these models or this data (shape, bias,
    sign of det W, loss, non-finite value)."""


@dataclass(frozen=True)
class CrossingBound:
    """A certified enclosure of inf F over the crossing set 𝒞 = {det W = 0}.

    **Fields**
    - `lower`: F ≥ `lower` at every point of 𝒞 (exact arithmetic, rounded down).
    - `upper`: F ≤ `upper` at a point of 𝒞 (w = (v, −v), v at angle `phi`), rounded up.
    - `phi`: the angle where `upper` is attained; `boxes`: φ-intervals enclosed.
    - `closed`: `upper − lower ≤ tol` was reached within `max_boxes`.
    - `intervals`: the final leaves (lo, hi, lower end) for pictures, sorted by lo.
    """

    lower: float
    upper: float
    phi: float
    boxes: int
    closed: bool
    intervals: tuple[tuple[float, float, float], ...]


@dataclass(frozen=True)
class BarrierLowerBound:
    """barrier(A, B) ≥ `barrier_lower` for every path in the constraint set.

    **Fields**
    - `crossing`: the enclosure of inf_𝒞 F; every path's top is ≥ `crossing.lower`.
    - `level`: an upper bound of max(F(A), F(B)) (exact arithmetic, rounded up).
    - `barrier_lower`: `crossing.lower − level`, rounded down; > 0 proves A and B lie in
      different path components of {F ≤ λ} for every λ < `crossing.lower`.
    - `det_A`, `det_B`: the determinants (exact, as floats) whose signs differ.
    """

    crossing: CrossingBound
    level: float
    barrier_lower: float
    det_A: float
    det_B: float


def _down(x: arb) -> float:
    """A float ≤ every point of the ball x."""
    lo = x.lower()
    f = float(lo)
    return math.nextafter(f, -math.inf) if arb(f) > lo else f


def _up(x: arb) -> float:
    """A float ≥ every point of the ball x."""
    hi = x.upper()
    f = float(hi)
    return math.nextafter(f, math.inf) if arb(f) < hi else f


def _relu(x: arb) -> arb:
    # $\rho(x) = \max(0, x)$ on a ball, kept ≥ 0 where the sign is known
    if x >= 0:
        return x
    if x <= 0:
        return arb(0)
    return arb(0).union(x.upper())


def _sqr(x: arb) -> arb:
    # $x^2$ with its lower end ≥ 0 (a ball product would reach below 0 around 0)
    if x >= 0 or x <= 0:
        return x * x
    big = max(abs(x.lower()), abs(x.upper()))
    return arb(0).union(big * big)


def _finite_matrix(name: str, M: Sequence, rows: int | None, cols: int) -> list[list[float]]:
    try:
        out = [[float(v) for v in row] for row in M]
    except (TypeError, ValueError) as err:
        raise CrossingArgumentError(f"{name} is not a numeric matrix ({err})") from None
    if (rows is not None and len(out) != rows) or any(len(r) != cols for r in out) or not out:
        shape = f"({len(out)}, {', '.join(sorted({str(len(r)) for r in out})) or 0})"
        want = f"({rows if rows is not None else 'N'}, {cols})"
        raise CrossingArgumentError(
            f"{name} has shape {shape}, the crossing argument needs {want}: it holds for "
            "two hidden units on inputs in ℝ² only (W square, so det W is defined)")
    if not all(math.isfinite(v) for r in out for v in r):
        raise CrossingArgumentError(f"{name} holds a NaN or an infinite value")
    return out


def _finite_vector(name: str, v: Sequence, length: int | None) -> list[float]:
    (row,) = _finite_matrix(name, [list(v)], 1, len(list(v)) if length is None else length)
    return row


class _Profile:
    """m(φ) = min over (a, b) of R(φ, a, b) + κ'(|a| + |b|), enclosed on φ-balls."""

    def __init__(self, X: list[list[float]], Y: list[float], kappa_eff: arb, c: Fraction):
        self.N = len(Y)
        self.X = [(arb(x1), arb(x2)) for x1, x2 in X]
        self.Y = [arb(y) for y in Y]
        self.kappa = kappa_eff
        self.c_over_N = arb(c.numerator) / (c.denominator * self.N)
        # $C = \frac cN \sum_k y_k^2$
        self.C = self.c_over_N * sum((y * y for y in self.Y), arb(0))

    def _half(self, p: list[arb]) -> arb:
        """A ball holding (|B| − κ')₊² / (4A), the drop of one side's minimum below C."""
        # $A = \frac cN \sum p_k^2$, $B = \frac{2c}N \sum y_k p_k$
        A = self.c_over_N * sum((_sqr(pk) for pk in p), arb(0))
        B = 2 * self.c_over_N * sum((y * pk for y, pk in zip(self.Y, p, strict=True)),
                                    arb(0))
        # Cauchy–Schwarz: $B^2/(4A) \le \frac cN \sum_{k: p_k > 0} y_k^2$
        cs = self.c_over_N * sum((y * y for y, pk in zip(self.Y, p, strict=True)
                                  if not pk <= 0), arb(0))
        if not A > 0:
            return arb(0).union(cs.upper())
        drop = _sqr(_relu(abs(B) - self.kappa)) / (4 * A)
        return arb(max(drop.lower(), arb(0))).union(min(drop.upper(), cs.upper()))

    def enclose(self, phi: arb) -> arb:
        """A ball holding m(φ') for every φ' in the ball φ."""
        cos, sin = phi.cos(), phi.sin()
        s = [x1 * cos + x2 * sin for x1, x2 in self.X]
        # $m(\varphi) = C - \mathrm{drop}_+ - \mathrm{drop}_-$ (the split, each side closed form)
        return self.C - self._half([_relu(sk) for sk in s]) - self._half([_relu(-sk) for sk in s])


def _exact(v: float | Fraction) -> arb:
    """The ball of a float (exact) or a fraction (rounded at the working precision)."""
    return arb(v.numerator) / v.denominator if isinstance(v, Fraction) else arb(v)


def _interval(lo: float, hi: float) -> arb:
    return arb(lo).union(arb(hi))


def crossing_infimum(X: Sequence, Y: Sequence, kappa: float | Fraction, *,
                     loss: str = "half_squared", row_radius: float = 1.0, tol: float = 1e-4,
                     max_boxes: int = 200_000) -> CrossingBound:
    """Certified [lower, upper] of inf F over 𝒞 = {det W = 0} for the width-2 ReLU net
    without bias on the data (X, Y), rows in the ball of radius `row_radius`.

    **Arguments**
    - `X`: inputs, shape `(N, 2)`; `Y`: targets, shape `(N,)` (float64 values, exact).
    - `kappa`: κ ≥ 0 of the penalty κ‖θ‖₁ (a float, or a `Fraction` for an exact κ);
      `loss`: `half_squared` or `mse`.
    - `tol`: stop when `upper − lower ≤ tol`; `max_boxes`: the most φ-intervals enclosed
      (a smaller budget returns a valid but looser `lower`, with `closed` False).

    >>> from theory.crossing import crossing_infimum
    >>> X = [[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0], [1.0, -1.0], [-1.0, 1.0]]
    >>> Y = [2.0, 0.0, 3.0, 0.0, 2.0, 3.0]  # the teacher W = I, θ = (2, 3)
    >>> bound = crossing_infimum(X, Y, 1e-3, tol=1e-3)
    >>> bound.closed, bound.upper - bound.lower <= 1e-3, round(bound.lower, 3)
    (True, True, 0.353)
    """
    Xl = _finite_matrix("X", X, None, 2)
    Yl = _finite_vector("Y", Y, len(Xl))
    if loss not in SQUARED_LOSSES:
        raise CrossingArgumentError(
            f"loss {loss!r}: the crossing bound minimizes the second layer in closed form, "
            f"which needs a squared loss ({', '.join(SQUARED_LOSSES)})")
    for name, value in (("kappa", float(kappa)), ("tol", tol)):
        if not (math.isfinite(value) and value >= 0):
            raise CrossingArgumentError(f"{name} must be finite and ≥ 0, got {value}")
    if not (math.isfinite(row_radius) and row_radius > 0):
        raise CrossingArgumentError(f"row_radius must be finite and > 0, got {row_radius}")
    if max_boxes < 1:
        raise CrossingArgumentError(f"max_boxes must be ≥ 1, got {max_boxes}")
    with working_precision(PRECISION_BITS):
        if not arb(PHI_HI) > arb.pi():
            raise AssertionError("the φ-interval must cover [0, π]")
        profile = _Profile(Xl, Yl, _exact(kappa) / arb(row_radius), SQUARED_LOSSES[loss])
        best_value, best_phi = math.inf, 0.0
        heap: list[tuple[float, float, float]] = []

        def push(lo: float, hi: float) -> None:
            nonlocal best_value, best_phi
            heapq.heappush(heap, (_down(profile.enclose(_interval(lo, hi))), lo, hi))
            mid = (lo + hi) / 2
            at_mid = _up(profile.enclose(arb(mid)))  # attained at the point φ = mid
            if at_mid < best_value:
                best_value, best_phi = at_mid, mid

        push(0.0, PHI_HI)
        boxes = 1
        while heap[0][0] < best_value - tol and boxes + 2 <= max_boxes:
            low, lo, hi = heapq.heappop(heap)
            mid = (lo + hi) / 2
            if not lo < mid < hi:  # float resolution: keep the leaf as it is
                heapq.heappush(heap, (low, lo, hi))
                break
            push(lo, mid)
            push(mid, hi)
            boxes += 2
        lower = min(heap[0][0], best_value)
        leaves = tuple(sorted((lo, hi, low) for low, lo, hi in heap))
    return CrossingBound(lower=lower, upper=best_value, phi=best_phi, boxes=boxes,
                         closed=best_value - lower <= tol, intervals=leaves)


def objective(W: list[list[float]], theta: list[float], X: list[list[float]],
              Y: list[float], kappa: float, loss: str) -> arb:
    """F(W, θ) in arb (exact inputs): (1/N) Σ c (y_k − Φ(x_k))² + κ‖θ‖₁.

    >>> from theory.crossing import objective
    >>> X, Y = [[1.0, 0.0], [0.0, 1.0]], [2.0, 3.0]
    >>> F = objective([[1.0, 0.0], [0.0, 1.0]], [2.0, 3.0], X, Y, 0.5, "half_squared")
    >>> F.contains(2.5), F.rad() < 1e-15  # a perfect fit: F = κ‖θ‖₁ = ½ · 5
    (True, True)
    """
    c = SQUARED_LOSSES[loss]
    with working_precision(PRECISION_BITS):
        total = arb(0)
        for (x1, x2), y in zip(X, Y, strict=True):
            # $\Phi(x) = \sum_i \theta_i \rho(w_i^\top x)$
            phi = sum((arb(t) * _relu(arb(w1) * x1 + arb(w2) * x2)
                       for (w1, w2), t in zip(W, theta, strict=True)), arb(0))
            total += _sqr(arb(y) - phi)
        return arb(c.numerator) / c.denominator * total / len(Y) \
            + arb(kappa) * sum((abs(arb(t)) for t in theta), arb(0))


def best_point(phi: float, X: Sequence, Y: Sequence, kappa: float, *,
               loss: str = "half_squared") -> tuple[list[list[float]], list[float]]:
    """The crossing point (W, θ) with w = (v, −v), v = (cos φ, sin φ), θ = (a*, b*) the
    closed-form best second layer at φ (floats: a point to evaluate, e.g. with
    `objective`, not a certificate).

    >>> from theory.crossing import best_point, crossing_infimum, objective
    >>> X = [[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0], [1.0, -1.0], [-1.0, 1.0]]
    >>> Y = [2.0, 0.0, 3.0, 0.0, 2.0, 3.0]
    >>> bound = crossing_infimum(X, Y, 1e-3, tol=1e-3)
    >>> W, theta = best_point(bound.phi, X, Y, 1e-3)  # rows w and −w: det W = 0
    >>> F = objective(W, theta, X, Y, 1e-3, "half_squared")
    >>> bound.lower <= float(F.mid()) <= bound.upper + 1e-12
    True
    """
    c = float(SQUARED_LOSSES[loss])
    v = (math.cos(phi), math.sin(phi))
    s = [x1 * v[0] + x2 * v[1] for x1, x2 in _finite_matrix("X", X, None, 2)]
    Yl = _finite_vector("Y", Y, len(s))
    theta = []
    for p in ([max(sk, 0.0) for sk in s], [max(-sk, 0.0) for sk in s]):
        # $a^* = \mathrm{sign}(B)\,(|B| - \kappa)_+ / (2A)$
        A = c * sum(pk * pk for pk in p) / len(p)
        B = 2 * c * sum(y * pk for y, pk in zip(Yl, p, strict=True)) / len(p)
        theta.append(0.0 if A == 0 else math.copysign(max(abs(B) - kappa, 0.0) / (2 * A), B))
    return [[v[0], v[1]], [-v[0], -v[1]]], theta


def _det(W: list[list[float]]) -> Fraction:
    (a, b), (c, d) = ((Fraction(v) for v in row) for row in W)
    return a * d - b * c


def barrier_lower_bound(W_A: Sequence, theta_A: Sequence, W_B: Sequence, theta_B: Sequence,
                        X: Sequence, Y: Sequence, kappa: float, *,
                        loss: str = "half_squared", bias_A: Sequence | None = None,
                        bias_B: Sequence | None = None, row_radius: float = 1.0,
                        tol: float = 1e-4, max_boxes: int = 200_000) -> BarrierLowerBound:
    """barrier(A, B) ≥ inf_𝒞 F − max(F(A), F(B)), certified, for two width-2 nets.

    **Arguments**
    - `W_A`, `W_B`: first layers, shape `(2, 2)` (rows w_i, ‖w_i‖ ≤ `row_radius`);
      `theta_A`, `theta_B`: second layers, shape `(2,)`.
    - `X`, `Y`, `kappa`, `loss`, `tol`, `max_boxes`: as in `crossing_infimum`.
    - `bias_A`, `bias_B`: must be None: with a bias the rank-1 set is not a ridge.

    Refused (`CrossingArgumentError`): a bias, W not 2×2, det W_A · det W_B ≥ 0 (no
    crossing is forced), a row outside the ball, a loss without the closed form.

    >>> from theory.crossing import barrier_lower_bound
    >>> X = [[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0], [1.0, -1.0], [-1.0, 1.0]]
    >>> Y = [2.0, 0.0, 3.0, 0.0, 2.0, 3.0]
    >>> # A and B compute the same function, their hidden units swapped: det W = ±1
    >>> result = barrier_lower_bound([[1, 0], [0, 1]], [2, 3], [[0, 1], [1, 0]], [3, 2], X, Y,
    ...                              1e-3, tol=1e-3)
    >>> result.det_A, result.det_B, result.level, round(result.barrier_lower, 3)
    (1.0, -1.0, 0.005, 0.348)
    >>> barrier_lower_bound([[1, 0], [0, 1]], [2, 3], [[1, 0], [0, 1]], [2, 3], X, Y, 1e-3)
    Traceback (most recent call last):
        ...
    theory.crossing.CrossingArgumentError: det W_A = 1 and det W_B = 1 do not have opposite ...
    """
    if bias_A is not None or bias_B is not None:
        raise CrossingArgumentError(
            "the models have a bias: on det W = 0 a biased net is not a ridge "
            "aρ(vᵀx) + bρ(−vᵀx), so the crossing bound does not apply")
    WA, WB = _finite_matrix("W_A", W_A, 2, 2), _finite_matrix("W_B", W_B, 2, 2)
    tA, tB = _finite_vector("theta_A", theta_A, 2), _finite_vector("theta_B", theta_B, 2)
    for name, W in (("W_A", WA), ("W_B", WB)):
        for i, row in enumerate(W):
            if sum(Fraction(v) ** 2 for v in row) > Fraction(row_radius) ** 2:
                raise CrossingArgumentError(
                    f"{name}: row {i} has norm {math.hypot(*row):.17g} > row_radius = "
                    f"{row_radius}: the penalty bound needs every row in that ball")
    det_A, det_B = _det(WA), _det(WB)
    if det_A * det_B >= 0:
        raise CrossingArgumentError(
            f"det W_A = {float(det_A):.6g} and det W_B = {float(det_B):.6g} do not have "
            "opposite signs: a path between them need not cross det W = 0")
    crossing = crossing_infimum(X, Y, kappa, loss=loss, row_radius=row_radius, tol=tol,
                                max_boxes=max_boxes)
    Xl, Yl = _finite_matrix("X", X, None, 2), _finite_vector("Y", Y, len(X))
    with working_precision(PRECISION_BITS):
        F_A, F_B = (objective(W, t, Xl, Yl, kappa, loss) for W, t in ((WA, tA), (WB, tB)))
        level = max(_up(F_A), _up(F_B))
        barrier = _down(arb(crossing.lower) - arb(level))
    return BarrierLowerBound(crossing=crossing, level=level, barrier_lower=barrier,
                             det_A=float(det_A), det_B=float(det_B))
