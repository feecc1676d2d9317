"""Typeset the formulas inside a statement's plain-text line.

Not a page. The registry's `text` lines (theory/statements) are written in Unicode for the
terminal: "E‖X‖² < ∞, E|ℒ(Y,0)| < ∞, u ↦ ℒ(y,u) convex and L-Lipschitz, R_m ≥ R̲." On the
docs pages `typeset(text)` keeps the words as text and turns every formula run into `$…$`
with its TeX: `$E\\|X\\|^{2} < \\infty$, …, $R_{m} \\ge \\underline{R}$.` A run is the
stretch between English words (two or more letters, not a function name like `max`, not
right after `_` or `^`); it becomes math when it holds a math sign or a lone letter. A
text that already holds `$` is left as it is.
"""

from __future__ import annotations

import re

#: single characters → TeX (letters and signs of the registry's texts)
CHAR_TEX = {
    "‖": r"\|", "≤": r"\le ", "≥": r"\ge ", "∞": r"\infty ", "↦": r"\mapsto ", "→": r"\to ",
    "⇒": r"\Rightarrow ", "−": "-", "±": r"\pm ", "∩": r"\cap ", "⋯": r"\cdots ",
    "⌊": r"\lfloor ", "⌋": r"\rfloor ", "½": r"\tfrac12 ", "¼": r"\tfrac14 ",
    "ℒ": r"\mathcal{L}", "𝒞": r"\mathcal{C}", "𝔟": r"\mathfrak{b}", "ℓ": r"\ell ",
    "ŵ": r"\hat{w}", "ö": r"\ddot{o}", "{": r"\{", "}": r"\}", "*": r"\ast ", "#": r"\#",
    "α": r"\alpha ", "γ": r"\gamma ", "δ": r"\delta ", "ε": r"\varepsilon ",
    "θ": r"\theta ", "κ": r"\kappa ", "λ": r"\lambda ", "ρ": r"\rho ", "σ": r"\sigma ",
    "φ": r"\varphi ", "Λ": r"\Lambda ", "Φ": r"\Phi ", "Ω": r"\Omega ", "Σ": r"\Sigma ",
}
#: superscript and subscript characters → (script, TeX)
SCRIPTS = {"²": ("^", "2"), "¹": ("^", "1"), "ᵀ": ("^", r"\top"), "₀": ("_", "0"),
           "₁": ("_", "1"), "₂": ("_", "2"), "₊": ("_", "+")}
#: combining accents → TeX accent on the preceding letter
ACCENTS = {"\u0302": r"\hat", "\u0304": r"\bar", "\u0332": r"\underline"}
#: words that are part of a formula (operators), not English
FUNCTIONS = {"max": r"\max", "min": r"\min", "inf": r"\inf", "sup": r"\sup", "log": r"\log",
             "exp": r"\exp", "det": r"\det", "sin": r"\sin", "cos": r"\cos",
             "sgn": r"\operatorname{sgn}", "rank": r"\operatorname{rank}",
             "fix": r"\operatorname{fix}", "cyc": r"\operatorname{cyc}", "dt": "dt"}

_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
#: a label of the registry (`ll:thm-dimfree`), a hyphenated or possessive word, "1-D"
_WORD = re.compile(rf"\b(?:fb|ll|new|loss):[\w.-]*\w(?:'s)?|\d-D\b|[A-Za-z]-[A-Z][a-z]+"
                   rf"|[{_LETTER}]{{2,}}(?:-[{_LETTER}]+)*(?:['’][a-z]+)?")
#: two-letter English words (any other two letters, like `ta` or `XX`, are a formula's)
_SHORT_WORDS = {"if", "as", "at", "in", "on", "of", "to", "is", "by", "be", "it", "or", "an",
                "no", "so", "up", "do", "ll"}
_SIGN = re.compile(r"[^\sA-Za-z0-9.,;:'()\[\]\-]|^[A-Za-z]$|[A-Za-z]\s*[=<>]|\b[A-Za-z]\b")


def _atom(s: str, i: int) -> int:
    """End of the atom starting at `s[i]`: a `{…}` group, a word/number run, or one char."""
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return j + 1
        return len(s)
    if s[i] == "(":
        depth = 0
        for j in range(i, len(s)):
            depth += {"(": 1, ")": -1}.get(s[j], 0)
            if depth == 0:
                return j + 1
        return len(s)
    m = re.match(rf"[{_LETTER}]+|\d+", s[i:])
    return i + (len(m.group(0)) if m else 1)


def tex(run: str) -> str:
    """The TeX of one formula run written in Unicode."""
    out: list[str] = []
    i = 0
    while i < len(run):
        c = run[i]
        if c in "_^" and i + 1 < len(run):
            end = _atom(run, i + 1)
            body = run[i + 1:end]
            if body.startswith("{") and body.endswith("}"):
                body = body[1:-1]
            out.append(f"{c}{{{tex(body)}}}")
            i = end
        elif c == "√" and i + 1 < len(run):
            end = _atom(run, i + 1)
            body = run[i + 1:end]
            if body.startswith("(") and body.endswith(")"):
                body = body[1:-1]
            out.append(rf"\sqrt{{{tex(body)}}}")
            i = end
        elif c in SCRIPTS:
            script, body = SCRIPTS[c]
            while i + 1 < len(run) and run[i + 1] in SCRIPTS and SCRIPTS[run[i + 1]][0] == script:
                i += 1
                body += SCRIPTS[run[i]][1]
            out.append(f"{script}{{{body}}}")
            i += 1
        elif i + 1 < len(run) and run[i + 1] in ACCENTS:
            out.append(f"{ACCENTS[run[i + 1]]}{{{CHAR_TEX.get(c, c).strip()}}}")
            i += 2
        elif c == "Σ" and not run.startswith("_", i + 1):
            out.append(r"\sum ")
            i += 1
        else:
            word = re.match(r"[A-Za-z]{2,}", run[i:])
            if word and word.group(0) in FUNCTIONS:
                out.append(FUNCTIONS[word.group(0)] + " ")
                i += len(word.group(0))
            else:
                out.append(CHAR_TEX.get(c, c))
                i += 1
    return re.sub(r" +([})\],;/^_'])", r"\1", "".join(out).replace("  ", " "))


def _is_word(m: re.Match[str], text: str) -> bool:
    """An English word (not a function name, not a script, not a lone article)."""
    w = m.group(0)
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    if w in FUNCTIONS or (before and before in "_^") or (after and after in "ᵀ²_^"):
        return False
    return len(w) > 2 or w.lower() in _SHORT_WORDS


def _split(text: str) -> list[tuple[bool, str]]:
    """(is_text, piece) pieces: English words (and the articles before them) vs runs."""
    pieces: list[tuple[bool, str]] = []
    at = 0
    depth = 0  # inside a `_{…}` / `^{…}` group nothing is a word
    words = []
    for m in _WORD.finditer(text):
        prefix = text[:m.start()]
        depth = sum(1 for g in re.finditer(r"[_^]\{[^}]*$", prefix))
        if depth == 0 and _is_word(m, text):
            words.append(m)
    for m in words:
        start = m.start()
        article = re.search(r"(?:^|(?<=\s))[aA]\s+$", text[at:start])
        if article:
            start = at + article.start()
        pieces.append((False, text[at:start]))
        pieces.append((True, text[start:m.end()]))
        at = m.end()
    pieces.append((False, text[at:]))
    return pieces


def _trim(run: str) -> tuple[str, str, str]:
    """(before, formula, after): punctuation and unmatched brackets stay text."""
    lead = re.match(r"^[\s,;:.)'\-]*", run).group(0)
    trail = re.search(r"[\s,;:.(\-]*$", run[len(lead):]).group(0)
    core = run[len(lead):len(run) - len(trail)]
    while core.startswith("(") and core.count("(") > core.count(")"):
        lead, core = lead + "(", core[1:]
    while core.endswith(")") and core.count(")") > core.count("("):
        core, trail = core[:-1], ")" + trail
    return lead, core, trail


def typeset(text: str) -> str:
    """`text` as MyST markdown: words as they are, every formula run as `$…$`."""
    if "$" in text:
        return text
    loss = re.fullmatch(r"ℒ\(y, u\) = (.+)", text)
    if loss:  # a loss of the catalogue: its formula is sympy's own text
        import sympy as sp

        u, y = sp.symbols("u y", real=True)
        expr = sp.sympify(loss.group(1), locals={"u": u, "y": y})
        return rf"$\mathcal{{L}}(y, u) = {sp.latex(expr)}$"
    out = []
    for is_text, piece in _split(text):
        if is_text or not piece.strip():
            out.append(piece)
            continue
        for part in _clauses(piece):
            lead, core, trail = _trim(part)
            if core and _SIGN.search(core) and not re.fullmatch(r"[\d\s.,]+", core):
                out.append(f"{lead}${tex(core).strip()}${trail}")
            else:
                out.append(part)
    return "".join(out)


def _clauses(run: str) -> list[str]:
    """`run` cut after each `, ` `; ` `: ` outside brackets (short formulas wrap as text)."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(run):
        depth = max(0, depth + {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(c, 0))
        if depth == 0 and c in ",;:." and run[i + 1:i + 2] == " ":
            parts.append(run[start:i + 1])
            start = i + 1
    parts.append(run[start:])
    return parts
