"""Sphinx configuration: jupytext py:percent pages executed by myst-nb (NOTES-docs.md).

Build: ``sphinx-build -b html docs docs/_build/html``. Every page is executed at build time
(``nb_execution_mode = "force"``), so the blueprint's status comes from this build's checks.
Set ``RELU_LANDSCAPE_NB_EXECUTION=cache`` to reuse outputs while editing prose (the cache
does not notice changes in the project's own modules; ``off`` skips execution).
"""

from __future__ import annotations

import os

project = "relu-landscape"
author = "relu-landscape contributors"
copyright = "2026, relu-landscape contributors"

extensions = ["myst_nb", "sphinx-mathjax-offline"]

# every docs/*.py except conf.py and the helper modules (_*.py) is a py:percent page
nb_custom_formats = {".py": ["jupytext.reads", {"fmt": "py:percent"}]}
exclude_patterns = ["conf.py", "_*.py", "_build", "README.md", "jupyter_execute",
                    "**/__pycache__"]

nb_execution_mode = os.environ.get("RELU_LANDSCAPE_NB_EXECUTION", "force")
nb_execution_raise_on_error = True
nb_execution_timeout = 300
nb_merge_streams = True
# markdown outputs (statement cards, tables) are parsed as MyST, so `$…$` renders as math
nb_render_markdown_format = "myst"

myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 2

html_theme = "alabaster"
html_title = "relu-landscape"
