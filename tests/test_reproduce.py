"""`relu-landscape reproduce`: resumption after SIGKILL, executors, argument errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "experiments.cli", "reproduce"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, check=False,
                          timeout=600)


def test_sigkill_midway_then_resume_gives_the_uninterrupted_records(tmp_path):
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    args = ["seed-table", "--scale", "smoke", "--threads", "1"]
    done = _run(*args, "--out", str(whole))
    assert done.returncode == 0, done.stderr

    proc = subprocess.Popen([*CLI, *args, "--out", str(killed)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    records = killed / "seed-table" / "records.jsonl"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if records.exists() and records.read_text().count("\n") >= 2:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (killed / "report.md").exists()
    partial = records.read_text().count("\n")

    resumed = _run(*args, "--out", str(killed))
    assert resumed.returncode == 0, resumed.stderr
    assert partial < records.read_text().count("\n")
    assert (killed / "seed-table" / "records.csv").read_bytes() == \
        (whole / "seed-table" / "records.csv").read_bytes()


def test_a_worker_killed_midway_leaves_the_records_of_an_undisturbed_run(tmp_path):
    """A Dask worker SIGKILLed while the run is under way: its nanny restarts it, the
    scheduler reruns what it held, and the records equal the in-process run's."""
    distributed = pytest.importorskip("dask.distributed")
    import threading

    from experiments.reproduce._reproduce import reproduce

    reproduce(["seed-table"], tmp_path / "local", scale="smoke", threads=1)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    records = tmp_path / "dask" / "seed-table" / "records.jsonl"
    killed: list[int] = []

    def kill_one_worker() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # a worker dies once the first tasks are in
            if records.exists() and records.read_text().count("\n") >= 2:
                nanny = next(iter(cluster.workers.values()))
                pid = nanny.process.pid
                os.kill(pid, signal.SIGKILL)
                killed.append(records.read_text().count("\n"))  # tasks recorded by then
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=kill_one_worker)
    try:
        watcher.start()
        reproduce(["seed-table"], tmp_path / "dask", scale="smoke", threads=1,
                  executor="dask", scheduler=cluster.scheduler_address)
        watcher.join()
    finally:
        cluster.close()
    lines = records.read_text().count("\n")
    assert killed and killed[0] < lines, "no worker was killed while tasks were left"
    assert lines == (tmp_path / "local" / "seed-table" / "records.jsonl").read_text().count(
        "\n"), "a task is missing or recorded twice"
    name = Path("seed-table") / "records.csv"
    assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_dask_local_cluster_gives_the_in_process_records(tmp_path):
    pytest.importorskip("dask.distributed")
    args = ["topology-contrast", "--scale", "smoke", "--threads", "1"]
    local = _run(*args, "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    dask = _run(*args, "--executor", "dask", "--scheduler", "local:2",
                "--out", str(tmp_path / "dask"))
    assert dask.returncode == 0, dask.stderr
    name = Path("topology-contrast") / "records.csv"
    assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_report_links_every_figure(tmp_path):
    out = tmp_path / "r"
    assert _run("topology-contrast", "--scale", "smoke", "--out", str(out)).returncode == 0
    report = (out / "report.md").read_text()
    for fig in (out / "figures").glob("*.png"):
        assert f"figures/{fig.name}" in report
        assert fig.with_suffix(".svg").exists()
    assert (out / "run.json").exists() and (out / "topology-contrast" / "run.json").exists()
    # the header names the scale and the time taken; E4's text agrees with its table:
    # deep linear nets get an exact certified maximum (no NaN), and no unqualified
    # "zero barrier" claim sits next to a positive value
    assert "(smoke scale)" in report
    import csv

    text = (out / "topology-contrast" / "records.csv").read_text()
    rows = list(csv.DictReader(text.splitlines()))
    linear = [r for r in rows if r["statement"] == "fb:prop-2.2"]
    assert linear and all(r["certified_barrier"] not in ("", "nan") for r in linear)
    assert all(float(r["certified_barrier"]) >= float(r["sampled_barrier"]) - 1e-12
               for r in linear)
    assert "connect at zero barrier" not in report
    assert "certified maximum of its strings exceeds the level by at most" in report


@pytest.mark.parametrize(("args", "message"), [
    (["no-such-experiment"], "invalid choice"),
    (["seed-table", "--pairs", "-3"], "must be an integer ≥ 1, got -3"),
    (["seed-table", "--seed", "-1"], "must be an integer in [0, 2**63)"),
    (["seed-table", "--seed", "4294967296000000000000"], "must be an integer in [0, 2**63)"),
    (["seed-table", "--executor", "dask"], "needs --scheduler"),
])
def test_invalid_arguments_are_clear_errors(tmp_path, args, message):
    proc = _run(*args, "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert message in proc.stderr


def test_unwritable_out_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = _run("seed-table", "--scale", "smoke", "--out", str(blocker / "sub"))
    assert proc.returncode == 2
    assert "cannot write to --out" in proc.stderr


def test_a_different_configuration_is_not_mixed_into_an_existing_run(tmp_path):
    out = str(tmp_path / "o")
    assert _run("topology-contrast", "--scale", "smoke", "--out", out).returncode == 0
    proc = _run("topology-contrast", "--scale", "smoke", "--pairs", "2", "--out", out)
    assert proc.returncode == 2
    assert "holds another run (pairs: 1 in the folder, 2 now)" in proc.stderr


def test_a_foreign_out_folder_is_refused_before_work(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "pairs.csv").write_text("mine")
    proc = _run("topology-contrast", "--scale", "smoke", "--out", str(out))
    assert proc.returncode == 2
    assert "did not write" in proc.stderr
    assert (out / "pairs.csv").read_text() == "mine"


def test_compare_puts_a_run_beside_a_reference_and_names_what_differs(tmp_path):
    args = ["width-sweep", "--scale", "smoke", "--threads", "1"]
    assert _run(*args, "--out", str(tmp_path / "ref")).returncode == 0
    same = _run(*args, "--out", str(tmp_path / "same"), "--compare", str(tmp_path / "ref"))
    assert same.returncode == 0, same.stderr
    assert "0 of 2 cells differ beyond the bootstrap noise" in same.stdout
    assert "settings differ" not in same.stdout
    other = _run(*args, "--out", str(tmp_path / "other"), "--pairs", "3", "--compare",
                 str(tmp_path / "ref" / "width-sweep"))
    assert other.returncode == 0, other.stderr
    assert "pairs: 3 (new) vs 2 (reference)" in other.stdout
    assert (tmp_path / "other" / "compare-width-sweep.md").is_file()
    missing = _run(*args, "--out", str(tmp_path / "x"), "--compare", str(tmp_path / "none"))
    assert missing.returncode == 2 and "no width-sweep records there" in missing.stderr
    assert not (tmp_path / "x").exists()


def test_compare_counts_the_pairs_the_report_counts():
    """E3's report leaves out stopped strings and pairs whose endpoints missed L0, E2's
    replicates exclude the sensitivity grid; so does --compare (it counted both)."""
    from experiments.reproduce._compare import CELLS

    keep = CELLS["fb-geometry"].keep
    assert keep({"normalized_length": 1.2, "stopped": False})
    assert not keep({"normalized_length": 1.9, "stopped": True})
    assert not keep({"endpoints_reached": False})
    # E2: the replicates only; the sensitivity grid's records recompute the same pairs
    keep = CELLS["width-sweep"].keep
    assert keep({"status": "connected", "barrier_upper": 0.0})
    assert not keep({"status": "connected", "barrier_upper": 0.0, "setting": "baseline"})


def test_digits_geometry_smoke_records_test_error_and_the_protocol(tmp_path):
    import json

    done = _run("digits-geometry", "--scale", "smoke", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "digits-geometry" / "records.jsonl").read_text().splitlines()
    rows = [r for line in lines for r in json.loads(line)["records"]]
    assert rows and all(0 <= r["test_error"] <= 1 for r in rows)
    assert all(r["status"] in ("connected", "bounded", "inconclusive", "depth-limited",
                               "unconverged") for r in rows if r["endpoints_reached"])
    assert "E5 digits-geometry" in (tmp_path / "report.md").read_text()


def test_collect_gathers_runs_without_models_and_rewrites_figure_links(tmp_path, monkeypatch):
    import json

    from experiments.reproduce import collect

    run = tmp_path / "e1"
    assert _run("seed-table", "--scale", "smoke", "--out", str(run)).returncode == 0
    top = json.loads((run / "run.json").read_text())
    assert top["cpu_s"] > 0 and top["cpu_count"] >= 1 and len(top["load_average"]) == 3
    monkeypatch.setattr(collect, "GZIP_OVER", 1000)  # small enough for the smoke records
    report = collect.collect([run], tmp_path / "results").read_text()
    assert "](e1/figures/e1_gap_distributions.png)" in report
    assert "## E1 seed-table" in report and "Total wall time" in report
    copied = tmp_path / "results" / "e1" / "seed-table"
    assert not (copied / "models").exists() and (copied / "records.jsonl.gz").is_file()
    compared = _run("seed-table", "--scale", "smoke", "--out", str(tmp_path / "again"),
                    "--compare", str(tmp_path / "results" / "e1"))
    assert compared.returncode == 0, compared.stderr
    assert "0 of 2 cells differ beyond the bootstrap noise" in compared.stdout
