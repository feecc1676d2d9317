"""Generate the Coq file of one statement from its registered sympy `Statement`.

The file states the theorem (binders, the finite-sample setting, the printed sympy
hypotheses, the printed sympy conclusion minus the parts the spec declares uncovered),
proves it by applying `<lemma>` (the hand-written proof: its conclusion must unify, up to
conversion, with the printed conclusion, and each of its hypotheses must be one of the
printed premises) and prints its assumptions. So a changed constant, a reversed
inequality, a dropped term or a dropped hypothesis the proof needs fails in the kernel; a
registry hypothesis the proof does not need is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from proofs_check.coq._printer import CoqPrinter, PrintError, names, prune
from proofs_check.coq._specs import CoqSpec
from theory import Statement

#: the development's modules in compile order (also `proofs_check/coq/_CoqProject`)
LIBRARY = (
    "Sums", "Model", "Statements", "Sampling", "Variance", "GoodDraw", "Permutation", "Paths",
    "FixedLevel", "ZeroRadius", "Relabel",
    "SamplingHolder", "Dimfree", "FixedRate", "Finite",
)


@dataclass(frozen=True)
class Generated:
    label: str
    theorem: str
    module: str
    statement: str  # the Coq statement (type of the theorem)
    text: str  # the whole .v file
    uncovered: tuple[str, ...]  # conclusion parts not kernel-checked
    part: str = ""  # the spec's part ("" the label's main theorem)


def coq_statement(spec: CoqSpec, st: Statement) -> tuple[str, tuple[str, ...]]:
    """The Coq type of `spec.theorem` printed from `st`, and the uncovered conclusion parts."""
    if st.label != spec.label:
        raise PrintError(f"spec {spec.label} given the statement {st.label}")
    printer = CoqPrinter(spec.bindings)
    hypotheses, conclusion = _specialized(spec, st)
    hyps = []
    for h in hypotheses:
        if names(h) & set(spec.drop_hypotheses) or h is sp.true:
            continue  # a dropped hypothesis only makes the Coq theorem stronger
        hyps.append(printer.prop(h))
    dropped: list[str] = []
    covered = prune(conclusion, set(spec.drop_conclusion), dropped)
    if covered is None:
        raise PrintError(f"{st.label}: the spec leaves no part of the conclusion to prove")
    concl = printer.prop(covered)
    if spec.extra:
        head = f"({concl})" if isinstance(covered, sp.And | sp.Implies) else concl
        concl = " /\\ ".join([head, *(f"({e})" for e in spec.extra)])
    unused = sorted(set(spec.bindings) - printer.used)
    if unused:
        raise PrintError(f"{st.label}: bindings {unused} are used by no part of the statement")
    premises = [f"({h})" if h.startswith("forall") else h for h, _ in spec.setting] + hyps
    lines = [f"forall {spec.binders},"]
    lines += [f"  {p} ->" for p in premises]
    lines.append(f"  {concl}")
    return "\n".join(lines), tuple(sorted(dropped))


def _specialized(spec: CoqSpec, st: Statement) -> tuple[tuple[sp.Basic, ...], sp.Basic]:
    """The statement's hypotheses and conclusion at the spec's parameter values."""
    if not spec.specialize:
        return tuple(st.hypotheses), st.conclusion
    exprs = (*st.hypotheses, st.conclusion)
    found = {s for e in exprs for s in e.free_symbols if isinstance(s, sp.Symbol)}
    subs = {s: sp.Integer(spec.specialize[s.name]) for s in found if s.name in spec.specialize}
    missing = set(spec.specialize) - {s.name for s in subs}
    if missing:
        raise PrintError(f"{st.label}: specialized symbols {sorted(missing)} do not occur")
    out = tuple(e.subs(subs) for e in exprs)
    if any(e is sp.false for e in out):
        raise PrintError(f"{st.label}: a part is false at {spec.specialize}")
    return out[:-1], out[-1]


def generate(spec: CoqSpec, st: Statement) -> Generated:
    statement, uncovered = coq_statement(spec, st)
    head = (
        f"(* Generated from the registered statement {st.label} by proofs_check.coq; "
        "do not edit. *)"
    )
    text = "\n".join([
        head,
        "Require Import Reals List.",
        "Require Import " + " ".join(f"RL.{name}" for name in LIBRARY) + ".",
        "Open Scope R_scope.",
        "",
        f"Theorem {spec.theorem} :",
        _indent(statement) + ".",
        f"Proof. intros; eapply {spec.lemma}; eassumption. Qed.",
        "",
        f"Print Assumptions {spec.theorem}.",
        "",
    ])
    return Generated(st.label, spec.theorem, spec.module, statement, text, uncovered, spec.part)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())

