"""The built docs site in a real browser: headless Chromium opens every page.

Marker `browser`. Reads the site at `$RELU_LANDSCAPE_DOCS_SITE` (then it must exist) or
`docs/_build/html` (skipped when absent: build it with `relu-landscape docs`). Skipped, with
a message, when `/usr/bin/chromium` is absent. Chromium runs with no network features, no
sandbox, no GPU and a fresh profile per page; it never downloads anything.

Per page: the layout probe (`docs/_static/layout_probe.js`) ran after MathJax, the page is
no wider than a 1200-px window, MathJax typeset its math and no raw `$…$` or `\\(` is left
in the text, no error output (traceback, stderr) is shown. The blueprint page shows the
graph with a link per statement; every label has its section anchor. A screenshot of the
blueprint is saved as `blueprint.png` next to the site folder (the CI artifact).
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
WIDTH = 1200
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio")
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


def _chromium(*args: str, height: int = 900, timeout: float = 120) -> str:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        proc = subprocess.run(
            [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}",
             f"--window-size={WIDTH},{height}", *args],
            capture_output=True, text=True, timeout=timeout, check=False)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc.stdout


def _dom(page: Path) -> str:
    return _chromium("--virtual-time-budget=30000", "--run-all-compositor-stages-before-draw",
                     "--dump-dom", page.as_uri())


def _visible_text(dom: str) -> str:
    """The page's text outside scripts, styles, code, and typeset formulas."""
    for tag in ("head", "script", "style", "pre", "code", "mjx-container", "mjx-assistive-mml",
                "svg", "textarea"):
        dom = re.sub(rf"<{tag}\b.*?</{tag}>", " ", dom, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", dom))


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html") if p.name not in ("genindex.html",
                                                                    "search.html"))


def test_every_page_renders_in_a_browser(site):
    pages = _pages(site)
    assert len(pages) >= 10, f"only {len(pages)} pages in {site}"
    problems: list[str] = []
    for page in pages:
        dom = _dom(page)
        body = re.search(r"<body([^>]*)>", dom)
        attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1) if body else ""))
        if attrs.get("probe") != "done":
            problems.append(f"{page.name}: the layout probe did not run (scripts failed?)")
            continue
        if int(attrs["scroll-width"]) > WIDTH:
            problems.append(f"{page.name}: {attrs['scroll-width']} px wide, more than {WIDTH}"
                            f" ({attrs.get('too-wide', '')})")
        source = page.read_text(encoding="utf-8")
        if 'class="math' in source and int(attrs["mathjax-count"]) == 0:
            problems.append(f"{page.name}: has math but MathJax typeset nothing")
        text = _visible_text(dom)
        raw = re.findall(r"\$[^$\s][^$]{0,80}\$|\\\(|\\\[", text)
        if raw:
            problems.append(f"{page.name}: raw math left in the text: {raw[:3]}")
        if re.search(r'class="[^"]*(traceback|output stderr|output error)', dom):
            problems.append(f"{page.name}: shows an error output")
        if re.search(r"Traceback \(most recent call last\)", text):
            problems.append(f"{page.name}: shows a traceback")
    assert not problems, "\n".join(problems)


def test_blueprint_graph_and_every_label_anchor(site):
    labels = registry().labels()
    dom = _dom(site / "blueprint.html")
    graph = re.search(r'<div id="blueprint-graph".*?</svg>', dom, re.S)
    assert graph, "the blueprint graph is missing"
    links = set(re.findall(r'href="statements_[a-z]+\.html#([a-z0-9-]+)"', graph.group(0)))
    assert len(links) == len(labels), f"{len(links)} linked boxes for {len(labels)} statements"
    anchors = "".join((site / f"statements_{c}.html").read_text(encoding="utf-8")
                      for c in {lb.split(":")[0] for lb in labels})
    missing = [lb for lb in labels if f'id="{lb}"' not in anchors]
    assert not missing, f"labels without an anchor of their own: {missing}"


def test_blueprint_screenshot(site):
    shot = site.parent / "blueprint.png"
    shot.unlink(missing_ok=True)
    _chromium("--virtual-time-budget=30000", f"--screenshot={shot}",
              (site / "blueprint.html").as_uri(), height=1400)
    assert shot.is_file() and shot.stat().st_size > 10_000, f"no screenshot at {shot}"
