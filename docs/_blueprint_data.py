"""The blueprint's data: a status per statement derived from this run's checks, and the graph.

Not a page (`conf.py` excludes `_*.py`); `blueprint.py` and the statement pages import it,
and `tests/test_docs.py` tests it. Main definitions:

- `derive_status(statement, results, tests, assumed)` → `(status, note)` from the
  statement's own checks; the statuses, in order of precedence: `FAILED`, `UNDECIDED`,
  `FLAGGED`, `NOT_RUN`, `MODULO` ("checked modulo assumptions"), `KERNEL_USING`
  ("kernel-checked, using: …"), `KERNEL_CHECKED`, `NUMERICALLY_TESTED`, `CHECKED`
  ("steps checked"), `UNCHECKED` ("no checks").
- `status_rows(registry, results, tests, assumed)` → one `Row` per statement, its status
  *ancestor-closed* (`close_over_uses`): kernel-checked only if everything it uses,
  transitively, is; checked without assumptions only if nothing it uses has one.
- `graph_data(rows)` → nodes (label, status, colour, position, anchor) and `uses` edges:
  what the blueprint graph draws, as plain data (a test breaks an obligation and reads
  the colour of its node here).

`tests` maps a label to its collected tests, each a `TestCase` (node id, file, line,
whether it compares the statement with a measurement); see `_literate.lemma_test_cases`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from proofs_check import Assumption, Result, Status
from theory import Registry, Statement

CHECKED = "steps checked"
NUMERICALLY_TESTED = "numerically tested"
KERNEL_CHECKED = "kernel-checked"
FLAGGED = "flagged"
FAILED = "failed"
UNDECIDED = "undecided"
NOT_RUN = "not run"
UNCHECKED = "no checks"
#: every check passed, but the proof (its own or that of a statement it uses) rests on
#: recorded assumptions (`proofs_check.assume`): "checked modulo N assumptions"
MODULO = "checked modulo assumptions"
#: a Coq proof passed, but a statement it uses (transitively) is not kernel-checked
KERNEL_USING = "kernel-checked, using unchecked results"

#: every derived status, most severe first (the order of precedence)
STATUSES = (FAILED, UNDECIDED, FLAGGED, NOT_RUN, MODULO, KERNEL_USING, KERNEL_CHECKED,
            NUMERICALLY_TESTED, CHECKED, UNCHECKED)
#: the statuses a statement may have only if everything it uses has no assumption
CLEAN = (KERNEL_CHECKED, NUMERICALLY_TESTED, CHECKED)

#: status (of a statement or of one obligation result) → fill colour; failures are red
COLOURS = {
    FAILED: "#e06666",
    UNDECIDED: "#b4a7d6",
    FLAGGED: "#f9cb6b",
    NOT_RUN: "#d5c4a1",  # a tool was missing (the same colour for a statement and a check)
    MODULO: "#9ec5ee",  # assumptions: their own colour (blue), never a shade of green
    KERNEL_USING: "#b7dd8f",
    KERNEL_CHECKED: "#5fae5a",
    NUMERICALLY_TESTED: "#93c47d",
    CHECKED: "#d2ebc9",
    UNCHECKED: "#eeeeee",
    "passed": "#d2ebc9",
    "refuted": "#cfe3f7",
    "assumed": "#9ec5ee",  # an assumption record, in the check tables
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
                  tests: Sequence[TestCase] = (), assumed: Sequence[Assumption] = ()
                  ) -> tuple[str, str]:
    """(status, note) of `statement` from the results of its own obligations, its tests and
    its recorded assumptions (`assumed`), not yet closed over what it uses
    (`close_over_uses` does that).

    1. **failed**: an obligation failed, or a flag recorded on the statement names a step
       whose check did not confirm it (a `flagged` or `refuted` result of that step);
    2. **undecided**: an obligation is undecided (only a decided `True` passes);
    3. **flagged**: a recorded flag was confirmed (or a defect obligation reported
       `flagged`); the note holds the explanation;
    3½. **not run**: every other obligation passed, but one could not run because its
       tool (Coq's `coqc`) is absent; the note names the tool and its install line;
    3¾. **checked modulo assumptions**: every obligation passed, and the proof rests on
       recorded assumptions (facts no obligation proves); the note counts and names them;
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
    if assumed:
        return MODULO, modulo_note(assumed) + (f"; Coq: {', '.join(kernel)}" if kernel else "")
    if kernel:
        return KERNEL_CHECKED, "Coq: " + ", ".join(kernel)
    measuring = [t.node for t in tests if t.measures]
    if measuring:
        return NUMERICALLY_TESTED, f"{len(measuring)} measuring test(s)"
    return CHECKED, ""


def modulo_note(assumed: Sequence[Assumption], inherited: Sequence[Assumption] = ()) -> str:
    """"checked modulo N assumptions: name (reason); …", those of used statements named
    with their label."""
    every = [*assumed, *inherited]
    plural = "" if len(every) == 1 else "s"
    parts = [f"{a.name} ({a.reason})" for a in assumed]
    parts += [f"{a.label} / {a.name}" for a in inherited]
    return f"checked modulo {len(every)} assumption{plural}: " + "; ".join(parts)


def ancestors(reg: Registry, label: str) -> list[str]:
    """Every label the proof of `label` uses, transitively, in registry order."""
    seen: set[str] = set()
    todo = list(reg.get(label).uses)
    while todo:
        u = todo.pop()
        if u not in seen and u in reg:
            seen.add(u)
            todo.extend(reg.get(u).uses)
    return [lb for lb in reg.labels() if lb in seen]


def close_over_uses(reg: Registry, own: Mapping[str, tuple[str, str]],
                    assumed: Mapping[str, Sequence[Assumption]]
                    ) -> dict[str, tuple[str, str, str]]:
    """{label: (status, shown, note)}: each statement's own status closed over its
    ancestors (what it uses, transitively).

    - own **kernel-checked**: stays so only if every ancestor is kernel-checked with no
      assumption; else **kernel-checked, using: …** naming those that are not;
    - own **numerically tested / steps checked**, and an ancestor has assumptions:
      **checked modulo N assumptions** (the ancestors' ones, named);
    - own assumptions already make it **checked modulo …** (N counts the ancestors' too;
      with a Coq proof, shown as "kernel-checked finite form; checked modulo N …": the
      kernel checks the finite-sample form, the stated form rests on the assumptions);
    - the failing and incomplete statuses are the statement's own, unchanged.
    `shown` is what a reader sees ("checked modulo 3 assumptions").
    """
    out: dict[str, tuple[str, str, str]] = {}
    for label in reg.labels():
        status, note = own[label]
        up = ancestors(reg, label)
        mine = list(assumed.get(label, ()))
        inherited = [a for u in up for a in assumed.get(u, ())]
        shown = status
        if status == MODULO or (status in (NUMERICALLY_TESTED, CHECKED) and inherited):
            kernel = note.split("; Coq: ")[1] if "; Coq: " in note else ""
            status = MODULO
            note = modulo_note(mine, inherited) + (f"; Coq: {kernel}" if kernel else "")
            n = len(mine) + len(inherited)
            shown = f"checked modulo {n} assumption{'' if n == 1 else 's'}"
            if kernel:  # the finite form is kernel-checked; the stated form rests on these
                shown = f"kernel-checked finite form; {shown}"
        elif status == KERNEL_CHECKED:
            weak = [u for u in up if own[u][0] != KERNEL_CHECKED or assumed.get(u)]
            if weak:
                status = KERNEL_USING
                shown = "kernel-checked, using: " + ", ".join(weak)
                note = f"{note}; not kernel-checked: " + ", ".join(
                    f"{u} ({own[u][0]})" for u in weak)
        out[label] = (status, shown, note)
    return out


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
    #: the status as a reader sees it: "checked modulo 3 assumptions",
    #: "kernel-checked, using: ll:sampling" (`status` is its category)
    shown: str = ""
    #: the statement's own recorded assumptions
    assumptions: tuple[Assumption, ...] = ()


def _as_cases(tests: Iterable[TestCase | str]) -> list[TestCase]:
    return [t if isinstance(t, TestCase) else TestCase(str(t)) for t in tests]


def function_names(node_ids: Iterable[str]) -> list[str]:
    """Distinct test functions of `node_ids` (parametrized cases merged)."""
    return sorted({re.sub(r"\[.*\]$", "", node) for node in node_ids})


def status_rows(reg: Registry, results: Sequence[Result],
                tests: Mapping[str, Iterable[TestCase | str]],
                assumed: Mapping[str, Sequence[Assumption]] | None = None) -> list[Row]:
    """One `Row` per registered statement, in registry order, its status ancestor-closed.

    **Arguments** `results`: obligation results (any subset of labels; a statement without
    results gets "no checks"); `tests`: {label: `TestCase`s or plain node ids};
    `assumed`: {label: recorded assumptions}, the project's (`proofs_check.assumptions`)
    if None.
    """
    if assumed is None:
        from proofs_check import assumptions_by_label

        assumed = assumptions_by_label()
    by_label: dict[str, list[Result]] = {}
    for r in results:
        by_label.setdefault(r.label, []).append(r)
    cases = {s.label: _as_cases(tests.get(s.label, ())) for s in reg}
    own = {s.label: derive_status(s, by_label.get(s.label, []), cases[s.label],
                                  assumed.get(s.label, ())) for s in reg}
    closed = close_over_uses(reg, own, assumed)
    rows = []
    for s in reg:
        mine = by_label.get(s.label, [])
        status, shown, note = closed[s.label]
        rows.append(Row(s.label, s.title, str(s.kind), str(s.source), tuple(s.uses),
                        Counter(str(r.status) for r in mine), status, note, len(cases[s.label]),
                        len(function_names(t.node for t in cases[s.label])),
                        sum(t.measures for t in cases[s.label]), shown,
                        tuple(assumed.get(s.label, ()))))
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
    #: the status as a reader sees it (`Row.shown`) and the own assumptions' count
    shown: str = ""
    assumptions: int = 0


def graph_data(rows: Sequence[Row], page: str = "statements_{chain}.html"
               ) -> tuple[list[Node], list[tuple[str, str]]]:
    """(nodes, edges) of the blueprint graph; an edge (u, s) means the proof of s uses u.

    Each node carries its derived status and fill colour and a link to its section
    (`page` formatted with the label's chain, then `#anchor`).
    """
    pos = layout(rows)
    labels = {r.label for r in rows}
    nodes = [Node(r.label, r.status, COLOURS[r.status], *pos[r.label], href(r.label, page),
                  r.shown or r.status, len(r.assumptions)) for r in rows]
    edges = [(u, r.label) for r in rows for u in r.uses if u in labels]
    return nodes, edges


def status_counts(rows: Sequence[Row]) -> str:
    """"N status, …" over `rows`, in order of precedence, then the number of recorded
    assumptions."""
    counts = Counter(r.status for r in rows)
    text = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    n = sum(len(r.assumptions) for r in rows)
    return text + (f"; {n} recorded assumption{'' if n == 1 else 's'}" if n else "")
