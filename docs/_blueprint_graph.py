"""The blueprint's dependency graph as inline SVG that `_static/blueprint_graph.js` animates.

Not a page (`conf.py` excludes `_*.py`); `blueprint.py` calls `interactive_graph(rows)`.
The layout and the status colours are `_blueprint_data`'s (`graph_data`, `COLOURS`): this
module only draws them. Each statement is an `<a class="bp-node">` linking to its section,
with `data-label`, `data-status`, `data-assumptions` (its own recorded assumptions, also
drawn as a badge in the assumptions' colour) and `data-uses` (the labels its proof uses);
each `uses`
edge is a `<path class="bp-edge">` with `data-from` and `data-to`. A toolbar above holds a
checkbox per status present (its swatch is the node colour: the legend and the filter in
one) and zoom buttons. Without JavaScript the SVG still shows the whole graph, scaled to
the column, every box a link.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import _blueprint_data as bp

#: pixels per layout unit across (a column of depth is 3.2 units) and per row
X_UNIT, Y_UNIT = 66.0, 36.0
BOX_H, PAD = 24.0, 20.0
#: a rough width of one character of the 13-px label font (the box fits its label)
CHAR_W = 7.4


def _box_width(label: str) -> float:
    return len(label) * CHAR_W + 14


def interactive_graph(rows: Sequence[bp.Row], page: str = "statements_{chain}.html") -> str:
    """The `uses` graph: inline SVG (nodes linked, coloured by status) plus its toolbar."""
    nodes, edges = bp.graph_data(rows, page)
    titles = {r.label: r.title for r in rows}
    uses = {r.label: [u for u in r.uses if u in titles] for r in rows}
    min_x = min(n.x for n in nodes)
    max_y = max(n.y for n in nodes)
    half = max(_box_width(n.label) for n in nodes) / 2
    at = {n.label: (PAD + half + (n.x - min_x) * X_UNIT, PAD + BOX_H / 2 + (max_y - n.y) * Y_UNIT)
          for n in nodes}
    width = max(x for x, _ in at.values()) + half + PAD
    height = max(y for _, y in at.values()) + BOX_H / 2 + PAD
    e = html.escape
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'data-width="{width:.0f}" data-height="{height:.0f}" role="group" '
             'aria-label="dependency graph: an arrow u → s means the proof of s uses u">',
             '<defs><marker id="bp-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             '<path d="M 0 0 L 10 5 L 0 10 z" fill="#8a8a8a"/></marker></defs>',
             '<g class="bp-edges">']
    for u, s in edges:
        (x0, y0), (x1, y1) = at[u], at[s]
        # from the right edge of u's box to the left edge of s's (a column is one depth);
        # an edge within a column or backwards bends around through the box ends
        x0 += _box_width(u) / 2
        x1 -= _box_width(s) / 2
        bend = max(40.0, abs(x1 - x0) / 2)
        parts.append(f'<path class="bp-edge" data-from="{e(u)}" data-to="{e(s)}" '
                     f'marker-end="url(#bp-arrow)" d="M {x0:.1f} {y0:.1f} C {x0 + bend:.1f} '
                     f'{y0:.1f}, {x1 - bend:.1f} {y1:.1f}, {x1:.1f} {y1:.1f}"/>')
    parts.append('</g><g class="bp-nodes">')
    for n in nodes:
        x, y = at[n.label]
        w = _box_width(n.label)
        tip = f"{n.label}: {titles[n.label]} — {n.shown or n.status}"
        # a statement with its own recorded assumptions carries a badge in their colour
        badge = (f'<circle class="bp-assumed" cx="{x + w / 2:.1f}" cy="{y - BOX_H / 2:.1f}" '
                 f'r="6" fill="{bp.COLOURS["assumed"]}" stroke="#555"/>'
                 if n.assumptions else "")
        parts.append(
            f'<a class="bp-node" href="{e(n.href)}" data-label="{e(n.label)}" '
            f'data-status="{e(n.status)}" data-uses="{e(" ".join(uses[n.label]))}" '
            f'data-assumptions="{n.assumptions}">'
            f'<title>{e(tip)}</title>'
            f'<rect x="{x - w / 2:.1f}" y="{y - BOX_H / 2:.1f}" width="{w:.1f}" '
            f'height="{BOX_H:.0f}" rx="5" fill="{n.colour}"/>'
            f'<text x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle">{e(n.label)}</text>'
            f'{badge}</a>')
    parts.append("</g></svg>")
    present = [s for s in bp.STATUSES if any(n.status == s for n in nodes)]
    counts = {s: sum(n.status == s for n in nodes) for s in present}
    legend = "".join(
        f'<label><input type="checkbox" checked data-status="{e(s)}">'
        f'<span class="bp-swatch" style="background:{bp.COLOURS[s]}"></span>'
        f'{e(s)} ({counts[s]})</label>' for s in present)
    toolbar = (f'<div class="bp-toolbar"><span>show:</span>{legend}'
               '<span class="bp-zoom"><button type="button" data-zoom="in" title="zoom in">+'
               '</button> <button type="button" data-zoom="out" title="zoom out">−</button> '
               '<button type="button" data-zoom="fit" title="fit the whole graph">fit</button>'
               '</span><span class="bp-help">wheel or buttons: zoom · drag: pan · hover: '
               'what a statement uses (blue) and what uses it (red) · click: its section'
               '</span></div>')
    return (f'<div id="blueprint-graph" class="blueprint-graph" data-nodes="{len(nodes)}">'
            f'{toolbar}{"".join(parts)}</div>')
