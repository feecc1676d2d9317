"""The docs pages, the fourth place of every label (STYLE.md: statement, obligations, tests,
page).

Fast: every page is a valid jupytext py:percent source (it compiles, has the header and
cells, every equation cell is followed by a code cell), every page is in the toctree, and
the blueprint page derives a status row for every registered statement from obligation
results. Slow: the blueprint's test counts equal pytest's own, and the full Sphinx build
executes every page (skipped when the docs toolchain is not installed).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from proofs_check import Expect, Result, Status, obligations
from theory import registry

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p for p in DOCS.glob("*.py") if p.name != "conf.py" and not p.name.startswith("_"))
REQUIRED = {"blueprint", "losses", "ll_sampling", "constructive_path", "fb_counterexample",
            "rates"}
DOCS_TOOLCHAIN = ("sphinx", "myst-nb", "jupytext", "ipykernel", "sphinx-mathjax-offline")


def _installed(distribution: str) -> bool:
    try:
        importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _cells(source: str) -> list[tuple[str, str]]:
    """(kind, text) per py:percent cell, kind "markdown" or "code"; the header is skipped."""
    cells: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        if line.startswith("# %%"):
            cells.append(("markdown" if "[markdown]" in line else "code", []))
        elif cells:
            cells[-1][1].append(line)
    return [(kind, "\n".join(lines)) for kind, lines in cells]


def test_every_required_page_exists_and_is_in_the_toctree():
    names = {p.stem for p in PAGES}
    missing = sorted(REQUIRED - names)
    assert not missing, f"docs pages missing: {missing}"
    listed = set(re.findall(r"^([a-z_]+)$", (DOCS / "index.md").read_text(), re.M))
    unlisted = sorted(names - listed)
    assert not unlisted, f"pages not in the index.md toctree: {unlisted}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_is_valid_py_percent(page):
    source = page.read_text(encoding="utf-8")
    compile(source, str(page), "exec")  # raises SyntaxError naming the page and line
    header = source.split("\n# %%", 1)[0]
    assert header.startswith("# ---") and "format_name: percent" in header, (
        f"{page.name}: no jupytext py:percent header")
    cells = _cells(source)
    kinds = [kind for kind, _ in cells]
    assert kinds and kinds[0] == "markdown", f"{page.name}: must open with a markdown cell"
    assert cells[0][1].startswith("# # "), f"{page.name}: the first cell must hold the title"
    assert "code" in kinds, f"{page.name}: has no code cell"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_equation_cell_is_followed_by_code(page):
    cells = _cells(page.read_text(encoding="utf-8"))
    lonely = [i for i, (kind, text) in enumerate(cells)
              if kind == "markdown" and "$$" in text
              and (i + 1 == len(cells) or cells[i + 1][0] != "code")]
    assert not lonely, f"{page.name}: equation cells {lonely} are not followed by a code cell"


@pytest.mark.skipif(not _installed("jupytext"), reason="needs jupytext")
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_jupytext_reads_the_same_cells(page):
    import jupytext

    source = page.read_text(encoding="utf-8")
    notebook = jupytext.reads(source, fmt="py:percent")
    assert [c.cell_type for c in notebook.cells] == [kind for kind, _ in _cells(source)]


# ------------------------------------------------------------------ the blueprint page


@pytest.fixture(scope="module")
def blueprint() -> ModuleType:
    """docs/blueprint.py imported as a module: its guard keeps the checks from running."""
    sys.path.insert(0, str(DOCS))
    try:
        spec = importlib.util.spec_from_file_location("docs_blueprint", DOCS / "blueprint.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up here
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("docs_blueprint", None)
        sys.path.remove(str(DOCS))


def _expected_results() -> list[Result]:
    """Every obligation with the outcome its expectation asks for."""
    outcome = {Expect.PROOF: Status.PASSED, Expect.REFUTATION: Status.REFUTED,
               Expect.DEFECT: Status.FLAGGED}
    return [Result(ob.label, ob.step, "stub", outcome[ob.expect], "", 0.0, None, ob.expect,
                   ob.explanation) for ob in obligations()]


def test_blueprint_has_a_row_for_every_statement(blueprint):
    tests = {"ll:sampling": ["tests/a.py::t[1]", "tests/a.py::t[2]", "tests/b.py::u"]}
    rows = blueprint.status_rows(registry(), _expected_results(), tests)
    assert [r.label for r in rows] == registry().labels()
    by_label = {r.label: r for r in rows}
    assert (by_label["ll:sampling"].tests, by_label["ll:sampling"].functions) == (3, 2)
    for s in registry():
        want = blueprint.FLAGGED if s.flags else blueprint.CHECKED
        assert by_label[s.label].status == want, (s.label, by_label[s.label].note)
    table = blueprint.status_table(rows)._repr_html_()
    missing = [s.label for s in registry() if f"<td>{s.label}</td>" not in table]
    assert not missing, f"labels absent from the rendered table: {missing}"


def _with(results: list[Result], label: str, step: str, status: Status) -> list[Result]:
    return [Result(r.label, r.step, r.method, status, "why", 0.0) if (r.label, r.step) ==
            (label, step) else r for r in results]


def test_status_is_derived_never_typed(blueprint):
    reg = registry()
    expected = _expected_results()
    flagged = next(s for s in reg if s.flags)
    plain = next(s for s in reg if not s.flags)
    own = {s.label: [r for r in expected if r.label == s.label] for s in (flagged, plain)}
    step = own[plain.label][0].step
    for status, derived in ((Status.FAILED, blueprint.FAILED),
                            (Status.UNDECIDED, blueprint.UNDECIDED)):
        results = _with(own[plain.label], plain.label, step, status)
        assert blueprint.derive_status(plain, results)[0] == derived
    # a recorded flag whose step did not confirm it is a failure, not a flag
    unconfirmed = _with(own[flagged.label], flagged.label, flagged.flags[0].step, Status.PASSED)
    status, note = blueprint.derive_status(flagged, unconfirmed)
    assert status == blueprint.FAILED and flagged.flags[0].step in note
    status, note = blueprint.derive_status(flagged, own[flagged.label])
    assert status == blueprint.FLAGGED and flagged.flags[0].explanation in note
    assert blueprint.derive_status(plain, [])[0] == blueprint.UNCHECKED


def test_graph_layout_puts_each_statement_right_of_what_it_uses(blueprint):
    rows = blueprint.status_rows(registry(), [], {})
    pos = blueprint.layout(rows)
    assert set(pos) == set(registry().labels())
    assert len(set(pos.values())) == len(pos), "two statements share a position"
    wrong = [(s.label, u) for s in registry() for u in s.uses if pos[u][0] >= pos[s.label][0]]
    assert not wrong, f"edges pointing left: {wrong}"


@pytest.mark.slow
def test_blueprint_counts_the_tests_pytest_collects(lemma_labels, collected_files):
    every_file = {p.name for p in Path(__file__).parent.glob("test_*.py")}
    if not every_file <= collected_files:
        pytest.skip("only part of the suite was collected; run the whole suite to compare")
    sys.path.insert(0, str(DOCS))
    try:
        from _literate import lemma_tests
    finally:
        sys.path.remove(str(DOCS))
    assert {k: set(v) for k, v in lemma_tests().items()} == lemma_labels


@pytest.mark.slow
@pytest.mark.skipif(not all(_installed(d) for d in DOCS_TOOLCHAIN),
                    reason="needs the docs toolchain (pip install -e .[docs])")
def test_sphinx_build_executes_every_page(tmp_path):
    out = tmp_path / "html"
    env = {**os.environ, "RELU_LANDSCAPE_NB_EXECUTION": "force"}
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-6000:]
    for page in PAGES:
        assert (out / f"{page.stem}.html").is_file(), f"{page.stem}.html was not written"
    html = (out / "blueprint.html").read_text(encoding="utf-8")
    missing = [label for label in registry().labels() if f"<td>{label}</td>" not in html]
    assert not missing, f"statements absent from the built blueprint: {missing}"
