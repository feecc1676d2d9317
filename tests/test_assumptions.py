"""No conclusion rests on a fact asserted in its own obligation; unproved facts are
`assumed` records (issue 24)."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from experiments.cli import main
from proofs_check import AllOf, Obligation, Status, Z3Valid, obligations
from proofs_check._derive import (
    Assumption,
    Derivation,
    asserted_conclusions,
    assumptions,
    claim_of,
    derivation,
    from_step,
    obligation_problems,
    used,
)
from proofs_check._reads import conclusion, premise
from theory import registry


def test_no_obligation_rests_its_conclusion_on_asserted_facts():
    problems = {f"{o.label} / {o.step}": obligation_problems(o) for o in obligations()}
    bad = {k: v for k, v in problems.items() if v}
    assert not bad, "\n".join(f"{k}: {v[0]}" for k, v in bad.items())


def _old_prop22_step_11():
    """fb:prop-2.2 step 11 as it was: z3 over facts typed in the obligation itself."""
    from proofs_check.steps import fb_prop_2_2 as fb

    facts = [a.fact for a in fb._PROP22_ASSUMED]
    return AllOf((Z3Valid([*premise("fb:prop-2.2"), *facts], conclusion("fb:prop-2.2")),))


def test_detector_flags_the_old_vacuous_step():
    # negative control: the pre-issue-24 form of fb:prop-2.2 step 11 passes z3, and the
    # detector reports it, naming the predicates asserted verbatim
    old = _old_prop22_step_11()
    assert old.run().status is Status.PASSED
    problems = asserted_conclusions("fb:prop-2.2", old)
    assert problems and "verbatim" in problems[0] and "Connected" in problems[0]
    # wrapped as a registered obligation, the test above would fail on it
    ob = Obligation("fb:prop-2.2", "step_11_old_form", _old_prop22_step_11)
    assert obligation_problems(ob)


def test_detector_passes_the_same_facts_as_recorded_assumptions():
    from proofs_check.steps import fb_prop_2_2 as fb

    new = derivation("fb:prop-2.2", assumed=fb._PROP22_ASSUMED)
    assert asserted_conclusions("fb:prop-2.2", new) == []
    assert new.run().status is Status.PASSED
    # and without them the conclusion does not follow: the assumptions carry it
    assert derivation("fb:prop-2.2").run().status is Status.FAILED


def test_a_derivation_cites_only_what_it_may():
    # a result of a statement outside `uses`
    stray = Derivation("ll:pruning", sp.true, results=(used("ll:thm-finite"),))
    out = stray.run()
    assert out.status is Status.FAILED and "does not use" in out.detail
    # an assumption not recorded for the statement
    fake = Assumption("ll:pruning", "invented", sp.true, "made up in a test")
    out = Derivation("ll:pruning", sp.true, assumed=(fake,)).run()
    assert out.status is Status.FAILED and "unrecorded" in out.detail


def test_a_step_claim_is_what_the_step_proves():
    x, y = sp.symbols("x_t y_t", positive=True)
    claim = claim_of(Z3Valid([x <= y], x <= y + 1))
    assert claim == sp.Implies(x <= y, x <= y + 1)
    # the registered result of a used statement is its hypotheses ⇒ conclusion
    stmt = registry().get("ll:pruning")
    assert used("ll:pruning").fact == sp.Implies(sp.And(*stmt.hypotheses), stmt.conclusion)
    # a cited step's claim comes from its method; a step with none is refused
    with pytest.raises(Exception, match="no step"):
        from_step("ll:pruning", "step_99_missing")


def test_every_assumption_has_a_reason_and_a_registered_label():
    records = assumptions()
    assert records, "no assumption is recorded"
    labels = set(registry().labels())
    for a in records:
        assert a.label in labels and a.reason.strip() and a.as_record()["status"] == "assumed"


def test_check_lists_the_assumptions(capsys):
    assert main(["check", "fb:prop-2.2", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assumed = [r for r in records if r["status"] == "assumed"]
    assert assumed and all(r["method"] == "assumption" and r["detail"] for r in assumed)
    assert main(["check", "fb:prop-2.2"]) == 0
    out = capsys.readouterr().out
    assert f"fb:prop-2.2: checked modulo {len(assumed)} assumptions" in out


def test_a_definition_names_only_a_new_constant():
    from theory.statements import ll
    from theory.symbols import D_X, L, R_low, kappa, l, lam

    zero_branch = sp.Max(L * D_X - kappa, 0) * l * (lam - R_low) / kappa
    # C is declared positive; the pruning constant is 0 when κ ≥ L D_X: refused
    bad = Derivation("ll:thm-fixed-level", sp.true, definitions=(sp.Eq(ll.C, zero_branch),))
    out = bad.run()
    assert out.status is Status.FAILED and "declared assumptions" in out.detail
    # the negative control: with C > 0, Eq(C, constant) alone made the κ ≥ L D_X branch
    # of ll:thm-fixed-level follow from nothing (the old assembly's vacuity)
    registered = conclusion("ll:thm-fixed-level")
    branch = next(p for p in registered.args if isinstance(p, sp.Implies)
                  and p.args[0] == (kappa >= L * D_X))
    assert Z3Valid([sp.Eq(ll.C, zero_branch)], branch).run().status is Status.PASSED
    # a quantity the conclusion bounds cannot be "defined"
    from theory.statements.ll import thickening

    out = Derivation("ll:thm-fixed-level", sp.true,
                     definitions=(sp.Eq(thickening, 0),)).run()
    assert out.status is Status.FAILED and "constant" in out.detail
    # nor a constant that occurs in its own value
    out = Derivation("ll:thm-fixed-level", sp.true,
                     definitions=(sp.Eq(ll.C, ll.C + 1, evaluate=False),)).run()
    assert out.status is Status.FAILED and "new constant" in out.detail


def test_a_cited_step_must_pass_in_this_run():
    from proofs_check._derive import StepClaim, note_result, one_run

    step = "step_1_l1_bound"
    claim = from_step("ll:attainment", step)
    assert isinstance(claim, StepClaim)
    with one_run():
        note_result("ll:attainment", step, Status.FAILED)
        out = Derivation("ll:attainment", sp.true, steps=(claim,)).run()
    assert out.status is Status.FAILED and "did not pass" in out.detail
    with one_run():
        note_result("ll:attainment", step, Status.PASSED)
        assert Derivation("ll:attainment", sp.true, steps=(claim,)).run().status is Status.PASSED


def test_assumptions_are_recorded_at_import():
    # the listing does not depend on which obligations were built before
    before = {(a.label, a.name) for a in assumptions()}
    for ob in obligations():
        ob.build()
    assert {(a.label, a.name) for a in assumptions()} == before


def test_an_assumption_carries_its_conclusion():
    # dropping any one recorded assumption of fb:prop-2.2 breaks its derivation: each is
    # used, none is decoration
    from proofs_check.steps import fb_prop_2_2 as fb

    for i in range(len(fb._PROP22_ASSUMED)):
        rest = fb._PROP22_ASSUMED[:i] + fb._PROP22_ASSUMED[i + 1:]
        assert derivation("fb:prop-2.2", assumed=rest).run().status is Status.FAILED
