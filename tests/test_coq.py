"""The `coq` method: registry ↔ Coq printer, kernel checks, and their failure modes.

Compiling tests need `coqc` (CI installs Coq from Debian); without it they skip, and the
method's own verdict is `not run` (tested here too).
"""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
import sympy as sp

from proofs_check import Status
from proofs_check._coq import (
    REAL_AXIOMS,
    CoqTheorem,
    coqc,
    forbidden,
    kernel_checked,
    kernel_record,
    kernel_statement,
    parse_assumptions,
)
from proofs_check._obligation import Result, obligations
from proofs_check._reads import replaced
from proofs_check._tools import TOOLS
from proofs_check.coq._generate import coq_statement
from proofs_check.coq._printer import CoqPrinter, PrintError
from proofs_check.coq._specs import SPECS, spec
from proofs_check.steps.coq import STEP
from theory import registry

LABELS = list(dict.fromkeys(s.label for s in SPECS))
HAS_COQ = coqc() is not None
needs_coq = pytest.mark.skipif(not HAS_COQ,
                               reason=f"coqc not installed ({TOOLS['coq'].install})")


def _by_label(fn):
    return pytest.mark.parametrize(
        "label", [pytest.param(lab, marks=pytest.mark.lemma(lab)) for lab in LABELS]
    )(fn)


def _by_spec(fn):
    """One case per Coq theorem (a label with several parts has several)."""
    return pytest.mark.parametrize(
        ("label", "part"),
        [pytest.param(s.label, s.part, marks=pytest.mark.lemma(s.label),
                      id=s.label + (f"-{s.part}" if s.part else "")) for s in SPECS],
    )(fn)


# ------------------------------------------------------------------ the printer


def test_printer_arithmetic():
    x, y, k = sp.symbols("x y kappa", positive=True)
    p = CoqPrinter({"x": "x", "y": "y", "kappa": "l1 m th"})
    assert p.term((x - y) / k) == "(x - y) / l1 m th"
    assert p.term(sp.Max(x * y - k, 0)) == "Rmax (x * y - l1 m th) 0"
    assert p.term(sp.Rational(1, 4) * x) == "x / 4"
    assert p.term(x / sp.sqrt(y)) == "x / (sqrt y)"
    r = sp.Symbol("r", real=True)
    assert CoqPrinter({"r": "th u"}).term(sp.Abs(r)) == "Rabs (th u)"
    assert p.term(x**2) == "x ^ 2"
    assert p.prop(sp.Le(x, 2 * y)) == "x <= 2 * y"


def test_printer_refuses_unbound_symbols_and_powers():
    x, z = sp.symbols("x z", positive=True)
    with pytest.raises(PrintError, match="no Coq binding for 'z'"):
        CoqPrinter({"x": "x"}).term(x + z)
    with pytest.raises(PrintError, match="power"):
        CoqPrinter({"x": "x"}).term(x ** sp.Rational(1, 3))


@_by_spec
def test_every_spec_prints_from_the_registry(label, part):
    # drift at the Python level: a new symbol, predicate or function in a covered part of
    # the registered statement has no binding and the printer refuses it
    statement, _ = coq_statement(spec(label, part), registry().get(label))
    assert statement.startswith("forall ")
    rec = kernel_record(label, part)
    assert rec["statement"] == statement
    assert rec["theorem"] == spec(label, part).theorem and rec["summary"]
    if not part:
        assert kernel_statement(label) == statement
        assert [r["theorem"] for r in rec["parts"]] == [
            s.theorem for s in SPECS if s.label == label and s.part]


def test_each_spec_has_a_coq_obligation():
    steps = {(o.label, o.step) for o in obligations(LABELS)}
    assert {(s.label, s.step) for s in SPECS} <= steps
    assert {(lab, STEP) for lab in LABELS} <= steps
    assert len(LABELS) >= 8


# ------------------------------------------------------------ forbidden / axioms


def test_forbidden_vernacular():
    assert forbidden("Lemma x : False. Proof. Admitted.") == ["Admitted"]
    assert forbidden("Axiom cheat : False.") == ["Axiom"]
    assert forbidden("Proof. admit. Qed.") == ["admit"]
    assert forbidden("(* Admitted in a comment (* nested *) *) Lemma a : True.") == []
    assert forbidden("Unset Guard Checking.")


def test_sources_have_no_forbidden_vernacular_and_match_the_coqproject():
    from proofs_check._coq import COQ_DIR, LIBRARY, library_sources

    assert {name: forbidden(text) for name, text in library_sources().items()} == {
        name: [] for name in LIBRARY
    }
    project = (COQ_DIR / "_CoqProject").read_text().split()
    assert [f for f in project if f.endswith(".v")] == [f"{name}.v" for name in LIBRARY]


def test_parse_assumptions():
    closed = "Closed under the global context\n"
    assert parse_assumptions(closed) == (set(), [])
    out = (
        "Axioms:\nClassicalDedekindReals.sig_not_dec : forall P : Prop, {~ ~ P} + {~ P}\n"
        "cheat\n  : forall x : R, x = 0\n"
    )
    axioms, others = parse_assumptions(out)
    assert axioms == {"ClassicalDedekindReals.sig_not_dec", "cheat"}
    assert others == []


def test_not_run_without_coqc(monkeypatch):
    monkeypatch.setenv("COQC", "/nonexistent/coqc")
    outcome = CoqTheorem("ll:bridge").run()
    assert outcome.status is Status.NOT_RUN
    assert "coqc missing — apt-get install coq" in outcome.detail


def test_kernel_checked_lists_passing_coq_obligations():
    def res(label, method, status):
        return Result(label, STEP, method, status, "", 0.0)

    results = [
        res("ll:bridge", "coq", Status.PASSED),
        res("ll:pruning", "coq", Status.FAILED),
        res("ll:sampling", "z3", Status.PASSED),
    ]
    assert kernel_checked(results) == {"ll:bridge": "registry_ll_bridge"}
    both = [res("ll:sampling", "coq", Status.PASSED),
            Result("ll:sampling", f"{STEP}_holder", "coq", Status.PASSED, "", 0.0)]
    assert kernel_checked(both) == {
        "ll:sampling": "registry_ll_sampling, registry_ll_sampling_holder"}
    assert kernel_checked(both[1:]) == {"ll:sampling": "registry_ll_sampling_holder"}


def test_a_specialized_part_prints_at_its_value():
    # ll:sampling's Hölder clause at α = 1: (a D_X/√q)^{1+α}/(1+α) prints as a²D_X²/(2q),
    # the Lipschitz conjunct is left to the main theorem, and no Lipschitz premise is set
    statement, uncovered = coq_statement(spec("ll:sampling", "holder"),
                                         registry().get("ll:sampling"))
    assert "holder1_loss ell dell H ->" in statement
    assert "(DX ^ 2) * (l1 m th ^ 2) * H / (2 * INR q)" in statement
    assert "lipschitz_loss" not in statement
    assert uncovered == ("Fhat <= D_X*L*a/sqrt(q) + F",)
    main, _ = coq_statement(spec("ll:sampling"), registry().get("ll:sampling"))
    assert "holder1_loss" not in main


# ------------------------------------------------------------------- with coqc


@needs_coq
@_by_spec
def test_kernel_checked(label, part):
    outcome = CoqTheorem(label, part=part).run()
    assert outcome.status is Status.PASSED, outcome.detail


@needs_coq
@pytest.mark.lemma("ll:sampling")
def test_a_changed_holder_constant_fails_to_compile():
    # (H/4) a²D_X²/q instead of (H/2) a²D_X²/q: a constant the proof does not give
    st = registry().get("ll:sampling")
    body = next(a for a in st.conclusion.args if isinstance(a, sp.Implies)).args[1]
    F = next(s for s in body.free_symbols if s.name == "F")
    wrong = st.conclusion.xreplace({body: sp.Le(body.lhs, F + (body.rhs - F) / 2)})
    assert wrong != st.conclusion
    with replaced(dataclasses.replace(st, conclusion=wrong)):
        outcome = CoqTheorem("ll:sampling", part="holder").run()
    assert outcome.status is Status.FAILED
    assert "coqc rejected registry_ll_sampling_holder" in outcome.detail


@needs_coq
@pytest.mark.lemma("ll:l1-control")
def test_a_changed_constant_fails_to_compile():
    st = registry().get("ll:l1-control")
    kappa = next(s for s in st.conclusion.free_symbols if s.name == "kappa")
    wrong = st.conclusion.subs(kappa, 2 * kappa)  # a ≤ (s − R̲)/(2κ): false
    assert wrong != st.conclusion
    with replaced(dataclasses.replace(st, conclusion=wrong)):
        outcome = CoqTheorem("ll:l1-control").run()
    assert outcome.status is Status.FAILED
    assert "coqc rejected registry_ll_l1_control" in outcome.detail
    assert "2 * kappa" in kernel_statement_of(wrong, st)


def kernel_statement_of(conclusion, st):
    return coq_statement(spec(st.label), dataclasses.replace(st, conclusion=conclusion))[0]


@needs_coq
@pytest.mark.lemma("ll:thm-dimfree")
@pytest.mark.parametrize("part", ["", "holder"])
def test_dimfree_with_a_smaller_bound_fails(part):
    # κ → 2κ in both bounds (the sampling term halved or quartered): the path's bound does
    # not give it, and the kernel rejects the printed theorem
    st = registry().get("ll:thm-dimfree")
    kappa = next(s for s in st.conclusion.free_symbols if s.name == "kappa")
    wrong = st.conclusion.subs(kappa, 2 * kappa)
    with replaced(dataclasses.replace(st, conclusion=wrong)):
        outcome = CoqTheorem("ll:thm-dimfree", part=part).run()
    assert outcome.status is Status.FAILED
    assert "coqc rejected registry_ll_thm_dimfree" in outcome.detail


@needs_coq
@pytest.mark.lemma("ll:thm-fixed-level")
def test_fixed_level_rate_with_a_faster_rate_fails():
    # 𝔟_m ≤ C/m² instead of C/m: pruning gives l/m, and the kernel rejects the rest
    st = registry().get("ll:thm-fixed-level")
    m = next(s for s in st.conclusion.free_symbols if s.name == "m")
    C = next(s for s in st.conclusion.free_symbols if s.name == "C")
    wrong = st.conclusion.subs(C / m, C / m**2)
    assert wrong != st.conclusion
    with replaced(dataclasses.replace(st, conclusion=wrong)):
        outcome = CoqTheorem("ll:thm-fixed-level", part="rate").run()
    assert outcome.status is Status.FAILED
    assert "coqc rejected registry_ll_thm_fixed_level_rate" in outcome.detail


@needs_coq
@pytest.mark.lemma("ll:thm-finite")
def test_thm_finite_with_a_lower_level_fails():
    # Λ = max(λ, e(l), δ_A/2, δ_B): the bridge from A to (Ŵ_A, γ_A) needs δ_A ≤ Λ
    st = registry().get("ll:thm-finite")
    delta_A = next(s for h in st.hypotheses for s in h.free_symbols if s.name == "delta_A")
    hyps = tuple(h.subs(delta_A, delta_A / 2) if isinstance(h, sp.Equality) else h
                 for h in st.hypotheses)
    assert hyps != st.hypotheses
    with replaced(dataclasses.replace(st, hypotheses=hyps)):
        outcome = CoqTheorem("ll:thm-finite").run()
    assert outcome.status is Status.FAILED
    assert "coqc rejected registry_ll_thm_finite" in outcome.detail


@needs_coq
@pytest.mark.lemma("ll:thm-fixed-level")
def test_fixed_level_holder_rate_squared_fails():
    # 𝔟_m ≤ C_h m^{−(1+α)} instead of m^{−(1+α)/2} (at α = 1: C_h/m² for C_h/m)
    st = registry().get("ll:thm-fixed-level")
    imp = next(a for a in st.conclusion.args
               if isinstance(a, sp.Implies) and "C_h" in {s.name for s in a.free_symbols})
    body = imp.args[1]
    C_h = next(s for s in body.free_symbols if s.name == "C_h")
    wrong = st.conclusion.xreplace({body: sp.Le(body.lhs, C_h * (body.rhs / C_h) ** 2)})
    assert wrong != st.conclusion
    with replaced(dataclasses.replace(st, conclusion=wrong)):
        outcome = CoqTheorem("ll:thm-fixed-level", part="holder").run()
    assert outcome.status is Status.FAILED
    assert "coqc rejected registry_ll_thm_fixed_level_holder" in outcome.detail


@needs_coq
@pytest.mark.lemma("ll:bridge")
def test_a_removed_hypothesis_fails():
    st = registry().get("ll:bridge")
    weaker = dataclasses.replace(st, hypotheses=st.hypotheses[1:])  # F_A ≤ Λ dropped
    with replaced(weaker):
        outcome = CoqTheorem("ll:bridge").run()
    assert outcome.status is Status.FAILED


@needs_coq
@pytest.mark.lemma("ll:convex-output")
def test_every_automatic_mutant_fails_in_coq():
    # `check --mutate`'s mutants of a statement with a full Coq counterpart: each one
    # (a constant changed, an inequality reversed, a term or a hypothesis dropped) is
    # rejected by the kernel, not only by the sympy/z3 steps
    from proofs_check import mutants

    found = list(mutants(registry().get("ll:convex-output")))
    assert found
    for mutant in found:
        with replaced(mutant.statement):
            outcome = CoqTheorem("ll:convex-output").run()
        assert outcome.status is not Status.PASSED, mutant.id


@needs_coq
def test_an_axiom_is_reported(tmp_path):
    src = tmp_path / "Cheat.v"
    src.write_text(
        "Require Import Reals.\nOpen Scope R_scope.\nAxiom cheat : forall x : R, x = 0.\n"
        "Lemma one_is_zero : 1 = 0. Proof. apply cheat. Qed.\n"
        "Print Assumptions one_is_zero.\n"
    )
    out = subprocess.run([coqc(), "-q", src.name], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout
    axioms, _ = parse_assumptions(out)
    assert "cheat" in axioms and not axioms <= REAL_AXIOMS


# ------------------------------------------- paths (issue 24, part 3): ll:thm-fixed-level


def test_fixed_level_connectivity_is_printed_from_the_registry():
    # the Connected(Ω_m(λ)) conjunct is part of the printed theorem (finite polygonal
    # form), no longer a dropped conclusion
    statement, uncovered = coq_statement(spec("ll:thm-fixed-level"),
                                         registry().get("ll:thm-fixed-level"))
    assert "below (Fp N d m X Y ell kappa) lam (WA, thA) ps" in statement
    assert not any("Connected" in u for u in uncovered)
    st = registry().get("ll:thm-fixed-level")
    no_connected = st.conclusion.replace(
        lambda e: type(e).__name__ == "Connected", lambda e: sp.true)
    with pytest.raises(PrintError, match="used by no part"):
        coq_statement(spec(st.label), dataclasses.replace(st, conclusion=no_connected))


@needs_coq
@pytest.mark.lemma("ll:thm-fixed-level")
def test_fixed_level_with_a_weaker_kappa_fails_to_compile():
    st = registry().get("ll:thm-fixed-level")
    kappa = next(s for s in st.conclusion.free_symbols if s.name == "kappa")
    wrong = st.conclusion.subs(kappa, 2 * kappa)  # κ ≥ L D_X / 2: not what is proved
    assert wrong != st.conclusion
    with replaced(dataclasses.replace(st, conclusion=wrong)):
        outcome = CoqTheorem("ll:thm-fixed-level").run()
    assert outcome.status is Status.FAILED
    assert "coqc rejected registry_ll_thm_fixed_level" in outcome.detail


def test_zero_radius_is_printed_with_its_path():
    statement, uncovered = coq_statement(spec("ll:zero-radius"),
                                         registry().get("ll:zero-radius"))
    assert uncovered == ()
    assert "path_pt (WA, thA) (zr_path m l WA WB Wr thAh thBh thB thr) k t" in statement
    assert "Rmax (Fobj N d l X Y ell kappa Wr thr) (eps + lam)" in statement


@needs_coq
@pytest.mark.lemma("ll:zero-radius")
def test_zero_radius_with_a_smaller_level_fails_to_compile():
    st = registry().get("ll:zero-radius")
    eps = next(s for s in st.conclusion.free_symbols if s.name == "epsilon")
    wrong = st.conclusion.subs(eps, eps / 2)  # max(e(l), λ + ε/2): not what is proved
    assert wrong != st.conclusion
    with replaced(dataclasses.replace(st, conclusion=wrong)):
        outcome = CoqTheorem("ll:zero-radius").run()
    assert outcome.status is Status.FAILED
    assert "coqc rejected registry_ll_zero_radius" in outcome.detail


def test_buffer_permutation_is_the_general_relabeling():
    statement, uncovered = coq_statement(spec("new:buffer-permutation"),
                                         registry().get("new:buffer-permutation"))
    assert "cyc_path b cs (W, th)" in statement and "cycles_ok m b cs" in statement
    assert "INR (length (cyc_all b cs)) <=" in statement  # the transfer count is printed
    assert "(length (cyc_all b cs) <= 3 * length (sigma_ts cs))%nat" in statement
    assert uncovered == ("barrier_m >= 1/2",)


@needs_coq
@pytest.mark.lemma("new:buffer-permutation")
def test_buffer_permutation_with_fewer_transfers_fails_to_compile():
    # m − fix(σ) + cyc(σ)/2 transfers: a cycle of length k takes k + 1, so too few
    st = registry().get("new:buffer-permutation")
    cyc = next(s for s in st.conclusion.free_symbols if s.name == "cyc_sigma")
    wrong = st.conclusion.subs(cyc, cyc / 2)
    assert wrong != st.conclusion
    with replaced(dataclasses.replace(st, conclusion=wrong)):
        outcome = CoqTheorem("new:buffer-permutation").run()
    assert outcome.status is Status.FAILED
    assert "coqc rejected registry_new_buffer_permutation" in outcome.detail


@needs_coq
@pytest.mark.lemma("new:buffer-permutation")
def test_buffer_permutation_without_a_fitting_end_fails():
    # F(θ_σ) = 0 removed: the barrier is no longer 0, and the kernel refuses the theorem
    st = registry().get("new:buffer-permutation")
    weaker = dataclasses.replace(st, hypotheses=st.hypotheses[:1])
    with replaced(weaker):
        outcome = CoqTheorem("new:buffer-permutation").run()
    assert outcome.status is Status.FAILED
