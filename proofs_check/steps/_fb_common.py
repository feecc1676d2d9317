"""Shared symbols and helpers of the [FB17] obligations (proofs_check/steps/fb_*.py)."""

from __future__ import annotations

import sympy as sp

from proofs_check._sympy_methods import AllOf, SympyIdentity

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
