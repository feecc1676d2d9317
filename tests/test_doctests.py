"""Every public function and class of `numerics` and the main ones of `theory` show an example.

The examples are doctests (`>>>` lines in the docstring); pyproject's pytest configuration
collects `numerics/` and `theory/` with `--doctest-modules`, so the README's test command
runs them. This file checks the rule (each listed name has an example) and the
configuration that runs them; the examples themselves are the doctest items.
"""

from __future__ import annotations

import doctest
import inspect
import tomllib
from pathlib import Path

import pytest

import numerics
import theory
import theory.bounds
import theory.crossing
import theory.intervals
import theory.labels
import theory.losses
import theory.rates

ROOT = Path(__file__).resolve().parents[1]

# the main public functions and classes of theory's modules, beyond `theory.__all__`
THEORY_MAIN: dict[str, tuple[str, ...]] = {
    "theory.bounds": ("bridge_level", "cube_gap", "dimfree_bound", "pruning_gap", "rate",
                      "sampling_gap", "sampling_holder_gap"),
    "theory.losses": ("Loss", "get_loss", "huber"),
    "theory.crossing": ("barrier_lower_bound", "best_point", "crossing_infimum", "objective"),
    "theory.rates": ("BoundInputs", "Crossover", "Rate", "certified_value", "certifies",
                     "cover_exponent", "exact", "smallest_width"),
    "theory.intervals": ("enclose", "evaluate", "working_precision"),
    "theory.labels": ("check_labels", "declared_in_sources", "render"),
}


def has_example(obj: object) -> bool:
    """True when obj's own docstring holds a doctest example (a `>>>` line that parses)."""
    doc = obj.__doc__ if isinstance(obj.__doc__, str) else None
    if not doc:
        return False
    return bool(doctest.DocTestParser().get_examples(doc))


def _targets() -> list[tuple[str, object]]:
    out = []
    for name in numerics.__all__:
        obj = getattr(numerics, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):  # constants need no example
            out.append((f"numerics.{name}", obj))
    for name in theory.__all__:
        out.append((f"theory.{name}", getattr(theory, name)))
    modules = {"theory.bounds": theory.bounds, "theory.losses": theory.losses,
               "theory.crossing": theory.crossing, "theory.rates": theory.rates,
               "theory.intervals": theory.intervals, "theory.labels": theory.labels}
    for module, names in THEORY_MAIN.items():
        for name in names:
            out.append((f"{module}.{name}", getattr(modules[module], name)))
    return out


TARGETS = _targets()


@pytest.mark.parametrize(("name", "obj"), TARGETS, ids=[n for n, _ in TARGETS])
def test_public_name_has_an_example(name: str, obj: object) -> None:
    assert has_example(obj), f"{name} has no `>>>` example in its docstring"


def test_targets_cover_numerics_public_face() -> None:
    # every class and function of numerics.__all__; only the constants are left out
    listed = {n for n, _ in TARGETS if n.startswith("numerics.")}
    left_out = {f"numerics.{n}" for n in numerics.__all__} - listed
    assert left_out == {"numerics.CERTIFIED_BY", "numerics.FB17_CODE",
                        "numerics.GAP_DEFINITIONS", "numerics.GRID", "numerics.LOADERS",
                        "numerics.MAX_POINTS", "numerics.METHODS"}
    assert len(listed) > 50


def _without_example(x: int) -> int:
    """Double x (no example here)."""
    return 2 * x


def _with_example(x: int) -> int:
    """Double x.

    >>> _with_example(2)
    4
    """
    return 2 * x


class _Documented:
    """A class with an example.

    >>> _Documented().value
    1
    """

    value = 1


class _InheritsOnly(_Documented):
    pass


def test_detector_negative_control() -> None:
    # the check fails on a function without an example, and an inherited or prose-only
    # `>>>` does not count
    assert not has_example(_without_example)
    assert has_example(_with_example)
    assert has_example(_Documented)
    assert not has_example(_InheritsOnly)  # __doc__ is not inherited

    def prose(x: int) -> int:
        """Mentions >>> in prose but shows no example."""
        return x

    assert not has_example(prose)
    # a real docstring with its example cut off fails the check
    def cut() -> None: ...

    cut.__doc__ = numerics.data_scale.__doc__.split(">>>")[0]
    assert has_example(numerics.data_scale)
    assert not has_example(cut)


def test_doctests_run_in_the_test_command() -> None:
    # the README's command (`python -m pytest -n 2 -q -p no:cacheprovider`) takes its paths
    # and options from pyproject: numerics/ and theory/ are collected as doctest modules
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert {"tests", "numerics", "theory"} <= set(config["testpaths"])
    assert "--doctest-modules" in config["addopts"].split()
