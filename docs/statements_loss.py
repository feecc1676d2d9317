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
# # The loss catalogue, statement by statement (`loss:*`)
#
# Each loss of the catalogue is a registered definition whose declared properties
# (convexity, Lipschitz constant, Hölder constant of the derivative, sign) are proof
# obligations. The catalogue as one table, with the negative controls worked out, is
# {doc}`the loss catalogue page <losses>`.

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
# @statements loss
