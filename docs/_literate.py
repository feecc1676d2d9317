"""Helpers shared by the docs pages (not a page: `conf.py` excludes `_*.py`).

Main definitions: `REPO` (the checkout the docs describe), `Html` / `Markdown` (strings
that Jupyter displays as HTML / MyST markdown, no IPython import needed), `html_table`,
`lemma_tests` (test node ids per `lemma("label")` marker, from a real pytest collection),
`checks_table` (one row per proof obligation result), `tests_table`, `statement_card`,
`cell_math`, `along` (F sampled along every segment of a path, by arc length).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import _blueprint_data as _bp
import sympy as sp
import torch

import theory
from numerics import segment_values
from theory import registry

REPO = Path(theory.__file__).resolve().parents[1]
TESTS = REPO / "tests"

# status → cell colour, shared by every table and by the blueprint graph
COLOURS = _bp.COLOURS


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
import inspect, json, sys, types
import pytest

MEASURING = ("numerics", "torch", "numpy")


def _code_names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _measuring(obj):
    mod = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", "")
    return isinstance(mod, str) and mod.split(".")[0] in MEASURING


def measures(item):
    for mark in item.iter_markers("lemma"):
        if "measures" in mark.kwargs:
            return bool(mark.kwargs["measures"])
    function = getattr(item, "function", None)
    hypothesis = getattr(function, "hypothesis", None)  # @given wraps the test body
    function = getattr(hypothesis, "inner_test", None) or inspect.unwrap(function or measures)
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    space = function.__globals__
    names = _code_names(code)
    for name in list(names):  # one level into the test module's own helpers
        helper = space.get(name)
        if inspect.isfunction(helper) and helper.__module__ == function.__module__:
            names |= _code_names(helper.__code__)
    return any(_measuring(space[name]) for name in names if name in space)


class LemmaMarks:
    def __init__(self):
        self.found = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items):
        for item in items:
            path, line, _ = item.location
            case = {"node": item.nodeid, "file": path, "line": (line or 0) + 1,
                    "measures": measures(item)}
            for mark in item.iter_markers("lemma"):
                cases = self.found.setdefault(mark.args[0], {})
                cases[item.nodeid] = case


plugin = LemmaMarks()
code = pytest.main(["--collect-only", "-qq", "-m", "", "-p", "no:cacheprovider", "tests"],
                   plugins=[plugin])
with open(sys.argv[1], "w") as out:
    json.dump({label: sorted(cases.values(), key=lambda c: c["node"])
               for label, cases in plugin.found.items()}, out)
sys.exit(int(code))
"""

#: folder where one build shares its expensive results between pages (set by `docs`)
CACHE_ENV = "RELU_LANDSCAPE_DOCS_CACHE"


@functools.cache
def _collect() -> dict[str, list[dict]]:
    if not TESTS.is_dir():
        raise RuntimeError(f"no tests/ folder next to the theory package at {REPO}")
    cache_dir = os.environ.get(CACHE_ENV)
    cached = Path(cache_dir) / "lemma-tests.json" if cache_dir else None
    if cached is not None and cached.is_file():
        return json.loads(cached.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lemma-tests.json"
        proc = subprocess.run([sys.executable, "-c", _COLLECT, str(out)], cwd=REPO,
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"pytest collection failed ({proc.returncode}):\n"
                               f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
        found = json.loads(out.read_text())
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        part = cached.with_suffix(f".{os.getpid()}.part")
        part.write_text(json.dumps(found))
        os.replace(part, cached)
    return found


def lemma_test_cases() -> dict[str, list[_bp.TestCase]]:
    """{label: the collected tests marked `lemma(label)`, as `TestCase`s}.

    From a real `pytest --collect-only` of `tests/` (slow tests included), in a
    subprocess: every parametrized case is one test, and marks set by `pytestmark` or by
    `pytest.param(..., marks=...)` are found exactly as pytest applies them. A test
    *measures* when its marker says so (`lemma(label, measures=True)`) or, by default,
    when its function (or a helper of its module that it calls) uses `numerics`, `torch`
    or `numpy`: it compares the statement with a computed measurement. Within one build
    (`relu-landscape docs`) the collection runs once and is shared by the pages.
    Raises `RuntimeError` (with pytest's output) when the collection fails.
    """
    return {label: [_bp.TestCase(c["node"], c["file"], c["line"], c["measures"])
                    for c in cases] for label, cases in _collect().items()}


def lemma_tests() -> dict[str, list[str]]:
    """{label: sorted node ids of the collected tests marked `lemma(label)`}."""
    return {label: sorted(c.node for c in cases)
            for label, cases in lemma_test_cases().items()}


function_names = _bp.function_names


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
    """The registered statement `label` in readable math, linked to its own section."""
    from _statements import statement_block

    s = registry().get(label)
    head = f"**{{ref}}`{s.label} <{s.label}>`** — {s.title}"
    return Markdown(head + "\n\n" + statement_block(label))


def along(problem, path, points: int = 41) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """F sampled densely along `path` (a `numerics.Path` of `problem`'s model).

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


_FIGURE = re.compile(r"!\[.*\]\(([^()\s]+\.(?:png|svg|jpe?g))\)$")


def report_parts(text: str) -> list[tuple[str, str]]:
    """A report.md section split for display: ("markdown", text) and ("figure", path).

    A line `![caption](path)` is a figure (the caption may hold brackets, e.g. "[B26]");
    links to files of the run folder are not pages of the site, so they become their text
    (a "([SVG](…))" note is dropped).
    """
    parts: list[tuple[str, str]] = []
    chunk: list[str] = []
    for line in text.splitlines():
        figure = _FIGURE.match(line.strip())
        if figure:
            parts.append(("markdown", "\n".join(chunk)))
            parts.append(("figure", figure.group(1)))
            chunk = []
            continue
        line = re.sub(r"\s*\(\[SVG\]\([^)]*\)\)", "", line)
        chunk.append(re.sub(r"!?\[([^\[\]]+)\]\((?!https?:)[^)]*\)", r"\1", line))
    parts.append(("markdown", "\n".join(chunk)))
    return [(kind, body) for kind, body in parts if kind == "figure" or body.strip()]
