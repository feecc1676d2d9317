"""Obligations of the sparsification steps of the `ll:` chain (docs/statements_ll.py).

Steps per label:
- `ll:sampling`: E N_i = q|θ_i|/a and E θ̂ = θ; ‖θ̂‖₁ = a; ‖θ̂‖₀ ≤ q; the variance
  identity E‖Z̄ − EZ‖² = (E‖Z‖² − ‖EZ‖²)/q symbolic in q (independence via the product
  law) and by full enumeration for q ≤ 3; the Maurey law's moments (E Z = Φ,
  E‖Z‖² ≤ a²D_X²); the L² bound; Cauchy–Schwarz; the Lipschitz realization; the Hölder
  descent inequality (integral form, ∫s^α = 1/(1+α), α = 1 for Huber), the cancelling
  linear term (by unbiasedness), Jensen for the power (1+α)/2, and the Hölder realization
  (symbolic α ∈ (0, 1]).
- `ll:sharpness`: X uniform on {√M e_i} is isotropic (D_X = 1), the atoms' values, the exact
  best L² error on q atoms (M − q)/M², the L¹ bound, consistency with the sampling rate.
- `ll:thm-dimfree`: ℓ1 budget, sampling gap below the theorem's, the barrier from the
  zero-radius path, monotonicity of the Hölder gap, the Hölder barrier (symbolic α).
- `ll:approx-rate`: sampling a near-optimal wide model, η → 0, the constants.
- `ll:pruning`: removed fraction ≤ l/m, the k smallest masses ≤ (k/s)·total (s ≤ 5),
  the objective change, the kept support ‖θ_pr‖₀ ≤ m − l.
"""

from __future__ import annotations

import itertools

import sympy as sp

from proofs_check._derive import assume, derivation, used
from proofs_check._obligation import obligation
from proofs_check._sympy_methods import AllOf, SympyIdentity, SympyInequality, SympyLimit
from proofs_check._z3 import Z3Valid
from proofs_check.steps._ll_common import (
    DiscreteLaw,
    cauchy_schwarz,
    conclusion,
    premise,
    relu,
)
from theory.errors import InvalidArgumentError
from theory.losses import get_loss
from theory.statements.ll import (
    PRUNING_BOUND,
    SAMPLING_GAP,
    SHARPNESS_L1,
    SHARPNESS_L2,
    F_hat,
    F_max,
    F_val,
    M,
    delta_A,
    delta_B,
    ell,
    err2,
    l0_hat,
    thickening,
)
from theory.symbols import (
    D_X,
    H,
    HolderDerivative,
    L,
    Nonnegative,
    R_low,
    a,
    alpha,
    e_inf,
    e_l,
    eps,
    kappa,
    l,
    lam,
    lam_bar,
    m,
    q,
    u,
    v,
    y,
)


def holder_part(label: str) -> sp.Basic:
    """The Hölder clause of `label`'s registered conclusion (the conjunct hypotheses ⇒ bound
    whose hypotheses name ℒ' (α, H)-Hölder), so the steps that check it see the registry."""
    concl = conclusion(label)
    for part in concl.args if isinstance(concl, sp.And) else (concl,):
        if isinstance(part, sp.Implies) and part.args[0].has(HolderDerivative):
            return part
    raise InvalidArgumentError(f"{label} has no registered Hölder clause")


def without_holder(label: str) -> sp.Basic:
    """`label`'s registered conclusion without its Hölder clause (checked by its own step)."""
    concl = conclusion(label)
    parts = concl.args if isinstance(concl, sp.And) else (concl,)
    return sp.And(*(p for p in parts if not p.has(HolderDerivative)))


#: the law used for the variance identity: 3 atoms in L²(π), π on 2 points
VARIANCE_LAW = DiscreteLaw(k=3, d=2)
tau = sp.Symbol("tau", real=True)
j = sp.Symbol("j", integer=True, positive=True)

# Maurey's law for three units with signs (+, −, +): θ_1, θ_3 > 0 > θ_2.
_th_pos = sp.symbols("theta_1 theta_3", positive=True)
_th_neg = sp.Symbol("theta_2", negative=True)
_thetas = (_th_pos[0], _th_neg, _th_pos[1])
_a3 = sum(sp.Abs(c) for c in _thetas)  # a = ‖θ‖₁


# --------------------------------------------------------------- ll:sampling


@obligation("ll:sampling", "step_1_unbiased")
def _unbiased():
    # $N_i = \sum_{j \le q} 1[I_j = i]$, $E N_i = q|\theta_i|/a$;
    # $E\hat\theta_i = (a/q)\,\mathrm{sgn}(\theta_i)\,E N_i = \theta_i$
    parts = []
    for c in _thetas:
        E_N = sp.summation(sp.Abs(c) / _a3, (j, 1, q))
        parts.append(SympyIdentity(E_N, q * sp.Abs(c) / _a3))
        parts.append(SympyIdentity((_a3 / q) * sp.sign(c) * E_N, c))
    return AllOf(tuple(parts))


@obligation("ll:sampling", "step_2_mass_preserved")
def _mass():
    # only indices with θ_i ≠ 0 are drawn, so |sgn θ_i| = 1 for every count:
    # $\|\hat\theta\|_1 = (a/q)\sum_i N_i = a$ with $N_1 + N_2 + N_3 = q$
    N1, N2 = sp.symbols("N_1 N_2", integer=True, nonnegative=True)
    counts = (N1, N2, q - N1 - N2)
    l1 = sum(sp.Abs((_a3 / q) * sp.sign(c) * k) for c, k in zip(_thetas, counts, strict=True))
    return Z3Valid(
        [N1 + N2 <= q], sp.Eq(l1, _a3)
    )


@obligation("ll:sampling", "step_3_support_at_most_q")
def _support():
    # $\|\hat\theta\|_0 \le \#\{i : N_i > 0\} \le \sum_i N_i = q$ (four units)
    N = sp.symbols("N_1:5", integer=True, nonnegative=True)
    support = sum(sp.Piecewise((1, k > 0), (0, True)) for k in N)
    return Z3Valid([sp.Eq(sum(N), q), sp.Eq(l0_hat, support)], l0_hat <= q)


@obligation("ll:sampling", "step_4_variance_identity_symbolic_q")
def _variance_identity():
    # $E\|\bar Z - EZ\|^2 = (E\|Z\|^2 - \|EZ\|^2)/q$, symbolic in q: the pairs j ≠ k
    # contribute E⟨Z_j, Z_k⟩ computed on the product law of two independent copies
    law = VARIANCE_LAW
    mu = law.mean()
    return SympyIdentity(
        law.mean_error(q), (law.second_moment() - law.inner(mu, mu)) / q,
        simplifier=sp.expand,
    )


@obligation("ll:sampling", "step_5_variance_identity_enumerated")
def _variance_enumerated():
    # the same identity by summing over all 3^q draws, q = 1, 2, 3
    law = VARIANCE_LAW
    mu = law.mean()
    return AllOf(tuple(
        SympyIdentity(law.mean_error_enumerated(k),
                      (law.second_moment() - law.inner(mu, mu)) / k, simplifier=sp.expand)
        for k in (1, 2, 3)
    ))


@obligation("ll:sampling", "step_6_maurey_law_moments")
def _maurey_moments():
    # Z = a sgn(θ_I) ρ_I, P(I = i) = |θ_i|/a, ρ_i ∈ L²(π): E Z = Φ = Σθ_iρ_i and
    # E‖Z‖² = a Σ|θ_i|‖ρ_i‖² ≤ a² D_X² when ‖ρ_i‖² ≤ D_X² (ll:relu-lipschitz)
    law = DiscreteLaw(k=3, d=2, prefix="rho")
    probs = [sp.Abs(c) / _a3 for c in _thetas]
    atoms = [[_a3 * sp.sign(c) * f for f in rho] for c, rho in zip(_thetas, law.atoms, strict=True)]
    EZ = [sum(p * z[x] for p, z in zip(probs, atoms, strict=True)) for x in range(2)]
    Phi = [sum(c * rho[x] for c, rho in zip(_thetas, law.atoms, strict=True)) for x in range(2)]
    EZ2 = sum(p * law.inner(z, z) for p, z in zip(probs, atoms, strict=True))
    sq = [law.inner(rho, rho) for rho in law.atoms]
    s_ = sp.symbols("s_1:4", nonnegative=True)  # ‖ρ_i‖²
    abs_th = sp.symbols("c_1:4", nonnegative=True)  # |θ_i|
    return AllOf((
        *(SympyIdentity(e, p) for e, p in zip(EZ, Phi, strict=True)),
        SympyIdentity(EZ2, _a3 * sum(sp.Abs(c) * s for c, s in zip(_thetas, sq, strict=True))),
        Z3Valid(
            [*(s <= D_X**2 for s in s_), sp.Eq(a, sum(abs_th))],
            a * sum(c * s for c, s in zip(abs_th, s_, strict=True)) <= a**2 * D_X**2,
        ),
    ))


@obligation("ll:sampling", "step_7_l2_error_bound")
def _l2_bound():
    # err2 = (E‖Z‖² − ‖Φ‖²)/q ≤ E‖Z‖²/q ≤ a²D_X²/q
    EZ2, Phi2 = sp.symbols("EZ2 Phi2", nonnegative=True)
    return Z3Valid(
        [sp.Eq(err2, (EZ2 - Phi2) / q), EZ2 <= a**2 * D_X**2], err2 <= a**2 * D_X**2 / q
    )


@obligation("ll:sampling", "step_8_cauchy_schwarz")
def _sampling_cs():
    # $E|\hat\Phi - \Phi| \le \sqrt{E|\hat\Phi - \Phi|^2}$ on the joint law of draws and X
    return cauchy_schwarz(3)


@obligation("ll:sampling", "step_9_lipschitz_realization")
def _lipschitz_realization():
    # κ‖θ̂‖₁ = κa exactly, so E F(θ̂) − F(θ) = E R(θ̂) − R(θ) ≤ L E|Φ̂ − Φ|
    # ≤ L √err2 ≤ L a D_X/√q, and some draw is at most the mean
    mean_F, E_abs = sp.symbols("mean_F E_abs", real=True)
    return Z3Valid(
        [
            *premise("ll:sampling"),
            err2 <= a**2 * D_X**2 / q, E_abs >= 0, E_abs**2 <= err2,
            mean_F - F_val <= L * E_abs, F_hat <= mean_F,
        ],
        F_hat <= F_val + SAMPLING_GAP,
    )


@obligation("ll:sampling", "step_10_holder_descent_integral_form")
def _descent_integral():
    # $\mathcal L(v) - \mathcal L(u) - \mathcal L'(u)(v-u)
    #   = \int_0^1 (\mathcal L'(u + \tau(v-u)) - \mathcal L'(u))(v-u)\,d\tau$ (BCE, y = 0),
    # $|\mathcal L'(u+\tau h) - \mathcal L'(u)||h| \le H(\tau|h|)^\alpha|h|
    #   = H\tau^\alpha|h|^{1+\alpha}$,
    # $\int_0^1 \tau^\alpha d\tau = 1/(1+\alpha)$
    f = get_loss("bce_logit").expr.subs(y, 0)
    d = sp.diff(f, u)
    integral = sp.integrate((d.subs(u, u + tau * (v - u)) - d) * (v - u), (tau, 0, 1))
    s_, k = sp.symbols("s_pos k_pos", positive=True)
    return AllOf((
        SympyIdentity(integral, f.subs(u, v) - f - d * (v - u)),
        SympyIdentity(sp.powsimp(H * (s_ * k) ** alpha * k, force=True),
                      H * s_**alpha * k ** (1 + alpha), simplifier=sp.powsimp),
        SympyIdentity(sp.integrate(s_**alpha, (s_, 0, 1)), 1 / (1 + alpha)),
    ))


@obligation("ll:sampling", "step_11_holder_descent_alpha_1")
def _descent_alpha1():
    # α = 1: Huber (H = 1) and ½(u−y)² satisfy ℒ(v) ≤ ℒ(u) + ℒ'(u)(v−u) + (H/2)(v−u)²
    parts = []
    for name in ("huber", "half_squared"):
        f = get_loss(name).expr.subs(y, 0)
        H_ = get_loss(name).holder[1]
        descent = f + sp.diff(f, u) * (v - u) + H_ / 2 * (v - u) ** 2
        parts.append(Z3Valid([], f.subs(u, v) <= descent))
    return AllOf(tuple(parts))


@obligation("ll:sampling", "step_12_linear_term_cancels")
def _linear_cancels():
    # $E_{\rm draw}[\mathcal L'(Y,\Phi)(\hat\Phi - \Phi)] = 0$ at a fixed (x, y), with
    # Φ = Σ θ_i ρ_i the model's predictor (not the law's mean): one draw of Maurey's law
    # is Z = a sgn(θ_I) ρ_I with P(I = i) = |θ_i|/a, and E Z = Φ is unbiasedness (step 1)
    g = sp.Symbol("g", real=True)  # ℒ'(y, Φ(x))
    rho = sp.symbols("rho_1:4", nonnegative=True)  # ρ(w_iᵀx)
    Phi = sum(c * f for c, f in zip(_thetas, rho, strict=True))
    draws = [(sp.Abs(c) / _a3, _a3 * sp.sign(c) * f) for c, f in zip(_thetas, rho, strict=True)]
    return SympyIdentity(sum(p * g * (z - Phi) for p, z in draws), 0)


@obligation("ll:sampling", "step_13_jensen_for_the_power")
def _jensen_power():
    # $E|D|^{1+\alpha} \le (E D^2)^{(1+\alpha)/2}$: x ↦ x^{(1+α)/2} is concave on x > 0 for
    # 0 < α ≤ 1; parametrize α = 1/(1+c), c ≥ 0
    c = sp.Symbol("c", nonnegative=True)
    z = sp.Symbol("z", positive=True)
    power = (1 + 1 / (1 + c)) / 2
    return SympyInequality(sp.Le(sp.diff(z**power, z, 2), 0))


_p = (1 + alpha) / 2  # the power of E D² in the Hölder gap
_pos = sp.Symbol("x_pos", positive=True)


@obligation("ll:sampling", "step_14_holder_realization")
def _holder_realization():
    # symbolic α ∈ (0, 1]: E F(θ̂) − F(θ) ≤ H/(1+α) E|D|^{1+α} (steps 10, 12)
    #   ≤ H/(1+α) (E D²)^{(1+α)/2} (step 13) ≤ H/(1+α) (a²D_X²/q)^{(1+α)/2} (x ↦ x^{(1+α)/2}
    #   nondecreasing, step 7) = H/(1+α)(a D_X/√q)^{1+α}; the powers are opaque to z3
    # The registered Hölder clause (hypotheses ⇒ F̂ ≤ F + G) is what is checked: G is read
    # from it, identified with H/(1+α)·(a²D_X²/q)^{(1+α)/2}, and made opaque for z3.
    a_pos = sp.Symbol("a_pos", positive=True)
    part = holder_part("ll:sampling")
    gap = part.args[1].rhs - F_val
    return AllOf((
        SympyInequality(sp.Ge(sp.diff(_pos**_p, _pos), 0, evaluate=False)),
        SympyIdentity(
            (a_pos**2 * D_X**2 / q) ** _p, gap.subs(a, a_pos) * (1 + alpha) / H,
            simplifier=lambda e: sp.powsimp(sp.expand_power_base(e, force=True), force=True),
        ),
        derivation("ll:sampling", part.xreplace({gap: _G_HOLDER}),
                   assumed=_HOLDER_REALIZATION_ASSUMED),
    ))


_mean_F = sp.Symbol("mean_F", real=True)
_E_pow, _P_err, _P_bound = sp.symbols("E_pow P_err P_bound", nonnegative=True)
_G_HOLDER = sp.Symbol("G_holder", real=True)
_HOLDER_REALIZATION_ASSUMED = (
    assume("ll:sampling", "holder-chain",
           sp.And(_mean_F - F_val <= H / (1 + alpha) * _E_pow, _E_pow <= _P_err,
                  _P_err <= _P_bound, F_hat <= _mean_F,
                  sp.Eq(_G_HOLDER, H / (1 + alpha) * _P_bound)),
           "E F(θ̂) − F(θ) ≤ H/(1+α) E|D|^{1+α} (descent inequality, steps 10, 12), "
           "≤ H/(1+α)(E D²)^{(1+α)/2} (Jensen, step 13) ≤ the gap at a²D_X²/q (step 7 and "
           "the monotone power), and some draw is at most the mean; the expectations and "
           "the reading of the opaque gap G as H/(1+α)·P_bound (identified by sympy above) "
           "are not encoded"),
)


# --------------------------------------------------------------- ll:sharpness

_sqM = sp.sqrt(M)


@obligation("ll:sharpness", "step_1_isotropic_design")
def _isotropic():
    # $E XX^\top = \frac1M\sum_i (\sqrt M e_i)(\sqrt M e_i)^\top = I$, so D_X = 1
    return SympyIdentity(_sqM**2 / M, 1)


@obligation("ll:sharpness", "step_2_atom_values")
def _atom_values():
    # $\rho(e_i^\top\sqrt M e_j) = \sqrt M\,\delta_{ij}$, $f(\sqrt M e_j) = \sqrt M/M = 1/\sqrt M$
    return AllOf((
        SympyIdentity(relu(_sqM), _sqM),
        SympyIdentity(relu(0 * _sqM), 0),
        SympyIdentity(_sqM / M, 1 / _sqM),
    ))


def _l2_error(c):
    # g = Σ_{i∈S} c φ_i-type coordinates: |S| = q coordinates (√M c − 1/√M)², M − q at 1/√M
    return (q * (_sqM * c - 1 / _sqM) ** 2 + (M - q) / M) / M


@obligation("ll:sharpness", "step_3_best_l2_error")
def _best_l2():
    # per coordinate the error (√M c_j − 1/√M)² is minimal at c_j = 1/M; the minimum of
    # ‖g − f‖² over g on q atoms is (M − q)/M², and every g is above it
    c = sp.Symbol("c", real=True)
    (c_star,) = sp.solve(sp.diff((_sqM * c - 1 / _sqM) ** 2, c), c)
    S = sp.Symbol("S", integer=True, nonnegative=True)  # |S| ≤ q
    return AllOf((
        SympyIdentity(c_star, 1 / M),
        SympyIdentity(_l2_error(c_star), SHARPNESS_L2),
        SympyInequality(sp.Ge(_l2_error(c) - SHARPNESS_L2, 0, evaluate=False)),
        Z3Valid([S <= q], (M - S) / M**2 >= SHARPNESS_L2),
    ))


@obligation("ll:sharpness", "step_4_l1_error")
def _l1():
    # ‖g − f‖_{L¹} = (1/M)[Σ_{j∈S}|√M c_j − 1/√M| + (M − q)/√M] ≥ (M − q)/(M√M)
    c = sp.Symbol("c", real=True)
    l1_err = (q * sp.Abs(_sqM * c - 1 / _sqM) + (M - q) / _sqM) / M
    return SympyInequality(sp.Ge(l1_err - SHARPNESS_L1, 0, evaluate=False))


@obligation("ll:sharpness", "step_5_consistent_with_the_sampling_rate")
def _consistent():
    # lower bound ≤ sampling's upper bound a²D_X²/q = 1/q, and at M = 2q it is 1/(4q):
    # the 1/q rate of ll:sampling cannot be improved on a fixed dictionary
    Mr, qr = sp.symbols("M_r q_r", positive=True)
    return AllOf((
        Z3Valid([qr <= Mr], (Mr - qr) / Mr**2 <= 1 / qr),
        SympyIdentity(SHARPNESS_L2.subs(M, 2 * q), 1 / (4 * q)),
    ))


# ------------------------------------------------------------- ll:thm-dimfree

_eps_dimfree = L * D_X * (lam_bar - R_low) / (kappa * sp.sqrt(q))


@obligation("ll:thm-dimfree", "step_1_l1_budget")
def _budget():
    # F ≤ λ ≤ λ̄ and ll:l1-control: a ≤ (λ − R̲)/κ ≤ (λ̄ − R̲)/κ
    R_ = sp.Symbol("R", real=True)
    return Z3Valid(
        [*premise("ll:thm-dimfree"), sp.Eq(sp.Symbol("F_A", real=True), R_ + kappa * a),
         R_ >= R_low],
        a <= (lam_bar - R_low) / kappa,
    )


@obligation("ll:thm-dimfree", "step_2_sampling_gap_within_budget")
def _gap_budget():
    return Z3Valid([a <= (lam_bar - R_low) / kappa], SAMPLING_GAP <= _eps_dimfree)


@obligation("ll:thm-dimfree", "step_3_barrier_from_the_zero_radius_path")
def _dimfree_barrier():
    # ll:zero-radius with ε from ll:sampling: F_max ≤ max(λ + ε, e(l)), and
    # 𝔟_m(λ) ≤ (F_max − λ)₊ ≤ max(ε, (e(l) − λ)₊)
    return derivation("ll:thm-dimfree", without_holder("ll:thm-dimfree"),
                      results=[used("ll:zero-radius", {eps: _eps_dimfree})],
                      assumed=_DIMFREE_ASSUMED)


_DIMFREE_ASSUMED = (
    assume("ll:thm-dimfree", "sparse-endpoints-within-eps",
           sp.And(delta_A <= lam + _eps_dimfree, delta_B <= lam + _eps_dimfree),
           "ll:sampling at each endpoint with q = m − l atoms, within the ℓ1 budget of "
           "step 1 (a ≤ (λ̄ − R̲)/κ; step 2: the gap is ≤ ε): δ_A, δ_B ≤ λ + ε; the "
           "instantiation is not encoded, and ll:sampling needs 1 ≤ q, which "
           "ll:thm-dimfree's hypotheses state only as q = m − l"),
    assume("ll:thm-dimfree", "barrier-from-path-max", thickening <= sp.Max(F_max - lam, 0),
           "the barrier 𝔟_m(λ) of the sublevel is at most the excess (F_max − λ)₊ of a "
           "path between any two of its points (its definition; the supremum over pairs "
           "is not encoded)"),
    assume("ll:thm-dimfree", "objective-above-floor", sp.Symbol("F_A", real=True) >= R_low,
           "F = R + κ‖θ‖₁ ≥ R̲ (ll:assumption: R ≥ R̲), so λ̄ ≥ λ ≥ F_A ≥ R̲ and ε ≥ 0; "
           "the reading on F_A is not encoded"),
)


@obligation("ll:thm-dimfree", "step_4_holder_gap_monotone")
def _holder_monotone():
    # x ↦ H/(1+α) x^{1+α} is nondecreasing on x ≥ 0, so a ≤ λ̄/κ may be substituted
    z = sp.Symbol("z", positive=True)
    return SympyInequality(sp.Ge(sp.diff(H / (1 + alpha) * z ** (1 + alpha), z), 0,
                                 evaluate=False))


@obligation("ll:thm-dimfree", "step_5_holder_barrier")
def _holder_barrier():
    # symbolic α ∈ (0, 1]: ℒ ≥ 0 so R̲ = 0 and a ≤ λ̄/κ; ll:sampling's Hölder gap G(a) is
    # nondecreasing in a (step 4), so G(a) ≤ G(λ̄/κ), and the zero-radius path gives
    # 𝔟 ≤ max(G(λ̄/κ), (e(l) − λ)₊); G(λ̄/κ) is opaque to z3 and identified by sympy.
    # G is ll:sampling's registered Hölder gap; the target is the registered Hölder clause
    # of ll:thm-dimfree, its H-term read from it and made opaque.
    G_bar = _G_bar
    part = holder_part("ll:thm-dimfree")
    bound = part.args[1].rhs
    h_term = next((x for x in sp.preorder_traversal(bound) if x.has(H) and x.is_Mul), H)
    sampling_gap = holder_part("ll:sampling").args[1].rhs - F_val
    return AllOf((
        SympyIdentity(sampling_gap.subs(a, lam_bar / kappa), h_term,
                      simplifier=lambda e: sp.powsimp(sp.expand_power_base(e, force=True),
                                                      force=True)),
        derivation("ll:thm-dimfree", part.xreplace({h_term: G_bar}),
                   assumed=(_HOLDER_PATH, _DIMFREE_ASSUMED[1])),
    ))


#: the Hölder loss class of the registered clauses (a registry whose clause names another
#: class no longer follows from these assumptions)
HOLDER_LOSS = sp.And(sp.Le(alpha, 1), Nonnegative(ell(y, u)),
                     HolderDerivative(ell(y, u), u, alpha, H))
_G_a, _G_bar = sp.symbols("G_a G_bar", nonnegative=True)
_HOLDER_PATH = assume(
    "ll:thm-dimfree", "holder-path",
    sp.Implies(HOLDER_LOSS, sp.And(sp.Eq(R_low, 0), a <= lam_bar / kappa, _G_a <= _G_bar,
                                   F_max <= sp.Max(lam + _G_a, e_l))),
    "ℒ ≥ 0 (ll:assumption-holder) gives R̲ = 0 and a ≤ λ̄/κ; the Hölder gap G(a) of "
    "ll:sampling is nondecreasing (step 4), so G(a) ≤ G(λ̄/κ); the zero-radius path with "
    "ε = G(a) gives F_max ≤ max(λ + G(a), e(l)); the instantiations are not encoded")


# ------------------------------------------------------------- ll:approx-rate

eta = sp.Symbol("eta", positive=True)
_sampled_level = e_inf + eta + L * D_X * (e_inf + eta - R_low) / (kappa * sp.sqrt(l))


@obligation("ll:approx-rate", "step_1_sample_a_near_optimal_model")
def _sample_wide():
    # a width-M model with F ≤ e_∞ + η has a ≤ (e_∞ + η − R̲)/κ; sampling q = l atoms
    # (ll:sampling) gives a width-l model with F ≤ e_∞ + η + L a D_X/√l, so e(l) ≤ that
    F_wide, a_wide = sp.symbols("F_wide a_wide", real=True)
    return Z3Valid(
        [
            F_wide <= e_inf + eta, a_wide >= 0, a_wide <= (F_wide - R_low) / kappa,
            e_l <= F_wide + L * a_wide * D_X / sp.sqrt(l),
        ],
        e_l <= _sampled_level,
    )


@obligation("ll:approx-rate", "step_2_eta_to_zero")
def _eta_limit():
    return SympyLimit(_sampled_level - e_inf, eta, 0,
                      L * D_X * (e_inf - R_low) / (kappa * sp.sqrt(l)))


@obligation("ll:approx-rate", "step_3_constant")
def _approx_constant():
    # C = L D_X (e_∞ − R̲)/κ: e(l) − e_∞ ≤ C l^{−1/2}
    C_ = L * D_X * (e_inf - R_low) / kappa
    return AllOf((
        SympyIdentity((_sampled_level - e_inf).subs(eta, 0), C_ * l ** sp.Rational(-1, 2)),
        Z3Valid([e_l <= _sampled_level.subs(eta, 0)], e_l - e_inf <= C_ / sp.sqrt(l)),
    ))


@obligation("ll:approx-rate", "step_4_holder_constant")
def _approx_holder():
    # Hölder: sampling q = l atoms of a width-M model with F ≤ e_∞ + η and a ≤ e_∞/κ + η/κ
    # (R̲ = 0 since ℒ ≥ 0) gives e(l) ≤ e_∞ + η + G(l), G = ll:sampling's registered Hölder
    # gap at q = l; η → 0. G(l) = C' l^{−(1+α)/2}, C' = H/(1+α)(a D_X)^{1+α} free of l, the
    # registered Hölder clause's rate (its constant C_h read as C')
    part = holder_part("ll:approx-rate")
    rate = part.args[1].rhs
    gap = (holder_part("ll:sampling").args[1].rhs - F_val).subs(q, l)
    C_prime = H / (1 + alpha) * (a * D_X) ** (1 + alpha)
    C_h = sp.Symbol("C_h", positive=True)
    Rt = _rate_l
    power = lambda e: sp.powsimp(sp.expand_power_base(e, force=True), force=True)  # noqa: E731
    return AllOf((
        SympyIdentity(power(gap), power(rate.subs(C_h, C_prime)), simplifier=power),
        SympyIdentity(sp.diff(C_prime, l), 0),
        # for every η > 0, so also at η → 0: e(l) − e_∞ ≤ G(l) (the sampled level's
        # limit, as in step 2) — here with η kept and the claim weakened by η
        derivation("ll:approx-rate", sp.Implies(part.args[0], e_l - e_inf <= Rt + eta),
                   assumed=(_APPROX_HOLDER_ASSUMED[0],)),
        derivation("ll:approx-rate", part.xreplace({rate: Rt}),
                   assumed=(_APPROX_HOLDER_ASSUMED[1],)),
    ))


_F_wide, _G_l, _rate_l = sp.symbols("F_wide G_l rate_l", real=True)
_APPROX_HOLDER_ASSUMED = (
    assume("ll:approx-rate", "sampled-wide-model",
           sp.And(sp.Implies(HOLDER_LOSS, sp.And(_F_wide <= e_inf + eta,
                                                 e_l <= _F_wide + _G_l)),
                  sp.Eq(_G_l, _rate_l), eta > 0),
           "a wide model with F ≤ e_∞ + η exists (e_∞ is the infimum) and ll:sampling's "
           "Hölder clause at q = l gives e(l) ≤ F + G(l); G(l) is the rate with C_h read as "
           "C' (the identities above); the instantiation is not encoded"),
    assume("ll:approx-rate", "eta-to-zero",
           sp.And(sp.Implies(HOLDER_LOSS, e_l - e_inf <= _G_l), sp.Eq(_G_l, _rate_l)),
           "e(l) − e_∞ ≤ G(l) + η for every η > 0 (the check before), hence at η → 0; the "
           "limit is not encoded"),
)


# ------------------------------------------------------------------ ll:pruning

s_act = sp.Symbol("s_act", integer=True, positive=True)  # active entries before pruning
k_rm = sp.Symbol("k_rm", integer=True, nonnegative=True)  # removed entries


@obligation("ll:pruning", "step_1_removed_fraction")
def _fraction():
    # s ≤ m active, k = s − (m − l) removed (when s > m − l): k/s ≤ l/m
    return Z3Valid(
        [*premise("ll:pruning"), s_act <= m, s_act >= m - l, sp.Eq(k_rm, s_act - (m - l))],
        k_rm * m <= l * s_act,
    )


@obligation("ll:pruning", "step_2_smallest_masses")
def _smallest():
    # sorted masses x_1 ≤ … ≤ x_s: Σ_{i≤k} x_i ≤ (k/s) Σ_i x_i, every 1 ≤ k ≤ s ≤ 5
    parts = []
    for size, k in itertools.product(range(1, 6), repeat=2):
        if k > size:
            continue
        x = sp.symbols(f"x_1:{size + 1}", nonnegative=True)
        sorted_ = [x[i] <= x[i + 1] for i in range(size - 1)]
        parts.append(Z3Valid(sorted_, size * sum(x[:k]) <= k * sum(x)))
    return AllOf(tuple(parts))


@obligation("ll:pruning", "step_3_objective_change")
def _prune_change():
    # removed mass p ≤ (l/m) a; R(θ_pr) − R(θ) ≤ L E|Σ_removed θ_iρ_i| ≤ L D_X p and the
    # penalty drops by κp: F(θ_pr) − F(θ) ≤ (L D_X − κ)p ≤ (L D_X − κ)₊ (l/m) a
    return derivation("ll:pruning",
                      next(p for p in conclusion("ll:pruning").args if p.has(F_hat)),
                      assumed=_PRUNING_ASSUMED[:3])


_p_rm = sp.Symbol("p_rm", nonnegative=True)
_dR = sp.Symbol("dR", real=True)


@obligation("ll:pruning", "step_4_bound_is_nonnegative")
def _prune_nonneg():
    # when s ≤ m − l nothing is removed and F(θ_pr) − F(θ) = 0 ≤ the bound
    return SympyInequality(sp.Ge(PRUNING_BOUND, 0, evaluate=False))


#: the support ll:pruning keeps: m − l entries
PRUNING_KEPT = m - l

_PRUNING_ASSUMED = (
    assume("ll:pruning", "removed-mass", _p_rm <= l * a / m,
           "the k smallest of s ≤ m masses carry at most (k/s) of ‖θ‖₁ and k/s ≤ l/m "
           "(steps 1–2, step 2 for s ≤ 5): the removed mass p ≤ (l/m) a; the general s "
           "and the reading on p are not encoded"),
    assume("ll:pruning", "risk-change", _dR <= L * D_X * _p_rm,
           "R(θ_pr) − R(θ) ≤ L E|Σ_removed θ_iρ_i| ≤ L D_X p (ℒ L-Lipschitz, "
           "ll:relu-lipschitz in expectation); not encoded"),
    assume("ll:pruning", "objective-change", sp.Eq(F_hat - F_val, _dR - kappa * _p_rm),
           "F = R + κ‖θ‖₁ and pruning lowers ‖θ‖₁ by p (the definition of F)"),
    assume("ll:pruning", "kept-support",
           sp.And(s_act <= m, sp.Eq(k_rm, sp.Max(s_act - PRUNING_KEPT, 0)),
                  l0_hat <= s_act - k_rm),
           "θ has s ≤ m active entries, the k = max(s − (m − l), 0) smallest are removed, "
           "and θ_pr is nonzero only on the kept ones (the construction; not encoded)"),
)


@obligation("ll:pruning", "step_5_kept_support")
def _prune_support():
    # s ≤ m active entries, k = max(s − (m − l), 0) of them removed; θ_pr is nonzero only on
    # the s − k kept ones, so ‖θ_pr‖₀ ≤ s − k ≤ m − l (the registered sparsity part)
    sparsity = next(p for p in conclusion("ll:pruning").args if p.has(l0_hat))
    return AllOf((
        derivation("ll:pruning", sparsity, assumed=_PRUNING_ASSUMED[3:]),
        Z3Valid([*premise("ll:pruning"), s_act <= m, sp.Eq(k_rm, sp.Max(s_act - PRUNING_KEPT, 0))],
                sp.And(k_rm >= 0, k_rm <= s_act)),
    ))
