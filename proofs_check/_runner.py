"""Run obligations and render the results (table or JSON records)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from proofs_check._obligation import Result, obligations
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
    return [ob.check() for ob in progress(obligations(wanted))]


def render_table(results: list[Result]) -> str:
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
    lines.append("")
    lines.append(", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    return "\n".join(lines)


def render_json(results: list[Result]) -> str:
    return json.dumps([r.as_record() for r in results], indent=2)
