"""Further statements of [B26]'s corrected revision (docs/statements_ll.py, last list).

Main statements: `ll:attainment` (the minima defining e(l) and δ_W are attained),
`ll:cor-near-optimal` (α = 1: 𝔟_m(λ_m) = O(1/m) at every bounded moving level),
`ll:thm-balancing-retraction` (weight-decay sublevels retract onto the balanced set, where
the objective is the atomic one), `ll:cor-weight-decay` (the ll rates transfer to the
weight-decay objective). The Hölder clause of the fixed-level theorem is part of
`ll:thm-fixed-level` itself.

Notation: as in `theory.statements.ll`; for one unit of the weight-decay objective
R + (κ/2)Σ(θ_i² + ‖w_i‖²), θ its coefficient and W2 = ‖w‖², a = θ‖w‖ its atomic
coefficient; `imbalance` = θ² − ‖w‖²; 𝔟^wd the weight-decay sublevel thickening, at a fixed
level (`b_wd_fixed`) and at a moving level (`b_wd_moving`); `b_fixed`, `b_moving` the
atomic ones.
"""

from __future__ import annotations

import sympy as sp

from theory._statement import Kind, Source, Statement
from theory.statements.ll import (
    HOLDER,
    W2,
    AttainsMinimum,
    C,
    C_h,
    F_val,
    R_val,
    delta_A,
    e_m,
    ell,
    lam_m,
    theta,
    thickening,
)
from theory.symbols import (
    D_X,
    Connected,
    H,
    HolderDerivative,
    L,
    Nonnegative,
    R_low,
    a,
    alpha,
    e_inf,
    e_l,
    kappa,
    lam,
    lam_bar,
    m,
    predicate,
    s,
    u,
    y,
)

Retracts = predicate("Retracts")  # Retracts(X, Y): a strong deformation retraction X → Y
OmegaWD = sp.Function("OmegaWD")  # a sublevel set of the weight-decay objective
Balanced = sp.Function("Balanced")  # its balanced subset {|θ_i| = ‖w_i‖}

d_unit = sp.Symbol("d_unit", real=True)  # d/dt (θ‖w‖) along the balancing flow
d_imbalance = sp.Symbol("d_imbalance", real=True)  # d/dt (θ² − ‖w‖²)
d_objective = sp.Symbol("d_objective", real=True)  # d/dt of the unit's penalty (κ/2)(θ²+W2)
pen_balanced = sp.Symbol("pen_balanced", nonnegative=True)  # penalty at a balanced point
opt_raw = sp.Symbol("opt_raw", real=True)  # min of the weight-decay objective, width m
opt_atomic = sp.Symbol("opt_atomic", real=True)  # min of the atomic objective, width m
b_wd_fixed = sp.Symbol("b_wd_fixed", nonnegative=True)
b_wd_moving = sp.Symbol("b_wd_moving", nonnegative=True)

IMBALANCE = theta**2 - W2
# the imbalance d = |θ² − ‖w‖²| along the flow at time t_flow ≥ 0, and at t_flow = 0
imb_t = sp.Symbol("imbalance_t", nonnegative=True)
imb_0 = sp.Symbol("imbalance_0", nonnegative=True)
t_flow = sp.Symbol("t_flow", nonnegative=True)
#: the uniform decay of the imbalance: d' ≤ −2d² gives d(t) ≤ d₀/(1 + 2t d₀) ≤ 1/(2t)
UNIFORM_DECAY = imb_0 / (1 + 2 * t_flow * imb_0)


def _b26(label, title, kind, hypotheses, conclusion, uses=(), text="", survivors=()):
    return Statement(
        label=label, title=title, kind=kind, source=Source.B26,
        hypotheses=tuple(hypotheses), conclusion=conclusion, uses=tuple(uses), text=text,
        survivors=tuple(survivors),
    )


STATEMENTS = (
    _b26(
        "ll:attainment", "the minima defining e(l) and δ_W are attained",
        Kind.LEMMA,
        (sp.Le(F_val, s), sp.Eq(F_val, R_val + kappa * a), sp.Ge(R_val, R_low)),
        sp.And(sp.Le(a, (s - R_low) / kappa), AttainsMinimum(e_l), AttainsMinimum(delta_A)),
        uses=("ll:l1-control", "ll:relu-lipschitz"),
        text="F_m ≤ s ⇒ ‖θ‖₁ ≤ (s − R̲)/κ (R̲ = 0 for the nonnegative Hölder losses); the "
        "minima of e(l) and δ_W(q, r; m) are attained: ℓ1 control bounds a minimizing "
        "sequence's θ, the rows lie in the compact ball, {‖θ‖₀ ≤ q} is a finite union of "
        "closed coordinate subspaces, {max_i ‖ŵ_i − w_i‖ ≤ r} is closed, and F is continuous "
        "(ReLU L¹ inequality).",
    ),
    _b26(
        "ll:cor-near-optimal", "smooth losses: 𝔟_m(λ_m) = O(1/m) at every bounded moving level",
        Kind.COROLLARY,
        (sp.Ge(lam_m, e_m), sp.Le(lam_m, lam_bar), sp.Ge(m, 2)),
        sp.Implies(
            sp.And(HolderDerivative(ell(y, u), u, 1, H), Nonnegative(ell(y, u))),
            sp.Le(thickening, C_h / m),
        ),
        uses=("ll:thm-dimfree", "ll:approx-rate", "ll:cor-moving-level"),
        survivors=(
            ("drop-hypothesis: m >= 2",
             "implied by the proof's choice l = ⌊m/2⌋ as a positive integer (l ≥ 1 forces "
             "m ≥ 2); the steps take l and q as declared positive integers"),
        ),
        text="λ_m ≥ e(m) bounded, ℒ ≥ 0 convex with an H-Lipschitz derivative (α = 1): "
        "𝔟_m(λ_m) = O(1/m): ll:thm-dimfree's Hölder clause at α = 1 with l = ⌊m/2⌋ gives "
        "H/2 (D_X λ̄/κ)² / q ≤ H (D_X λ̄/κ)²/m, and e(l) − e_∞ ≤ C/l ≤ 3C/m.",
    ),
    _b26(
        "ll:thm-balancing-retraction",
        "weight decay: sublevels retract onto the balanced set, where the objective is atomic",
        Kind.THEOREM, (),
        sp.And(
            sp.Eq(d_unit, 0),
            sp.Eq(d_imbalance, -2 * (theta**2 + W2) * IMBALANCE),
            # uniform in the unit (no rate in |a|): what continuity at t = ∞ needs
            sp.Le(imb_t, UNIFORM_DECAY),
            sp.Le(d_objective, 0),
            sp.Eq(pen_balanced, kappa * sp.Abs(theta) * sp.sqrt(W2)),
            sp.Eq(opt_raw, opt_atomic),
            Retracts(OmegaWD(lam), Balanced(lam)),
        ),
        uses=("ll:balancing",),
        text="For R + (κ/2)Σ(θ_i² + ‖w_i‖²), every nonempty sublevel strongly deformation "
        "retracts, by the per-unit balancing flow (function-preserving, objective "
        "nonincreasing; the imbalance d = |θ² − ‖w‖²| has d' ≤ −2d², so d(t) ≤ d₀/(1 + 2t d₀) "
        "≤ 1/(2t) uniformly, which continuity of the retraction at t = ∞ needs; the "
        "exponential rate exp(−4|a|t) degenerates as a → 0), onto its balanced "
        "subset {|θ_i| = ‖w_i‖}; there, with a_i = θ_i‖w_i‖, the penalty is κΣ|a_i| and the "
        "objective is the atomic R + κΣ|a_i|; the raw and atomic optimum values coincide.",
    ),
    _b26(
        "ll:cor-weight-decay", "the ll barrier rates hold for the weight-decay objective",
        Kind.COROLLARY, (),
        sp.And(
            sp.Implies(sp.Gt(lam, e_inf), sp.Le(b_wd_fixed, C / m)),
            sp.Implies(sp.And(sp.Ge(lam_m, e_m), sp.Le(lam_m, lam_bar), sp.Ge(m, 2)),
                       sp.Le(b_wd_moving, C * m ** sp.Rational(-1, 2))),
            sp.Implies(sp.And(sp.Gt(lam, e_inf), HOLDER, Nonnegative(ell(y, u))),
                       sp.Le(b_wd_fixed, C_h * m ** (-(1 + alpha) / 2))),
            sp.Implies(sp.And(sp.Ge(lam_m, e_m), sp.Le(lam_m, lam_bar), sp.Ge(m, 2), HOLDER,
                              Nonnegative(ell(y, u))),
                       sp.Le(b_wd_moving, C_h * m ** (-(1 + alpha) / 2))),
            sp.Implies(sp.Ge(kappa, L * D_X), sp.Eq(b_wd_fixed, 0)),
        ),
        uses=("ll:thm-balancing-retraction", "ll:thm-fixed-level", "ll:cor-moving-level"),
        text="Weight decay: fixed λ > e_∞ gives 𝔟^wd_m(λ) = O(1/m), bounded λ_m ≥ e(m) gives "
        "O(m^{−1/2}), Hölder O(m^{−(1+α)/2}) at a fixed and at a moving level, and κ ≥ L D_X "
        "every nonempty "
        "sublevel is connected (𝔟^wd = 0). Proof: balance both endpoints inside their "
        "sublevel, follow the atomic path of the matching result, lift it rowwise to "
        "balanced raw parameters (same objective), reverse the balancing at the other end.",
    ),
)

__all__ = [
    "STATEMENTS",
    "Balanced",
    "Connected",
    "OmegaWD",
    "Retracts",
    "b_wd_fixed",
    "b_wd_moving",
]
