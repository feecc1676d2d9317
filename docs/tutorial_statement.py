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
# # Tutorial: check your own statement
#
# This page registers a new statement, writes the obligations of its proof, runs what
# `relu-landscape check` and `relu-landscape check --mutate` run on it, and derives its
# blueprint status, all in this notebook (download it with the button at the top and run
# it yourself). The statement is deliberately small:
#
# $$a \ge b \ \text{ and } \ b \ge 0 \quad\Longrightarrow\quad a^2 \ge b^2 .$$
#
# ## 1. Register the statement
#
# A `theory.Statement` holds the label (prefix `fb:`, `ll:`, `new:` or `loss:`), its kind,
# its source, the hypotheses and the conclusion as sympy booleans, and the labels its proof
# uses. Registering it makes it visible to every obligation and to the blueprint.

# %%
import _blueprint_data as bp
import sympy as sp
from _literate import Html, html_table

from proofs_check import (
    AllOf,
    Obligation,
    SameClaim,
    SympyIdentity,
    Z3Valid,
    conclusion,
    hypotheses,
    obligation,
    render_mutations,
    render_table,
    run_checks,
    run_mutations,
)
from theory import Kind, Source, Statement, registry

a, b = sp.symbols("a b", real=True)
squares = Statement(
    label="new:tutorial-squares",
    title="squares keep the order of nonnegative numbers",
    kind=Kind.LEMMA,
    source=Source.PROJECT,
    hypotheses=(sp.Ge(a, b), sp.Ge(b, 0)),
    conclusion=sp.Ge(a**2, b**2),
    text="If a ≥ b ≥ 0 then a² ≥ b².",
    symbols=(a, b),
)
registry().register(squares)
LABEL = squares.label
print(*squares.hypotheses, "⇒", squares.conclusion)

# %% [markdown]
# ## 2. Write the obligations of its proof
#
# The proof has three steps, each an obligation checked by a machine: an identity (sympy),
# an implication over the reals (z3), and the final step, which reads the *registered*
# conclusion and hypotheses back from the registry (`conclusion`, `hypotheses`), so that a
# changed statement changes what is checked:
#
# 1. $a^2 - b^2 = (a - b)(a + b)$;
# 2. the hypotheses make both factors nonnegative, so $(a - b)(a + b) \ge 0$;
# 3. the registered claim is exactly the derived $a^2 \ge b^2$, and it follows from the
#    registered hypotheses.

# %%
@obligation(LABEL, "step_1_difference_of_squares")
def _step_1():
    return SympyIdentity(a**2 - b**2, (a - b) * (a + b))


@obligation(LABEL, "step_2_both_factors_nonnegative")
def _step_2():
    return Z3Valid(hypotheses(LABEL), sp.Ge((a - b) * (a + b), 0))


@obligation(LABEL, "step_3_conclusion_derived")
def _step_3():
    return AllOf((SameClaim(conclusion(LABEL), sp.Ge(a**2, b**2)),
                  Z3Valid(hypotheses(LABEL), conclusion(LABEL))))

# %% [markdown]
# ## 3. Run `check` on it
#
# `run_checks([LABEL])` is what `relu-landscape check LABEL` runs, and `render_table` is
# what it prints: one row per obligation, then the count per status. `check` exits 0 iff
# no obligation failed or is undecided.

# %%
results = run_checks([LABEL])
print(render_table(results))
assert all(r.status == "passed" for r in results)

# %% [markdown]
# ## 4. Run `check --mutate` on it
#
# The mutator perturbs the registered statement (constants ×½ and ×2, exponents ±½, an
# inequality reversed, a term dropped, a hypothesis removed) and reruns the obligations
# that read it. A mutant that every obligation still passes *survives*: either a check is
# too weak, or the statement explains why the mutant is harmless (its `survivors` field).
# `relu-landscape check --mutate` exits 0 iff at least 95 % are caught and every survivor
# is explained.

# %%
report = run_mutations([LABEL])
print(render_mutations(report))
Html(html_table(["mutant", "where", "caught by"],
                [[r.mutant.kind, r.mutant.where, r.caught_by or "— (survived)"]
                 for r in report.rows]))

# %% [markdown]
# Each hypothesis matters: removing $b \ge 0$ admits $a = 0,\ b = -1$, and removing
# $a \ge b$ admits $a = 0,\ b = 1$; z3 finds such points in step 2, so both mutants are
# caught there. The mutants of the conclusion are caught by the final step's comparison of
# the registered claim with the derived one.

# %% [markdown]
# ## 5. See it in the blueprint
#
# The blueprint derives each statement's status from the results of its obligations
# (`_blueprint_data.derive_status`): every step passed, so it is *steps checked*. A step
# that fails turns it *failed* (red), whatever the other steps say; below, step 1 is
# replaced by a wrong identity, $a^2 - b^2 = (a - b)^2$, and checked again.

# %%
wrong = Obligation(LABEL, "step_1_difference_of_squares",
                   lambda: SympyIdentity(a**2 - b**2, (a - b) ** 2)).check()
rows = []
for name, res in (("as proved", results), ("step 1 wrong", [wrong, *results[1:]])):
    status, note = bp.derive_status(squares, res)
    rows.append([name, status, note[:120]])
Html(html_table(["version", "status", "note"], rows, status_column=1))

# %% [markdown]
# ## Make it permanent
#
# In the project, the statement goes into the `STATEMENTS` tuple of a module of
# `theory/statements/` and its obligations into a module of `proofs_check/steps/`; then
# `python -m theory.labels` regenerates the light list of labels the command line checks
# first, a test marked `lemma("new:…")` goes under `tests/`, and
#
# ```bash
# relu-landscape check new:tutorial-squares
# relu-landscape check --mutate new:tutorial-squares
# relu-landscape docs --out docs/_build     # its section and its box in the blueprint
# ```
#
# The blueprint test (`tests/test_blueprint.py`) then insists that the statement has an
# obligation, one that reads its conclusion, and a test.
