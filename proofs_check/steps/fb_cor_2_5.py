"""Obligations of the [FB17] statement `fb:cor-2.5` (docs/statements_fb.py): every step of
its proof.

Steps:
- `fb:cor-2.5`: covering radius and pruning exponent, the recorded defect of the rate
  O(m^{-1/n}), the qualitative limits, and the recorded defect of the absolute reading of
  ε with κ > 0 (e(m) ≥ κ − κ²/4 for Y = 1, E‖X‖ = 1).
"""

from __future__ import annotations

import sympy as sp

from proofs_check._derive import assume, derivation
from proofs_check._obligation import Expect, obligation
from proofs_check._sympy_methods import AllOf, SameClaim, SympyIdentity, SympyInequality, SympyLimit
from proofs_check._z3 import Z3Valid
from proofs_check.steps._ll_common import conclusion
from theory.statements.fb import PRUNING_EXPONENT, eta
from theory.symbols import e_inf, e_l, lam, m, n
from theory.symbols import eps as eps_gap
from theory.symbols import l as l_ref

# ------------------------------------------------------------------- fb:cor-2.5

_l_of_m = m**eta  # freed units l = m^η
_eta_good = 1 / (2 * (n + 1))  # an admissible η < 1/(n+1)


@obligation("fb:cor-2.5", "step_1_covering_radius")
def _covering():
    # K = m/l cells of an α-covering of the sphere: α = K^{-1/n} = m^{(η−1)/n}
    return SympyIdentity((m / _l_of_m) ** (-1 / n), m ** ((eta - 1) / n))


@obligation("fb:cor-2.5", "step_2_pruning_exponent")
def _pruning():
    # pruning term l·α = m^{η + (η−1)/n}; it decays iff n·exponent = η(n+1) − 1 < 0
    return AllOf((
        SympyIdentity(_l_of_m * m ** ((eta - 1) / n), m**PRUNING_EXPONENT),
        SympyIdentity(n * PRUNING_EXPONENT, eta * (n + 1) - 1),
    ))


@obligation(
    "fb:cor-2.5", "step_3_stated_rate", expect=Expect.DEFECT,
    explanation="O(m^{-1/n}) does not follow: the pruning exponent η + (η−1)/n exceeds −1/n "
    "for every η > 0, and e(l) carries no rate (e(l) − e_∞ = 1/log(l+1) meets every "
    "hypothesis yet decays slower than any power of m)",
)
def _stated_rate():
    slow = 1 / sp.log(_l_of_m + 1)  # e(l_m) − e_∞ for e(l) − e_∞ = 1/log(l + 1)
    lval = sp.Symbol("l_v", positive=True)
    return AllOf((
        SympyInequality(sp.Gt(sp.factor(PRUNING_EXPONENT + 1 / n), 0)),
        SympyLimit(1 / sp.log(lval + 1), lval, sp.oo, 0),
        SympyInequality(sp.Lt(sp.diff(1 / sp.log(lval + 1), lval), 0)),
        SympyLimit(slow / m ** (-1 / n), m, sp.oo, sp.oo),
    ))


#: the fb:cor-2.5 counterexample to the absolute reading: Y = 1, E‖X‖ = 1, κ = 1/10
_CX_KAPPA = sp.Rational(1, 10)
_CX_FLOOR = _CX_KAPPA - _CX_KAPPA**2 / 4  # min_a (1 − a)₊² + κa = κ − κ²/4 = 39/400


@obligation(
    "fb:cor-2.5", "step_6_absolute_level_with_penalty", expect=Expect.DEFECT,
    explanation="the source reads ε as an absolute level with lim e(m) = 0 and ε = "
    "O(m^{-1/n}); with κ > 0 both are false: for Y = 1, E‖X‖ = 1, κ = 0.1 every model of "
    "every width has F ≥ (1 − ‖θ‖₁)₊² + κ‖θ‖₁ ≥ κ − κ²/4 = 0.0975, so e(m) ≥ 0.0975 for "
    "every m, and any level connecting the sublevels is ≥ e(m), not O(m^{-1/n}) → 0; "
    "the registered statement reads ε as the excess above λ ≥ e_∞",
)
def _absolute_level():
    # Y = 1, |Φ(x)| ≤ Σ|θ_i|‖w_i‖‖x‖ ≤ a‖x‖ (‖w_i‖ ≤ 1), so E Φ ≤ a E‖X‖ = a;
    # R = E(1 − Φ)² ≥ (1 − E Φ)² (variance ≥ 0); F = R + κa
    a_, mean_phi, risk, F_ = sp.symbols("a_l1 mean_Phi risk F_any", real=True)
    a_star = 1 - _CX_KAPPA / 2  # the minimizing ‖θ‖₁ of (1 − a)² + κa
    return AllOf((
        Z3Valid(
            [a_ >= 0, mean_phi <= a_, risk >= (1 - mean_phi) ** 2, risk >= 0,
             sp.Eq(F_, risk + _CX_KAPPA * a_)],
            F_ >= _CX_FLOOR,
        ),
        SympyIdentity(_CX_FLOOR, sp.Rational(39, 400)),
        # the floor is attained by the bound (so it is the exact minimum of the bound)
        SympyIdentity((1 - a_star) ** 2 + _CX_KAPPA * a_star, _CX_FLOOR),
        # e(m) ≥ 39/400 > 0 for every m, while m^{−1/n} → 0: no O(m^{−1/n}) absolute level
        SympyInequality(sp.Gt(_CX_FLOOR, 0)),
        SympyLimit(m ** (-1 / n), m, sp.oo, 0),
    ))


@obligation("fb:cor-2.5", "step_5_conclusion_derived")
def _cor25_derived():
    # fb:thm-2.4 at l = m^η: 0 ≤ ε(m) ≤ (e(l_m) − λ)₊ + C·(pruning term); l_m → ∞ so
    # e(l_m) → e_∞ (hypothesis), the pruning term → 0 (step 4), and λ ≥ e_∞
    lim_eps = sp.Limit(eps_gap, m, sp.oo)
    return AllOf((
        SameClaim(conclusion("fb:cor-2.5"), sp.Eq(lim_eps, 0)),
        derivation("fb:cor-2.5", assumed=_COR25_ASSUMED),
        SympyLimit(m ** sp.simplify(PRUNING_EXPONENT.subs(eta, _eta_good)), m, sp.oo, 0),
    ))


_LIM_E, _LIM_PRUNE = sp.symbols("lim_e_lm lim_prune", real=True)
_COR25_ASSUMED = (
    assume("fb:cor-2.5", "reference-limit",
           sp.Implies(sp.Eq(sp.Limit(e_l, l_ref, sp.oo), e_inf), sp.Eq(_LIM_E, e_inf)),
           "l_m = m^η → ∞ (step 4), so e(l_m) → e_∞ when e(l) → e_∞ (composition of "
           "limits); not encoded"),
    assume("fb:cor-2.5", "pruning-limit", sp.Eq(_LIM_PRUNE, 0),
           "the pruning term m^{−1/(2n)} → 0 (step 4 and the sympy limit of this step); its "
           "reading as lim_prune is not encoded"),
    assume("fb:cor-2.5", "limit-of-the-bound",
           sp.And(sp.Limit(eps_gap, m, sp.oo) <= sp.Max(_LIM_E - lam, 0) + _LIM_PRUNE,
                  sp.Limit(eps_gap, m, sp.oo) >= 0),
           "fb:thm-2.4 at l = m^η gives 0 ≤ ε(m) ≤ (e(l_m) − λ)₊ + C·(pruning term) for "
           "every m; passing to the limit (the limit exists, limit laws) is not encoded"),
)


@obligation("fb:cor-2.5", "step_4_qualitative_limits")
def _qualitative():
    # with η = 1/(2(n+1)): l = m^η → ∞ (so e(l) → e_∞), q = m − l → ∞, and the pruning
    # term m^{-1/(2n)} → 0; hence ε(m) → 0 when λ ≥ e_∞
    exponent = PRUNING_EXPONENT.subs(eta, _eta_good)
    return AllOf((
        SympyIdentity(exponent, -1 / (2 * n)),
        SympyLimit(m ** (-1 / (2 * n)), m, sp.oo, 0),
        SympyLimit(_l_of_m, m, sp.oo, sp.oo),
        SympyLimit(m - m**_eta_good, m, sp.oo, sp.oo),
    ))
