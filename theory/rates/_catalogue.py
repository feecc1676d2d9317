"""Every ε(m) bound of the docs' statement pages and the dimension crossovers between them.

Main definitions: `RATES` (name → `Rate`), `Crossover`, `CROSSOVERS`.

Choices of l (the reference width):
- ll:thm-dimfree / ll:thm-fixed-level / ll:cube-certificate: l is a fixed parameter
  (the calculator's ``--ref-width``), the bound holds for m ≥ l + 1;
- ll:cor-moving-level: l = ⌊m/2⌋, so q = m − l = ⌈m/2⌉ and m/2 ≤ q ≤ (m+1)/2;
- covering, moving level: l balances ll:approx-rate's l^{−s} against the covering radius
  (l/m)^{1/(n−1)}, i.e. l = m^{1/(s(n−1)+1)}; at s = ½ this is m^{2/(n+1)}.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from theory.rates._rate import C, Needs, Rate, abar
from theory.statements.ll import CUBE_BOUND, PRUNING_BOUND, SAMPLING_GAP, SAMPLING_HOLDER_GAP
from theory.symbols import D_X, H, L, a, alpha, kappa, l, m, n, q

HALF = sp.Rational(1, 2)


def lipschitz_gap(q_value: sp.Expr) -> sp.Expr:
    """ll:thm-dimfree, Lipschitz term at sparsity q (ll:sampling's gap at ‖θ‖₁ = ā)."""
    # $L D_X (\bar\lambda - \underline R)/(\kappa\sqrt q) = L D_X \bar a/\sqrt q$
    return SAMPLING_GAP.subs({a: abar, q: q_value})


def holder_gap(q_value: sp.Expr) -> sp.Expr:
    """ll:thm-dimfree, Hölder term at sparsity q (ll:sampling's gap at ‖θ‖₁ = ā)."""
    # $\frac{H}{1+\alpha}(D_X \bar a/\sqrt q)^{1+\alpha}$, $\bar a = \bar\lambda/\kappa$
    return SAMPLING_HOLDER_GAP.subs({a: abar, q: q_value})


# $q = m - \lfloor m/2 \rfloor = \lceil m/2 \rceil \in [m/2, (m+1)/2]$
Q_MOVING = m - sp.floor(m / 2)


def cover_exponent(s: sp.Expr) -> sp.Expr:
    """e with l = m^e balancing ll:approx-rate's l^{−s} and the covering radius (l/m)^{1/(n−1)}.

    >>> import sympy as sp
    >>> from theory.rates import cover_exponent
    >>> from theory.symbols import n
    >>> e = cover_exponent(sp.Rational(1, 2))
    >>> e, e.subs(n, 3)  # 1/(s(n − 1) + 1)
    (1/(n/2 + 1/2), 1/2)
    """
    # $l^{-s} = (l/m)^{1/(n-1)} \iff l = m^{1/(s(n-1)+1)}$
    return 1 / (s * (n - 1) + 1)


# the balanced reference width at s = ½ (ll:approx-rate)
COVER_L = m ** cover_exponent(HALF)

_RATES = (
    Rate(
        name="dimfree", label="ll:thm-dimfree",
        title="dimension-free Lipschitz bound at fixed l, q = m − l",
        expr=lipschitz_gap(m - l), exponent=HALF, leading=L * D_X * abar,
        needs=Needs.LIPSCHITZ, min_width=l + 1,
    ),
    Rate(
        name="dimfree-holder", label="ll:thm-dimfree",
        title="dimension-free Hölder bound at fixed l, q = m − l",
        expr=holder_gap(m - l), exponent=(1 + alpha) / 2,
        leading=H / (1 + alpha) * (D_X * abar) ** (1 + alpha),
        needs=Needs.HOLDER, min_width=l + 1,
    ),
    Rate(
        name="moving-level", label="ll:cor-moving-level",
        title="ll:thm-dimfree with l = ⌊m/2⌋ (Lipschitz)",
        expr=lipschitz_gap(Q_MOVING), exponent=HALF, leading=sp.sqrt(2) * L * D_X * abar,
        needs=Needs.LIPSCHITZ, min_width=sp.Integer(2),
        envelope=(lipschitz_gap((m + 1) / 2), lipschitz_gap(m / 2)), reference="⌊m/2⌋",
    ),
    Rate(
        name="moving-level-holder", label="ll:cor-moving-level",
        title="ll:thm-dimfree with l = ⌊m/2⌋ (Hölder)",
        expr=holder_gap(Q_MOVING), exponent=(1 + alpha) / 2,
        leading=H / (1 + alpha) * (sp.sqrt(2) * D_X * abar) ** (1 + alpha),
        needs=Needs.HOLDER, min_width=sp.Integer(2),
        envelope=(holder_gap((m + 1) / 2), holder_gap(m / 2)), reference="⌊m/2⌋",
    ),
    Rate(
        name="fixed-level", label="ll:thm-fixed-level",
        title="pruning l of m units (ll:pruning) at fixed l",
        # $(L D_X - \kappa)_+ \,(l/m)\, \bar a$
        expr=PRUNING_BOUND.subs(a, abar), exponent=sp.Integer(1),
        leading=sp.Max(0, L * D_X - kappa) * l * abar,
        needs=Needs.LIPSCHITZ, min_width=l + 1, nondegenerate=(L * D_X > kappa,),
    ),
    Rate(
        name="cube", label="ll:cube-certificate",
        title="deterministic cell merge of l + 1 units (dimension-dependent)",
        # $4\sqrt n\, L D_X \bar a\, ((l+1)/m)^{1/n}$
        expr=CUBE_BOUND.subs(a, abar), exponent=1 / n,
        leading=4 * sp.sqrt(n) * L * D_X * abar * (l + 1) ** (1 / n),
        needs=Needs.LIPSCHITZ, min_width=l + 1,
    ),
    Rate(
        name="fb-cor-2.5", label="fb:cor-2.5",
        title="[FB17] later versions' stated O(m^{−1/n}) (no constant; fb:cor-2.5 flags that "
        "it does not follow from the proof)",
        expr=C * m ** (-1 / n), exponent=1 / n, leading=C,
        needs=Needs.SOURCE, explicit=False, reference="",
    ),
    Rate(
        name="covering-fixed", label="ll:thm-fixed-level",
        title="covering of S^{n−1} by m/l cells at fixed l (no constant stated)",
        expr=C * (l / m) ** (1 / (n - 1)), exponent=1 / (n - 1), leading=C * l ** (1 / (n - 1)),
        needs=Needs.LIPSCHITZ, domain=(n >= 2,), explicit=False,
    ),
    Rate(
        name="covering-moving", label="ll:cor-moving-level",
        title="covering balanced against e(l) − e_∞ ≤ C l^{−1/2} (no constant stated)",
        expr=C * (COVER_L ** -HALF + (COVER_L / m) ** (1 / (n - 1))),
        exponent=1 / (n + 1), leading=2 * C,
        needs=Needs.LIPSCHITZ, domain=(n >= 2,), explicit=False, reference="m^(2/(n+1))",
    ),
)

RATES: dict[str, Rate] = {rate.name: rate for rate in _RATES}


@dataclass(frozen=True)
class Crossover:
    """Exponent comparison: p(`faster`) > p(`slower`) ⟺ `condition`, given `domain`.

    The exponents tie at n = `point`; for n beyond it `faster` is the tighter bound
    for all large m (constants aside).

    >>> from theory.rates import CROSSOVERS
    >>> CROSSOVERS[0]  # m^{−1/2} beats m^{−1/n} once n > 2
    Crossover(faster='dimfree', slower='cube', condition=n > 2, point=2, domain=())
    """

    faster: str
    slower: str
    condition: sp.Basic
    point: sp.Expr
    domain: tuple[sp.Basic, ...]


CROSSOVERS = (
    # $1/2 > 1/n \iff n > 2$
    Crossover("dimfree", "cube", n > 2, sp.Integer(2), ()),
    Crossover("moving-level", "fb-cor-2.5", n > 2, sp.Integer(2), ()),
    # $1/2 > 1/(n+1) \iff n > 1$
    Crossover("moving-level", "covering-moving", n > 1, sp.Integer(1), (n >= 2,)),
    # $(1+\alpha)/2 > 1/n \iff n > 2/(1+\alpha)$, a point in [1, 2)
    Crossover("dimfree-holder", "cube", n > 2 / (1 + alpha), 2 / (1 + alpha), ()),
    # $1 > 1/n \iff n > 1$ and $1 > 1/(n-1) \iff n > 2$
    Crossover("fixed-level", "cube", n > 1, sp.Integer(1), ()),
    Crossover("fixed-level", "covering-fixed", n > 2, sp.Integer(2), (n >= 2,)),
)
