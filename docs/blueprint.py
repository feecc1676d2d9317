# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Blueprint
#
# Every registered statement, the statements its proof uses, and a status **derived** from
# the checks that ran while this page was built — no status here is typed by hand. Click a
# box to open the statement's section; hover it to see what its proof uses (blue) and what
# uses it (red); zoom with the wheel or the buttons, drag to pan, and tick the statuses to
# show. An arrow $u \to s$ means the proof of $s$ uses $u$;
# columns are dependency depth; the loss catalogue (no `uses` edges) is the bottom row.

# %% tags=["remove-input"]
import html as _html

import _blueprint_data as bp
from _blueprint_graph import interactive_graph
from _literate import lemma_test_cases
from _statements import build_results
from IPython.display import HTML, display

from theory import registry

results, ran_here = build_results()
tests = lemma_test_cases()
rows = bp.status_rows(registry(), results, tests)
display(HTML(interactive_graph(rows)))
print(f"{len(results)} obligations over {len(rows)} statements; statements:",
      bp.status_counts(rows))
print(f"checks run by the statement pages of this build: {len(rows) - len(ran_here)} labels;"
      f" run here: {len(ran_here)}")

# %% [markdown]
# ## Status per statement
#
# The statuses, from the most severe (the derivation is `_blueprint_data.derive_status`):
#
# - **failed** — an obligation failed, or a defect recorded on the statement was not
#   confirmed by its check;
# - **undecided** — a check could not decide its step (counts as a failure);
# - **flagged** — a check confirmed a defect of the source's statement or proof (the
#   section explains it);
# - **not run** — every other step checked, but a check could not run because its tool is
#   absent (Coq's `coqc`: the note gives the install line); not a failure of the
#   mathematics, and a failure of `relu-landscape check --require coq`;
# - **checked modulo assumptions** — every step checked, but the proof rests on
#   recorded *assumptions*: facts no obligation proves (each with its reason, e.g.
#   "Heine–Borel, not encoded"), its own or those of a statement it uses, transitively;
#   shown as "checked modulo N assumptions", in their own colour, never as checked;
# - **kernel-checked, using: …** — a Coq proof of the statement was accepted, but a
#   statement it uses (transitively) is not kernel-checked, or has assumptions: those are
#   named;
# - **kernel-checked** — every step checked, and a Coq proof of the statement's
#   finite-sample form was accepted by the Coq kernel in this build, and so was every
#   statement it uses, transitively, none with an assumption;
# - **numerically tested** — every step checked, and a test marked `lemma("label")`
#   compares the statement with a measurement (a test that uses `numerics`, `torch` or
#   `numpy`, or says `lemma("label", measures=True)`);
# - **steps checked** — every proof step passed in sympy, z3 or certified interval
#   arithmetic (negative controls refuted as expected);
# - **no checks** — no obligation is registered.
#
# Statuses are *ancestor-closed*: a statement is no better than what its proof uses. A
# check of a proof step is a check, not a machine proof of the whole statement: the steps
# are the project's decomposition of the source's argument. The assumptions are listed
# per statement in the last table; `relu-landscape check` lists them too (status
# `assumed`).

# %% tags=["remove-input"]
header = ("statement", "kind", "title", "obligations", "status", "tests (measuring)", "note")
body = []
for r in rows:
    link = f'<a href="{bp.href(r.label)}"><code>{_html.escape(r.label)}</code></a>'
    obligations = ", ".join(f"{n} {k}" for k, n in sorted(r.obligations.items())) or "—"
    # a long note is folded: its first words are the summary, the rest opens on a click
    note = _html.escape(r.note)
    if len(r.note) > 140:
        cut = r.note.rfind(" ", 0, 110)
        note = (f"<details><summary>{_html.escape(r.note[:cut if cut > 0 else 110])} …"
                f"</summary>{note}</details>")
    body.append(
        f"<tr><td>{link}</td><td>{r.kind}</td><td>{_html.escape(r.title)}</td>"
        f"<td>{obligations}</td>"
        f"<td style='background:{bp.COLOURS[r.status]};color:#111'>"
        f"{_html.escape(r.shown or r.status)}</td>"
        f"<td>{r.tests} ({r.measuring})</td><td class='detail'>{note}</td></tr>")
#: column widths (statement, kind, title, obligations, status, tests, note), in %
widths = (15, 7, 21, 11, 10, 8, 28)
display(HTML('<div class="table-wrap"><table class="docutils blueprint"><colgroup>'
             + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup><thead><tr>"
             + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead><tbody>"
             + "".join(body) + "</tbody></table></div>"))

# %% [markdown]
# ## Assumptions
#
# Every fact a proof uses that no obligation proves is recorded with its reason
# (`proofs_check.assume`); the assembly step that uses it names it. Replacing one by a
# checked step is how a statement moves from "checked modulo assumptions" to checked.

# %% tags=["remove-input"]
assumed_rows = [(r, a) for r in rows for a in r.assumptions]
print(f"{len(assumed_rows)} recorded assumptions over "
      f"{sum(1 for r in rows if r.assumptions)} statements")
display(HTML(
    '<div class="table-wrap"><table class="docutils blueprint assumptions"><thead><tr>'
    "<th>statement</th><th>assumption</th><th>status</th><th>reason</th></tr></thead><tbody>"
    + "".join(
        f'<tr><td><a href="{bp.href(r.label)}"><code>{_html.escape(r.label)}</code></a></td>'
        f"<td><code>{_html.escape(a.name)}</code></td>"
        f"<td style='background:{bp.COLOURS['assumed']};color:#111'>assumed</td>"
        f"<td class='detail'>{_html.escape(a.reason)}</td></tr>" for r, a in assumed_rows)
    + "</tbody></table></div>"))

# %% [markdown]
# ## How this page is made
#
# The checks are `proofs_check.run_checks()`: each proof step of each statement is one
# obligation. Within one `relu-landscape docs` build the statement pages run them (each
# label's section shows its own) and this page, built last, reads those results; any label
# they did not cover is checked here. The tests are counted from a real `pytest
# --collect-only` of `tests/` (every parametrized case counts once, slow tests included).
# The graph and the table are drawn by `docs/_blueprint_data.py` from those two inputs; a
# test of the docs breaks an obligation and checks that its node turns red.
