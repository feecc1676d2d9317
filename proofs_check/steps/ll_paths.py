"""Obligations of the path constructions of the `ll:` chain (docs/statements_ll.py).

Steps per label:
- `ll:bridge`: rows on the segment, the predictor decomposition against the chord,
  the Lipschitz estimate t(1−t) D_X r (‖β‖₁ + ‖γ‖₁), t(1−t) ≤ ¼, and the final bound
  from ℓ1 control (it holds with half the source's constant, also checked).
- `ll:thm-finite`: the bridge level is monotone, the sparse points are above R̲, every piece
  of the six-piece path stays below the bridge level.
- `ll:zero-radius`: the convex first piece, the path max (no bridge: r = 0).
- `ll:sphericalize`: positive homogeneity, constant predictor along the rescaling,
  norm reaching 1, nonincreasing penalty, zero rows.
- `ll:two-ray`: 1-D units are multiples of ρ(x) or ρ(−x); merging keeps Φ and does not
  raise ‖θ‖₁; the 0-sphere has two points.
- `ll:cor-1d`: room for two pairs of rows, and the path stays in the sublevel.
- `ll:balancing`: the flow conserves θ‖w‖ and the direction of w, dissipates
  ½(θ² + ‖w‖²) at rate (θ² − ‖w‖²)², and AM–GM links the two penalties.
"""

from __future__ import annotations

import itertools

import sympy as sp

from proofs_check._derive import assume, derivation, used
from proofs_check._obligation import obligation
from proofs_check._sympy_methods import AllOf, SympyIdentity, SympyInequality
from proofs_check._z3 import Z3Valid
from proofs_check.steps._ll_common import Exhaustive, conclusion, premise, relu
from theory.statements.ll import (
    F_A,
    F_B,
    W2,
    F_max,
    F_val,
    R_val,
    bridge_bound,
    delta_A,
    delta_B,
    theta,
)
from theory.symbols import D_X, L, Lam, R_low, a, e_l, eps, kappa, l, lam, m, q, r, t
from theory.symbols import s as s_level

x = sp.Symbol("x", real=True)
cw = sp.Symbol("c", positive=True)  # ‖w‖ of an active row, 0 < c ≤ 1
t1, t2 = sp.symbols("t1 t2", real=True)
aA, aB = sp.symbols("a_A a_B", nonnegative=True)  # ‖β‖₁, ‖γ‖₁
F_t = sp.Symbol("F_t", real=True)  # F on the segment at time t

# ------------------------------------------------------------------- ll:bridge


@obligation("ll:bridge", "step_1_rows_on_the_segment")
def _rows_on_segment():
    # $w_i(t) = (1-t)w_i + t\hat w_i$: $\|w_i(t) - w_i\|^2 = t^2\|\hat w_i - w_i\|^2$ and
    # $\|w_i(t) - \hat w_i\|^2 = (1-t)^2\|\hat w_i - w_i\|^2$ (so both are ≤ r, scaled)
    w = sp.symbols("w_1:3", real=True)
    wh = sp.symbols("wh_1:3", real=True)
    wt = [(1 - t) * i + t * j for i, j in zip(w, wh, strict=True)]
    sq = lambda z: sum(c**2 for c in z)  # noqa: E731
    gap = sq([j - i for i, j in zip(w, wh, strict=True)])
    return AllOf((
        SympyIdentity(sq([i - j for i, j in zip(wt, w, strict=True)]), t**2 * gap),
        SympyIdentity(sq([i - j for i, j in zip(wt, wh, strict=True)]), (1 - t) ** 2 * gap),
    ))


@obligation("ll:bridge", "step_2_predictor_against_the_chord")
def _decomposition():
    # $\Phi(t) - [(1-t)\Phi_A + t\Phi_B] = (1-t)\sum_i\beta_i(\rho_i(t) - \rho^A_i)
    #   + t\sum_i\gamma_i(\rho_i(t) - \rho^B_i)$, two units; ρ values are symbols.
    beta = sp.symbols("beta_1:3", real=True)
    gamma = sp.symbols("gamma_1:3", real=True)
    rt = sp.symbols("rho_t_1:3", nonnegative=True)
    rA = sp.symbols("rho_A_1:3", nonnegative=True)
    rB = sp.symbols("rho_B_1:3", nonnegative=True)
    Phi_t = sum(((1 - t) * b + t * g) * f for b, g, f in zip(beta, gamma, rt, strict=True))
    Phi_A = sum(b * f for b, f in zip(beta, rA, strict=True))
    Phi_B = sum(g * f for g, f in zip(gamma, rB, strict=True))
    rhs = (1 - t) * sum(b * (f - e) for b, f, e in zip(beta, rt, rA, strict=True)) + t * sum(
        g * (f - e) for g, f, e in zip(gamma, rt, rB, strict=True)
    )
    return SympyIdentity(Phi_t - ((1 - t) * Phi_A + t * Phi_B), rhs)


@obligation("ll:bridge", "step_3_lipschitz_estimate")
def _lipschitz_estimate():
    # ll:relu-lipschitz with step 1: $E|\rho_i(t) - \rho^A_i| \le D_X t r$,
    # $E|\rho_i(t) - \rho^B_i| \le D_X (1-t) r$; so
    # $E|\Phi(t) - \Phi_{\rm chord}| \le t(1-t) D_X r (\|\beta\|_1 + \|\gamma\|_1)$.
    b1, b2, g1, g2 = sp.symbols("b1 b2 g1 g2", nonnegative=True)  # |β_i|, |γ_i|
    dA1, dA2, dB1, dB2, err = sp.symbols("dA1 dA2 dB1 dB2 err", nonnegative=True)
    return Z3Valid(
        [
            t >= 0, t <= 1,
            dA1 <= D_X * t * r, dA2 <= D_X * t * r,
            dB1 <= D_X * (1 - t) * r, dB2 <= D_X * (1 - t) * r,
            err <= (1 - t) * (b1 * dA1 + b2 * dA2) + t * (g1 * dB1 + g2 * dB2),
        ],
        err <= t * (1 - t) * D_X * r * (b1 + b2 + g1 + g2),
    )


@obligation("ll:bridge", "step_4_quarter")
def _quarter():
    return Z3Valid([], t * (1 - t) <= sp.Rational(1, 4))


R_A, R_B = sp.symbols("R_A R_B", real=True)  # the endpoints' risks
_BRIDGE_ASSUMED = (
    assume("ll:bridge", "segment-bound",
           sp.And(t >= 0, t <= 1, sp.Eq(F_max, F_t),
                  F_t <= (1 - t) * F_A + t * F_B + L * t * (1 - t) * D_X * r * (aA + aB)),
           "steps 1–3 check the row-segment distances, the chord error and t(1−t) ≤ ¼; "
           "that F on the bridge at its worst t is below (1−t)F_A + tF_B + L t(1−t) D_X r "
           "(a_A + a_B) (convexity of ℒ and ‖·‖₁ with ll:relu-lipschitz in expectation) is "
           "not encoded"),
    assume("ll:bridge", "endpoint-decomposition",
           sp.And(sp.Eq(F_A, R_A + kappa * aA), sp.Eq(F_B, R_B + kappa * aB),
                  R_A >= R_low, R_B >= R_low),
           "F = R + κ‖θ‖₁ at the endpoints (the definition of F) and R ≥ R̲ "
           "(ll:assumption); their reading on these atoms is not encoded"),
)


def _bridge_derivation(goal):
    """Steps 2–3 (recorded as assumptions) and ll:l1-control's registered result at
    each endpoint (level Λ)."""
    return derivation("ll:bridge", goal, results=[
        used("ll:l1-control", {F_val: F, R_val: R, a: norm, s_level: Lam})
        for F, R, norm in ((F_A, R_A, aA), (F_B, R_B, aB))
    ], assumed=_BRIDGE_ASSUMED)


@obligation("ll:bridge", "step_5_final_bound")
def _bridge_final():
    return _bridge_derivation(conclusion("ll:bridge"))


@obligation("ll:bridge", "step_6_half_constant_suffices")
def _bridge_half():
    # the same chain gives Λ + (L D_X/(2κ)) r (Λ − R̲): the source's constant has slack 2
    half = Lam + (L * D_X / (2 * kappa)) * r * (Lam - R_low)
    return _bridge_derivation(F_max <= half)


# --------------------------------------------------------------- ll:thm-finite


@obligation("ll:thm-finite", "step_1_bridge_level_monotone")
def _bridge_monotone():
    # the bridge level Λ' ↦ Λ' + (L D_X/κ) r (Λ' − R̲) is nondecreasing, so a piece bridged
    # at level max(F_A, δ_A) ≤ Λ stays below the bridge level of Λ
    lo, hi = sp.symbols("level_lo level_hi", real=True)
    return Z3Valid([lo <= hi], bridge_bound(lo) <= bridge_bound(hi))


@obligation("ll:thm-finite", "step_2_sparse_points_are_above_R_low")
def _sparse_above():
    # the bridge needs F ≥ R̲ at its ends: δ_A = F(Ŵ_A, γ_A) ≥ R̲ since R ≥ R̲, κ‖γ‖₁ ≥ 0
    R_hat, g = sp.symbols("R_hat g_A", real=True)
    return Z3Valid(
        [R_hat >= R_low, g >= 0, sp.Eq(delta_A, R_hat + kappa * g)], delta_A >= R_low
    )


@obligation("ll:thm-finite", "step_3_path_maximum")
def _finite_path():
    # pieces: bridge A→(Ŵ_A,γ_A) [ll:bridge], free rows to the width-l optimum
    # [ll:free-row, F = δ_A], convex θ-segment [ll:convex-output, ≤ max(δ_A, e(l))],
    # permutation at F = e(l) [ll:buffer-transfer], and the mirror pieces for B.
    # The bridge levels are named: B_A, B_B at the pieces' own levels, B_Λ at Λ; step 1
    # (monotone level) and Λ ≤ B_Λ (for Λ ≥ R̲, checked here) relate them.
    return AllOf((
        Z3Valid([Lam >= R_low], Lam <= bridge_bound(Lam)),
        derivation("ll:thm-finite", assumed=_FINITE_ASSUMED),
    ))


_M7 = sp.symbols("M_1:8", real=True)
_B_A, _B_B = sp.symbols("B_A B_B", real=True)
_B_L = bridge_bound(Lam)
#: the seven pieces of ll:thm-finite's path, read as numbers: what no obligation proves
_FINITE_ASSUMED = (
    assume("ll:thm-finite", "sparse-points-above-floor",
           sp.And(delta_A >= R_low, delta_B >= R_low),
           "δ_A = F(Ŵ_A, γ_A) ≥ R̲: step 2 checks it from R ≥ R̲, κ‖γ‖₁ ≥ 0 on fresh "
           "symbols; its reading on δ_A, δ_B is not encoded"),
    assume("ll:thm-finite", "bridge-levels",
           sp.And(sp.Implies(sp.Max(F_A, delta_A) <= Lam, _B_A <= _B_L),
                  sp.Implies(sp.Max(F_B, delta_B) <= Lam, _B_B <= _B_L),
                  sp.Implies(Lam >= R_low, Lam <= _B_L)),
           "a piece bridged at its own level max(F_A, δ_A) ≤ Λ stays below the bridge "
           "level of Λ (step 1: the level is monotone), B_A, B_B naming ll:bridge's bound "
           "at the pieces' levels; the instantiation of ll:bridge is not encoded"),
    assume("ll:thm-finite", "seven-pieces",
           sp.And(_M7[0] <= _B_A, sp.Eq(_M7[1], delta_A), _M7[2] <= sp.Max(delta_A, e_l),
                  sp.Implies(l <= m, sp.Eq(_M7[3], e_l)), _M7[4] <= sp.Max(e_l, delta_B),
                  sp.Eq(_M7[5], delta_B), _M7[6] <= _B_B, sp.Eq(F_max, sp.Max(*_M7))),
           "the path A → bridge → free rows → convex θ-segment → permutation at F = e(l) "
           "→ mirror pieces → B, with piece maxima M₁…M₇ from ll:bridge, ll:free-row, "
           "ll:convex-output, ll:buffer-transfer; the concatenation and the reading of "
           "the used results on the pieces are not encoded"),
)


# -------------------------------------------------------------- ll:zero-radius


@obligation("ll:zero-radius", "step_2_convex_piece_to_the_sparse_point")
def _zero_convex():
    # A → (W_A, θ̂_A) at fixed W_A: max ≤ max(F_A, δ_A) ≤ λ + ε (ll:convex-output)
    M1 = sp.Symbol("M_1", real=True)
    return Z3Valid(
        [*premise("ll:zero-radius"), M1 <= sp.Max(F_A, delta_A)], M1 <= lam + eps
    )


@obligation("ll:zero-radius", "step_3_path_maximum")
def _zero_path():
    return derivation("ll:zero-radius", assumed=_ZERO_ASSUMED)


#: the seven pieces of ll:zero-radius's path (no bridge), read as numbers
_ZERO_ASSUMED = (
    assume("ll:zero-radius", "seven-pieces",
           sp.And(_M7[0] <= sp.Max(F_A, delta_A), sp.Implies(q + l <= m, sp.Eq(_M7[1], delta_A)),
                  _M7[2] <= sp.Max(delta_A, e_l), sp.Eq(_M7[3], e_l),
                  _M7[4] <= sp.Max(e_l, delta_B), sp.Eq(_M7[5], delta_B),
                  _M7[6] <= sp.Max(F_B, delta_B), sp.Eq(F_max, sp.Max(*_M7))),
           "the path A → (W_A, θ̂_A) → free rows to the reference (q + l ≤ m slots) → "
           "convex segment → permutation at F = e(l) → mirror pieces → B, piece maxima "
           "M₁…M₇ from ll:convex-output (step 2), ll:free-row, ll:buffer-transfer; the "
           "concatenation and the reading of the used results are not encoded (the Coq "
           "finite form composes them)"),
)


# ------------------------------------------------------------ ll:sphericalize


@obligation("ll:sphericalize", "step_1_positive_homogeneity")
def _homogeneity():
    c = sp.Symbol("c_any", nonnegative=True)
    return Z3Valid([], sp.Eq(relu(c * x), c * relu(x)))


def _scale(time):
    # $\|w(t)\| = (1-t)c + t$, $w(t) = \sigma(t) w$ with $\sigma(t) = ((1-t)c + t)/c$
    return ((1 - time) * cw + time) / cw


@obligation("ll:sphericalize", "step_2_predictor_constant")
def _sph_predictor():
    # $\theta(t)\rho(\sigma(t) z) = (\theta/\sigma(t))\,\sigma(t)\rho(z) = \theta\rho(z)$, z = wᵀx
    sigma = sp.Symbol("sigma", positive=True)
    th = sp.Symbol("theta_i", real=True)
    return Z3Valid([], sp.Eq((th / sigma) * relu(sigma * x), th * relu(x)))


@obligation("ll:sphericalize", "step_3_norm_reaches_one_inside_the_ball")
def _sph_norm():
    return Z3Valid(
        [cw <= 1, t >= 0, t <= 1],
        sp.And(sp.Eq(_scale(1) * cw, 1), _scale(t) * cw <= 1, _scale(t) * cw >= cw),
    )


@obligation("ll:sphericalize", "step_4_penalty_nonincreasing")
def _sph_penalty():
    # $|\theta(t)| = |\theta| c/((1-t)c + t)$ is nonincreasing in t when c ≤ 1
    th = sp.Symbol("theta_i", real=True)
    size = lambda time: sp.Abs(th) / _scale(time)  # noqa: E731
    return Z3Valid([cw <= 1, t1 >= 0, t1 <= t2, t2 <= 1], size(t2) <= size(t1))


@obligation("ll:sphericalize", "step_5_zero_rows_drop_their_mass")
def _sph_zero_row():
    # w_i = 0: θ_i ρ(0ᵀx) = 0, so θ_i → (1−t)θ_i keeps Φ and lowers |θ_i|
    th = sp.Symbol("theta_i", real=True)
    return AllOf((
        SympyIdentity(th * relu(0 * x), 0),
        Z3Valid([t >= 0, t <= 1], sp.Abs((1 - t) * th) <= sp.Abs(th)),
    ))


# ---------------------------------------------------------------- ll:two-ray


@obligation("ll:two-ray", "step_1_units_on_two_rays")
def _rays():
    # n = 1: $\rho(wx) = w\rho(x)$ for w ≥ 0 and $= |w|\rho(-x)$ for w < 0
    w = sp.Symbol("w", real=True)
    return Z3Valid(
        [],
        sp.And(
            sp.Implies(w >= 0, sp.Eq(relu(w * x), w * relu(x))),
            sp.Implies(w < 0, sp.Eq(relu(w * x), -w * relu(-x))),
        ),
    )


_th = sp.symbols("theta_1:4", real=True)


def _merged(time):
    # move the mass of units 2, 3 (same row) onto unit 1: θ_1 + tS, (1−t)θ_2, (1−t)θ_3
    S = _th[1] + _th[2]
    return (_th[0] + time * S, (1 - time) * _th[1], (1 - time) * _th[2])


@obligation("ll:two-ray", "step_2_merge_keeps_the_predictor")
def _merge_predictor():
    return SympyIdentity(sum(_merged(t)), sum(_th))


@obligation("ll:two-ray", "step_3_merge_does_not_raise_the_penalty")
def _merge_penalty():
    norm = lambda z: sum(sp.Abs(c) for c in z)  # noqa: E731
    return Z3Valid([t1 >= 0, t1 <= t2, t2 <= 1], norm(_merged(t2)) <= norm(_merged(t1)))


@obligation("ll:two-ray", "step_4_two_directions")
def _two_directions():
    # after ll:sphericalize an active row has w² = 1, i.e. w ∈ {−1, 1}; merging the units of
    # each sign (steps 2–3) leaves at most one unit per sign: every sign pattern of up to
    # 6 active units ends with ≤ 2 active units and the same Φ
    w = sp.Symbol("w", real=True)

    def merged(signs):
        # one unit per sign present, carrying that sign's total coefficient
        return {sg: sum(c for c, g in signs if g == sg) for sg in {g for _, g in signs}}

    def check(signs):
        coef = sp.symbols(f"c_1:{len(signs) + 1}", real=True)
        units = list(zip(coef, signs, strict=True))
        out = merged(units)
        phi = sum(c * relu(g * x) for c, g in units)
        phi_merged = sum(c * relu(g * x) for g, c in out.items())
        if len(out) > 2:
            return f"{len(out)} units remain"
        if sp.expand(phi - phi_merged) != 0:
            return "the merge changes Φ"
        return None

    def cases():
        return [s for k in range(1, 7) for s in itertools.product((-1, 1), repeat=k)]

    return AllOf((
        Z3Valid([sp.Eq(w**2, 1)], sp.Or(sp.Eq(w, 1), sp.Eq(w, -1))),
        Exhaustive(cases, check, name="exhaustive enumeration of sign patterns"),
    ))


# ------------------------------------------------------------------ ll:cor-1d


@obligation("ll:cor-1d", "step_1_room_for_both_pairs")
def _room():
    # A' uses ≤ 2 active rows, B' uses ≤ 2; m ≥ 4 leaves disjoint slots for both
    kA, kB = sp.symbols("k_A k_B", integer=True, nonnegative=True)
    return Z3Valid([*premise("ll:cor-1d"), kA <= 2, kB <= 2], kA + kB <= m)


@obligation("ll:cor-1d", "step_2_path_stays_in_the_sublevel")
def _stays():
    # A → A' (ll:two-ray, F nonincreasing), rows of B' into free slots (ll:free-row),
    # θ-segment A' → B' (ll:convex-output), B' → B reversed: F_max ≤ λ
    FA2, FB2, M1, M2, M3 = sp.symbols("F_A2 F_B2 M_1 M_2 M_3", real=True)
    return Z3Valid(
        [
            F_A <= lam, F_B <= lam, FA2 <= F_A, FB2 <= F_B,
            M1 <= F_A, sp.Eq(M2, FA2), sp.Le(M3, sp.Max(FA2, FB2)),
            sp.Eq(F_max, sp.Max(M1, M2, M3, FB2, F_B)),
        ],
        F_max <= lam,
    )


@obligation("ll:cor-1d", "step_3_monotone_piece_below_its_start")
def _monotone():
    # a path along which F is nonincreasing has its maximum at its start (ll:two-ray)
    F1, F2, F3 = sp.symbols("F1 F2 F3", real=True)
    return Z3Valid([F2 <= F1, F3 <= F2], sp.Max(F1, F2, F3) <= F1)


# --------------------------------------------------------------- ll:balancing

w1, w2 = sp.symbols("w1 w2", real=True)
_norm2 = w1**2 + w2**2


def _flow():
    # $\theta' = \theta(\|w\|^2 - \theta^2)$, $w' = w(\theta^2 - \|w\|^2)$
    return theta * (_norm2 - theta**2), (w1 * (theta**2 - _norm2), w2 * (theta**2 - _norm2))


def _dt(expr):
    """d/dt of expr(θ, w1, w2) along the flow (chain rule)."""
    dth, (dw1, dw2) = _flow()
    return sp.diff(expr, theta) * dth + sp.diff(expr, w1) * dw1 + sp.diff(expr, w2) * dw2


@obligation("ll:balancing", "step_1_unit_function_conserved")
def _conserved():
    # $\frac{d}{dt}(\theta^2\|w\|^2) = 0$ in components, and with W2 = ‖w‖²,
    # $W2' = 2W2(\theta^2 - W2)$: $\frac{d}{dt}(\theta\sqrt{W2}) = 0$
    W2p = 2 * W2 * (theta**2 - W2)
    dth = theta * (W2 - theta**2)
    d_theta_w = dth * sp.sqrt(W2) + theta * W2p / (2 * sp.sqrt(W2))
    return AllOf((
        SympyIdentity(_dt(theta**2 * _norm2), 0),
        SympyIdentity(_dt(_norm2), 2 * _norm2 * (theta**2 - _norm2)),
        SympyIdentity(d_theta_w.subs(W2, sp.Symbol("W2p", positive=True)), 0),
    ))


@obligation("ll:balancing", "step_2_direction_conserved")
def _direction():
    # w' ∥ w: $w_1 w_2' - w_2 w_1' = 0$, so the unit direction w/‖w‖ is fixed
    _, (dw1, dw2) = _flow()
    return SympyIdentity(w1 * dw2 - w2 * dw1, 0)


@obligation("ll:balancing", "step_3_energy_dissipation")
def _energy():
    # $\frac{d}{dt}\tfrac12(\theta^2 + \|w\|^2) = -(\theta^2 - \|w\|^2)^2 \le 0$
    rate = _dt((theta**2 + _norm2) / 2)
    return AllOf((
        SympyIdentity(rate, -((theta**2 - _norm2) ** 2)),
        SympyInequality(sp.Le(-((theta**2 - _norm2) ** 2), 0)),
    ))


@obligation("ll:balancing", "step_4_am_gm_and_balanced_equality")
def _am_gm():
    # $\tfrac12(\theta^2 + \|w\|^2) \ge |\theta|\|w\| = |a|$ with equality iff |θ| = ‖w‖
    nw = sp.Symbol("nw", nonnegative=True)
    return AllOf((
        Z3Valid([], (theta**2 + nw**2) / 2 >= sp.Abs(theta) * nw),
        Z3Valid([sp.Eq((theta**2 + nw**2) / 2, sp.Abs(theta) * nw)], sp.Eq(sp.Abs(theta), nw)),
        Z3Valid([sp.Eq(sp.Abs(theta), nw)], sp.Eq((theta**2 + nw**2) / 2, sp.Abs(theta) * nw)),
    ))
