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
# # Certified lower bounds: proving a level set disconnected (`new:crossing-barrier`)
#
# Statement: {ref}`new:crossing-barrier <new:crossing-barrier>`, used on the example of
# {ref}`fb:counterexample <fb:counterexample>` ({doc}`its page <fb_counterexample>`). Every
# other certified number of the project is an *upper* bound of a barrier: a path whose
# maximum of $F$ is enclosed. An upper bound shows a barrier is small; it can never show one
# is large. This page bounds a barrier from **below**, for every path at once, so that
# $\text{barrier} \in [\text{lower}, \text{upper}]$ with both ends certified.
#
# Code: `theory.crossing` (`crossing_infimum`, `barrier_lower_bound`, `best_point`,
# `objective`), torch-free, in python-flint's `arb` ball arithmetic. Checks:
# `proofs_check/steps/crossing.py`. Tests: `tests/test_lower_bound.py`. Experiment: E4
# (`experiments/reproduce/e4_topology.py`) reports the lower bound beside the upper one.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
from _literate import checks_table, lemma_tests, statement_card, tests_table

from proofs_check import run_checks
from theory.crossing import (
    CrossingArgumentError,
    barrier_lower_bound,
    best_point,
    crossing_infimum,
    objective,
)
from theory.statements.crossing import E4_INSTANCE as I

statement_card("new:crossing-barrier")

# %% [markdown]
# ## The argument
#
# The model is the width-2 ReLU net on inputs in $\mathbb R^2$ without bias,
# $\Phi(x) = \theta_1\rho(w_1^\top x) + \theta_2\rho(w_2^\top x)$, rows $\|w_i\| \le 1$,
# and $F = \frac1N\sum_k c\,(y_k - \Phi(x_k))^2 + \kappa\|\theta\|_1$ ($c = \tfrac12$ for the
# half-squared loss of E4). Its first layer $W$ is a square $2\times 2$ matrix.
#
# 1. **Crossing.** $t \mapsto \det W(\gamma(t))$ is continuous along a path $\gamma$. If
#    $\det W_A \cdot \det W_B < 0$ it vanishes somewhere, so every path from $A$ to $B$
#    meets the crossing set $\mathcal C = \{\det W = 0\}$ and
#    $$\max_t F(\gamma(t)) \ \ge\ \inf_{\mathcal C} F, \qquad
#      \text{barrier}(A, B) \ \ge\ \inf_{\mathcal C} F - \max(F(A), F(B)).$$
# 2. **Ridge.** On $\mathcal C$ the rows are $w_i = c_i v$, $v = (\cos\varphi, \sin\varphi)$,
#    $|c_i| \le 1$, and $\Phi = a\rho(v^\top x) + b\rho(-v^\top x)$ with
#    $|a| + |b| \le \|\theta\|_1$: $F \ge R(\varphi, a, b) + \kappa(|a| + |b|)$, with equality
#    at $W = (v, -v)$, $\theta = (a, b)$.
# 3. **Split.** One of $\rho(s), \rho(-s)$ is zero, so the loss separates:
#    $L(y, a\rho(s) + b\rho(-s)) = L(y, a\rho(s)) + L(y, b\rho(-s)) - L(y, 0)$.
# 4. **Closed form.** Each part is $C - Ba + Aa^2 + \kappa|a|$, with minimum
#    $C - (|B| - \kappa)_+^2 / (4A)$ over $a \in \mathbb R$ (soft threshold). So
#    $m(\varphi) = \min_{a,b}$ of the bound is a function of the direction alone, with
#    $m(\varphi + \pi) = m(\varphi)$.
# 5. **Branch and bound.** $m$ is enclosed in `arb` on $\varphi$-intervals covering
#    $[0, \pi]$, best first: split the interval with the lowest lower end until that end is
#    within `tol` of the best value $m$ takes at a point. The lowest lower end is a
#    certified $\inf_{\mathcal C} F \ge \text{lower}$, rounding included; the best point
#    value is attained on $\mathcal C$, so it bounds the infimum from above.
#
# Compactness (`ll:l1-control`: $F \le \lambda \Rightarrow \|\theta\|_1 \le \lambda/\kappa$)
# makes $\mathcal C \cap \{F \le \lambda\}$ compact, so the infimum is a minimum; the closed
# form minimizes over all of $\mathbb R^2$, so the bound needs no box in $(a, b)$.
# The E4 instance ($X = \{\pm e_1, \pm e_2, \pm(e_1 - e_2)\}$, teacher $W^* = I$,
# $\theta^* = (2, 3)$, $\kappa = 10^{-3}$):

# %%
X = [[float(v) for v in I.X.row(k)] for k in range(I.X.rows)]
Y = [float(sum(t * max(0, (I.W.row(i) * I.X.row(k).T)[0]) for i, t in enumerate(I.theta)))
     for k in range(I.X.rows)]
kappa = 1e-3
bound = crossing_infimum(X, Y, kappa, tol=1e-6)
print(f"inf F over det W = 0 ∈ [{bound.lower:.7f}, {bound.upper:.7f}] "
      f"({bound.boxes} φ-intervals, closed: {bound.closed}); attained near φ = {bound.phi:.5f}")

# %% [markdown]
# ## The picture: F on the crossing set, and the boxes
#
# Left: $F$ on $\mathcal C$ over the direction $\varphi$ and the coefficient $a$ of
# $\rho(v^\top x)$ ($b$ at its best value), evaluated at points. Right: the profile
# $m(\varphi)$ and the leaves of a coarse branch-and-bound run (`tol = 0.01`): each leaf is
# a $\varphi$-interval drawn at its certified lower end. The leaves are wide where $m$ is
# far above the minimum and crowd where it is close; none reaches below the certified
# lower bound.

# %%
def F_at(phi: float, a: float | None = None) -> float:
    """F at the crossing point w = (v, −v) with the best (a, b) at φ, or a given a."""
    W, theta = best_point(phi, X, Y, kappa)
    if a is not None:
        theta = [a, theta[1]]
    return float(objective(W, theta, X, Y, kappa, "half_squared").mid())


phis = np.linspace(0, math.pi, 121)
coefficients = np.linspace(-1, 6, 71)
grid = np.array([[F_at(p, a) for p in phis] for a in coefficients])
coarse = crossing_infimum(X, Y, kappa, tol=1e-2)

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
image = left.pcolormesh(phis, coefficients, np.minimum(grid, 2.0), shading="auto",
                        cmap="viridis")
fig.colorbar(image, ax=left, label="F (capped at 2)")
left.plot([bound.phi], [best_point(bound.phi, X, Y, kappa)[1][0]], "r*", ms=10,
          label="best crossing point")
left.set_xlabel(r"direction $\varphi$")
left.set_ylabel(r"$a$")
left.set_title(r"$F$ on $\det W = 0$ ($b$ at its best)")
left.legend(fontsize=8, loc="upper right")

right.plot(phis, [F_at(p) for p in phis], color="C0", label=r"$m(\varphi)$ at points")
for lo, hi, low in coarse.intervals:
    right.plot([lo, hi], [max(low, -0.5)] * 2, color="C3", lw=1.5)
right.plot([], [], color="C3", label=f"{len(coarse.intervals)} leaves at their lower ends")
right.axhline(bound.lower, color="k", ls="--", lw=0.8,
              label=f"certified lower bound {bound.lower:.4f}")
right.set_ylim(-0.5, 2.5)
right.set_xlabel(r"direction $\varphi$")
right.set_title("branch-and-bound over the direction")
right.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## The barrier, two-sided
#
# The teacher and its unit swap have $\det W^* = 1$, $\det PW^* = -1$: the crossing
# argument applies. Their level is $F = \kappa\|\theta^*\|_1 = 0.005$ (risk 0). The upper
# end is E4's: the certified maximum of $F$ along the string that DSS builds (quick scale).

# %%
# imported here, after the figure: the experiments' report module selects matplotlib's
# file backend (Agg), under which a notebook shows no figures
from experiments.configs import preset  # noqa: E402
from experiments.reproduce.e4_topology import relu_narrow  # noqa: E402

record = relu_narrow(preset("topology-contrast", "quick"), seed=0, device="cpu")[0]
print(f"barrier ∈ [{record['lower_barrier']:.4f}, {record['certified_barrier']:.4f}]  "
      f"(level {record['certified_level']:.4g})")
risk, penalty = record["crossing_risk"], record["crossing_penalty"]
print(f"at the best crossing point: risk {risk:.5f} + penalty {penalty:.5f} = "
      f"{risk + penalty:.5f}")

# %% [markdown]
# **How risk, penalty and level combine.** [FB17] claim that the risk is at least
# $\tfrac12$ on the rank-one set, for their squared loss with $\kappa = 0$ (the certified
# step of `fb:counterexample` bounds that floor; the exact minimum is $\approx 0.699$). E4
# uses the half-squared loss, which halves the risk: $\approx 0.3496$ on $\mathcal C$. At the
# best crossing point the penalty adds $\kappa(|a| + |b|) \approx 0.0047$, and the level
# $\kappa\|\theta^*\|_1 = 0.005$ is subtracted, so
# $\text{barrier} \ge 0.3543 - 0.005 \approx 0.349$. The two ends do not meet: the upper end
# 0.449 is slack in DSS's path, or the lowest path does not reach its top at $\det W = 0$,
# or both. Where they meet, the barrier is known exactly.
#
# With κ = 0 and the squared loss (`mse`), the same bound recovers [FB17]'s set itself:

# %%
mse = crossing_infimum(X, Y, 0.0, loss="mse", tol=1e-6)
print(f"squared loss, κ = 0: risk on rank ≤ 1 ∈ [{mse.lower:.6f}, {mse.upper:.6f}] ≥ ½")

# %% [markdown]
# ## Where the argument does not apply
#
# The argument needs $W$ square (two units on inputs in $\mathbb R^2$), no bias, and a
# sign change of $\det W$; otherwise `barrier_lower_bound` refuses, naming the reason,
# rather than report a bound. Three units (the buffer width of `new:buffer-permutation`),
# a bias, and two endpoints with the same sign of $\det W$:

# %%
teacher, swap = [[1.0, 0.0], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]
for name, change in [("width 3", {"W_A": [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]}),
                     ("a bias", {"bias_A": [0.0, 0.0]}),
                     ("same sign", {"W_B": teacher})]:
    args = {"W_A": teacher, "theta_A": [2.0, 3.0], "W_B": swap, "theta_B": [3.0, 2.0],
            "X": X, "Y": Y, "kappa": kappa, **change}
    try:
        barrier_lower_bound(**args)
    except CrossingArgumentError as err:
        print(f"{name}: {err}")

# %% [markdown]
# ## The checked steps and the tests

# %%
checks_table(run_checks(["new:crossing-barrier"]))

# %%
tests_table(["new:crossing-barrier"], lemma_tests())
