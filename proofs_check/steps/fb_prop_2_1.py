"""Obligations of the [FB17] statement `fb:prop-2.1` and of its source wording
`fb:prop-2.1-source` (docs/statements_fb.py): every step of their proofs.

Steps:
- `fb:prop-2.1`: the sphere argument (z3); in a 1-D piecewise-linear family, the sublevel
  just above a non-global strict minimum splits (z3), a strict minimum is global when all
  sublevels are intervals (z3), and a plateau shows that strictness is needed (expected
  refutation: the source words the proposition for every local minimum).
"""

from __future__ import annotations

import sympy as sp

from proofs_check._derive import assume, derivation
from proofs_check._obligation import Expect, obligation
from proofs_check._reads import premise
from proofs_check._sympy_methods import AllOf, SameClaim
from proofs_check._z3 import Z3Valid, Z3Witness
from proofs_check.steps._ll_common import conclusion
from theory.statements.fb import F_obj, ForAll, LocalMin, Omega, StrictLocalMin, theta_1
from theory.symbols import Connected, GlobalMin, lam

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
