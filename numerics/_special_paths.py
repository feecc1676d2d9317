"""The special paths of §4–§5, each a walk (`numerics._walk`) with only `convex` and
`constant` segments:
- `fixed_level_path` (`ll:thm-fixed-level`): A → (W_A, 0) → (W_B, 0) → B; with
  κ ≥ L·D_X the zero network is a global minimizer, so max F = max{F(A), F(B)};
- `one_dimensional_path` (`ll:cor-1d`, n = 1, m ≥ 4): each end to its two-ray form
  (`ll:two-ray`, `_two_rays`: Σ_{i∈side} θ_i ρ(w_i x) = c ρ(±x), c = Σ_{i∈side} θ_i |w_i|,
  F nonincreasing), then buffer transfers and one convex θ-segment;
- `buffer_permutation_path` (`new:buffer-permutation`): `pad_buffer` adds one zero buffer
  unit (width m + 1, same Φ and F), and `ll:buffer-transfer` moves every unit to its
  permuted slot (`permute_units`, p_σ) at constant F.
"""

from __future__ import annotations

from typing import cast

import torch

from numerics._dataset import data_scale
from numerics._path import Path, SegmentKind
from numerics._problem import Problem
from numerics._relu import ReluNet
from numerics._walk import _meet, _onto, _relu_model, _theta_kind, _Walk
from theory.errors import InvalidArgumentError


def _point(model: ReluNet, p: torch.Tensor, name: str) -> torch.Tensor:
    return model.validate(p[None], name)[0]


def fixed_level_path(problem: Problem, A: torch.Tensor, B: torch.Tensor, *,
                     negative_control: bool = False) -> Path:
    """`ll:thm-fixed-level`: A → (W_A, 0) → (W_B, 0) → B (θ scaled to 0 at fixed W, the free
    rows moved, θ scaled up at W_B). With κ ≥ L·D_X the zero network is a global minimizer,
    so the two convex segments stay below max{F(A), F(B)}.

    **Arguments** `A`, `B`: points `(P,)`. Raises `LossHypothesisError` unless the loss is
    convex and Lipschitz, `ValueError` naming `kappa` when κ < L·D_X (both waived with
    `negative_control=True`).

    >>> import torch
    >>> from numerics import Problem, ReluNet, fixed_level_path, moons, path_max
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 5.0), moons(n_samples=20), get_loss("logistic"),
    ...                      dtype=torch.float64)  # κ = 5 ≥ L·D_X
    >>> A, B = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> result = path_max(problem, fixed_level_path(problem, A, B), tol=1e-6)
    >>> result.exact, result.sampled_barrier  # no barrier: max F = max{F(A), F(B)}
    (True, 0.0)
    """
    model = _relu_model(problem)
    A, B = _point(model, A, "A"), _point(model, B, "B")
    if not negative_control:
        problem.loss.require(convex=True, lipschitz=True, needed_by="ll:thm-fixed-level")
        # `require(lipschitz=True)` passed, so L is set
        threshold = cast(float, problem.loss.L) * data_scale(problem.X)
        if model.kappa < threshold:
            raise InvalidArgumentError(f"kappa = {model.kappa:g} < L·D_X = {threshold:g}: "
                             "ll:thm-fixed-level needs κ ≥ L·D_X")
    kind = _theta_kind(problem.loss)
    walk, end = _Walk(model, A), _Walk(model, B)
    walk.theta_to(torch.zeros_like(walk.theta), kind)
    walk.rows_to(torch.arange(model.m), end.W)
    walk.theta_to(end.theta, kind)
    return walk.path()


def _two_rays(walk: _Walk, kind: SegmentKind) -> list[int]:
    """`ll:two-ray` on a 1-D walk: θ at fixed W onto the two longest rows of each sign
    (same Φ, no larger ‖θ‖₁), then onto two free rows moved to +1 and −1. Returns the two
    slots (+1, −1)."""
    w = walk.W[:, 0]
    theta = torch.zeros_like(walk.theta)
    coefficients = []
    for side in (w > 0, w < 0):
        # $\sum_{i \in side} \theta_i \rho(w_i x) = c\, \rho(\pm x)$,
        # $c = \sum_{i \in side} \theta_i |w_i|$
        c = (walk.theta * w.abs() * side).sum()
        if side.any():
            i = int(torch.where(side, w.abs(), -1.0).argmax())
            theta[i] = c / w[i].abs()
        coefficients.append(c)
    walk.theta_to(theta, kind)
    slots = walk.free_slots()[:2]
    _onto(walk, slots, torch.tensor([[1.0], [-1.0]]), torch.stack(coefficients), kind)
    return slots


def one_dimensional_path(problem: Problem, A: torch.Tensor, B: torch.Tensor, *,
                         negative_control: bool = False) -> Path:
    """`ll:cor-1d`: for n = 1 and m ≥ 4, a path from A to B with max F = max{F(A), F(B)}.

    Each end goes to its two-ray form (`ll:two-ray`: F nonincreasing); A's two units move
    onto B's two slots by buffer transfers; a convex θ-segment joins the two-ray forms.

    **Arguments** `A`, `B`: points `(P,)` of a `ReluNet` with n = 1 (bias-free 1-D inputs).
    Raises `LossHypothesisError` for a non-convex loss unless `negative_control=True`.

    >>> import numpy as np
    >>> import torch
    >>> from numerics import Problem, ReluNet, from_arrays, one_dimensional_path, path_max
    >>> from theory.losses import get_loss
    >>> x = np.linspace(-1, 1, 10)[:, None]
    >>> data = from_arrays("line", x, (x[:, 0] > 0).astype(float), c=None, train_fraction=1.0)
    >>> problem = Problem.of(ReluNet(1, 4, 0.01), data, get_loss("logistic"), dtype=torch.float64)
    >>> A, B = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> result = path_max(problem, one_dimensional_path(problem, A, B), tol=1e-6)
    >>> result.exact, result.sampled_max == result.endpoint_max
    (True, True)
    """
    model = _relu_model(problem)
    if model.n != 1 or model.m < 4:
        raise InvalidArgumentError(
            f"ll:cor-1d needs n = 1 and m ≥ 4, got n = {model.n}, m = {model.m}")
    if not negative_control:
        problem.loss.require(convex=True, needed_by="ll:cor-1d")
    kind = _theta_kind(problem.loss)
    walk_A, walk_B = (_Walk(model, _point(model, p, name)) for p, name in ((A, "A"), (B, "B")))
    slots_A, slots_B = _two_rays(walk_A, kind), _two_rays(walk_B, kind)
    return _meet(walk_A, walk_B, slots_A, slots_B, kind)


def pad_buffer(model: ReluNet, p: torch.Tensor) -> tuple[ReluNet, torch.Tensor]:
    """Width m → m+1 by one zero buffer unit (row 0, θ = 0): same Φ and F.

    **Arguments** `p`: a point `(P,)`. **Returns** the wider model and its point `(P + n + 1,)`.

    >>> import torch
    >>> from numerics import ReluNet, pad_buffer
    >>> net = ReluNet(n=2, m=3, kappa=0.1)
    >>> p = net.init(1, torch.Generator().manual_seed(0), dtype=torch.float64)[0]
    >>> wide, q = pad_buffer(net, p)
    >>> X = torch.randn(5, 2, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    >>> wide.m, tuple(q.shape), torch.allclose(wide.predict(q[None], X), net.predict(p[None], X))
    (4, (12,), True)
    """
    wide = ReluNet(model.n, model.m + 1, model.kappa)
    W, theta = model.split(p)
    return wide, wide.join(torch.cat([W, W.new_zeros(1, model.n)]),
                           torch.cat([theta, theta.new_zeros(1)]))


def _permutation(model: ReluNet, perm: list[int]) -> list[int]:
    if sorted(perm) != list(range(model.m)):
        raise InvalidArgumentError(f"perm must be a permutation of 0..{model.m - 1}, got {perm!r}")
    return list(perm)


def permute_units(model: ReluNet, p: torch.Tensor, perm: list[int]) -> torch.Tensor:
    """p_σ: unit i of the result is unit σ(i) = `perm[i]` of `p` `(P,)` (same Φ and F).

    >>> import torch
    >>> from numerics import ReluNet, permute_units
    >>> net = ReluNet(n=2, m=3, kappa=0.1)
    >>> p = net.init(1, torch.Generator().manual_seed(0), dtype=torch.float64)[0]
    >>> q = permute_units(net, p, [2, 0, 1])
    >>> X = torch.randn(5, 2, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    >>> torch.equal(net.split(q)[0][0], net.split(p)[0][2]), torch.allclose(
    ...     net.predict(q[None], X), net.predict(p[None], X))
    (True, True)
    """
    W, theta = model.split(p)
    perm = _permutation(model, perm)
    return model.join(W[perm], theta[perm])


def buffer_permutation_path(model: ReluNet, p: torch.Tensor,
                            perm: list[int]) -> tuple[ReluNet, Path]:
    """`new:buffer-permutation`: pad `p` with one zero buffer unit and move every unit to its
    permuted slot by buffer transfers; every segment is `constant`.

    **Arguments** `p`: a width-m point `(P,)`; `perm`: σ as a list (unit σ(i) goes to slot i).
    **Returns** the width-(m+1) model and the path from `pad_buffer(p)` to
    `pad_buffer(permute_units(p, σ))`.

    >>> import torch
    >>> from numerics import ReluNet, buffer_permutation_path, pad_buffer, permute_units
    >>> net = ReluNet(n=2, m=3, kappa=0.1)
    >>> p = net.init(1, torch.Generator().manual_seed(0), dtype=torch.float64)[0]
    >>> wide, path = buffer_permutation_path(net, p, [2, 0, 1])
    >>> wide.m, {str(kind) for kind in path.kinds}  # F is constant along the whole path
    (4, {'constant'})
    >>> torch.equal(path.vertices[-1], pad_buffer(net, permute_units(net, p, [2, 0, 1]))[1])
    True
    """
    perm = _permutation(model, perm)
    wide, start = pad_buffer(model, _point(model, p, "p"))
    walk = _Walk(wide, start)
    walk.relocate(perm, list(range(model.m)))
    walk.rows_to(torch.tensor([model.m]), start.new_zeros(1, model.n))
    return wide, walk.path()
