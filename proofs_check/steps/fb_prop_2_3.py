"""Obligations of the [FB17] statement `fb:prop-2.3` (docs/statements_fb.py): every step of
its proof.

Steps:
- `fb:prop-2.3`: chord and bisector identities, the pointwise upper and lower bounds
  (z3), the Rayleigh bound, the assembly with cos α, sin α as z3 unknowns, and a certified
  Gaussian instance (arc-cosine kernel).
"""

from __future__ import annotations

import sympy as sp

from proofs_check._intervals import IntervalBound
from proofs_check._obligation import obligation
from proofs_check._reads import premise
from proofs_check._sympy_methods import AllOf, SympyIdentity
from proofs_check._z3 import Z3Valid
from proofs_check.steps._fb_common import A_, B_, _frobenius2, _unit, beta, cos_a, entrywise, sin_a
from proofs_check.steps._ll_common import conclusion, relu
from proofs_check.steps.ll_basic import _rayleigh_eigen
from theory.statements.fb import Sigma_op, bracket, norm_wm
from theory.symbols import alpha

# ------------------------------------------------------------------ fb:prop-2.3

_w1, _w2 = _unit(beta), _unit(beta + alpha)  # unit vectors at angle α
_wm = _unit(beta + alpha / 2)  # the unit bisector


@obligation("fb:prop-2.3", "step_1_chord_length")
def _chord():
    # $\|w_1 - w_2\|^2 = 2(1 - \cos\alpha)$
    return SympyIdentity(_frobenius2(_w1 - _w2), 2 * (1 - sp.cos(alpha)))


@obligation("fb:prop-2.3", "step_2_bisector")
def _bisector():
    # $(1+\cos\alpha)/2 = \cos^2(\alpha/2)$, $w_1 + w_2 = 2\cos(\alpha/2)\, w_m$, ‖w_m‖ = 1
    return AllOf((
        SympyIdentity((1 + sp.cos(alpha)) / 2, sp.cos(alpha / 2) ** 2),
        entrywise(_w1 + _w2, 2 * sp.cos(alpha / 2) * _wm),
        SympyIdentity(_frobenius2(_wm), 1),
    ))


@obligation("fb:prop-2.3", "step_3_upper_bound_pointwise")
def _upper_pointwise():
    # A = w₁ᵀx, B = w₂ᵀx, (A+B)/2 = cos(α/2) w_mᵀx with cos(α/2) ≥ 0 (α ≤ π):
    # $\rho(A)\rho(B) \le \rho(\tfrac{A+B}{2})^2 = \cos^2(\alpha/2)\,\rho(w_m^\top x)^2$
    c_half, u_ = sp.Symbol("c_half", nonnegative=True), sp.Symbol("u_m", real=True)
    return AllOf((
        Z3Valid([], sp.Le(relu(A_) * relu(B_), relu((A_ + B_) / 2) ** 2)),
        Z3Valid([], sp.Eq(relu(c_half * u_) ** 2, c_half**2 * relu(u_) ** 2)),
    ))


@obligation("fb:prop-2.3", "step_4_lower_bound_pointwise")
def _lower_pointwise():
    # $\rho(\tfrac{A+B}{2})^2 - \rho(A)\rho(B) \le (\tfrac{A-B}{2})^2$
    return Z3Valid([], sp.Le(relu((A_ + B_) / 2) ** 2 - relu(A_) * relu(B_), ((A_ - B_) / 2) ** 2))


obligation("fb:prop-2.3", "step_5_rayleigh")(_rayleigh_eigen)  # E((w₁−w₂)ᵀX)² ≤ ‖Σ_X‖‖w₁−w₂‖²


@obligation("fb:prop-2.3", "step_6_assembly")
def _assembly():
    # taking expectations of steps 3–4 (Q = E((w₁−w₂)ᵀX)²), then steps 1, 5; the derived
    # slack ‖Σ‖(1−cos α)/2 is at most the stated 2‖Σ‖((1−cos α)/2 + sin²α)
    Q = sp.Symbol("Q", nonnegative=True)
    trig = {sp.cos(alpha): cos_a, sp.sin(alpha): sin_a}
    # the upper bound needs cos(α/2) ≥ 0 (step 3), i.e. α ≤ π
    return Z3Valid(
        [
            *premise("fb:prop-2.3"),
            sp.Eq(cos_a**2 + sin_a**2, 1),
            sp.Implies(alpha <= sp.pi, bracket <= (1 + cos_a) / 2 * norm_wm),
            bracket >= (1 + cos_a) / 2 * norm_wm - Q / 4,
            Q <= Sigma_op * 2 * (1 - cos_a),
        ],
        conclusion("fb:prop-2.3").subs(trig),
    )


_e_sin, _e_cos = sp.symbols("e_sin e_cos", real=True)  # Taylor remainders, in [−1, 1]


def taylor_quotient(gap: sp.Expr, var: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    """(low part, q) with gap ≥ var²·q on var ≥ 0 for some e_sin, e_cos ∈ [−1, 1]:
    sin x = x − x³/6 + e_sin x⁵/120, cos x = 1 − x²/2 + x⁴/24 + e_cos x⁶/720 (Taylor with
    Lagrange remainder, |sin⁽ᵏ⁾|, |cos⁽ᵏ⁾| ≤ 1); `low part` is the part of degree < 2 in
    var, which must vanish identically, and q = (gap − low part)/var² is a polynomial."""
    series = gap.subs({
        sp.sin(var): var - var**3 / 6 + _e_sin * var**5 / 120,
        sp.cos(var): 1 - var**2 / 2 + var**4 / 24 + _e_cos * var**6 / 720,
    })
    poly = sp.Poly(sp.expand(series), var)
    low = sum(poly.coeff_monomial(var**k) * var**k for k in (0, 1))
    return low, sp.expand(sp.cancel((poly.as_expr() - low) / var**2))


@obligation("fb:prop-2.3", "step_7_gaussian_instance")
def _gaussian():
    # X ~ N(0, I₂): [w₁, w₂]_Z = (sin α + (π − α)cos α)/(2π) (arc-cosine kernel),
    # ‖w_m‖²_Z = ½, ‖Σ_X‖ = 1. Both gaps are ≥ 0 on the whole domain α ∈ (0, π]:
    # certified by intervals away from the ends, and at the ends (where the gaps vanish
    # like α², resp. (π − α)²) by certified Taylor tails: gap/α² ≥ q(α, e) ≥ 0 on the
    # end piece for every remainder e ∈ [−1, 1]².
    kernel = (sp.sin(alpha) + (sp.pi - alpha) * sp.cos(alpha)) / (2 * sp.pi)
    instance = {bracket: kernel, norm_wm: sp.Rational(1, 2), Sigma_op: 1}
    lower, upper = sorted(
        (rel.subs(instance) for rel in conclusion("fb:prop-2.3").args),
        key=lambda rel: rel.lhs == kernel,
    )
    lower_gap, upper_gap = lower.rhs - lower.lhs, upper.rhs - upper.lhs
    beta = sp.Symbol("beta_end", nonnegative=True)  # β = π − α near α = π
    near_pi = sp.expand_trig(upper_gap.subs(alpha, sp.pi - beta))
    end = sp.Rational(1, 16)
    rem = {_e_sin: (-1, 1), _e_cos: (-1, 1)}
    parts = [
        # α ∈ [1/16, 355/113] ⊃ [1/16, π] (the lower gap stays near 2 at π)
        IntervalBound(lower_gap, {alpha: (end, sp.Rational(355, 113))}, lower=0),
        # α ∈ [1/16, 3]; (3, π] is the tail β = π − α ∈ [0, 1/7] ⊃ [0, π − 3]
        IntervalBound(upper_gap, {alpha: (end, 3)}, lower=0),
    ]
    for gap, var, top in ((lower_gap, alpha, end), (upper_gap, alpha, end),
                          (near_pi, beta, sp.Rational(1, 7))):
        low, quotient = taylor_quotient(gap, var)
        parts += [SympyIdentity(low, 0),
                  IntervalBound(quotient, {var: (0, top), **rem}, lower=0)]
    return AllOf(tuple(parts))
