"""Mutation testing of the core modules, behind `relu-landscape selftest --mutation`.

Main definitions: `load_config(path)` → `MutationConfig` (the modules, their fast tests,
the equivalent mutants), `run_module(module, config)` → `ModuleScore`,
`write_report(rows, config, out)`.

Two tools, one table:
- `kind = "mutmut"`: mutmut mutates the functions of the module (one operator, constant
  or comparison per mutant) and runs the module's mapped tests against each mutant;
- `kind = "statements"`: the module defines statements (data, not functions), so every
  statement is perturbed instead (`proofs_check._mutate`: constants halved or doubled,
  exponents shifted, inequalities reversed, terms and hypotheses dropped) and a mutant
  is killed when an obligation reading it fails. A survivor the statement explains
  (`Statement.survivors`) counts as equivalent.

Score = (killed + timeout) ÷ (mutants − equivalent): a mutant that makes the tests hang
would stop CI as surely as one that fails them.
"""

from __future__ import annotations

import fnmatch
import importlib
import importlib.util
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from theory.errors import InvalidArgumentError, RelulandscapeError

#: packages copied into every work folder
PACKAGES = ("theory", "numerics", "proofs_check", "experiments")
#: where each module is mutated (one folder per module, so caches never mix)
WORK = Path(".mutation")
#: mutmut settings used unless mutation.toml's [mutmut] table overrides them
MUTMUT_DEFAULTS: dict[str, object] = {
    # conftest imports torch, which is not fork-safe once used
    "process_isolation": "forkserver",
    "timeout_multiplier": 3.0,
    "timeout_constant": 5.0,
    # pytest's unraisable-exception hook runs gc.collect() several times per session,
    # more than half of a short mutant's run with torch and sympy in memory
    "pytest_add_cli_args": ["-p", "no:cacheprovider", "-p", "no:randomly",
                            "-p", "no:unraisableexception"],
}
CAUGHT = {"killed", "caught by type check"}
#: the hypothesis profile of tests/conftest.py used for every mutant: a few derandomized
#: examples, so that a mutant's verdict does not depend on the draw and the run stays short
HYPOTHESIS_PROFILE = "mutation"


class MutationRunError(RelulandscapeError):
    """mutmut could not run a module (its clean tests fail, or it crashed)."""


@dataclass(frozen=True)
class Module:
    """One core module: dotted `name`, source `path`, `kind`, mapped `tests`, and the
    pytest marker expression (`-m`) that selects, within them, the tests run against its
    mutants (None: every test they hold that pyproject's `-m` selects)."""

    name: str
    path: str
    kind: str
    tests: tuple[str, ...]
    marker: str | None = None

    @property
    def selection(self) -> tuple[str, ...]:
        """pytest's arguments that select the module's tests."""
        return (("-m", self.marker) if self.marker else ()) + self.tests


@dataclass(frozen=True)
class Equivalent:
    """A mutant that cannot change behaviour: its name (a glob), optionally the text
    its mutated line must contain (so a stale entry is noticed), and why."""

    mutant: str
    reason: str
    line: str | None = None


@dataclass(frozen=True)
class MutationConfig:
    target: float
    modules: dict[str, Module]
    equivalent: tuple[Equivalent, ...]
    mutmut: dict[str, object]
    also_copy: tuple[str, ...] = ()


@dataclass
class Survivor:
    mutant: str
    status: str
    diff: str


@dataclass
class ModuleScore:
    """Counts for one module; `survivors` are the non-equivalent mutants not caught."""

    module: str
    tool: str
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    equivalent: int = 0
    timeout: int = 0
    no_tests: int = 0
    not_run: int = 0
    survivors: list[Survivor] = field(default_factory=list)
    stale_equivalents: list[str] = field(default_factory=list)
    #: the equivalent mutants and why each cannot be told apart
    equivalents: list[str] = field(default_factory=list)
    #: why the module could not be measured (then every count is 0 and the score 0)
    error: str | None = None
    #: wall time of the module's run, in seconds
    seconds: float | None = None
    #: whether every mutant was run afresh (not `--resume`/`--survivors`, no budget left
    #: any "not run"): only such a run may replace the baseline
    full: bool = False

    @property
    def score(self) -> float:
        """(killed + timeout) ÷ non-equivalent mutants, over the mutants that were run."""
        if self.error is not None:
            return 0.0
        relevant = self.mutants - self.equivalent - self.not_run
        return (self.killed + self.timeout) / relevant if relevant else 1.0


def load_config(path: Path) -> MutationConfig:
    """Read mutation.toml; raises ValueError naming what is wrong."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    modules = {}
    for name, spec in data.get("modules", {}).items():
        kind = spec.get("kind", "mutmut")
        if kind not in ("mutmut", "statements"):
            raise InvalidArgumentError(f"{path}: module {name}: kind must be mutmut or statements")
        if kind == "mutmut" and not spec.get("tests"):
            raise InvalidArgumentError(f"{path}: module {name} maps no tests")
        marker = spec.get("marker")
        if marker is not None and (not isinstance(marker, str) or not marker.strip()):
            raise InvalidArgumentError(f"{path}: module {name}: marker must be a nonempty "
                                       "pytest marker expression")
        modules[name] = Module(name, spec.get("path", name.replace(".", "/") + ".py"), kind,
                               tuple(spec.get("tests", ())), marker)
    equivalent = []
    for e in data.get("equivalent", []):
        if not e.get("reason"):
            raise InvalidArgumentError(
                f"{path}: equivalent mutant {e.get('mutant')!r} gives no reason")
        equivalent.append(Equivalent(e["mutant"], e["reason"], e.get("line")))
    return MutationConfig(float(data.get("target", 0.9)), modules, tuple(equivalent),
                          {**MUTMUT_DEFAULTS, **data.get("mutmut", {})},
                          tuple(data.get("also_copy", ())))


def select(config: MutationConfig, names: list[str]) -> list[Module]:
    unknown = [n for n in names if n not in config.modules]
    if unknown:
        raise InvalidArgumentError(f"unknown module(s) {', '.join(unknown)}; known: "
                         f"{', '.join(config.modules)}")
    return [config.modules[n] for n in (names or config.modules)]


def missing_tools(modules: list[Module]) -> str | None:
    if any(m.kind == "mutmut" for m in modules) and importlib.util.find_spec("mutmut") is None:
        return "mutmut"
    return None


def run_module(module: Module, config: MutationConfig, *, workers: int = 1,
               resume: bool = False, survivors: bool = False,
               budget_s: float | None = None) -> ModuleScore:
    """Mutate `module` and count the outcome. `resume` keeps earlier results (mutmut
    retests the functions that changed); `survivors` retests only the mutants an
    earlier run did not catch (after new tests were written for them); `budget_s` stops
    mutmut after that many seconds, leaving the rest `not_run`."""
    start = time.monotonic()
    if module.kind == "statements":
        row = _run_statements(module, config)
    else:
        row = _run_mutmut(module, config, workers=workers, resume=resume or survivors,
                          survivors=survivors, budget_s=budget_s)
    row.seconds = time.monotonic() - start
    row.full = not (resume or survivors) and row.not_run == 0 and row.error is None
    return row


# --- mutmut --------------------------------------------------------------------------


def _setup_cfg(module: Module, settings: dict[str, object]) -> str:
    """mutmut's [mutmut] section (setup.cfg syntax: lists one item a line)."""
    values = {"source_paths": list(PACKAGES), "only_mutate": [module.path],
              "pytest_add_cli_args_test_selection": list(module.selection), **settings}
    lines = ["[mutmut]"]
    for key, value in values.items():
        if isinstance(value, list):
            lines.append(f"{key} =\n" + "\n".join(f"    {v}" for v in value))
        else:
            lines.append(f"{key} = {str(value).lower() if isinstance(value, bool) else value}")
    return "\n".join(lines) + "\n"


def prepare(module: Module, config: MutationConfig, *, root: Path = Path("."),
            resume: bool = False) -> Path:
    """A work folder holding a snapshot of the packages, the mapped tests and conftest."""
    work = root / WORK / module.name
    if work.exists() and not resume:
        shutil.rmtree(work)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for pkg in PACKAGES:
        shutil.copytree(root / pkg, work / pkg, ignore=ignore, dirs_exist_ok=True)
    (work / "tests").mkdir(parents=True, exist_ok=True)
    # conftest and the shared helper modules (tests/_*.py) beside the mapped tests
    helpers = {f"tests/{p.name}" for p in (root / "tests").glob("_*.py")}
    files = {"tests/conftest.py", *helpers, *(t.split("::")[0] for t in module.tests),
             *config.also_copy}
    for rel in sorted(files):
        src = root / rel
        if not src.exists():
            raise MutationRunError(f"{rel} (mapped in mutation.toml) does not exist")
        dst = work / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=ignore, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    shutil.copy2(root / "pyproject.toml", work / "pyproject.toml")
    (work / "setup.cfg").write_text(_setup_cfg(module, config.mutmut), encoding="utf-8")
    return work


def _statuses(work: Path, module: Module) -> dict[str, str]:
    from mutmut.stats import status_by_exit_code

    meta = work / "mutants" / (module.path + ".meta")
    if not meta.exists():
        raise MutationRunError(f"mutmut left no results ({meta} is missing)")
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {name: status_by_exit_code[code] for name, code in codes.items()}


_DIFFS = """
import json, sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
names, path = json.loads(sys.argv[1]), sys.argv[2]
print(json.dumps({n: get_diff_for_mutant(n, path=path) for n in names}))
"""


def _diffs(work: Path, module: Module, names: list[str]) -> dict[str, str]:
    if not names:
        return {}
    out = subprocess.run([sys.executable, "-c", _DIFFS, json.dumps(names), module.path],
                         cwd=work, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {n: f"(diff unavailable: {out.stderr.strip()[-200:]})" for n in names}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _equivalent(name: str, diff: str, config: MutationConfig) -> Equivalent | None:
    for e in config.equivalent:
        if fnmatch.fnmatchcase(name, e.mutant) and (
            e.line is None or any(e.line in ln for ln in diff.splitlines()
                                  if ln.startswith("+") and not ln.startswith("+++"))
        ):
            return e
    return None


def classify(module: str, statuses: dict[str, str], diffs: dict[str, str],
             config: MutationConfig, tool: str = "mutmut") -> ModuleScore:
    """Counts from mutmut statuses; `diffs` holds the diff of every mutant not caught."""
    row = ModuleScore(module, tool, mutants=len(statuses))
    used = set()
    for name, status in sorted(statuses.items()):
        if status in CAUGHT:
            row.killed += 1
            continue
        if status == "timeout":
            row.timeout += 1
            continue
        if status == "not checked":  # a run stopped by its time budget
            row.not_run += 1
            continue
        e = _equivalent(name, diffs.get(name, ""), config)
        if e is not None:
            row.equivalent += 1
            row.equivalents.append(f"{name}: {e.reason}")
            used.add(e)
            continue
        if status == "no tests":
            row.no_tests += 1
        row.survived += 1
        row.survivors.append(Survivor(name, status, diffs.get(name, "")))
    prefix = module + "."
    row.stale_equivalents = [e.mutant for e in config.equivalent
                             if e.mutant.startswith(prefix) and e not in used
                             and not any(fnmatch.fnmatchcase(n, e.mutant) and s in CAUGHT
                                         for n, s in statuses.items())]
    return row


def _mutmut(work: Path, args: list[str], budget_s: float | None) -> int | None:
    """Run mutmut in `work`; None when the budget ran out (the run is stopped, its
    finished mutants keep their results)."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": HYPOTHESIS_PROFILE}
    proc = subprocess.Popen([sys.executable, "-m", "mutmut", *args], cwd=work,
                            start_new_session=True, env=env)
    try:
        return proc.wait(timeout=budget_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        return None
    except BaseException:
        os.killpg(proc.pid, signal.SIGTERM)
        raise


def _run_mutmut(module: Module, config: MutationConfig, *, workers: int,
                resume: bool, survivors: bool = False,
                budget_s: float | None = None) -> ModuleScore:
    names: list[str] = []
    if survivors:
        earlier = _statuses(WORK / module.name, module)
        names = sorted(n for n, s in earlier.items() if s not in CAUGHT and s != "timeout")
    work = prepare(module, config, resume=resume)
    if survivors and not names:
        return classify(module.name, _statuses(work, module), {}, config)
    code = _mutmut(work, ["run", "--max-children", str(workers), *names], budget_s)
    if code not in (0, None):
        raise MutationRunError(f"mutmut run exited with {code} (in {work})")
    statuses = _statuses(work, module)
    uncaught = [n for n, s in statuses.items()
                if s not in CAUGHT and s not in ("timeout", "not checked")]
    return classify(module.name, statuses, _diffs(work, module, uncaught), config)


# --- statements ----------------------------------------------------------------------


def _run_statements(module: Module, config: MutationConfig) -> ModuleScore:
    from proofs_check import run_mutations

    labels = [s.label for s in importlib.import_module(module.name).STATEMENTS]
    report = run_mutations(labels)
    row = ModuleScore(module.name, "statements", mutants=len(report.rows))
    for r in report.rows:
        if r.caught:
            row.killed += 1
        elif r.explained is not None:
            row.equivalent += 1
            row.equivalents.append(f"{r.mutant.label} {r.mutant.id}: {r.explained}")
        else:
            row.survived += 1
            row.survivors.append(Survivor(f"{r.mutant.label} {r.mutant.id}", "survived",
                                          ""))
    return row


# --- report --------------------------------------------------------------------------


def load_baseline(path: Path) -> dict[str, float]:
    """Module → score of the last full runs kept in `path` (a `score.json` payload); an
    empty map when the file does not exist."""
    if not path.exists():
        return {}
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(rows, list):
            raise TypeError(f"a list of module rows is expected, got {type(rows).__name__}")
        return {r["module"]: float(r["score"]) for r in rows}
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidArgumentError(f"{path} is not a mutation score file: {exc}") from exc


def longest_first(modules: list[Module], path: Path) -> list[Module]:
    """`modules` by descending wall time of their baseline run (those without one first):
    run side by side, the long modules start early and no single one is left running
    alone at the end."""
    if not path.exists():
        return list(modules)
    seconds = {r["module"]: r.get("seconds") or 0.0
               for r in json.loads(path.read_text(encoding="utf-8"))}
    return sorted(modules, key=lambda m: -seconds.get(m.name, math.inf))


#: the counts a baseline row keeps (survivors and equivalents stay in the run's report)
_BASELINE_KEYS = ("module", "tool", "mutants", "killed", "survived", "equivalent", "timeout",
                  "no_tests", "not_run", "seconds")


def update_baseline(path: Path, rows: list[ModuleScore], provenance: dict) -> list[str]:
    """Replace the baseline rows of the modules run in full (with `provenance`: commit,
    date, workers); returns their names."""
    kept = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    fresh = {r.module: {**{k: getattr(r, k) for k in _BASELINE_KEYS}, "score": r.score,
                        **provenance}
             for r in rows if r.full}
    merged = [fresh.pop(r["module"], r) for r in kept] + list(fresh.values())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=1) + "\n", encoding="utf-8")
    return [r.module for r in rows if r.full]


def dropped(rows: list[ModuleScore], baseline: dict[str, float]) -> list[str]:
    """Modules whose score fell below their baseline score."""
    return [r.module for r in rows if r.module in baseline
            and r.score < baseline[r.module] - 1e-12]


def _versus(r: ModuleScore, baseline: dict[str, float]) -> str:
    """The change against the baseline, in points: "=", "+0.4" or "−1.2 ▼"."""
    if r.module not in baseline or r.error is not None:
        return ""
    delta = 100 * (r.score - baseline[r.module])
    if abs(delta) < 0.05:
        return "="
    return f"+{delta:.1f}" if delta > 0 else f"−{-delta:.1f} ▼"


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 60:.1f} min"


def render_rows(rows: list[ModuleScore], target: float,
                baseline: dict[str, float] | None = None) -> str:
    """The per-module table; `baseline` (module → score of the last full run) adds the
    change, marked ▼ where a module's score went down."""
    baseline = baseline or {}
    head = ("| module | tool | mutants | killed | survived | equivalent | timeout | no tests "
            "| not run | score | vs baseline | time |")
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.error is not None:
            lines.append(f"| `{r.module}` | {r.tool} | not measured: {r.error} |"
                         + " |" * 6 + f" — ✗ | | {_minutes(r.seconds)} |")
            continue
        mark = "" if r.score >= target else " ✗"
        lines.append(f"| `{r.module}` | {r.tool} | {r.mutants} | {r.killed} | {r.survived} | "
                     f"{r.equivalent} | {r.timeout} | {r.no_tests} | {r.not_run} | "
                     f"{100 * r.score:.1f} %{mark} | {_versus(r, baseline)} | "
                     f"{_minutes(r.seconds)} |")
    if len(rows) > 1:
        tot = ModuleScore("total", "", *(sum(getattr(r, k) for r in rows) for k in
                          ("mutants", "killed", "survived", "equivalent", "timeout",
                           "no_tests", "not_run")))
        times = [r.seconds for r in rows if r.seconds is not None]
        lines.append(f"| **total** | | {tot.mutants} | {tot.killed} | {tot.survived} | "
                     f"{tot.equivalent} | {tot.timeout} | {tot.no_tests} | {tot.not_run} | "
                     f"{100 * tot.score:.1f} % | | {_minutes(sum(times) if times else None)} |")
    return "\n".join(lines)


def write_report(rows: list[ModuleScore], config: MutationConfig, out: Path,
                 baseline: dict[str, float] | None = None) -> str:
    """Write OUT/score.md and OUT/score.json; returns the table."""
    out.mkdir(parents=True, exist_ok=True)
    table = render_rows(rows, config.target, baseline)
    parts = [f"# Mutation score (target {100 * config.target:.0f} % per module)", "", table]
    for r in rows:
        if r.survivors or r.stale_equivalents:
            parts += ["", f"## {r.module}: {len(r.survivors)} survivor(s)"]
        for s in r.survivors:
            parts += ["", f"- `{s.mutant}` ({s.status})"]
            if s.diff:
                parts += ["", "```diff", s.diff.strip(), "```"]
        if r.error is not None:
            parts += ["", f"## {r.module}: not measured", "", r.error]
        if r.equivalents:
            parts += ["", f"## {r.module}: {len(r.equivalents)} equivalent", ""]
            parts += [f"- {e}" for e in r.equivalents]
        for name in r.stale_equivalents:
            parts += [f"- stale equivalent entry `{name}`: no such mutant survives"]
    (out / "score.md").write_text("\n".join(parts) + "\n", encoding="utf-8")
    payload = [{**asdict(r), "score": r.score} for r in rows]
    (out / "score.json").write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return table
