"""Certificate files: `certify` writes them, `verify` re-checks them without torch.

Round trips, tampering (one-ulp edits refused; a hash-consistent certificate whose bound
is below the true maximum fails), malformed and untrusted input (exit 2, one line).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments import cli
from experiments.certificates import manifest_sha256, sha256_array

ROOT = Path(__file__).resolve().parents[1]
# an import of the verifier (running it as `python -m …` in a fresh process is no import)
IMPORTS_VERIFIER = re.compile(r"^\s*(from\s+[\w.]*verify_certificate\s+import|import\s+"
                              r"[\w.]*verify_certificate|from\s+experiments\s+import\s+"
                              r"verify_certificate)", re.M)


def _models(folder: Path, *, m: int = 5, N: int = 40, bias: bool = False, seed: int = 0):
    g = np.random.default_rng(seed)
    X = np.concatenate([g.normal(size=(N, 2)), np.ones((N, 1))], 1)
    Y = (X[:, 0] * X[:, 1] > 0).astype(np.float64)
    np.savez(folder / "D.npz", X=X, Y=Y)
    for name in "AB":
        arrays = {"W": g.normal(size=(m, 3)), "theta": g.normal(size=m)}
        if bias:
            arrays.update(b=g.normal(size=m), theta0=g.normal(size=1))
        np.savez(folder / f"{name}.npz", **arrays)


def _certify(folder: Path, *extra: str, loss: str = "logistic") -> Path:
    out = folder / "cert"
    rc = cli.main(["certify", "--model-a", str(folder / "A.npz"), "--model-b",
                   str(folder / "B.npz"), "--data", str(folder / "D.npz"), "--loss", loss,
                   "--kappa", "0.01", "--tol", "1e-3", "--out", str(out), *extra])
    assert rc == 0
    return out


def _verify(cert: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    rc = cli.main(["verify", str(cert)])
    got = capsys.readouterr()
    return rc, (got.out + got.err).strip()


@pytest.fixture(scope="module")
def cert_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cert")
    _models(folder)
    return _certify(folder)


def _copy(cert: Path, tmp_path: Path) -> Path:
    out = tmp_path / "copy"
    out.mkdir()
    for f in cert.iterdir():
        (out / f.name).write_bytes(f.read_bytes())
    return out


def _arrays(cert: Path) -> dict[str, np.ndarray]:
    with np.load(cert / "arrays.npz", allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def _rewrite(cert: Path, arrays: dict, manifest: dict | None = None, *, rehash: bool) -> None:
    """Write arrays (and manifest); with `rehash`, make every hash consistent again."""
    manifest = json.loads((cert / "manifest.json").read_text()) if manifest is None \
        else manifest
    np.savez(cert / "arrays.npz", **arrays)
    if rehash:
        manifest["sha256"] = {k: sha256_array(v) for k, v in arrays.items()}
        manifest["sha256"]["arrays.npz"] = hashlib.sha256(
            (cert / "arrays.npz").read_bytes()).hexdigest()
        manifest["manifest_sha256"] = manifest_sha256(manifest)
    (cert / "manifest.json").write_text(json.dumps(manifest))


def test_round_trip_is_valid_and_the_claim_covers_dense_sampling(cert_dir, capsys):
    rc, out = _verify(cert_dir, capsys)
    assert rc == 0 and out.startswith("valid: max F along the path ≤ "), out
    claim = float(re.search(r"≤ (\S+) \(level", out).group(1))
    manifest = json.loads((cert_dir / "manifest.json").read_text())
    assert claim == manifest["max"] >= manifest["segments"][0]["sampled_max"]
    assert manifest["certified_by"] == "float64+apriori-rounding"
    # F on a dense grid (torch, float64) stays below the claim
    from numerics import Dataset, Problem, ReluNet, segment_values
    from theory.losses import get_loss

    a = _arrays(cert_dir)
    X, Y, V = (torch.from_numpy(a[k]) for k in ("X", "Y", "vertices"))
    problem = Problem.of(ReluNet(3, 5, 0.01), Dataset("d", X, (Y + 1) / 2, "binary"),
                         get_loss("logistic"), dtype=torch.float64)
    dense = segment_values(problem, V[:1], V[1:], torch.linspace(0, 1, 2001,
                                                                 dtype=torch.float64))
    assert float(dense.max()) <= claim


def test_verify_never_imports_torch(cert_dir):
    code = ("import sys; from experiments import cli; rc = cli.main(['verify', sys.argv[1]]); "
            "assert 'torch' not in sys.modules, 'torch imported'; sys.exit(rc)")
    got = subprocess.run([sys.executable, "-c", code, str(cert_dir)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert got.returncode == 0, got.stderr
    assert "valid:" in got.stdout


def test_the_verifier_module_is_imported_by_the_verify_command_only():
    users = [p.relative_to(ROOT).as_posix() for d in ("experiments", "numerics", "theory")
             for p in (ROOT / d).rglob("*.py")
             if IMPORTS_VERIFIER.search(p.read_text(encoding="utf-8"))
             and p.name != "verify_certificate.py"]
    assert users == ["experiments/_cli_verify.py"]


@pytest.mark.parametrize("key", ["X", "Y", "vertices", "t_0", "bounds_0"])
@pytest.mark.parametrize("direction", [-math.inf, math.inf])
def test_a_one_ulp_change_to_any_array_is_refused(cert_dir, tmp_path, capsys, key, direction):
    cert = _copy(cert_dir, tmp_path)
    arrays = _arrays(cert)
    x = arrays[key].copy()
    flat = x.reshape(-1)
    i = flat.size // 2 if key != "t_0" else 1  # t_0's ends are fixed at 0 and 1
    flat[i] = np.nextafter(flat[i], direction)
    arrays[key] = x
    _rewrite(cert, arrays, rehash=False)
    rc, out = _verify(cert, capsys)
    assert rc == 2 and "sha256" in out and "\n" not in out, out


@pytest.mark.parametrize("field", ["max", "segment", "kappa", "level"])
@pytest.mark.parametrize("direction", [-math.inf, math.inf])
def test_a_one_ulp_change_to_a_manifest_number_is_refused(cert_dir, tmp_path, capsys, field,
                                                         direction):
    cert = _copy(cert_dir, tmp_path)
    manifest = json.loads((cert / "manifest.json").read_text())
    if field == "segment":
        s = manifest["segments"][0]
        s["bound"] = math.nextafter(s["bound"], direction)
    else:
        manifest[field] = math.nextafter(manifest[field], direction)
    (cert / "manifest.json").write_text(json.dumps(manifest))
    rc, out = _verify(cert, capsys)
    assert rc == 2 and "manifest_sha256" in out, out


def test_a_hash_consistent_certificate_below_the_true_maximum_fails(cert_dir, tmp_path, capsys):
    cert = _copy(cert_dir, tmp_path)
    manifest = json.loads((cert / "manifest.json").read_text())
    arrays = _arrays(cert)
    sampled = manifest["segments"][0]["sampled_max"]
    # claim a bound just below a value F is known to take
    low = sampled - 1e-6
    arrays["bounds_0"] = np.minimum(arrays["bounds_0"], low)
    manifest["segments"][0]["bound"] = manifest["max"] = float(arrays["bounds_0"].max())
    _rewrite(cert, arrays, manifest, rehash=True)
    rc, out = _verify(cert, capsys)
    assert rc == 1 and out.startswith("relu-landscape verify: invalid: segment 0"), out


def test_a_claim_one_ulp_below_its_own_evidence_fails(cert_dir, tmp_path, capsys):
    """The per-interval bounds must each hold: lowering the tightest one by a relative 1e-7
    (still hash-consistent) is caught by the re-check itself."""
    cert = _copy(cert_dir, tmp_path)
    manifest = json.loads((cert / "manifest.json").read_text())
    arrays = _arrays(cert)
    b = arrays["bounds_0"].copy()
    i = int(np.argmax(b))
    b[i] = b[i] - 1e-7 * abs(b[i])
    arrays["bounds_0"] = b
    manifest["segments"][0]["bound"] = manifest["max"] = float(b.max())
    _rewrite(cert, arrays, manifest, rehash=True)
    rc, out = _verify(cert, capsys)
    assert rc == 1 and "segment 0" in out, out


def _malformed(kind: str, cert: Path) -> None:
    arrays = _arrays(cert)
    manifest = json.loads((cert / "manifest.json").read_text())
    if kind == "bad-json":
        (cert / "manifest.json").write_text("{\"format\": ")
    elif kind == "json-list":
        (cert / "manifest.json").write_text("[1, 2]")
    elif kind == "json-nan":
        (cert / "manifest.json").write_text(
            (cert / "manifest.json").read_text().replace('"kappa": 0.01', '"kappa": NaN'))
    elif kind == "nan-array":
        arrays["X"] = arrays["X"].copy()
        arrays["X"][0, 0] = math.nan
        _rewrite(cert, arrays, manifest, rehash=True)
    elif kind == "inf-bound":
        arrays["bounds_0"] = arrays["bounds_0"].copy()
        arrays["bounds_0"][0] = math.inf
        _rewrite(cert, arrays, manifest, rehash=True)
    elif kind == "wrong-shape":
        arrays["Y"] = arrays["Y"][:-1]
        _rewrite(cert, arrays, manifest, rehash=True)
    elif kind == "width-mismatch":
        manifest["model"]["m"] = 4
        _rewrite(cert, arrays, manifest, rehash=True)
    elif kind == "absurd-size":
        manifest["model"]["m"] = 10**12
        _rewrite(cert, arrays, manifest, rehash=True)
    elif kind == "pickle":
        arrays["X"] = np.array([{"evil": 1}], dtype=object)
        np.savez(cert / "arrays.npz", **arrays)
        manifest["sha256"]["arrays.npz"] = hashlib.sha256(
            (cert / "arrays.npz").read_bytes()).hexdigest()
        manifest["manifest_sha256"] = manifest_sha256(manifest)
        (cert / "manifest.json").write_text(json.dumps(manifest))
    elif kind == "float32":
        arrays["Y"] = arrays["Y"].astype(np.float32)
        _rewrite(cert, arrays, manifest, rehash=True)
    elif kind == "unsorted-t":
        t = arrays["t_0"].copy()
        if t.size > 2:
            t[1], t[2] = t[2], t[1]
        else:
            t[1] = 0.0
        arrays["t_0"] = t
        _rewrite(cert, arrays, manifest, rehash=True)
    elif kind == "unknown-loss":
        manifest["loss"] = "sigmoid"
        _rewrite(cert, arrays, manifest, rehash=True)
    elif kind == "missing-arrays":
        (cert / "arrays.npz").unlink()
    elif kind == "not-npz":
        (cert / "arrays.npz").write_bytes(b"PK\x03\x04 not a zip")
        manifest["sha256"]["arrays.npz"] = hashlib.sha256(
            (cert / "arrays.npz").read_bytes()).hexdigest()
        manifest["manifest_sha256"] = manifest_sha256(manifest)
        (cert / "manifest.json").write_text(json.dumps(manifest))
    else:
        raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["bad-json", "json-list", "json-nan", "nan-array",
                                  "inf-bound", "wrong-shape", "width-mismatch", "absurd-size",
                                  "pickle", "float32", "unsorted-t", "unknown-loss",
                                  "missing-arrays", "not-npz"])
def test_malformed_or_untrusted_input_is_refused_in_one_line(cert_dir, tmp_path, capsys, kind):
    cert = _copy(cert_dir, tmp_path)
    _malformed(kind, cert)
    rc, out = _verify(cert, capsys)
    assert rc == 2 and out.startswith("relu-landscape verify: error: refused: "), (kind, out)
    assert "\n" not in out and "Traceback" not in out and "valid:" not in out


@settings(max_examples=8, deadline=None)
@given(position=st.floats(0, 1, exclude_max=True), byte=st.integers(0, 255))
def test_fuzzed_arrays_file_is_never_valid(cert_dir, tmp_path_factory, position, byte):
    cert = _copy(cert_dir, tmp_path_factory.mktemp("fuzz"))
    data = bytearray((cert / "arrays.npz").read_bytes())
    i = int(position * len(data))
    if data[i] == byte:
        byte = (byte + 1) % 256
    data[i] = byte
    (cert / "arrays.npz").write_bytes(bytes(data))
    rc = subprocess.run([sys.executable, "-m", "experiments.verify_certificate", str(cert)],
                        capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert rc.returncode == 2 and "Traceback" not in rc.stderr and not rc.stdout, rc


def test_certify_refuses_bad_inputs_in_one_line(tmp_path, capsys):
    _models(tmp_path)
    np.savez(tmp_path / "bad.npz", W=np.full((5, 3), np.nan), theta=np.zeros(5))
    rc = cli.main(["certify", "--model-a", str(tmp_path / "bad.npz"), "--model-b",
                   str(tmp_path / "B.npz"), "--data", str(tmp_path / "D.npz"), "--loss",
                   "hinge", "--kappa", "0.01", "--out", str(tmp_path / "c")])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "NaN" in err and "\n" not in err
    np.savez(tmp_path / "P.npz", vertices=np.zeros((3, 20)))
    rc = cli.main(["certify", "--model-a", str(tmp_path / "A.npz"), "--model-b",
                   str(tmp_path / "B.npz"), "--data", str(tmp_path / "D.npz"), "--loss",
                   "hinge", "--kappa", "0.01", "--path", str(tmp_path / "P.npz"),
                   "--out", str(tmp_path / "c")])
    assert rc == 2 and "start at A" in capsys.readouterr().err


@pytest.mark.parametrize("loss", ["hinge", "mse", "bce_logit"])
def test_round_trip_with_biases_and_a_path_of_vertices(tmp_path, capsys, loss):
    _models(tmp_path, bias=True, m=4, N=30, seed=2)
    a, b = (np.load(tmp_path / f"{k}.npz") for k in "AB")

    def flat(z):
        return np.concatenate([z["W"].ravel(), z["b"], z["theta"], z["theta0"]])

    mid = (flat(a) + flat(b)) / 2 + 0.3
    np.savez(tmp_path / "P.npz", vertices=np.stack([flat(a), mid, flat(b)]))
    cert = _certify(tmp_path, "--path", str(tmp_path / "P.npz"), loss=loss)
    rc, out = _verify(cert, capsys)
    assert rc == 0 and out.startswith("valid:"), out
    assert len(json.loads((cert / "manifest.json").read_text())["segments"]) == 2


@pytest.mark.slow
@pytest.mark.parametrize("width", [20, 200])
def test_moons_round_trip(tmp_path, capsys, width):
    from numerics import Problem, ReluNet, load, train
    from theory.losses import get_loss

    data = load("moons")
    net = ReluNet(data.X.shape[1], width, 1e-3)
    problem = Problem.of(net, data, get_loss("logistic"), dtype=torch.float64)
    res = train(problem, net.init(2, torch.Generator().manual_seed(0), torch.float64),
                steps=200, lr=0.01)
    for name, p in zip("AB", res.p, strict=True):
        W, th = net.split(p)
        np.savez(tmp_path / f"{name}.npz", W=W.numpy(), theta=th.numpy())
    np.savez(tmp_path / "D.npz", X=data.X.numpy(), Y=data.Y.numpy())
    cert = _certify(tmp_path)
    rc, out = _verify(cert, capsys)
    assert rc == 0 and out.startswith("valid:"), out


def test_gap_writes_a_certificate_per_pair_that_verify_accepts(tmp_path, capsys):
    """`gap --certificates`: every pair's DSS string and constructive path is re-checkable,
    and the certified maxima agree with the pairs.csv record's."""
    import csv

    certs = tmp_path / "certs"
    rc = cli.main(["gap", "--dataset", "moons", "--width", "4", "--pairs", "2", "--loss",
                   "bce_logit", "--kappa", "1e-3", "--samples", "100", "--steps", "50",
                   "--max-depth", "2", "--out", str(tmp_path / "run"), "--certificates",
                   str(certs)])
    assert rc == 0
    with (tmp_path / "run" / "pairs.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        for family in ("dss", "constructive"):
            cert = certs / "width=4" / f"pair={row['pair_id']}" / family
            rc, out = _verify(cert, capsys)
            assert rc == 0 and out.startswith("valid: "), out
            manifest = json.loads((cert / "manifest.json").read_text())
            # both are certified upper bounds within the tolerance τ of a sampled maximum:
            # the certificate re-derives the record's bound up to τ
            recorded = float(row["dss_certified_max" if family == "dss" else "constructive_max"])
            assert abs(manifest["max"] - recorded) <= manifest["tol"]
            if family == "dss":
                assert manifest["max"] >= float(row["dss_sampled_max"])


def test_certificates_are_refused_for_a_loss_verify_cannot_evaluate(tmp_path, capsys):
    rc = cli.main(["gap", "--dataset", "teacher", "--width", "4", "--pairs", "1", "--loss",
                   "huber(0.5)", "--kappa", "1e-3", "--out", str(tmp_path / "run"),
                   "--certificates", str(tmp_path / "certs")])
    err = capsys.readouterr().err
    assert rc == 2 and "--certificates: loss huber(0.5)" in err, err
    assert not (tmp_path / "run").exists() or not any((tmp_path / "run").iterdir())


def test_reproduce_certificates_are_accepted_by_verify(tmp_path, capsys):
    """`reproduce --certificates`: E1's corrected pairs and E2's pairs, each re-checked."""
    certs = tmp_path / "certs"
    for name in ("seed-table", "width-sweep"):
        rc = cli.main(["reproduce", name, "--scale", "smoke", "--out", str(tmp_path / name),
                       "--threads", "1", "--certificates", str(certs)])
        assert rc == 0
    found = sorted(p.parent for p in certs.rglob("manifest.json"))
    e1 = [p for p in found if p.relative_to(certs).parts[0] == "seed-table"]
    e2 = [p for p in found if p.relative_to(certs).parts[0] == "width-sweep"]
    assert e1 and {p.name for p in e1} == {"dss", "constructive"}
    assert {p.name for p in e2} == {"dss", "constructive"}
    for cert in found:
        rc, out = _verify(cert, capsys)
        assert rc == 0 and out.startswith("valid: "), (cert, out)
