"""Blueprint consistency (in the spirit of leanblueprint's checkdecls).

Every registered statement must have at least one proof obligation, at least one obligation
that reads its conclusion from the registry (so a wrong conclusion changes what is
checked), and at least one test marked `lemma("<label>")`; every obligation must belong to
a registered statement; every `uses` label must exist. Fails loudly with what is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proofs_check import obligations
from theory import registry

TESTS = Path(__file__).parent


def test_every_uses_label_exists():
    reg = registry()
    missing = [(s.label, u) for s in reg for u in s.uses if u not in reg]
    assert not missing, f"unknown uses labels: {missing}"


def test_every_statement_has_an_obligation():
    have = {ob.label for ob in obligations()}
    missing = [s.label for s in registry() if s.label not in have]
    assert not missing, f"statements without any proof obligation: {missing}"


def test_every_conclusion_is_read_by_an_obligation():
    read = {
        ob.label for ob in obligations()
        if (ob.label, "conclusion") in ob.reads()
    }
    missing = [s.label for s in registry() if s.label not in read]
    assert not missing, f"statements whose conclusion no obligation reads: {missing}"


def test_every_obligation_belongs_to_a_statement():
    reg = registry()
    orphans = sorted({ob.label for ob in obligations() if ob.label not in reg})
    assert not orphans, f"obligations of unregistered labels: {orphans}"


def test_obligation_steps_are_unique_per_label():
    seen = [(ob.label, ob.step) for ob in obligations()]
    assert len(seen) == len(set(seen))


def test_every_statement_has_a_test(lemma_labels, collected_files):
    every_file = {p.name for p in TESTS.glob("test_*.py")}
    if not every_file <= collected_files:
        pytest.skip("only part of the suite was collected; run the whole suite to check")
    missing = [s.label for s in registry() if s.label not in lemma_labels]
    assert not missing, f"statements without a test marked lemma(label): {missing}"
    unknown = sorted(set(lemma_labels) - set(registry().labels()))
    assert not unknown, f"tests marked with labels no statement has: {unknown}"
