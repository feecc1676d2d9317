"""The built docs site in a real browser: headless Chromium opens every page, as a reader would.

Marker `browser`. Reads the site at `$RELU_LANDSCAPE_DOCS_SITE` (then it must exist) or
`docs/_build/html` (skipped when absent: build it with `relu-landscape docs`). Skipped, with
a message, when `/usr/bin/chromium` is absent. Chromium runs with no network features, no
sandbox, no GPU and a fresh profile per page; it never downloads anything. Scrollbars are
visible (no `--hide-scrollbars`): a formula box that scrolls is what a reader sees.

Per page at 1400 px: the layout probe (`docs/_static/layout_probe.js`) ran after MathJax; the
page is no wider than the window; MathJax typeset its math, no math element is left
untypeset, no raw `$…$` or `\\(` is left in the text, no `x_i` or `x^a` in a statement's
quoted line; no formula's box is
wider inside than outside (a scrollbar under it); no character fell back to a glyph no font
has; no error output (traceback, stderr) is shown. At 390 px (a phone) the index, the
blueprint, a statement page and the experiments page are no wider than the window either.
The blueprint's graph has a linked node per statement, coloured as its legend says, and it
reacts: highlighting a statement marks exactly what it uses and what uses it, a status
filter hides exactly that status, zoom changes the view. Screenshots of those four pages at
both widths (and the blueprint in dark mode) are saved under `screenshots/` next to the
site folder (the CI artefacts).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from theory import registry

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
WIDTH, PHONE = 1400, 390
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--mute-audio")
#: the pages a reader meets first: screenshots at both widths, the phone-width check
SHOWN = ("index", "blueprint", "statements_ll", "validation")
ROOT = Path(__file__).resolve().parents[1]


def _site() -> Path:
    given = os.environ.get("RELU_LANDSCAPE_DOCS_SITE")
    if given:
        site = Path(given).resolve()
        assert (site / "index.html").is_file(), f"no built site at {site}"
        return site
    site = ROOT / "docs" / "_build" / "html"
    if not (site / "index.html").is_file():
        pytest.skip(f"no built site at {site}: run `relu-landscape docs` first")
    return site


@pytest.fixture(scope="module")
def site() -> Path:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run the browser check")
    return _site()


def _chromium(*args: str, width: int = WIDTH, height: int = 900, timeout: float = 120) -> str:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        proc = subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}",
             f"--window-size={width},{height}", *args],
            capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc.stdout


def _dom(page: Path, query: str = "", width: int = WIDTH) -> str:
    return _chromium("--virtual-time-budget=30000", "--run-all-compositor-stages-before-draw",
                     "--dump-dom", page.as_uri() + query, width=width)


def _phone(page: Path, folder: Path) -> Path:
    """A page in a 390-px frame: Chromium keeps a window at least 500 px wide, a frame is
    exactly as wide as asked. The probe in the frame posts what it found to this page."""
    frame = folder / f"phone-{page.stem}.html"
    frame.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body style='margin:0'>"
        f"<iframe src='{page.as_uri()}' style='width:{PHONE}px;height:844px;border:0'>"
        "</iframe><script>addEventListener('message', function (e) {"
        "if (e.data && e.data.layoutProbe) { for (var k in e.data.layoutProbe) {"
        "document.body.setAttribute(k, e.data.layoutProbe[k]); } } });</script>"
        "</body></html>", encoding="utf-8")
    return frame


def _probe(dom: str) -> dict[str, str]:
    """The `data-*` attributes the layout probe wrote on <body>."""
    body = re.search(r"<body([^>]*)>", dom)
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1) if body else ""))


#: markup of a formula left as plain text: `R_m`, `|u − v|^α`, `x**2`
PLAIN_FORMULA = re.compile(r"[A-Za-zα-ωΑ-Ω)|‖]_[A-Za-z0-9{α-ω]|[A-Za-z0-9)|‖]\^[A-Za-z0-9{(α-ω−-]"
                           r"|\w\*\*\w")


def _visible_text(dom: str) -> str:
    """The page's text outside scripts, styles, code, and typeset formulas."""
    for tag in ("head", "script", "style", "pre", "code", "mjx-container", "mjx-assistive-mml",
                "svg", "textarea"):
        dom = re.sub(rf"<{tag}\b.*?</{tag}>", " ", dom, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", dom))


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html") if p.name not in ("genindex.html",
                                                                    "search.html"))


def _page_problems(page: Path, dom: str, width: int) -> list[str]:
    attrs = _probe(dom)
    if attrs.get("probe") != "done":
        return [f"{page.name} at {width} px: the layout probe did not run (scripts failed?)"]
    problems = []
    at = f"{page.name} at {width} px"
    if int(attrs["scroll-width"]) > int(attrs["client-width"]):
        problems.append(f"{at}: {attrs['scroll-width']} px wide in a {attrs['client-width']}-px"
                        f" window ({attrs.get('too-wide', '')})")
    if width == WIDTH and int(attrs.get("math-overflow", "0")):
        problems.append(f"{at}: {attrs['math-overflow']} formulas overflow their box (a "
                        f"scrollbar under them): {attrs.get('math-overflow-at', '')}")
    if int(attrs.get("math-untypeset", "0")):
        problems.append(f"{at}: {attrs['math-untypeset']} math elements left untypeset: "
                        f"{attrs.get('math-untypeset-at', '')}")
    if int(attrs.get("fallback-glyphs", "0")):
        problems.append(f"{at}: {attrs['fallback-glyphs']} characters in the fallback glyph: "
                        f"{attrs.get('fallback-at', '')}")
    return problems


def test_every_page_renders_in_a_browser(site):
    pages = _pages(site)
    assert len(pages) >= 10, f"only {len(pages)} pages in {site}"
    problems: list[str] = []
    overflowing = 0
    for page in pages:
        dom = _dom(page)
        problems += _page_problems(page, dom, WIDTH)
        overflowing += int(_probe(dom).get("math-overflow", "0"))
        source = page.read_text(encoding="utf-8")
        if 'class="math' in source and int(_probe(dom).get("mathjax-count", "0")) == 0:
            problems.append(f"{page.name}: has math but MathJax typeset nothing")
        text = _visible_text(dom)
        raw = re.findall(r"\$[^$\s][^$]{0,80}\$|\\\(|\\\[", text)
        if raw:
            problems.append(f"{page.name}: raw math left in the text: {raw[:3]}")
        quoted = _visible_text(" ".join(re.findall(r"<blockquote\b.*?</blockquote>", dom, re.S)))
        plain = [quoted[max(0, m.start() - 20):m.end() + 20]
                 for m in PLAIN_FORMULA.finditer(quoted)]
        if plain:
            problems.append(f"{page.name}: {len(plain)} formulas left as plain text: {plain[:3]}")
        if re.search(r'class="[^"]*(traceback|output stderr|output error)', dom):
            problems.append(f"{page.name}: shows an error output")
        # a docstring's doctest example (docs/_reference.py: class api-example) may show
        # the traceback of the exception it expects; anywhere else a traceback is an error
        examples = r'<pre class="api-example"[^>]*>.*?</pre>'
        if re.search(r"Traceback \(most recent call last\)",
                     _visible_text(re.sub(examples, "", dom, flags=re.S))):
            problems.append(f"{page.name}: shows a traceback")
    assert not problems, f"{overflowing} overflowing formulas in all\n" + "\n".join(problems)


def test_the_first_pages_fit_a_phone(site, tmp_path):
    problems: list[str] = []
    for name in SHOWN:
        page = site / f"{name}.html"
        dom = _dom(_phone(page, tmp_path))
        assert int(_probe(dom).get("client-width", "0")) <= PHONE, "not phone-wide"
        problems += _page_problems(page, dom, PHONE)
    assert not problems, "\n".join(problems)


def _nodes(dom: str) -> dict[str, dict[str, str]]:
    """label → attributes of its `<a class="bp-node">` (with `fill`: its box colour)."""
    nodes = {}
    for m in re.finditer(r'<a ([^>]*class="bp-node[^"]*"[^>]*)>(.*?)</a>', dom, re.S):
        attrs = dict(re.findall(r'([a-z-]+)="([^"]*)"', m.group(1)))
        fill = re.search(r'<rect[^>]*fill="([^"]+)"', m.group(2))
        attrs["fill"] = fill.group(1).lower() if fill else ""
        nodes[html.unescape(attrs["data-label"])] = attrs
    return nodes


def _closure(start: str, step: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(step.get(start, ()))
    while todo:
        label = todo.pop()
        if label not in seen:
            seen.add(label)
            todo += step.get(label, ())
    return seen


def test_blueprint_graph_and_every_label_anchor(site):
    labels = registry().labels()
    dom = _dom(site / "blueprint.html")
    graph = re.search(r'<div id="blueprint-graph"[^>]*>.*?</svg>', dom, re.S)
    assert graph, "the blueprint graph is missing"
    assert 'data-interactive="true"' in graph.group(0), "the graph's script did not run"
    nodes = _nodes(graph.group(0))
    assert sorted(nodes) == sorted(labels), "not one graph node per statement"
    links = {a["href"] for a in nodes.values()}
    assert all(re.fullmatch(r"statements_[a-z]+\.html#[a-z0-9-]+", h) for h in links), links
    assert len(links) == len(labels), f"{len(links)} linked boxes for {len(labels)} statements"
    legend = {html.unescape(st): colour.lower() for st, colour in re.findall(
        r'data-status="([^"]+)"[^>]*>\s*<span class="bp-swatch" style="background:\s*([^";]+)',
        graph.group(0))}
    wrong = [(lb, a["data-status"], a["fill"]) for lb, a in nodes.items()
             if legend.get(html.unescape(a["data-status"])) != a["fill"]]
    assert not wrong, f"node colours that are not their legend's: {wrong[:5]}"
    anchors = "".join((site / f"statements_{c}.html").read_text(encoding="utf-8")
                      for c in {lb.split(":")[0] for lb in labels})
    missing = [lb for lb in labels if f'id="{lb}"' not in anchors]
    assert not missing, f"labels without an anchor of their own: {missing}"


def test_blueprint_graph_reacts(site):
    """Highlight, filter and zoom, asked for in the URL, run the handlers' own code."""
    page = site / "blueprint.html"
    before = re.search(r'data-scale="([0-9.]+)"', _dom(page))
    assert before, "the graph reports no scale"
    uses = {s.label: list(s.uses) for s in registry()}
    users: dict[str, list[str]] = {}
    for s, us in uses.items():
        for u in us:
            users.setdefault(u, []).append(s)
    label = max(uses, key=lambda lb: len(_closure(lb, uses)) * len(_closure(lb, users)))
    statuses = [a["data-status"] for a in _nodes(_dom(page)).values()]
    hide = min(set(statuses), key=statuses.count)
    dom = _dom(page, f"?highlight={label}&hide={hide}&zoom=2")
    box = re.search(r'<div id="blueprint-graph"([^>]*)>', dom).group(1)
    assert f'data-highlight="{label}"' in box and "bp-focused" in box, box
    nodes = _nodes(dom)
    marked = {c: {lb for lb, a in nodes.items() if c in a["class"].split()}
              for c in ("bp-self", "bp-uses", "bp-user", "bp-hidden")}
    assert marked["bp-self"] == {label}
    assert marked["bp-uses"] == _closure(label, uses), "the highlight of what it uses is wrong"
    assert marked["bp-user"] == _closure(label, users), "the highlight of its users is wrong"
    assert marked["bp-hidden"] == {lb for lb, a in nodes.items() if a["data-status"] == hide}
    after = float(re.search(r'data-scale="([0-9.]+)"', box).group(1))
    assert abs(after - 2 * float(before.group(1))) < 0.01, (before.group(1), after)


def test_screenshots(site, tmp_path):
    folder = site.parent / "screenshots"
    folder.mkdir(exist_ok=True)
    shots = []
    for name in SHOWN:
        for width, height in ((WIDTH, 1000), (PHONE, 844)):
            shots.append((folder / f"{name}-{width}.png", name, width, height, ()))
    shots.append((folder / "blueprint-1400-dark.png", "blueprint", WIDTH, 1000,
                  ("--force-dark-mode", "--blink-settings=preferredColorScheme=0")))
    for shot, name, width, height, extra in shots:
        shot.unlink(missing_ok=True)
        page = site / f"{name}.html"
        target = page if width == WIDTH else _phone(page, tmp_path)
        _chromium("--virtual-time-budget=30000", *extra, f"--screenshot={shot}",
                  target.as_uri(), width=width, height=height)
    small = [s.name for s, *_ in shots if not s.is_file() or s.stat().st_size < 10_000]
    assert not small, f"missing or empty screenshots in {folder}: {small}"
