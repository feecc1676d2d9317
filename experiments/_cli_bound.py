"""`relu-landscape bound`: the smallest width m whose certified ε(m) is ≤ a target.

One row per bound of `theory.rates.RATES`. Each width is decided by arb interval
arithmetic at exact rational inputs (`theory.rates.smallest_width`). The bounds are on
the sublevel thickening 𝔟_m(λ) at λ = λ̄ = --level, with ā = (λ − R̲)/κ (ll:l1-control) on
every row, Hölder rows included (R̲ = --lower, default 0 for nonnegative losses). The
(e(l) − λ)₊ term of ll:thm-dimfree is left out: it is 0 exactly when λ ≥ e(l), which
the calculator cannot know (l = ⌊m/2⌋ for the moving-level rows as in
ll:cor-moving-level, l = --ref-width for the fixed-l rows). So every row states that
hypothesis (`hypothesis`, the table's "holds if" column) at its own l: for a moving-level
row at width m it is λ ≥ e(⌊m/2⌋), stronger than ll:cor-moving-level's λ_m ≥ e(m).
"""

from __future__ import annotations

import argparse
import json

from experiments._cli_common import Refused

HELP = "smallest width m with certified energy-gap bound ε(m) ≤ target, per bound"

_CAVEAT = (
    "the (e(l) − λ)₊ term of ll:thm-dimfree is not included: it vanishes when λ ≥ e(l) "
    "(l = ⌊m/2⌋ for moving-level rows, l = --ref-width otherwise); the calculator cannot "
    "know e(l), so each width holds only under its row's hypothesis ('holds if'): "
    "λ ≥ e(⌊m/2⌋) at that width m for the moving-level rows (stronger than "
    "ll:cor-moving-level's λ_m ≥ e(m)), λ ≥ e(l) for the fixed-l rows"
)


def _hypothesis(rate, params, width: int) -> str:
    """The condition under which the row's ε(width) bounds the barrier: λ ≥ e(l)."""
    from theory.symbols import l

    if rate.reference == "fixed":
        return f"λ ≥ e({params[l]})"
    if rate.reference == "⌊m/2⌋":
        return f"λ ≥ e({width // 2})"
    return f"λ ≥ e(l), l = {rate.reference}"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--loss", required=True, help="catalogue loss name, e.g. bce_logit")
    parser.add_argument("--kappa", type=float, required=True, help="ℓ1 penalty κ > 0")
    parser.add_argument("--dx", type=float, required=True,
                        help="data scale D_X = sqrt(‖E XXᵀ‖_op) > 0")
    parser.add_argument("--level", type=float, required=True, help="level λ (= λ̄)")
    parser.add_argument("--lower", type=float, default=None,
                        help="risk lower bound R̲ ≤ λ (default 0 for nonnegative losses); "
                        "every row uses it: ā = (λ − R̲)/κ")
    parser.add_argument("--target", type=float, required=True, help="target gap ε > 0")
    parser.add_argument("--n", type=int, default=None,
                        help="input dimension (augmented), for the dimension-dependent bounds")
    parser.add_argument("--ref-width", type=int, default=1, dest="ref_width",
                        help="fixed reference width l of the fixed-l bounds (default 1)")
    parser.add_argument("--json", action="store_true", help="emit a JSON object")


def _row(rate, inputs, target) -> dict:
    from theory.rates import WidthOutOfRangeError, certified_value, smallest_width
    from theory.symbols import l, n

    exponent = rate.exponent if inputs.n is None else rate.exponent.subs(n, inputs.n)
    row = {
        "bound": rate.name, "label": rate.label, "needs": str(rate.needs),
        "order": f"m^-({exponent})", "l": None, "width": None,
        "epsilon_upper": None, "epsilon_enclosure": None, "hypothesis": None,
        "status": "ok", "note": "",
    }
    reason = inputs.not_applicable(rate)
    if reason is not None:
        row.update(status="rate only" if not rate.explicit else "not applicable", note=reason)
        return row
    params = inputs.parameters(rate)
    row["order"] = f"m^-({rate.exponent.subs(params)})"
    row["l"] = str(params[l]) if rate.reference == "fixed" else rate.reference
    try:
        width = smallest_width(rate, params, target)
    except WidthOutOfRangeError as exc:
        row.update(status="out of range", note=str(exc))
        return row
    value = certified_value(rate, params, width)
    row.update(width=width, epsilon_upper=float(value.upper()), epsilon_enclosure=value.str(10),
               hypothesis=_hypothesis(rate, params, width))
    return row


def _table(rows: list[dict], header_lines: list[str]) -> str:
    cols = ("bound", "label", "order", "l", "width", "ε(width) ≤", "holds if", "note")
    cells = [
        (r["bound"], r["label"], r["order"], r["l"] or "", "" if r["width"] is None
         else str(r["width"]), "" if r["epsilon_upper"] is None
         else f"{r['epsilon_upper']:.6g}", r["hypothesis"] or "", r["note"])
        for r in rows
    ]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines: list[str | tuple[str, ...]] = [*header_lines, "", cols,
                                          tuple("-" * w for w in widths), *cells]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        if isinstance(line, tuple) else line
        for line in lines
    )


def _quick_error(args: argparse.Namespace) -> str | None:
    """An argument error found without sympy (as `BoundInputs` would word it), or None:
    a bad argument is answered before the heavy imports."""
    import math

    from theory.errors import UnknownNameError
    from theory.loss_names import check_loss_name

    try:
        check_loss_name(args.loss)
    except UnknownNameError as exc:
        return str(exc)
    for name, value, positive in (("kappa", args.kappa, True), ("D_X", args.dx, True),
                                  ("level", args.level, False), ("lower", args.lower, False),
                                  ("target", args.target, True)):
        if value is not None and not math.isfinite(value):
            return f"{name} must be a finite number, got {value!r}"
        if positive and value <= 0:
            return f"{name} must be > 0, got {value}"
    if args.n is not None and args.n < 1:
        return f"n must be ≥ 1, got {args.n}"
    if args.ref_width < 1:
        return f"ref_width must be ≥ 1, got {args.ref_width}"
    return None


def run(args: argparse.Namespace) -> int:
    quick = _quick_error(args)
    if quick is not None:
        raise Refused(quick)
    from theory.losses import LossHypothesisError
    from theory.rates import RATES, BoundInputs, RateInputError, exact

    try:
        inputs = BoundInputs.parse(
            args.loss, kappa=args.kappa, D_X=args.dx, level=args.level, lower=args.lower,
            n=args.n, ref_width=args.ref_width,
        )
        target = exact("target", args.target, positive=True)
    except (RateInputError, LossHypothesisError) as exc:
        raise Refused(str(exc)) from None
    rows = [_row(rate, inputs, target) for rate in RATES.values()]
    if all(r["status"] in ("not applicable", "rate only") for r in rows):
        reasons = "; ".join(f"{r['bound']}: {r['note']}" for r in rows)
        raise Refused(f"no bound applies ({reasons})")
    header = [
        f"loss {inputs.loss.name}, κ = {inputs.kappa}, D_X = {inputs.D_X}, "
        f"λ = {inputs.level}, R̲ = {inputs.lower}, target ε = {target}",
        f"note: {_CAVEAT}",
    ]
    if args.json:
        print(json.dumps({"inputs": header[0], "caveat": _CAVEAT, "rows": rows}, indent=2))
    else:
        print(_table(rows, header))
    return 0
