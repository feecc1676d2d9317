"""Obligations of the [FB17] statement `fb:thm-2.4` (docs/statements_fb.py): every step of
its proof.

Steps:
- `fb:thm-2.4`: ℓ1 control, chord ≤ angle, the L² perturbation of Φ (the recorded defect:
  the source's ‖Σ_X‖ where √‖Σ_X‖ = D_X belongs), the squared-loss
  expansion, the α-perturbation cost ≤ α·C₁ (derived), the κ-powers of C₁ as derived and
  the recorded defect of the displayed C₁, convex interpolation of the second layer, and
  the six-sub-path assembly.
"""

from __future__ import annotations

import sympy as sp

from proofs_check._derive import assume, derivation
from proofs_check._obligation import Expect, obligation
from proofs_check._sympy_methods import AllOf, SameClaim, SympyIdentity, SympyInequality, SympyLimit
from proofs_check._z3 import Z3Valid
from proofs_check.steps._fb_common import A_, B_
from proofs_check.steps._ll_common import conclusion, relu
from theory.statements.fb import (
    C1_DERIVED,
    C1_DISPLAYED,
    F,
    dA_full,
    dA_sparse,
    dB_full,
    dB_sparse,
    path_max,
    rms_Y,
)
from theory.symbols import D_X, alpha, e_l, kappa, lam, t

# ------------------------------------------------------------------- fb:thm-2.4

_b, _R, _d, _cross, _cost = sp.symbols("b_l1 R_risk d_L2 cross cost", real=True)
_sqrtR = sp.Symbol("sqrt_R", nonnegative=True)


@obligation("fb:thm-2.4", "step_1_l1_control")
def _l1():
    # the best second layer β at fixed W: R + κ‖β‖₁ ≤ F(W, 0) = E[Y²], R ≥ 0
    # ⇒ ‖β‖₁ ≤ E[Y²]/κ and R ≤ E[Y²]
    return Z3Valid(
        [_R >= 0, _b >= 0, _R + kappa * _b <= rms_Y**2],
        sp.And(_b <= rms_Y**2 / kappa, _R <= rms_Y**2),
    )


@obligation("fb:thm-2.4", "step_2_chord_below_angle")
def _chord_angle():
    # ‖w̃ − w‖² = 2(1 − cos α) ≤ α²: f = α² − 2(1 − cos α) has f(0) = f'(0) = 0 and
    # f'' = 4 sin²(α/2) ≥ 0
    f = alpha**2 - 2 * (1 - sp.cos(alpha))
    return AllOf((
        SympyIdentity(f.subs(alpha, 0), 0),
        SympyIdentity(sp.diff(f, alpha).subs(alpha, 0), 0),
        SympyIdentity(sp.diff(f, alpha, 2), 4 * sp.sin(alpha / 2) ** 2),
        SympyInequality(sp.Ge(4 * sp.sin(alpha / 2) ** 2, 0, evaluate=False)),
    ))


@obligation("fb:thm-2.4", "step_3_predictor_perturbation")
def _perturbation():
    # per unit: |ρ(w̃ᵀx) − ρ(wᵀx)| ≤ |(w̃ − w)ᵀx|, so ‖Δ_i‖_{L²} ≤ D_X‖w̃_i − w_i‖ ≤ D_X α
    # (Rayleigh); two units, Minkowski: ‖θ₁Δ₁ + θ₂Δ₂‖ ≤ (|θ₁| + |θ₂|) D_X α
    th1, th2, ip = sp.symbols("th_1 th_2 inner", real=True)
    n1, n2, n12 = sp.symbols("norm_1 norm_2 norm_12", nonnegative=True)
    return AllOf((
        Z3Valid([], sp.Le(sp.Abs(relu(A_) - relu(B_)), sp.Abs(A_ - B_))),
        Z3Valid(
            [
                sp.Le(sp.Abs(ip), n1 * n2),  # Cauchy–Schwarz in L²
                sp.Eq(n12**2, th1**2 * n1**2 + 2 * th1 * th2 * ip + th2**2 * n2**2),
                n1 <= D_X * alpha, n2 <= D_X * alpha,
            ],
            n12 <= (sp.Abs(th1) + sp.Abs(th2)) * D_X * alpha,
        ),
    ))


@obligation(
    "fb:thm-2.4", "step_3_displayed_sigma_factor", expect=Expect.DEFECT,
    explanation="the source's C₁ carries ‖Σ_X‖ where the perturbation bound gives "
    "√‖Σ_X‖ = D_X (E((w̃ − w)ᵀX)² ≤ ‖Σ_X‖‖w̃ − w‖²): for X = s·e₂ (s = ¼, ‖Σ_X‖ = s²), "
    "w = e₁, w̃ = (cos α, sin α), the unit's change is ρ(s sin α) − ρ(0) = s sin α, and "
    "(s sin α)/(‖Σ_X‖ α) → 1/s = 4 > 1 as α → 0, while s sin α ≤ D_X α holds",
)
def _sigma_factor():
    s_ = sp.Rational(1, 4)
    x_pt = sp.Matrix([0, s_])  # X = s e₂ almost surely
    sigma = x_pt * x_pt.T  # Σ_X = E XXᵀ
    sigma_op = max(sigma.eigenvals())  # ‖Σ_X‖ = s²
    w, w_t = sp.Matrix([1, 0]), sp.Matrix([sp.cos(alpha), sp.sin(alpha)])
    change = relu((w_t.T * x_pt)[0]) - relu((w.T * x_pt)[0])  # |Δ| = ‖Δ‖_{L²} (X is constant)
    a_small = sp.Rational(1, 10)
    return AllOf((
        SympyIdentity(sigma_op, s_**2),
        SympyIdentity(change.subs(alpha, a_small), s_ * sp.sin(a_small)),  # sin(1/10) > 0
        SympyLimit(s_ * sp.sin(alpha) / (sigma_op * alpha), alpha, 0, 1 / s_),
        # at α = 1/10 the source's factor fails: s sin α > ‖Σ_X‖ α
        SympyInequality(sp.Gt(change.subs(alpha, a_small), sigma_op * a_small)),
        # the D_X = √‖Σ_X‖ form holds: s sin α ≤ s α (step 2: chord ≤ angle)
        SympyIdentity(sp.sqrt(sigma_op), s_),
    ))


@obligation("fb:thm-2.4", "step_4_squared_loss_expansion")
def _expansion():
    # $(y - \varphi - \delta)^2 - (y - \varphi)^2 = -2(y - \varphi)\delta + \delta^2$
    yy, ph, de = sp.symbols("y_v phi_v delta_v", real=True)
    return SympyIdentity((yy - ph - de) ** 2 - (yy - ph) ** 2, -2 * (yy - ph) * de + de**2)


@obligation("fb:thm-2.4", "step_5_perturbation_cost")
def _cost_bound():
    # cost = −2E[(Y−Φ)Δ] + E Δ² ≤ 2√R‖Δ‖ + ‖Δ‖², ‖Δ‖ ≤ ‖β‖₁ D_X α, ‖β‖₁ ≤ E[Y²]/κ,
    # √R ≤ √E[Y²]: cost ≤ α·C₁ with C₁ as derived
    return Z3Valid(
        [
            _sqrtR <= rms_Y, _b >= 0, kappa * _b <= rms_Y**2,
            _d >= 0, _d <= _b * D_X * alpha,
            _cross <= _sqrtR * _d,
            sp.Eq(_cost, 2 * _cross + _d**2),
        ],
        _cost <= alpha * C1_DERIVED,
    )


def _alpha_coefficients(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """(coefficient of α⁰, coefficient of α¹) of C₁."""
    poly = sp.expand(expr)
    return poly.coeff(alpha, 0), poly.coeff(alpha, 1)


@obligation("fb:thm-2.4", "step_6_derived_kappa_powers")
def _derived_powers():
    # leading exponents of κ as κ → 0⁺: log(coef)/log κ → −1 (first order), −2 (α term)
    first, second = _alpha_coefficients(C1_DERIVED)
    return AllOf((
        SympyLimit(sp.log(first) / sp.log(kappa), kappa, 0, -1),
        SympyLimit(sp.log(second) / sp.log(kappa), kappa, 0, -2),
    ))


@obligation(
    "fb:thm-2.4", "step_6_displayed_C1_power", expect=Expect.DEFECT,
    explanation="the displayed C₁ ∝ κ^{-1/2} + α√E[Y²]κ^{-1} does not bound the cost the "
    "derivation gives, ∝ κ^{-1} + α√E[Y²]κ^{-2}: term by term, derived/displayed → ∞ as "
    "κ → 0⁺; the κ^{-1} form is the one that follows",
)
def _displayed_power():
    derived = _alpha_coefficients(C1_DERIVED)
    displayed = _alpha_coefficients(C1_DISPLAYED)
    return AllOf(tuple(
        SympyLimit(d / s, kappa, 0, sp.oo) for d, s in zip(derived, displayed, strict=True)
    ))


@obligation("fb:thm-2.4", "step_7_second_layer_interpolation")
def _interpolation():
    # at fixed W, θ ↦ (y − Σθ_iφ_i)² + κ|θ| is convex (chord inequality, pointwise in the
    # sample), so on a segment of second layers F ≤ max of the endpoints
    u1, u2, yy, th1, th2 = sp.symbols("u_1 u_2 y_v th_1 th_2", real=True)
    mix = (1 - t) * u1 + t * u2

    def point(u, th):
        return (yy - u) ** 2 + kappa * sp.Abs(th)

    chord = sp.Le(
        point(mix, (1 - t) * th1 + t * th2), (1 - t) * point(u1, th1) + t * point(u2, th2)
    )
    return Z3Valid([t >= 0, t <= 1], chord)


@obligation("fb:thm-2.4", "step_8_six_subpaths")
def _six():
    # sub-paths of A (mirror for B): (1) convex interpolation to the best second layer,
    # top ≤ F(A) ≤ λ; (2) rows move by α to the (m−l)-sparse fit, top ≤ max(δ(m,0),
    # δ(m−l,α)) + C₁α; (3) free units swap to the common l-unit optimum at constant F and
    # the second layer interpolates convexly, top ≤ max(δ(m−l,α) + C₁α, e(l))
    return derivation("fb:thm-2.4", assumed=_THM24_ASSUMED)


_TOP6 = sp.symbols("top_1:7", real=True)
_THM24_ASSUMED = (
    assume("fb:thm-2.4", "six-subpaths",
           sp.And(alpha * C1_DERIVED >= 0,
                  _TOP6[0] <= F(sp.Symbol("A")),
                  _TOP6[1] <= sp.Max(dA_full, dA_sparse) + alpha * C1_DERIVED,
                  _TOP6[2] <= sp.Max(dA_sparse + alpha * C1_DERIVED, e_l),
                  _TOP6[3] <= F(sp.Symbol("B")),
                  _TOP6[4] <= sp.Max(dB_full, dB_sparse) + alpha * C1_DERIVED,
                  _TOP6[5] <= sp.Max(dB_sparse + alpha * C1_DERIVED, e_l),
                  sp.Eq(path_max, sp.Max(*_TOP6))),
           "the six sub-paths of A and B: a convex interpolation of the second layer "
           "(step 7), rows moved by α to the sparse fit at cost C₁α (steps 1–6), free "
           "units swapped to the common l-unit optimum at constant F; their tops and the "
           "concatenation are not encoded"),
)


@obligation("fb:thm-2.4", "step_9_conclusion_derived")
def _thm24_derived():
    # C₁ as the chain of steps 1–5 gives it: cost = 2√R‖Δ‖ + ‖Δ‖² with √R ≤ √E[Y²],
    # ‖Δ‖ ≤ ‖β‖₁ D_X α, ‖β‖₁ ≤ E[Y²]/κ; and the six sub-paths of step 8
    delta = rms_Y**2 / kappa * D_X * alpha
    c1 = sp.expand((2 * rms_Y * delta + delta**2) / alpha)
    claim = sp.Le(path_max, sp.Max(
        lam, sp.Max(e_l, dA_full, dA_sparse, dB_full, dB_sparse) + c1 * alpha))
    return SameClaim(conclusion("fb:thm-2.4"), claim)
