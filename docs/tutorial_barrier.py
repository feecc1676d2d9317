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
# # Tutorial: measure the barrier between your own two models
#
# Two trained one-hidden-layer ReLU networks A and B of the same width, and a data set:
# how high must the loss $F$ rise on the way from A to B? The barrier at the level
# $\lambda = \max\{F(A), F(B)\}$ is
#
# $$\mathfrak b(A, B) = \inf_{\gamma:\,A \to B}\ \max_{t \in [0, 1]} F(\gamma(t)) - \lambda,$$
#
# and every path $\gamma$ whose maximum is *certified* (an upper bound that holds in exact
# arithmetic, rounding included) gives a certified upper bound of $\mathfrak b$. This page
# loads the models and the data from files, bounds the barrier along the straight segment
# and along a DSS string under the barrier protocol ({doc}`barrier-protocol`), and reads
# the result. Download the notebook with the button at the top to run it on your files.
#
# ## 0. Files standing in for yours
#
# The files: `data.csv` (columns x1, x2, y with y ∈ {0, 1}) and one `.npz` per model with
# its hidden rows `W` (m × n, the last input column is the constant 1 appended by
# `from_arrays`) and its output coefficients `theta` (m). Here they are made on the spot:
# two networks of width 20 trained from two seeds on Moons.

# %%
import tempfile
from pathlib import Path

import numpy as np
import torch
from _literate import Html, html_table
from sklearn.datasets import make_moons

from experiments.barrier import assess, dss_options
from experiments.configs import Protocol
from numerics import Problem, ReluNet, certified_segment_max, dss_batched, from_arrays, train
from theory.losses import get_loss

torch.set_num_threads(1)
folder = Path(tempfile.mkdtemp(prefix="my-models-"))
X_raw, y_raw = make_moons(400, noise=0.1, random_state=0)
np.savetxt(folder / "data.csv", np.column_stack([X_raw, y_raw]), delimiter=",",
           header="x1,x2,y")
_data = from_arrays("moons", X_raw, y_raw, seed=0)
_net = ReluNet(_data.X.shape[1], 20, kappa=1e-3)
_problem = Problem.of(_net, _data, get_loss("bce_logit"), dtype=torch.float64)
_trained = train(_problem, _net.init(2, torch.Generator().manual_seed(1), dtype=torch.float64),
                 steps=400).p
for name, p in zip(("model_a", "model_b"), _trained, strict=True):
    W, theta = _net.split(p)
    np.savez(folder / f"{name}.npz", W=W.numpy(), theta=theta.numpy())
print(*sorted(f.name for f in folder.iterdir()))

# %% [markdown]
# ## 1. Load the data and the two models
#
# `from_arrays` splits, standardizes (with the training split's statistics) and appends
# the constant column, as the models were trained; the same seed gives the same split.
# `ReluNet(n, m, kappa)` is the bias-free net $\Phi(x) = \sum_i \theta_i\,
# \mathrm{relu}(w_i^\top x)$ with the penalty $\kappa\|\theta\|_1$; `join` packs (W, θ) into
# the flat parameter vector the library works with. `Problem` is $F(W, \theta)$ = the
# mean loss on the training split + the penalty.

# %%
raw = np.loadtxt(folder / "data.csv", delimiter=",")
data = from_arrays("my-data", raw[:, :2], raw[:, 2], seed=0)
saved = [np.load(folder / f"{name}.npz") for name in ("model_a", "model_b")]
m, n = saved[0]["W"].shape
net = ReluNet(n, m, kappa=1e-3)
problem = Problem.of(net, data, get_loss("bce_logit"), dtype=torch.float64)
A, B = (net.join(torch.as_tensor(f["W"]), torch.as_tensor(f["theta"])) for f in saved)
F_ends = problem.F(torch.stack([A, B]))
level = float(F_ends.max())
print(f"width m = {m}, inputs n = {n}; F(A) = {F_ends[0]:.5f}, F(B) = {F_ends[1]:.5f}, "
      f"level λ = {level:.5f}")

# %% [markdown]
# ## 2. The straight segment
#
# `certified_segment_max` samples $F$ along $A \to B$ and bisects until the certified
# maximum exceeds the sampled one by at most the tolerance $\tau$; the protocol takes
# $\tau$ = a tenth of the acceptance slack $s = 10^{-3}\lambda$.

# %%
protocol = Protocol()
slack = protocol.accept_slack * level
tau = protocol.tol_ratio * slack
segment = certified_segment_max(problem, A[None], B[None], tol=tau)
straight = float(segment.certified[0]) - level
print(f"straight segment: sampled max {float(segment.sampled[0]):.5f}, certified max "
      f"{float(segment.certified[0]):.5f} ({segment.status[0]}); barrier ≤ {straight:.4f}")

# %% [markdown]
# ## 3. A DSS string under the barrier protocol
#
# Dynamic String Sampling ([FB17]'s Algorithm 1) puts a bead where the segment is highest,
# trains it down toward $\lambda - 5\tau$, and repeats on every segment whose certified
# maximum is above $\lambda + s$. `assess` reads the string as the protocol does: the
# certified upper bound of the barrier, the resolution $r = s + \tau$, the status and the
# cause of what is left.

# %%
config = dss_options(protocol, max_depth=6, grid=9, max_points=4096,
                     train_kwargs={"steps": 400})
string = dss_batched(problem, A[None], B[None], torch.tensor([level], dtype=torch.float64),
                     config=config)[0]
record = assess(string)
keys = ("status", "barrier_upper", "resolution", "dss_max", "tol", "bead_excess",
        "sampled_bump", "certificate_slack", "beads_reached")
Html(html_table(["quantity", "value"], [[k, record[k]] for k in keys]))

# %% [markdown]
# ## 4. Read the result
#
# - `barrier_upper` is a certified upper bound of $\mathfrak b(A, B)$: the barrier is *at
#   most* this (a bound can only show that a barrier is small, never that it is large).
# - `status` `connected` means the bound is within the resolution $r$: at this protocol's
#   precision, A and B are joined at their level. `bounded` means a bump above
#   $\lambda + s$ was still seen after the depth limit; `inconclusive` means a bead did not
#   reach the level (nothing is said of the landscape); see {doc}`barrier-protocol`.
# - The straight segment is usually far worse than the string: the models are connected
#   by a bent path, not by the chord.

# %%
print(f"straight segment: barrier ≤ {straight:.4f}; DSS string with "
      f"{string.path.vertices.shape[0] - 2} beads: barrier ≤ {record['barrier_upper']:.2e} "
      f"(resolution {record['resolution']:.2e}, status {record['status']})")

# %% [markdown]
# The command line does the same for many pairs, trained for you, and adds the proof's
# constructive path and the straight segment after relabeling the units
# (`relu-landscape gap`, {doc}`cli`). `relu-landscape certify` takes two models and a data
# set from `.npz` files and writes a certificate of $\max F$ along a path between them, which
# `relu-landscape verify` re-checks in interval arithmetic, without torch.
