"""`relu-landscape check`: table, JSON records, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from numerics.cli import main
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
        [sys.executable, "-m", "numerics.cli", "check", "ll:no-such-lemma"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2
    assert "unknown statement label 'll:no-such-lemma'" in proc.stderr


@pytest.mark.parametrize("argv", [["nonsense"], []])
def test_bad_subcommand_is_a_usage_error(argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
