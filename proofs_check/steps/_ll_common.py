"""Shared pieces of the `ll:` obligations: ρ, discrete laws, exhaustive checks.

Main definitions: `relu` (ρ(x) = max(0, x) as a sympy expression), `DiscreteLaw` (a
finite law with symbolic probabilities and ℝᵈ-valued atoms), `cauchy_schwarz(atoms)`
((E|Z|)² ≤ E Z² for a symbolic law, checked by z3), `Exhaustive` (a method that
enumerates every case of a finite claim), `premise(label)` (the relations among a
statement's hypotheses, as hypotheses for z3), `conclusion(label)` (both tracked, see
`proofs_check._reads`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from proofs_check._outcome import Outcome
from proofs_check._reads import conclusion, premise
from proofs_check._z3 import Z3Valid

__all__ = ["DiscreteLaw", "Exhaustive", "cauchy_schwarz", "conclusion", "premise", "relu"]


def relu(x: sp.Expr) -> sp.Expr:
    """ρ(x) = max(0, x), with ρ'(0) := 0 (docs/notation.md)."""
    return sp.Max(0, x)


@dataclass(frozen=True)
class DiscreteLaw:
    """A law on `k` atoms z_1..z_k ∈ ℝᵈ with P(Z = z_j) = p_j, symbolic in p and z.

    The last probability is 1 − (the others), so Σ p_j = 1 holds identically.
    Atoms live in L²(π) for a law π on `d` points with weights π_1..π_d (also symbolic,
    summing to 1): ⟨f, g⟩ = Σ π_x f_x g_x.
    """

    k: int
    d: int
    prefix: str = "z"

    @property
    def p(self) -> list[sp.Expr]:
        free = list(sp.symbols(f"p_1:{self.k}", nonnegative=True))
        return [*free, 1 - sum(free)]

    @property
    def pi(self) -> list[sp.Expr]:
        free = list(sp.symbols(f"pi_1:{self.d}", nonnegative=True))
        return [*free, 1 - sum(free)]

    @property
    def atoms(self) -> list[list[sp.Symbol]]:
        return [
            list(sp.symbols(f"{self.prefix}_{j}_1:{self.d + 1}", real=True))
            for j in range(1, self.k + 1)
        ]

    def inner(self, f: list[sp.Expr], g: list[sp.Expr]) -> sp.Expr:
        """⟨f, g⟩_{L²(π)} = Σ_x π_x f_x g_x."""
        return sum(w * a * b for w, a, b in zip(self.pi, f, g, strict=True))

    def mean(self) -> list[sp.Expr]:
        """E Z (a vector in ℝᵈ)."""
        return [sum(p * z[x] for p, z in zip(self.p, self.atoms, strict=True))
                for x in range(self.d)]

    def second_moment(self) -> sp.Expr:
        """E‖Z‖²."""
        return sum(p * self.inner(z, z) for p, z in zip(self.p, self.atoms, strict=True))

    def pair_moment(self) -> sp.Expr:
        """E⟨Z_1, Z_2⟩ for two independent copies, summed over the product law."""
        return sum(
            pj * pk * self.inner(zj, zk)
            for (pj, zj), (pk, zk) in itertools.product(zip(self.p, self.atoms, strict=True),
                                                         repeat=2)
        )

    def mean_error(self, q: sp.Expr) -> sp.Expr:
        """E‖Z̄ − E Z‖², Z̄ = (1/q) Σ_{j≤q} Z_j for q iid copies, q symbolic.

        By linearity E‖Σ_j Z_j‖² = q E‖Z‖² + q(q−1) E⟨Z_1, Z_2⟩ (the pairs j ≠ k are
        independent) and E⟨Z̄, EZ⟩ = ‖EZ‖².
        """
        mu = self.mean()
        mean_square = (q * self.second_moment() + q * (q - 1) * self.pair_moment()) / q**2
        # $E\|\bar Z - \mu\|^2 = E\|\bar Z\|^2 - 2\langle E\bar Z, \mu\rangle + \|\mu\|^2$
        return mean_square - 2 * self.inner(mu, mu) + self.inner(mu, mu)

    def mean_error_enumerated(self, q: int) -> sp.Expr:
        """E‖(1/q) Σ_j Z_j − E Z‖² by summing over all kᵠ index tuples of q iid draws."""
        mu = self.mean()
        total = sp.Integer(0)
        for draw in itertools.product(range(self.k), repeat=q):
            weight = sp.Mul(*(self.p[j] for j in draw))
            avg = [sum(self.atoms[j][x] for j in draw) / q - mu[x] for x in range(self.d)]
            total += weight * self.inner(avg, avg)
        return total


def cauchy_schwarz(k: int = 3) -> Z3Valid:
    """(E|Z|)² ≤ E Z² for a real law on `k` atoms with symbolic probabilities (z3)."""
    p = sp.symbols(f"p_1:{k + 1}", nonnegative=True)
    z = sp.symbols(f"z_1:{k + 1}", real=True)
    first = sum(pj * sp.Abs(zj) for pj, zj in zip(p, z, strict=True))
    second = sum(pj * zj**2 for pj, zj in zip(p, z, strict=True))
    return Z3Valid([sp.Eq(sum(p), 1)], sp.Le(first**2, second))


@dataclass(frozen=True)
class Exhaustive:
    """Every case of a finite claim holds: `check(case)` returns None or a failure message.

    `cases` is materialized when the method runs; the first failing case is the
    counterexample.
    """

    cases: Callable[[], list]
    check: Callable[[object], str | None]
    name: str = "exhaustive enumeration"

    def run(self) -> Outcome:
        cases = self.cases()
        for case in cases:
            message = self.check(case)
            if message is not None:
                return Outcome.failed(message, {"case": str(case)})
        return Outcome.passed(f"all {len(cases)} cases hold")
