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
# # Command-line reference
#
# Every `relu-landscape` command with its usage line and options, generated when this site
# is built from the parser the command line itself uses (`experiments.cli.build_parser()`,
# rendered by `docs/_reference.py`), so this page cannot drift from the program. The same
# text is `relu-landscape COMMAND --help`. Every command checks its arguments before it
# imports torch, sympy or numpy: a bad argument is one line `relu-landscape COMMAND: error:
# …` and exit status 2. The library behind the commands: {doc}`api`.
#
# Common behaviour: a bad argument is answered in a fraction of a second, with one line
# `relu-landscape CMD: error: …` and exit status 2 (argparse's usage errors too). Seeds are
# integers in [0, 2⁶³); a width, pair count or sample count that would not fit in memory is
# refused with the estimate; `--device cuda` where CUDA is certainly absent is refused
# before torch loads; `--out` must be new, empty, or hold a run of the same command with
# the same settings (anything else is refused, naming what differs, before work starts).
# Ctrl-C or SIGTERM stops a run with "interrupted — N of M batches saved …; rerun the same
# command to resume" and exit status 130; rerunning finishes with exactly the records of an
# uninterrupted run. A damaged line in the middle of `records.jsonl` is an error naming the
# file, the line and the remedy (delete that line and rerun: the task is recomputed); a
# torn last line (a killed write) is repaired silently. The last line of every command
# says where its outputs are. `check` exits 0 iff no obligation failed or is undecided (a
# check whose tool is absent is `not run`, a failure only under `--require`), and lists
# the recorded assumptions of the statements it checked — facts no obligation proves,
# each with its reason; a statement with one is "checked modulo N assumptions" (`--json`
# appends them as records with status `assumed`); `check --mutate` perturbs every
# statement and exits 0 iff at least 95 % of the mutants are caught and every survivor is
# explained.
#
# ## Commands at a glance
#
# What each command does and writes, in brief (the generated reference follows):
#
# ```text
# relu-landscape check [LABEL ...] [--json] [--mutate] [--require coq]
#       run the proof-step obligations (exit 0 iff none failed
#       or is undecided; unknown label: exit 2); --mutate
#       perturbs every statement and reports per label which
#       mutants check caught (≥ 95 % and every survivor
#       explained, or exit 1)
# relu-landscape check --coqchk [--coqchk-fast]
#       re-check the compiled Coq development and the registry's
#       Coq theorems with coqchk (exit 1 on a failure or a missing
#       coqchk), then compare Coq's dependency graph with the
#       registry's uses edges (coq-dpdgraph; skipped without it)
# relu-landscape bound --loss LOSS --kappa K --dx D --level LAMBDA [--lower R] --target EPS [--n N]
#       smallest width m with ε(m) ≤ target, per bound,
#       decided with certified interval arithmetic
# relu-landscape gap --dataset {moons,cancer,blobs,teacher} --width M --pairs P --loss LOSS
#                    --kappa K [--device cpu|cuda] [--seed S] [--l L] [--max-depth D]
#                    [--grid G] [--max-points B] [--steps N] [--bead-steps N]
#                    [--level-rule pair|fixed|moving] [--level λ] [--level-offset Δ]
#                    [--accept-slack s] [--tol-ratio ρ] [--bead-margin k] [--bead-fraction F]
#                    [--samples N] [--features n] [--teacher-width K] [--batch B] --out DIR
#       train pairs, run DSS, the constructive path and
#       the aligned segment under the barrier protocol
#       (docs/barrier-protocol.md); per pair the three
#       family maxima, the bound, its resolution, the
#       status and the cause; writes DIR/pairs.csv,
#       records.jsonl, run.json (resumable; the
#       one-width case of width-sweep). Every option
#       is a field of PairsConfig (experiments/configs.py)
# relu-landscape reproduce {seed-table,width-sweep,fb-geometry,topology-contrast,
#                           digits-geometry,all}
#                    [--scale quick|paper|smoke] [--design NAME] [--config FILE.toml]
#                    [--device cpu|cuda] [--seed S] --out DIR [--pairs N] [--threads N]
#                    [--executor local|dask --scheduler ADDRESS|local:N]
#       records, figures (PNG+SVG), run.json and report.md;
#       a killed run resumes where it stopped;
#       `width-sweep --design teacher-huber` is [B26]'s
#       theory-aligned design; --config replaces fields
# relu-landscape bench --out DIR [--quick]
#       engine figures measured side by side in one run
#       (bench.json, bench.md; see the engine page)
# relu-landscape docs [--out DIR]
#       build the site, every page executed
# relu-landscape selftest --mutation [MODULE ...] [--budget MINUTES] [--survivors]
#                 [--modules-at-once K] [--update-baseline]
#       mutation score per core module (mutmut; needs the
#       `mutation` extra), written to runs/mutation/score.md,
#       compared with docs/mutation-score.json
# ```
#
# ## Every command and option

# %%
from _literate import Html
from _reference import cli_html

Html(cli_html())
