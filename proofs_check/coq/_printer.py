"""Print a registered sympy Statement as the statement of a Coq theorem.

The printer is deliberately small and strict: it knows real arithmetic (+, −, ×, /,
integer powers, √, |·|, max), the relations ≤ < ≥ > =, ∧ and ⇒; every symbol, applied
function and predicate must be *bound* to a Coq term by the statement's `CoqSpec`
(`proofs_check.coq._specs`), or the printer raises `PrintError`. Conjuncts of the
conclusion (and hypotheses) that the finite-sample Coq version does not cover are named in
the spec by a symbol or predicate they mention (`prune`); they are reported as not
kernel-checked, and everything else must print.

Sums and products are printed in an order fixed by the printed text (positive terms
first), not by sympy's internal order, so the output depends only on the expression.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import sympy as sp
from sympy.logic.boolalg import BooleanFunction

#: binding table: sympy text of a symbol / application / predicate → Coq term
Bindings = Mapping[str, str]


class PrintError(ValueError):
    """The statement uses something the printer or the spec's bindings do not cover."""


def _is_infix(term: str) -> bool:
    """Whether a bound Coq term has an operator at top level (then it needs parentheses)."""
    depth = 0
    for i, ch in enumerate(term):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and ch in "+-*/^<>=" and i > 0 and term[i - 1] == " ":
            return True
    return False


def _atom(term: str) -> str:
    return f"({term})" if _is_infix(term) else term


class CoqPrinter:
    """sympy → Coq (Reals, `R_scope`) for one statement's bindings."""

    def __init__(self, bindings: Bindings) -> None:
        self.bindings = dict(bindings)
        self.used: set[str] = set()

    # ------------------------------------------------------------------ terms

    def bound(self, e: sp.Basic) -> str:
        key = str(e)
        if key not in self.bindings:
            raise PrintError(f"no Coq binding for {key!r} ({type(e).__name__})")
        self.used.add(key)
        return self.bindings[key]

    def term(self, e: sp.Basic) -> str:
        """A Coq term; infix results are *not* parenthesized (see `operand`)."""
        if isinstance(e, sp.Symbol | sp.core.function.AppliedUndef):
            return self.bound(e)
        if isinstance(e, sp.Integer):
            return str(int(e)) if e >= 0 else f"- {-int(e)}"
        if isinstance(e, sp.Rational):
            p, q = int(e.p), int(e.q)
            return f"{p} / {q}" if p >= 0 else f"- ({-p} / {q})"
        if isinstance(e, sp.Add):
            return self._add(e)
        if isinstance(e, sp.Mul):
            return self._mul(e)
        if isinstance(e, sp.Pow):
            return self._pow(e)
        if isinstance(e, sp.Abs):
            return f"Rabs {self.arg(e.args[0])}"
        if isinstance(e, sp.Max):
            first, *rest = sorted(self.arg(a) for a in e.args)
            out = first
            for a in rest:
                out = f"Rmax {out if out is first else '(' + out + ')'} {a}"
            return out
        raise PrintError(f"cannot print {type(e).__name__} {e} in Coq")

    def arg(self, e: sp.Basic) -> str:
        """A term as the argument of a function (Rabs, Rmax, sqrt): parenthesized unless
        it is a single identifier or numeral."""
        s = self.term(e)
        return s if s.replace("_", "").replace("'", "").isalnum() else f"({s})"

    def operand(self, e: sp.Basic) -> str:
        """A term as the operand of an infix operator: parenthesized unless atomic (an
        identifier, a numeral or an application)."""
        s = self.term(e)
        if isinstance(e, sp.Symbol | sp.core.function.AppliedUndef):
            return _atom(s)
        if isinstance(e, sp.Integer) and e >= 0:
            return s
        return f"({s})"

    def _add(self, e: sp.Add) -> str:
        pos, neg = [], []
        for t in e.args:
            if t.as_coeff_Mul()[0] < 0:
                neg.append(self._factor_text(-t))
            else:
                pos.append(self._factor_text(t))
        pos.sort()
        neg.sort()
        out = " + ".join(pos) if pos else ""
        for t in neg:
            out = f"{out} - {t}" if out else f"- {t}"
        return out

    def _factor_text(self, t: sp.Basic) -> str:
        """A summand: products and quotients need no parentheses under + and −."""
        if isinstance(t, sp.Add):
            return f"({self.term(t)})"
        return self.term(t) if not isinstance(t, sp.Symbol) else _atom(self.term(t))

    def _mul(self, e: sp.Mul) -> str:
        coeff, factors = e.as_coeff_mul()
        if coeff < 0:
            return f"- {self.operand(-e)}"
        num, den = [], []
        if isinstance(coeff, sp.Rational) and coeff != 1:
            if coeff.p != 1:
                num.append(str(int(coeff.p)))
            if coeff.q != 1:
                den.append(str(int(coeff.q)))
        for f in factors:
            base, ex = f.as_base_exp()
            if ex.is_number and ex.is_negative:
                den.append(self.operand(base ** (-ex)) if ex != -1 else self.operand(base))
            else:
                num.append(self.operand(f))
        num.sort()
        den.sort()
        top = " * ".join(num) if num else "1"
        if not den:
            return top
        bottom = den[0] if len(den) == 1 else "(" + " * ".join(den) + ")"
        return f"{top} / {bottom}"

    def _pow(self, e: sp.Pow) -> str:
        base, ex = e.args
        if ex == sp.Rational(1, 2):
            return f"sqrt {self.arg(base)}"
        if ex == sp.Rational(-1, 2):
            return f"/ sqrt {self.arg(base)}"
        if ex.is_Integer and ex > 0:
            return f"{self.operand(base)} ^ {int(ex)}"
        if ex.is_Integer and ex < 0:
            return f"/ {self.operand(base ** (-ex))}"
        raise PrintError(f"cannot print the power {e} in Coq (only integer exponents and √)")

    # ------------------------------------------------------------- propositions

    _REL: ClassVar[dict[type[sp.core.relational.Relational], str]] = {
        sp.LessThan: "<=", sp.StrictLessThan: "<", sp.GreaterThan: ">=",
        sp.StrictGreaterThan: ">", sp.Equality: "=",
    }

    def prop(self, e: sp.Basic) -> str:
        for cls, op in self._REL.items():
            if isinstance(e, cls):
                return f"{self.term(e.lhs)} {op} {self.term(e.rhs)}"
        if isinstance(e, sp.And):
            return " /\\ ".join(sorted(self.prop_operand(a) for a in e.args))
        if isinstance(e, sp.Implies):
            return f"{self.prop_operand(e.args[0])} -> {self.prop_operand(e.args[1])}"
        if isinstance(e, BooleanFunction | sp.core.function.AppliedUndef):
            return self.bound(e)
        raise PrintError(f"cannot print the proposition {e} in Coq")

    def prop_operand(self, e: sp.Basic) -> str:
        s = self.prop(e)
        return f"({s})" if isinstance(e, sp.And | sp.Implies) or _is_infix(s) else s


def names(e: sp.Basic) -> set[str]:
    """Names of the symbols, applied functions and predicates occurring in `e`."""
    out = {s.name for s in e.free_symbols if isinstance(s, sp.Symbol)}
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.core.function.AppliedUndef | BooleanFunction) and not isinstance(
            node, sp.And | sp.Or | sp.Not | sp.Implies
        ):
            out.add(type(node).__name__)
    return out


def prune(e: sp.Basic, keys: set[str], dropped: list[str]) -> sp.Basic | None:
    """`e` without the conjuncts that mention a name in `keys` (appending their sympy text
    to `dropped`); descends into ∧ and into the conclusion of ⇒. None if nothing is left."""
    if not isinstance(e, sp.And | sp.Implies) and names(e) & keys:
        dropped.append(str(e))
        return None
    if isinstance(e, sp.And):
        kept = [k for a in e.args if (k := prune(a, keys, dropped)) is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else sp.And(*kept, evaluate=False)
    if isinstance(e, sp.Implies):
        body = prune(e.args[1], keys, dropped)
        return None if body is None else sp.Implies(e.args[0], body, evaluate=False)
    return e
