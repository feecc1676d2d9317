"""Coq's dependency graph of the registry theorems, compared with the registry's `uses` edges.

With the coq-dpdgraph plugin (Debian: ``apt-get install libcoq-dpdgraph coq-dpdgraph-tools``)
``Print FileDependGraph`` lists every object of the compiled development (`_coqchk.build_generated`:
the library and the generated ``RLGen.Registry``) and which objects each one's proof or
definition mentions. For a label X with a Coq theorem, its *Coq uses* are the labels Y ≠ X
whose hand-proved lemma (`CoqSpec.lemma` in `CoqSpec.module`) is reached from X's generated
`registry_*` theorem without passing through a third label's lemma. The comparison with X's
registered `uses` (restricted to labels that have a Coq theorem) gives

- *Coq only*: X's Coq proof uses Y's lemma but the registry does not list Y (noted when the
  registry still reaches Y through other uses);
- *registry only*: the registry lists Y but X's Coq proof does not use Y's lemma (the Coq
  proof re-derives it or does not need it);
- *not comparable*: uses of labels without a Coq theorem.

Without the plugin (or without coqc) the comparison is skipped with a message saying so.

Main definitions: `compare()` → `GraphReport` (`lines()` for `check --coqchk`,
`markdown()` for the docs page), `parse_dpd(text)`, `coq_uses(nodes, edges)`.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

INSTALL = "apt-get install -y libcoq-dpdgraph coq-dpdgraph-tools"
TIMEOUT_S = 300


@dataclass
class GraphReport:
    """The comparison (or why it did not run: `skipped`)."""

    skipped: str = ""
    coq: dict[str, set[str]] = field(default_factory=dict)  # label → Coq uses
    registry: dict[str, set[str]] = field(default_factory=dict)  # label → registered uses
    coq_only: list[tuple[str, str, str]] = field(default_factory=list)  # (X, Y, note)
    registry_only: list[tuple[str, str]] = field(default_factory=list)
    not_comparable: dict[str, list[str]] = field(default_factory=dict)
    nodes: int = 0
    edges: int = 0

    def agree(self) -> list[str]:
        return sorted(x for x in self.coq if not self.coq[x] ^ self.registry.get(x, set()))

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"coq-dpdgraph: skipped — {self.skipped}"]
        out = [f"coq-dpdgraph: {len(self.coq)} labels with Coq theorems, {self.nodes} objects, "
               f"{self.edges} edges; Coq uses vs registry uses: {len(self.agree())} agree, "
               f"{len(self.coq_only)} edges only in Coq, {len(self.registry_only)} only in "
               "the registry"]
        for x, y, note in self.coq_only:
            out.append(f"  Coq only: {x}'s Coq proof uses {y}'s lemma; the registry's uses "
                       f"of {x} do not list it" + (f" ({note})" if note else ""))
        for x, y in self.registry_only:
            out.append(f"  registry only: {x} uses {y}; its Coq proof does not use {y}'s "
                       "lemma")
        return out

    def markdown(self) -> str:
        if self.skipped:
            return f"The dependency-graph comparison did not run in this build: {self.skipped}."
        rows = ["| label | Coq uses | registry uses (with a Coq theorem) | others used |",
                "|---|---|---|---|"]
        for x in sorted(self.coq):
            def fmt(labels) -> str:
                return ", ".join(f"`{u}`" for u in sorted(labels)) or "—"
            rows.append(f"| `{x}` | {fmt(self.coq[x])} | {fmt(self.registry.get(x, ()))} | "
                        f"{fmt(self.not_comparable.get(x, ()))} |")
        diffs = [f"- Coq only: `{x}`'s Coq proof uses `{y}`'s lemma; the registry's uses of "
                 f"`{x}` do not list it" + (f" ({note})" if note else "")
                 for x, y, note in self.coq_only]
        diffs += [f"- registry only: `{x}` uses `{y}`; its Coq proof does not use `{y}`'s "
                  "lemma" for x, y in self.registry_only]
        summary = (f"{len(self.agree())} of {len(self.coq)} labels agree; "
                   f"{len(self.coq_only)} edges only in Coq, {len(self.registry_only)} only "
                   "in the registry" + (":" if diffs else "."))
        return "\n".join([*rows, "", summary, "", *diffs])


def parse_dpd(text: str) -> tuple[dict[str, tuple[str, str]], dict[str, set[str]]]:
    """({node id: (module path, name)}, {node id: ids it depends on}) of a ``.dpd`` file."""
    nodes: dict[str, tuple[str, str]] = {}
    edges: dict[str, set[str]] = defaultdict(set)
    for line in text.splitlines():
        m = re.match(r'N: (\d+) "([^"]+)" \[(.*)\];', line)
        if m:
            path = re.search(r'path="([^"]*)"', m.group(3))
            nodes[m.group(1)] = (path.group(1) if path else "", m.group(2))
            continue
        m = re.match(r"E: (\d+) (\d+)", line)
        if m:
            edges[m.group(1)].add(m.group(2))
    return nodes, edges


def coq_uses(nodes: dict[str, tuple[str, str]], edges: dict[str, set[str]],
             specs=None) -> dict[str, set[str]]:
    """label → labels whose lemma X's `registry_*` theorems reach, stopping at such lemmas."""
    from proofs_check._coqchk import GEN_MODULE

    if specs is None:
        from proofs_check.coq._specs import SPECS as specs
    by_key = {v: k for k, v in nodes.items()}
    lemma_of: dict[str, str] = {}  # node id → label
    for s in specs:
        nid = by_key.get((s.module, s.lemma))
        if nid is None:
            raise KeyError(f"{s.module}.{s.lemma} (the lemma of {s.label}) is not in Coq's "
                           "dependency graph")
        lemma_of[nid] = s.label
    out: dict[str, set[str]] = {}
    for s in specs:
        start = by_key.get((GEN_MODULE, s.theorem))
        if start is None:
            raise KeyError(f"{s.theorem} is not in Coq's dependency graph")
        found = out.setdefault(s.label, set())
        seen, todo = {start}, [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt in seen:
                    continue
                seen.add(nxt)
                other = lemma_of.get(nxt)
                if other is not None and other != s.label:
                    found.add(other)  # a use of another statement: do not look inside
                else:
                    todo.append(nxt)
    return out


def _plugin_graph(exe: str, built) -> str:
    """The ``.dpd`` text of ``Print FileDependGraph`` over every compiled module."""
    mods = " ".join(built.modules)
    with tempfile.TemporaryDirectory(prefix="rl-dpd-") as tmp:
        src = Path(tmp) / "Graph.v"
        src.write_text(f"Require {mods}.\nFrom dpdgraph Require dpdgraph.\n"
                       'Set DependGraph File "graph.dpd".\n'
                       f"Print FileDependGraph {mods}.\n", encoding="utf-8")
        args = ["-q"]
        for prefix, folder in built.dirs.items():
            args += ["-Q", str(folder), prefix]
        proc = subprocess.run([exe, *args, src.name], cwd=tmp, capture_output=True,
                              text=True, timeout=TIMEOUT_S)
        dpd = Path(tmp) / "graph.dpd"
        if proc.returncode != 0 or not dpd.exists():
            msg = (proc.stdout + proc.stderr).strip().splitlines()
            raise RuntimeError(" ".join(msg[-3:])[-400:] or f"coqc exited {proc.returncode}")
        return dpd.read_text(encoding="utf-8")


def compare() -> GraphReport:
    """Build (cached), run the plugin, compare; skipped (with the reason) when coqc, the
    plugin or a compiled file is missing."""
    from proofs_check._coq import CoqError, coqc
    from proofs_check._coqchk import _specs, build_generated
    from theory import registry

    exe = coqc()
    if exe is None:
        return GraphReport(skipped="coqc missing (apt-get install coq)")
    try:
        built = build_generated(exe)
    except CoqError as exc:
        return GraphReport(skipped=f"the development does not compile: {exc}"[:400])
    try:
        text = _plugin_graph(exe, built)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return GraphReport(skipped=f"the coq-dpdgraph plugin did not load or run with this "
                                   f"Coq ({exc}); install it with {INSTALL}")
    nodes, edges = parse_dpd(text)
    specs = _specs()
    try:
        coq = coq_uses(nodes, edges, specs)
    except KeyError as exc:
        return GraphReport(skipped=str(exc))
    reg = registry()
    with_coq = {s.label for s in specs}
    report = GraphReport(coq=coq, nodes=len(nodes),
                         edges=sum(len(v) for v in edges.values()))
    for x in sorted(coq):
        uses = set(reg.get(x).uses)
        report.registry[x] = uses & with_coq
        others = sorted(uses - with_coq)
        if others:
            report.not_comparable[x] = others
        closure = _closure(reg, x)
        for y in sorted(coq[x] - uses):
            note = "the registry reaches it through other uses" if y in closure else ""
            report.coq_only.append((x, y, note))
        for y in sorted(report.registry[x] - coq[x]):
            report.registry_only.append((x, y))
    return report


def _closure(reg, label: str) -> set[str]:
    from theory import UnknownLabelError

    seen: set[str] = set()
    todo = list(reg.get(label).uses)
    while todo:
        u = todo.pop()
        if u in seen:
            continue
        seen.add(u)
        with contextlib.suppress(UnknownLabelError):  # reported by the registry's checks
            todo.extend(reg.get(u).uses)
    return seen
