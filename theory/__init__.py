"""Symbolic statements of both papers: registry, loss catalogue, rates.

Main definitions: `Statement`, `Kind`, `Source`, `Flag`, `Registry`, `registry()`
(every registered statement), `UnknownLabelError`, `DependencyCycleError`.
"""

from theory.lazy import lazy_exports

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


__getattr__, __dir__ = lazy_exports("theory", _WHERE, globals())
