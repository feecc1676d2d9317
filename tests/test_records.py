"""Record store (torn lines, duplicates, kill-and-resume), CSV, atomic JSON, provenance."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch

import numerics
from experiments import provenance as prov
from experiments._io import write_json_atomic
from experiments.records import (
    CorruptRecordError,
    DuplicateKeyError,
    RecordStore,
    record_key,
    to_csv,
)
from experiments.run import SEEDING, ConfigMismatchError, Run, data_seed, generator, rng, task_seed
from theory.errors import RelulandscapeError


def _filled(path, n=3) -> RecordStore:
    store = RecordStore(path)
    for i in range(n):
        store.append({"key": record_key(pair=i), "gap": i / 10, "beads": [0, i]})
    return store


def test_records_survive_reopening(tmp_path):
    path = tmp_path / "sub" / "records.jsonl"
    written = _filled(path).records()
    reopened = RecordStore(path)
    assert reopened.records() == written
    assert reopened.done_keys() == {"pair=0", "pair=1", "pair=2"}
    assert "pair=1" in reopened and len(reopened) == 3 and reopened.torn_bytes == 0
    assert path.read_text().count("\n") == 3


def test_duplicate_keys_are_refused_and_nothing_is_written(tmp_path):
    path = tmp_path / "r.jsonl"
    store = _filled(path)
    before = path.read_bytes()
    with pytest.raises(DuplicateKeyError, match="'pair=1'"):
        store.append({"key": "pair=1", "gap": 9.0})
    with pytest.raises(DuplicateKeyError, match="'pair=2'"):
        RecordStore(path).append({"key": "pair=2"})
    assert path.read_bytes() == before and len(store) == 3


def test_a_torn_last_line_is_cut_away(tmp_path):
    path = tmp_path / "r.jsonl"
    _filled(path)
    clean = path.read_bytes()
    with open(path, "ab") as f:
        f.write(b'{"key": "pair=3", "gap": 0.')
    store = RecordStore(path)
    assert store.torn_bytes == len(b'{"key": "pair=3", "gap": 0.')
    assert path.read_bytes() == clean
    assert store.done_keys() == {"pair=0", "pair=1", "pair=2"}
    store.append({"key": "pair=3", "gap": 0.3})
    assert RecordStore(path).records()[-1] == {"key": "pair=3", "gap": 0.3}


def test_a_damaged_complete_line_is_an_error(tmp_path):
    path = tmp_path / "r.jsonl"
    _filled(path)
    lines = path.read_text().splitlines(keepends=True)
    lines[1] = "not json\n"
    path.write_text("".join(lines))
    with pytest.raises(CorruptRecordError, match=r"r.jsonl:2: not JSON"):
        RecordStore(path)
    path.write_text('{"key": "a"}\n{"key": "a"}\n')
    with pytest.raises(CorruptRecordError, match=r":2: record key 'a'"):
        RecordStore(path)


@pytest.mark.parametrize(
    ("rec", "error", "match"),
    [
        ([("key", "a")], TypeError, "must be a dict"),
        ({"gap": 1.0}, ValueError, "non-empty string 'key'"),
        ({"key": 3}, ValueError, "non-empty string 'key'"),
        ({"key": "a", "x": object()}, TypeError, "not JSON serializable"),
    ],
)
def test_bad_records_are_refused_and_nothing_is_written(tmp_path, rec, error, match):
    path = tmp_path / "r.jsonl"
    store = RecordStore(path)
    with pytest.raises(error, match=match):
        store.append(rec)
    assert path.read_bytes() == b"" and len(store) == 0


def test_arrays_and_tensors_are_stored_as_lists(tmp_path):
    path = tmp_path / "r.jsonl"
    store = RecordStore(path)
    store.append({"key": "a", "F": np.float64(0.25), "p": torch.tensor([[1.0, 2.0]]),
                  "steps": np.arange(3), "t": (1, 2)})
    expected = {"key": "a", "F": 0.25, "p": [[1.0, 2.0]], "steps": [0, 1, 2], "t": [1, 2]}
    assert store.records() == [expected]
    assert RecordStore(path).records() == [expected]


def test_records_returns_copies(tmp_path):
    store = _filled(tmp_path / "r.jsonl")
    store.records()[0]["beads"].append(99)
    assert store.records()[0]["beads"] == [0, 0]


def test_record_key_joins_its_parts():
    assert record_key(width=20, pair=3) == "width=20,pair=3"
    with pytest.raises(ValueError, match="at least one"):
        record_key()


_WRITER = textwrap.dedent("""
    import hashlib, sys, time
    from experiments.records import RecordStore, record_key

    path, n, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    store = RecordStore(path)
    for i in range(n):
        key = record_key(pair=i)
        if key in store:
            continue
        time.sleep(delay)
        digest = hashlib.sha256(key.encode()).hexdigest()
        store.append({"key": key, "digest": digest, "x": [i, i / 3]})
""")


def _writer(script, path, n, delay, run=subprocess.Popen, **kwargs):
    # the child must import this checkout's `numerics`, wherever it runs from
    root = str(Path(numerics.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    return run([sys.executable, str(script), str(path), str(n), str(delay)], env=env, **kwargs)


def _run_writer(script, path, n, delay):
    _writer(script, path, n, delay, run=subprocess.run, check=True, timeout=60)


def test_killed_writer_resumes_to_the_uninterrupted_records(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    n = 40
    whole, resumed = tmp_path / "whole.jsonl", tmp_path / "resumed.jsonl"
    _run_writer(script, whole, n, 0.0)

    proc = _writer(script, resumed, n, 0.05)
    deadline = time.monotonic() + 30
    while (not resumed.exists() or resumed.read_bytes().count(b"\n") < 5):
        assert time.monotonic() < deadline, "the writer never got going"
        assert proc.poll() is None, "the writer ended before it could be killed"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert 5 <= resumed.read_bytes().count(b"\n") < n
    # as if the kill had landed inside a write: an unterminated fragment at the end
    with open(resumed, "ab") as f:
        f.write(b'{"key": "pair=')

    _run_writer(script, resumed, n, 0.0)
    assert resumed.read_bytes() == whole.read_bytes()
    assert RecordStore(resumed).records() == RecordStore(whole).records()


def test_to_csv_writes_every_column(tmp_path):
    records = [{"key": "a", "gap": 0.5}, {"key": "b", "beads": [1, 2], "meta": {"d": 8}}]
    path = to_csv(records, tmp_path / "out.csv")
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["key", "gap", "beads", "meta"]
    assert rows[0] == {"key": "a", "gap": "0.5", "beads": "", "meta": ""}
    assert json.loads(rows[1]["beads"]) == [1, 2] and json.loads(rows[1]["meta"]) == {"d": 8}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_write_json_atomic_replaces_the_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("old")
    write_json_atomic(path, {"F": np.float32(0.5), "p": torch.zeros(2)})
    assert json.loads(path.read_text()) == {"F": 0.5, "p": [0.0, 0.0]}
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("old")
    with pytest.raises(TypeError, match="not JSON serializable"):
        write_json_atomic(path, {"x": object()})
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]


def test_provenance_records_the_run():
    record = prov.provenance({"width": 20, "kappa": np.float64(1e-3)}, 7, "cpu")
    assert record["config"] == {"width": 20, "kappa": 1e-3}
    assert record["seed"] == 7 and record["device"] == "cpu"
    assert set(record["versions"]) == {"python", "torch", "numpy", "sympy", "sklearn",
                                       "relu-landscape"}
    assert record["versions"]["torch"] == torch.__version__
    commit = record["git_commit"]
    assert commit == "unknown" or (len(commit) == 40 and int(commit, 16) >= 0)
    assert record["git_dirty"] in (True, False, None)
    assert record["timestamp"].endswith("+00:00")
    json.dumps(record)


def test_provenance_outside_a_repository(monkeypatch):
    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(prov.subprocess, "run", no_git)
    record = prov.provenance({}, 0)
    assert record["git_commit"] == "unknown" and record["git_dirty"] is None


@pytest.mark.parametrize(
    ("config", "seed", "error", "match"),
    [
        ([1, 2], 0, TypeError, "config must be a dict"),
        ({"f": object()}, 0, TypeError, "config is not JSON-serializable"),
        ({}, True, TypeError, "seed must be an int"),
        ({}, 1.5, TypeError, "seed must be an int"),
    ],
)
def test_provenance_rejects_bad_arguments(config, seed, error, match):
    with pytest.raises(error, match=match):
        prov.provenance(config, seed)


def test_atomic_writes_follow_the_umask_like_open(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    atomic = write_json_atomic(tmp_path / "atomic.json", {"x": 1})
    assert atomic.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777


# ---- Run: one config, one folder, one seeding scheme -------------------------------------


@dataclass(frozen=True)
class _Cfg:
    width: int
    batch: int = 2


def test_claim_resumes_the_same_run_and_names_what_differs(tmp_path):
    folder = tmp_path / "r"
    assert Run("demo", _Cfg(4), 0, "cpu", folder).claim() is False
    assert json.loads((folder / "run.json").read_text())["config"] == {"width": 4, "batch": 2}
    assert Run("demo", _Cfg(4), 0, "cpu", folder).claim() is True
    with pytest.raises(ConfigMismatchError, match=r"batch: 2 in the folder, 4 now"):
        Run("demo", _Cfg(4, batch=4), 0, "cpu", folder).claim()
    with pytest.raises(ConfigMismatchError, match=r"seed: 0 in the folder, 1 now"):
        Run("demo", _Cfg(4), 1, "cpu", folder).claim()


def test_claim_refuses_a_folder_recorded_under_another_seeding_scheme(tmp_path):
    """Records made before the data sets' seeds were derived from the root seed (run.json
    without `seeding`) are not resumed: their data differ."""
    folder = tmp_path / "r"
    Run("demo", _Cfg(4), 0, "cpu", folder).claim()
    run_json = json.loads((folder / "run.json").read_text())
    assert run_json["seeding"] == SEEDING
    del run_json["seeding"]
    (folder / "run.json").write_text(json.dumps(run_json))
    with pytest.raises(ConfigMismatchError, match=r"predate seeding scheme 'sha256/2'"):
        Run("demo", _Cfg(4), 0, "cpu", folder).claim()


def test_data_sets_draw_from_the_run_s_seeding_scheme():
    """Every data set's seed is derived from (root seed, data set), never the root itself."""
    from experiments.configs import PairsConfig

    for dataset in ("moons", "cancer"):
        cfg = PairsConfig(dataset=dataset, loss="bce_logit", widths=(4,), pairs=2)
        seed = cfg.data_kwargs(7)["seed"]
        assert seed == data_seed(7, dataset) == task_seed(7, f"data/{dataset}")
        assert cfg.data_kwargs(7)["seed"] != 7
    assert data_seed(7, "moons") != data_seed(7, "cancer") != data_seed(8, "cancer")


@dataclass(frozen=True)
class _GrownCfg:
    width: int
    batch: int = 2
    grid: tuple[str, ...] = ("a", "b")  # a setting added after the run in the folder began


def test_claim_accepts_a_setting_added_later_only_at_its_default(tmp_path):
    folder = tmp_path / "r"
    Run("demo", _Cfg(4), 0, "cpu", folder).claim()
    assert Run("demo", _GrownCfg(4), 0, "cpu", folder).claim() is True
    with pytest.raises(ConfigMismatchError, match=r"grid: None in the folder, \['a'\] now"):
        Run("demo", _GrownCfg(4, grid=("a",)), 0, "cpu", folder).claim()
    # a removed setting is a difference
    Run("demo", _GrownCfg(4), 0, "cpu", tmp_path / "s").claim()
    with pytest.raises(ConfigMismatchError, match=r"grid: \['a', 'b'\] in the folder"):
        Run("demo", _Cfg(4), 0, "cpu", tmp_path / "s").claim()


def test_claim_refuses_a_foreign_folder(tmp_path):
    (tmp_path / "pairs.csv").write_text("someone else's")
    with pytest.raises(ConfigMismatchError, match="not empty"):
        Run("demo", _Cfg(4), 0, "cpu", tmp_path).claim()
    assert (tmp_path / "pairs.csv").read_text() == "someone else's"


@pytest.mark.parametrize("seed", [-1, 2**63, 1.5, True])
def test_run_refuses_seeds_outside_the_range(tmp_path, seed):
    with pytest.raises(RelulandscapeError, match="seed"):
        Run("demo", _Cfg(4), seed, "cpu", tmp_path)


def test_one_seeding_scheme_for_torch_and_numpy():
    assert task_seed(3, "a") == task_seed(3, "a") != task_seed(3, "b")
    assert 0 <= task_seed(2**63 - 1, "k") < 2**63
    t = generator(3, "a").initial_seed()
    assert t == task_seed(3, "a")
    assert rng(3, "a").integers(1 << 30) == rng(3, "a").integers(1 << 30)
