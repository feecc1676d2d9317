"""The statement registry refuses unknown `uses` labels and dependency cycles."""

from __future__ import annotations

import pytest
import sympy as sp

from theory import (
    DependencyCycleError,
    Kind,
    Registry,
    Source,
    Statement,
    UnknownLabelError,
    registry,
)

x = sp.Symbol("x", positive=True)


def _st(label: str, uses: tuple[str, ...] = ()) -> Statement:
    return Statement(label, label, Kind.LEMMA, Source.PROJECT, (x > 0,), x**2 > 0, uses)


def test_lookup_by_label_and_unknown_label_error():
    reg = Registry()
    reg.register(_st("new:a"))
    assert reg.get("new:a").label == "new:a"
    with pytest.raises(UnknownLabelError, match="new:zzz"):
        reg.get("new:zzz")


def test_register_refuses_unknown_uses():
    reg = Registry()
    with pytest.raises(UnknownLabelError, match="new:missing"):
        reg.register(_st("new:a", ("new:missing",)))


def test_batch_is_registered_in_dependency_order():
    reg = Registry()
    reg.add_all([_st("new:c", ("new:b",)), _st("new:b", ("new:a",)), _st("new:a")])
    assert reg.labels() == ["new:a", "new:b", "new:c"]
    assert reg.dependents("new:a") == ["new:b"]


def test_batch_refuses_cycles():
    reg = Registry()
    with pytest.raises(DependencyCycleError, match=r"dependency cycle: new:. -> new:. -> new:."):
        reg.add_all([_st("new:a", ("new:b",)), _st("new:b", ("new:a",))])


def test_statement_validates_its_fields():
    with pytest.raises(ValueError, match="label"):
        _st("not a label")
    with pytest.raises(TypeError, match="sympy"):
        Statement("new:a", "a", Kind.LEMMA, Source.PROJECT, ("x > 0",), x > 0)
    with pytest.raises(ValueError, match="itself"):
        _st("new:a", ("new:a",))


def test_project_registry_loads_and_every_use_resolves():
    reg = registry()
    assert len(reg) > 0
    for st in reg:
        for used in st.uses:
            assert used in reg, f"{st.label} uses missing {used}"
