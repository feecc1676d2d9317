"""The generated reference pages (docs/_reference.py): every public name and every option."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

from experiments.cli import build_parser

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def ref():
    sys.path.insert(0, str(DOCS))
    try:
        import _reference

        yield _reference
    finally:
        sys.path.remove(str(DOCS))


@pytest.mark.parametrize("package", ["theory", "proofs_check", "numerics"])
def test_api_page_lists_every_name_of_all(ref, package):
    import importlib

    mod = importlib.import_module(package)
    page = ref.api_html(package)
    for name in mod.__all__:
        assert f'id="api-{package}.{name}"' in page, name
    entry = next(e for e in ref.entries(package) if e.doc)
    assert ref.marked_up(entry.summary) in page


def test_experiments_without_all_lists_its_public_modules(ref):
    pairs = ref.public_names("experiments")
    modules = {m for m, _ in pairs}
    assert {"experiments.run", "experiments.provenance", "experiments.cli"} <= modules
    assert ("experiments.cli", "build_parser") in pairs
    assert not any(name.startswith("_") or m.split(".")[-1].startswith("_")
                   for m, name in pairs)


def test_marked_up_escapes_and_marks_code_math_bold(ref):
    out = ref.marked_up("a <b> `x < $y$` **z** $\\lambda < 1$")
    assert out == ("a &lt;b&gt; <code>x &lt; $y$</code> <strong>z</strong> "
                   '<span class="math notranslate nohighlight">\\(\\lambda &lt; 1\\)</span>')


def test_cli_page_has_every_command_and_option_of_the_parser(ref):
    parser = build_parser()
    page = ref.cli_html(parser)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        assert f'id="cli-{name}"' in page
        for action in p._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            for flag in action.option_strings:
                assert flag in page, (name, flag)
    assert "--version" in page and "--require" in page


def test_cli_page_follows_a_new_option(ref):
    """Generated, so it cannot drift: an option added to the parser appears on the page."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sub.choices["check"].add_argument("--brand-new-flag", help="a flag added just now")
    page = ref.cli_html(parser)
    assert "--brand-new-flag" in page and "a flag added just now" in page
    assert "--brand-new-flag" not in ref.cli_html()


def test_docstring_examples_are_code_blocks_apart_from_the_prose():
    from _reference import doc_html

    doc = ("Add `x`.\n\n>>> f(1)\nTraceback (most recent call last):\n    ...\n"
           "ValueError: no\n\nMore prose with $a < b$.")
    out = doc_html(doc)
    prose, example, rest = out.split("</div>", 1)[0], out.split('<pre class="api-example"')[1], \
        out.rsplit("</pre>", 1)[1]
    assert "<code>x</code>" in prose and "Traceback" not in prose
    assert "&gt;&gt;&gt; f(1)" in example and "Traceback (most recent call last)" in example
    assert "More prose" in rest and 'class="math' in rest
