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
# # Statements of [FB17] (`fb:*`)
#
# C. D. Freeman and J. Bruna, *Topology and Geometry of Half-Rectified Network
# Optimization*, ICLR 2017 (arXiv:1611.01540). One section per registered `fb:` statement,
# generated from the registry when the docs are built: the statement in the
# {doc}`notation` of these pages, where it comes from, the proof sketch with each
# step named as its obligation, this build's checks of those steps (each linked to the
# line that checks it), a numeric illustration where the statement measures something,
# the tests marked with the label, and — for the flagged statements — the defect of the
# source, explained. Status colours are those of the {doc}`blueprint`.

# %% tags=["hide-input"]
# the generated sections below call these (see docs/_statements.py)
from _illustrations import illustrate  # noqa: F401
from _statements import (  # noqa: F401
    checks,
    defect_block,
    proof_sketch,
    statement_block,
    tests_block,
)

# %%
# @statements fb
