"""The suite's one version number (pyproject.toml's `version`), without heavy imports.

`VERSION` is what the installed distribution says (`importlib.metadata`); in a source tree
that was never installed it is read from the `pyproject.toml` beside the package, and is
"unknown" if neither exists. `relu-landscape --version` prints it, every run.json carries it
(`experiments.provenance`), and CITATION.cff names the same number (a test compares them).
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "relu-landscape"


def _from_pyproject(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    project = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    found = project and re.search(r'^version\s*=\s*"([^"]+)"', project.group(1), re.M)
    return found.group(1) if found else None


def version() -> str:
    """The installed distribution's version, else the source tree's, else "unknown"."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    return _from_pyproject(Path(__file__).resolve().parents[1] / "pyproject.toml") or "unknown"


VERSION = version()
