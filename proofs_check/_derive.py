"""Assembly obligations that derive a conclusion from what is established, not from copies.

An assembly obligation (a statement's ``*_conclusion_derived`` or ``*_assembly`` step) may
combine only four kinds of input, each named by where it comes from:

- the statement's own hypotheses (`premise`);
- `used(label)`: the *registered result* of a statement in the `uses` of this one,
  hypotheses ⇒ conclusion, read from the registry (so a changed used statement changes
  the derivation); a use outside `uses` fails the check;
- `from_step(label, step)`: the claim a step of this statement proves, extracted from
  that step's own method (`claim_of`) and required to have passed in this run;
- definitions ``Eq(C, expr)`` of a new constant named C or C_… (the statement's "for
  some constant C"), occurring in no other input;
- `Assumption` records (`assume`): a fact that no obligation proves, with the reason
  (e.g. "Heine–Borel, not encoded"). They are reported by ``relu-landscape check`` with
  status ``assumed`` and make the statement "checked modulo N assumptions".

`Derivation` is the z3 check over these inputs. `asserted_conclusions(obligation)` is the
detector a test runs over every obligation: it reports a z3 check whose goal is (part of)
the registered conclusion while a fact given to it is neither a hypothesis of the
statement nor one of the inputs above — a conclusion resting on a fact asserted in the
same obligation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from proofs_check._outcome import Outcome, Status
from proofs_check._reads import conclusion, hypotheses, recording
from proofs_check._z3 import Z3Valid
from theory import registry
from theory.errors import InvalidArgumentError
from theory.symbols import is_predicate

#: step names of the assembly layer: the step that composes a statement's conclusion
ASSEMBLY_STEP = re.compile(r"conclusion_derived|assembly")
#: the symbols a definition may name: the statements' "for some constant C" (C, C_h, …),
#: never a quantity the conclusion bounds (a definition of 𝔟 would prove anything)
CONSTANT = re.compile(r"^C(_[A-Za-z0-9]+)?$")

def _parts(e: sp.Basic) -> list[sp.Basic]:
    return list(e.args) if isinstance(e, sp.And) else [e]


def no_holder(part: sp.Basic) -> bool:
    """`keep` for `used`: drop the Hölder clause (its powers ^{1+α} are opaque to z3)."""
    from theory.symbols import HolderDerivative

    return not part.has(HolderDerivative)


# ----------------------------------------------------------------------- assumptions


@dataclass(frozen=True)
class Assumption:
    """A fact the proof of `label` uses and no obligation proves (`status: assumed`)."""

    label: str
    name: str
    fact: sp.Basic = field(compare=False)
    reason: str = ""

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise InvalidArgumentError(f"assumption {self.label} / {self.name} needs a reason")

    def as_record(self) -> dict[str, Any]:
        """The record ``check --json`` lists next to the obligations' results."""
        return {
            "label": self.label,
            "step": self.name,
            "method": "assumption",
            "status": "assumed",
            "expect": "assumption",
            "detail": self.reason,
            "fact": str(self.fact),
            "explanation": "",
            "counterexample": None,
            "reads_conclusion": False,
            "seconds": 0.0,
        }


_ASSUMPTIONS: dict[tuple[str, str], Assumption] = {}


def assume(label: str, name: str, fact: sp.Basic, reason: str) -> Assumption:
    """Record the assumption `name` of `label` (at import of a steps module)."""
    new = Assumption(label, name, sp.sympify(fact), reason)
    old = _ASSUMPTIONS.get((label, name))
    if old is not None and (old.fact != new.fact or old.reason != new.reason):
        raise InvalidArgumentError(f"assumption {label} / {name} is recorded twice")
    _ASSUMPTIONS[(label, name)] = new
    return new


def assumptions(labels: Iterable[str] | None = None) -> list[Assumption]:
    """Every recorded assumption (of `labels` if given), in registry order."""
    from proofs_check._obligation import obligations

    obligations()  # imports the steps modules, which record the assumptions
    order = {label: i for i, label in enumerate(registry().labels())}
    wanted = None if labels is None else set(labels)
    chosen = [a for a in _ASSUMPTIONS.values() if wanted is None or a.label in wanted]
    return sorted(chosen, key=lambda a: (order.get(a.label, len(order)), a.name))


def assumptions_by_label(labels: Iterable[str] | None = None) -> dict[str, list[Assumption]]:
    out: dict[str, list[Assumption]] = {}
    for a in assumptions(labels):
        out.setdefault(a.label, []).append(a)
    return out


# ------------------------------------------------------------ results of this run

#: (label, step) → status of the obligations checked so far in this run
_RUN: ContextVar[dict[tuple[str, str], Status] | None] = ContextVar("_RUN", default=None)


@contextmanager
def one_run() -> Iterator[dict[tuple[str, str], Status]]:
    """Inside the block, every checked obligation's status is kept for `from_step`."""
    done: dict[tuple[str, str], Status] = {}
    token = _RUN.set(done)
    try:
        yield done
    finally:
        _RUN.reset(token)


def note_result(label: str, step: str, status: Status) -> None:
    done = _RUN.get()
    if done is not None:
        done[(label, step)] = status


def _step_status(label: str, step: str) -> Status:
    """The status of step `step` of `label` in this run (checked now if not yet)."""
    done = _RUN.get()
    if done is not None and (label, step) in done:
        return done[(label, step)]
    from proofs_check._obligation import obligations

    found = [o for o in obligations([label]) if o.step == step]
    if not found:
        return Status.FAILED
    return found[0].check().status


# ------------------------------------------------------------------------ claims


def claim_of(method: Any) -> sp.Basic | None:
    """What `method` proves when it passes, as a sympy boolean (None: nothing extractable).

    z3: hypotheses ⇒ conclusion; sympy identity: lhs = rhs; sympy inequality: the
    relation; sympy limit: lim = value; all of: the conjunction of its parts' claims;
    a derivation: its inputs ⇒ its goal. A claim keeps the method's symbols, so their
    declared assumptions (positive, integer, …) still hold where it is used.
    """
    from proofs_check._sympy_methods import AllOf, SympyIdentity, SympyInequality, SympyLimit

    if isinstance(method, Derivation):
        return _implication(method.facts(), method.goal)
    if isinstance(method, Z3Valid):
        return _implication(list(method.hypotheses), method.conclusion)
    if isinstance(method, SympyIdentity):
        return sp.Eq(method.lhs, method.rhs, evaluate=False)
    if isinstance(method, SympyInequality):
        return method.relation
    if isinstance(method, SympyLimit):
        return sp.Eq(sp.Limit(method.expr, method.var, method.point), method.expected,
                     evaluate=False)
    if isinstance(method, AllOf):
        parts = [c for c in (claim_of(p) for p in method.parts) if c is not None]
        return sp.And(*parts) if parts else None
    return None


def _implication(hyps: Sequence[sp.Basic], goal: sp.Basic) -> sp.Basic:
    return sp.Implies(sp.And(*hyps), goal) if hyps else goal


def _guard(sym: sp.Symbol, value: sp.Basic) -> list[sp.Basic]:
    """What `sym`'s declared assumptions ask of the `value` put in its place."""
    if sym.is_integer and not sp.sympify(value).is_integer:
        raise InvalidArgumentError(f"integer symbol {sym} instantiated by {value}")
    if sym.is_positive:
        return [sp.Gt(value, 0)]
    if sym.is_nonnegative:
        return [sp.Ge(value, 0)]
    if sym.is_negative:
        return [sp.Lt(value, 0)]
    return []


def instantiate(claim: sp.Basic, subs: dict | None) -> sp.Basic:
    """`claim` (valid for every value of its symbols) at `subs`, guarded by the symbols'
    declared assumptions (a positive symbol's value must be positive, …)."""
    if not subs:
        return claim
    guards = [g for s, v in subs.items() for g in _guard(s, v)]
    body = claim.xreplace(subs)
    return sp.Implies(sp.And(*guards), body) if guards else body


@dataclass(frozen=True)
class Used:
    """The registered result of `label`, a statement the proof uses."""

    label: str
    fact: sp.Basic


@dataclass(frozen=True)
class StepClaim:
    """The claim of step `step` of the statement being derived (its method's `claim_of`)."""

    label: str
    step: str
    fact: sp.Basic


def used(label: str, subs: dict | None = None, keep: Any = None) -> Used:
    """The registered result hypotheses ⇒ conclusion of `label`, read from the registry,
    instantiated at `subs` (sound: the result holds for every value of its symbols);
    `keep(part)` chooses the conjuncts of the conclusion to keep (a weaker result, e.g.
    without a Hölder clause z3 cannot translate)."""
    concl = conclusion(label)
    if keep is not None:
        concl = sp.And(*(p for p in _parts(concl) if keep(p)))
    result = _implication(list(hypotheses(label)), concl)
    return Used(label, instantiate(result, subs))


def from_step(label: str, step: str, subs: dict | None = None) -> StepClaim:
    """The claim of step `step` of `label`, extracted from its method (`claim_of`)."""
    from proofs_check._obligation import obligations

    found = [o for o in obligations([label]) if o.step == step]
    if not found:
        raise InvalidArgumentError(f"{label} has no step {step}")
    claim = claim_of(found[0].build())
    if claim is None:
        raise InvalidArgumentError(f"{label} / {step}: its method has no extractable claim")
    return StepClaim(label, step, instantiate(claim, subs))


def step_goal(label: str, step: str) -> sp.Basic:
    """The goal (the right of ⇒) of the z3 check of step `step` of `label`."""
    from proofs_check._obligation import obligations

    method = next(o for o in obligations([label]) if o.step == step).build()
    if isinstance(method, Derivation):
        return method.goal
    for z in _z3_checks(method):
        return z.conclusion
    raise InvalidArgumentError(f"{label} / {step} has no z3 check")


@dataclass(frozen=True)
class Derivation:
    """premise ∧ used results ∧ step claims ∧ assumptions ⇒ `goal` (z3), where every
    used label is in `uses` of `label` and every cited step passed in this run."""

    label: str
    goal: sp.Basic
    premise: tuple[sp.Basic, ...] = ()
    results: tuple[Used, ...] = ()
    steps: tuple[StepClaim, ...] = ()
    assumed: tuple[Assumption, ...] = ()
    #: ``Eq(c, expr)``: names a new constant c (the statement's "for some C"); c must not
    #: occur in `expr` nor in any other input, so a definition asserts nothing
    definitions: tuple[sp.Eq, ...] = ()
    timeout_ms: int = 20_000
    name: str = "z3"

    def facts(self) -> list[sp.Basic]:
        return [*self.premise, *(u.fact for u in self.results), *(s.fact for s in self.steps),
                *(a.fact for a in self.assumed), *self.definitions]

    def _bad_definition(self) -> str | None:
        others = set().union(*(f.free_symbols for f in self.facts()
                               if f not in self.definitions))
        seen: set[sp.Basic] = set()
        for d in self.definitions:
            c = d.lhs if isinstance(d, sp.Eq) else None
            if not isinstance(c, sp.Symbol) or not CONSTANT.match(c.name):
                return f"{d} does not define a constant C, C_…"
            if c in d.rhs.free_symbols or c in others | seen:
                return f"{d} does not name a new constant"
            seen.add(c)
            guards = _guard(c, d.rhs)
            if guards and Z3Valid(self.facts()[:-len(self.definitions)],
                                  sp.And(*guards)).run().status is not Status.PASSED:
                return f"{d}: the value does not meet {c}'s declared assumptions"
        return None

    def run(self) -> Outcome:
        uses = registry().get(self.label).uses
        outside = [u.label for u in self.results if u.label not in uses]
        if outside:
            return Outcome.failed(f"{self.label} does not use {', '.join(outside)}")
        for s in self.steps:
            if s.label != self.label:
                return Outcome.failed(f"{s.label} / {s.step} is not a step of {self.label}")
            status = _step_status(s.label, s.step)
            if status is not Status.PASSED:
                return Outcome.failed(f"cited step {s.step} did not pass in this run ({status})")
        foreign = [a.name for a in self.assumed
                   if a.label != self.label or _ASSUMPTIONS.get((a.label, a.name)) != a]
        if foreign:
            return Outcome.failed(f"unrecorded assumption(s) {', '.join(foreign)}")
        bad = self._bad_definition()
        if bad:
            return Outcome.failed(bad)
        outcome = Z3Valid(self.facts(), self.goal, self.timeout_ms).run()
        inputs = [f"{len(self.premise)} hypotheses"]
        inputs += [f"{u.label}'s result" for u in self.results]
        inputs += [s.step for s in self.steps]
        if self.assumed:
            inputs.append(f"{len(self.assumed)} assumption(s): "
                          + ", ".join(a.name for a in self.assumed))
        detail = f"{outcome.detail}; from " + ", ".join(inputs)
        return Outcome(outcome.status, detail, outcome.counterexample)


def derivation(label: str, goal: sp.Basic | None = None, *, results: Sequence[Used] = (),
               steps: Sequence[StepClaim] = (), assumed: Sequence[Assumption] = (),
               definitions: Sequence[sp.Eq] = ()) -> Derivation:
    """A `Derivation` of `goal` (the registered conclusion of `label` if None) from the
    statement's hypotheses and the given inputs."""
    return Derivation(label, conclusion(label) if goal is None else goal,
                      tuple(hypotheses(label)), tuple(results), tuple(steps), tuple(assumed),
                      tuple(definitions))


# ------------------------------------------------------------------------ detector


def _predicates(e: sp.Basic) -> set[sp.Basic]:
    return {x for x in sp.preorder_traversal(e) if is_predicate(x)}


def _z3_checks(method: Any) -> Iterator[Z3Valid]:
    from proofs_check._sympy_methods import AllOf

    if isinstance(method, AllOf):
        for p in method.parts:
            yield from _z3_checks(p)
    elif isinstance(method, Z3Valid):
        yield method


def _concerns(goal: sp.Basic, registered: sp.Basic) -> bool:
    """Whether a z3 goal is (part of) the registered conclusion, or speaks of one of its
    predicates (Connected, GlobalMin, …: opaque atoms only a fact can establish)."""
    reg_parts = set(_parts(registered))
    if goal == registered or reg_parts & set(_parts(goal)):
        return True
    return bool(_predicates(goal) & _predicates(registered))


def asserted_conclusions(label: str, method: Any) -> list[str]:
    """Why `method` (an obligation of `label`) rests its conclusion on asserted facts:
    one line per z3 check whose goal concerns the registered conclusion of `label` and
    which is given a fact that is neither a hypothesis of `label` nor an input of a
    `Derivation` (a used result, a step's claim, a recorded assumption). Empty: sound."""
    registered = conclusion(label)
    premise = set(hypotheses(label))
    problems = []
    for z in _z3_checks(method):
        if not _concerns(z.conclusion, registered):
            continue
        asserted = [h for h in z.hypotheses if h not in premise]
        if not asserted:
            continue
        goal_parts = set(_parts(z.conclusion)) | _predicates(z.conclusion)
        verbatim = [p for p in goal_parts
                    if any(p == h or p in set(sp.preorder_traversal(h)) for h in asserted)]
        why = f"z3 derives {z.conclusion} from {len(asserted)} fact(s) asserted in the step"
        if verbatim:
            why += "; goal part(s) appear verbatim among them: " + ", ".join(map(str, verbatim))
        problems.append(why)
    return problems


def obligation_problems(ob: Any) -> list[str]:
    """`asserted_conclusions` of an obligation that reads its own registered conclusion."""
    with recording() as reads:
        method = ob.build()
    if (ob.label, "conclusion") not in reads:
        return []
    return asserted_conclusions(ob.label, method)
