"""Figures (PNG + SVG) and the `report.md` that links every table and figure."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np

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


# one colour-blind-safe palette for every experiment's figures (Okabe & Ito, 2008)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")


def log_strip(ax, groups: list[tuple[str, list[float], list[float]]], *, ylabel: str,
              colors: tuple[str, ...] = PALETTE) -> None:
    """Per group (label, values, resolutions): the values above their resolution r as points
    on a log axis with the median marked; values ≤ r (what DSS cannot resolve, exact zeros
    included) are *counted* in the tick label, never drawn at a floor."""
    labels, drawn = [], False
    for k, (label, values, resolutions) in enumerate(groups):
        above = [v for v, r in zip(values, resolutions, strict=True) if v > r]
        n_below = len(values) - len(above)
        if above:
            drawn = True
            jitter = 0.08 * np.linspace(-1, 1, len(above))
            ax.plot(k + jitter, above, "o", ms=3, alpha=0.6, color=colors[k % len(colors)])
            ax.plot([k - 0.25, k + 0.25], [sorted(above)[len(above) // 2]] * 2, "-",
                    color="black", lw=1.5)
        labels.append(f"{label}\n{n_below}/{len(values)} ≤ r")
    ax.set_xticks(range(len(groups)), labels, fontsize=8)
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.set_yscale("log")
    if not drawn:  # nothing above r anywhere: say so instead of an empty axis
        ax.text(0.5, 0.5, "every bound ≤ r\n(counted under each group)", ha="center",
                va="center", transform=ax.transAxes, fontsize=9)
        ax.set_yticks([])
    ax.set_ylabel(ylabel, fontsize=8)


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
