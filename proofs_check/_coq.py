"""The `coq` method: a statement's finite-sample version, proved in Coq and kernel-checked.

`CoqTheorem(label)` prints the registered statement as a Coq theorem
(`proofs_check.coq._generate`), compiles it with `coqc` against the development in
`proofs_check/coq/` and reads `Print Assumptions`. It passes only when
- the library and the generated file compile (the generated proof applies the
  hand-proved lemma, whose conclusion must be convertible to the printed one and whose
  hypotheses must all be printed premises), and
- the theorem rests on nothing beyond Coq's standard real-number axioms (`REAL_AXIOMS`);
  `Admitted`, `admit`, a new `Axiom` or an unsafe flag anywhere in the sources fails.
Without `coqc` it is `not run` (`Status.NOT_RUN`: the tool is missing, the mathematics
is not in doubt) and says how to install Coq.

Compiled libraries and per-statement verdicts are cached outside git, keyed by the hash
of the Coq sources, the generated text and the coqc version: `$RELU_LANDSCAPE_COQ_CACHE`,
else `$XDG_CACHE_HOME/relu-landscape/coq`, else `~/.cache/relu-landscape/coq`.

Main definitions: `CoqTheorem`, `kernel_checked(results)` (which labels passed a `coq`
obligation in a run: the blueprint's "kernel-checked" status), `kernel_statement(label)`
and `kernel_record(label)` (the printed Coq statement and what a docs page shows of it).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from proofs_check._outcome import Outcome, Status
from proofs_check._tools import TOOLS
from proofs_check.coq._generate import LIBRARY, Generated, generate
from proofs_check.coq._printer import PrintError
from proofs_check.coq._specs import STEP, parts, spec

COQ_DIR = Path(__file__).parent / "coq"
INSTALL_NOTE = "Debian 12 ships Coq 8.16; only its standard library is used"
#: what the standard library's real numbers rest on (`Print Assumptions` of any lemma on R)
REAL_AXIOMS = frozenset({
    "ClassicalDedekindReals.sig_forall_dec",
    "ClassicalDedekindReals.sig_not_dec",
    "FunctionalExtensionality.functional_extensionality_dep",
})
#: vernacular that could smuggle in an unproved fact or switch a kernel check off
FORBIDDEN = re.compile(
    r"\b(Admitted|admit|give_up|Axiom|Axioms|Parameter|Parameters|Conjecture|Hypothesis|"
    r"Hypotheses|Variable|Variables|Context|Declare\s+ML)\b|Unset\s+\w*\s*Checking|"
    r"Type\s+In\s+Type|Unset\s+Guard|Unset\s+Positivity|Unset\s+Universe"
)
COMPILE_TIMEOUT_S = 300


class CoqError(RuntimeError):
    """coqc rejected a file (the message carries its output)."""


def coqc() -> str | None:
    """Path of coqc (`$COQC` if set), None when it is not installed."""
    return shutil.which(os.environ.get("COQC") or "coqc")


def cache_root() -> Path:
    env = os.environ.get("RELU_LANDSCAPE_COQ_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "relu-landscape" / "coq"


@functools.cache
def coq_version(exe: str) -> str:
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[0]


def strip_comments(text: str) -> str:
    """Coq source without its (nested) comments; strings are not special in our files."""
    out, depth, i = [], 0, 0
    while i < len(text):
        if text.startswith("(*", i):
            depth, i = depth + 1, i + 2
        elif depth and text.startswith("*)", i):
            depth, i = depth - 1, i + 2
        else:
            if not depth:
                out.append(text[i])
            i += 1
    return "".join(out)


def forbidden(text: str) -> list[str]:
    """The forbidden words of a Coq source (outside comments)."""
    return sorted({m.group(0) for m in FORBIDDEN.finditer(strip_comments(text))})


def _run(exe: str, args: list[str], cwd: Path) -> str:
    try:
        proc = subprocess.run(
            [exe, *args], cwd=cwd, capture_output=True, text=True, timeout=COMPILE_TIMEOUT_S
        )
    except subprocess.TimeoutExpired as exc:
        raise CoqError(f"coqc {' '.join(args)} ran past {COMPILE_TIMEOUT_S} s") from exc
    if proc.returncode != 0:
        raise CoqError((proc.stdout + proc.stderr).strip()[-2000:])
    return proc.stdout


def library_sources(root: Path = COQ_DIR) -> dict[str, str]:
    return {name: (root / f"{name}.v").read_text(encoding="utf-8") for name in LIBRARY}


@functools.cache
def build_library(exe: str, key: str) -> Path:
    """Compile the development once per source hash `key` into the cache (atomically, so
    concurrent test workers share it) and return its directory."""
    target = cache_root() / f"lib-{key}"
    if (target / f"{LIBRARY[-1]}.vo").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix="build-") as tmp:
        work = Path(tmp) / "lib"
        work.mkdir()
        for name, text in library_sources().items():
            (work / f"{name}.v").write_text(text, encoding="utf-8")
        for name in LIBRARY:
            _run(exe, ["-q", "-Q", ".", "RL", f"{name}.v"], work)
        try:
            os.replace(work, target)
        except OSError:
            if not (target / f"{LIBRARY[-1]}.vo").exists():
                raise
    return target


def library_key(exe: str) -> str:
    h = hashlib.sha256(coq_version(exe).encode())
    for name, text in library_sources().items():
        h.update(name.encode() + b"\0" + text.encode() + b"\0")
    return h.hexdigest()[:16]


def parse_assumptions(output: str) -> tuple[set[str], list[str]]:
    """(axiom names, other assumption headers) listed by `Print Assumptions`."""
    if "Closed under the global context" in output:
        return set(), []
    axioms: set[str] = set()
    others: list[str] = []
    section = None
    for line in output.splitlines():
        if not line.strip() or line[0].isspace():
            continue
        if line.rstrip().endswith(":") and " : " not in line:
            section = line.strip()
            if section != "Axioms:":
                others.append(section)
            continue
        if section == "Axioms:":
            axioms.add(line.split(" : ")[0].strip())
    if section is None:
        others.append("no Print Assumptions output")
    return axioms, others


def compile_statement(exe: str, gen: Generated) -> Outcome:
    """Compile one generated file against the cached library; judge its assumptions."""
    lib = build_library(exe, library_key(exe))
    key = hashlib.sha256((lib.name + "\0" + gen.text).encode()).hexdigest()[:24]
    verdict = cache_root() / "verdicts" / f"{key}.json"
    if verdict.exists():
        rec = json.loads(verdict.read_text(encoding="utf-8"))
        return Outcome(Status(rec["status"]), rec["detail"])
    bad = forbidden(gen.text)
    if bad:
        return Outcome.failed(f"generated file uses {', '.join(bad)}")
    with tempfile.TemporaryDirectory(prefix="rl-coq-") as tmp:
        path = Path(tmp) / f"{gen.theorem}.v"
        path.write_text(gen.text, encoding="utf-8")
        try:
            out = _run(exe, ["-q", "-Q", str(lib), "RL", path.name], Path(tmp))
        except CoqError as exc:
            outcome = Outcome.failed(f"coqc rejected {gen.theorem}: {exc}")
        else:
            outcome = _judge_assumptions(gen, out, exe)
    verdict.parent.mkdir(parents=True, exist_ok=True)
    tmp_verdict = verdict.with_suffix(f".{os.getpid()}.tmp")
    tmp_verdict.write_text(json.dumps({"status": str(outcome.status),
                                       "detail": outcome.detail}), encoding="utf-8")
    os.replace(tmp_verdict, verdict)
    return outcome


def _judge_assumptions(gen: Generated, output: str, exe: str) -> Outcome:
    axioms, others = parse_assumptions(output)
    extra = sorted(axioms - REAL_AXIOMS)
    if extra or others:
        return Outcome.failed(
            f"{gen.theorem} rests on more than the real-number axioms: "
            + ", ".join(extra + others)
        )
    note = f"; not covered: {'; '.join(gen.uncovered)}" if gen.uncovered else ""
    return Outcome.passed(
        f"{coq_version(exe)}: {gen.theorem} compiled (by {spec(gen.label, gen.part).lemma} in "
        f"{gen.module}.v); assumptions: {len(axioms)} standard real-number axioms{note}"
    )


def _statement(label: str):
    from proofs_check._reads import statement

    return statement(label)


@dataclass(frozen=True)
class CoqTheorem:
    """Kernel-check the finite-sample Coq version of statement `label` (see module doc)."""

    label: str
    name: str = "coq"
    part: str = ""  # which of the label's Coq theorems ("" the main one)

    def run(self) -> Outcome:
        st = _statement(self.label)  # read at run time: a mutated statement is the one printed
        try:
            gen = generate(spec(self.label, self.part), st)
        except PrintError as exc:
            return Outcome.failed(f"the registered statement has no Coq counterpart: {exc}")
        exe = coqc()
        if exe is None:
            return Outcome.not_run(f"{TOOLS['coq'].missing()}   ({INSTALL_NOTE})")
        bad = {n: forbidden(t) for n, t in library_sources().items() if forbidden(t)}
        if bad:
            return Outcome.failed(f"the Coq development uses forbidden vernacular: {bad}")
        try:
            return compile_statement(exe, gen)
        except CoqError as exc:
            return Outcome.failed(f"the Coq development does not compile: {exc}")


def kernel_checked(results: Iterable) -> dict[str, str]:
    """label → generated theorem name(s), for every label whose `coq` obligations passed
    among `results` (records of `run_checks`); the blueprint's "kernel-checked" status. A
    label with several parts lists the passed theorems, comma-separated, in `SPECS` order."""
    passed: dict[str, set[str]] = {}
    for r in results:
        if r.method == "coq" and r.status is Status.PASSED:
            part = r.step[len(STEP) + 1:] if r.step.startswith(STEP + "_") else ""
            passed.setdefault(r.label, set()).add(part)
    return {label: ", ".join(spec(label, p).theorem for p in parts(label) if p in got)
            for label, got in passed.items()}


def kernel_statement(label: str) -> str | None:
    """The Coq statement printed from the registered `label` (None if it has no Coq
    version), to show beside the sympy one."""
    rec = kernel_record(label)
    return None if rec is None else rec["statement"]


def kernel_record(label: str, part: str = "") -> dict | None:
    """What a docs page shows of `label`'s Coq version (None if it has none): the theorem
    name, the printed statement, the proof's file and lemma, the finite-sample setting
    (Coq, prose), the conclusion parts not kernel-checked, a one-line summary, the values
    the statement is specialized at, and (main record only) `parts`: the records of the
    label's other Coq theorems."""
    from theory import registry

    if part not in parts(label):
        return None
    spc = spec(label, part)
    gen = generate(spc, registry().get(label))
    return {
        "theorem": gen.theorem,
        "statement": gen.statement,
        "file": f"proofs_check/coq/{spc.module}.v",
        "lemma": spc.lemma,
        "setting": list(spc.setting),
        "uncovered": list(gen.uncovered),
        "summary": spc.summary,
        "specialize": dict(spc.specialize),
        "parts": [] if part else [kernel_record(label, p) for p in parts(label) if p],
    }
