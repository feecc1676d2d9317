"""One section per registered statement, generated from the registry and this build's checks.

Not a page. `_pages.read_page` expands a `# @statements PREFIX` cell of a page into, for
every label of that chain (in registry order), the cells that call the functions below:

- `statement_block(label)`: the statement in readable math (named symbols, hypotheses as a
  list, one line per conjunct of the conclusion), its source and section, what it uses;
- `proof_sketch(label)`: the proof steps, named exactly as the obligations, each with the
  comment that explains it in the checking code;
- `checks(label)`: runs the label's obligations now and shows each result with a link to
  the line of the code that checks it;
- `illustrate(label)` (where one is registered in `_illustrations`): a numeric
  illustration that runs in seconds;
- `tests_block(label)`: the tests marked `lemma(label)`, from a real pytest collection,
  each linked to its source line;
- `defect_block(label, results)`: for a flagged statement, what the source says, what
  follows, and the counterexample or the corrected form.
"""

from __future__ import annotations

import html
import inspect
import json
import os
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import _blueprint_data as bp
import sympy as sp
from _literate import CACHE_ENV, REPO, Html, Markdown, lemma_test_cases
from _plain_math import typeset

from proofs_check import Assumption, Expect, Result, Status, assumptions, obligations, run_checks
from theory import registry

SOURCE_PAGES = "_source"  # the build writes a highlighted copy of every module here

CHAINS = {
    "fb": ("[FB17]", "statements_fb"),
    "ll": ("[B26]", "statements_ll"),
    "new": ("project", "statements_new"),
    "loss": ("loss catalogue", "statements_loss"),
}

# ------------------------------------------------------------------ readable symbols

#: symbol name → LaTeX; names not listed keep sympy's rendering
SYMBOL_LATEX = {
    "lambda": r"\lambda", "lambdabar": r"\bar\lambda", "lambda_m": r"\lambda_m",
    "kappa": r"\kappa", "alpha": r"\alpha", "epsilon": r"\varepsilon", "Lambda": r"\Lambda",
    "R_low": r"\underline{R}", "D_X": "D_X", "e_l": "e(l)", "e_m": "e(m)",
    "e_inf": r"e_\infty", "Fhat": r"F(W,\hat\theta)", "F_max": r"F_{\max}",
    "F_end": r"F_{\mathrm{end}}", "F_0": "F_0", "F_A": "F(A)", "F_B": "F(B)",
    "l0_hat": r"\|\hat\theta\|_0", "l1_hat": r"\|\hat\theta\|_1",
    "err2": r"E\|\hat\Phi-\Phi\|^2_{L^2(P_X)}", "bias": r"E\hat\theta-\theta",
    "E_abs_diff": r"E|\rho(a^\top X)-\rho(b^\top X)|", "E_sq": r"E\rho(w^\top X)^2",
    "P_min": r"P_{\min}", "Phi_change": r"\Delta\Phi", "Sigma_op": r"\|\Sigma_X\|",
    "Znuc": r"\|Z\|_*", "a_u": "a_u", "active": r"\#\mathrm{active}",
    "active_norm": r"\|w_{\mathrm{active}}\|", "b_m": r"\mathfrak{b}_m",
    "barrier": r"\mathrm{barrier}", "barrier_m": r"\mathrm{barrier}_m",
    "barrier_m1": r"\mathrm{barrier}_{m+1}", "bracket_w1w2": "[w_1,w_2]_Z",
    "delta_A": r"\delta_{W_A}", "delta_B": r"\delta_{W_B}",
    "delta_A_m0": r"\delta_{W_A}(m,0;m)", "delta_B_m0": r"\delta_{W_B}(m,0;m)",
    "delta_A_ml": r"\delta_{W_A}(m-l,\alpha;m)", "delta_B_ml": r"\delta_{W_B}(m-l,\alpha;m)",
    "delta_q": r"\delta_W(q,0;m)", "denergy": r"\tfrac{d}{dt}\tfrac12(\theta^2+\|w\|^2)",
    "dist_L1": r"\|g-f\|_{L^1}", "dist_L2": r"\|g-f\|^2_{L^2}",
    "dtheta_w": r"\tfrac{d}{dt}(\theta\|w\|)", "normZ_wm": r"\|w_m\|^2_Z",
    "path_max": r"\max_t F(\gamma(t))", "rms_Y": r"\sqrt{E Y^2}", "theta": r"\theta",
    "theta_1": r"\theta_1", "theta_i": r"\theta_i", "theta_sigma": r"\theta_\sigma",
    "theta_star": r"\theta^\star", "transfers": r"\#\mathrm{transfers}",
    "w_norm": r"\|w\|", "h_min": r"h_{\min}", "W2": "W_2", "n_1": "n_1", "n_K": "n_K",
}


def _symbol_names(exprs: Sequence[sp.Basic]) -> dict[sp.Symbol, str]:
    names: dict[sp.Symbol, str] = {}
    for e in exprs:
        for sym in e.free_symbols:
            if isinstance(sym, sp.Symbol) and sym.name in SYMBOL_LATEX:
                names[sym] = SYMBOL_LATEX[sym.name]
    return names


def latex(expr: sp.Basic, names: dict[sp.Symbol, str] | None = None) -> str:
    """LaTeX of `expr` with the project's symbols named as in the notation page."""
    names = _symbol_names([expr]) if names is None else names
    text = sp.latex(expr, symbol_names=names)
    text = re.sub(r"\\operatorname\{([A-Za-z]+)\}", r"\\operatorname{\1}", text)
    return text.replace(r"\left|", r"\left\lvert ").replace(r"\right|", r"\right\rvert ")


def _math(tex: str) -> str:
    """Inline math, or display math when the formula is long (it would not fit a line)."""
    return f"$${tex}$$" if len(tex) > 90 else f"${tex}$"


def conjuncts(expr: sp.Basic) -> list[sp.Basic]:
    """The conjuncts of `expr` (itself when it is not a conjunction)."""
    return list(expr.args) if isinstance(expr, sp.And) else [expr]


# --------------------------------------------------------------------------- sections


def section_of(statement) -> str:
    """Where the statement comes from: source and section (from the label when unset)."""
    section = getattr(statement, "section", "") or ""
    if not section:
        name = statement.label.split(":", 1)[1]
        match = re.match(r"(prop|thm|cor|lemma|def)-(\d+(?:\.\d+)*)", name)
        words = {"prop": "Proposition", "thm": "Theorem", "cor": "Corollary",
                 "lemma": "Lemma", "def": "Definition"}
        if match:
            section = f"{words[match.group(1)]} {match.group(2)}"
        elif statement.label == "fb:counterexample":
            section = "§2.3.1"
    source = str(statement.source)
    where = {"[FB17]": "Freeman & Bruna, *Topology and Geometry of Half-Rectified Network "
                       "Optimization*, ICLR 2017",
             "[B26]": "Baturin, *Dimension-Free Loss-Landscape Barrier Decay via Atomic "
                      "Self-Sparsification*, 2026 (corrected revision)",
             "project": "this project"}.get(source, source)
    return f"{source} {section}".strip() + f" — {where}"


def _link(label: str) -> str:
    """A cross-reference to the section of `label` (its MyST target is the label)."""
    return f"{{ref}}`{label} <{label}>`"


def statement_block(label: str) -> Markdown:
    """The statement `label` in readable math, with its source and its `uses`."""
    s = registry().get(label)
    names = _symbol_names([*s.hypotheses, s.conclusion])
    lines = [f"**{str(s.kind).capitalize()}** ({section_of(s)}): {s.title}.", ""]
    if s.text:
        lines += [f"> {_safe_markdown(typeset(s.text))}", ""]
    if s.hypotheses:
        lines += ["*Hypotheses* (encoded in `theory`):", ""]
        lines += [f"- {_math(latex(h, names))}" for h in s.hypotheses]
        lines.append("")
    else:
        lines += ["*Hypotheses*: none beyond the setting (see "
                  "[notation](notation.md)).", ""]
    parts = conjuncts(s.conclusion)
    lines += ["*Conclusion*" + (" (one line per conjunct):" if len(parts) > 1 else ":"), ""]
    lines += [f"- {_math(latex(c, names))}" for c in parts]
    lines.append("")
    lines += _kernel_lines(label)
    if s.uses:
        lines += ["*Uses*: " + ", ".join(_link(u) for u in s.uses), ""]
    used_by = [t.label for t in registry() if label in t.uses]
    if used_by:
        lines += ["*Used by*: " + ", ".join(_link(u) for u in used_by), ""]
    return Markdown("\n".join(lines))


def _kernel_lines(label: str) -> list[str]:
    """The Coq statement printed from the registered one (beside the sympy form above),
    for a label with a kernel-checked finite-sample version; nothing otherwise."""
    from _coqdoc import theorem_link

    from proofs_check import kernel_record

    main = kernel_record(label)
    if main is None:
        return []
    lines: list[str] = []
    for rec in (main, *main["parts"]):
        at = ", ".join(f"{k} = {v}" for k, v in rec["specialize"].items())
        lines += [f"*Kernel-checked finite-sample version* (Coq theorem `{rec['theorem']}`, "
                  f"proved by `{rec['lemma']}` in `{rec['file']}`; printed from the "
                  "registered statement above" + (f" at {at}" if at else "")
                  + ", so a changed statement changes it):", "",
                  "```coq", rec["statement"].strip(), "```", "",
                  "Coq source: " + theorem_link(rec["theorem"]), ""]
        if rec["uncovered"]:
            lines += ["Not kernel-checked: " + ", ".join(f"`{u}`" for u in rec["uncovered"]),
                      ""]
    return lines


# ------------------------------------------------------------------------ proof sketch


def _comment_of(build) -> str:
    """The leading comment block of an obligation's build function, joined."""
    try:
        source, _ = inspect.getsourcelines(build)
    except (OSError, TypeError):
        return ""
    body = [line.strip() for line in source]
    while body and not body[0].startswith("def "):  # skip decorators
        body.pop(0)
    comment = []
    for line in body[1:]:
        if line.startswith("#"):
            comment.append(line.lstrip("#").strip())
        elif line.startswith(('"""', "'''")) or not line:
            continue
        else:
            break
    if not comment:
        doc = inspect.getdoc(build) or ""
        comment = [doc.split("\n\n", 1)[0]]
    return " ".join(c for c in comment if c)


def _safe_markdown(text: str) -> str:
    """`text` with `$…$` math kept when balanced; otherwise shown as code."""
    if text.count("$") % 2:
        return "`" + text.replace("`", "'") + "`"
    return text


@cache
def _locations() -> dict[tuple[str, str], tuple[str, int]]:
    """(label, step) → (repository path, line) of the obligation's build function."""
    out = {}
    for ob in obligations():
        try:
            path = Path(inspect.getsourcefile(ob.build)).resolve()
            line = inspect.getsourcelines(ob.build)[1]
            out[(ob.label, ob.step)] = (path.relative_to(REPO).as_posix(), line)
        except (OSError, TypeError, ValueError):
            continue
    return out


def source_href(path: str, line: int = 0) -> str:
    """The link to line `line` of repository file `path` in the build's source listing."""
    return f"{SOURCE_PAGES}/{path}.html" + (f"#L-{line}" if line else "")


def source_link(path: str, line: int = 0, text: str | None = None) -> str:
    shown = html.escape(text or (f"{path}:{line}" if line else path))
    return f'<a class="source-link" href="{source_href(path, line)}">{shown}</a>'


def proof_sketch(label: str) -> Markdown:
    """The proof steps of `label`, named exactly as its obligations, with their comments."""
    obs = obligations([label])
    if not obs:
        return Markdown("*Proof sketch*: no proof obligation is registered for this label.")
    where = _locations()
    lines = ["*Proof sketch* — each step is one obligation checked below:", ""]
    for i, ob in enumerate(obs, 1):
        note = _comment_of(ob.build)
        expect = {"refutation": " (negative control: must be refuted)",
                  "defect": " (checks a recorded defect of the source)"}.get(str(ob.expect), "")
        path, line = where.get((label, ob.step), ("", 0))
        link = f" ({source_link(path, line, f'{Path(path).name}:{line}')})" if path else ""
        text = f" — {_safe_markdown(note)}" if note else ""
        lines.append(f"{i}. `{ob.step}`{expect}{text}{link}")
    return Markdown("\n".join(lines))


# ------------------------------------------------------------------------------ checks


def results_table(results: Sequence[Result]) -> Html:
    """One row per obligation result: step (linked to its code), method, status, detail."""
    where = _locations()
    rows = []
    for r in results:
        path, line = where.get((r.label, r.step), ("", 0))
        step = source_link(path, line, r.step) if path else html.escape(r.step)
        note = r.explanation if r.status is Status.FLAGGED and r.explanation else r.detail
        if r.counterexample:
            note = f"{note} — counterexample {r.counterexample}"
        if len(note) > 400:
            note = note[:400] + " …"
        colour = bp.COLOURS.get(str(r.status), "#ffffff")
        rows.append(
            f"<tr><td>{step}</td><td>{html.escape(r.method)}</td>"
            f'<td style="background:{colour}">{html.escape(str(r.status))}</td>'
            f'<td class="detail">{html.escape(note)}</td><td>{r.seconds:.2f}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("step", "method", "status", "detail", "s"))
    return Html(f'<div class="table-wrap"><table class="docutils checks"><thead><tr>{head}'
                f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def assumptions_table(assumed: Sequence[Assumption]) -> Html:
    """The statement's recorded assumptions (facts no obligation proves), with reasons."""
    colour = bp.COLOURS["assumed"]
    rows = "".join(
        f"<tr><td><code>{html.escape(a.name)}</code></td>"
        f'<td style="background:{colour}">assumed</td>'
        f'<td class="detail">{html.escape(a.reason)}</td>'
        f"<td><code>{html.escape(str(a.fact))}</code></td></tr>" for a in assumed)
    head = "".join(f"<th>{h}</th>" for h in ("assumption", "status", "reason", "fact"))
    return Html(f'<div class="table-wrap"><table class="docutils checks assumptions"><thead>'
                f"<tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")


def _results_file(label: str) -> Path | None:
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return None
    return Path(folder) / "checks" / (re.sub(r"[^A-Za-z0-9.-]+", "_", label) + ".json")


def _save(label: str, results: Sequence[Result]) -> None:
    """Keep this build's results of `label` for the blueprint (only within one build)."""
    path = _results_file(label)
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    records = [{**r.as_record(), "seconds": r.seconds} for r in results]
    part = path.with_suffix(f".{os.getpid()}.part")
    part.write_text(json.dumps(records, default=str))
    os.replace(part, path)


def _load(label: str) -> list[Result] | None:
    path = _results_file(label)
    if path is None or not path.is_file():
        return None
    return [Result(d["label"], d["step"], d["method"], Status(d["status"]), d["detail"],
                   float(d["seconds"]), d.get("counterexample"), Expect(d["expect"]),
                   d.get("explanation", ""), bool(d.get("reads_conclusion", False)))
            for d in json.loads(path.read_text())]


def build_results() -> tuple[list[Result], list[str]]:
    """Every obligation result of this build: those the statement pages ran (kept in the
    build's cache folder), and the remaining labels' run now. Returns (results, labels run
    here). Outside `relu-landscape docs` (no cache folder) every check runs here."""
    results: list[Result] = []
    missing: list[str] = []
    for label in registry().labels():
        found = _load(label)
        if found is None:
            missing.append(label)
        else:
            results.extend(found)
    if missing:
        results.extend(run_checks(missing))
    order = {label: i for i, label in enumerate(registry().labels())}
    return sorted(results, key=lambda r: order.get(r.label, len(order))), missing


def checks(label: str) -> list[Result]:
    """Run the obligations of `label` now and display their results; return them."""
    results = run_checks([label])
    _save(label, results)
    from IPython.display import display

    display(results_table(results))
    counts = ", ".join(f"{n} {k}" for k, n in sorted(
        {str(r.status): sum(1 for x in results if x.status == r.status)
         for r in results}.items()))
    assumed = assumptions([label])
    if assumed:
        display(assumptions_table(assumed))
    status, note = bp.derive_status(registry().get(label), results,
                                    lemma_test_cases().get(label, []), assumed)
    print(f"{len(results)} obligations: {counts or 'none'} → {status}"
          + (f" ({note})" if note and status != bp.FLAGGED else ""))
    return results


# ------------------------------------------------------------------------------- tests


def tests_block(label: str) -> Html:
    """The collected tests marked `lemma(label)`, each linked to its source line."""
    cases = lemma_test_cases().get(label, [])
    if not cases:
        return Html("<p><em>Tests</em>: no collected test is marked "
                    f"<code>lemma(\"{html.escape(label)}\")</code>.</p>")
    rows = []
    for c in cases:
        rows.append(f"<tr><td>{source_link(c.file, c.line, c.node)}</td>"
                    f"<td>{'measurement' if c.measures else 'symbolic / structural'}</td></tr>")
    measuring = sum(c.measures for c in cases)
    return Html(f"<p><em>Tests</em> marked <code>lemma(\"{html.escape(label)}\")</code>: "
                f"{len(cases)} collected, {measuring} comparing with a measurement.</p>"
                '<div class="table-wrap"><table class="docutils tests"><thead><tr>'
                "<th>test (node id)</th><th>kind</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table></div>")


# ------------------------------------------------------------------------------ defects

#: richer explanations of the known defects, keyed by the statement label (a `-source`
#: variant, the source's own wording, shares its text); the rest come from the statement's
#: flags and the check's own explanation
DEFECTS = {
    "fb:prop-2.1": (
        "**What the source says.** Proposition 2.1 of [FB17]: if every sublevel set "
        "$\\Omega_F(\\lambda)$ is connected, then *every local minimum* is a global minimum.\n\n"
        "**What follows.** The proof reaches a contradiction only with *strict* local "
        "minimality: a strict local minimum $\\theta$ with $F(\\theta) > \\min F$ would be "
        "an isolated point of $\\Omega_F(F(\\theta))$ while a global minimizer lies in the "
        "same sublevel set. For a non-strict minimum (a plateau) nothing is contradicted.\n\n"
        "**Counterexample.** A nonincreasing function of one variable with a flat step has "
        "connected sublevel sets (intervals) and non-global plateau minima; the check "
        "finds one with z3. **Corrected form**: every *strict* local minimum is global "
        "(`fb:prop-2.1`; the source's wording is registered as `fb:prop-2.1-source`)."),
    "fb:thm-2.4": (
        "**What the source says.** The constant of the $O(\\alpha)$ term is displayed as "
        "$C_1 \\propto \\kappa^{-1/2} + \\alpha\\sqrt{E Y^2}\\,\\kappa^{-1}$.\n\n"
        "**What follows.** The derivation bounds the second layer by the $\\ell_1$ control "
        "$\\|\\beta\\|_1 \\le E Y^2/\\kappa$, which gives "
        "$C_1 \\propto \\kappa^{-1} + \\alpha\\sqrt{E Y^2}\\,\\kappa^{-2}$: one power of "
        "$\\kappa$ more in each term.\n\n"
        "**Counterexample / corrected form.** The derived constant is not bounded by the "
        "displayed one as $\\kappa \\to 0$ (their ratio grows like $\\kappa^{-1/2}$); the "
        "check recomputes the step and reports the derived power, which is the corrected "
        "form.\n\n"
        "**A second defect: $\\|\\Sigma_X\\|$ for $\\sqrt{\\|\\Sigma_X\\|}$.** The "
        "perturbation of one unit is bounded in $L^2$ by "
        "$\\sqrt{E((\\tilde w - w)^\\top X)^2} \\le \\sqrt{\\|\\Sigma_X\\|}\\,"
        "\\|\\tilde w - w\\|$, so the constant carries $D_X = \\sqrt{\\|\\Sigma_X\\|}$; "
        "the source's $C_1$ carries $\\|\\Sigma_X\\|$. The two scale differently with $X$, "
        "and for $\\|\\Sigma_X\\| < 1$ the source's factor is too small: with "
        "$X = \\tfrac14 e_2$, $w = e_1$, $\\tilde w = (\\cos\\alpha, \\sin\\alpha)$ the "
        "unit changes by $\\tfrac14\\sin\\alpha$, and "
        "$\\tfrac14\\sin\\alpha/(\\|\\Sigma_X\\|\\alpha) \\to 4$ as $\\alpha \\to 0$ "
        "(`step_3_displayed_sigma_factor`). The registered $C_1$ uses $D_X$; before this flag "
        "the project made that correction without saying so."),
    "fb:cor-2.5": (
        "**What the source says.** Later versions of [FB17] state the energy gap decays as "
        "$\\varepsilon = O(m^{-1/n})$, $n$ the input dimension, via a covering of "
        "$S^{n-1}$ and merging of near-duplicate units.\n\n"
        "**What follows.** The term $e(l)$ carries no rate at all, and pruning with "
        "$l = m^{\\eta}$ gives a term of order $m^{\\eta + (\\eta - 1)/n}$, whose exponent "
        "exceeds $-1/n$ for every $\\eta > 0$.\n\n"
        "**Corrected form.** Only the qualitative statement $\\varepsilon(m) \\to 0$ follows "
        "from the proof as written (the registered statement); rates need the [B26] chain "
        "(`ll:cor-moving-level`: $O(m^{-1/2})$, dimension-free).\n\n"
        "**A second defect: the absolute level with $\\kappa > 0$.** The source reads "
        "$\\varepsilon$ as the level at which all sublevel sets connect and uses "
        "$\\lim_m e(m) = 0$. With the penalty $\\kappa\\|\\theta\\|_1$, $\\kappa > 0$, that "
        "is false. **Counterexample**: $Y = 1$, $E\\|X\\| = 1$, $\\kappa = 0.1$. Every model "
        "has $|\\Phi(x)| \\le \\|\\theta\\|_1\\|x\\|$, so $R \\ge (1 - E\\Phi)^2 \\ge "
        "(1 - \\|\\theta\\|_1)_+^2$ and $F \\ge \\min_a (1 - a)_+^2 + \\kappa a = "
        "\\kappa - \\kappa^2/4 = 0.0975$, at every width: $e(m) \\ge 0.0975$ for every $m$, "
        "so neither $\\lim e(m) = 0$ nor $\\varepsilon = O(m^{-1/n})$ holds for the absolute "
        "level (`step_6_absolute_level_with_penalty`, z3). The registered statement reads "
        "$\\varepsilon$ as the excess of the connecting level above $\\lambda \\ge e_\\infty$, "
        "where the limit does hold; before this flag that reading was silent."),
}


def defect_block(label: str, results: Sequence[Result] = ()) -> Markdown:
    """For a flagged statement: the defect explained; empty when there is none."""
    s = registry().get(label)
    steps = {f.step: f.explanation for f in s.flags}
    steps |= {r.step: r.explanation for r in results
              if r.status is Status.FLAGGED and r.step not in steps}
    if not steps:
        return Markdown("")
    by_step = {r.step: r for r in results}
    lines = [f"*Defect of the source* ({len(steps)} flagged step"
             f"{'s' if len(steps) > 1 else ''}):", ""]
    known = DEFECTS.get(label) or DEFECTS.get(label.removesuffix("-source"))
    if known:
        lines += [known, ""]
    for step, why in steps.items():
        lines += [f"`{step}` — {_safe_markdown(why)}", ""]
        r = by_step.get(step)
        if r is not None:
            lines += [f"This build's check of `{step}`: **{r.status}**"
                      + (f"; counterexample `{r.counterexample}`" if r.counterexample else "")
                      + ".", ""]
    return Markdown("\n".join(lines))


# ------------------------------------------------------------------- the page's cells


def labels_of(prefix: str) -> list[str]:
    """The registered labels of chain `prefix`, in registry order."""
    return [s.label for s in registry() if bp.chain(s.label) == prefix]


def heading(label: str) -> str:
    """The markdown of `label`'s section heading: a target named after the label."""
    s = registry().get(label)
    return (f'<a id="{html.escape(label)}"></a>\n\n({label})=\n'
            f"## `{label}` — {s.title.replace('`', '')}")
