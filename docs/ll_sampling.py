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
# # Maurey sampling and the dimension-free bound (`ll:sampling`, `ll:thm-dimfree`)
#
# Statements: {ref}`ll:sampling <ll:sampling>`, {ref}`ll:thm-dimfree <ll:thm-dimfree>`. The
# dimension-free barrier bound of [B26] rests on one lemma: the output layer $\theta$ of a
# width-$m$ network can be replaced by a $q$-sparse $\hat\theta$ with the **same** $\ell_1$ norm,
# at a cost in $F$ of order $1/\sqrt q$ that does not depend on the input dimension $n$. The freed
# $m - q$ units then carry a width-$l$ reference network (`ll:zero-radius`), which gives
# `ll:thm-dimfree`.
#
# Code: `numerics.maurey_sample` (the sampler), `sampling_bound` (the
# lemma's $\varepsilon$). Checks: `proofs_check/steps/ll_sampling.py`. Tests:
# `tests/test_ll_statements.py`, `tests/test_constructive.py`.

# %%
import math

import matplotlib.pyplot as plt
import torch
from _literate import checks_table, lemma_tests, statement_card, tests_table

from numerics import Problem, ReluNet, data_scale, maurey_sample, moons, sampling_bound, train
from proofs_check import run_checks
from theory.losses import CATALOGUE

torch.set_num_threads(1)  # tiny tensors: threads cost more than they save
statement_card("ll:sampling")

# %% [markdown]
# ## The sampler
#
# Let $a = \|\theta\|_1$ and $1 \le q \le m$. Draw indices $I_1, \dots, I_q$ independently
# with $P(I = i) = |\theta_i| / a$, let $N_i$ count the draws equal to $i$, and set
#
# $$\hat\theta_i = \frac{a}{q}\,\operatorname{sgn}(\theta_i)\, N_i .$$
#
# At most $q$ indices are drawn, and $\sum_i N_i = q$, so
#
# $$\|\hat\theta\|_0 \le q, \qquad \|\hat\theta\|_1 = \frac aq \sum_i N_i = a
#   \quad\text{(the penalty } \kappa\|\theta\|_1 \text{ is preserved exactly).}$$

# %%
gen = torch.Generator().manual_seed(0)
m, q, draws = 12, 5, 20_000
theta = torch.randn(1, m, generator=gen, dtype=torch.float64)
a = theta.abs().sum()
theta_hat = maurey_sample(theta, q, draws, gen)[0]  # (draws, m)
print("max ‖θ̂‖₀ =", int((theta_hat != 0).sum(-1).max()), "≤ q =", q)
print("max |‖θ̂‖₁ − a| =", float((theta_hat.abs().sum(-1) - a).abs().max()))

# %% [markdown]
# ## Unbiasedness
#
# $N_i$ is binomial with $E N_i = q|\theta_i|/a$, hence
#
# $$E\,\hat\theta_i = \frac aq \operatorname{sgn}(\theta_i)\,\frac{q|\theta_i|}{a} = \theta_i,
#   \qquad E\,\hat\Phi = \Phi ,$$
#
# where $\hat\Phi = \Phi(\cdot\,; W, \hat\theta)$. The empirical mean over the draws
# agrees with $\theta$ to within a few standard errors:

# %%
mean = theta_hat.mean(0)
stderr = theta_hat.std(0) / math.sqrt(draws)
print("max |mean − θ| / standard error =", float(((mean - theta[0]).abs() / stderr).max()))

# %% [markdown]
# ## The variance identity
#
# Write $\hat\Phi = \frac1q \sum_{j=1}^q Z_j$ with
# $Z_j = a\,\operatorname{sgn}(\theta_{I_j})\,\rho(w_{I_j}^\top x)$ independent copies of
# $Z$, $E Z = \Phi$. Independence gives the identity (obligations
# `step_4_variance_identity_symbolic_q` and `step_5_variance_identity_enumerated`), and
# `ll:relu-lipschitz` ($E\rho(w^\top X)^2 \le D_X^2$ for $\|w\| \le 1$) the bound:
#
# $$E\,\|\hat\Phi - \Phi\|^2_{L^2(P_X)} = \frac{E\|Z\|^2 - \|\Phi\|^2}{q}, \qquad
#   E\|Z\|^2 = a \sum_i |\theta_i|\, E\rho(w_i^\top X)^2 \le a^2 D_X^2 ,$$
#
# so $E\|\hat\Phi - \Phi\|^2 \le a^2 D_X^2 / q$. Below, on the Moons inputs (augmented,
# $n = 3$) with random unit rows: the exact value of the left side, a Monte Carlo estimate
# of it, and the bound.

# %%
data = moons(n_samples=200, noise=0.2, seed=0)
X = data.X.double()
D_X = data.D_X
W = torch.nn.functional.normalize(torch.randn(m, data.n, generator=gen, dtype=torch.float64), dim=1)
h = torch.relu(X @ W.T)  # ρ(w_iᵀx_k), shape (N, m)
Phi = h @ theta[0]
# $E\|Z\|^2 = a\sum_i |\theta_i|\, E\rho(w_i^\top X)^2$
EZ2 = a * (theta[0].abs() * h.pow(2).mean(0)).sum()
qs = [1, 2, 4, 8, 16, 32, 64]
exact, monte_carlo = [], []
for qq in qs:
    Phi_hat = maurey_sample(theta, qq, 4000, gen)[0] @ h.T  # (draws, N)
    exact.append(float((EZ2 - Phi.pow(2).mean()) / qq))
    monte_carlo.append(float((Phi_hat - Phi).pow(2).mean(-1).mean()))
bound = [float(a**2 * D_X**2 / qq) for qq in qs]
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.loglog(qs, bound, "k--", label=r"bound $a^2D_X^2/q$")
ax.loglog(qs, exact, "o-", label=r"exact $(E\|Z\|^2 - \|\Phi\|^2)/q$")
ax.loglog(qs, monte_carlo, "x", ms=9, label="Monte Carlo (4000 draws)")
ax.set_xlabel("$q$")
ax.set_title("Maurey sampling: prediction error against the bound")
ax.set_ylabel(r"$E\|\hat\Phi - \Phi\|^2_{L^2}$")
ax.legend(fontsize=8)
fig.tight_layout()
print("largest |Monte Carlo / exact − 1| =",
      max(abs(mc / ex - 1) for mc, ex in zip(monte_carlo, exact, strict=True)))

# %% [markdown]
# ## From the error to the objective
#
# For a convex $L$-Lipschitz loss, $|R(W, \hat\theta) - R(W, \theta)| \le
# L\,E|\hat\Phi - \Phi| \le L\,\|\hat\Phi - \Phi\|_{L^2}$; the penalty is unchanged, so by
# Cauchy–Schwarz and the variance bound
#
# $$E\,F(W, \hat\theta) \le F(W, \theta) + \frac{L\,a\,D_X}{\sqrt q},$$
#
# and some realization does at least as well as the mean. (Hölder losses: the linear term
# cancels by unbiasedness and the cost is $\frac{H}{1+\alpha}(aD_X/\sqrt q)^{1+\alpha}$.)
# Here a width-16 network trained briefly on Moons with BCE on logits ($L = 1$), and 64
# draws per $q$: the best draw, the mean over draws, and $F + \varepsilon_{\text{thm}}$
# from `sampling_bound`.

# %%
loss = CATALOGUE["bce_logit"]
model = ReluNet(data.n, 16, kappa=1e-2)
problem = Problem.of(model, data, loss, dtype=torch.float64)
p = train(problem, model.init(1, gen, dtype=torch.float64), steps=400, lr=0.02).p
W16, theta16 = model.split(p)
F0 = float(problem.F(p))
a16 = float(theta16.abs().sum())
D16 = data_scale(problem.X)
print(f"F(W, θ) = {F0:.4f}, a = ‖θ‖₁ = {a16:.3f}, D_X = {D16:.3f}")
for qq in (1, 2, 4, 8, 16):
    candidates = maurey_sample(theta16, qq, 64, gen)[0]
    F_hat = problem.F(model.join(W16.expand(64, -1, -1), candidates))
    print(f"q = {qq:2d}: best F(W, θ̂) = {float(F_hat.min()):.4f}, mean = "
          f"{float(F_hat.mean()):.4f}, bound F + L a D_X/√q = "
          f"{F0 + sampling_bound(loss, a16, D16, qq):.4f}")

# %% [markdown]
# ## The dimension-free bound
#
# With $a \le (\bar\lambda - \underline R)/\kappa$ on the sublevel set (`ll:l1-control`),
# sampling both endpoints down to $q = m - l$ active units and joining them through a
# width-$l$ reference (`ll:zero-radius`) gives, for $1 \le l < m$ and $\lambda \le \bar\lambda$,
#
# $$\mathfrak b_m(\lambda) \le \max\Big\{ \frac{L\,D_X(\bar\lambda - \underline R)}{\kappa\sqrt q},
#   \ (e(l) - \lambda)_+ \Big\} ,$$
#
# with no dependence on $n$ (obligation `step_6_no_input_dimension`). The first term for
# the network above at its own level, $\underline R = 0$, $l = m/2$:

# %%
q_half = model.m - model.m // 2
print(f"L D_X λ̄ / (κ √q) = {loss.L * D16 * F0 / (model.kappa * math.sqrt(q_half)):.3f} "
      f"at q = {q_half} (κ = {model.kappa}): the bound is a rate in m, not a small number "
      "at this width")
statement_card("ll:thm-dimfree")

# %% [markdown]
# ## The checked steps
#
# Every obligation of both statements, run while this page was built:

# %%
LABELS = ["ll:sampling", "ll:thm-dimfree"]
checks_table(run_checks(LABELS))

# %% [markdown]
# ## Tests marked with these labels

# %%
tests_table(LABELS, lemma_tests())
