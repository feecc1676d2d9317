"""Kernel-checked finite-sample versions (the `coq` method, `proofs_check._coq`).

One obligation per Coq theorem (`proofs_check.coq._specs.SPECS`; a label may have several
parts, each its own obligation `STEP_<part>`): the
registered statement is printed as a Coq theorem, proved by the hand-written lemma of
`proofs_check/coq/*.v` and checked by `coqc` (no admitted lemma, no axiom beyond the
standard real numbers).
"""

from __future__ import annotations

from functools import partial

from proofs_check._coq import CoqTheorem
from proofs_check._obligation import Obligation, add
from proofs_check.coq._specs import SPECS, STEP

__all__ = ["STEP"]

for _spec in SPECS:
    add(Obligation(_spec.label, _spec.step, partial(CoqTheorem, _spec.label, part=_spec.part)))
