"""Obligations of `new:crossing-barrier` (docs/lower_bounds.py; code: `theory.crossing`).

Steps: det W changes sign between E4's endpoints (so every path meets det W = 0); on
det W = 0 with rows in the unit ball the net is a ridge whose coefficients satisfy
|a| + |b| ≤ ‖θ‖₁ (z3); the squared loss splits into a part in a and one in b (z3); each
part's minimum is the soft threshold, and the Cauchy–Schwarz fallback where A vanishes
(sympy identities, z3); ll:l1-control bounds θ on {F ≤ λ} (compactness, z3); the arb
branch-and-bound over the direction φ certifies inf_𝒞 F ≥ the registered floor, and a
floor above a value F attains at a crossing point is refuted (negative control); the
assembly (z3).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from proofs_check._derive import assume, derivation
from proofs_check._obligation import Expect, obligation
from proofs_check._outcome import Outcome
from proofs_check._sympy_methods import AllOf, SameClaim, SympyIdentity, SympyInequality
from proofs_check._z3 import Z3Valid
from proofs_check.steps._ll_common import conclusion, relu
from theory.statements.crossing import E4_INSTANCE, F_cross, det_A, det_B, level, top
from theory.statements.fb import barrier
from theory.symbols import m, n

_I = E4_INSTANCE
LABEL = "new:crossing-barrier"


def _arrays() -> tuple[list[list[float]], list[float]]:
    """E4's inputs and the teacher's targets (exact integers here, so floats are exact)."""
    X = [[float(v) for v in _I.X.row(k)] for k in range(_I.X.rows)]
    Y = [float(sum(t * max(0, (_I.W.row(i) * _I.X.row(k).T)[0])
                   for i, t in enumerate(_I.theta))) for k in range(_I.X.rows)]
    return X, Y


@dataclass(frozen=True)
class CrossingBranchAndBound:
    """inf over det W = 0 of F ≥ `floor` (E4's data), by `theory.crossing`'s arb
    branch-and-bound; a floor above the value F attains at the best point found is
    refuted with that point as counterexample."""

    floor: sp.Rational
    tol: float = 1e-4
    name: str = "arb branch-and-bound"

    def run(self) -> Outcome:
        from theory.crossing import crossing_infimum

        X, Y = _arrays()
        kappa = Fraction(int(_I.kappa.p), int(_I.kappa.q))
        bound = crossing_infimum(X, Y, kappa, loss=_I.loss, tol=self.tol)
        floor = Fraction(int(self.floor.p), int(self.floor.q))
        if Fraction(bound.upper) < floor:
            return Outcome.failed(
                f"F ≤ {bound.upper:.9g} < {self.floor} at a crossing point",
                {"phi": bound.phi, "rows": "(v, -v)"})
        if Fraction(bound.lower) >= floor:
            return Outcome.passed(f"inf F over det W = 0 ≥ {bound.lower:.9g} ≥ {self.floor} "
                                  f"({bound.boxes} φ-intervals)")
        return Outcome.undecided(f"certified only ≥ {bound.lower:.9g} < {self.floor}")


@obligation(LABEL, "step_1_det_changes_sign")
def _det_sign():
    # det W_A · det W_B < 0; t ↦ det W(γ(t)) is continuous, so it vanishes on every path
    return SympyInequality(sp.Lt(_I.W.det() * _I.W_perm.det(), 0))


c1, c2, t1, t2, s_ = sp.symbols("c_1 c_2 t_1 t_2 s_v", real=True)


@obligation(LABEL, "step_2_ridge_and_penalty")
def _ridge_penalty():
    # w_i = c_i v, |c_i| ≤ 1: Φ = aρ(s) + bρ(−s), a = Σθ_iρ(c_i), b = Σθ_iρ(−c_i), and
    # $|a| + |b| \le \sum_i |\theta_i||c_i| \le \|\theta\|_1$
    a_ = t1 * relu(c1) + t2 * relu(c2)
    b_ = t1 * relu(-c1) + t2 * relu(-c2)
    ball = [c1 >= -1, c1 <= 1, c2 >= -1, c2 <= 1]
    return AllOf((
        Z3Valid([], sp.Eq(t1 * relu(c1 * s_) + t2 * relu(c2 * s_),
                          a_ * relu(s_) + b_ * relu(-s_))),
        Z3Valid(ball, sp.Abs(a_) + sp.Abs(b_) <= sp.Abs(t1) + sp.Abs(t2)),
    ))


y_, a, b, A_, B_, C_, k_ = sp.symbols("y_k a_r b_r A_q B_q C_q kappa_q", real=True)


@obligation(LABEL, "step_3_loss_splits")
def _split():
    # one of ρ(s), ρ(−s) is 0: L(y, aρ(s) + bρ(−s)) = L(y, aρ(s)) + L(y, bρ(−s)) − L(y, 0)
    def L(u):
        return (y_ - u) ** 2

    return Z3Valid([], sp.Eq(L(a * relu(s_) + b * relu(-s_)),
                             L(a * relu(s_)) + L(b * relu(-s_)) - L(0)))


@obligation(LABEL, "step_4_soft_threshold_and_cauchy_schwarz")
def _soft_threshold():
    # $C - Ba + Aa^2 + \kappa|a| \ge C - (|B| - \kappa)_+^2/(4A)$ for A > 0, κ ≥ 0 (completing
    # the square on each sign of a); $(\sum y p)^2 \le \sum y^2 \sum p^2$ (Lagrange's
    # identity, 3 terms) bounds the drop where A vanishes
    ys, ps = sp.symbols("y_1:4", real=True), sp.symbols("p_1:4", real=True)
    lagrange = sum((ys[i] * ps[j] - ys[j] * ps[i]) ** 2 for i in range(3) for j in range(i))
    drop = sp.Max(sp.Abs(B_) - k_, 0) ** 2
    return AllOf((
        SympyIdentity(A_ * a**2 - (B_ - k_) * a + (B_ - k_) ** 2 / (4 * A_),
                      A_ * (a - (B_ - k_) / (2 * A_)) ** 2),
        Z3Valid([A_ > 0, k_ >= 0],
                4 * A_ * (C_ - B_ * a + A_ * a**2 + k_ * sp.Abs(a)) >= 4 * A_ * C_ - drop),
        SympyIdentity(sum(y**2 for y in ys) * sum(p**2 for p in ps)
                      - sum(y * p for y, p in zip(ys, ps, strict=True)) ** 2, lagrange),
    ))


@obligation(LABEL, "step_5_compactness_by_l1_control")
def _compact():
    # ll:l1-control: F = R + κ‖θ‖₁ ≤ λ with R ≥ 0 gives ‖θ‖₁ ≤ λ/κ; the rows lie in the unit
    # ball and det W = 0 is closed, so 𝒞 ∩ {F ≤ λ} is compact and inf_𝒞 F is attained
    R, th, lam_ = sp.symbols("R_v normtheta_1 lambda_v", real=True)
    kp = sp.Symbol("kappa_v", positive=True)
    return Z3Valid([R >= 0, th >= 0, R + kp * th <= lam_], th * kp <= lam_)


@obligation(LABEL, "step_6_branch_and_bound")
def _branch_and_bound():
    # arb enclosures of m(φ) = min_{a,b} F on φ-intervals covering [0, π] (m(φ + π) = m(φ)):
    # inf_𝒞 F ≥ the registered floor
    return CrossingBranchAndBound(_I.crossing_floor)


@obligation(
    LABEL, "step_7_floor_above_attained_control", expect=Expect.REFUTATION,
    explanation="negative control: a floor 1/1000 above the certified one lies above a "
    "value F attains at a crossing point (≈ 0.354313); the branch-and-bound must refute it",
)
def _control():
    return CrossingBranchAndBound(_I.crossing_floor + sp.Rational(1, 1000))


@obligation(LABEL, "step_8_barrier_assembly")
def _assembly():
    # for n = m = 2 and a sign change of det W every path meets 𝒞 (steps 1–2), so
    # top ≥ F_𝒞 ≥ floor (step 6); both ends at the exact
    # level κ‖θ‖₁ (risk 0), barrier = top − level
    claim = sp.And(sp.Ge(top, F_cross), sp.Ge(barrier, F_cross - level),
                   sp.Ge(barrier, _I.barrier_floor))
    return AllOf((
        SameClaim(conclusion(LABEL), claim),
        derivation(LABEL, assumed=_ASSEMBLY_ASSUMED),
    ))


_ASSEMBLY_ASSUMED = (
    assume(LABEL, "paths-meet-the-crossing",
           sp.Implies(sp.And(sp.Eq(n, 2), sp.Eq(m, 2), det_A * det_B < 0), top >= F_cross),
           "for n = m = 2 and a sign change of det W between the ends every path meets "
           "the singular set 𝒞 (steps 1–2: the intermediate value theorem on det), so "
           "its top is at least F on 𝒞; not encoded"),
    assume(LABEL, "crossing-floor", F_cross >= _I.crossing_floor,
           "step 6 bounds F on 𝒞 below by the certified floor; its reading as the atom "
           "F_cross is not encoded"),
    assume(LABEL, "ends-at-the-level", sp.And(sp.Eq(level, _I.level),
                                              sp.Eq(barrier, top - level)),
           "both ends have risk 0, so F = κ‖θ‖₁ = the instance's level there, and the "
           "barrier is the path top above that level (its definition)"),
)
