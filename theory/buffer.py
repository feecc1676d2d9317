"""The buffer-transfer schedule of `ll:buffer-transfer` and `new:buffer-permutation`.

One schedule, used twice: `proofs_check` runs it on symbolic rows and coefficients (every
move legal, σ realized, Φ and ‖θ‖₁ unchanged, the number of transfers) and
`numerics` builds the constructive and permutation paths from it, so what is checked is
what is measured.

Main definitions: `Move` (a row copy onto a zero-coefficient unit, `ll:free-row`, or a
coefficient transfer between identical rows, (a, 0) ↦ ((1−t)a, ta)), `relocation_rounds`
(rounds of simultaneous unit moves u ↦ v that relocate units, parking one unit of each
cycle in a free buffer slot), `buffer_schedule(σ)` (the moves realizing a permutation
with one buffer unit), `moves_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from theory.errors import InvalidArgumentError


@dataclass(frozen=True)
class Move:
    """`copy`: row[dst] := row[src] (legal iff θ_dst = 0, `ll:free-row`);
    `transfer`: θ_dst += θ_src, θ_src := 0 (legal iff row[src] = row[dst])."""

    kind: Literal["copy", "transfer"]
    src: int
    dst: int


def relocation_rounds(sources: Sequence[int], targets: Sequence[int],
                      free: Iterable[int]) -> list[dict[int, int]]:
    """Rounds of simultaneous moves u ↦ v after which the unit of slot `sources[j]` sits in
    slot `targets[j]`; units in other slots stay.

    **Arguments**
    - `sources`, `targets`: equally long, targets distinct; a target outside `sources`
      must be free (θ = 0);
    - `free`: the slots with θ = 0 (buffers are taken among those that are neither a
      source nor a target).

    A unit moves when its target is no longer pending; when only cycles remain, the
    smallest pending unit is parked in the first free buffer. Each round is a set of
    copy-then-transfer moves onto free slots, so each keeps Φ and ‖θ‖₁.
    Raises `InvalidArgumentError` for malformed input, or when a cycle needs a buffer and
    no free slot exists.
    """
    if len(set(targets)) != len(targets) or len(sources) != len(targets):
        raise InvalidArgumentError(
            "relocate: sources and targets must be equally long, targets distinct")
    free = set(free)
    if any(v not in free for v in set(targets) - set(sources)):
        raise InvalidArgumentError("relocate: a target slot outside `sources` holds an active unit")
    buffers = sorted(free - set(sources) - set(targets))
    pending = {u: v for u, v in zip(sources, targets, strict=True) if u != v}
    rounds: list[dict[int, int]] = []
    while pending:
        ready = {u: v for u, v in pending.items() if v not in pending}
        if not ready:
            if not buffers:
                raise InvalidArgumentError(
                    "relocate: a cycle of units needs a free buffer slot "
                    "(a zero-coefficient row); add one unit of width")
            u = min(pending)
            ready = {u: buffers[0]}
            pending[buffers[0]] = pending[u]
        rounds.append(ready)
        for u in ready:
            del pending[u]
    return rounds


def moves_of(rounds: Sequence[dict[int, int]]) -> list[Move]:
    """The rounds as single moves: each u ↦ v is a copy, then a transfer."""
    return [Move(kind, u, v) for r in rounds for u, v in r.items()
            for kind in ("copy", "transfer")]


def buffer_schedule(sigma: Sequence[int]) -> list[Move]:
    """Moves after which unit i holds what unit σ(i) held; unit m = len(σ) is the buffer.

    **Arguments** `sigma`: a permutation of range(m), as a sequence (σ(0), …, σ(m−1)).
    **Returns** the moves of `relocation_rounds(σ, identity, {m})`: per cycle
    (i₁, …, i_k), park one unit in the buffer, shift the others, unpark — k + 1 transfers.
    """
    m = len(sigma)
    if sorted(sigma) != list(range(m)):
        raise InvalidArgumentError(f"sigma must be a permutation of range({m}), got {sigma!r}")
    return moves_of(relocation_rounds(list(sigma), list(range(m)), free=[m]))
