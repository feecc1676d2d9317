"""The bias model on the augmented ball model: E1's constructive path (family b).

A `BiasReluNet` point p = (W, b, θ, θ_0) has Φ(x) = Σ θ_i ρ(w_iᵀx + b_i) + θ_0 and
F(p) = R(Φ) + κ(‖θ‖₁ + |θ_0|), no constraint. With a scale R (a power of two, at least
every row norm ‖(w_i, b_i)‖ involved) and an output-bias value c, the map

    (W, b, θ, c) ↦ (W̃, θ̃),  w̃_i = (w_i, b_i)/R,  θ̃_i = θ_i,

lands in the `ReluNet` of width m on the inputs x̃ = R·(x, 1) ("the augmented ball
model"): w̃_iᵀx̃ = w_iᵀx + b_i and ‖w̃_i‖ ≤ 1, so θ_i is *not* rescaled and the ℓ1 term
is unchanged. The output bias, which that model lacks, is the fixed offset c of
`ShiftedReluNet` (Φ̃ + c, penalty κ(‖θ̃‖₁ + |c|)): F̃(map(p)) = F(p) whenever θ_0 = c, in
exact arithmetic, and up to the order of float64 sums in practice (R and its inverse
are powers of two, so the scaling itself is exact). `to_bias` is the inverse map, exact
bit for bit.

`bias_constructive_paths`: the ll:zero-radius path A → Â → reference → B̂ → B in the bias
model's own parameter space. Each end is sparsified on the ball problem at its own θ_0
(so Φ's offset is kept, as `ll:sampling` has it), the reference is the best width-l bias
model (its θ_0 is c), `numerics.zero_radius_path` builds the ball path and `lift_path`
maps it back vertex by vertex, θ_0 moving from A's to c and from c to B's on the two
segments that move θ onto (off) the reference at fixed rows: F is jointly convex in
(θ, θ_0) at fixed rows, so those segments stay `convex`. The path starts at A and ends
at B exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from numerics._bias_relu import BiasReluNet
from numerics._path import Path, SegmentKind
from numerics._problem import Problem
from numerics._reference import Reference, best_of_starts
from numerics._relu import ReluNet
from numerics._sparsify import sparsify
from numerics._zero_radius import zero_radius_path
from theory.errors import InvalidArgumentError


@dataclass(frozen=True)
class ShiftedReluNet(ReluNet):
    """`ReluNet` plus a fixed output offset c: Φ̃ + c, penalty κ(‖θ‖₁ + |c|) (c is no
    parameter, so gradients and projection are `ReluNet`'s).

    >>> import torch
    >>> from numerics import ReluNet, ShiftedReluNet
    >>> shifted, plain = ShiftedReluNet(2, 3, 0.1, offset=0.5), ReluNet(2, 3, 0.1)
    >>> p = plain.init(1, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> X = torch.randn(5, 2, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    >>> torch.allclose(shifted.predict(p, X), plain.predict(p, X) + 0.5), torch.allclose(
    ...     shifted.penalty(p), plain.penalty(p) + 0.1 * 0.5)
    (True, True)
    """

    offset: float = 0.0

    def predict(self, p: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        return super().predict(p, X) + self.offset

    def penalty(self, p: torch.Tensor) -> torch.Tensor:
        return super().penalty(p) + self.kappa * abs(self.offset)


def power_of_two_at_least(value: float) -> float:
    """The smallest 2^k ≥ max(value, 1), k ≥ 0 an integer."""
    if not math.isfinite(value):
        raise InvalidArgumentError(f"the scale must be finite, got {value}")
    k = max(0, math.ceil(math.log2(value))) if value > 1 else 0
    return float(2.0 ** k)


@dataclass(frozen=True)
class BiasBallMap:
    """The map of the module docstring for the bias model `bias`, scale R = `scale` (a power
    of two) and output bias c = `offset`.

    >>> import torch
    >>> from numerics import BiasBallMap, BiasReluNet, Problem, moons
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(BiasReluNet(2, 4, 0.01), moons(n_samples=20, c=None),
    ...                      get_loss("logistic"), dtype=torch.float64)
    >>> mapping = BiasBallMap(problem.model, scale=4.0, offset=0.25)
    >>> p = mapping.with_offset(problem.model.init(2, torch.Generator().manual_seed(0),
    ...                                            dtype=torch.float64))  # θ_0 = c
    >>> ball = mapping.to_ball(p)
    >>> bool((mapping.ball.split(ball)[0].norm(dim=-1) <= 1).all())  # rows in the unit ball
    True
    >>> torch.allclose(mapping.problem(problem).F(ball), problem.F(p))  # the same F
    True
    >>> torch.equal(mapping.to_bias(ball), p)  # and back, bit for bit
    True
    """

    bias: BiasReluNet
    scale: float
    offset: float

    def __post_init__(self) -> None:
        if self.scale < 1 or power_of_two_at_least(self.scale) != self.scale:
            raise InvalidArgumentError(f"scale must be a power of two ≥ 1, got {self.scale}")

    @property
    def ball(self) -> ShiftedReluNet:
        return ShiftedReluNet(self.bias.n + 1, self.bias.m, self.bias.kappa, self.offset)

    def inputs(self, X: torch.Tensor) -> torch.Tensor:
        """x̃ = R·(x, 1) for every row of X `(N, n)`: `(N, n + 1)`."""
        return torch.cat([X, X.new_ones(X.shape[0], 1)], dim=-1) * self.scale

    def problem(self, problem: Problem) -> Problem:
        """The ball problem of the bias problem `problem` (same targets and loss)."""
        return Problem(self.ball, self.inputs(problem.X), problem.Y, problem.loss)

    def to_ball(self, p: torch.Tensor) -> torch.Tensor:
        """Bias points `(B, P)` → ball points `(B, m(n+1) + m)`; θ_0 is dropped (read as c)."""
        W, b, theta, _ = self.bias.split(p)
        return self.ball.join(torch.cat([W, b[..., None]], dim=-1) / self.scale, theta)

    def to_bias(self, q: torch.Tensor, theta_0: float | None = None) -> torch.Tensor:
        """Ball points → bias points with output bias `theta_0` (default c): the inverse of
        `to_ball` on points whose θ_0 is that value."""
        Wt, theta = self.ball.split(q)
        rows = Wt * self.scale
        bias = torch.full((*theta.shape[:-1], 1),
                          self.offset if theta_0 is None else theta_0, dtype=q.dtype,
                          device=q.device)
        return self.bias.join(rows[..., :-1], rows[..., -1], theta, bias)

    def with_offset(self, p: torch.Tensor) -> torch.Tensor:
        """p with θ_0 replaced by c."""
        W, b, theta, theta_0 = self.bias.split(p)
        return self.bias.join(W, b, theta, torch.full_like(theta_0, self.offset))


def row_scale(model: BiasReluNet, p: torch.Tensor) -> float:
    """max over the points `(B, P)` and units of ‖(w_i, b_i)‖, float64."""
    W, b, _, _ = model.split(p.detach().double())
    return float(torch.cat([W, b[..., None]], dim=-1).norm(dim=-1).max())


@dataclass(frozen=True)
class BiasReference:
    """The width-l bias reference `p` `(P_l,)` float64, `F` its F, `F_starts` every start's.

    >>> import torch
    >>> from numerics import BiasReluNet, Problem, moons, train_bias_reference
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(BiasReluNet(2, 4, 0.01), moons(n_samples=20, c=None),
    ...                      get_loss("logistic"), dtype=torch.float64)
    >>> generator = torch.Generator().manual_seed(0)
    >>> reference = train_bias_reference(problem, 2, starts=2, steps=20, lr=0.01,
    ...                                  plateau=(0.9, 20), generator=generator)
    >>> tuple(reference.p.shape), reference.F == float(reference.F_starts.min())  # P_l = 9
    ((9,), True)
    """

    p: torch.Tensor
    F: float
    F_starts: torch.Tensor


def train_bias_reference(problem: Problem, l: int, *, starts: int, steps: int, lr: float,
                         plateau: tuple[float, int], generator: torch.Generator
                         ) -> BiasReference:
    """ê(l) of the bias model: the best of `starts` width-l `BiasReluNet`s of `problem`
    (its data, loss, κ), trained by `numerics.train` with the given settings
    (`numerics._reference.best_of_starts`, the loop `train_reference` uses too).

    >>> import torch
    >>> from numerics import BiasReluNet, Problem, moons, train_bias_reference
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(BiasReluNet(2, 4, 0.01), moons(n_samples=20, c=None),
    ...                      get_loss("logistic"), dtype=torch.float64)
    >>> generator = torch.Generator().manual_seed(0)
    >>> reference = train_bias_reference(problem, 2, starts=3, steps=20, lr=0.01,
    ...                                  plateau=(0.9, 20), generator=generator)
    >>> tuple(reference.F_starts.shape), reference.p.dtype
    ((3,), torch.float64)
    """
    model = problem.model
    if not isinstance(model, BiasReluNet):
        raise TypeError(f"problem.model must be a BiasReluNet, got {type(model).__name__}")
    if l < 1 or starts < 1:
        raise InvalidArgumentError(f"l and starts must be ≥ 1, got l={l}, starts={starts}")
    narrow = BiasReluNet(model.n, l, model.kappa)
    p, e_hat, F = best_of_starts(problem, narrow, starts, generator, steps=steps, lr=lr,
                                 plateau=plateau)
    return BiasReference(p.cpu(), e_hat, F.cpu())


def ball_map(problem: Problem, reference: BiasReference, points: torch.Tensor) -> BiasBallMap:
    """The map for `problem`'s bias model: c = the reference's θ_0, R = the smallest power of
    two ≥ every row norm of `points` `(B, P)` and of the reference.

    >>> import torch
    >>> from numerics import BiasReluNet, Problem, ball_map, moons, train_bias_reference
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(BiasReluNet(2, 4, 0.01), moons(n_samples=20, c=None),
    ...                      get_loss("logistic"), dtype=torch.float64)
    >>> generator = torch.Generator().manual_seed(0)
    >>> reference = train_bias_reference(problem, 2, starts=2, steps=20, lr=0.01,
    ...                                  plateau=(0.9, 20), generator=generator)
    >>> ends = problem.model.init(2, torch.Generator().manual_seed(1), dtype=torch.float64)
    >>> mapping = ball_map(problem, reference, ends)
    >>> mapping.scale >= 1, mapping.offset == float(reference.p[-1])  # c = the reference's θ_0
    (True, True)
    >>> bool((mapping.ball.split(mapping.to_ball(ends))[0].norm(dim=-1) <= 1).all())
    True
    """
    model = problem.model
    if not isinstance(model, BiasReluNet):
        raise TypeError(f"problem.model must be a BiasReluNet, got {type(model).__name__}")
    narrow = BiasReluNet(model.n, reference.p.shape[-1] // (model.n + 2), model.kappa)
    scale = max(row_scale(model, points), row_scale(narrow, reference.p[None]))
    return BiasBallMap(model, power_of_two_at_least(scale),
                       float(narrow.split(reference.p[None])[3][0, 0]))


def ball_reference(mapping: BiasBallMap, reference: BiasReference) -> Reference:
    """The bias reference as a `Reference` of the shifted ball problem (ê(l) = its bias F,
    which the ball problem's F equals, its θ_0 being the offset c)."""
    narrow = BiasBallMap(BiasReluNet(mapping.bias.n, reference.p.shape[-1]
                                     // (mapping.bias.n + 2), mapping.bias.kappa),
                         mapping.scale, mapping.offset)
    W, theta = narrow.ball.split(narrow.to_ball(reference.p[None].double())[0])
    return Reference(W, theta, reference.F, reference.F_starts)


@dataclass(frozen=True)
class BiasConstructivePath:
    """One pair's constructive path in the bias model's space.

    - `path`: float64 vertices of the bias model from A to B (kinds `convex`/`constant`);
      `F` `(V,)` the bias model's F at the vertices (float64).
    - `F_A`, `F_B`, `F_A_hat`, `F_B_hat` (sparsified ends, each at its own θ_0), `e_hat`
      ê(l) (the bias reference's F), `l`, `q`, `method`, `epsilon` = (max{F(Â), F(B̂)} −
      max{F(A), F(B)})₊.
    """

    path: Path
    F: torch.Tensor
    F_A: float
    F_B: float
    F_A_hat: float
    F_B_hat: float
    e_hat: float
    l: int
    q: int
    method: str
    epsilon: float

    @property
    def max_F(self) -> float:
        """max of F over the vertices (the path maximum when every segment is exact)."""
        return float(self.F.max())


def _units(W: torch.Tensor, theta: torch.Tensor) -> list[tuple]:
    """The active units (θ_i ≠ 0) as a sorted list of (row, θ_i) tuples, for exact compare."""
    return sorted((tuple(W[i].tolist()), float(theta[i]))
                  for i in (theta != 0).nonzero().flatten().tolist())


def lift_path(mapping: BiasBallMap, path: Path, theta_0_A: float, theta_0_B: float,
              reference: Reference) -> Path:
    """The ball path `path` of `zero_radius_path` mapped back into the bias model.

    Vertices whose active units are exactly the reference's (the middle of the path) get
    θ_0 = c, those before them A's θ_0, those after B's. θ_0 changes on the segment that
    moves θ onto the reference at fixed rows (then one straight move of (θ, θ_0) at fixed
    rows: convex, F being jointly convex there); where the rows differ, a θ_0-only segment
    (convex) is inserted first.
    """
    ball = mapping.ball
    V = path.vertices.detach().cpu().double()
    W, theta = ball.split(V)
    target = _units(reference.W.double().cpu(), reference.theta.double().cpu())
    at_ref = [_units(W[j], theta[j]) == target for j in range(V.shape[0])]
    if not any(at_ref):
        raise InvalidArgumentError("the path never reaches the reference")
    first, last = at_ref.index(True), len(at_ref) - 1 - at_ref[::-1].index(True)
    theta_0 = [theta_0_A if j < first else theta_0_B if j > last else mapping.offset
               for j in range(V.shape[0])]
    vertices = [mapping.to_bias(V[0:1], theta_0[0])[0]]
    kinds: list[SegmentKind] = []
    for j in range(1, V.shape[0]):
        if theta_0[j] != theta_0[j - 1] and not torch.equal(W[j], W[j - 1]):
            # θ_0 alone first: F is convex in θ_0
            vertices.append(mapping.to_bias(V[j - 1:j], theta_0[j])[0])
            kinds.append(SegmentKind.CONVEX)
        kind = path.kinds[j - 1]
        if theta_0[j] != theta_0[j - 1] and kind == SegmentKind.CONSTANT:
            kind = SegmentKind.CONVEX
        vertices.append(mapping.to_bias(V[j:j + 1], theta_0[j])[0])
        kinds.append(kind)
    return Path(torch.stack(vertices), tuple(kinds))


def bias_constructive_paths(problem: Problem, A: torch.Tensor, B: torch.Tensor, *,
                            reference: BiasReference, mapping: BiasBallMap,
                            method: str = "sampling", draws: int = 32, refit_steps: int = 200,
                            generator: torch.Generator | None = None
                            ) -> list[BiasConstructivePath]:
    """The `ll:zero-radius` path between each pair (A_k, B_k) `(pairs, P)` of the bias problem
    `problem`, in the bias model's own parameter space.

    Each endpoint is sparsified on the ball problem at its own θ_0 (`numerics.sparsify`:
    Maurey sampling or pruning of θ at fixed rows, then the refit; Φ's offset kept, as
    `ll:sampling` has it); `numerics.zero_radius_path` joins the sparsified ends through
    the reference (`ball_reference`, width l); `lift_path` maps it back, θ_0 moving to c
    and back on the convex segments onto the reference. l = the reference's width, q = m − l.

    >>> import torch
    >>> from numerics import (BiasReluNet, Problem, ball_map, bias_constructive_paths, moons,
    ...                       train_bias_reference)
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(BiasReluNet(2, 4, 0.01), moons(n_samples=20, c=None),
    ...                      get_loss("logistic"), dtype=torch.float64)
    >>> generator = torch.Generator().manual_seed(0)
    >>> reference = train_bias_reference(problem, 2, starts=2, steps=20, lr=0.01,
    ...                                  plateau=(0.9, 20), generator=generator)
    >>> A, B = problem.model.init(2, torch.Generator().manual_seed(1), dtype=torch.float64)[:, None]
    >>> [result] = bias_constructive_paths(problem, A, B, reference=reference,
    ...                                    mapping=ball_map(problem, reference, torch.cat([A, B])),
    ...                                    draws=8, refit_steps=0)
    >>> result.l, result.q, result.path.exact  # only convex and constant segments
    (2, 2, True)
    >>> torch.equal(result.path.vertices[0], A[0]), torch.equal(result.path.vertices[-1], B[0])
    (True, True)
    >>> result.max_F >= max(result.F_A, result.F_B)
    True
    """
    model = problem.model
    if not isinstance(model, BiasReluNet):
        raise TypeError(f"problem.model must be a BiasReluNet, got {type(model).__name__}")
    ref = ball_reference(mapping, reference)
    l, q = ref.width, model.m - ref.width
    if not 1 <= l < model.m:
        raise InvalidArgumentError(f"the reference width l must satisfy 1 ≤ l < m = {model.m}")
    gen = torch.Generator().manual_seed(0) if generator is None else generator
    ends = torch.cat([A, B]).detach().to(problem.device, torch.float64)
    theta_0 = model.split(ends)[3][:, 0].tolist()
    balls = mapping.to_ball(ends)
    mapping.ball.validate(balls, "mapped endpoints")
    hats = []
    for k, offset in enumerate(theta_0):
        # the ball problem at this endpoint's own output bias
        at_k = BiasBallMap(model, mapping.scale, offset).problem(problem)
        hats.append(sparsify(at_k, balls[k:k + 1], q, method=method, draws=draws,
                             refit_steps=refit_steps, generator=gen))
    exact = problem.with_dtype(torch.float64)
    kind = SegmentKind.CONVEX if problem.loss.convex else SegmentKind.GENERAL
    pairs = A.shape[0]
    out = []
    for k in range(pairs):
        a, b = k, pairs + k
        ball_path = zero_radius_path(mapping.ball, balls[a].cpu(), balls[b].cpu(),
                                     hats[a].theta[0].cpu(), hats[b].theta[0].cpu(),
                                     _cpu(ref), kind)
        path = lift_path(mapping, ball_path, theta_0[a], theta_0[b], ref)
        F = exact.F(path.vertices.to(problem.device)).cpu()
        F_A, F_B = float(F[0]), float(F[-1])
        F_A_hat, F_B_hat = float(hats[a].F[0]), float(hats[b].F[0])
        out.append(BiasConstructivePath(
            path=path, F=F, F_A=F_A, F_B=F_B, F_A_hat=F_A_hat, F_B_hat=F_B_hat,
            e_hat=reference.F, l=l, q=q, method=method,
            epsilon=max(max(F_A_hat, F_B_hat) - max(F_A, F_B), 0.0)))
    return out


def _cpu(reference: Reference) -> Reference:
    return Reference(reference.W.cpu().double(), reference.theta.cpu().double(),
                     reference.e_hat, reference.F_starts.cpu())
