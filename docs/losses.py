# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The loss catalogue (`loss:*`)
#
# Notation: {doc}`notation`; one section per loss: {doc}`statements_loss`. Every theorem of the
# `ll:` chain needs a loss $\mathcal L(y, u)$ that is convex in the prediction $u$, and either
# $L$-Lipschitz (`ll:assumption`) or nonnegative with an $(\alpha, H)$-Hölder derivative
# (`ll:assumption-holder`). Each loss of `theory.losses.CATALOGUE` carries a sympy form, a torch
# form and *declared* properties; each declared property is a statement `loss:<name>` whose checks
# live in `proofs_check/steps/losses.py` and whose tests are in `tests/test_losses.py`.
#
# Two losses are negative controls (ramp, sigmoid): they are not convex, and the checks
# must *refute* their convexity with a counterexample.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
from _literate import Markdown, cell_math, checks_table, lemma_tests, tests_table

from proofs_check import run_checks
from theory.losses import CATALOGUE
from theory.symbols import u, y

LABELS = [loss.label for loss in CATALOGUE.values()]


def yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


rows = ["| loss | $\\mathcal L(y, u)$ | labels | convex | $L$ | Hölder $(\\alpha, H)$ of "
        "$\\mathcal L'$ | $\\ge 0$ |", "|---|---|---|---|---|---|---|"]
for loss in CATALOGUE.values():
    rows.append(
        f"| `{loss.name}` | {cell_math(loss.expr)} | {loss.labels or 'real'} | "
        f"{yes(loss.convex)} | {loss.lipschitz if loss.lipschitz is not None else '—'} | "
        f"{loss.holder if loss.holder is not None else '—'} | {yes(loss.nonnegative)} |")
Markdown("\n".join(rows))

# %% [markdown]
# ## The declared properties and how each is checked
#
# Convexity is the chord inequality, for $t \in [0, 1]$ and every label value $y$:
#
# $$\mathcal L\big(y, t u_1 + (1-t) u_2\big)
#   \le t\,\mathcal L(y, u_1) + (1-t)\,\mathcal L(y, u_2),$$
#
# decided by z3 for the piecewise losses and by the sign of $\partial_u^2 \mathcal L$ for the
# smooth ones. The Lipschitz constant and the Hölder constant of the derivative are
#
# $$|\mathcal L(y, u_1) - \mathcal L(y, u_2)| \le L\,|u_1 - u_2|, \qquad
#   |\mathcal L'(y, u_1) - \mathcal L'(y, u_2)| \le H\,|u_1 - u_2|^{\alpha},$$
#
# and for the exponential family the substitution $E = e^u > 0$ turns
# $\sup_u |\mathcal L'| \le L$ into a rational inequality on $E > 0$ that z3 decides on the
# whole real line. Every obligation of every `loss:*` statement runs below.

# %%
results = run_checks(LABELS)
checks_table(results)

# %% [markdown]
# ## The torch form implements the sympy form
#
# Training and paths use `Loss.__call__` (torch); the checks use `Loss.expr` (sympy). They
# must be one function: for every label value $y$ and a grid of predictions $u$,
#
# $$\max_{u} \big|\mathcal L_{\text{torch}}(y, u) - \mathcal L_{\text{sympy}}(y, u)\big|
#   \approx 0 \quad\text{(float64)}.$$

# %%
u_grid = np.linspace(-30, 30, 2001)
worst = {}
for loss in CATALOGUE.values():
    f = sp.lambdify((y, u), loss.expr, "numpy")
    for label in loss.labels or (-1.5, 0.0, 2.0):
        exact = np.broadcast_to(f(label, u_grid), u_grid.shape)
        ours = loss(torch.full((u_grid.size,), float(label), dtype=torch.float64),
                     torch.from_numpy(u_grid)).numpy()
        worst[loss.name] = max(worst.get(loss.name, 0.0), float(np.abs(ours - exact).max()))
print({name: f"{err:.1e}" for name, err in worst.items()})

# %% [markdown]
# ## The negative controls
#
# The ramp loss $\min(1, \max(0, 1 - yu))$ and the sigmoid loss $1/(1 + e^{yu})$ are not
# convex. Their `convex` obligations are *expected refutations*: they pass only by finding
# a point where the chord inequality fails. The counterexamples found in this build, and
# the chord gap $\mathcal L(y, t u_1 + (1-t)u_2) - t\mathcal L(y, u_1) - (1-t)\mathcal L(y, u_2)$
# at them (positive means the inequality fails), evaluated in float64:

# %%
for r in results:
    if r.step == "convex" and str(r.status) == "refuted":
        loss = CATALOGUE[r.label.removeprefix("loss:")]
        cx = {k: float(sp.Rational(v)) for k, v in r.counterexample.items()}
        t = cx.get("t", 0.5)
        f = sp.lambdify((y, u), loss.expr, "math")
        gap = (f(cx["y"], t * cx["u1"] + (1 - t) * cx["u2"])
               - t * f(cx["y"], cx["u1"]) - (1 - t) * f(cx["y"], cx["u2"]))
        print(f"{loss.name:8s} counterexample {r.counterexample}: chord gap = {gap:+.6f}")

# %% [markdown]
# The same fact seen on a plot: at $y = 1$ the convex losses lie above their chords, the
# negative controls do not.

# %%
fig, ax = plt.subplots(figsize=(8, 4))
grid = np.linspace(-3, 3, 601)
for loss in CATALOGUE.values():
    label = 1 if loss.labels else 0
    values = loss(torch.full((grid.size,), float(label), dtype=torch.float64),
                  torch.from_numpy(grid)).numpy()
    ax.plot(grid, values, ls="--" if loss.negative_control else "-", label=loss.name)
ax.set_ylim(-0.1, 3)
ax.set_xlabel("prediction $u$ (label $y = 1$, or $y = 0$ for real targets)")
ax.set_title("The catalogue's losses")
ax.set_ylabel(r"$\mathcal{L}(y, u)$")
ax.legend(ncol=3, fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## Tests marked `lemma("loss:…")`
#
# `tests/test_losses.py` parametrizes over the catalogue, so each loss gets the same
# tests: torch and sympy forms agree (Hypothesis, float64), every declared property has an
# obligation that passes (or is refuted, for a negative control), and each negative
# control's counterexample is a real violation.

# %%
tests_table(LABELS, lemma_tests())
