"""One version number (pyproject.toml) in `--version`, run.json and CITATION.cff; package
data covering every non-Python file of the packages (what a wheel must ship)."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from experiments import version as version_module
from experiments.cli import main
from experiments.provenance import provenance

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT_VERSION = PYPROJECT["project"]["version"]


def test_version_flag_prints_the_project_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"relu-landscape {PROJECT_VERSION}"


def test_citation_and_run_json_carry_the_same_version():
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r'^version:\s*"?([^"\n]+)"?$', cff, re.M).group(1) == PROJECT_VERSION
    record = provenance({}, 0)
    assert record["version"] == PROJECT_VERSION == record["versions"]["relu-landscape"]


def test_changelog_and_license_exist():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert PYPROJECT["project"]["license"] == "MIT"
    assert "# Changelog" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_version_falls_back_to_pyproject_then_unknown(monkeypatch, tmp_path):
    def absent(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(version_module.metadata, "version", absent)
    assert version_module.version() == PROJECT_VERSION
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nversion = "9"\n[project]\nname = "x"\nversion = "1.2.3"\n'
        '[tool.x]\nversion = "8"\n')
    assert version_module._from_pyproject(tmp_path / "pyproject.toml") == "1.2.3"
    (tmp_path / "pyproject.toml").write_text('[tool.x]\nversion = "8"\n')
    assert version_module._from_pyproject(tmp_path / "pyproject.toml") is None
    assert version_module._from_pyproject(tmp_path / "missing.toml") is None


def _tracked(package: str) -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", package], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        pytest.skip("not a git checkout")
    return out.split()


@pytest.mark.parametrize("package", PYPROJECT["tool"]["setuptools"]["packages"]["find"]
                         ["include"])
def test_every_data_file_of_a_package_is_package_data(package):
    """A file a command reads at run time must ship in the wheel: every tracked non-Python
    file under a package matches one of pyproject's package-data globs."""
    name = package.rstrip("*")
    globs = PYPROJECT["tool"]["setuptools"].get("package-data", {}).get(name, [])
    missing = [path for path in _tracked(name) if not path.endswith(".py")
               and not any(fnmatch.fnmatch(path.removeprefix(f"{name}/"), g) for g in globs)]
    assert not missing, f"not package data (add to pyproject's package-data): {missing}"
