"""The `ll:zero-radius` path A → Â → reference → B̂ → B of the constructive path.

`ll:zero-radius`: if both endpoints have q-sparse (q = m − l) coefficient vectors θ̂_A,
θ̂_B on their own W with F ≤ λ + ε, they connect below max{λ + ε, e(l)}. The walk
(`numerics._walk`): θ_A → θ̂_A at fixed W_A (`convex`); l free rows of Â → W* (`ll:free-row`,
`constant`); θ → θ* on them (`convex`); the reference's units moved onto B̂'s reference
slots (`_reference_slots`) by buffer transfers and the other free rows onto B's
(`constant`); then B's stages backwards. Its maximum is the vertex maximum
max{F(A), F(Â), ê(l), F(B̂), F(B)}.
"""

from __future__ import annotations

import torch

from numerics._path import Path, SegmentKind
from numerics._reference import Reference
from numerics._relu import ReluNet
from numerics._walk import _meet, _onto, _Walk
from theory.errors import InvalidArgumentError


def _reference_slots(theta_A: torch.Tensor, theta_B: torch.Tensor,
                     l: int) -> tuple[list[int], list[int]]:
    """l free slots on each side, shared slots first and in the same places (fewest moves)."""
    free_A = (theta_A == 0).nonzero().flatten().tolist()
    free_B = (theta_B == 0).nonzero().flatten().tolist()
    if min(len(free_A), len(free_B)) < l:
        raise InvalidArgumentError(
            f"a sparsified endpoint has fewer than l = {l} zero coefficients")
    common = [i for i in free_A if i in set(free_B)][:l]
    own_A = [i for i in free_A if i not in set(common)][: l - len(common)]
    own_B = [i for i in free_B if i not in set(common)][: l - len(common)]
    return common + own_A, common + own_B


def zero_radius_path(model: ReluNet, A: torch.Tensor, B: torch.Tensor, theta_A_hat: torch.Tensor,
                     theta_B_hat: torch.Tensor, reference: Reference,
                     kind: SegmentKind = SegmentKind.CONVEX) -> Path:
    """The `ll:zero-radius` path A → Â → reference → B̂ → B.

    A → Â (θ only, `kind`); Â's l free rows → W* (`constant`); θ → θ* on them (`kind`);
    units moved onto B's reference slots by buffer transfers and the free rows onto B's
    (`constant`); then the same stages of B backwards. Max F = max{F(A), F(Â), ê, F(B̂), F(B)}.

    **Arguments** `A`, `B`: points `(P,)`; `theta_A_hat`, `theta_B_hat`: sparsified θ `(m,)`
    with ≥ l zeros each; `reference`: width l < m.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, sparsify, train_reference, zero_radius_path
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"),
    ...                      dtype=torch.float64)
    >>> ends = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> theta_hat = sparsify(problem, ends, q=3, draws=8, refit_steps=0).theta
    >>> reference = train_reference(problem, 3, starts=2, steps=20)
    >>> path = zero_radius_path(problem.model, ends[0], ends[1], theta_hat[0], theta_hat[1],
    ...                         reference)
    >>> path.exact, torch.equal(path.vertices[0], ends[0]), torch.equal(path.vertices[-1], ends[1])
    (True, True, True)
    """
    slots_A, slots_B = _reference_slots(theta_A_hat, theta_B_hat, reference.width)
    walks = []
    for p, theta_hat, slots in ((A, theta_A_hat, slots_A), (B, theta_B_hat, slots_B)):
        walk = _Walk(model, p)
        walk.theta_to(theta_hat, kind)
        _onto(walk, slots, reference.W, reference.theta, kind)
        walks.append(walk)
    walk_A, walk_B = walks
    return _meet(walk_A, walk_B, slots_A, slots_B, kind)
