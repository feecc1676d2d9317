"""Obligations of the [FB17] statements (docs/statements_fb.py): every step of each proof.

Steps per label:
- `fb:prop-2.1`: the sphere argument (z3); in a 1-D piecewise-linear family, the sublevel
  just above a non-global strict minimum splits (z3), a strict minimum is global when all
  sublevels are intervals (z3), and a plateau shows that strictness is needed (expected
  refutation: the source words the proposition for every local minimum).
- `fb:prop-2.2` (K = 2): tr(UVᵀ) ≤ ½(‖U‖²+‖V‖²), rotation invariance, balanced factors
  attain ‖Z‖_*, rebalancing lowers the penalty, the concatenated lift fits the registered
  width h ≥ 2·min(n₁, n_K) (and, negative control, not the source's h > min(n₁, n_K)),
  the concatenated lift of the segment
  Z(t) = (1−t)Z_A + tZ_B (product and penalty exact), the risk is convex in t, so F stays
  below the larger endpoint; a factor-2 error in the identity is an expected refutation.
- `fb:counterexample` (instance `COUNTEREXAMPLE`): both endpoints fit, det W changes sign
  (every path meets rank ≤ 1), a rank-≤1 net is a ridge aρ(s) + bρ(−s), the even/odd
  split on the symmetric data, least squares by completing the square, a certified
  interval bound R ≥ ½ over every direction, and the barrier assembly.
- `fb:prop-2.3`: chord and bisector identities, the pointwise upper and lower bounds
  (z3), the Rayleigh bound, the assembly with cos α, sin α as z3 unknowns, and a certified
  Gaussian instance (arc-cosine kernel).
- `fb:thm-2.4`: ℓ1 control, chord ≤ angle, the L² perturbation of Φ (the recorded defect:
  the source's ‖Σ_X‖ where √‖Σ_X‖ = D_X belongs), the squared-loss
  expansion, the α-perturbation cost ≤ α·C₁ (derived), the κ-powers of C₁ as derived and
  the recorded defect of the displayed C₁, convex interpolation of the second layer, and
  the six-sub-path assembly.
- `fb:cor-2.5`: covering radius and pruning exponent, the recorded defect of the rate
  O(m^{-1/n}), the qualitative limits, and the recorded defect of the absolute reading of
  ε with κ > 0 (e(m) ≥ κ − κ²/4 for Y = 1, E‖X‖ = 1).
"""

from __future__ import annotations

import sympy as sp

from proofs_check._derive import assume, derivation
from proofs_check._intervals import IntervalBound
from proofs_check._obligation import Expect, obligation
from proofs_check._reads import premise
from proofs_check._sympy_methods import (
    AllOf,
    SameClaim,
    SympyIdentity,
    SympyInequality,
    SympyLimit,
)
from proofs_check._z3 import Z3Valid, Z3Witness
from proofs_check.steps._ll_common import Exhaustive, conclusion, relu
from proofs_check.steps.ll_basic import _rayleigh_eigen
from theory.statements.fb import (
    C1_DERIVED,
    C1_DISPLAYED,
    COUNTEREXAMPLE,
    PRUNING_EXPONENT,
    DecreasingPathToMin,
    F,
    F_obj,
    ForAll,
    K,
    LocalMin,
    Omega,
    Sigma_op,
    StrictLocalMin,
    Z_nuc,
    barrier,
    bracket,
    dA_full,
    dA_sparse,
    dB_full,
    dB_sparse,
    eta,
    h_min,
    kappa_2,
    n_1,
    n_K,
    norm_wm,
    path_max,
    penalty_min,
    rms_Y,
    theta_1,
    theta_sigma,
    theta_star,
)
from theory.symbols import (
    D_X,
    Connected,
    GlobalMin,
    alpha,
    e_inf,
    e_l,
    kappa,
    lam,
    m,
    n,
    t,
)
from theory.symbols import eps as eps_gap
from theory.symbols import l as l_ref

x1, x2 = sp.symbols("x1 x2", real=True)  # an input x ∈ ℝ²
A_, B_ = sp.symbols("A B", real=True)  # pre-activations A = w₁ᵀx, B = w₂ᵀx
beta = sp.Symbol("beta", real=True)  # direction of w₁ in the plane
phi = sp.Symbol("phi", real=True)  # direction of v in the rank-one analysis
cos_a, sin_a = sp.symbols("cos_alpha sin_alpha", real=True)  # z3 stand-ins for cos α, sin α


def _frobenius2(M: sp.Matrix) -> sp.Expr:
    """‖M‖²_F."""
    return sum(e**2 for e in M)


def entrywise(lhs: sp.Matrix, rhs: sp.Matrix) -> AllOf:
    """Matrix identity lhs = rhs, one `SympyIdentity` per entry."""
    return AllOf(tuple(SympyIdentity(p, q) for p, q in zip(lhs, rhs, strict=True)))


def _unit(angle: sp.Expr) -> sp.Matrix:
    return sp.Matrix([sp.cos(angle), sp.sin(angle)])


def _rotation(angle: sp.Expr) -> sp.Matrix:
    return sp.Matrix([[sp.cos(angle), -sp.sin(angle)], [sp.sin(angle), sp.cos(angle)]])


# ------------------------------------------------------------------ fb:prop-2.1

_f1, _f2, _f_sphere, _top = sp.symbols("F_theta1 F_theta2 F_sphere path_top", real=True)
_p = sp.symbols("p_0:5", real=True)  # node values of a piecewise-linear f on 0, 1, …, 4
_level = sp.Symbol("level", real=True)


def _sublevels_are_intervals() -> list[sp.Basic]:
    """All sublevels of the piecewise-linear f connected ⇒ p_j ≤ max(p_i, p_k), i < j < k.

    (In ℝ connected sets are intervals; at λ = max(p_i, p_k) the nodes i, k lie in the
    sublevel, so node j must too.)
    """
    return [
        sp.Le(_p[j], sp.Max(_p[i], _p[k]))
        for i in range(5) for j in range(i + 1, 5) for k in range(j + 1, 5)
    ]


def _global_at(j: int) -> sp.Basic:
    return sp.And(*(sp.Le(_p[j], _p[k]) for k in range(5) if k != j))


@obligation("fb:prop-2.1", "step_1_sphere_separation")
def _sphere():
    # θ₁ a strict local minimum: on a small sphere S around θ₁, F ≥ min_S F = F_S > F(θ₁)
    # (S compact), inside the ball F ≥ F(θ₁). A lower point θ₂ is outside the ball, so a
    # path θ₁ → θ₂ crosses S: its top is ≥ F_S. Ω(F(θ₁)) connected: a path with top ≤ F(θ₁).
    return Z3Valid(
        [_f_sphere > _f1, sp.Implies(_f2 < _f1, _top >= _f_sphere), _top <= _f1],
        _f1 <= _f2,
    )


@obligation("fb:prop-2.1", "step_2_sublevel_splits_1d")
def _splits():
    # strict local minimum at node 1, lower node 3: for λ ∈ [p_1, min(p_0, p_2)) the
    # sublevel holds nodes 1 and 3 but not node 2 between them — it is not an interval
    return Z3Valid(
        [_p[0] > _p[1], _p[2] > _p[1], _p[3] < _p[1], _level >= _p[1], _level < _p[2]],
        sp.And(_p[1] <= _level, _p[3] <= _level, _p[2] > _level),
    )


@obligation(
    "fb:prop-2.1-source", "step_1_plateau_counterexample", expect=Expect.DEFECT,
    explanation="a non-strict local minimum (plateau) of a function whose sublevels are all "
    "intervals need not be global: z3 finds a piecewise-linear f on 0..4 with every "
    "sublevel an interval, a local minimum at node 1 and a lower node, so the source's "
    "wording is false and 'strict' cannot be dropped",
)
def _plateau():
    # the registered claim on the 1-D family: hypotheses ↔ (sublevels are intervals, node 1
    # a local minimum), conclusion ↔ node 1 global; a witness of hypotheses ∧ ¬conclusion
    link = [
        sp.Equivalent(ForAll(lam, Connected(Omega(F_obj, lam))),
                      sp.And(*_sublevels_are_intervals())),
        sp.Equivalent(LocalMin(F_obj, theta_1), sp.And(_p[0] >= _p[1], _p[2] >= _p[1])),
        sp.Equivalent(StrictLocalMin(F_obj, theta_1), sp.And(_p[0] > _p[1], _p[2] > _p[1])),
        sp.Equivalent(GlobalMin(F_obj, theta_1), _global_at(1)),
    ]
    return Z3Witness([*link, *premise("fb:prop-2.1-source"),
                      sp.Not(conclusion("fb:prop-2.1-source"))])


@obligation("fb:prop-2.1", "step_5_conclusion_derived")
def _prop21_derived():
    # step 1 on an arbitrary point θ₂ with F(θ₂) = F_theta2: a strict local minimum has a
    # sphere above it, a lower θ₂ lies outside it so every path to θ₂ crosses the sphere,
    # and connected sublevels give a path inside Ω(F(θ₁)); GlobalMin ⟺ F(θ₁) ≤ F(θ₂) for
    # the arbitrary θ₂
    return AllOf((
        SameClaim(conclusion("fb:prop-2.1"), GlobalMin(F_obj, theta_1)),
        derivation("fb:prop-2.1", assumed=_PROP21_ASSUMED),
    ))


#: the topology of fb:prop-2.1: step 1 checks the sphere argument on fresh numbers, steps
#: 2–4 the one-dimensional instance; their reading on the predicates is recorded here
_PROP21_ASSUMED = (
    assume("fb:prop-2.1", "sphere-above",
           sp.Implies(StrictLocalMin(F_obj, theta_1), _f_sphere > _f1),
           "a strict local minimum θ₁ has a small sphere around it on which F > F(θ₁) "
           "(compactness of the sphere); not encoded"),
    assume("fb:prop-2.1", "paths-cross-the-sphere", sp.Implies(_f2 < _f1, _top >= _f_sphere),
           "a point θ₂ with F(θ₂) < F(θ₁) lies outside the sphere, so every path from θ₁ "
           "to θ₂ crosses it (connectedness of the path); not encoded"),
    assume("fb:prop-2.1", "connected-sublevel-path",
           sp.Implies(sp.And(ForAll(lam, Connected(Omega(F_obj, lam))), _f2 <= _f1),
                      _top <= _f1),
           "a connected sublevel Ω(F(θ₁)) holds a path from θ₁ to θ₂ inside it (reading "
           "Connected as path-connected); not encoded"),
    assume("fb:prop-2.1", "global-min-definition",
           sp.Equivalent(GlobalMin(F_obj, theta_1), _f1 <= _f2),
           "GlobalMin(F, θ₁) ⟺ F(θ₁) ≤ F(θ₂) for the arbitrary θ₂ (its definition)"),
)


@obligation("fb:prop-2.1", "step_4_strict_min_global_1d")
def _strict_global():
    # every node that is a strict local minimum (one-sided at the ends) is global
    parts = []
    for j in range(5):
        strict = [_p[k] > _p[j] for k in (j - 1, j + 1) if 0 <= k < 5]
        parts.append(Z3Valid([*_sublevels_are_intervals(), *strict], _global_at(j)))
    return AllOf(tuple(parts))


# ------------------------------------------------------------------ fb:prop-2.2

_U = sp.Matrix(2, 2, sp.symbols("u_11 u_12 u_21 u_22", real=True))
_V = sp.Matrix(2, 2, sp.symbols("v_11 v_12 v_21 v_22", real=True))
_z1, _z2 = sp.symbols("z_1 z_2", nonnegative=True)  # singular values of Z
_Z = sp.diag(_z1, _z2)
_c, _s = sp.symbols("c s", nonnegative=True)  # lift weights, c² = 1 − t, s² = t


def _penalty(U: sp.Matrix, V: sp.Matrix) -> sp.Expr:
    # $\tfrac12(\|U\|_F^2 + \|V\|_F^2)$
    return (_frobenius2(U) + _frobenius2(V)) / 2


def _balanced(z1: sp.Expr, z2: sp.Expr) -> sp.Matrix:
    return sp.diag(sp.sqrt(z1), sp.sqrt(z2))


@obligation("fb:prop-2.2", "step_1_trace_bound")
def _trace_bound():
    # $\tfrac12(\|U\|^2+\|V\|^2) - \mathrm{tr}(UV^\top) = \tfrac12\|U-V\|^2 \ge 0$, and for
    # Z = diag(z) ⪰ 0, ‖Z‖_* = z₁ + z₂ = tr Z = tr(UVᵀ) for every factorization UVᵀ = Z
    half_gap = _frobenius2(_U - _V) / 2
    return AllOf((
        SympyIdentity(_penalty(_U, _V) - (_U * _V.T).trace(), half_gap),
        SympyInequality(sp.Ge(half_gap, 0, evaluate=False)),
        SympyIdentity(sum(_Z.singular_values()), _Z.trace()),
    ))


@obligation("fb:prop-2.2", "step_2_rotation_invariance")
def _rotations():
    # Z = P diag(σ) Qᵀ: (PᵀU)(QᵀV)ᵀ = Pᵀ Z Q = diag(σ), and ‖PᵀU‖_F = ‖U‖_F, so the
    # general case reduces to the diagonal one
    ang1, ang2 = sp.symbols("psi_1 psi_2", real=True)
    P, Q = _rotation(ang1), _rotation(ang2)
    return AllOf((
        SympyIdentity(_frobenius2(P.T * _U), _frobenius2(_U)),
        SympyIdentity(_frobenius2(Q.T * _V), _frobenius2(_V)),
        entrywise(P.T * (P * _Z * Q.T) * Q, _Z),
        entrywise((P.T * _U) * (Q.T * _V).T, P.T * (_U * _V.T) * Q),
    ))


@obligation("fb:prop-2.2", "step_3_balanced_factors_attain")
def _balanced_attain():
    # U = V = diag(√z): UVᵀ = Z and ½(‖U‖² + ‖V‖²) = z₁ + z₂ = ‖Z‖_*
    U = V = _balanced(_z1, _z2)
    return AllOf((entrywise(U * V.T, _Z), SympyIdentity(_penalty(U, V), _z1 + _z2)))


@obligation(
    "fb:prop-2.2", "step_3_factor_two_control", expect=Expect.REFUTATION,
    explanation="negative control: without the ½, ‖Z‖_* = ‖U‖² + ‖V‖² fails at balanced "
    "factors; the identity check must produce a counterexample",
)
def _factor_two():
    U = V = _balanced(_z1, _z2)
    return SympyIdentity(_frobenius2(U) + _frobenius2(V), _z1 + _z2)


@obligation("fb:prop-2.2", "step_4_rebalancing_lowers_penalty")
def _rebalance():
    # G = diag(e^{τh₁}, e^{τh₂}): (UG)(VG^{-1})ᵀ = UVᵀ, and the penalty is convex in τ, so
    # the scaling path from G = I to its minimizer (the balanced point) is nonincreasing
    tau = sp.Symbol("tau", real=True)
    h = sp.symbols("h_1 h_2", real=True)
    G = sp.diag(*(sp.exp(tau * hj) for hj in h))
    path = _penalty(_U * G, _V * G.inv())
    return AllOf((
        entrywise((_U * G) * (_V * G.inv()).T, _U * _V.T),
        SympyInequality(sp.Ge(sp.diff(path, tau, 2), 0, evaluate=False)),
    ))


def _lift(c: sp.Expr, s: sp.Expr):
    """Concatenated lift U(t) = [c U_A | s U_B], V(t) = [c V_A | s V_B]: hidden width
    rank Z_A + rank Z_B (here 2 + 2 = 4; step 5: it fits the registered width)."""
    UA, VA = _U, _V
    UB = sp.Matrix(2, 2, sp.symbols("ub_11 ub_12 ub_21 ub_22", real=True))
    VB = sp.Matrix(2, 2, sp.symbols("vb_11 vb_12 vb_21 vb_22", real=True))
    return (UA, VA, UB, VB), sp.Matrix.hstack(c * UA, s * UB), sp.Matrix.hstack(c * VA, s * VB)


@obligation("fb:prop-2.2", "step_5_lifted_path_product")
def _lift_product():
    # $U(t)V(t)^\top = c^2 Z_A + s^2 Z_B = (1-t) Z_A + t Z_B$ with $t = s^2$, $c^2 = 1 - t$
    (UA, VA, UB, VB), Ut, Vt = _lift(_c, _s)
    return entrywise(Ut * Vt.T, _c**2 * UA * VA.T + _s**2 * UB * VB.T)


_rank_A, _rank_B = sp.symbols("rank_Z_A rank_Z_B", integer=True, nonnegative=True)
#: rank Z ≤ min(n₁, n_K) for an n_K × n₁ product Z
_RANKS = [_rank_A <= sp.Min(n_1, n_K), _rank_B <= sp.Min(n_1, n_K)]


@obligation("fb:prop-2.2", "step_5_lift_fits_given_width")
def _lift_fits():
    # balanced factors of Z_A (Z_B) have rank Z_A (rank Z_B) nonzero columns (after a
    # rotation of the hidden space, which keeps UVᵀ and the penalty); the lift
    # [cU_A | sU_B] uses rank Z_A + rank Z_B ≤ 2·min(n₁, n_K) ≤ h columns (zero columns
    # pad it to width h): the checked path stays at the registered width
    return Z3Valid([*premise("fb:prop-2.2"), *_RANKS], _rank_A + _rank_B <= h_min)


@obligation(
    "fb:prop-2.2", "step_5_source_width_control", expect=Expect.REFUTATION,
    explanation="negative control: under the source's width h > min(n₁, n_K) alone the "
    "concatenated lift need not fit (n₁ = n_K = 2, h = 3, rank Z_A = rank Z_B = 2 needs 4 "
    "columns); the check must produce that counterexample",
)
def _source_width():
    return Z3Valid([sp.Gt(h_min, sp.Min(n_1, n_K)), *_RANKS], _rank_A + _rank_B <= h_min)


@obligation("fb:prop-2.2", "step_6_lifted_path_penalty")
def _lift_penalty():
    # the penalty along the lift is linear in t: $c^2 P_A + s^2 P_B$
    (UA, VA, UB, VB), Ut, Vt = _lift(_c, _s)
    return SympyIdentity(_penalty(Ut, Vt), _c**2 * _penalty(UA, VA) + _s**2 * _penalty(UB, VB))


@obligation("fb:prop-2.2", "step_7_risk_convex_along_segment")
def _risk_convex():
    # $\frac{d^2}{dt^2}\|y - Z(t)x\|^2 = 2\|(Z_B - Z_A)x\|^2 \ge 0$, Z(t) = (1−t)Z_A + tZ_B
    ZA = sp.Matrix(2, 2, sp.symbols("za_11 za_12 za_21 za_22", real=True))
    ZB = sp.Matrix(2, 2, sp.symbols("zb_11 zb_12 zb_21 zb_22", real=True))
    xv, yv = sp.Matrix([x1, x2]), sp.Matrix(sp.symbols("y_1 y_2", real=True))
    risk = _frobenius2(yv - ((1 - t) * ZA + t * ZB) * xv)
    curvature = 2 * _frobenius2((ZB - ZA) * xv)
    return AllOf((
        SympyIdentity(sp.diff(risk, t, 2), curvature),
        SympyInequality(sp.Ge(curvature, 0, evaluate=False)),
    ))


@obligation("fb:prop-2.2", "step_8_below_larger_endpoint")
def _below_max():
    # convex risk + linear penalty: F(t) ≤ (1−t)F_A + tF_B ≤ max(F_A, F_B)
    FA, FB, Ft = sp.symbols("F_A F_B F_t", real=True)
    return Z3Valid([t >= 0, t <= 1, Ft <= (1 - t) * FA + t * FB], Ft <= sp.Max(FA, FB))


@obligation("fb:prop-2.2", "step_9_block_lift_any_depth")
def _block_lift():
    # κ = 0, any K: lift Z(t) = (1−t)Z_A + tZ_B to K factors of rank-compressed ends
    # (hidden widths rank Z_A + rank Z_B ≤ h, step 5):
    # W_1(t) = [c W_1^A; s W_1^B], middle W_j(t) = diag(c W_j^A, s W_j^B),
    # W_K(t) = [c W_K^A, s W_K^B]. Block-diagonal factors compose blockwise (so any number
    # of middle factors is one block-diagonal M), the caps give c_K⋯c_1 Z_A + s_K⋯s_1 Z_B,
    # and c_j = (1−t)^{1/K}, s_j = t^{1/K} make the weights 1 − t and t.
    A1, A2, B1, B2, A3, B3, MA, MB = (
        sp.Matrix(2, 2, sp.symbols(f"{p}_11 {p}_12 {p}_21 {p}_22", real=True))
        for p in ("a1", "a2", "b1", "b2", "a3", "b3", "ma", "mb")
    )
    c, s_, u_pos = sp.symbols("c_w s_w u_pos", positive=True)
    Kd = sp.Symbol("K_depth", integer=True, positive=True)
    blockdiag = lambda A, B: sp.diag(A, B)  # noqa: E731
    top = sp.Matrix.hstack(c * A3, s_ * B3)
    bottom = sp.Matrix.vstack(c * A1, s_ * B1)
    return AllOf((
        entrywise(blockdiag(A1, B1) * blockdiag(A2, B2), blockdiag(A1 * A2, B1 * B2)),
        entrywise(top * blockdiag(MA, MB) * bottom, c**2 * A3 * MA * A1 + s_**2 * B3 * MB * B1),
        SympyIdentity((u_pos ** (1 / Kd)) ** Kd, u_pos),
    ))


@obligation("fb:prop-2.2", "step_10_strictly_decreasing_segment")
def _strictly_decreasing():
    # along Z(t) from Z_A (F_A > F*) to a minimizer Z_B (F(Z_B) = F*) the objective
    # f(t) (convex: steps 6–8) strictly decreases: for 0 ≤ t₁ < t₂ ≤ 1 the chord through
    # t₁ and 1 gives f(t₂) ≤ ((1−t₂) f(t₁) + (t₂−t₁) F*)/(1−t₁) < f(t₁) since F* < f(t₁)
    t1, t2 = sp.symbols("t_1 t_2", real=True)
    f1, f2, fstar = sp.symbols("f_1 f_2 f_star", real=True)
    return Z3Valid(
        [0 <= t1, t1 < t2, t2 <= 1, fstar < f1,
         (1 - t1) * f2 <= (1 - t2) * f1 + (t2 - t1) * fstar],
        f2 < f1,
    )


_PROP22_LIFT = sp.Symbol("lift_exists", real=True) > 0
_PROP22_CONNECTED = ForAll(lam, Connected(Omega(F_obj, lam)))
_PROP22_DECREASING = DecreasingPathToMin(F_obj)
#: what the assembly of fb:prop-2.2 needs and no obligation proves: steps 3–10 check the
#: algebra (block lifts, the penalty along the lift, convexity, strict decrease of a
#: convex function towards its minimum), not the predicates they are read into
_PROP22_ASSUMED = (
    assume("fb:prop-2.2", "lift-exists", sp.Implies(sp.Ge(h_min, 2 * sp.Min(n_1, n_K)),
                                                     _PROP22_LIFT),
           "a lift of the product path exists at the given widths: step 9 checks the "
           "block-lift identities on 2×2 blocks and step 5 that the concatenated lift fits "
           "in h ≥ 2·min(n₁, n_K) columns; reaching rank-compressed balanced factors from "
           "the given ones (K = 2: rebalancing, step 4, and a hidden rotation; any K at "
           "κ = 0) and the lift at general sizes are not encoded"),
    assume("fb:prop-2.2", "lift-decreases-kappa-0",
           sp.Implies(sp.And(_PROP22_LIFT, sp.Eq(kappa_2, 0)), _PROP22_DECREASING),
           "κ = 0: the lift of the convex segment to a minimizer strictly decreases F "
           "(steps 7, 8, 10 check the scalar facts; their reading as the predicate "
           "DecreasingPathToMin is not encoded)"),
    assume("fb:prop-2.2", "lift-decreases-nuclear",
           sp.Implies(sp.And(_PROP22_LIFT, sp.Eq(K, 2), sp.Eq(penalty_min, Z_nuc)),
                      _PROP22_DECREASING),
           "K = 2 with the nuclear-norm penalty: balanced factors (step 4) and the penalty "
           "linear along the lift (step 6) make F decrease along it; the reading as "
           "DecreasingPathToMin is not encoded"),
    assume("fb:prop-2.2", "decreasing-path-connects",
           sp.Implies(_PROP22_DECREASING, _PROP22_CONNECTED),
           "a decreasing path from every point to the (connected) set of minimizers makes "
           "every sublevel set connected: the topological argument is not encoded"),
)


@obligation("fb:prop-2.2", "step_11_conclusion_derived")
def _prop22_derived():
    # hidden widths > min(n_1, n_K) let the product path be lifted (step 9; steps 3–6
    # at K = 2 with balanced factors after the rebalancing of step 4, which lowers the
    # penalty); F strictly decreases along the lift (step 10), so every θ reaches the
    # lowest level; the minimizers' set is convex in Z and its lift stays at the lowest
    # level, so every sublevel set is connected. Each of these readings is a recorded
    # assumption (_PROP22_ASSUMED): the conclusion is checked modulo them.
    connected, decreasing = _PROP22_CONNECTED, _PROP22_DECREASING
    claim = sp.And(
        sp.Implies(sp.Eq(kappa_2, 0), sp.And(connected, decreasing)),
        sp.Implies(sp.And(sp.Eq(K, 2), sp.Eq(penalty_min, Z_nuc)), sp.And(connected, decreasing)),
    )
    return AllOf((
        SameClaim(conclusion("fb:prop-2.2"), claim),
        derivation("fb:prop-2.2", assumed=_PROP22_ASSUMED),
    ))


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
