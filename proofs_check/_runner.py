"""Run obligations and render the results (table or JSON records)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping

from proofs_check._derive import Assumption, assumptions_by_label, one_run
from proofs_check._obligation import Result, obligations
from proofs_check._outcome import Status
from proofs_check._tools import TOOLS
from theory import registry


def run_checks(
    labels: Iterable[str] | None = None,
    progress: Callable[[Iterable], Iterable] = lambda it: it,
) -> list[Result]:
    """Check every obligation of `labels` (all statements if None).

    Raises `theory.UnknownLabelError` for a label that no statement has.
    """
    reg = registry()
    wanted = None
    if labels is not None:
        wanted = list(labels)
        for label in wanted:
            reg.get(label)
    with one_run():  # an assembly step reads the statuses of the steps it cites
        return [ob.check() for ob in progress(obligations(wanted))]


def failing(results: Iterable[Result], require: Iterable[str] = ()) -> list[Result]:
    """The results that make `relu-landscape check` exit 1: every status that is not `ok`,
    and `not run` when its tool (the method's name, `proofs_check._tools.TOOLS`) is in
    `require`."""
    required = set(require)
    return [r for r in results if not r.status.ok
            or (r.status is Status.NOT_RUN and r.method in required)]


def not_run_lines(results: Iterable[Result], require: Iterable[str] = ()) -> list[str]:
    """One line per absent tool: "10 kernel checks not run: coqc missing — apt-get install
    coq", marked "(required: a failure)" when the tool is in `require`."""
    by_tool: dict[str, int] = {}
    for r in results:
        if r.status is Status.NOT_RUN:
            by_tool[r.method] = by_tool.get(r.method, 0) + 1
    lines = []
    for name, n in by_tool.items():
        tool = TOOLS.get(name)
        what = (f"{tool.count(n)} not run: {tool.missing()}" if tool
                else f"{n} {name} checks not run")
        lines.append(what + ("   (required: a failure)" if name in set(require) else ""))
    return lines


def render_table(results: list[Result], require: Iterable[str] = (),
                 assumed: Mapping[str, list[Assumption]] | None = None) -> str:
    """The results as a table, the status counts, absent tools, and the assumptions of
    the statements checked (`assumption_lines`)."""
    header = ("label", "step", "method", "result", "seconds")
    rows = [(r.label, r.step, r.method, str(r.status), f"{r.seconds:.3f}") for r in results]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row, r in zip(rows, results, strict=True):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if r.status in ("refuted", "failed", "undecided", "flagged"):
            note = r.explanation if r.status == "flagged" and r.explanation else r.detail
            lines.append(f"    └ {note}")
            if r.counterexample:
                lines.append(f"    └ counterexample: {r.counterexample}")
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    assumed = _assumed_of(results, assumed)
    if assumed:
        counts["assumed"] = sum(len(v) for v in assumed.values())
    lines.append("")
    lines.append(", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    lines.extend(not_run_lines(results, require))
    lines.extend(assumption_lines(results, assumed))
    return "\n".join(lines)


def _assumed_of(results: list[Result], assumed: Mapping[str, list[Assumption]] | None
                ) -> Mapping[str, list[Assumption]]:
    if assumed is not None:
        return assumed
    labels = {r.label for r in results}
    if not labels <= set(registry().labels()):
        return {}
    return assumptions_by_label(labels)


def assumption_lines(results: list[Result],
                     assumed: Mapping[str, list[Assumption]] | None = None) -> list[str]:
    """Per statement with recorded assumptions: "LABEL: checked modulo N assumption(s)"
    (or what failed), then one line per assumption with its reason."""
    assumed = _assumed_of(results, assumed)
    if not assumed:
        return []
    bad = {r.label for r in failing(results)}
    lines = ["", "assumptions (facts no obligation proves; status: assumed):"]
    for label, items in assumed.items():
        state = "not checked" if label in bad else "checked"
        plural = "" if len(items) == 1 else "s"
        lines.append(f"  {label}: {state} modulo {len(items)} assumption{plural}")
        lines.extend(f"    └ {a.name}: {a.reason}" for a in items)
    return lines


def render_json(results: list[Result],
                assumed: Mapping[str, list[Assumption]] | None = None) -> str:
    """The results' records, then one record per assumption of their statements
    (``status: assumed``, ``method: assumption``, the reason as ``detail``)."""
    records = [r.as_record() for r in results]
    records += [a.as_record() for items in _assumed_of(results, assumed).values()
                for a in items]
    return json.dumps(records, indent=2)
