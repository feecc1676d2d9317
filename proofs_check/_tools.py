"""External tools some obligations need, and how to install them (light: no imports).

An obligation whose tool is absent is `not run` (`Status.NOT_RUN`), never `undecided`:
the mathematics was not in question, the tool was missing. `relu-landscape check` counts
such results in its summary and exits 0 unless ``--require NAME`` names the tool.

`TOOLS` maps a tool's name (the `--require` value, and the method name of its obligations)
to a `Tool`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    """An external program: `name` (method name and `--require` value), its executable,
    what its obligations are called in the summary, and the line that installs it."""

    name: str
    exe: str
    checks: str
    install: str

    def count(self, n: int) -> str:
        """"n kernel checks" (singular for one)."""
        return f"{n} {self.checks}" if n != 1 else f"1 {self.checks.removesuffix('s')}"

    def missing(self) -> str:
        """The detail of a result this tool could not run."""
        return f"{self.exe} missing — {self.install}"


TOOLS: dict[str, Tool] = {
    "coq": Tool("coq", "coqc", "kernel checks", "apt-get install coq"),
}
