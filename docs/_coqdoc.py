"""coqdoc HTML of the Coq development in the docs build, and the links the pages make to it.

Not a page. `conf.py` calls `write(app)` when the builder starts: coqdoc writes the library
and the generated statements file (`proofs_check.write_coqdoc`) to ``_coqdoc/`` in
the site, and the environment variable `ENV` tells the executed pages (their kernels start
later, with this environment) which `registry_*` theorems got an anchor, or why none did
(coqc or coqdoc missing, the development does not compile). `theorem_link(theorem)` is the
link a statement section shows, or a note saying why there is none.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

ENV = "RELU_LANDSCAPE_COQDOC"
FOLDER = "_coqdoc"  # under the site root; the statement pages sit at the root too


def write(app) -> None:
    """Write the coqdoc HTML into the site and record the anchors in `ENV` (JSON)."""
    if app.builder.format != "html":
        return
    from proofs_check import write_coqdoc

    anchors, why = write_coqdoc(Path(app.outdir) / FOLDER)
    os.environ[ENV] = json.dumps({"anchors": anchors, "why": why})


def _state() -> tuple[dict[str, str], str]:
    raw = os.environ.get(ENV)
    if not raw:
        return {}, "this page was not executed by the docs build"
    state = json.loads(raw)
    return state["anchors"], state["why"]


def theorem_link(theorem: str) -> str:
    """An HTML link to `theorem` in the coqdoc pages, or a note saying why there is none."""
    anchors, why = _state()
    target = anchors.get(theorem)
    if target is None:
        reason = why or f"coqdoc wrote no anchor for {theorem}"
        return f"no coqdoc page in this build ({html.escape(reason.splitlines()[0])})."
    return (f'<a class="coqdoc-link" href="{FOLDER}/{html.escape(target)}">'
            f"{html.escape(theorem)} in the coqdoc HTML</a>, each lemma it uses linked.")


def index_link() -> str:
    """A link to the coqdoc table of contents, or why there is none."""
    anchors, why = _state()
    if not anchors:
        return f"No coqdoc HTML in this build ({html.escape(why.splitlines()[0] if why else '')})."
    return (f'The <a class="coqdoc-link" href="{FOLDER}/toc.html">coqdoc HTML of the '
            "development</a> (the library and the generated statements file "
            f"<code>RLGen.Registry</code>, {len(anchors)} theorems) is part of this site.")
