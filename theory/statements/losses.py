"""One definition per catalogue loss: its declared properties as a sympy conclusion.

Main statements: `loss:<name>` for every loss of `theory.losses.CATALOGUE`.
Notation: ℒ(y, u), L the Lipschitz constant, (α, H) the Hölder pair of ℒ'.
"""

from __future__ import annotations

import sympy as sp

from theory._statement import Kind, Source, Statement
from theory.losses import CATALOGUE, Loss
from theory.symbols import Convex, HolderDerivative, LipschitzIn, Nonnegative, u, y


def loss_statement(loss: Loss) -> Statement:
    """The definition `loss:<name>` of a catalogue loss: its declared properties."""
    f = loss.expr
    facts = [Convex(f, u) if loss.convex else sp.Not(Convex(f, u))]
    if loss.lipschitz is not None:
        facts.append(LipschitzIn(f, u, loss.lipschitz))
    if loss.holder is not None:
        facts.append(HolderDerivative(f, u, *loss.holder))
    if loss.nonnegative:
        facts.append(Nonnegative(f))
    hyps = () if loss.labels is None else (sp.Or(*(sp.Eq(y, v) for v in loss.labels)),)
    return Statement(
        label=loss.label,
        title=f"loss {loss.name}: {loss.description}",
        kind=Kind.DEFINITION,
        source=Source.PROJECT,
        hypotheses=hyps,
        conclusion=sp.And(*facts),
        text=f"ℒ(y, u) = {f}",
    )


STATEMENTS = tuple(loss_statement(loss) for loss in CATALOGUE.values())
