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
# # Rates ε(m) and the width calculator (`theory.rates`)
#
# Notation: {doc}`notation`. Every energy-gap bound of the sources is encoded as a
# sympy expression $\varepsilon(m)$ with its claimed order $m^{-p}$, its leading constant
# and the loss hypothesis it needs. Checks (`proofs_check/steps/rates.py`, registered
# under the label of the statement each bound belongs to) verify symbolically that each
# bound tends to 0, has exactly the claimed leading term, and, for the explicit bounds, is
# nonincreasing in $m$ — which is what makes the width calculator's bisection correct.
# Tests: `tests/test_rates.py`.
#
# Notation: $m$ width, $l$ reference width, $q = m - l$, $n$ input dimension,
# $\bar a = (\bar\lambda - \underline R)/\kappa$ the $\ell_1$ radius of the sublevel set
# (`ll:l1-control`), $C$ a constant the source leaves unstated.

# %%
import json
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from _literate import Markdown, cell_math, checks_table, html_table, lemma_tests, tests_table

from proofs_check import run_checks
from theory.rates import CROSSOVERS, RATES, BoundInputs, certified_value, certifies, smallest_width
from theory.symbols import m

rows = ["| bound | statement | $\\varepsilon(m)$ | order $p$ | needs | $l$ |",
        "|---|---|---|---|---|---|"]
for rate in RATES.values():
    rows.append(f"| `{rate.name}` | `{rate.label}` | {cell_math(rate.expr)} | "
                f"{cell_math(rate.exponent)} | {rate.needs} | {rate.reference or '—'} |")
Markdown("\n".join(rows))

# %% [markdown]
# ## What is checked about each bound
#
# For a bound with claimed order $p$ and constant $c$, with closed-form envelopes
# $\underline\varepsilon \le \varepsilon \le \overline\varepsilon$ (equal to $\varepsilon$
# unless it holds $\lfloor m/2 \rfloor$):
#
# $$\lim_{m\to\infty} \underline\varepsilon(m)\, m^{p} = \lim_{m\to\infty}
#   \overline\varepsilon(m)\, m^{p} = c > 0, \qquad
#   \frac{d\varepsilon}{dm} \le 0 \ \text{ on } m \ge l + 1 ,$$
#
# so $\varepsilon \sim c\, m^{-p}$ exactly (not merely an upper exponent). The first
# limit for the dimension-free bound, computed here by sympy:

# %%
dimfree = RATES["dimfree"]
limit = sp.limit(dimfree.expr * m**dimfree.exponent, m, sp.oo)
print(f"lim ε(m)·m^{dimfree.exponent} = {limit}   (claimed c = {dimfree.leading})")

# %% [markdown]
# Every `rate_*` obligation, run while this page was built:

# %%
labels = sorted({rate.label for rate in RATES.values()})
rate_results = [r for r in run_checks(labels) if r.step.startswith("rate_")]
checks_table(rate_results)

# %% [markdown]
# ## Which bound is tighter, by input dimension
#
# A crossover compares exponents: $p_{\text{faster}} > p_{\text{slower}}$ exactly when the
# condition on $n$ holds; e.g. $\tfrac12 > \tfrac1n \iff n > 2$ (the dimension-free rate
# beats the cube certificate and [FB17]'s stated $m^{-1/n}$ from $n = 3$ on). Each row is a
# z3 check (`rate_crossover[…]` above).

# %%
html_table(("faster", "slower", "when", "exponents tie at n ="),
           [(c.faster, c.slower, str(c.condition), str(c.point)) for c in CROSSOVERS])

# %% [markdown]
# ## The width calculator
#
# Given a loss, $\kappa$, $D_X$, a level $\bar\lambda$ and a target $\varepsilon^\star$, the
# calculator returns the smallest width $m$ with
#
# $$\varepsilon(m) \le \varepsilon^\star \quad\text{certified,}$$
#
# meaning that the arb enclosure of $\varepsilon(m)$ at exact rational inputs lies at or
# below $\varepsilon^\star$ (or $\varepsilon(m) - \varepsilon^\star$ is exactly 0 in sympy),
# and $\varepsilon(m - 1) \le \varepsilon^\star$ is not certified. It searches by doubling
# and bisection, which is correct because the explicit bounds are nonincreasing in $m$.
# Here BCE on logits ($L = 1$), $\kappa = 0.1$, $D_X = 1.2$, $\bar\lambda = 0.35$, $l = 4$,
# target $0.1$:

# %%
inputs = BoundInputs.parse("bce_logit", kappa=0.1, D_X=1.2, level=0.35, n=3, ref_width=4)
params = inputs.parameters(dimfree)
width = smallest_width(dimfree, params, 0.1)
for w in (width - 1, width):
    print(f"m = {w}: ε(m) ∈ {certified_value(dimfree, params, w).str(12)}, "
          f"certified ≤ 0.1: {certifies(dimfree, params, w, 0.1)}")

# %% [markdown]
# The same question for every bound, answered by the command-line tool
# `relu-landscape bound` (the rows a bound cannot answer say why):

# %%
cli = [sys.executable, "-m", "experiments.cli", "bound", "--loss", "bce_logit", "--kappa", "0.1",
       "--dx", "1.2", "--level", "0.35", "--target", "0.1", "--n", "3", "--ref-width", "4",
       "--json"]
report = json.loads(subprocess.run(cli, capture_output=True, text=True, check=True).stdout)
print(report["caveat"])
html_table(("bound", "label", "order", "l", "width", "ε(width) enclosure", "holds if",
            "status / note"),
           [(r["bound"], r["label"], r["order"], r["l"] or "", r["width"] or "",
             r["epsilon_enclosure"] or "", r["hypothesis"] or "",
             f"{r['status']} {r['note']}".strip())
            for r in report["rows"]])

# %% [markdown]
# ## The explicit bounds as functions of the width
#
# With the inputs above (the Hölder rows use $\bar a = \bar\lambda/\kappa$ and BCE's
# $(\alpha, H) = (1, \tfrac14)$): the $m^{-1/2}$ Lipschitz bounds, the $m^{-1}$ Hölder and
# fixed-level bounds and the dimension-dependent cube certificate.

# %%
fig, ax = plt.subplots(figsize=(7, 4))
widths = np.unique(np.logspace(np.log10(5), 6, 200).astype(int))
for rate in RATES.values():
    if inputs.not_applicable(rate) is not None:
        continue
    f = sp.lambdify(m, rate.expr.subs(inputs.parameters(rate)), "numpy")
    ax.loglog(widths, np.broadcast_to(f(widths.astype(float)), widths.shape), label=rate.name)
ax.axhline(0.1, color="k", ls="--", lw=0.8, label=r"target $\varepsilon^\star = 0.1$")
ax.set_xlabel("width $m$")
ax.set_title("The explicit bounds ε(m) with this page's inputs")
ax.set_ylabel(r"$\varepsilon(m)$")
ax.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## Tests of the rates
#
# The tests in `tests/test_rates.py`, by the statement label they carry:

# %%
rate_tests = {label: [t for t in ids if t.startswith("tests/test_rates.py")]
              for label, ids in lemma_tests().items()}
tests_table(labels, rate_tests)
