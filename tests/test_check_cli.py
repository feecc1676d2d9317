"""`relu-landscape check`: table, JSON records, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from experiments.cli import main
from theory.losses import CATALOGUE


def test_check_losses_json_records(capsys):
    labels = [loss.label for loss in CATALOGUE.values()]
    assert main(["check", *labels, "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"label", "step", "method", "status"} <= set(records[0])
    by = {(r["label"], r["step"]): r for r in records}
    for name in ("ramp", "sigmoid"):
        rec = by[(f"loss:{name}", "convex")]
        assert rec["status"] == "refuted" and rec["counterexample"]
    for loss in CATALOGUE.values():
        if not loss.negative_control:
            assert by[(loss.label, "convex")]["status"] == "passed"
    assert all(r["status"] in ("passed", "refuted") for r in records)


def test_check_prints_table(capsys):
    assert main(["check", "loss:ramp"]) == 0
    out = capsys.readouterr().out
    assert "refuted" in out and "counterexample" in out and "seconds" in out


def test_unknown_label_exits_2():
    proc = subprocess.run(
        [sys.executable, "-m", "experiments.cli", "check", "ll:no-such-lemma"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert "unknown statement label 'll:no-such-lemma'" in proc.stderr


@pytest.mark.parametrize("argv", [["nonsense"], []])
def test_bad_subcommand_is_a_usage_error(argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_check_json_says_which_obligations_read_the_conclusion(capsys):
    assert main(["check", "ll:pruning", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert all("reads_conclusion" in r for r in records)
    assert any(r["reads_conclusion"] for r in records)


#: a fixed sample of statements with fast obligations (no dependents with slow ones)
MUTATION_SAMPLE = ["ll:pruning", "ll:two-ray", "fb:prop-2.1", "loss:hinge",
                   "new:buffer-permutation"]


@pytest.mark.lemma("ll:pruning")
def test_mutation_sample_is_caught():
    from proofs_check._mutate import TARGET, run_mutations

    report = run_mutations(MUTATION_SAMPLE)
    assert {r.mutant.label for r in report.rows} == set(MUTATION_SAMPLE)
    kinds = {r.mutant.kind for r in report.rows}
    assert {"const×1/2", "const×2", "reversed", "drop-term", "drop-hypothesis"} <= kinds
    assert not report.broken
    assert report.caught_fraction >= TARGET
    assert not report.unexplained, [r.mutant.id for r in report.unexplained]


def test_check_mutate_prints_the_table(capsys):
    assert main(["check", "--mutate", "fb:prop-2.1"]) == 0
    out = capsys.readouterr().out
    assert "fb:prop-2.1" in out and "caught 2 of 2 mutants (100.0 %" in out


def test_mutants_cover_every_kind():
    import sympy as sp

    from proofs_check import mutants
    from theory import registry

    stmt = registry().get("ll:bridge")
    found = {m.kind for m in mutants(stmt)}
    assert found == {"const×1/2", "const×2", "exp+1/2", "exp-1/2", "reversed", "drop-term",
                     "drop-hypothesis"}
    for m in mutants(stmt):
        assert m.statement.label == stmt.label
        assert (m.statement.hypotheses, m.statement.conclusion) != (
            stmt.hypotheses, stmt.conclusion)
        assert isinstance(m.statement.conclusion, sp.Basic)
