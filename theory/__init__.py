"""Symbolic statements of both papers: registry, loss catalogue, rates.

Main definitions: `Statement`, `Kind`, `Source`, `Flag`, `Registry`, `registry()`
(every registered statement), `UnknownLabelError`, `DependencyCycleError`.
"""

# Loaded on first use (PEP 562): the command line imports `theory.errors` at startup and
# must not pay for sympy before it has checked its arguments.
_WHERE = {
    "DependencyCycleError": "theory._registry",
    "Registry": "theory._registry",
    "UnknownLabelError": "theory._registry",
    "registry": "theory._registry",
    "Flag": "theory._statement",
    "Kind": "theory._statement",
    "Source": "theory._statement",
    "Statement": "theory._statement",
}

__all__ = [
    "DependencyCycleError",
    "Flag",
    "Kind",
    "Registry",
    "Source",
    "Statement",
    "UnknownLabelError",
    "registry",
]


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'theory' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
