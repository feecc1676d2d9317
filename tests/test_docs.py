"""The docs pages, the fourth place of every label (statement, obligations, tests, page).

Fast: every page is a valid jupytext py:percent source (it compiles, has the header and
cells, every equation cell is followed by a code cell), every page is in the toctree, no
page cites a file outside the repository, every registered label gets a generated section
whose target is the label, and the blueprint data (`docs/_blueprint_data.py`) derives a
status for every statement — a broken obligation turns its node red, a passing Coq check
makes it kernel-checked, a measuring test makes it numerically tested. The `docs`
command refuses bad arguments. Slow: the blueprint's test counts equal pytest's own, and
`relu-landscape docs` builds the whole site. The browser check is `test_docs_browser.py`.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
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
            "rates", "statements_fb", "statements_ll", "statements_new", "statements_loss",
            "validation"}
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
    unlisted = sorted((names | {"notation"}) - listed)
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
def docs_modules() -> ModuleType:
    """docs/ on sys.path, so its helper modules (_blueprint_data, _pages, …) import."""
    sys.path.insert(0, str(DOCS))
    try:
        import _blueprint_data

        yield _blueprint_data
    finally:
        sys.path.remove(str(DOCS))


@pytest.fixture(scope="module")
def bp(docs_modules) -> ModuleType:
    return docs_modules


def _expected_results() -> list[Result]:
    """Every obligation with the outcome its expectation asks for."""
    outcome = {Expect.PROOF: Status.PASSED, Expect.REFUTATION: Status.REFUTED,
               Expect.DEFECT: Status.FLAGGED}
    return [Result(ob.label, ob.step, "stub", outcome[ob.expect], "", 0.0, None, ob.expect,
                   ob.explanation) for ob in obligations()]


def test_no_page_cites_files_outside_the_repository():
    sources = [p for p in DOCS.rglob("*") if p.suffix in (".py", ".md", ".css", ".js")
               and "_build" not in p.parts]
    citing = [p.name for p in sources if re.search(r"THEORY\.md|\.\./shared", p.read_text())]
    assert not citing, f"pages citing the spec instead of docs/notation.md: {citing}"


def test_blueprint_has_a_row_for_every_statement(bp):
    tests = {"ll:sampling": ["tests/a.py::t[1]", "tests/a.py::t[2]", "tests/b.py::u"]}
    rows = bp.status_rows(registry(), _expected_results(), tests)
    assert [r.label for r in rows] == registry().labels()
    by_label = {r.label: r for r in rows}
    assert (by_label["ll:sampling"].tests, by_label["ll:sampling"].functions) == (3, 2)
    from proofs_check._derive import assumptions_by_label

    assumed = assumptions_by_label()
    for s in registry():
        rests = [u for u in (s.label, *bp.ancestors(registry(), s.label)) if assumed.get(u)]
        want = bp.FLAGGED if s.flags else bp.MODULO if rests else bp.CHECKED
        assert by_label[s.label].status == want, (s.label, by_label[s.label].note)
    nodes, edges = bp.graph_data(rows)
    assert [n.label for n in nodes] == registry().labels()
    assert {n.href.split("#")[1] for n in nodes} == {bp.anchor(lb) for lb in registry().labels()}
    assert set(edges) == {(u, s.label) for s in registry() for u in s.uses}


def _with(results: list[Result], label: str, step: str, status: Status,
          method: str = "stub") -> list[Result]:
    return [Result(r.label, r.step, method, status, "why", 0.0) if (r.label, r.step) ==
            (label, step) else r for r in results]


def test_status_is_derived_never_typed(bp):
    reg = registry()
    expected = _expected_results()
    flagged = next(s for s in reg if s.flags)
    plain = next(s for s in reg if not s.flags and any(r.label == s.label for r in expected))
    own = {s.label: [r for r in expected if r.label == s.label] for s in (flagged, plain)}
    step = own[plain.label][0].step
    for status, derived in ((Status.FAILED, bp.FAILED), (Status.UNDECIDED, bp.UNDECIDED)):
        results = _with(own[plain.label], plain.label, step, status)
        assert bp.derive_status(plain, results)[0] == derived
    # a recorded flag whose step did not confirm it is a failure, not a flag
    unconfirmed = _with(own[flagged.label], flagged.label, flagged.flags[0].step, Status.PASSED)
    status, note = bp.derive_status(flagged, unconfirmed)
    assert status == bp.FAILED and flagged.flags[0].step in note
    status, note = bp.derive_status(flagged, own[flagged.label])
    assert status == bp.FLAGGED and flagged.flags[0].explanation in note
    assert bp.derive_status(plain, [])[0] == bp.UNCHECKED
    # a measuring test lifts "steps checked" to "numerically tested"; a symbolic one does not
    assert bp.derive_status(plain, own[plain.label], [bp.TestCase("t::a")])[0] == bp.CHECKED
    measuring = [bp.TestCase("t::b", measures=True)]
    assert bp.derive_status(plain, own[plain.label], measuring)[0] == bp.NUMERICALLY_TESTED
    # the hook for Coq: a passed `coq` obligation makes the statement kernel-checked …
    coq = [*own[plain.label], Result(plain.label, "coq_finite_sample", "coq", Status.PASSED,
                                     "Closed under the global context", 0.0)]
    assert bp.derive_status(plain, coq, measuring)[0] == bp.KERNEL_CHECKED
    # … and a failed one fails it
    coq[-1] = Result(plain.label, "coq_finite_sample", "coq", Status.FAILED, "error", 0.0)
    assert bp.derive_status(plain, coq, measuring)[0] == bp.FAILED


@pytest.fixture
def broken_obligation():
    """A real statement's obligations, checked now, with one step replaced by a false
    identity (x = x + 1): what a wrong edit of that step would produce."""
    import sympy as sp

    from proofs_check import Obligation, SympyIdentity

    label = next(lb for lb in registry().labels()
                 if not registry().get(lb).flags and obligations([lb]))
    real = obligations([label])
    x = sp.Symbol("x")
    broken = Obligation(label, real[0].step, lambda: SympyIdentity(x, x + 1))
    return label, [broken.check(), *(ob.check() for ob in real[1:])]


def test_a_broken_obligation_turns_its_node_red(bp, broken_obligation):
    label, own = broken_obligation
    assert own[0].status is Status.FAILED
    results = [r for r in _expected_results() if r.label != label] + own
    rows = bp.status_rows(registry(), results, {})
    nodes, _ = bp.graph_data(rows)
    colour = {n.label: n.colour for n in nodes}
    assert colour[label] == bp.COLOURS[bp.FAILED]
    others = {n.colour for n in nodes if n.label != label}
    assert bp.COLOURS[bp.FAILED] not in others, "only the broken statement is red"
    from _blueprint_graph import interactive_graph

    svg = interactive_graph(rows)
    assert 'id="blueprint-graph"' in svg and bp.COLOURS[bp.FAILED].lower() in svg.lower()


def _toy_registry():
    """base ← middle ← top, and a lone statement: a chain to close statuses over."""
    import sympy as sp

    from theory import Kind, Registry, Source, Statement

    x = sp.Symbol("x_toy", real=True)
    reg = Registry()
    for label, uses in (("ll:toy-base", ()), ("ll:toy-middle", ("ll:toy-base",)),
                        ("ll:toy-top", ("ll:toy-middle",)), ("ll:toy-lone", ())):
        reg.register(Statement(label, label, Kind.LEMMA, Source.PROJECT, (), sp.Ge(x, x),
                               uses=uses))
    return reg


def _passed(label: str, coq: bool = False) -> list[Result]:
    out = [Result(label, "step_1", "z3", Status.PASSED, "", 0.0)]
    if coq:
        out.append(Result(label, "coq_finite", "coq", Status.PASSED, "closed", 0.0))
    return out


def test_kernel_checked_is_ancestor_closed(bp):
    reg = _toy_registry()
    # top and middle have Coq proofs, base only z3 steps: top is "kernel-checked, using"
    results = [*_passed("ll:toy-base"), *_passed("ll:toy-middle", coq=True),
               *_passed("ll:toy-top", coq=True), *_passed("ll:toy-lone", coq=True)]
    rows = {r.label: r for r in bp.status_rows(reg, results, {}, assumed={})}
    assert rows["ll:toy-lone"].status == bp.KERNEL_CHECKED
    for label in ("ll:toy-middle", "ll:toy-top"):
        assert rows[label].status == bp.KERNEL_USING
        assert rows[label].shown == "kernel-checked, using: ll:toy-base"
    # with base kernel-checked too, the whole chain is
    results += [Result("ll:toy-base", "coq_finite", "coq", Status.PASSED, "closed", 0.0)]
    rows = {r.label: r for r in bp.status_rows(reg, results, {}, assumed={})}
    assert {r.status for r in rows.values()} == {bp.KERNEL_CHECKED}


def test_assumptions_are_shown_and_inherited(bp):
    import sympy as sp

    from proofs_check import Assumption

    reg = _toy_registry()
    results = [r for lb in reg.labels() for r in _passed(lb, coq=lb == "ll:toy-top")]
    base = Assumption("ll:toy-base", "compactness", sp.true, "Heine–Borel, not encoded")
    rows = {r.label: r for r in bp.status_rows(reg, results, {},
                                               assumed={"ll:toy-base": [base]})}
    assert rows["ll:toy-base"].status == bp.MODULO
    assert rows["ll:toy-base"].shown == "checked modulo 1 assumption"
    assert "Heine–Borel" in rows["ll:toy-base"].note
    # a statement using it is checked modulo its ancestor's assumption, never checked
    assert rows["ll:toy-middle"].status == bp.MODULO
    assert "ll:toy-base / compactness" in rows["ll:toy-middle"].note
    # a kernel-checked statement above it names it
    assert rows["ll:toy-top"].status == bp.KERNEL_USING
    assert "ll:toy-base" in rows["ll:toy-top"].shown
    assert rows["ll:toy-lone"].status == bp.CHECKED
    # a kernel-checked statement with an assumption of its own says both
    top = Assumption("ll:toy-top", "reading", sp.true, "a reading, not encoded")
    rows2 = {r.label: r for r in bp.status_rows(reg, results, {}, assumed={
        "ll:toy-base": [base], "ll:toy-top": [top]})}
    assert rows2["ll:toy-top"].status == bp.MODULO
    assert rows2["ll:toy-top"].shown == "kernel-checked finite form; checked modulo 2 assumptions"
    # assumptions have their own colour, distinct from every other status
    others = {c for s, c in bp.COLOURS.items() if s not in (bp.MODULO, "assumed")}
    assert bp.COLOURS[bp.MODULO] not in others
    nodes, _ = bp.graph_data(list(rows.values()))
    by = {n.label: n for n in nodes}
    assert by["ll:toy-base"].colour == bp.COLOURS[bp.MODULO]
    assert by["ll:toy-base"].assumptions == 1 and by["ll:toy-middle"].assumptions == 0
    assert "1 recorded assumption" in bp.status_counts(list(rows.values()))


def test_graph_layout_puts_each_statement_right_of_what_it_uses(bp):
    rows = bp.status_rows(registry(), [], {})
    pos = bp.layout(rows)
    assert set(pos) == set(registry().labels())
    assert len(set(pos.values())) == len(pos), "two statements share a position"
    wrong = [(s.label, u) for s in registry() for u in s.uses if pos[u][0] >= pos[s.label][0]]
    assert not wrong, f"edges pointing left: {wrong}"


# ------------------------------------------------------------ generated statement sections


def test_every_registered_label_has_a_statements_page(docs_modules):
    from _pages import covered_prefixes

    covered = covered_prefixes()
    missing = [s.label for s in registry() if s.label.split(":", 1)[0] not in covered]
    assert not missing, f"labels whose chain no page expands: {missing}"


@pytest.mark.skipif(not _installed("sphinx"), reason="needs sphinx")
def test_the_build_fails_naming_labels_that_no_page_covers(docs_modules, monkeypatch):
    import _pages
    from sphinx.errors import ExtensionError

    monkeypatch.setattr(sys, "path", list(sys.path))  # conf.py prepends docs/
    spec = importlib.util.spec_from_file_location("docs_conf", DOCS / "conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    conf._check_every_label_has_a_page(None)  # every chain is covered today
    covered = {k: v for k, v in _pages.covered_prefixes().items() if k != "new"}
    monkeypatch.setattr(_pages, "covered_prefixes", lambda: covered)
    new = [lb for lb in registry().labels() if lb.startswith("new:")]
    with pytest.raises(ExtensionError, match=re.escape(new[0])):
        conf._check_every_label_has_a_page(None)


@pytest.mark.skipif(not _installed("jupytext"), reason="needs jupytext")
def test_every_label_gets_a_section_whose_target_is_the_label(docs_modules):
    from _pages import covered_prefixes, read_page

    headings: dict[str, str] = {}
    for page in sorted(set(covered_prefixes().values())):
        notebook = read_page((DOCS / f"{page}.py").read_text(encoding="utf-8"))
        for cell in notebook.cells:
            found = re.search(r"^\(((?:fb|ll|new|loss):[^)]+)\)=\n## ", cell.source, re.M)
            if cell.cell_type == "markdown" and found:
                headings[found.group(1)] = page
                assert f'<a id="{found.group(1)}"></a>' in cell.source
    missing = [lb for lb in registry().labels() if lb not in headings]
    assert not missing, f"labels without a generated section: {missing}"
    wrong = [lb for lb, page in headings.items() if page != f"statements_{lb.split(':')[0]}"]
    assert not wrong, f"sections on the wrong chain's page: {wrong}"


def test_readable_math_names_symbols_and_splits_conjuncts(docs_modules):
    from _statements import statement_block

    block = str(statement_block("ll:sampling"))
    assert r"\|\hat\theta\|_1" in block and "l1hat" not in block and "l1_hat" not in block
    conclusion = block.split("*Conclusion*", 1)[1]
    assert conclusion.count("\n- $") == len(registry().get("ll:sampling").conclusion.args)
    assert block.count("$") % 2 == 0


def test_every_flagged_statement_gets_its_defect_explained(docs_modules):
    from _statements import defect_block

    flagged = [s for s in registry() if s.flags]
    assert flagged, "the registry records no defect: the known flags of [FB17] are gone"
    for s in flagged:
        block = str(defect_block(s.label))
        for flag in s.flags:
            assert f"`{flag.step}`" in block, (s.label, flag.step)
        assert block.count("$") % 2 == 0, f"{s.label}: unbalanced $ in the defect text"
    assert str(defect_block(next(s.label for s in registry() if not s.flags))) == ""


def test_every_illustration_draws_a_titled_labelled_figure(docs_modules, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from _illustrations import ILLUSTRATIONS

    unknown = sorted(set(ILLUSTRATIONS) - set(registry().labels()))
    assert not unknown, f"illustrations of unregistered labels: {unknown}"
    shown: list = []
    monkeypatch.setattr(plt, "show", lambda: shown.extend(
        plt.figure(n) for n in plt.get_fignums()))
    bare = []
    for label, draw in ILLUSTRATIONS.items():
        shown.clear()
        draw()
        for fig in shown:
            for ax in fig.axes:
                if not (ax.get_title() and ax.get_xlabel() and ax.get_ylabel()):
                    bare.append(label)
        plt.close("all")
    assert not bare, f"figures without a title or axis labels: {sorted(set(bare))}"


def test_report_sections_become_markdown_and_figures(docs_modules):
    from _literate import report_parts

    section = ("Text with a [run.json](run.json) link.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
               "![Gap per pair: legacy = [B26] v1's, corrected.](figures/e1.png)\n\n"
               "*Gap per pair: legacy = [B26] v1's.* ([SVG](figures/e1.svg))\n")
    parts = report_parts(section)
    assert [kind for kind, _ in parts] == ["markdown", "figure", "markdown"]
    assert parts[1][1] == "figures/e1.png"
    text = parts[0][1] + parts[2][1]
    assert "](" not in text and "SVG" not in text and "run.json link" in text
    assert "[B26] v1's" in parts[2][1]


# --------------------------------------------------------------------------- the command


def test_docs_command_refuses_bad_arguments(tmp_path):
    from experiments.cli import main

    a_file = tmp_path / "f"
    a_file.write_text("")
    assert main(["docs", "--out", str(a_file)]) == 2
    assert main(["docs", "--out", str(tmp_path / "o"), "--jobs", "0"]) == 2


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
def test_docs_command_builds_every_page(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "experiments.cli", "docs", "--out",
                           str(tmp_path)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    out = tmp_path / "html"
    for page in PAGES:
        assert (out / f"{page.stem}.html").is_file(), f"{page.stem}.html was not written"
    assert (tmp_path / "jupyter_execute").is_dir(), "executed notebooks belong in the build"
    statements = "".join((out / f"statements_{c}.html").read_text(encoding="utf-8")
                         for c in ("fb", "ll", "new", "loss"))
    missing = [lb for lb in registry().labels() if f'id="{lb}"' not in statements]
    assert not missing, f"labels without a section in the built site: {missing}"
