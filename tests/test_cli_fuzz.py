"""CLI fuzz: random argument vectors for every subcommand end in exit 0 or 2, never a traceback.

Each vector runs in-process through `experiments.cli.main` (argparse's SystemExit counts
as its exit status). What is fuzzed, honestly:

- `bound` runs for real (certified widths take well under a second);
- `check`, `gap`, `reproduce`, `bench`, `docs`, `selftest` run for real up to the point
  where the real work would start — argument types, the light checks made before any
  heavy import, the memory estimate, the output-folder checks, device resolution, the
  configuration dataclasses, `Run.claim` (which writes run.json), task construction, and
  for `gap` the data set's construction — and the work itself is replaced by a stub that
  raises `_Reached` (counted as a success: validation let the vector through).
  The stubs: `proofs_check.run_checks` / `proofs_check.run_mutations`
  (after looking the labels up in the registry), `run_tasks` of `gap` and `reproduce`,
  `experiments.bench.run_bench`, the docs build (`experiments._cli_docs._build`) and
  `experiments._mutation.run_module`.

Out folders are tokens made real in a fresh temporary folder per vector (new, empty,
holding a foreign file, a plain file, below a file, a non-UTF-8 name, …); the working
directory is that folder too, so relative defaults (`runs/mutation`, `docs/_build`) land
there. NUL bytes are not drawn: no shell can pass one in argv.

The CI profile draws a few vectors per subcommand; the `slow` test draws ≥ 1000
(`python -m pytest -m slow tests/test_cli_fuzz.py`).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from experiments import cli

# --- value strategies ------------------------------------------------------------------

EDGE_NUMBERS = (
    "0", "1", "-1", "2", "3", "4", "16", "1000", "-0", "+1", "00", "1.0", "0.5", "1e-3",
    "9223372036854775807", "9223372036854775808", "-9223372036854775809", "4294967296",
    "10000000", "99999999999999999999999999", "1e308", "1e309", "-1e309", "5e-324", "1e-320",
    "nan", "NaN", "-nan", "inf", "-inf", "+inf", "Infinity", "", " ", "abc", "1_000", "0x10",
    "١٢", "1e", "-", "--", "0b1", " 7 ", "1/2",
)
_TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                max_size=8)
NUMBER = st.one_of(
    st.sampled_from(EDGE_NUMBERS),
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    _TEXT,
)
LOSSES = ("bce_logit", "logistic", "hinge", "absolute", "huber", "half_squared", "mse",
          "ramp", "sigmoid", "huber(0.5)", "huber(-1)", "huber(nan)", "huber()", "huber(x)",
          "nope", "", "MSE", "bce-logit")
LOSS = st.one_of(st.sampled_from(LOSSES), _TEXT)
DEVICE = st.sampled_from(("cpu", "cuda", "cuda:0", "cuda:99", "gpu", "", "cpu:0", "cuda:x",
                          "CPU", "meta", "mps"))
OUT_TOKENS = ("new", "new/deep/er", "empty", "foreign", "file", "below_file", "empty_string",
              "space", "non_utf8", "dot", "relative")
OUT = st.sampled_from(OUT_TOKENS)
OUT_OK = st.sampled_from(("new", "new/deep/er", "empty", "relative"))
REPO = Path(__file__).resolve().parents[1]
JUNK = st.lists(st.sampled_from(("--bogus", "-x", "extra", "--", "--help=no", "-",
                                 "--out", "--seed")) | _TEXT, max_size=2)


def _out(token: str, root: Path) -> str:
    """The path a token stands for, created under `root`."""
    if token == "new":
        return str(root / "new")
    if token == "new/deep/er":
        return str(root / "new" / "deep" / "er")
    if token == "empty":
        (root / "empty").mkdir(exist_ok=True)
        return str(root / "empty")
    if token == "foreign":
        (root / "foreign").mkdir(exist_ok=True)
        (root / "foreign" / "pairs.csv").write_text("not ours\n")
        return str(root / "foreign")
    if token == "file":
        (root / "file").write_text("x")
        return str(root / "file")
    if token == "below_file":
        (root / "file2").write_text("x")
        return str(root / "file2" / "sub")
    if token == "empty_string":
        return ""
    if token == "space":
        return " "
    if token == "non_utf8":
        return str(root / os.fsdecode(b"caf\xe9"))
    if token == "dot":
        return "."
    return "runs/rel"


# --- input-file tokens (certify, verify) ------------------------------------------------

FILE_TOKENS = ("@A", "@B", "@D", "@A2", "@B2", "@D2", "@P", "@nan", "@pickle", "@text",
               "@missing", "@dir", "@cert", "@cert-json", "@cert-ulp", "@empty")
#: tokens whose certificate was tampered with: `verify` must never say "valid"
TAMPERED = ("@cert-json", "@cert-ulp")
_CX_X = [[1.0, 0.0], [0.0, 1.0], [1.0, -1.0], [-1.0, 0.0], [0.0, -1.0], [-1.0, 1.0]]


def _arrays() -> dict[str, dict]:
    import numpy as np

    g = np.random.default_rng(0)
    A = {"W": g.normal(size=(3, 3)) / 2, "theta": g.normal(size=3)}
    B = {"W": g.normal(size=(3, 3)) / 2, "theta": g.normal(size=3)}
    flat = [np.concatenate([m["W"].ravel(), m["theta"]]) for m in (A, B)]
    X = np.concatenate([g.normal(size=(8, 2)), np.ones((8, 1))], 1)
    W2, th2 = np.eye(2), np.array([2.0, 3.0])
    Y2 = np.maximum(np.array(_CX_X) @ W2.T, 0) @ th2
    return {"@A": A, "@B": B, "@D": {"X": X, "Y": (X[:, 0] > 0).astype(float)},
            "@A2": {"W": W2, "theta": th2}, "@B2": {"W": W2[::-1].copy(), "theta": th2[::-1]},
            "@D2": {"X": np.array(_CX_X), "Y": Y2},
            "@P": {"vertices": np.stack([flat[0], (flat[0] + flat[1]) / 2, flat[1]])},
            "@nan": {"W": np.full((3, 3), np.nan), "theta": np.ones(3)}}


_CERT: dict[str, Path] = {}


def _certificate() -> Path:
    """One real certificate (made once per process), copied per vector."""
    if "cert" not in _CERT:
        import numpy as np

        root = Path(tempfile.mkdtemp(prefix="fuzz-cert-"))
        for token in ("@A", "@B", "@D"):
            np.savez(root / f"{token[1:]}.npz", **_arrays()[token])
        with contextlib.redirect_stdout(io.StringIO()):
            assert cli.main(["certify", "--model-a", str(root / "A.npz"), "--model-b",
                             str(root / "B.npz"), "--data", str(root / "D.npz"), "--loss",
                             "logistic", "--kappa", "0.01", "--tol", "1e-2", "--out",
                             str(root / "cert")]) == 0
        _CERT["cert"] = root / "cert"
    return _CERT["cert"]


def _file(token: str, root: Path) -> str:
    """The input path a file token stands for, created under `root`."""
    import shutil

    import numpy as np

    path = root / token[1:]
    arrays = _arrays()
    if path.exists():  # the token is used twice in one vector: the same file both times
        return str(path)
    if token in arrays:
        np.savez(path.with_suffix(".npz"), **arrays[token])
        return str(path.with_suffix(".npz"))
    if token == "@pickle":
        np.savez(path.with_suffix(".npz"), W=np.array([{"x": 1}], dtype=object))
        return str(path.with_suffix(".npz"))
    if token == "@text":
        path.write_text("not an npz\n")
    elif token in ("@dir", "@empty"):
        path.mkdir()
    elif token.startswith("@cert"):
        shutil.copytree(_certificate(), path)
        if token == "@cert-json":
            (path / "manifest.json").write_text("{not json")
        elif token == "@cert-ulp":
            data = bytearray((path / "arrays.npz").read_bytes())
            data[-200] ^= 1
            (path / "arrays.npz").write_bytes(bytes(data))
    return str(path)


def _options(draw, spec: dict, required: tuple[str, ...]) -> list[str]:
    """Draw `--name value` pairs from `spec` (name → (valid values, fuzz values)).

    Half the vectors fuzz every option; the other half start from a valid vector and fuzz
    one or two options (or drop a required one), so vectors also get past validation.
    """
    names = list(spec)
    if not names:
        return []
    if draw(st.booleans()):
        fuzzed = set(names)
        keep = {n: draw(st.booleans() | st.just(True)) if n in required else draw(st.booleans())
                for n in names}
    else:
        fuzzed = set(draw(st.lists(st.sampled_from(names), max_size=2)))
        keep = {n: (n in required and draw(st.integers(0, 19)) > 0) or n in fuzzed
                or draw(st.integers(0, 5)) == 0 for n in names}
    argv: list[str] = []
    for name in names:
        if not keep[name]:
            continue
        valid, fuzz = spec[name]
        value = draw(st.one_of(fuzz, valid) if name in fuzzed else valid)
        if value is None:  # a flag
            argv.append(name)
        elif draw(st.integers(0, 9)) == 0:
            argv.append(f"{name}={value}")
        else:
            argv.extend([name, value])
    return argv


FLAG = (st.none(), st.none())


def _ok(*values: str) -> st.SearchStrategy:
    return st.sampled_from(values)


SPECS = {
    "gap": ({
        "--dataset": (_ok("moons", "cancer", "blobs", "teacher"),
                      st.sampled_from(("iris", "", "Moons")) | _TEXT),
        "--width": (_ok("2", "3", "4", "8"), NUMBER),
        "--pairs": (_ok("1", "2", "3"), NUMBER),
        "--loss": (_ok("bce_logit", "logistic", "hinge", "absolute", "huber", "mse",
                       "half_squared", "huber(0.5)", "ramp", "sigmoid"), LOSS),
        "--kappa": (_ok("1e-3", "0.01", "1", "1e-300", "1e300"), NUMBER),
        "--device": (_ok("cpu"), DEVICE),
        "--seed": (_ok("0", "1", "4294967296", "9223372036854775807"), NUMBER),
        "--l": (_ok("1", "2"), NUMBER),
        "--draws": (_ok("1", "2"), NUMBER),
        "--sparsify": (_ok("sampling", "pruning"), st.sampled_from(("other", "")) | _TEXT),
        "--refit-steps": (_ok("0", "1", "5"), NUMBER),
        "--steps": (_ok("1", "5"), NUMBER),
        "--tol": (_ok("1e-3", "1", "1e-12"), NUMBER),
        "--max-depth": (_ok("1", "2"), NUMBER),
        "--batch": (_ok("1", "2", "16"), NUMBER),
        "--samples": (_ok("2", "3", "5", "40", "1000"), NUMBER),
        "--features": (_ok("1", "2", "5"), NUMBER),
        "--teacher-width": (_ok("1", "3"), NUMBER),
        "--threads": (_ok("1", "2"), NUMBER),
        "--negative-control": FLAG,
        "--out": (OUT_OK, OUT),
        "--certificates": (OUT_OK, OUT),
    }, ("--dataset", "--width", "--pairs", "--loss", "--kappa", "--out")),
    "certify": ({
        "--model-a": (_ok("@A", "@A2"), st.sampled_from(FILE_TOKENS) | _TEXT),
        "--model-b": (_ok("@B", "@B2"), st.sampled_from(FILE_TOKENS) | _TEXT),
        "--data": (_ok("@D", "@D2"), st.sampled_from(FILE_TOKENS) | _TEXT),
        "--loss": (_ok("logistic", "half_squared", "mse", "bce_logit", "hinge"), LOSS),
        "--kappa": (_ok("1e-3", "0.01", "1"), NUMBER),
        "--path": (_ok("@P"), st.sampled_from(FILE_TOKENS) | _TEXT),
        "--tol": (_ok("1e-2", "1e-3"), NUMBER),
        "--max-points": (_ok("64", "4096"), NUMBER),
        "--lower": FLAG,
        "--out": (OUT_OK, OUT),
    }, ("--model-a", "--model-b", "--data", "--loss", "--kappa", "--out")),
    "verify": ({}, ()),
    "bound": ({
        "--loss": (_ok("bce_logit", "logistic", "hinge", "absolute", "huber", "mse",
                       "half_squared", "huber(2)", "ramp", "sigmoid"), LOSS),
        "--kappa": (_ok("1e-3", "0.5", "1", "1e-300", "1e300"), NUMBER),
        "--dx": (_ok("1", "2.5", "1e-200", "1e200"), NUMBER),
        "--level": (_ok("0", "0.5", "1", "100", "1e300"), NUMBER),
        "--lower": (_ok("0", "-1", "0.5"), NUMBER),
        "--target": (_ok("0.1", "1e-3", "1e-300", "10", "1e300"), NUMBER),
        "--n": (_ok("1", "3", "100000"), NUMBER),
        "--ref-width": (_ok("1", "2", "1000000000"), NUMBER),
        "--json": FLAG,
    }, ("--loss", "--kappa", "--dx", "--level", "--target")),
    "reproduce": ({
        "--scale": (_ok("quick", "paper", "smoke"), st.sampled_from(("huge", "")) | _TEXT),
        "--device": (_ok("cpu"), DEVICE),
        "--seed": (_ok("0", "4294967296", "9223372036854775807"), NUMBER),
        "--out": (OUT_OK, OUT),
        "--executor": (_ok("local"), st.sampled_from(("dask", "ray", ""))),
        "--scheduler": (_ok("local:1"), st.sampled_from(("local:0", "local:x", "tcp://0:1", ""))),
        "--pairs": (_ok("1", "2", "1000"), NUMBER),
        "--threads": (_ok("1", "2"), NUMBER),
        "--certificates": (OUT_OK, OUT),
    }, ("--out",)),
    "bench": ({"--out": (OUT_OK, OUT), "--device": (_ok("cpu"), DEVICE),
               "--repeats": (_ok("1", "3"), NUMBER), "--quick": FLAG}, ("--out",)),
    "check": ({"--json": FLAG, "--mutate": FLAG}, ()),
    "docs": ({"--out": (OUT_OK, OUT), "--jobs": (_ok("1", "2"), NUMBER)}, ()),
    "selftest": ({
        "--mutation": FLAG,
        "--config": (_ok(str(REPO / "mutation.toml")),
                     st.sampled_from(("", "nope.toml", "/etc/passwd", "mutation.toml"))),
        "--out": (OUT_OK, OUT), "--workers": (_ok("1", "2"), NUMBER),
        "--budget": (_ok("1", "0.5"), NUMBER), "--resume": FLAG, "--survivors": FLAG,
        "--list": FLAG, "--modules-at-once": (_ok("1", "2"), NUMBER),
    }, ("--mutation",)),
}
POSITIONALS = {
    "verify": st.sampled_from(("@cert", *FILE_TOKENS, "", "nope")),
    "reproduce": st.sampled_from(("seed-table", "width-sweep", "fb-geometry",
                                  "topology-contrast", "all", "e5", "")),
    "check": st.lists(st.sampled_from(("ll:sampling", "loss:mse", "fb:prop-2.1", "ll:nope",
                                       "nope", "", "fb:", "LL:sampling")), max_size=3),
    "selftest": st.lists(st.sampled_from(("experiments.stats", "numerics._relu", "nope",
                                          "")), max_size=2),
}


@st.composite
def vectors(draw, command: str) -> list[str]:
    """An argument vector for `command` (output folders as tokens of `OUT_TOKENS`)."""
    spec, required = SPECS[command]
    argv = [command]
    if command in POSITIONALS:
        pos = draw(POSITIONALS[command])
        argv.extend(pos if isinstance(pos, list) else [pos])
    argv.extend(_options(draw, spec, required))
    if draw(st.integers(0, 4)) == 0:
        junk = draw(JUNK)
        at = draw(st.integers(1, len(argv)))
        argv[at:at] = junk
    return argv


# --- stubs for the real work -----------------------------------------------------------


class _Reached(Exception):
    """Validation let the vector through: the real work would start here."""


@contextlib.contextmanager
def stubs():
    """Replace the heavy work of every command by `_Reached` (see the module docstring)."""
    import experiments._cli_docs as docs_cli
    import experiments._mutation as mutation
    import experiments.bench as bench
    import experiments.pairs as pairs
    import experiments.reproduce._reproduce as reproduce
    import experiments.tasks as runner
    import proofs_check
    from theory import registry

    def run_checks(labels=None, progress=None):
        for label in labels or ():
            registry().get(label)
        raise _Reached

    def run_mutations(labels=None, progress=None):
        for label in labels or ():
            registry().get(label)
        raise _Reached

    def gap_tasks(todo, store, **kwargs):
        first = todo[0].kwargs
        pairs.problem_of(first["cfg"], first["width"], first["seed"], first["device"])
        raise _Reached

    def reached(*args, **kwargs):
        raise _Reached

    mp = pytest.MonkeyPatch()
    mp.setattr(proofs_check, "run_checks", run_checks)
    mp.setattr(proofs_check, "run_mutations", run_mutations)
    mp.setattr(runner, "run_tasks", gap_tasks)
    mp.setattr(reproduce, "run_tasks", reached)
    mp.setattr(bench, "run_bench", reached)
    mp.setattr(docs_cli, "_build", reached)
    mp.setattr(mutation, "run_module", reached)
    try:
        yield
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def stubbed():
    with stubs():
        yield


def run_vector(argv: list[str]) -> tuple[int, str, str]:
    """Run `argv` (out tokens made real) in a fresh folder; (status, stdout, stderr).

    Raises whatever `main` lets escape other than SystemExit and `_Reached`: the failure.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        real = []
        for i, arg in enumerate(argv):
            prev = argv[i - 1] if i else ""
            if prev in ("--out", "--certificates") and arg in OUT_TOKENS:
                arg = _out(arg, root)
            elif arg.startswith("--out=") and arg[6:] in OUT_TOKENS:
                arg = "--out=" + _out(arg[6:], root)
            elif arg in FILE_TOKENS:
                arg = _file(arg, root)
            elif "=" in arg and arg.split("=", 1)[1] in FILE_TOKENS:
                name, token = arg.split("=", 1)
                arg = f"{name}={_file(token, root)}"
            real.append(arg)
        out, err = io.StringIO(), io.StringIO()
        cwd = os.getcwd()
        os.chdir(root)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    status = cli.main(real)
                except SystemExit as exc:
                    status = exc.code if isinstance(exc.code, int) else 2
                except _Reached:
                    status = 0
                    print("(reached the stubbed work)", file=err)
        finally:
            os.chdir(cwd)
        return status, out.getvalue(), err.getvalue()


def _check(argv: list[str]) -> None:
    status, out, err = run_vector(argv)
    how = "reached the work" if "(reached the stubbed work)" in err else f"exit {status}"
    event(f"{argv[0]}: {how}")  # --hypothesis-show-statistics shows how deep vectors got
    if any(a in TAMPERED for a in argv):
        assert status != 0 and "valid:" not in out, (argv, out)
    # the two answers that are neither success nor refusal: a certificate that does not hold,
    # and `certify --lower` finding no lower bound
    answered_one = (argv[0] == "verify" and "invalid:" in err) or (
        argv[0] == "certify" and out.startswith("no lower bound found"))
    assert status in (0, 2) or (status == 1 and answered_one), (argv, status, out, err)
    assert "Traceback" not in err, (argv, err)
    if status == 2:
        # one clear line: argparse's usage + error, or "relu-landscape CMD: error: …"
        assert "error:" in err, (argv, err)


COMMANDS = tuple(SPECS)


@pytest.mark.parametrize("command", COMMANDS)
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_cli_fuzz_no_traceback(stubbed, command, data):
    """A few vectors per subcommand (the CI profile): exit 0 or 2, never an exception."""
    _check(data.draw(vectors(command)))


@pytest.mark.slow
@settings(max_examples=1200, deadline=None, suppress_health_check=list(HealthCheck))
@given(command=st.sampled_from(COMMANDS), data=st.data())
def test_cli_fuzz_thousand_vectors(stubbed, command, data):
    """The slow profile: ≥ 1000 vectors over all subcommands, no traceback."""
    _check(data.draw(vectors(command)))
