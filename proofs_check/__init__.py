"""Machine checks of proof steps: sympy identities and inequalities, z3, certified intervals.

Main definitions: `Obligation` (a named step of a statement's proof), `Expect` (proof,
expected refutation, recorded defect), the methods `SympyIdentity`, `SympyInequality`,
`SympyLimit`, `Z3Valid`, `IntervalBound`, `AllOf`, and `run_checks`.
"""

from proofs_check._intervals import IntervalBound, enclose
from proofs_check._obligation import Expect, Obligation, Result, add, obligation, obligations
from proofs_check._outcome import Outcome, Status
from proofs_check._runner import run_checks
from proofs_check._sympy_methods import AllOf, SympyIdentity, SympyInequality, SympyLimit
from proofs_check._z3 import Z3Valid, to_z3

__all__ = [
    "AllOf",
    "Expect",
    "IntervalBound",
    "Obligation",
    "Outcome",
    "Result",
    "Status",
    "SympyIdentity",
    "SympyInequality",
    "SympyLimit",
    "Z3Valid",
    "add",
    "enclose",
    "obligation",
    "obligations",
    "run_checks",
    "to_z3",
]
