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
# # API reference
#
# The public faces of the four packages, generated from the code when this site is built
# (`docs/_reference.py`): for each package an index of its public names, then each name
# with its kind, its signature and its docstring (shapes, math and errors as written next to
# the code). The docstrings of `numerics`' public names and of `theory`'s main ones end in
# a short example (`>>>` lines) that the test command runs as a doctest, so the example
# shown is one that works. `theory`, `proofs_check` and `numerics` offer their names in
# `__all__` (`import numerics` is the library's public face); `experiments` has no
# `__all__`, so its public modules are listed with the classes and functions they define.
# The symbols are those of {doc}`notation` (the loss $F(W, \theta)$, the level $\lambda$,
# the width $m$); the command line is {doc}`cli`.

# %% [markdown]
# ## `theory`: statements, losses, rates

# %%
from _literate import Html
from _reference import api_html

Html(api_html("theory"))

# %% [markdown]
# ## `proofs_check`: obligations and their methods

# %%
Html(api_html("proofs_check"))

# %% [markdown]
# ## `numerics`: data, models, training, paths and certificates

# %%
Html(api_html("numerics"))

# %% [markdown]
# ## `experiments`: runs, records, statistics and the command line

# %%
Html(api_html("experiments"))
