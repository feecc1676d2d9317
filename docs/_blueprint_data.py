"""The blueprint's data: a status per statement derived from this run's checks, and the graph.

Not a page (`conf.py` excludes `_*.py`); `blueprint.py` and the statement pages import it,
and `tests/test_docs.py` tests it. Main definitions:

- `derive_status(statement, results, tests)` → `(status, note)`; the statuses, in order of
  precedence: `FAILED`, `UNDECIDED`, `FLAGGED`, `NOT_RUN`, `KERNEL_CHECKED`,
  `NUMERICALLY_TESTED`, `CHECKED` ("steps checked"), `UNCHECKED` ("no checks").
- `status_rows(registry, results, tests)` → one `Row` per statement.
- `graph_data(rows)` → nodes (label, status, colour, position, anchor) and `uses` edges:
  what the blueprint graph draws, as plain data (a test breaks an obligation and reads
  the colour of its node here).
- `dependency_graph(rows)` → the graph as inline SVG, every node a link to its section.

`tests` maps a label to its collected tests, each a `TestCase` (node id, file, line,
whether it compares the statement with a measurement); see `_literate.lemma_test_cases`.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from proofs_check import Result, Status
from theory import Registry, Statement

CHECKED = "steps checked"
NUMERICALLY_TESTED = "numerically tested"
KERNEL_CHECKED = "kernel-checked"
FLAGGED = "flagged"
FAILED = "failed"
UNDECIDED = "undecided"
NOT_RUN = "not run"
UNCHECKED = "no checks"

#: every derived status, most severe first (the order of precedence)
STATUSES = (FAILED, UNDECIDED, FLAGGED, NOT_RUN, KERNEL_CHECKED, NUMERICALLY_TESTED, CHECKED,
            UNCHECKED)

#: status (of a statement or of one obligation result) → fill colour; failures are red
COLOURS = {
    FAILED: "#e06666",
    UNDECIDED: "#b4a7d6",
    FLAGGED: "#f9cb6b",
    NOT_RUN: "#d5c4a1",  # a tool was missing (the same colour for a statement and a check)
    KERNEL_CHECKED: "#5fae5a",
    NUMERICALLY_TESTED: "#93c47d",
    CHECKED: "#d2ebc9",
    UNCHECKED: "#eeeeee",
    "passed": "#d2ebc9",
    "refuted": "#cfe3f7",
}


@dataclass(frozen=True)
class TestCase:
    """One collected test marked `lemma(label)`."""

    __test__ = False  # not a pytest class

    node: str
    file: str = ""
    line: int = 0
    measures: bool = False


def is_kernel_check(result: Result) -> bool:
    """Whether `result` is a proof-assistant (Coq) check: its method name starts with coq."""
    return str(result.method).lower().startswith("coq")


def derive_status(statement: Statement, results: Sequence[Result],
                  tests: Sequence[TestCase] = ()) -> tuple[str, str]:
    """(status, note) of `statement` from the results of its own obligations and its tests.

    1. **failed**: an obligation failed, or a flag recorded on the statement names a step
       whose check did not confirm it (a `flagged` or `refuted` result of that step);
    2. **undecided**: an obligation is undecided (only a decided `True` passes);
    3. **flagged**: a recorded flag was confirmed (or a defect obligation reported
       `flagged`); the note holds the explanation;
    3½. **not run**: every other obligation passed, but one could not run because its
       tool (Coq's `coqc`) is absent; the note names the tool and its install line;
    4. **kernel-checked**: every obligation passed (or was refuted as expected) and at
       least one of them is a Coq proof that the kernel accepted in this run;
    5. **numerically tested**: every obligation passed and a test marked `lemma(label)`
       compares the statement with a measurement;
    6. **steps checked**: every obligation passed or was refuted as expected;
    7. **no checks**: no obligation is registered.
    """
    if not results:
        return UNCHECKED, "no proof obligation is registered"
    failed = [r for r in results if r.status is Status.FAILED]
    confirmed = {r.step for r in results if r.status in (Status.FLAGGED, Status.REFUTED)}
    unconfirmed = [f.step for f in statement.flags if f.step not in confirmed]
    if failed or unconfirmed:
        notes = [f"{r.step}: {r.detail}" for r in failed]
        notes += [f"flag on {step} not confirmed by a check" for step in unconfirmed]
        return FAILED, "; ".join(notes)
    undecided = [r for r in results if r.status is Status.UNDECIDED]
    if undecided:
        return UNDECIDED, "; ".join(f"{r.step}: {r.detail}" for r in undecided)
    flagged = {f.step: f.explanation for f in statement.flags}
    flagged |= {r.step: r.explanation for r in results
                if r.status is Status.FLAGGED and r.step not in flagged}
    if flagged:
        return FLAGGED, "; ".join(f"{step}: {why}" for step, why in flagged.items())
    not_run = [r for r in results if r.status is Status.NOT_RUN]
    if not_run:
        return NOT_RUN, "; ".join(f"{r.step}: {r.detail}" for r in not_run)
    kernel = [r.step for r in results if is_kernel_check(r) and r.status is Status.PASSED]
    if kernel:
        return KERNEL_CHECKED, "Coq: " + ", ".join(kernel)
    measuring = [t.node for t in tests if t.measures]
    if measuring:
        return NUMERICALLY_TESTED, f"{len(measuring)} measuring test(s)"
    return CHECKED, ""


@dataclass(frozen=True)
class Row:
    """One statement of the blueprint: its derived status and its tests."""

    label: str
    title: str
    kind: str
    source: str
    uses: tuple[str, ...]
    obligations: Counter
    status: str
    note: str
    tests: int
    functions: int
    measuring: int


def _as_cases(tests: Iterable[TestCase | str]) -> list[TestCase]:
    return [t if isinstance(t, TestCase) else TestCase(str(t)) for t in tests]


def function_names(node_ids: Iterable[str]) -> list[str]:
    """Distinct test functions of `node_ids` (parametrized cases merged)."""
    return sorted({re.sub(r"\[.*\]$", "", node) for node in node_ids})


def status_rows(reg: Registry, results: Sequence[Result],
                tests: Mapping[str, Iterable[TestCase | str]]) -> list[Row]:
    """One `Row` per registered statement, in registry order.

    **Arguments** `results`: obligation results (any subset of labels; a statement without
    results gets "no checks"); `tests`: {label: `TestCase`s or plain node ids}.
    """
    by_label: dict[str, list[Result]] = {}
    for r in results:
        by_label.setdefault(r.label, []).append(r)
    rows = []
    for s in reg:
        own = by_label.get(s.label, [])
        cases = _as_cases(tests.get(s.label, ()))
        status, note = derive_status(s, own, cases)
        rows.append(Row(s.label, s.title, str(s.kind), str(s.source), tuple(s.uses),
                        Counter(str(r.status) for r in own), status, note, len(cases),
                        len(function_names(t.node for t in cases)),
                        sum(t.measures for t in cases)))
    return rows


def chain(label: str) -> str:
    """The source chain of `label`: its prefix (fb, ll, new, loss)."""
    return label.split(":", 1)[0]


def anchor(label: str) -> str:
    """The HTML id of `label`'s section (docutils' normalisation of the label)."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def href(label: str, page: str = "statements_{chain}.html") -> str:
    """The link to `label`'s section from a page of the same folder."""
    return f"{page.format(chain=chain(label))}#{anchor(label)}"


# ----------------------------------------------------------------------------- layout


def depths(rows: Sequence[Row]) -> dict[str, int]:
    """Dependency depth: 0 without `uses`, else 1 + the largest depth of a used label."""
    uses = {r.label: [u for u in r.uses] for r in rows}
    depth: dict[str, int] = {}

    def visit(label: str) -> int:
        if label not in depth:
            depth[label] = 1 + max((visit(u) for u in uses.get(label, ())), default=-1)
        return depth[label]

    for label in uses:
        visit(label)
    return depth


def layout(rows: Sequence[Row]) -> dict[str, tuple[float, float]]:
    """(x, y) per label: columns by depth, loss:* statements on a row below.

    Columns right of the first are ordered by the mean height of what they use; then the
    first column is reordered by the mean height of its dependents and the rest redone.
    """
    depth = depths(rows)
    uses = {r.label: r.uses for r in rows}
    graph = [r.label for r in rows if chain(r.label) != "loss"]
    columns: dict[int, list[str]] = {}
    for label in graph:
        columns.setdefault(depth[label], []).append(label)
    dependents = {label: [s for s in graph if label in uses[s]] for label in graph}
    pos: dict[str, tuple[float, float]] = {}

    def place(d: int) -> None:
        top = (len(columns[d]) - 1) / 2
        for i, label in enumerate(columns[d]):
            pos[label] = (3.2 * d, top - i)

    def mean_height(labels: Sequence[str]) -> float:
        placed = [pos[u][1] for u in labels if u in pos]
        return -sum(placed) / len(placed) if placed else 0.0

    for sweep in range(2):
        if sweep and 0 in columns:  # statements nothing uses go to the bottom of column 0
            columns[0].sort(key=lambda s: mean_height(dependents[s]) if dependents[s]
                            else float("inf"))
        for d in sorted(columns):
            if d:
                columns[d].sort(key=lambda s: mean_height(uses[s]))
            place(d)
    tallest = max((len(c) for c in columns.values()), default=1)
    losses = [r.label for r in rows if chain(r.label) == "loss"]
    width = 3.2 * max(columns, default=1)
    for i, label in enumerate(losses):
        pos[label] = (width * i / max(1, len(losses) - 1), -tallest / 2 - 1.5)
    return pos


@dataclass(frozen=True)
class Node:
    label: str
    status: str
    colour: str
    x: float
    y: float
    href: str


def graph_data(rows: Sequence[Row], page: str = "statements_{chain}.html"
               ) -> tuple[list[Node], list[tuple[str, str]]]:
    """(nodes, edges) of the blueprint graph; an edge (u, s) means the proof of s uses u.

    Each node carries its derived status and fill colour and a link to its section
    (`page` formatted with the label's chain, then `#anchor`).
    """
    pos = layout(rows)
    labels = {r.label for r in rows}
    nodes = [Node(r.label, r.status, COLOURS[r.status], *pos[r.label], href(r.label, page))
             for r in rows]
    edges = [(u, r.label) for r in rows for u in r.uses if u in labels]
    return nodes, edges


def dependency_graph(rows: Sequence[Row], page: str = "statements_{chain}.html") -> str:
    """The `uses` graph as an inline SVG string: boxes coloured by status, each a link."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    nodes, edges = graph_data(rows, page)
    at = {n.label: n for n in nodes}
    xs = [n.x for n in nodes]
    ys = [n.y for n in nodes]
    fig, ax = plt.subplots(figsize=(14, 0.5 * (max(ys) - min(ys)) + 2.2))
    boxes = {}
    for n in nodes:
        boxes[n.label] = ax.text(
            n.x, n.y, n.label, ha="center", va="center", fontsize=9, zorder=3, url=n.href,
            bbox={"boxstyle": "round,pad=0.3", "facecolor": n.colour, "edgecolor": "0.3",
                  "url": n.href},
        )
    for u, s in edges:
        ax.annotate("", xy=(at[s].x, at[s].y), xytext=(at[u].x, at[u].y), zorder=1,
                    arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 0.8,
                                "shrinkA": 0, "shrinkB": 0,
                                "patchA": boxes[u].get_bbox_patch(),
                                "patchB": boxes[s].get_bbox_patch(),
                                "connectionstyle": "arc3,rad=0.08"})
    ax.set_xlim(min(xs) - 1.6, max(xs) + 1.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.axis("off")
    present = [s for s in STATUSES if any(n.status == s for n in nodes)]
    ax.legend(handles=[Patch(facecolor=COLOURS[s], edgecolor="0.3", label=s) for s in present],
              loc="upper left", bbox_to_anchor=(0, 1.03), ncol=len(present), frameon=False)
    ax.set_title("Dependency graph: an arrow u → s means the proof of s uses u; "
                 "colour = derived status", fontsize=10, loc="left", pad=18)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # scale with the page: drop the fixed size, keep the viewBox
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    return (f'<div id="blueprint-graph" class="blueprint-graph" role="img" '
            f'aria-label="dependency graph of every statement">{svg}</div>')


def status_counts(rows: Sequence[Row]) -> str:
    """"N status, …" over `rows`, in order of precedence."""
    counts = Counter(r.status for r in rows)
    return ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
