"""The architecture holds: layers point one way and packages meet only at public names.

theory → proofs_check → numerics → experiments (docs on top): a module may import from
its own layer or a lower one, never a higher one, and never a private module
(`pkg._name`) of another package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["theory", "proofs_check", "numerics", "experiments"]


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in `path`, `from a import b` as `a.b` too."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return out


def _files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "coq" not in p.parts)


@pytest.mark.parametrize("package", LAYERS)
def test_no_import_points_up_a_layer(package):
    higher = LAYERS[LAYERS.index(package) + 1:]
    bad = [f"{f.relative_to(ROOT)}:{line} imports {mod}" for f in _files(package)
           for line, mod in _imports(f) if mod.split(".")[0] in higher]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("package", [*LAYERS, "docs"])
def test_no_private_module_is_imported_across_packages(package):
    bad = []
    for f in _files(package):
        for line, mod in _imports(f):
            parts = mod.split(".")
            if parts[0] in LAYERS and parts[0] != package and any(
                    p.startswith("_") and not p.startswith("__") for p in parts[1:]):
                bad.append(f"{f.relative_to(ROOT)}:{line} imports {mod}")
    assert not bad, "\n".join(bad)
