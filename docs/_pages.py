"""The reader of the docs pages: jupytext py:percent, plus generated statement sections.

Not a page. `conf.py` registers `read_page` for `*.py` (myst-nb `nb_custom_formats`).
A code cell whose first line is ``# @statements PREFIX`` is replaced by one section per
registered label of that chain (``fb``, ``ll``, ``new``, ``loss``), so a statement added
to the registry gets its section on the next build without editing any page. Each
section: a heading whose target is the label itself, then cells calling `_statements`.

`covered_prefixes()` lists the chains some page expands; `conf.py` fails the build,
naming the labels, when a registered label belongs to none of them.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent
MARKER = re.compile(r"^# @statements ([a-z]+)\s*$", re.M)


def covered_prefixes() -> dict[str, str]:
    """{chain prefix: page name} for every `# @statements PREFIX` cell of the pages."""
    out = {}
    for page in sorted(DOCS.glob("*.py")):
        if page.name.startswith("_") or page.name == "conf.py":
            continue
        for prefix in MARKER.findall(page.read_text(encoding="utf-8")):
            out[prefix] = page.stem
    return out


def worked_pages() -> dict[str, list[str]]:
    """{label: hand-written pages whose title names the label in backticks}."""
    out: dict[str, list[str]] = {}
    for page in sorted(DOCS.glob("*.py")):
        if page.name.startswith("_") or page.name == "conf.py":
            continue
        if MARKER.search(page.read_text(encoding="utf-8")):
            continue
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("# # "):
                for label in re.findall(r"`((?:fb|ll|new|loss):[^`*]+)`", line):
                    out.setdefault(label, []).append(page.stem)
                break
    return out


def statement_cells(prefix: str) -> list:
    """The generated cells of every registered label of chain `prefix`."""
    import nbformat.v4 as nbf
    from _illustrations import ILLUSTRATIONS

    from proofs_check import obligations
    from theory import registry

    def code(source: str, *tags: str):
        return nbf.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})

    worked = worked_pages()
    cells = []
    for s in registry():
        if s.label.split(":", 1)[0] != prefix:
            continue
        label = s.label
        from _statements import heading

        head = heading(label)
        if label in worked:
            head += "\n\nWorked example: " + ", ".join(f"{{doc}}`{p}`" for p in worked[label])
        cells.append(nbf.new_markdown_cell(head))
        cells.append(code(f"statement_block({label!r})", "remove-input"))
        cells.append(code(f"proof_sketch({label!r})", "remove-input"))
        cells.append(code(f"results = checks({label!r})"))
        if label in ILLUSTRATIONS:
            cells.append(code(f"illustrate({label!r})", "hide-input"))
        cells.append(code(f"tests_block({label!r})", "remove-input"))
        defects = [ob for ob in obligations([label]) if str(ob.expect) == "defect"]
        if s.flags or defects:
            cells.append(code(f"defect_block({label!r}, results)", "remove-input"))
    return cells


def read_page(text: str, **_: object):
    """The notebook of a py:percent page, with its `# @statements` cells expanded."""
    import jupytext

    notebook = jupytext.reads(text, fmt="py:percent")
    cells = []
    for cell in notebook.cells:
        match = MARKER.match(cell.source) if cell.cell_type == "code" else None
        if match:
            cells.extend(statement_cells(match.group(1)))
        else:
            cells.append(cell)
    notebook.cells = cells
    return notebook
