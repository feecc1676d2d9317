"""The mutation-testing set-up: mutation.toml covers the core modules, and the score table
counts what it says (killed, survived, equivalent, timeout). No mutant is run here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from experiments import _mutation as mutation
from experiments.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
CORE = {
    "numerics._dss", "numerics._certify", "numerics._train", "numerics._constructive",
    "numerics._walk", "numerics._sparsify", "numerics._reference", "numerics._zero_radius",
    "numerics._special_paths",
    "numerics._data_prep", "numerics._data_sets", "experiments.stats",
    "proofs_check._obligation", "theory.statements.fb", "theory.statements.ll",
    "theory.statements.new", "theory.statements.losses",
}


@pytest.fixture(scope="module")
def config() -> mutation.MutationConfig:
    return mutation.load_config(ROOT / "mutation.toml")


def test_the_configuration_covers_every_core_module(config):
    assert set(config.modules) >= CORE
    assert config.target >= 0.9
    for m in config.modules.values():
        assert (ROOT / m.path).is_file(), m.path
        for test in m.tests:
            assert (ROOT / test.split("::")[0]).is_file(), test
        if m.kind == "mutmut":
            assert m.tests, f"{m.name} maps no tests"


def _collected(args: list[str]) -> set[str]:
    """The node ids `pytest --collect-only` selects with `args` (run from the root)."""
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                          "-p", "no:cacheprovider", *args], cwd=ROOT, capture_output=True,
                         text=True, check=False)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    return {line for line in out.stdout.splitlines() if "::" in line}


def test_each_modules_marker_selects_tests_from_every_entry(config):
    """What mutmut runs for a module is pytest's selection of its `tests` under its
    `marker` (mutmut collects `pytest_add_cli_args_test_selection`): every listed file or
    node id contributes at least one test, and a marker never selects nothing."""
    by_marker: dict[str | None, list[mutation.Module]] = {}
    for m in config.modules.values():
        if m.kind == "mutmut":
            by_marker.setdefault(m.marker, []).append(m)
    assert None in by_marker or "fast" in by_marker
    for marker, modules in by_marker.items():
        files = sorted({t.split("::")[0] for m in modules for t in m.tests})
        selected = _collected([*(("-m", marker) if marker else ()), *files])
        for m in modules:
            for test in m.tests:
                hits = [n for n in selected if n == test or n.startswith(test + "::")
                        or n.startswith(test + "[")]
                assert hits, f"{m.name}: marker {marker!r} selects no test of {test}"


def test_the_marker_reaches_mutmuts_test_selection(tmp_path):
    config = tmp_path / "mutation.toml"
    config.write_text('[modules."a.b"]\ntests = ["tests/t.py", "tests/u.py::x"]\n'
                      'marker = "fast"\n[modules."a.c"]\ntests = ["tests/t.py"]\n',
                      encoding="utf-8")
    loaded = mutation.load_config(config)
    marked, plain = loaded.modules["a.b"], loaded.modules["a.c"]
    assert marked.selection == ("-m", "fast", "tests/t.py", "tests/u.py::x")
    assert plain.marker is None and plain.selection == ("tests/t.py",)
    cfg = mutation._setup_cfg(marked, {})
    assert ("pytest_add_cli_args_test_selection =\n    -m\n    fast\n    tests/t.py\n"
            "    tests/u.py::x\n") in cfg
    config.write_text('[modules."a.b"]\ntests = ["t.py"]\nmarker = ""\n', encoding="utf-8")
    with pytest.raises(ValueError, match="marker must be a nonempty"):
        mutation.load_config(config)


def test_every_equivalent_mutant_names_a_core_module_and_a_reason(config):
    for e in config.equivalent:
        assert any(e.mutant.startswith(name + ".") for name in config.modules), e.mutant
        assert e.reason.strip() and "\n" not in e.reason


def _config(*equivalent: mutation.Equivalent) -> mutation.MutationConfig:
    return mutation.MutationConfig(0.9, {}, equivalent, {})


def test_classify_counts_each_status_once():
    statuses = {"m.x_f__mutmut_1": "killed", "m.x_f__mutmut_2": "survived",
                "m.x_f__mutmut_3": "timeout", "m.x_f__mutmut_4": "no tests",
                "m.x_f__mutmut_5": "survived", "m.x_f__mutmut_6": "caught by type check",
                "m.x_f__mutmut_7": "not checked"}
    diffs = {"m.x_f__mutmut_2": "-    a = 1\n+    a = 2", "m.x_f__mutmut_5": "+    b = 3"}
    cfg = _config(mutation.Equivalent("m.x_f__mutmut_2", "a is never read", line="a = 2"))
    row = mutation.classify("m", statuses, diffs, cfg)
    assert (row.mutants, row.killed, row.survived, row.equivalent, row.timeout,
            row.no_tests, row.not_run) == (7, 2, 2, 1, 1, 1, 1)
    assert [s.mutant for s in row.survivors] == ["m.x_f__mutmut_4", "m.x_f__mutmut_5"]
    # (killed + timeout) / (mutants − equivalent − not run)
    assert row.score == pytest.approx(3 / 5)


def test_an_equivalent_entry_whose_line_no_longer_matches_does_not_hide_a_survivor():
    cfg = _config(mutation.Equivalent("m.x_f__mutmut_1", "old reason", line="a = 2"))
    row = mutation.classify("m", {"m.x_f__mutmut_1": "survived"},
                            {"m.x_f__mutmut_1": "-    a = 1\n+    a = 7"}, cfg)
    assert (row.survived, row.equivalent) == (1, 0)
    assert row.stale_equivalents == ["m.x_f__mutmut_1"]


def test_the_table_has_one_row_per_module_and_a_total(tmp_path):
    rows = [mutation.ModuleScore("a", "mutmut", mutants=10, killed=9, survived=1),
            mutation.ModuleScore("b", "statements", mutants=4, killed=2, equivalent=2)]
    table = mutation.write_report(rows, _config(), tmp_path)
    lines = table.splitlines()
    assert lines[0].startswith("| module | tool | mutants | killed | survived | equivalent")
    assert "| `a` | mutmut | 10 | 9 | 1 | 0 | 0 | 0 | 0 | 90.0 % |  |  |" in lines
    assert "| `b` | statements | 4 | 2 | 0 | 2 | 0 | 0 | 0 | 100.0 % |  |  |" in lines
    assert "| **total** | | 14 | 11 | 1 | 2 | 0 | 0 | 0 | 91.7 % | |  |" in lines
    assert (tmp_path / "score.md").read_text().count("| `") == 2
    assert (tmp_path / "score.json").exists()


def test_a_module_below_target_or_not_measured_is_marked():
    rows = [mutation.ModuleScore("a", "mutmut", mutants=10, killed=8, survived=2),
            mutation.ModuleScore("b", "statements", error="check fails before any mutation")]
    table = mutation.render_rows(rows, 0.9)
    assert "80.0 % ✗" in table
    assert "| `b` | statements | not measured: check fails before any mutation |" in table
    assert rows[1].score == 0.0


def test_selftest_lists_the_modules_and_refuses_bad_requests(capsys):
    assert cli_main(["selftest", "--mutation", "--list", "--config",
                     str(ROOT / "mutation.toml")]) == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in CORE)
    assert cli_main(["selftest", "--list", "--config", str(ROOT / "mutation.toml")]) == 2
    assert "--mutation" in capsys.readouterr().err
    assert cli_main(["selftest", "--mutation", "numerics._nope", "--config",
                     str(ROOT / "mutation.toml")]) == 2
    assert "unknown module" in capsys.readouterr().err


def test_a_score_below_the_baseline_is_marked_and_full_runs_update_it(tmp_path):
    path = tmp_path / "baseline.json"
    assert mutation.load_baseline(path) == {}
    first = [mutation.ModuleScore("a", "mutmut", mutants=10, killed=10, seconds=90.0,
                                  full=True),
             mutation.ModuleScore("b", "mutmut", mutants=10, killed=9, survived=1,
                                  seconds=30.0, full=True)]
    assert mutation.update_baseline(path, first, {"commit": "abc"}) == ["a", "b"]
    baseline = mutation.load_baseline(path)
    assert baseline == {"a": 1.0, "b": 0.9}
    # a: one mutant more survives; b: better; c: new; a resumed run never updates
    later = [mutation.ModuleScore("a", "mutmut", mutants=10, killed=9, survived=1,
                                  seconds=60.0, full=True),
             mutation.ModuleScore("b", "mutmut", mutants=10, killed=10, seconds=60.0),
             mutation.ModuleScore("c", "mutmut", mutants=4, killed=4, full=True)]
    table = mutation.render_rows(later, 0.85, baseline)
    assert "| 90.0 % | −10.0 ▼ | 1.0 min |" in table
    assert "| 100.0 % | +10.0 | 1.0 min |" in table
    assert "| 100.0 % |  |  |" in table  # c has no baseline yet
    assert "| **total** | | 24 | 23 | 1 | 0 | 0 | 0 | 0 | 95.8 % | | 2.0 min |" in table
    assert mutation.dropped(later, baseline) == ["a"]
    assert mutation.update_baseline(path, later, {"commit": "def"}) == ["a", "c"]
    rows = json.loads(path.read_text())
    assert [(r["module"], r["score"], r["commit"]) for r in rows] == [
        ("a", 0.9, "def"), ("b", 0.9, "abc"), ("c", 1.0, "def")]
    assert "survivors" not in rows[0] and rows[0]["seconds"] == 60.0
    path.write_text("{}")
    with pytest.raises(ValueError, match="not a mutation score file"):
        mutation.load_baseline(path)


def test_the_committed_baseline_covers_every_core_module_at_the_target():
    baseline = mutation.load_baseline(ROOT / "docs" / "mutation-score.json")
    config = mutation.load_config(ROOT / "mutation.toml")
    assert set(baseline) == set(config.modules)
    assert all(score >= config.target for score in baseline.values()), baseline


def test_modules_run_side_by_side_keep_their_order_and_the_start_commit(tmp_path, monkeypatch,
                                                                         capsys):
    import time

    config = tmp_path / "mutation.toml"
    config.write_text('target = 0.9\n'
                      '[modules."a.slow"]\ntests = ["t.py"]\n'
                      '[modules."b.fast"]\ntests = ["t.py"]\n'
                      '[modules."c.statements"]\nkind = "statements"\n', encoding="utf-8")
    running, most = set(), [0]

    def fake(module, cfg, **kwargs):
        running.add(module.name)
        most[0] = max(most[0], len(running))
        time.sleep(0.3 if module.name == "a.slow" else 0.1)
        running.discard(module.name)
        return mutation.ModuleScore(module.name, module.kind, mutants=2, killed=2,
                                    seconds=0.1, full=True)

    monkeypatch.setattr(mutation, "missing_tools", lambda modules: None)
    monkeypatch.setattr(mutation, "run_module", fake)
    baseline = tmp_path / "baseline.json"
    argv = ["selftest", "--mutation", "--config", str(config), "--out", str(tmp_path / "o"),
            "--modules-at-once", "2", "--baseline", str(baseline), "--update-baseline"]
    assert cli_main(argv) == 0
    # two mutmut modules at once, and the statement modules beside them, one at a time
    assert most[0] >= 2
    rows = json.loads((tmp_path / "o" / "score.json").read_text())
    assert [r["module"] for r in rows] == ["a.slow", "b.fast", "c.statements"]
    stamps = json.loads(baseline.read_text())
    assert {r["modules_at_once"] for r in stamps} == {2}
    assert len({r["commit"] for r in stamps}) == 1
    assert cli_main([*argv[:-1], "--modules-at-once", "0"]) == 2
    assert "--modules-at-once must be ≥ 1" in capsys.readouterr().err


def test_the_longest_modules_start_first(tmp_path):
    mods = [mutation.Module(n, n + ".py", "mutmut", ("t.py",)) for n in ("a", "b", "c", "d")]
    assert mutation.longest_first(mods, tmp_path / "none.json") == mods
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps([{"module": "a", "score": 1.0, "seconds": 60.0},
                                {"module": "b", "score": 1.0, "seconds": 600.0},
                                {"module": "c", "score": 1.0, "seconds": None}]))
    # d has no baseline run (unknown, so first); c has no time (0 s, so last)
    assert [m.name for m in mutation.longest_first(mods, path)] == ["d", "b", "a", "c"]
