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
# # A permutation barrier and one buffer unit (`fb:counterexample`, `new:buffer-permutation`)
#
# Statements: {ref}`fb:counterexample <fb:counterexample>`, {ref}`new:buffer-permutation
# <new:buffer-permutation>`. [FB17] §2.3.1 shows that half-rectified networks without spare units
# can have disconnected sublevel sets: a teacher and the same teacher with its two hidden units
# swapped both fit the data exactly, yet every path between them passes through networks whose
# risk is large. The project statement `new:buffer-permutation` adds the other side: with **one**
# extra zero-coefficient unit, `ll:buffer-transfer` connects the two at exactly zero barrier.
#
# Code: `theory.statements.fb.COUNTEREXAMPLE` (the instance),
# `numerics.buffer_permutation_path`, `numerics.dss_batched`. Checks:
# `proofs_check/steps/fb_counterexample.py`, `proofs_check/steps/new.py`. Tests:
# `tests/test_fb_statements.py`, `tests/test_new_statements.py`,
# `tests/test_constructive.py`.

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
import torch
from _literate import along, checks_table, lemma_tests, statement_card, tests_table

from numerics import (
    Problem,
    ReluNet,
    buffer_permutation_path,
    dss_batched,
    permute_units,
    segment_values,
)
from proofs_check import run_checks
from proofs_check.steps.fb_counterexample import phi, rank_one_risk_floor_expr
from proofs_check.steps.new import buffer_schedule
from theory.losses import CATALOGUE
from theory.statements.fb import COUNTEREXAMPLE as CX

torch.set_num_threads(1)  # tiny tensors: threads cost more than they save
statement_card("fb:counterexample")

# %% [markdown]
# ## The instance
#
# Inputs $X = \{\pm e_1, \pm e_2, \pm(e_1 - e_2)\} \subset \mathbb R^2$ (closed under
# $x \mapsto -x$), teacher $W^* = I$, $\theta^* = (2, 3)$, targets
# $y = \Phi(x; W^*, \theta^*) = \sum_i \theta^*_i \rho(w_i^{*\top} x)$, squared loss and
# (in the source) $\kappa = 0$:
#
# $$R(W, \theta) = \frac1N \sum_{k} \big(y_k - \Phi(x_k; W, \theta)\big)^2, \qquad
#   R(W^*, \theta^*) = R(PW^*, P\theta^*) = 0, \quad P = \begin{pmatrix}0&1\\1&0\end{pmatrix}.$$
#
# The model class needs $\kappa > 0$; $\kappa = 10^{-6}$ shifts $F$ by $\kappa\|\theta\|_1 =
# 5\cdot 10^{-6}$ at both ends and changes nothing below.


# %%
def tensor(M: sp.Matrix) -> torch.Tensor:
    return torch.tensor([[float(e) for e in row] for row in M.tolist()], dtype=torch.float64)


X = tensor(CX.X)
net2 = ReluNet(n=2, m=2, kappa=1e-6)
teacher = net2.join(tensor(CX.W), tensor(CX.theta).ravel())
swap = permute_units(net2, teacher, [1, 0])
Y = net2.predict(teacher[None], X)[0]
problem2 = Problem(net2, X, Y, CATALOGUE["mse"])
print("F(teacher), F(swap) =", problem2.F(torch.stack([teacher, swap])).tolist())
print("swap equals (PW*, Pθ*):",
      torch.equal(swap, net2.join(tensor(CX.W_perm), tensor(CX.theta_perm).ravel())))

# %% [markdown]
# ## Why every path at width 2 is blocked
#
# $\det W^* = 1$ and $\det PW^* = -1$, so on any continuous path $\det W$ vanishes
# somewhere: the path passes a rank-one $W$, whose rows are multiples of one direction
# $v = (\cos\varphi, \sin\varphi)$. Every such network is $a\rho(v^\top x) + b\rho(-v^\top x)$,
# and least squares over $(a, b)$ gives a closed form $R_{\min}(\varphi)$ (obligations
# `step_3` – `step_5`). The interval check `step_6_rank_one_risk_floor` certifies
#
# $$\min_{\varphi \in [0, \pi]} R_{\min}(\varphi) \ \ge\ \tfrac12 ,$$
#
# so every path has barrier at least $\tfrac12$. The curve:

# %%
R_min = sp.lambdify(phi, rank_one_risk_floor_expr(), "numpy")
angles = np.linspace(0, np.pi, 721)
floor = R_min(angles)
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(angles, floor, label=r"$R_{\min}(\varphi)$ over rank-one $W$")
ax.axhline(float(CX.risk_floor), color="k", ls="--", lw=0.8, label="certified floor ½")
ax.set_xlabel(r"direction $\varphi$")
ax.set_title("Smallest risk over rank-one W, by direction φ")
ax.legend(fontsize=8)
fig.tight_layout()
print(f"smallest value on the grid: {floor.min():.4f}")

# %% [markdown]
# Numerically: the straight segment from the teacher to its swap, and the string that DSS
# builds at the level $\lambda = \max\{F(\text{teacher}), F(\text{swap})\}$. DSS cannot
# connect them; its certified path maximum stays above the floor.

# %%
level = float(problem2.F(teacher[None]).max())
(string,) = dss_batched(problem2, teacher[None], swap[None], torch.tensor([level]),
                        max_depth=4, grid=20, train_kwargs={"steps": 300, "lr": 0.05})
print(f"DSS at width 2: connected = {string.connected}, beads = {string.beads}, certified "
      f"barrier = {string.barrier:.4f} (≥ ½: {string.barrier >= 0.5})")

# %% [markdown]
# ## One buffer unit: zero barrier (`new:buffer-permutation`)
#
# Pad both networks with a third unit $(w_3, \theta_3) = (0, 0)$. A coefficient moves from
# unit $u$ to the buffer in two `constant` steps: copy the row, $w_3 \leftarrow w_u$
# (free, since $\theta_3 = 0$: `ll:free-row`), then transfer
#
# $$(\theta_u, \theta_3) = (a, 0) \mapsto \big((1-t)a,\ ta\big), \qquad
#   \Phi \text{ unchanged}, \quad |(1-t)a| + |ta| = |a| .$$
#
# A permutation $\sigma$ of $m$ units takes $m - \operatorname{fix}(\sigma) +
# \operatorname{cyc}(\sigma)$ transfers; the swap takes 3. `buffer_schedule` is the
# symbolic schedule the checks verify, `buffer_permutation_path` the numeric path:

# %%
print("schedule for σ = (1 0):", buffer_schedule([1, 0]))
net3, path = buffer_permutation_path(net2, teacher, [1, 0])
problem3 = Problem(net3, X, Y, CATALOGUE["mse"])
F3 = segment_values(problem3, path.vertices[:-1], path.vertices[1:],
                    torch.linspace(0, 1, 51, dtype=torch.float64))
print(f"width 3: {path.n_segments} segments {[str(k) for k in path.kinds]}")
print(f"F along the whole path: min {float(F3.min()):.3e}, max {float(F3.max()):.3e}"
      f" (the penalty κ‖θ‖₁ = {5 * net2.kappa:.0e}): barrier "
      f"{float(F3.max()) - level:.1e}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
t = torch.linspace(0, 1, 201, dtype=torch.float64)
ax.plot(t, segment_values(problem2, teacher[None], swap[None], t)[0],
        label="width 2, straight segment")
x, F, at_vertex = along(problem2, string.path)
ax.plot(x, F, color="C1", label="width 2, DSS string")
ax.plot(at_vertex, string.F_beads, "o", color="C1", ms=4)
x, F, _ = along(problem3, path)
ax.plot(x, F, color="C2", label="width 3, buffer path")
ax.axhline(0.5, color="k", ls="--", lw=0.8, label="floor ½")
ax.set_xlabel("position along the path (arc length / total)")
ax.set_title("F along the buffer path at width m + 1")
ax.set_ylabel("$F$")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## The checked steps and the tests

# %%
statement_card("new:buffer-permutation")

# %%
LABELS = ["fb:counterexample", "new:buffer-permutation"]
checks_table(run_checks(LABELS))

# %%
tests_table(LABELS, lemma_tests())
