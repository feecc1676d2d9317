"""Helpers shared by the docs pages (not a page: `conf.py` excludes `_*.py`).

Main definitions: `REPO` (the checkout the docs describe), `Html` / `Markdown` (strings
that Jupyter displays as HTML / MyST markdown, no IPython import needed), `html_table`,
`lemma_tests` (test node ids per `lemma("label")` marker, from a real pytest collection),
`checks_table` (one row per proof obligation result), `tests_table`, `statement_card`,
`cell_math`, `along` (F sampled along every segment of a path, by arc length).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import sympy as sp
import torch

import theory
from numerics import segment_values
from theory import registry

REPO = Path(theory.__file__).resolve().parents[1]
TESTS = REPO / "tests"

# status → cell colour, shared by every table and by the blueprint graph
COLOURS = {
    "passed": "#b7e1b0",
    "refuted": "#cfe3f7",
    "flagged": "#f9d38c",
    "failed": "#f2a0a0",
    "undecided": "#d9d2e9",
    "steps checked": "#b7e1b0",
    "no checks": "#eeeeee",
}


class Html(str):
    """A string that Jupyter (and so myst-nb) displays as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


class Markdown(str):
    """A string that Jupyter displays as markdown (rendered as MyST: `$…$` is math)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def html_table(header: Sequence[str], rows: Iterable[Sequence[object]],
               status_column: int | None = None) -> Html:
    """An HTML table; the cell in `status_column` is coloured by `COLOURS`."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for j, cell in enumerate(row):
            text = html.escape(str(cell))
            style = ""
            if j == status_column and str(cell) in COLOURS:
                style = f' style="background:{COLOURS[str(cell)]}"'
            cells.append(f"<td{style}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return Html(f'<table class="docutils"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>")


_COLLECT = r"""
import json, sys
import pytest

class LemmaMarks:
    def __init__(self):
        self.found = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items):
        for item in items:
            for mark in item.iter_markers("lemma"):
                self.found.setdefault(mark.args[0], set()).add(item.nodeid)

plugin = LemmaMarks()
code = pytest.main(["--collect-only", "-qq", "-m", "", "-p", "no:cacheprovider", "tests"],
                   plugins=[plugin])
with open(sys.argv[1], "w") as out:
    json.dump({label: sorted(ids) for label, ids in plugin.found.items()}, out)
sys.exit(int(code))
"""


def lemma_tests() -> dict[str, list[str]]:
    """{label: sorted node ids of the collected tests marked `lemma(label)`}.

    Counted from a real `pytest --collect-only` of `tests/` (slow tests included), in a
    subprocess: every parametrized case is one test, and marks set by `pytestmark` or by
    `pytest.param(..., marks=...)` are found exactly as pytest applies them.
    Raises `RuntimeError` (with pytest's output) when the collection fails.
    """
    if not TESTS.is_dir():
        raise RuntimeError(f"no tests/ folder next to the theory package at {REPO}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lemma-tests.json"
        proc = subprocess.run([sys.executable, "-c", _COLLECT, str(out)], cwd=REPO,
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"pytest collection failed ({proc.returncode}):\n"
                               f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
        return json.loads(out.read_text())


def function_names(node_ids: Iterable[str]) -> list[str]:
    """Distinct test functions of `node_ids` (parametrized cases merged)."""
    return sorted({re.sub(r"\[.*\]$", "", node) for node in node_ids})


def checks_table(results) -> Html:
    """One row per obligation result: label, step, method, status, detail."""
    rows = []
    for r in results:
        note = r.explanation if str(r.status) == "flagged" and r.explanation else r.detail
        if r.counterexample:
            note = f"{note} — counterexample {r.counterexample}"
        rows.append((r.label, r.step, r.method, str(r.status), note, f"{r.seconds:.2f}"))
    return html_table(("label", "step", "method", "status", "detail", "s"), rows,
                      status_column=3)


def tests_table(labels: Sequence[str], tests: dict[str, list[str]]) -> Html:
    """The test functions marked `lemma(label)` for each of `labels`, with case counts."""
    rows = []
    for label in labels:
        ids = tests.get(label, [])
        for function in function_names(ids):
            cases = sum(1 for node in ids if re.sub(r"\[.*\]$", "", node) == function)
            rows.append((label, function, cases))
        if not ids:
            rows.append((label, "— no test marked with this label —", 0))
    return html_table(("label", "test function", "cases"), rows)


def cell_math(expr: sp.Expr) -> str:
    """`$latex$` of `expr` that is safe inside a markdown table cell (no bare `|`)."""
    latex = sp.latex(expr).replace(r"\left|", r"\left\lvert ").replace(r"\right|", r"\right\rvert ")
    return f"${latex}$"


def statement_card(label: str) -> Markdown:
    """The registered statement `label`: title, kind, source, uses, hypotheses, conclusion."""
    s = registry().get(label)
    lines = [f"**`{s.label}`** — {s.title} ({s.kind}, {s.source})", ""]
    if s.uses:
        lines += ["uses: " + ", ".join(f"`{u}`" for u in s.uses), ""]
    if s.hypotheses:
        hyps = r",\quad ".join(sp.latex(h) for h in s.hypotheses)
        lines += ["hypotheses:", "", f"$$ {hyps} $$", ""]
    lines += ["conclusion:", "", f"$$ {sp.latex(s.conclusion)} $$", ""]
    if s.text:
        lines += [f"> {s.text}", ""]
    for flag in s.flags:
        lines += [f"**flag** (`{flag.step}`): {flag.explanation}", ""]
    return Markdown("\n".join(lines))


def along(problem, path, points: int = 41) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """F sampled densely along `path` (a `numerics.paths.Path` of `problem`'s model).

    **Returns** (position, F, vertex_position): position in [0, 1] is arc length in
    parameter space over the total, shape `(segments·points,)`; F at those points; the
    positions of the vertices, shape `(V,)`.
    """
    V = path.vertices
    t = torch.linspace(0, 1, points, dtype=V.dtype)
    F = segment_values(problem, V[:-1], V[1:], t)  # (segments, points)
    lengths = path.segment_lengths()
    vertex = torch.cat([lengths.new_zeros(1), lengths.cumsum(0)]) / lengths.sum()
    position = vertex[:-1, None] + t * (vertex[1:] - vertex[:-1])[:, None]
    return position.flatten(), F.flatten(), vertex
