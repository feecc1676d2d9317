"""The one error base of relu-landscape.

Every error the project raises on purpose derives from `RelulandscapeError`, so a caller
(and the command line, which turns it into one clear line and exit status 2) can tell a
refused input from a bug. Subclasses also derive from the matching builtin (`ValueError`,
`KeyError`, …) so that ordinary `except ValueError` code keeps working.
"""

from __future__ import annotations


class RelulandscapeError(Exception):
    """Base of every deliberate relu-landscape error: a bad input, a refused run, …"""


class InvalidArgumentError(RelulandscapeError, ValueError):
    """An argument is out of its domain (κ ≤ 0, NaN, a negative count, …)."""

    def __str__(self) -> str:
        # KeyError-style quoting never applies: the message is the first argument
        return str(self.args[0]) if self.args else ""


class UnknownNameError(RelulandscapeError, KeyError):
    """A name (loss, data set, statement label, …) that the catalogue does not know."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
