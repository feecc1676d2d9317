"""Symbolic statements of THEORY.md: registry, loss catalogue, rates.

Main definitions: `Statement`, `Kind`, `Source`, `Flag`, `Registry`, `registry()`
(every registered statement), `UnknownLabelError`, `DependencyCycleError`.
"""

from theory._registry import DependencyCycleError, Registry, UnknownLabelError, registry
from theory._statement import Flag, Kind, Source, Statement

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
