"""Argument domains: one definition of what a setting may be, for flags and files alike.

Light on purpose (no torch, sympy or numpy): the command line and `--config` files are
checked with these before any heavy import. A domain checks one value and returns it in
normal form (a list becomes a tuple, an integer in a real-valued field becomes a float);
anything else raises the project's `InvalidArgumentError`, naming the setting and what
is expected. `setting(domain, help, flag=…)` puts a domain, its help text and its flag on
a dataclass field (field metadata); `Settings` checks every such field on construction,
and `add_options` / `options_of` make an argparse parser from them and read it back.

>>> COUNT.check("pairs", 3)
3
>>> COUNT.check("pairs", -3)
Traceback (most recent call last):
...
theory.errors.InvalidArgumentError: pairs must be an integer ≥ 1, got -3
>>> POSITIVE.check("kappa", float("nan"))
Traceback (most recent call last):
...
theory.errors.InvalidArgumentError: kappa must be a finite number > 0, got nan
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from theory.errors import InvalidArgumentError, RelulandscapeError

SEED_MAX = 2**63  # root seeds are integers in [0, 2⁶³)
HUGE = 2**31 - 1  # no count of this project's settings exceeds this


class Domain:
    """What one setting may be. `check(name, value)` returns the value in normal form or
    raises `InvalidArgumentError`; `expected` says it in words; `parse(text)` reads a
    command-line string."""

    expected: str = "a value"

    def check(self, name: str, value: Any) -> Any:
        raise NotImplementedError

    def parse(self, text: str) -> Any:
        return text

    def refuse(self, name: str, value: Any) -> InvalidArgumentError:
        shown = value if isinstance(value, int | float) and not isinstance(value, bool) \
            else repr(value)
        return InvalidArgumentError(f"{name} must be {self.expected}, got {shown}")

    def argparse_type(self, flag: str) -> Callable[[str], Any]:
        """An argparse `type=`: parse and check, with argparse's own error message."""
        def convert(text: str) -> Any:
            try:
                return self.check(flag, self.parse(text))
            except (InvalidArgumentError, ValueError) as exc:
                raise argparse.ArgumentTypeError(str(exc).removeprefix(f"{flag} ")) from None
        convert.__name__ = self.expected  # argparse names the type in some messages
        return convert


@dataclass(frozen=True)
class Integer(Domain):
    """An integer in [lo, hi] (booleans refused); `words`, when given, says the range."""

    lo: int = 1
    hi: int = HUGE
    words: str = ""

    @property
    def expected(self) -> str:  # type: ignore[override]
        return self.words or (f"an integer ≥ {self.lo}" if self.hi == HUGE else
                              f"an integer in [{self.lo}, {self.hi}]")

    def check(self, name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.lo:
            raise self.refuse(name, value)
        if value > self.hi:
            raise InvalidArgumentError(f"{name} must be "
                                       f"{self.words or f'an integer in [{self.lo}, {self.hi}]'}"
                                       f", got {value}")
        return value

    def parse(self, text: str) -> Any:
        try:
            return int(text)
        except ValueError:
            return text


@dataclass(frozen=True)
class Real(Domain):
    """A finite real number with optional bounds: > gt, ≥ ge, ≤ le, < lt."""

    gt: float | None = None
    ge: float | None = None
    le: float | None = None
    lt: float | None = None

    @property
    def expected(self) -> str:  # type: ignore[override]
        parts = [f"> {self.gt:g}" if self.gt is not None else "",
                 f"≥ {self.ge:g}" if self.ge is not None else "",
                 f"≤ {self.le:g}" if self.le is not None else "",
                 f"< {self.lt:g}" if self.lt is not None else ""]
        bounds = " and ".join(p for p in parts if p)
        return "a finite number" + (f" {bounds}" if bounds else "")

    def check(self, name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.refuse(name, value)
        x = float(value) if not isinstance(value, int) or abs(value) < 2**1023 else math.inf
        ok = math.isfinite(x) and (self.gt is None or x > self.gt) and (
            self.ge is None or x >= self.ge) and (self.le is None or x <= self.le) and (
            self.lt is None or x < self.lt)
        if not ok:
            raise self.refuse(name, value)
        return x

    def parse(self, text: str) -> Any:
        try:
            return float(text)
        except ValueError:
            return text


@dataclass(frozen=True)
class Choice(Domain):
    """One of a fixed set of names."""

    names: tuple[str, ...]

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.names)

    def check(self, name: str, value: Any) -> str:
        if not isinstance(value, str) or value not in self.names:
            raise self.refuse(name, value)
        return value


@dataclass(frozen=True)
class Boolean(Domain):
    expected = "true or false"

    def check(self, name: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.refuse(name, value)
        return value


@dataclass(frozen=True)
class Checked(Domain):
    """A value accepted by `accept(value)` (which returns its normal form or raises
    `InvalidArgumentError`/`ValueError`), e.g. a loss name; `what` is the expected form."""

    accept: Callable[[Any], Any]
    what: str

    @property
    def expected(self) -> str:  # type: ignore[override]
        return self.what

    def check(self, name: str, value: Any) -> Any:
        try:
            return self.accept(value)
        except (RelulandscapeError, ValueError, TypeError) as exc:
            raise InvalidArgumentError(f"{name} must be {self.what}: {exc}") from None


@dataclass(frozen=True)
class Maybe(Domain):
    """None, or a value of `inner`."""

    inner: Domain

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"{self.inner.expected} (or unset)"

    def check(self, name: str, value: Any) -> Any:
        return None if value is None else self.inner.check(name, value)

    def parse(self, text: str) -> Any:
        return self.inner.parse(text)


@dataclass(frozen=True)
class Many(Domain):
    """A non-empty list of values of `inner`, at most `longest` (becomes a tuple)."""

    inner: Domain
    longest: int = 64
    increasing: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        order = "increasing " if self.increasing else ""
        return f"a non-empty {order}list (≤ {self.longest} items), each {self.inner.expected}"

    def check(self, name: str, value: Any) -> tuple:
        if not isinstance(value, list | tuple) or not 1 <= len(value) <= self.longest:
            raise self.refuse(name, value)
        out = tuple(self.inner.check(f"each of {name}", v) for v in value)
        if self.increasing and any(a >= b for a, b in itertools.pairwise(out)):
            raise self.refuse(name, value)
        return out


@dataclass(frozen=True)
class Pair(Domain):
    """A two-element list (first, second)."""

    first: Domain
    second: Domain

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a list [{self.first.expected}, {self.second.expected}]"

    def check(self, name: str, value: Any) -> tuple:
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise self.refuse(name, value)
        return (self.first.check(f"{name}[0]", value[0]),
                self.second.check(f"{name}[1]", value[1]))


@dataclass(frozen=True)
class Table(Domain):
    """A table {key: value} with keys among `keys` (a TOML table, e.g. L0 per task)."""

    keys: tuple[str, ...]
    inner: Domain

    @property
    def expected(self) -> str:  # type: ignore[override]
        return f"a table with keys among {', '.join(self.keys)} of {self.inner.expected}s"

    def check(self, name: str, value: Any) -> dict:
        if not isinstance(value, dict) or not value or any(k not in self.keys for k in value):
            raise self.refuse(name, value)
        return {k: self.inner.check(f"{name}.{k}", v) for k, v in value.items()}


COUNT = Integer(1)
NONNEGATIVE_COUNT = Integer(0)
SEED = Integer(0, SEED_MAX - 1, words="an integer in [0, 2**63)")  # a root seed
POSITIVE = Real(gt=0)
NONNEGATIVE = Real(ge=0)
FRACTION = Real(gt=0, le=1)  # (0, 1]
PROPER_FRACTION = Real(gt=0, lt=1)  # (0, 1)
WIDTH = Integer(2)  # a hidden width m ≥ 2 (what fits is for the memory estimate)
DEPTH = Integer(1, 30)  # DSS generations: a string has ≤ 2^depth + 1 beads
GRID = Integer(2, 1 << 20)  # points per segment
FLAG = Boolean()


def setting(domain: Domain, help: str = "", *, flag: str | None = None,
            default: Any = dataclasses.MISSING, factory: Any = dataclasses.MISSING,
            cli: bool = True) -> Any:
    """A dataclass field carrying its domain, help text and command-line flag (default:
    the field name with dashes). `cli=False`: a setting of configs and files only;
    `factory`: a default_factory (for a mutable default)."""
    meta = {"domain": domain, "help": help, "flag": flag, "cli": cli}
    return dataclasses.field(default=default, default_factory=factory, metadata=meta)


def domain_of(field: dataclasses.Field) -> Domain | None:
    return field.metadata.get("domain")


def flag_of(field: dataclasses.Field) -> str:
    return field.metadata.get("flag") or "--" + field.name.replace("_", "-")


class Settings:
    """Mixin of the frozen config dataclasses: every field with a domain is checked (and
    normalized) on construction, then `check()` applies the rules between fields."""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            domain = domain_of(f)
            if domain is not None:
                object.__setattr__(self, f.name, domain.check(f.name, getattr(self, f.name)))
        self.check()

    def check(self) -> None:
        """Rules between fields (override); raise `InvalidArgumentError`."""


def replaced(config: Any, values: dict[str, Any], *, where: str = "") -> Any:
    """`config` with the named fields replaced (unknown names refused), every value checked
    against its field's domain. `where` prefixes the error (e.g. "--config FILE")."""
    names = {f.name for f in dataclasses.fields(config)}
    unknown = sorted(set(values) - names)
    prefix = f"{where}: " if where else ""
    if unknown:
        raise InvalidArgumentError(
            f"{prefix}unknown setting(s) {unknown} for {type(config).__name__}; "
            f"known: {sorted(names)}")
    try:
        return dataclasses.replace(config, **values)
    except InvalidArgumentError as exc:
        raise InvalidArgumentError(f"{prefix}{exc}") from None
    except TypeError as exc:  # a field without a domain got a value of the wrong type
        raise InvalidArgumentError(f"{prefix}bad setting: {exc}") from None


def add_options(parser: argparse.ArgumentParser, cls: type, *,
                skip: Iterable[str] = (), required: Iterable[str] = ()) -> None:
    """Add one option per command-line field of the config class `cls` (its flag, help,
    domain and default); fields in `required` have no default on the command line."""
    skip, required = set(skip), set(required)
    for f in dataclasses.fields(cls):
        domain = domain_of(f)
        if domain is None or f.name in skip or not f.metadata.get("cli", True):
            continue
        # argparse %-formats help text: a literal % in a field's help must not break --help
        flag, help = flag_of(f), f.metadata.get("help", "").replace("%", "%%")
        if isinstance(domain, Boolean):
            parser.add_argument(flag, dest=f.name, action="store_true", help=help)
            continue
        kwargs: dict[str, Any] = {"dest": f.name, "help": help}
        if isinstance(domain, Choice):
            kwargs["choices"] = domain.names
        else:
            kwargs["type"] = domain.argparse_type(flag)
        if f.name in required:
            kwargs["required"] = True
        elif f.default is not dataclasses.MISSING:
            kwargs["default"] = f.default
            if f.default is not None and help:
                kwargs["help"] = f"{help} (default {f.default})"
        parser.add_argument(flag, **kwargs)


def options_of(args: argparse.Namespace, cls: type, *, skip: Iterable[str] = ()
               ) -> dict[str, Any]:
    """The values of `cls`'s command-line fields in parsed `args` (for `cls(**…)`)."""
    skip = set(skip)
    return {f.name: getattr(args, f.name) for f in dataclasses.fields(cls)
            if domain_of(f) is not None and f.name not in skip
            and f.metadata.get("cli", True) and hasattr(args, f.name)}
