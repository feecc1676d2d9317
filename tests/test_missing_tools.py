"""A check whose external tool is absent is `not run`, not `undecided` (docs: blueprint).

`coqc` is hidden by pointing `$COQC` at a path that does not exist, so these tests run the
same with or without Coq installed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from experiments.cli import main
from proofs_check import Result, Status, failing, not_run_lines, render_table
from proofs_check._obligation import Expect, Obligation
from proofs_check._outcome import Outcome
from proofs_check._tools import TOOLS
from theory import registry

#: a statement with a Coq obligation and fast other obligations
LABEL = "ll:bridge"
INSTALL_LINE = "kernel check not run: coqc missing — apt-get install coq"


@pytest.fixture
def no_coqc(monkeypatch):
    monkeypatch.setenv("COQC", "/nonexistent/coqc")


def _res(method: str, status: Status) -> Result:
    return Result("t:a", "s", method, status, "", 0.0)


def test_not_run_fails_only_when_its_tool_is_required():
    results = [_res("z3", Status.PASSED), _res("coq", Status.NOT_RUN)]
    assert failing(results) == []
    assert failing(results, ["coq"]) == [results[1]]
    # undecided keeps meaning "the mathematics was not decided": always a failure
    undecided = [_res("coq", Status.UNDECIDED)]
    assert failing(undecided) == undecided


def test_summary_counts_not_run_with_the_install_line():
    results = [_res("coq", Status.NOT_RUN)] * 10 + [_res("z3", Status.PASSED)]
    assert not_run_lines(results) == [
        "10 kernel checks not run: coqc missing — apt-get install coq"]
    assert not_run_lines(results[-2:]) == [f"1 {INSTALL_LINE}"]
    assert not_run_lines(results, ["coq"])[0].endswith("(required: a failure)")
    assert not_run_lines(results[-1:]) == []
    table = render_table(results)
    assert "10 not run, 1 passed" in table and "10 kernel checks not run" in table


@pytest.mark.parametrize("expect", list(Expect))
def test_every_expectation_keeps_not_run(expect):
    ob = Obligation("t:a", "s", lambda: _Stub(), expect)
    assert ob.check().status is Status.NOT_RUN


class _Stub:
    name = "coq"

    def run(self) -> Outcome:
        return Outcome.not_run(TOOLS["coq"].missing())


def test_check_without_coqc_exits_0_and_says_how_to_install(no_coqc, capsys):
    assert main(["check", LABEL]) == 0
    out = capsys.readouterr().out
    assert "not run" in out and f"1 {INSTALL_LINE}" in out
    assert "undecided" not in out


def test_check_require_coq_without_coqc_exits_1(no_coqc, capsys):
    assert main(["check", LABEL, "--require", "coq"]) == 1
    assert "(required: a failure)" in capsys.readouterr().out
    assert main(["check", LABEL, "--json", "--require", "coq"]) == 1
    assert INSTALL_LINE in capsys.readouterr().err


def test_require_names_a_known_tool():
    with pytest.raises(SystemExit) as exc:
        main(["check", LABEL, "--require", "lean"])
    assert exc.value.code == 2


def test_coqc_hidden_from_path_is_not_run(tmp_path: Path):
    """The same through PATH: an empty PATH (the interpreter named by its full path)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "experiments.cli", "check", LABEL],
        capture_output=True, text=True, check=False,
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.returncode == 0, proc.stderr
    assert f"1 {INSTALL_LINE}" in proc.stdout


def test_blueprint_shows_not_run_in_its_own_colour():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs"))
    try:
        import _blueprint_data as bp
    finally:
        sys.path.pop(0)
    plain = next(s for s in registry() if not s.flags)
    ok = Result(plain.label, "step_1", "z3", Status.PASSED, "", 0.0)
    missing = Result(plain.label, "coq_step", "coq", Status.NOT_RUN, TOOLS["coq"].missing(), 0.0)
    status, note = bp.derive_status(plain, [ok, missing])
    assert status == bp.NOT_RUN and "apt-get install coq" in note
    assert bp.COLOURS[bp.NOT_RUN] not in {c for s, c in bp.COLOURS.items() if s != bp.NOT_RUN}
    # a failure elsewhere still wins
    bad = Result(plain.label, "step_1", "z3", Status.FAILED, "no", 0.0)
    assert bp.derive_status(plain, [bad, missing])[0] == bp.FAILED
