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
# check whose tool is absent is `not run`, a failure only under `--require`); `check
# --mutate` perturbs every statement and exits 0 iff at least 95 % of the mutants are
# caught and every survivor is explained.

# %%
from _literate import Html
from _reference import cli_html

Html(cli_html())
