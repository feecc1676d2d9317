"""Machine checks of proof steps: sympy identities and inequalities, z3, certified intervals.

Main definitions: `Obligation` (a named step of a statement's proof), `Expect` (proof,
expected refutation, recorded defect), the methods `SympyIdentity`, `SympyInequality`,
`SympyLimit`, `Z3Valid`, `Z3Witness`, `IntervalBound`, `AllOf`, `SameClaim` (the
registered claim is the one the proof derives), `Derivation` (an assembly step from the
used statements' registered results, its own checked steps and recorded `Assumption`s:
`used`, `from_step`, `assume`, `derivation`), and `run_checks`. Obligations read the
registry through `proofs_check._reads` (`conclusion(label)`, `hypotheses(label)`: a
step that reads the registered statement, so a changed statement changes the check);
``check --mutate`` is `proofs_check._mutate`.
"""

from theory.lazy import lazy_exports

# Loaded on first use (PEP 562): `relu-landscape` imports `proofs_check` at startup
# and must not pay for sympy, z3 and flint before it has checked its arguments.
_WHERE = {
    "Assumption": "proofs_check._derive",
    "Derivation": "proofs_check._derive",
    "assume": "proofs_check._derive",
    "assumptions": "proofs_check._derive",
    "assumptions_by_label": "proofs_check._derive",
    "coqchk_recheck": "proofs_check._coqchk:recheck",
    "write_coqdoc": "proofs_check._coqchk",
    "compare_coq_graph": "proofs_check._coqgraph:compare",
    "derivation": "proofs_check._derive",
    "from_step": "proofs_check._derive",
    "used": "proofs_check._derive",
    "IntervalBound": "proofs_check._intervals",
    "enclose": "proofs_check._intervals",
    "Expect": "proofs_check._obligation",
    "Obligation": "proofs_check._obligation",
    "Result": "proofs_check._obligation",
    "add": "proofs_check._obligation",
    "obligation": "proofs_check._obligation",
    "obligations": "proofs_check._obligation",
    "Outcome": "proofs_check._outcome",
    "Status": "proofs_check._outcome",
    "run_checks": "proofs_check._runner",
    "failing": "proofs_check._runner",
    "not_run_lines": "proofs_check._runner",
    "TOOLS": "proofs_check._tools",
    "kernel_record": "proofs_check._coq",
    "conclusion": "proofs_check._reads",
    "hypotheses": "proofs_check._reads",
    "render_json": "proofs_check._runner",
    "render_table": "proofs_check._runner",
    "AllOf": "proofs_check._sympy_methods",
    "SympyIdentity": "proofs_check._sympy_methods",
    "SympyInequality": "proofs_check._sympy_methods",
    "SympyLimit": "proofs_check._sympy_methods",
    "SameClaim": "proofs_check._sympy_methods",
    "Z3Valid": "proofs_check._z3",
    "Z3Witness": "proofs_check._z3",
    "MutationReport": "proofs_check._mutate",
    "mutants": "proofs_check._mutate",
    "render_mutations": "proofs_check._mutate",
    "run_mutations": "proofs_check._mutate",
    "to_z3": "proofs_check._z3",
}

__all__ = [
    "TOOLS",
    "AllOf",
    "Assumption",
    "Derivation",
    "Expect",
    "IntervalBound",
    "MutationReport",
    "Obligation",
    "Outcome",
    "Result",
    "SameClaim",
    "Status",
    "SympyIdentity",
    "SympyInequality",
    "SympyLimit",
    "Z3Valid",
    "Z3Witness",
    "add",
    "assume",
    "assumptions",
    "assumptions_by_label",
    "compare_coq_graph",
    "conclusion",
    "coqchk_recheck",
    "derivation",
    "enclose",
    "failing",
    "from_step",
    "hypotheses",
    "kernel_record",
    "mutants",
    "not_run_lines",
    "obligation",
    "obligations",
    "render_json",
    "render_mutations",
    "render_table",
    "run_checks",
    "run_mutations",
    "to_z3",
    "used",
    "write_coqdoc",
]


__getattr__, __dir__ = lazy_exports("proofs_check", _WHERE, globals())
