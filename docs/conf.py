"""Sphinx configuration: jupytext py:percent pages executed by myst-nb.

Build: ``relu-landscape docs --out DIR`` (forced execution, warnings are errors), or
``sphinx-build -b html docs DIR/html``. Every page is executed at build time
(``nb_execution_mode = "force"``), so the blueprint's status comes from this build's checks.
Set ``RELU_LANDSCAPE_NB_EXECUTION=cache`` to reuse outputs while editing prose (the cache
does not notice changes in the project's own modules; ``off`` skips execution).

Pages are read by `_pages.read_page`: a ``# @statements PREFIX`` cell becomes one section
per registered label of that chain. The build fails, naming them, when a registered label
belongs to no page's chain. After the build, every module of the project is written as a
highlighted listing with line anchors under ``_source/`` (the pages link each obligation
and each test to its line there).
"""

from __future__ import annotations

import html
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(DOCS))

project = "relu-landscape"
author = "relu-landscape contributors"
copyright = "2026, relu-landscape contributors"

extensions = ["myst_nb", "sphinx-mathjax-offline", "sphinx_copybutton"]

# every docs/*.py except conf.py and the helper modules (_*.py) is a py:percent page
nb_custom_formats = {".py": ["_pages.read_page", {}]}
exclude_patterns = ["conf.py", "_*.py", "_build", "README.md", "jupyter_execute",
                    "**/__pycache__", ".jupyter_cache"]
# while editing: RELU_LANDSCAPE_DOCS_SKIP=page,page leaves pages out (warnings follow)
exclude_patterns += [f"{name.strip()}.py" for name in
                     os.environ.get("RELU_LANDSCAPE_DOCS_SKIP", "").split(",") if name.strip()]

nb_execution_mode = os.environ.get("RELU_LANDSCAPE_NB_EXECUTION", "force")
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 600
nb_merge_streams = True
# markdown outputs (statement cards, tables) are parsed as MyST, so `$…$` renders as math
nb_render_markdown_format = "myst"

myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 2

# sphinx-book-theme (on pydata-sphinx-theme): light/dark mode, a page outline on the right,
# a download button (the executed notebook, see `_offer_notebook`); no icons or fonts from
# the network (the theme bundles its own)
html_theme = "sphinx_book_theme"
html_title = "relu-landscape"
html_static_path = ["_static"]
html_css_files = ["readable.css"]
html_js_files = ["math_fit.js", "layout_probe.js", "blueprint_graph.js"]
html_theme_options = {"show_toc_level": 2, "use_download_button": True,
                      "use_fullscreen_button": False, "home_page_in_toc": True,
                      "navigation_with_keys": False, "secondary_sidebar_items": ["page-toc"]}
html_sourcelink_suffix = ""
# the copy button copies code cells without prompts or outputs
copybutton_exclude = ".linenos, .gp, .go"

#: folders whose modules get a highlighted listing (the pages link to their lines)
LISTED = ("theory", "proofs_check", "numerics", "experiments", "tests")


def _check_every_label_has_a_page(app) -> None:
    """Fail the build, naming them, if a registered label belongs to no statements page."""
    from _pages import covered_prefixes
    from sphinx.errors import ExtensionError

    from theory import registry

    covered = covered_prefixes()
    missing = [s.label for s in registry() if s.label.split(":", 1)[0] not in covered]
    if missing:
        raise ExtensionError(
            "registered labels with no statements page (add a page with a "
            f"'# @statements PREFIX' cell): {', '.join(missing)}")


def _write_source_listings(app, exception) -> None:
    """Highlighted copies of the project's modules, with an anchor `L-<n>` per line."""
    if exception is not None or app.builder.format != "html":
        return
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    formatter = HtmlFormatter(linenos="inline", linespans="L", anchorlinenos=True,
                              lineanchors="L", wrapcode=True)
    style = formatter.get_style_defs(".highlight")
    out = Path(app.outdir) / "_source"
    for folder in LISTED:
        for path in sorted((REPO / folder).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            rel = path.relative_to(REPO).as_posix()
            target = out / f"{rel}.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            body = highlight(path.read_text(encoding="utf-8"), PythonLexer(), formatter)
            target.write_text(
                "<!DOCTYPE html><html><head><meta charset='utf-8'>"
                f"<title>{html.escape(rel)}</title><style>{style}\n"
                "body{font-family:monospace;font-size:13px;margin:1em}"
                "pre{white-space:pre-wrap;word-break:break-word}"
                "span[id^='L-']:target{background:#fff3b0;display:inline-block;width:100%}"
                f"</style></head><body><h1>{html.escape(rel)}</h1>{body}</body></html>",
                encoding="utf-8")


#: pages read last, in this order: the experiments page waits for the smoke run started
#: alongside the build, and the blueprint reads the checks the statement pages ran
LAST = ("validation", "blueprint")


def _read_last(app, env, docnames: list[str]) -> None:
    for name in LAST:
        if name in docnames:
            docnames.remove(name)
            docnames.append(name)


def _offer_notebook(app, pagename, templatename, context, doctree) -> None:
    """Executed pages offer their notebook (`_sources/<page>.ipynb`) for download.

    sphinx-book-theme does this only for `.md` notebooks; our pages are `.py` (jupytext).
    Runs before the theme's header buttons (priority 501) read `ipynb_source`.
    """
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(executed.read_bytes())
    context["ipynb_source"] = f"{pagename}.ipynb"


def _write_coqdoc(app) -> None:
    """coqdoc HTML of the Coq development under `_coqdoc/`; the statement sections link
    their theorems there (`_coqdoc`; no links, and a note, without coqc or coqdoc)."""
    from _coqdoc import write

    write(app)


def setup(app):
    app.connect("html-page-context", _offer_notebook, priority=400)
    app.connect("builder-inited", _check_every_label_has_a_page)
    app.connect("builder-inited", _write_coqdoc)
    app.connect("env-before-read-docs", _read_last)
    app.connect("build-finished", _write_source_listings)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
