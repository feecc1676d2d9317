"""The command line's answers to bad input: one clear line and exit 2, or 130 on interrupt.

Each case of issue 12 ("Hardening and first contact") is here: out-of-range seeds, a width
that cannot fit, an empty or foreign `--out`, `bench --out FILE`, a damaged record in the
middle of records.jsonl (a torn last line is still repaired), a resume with a different
`--batch`, SIGINT/SIGTERM during `gap` (exit 130, the records kept, the rerun finishing
with the records of an uninterrupted run), the user's umask, "outputs: …" as the last
line, and argument errors answered before any heavy module is imported.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from experiments.cli import main

REPO = Path(__file__).resolve().parents[1]

# a gap run of a few seconds: tiny data, few steps, one pair per batch
TINY = ["--dataset", "moons", "--width", "4", "--loss", "bce_logit", "--kappa", "1e-2",
        "--samples", "40", "--steps", "20", "--draws", "2", "--refit-steps", "0",
        "--max-depth", "1"]


def gap(out: Path, *extra: str, pairs: int = 2, batch: int = 1) -> list[str]:
    return ["gap", *TINY, "--pairs", str(pairs), "--batch", str(batch), *extra,
            "--out", str(out)]


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    """`main(argv)` in-process; argparse's SystemExit becomes its status."""
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if "error:" in line]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --- refused before any work -------------------------------------------------------------


@pytest.mark.parametrize("seed", ["-1", "9223372036854775808", "1e3", "x"])
def test_gap_seed_out_of_range_is_refused(tmp_path, capsys, seed):
    status, _, err = run_cli(gap(tmp_path / "g", f"--seed={seed}"), capsys)
    assert status == 2
    assert "--seed" in one_error_line(err)
    assert not (tmp_path / "g").exists()


def test_every_seed_below_2_63_builds_the_data():
    """Seeds ≥ 2³² used to reach sklearn (random_state < 2³²) and fail there."""
    from numerics import load

    for seed in (2**32 - 1, 2**32, 2**63 - 1):
        for name in ("moons", "cancer", "blobs", "teacher"):
            load(name, seed=seed)
    assert (load("moons", seed=7).X == load("moons", seed=7).X).all()


def test_gap_width_that_cannot_fit_is_refused_before_anything_is_written(tmp_path, capsys):
    status, _, err = run_cli(["gap", "--dataset", "moons", "--width", "10000000",
                              "--pairs", "16", "--loss", "bce_logit", "--kappa", "1e-3",
                              "--out", str(tmp_path / "g")], capsys)
    assert status == 2
    line = one_error_line(err)
    assert "width 10000000" in line and "GB" in line and "available" in line
    assert not (tmp_path / "g").exists()


def test_reproduce_pairs_that_cannot_fit_are_refused(tmp_path, capsys):
    status, _, err = run_cli(["reproduce", "all", "--pairs", "10000000000",
                              "--out", str(tmp_path / "r")], capsys)
    assert status == 2
    assert "--pairs" in one_error_line(err)
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("command", ["gap", "reproduce", "bench"])
def test_empty_out_is_refused(tmp_path, capsys, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    argv = {"gap": gap(Path("x"))[:-2], "reproduce": ["reproduce", "all"],
            "bench": ["bench"]}[command] + ["--out", ""]
    status, _, err = run_cli(argv, capsys)
    assert status == 2
    assert "--out must name a folder" in one_error_line(err)
    assert list(tmp_path.iterdir()) == []


def test_foreign_file_in_out_is_refused_and_kept(tmp_path, capsys):
    out = tmp_path / "g"
    out.mkdir()
    (out / "pairs.csv").write_text("someone else's table\n")
    status, _, err = run_cli(gap(out), capsys)
    assert status == 2
    assert "pairs.csv" in one_error_line(err)
    assert (out / "pairs.csv").read_text() == "someone else's table\n"
    assert sorted(p.name for p in out.iterdir()) == ["pairs.csv"]


def test_bench_out_file_is_refused_before_the_benchmark(tmp_path, capsys, monkeypatch):
    import experiments.bench

    def never(*args, **kwargs):
        raise AssertionError("the benchmark started")

    monkeypatch.setattr(experiments.bench, "run_bench", never)
    target = tmp_path / "file"
    target.write_text("x")
    status, _, err = run_cli(["bench", "--out", str(target)], capsys)
    assert status == 2
    assert "is not a folder" in one_error_line(err)
    status, _, err = run_cli(["bench", "--out", str(target / "below")], capsys)
    assert status == 2
    assert "is not a folder" in one_error_line(err)


BAD_ARGUMENTS = {
    "check": ["check", "no-such-label"],
    "bound": ["bound", "--loss", "nope", "--kappa", "1", "--dx", "1", "--level", "1",
              "--target", "0.1"],
    "bound-nan": ["bound", "--loss", "mse", "--kappa", "nan", "--dx", "1", "--level", "1",
                  "--target", "0.1"],
    "gap-loss": ["gap", "--dataset", "moons", "--width", "4", "--pairs", "1", "--loss",
                 "nope", "--kappa", "1", "--out", "OUT"],
    "gap-device": ["gap", "--dataset", "moons", "--width", "4", "--pairs", "1", "--loss",
                   "mse", "--kappa", "1", "--device", "gpu", "--out", "OUT"],
    "gap-width": ["gap", "--dataset", "moons", "--width", "10000000", "--pairs", "16",
                  "--loss", "mse", "--kappa", "1", "--out", "OUT"],
    "gap-features": ["gap", "--dataset", "moons", "--features", "3", "--width", "4",
                     "--pairs", "1", "--loss", "mse", "--kappa", "1", "--out", "OUT"],
    "bench": ["bench", "--out", "FILE"],
    "reproduce": ["reproduce", "all", "--device", "cuda:x", "--out", "OUT"],
    "reproduce-foreign": ["reproduce", "all", "--out", "FOREIGN"],
    "docs": ["docs", "--jobs", "0"],
    "selftest": ["selftest"],
}
HEAVY = ("torch", "sympy", "numpy", "sklearn", "matplotlib", "z3", "flint", "scipy")


def test_argument_errors_are_answered_before_any_heavy_import(tmp_path):
    """Every command refuses a bad argument without importing torch, sympy, numpy, …:
    what makes the answer take a fraction of a second on an idle machine."""
    (tmp_path / "FILE").write_text("x")
    (tmp_path / "FOREIGN").mkdir()
    (tmp_path / "FOREIGN" / "notes.txt").write_text("x")
    script = (
        "import contextlib, io, json, sys\n"
        "from experiments.cli import main\n"
        f"cases = {json.dumps(BAD_ARGUMENTS)}\n"
        f"heavy = {HEAVY!r}\n"
        "out = {}\n"
        "for name, argv in cases.items():\n"
        "    err = io.StringIO()\n"
        "    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n"
        "            status = main(argv)\n"
        "        except SystemExit as exc:\n"
        "            status = exc.code\n"
        "    out[name] = [status, err.getvalue(), [m for m in heavy if m in sys.modules]]\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    for name, (status, err, loaded) in results.items():
        assert status == 2, (name, err)
        assert "error:" in err and "Traceback" not in err, (name, err)
        assert loaded == [], (name, loaded, err)


# --- records: damage, resume, umask, where outputs are -------------------------------------


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished tiny gap run (2 pairs, 2 batches) and its files' bytes."""
    out = tmp_path_factory.mktemp("gap") / "run"
    assert main(gap(out)) == 0
    return out, {name: (out / name).read_bytes() for name in ("records.jsonl", "pairs.csv")}


def copy_run(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for p in src.iterdir():
        (dst / p.name).write_bytes(p.read_bytes())
    return dst


def test_damaged_middle_record_names_file_line_and_remedy(finished, tmp_path, capsys):
    src, _ = finished
    out = copy_run(src, tmp_path / "run")
    lines = (out / "records.jsonl").read_bytes().split(b"\n")
    lines[0] = lines[0][:50]  # cut short, yet followed by the intact second record
    (out / "records.jsonl").write_bytes(b"\n".join(lines))
    status, _, err = run_cli(gap(out), capsys)
    assert status == 2
    line = one_error_line(err)
    assert f"{out / 'records.jsonl'}:1:" in line
    assert "line 1 is a damaged record" in line
    assert "delete that line" in line and "rerun the same command" in line


def test_deleting_the_damaged_line_recomputes_it(finished, tmp_path, capsys):
    """The remedy the error names works: the run ends with the original records."""
    src, original = finished
    out = copy_run(src, tmp_path / "run")
    lines = (out / "records.jsonl").read_bytes().split(b"\n")
    (out / "records.jsonl").write_bytes(b"\n".join(lines[1:]))
    status, _, err = run_cli(gap(out), capsys)
    assert status == 0, err
    assert (out / "pairs.csv").read_bytes() == original["pairs.csv"]


def test_torn_last_line_is_repaired_silently(finished, tmp_path, capsys):
    src, original = finished
    out = copy_run(src, tmp_path / "run")
    data = original["records.jsonl"]
    (out / "records.jsonl").write_bytes(data[:-40])  # the last record cut mid-line
    status, _, err = run_cli(gap(out), capsys)
    assert status == 0, err
    assert "error" not in err
    assert (out / "pairs.csv").read_bytes() == original["pairs.csv"]
    assert sorted((out / "records.jsonl").read_bytes().splitlines()) == sorted(
        data.splitlines())


def test_resume_with_another_batch_is_refused_naming_batch(tmp_path, capsys):
    out = tmp_path / "run"
    status, _, err = run_cli(gap(out, pairs=4, batch=2), capsys)
    assert status == 0, err
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    status, _, err = run_cli(gap(out, pairs=4, batch=4), capsys)
    assert status == 2
    line = one_error_line(err)
    assert "batch: 2 in the folder, 4 now" in line
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_resume_with_other_threads_is_refused(finished, tmp_path, capsys):
    src, _ = finished
    out = copy_run(src, tmp_path / "run")
    status, _, err = run_cli(gap(out, "--threads", "2"), capsys)
    assert status == 2
    assert "command" in one_error_line(err) and "--threads 2" in err


def test_outputs_follow_the_umask_and_the_last_line_says_where(tmp_path, capsys):
    old = os.umask(0o027)
    try:
        status, out_text, err = run_cli(gap(tmp_path / "run"), capsys)
    finally:
        os.umask(old)
    assert status == 0, err
    for name in ("records.jsonl", "pairs.csv", "run.json"):
        assert (tmp_path / "run" / name).stat().st_mode & 0o777 == 0o640, name
    last = out_text.strip().splitlines()[-1]
    assert last.startswith(f"outputs: {(tmp_path / 'run').resolve()}")


# --- SIGINT / SIGTERM ----------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_gap_exits_130_and_the_rerun_finishes_exactly(tmp_path, capsys, signum):
    pairs = 24
    out = tmp_path / "run"
    slow = ("--steps", "200", "--samples", "200")  # batches long enough to be interrupted
    argv = gap(out, *slow, pairs=pairs)
    proc = subprocess.Popen([sys.executable, "-m", "experiments.cli", *argv], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    store = out / "records.jsonl"
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            # two lines: the first is committed for sure (a signal during an append rolls
            # that append back, so the file always holds whole batches)
            if store.exists() and store.read_bytes().count(b"\n") >= 2:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    saved = store.read_bytes().count(b"\n")
    assert 1 <= saved < pairs
    assert f"interrupted — {saved} of {pairs} batches saved in {store}" in err
    assert "rerun the same command to resume" in err

    status, _, err = run_cli(argv, capsys)  # resume
    assert status == 0, err
    status, _, err = run_cli(gap(tmp_path / "whole", *slow, pairs=pairs), capsys)  # whole
    assert status == 0, err
    assert (out / "pairs.csv").read_bytes() == (tmp_path / "whole" / "pairs.csv").read_bytes()
    assert sorted(store.read_bytes().splitlines()) == sorted(
        (tmp_path / "whole" / "records.jsonl").read_bytes().splitlines())


def test_every_command_answers_help(capsys):
    """`--help` renders for every subcommand (argparse %-formats each option's help: a
    literal % in a config field's help once made `gap --help` raise)."""
    from experiments import cli

    sub = next(a for a in cli.build_parser()._actions if a.__class__.__name__ ==
               "_SubParsersAction")
    for name in sub.choices:
        with pytest.raises(SystemExit) as exc:
            cli.main([name, "--help"])
        assert exc.value.code == 0, name
        assert "usage: relu-landscape " + name in capsys.readouterr().out
