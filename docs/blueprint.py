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
# # Blueprint
#
# In the manner of a Lean blueprint: every statement of `THEORY.md` with its label, the
# labels its proof `uses`, and a status **derived** from the proof-step checks that ran
# while this page was built — no status on this page is typed by hand.
#
# The checks are `proofs_check.run_checks()`: each proof step of each statement is one
# obligation decided by sympy, z3 or certified interval arithmetic. Statement status and
# test coverage are tracked apart: the last column counts the tests marked
# `lemma("label")` in `tests/`, found by a real `pytest --collect-only`.
#
# Importing this file (as `tests/test_docs.py` does) defines the functions below and runs
# nothing expensive: the checks and the collection run only when the page is executed.

# %%
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import matplotlib.pyplot as plt
from _literate import COLOURS, function_names, html_table, lemma_tests
from matplotlib.patches import Patch

from proofs_check import Result, Status, run_checks
from theory import Registry, Statement, registry

PAGE = __name__ == "__main__"  # executed as a docs page, not imported by a test

# %% [markdown]
# ## Deriving a statement's status
#
# Each obligation result is `passed`, `refuted` (a negative control whose claim must be
# false: the check had to find a counterexample), `flagged` (a recorded defect of the
# source, confirmed), `failed` or `undecided`. A statement's status is, in this order:
#
# 1. **failed** if any of its obligations failed, or if a flag recorded on the statement
#    names a step whose check did not confirm it (a flag is confirmed by a `flagged` or a
#    `refuted` result of that step);
# 2. **undecided** if any obligation is undecided (only a decided `True` passes);
# 3. **flagged** if a recorded flag was confirmed (or a defect obligation reported
#    `flagged`); its explanation is shown;
# 4. **steps checked** if every obligation passed or was refuted as expected;
# 5. **no checks** if no obligation is registered for it.

# %%
CHECKED, FLAGGED, FAILED, UNDECIDED, UNCHECKED = (
    "steps checked", "flagged", "failed", "undecided", "no checks")


def derive_status(statement: Statement, results: list[Result]) -> tuple[str, str]:
    """(status, note) of `statement` from the results of its own obligations."""
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
    return CHECKED, ""


@dataclass(frozen=True)
class Row:
    """One statement of the blueprint: its derived status and its test count."""

    label: str
    title: str
    kind: str
    uses: tuple[str, ...]
    obligations: Counter
    status: str
    note: str
    tests: int
    functions: int


def status_rows(reg: Registry, results: list[Result],
                tests: dict[str, list[str]]) -> list[Row]:
    """One `Row` per registered statement, in registry order.

    **Arguments** `results`: obligation results (any subset of labels; a statement without
    results gets "no checks"); `tests`: {label: test node ids} as `lemma_tests` returns.
    """
    by_label: dict[str, list[Result]] = {}
    for r in results:
        by_label.setdefault(r.label, []).append(r)
    rows = []
    for s in reg:
        own = by_label.get(s.label, [])
        status, note = derive_status(s, own)
        ids = tests.get(s.label, [])
        rows.append(Row(s.label, s.title, str(s.kind), s.uses,
                        Counter(str(r.status) for r in own), status, note,
                        len(ids), len(function_names(ids))))
    return rows


def status_table(rows: list[Row]):
    """The status table: label, kind, title, obligations by status, status, tests."""
    return html_table(
        ("label", "kind", "title", "obligations", "status", "note", "tests (functions)"),
        [(r.label, r.kind, r.title,
          ", ".join(f"{n} {k}" for k, n in sorted(r.obligations.items())) or "—",
          r.status, r.note, f"{r.tests} ({r.functions})") for r in rows],
        status_column=4,
    )


# %% [markdown]
# ## The checks of this build
#
# Every obligation of every statement runs here (about ten seconds), then the test
# suite is collected (not run) to count the tests per label. A test is one collected
# item: each parametrized case counts once, slow tests included; in brackets, the number
# of distinct test functions.

# %%
results = run_checks() if PAGE else []
tests = lemma_tests() if PAGE else {}
rows = status_rows(registry(), results, tests)
print(f"{len(results)} obligations over {len(rows)} statements:",
      ", ".join(f"{n} {k}" for k, n in sorted(Counter(str(r.status) for r in results).items())))
print("statements:", ", ".join(f"{n} {k}" for k, n in Counter(r.status for r in rows).items()))

# %% [markdown]
# ## Status per statement

# %%
status_table(rows)

# %% [markdown]
# ## Dependency graph
#
# An arrow $u \to s$ means the proof of $s$ uses $u$. Columns are dependency depth
# (a statement sits one column right of the deepest statement it uses); within a column,
# statements are ordered by the mean height of what they use. The loss catalogue
# (`loss:*`, no `uses` edges) is the bottom row. Colours are the derived statuses above.


# %%
def depths(rows: list[Row]) -> dict[str, int]:
    """Dependency depth: 0 without `uses`, else 1 + the largest depth of a used label."""
    uses = {r.label: r.uses for r in rows}
    depth: dict[str, int] = {}

    def visit(label: str) -> int:
        if label not in depth:
            depth[label] = 1 + max((visit(u) for u in uses[label]), default=-1)
        return depth[label]

    for label in uses:
        visit(label)
    return depth


def layout(rows: list[Row]) -> dict[str, tuple[float, float]]:
    """(x, y) per label: columns by depth, loss:* statements on a row below.

    Columns right of the first are ordered by the mean height of what they use; then the
    first column is reordered by the mean height of its dependents and the rest redone.
    """
    depth = depths(rows)
    uses = {r.label: r.uses for r in rows}
    graph = [r.label for r in rows if not r.label.startswith("loss:")]
    columns: dict[int, list[str]] = {}
    for label in graph:
        columns.setdefault(depth[label], []).append(label)
    dependents = {label: [s for s in graph if label in uses[s]] for label in graph}
    pos: dict[str, tuple[float, float]] = {}

    def place(d: int) -> None:
        top = (len(columns[d]) - 1) / 2
        for i, label in enumerate(columns[d]):
            pos[label] = (3.2 * d, top - i)

    for sweep in range(2):
        if sweep:  # statements nothing uses go to the bottom of the first column
            columns[0].sort(key=lambda s: -sum(pos[t][1] for t in dependents[s])
                            / len(dependents[s]) if dependents[s] else float("inf"))
        place(0)
        for d in sorted(columns)[1:]:
            columns[d].sort(key=lambda s: -sum(pos[u][1] for u in uses[s]) / len(uses[s]))
            place(d)
    tallest = max(len(c) for c in columns.values())
    losses = [r.label for r in rows if r.label.startswith("loss:")]
    width = 3.2 * max(columns)
    for i, label in enumerate(losses):
        pos[label] = (width * i / max(1, len(losses) - 1), -tallest / 2 - 1.5)
    return pos


def dependency_graph(rows: list[Row]):
    """The `uses` graph of `rows` as a matplotlib figure, boxes coloured by status."""
    pos = layout(rows)
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    fig, ax = plt.subplots(figsize=(14, 0.55 * (max(ys) - min(ys)) + 2.5))
    boxes = {}
    for r in rows:
        x, y = pos[r.label]
        boxes[r.label] = ax.text(
            x, y, r.label, ha="center", va="center", fontsize=8, zorder=3,
            bbox={"boxstyle": "round,pad=0.3", "facecolor": COLOURS[r.status],
                  "edgecolor": "0.3"},
        )
    for r in rows:
        for u in r.uses:
            ax.annotate("", xy=pos[r.label], xytext=pos[u], zorder=1, arrowprops={
                "arrowstyle": "-|>", "color": "0.45", "lw": 0.8, "shrinkA": 0,
                "shrinkB": 0, "patchA": boxes[u].get_bbox_patch(),
                "patchB": boxes[r.label].get_bbox_patch(),
                "connectionstyle": "arc3,rad=0.08"})
    ax.set_xlim(min(xs) - 1.6, max(xs) + 1.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.axis("off")
    present = sorted({r.status for r in rows})
    ax.legend(handles=[Patch(facecolor=COLOURS[s], edgecolor="0.3", label=s) for s in present],
              loc="upper left", bbox_to_anchor=(0, 1.02), ncol=len(present), frameon=False)
    fig.tight_layout()
    return fig


# %%
if PAGE:
    dependency_graph(rows)

# %% [markdown]
# ## What the statuses do not say
#
# "steps checked" means each registered proof step was decided by a symbolic or certified
# method; it is not a machine-checked proof of the whole statement (the steps are the
# project's decomposition of the source's argument). The numerical experiments that
# probe the statements on data are in the other pages and in `relu-landscape reproduce`.
