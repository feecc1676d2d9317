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
# # The constructive path (`ll:zero-radius`)
#
# Notation: {doc}`notation` (paths and certificates). The proof of `ll:thm-dimfree` is
# constructive: it builds a path between two networks $A, B$ at level $\lambda = \max\{F(A),
# F(B)\}$ out of moves whose effect on $F$ is known exactly, so the path's maximum is the maximum
# over its vertices. This page builds one such path on Moons at tiny sizes and puts $F$ along it
# next to the string that Dynamic String Sampling ([FB17] Algorithm 1, see {doc}`notation`) finds
# between the same endpoints.
#
# Code: `numerics.constructive_paths`, `numerics.dss_batched`,
# `numerics.path_max`. Checks: `proofs_check/steps/ll_paths.py`. Tests:
# `tests/test_constructive.py`.

# %%
import matplotlib.pyplot as plt
import torch
from _literate import along, checks_table, lemma_tests, statement_card, tests_table

from numerics import (
    Problem,
    ReluNet,
    constructive_paths,
    dss_batched,
    moons,
    train,
    train_reference,
)
from proofs_check import run_checks
from theory.losses import CATALOGUE

torch.set_num_threads(1)  # tiny tensors: threads cost more than they save
statement_card("ll:zero-radius")

# %% [markdown]
# ## The moves
#
# Each segment of the path is one of three moves, each an exact statement about $F$:
#
# - `ll:convex-output`: at fixed $W$, $\theta \mapsto F(W, \theta)$ is convex, so on the
#   segment $\theta_0 \to \theta_1$
#   $$\max_{t\in[0,1]} F\big(W, (1-t)\theta_0 + t\theta_1\big)
#     = \max\{F(W,\theta_0), F(W,\theta_1)\};$$
# - `ll:free-row`: a row $w_i$ with $\theta_i = 0$ moves anywhere in the ball at constant
#   $\Phi$ and $F$;
# - `ll:buffer-transfer`: with the buffer row equal to row $u$, $(\theta_u, 0) \mapsto
#   ((1-t)\theta_u, t\theta_u)$ keeps $\Phi$ and $|(1-t)\theta_u| + |t\theta_u| = |\theta_u|$.
#
# The path is $A \to \hat A \to$ reference $\to \hat B \to B$: sparsify $\theta_A$ to
# $q = m - l$ active units (`ll:sampling`, best of several draws, then a refit at fixed
# $W$, both convex segments), move $l$ free rows onto a width-$l$ reference $(W^*,
# \theta^*)$ with $F = \hat e(l) \ge e(l)$, shift $\theta$ onto it, move units into $B$'s
# slots by transfers, and mirror the same stages from $B$. Hence
#
# $$\max_{\gamma} F = \max\{F(A), F(\hat A), \hat e(l), F(\hat B), F(B)\}
#   \le \max\{\lambda + \varepsilon, \hat e(l)\}, \qquad
#   \varepsilon = (\max\{F(\hat A), F(\hat B)\} - \lambda)_+ .$$

# %%
data = moons(n_samples=200, noise=0.2, seed=0)
loss = CATALOGUE["bce_logit"]
m, l = 8, 4
model = ReluNet(data.n, m, kappa=1e-2)
problem = Problem.of(model, data, loss, dtype=torch.float64)
gen = torch.Generator().manual_seed(0)
ends = train(problem, model.init(2, gen, dtype=torch.float64), steps=400, lr=0.02).p
A, B = ends[:1], ends[1:]
reference = train_reference(problem, l, starts=8, steps=1500, generator=gen)
(cp,) = constructive_paths(problem, A, B, l=l, method="sampling", draws=32, refit_steps=200,
                           reference=reference, generator=gen)
print(f"λ = max(F(A), F(B)) = {cp.level:.5f}   ê(l={l}) = {cp.e_hat:.5f}")
print(f"F(Â) = {cp.F_A_hat:.5f}, F(B̂) = {cp.F_B_hat:.5f}, realized ε = {cp.epsilon:.5f}")
print(f"segments: {[str(k) for k in cp.path.kinds]}  (exact: {cp.exact})")
print(f"path max = {cp.max_F:.5f} ≤ max(λ + ε, ê) = {cp.realized_bound:.5f};"
      f" barrier = {cp.barrier:.5f}")
print(f"theorem's ε from sampling_bound: {cp.epsilon_thm:.3f} (a = {cp.a:.2f}, q = {cp.q})")

# %% [markdown]
# ## Dynamic String Sampling between the same endpoints
#
# DSS splits the straight segment at the argmax of $F$, trains a bead from there down to
# $L_0 = \lambda$, and recurses on every segment whose maximum exceeds $L_0$. Its segments
# are `general` (everything moves), so their maxima are certified on an adaptive grid:
#
# $$\max_{t} F(\gamma(t)) \le \max_j F(\gamma(t_j)) + \mathrm{Lip}\cdot h/2 ,$$
#
# with $\mathrm{Lip}$ the explicit Lipschitz constant of $t \mapsto F$ along the segment
# (`numerics.segment_lipschitz`) and $h$ the grid spacing.

# %%
(string,) = dss_batched(problem, A, B, torch.tensor([cp.level]), max_depth=4, grid=10,
                        train_kwargs={"steps": 200, "lr": 0.02})
print(f"DSS: {string.beads} beads, connected = {string.connected}, certified max = "
      f"{string.certificate.certified_max:.5f}, certified barrier = {string.barrier:.5f}")
print(f"normalized lengths: constructive {cp.path.normalized_length():.2f}, "
      f"DSS {string.normalized_length:.2f}")

# %% [markdown]
# ## F along both paths
#
# Position along a path is its arc length in parameter space, divided by the total; the
# dots are vertices. On the constructive path every segment is `convex` or `constant`,
# so the curve never rises above its vertices; DSS's `general` segments may.


# %%
fig, ax = plt.subplots(figsize=(8, 4))
for name, path, F_v, style in (("constructive (ll:zero-radius)", cp.path, cp.F, "C0"),
                               ("DSS string", string.path, string.F_beads, "C3")):
    x, F, at_vertex = along(problem, path)
    ax.plot(x, F, color=style, label=name)
    ax.plot(at_vertex, F_v, "o", color=style, ms=4)
ax.axhline(cp.level, color="k", ls="--", lw=0.8, label=r"level $\lambda$")
ax.axhline(cp.e_hat, color="0.5", ls=":", lw=0.8, label=rf"$\hat e({l})$")
ax.set_xlabel("position along the path (arc length / total)")
ax.set_title("F along the constructive path and along the DSS string")
ax.set_ylabel("$F$")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## The checked steps and the tests

# %%
checks_table(run_checks(["ll:zero-radius"]))

# %%
tests_table(["ll:zero-radius", "ll:convex-output", "ll:free-row", "ll:buffer-transfer"],
            lemma_tests())
