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
# # Statements of [B26] (`ll:*`, the Lipschitz chain)
#
# S. Baturin, *Dimension-Free Loss-Landscape Barrier Decay via Atomic Self-Sparsification*
# (2026), the corrected revision of *Asymptotic Smoothing of the Lipschitz Loss Landscape
# in Overparameterized One-Hidden-Layer ReLU Networks* (arXiv:2602.17596). One section per
# registered `ll:` statement, in the order of the chain, generated from the registry when
# the docs are built (see {doc}`notation` for the symbols and the
# {doc}`blueprint` for the dependency graph).

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
# @statements ll
