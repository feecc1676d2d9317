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

# %%
from _literate import Html
from _reference import cli_html

Html(cli_html())
