"""Obligations of the basic `ll:` lemmas: assumptions, ℓ1 control, ReLU features, convexity
in θ, free rows and buffer transfers (docs/statements_ll.py).

Steps per label:
- `ll:assumption`: the risk is finite at every model (|ℒ(y,u)| ≤ |ℒ(y,0)| + L|u|).
- `ll:assumption-holder`: |u|^{1+α} ≤ 1 + u² for 0 < α ≤ 1 (finite second moments suffice).
- `ll:l1-control`: the ℓ1 bound; a Lipschitz estimate of F (continuity); ‖θ‖₂ ≤ ‖θ‖₁
  (bounded sublevels), hence attained minima.
- `ll:relu-lipschitz`: ρ is 1-Lipschitz, ρ(u)² ≤ u², Cauchy–Schwarz, the Rayleigh bound
  wᵀΣw ≤ λ_max(Σ)‖w‖² (2×2, by eigen-decomposition and by the closed form), the chain.
- `ll:convex-output`: Φ linear in θ, ‖·‖₁ convex, the objective's chord inequality,
  max at an endpoint, a hinge instance, and a ramp-loss negative control (expected
  refutation).
- `ll:free-row`: Φ and F do not see a zero-coefficient row; the ball is convex.
- `ll:buffer-transfer`: |(1−t)a| + |ta| = |a|; Φ constant; a transposition of two units
  through a buffer, move by move; transpositions generate every permutation of S₄.
"""

from __future__ import annotations

import itertools

import sympy as sp
from sympy.combinatorics import Permutation

from proofs_check._derive import assume, derivation
from proofs_check._obligation import Expect, obligation
from proofs_check._sympy_methods import AllOf, SympyIdentity, SympyInequality
from proofs_check._z3 import Z3Valid
from proofs_check.steps._ll_common import Exhaustive, cauchy_schwarz, premise, relu
from theory.errors import InvalidArgumentError
from theory.losses import get_loss
from theory.statements.ll import (
    F_A,
    F_B,
    E_abs_diff,
    E_sq,
    F_max,
    dist,
    w_norm,
)
from theory.symbols import D_X, L, R_low, a, kappa, s, t, u, v, y

u1, u2 = sp.symbols("u1 u2", real=True)
x1, x2 = sp.symbols("x1 x2", real=True)  # an input x ∈ ℝ²
th = sp.symbols("theta_1:4", real=True)  # θ ∈ ℝ³
th2 = sp.symbols("thetap_1:4", real=True)  # θ' ∈ ℝ³


def _rows(prefix: str, count: int) -> list[tuple[sp.Symbol, sp.Symbol]]:
    return [sp.symbols(f"{prefix}{i}_1:3", real=True) for i in range(1, count + 1)]


def _predictor(theta, rows, x=(x1, x2)) -> sp.Expr:
    # $\Phi(x; W, \theta) = \sum_i \theta_i \rho(w_i^\top x)$
    return sum(c * relu(w[0] * x[0] + w[1] * x[1]) for c, w in zip(theta, rows, strict=True))


# ---------------------------------------------------------------- ll:assumption


@obligation("ll:assumption", "risk_finite_at_every_model")
def _risk_finite():
    # $|\mathcal L(y,u)| \le |\mathcal L(y,0)| + L|u|$, so $E|\mathcal L(Y,\Phi)| < \infty$
    # whenever $E|\mathcal L(Y,0)| < \infty$ and $E|\Phi| \le a D_X < \infty$.
    ell_u, ell_0 = sp.symbols("ell_u ell_0", real=True)
    return Z3Valid(
        [sp.Le(sp.Abs(ell_u - ell_0), L * sp.Abs(u))],
        sp.Le(sp.Abs(ell_u), sp.Abs(ell_0) + L * sp.Abs(u)),
    )


# ---------------------------------------------------------- ll:assumption-holder


@obligation("ll:assumption-holder", "power_growth_below_second_moment")
def _holder_growth():
    # $|u|^{1+\alpha} \le 1 + u^2$ for $0 < \alpha \le 1$: parametrize $\alpha = 1/(1+c)$,
    # $c \ge 0$, and $|u| = 1/(1+d)$ (≤ 1) or $|u| = 1 + d$ (≥ 1), $d \ge 0$.
    c, d = sp.symbols("c d", nonnegative=True)
    power = 1 + 1 / (1 + c)
    small = sp.log(1 + d) * power  # log of |u|^{-(1+α)} ≥ 0  ⇒  |u|^{1+α} ≤ 1
    large = sp.log(1 + d) * (2 - power)  # log of u²/|u|^{1+α} ≥ 0  ⇒  |u|^{1+α} ≤ u²
    return AllOf((
        SympyInequality(sp.Ge(small, 0, evaluate=False)),
        SympyInequality(sp.Ge(large, 0, evaluate=False)),
    ))


# ---------------------------------------------------------------- ll:l1-control


@obligation("ll:l1-control", "step_1_l1_bound")
def _l1_bound():
    # $s \ge F = R + \kappa a$, $R \ge \underline R$  ⇒  $a \le (s - \underline R)/\kappa$
    return Z3Valid(premise("ll:l1-control"), sp.Le(a, (s - R_low) / kappa))


@obligation("ll:l1-control", "step_2_objective_is_lipschitz_on_bounded_sets")
def _continuity():
    # Two units: $\Phi - \Phi' = \sum_i (\theta_i - \theta'_i)\rho_i + \theta'_i(\rho_i - \rho'_i)$;
    # with $E|\rho_i| \le D_X$ and $E|\rho_i - \rho'_i| \le D_X \|w_i - w'_i\| \le D_X r$:
    # $|F - F'| \le L D_X (\|\theta-\theta'\|_1 + r\|\theta'\|_1) + \kappa\|\theta-\theta'\|_1$.
    # The reverse triangle inequality |‖θ‖₁ − ‖θ'‖₁| ≤ ‖θ − θ'‖₁ is checked first; then the
    # chain runs on the nonnegative magnitudes g_i = |θ_i − θ'_i|, c_i = |θ'_i|.
    b1, b2, c1, c2 = sp.symbols("b1 b2 c1 c2", real=True)  # θ, θ'
    d1, d2, e1, e2, r = sp.symbols("d1 d2 e1 e2 r", nonnegative=True)  # E|ρ_i|, E|ρ_i − ρ'_i|
    g1, g2, n1, n2 = sp.symbols("g1 g2 n1 n2", nonnegative=True)
    dF, dPhi, dpen = sp.symbols("dF dPhi dpen", real=True)
    reverse_triangle = Z3Valid(
        [], sp.Abs(sp.Abs(b1) + sp.Abs(b2) - sp.Abs(c1) - sp.Abs(c2))
        <= sp.Abs(b1 - c1) + sp.Abs(b2 - c2),
    )
    chain = Z3Valid(
        [
            d1 <= D_X, d2 <= D_X, e1 <= D_X * r, e2 <= D_X * r,
            # triangle inequality and linearity of E
            dPhi <= g1 * d1 + g2 * d2 + n1 * e1 + n2 * e2,
            sp.Abs(dpen) <= g1 + g2,
            # ℒ is L-Lipschitz in u
            sp.Abs(dF) <= L * dPhi + kappa * sp.Abs(dpen),
        ],
        sp.Abs(dF) <= L * D_X * (g1 + g2 + r * (n1 + n2)) + kappa * (g1 + g2),
    )
    return AllOf((reverse_triangle, chain))


@obligation("ll:l1-control", "step_3_sublevels_are_bounded")
def _bounded():
    # $\|\theta\|_2^2 \le \|\theta\|_1^2$: an ℓ1-bounded set of θ is bounded, rows lie in the
    # unit ball, so a closed sublevel set is compact and the minima are attained.
    return Z3Valid([], sp.Le(sum(c**2 for c in th), sum(sp.Abs(c) for c in th) ** 2))


# ----------------------------------------------------------- ll:relu-lipschitz


@obligation("ll:relu-lipschitz", "step_1_relu_is_1_lipschitz")
def _relu_lipschitz():
    return Z3Valid([], sp.Le(sp.Abs(relu(u) - relu(v)), sp.Abs(u - v)))


@obligation("ll:relu-lipschitz", "step_2_relu_square_below_square")
def _relu_square():
    return Z3Valid([], sp.Le(relu(u) ** 2, u**2))


@obligation("ll:relu-lipschitz", "step_3_cauchy_schwarz")
def _cs():
    # $E|Z| \le \sqrt{E Z^2}$ for a law on three atoms with symbolic weights
    return cauchy_schwarz(3)


@obligation("ll:relu-lipschitz", "step_4_rayleigh_by_eigendecomposition")
def _rayleigh_eigen():
    # $\Sigma = Q\,\mathrm{diag}(\lambda_1, \lambda_2)\,Q^\top$, $Q$ a rotation (c, s):
    # $w^\top\Sigma w = \lambda_1 (Q^\top w)_1^2 + \lambda_2 (Q^\top w)_2^2 \le \lambda_1\|w\|^2$
    c, sn = sp.symbols("c s_rot", real=True)
    l1, l2 = sp.symbols("lambda_1 lambda_2", nonnegative=True)
    w1, w2 = sp.symbols("w1 w2", real=True)
    Q = sp.Matrix([[c, -sn], [sn, c]])
    Sigma = Q * sp.diag(l1, l2) * Q.T
    w = sp.Matrix([w1, w2])
    quad = sp.expand((w.T * Sigma * w)[0])
    return Z3Valid([sp.Eq(c**2 + sn**2, 1), l2 <= l1], sp.Le(quad, l1 * (w1**2 + w2**2)))


@obligation("ll:relu-lipschitz", "step_5_rayleigh_closed_form_2x2")
def _rayleigh_closed():
    # Σ = [[p, r], [r, s]] ⪰ 0, $\lambda_{\max} = (p+s)/2 + \sqrt{((p-s)/2)^2 + r^2}$:
    # λ_max is a root of det(Σ − λI), and $w^\top\Sigma w \le \lambda_{\max}\|w\|^2$.
    p_, s_ = sp.symbols("p s_22", nonnegative=True)
    r_ = sp.Symbol("r_12", real=True)
    w1, w2 = sp.symbols("w1 w2", real=True)
    lam_max = (p_ + s_) / 2 + sp.sqrt(((p_ - s_) / 2) ** 2 + r_**2)
    Sigma = sp.Matrix([[p_, r_], [r_, s_]])
    quad = p_ * w1**2 + 2 * r_ * w1 * w2 + s_ * w2**2
    return AllOf((
        SympyIdentity(sp.expand((Sigma - lam_max * sp.eye(2)).det()), 0),
        Z3Valid([p_ * s_ - r_**2 >= 0], sp.Le(quad, lam_max * (w1**2 + w2**2))),
    ))


@obligation("ll:relu-lipschitz", "step_6_chain")
def _relu_chain():
    # $E|\rho(a^\top X) - \rho(b^\top X)| \le E|(a-b)^\top X| \le \sqrt{E((a-b)^\top X)^2}
    #  \le \|a-b\| D_X$, and $E\rho(w^\top X)^2 \le E(w^\top X)^2 \le \|w\|^2 D_X^2 \le D_X^2$.
    return derivation("ll:relu-lipschitz", assumed=_RELU_ASSUMED)


_E_lin, _E_lin2, _E_w2 = sp.symbols("E_lin E_lin2 E_w2", nonnegative=True)
_RELU_ASSUMED = (
    assume("ll:relu-lipschitz", "expectations",
           sp.And(E_abs_diff <= _E_lin, _E_lin**2 <= _E_lin2, _E_lin2 <= dist**2 * D_X**2,
                  E_sq <= _E_w2, _E_w2 <= w_norm**2 * D_X**2),
           "steps 1–5 check the pointwise inequalities |ρ(a) − ρ(b)| ≤ |a − b|, ρ(z)² ≤ z², "
           "Jensen's (E Z)² ≤ E Z² on symbols and the Rayleigh bound vᵀ E XXᵀ v ≤ ‖v‖² D_X²; "
           "that the expectations E|…| obey them (monotonicity of E) is not encoded"),
)


# ----------------------------------------------------------- ll:convex-output

_W3 = _rows("w", 3)


@obligation("ll:convex-output", "step_1_predictor_linear_in_theta")
def _linear_in_theta():
    # $\Phi(W, (1-t)\theta + t\theta') = (1-t)\Phi(W,\theta) + t\Phi(W,\theta')$
    mix = [(1 - t) * c + t * d for c, d in zip(th, th2, strict=True)]
    return SympyIdentity(
        _predictor(mix, _W3), (1 - t) * _predictor(th, _W3) + t * _predictor(th2, _W3)
    )


@obligation("ll:convex-output", "step_2_l1_norm_convex")
def _l1_convex():
    mix = [(1 - t) * c + t * d for c, d in zip(th, th2, strict=True)]
    norm = lambda z: sum(sp.Abs(c) for c in z)  # noqa: E731
    return Z3Valid([t >= 0, t <= 1], sp.Le(norm(mix), (1 - t) * norm(th) + t * norm(th2)))


@obligation("ll:convex-output", "step_3_objective_chord")
def _chord():
    # On a data set of two points with weights π, 1 − π: ℒ convex at Φ_t = (1−t)Φ + tΦ'
    # (step 1) gives ℓ_k(t) ≤ (1−t)ℓ_k(0) + tℓ_k(1); with step 2 for the penalty P:
    # $F(W, \theta_t) \le (1-t)F(W,\theta) + tF(W,\theta')$.
    pi = sp.Symbol("pi", nonnegative=True)
    l0, l1, lt, k0, k1, kt, P0, P1, Pt = sp.symbols("l0 l1 lt k0 k1 kt P0 P1 Pt", real=True)
    F = lambda first, second, pen: pi * first + (1 - pi) * second + kappa * pen  # noqa: E731
    return Z3Valid(
        [
            t >= 0, t <= 1, pi <= 1,
            lt <= (1 - t) * l0 + t * l1, kt <= (1 - t) * k0 + t * k1, Pt <= (1 - t) * P0 + t * P1,
        ],
        sp.Le(F(lt, kt, Pt), (1 - t) * F(l0, k0, P0) + t * F(l1, k1, P1)),
    )


@obligation("ll:convex-output", "step_4_max_at_an_endpoint")
def _max_endpoint():
    # along the θ-segment F_max = F(θ_t) ≤ (1−t)F_A + tF_B ≤ max(F_A, F_B)
    return derivation("ll:convex-output", assumed=_CONVEX_ASSUMED)


_CONVEX_ASSUMED = (
    assume("ll:convex-output", "below-the-chord", sp.Le(F_max, (1 - t) * F_A + t * F_B),
           "steps 1–3 check Φ linear in θ and the convexity of ℒ(y, ·) and ‖·‖₁; that F "
           "at the segment's worst point (F_max) is below the chord (1−t)F_A + tF_B is not "
           "encoded for a generic loss (step 5 checks it for hinge on a grid of t)"),
)


@obligation("ll:convex-output", "step_5_hinge_instance_on_a_grid_of_t")
def _hinge_instance():
    # the composition with a real loss: hinge on two points (y = ±1), two units with fixed
    # rational features ρ(w_iᵀx_k) and κ = 1/10, θ and θ' symbolic; t on a grid keeps z3
    # linear
    hinge = get_loss("hinge").expr
    feats = ((1, sp.Rational(1, 2)), (sp.Rational(1, 3), 2))

    def F(theta):
        risk = sum(hinge.subs({y: lab, u: theta[0] * f[0] + theta[1] * f[1]})
                   for lab, f in zip((1, -1), feats, strict=True)) / 2
        return risk + sp.Rational(1, 10) * (sp.Abs(theta[0]) + sp.Abs(theta[1]))

    b, c = th[:2], th2[:2]
    return AllOf(tuple(
        Z3Valid([], sp.Le(F([(1 - tt) * i + tt * j for i, j in zip(b, c, strict=True)]),
                          (1 - tt) * F(b) + tt * F(c)))
        for tt in (sp.Rational(1, 4), sp.Rational(1, 2), sp.Rational(3, 4))
    ))


@obligation(
    "ll:convex-output", "negative_control_ramp", expect=Expect.REFUTATION,
    explanation="the ramp loss is not convex: F along a θ-segment can exceed both ends",
)
def _ramp_control():
    ramp = get_loss("ramp").expr
    F = lambda c: (ramp.subs({y: 1, u: c}) + ramp.subs({y: -1, u: c})) / 2  # noqa: E731
    return Z3Valid(
        [t >= 0, t <= 1], sp.Le(F((1 - t) * u1 + t * u2), sp.Max(F(u1), F(u2)))
    )


# ------------------------------------------------------------------ ll:free-row


@obligation("ll:free-row", "step_1_predictor_ignores_zero_row")
def _free_row_predictor():
    # θ_2 = 0: Φ with row w_2 equals Φ with any other row w'_2
    (w1, w2), (wp,) = _rows("w", 2), _rows("wp", 1)
    theta = (th[0], 0)
    return SympyIdentity(_predictor(theta, [w1, w2]), _predictor(theta, [w1, wp]))


@obligation("ll:free-row", "step_2_objective_unchanged")
def _free_row_objective():
    # F = E ℒ(Y, Φ) + κ‖θ‖₁ depends on the zero row through Φ only (ℒ generic)
    ell = sp.Function("ell")
    (w1, w2), (wp,) = _rows("w", 2), _rows("wp", 1)
    theta = (th[0], 0)
    F = lambda rows: ell(y, _predictor(theta, rows)) + kappa * sp.Abs(th[0])  # noqa: E731
    return SympyIdentity(F([w1, w2]), F([w1, wp]))


@obligation("ll:free-row", "step_3_ball_is_convex")
def _ball_convex():
    # the straight move of the free row stays in the unit ball:
    # $1 - \|w_t\|^2 = (1-t)(1-\|w\|^2) + t(1-\|w'\|^2) + t(1-t)\|w - w'\|^2 \ge 0$
    (w,), (wp,) = _rows("w", 1), _rows("wp", 1)
    sq = lambda z: z[0] ** 2 + z[1] ** 2  # noqa: E731
    moved = [(1 - t) * i + t * j for i, j in zip(w, wp, strict=True)]
    gap = sq([i - j for i, j in zip(w, wp, strict=True)])
    A, B, D = sp.symbols("A B D", nonnegative=True)  # 1 − ‖w‖², 1 − ‖w'‖², ‖w − w'‖²
    return AllOf((
        SympyIdentity(1 - sq(moved), (1 - t) * (1 - sq(w)) + t * (1 - sq(wp)) + t * (1 - t) * gap),
        Z3Valid([t >= 0, t <= 1], (1 - t) * A + t * B + t * (1 - t) * D >= 0),
    ))


# ---------------------------------------------------------- ll:buffer-transfer

a_u = sp.Symbol("a_u", real=True)


@obligation("ll:buffer-transfer", "step_1_mass_split_keeps_l1")
def _split_l1():
    # $|(1-t)a| + |ta| = |a|$ for $t \in [0, 1]$
    return Z3Valid([t >= 0, t <= 1], sp.Eq(sp.Abs((1 - t) * a_u) + sp.Abs(t * a_u), sp.Abs(a_u)))


@obligation("ll:buffer-transfer", "step_2_predictor_constant")
def _split_predictor():
    # identical rows: $(1-t)a\rho(w^\top x) + ta\rho(w^\top x) = a\rho(w^\top x)$
    (w,) = _rows("w", 1)
    return SympyIdentity(_predictor(((1 - t) * a_u, t * a_u), [w, w]), _predictor((a_u,), [w]))


def _transposition_moves():
    """Swap units 1 and 2 through the zero buffer unit 3, one legal move at a time.

    State: list of (row, coefficient). `copy(i, j)` sets row i := row j (legal only when
    θ_i = 0, ll:free-row); `transfer(i, j)` moves all mass of unit i to unit j (legal only
    when the rows are identical, step 2). Returns every state visited.
    """
    w1, w2 = _rows("w", 2)
    zero = (sp.Integer(0), sp.Integer(0))
    state = [(w1, th[0]), (w2, th[1]), (zero, sp.Integer(0))]
    states = [list(state)]

    def copy(i, j):
        if state[i][1] != 0:
            raise InvalidArgumentError(
                f"copying onto unit {i + 1} whose coefficient is {state[i][1]}")
        state[i] = (state[j][0], 0)
        states.append(list(state))

    def transfer(i, j):
        if state[i][0] != state[j][0]:
            raise InvalidArgumentError(f"transfer between different rows {i + 1}, {j + 1}")
        state[j], state[i] = (state[j][0], state[j][1] + state[i][1]), (state[i][0], 0)
        states.append(list(state))

    copy(2, 0)
    transfer(0, 2)
    copy(0, 1)
    transfer(1, 0)
    copy(1, 2)
    transfer(2, 1)
    return states, (w1, w2)


@obligation("ll:buffer-transfer", "step_3_transposition_through_buffer")
def _transposition():
    states, (w1, w2) = _transposition_moves()
    phi = [_predictor([c for _, c in st], [w for w, _ in st]) for st in states]
    final = states[-1]
    return AllOf((
        *(SympyIdentity(p, phi[0]) for p in phi[1:]),
        *(SympyIdentity(got, want) for got, want in zip(
            (*final[0][0], final[0][1], *final[1][0], final[1][1]),
            (*w2, th[1], *w1, th[0]), strict=True)),
        SympyIdentity(final[2][1], 0),
    ))


@obligation("ll:buffer-transfer", "step_4_transpositions_generate_permutations")
def _generate():
    # every permutation of 4 units is a product of transpositions (so of buffer swaps)
    def check(perm):
        # sympy's convention: perm = T_k ⋯ T_2 T_1 for perm.transpositions() = [T_1, …, T_k]
        product = Permutation(list(range(4)))
        for i, j in perm.transpositions():
            product = Permutation(i, j, size=4) * product
        return None if product == perm else f"{perm} is not the product of its transpositions"

    def cases():
        return [Permutation(list(p)) for p in itertools.permutations(range(4))]

    return Exhaustive(cases, check, name="exhaustive enumeration of S4")
