"""Kernel-checked finite-sample versions (the `coq` method, `proofs_check._coq`).

One obligation per statement with a Coq version (`proofs_check.coq._specs.SPECS`): the
registered statement is printed as a Coq theorem, proved by the hand-written lemma of
`proofs_check/coq/*.v` and checked by `coqc` (no admitted lemma, no axiom beyond the
standard real numbers).
"""

from __future__ import annotations

from functools import partial

from proofs_check._coq import CoqTheorem
from proofs_check._obligation import Obligation, add
from proofs_check.coq._specs import SPECS

STEP = "kernel_checked_finite_version"

for _spec in SPECS:
    add(Obligation(_spec.label, STEP, partial(CoqTheorem, _spec.label)))
