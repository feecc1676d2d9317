"""Obligations of the level theorems and the cube certificate of the `ll:` chain
(docs/statements_ll.py). Rate obligations (`rate_…`) of the same labels live elsewhere.

Steps per label:
- `ll:thm-fixed-level`: the zero network beats every model when κ ≥ L D_X; the path through
  θ = 0 stays in the sublevel; the pruning barrier is C/m with C free of m; the two parts
  agree at κ ≥ L D_X.
- `ll:cor-moving-level`: l = ⌊m/2⌋ gives q ≥ m/2 and l ≥ m/3; 1/√q ≤ √2/√m; the reference
  gap e(l) − λ_m ≤ C_a √3/√m; the combined O(m^{−1/2}) bound; α = 1 gives O(1/m); the
  Hölder rate O(m^{−(1+α)/2}) from the registered Hölder clauses of ll:thm-dimfree and
  ll:approx-rate.
- `ll:cor-qualitative`: both rates tend to 0; an explicit width for every target.
- `ll:cube-certificate`: cell diameter 2√n/k, ball ⊂ cube, merging keeps the penalty,
  the merge error, ⌊x⌋ ≥ x/2, k^n ≤ m − l cells, (m − l)^{−1/n} ≤ ((l+1)/m)^{1/n}, chain.
"""

from __future__ import annotations

import sympy as sp

from proofs_check._derive import assume, derivation, used
from proofs_check._obligation import obligation
from proofs_check._sympy_methods import AllOf, SympyIdentity, SympyInequality, SympyLimit
from proofs_check._z3 import Z3Valid
from proofs_check.steps._ll_common import conclusion, premise, relu
from theory.statements.ll import (
    CUBE_BOUND,
    F_A,
    F_B,
    MOVING_HOLDER_RATE,
    MOVING_RATE,
    PRUNING_BOUND,
    F_hat,
    F_max,
    F_val,
    F_zero,
    delta_q,
    e_m,
    lam_m,
    thickening,
)
from theory.symbols import (
    D_X,
    H,
    L,
    R_low,
    a,
    alpha,
    e_inf,
    e_l,
    kappa,
    l,
    lam,
    lam_bar,
    m,
    n,
    q,
)

C_a = sp.Symbol("C_a", positive=True)  # constant of ll:approx-rate
E_abs_Phi = sp.Symbol("E_abs_Phi", nonnegative=True)  # E|Φ(X)|

# ------------------------------------------------------------ ll:thm-fixed-level


@obligation("ll:thm-fixed-level", "step_1_zero_network_is_a_global_minimizer")
def _zero_min():
    # κ ≥ L D_X: $R(0) - R(W,\theta) \le L E|\Phi| \le L D_X\|\theta\|_1 \le \kappa\|\theta\|_1$,
    # so $F(0) = R(0) \le R(W,\theta) + \kappa\|\theta\|_1 = F(W,\theta)$
    R_0, R_W = sp.symbols("R_0 R_W", real=True)
    return Z3Valid(
        [
            kappa >= L * D_X, R_0 - R_W <= L * E_abs_Phi, E_abs_Phi <= D_X * a,
            sp.Eq(F_zero, R_0), sp.Eq(F_val, R_W + kappa * a),
        ],
        F_zero <= F_val,
    )


@obligation("ll:thm-fixed-level", "step_2_path_through_zero_stays_in_the_sublevel")
def _through_zero():
    # A → (W_A, 0) [ll:convex-output: ≤ max(F_A, F(0))], rows of the zero network move freely
    # [ll:free-row: F = F(0)], (W_B, 0) → B; with F(0) ≤ F_A, F_B ≤ λ the barrier is 0
    M1, M2, M3 = sp.symbols("M_1 M_2 M_3", real=True)
    return Z3Valid(
        [
            F_A <= lam, F_B <= lam, F_zero <= F_A, F_zero <= F_B,
            M1 <= sp.Max(F_A, F_zero), sp.Eq(M2, F_zero), M3 <= sp.Max(F_zero, F_B),
            sp.Eq(F_max, sp.Max(M1, M2, M3)), thickening <= sp.Max(F_max - lam, 0),
        ],
        sp.Eq(thickening, 0),
    )


def _pruning_constant():
    # C = (L D_X − κ)₊ l (λ − R̲)/κ, free of m
    return sp.Max(L * D_X - kappa, 0) * l * (lam - R_low) / kappa


@obligation("ll:thm-fixed-level", "step_3_pruning_barrier_is_C_over_m")
def _fixed_level_rate():
    # λ > e_∞ and e(l) ↓ e_∞: fix l with e(l) ≤ λ. ll:pruning at a ≤ (λ − R̲)/κ gives
    # ε = (L D_X − κ)₊ (l/m) a; ll:zero-radius: F_max ≤ max(λ + ε, e(l)), so 𝔟 ≤ C/m
    eps_p = sp.Symbol("eps_p", nonnegative=True)
    return AllOf((
        Z3Valid(
            [
                *premise("ll:thm-fixed-level"), e_l <= lam, lam >= R_low,
                a <= (lam - R_low) / kappa, sp.Eq(eps_p, PRUNING_BOUND),
                F_max <= sp.Max(lam + eps_p, e_l), thickening <= sp.Max(F_max - lam, 0),
            ],
            thickening <= _pruning_constant() / m,
        ),
        # C as derived from ll:pruning's registered bound at a = (λ − R̲)/κ, times m (not
        # as typed): it is the constant above, and free of m
        SympyIdentity(_derived_constant(), _pruning_constant()),
        SympyIdentity(sp.diff(_derived_constant(), m), 0),
    ))


def _derived_constant() -> sp.Expr:
    """m · (ll:pruning's registered bound on F(θ_pr) − F(θ)) at a = (λ − R̲)/κ."""
    pruning = conclusion("ll:pruning")
    bound = next(p.rhs for p in pruning.args if isinstance(p, sp.Le) and p.lhs.has(F_hat))
    return sp.simplify(bound.subs(a, (lam - R_low) / kappa) * m)


@obligation("ll:thm-fixed-level", "step_4_parts_agree_when_kappa_dominates")
def _agree():
    # κ ≥ L D_X: the pruning constant vanishes, matching the zero barrier of step 2
    return Z3Valid([kappa >= L * D_X], sp.Eq(_pruning_constant(), 0))


@obligation("ll:thm-fixed-level", "step_5_relu_feature_mean_bounded")
def _mean_feature():
    # $E|\Phi| \le \sum_i|\theta_i| E\rho(w_i^\top X) \le \sum_i |\theta_i| D_X$ (two units)
    t1, t2 = sp.symbols("theta_1 theta_2", real=True)
    m1, m2, s1, s2 = sp.symbols("m_1 m_2 s_1 s_2", nonnegative=True)  # Eρ_i, Eρ_i²
    return Z3Valid(
        [
            m1**2 <= s1, m2**2 <= s2, s1 <= D_X**2, s2 <= D_X**2,  # C–S, ll:relu-lipschitz
            E_abs_Phi <= sp.Abs(t1) * m1 + sp.Abs(t2) * m2, sp.Eq(a, sp.Abs(t1) + sp.Abs(t2)),
        ],
        E_abs_Phi <= D_X * a,
    )


# --------------------------------------------------------- ll:cor-moving-level

_half = [2 * l <= m, m <= 2 * l + 1, sp.Eq(q, m - l)]  # l = ⌊m/2⌋


@obligation("ll:cor-moving-level", "step_1_half_width")
def _half_width():
    # l = ⌊m/2⌋ ⇒ q = m − l ≥ m/2, and l ≥ m/3 for m ≥ 2
    return Z3Valid([*premise("ll:cor-moving-level"), *_half], sp.And(2 * q >= m, 3 * l >= m))


@obligation("ll:cor-moving-level", "step_2_sampling_rate")
def _sqrt_rate():
    return Z3Valid([2 * q >= m], 1 / sp.sqrt(q) <= sp.sqrt(2) / sp.sqrt(m))


@obligation("ll:cor-moving-level", "step_3_reference_gap")
def _reference_gap():
    # λ_m ≥ e(m) ≥ e_∞ and ll:approx-rate: e(l) − λ_m ≤ e(l) − e_∞ ≤ C_a/√l ≤ √3 C_a/√m
    return Z3Valid(
        [
            *premise("ll:cor-moving-level"), 3 * l >= m, e_m >= e_inf,
            e_l - e_inf <= C_a / sp.sqrt(l),
        ],
        e_l - lam_m <= sp.sqrt(3) * C_a / sp.sqrt(m),
    )


@obligation("ll:cor-moving-level", "step_4_combined_rate")
def _moving_combined():
    # ll:thm-dimfree at λ_m ≤ λ̄ with the two previous steps:
    # 𝔟 ≤ max(√2 L D_X (λ̄ − R̲)/κ, √3 C_a)/√m
    C = sp.Max(sp.sqrt(2) * L * D_X * (lam_bar - R_low) / kappa, sp.sqrt(3) * C_a)
    return Z3Valid(
        [
            *premise("ll:cor-moving-level"), lam_bar >= R_low,
            1 / sp.sqrt(q) <= sp.sqrt(2) / sp.sqrt(m),
            e_l - lam_m <= sp.sqrt(3) * C_a / sp.sqrt(m),
            thickening <= sp.Max(L * D_X * (lam_bar - R_low) / (kappa * sp.sqrt(q)),
                                 sp.Max(e_l - lam_m, 0)),
        ],
        thickening <= C / sp.sqrt(m),
    )


@obligation("ll:cor-moving-level", "step_6_holder_rate")
def _moving_holder():
    # Hölder (ℒ ≥ 0, ℒ' (α, H)-Hölder), l = ⌊m/2⌋: ll:thm-dimfree's registered Hölder clause
    # at λ_m gives 𝔟 ≤ max(G(q), (e(l) − λ_m)₊), G(q) = H/(1+α)(D_X λ̄/(κ√q))^{1+α}
    # nonincreasing in q, q ≥ m/2, so G(q) ≤ C₁ m^{−(1+α)/2}; ll:approx-rate's registered
    # Hölder clause gives e(l) − λ_m ≤ e(l) − e_∞ ≤ C_a l^{−(1+α)/2} ≤ 3^{(1+α)/2} C_a
    # m^{−(1+α)/2} (l ≥ m/3); C_h = max(C₁, 3^{(1+α)/2} C_a) is free of m. The target is
    # the registered Hölder clause, its rate C_h m^{−(1+α)/2} made opaque for z3.
    from proofs_check.steps.ll_sampling import holder_part

    C_h = sp.Symbol("C_h", positive=True)
    p = (1 + alpha) / 2
    power = lambda e: sp.powsimp(sp.expand_power_base(e, force=True), force=True)  # noqa: E731
    q_pos, m_pos, l_pos, lb_pos = sp.symbols("q_pos m_pos l_pos lambdabar_pos", positive=True)
    dimfree = holder_part("ll:thm-dimfree")
    d_bound = dimfree.args[1].rhs.subs(lam, lam_m)
    G = next(x for x in sp.preorder_traversal(d_bound) if x.has(H) and x.is_Mul)
    approx = holder_part("ll:approx-rate")
    a_rate = approx.args[1].rhs.subs(C_h, C_a)  # C_a l^{−(1+α)/2}
    C_1 = H / (1 + alpha) * (sp.sqrt(2) * D_X * lam_bar / kappa) ** (1 + alpha)
    part = holder_part("ll:cor-moving-level")
    rate = C_h * m ** (-p)
    G_q, A_l, r = _G_q, _A_l, _r_h
    return AllOf((
        # (λ̄ > 0: ℒ ≥ 0, and a nonempty sublevel at λ̄ = 0 has 𝔟 = 0)
        SympyInequality(sp.Le(sp.diff(G.subs({q: q_pos, lam_bar: lb_pos}), q_pos), 0,
                              evaluate=False)),
        SympyIdentity(power(G.subs(q, m_pos / 2)), power(C_1 * m_pos ** (-p)), simplifier=power),
        SympyInequality(sp.Le(sp.diff(a_rate.subs(l, l_pos), l_pos), 0, evaluate=False)),
        SympyIdentity(power(a_rate.subs(l, m_pos / 3)),
                      power(3**p * C_a * m_pos ** (-p)), simplifier=power),
        # ll:thm-dimfree's and ll:approx-rate's registered Hölder clauses, their rates
        # made opaque (G_q, A_l)
        derivation("ll:cor-moving-level", part.xreplace({rate: r}), results=[
            used("ll:thm-dimfree", {lam: lam_m, G: G_q}, keep=_holder_clause),
            used("ll:approx-rate", {approx.args[1].rhs: A_l}, keep=_holder_clause),
        ], assumed=_MOVING_ASSUMED),
    ))


def _holder_clause(part: sp.Basic) -> bool:
    from theory.symbols import HolderDerivative

    return part.has(HolderDerivative)


_G_q, _G_half, _A_l, _A_m, _r_h = sp.symbols("G_q G_half A_l A_m rate_h", positive=True)
_MOVING_ASSUMED = (
    assume("ll:cor-moving-level", "half-width", sp.And(*_half),
           "the choice l = ⌊m/2⌋, q = m − l (it exists for every m ≥ 2; floor is not "
           "translated to z3)"),
    assume("ll:cor-moving-level", "e-above-limit", e_m >= e_inf,
           "e(m) ≥ e_∞: e is nonincreasing in the width with limit e_∞ (its definition)"),
    assume("ll:cor-moving-level", "endpoints-in-sublevel",
           sp.And(F_A <= lam_m, F_B <= lam_m),
           "ll:thm-dimfree bounds the barrier of any two points A, B of the sublevel at "
           "λ_m; that the barrier is the supremum over such pairs is not encoded"),
    assume("ll:cor-moving-level", "opaque-rates",
           sp.And(_G_q <= _G_half, _A_l <= _A_m, sp.Eq(_r_h, sp.Max(_G_half, _A_m))),
           "G(q) ≤ G(m/2) = C₁ m^{−(1+α)/2} and C_a l^{−(1+α)/2} ≤ 3^{(1+α)/2} C_a "
           "m^{−(1+α)/2} (the sympy checks of this step, q ≥ m/2, l ≥ m/3), and "
           "C_h = max(C₁, 3^{(1+α)/2} C_a); the powers are opaque to z3, so their reading "
           "on these symbols is not encoded"),
)


@obligation("ll:cor-moving-level", "step_5_alpha_1_gives_one_over_m")
def _alpha1():
    # α = 1 (Huber, half-squared, BCE): (1/√q)² = 1/q ≤ 2/m and 1/l ≤ 3/m: both terms O(1/m)
    return Z3Valid([*premise("ll:cor-moving-level"), *_half], sp.And(1 / q <= 2 / m,
                                                                      1 / l <= 3 / m))


# --------------------------------------------------------- ll:cor-qualitative


@obligation("ll:cor-qualitative", "step_1_rate_vanishes")
def _vanish():
    return SympyLimit(MOVING_RATE, m, sp.oo, 0)


@obligation("ll:cor-qualitative", "step_2_holder_rate_vanishes")
def _vanish_holder():
    return SympyLimit(MOVING_HOLDER_RATE, m, sp.oo, 0)


@obligation("ll:cor-qualitative", "step_3_explicit_width_for_a_target")
def _width_for_target():
    # for every target τ > 0: m ≥ (C/τ)² ⇒ C/√m ≤ τ
    C, tgt = sp.symbols("C tau", positive=True)
    mr = sp.Symbol("m_r", positive=True)
    return Z3Valid([mr >= (C / tgt) ** 2], C / sp.sqrt(mr) <= tgt)


# -------------------------------------------------------- ll:cube-certificate

k_cells = sp.Symbol("k", integer=True, positive=True)  # cells per side


@obligation("ll:cube-certificate", "step_1_cell_diameter")
def _diameter():
    # side 2/k in n coordinates: diameter $\sqrt{n(2/k)^2} = 2\sqrt n/k$
    return SympyIdentity(sp.sqrt(n * (2 / k_cells) ** 2), 2 * sp.sqrt(n) / k_cells)


@obligation("ll:cube-certificate", "step_2_ball_inside_the_cube")
def _ball_in_cube():
    w = sp.symbols("w_1:4", real=True)
    return Z3Valid([sum(c**2 for c in w) <= 1], sp.And(*(sp.Abs(c) <= 1 for c in w)))


@obligation("ll:cube-certificate", "step_3_merge_keeps_penalty_and_error")
def _merge():
    # merge a cell's units onto its representative row w_1 (r = 0: no row moves):
    # γ_1 = θ_1 + θ_2 + θ_3, so |γ_1| ≤ Σ|θ_i| and
    # $\Phi - \hat\Phi = \sum_i \theta_i(\rho(w_i^\top x) - \rho(w_1^\top x))$
    th = sp.symbols("theta_1:4", real=True)
    x = sp.symbols("x_1:3", real=True)
    rows = [sp.symbols(f"w{i}_1:3", real=True) for i in range(1, 4)]
    feat = [relu(w[0] * x[0] + w[1] * x[1]) for w in rows]
    Phi = sum(c * f for c, f in zip(th, feat, strict=True))
    return AllOf((
        Z3Valid([], sp.Abs(sum(th)) <= sum(sp.Abs(c) for c in th)),
        SympyIdentity(Phi - sum(th) * feat[0],
                      sum(c * (f - feat[0]) for c, f in zip(th, feat, strict=True))),
    ))


@obligation("ll:cube-certificate", "step_4_floor_at_least_half")
def _floor():
    # k = ⌊x⌋ for x = (m − l)^{1/n} ≥ 1: k ≥ x/2
    xr = sp.Symbol("x_r", positive=True)
    return Z3Valid([xr >= 1, k_cells <= xr, xr < k_cells + 1], 2 * k_cells >= xr)


@obligation("ll:cube-certificate", "step_5_cells_fit_the_kept_support")
def _cells_fit():
    # k ≤ (m − l)^{1/n} ⇒ kⁿ ≤ m − l nonempty cells ≤ kept units (n = 1, 2, 3);
    # for every n: log kⁿ = n log k ≤ n log x = log(m − l)
    xr, P = sp.symbols("x_r P", positive=True)
    return AllOf(tuple(
        Z3Valid([k_cells <= xr, sp.Eq(xr**dim, P)], k_cells**dim <= P) for dim in (1, 2, 3)
    ))


@obligation("ll:cube-certificate", "step_6_kept_count_versus_fraction")
def _fraction():
    # (m − l)^{−1/n} ≤ ((l+1)/m)^{1/n}: the base ratio ζ = (l+1)(m−l)/m ≥ 1 since
    # ζ − 1 = l(m − l − 1)/m ≥ 0 for l ≤ m − 1, and log ζ / n ≥ 0
    z = sp.Symbol("z", nonnegative=True)
    zeta = (l + 1) * (m - l) / m
    return AllOf((
        SympyIdentity(zeta - 1, l * (m - l - 1) / m),
        Z3Valid(premise("ll:cube-certificate"), l * (m - l - 1) >= 0),
        SympyInequality(sp.Ge(sp.log(1 + z) / n, 0, evaluate=False)),
    ))


@obligation("ll:cube-certificate", "step_7_chain")
def _cube_chain():
    # δ − F ≤ L E|Φ̂ − Φ| + κ(‖γ‖₁ − a) ≤ L D_X a · 2√n/k ≤ 4√n L D_X a x^{−1}
    #   ≤ 4√n L D_X a ((l+1)/m)^{1/n}, with x = (m − l)^{1/n}, y = ((l+1)/m)^{1/n}, x y ≥ 1
    xr, yr, sn, err, g1 = sp.symbols("x_r y_r sqrt_n err gamma_l1", positive=True)
    return Z3Valid(
        [
            *premise("ll:cube-certificate"),
            xr >= 1, 2 * k_cells >= xr, xr * yr >= 1, sp.Eq(sn**2, n),
            err <= a * D_X * 2 * sn / k_cells, g1 <= a,
            delta_q - F_val <= L * err + kappa * (g1 - a),
        ],
        delta_q - F_val <= 4 * sn * L * D_X * a * yr,
    )


@obligation("ll:cube-certificate", "step_8_chain_matches_the_statement")
def _cube_matches():
    # the bound of step 7 with √n and y = ((l+1)/m)^{1/n} is the statement's bound
    sn, yr = sp.symbols("sqrt_n y_r", positive=True)
    return SympyIdentity(
        (4 * sn * L * D_X * a * yr).subs({sn: sp.sqrt(n), yr: ((l + 1) / m) ** (1 / n)}),
        CUBE_BOUND,
    )
