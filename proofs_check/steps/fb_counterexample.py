"""Obligations of the [FB17] statement `fb:counterexample` (docs/statements_fb.py): every step of
its proof.

Steps:
- `fb:counterexample` (instance `COUNTEREXAMPLE`): both endpoints fit, det W changes sign
  (every path meets rank ≤ 1), a rank-≤1 net is a ridge aρ(s) + bρ(−s), the even/odd
  split on the symmetric data, least squares by completing the square, a certified
  interval bound R ≥ ½ over every direction, and the barrier assembly.
"""

from __future__ import annotations

import sympy as sp

from proofs_check._derive import assume, derivation
from proofs_check._intervals import IntervalBound
from proofs_check._obligation import obligation
from proofs_check._sympy_methods import AllOf, SameClaim, SympyIdentity, SympyInequality
from proofs_check._z3 import Z3Valid
from proofs_check.steps._fb_common import _frobenius2, phi, x1, x2
from proofs_check.steps._ll_common import Exhaustive, conclusion, relu
from theory.statements.fb import COUNTEREXAMPLE, F, barrier, theta_sigma, theta_star
from theory.symbols import m, n

# ------------------------------------------------------------- fb:counterexample

_CX = COUNTEREXAMPLE
_N = _CX.X.rows
_HALF = [_CX.X.row(k) for k in range(_N // 2)]  # representatives of the pairs ±x


def data_predictor(X: sp.Matrix, W: sp.Matrix, theta: sp.Matrix) -> sp.Matrix:
    """Φ(x_k) = Σ_i θ_i ρ(w_iᵀx_k) for every row x_k of `X` (exact), shape `(N, 1)`."""
    # $\Phi(x_k) = \sum_i \theta_i \rho(w_i^\top x_k)$
    return (X * W.T).applyfunc(relu) * theta


def _targets(X: sp.Matrix) -> sp.Matrix:
    """Y = Φ(X; W*, θ*), the teacher's outputs."""
    return data_predictor(X, _CX.W, _CX.theta)


def _risk(W: sp.Matrix, theta: sp.Matrix) -> sp.Expr:
    # $R = \frac1N \sum_k (Y_k - \Phi(x_k))^2$, κ = 0
    r = _targets(_CX.X) - data_predictor(_CX.X, W, theta)
    return sum(e**2 for e in r) / _N


@obligation("fb:counterexample", "step_1_teacher_and_swap_fit")
def _both_fit():
    # R(W*, θ*) = R(PW*, Pθ*) = 0 on the data, and in general the swap leaves Φ unchanged
    w = [sp.symbols(f"w{i}_1:3", real=True) for i in (1, 2)]
    th = sp.Matrix(sp.symbols("theta_1:3", real=True))
    W = sp.Matrix(w)
    P = sp.Matrix([[0, 1], [1, 0]])
    xrow = sp.Matrix([[x1, x2]])
    unit_rows = [SympyIdentity(_frobenius2(_CX.W.row(i)), 1) for i in range(2)]
    return AllOf((
        SympyIdentity(_risk(_CX.W, _CX.theta), 0),
        SympyIdentity(_risk(_CX.W_perm, _CX.theta_perm), 0),
        SympyIdentity(data_predictor(xrow, P * W, P * th)[0], data_predictor(xrow, W, th)[0]),
        *unit_rows,
    ))


@obligation("fb:counterexample", "step_2_det_changes_sign")
def _det_sign():
    # det W* · det W_σ < 0 and t ↦ det W(γ(t)) is continuous: every path meets det W = 0,
    # i.e. rank W ≤ 1 (2×2)
    return SympyInequality(sp.Lt(_CX.W.det() * _CX.W_perm.det(), 0))


@obligation("fb:counterexample", "step_3_rank_one_is_ridge")
def _ridge():
    # rank W ≤ 1: w_i = c_i v. $\rho(c s) = \rho(c)\rho(s) + \rho(-c)\rho(-s)$, hence
    # $\theta_1\rho(c_1 s) + \theta_2\rho(c_2 s) = a\rho(s) + b\rho(-s)$ (s = vᵀx)
    c1, c2, th1, th2, s_ = sp.symbols("c_1 c_2 th_1 th_2 s_v", real=True)
    a_ = th1 * relu(c1) + th2 * relu(c2)
    b_ = th1 * relu(-c1) + th2 * relu(-c2)
    return AllOf((
        Z3Valid([], sp.Eq(relu(c1 * s_), relu(c1) * relu(s_) + relu(-c1) * relu(-s_))),
        Z3Valid(
            [],
            sp.Eq(th1 * relu(c1 * s_) + th2 * relu(c2 * s_), a_ * relu(s_) + b_ * relu(-s_)),
        ),
    ))


@obligation("fb:counterexample", "step_4_even_odd_split")
def _even_odd():
    # data closed under x ↦ −x; for a pair with errors α = Y(x) − Φ(x), β = Y(−x) − Φ(−x):
    # $\alpha^2 + \beta^2 = \tfrac12((\alpha+\beta)^2 + (\alpha-\beta)^2)$, and for the ridge
    # Φ(x) + Φ(−x) = (a + b)|s|, Φ(x) − Φ(−x) = (a − b)s
    al, be, a_, b_, s_ = sp.symbols("err_p err_m a_r b_r s_v", real=True)
    ridge = a_ * relu(s_) + b_ * relu(-s_)
    ridge_neg = a_ * relu(-s_) + b_ * relu(s_)
    rows = {tuple(_CX.X.row(k)) for k in range(_N)}
    return AllOf((
        Exhaustive(
            lambda: sorted(rows),
            lambda x: None if tuple(-e for e in x) in rows else f"−{x} is not a data point",
            name="exhaustive enumeration",
        ),
        SympyIdentity(al**2 + be**2, ((al + be) ** 2 + (al - be) ** 2) / 2),
        Z3Valid([], sp.Eq(ridge + ridge_neg, (a_ + b_) * sp.Abs(s_))),
        Z3Valid([], sp.Eq(ridge - ridge_neg, (a_ - b_) * s_)),
    ))


@obligation("fb:counterexample", "step_5_least_squares_by_completing_square")
def _least_squares():
    # $\sum_k (E_k - c g_k)^2 = \sum E^2 - \frac{(\sum E g)^2}{S} + S\,(c - \frac{\sum Eg}{S})^2$,
    # S = Σ g² > 0, so min_c is ΣE² − (ΣEg)²/S
    E = sp.symbols("E_1:4", real=True)
    g = sp.symbols("g_1:4", real=True)
    c_ = sp.Symbol("c_r", real=True)
    S = sum(gk**2 for gk in g)
    Eg = sum(Ek * gk for Ek, gk in zip(E, g, strict=True))
    lhs = sum((Ek - c_ * gk) ** 2 for Ek, gk in zip(E, g, strict=True))
    return SympyIdentity(lhs, sum(Ek**2 for Ek in E) - Eg**2 / S + S * (c_ - Eg / S) ** 2)


def rank_one_risk_floor_expr() -> sp.Expr:
    """min over (a, b) of the risk of aρ(vᵀx) + bρ(−vᵀx), v = (cos φ, sin φ), exact in φ.

    With s_k = vᵀx_k over the pair representatives, E_k, O_k the even/odd parts of Y,
    S = Σ s_k²: R_min(φ) = (ΣE² − (ΣE|s|)²/S + ΣO² − (ΣOs)²/S) / (2N).
    """
    v = sp.Matrix([sp.cos(phi), sp.sin(phi)])
    s_k = [(x * v)[0] for x in _HALF]
    Y_plus = [_targets(x)[0] for x in _HALF]
    Y_minus = [_targets(-x)[0] for x in _HALF]
    E = [p + q for p, q in zip(Y_plus, Y_minus, strict=True)]
    O = [p - q for p, q in zip(Y_plus, Y_minus, strict=True)]
    S = sum(sk**2 for sk in s_k)
    even = sum(e**2 for e in E) - sum(e * sp.Abs(sk) for e, sk in zip(E, s_k, strict=True)) ** 2 / S
    odd = sum(o**2 for o in O) - sum(o * sk for o, sk in zip(O, s_k, strict=True)) ** 2 / S
    return (even + odd) / (2 * _N)


@obligation("fb:counterexample", "step_6_rank_one_risk_floor")
def _risk_floor():
    # R_min(φ + π) = R_min(φ); the box [0, 355/113] ⊃ [0, π] covers every direction v
    return IntervalBound(
        rank_one_risk_floor_expr(), {phi: (0, sp.Rational(355, 113))}, lower=_CX.risk_floor
    )


@obligation("fb:counterexample", "step_7_barrier_assembly")
def _cx_assembly():
    # ends fit (step 1, κ = 0: F = R = 0); for n = m = 2 the rows form a 2×2 W whose
    # determinant changes sign (step 2), so every path meets rank ≤ 1, where F ≥ R ≥ the
    # certified floor (steps 3–6)
    claim = sp.And(sp.Eq(F(theta_star), 0), sp.Eq(F(theta_sigma), 0),
                   sp.Ge(barrier, _CX.risk_floor))
    return AllOf((
        SameClaim(conclusion("fb:counterexample"), claim),
        derivation("fb:counterexample", assumed=_CX_ASSUMED),
    ))


_CX_TOP, _CX_RANK1 = sp.symbols("top F_rank1", real=True)
_CX_ASSUMED = (
    assume("fb:counterexample", "ends-fit", sp.And(sp.Eq(F(theta_star), 0),
                                                   sp.Eq(F(theta_sigma), 0)),
           "step 1 checks R(W*, θ*) = R(PW*, Pθ*) = 0 on the data; with κ = 0 that is "
           "F = 0 at both ends (the reading on the atoms F(θ*), F(θ_σ) is not encoded)"),
    assume("fb:counterexample", "paths-meet-rank-one",
           sp.Implies(sp.And(sp.Eq(n, 2), sp.Eq(m, 2)), _CX_TOP >= _CX_RANK1),
           "for n = m = 2 the rows form a 2×2 W whose determinant changes sign between "
           "the ends (step 2), so every path meets rank ≤ 1 (intermediate value "
           "theorem); not encoded"),
    assume("fb:counterexample", "rank-one-floor", _CX_RANK1 >= _CX.risk_floor,
           "steps 3–6 certify the rank-one risk floor over every direction (interval "
           "arithmetic); its reading as F at the rank-one crossing is not encoded"),
    assume("fb:counterexample", "barrier-definition",
           sp.Eq(barrier, _CX_TOP - sp.Max(F(theta_star), F(theta_sigma))),
           "the barrier is the lowest path top above the higher end (its definition, with "
           "the infimum over paths not encoded)"),
)
