"""The docs' presentation helpers: the interactive blueprint graph and plain-text formulas.

`docs/_blueprint_graph.py` draws `_blueprint_data`'s graph as SVG for the page's script;
`docs/_plain_math.py` typesets the formulas of a statement's Unicode `text` line. The
browser check (`test_docs_browser.py`) sees the result in Chromium; these run in seconds.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from theory import registry

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def docs():
    sys.path.insert(0, str(DOCS))
    try:
        import _blueprint_data
        import _blueprint_graph
        import _plain_math

        yield _blueprint_data, _blueprint_graph, _plain_math
    finally:
        sys.path.remove(str(DOCS))


def test_graph_has_a_linked_node_per_statement_in_its_status_colour(docs):
    bp, graph, _ = docs
    rows = bp.status_rows(registry(), [], {})
    svg = graph.interactive_graph(rows)
    nodes = re.findall(r'<a class="bp-node" href="([^"]+)" data-label="([^"]+)" '
                       r'data-status="([^"]+)" data-uses="([^"]*)"[^>]*>.*?fill="([^"]+)"', svg)
    assert sorted(lb for _, lb, *_ in nodes) == sorted(registry().labels())
    by = {r.label: r for r in rows}
    for href, label, status, uses, fill in nodes:
        assert href == bp.href(label) and status == by[label].status
        assert fill == bp.COLOURS[status]
        assert set(uses.split()) == set(by[label].uses)
    edges = re.findall(r'class="bp-edge" data-from="([^"]+)" data-to="([^"]+)"', svg)
    assert sorted(edges) == sorted(bp.graph_data(rows)[1])
    assert f'data-status="{bp.UNCHECKED}"' in svg.split("<svg", 1)[0], "legend lacks a status"


def test_boxes_do_not_overlap(docs):
    bp, graph, _ = docs
    svg = graph.interactive_graph(bp.status_rows(registry(), [], {}))
    boxes = [tuple(map(float, m)) for m in re.findall(
        r'<rect x="([-0-9.]+)" y="([-0-9.]+)" width="([0-9.]+)" height="([0-9.]+)"', svg)]
    clash = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
             if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3]
             and b[1] < a[1] + a[3]]
    assert not clash, clash[:3]


@pytest.mark.parametrize(("text", "expected"), [
    ("E‖X‖² < ∞, u ↦ ℒ(y,u) convex and L-Lipschitz, R_m ≥ R̲.",
     r"$E\|X\|^{2} < \infty$, $u \mapsto \mathcal{L}(y,u)$ convex and L-Lipschitz, "
     r"$R_{m} \ge \underline{R}$."),
    ("|ℒ'(u) − ℒ'(v)| ≤ H|u − v|^α, 0 < α ≤ 1",
     r"$|\mathcal{L}'(u) - \mathcal{L}'(v)| \le H|u - v|^{\alpha}$, $0 < \alpha \le 1$"),
    ("δ_{W_A}(m−l, r; m) as in ll:thm-dimfree's clause",
     r"$\delta_{W_{A}}(m-l, r; m)$ as in ll:thm-dimfree's clause"),
    ("a path to a lower point", "a path to a lower point"),
    ("ℒ(y, u) = (u - y)**2", r"$\mathcal{L}(y, u) = \left(u - y\right)^{2}$"),
])
def test_plain_formulas_are_typeset(docs, text, expected):
    _, _, pm = docs
    assert pm.typeset(text) == expected


def test_no_statement_line_keeps_a_plain_formula(docs):
    """After typesetting, the text outside `$…$` of every statement holds no formula markup."""
    _, _, pm = docs
    markup = re.compile(r"[_^‖≤≥∞↦√²ᵀ₁ℒ]|\*\*")
    left = {}
    for s in registry():
        if s.text:
            out = pm.typeset(s.text)
            assert out.count("$") % 2 == 0, s.label
            outside = re.sub(r"\$[^$]*\$", " ", out)
            outside = re.sub(r"\b(?:fb|ll|new|loss):[\w.-]+", " ", outside)  # labels
            if markup.search(outside):
                left[s.label] = outside
    assert not left, left
