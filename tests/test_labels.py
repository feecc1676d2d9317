"""The light label list (theory.labels) equals the registry, and refusals come at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from experiments import _cuda
from theory import registry
from theory.errors import UnknownNameError
from theory.labels import LABELS, check_labels, render

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "sympy", "numpy", "z3", "flint", "scipy")


def test_light_list_matches_the_registry():
    assert sorted(LABELS) == sorted(registry().labels()), (
        "theory/labels.py is stale: run `python -m theory.labels`")
    assert len(set(LABELS)) == len(LABELS)


def test_render_reproduces_the_module():
    text = (REPO / "theory" / "labels.py").read_text(encoding="utf-8")
    assert render(list(LABELS)) == text
    assert render(["a:x"]).count('    "a:x",\n') == 1


@pytest.mark.parametrize(("label", "hint"), [
    ("ll:bridg", "did you mean ll:bridge"),
    ("ll:zzzzzzzzzzzz", "the ll: labels are"),
    ("nope", "labels start with fb:, ll:, new: or loss:"),
])
def test_unknown_label_names_it_and_helps(label, hint):
    with pytest.raises(UnknownNameError, match=hint) as exc:
        check_labels(["ll:bridge", label])
    assert repr(label) in str(exc.value)
    assert check_labels(list(LABELS)) == list(LABELS)


def test_a_label_declared_in_a_statements_module_is_left_to_the_registry(monkeypatch):
    import theory.labels as labels

    monkeypatch.setattr(labels, "LABELS", tuple(lb for lb in LABELS if lb != "ll:bridge"))
    assert labels.check_labels(["ll:bridge"]) == ["ll:bridge"]  # stale list, real label
    assert labels.declared_in_sources("ll:bridge")
    assert not labels.declared_in_sources("ll:bridge-nowhere")
    with pytest.raises(UnknownNameError):
        labels.check_labels(["ll:bridge-nowhere"])


def _refusal(argv: list[str]) -> dict:
    script = (
        "import contextlib, io, json, sys, time\n"
        "t = time.perf_counter()\n"
        "from experiments.cli import main\n"
        "err = io.StringIO()\n"
        "with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        status = main({argv!r})\n"
        "    except SystemExit as exc:\n"
        "        status = exc.code\n"
        f"print(json.dumps([status, err.getvalue(), [m for m in {HEAVY!r} if m in sys.modules],"
        " time.perf_counter() - t]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    status, err, heavy, _seconds = json.loads(proc.stdout)
    return {"status": status, "err": err, "heavy": heavy}


def test_unknown_label_of_a_known_family_is_refused_before_sympy():
    out = _refusal(["check", "ll:nope"])
    assert out["status"] == 2 and "unknown statement label 'll:nope'" in out["err"]
    assert out["heavy"] == []


def test_cuda_absent_reads_files_only(monkeypatch, tmp_path):
    lib = tmp_path / "torch" / "lib"
    lib.mkdir(parents=True)
    (tmp_path / "torch" / "__init__.py").write_text("")
    (lib / "libtorch_cpu.so").write_text("")
    monkeypatch.setattr(_cuda, "_torch_lib", lambda: lib)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    assert "build without CUDA" in _cuda.cuda_absent()
    (lib / "libtorch_cuda.so").write_text("")
    driver = tmp_path / "nvidia-version"
    driver.write_text("")
    assert _cuda.cuda_absent((str(driver),)) is None
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert "hides every device" in _cuda.cuda_absent((str(driver),))
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    if sys.platform.startswith("linux"):
        assert "no GPU driver" in _cuda.cuda_absent((str(tmp_path / "absent"),))


@pytest.mark.skipif(_cuda.cuda_absent() is None, reason="CUDA may be present: torch decides")
@pytest.mark.parametrize("command", [
    ["gap", "--dataset", "moons", "--width", "4", "--pairs", "1", "--loss", "mse",
     "--kappa", "1", "--device", "cuda", "--out", "OUT"],
    ["reproduce", "all", "--device", "cuda:0", "--out", "OUT"],
])
def test_cuda_without_cuda_is_refused_before_torch(command):
    out = _refusal(command)
    assert out["status"] == 2 and "CUDA is not available" in out["err"]
    assert out["heavy"] == []


def test_cuda_absent_agrees_with_torch():
    """Never a false refusal: where `cuda_absent` says absent, torch agrees."""
    import torch

    if _cuda.cuda_absent() is not None:
        assert not torch.cuda.is_available()
