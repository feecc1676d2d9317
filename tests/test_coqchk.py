"""`coqchk` re-checks the compiled Coq development; coq-dpdgraph's graph vs the registry's uses.

Positive control: the real library and the generated statements file re-check with no axiom
in the project's modules. Negative controls: a `.vo` replaced by one compiled from changed
sources, an `Admitted` lemma, an `Axiom`, and a fixpoint accepted with guard checking off all
fail. Tests that need `coqc`/`coqchk` (Debian's coq package) or the dpdgraph plugin skip
without them; the parsers and the graph walk are tested without any tool.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from proofs_check._coq import build_library, coqc, library_key
from proofs_check._coqchk import (
    GEN_PREFIX,
    LIB_PREFIX,
    coqchk,
    parse_coqchk,
    recheck,
    registry_text,
    run_coqchk,
)
from proofs_check._coqgraph import GraphReport, compare, coq_uses, parse_dpd

HAS_CHK = coqc() is not None and coqchk() is not None
needs_coqchk = pytest.mark.skipif(not HAS_CHK, reason="coqc/coqchk not installed "
                                  "(apt-get install coq)")

SUMMARY = """Modules were successfully checked
CONTEXT SUMMARY
===============

* Theory: Set is predicative

* Axioms:
    Coq.Reals.ClassicalDedekindReals.sig_not_dec
    RL.Cheat.one_is_zero

* Constants/Inductives relying on type-in-type: <none>

* Constants/Inductives relying on unsafe (co)fixpoints:
    RL.Guard.loop

* Inductives whose positivity is assumed: <none>
"""


def test_parse_coqchk_summary():
    out = "Checking library: RL.Cheat\n  checking cst:RL.Cheat.one_is_zero\n" + SUMMARY
    sections, checked, admitted, constants, success = parse_coqchk(out)
    assert checked == ["RL.Cheat"] and admitted == 0 and constants == 1 and success
    assert sections["Axioms"] == ["Coq.Reals.ClassicalDedekindReals.sig_not_dec",
                                  "RL.Cheat.one_is_zero"]
    assert sections["Constants/Inductives relying on unsafe (co)fixpoints"] == ["RL.Guard.loop"]
    assert sections["Constants/Inductives relying on type-in-type"] == ["<none>"]


def test_missing_coqchk_fails_loudly(monkeypatch):
    monkeypatch.setenv("COQCHK", "/nonexistent/coqchk")
    report = run_coqchk({"RL": Path(".")}, ["RL.Sums"])
    assert not report.ok and "coqchk missing" in report.line()


# ------------------------------------------------------------------ with coqchk


@needs_coqchk
def test_real_development_rechecks():
    from proofs_check.coq._generate import LIBRARY
    from proofs_check.coq._specs import SPECS

    report = recheck(stdlib=False)
    assert report.ok, report.problems
    assert report.modules == (*(f"{LIB_PREFIX}.{m}" for m in LIBRARY), f"{GEN_PREFIX}.Registry")
    assert not [a for a in report.axioms if a.startswith(("RL.", "RLGen."))]
    assert report.constants > len(SPECS) and report.admitted_libraries > 0
    line = report.line()
    assert line.startswith(f"coqchk: {len(report.modules)} modules re-checked")
    assert "0 in the project's modules" in line
    # every registry theorem is in the generated file coqchk re-checked
    text = registry_text()
    assert all(f"Theorem {s.theorem} :" in text for s in SPECS)


def _copy_library(tmp_path: Path) -> Path:
    exe = coqc()
    lib = tmp_path / "lib"
    shutil.copytree(build_library(exe, library_key(exe)), lib)
    return lib


@needs_coqchk
def test_a_vo_compiled_from_changed_sources_fails(tmp_path):
    from proofs_check.coq._generate import LIBRARY

    lib = _copy_library(tmp_path)
    first = LIBRARY[0]
    for stale in lib.glob(f"{first}.vo*"):
        stale.unlink()
    src = lib / f"{first}.v"
    src.write_text(src.read_text() + "\nLemma tampered : True. Proof. exact I. Qed.\n")
    subprocess.run([coqc(), "-q", "-Q", ".", LIB_PREFIX, src.name], cwd=lib, check=True)
    modules = [f"{LIB_PREFIX}.{m}" for m in LIBRARY]
    report = run_coqchk({LIB_PREFIX: lib}, modules, stdlib=False)
    assert not report.ok
    assert "Inconsistent assumptions" in report.line()


@needs_coqchk
def test_a_corrupted_vo_fails(tmp_path):
    from proofs_check.coq._generate import LIBRARY

    lib = _copy_library(tmp_path)
    vo = lib / f"{LIBRARY[0]}.vo"
    data = bytearray(vo.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 64):
        data[i] ^= 0xFF
    vo.write_bytes(bytes(data))
    report = run_coqchk({LIB_PREFIX: lib}, [f"{LIB_PREFIX}.{LIBRARY[0]}"], stdlib=False)
    assert not report.ok and report.line().startswith("coqchk: FAILED")


@needs_coqchk
@pytest.mark.parametrize("source, flagged", [
    ("Lemma one_is_zero : 1 = 0. Admitted.\n", "axioms in the project's modules"),
    ("Axiom cheat : 1 = 0.\nLemma one_is_zero : 1 = 0. Proof. exact cheat. Qed.\n",
     "axioms in the project's modules"),
    ("Unset Guard Checking.\nFixpoint loop (n : nat) : False := loop n.\nSet Guard Checking.\n"
     "Lemma bad : False. Proof. exact (loop 0). Qed.\n", "unsafe (co)fixpoints"),
])
def test_an_unproved_fact_in_the_library_fails(tmp_path, source, flagged):
    (tmp_path / "Cheat.v").write_text(source)
    subprocess.run([coqc(), "-q", "-Q", ".", LIB_PREFIX, "Cheat.v"], cwd=tmp_path, check=True)
    report = run_coqchk({LIB_PREFIX: tmp_path}, [f"{LIB_PREFIX}.Cheat"], stdlib=False)
    assert not report.ok
    assert flagged in report.line() and "RL.Cheat." in report.line()


@needs_coqchk
def test_the_same_file_proved_passes(tmp_path):
    """The control of the control: the honest version of the file above re-checks."""
    (tmp_path / "Cheat.v").write_text("Lemma one_is_one : 1 = 1. Proof. reflexivity. Qed.\n")
    subprocess.run([coqc(), "-q", "-Q", ".", LIB_PREFIX, "Cheat.v"], cwd=tmp_path, check=True)
    report = run_coqchk({LIB_PREFIX: tmp_path}, [f"{LIB_PREFIX}.Cheat"], stdlib=False)
    assert report.ok, report.problems


# ------------------------------------------------------------------ coq-dpdgraph

DPD = """N: 1 "registry_a" [body=yes, kind=cnst, prop=yes, path="Registry", ];
N: 2 "lem_a" [body=yes, kind=cnst, prop=yes, path="A", ];
N: 3 "helper" [body=yes, kind=cnst, prop=yes, path="A", ];
N: 4 "lem_b" [body=yes, kind=cnst, prop=yes, path="B", ];
N: 5 "lem_c" [body=yes, kind=cnst, prop=yes, path="C", ];
N: 6 "registry_b" [body=yes, kind=cnst, prop=yes, path="Registry", ];
N: 7 "registry_c" [body=yes, kind=cnst, prop=yes, path="Registry", ];
E: 1 2 [weight=1, ];
E: 2 3 [weight=1, ];
E: 3 4 [weight=1, ];
E: 4 5 [weight=2, ];
E: 6 4 [weight=1, ];
E: 7 5 [weight=1, ];
"""


class _Spec:
    def __init__(self, label, module, lemma, theorem):
        self.label, self.module, self.lemma, self.theorem = label, module, lemma, theorem


def test_coq_uses_stops_at_the_first_other_lemma():
    nodes, edges = parse_dpd(DPD)
    assert nodes["3"] == ("A", "helper") and edges["4"] == {"5"}
    specs = [_Spec("x:a", "A", "lem_a", "registry_a"), _Spec("x:b", "B", "lem_b", "registry_b"),
             _Spec("x:c", "C", "lem_c", "registry_c")]
    # a reaches b through a helper; c only through b, so it is b's use, not a's
    assert coq_uses(nodes, edges, specs) == {"x:a": {"x:b"}, "x:b": {"x:c"}, "x:c": set()}
    with pytest.raises(KeyError, match="lem_d"):
        coq_uses(nodes, edges, [*specs, _Spec("x:d", "D", "lem_d", "registry_c")])


def test_graph_report_lines_name_each_difference():
    report = GraphReport(coq={"x:a": {"x:b"}, "x:b": set()},
                         registry={"x:a": set(), "x:b": {"x:a"}},
                         coq_only=[("x:a", "x:b", "")], registry_only=[("x:b", "x:a")])
    text = "\n".join(report.lines())
    assert "0 agree, 1 edges only in Coq, 1 only in the registry" in text
    assert "Coq only: x:a's Coq proof uses x:b's lemma" in text
    assert "registry only: x:b uses x:a" in text
    assert "registry only: `x:b` uses `x:a`" in report.markdown()
    assert GraphReport(skipped="no plugin").lines() == ["coq-dpdgraph: skipped — no plugin"]


def _has_dpdgraph() -> bool:
    exe = coqc()
    if exe is None:
        return False
    where = subprocess.run([exe, "-where"], capture_output=True, text=True).stdout.strip()
    return (Path(where) / "user-contrib" / "dpdgraph" / "dpdgraph.vo").exists()


@pytest.mark.skipif(not _has_dpdgraph(), reason="coq-dpdgraph not installed "
                    "(apt-get install -y libcoq-dpdgraph coq-dpdgraph-tools)")
def test_the_real_graph_is_compared():
    from proofs_check.coq._specs import SPECS
    from theory import registry

    report = compare()
    assert not report.skipped, report.skipped
    assert set(report.coq) == {s.label for s in SPECS}
    # every difference reported is a real one, both ways
    for x, y, _ in report.coq_only:
        assert y in report.coq[x] and y not in registry().get(x).uses
    for x, y in report.registry_only:
        assert y in registry().get(x).uses and y not in report.coq[x]
    # new:buffer-permutation's Coq proof applies ll:buffer-transfer's lemma
    assert "ll:buffer-transfer" in report.coq["new:buffer-permutation"]


def test_cli_coqchk_takes_no_labels(capsys):
    from experiments.cli import main

    assert main(["check", "--coqchk", "ll:bridge"]) == 2
    assert "takes no LABEL" in capsys.readouterr().err


def test_cli_coqchk_without_coqc_fails(monkeypatch, capsys):
    from experiments.cli import main

    monkeypatch.setenv("COQC", "/nonexistent/coqc")
    assert main(["check", "--coqchk-fast"]) == 1
    assert capsys.readouterr().out.startswith("coqchk: FAILED — coqc missing")


# ------------------------------------------------------------------ coqdoc


def test_coqdoc_links_say_why_when_there_is_none(monkeypatch):
    import json

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "docs"))
    import _coqdoc

    monkeypatch.delenv(_coqdoc.ENV, raising=False)
    assert "not executed by the docs build" in _coqdoc.theorem_link("registry_ll_bridge")
    monkeypatch.setenv(_coqdoc.ENV, json.dumps({"anchors": {}, "why": "coqc missing"}))
    assert _coqdoc.theorem_link("registry_ll_bridge") == \
        "no coqdoc page in this build (coqc missing)."
    assert "No coqdoc HTML in this build (coqc missing)" in _coqdoc.index_link()
    monkeypatch.setenv(_coqdoc.ENV, json.dumps(
        {"anchors": {"registry_ll_bridge": "RLGen.Registry.html#registry_ll_bridge"},
         "why": ""}))
    assert 'href="_coqdoc/RLGen.Registry.html#registry_ll_bridge"' in \
        _coqdoc.theorem_link("registry_ll_bridge")
    assert "no coqdoc page" in _coqdoc.theorem_link("registry_ll_pruning")


def test_write_coqdoc_without_coqc(monkeypatch, tmp_path):
    from proofs_check._coqchk import write_coqdoc

    monkeypatch.setenv("COQC", "/nonexistent/coqc")
    assert write_coqdoc(tmp_path / "out") == ({}, "coqc missing — apt-get install coq")
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not HAS_CHK or shutil.which("coqdoc") is None,
                    reason="coqc/coqdoc not installed (apt-get install coq)")
def test_write_coqdoc_anchors_every_registry_theorem(tmp_path):
    from proofs_check._coqchk import write_coqdoc
    from proofs_check.coq._specs import SPECS

    anchors, why = write_coqdoc(tmp_path)
    assert why == ""
    assert set(anchors) == {s.theorem for s in SPECS}
    page = (tmp_path / "RLGen.Registry.html").read_text()
    for theorem, target in anchors.items():
        assert target == f"RLGen.Registry.html#{theorem}" and f'id="{theorem}"' in page
    # the generated theorem links to the hand-proved lemma it applies
    bridge = next(s for s in SPECS if s.label == "ll:bridge")
    assert f'href="RL.{bridge.module}.html#{bridge.lemma}"' in page
