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
# # Statements of this project (`new:*`)
#
# Statements the project adds beyond the two sources, checked like theirs. The worked
# example of the permutation barrier is {doc}`its own page <fb_counterexample>`.

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
# @statements new
