"""Figures (PNG + SVG) and the `report.md` that links every table and figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

from experiments._io import write_text_atomic

matplotlib.use("Agg")
import matplotlib.pyplot as plt


@dataclass
class Section:
    """One experiment's part of the report: markdown text and its figures."""

    title: str
    text: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)  # (relative png path, caption)

    def markdown(self) -> str:
        parts = [f"## {self.title}", "", self.text.strip(), ""]
        for png, caption in self.figures:
            svg = png[:-4] + ".svg"
            parts += [f"![{caption}]({png})", "", f"*{caption}* ([SVG]({svg}))", ""]
        return "\n".join(parts)


def save_figure(fig, out: Path, stem: str) -> str:
    """Save `fig` as out/figures/stem.{png,svg}; return the PNG path relative to `out`."""
    folder = out / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    for ext in ("png", "svg"):
        fig.savefig(folder / f"{stem}.{ext}", dpi=130, bbox_inches="tight")
    plt.close(fig)
    return f"figures/{stem}.png"


def markdown_table(rows: list[dict], columns: list[str] | None = None, digits: int = 4) -> str:
    if not rows:
        return "*(no rows)*"
    columns = columns or list(rows[0])

    def fmt(v):
        if isinstance(v, float):
            return f"{v:.{digits}g}"
        return str(v)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(fmt(r.get(c, "")) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def write_report(out: Path, title: str, sections: list[Section], provenance: dict) -> Path:
    lines = [f"# {title}", ""]
    lines += [
        f"Run {provenance.get('timestamp', '?')}, seed {provenance.get('seed')}, "
        f"device {provenance.get('device')}, commit `{provenance.get('git_commit', '?')}`, "
        f"scale **{provenance.get('config', {}).get('scale', '?')}**, "
        f"time taken {provenance.get('elapsed_s', '?')} s. "
        "Full provenance: [run.json](run.json).",
        "",
    ]
    for s in sections:
        lines.append(s.markdown())
    return write_text_atomic(out / "report.md", "\n".join(lines))
