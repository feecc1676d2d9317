"""The `Statement` record: one labelled mathematical statement of the papers.

Main definitions: `Kind`, `Source`, `Flag`, `Statement`.
A statement holds its hypotheses and conclusion as sympy objects over symbols with
declared assumptions (see `theory.symbols`), the labels it `uses`, and the defects a
check recorded in the source (`flags`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

import sympy as sp

from theory.errors import InvalidArgumentError

LABEL_RE = re.compile(r"^(fb|ll|new|loss):[a-z0-9][a-z0-9.\-_]*$")


class Kind(StrEnum):
    """What a statement is: assumption, definition, lemma, proposition, theorem, corollary.

    >>> from theory import Kind
    >>> Kind("lemma") is Kind.LEMMA, len(Kind)
    (True, 6)
    """

    ASSUMPTION = "assumption"
    DEFINITION = "definition"
    LEMMA = "lemma"
    PROPOSITION = "proposition"
    THEOREM = "theorem"
    COROLLARY = "corollary"


class Source(StrEnum):
    """Where a statement comes from: one of the two papers, or the project itself.

    >>> from theory import Source
    >>> [str(source) for source in Source]
    ['[FB17]', '[B26]', 'project']
    """

    FB17 = "[FB17]"
    B26 = "[B26]"
    PROJECT = "project"


@dataclass(frozen=True)
class Flag:
    """A defect in the source found by a check: which proof `step`, and why.

    >>> import sympy as sp
    >>> from theory import Flag, Kind, Source, Statement
    >>> flag = Flag("step_1", "the displayed constant is off by a factor 2")
    >>> toy = Statement("new:toy", "toy", Kind.LEMMA, Source.PROJECT, (), sp.true, flags=(flag,))
    >>> toy.flags[0].step
    'step_1'
    """

    step: str
    explanation: str


@dataclass(frozen=True)
class Statement:
    """One statement of the papers.

    **Arguments**
    - `label`: stable key, e.g. ``"ll:bridge"`` (prefix ``fb``/``ll``/``new``/``loss``).
    - `kind`: assumption / definition / lemma / proposition / theorem / corollary.
    - `hypotheses`: tuple of sympy booleans (relations or predicates) assumed.
    - `conclusion`: a sympy boolean (relation, predicate or conjunction).
    - `uses`: labels of the statements the proof depends on.
    - `flags`: recorded defects of the source (each with its explanation).
    - `survivors`: (pattern, reason) pairs explaining mutants of ``check --mutate`` that
      no obligation catches; the pattern is an fnmatch pattern on the mutant's id
      (``"<kind>: <where>"``, e.g. ``"drop-hypothesis: *"``).

    >>> import sympy as sp
    >>> from theory import Kind, Source, Statement
    >>> x = sp.Symbol("x", positive=True)
    >>> square = Statement("new:square", "squares grow", Kind.LEMMA, Source.PROJECT,
    ...                    hypotheses=(x > 1,), conclusion=x**2 > x)
    >>> square.free_symbols, square.uses
    ({x}, ())
    >>> Statement("toy", "bad label", Kind.LEMMA, Source.PROJECT, (), sp.true)
    Traceback (most recent call last):
        ...
    theory.errors.InvalidArgumentError: statement label 'toy' is not of the form 'fb:…'/'ll:…'
    """

    label: str
    title: str
    kind: Kind
    source: Source
    hypotheses: tuple[sp.Basic, ...]
    conclusion: sp.Basic
    uses: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    text: str = ""
    symbols: tuple[sp.Symbol, ...] = field(default=(), compare=False)
    survivors: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not LABEL_RE.match(self.label):
            raise InvalidArgumentError(
                f"statement label {self.label!r} is not of the form 'fb:…'/'ll:…'")
        if not isinstance(self.kind, Kind):
            raise TypeError(f"{self.label}: kind must be a Kind, got {self.kind!r}")
        if not isinstance(self.source, Source):
            raise TypeError(f"{self.label}: source must be a Source, got {self.source!r}")
        for h in self.hypotheses:
            if not isinstance(h, sp.Basic):
                raise TypeError(f"{self.label}: hypothesis {h!r} is not a sympy object")
        if not isinstance(self.conclusion, sp.Basic):
            raise TypeError(f"{self.label}: conclusion {self.conclusion!r} is not a sympy object")
        for pattern, reason in self.survivors:
            if not (isinstance(pattern, str) and isinstance(reason, str) and reason):
                raise TypeError(f"{self.label}: survivors need (pattern, reason) strings")
        if self.label in self.uses:
            raise InvalidArgumentError(f"{self.label}: a statement cannot use itself")

    @property
    def free_symbols(self) -> set[sp.Symbol]:
        out = set(self.conclusion.free_symbols)
        for h in self.hypotheses:
            out |= h.free_symbols
        return out
