"""The reference pages' generator: the API of each package and the CLI, read from the code.

Not a page (`conf.py` excludes `_*.py`); `api.py` and `cli.py` call it when the docs are
built, so neither page can drift from the code. Output is HTML (`_literate.Html`): the
docstrings are shown as their authors wrote them (markdown-like, Unicode math), with
`code` spans, $math$ and **bold** marked up, and nothing Sphinx parses (so no build
warning).

Main definitions:
- `public_names(module)` → the names a package offers (`__all__`, else its public
  submodules' public names); `api_html(package)` → an index table and one entry per name
  (kind, signature, docstring), each with an anchor `api-<module>.<name>`;
- `cli_sections(parser)` → per subcommand: usage, description and every option (flags,
  metavar, default, choices, help) of `experiments.cli.build_parser()`; `cli_html()`.
"""

from __future__ import annotations

import argparse
import html
import importlib
import inspect
import pkgutil
import re
import textwrap
from dataclasses import dataclass
from types import ModuleType

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*\n]+)\*\*")
#: docstrings keep their line breaks and indentation, and wrap within the column
_WRAP = "white-space: pre-wrap; overflow-wrap: anywhere"


_MATH = re.compile(r"\$(?=[^$\s])([^$\n]*?[^$\s])\$")


def marked_up(text: str) -> str:
    """`text` escaped for HTML, with `code` spans, $math$ (typeset by MathJax, as Sphinx
    marks inline math) and **bold** marked up; nothing inside a code span is touched."""
    out = []
    for i, part in enumerate(_CODE.split(text)):
        if i % 2:  # the inside of a `code` span
            out.append(f"<code>{html.escape(part, quote=False)}</code>")
            continue
        pieces = _MATH.split(part)
        for j, piece in enumerate(pieces):
            if j % 2:
                out.append('<span class="math notranslate nohighlight">\\('
                           f"{html.escape(piece, quote=False)}\\)</span>")
            else:
                out.append(_BOLD.sub(r"<strong>\1</strong>", html.escape(piece, quote=False)))
    return "".join(out)


def doc_html(doc: str) -> str:
    """A docstring as HTML: prose marked up (`marked_up`) and each doctest example (from a
    `>>>` line to the next blank line) as a code block of class `api-example`, shown as
    written — an expected exception's traceback in an example is part of the example, not
    an error of the page."""
    parts, prose, example = [], [], []

    def flush(lines: list[str], kind: str) -> None:
        if not lines:
            return
        text = "\n".join(lines).strip("\n")
        if kind == "example":
            parts.append(f'<pre class="api-example" style="{_WRAP}">'
                         f"{html.escape(textwrap.dedent(text), quote=False)}</pre>")
        elif text.strip():
            parts.append(f'<div class="api-doc" style="{_WRAP}">{marked_up(text)}</div>')
        lines.clear()

    for line in doc.splitlines():
        if example:
            if line.strip():
                example.append(line)
                continue
            flush(example, "example")
        if line.lstrip().startswith(">>>"):
            flush(prose, "prose")
            example.append(line)
        else:
            prose.append(line)
    flush(example, "example")
    flush(prose, "prose")
    return "".join(parts)


def _own_public(module: ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return [n for n, v in vars(module).items() if not n.startswith("_")
            and getattr(v, "__module__", None) == module.__name__
            and (inspect.isclass(v) or inspect.isfunction(v))]


def public_names(package: str) -> list[tuple[str, str]]:
    """(module, name) pairs of what `package` offers: its `__all__`, or for a package
    without one (`experiments`) the public names of its public submodules."""
    mod = importlib.import_module(package)
    if hasattr(mod, "__all__"):
        return [(package, n) for n in mod.__all__]
    out = []
    for info in pkgutil.iter_modules(mod.__path__):
        if info.name.startswith("_") or info.ispkg:
            continue
        sub = importlib.import_module(f"{package}.{info.name}")
        out += [(sub.__name__, n) for n in _own_public(sub)]
    return out


def _kind(obj: object) -> str:
    if inspect.isclass(obj):
        return "exception" if issubclass(obj, BaseException) else "class"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "function"
    if inspect.ismodule(obj):
        return "module"
    return "constant"


def _signature(name: str, obj: object) -> str:
    if not callable(obj) or inspect.ismodule(obj):
        text = repr(obj)
        return f"{name} = {text[:200] + ' …' if len(text) > 200 else text}"
    try:
        return f"{name}{inspect.signature(obj)}"
    except (TypeError, ValueError):
        return name


def _doc(obj: object) -> str:
    if _kind(obj) == "constant":
        return ""
    return inspect.getdoc(obj) or ""


@dataclass(frozen=True)
class Entry:
    module: str
    name: str
    kind: str
    signature: str
    doc: str

    @property
    def anchor(self) -> str:
        return f"api-{self.module}.{self.name}"

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n", 1)[0].replace("\n", " ")


def entries(package: str) -> list[Entry]:
    out = []
    for module, name in public_names(package):
        obj = getattr(importlib.import_module(module), name)
        out.append(Entry(module, name, _kind(obj), _signature(name, obj), _doc(obj)))
    return out


def api_html(package: str) -> str:
    """An index table of `package`'s public names, then one entry per name."""
    items = entries(package)
    rows = "".join(
        f'<tr><td><a href="#{e.anchor}"><code>{html.escape(e.name)}</code></a></td>'
        f"<td>{e.kind}</td><td>{marked_up(e.summary)}</td></tr>" for e in items)
    index = (f'<div class="table-wrap"><table class="docutils api-index"><thead><tr>'
             f"<th>name</th><th>kind</th><th>summary</th></tr></thead><tbody>{rows}"
             "</tbody></table></div>")
    blocks = []
    for e in items:
        doc = doc_html(e.doc) if e.doc else ""
        blocks.append(
            f'<section class="api-entry" id="{html.escape(e.anchor)}">'
            f"<p><em>{e.kind}</em> <code>{html.escape(e.module)}</code></p>"
            f'<pre class="api-signature">{html.escape(e.signature)}</pre>{doc}</section>')
    return index + "".join(blocks)


# ------------------------------------------------------------------------------ the CLI


@dataclass(frozen=True)
class Option:
    flags: str
    metavar: str
    default: str
    choices: str
    help: str
    required: bool


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    description: str
    options: tuple[Option, ...]


def _help_text(action: argparse.Action, parser: argparse.ArgumentParser) -> str:
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    fmt = dict(vars(action), prog=parser.prog)
    fmt = {k: (", ".join(map(str, v)) if k == "choices" and v else v) for k, v in fmt.items()}
    try:
        return action.help % fmt
    except (KeyError, TypeError, ValueError):
        return action.help


def _options(parser: argparse.ArgumentParser) -> tuple[Option, ...]:
    out = []
    for a in parser._actions:
        if isinstance(a, argparse._HelpAction | argparse._SubParsersAction):
            continue
        flags = ", ".join(a.option_strings) or (a.metavar or a.dest)
        default = "" if a.default in (None, argparse.SUPPRESS, False, []) or a.required \
            else str(a.default)
        out.append(Option(flags, str(a.metavar or "") if a.option_strings else "",
                          default, ", ".join(map(str, a.choices)) if a.choices else "",
                          _help_text(a, parser),
                          bool(a.required or (not a.option_strings
                                              and a.nargs not in ("*", "?")))))
    return tuple(out)


def cli_sections(parser: argparse.ArgumentParser) -> list[Command]:
    """The top-level command, then one `Command` per subcommand, in the parser's order."""
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out = [Command(parser.prog, parser.format_usage().removeprefix("usage: ").strip(),
                   parser.description or "", _options(parser))]
    for name, p in sub.choices.items():
        out.append(Command(name, p.format_usage().removeprefix("usage: ").strip(),
                           p.description or "", _options(p)))
    return out


def cli_html(parser: argparse.ArgumentParser | None = None) -> str:
    """Every command with its usage and options as HTML (`experiments.cli.build_parser()`
    by default)."""
    if parser is None:
        from experiments.cli import build_parser

        parser = build_parser()
    parts = []
    for c in cli_sections(parser):
        title = c.name if c.name == parser.prog else f"{parser.prog} {c.name}"
        rows = "".join(
            f"<tr><td><code>{html.escape(o.flags)}</code>"
            f"{' <em>(required)</em>' if o.required else ''}</td>"
            f"<td><code>{html.escape(o.metavar)}</code></td><td>{marked_up(o.default)}</td>"
            f"<td>{marked_up(o.choices)}</td><td>{marked_up(o.help)}</td></tr>"
            for o in c.options)
        table = (f'<div class="table-wrap"><table class="docutils cli-options"><thead><tr>'
                 "<th>option</th><th>value</th><th>default</th><th>choices</th><th>meaning</th>"
                 f"</tr></thead><tbody>{rows}</tbody></table></div>") if rows else ""
        parts.append(
            f'<section class="cli-command" id="cli-{html.escape(c.name)}">'
            f"<h3>{html.escape(title)}</h3><p>{marked_up(c.description)}</p>"
            f'<pre class="cli-usage">usage: {html.escape(c.usage)}</pre>{table}</section>')
    return "".join(parts)
