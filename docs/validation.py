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
# # Experiments E1–E5: tables and figures
#
# The five experiments of `relu-landscape reproduce`, shown from a run made while these
# docs were built: a committed reference run (`results/report.md`) where the repository
# has one, otherwise a **smoke-scale** run (tiny widths, two pairs: minutes on two cores).
# Smoke-scale numbers show that the pipeline runs end to end and what each table holds;
# they are far too small to support or refute a claim. Each section says how to rerun the
# experiment at the published sizes.
#
# - E1 `seed-table`: [B26] v1's seed table, as published (`legacy`) and corrected
#   (`ll:cor-qualitative`);
# - E2 `width-sweep`: barriers versus width next to the evaluated dimension-free bound
#   (`ll:thm-dimfree`, `ll:zero-radius`);
# - E3 `fb-geometry`: path length and bead count versus the threshold $L_0$ ([FB17] §3,
#   `fb:thm-2.4`);
# - E4 `topology-contrast`: deep linear nets versus small ReLU nets, and one buffer unit
#   (`fb:prop-2.2`, `fb:counterexample`, `new:buffer-permutation`);
# - E5 `digits-geometry`, beyond the papers: path length and certified barriers on real
#   images (scikit-learn's 8×8 digits).

# %% tags=["hide-input"]
import os
import re
import time
from pathlib import Path

from _literate import REPO, report_parts
from IPython.display import Image, Markdown, display

reference = REPO / "results"
runs = os.environ.get("RELU_LANDSCAPE_DOCS_RUNS")
if (reference / "report.md").is_file():
    folder, origin = reference, "the committed reference run in results/"
elif runs and (Path(runs) / "smoke.started").exists():
    # `relu-landscape docs` started the smoke run alongside the build: wait for it
    deadline = time.monotonic() + 1200
    while not (Path(runs) / "smoke.done").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the smoke reproduction did not finish in 20 minutes")
        time.sleep(2)
    code = (Path(runs) / "smoke.done").read_text().strip()
    if code != "0":
        log = (Path(runs) / "smoke.log").read_text()[-3000:]
        raise RuntimeError(f"the smoke reproduction failed (exit {code}):\n{log}")
    folder, origin = Path(runs) / "smoke", "a smoke-scale run made during this build"
else:  # a plain sphinx-build: run it here
    from experiments.reproduce import reproduce

    folder = REPO / "docs" / "_build" / "runs" / "smoke"
    reproduce(["seed-table", "width-sweep", "fb-geometry", "topology-contrast",
               "digits-geometry"], folder,
              scale="smoke", threads=1)
    origin = "a smoke-scale run made during this build"

report = (folder / "report.md").read_text(encoding="utf-8")
sections: dict[str, list[str]] = {}  # E2 runs once per level regime: every section shows
for m in re.finditer(r"^## (E\d)[^\n]*\n(.*?)(?=^## |\Z)", report, re.M | re.S):
    sections.setdefault(m.group(1), []).append(m.group(0).split("\n", 1)[1])
header = report.split("\n## ", 1)[0].splitlines()
run_line = next((line for line in header if line.startswith("Run ")), "").split(" Full")[0]
display(Markdown(f"Shown: {origin}. {run_line}"))


def show(key: str) -> None:
    """Section `key` of the report: its text and tables, and each figure with its caption."""
    texts = sections.get(key)
    if not texts:
        display(Markdown(f"*The report has no section {key}.*"))
        return
    for text in texts:
        for kind, body in report_parts(text):
            if kind == "figure":
                display(Image(filename=str(folder / body)))
            else:
                display(Markdown(body))


# %% [markdown]
# ## E1 `seed-table`: [B26] v1 as published, and corrected
#
# The published gap definition takes the *minimum* over the recorded above-threshold
# segment barriers when the depth limit is hit, so a pair whose string failed to connect
# can still score a tiny gap; the `corrected` variant uses the certified path maximum, pairs
# with disjoint endpoints and $p = (b+1)/(B+1)$.
#
# At paper scale (1000 models and 200 pairs per width, both data sets, both arms):
# `relu-landscape reproduce seed-table --scale paper --out runs/paper` took 31 minutes of
# wall time on a 2-core machine (two Dask workers), the corrected arm's constructive path
# (family (b)) and its sensitivity grid included. The `corrected` variant's certificates
# start from 9 points per segment and refine near the maximum, so it splits at the argmax
# of those samples; `legacy` keeps the published 200-point grid and certifies nothing.
#
# What the committed run (below) measured: on Moons the certified upper bound is smaller at
# width 200 (all 200 pairs connected there, 11 of 195 conclusive pairs above the resolution
# at width 20; one-sided Fisher p = 4e-4), but that verdict hinges on the protocol's knobs
# (bead fraction, bead steps, depth, level rule: each turns it into "no width effect
# resolved"); on Breast Cancer every conclusive bound is within the resolution at both
# widths under every setting. An earlier protocol, with beads trained only to the level
# and a certificate tolerance coarser than the acceptance slack, gave width 200 the larger
# mean bound (0.0064 against 0.0034): that verdict was the protocol's, not the
# landscape's ({doc}`barrier-protocol`).

# %% tags=["hide-input"]
show("E1")

# %% [markdown]
# ## E2 `width-sweep`: barriers versus width
#
# A bias-free, ball-constrained network on augmented inputs (the setting of the `ll:`
# chain); per width, the barrier found by Dynamic String Sampling, the barrier of the
# proof's constructive path (an exact upper bound, see {doc}`constructive_path`) and the
# evaluated bound of `ll:thm-dimfree`.
#
# At paper scale (widths 4 … 512, 20 replicates), in both regimes:
# `relu-landscape reproduce width-sweep --design paper-fixed --out runs/e2-fixed` (one
# level $\lambda = 0.34$ for every width) and `--design paper-moving`
# ($\lambda_m = \hat e(m) + 0.02$); the committed runs took 5 and 6 minutes of wall time.

# %% tags=["hide-input"]
show("E2")

# %% [markdown]
# ## E3 `fb-geometry`: length and beads versus the threshold
#
# [FB17] §3: as the threshold $L_0$ drops, the strings between two minima get longer and
# need more beads.
#
# The networks are [FB17]'s own, read from their code: the quadratic regression is fitted
# by a 1-4-4-1 sigmoid MLP with no biases and a sigmoid output unit,
# $\Phi(x) = \sigma(W_3\,\sigma(W_2\,\sigma(W_1 x)))$ (24 parameters), the cubic by the
# same widths with biases and a linear output (33 parameters); the settings `mlp_output`
# and `mlp_biases` choose them per task (`numerics.sigmoid_mlp(widths, bias=, output=)`).
# The net matters. At the published budgets (10 pairs per $L_0$), the quadratic
# task's mean normalized length at $L_0 = 0.005$ is 1.86 with [FB17]'s net (results/e3)
# and 1.20 with biases and a linear output (results/e3-linear, the net our earlier runs
# used for both tasks, whose quadratic lengths of 1.16–1.31 ran below [FB17]'s curve); the
# two differ beyond the bootstrap noise at every $L_0 \le 0.01$ and not above. The
# sigmoid-output net misses the lowest levels more often (pairs missing $L_0$), so the
# low-$L_0$ cells compare fewer of its pairs.
#
# At paper scale: `relu-landscape reproduce fb-geometry --scale paper --out runs/paper`.

# %% tags=["hide-input"]
show("E3")

# %% [markdown]
# ## E4 `topology-contrast`: connected and disconnected landscapes
#
# Deep linear nets (connected sublevels, `fb:prop-2.2`) against the small ReLU example of
# `fb:counterexample`, and the one-buffer-unit path of `new:buffer-permutation`
# (worked out in {doc}`fb_counterexample`).
#
# At paper scale: `relu-landscape reproduce topology-contrast --scale paper --out runs/paper`
# (or `relu-landscape reproduce all --scale paper --out runs/paper` for E1–E5; add
# `--device cuda` on a GPU).

# %% tags=["hide-input"]
show("E4")

# %% [markdown]
# ## E5 `digits-geometry`: real images
#
# Beyond the papers: the one-hidden-layer ReLU net on scikit-learn's bundled 8×8 digits
# (odd versus even), trained to a range of losses $L_0$ at several widths, its minima
# joined by the barrier protocol ({doc}`barrier-protocol`): normalized length, beads and
# the certified barrier against $L_0$, against test error and against width.
#
# At paper scale: `relu-landscape reproduce digits-geometry --scale paper --out runs/paper`.

# %% tags=["hide-input"]
show("E5")
