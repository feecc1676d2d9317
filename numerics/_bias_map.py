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

`bias_constructive_paths`: the ll:zero-radius path of the shifted ball problem (the
reference trained on the bias model: its θ_0 is c) between map(A_c) and map(B_c), where
A_c is A with θ_0 set to c, mapped back vertex by vertex; A → Â_c and B̂_c → B move
(θ, θ_0) together at fixed rows (convex segments of F). The path lies in the bias model's
own parameter space, starts at A and ends at B exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from numerics._bias_relu import BiasReluNet
from numerics._constructive import ConstructivePath, Reference, constructive_paths
from numerics._path import Path, SegmentKind
from numerics._problem import Problem
from numerics._relu import ReluNet
from numerics._train import train
from theory.errors import InvalidArgumentError


@dataclass(frozen=True)
class ShiftedReluNet(ReluNet):
    """`ReluNet` plus a fixed output offset c: Φ̃ + c, penalty κ(‖θ‖₁ + |c|) (c is no
    parameter, so gradients and projection are `ReluNet`'s)."""

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
    of two) and output bias c = `offset`."""

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

    def to_bias(self, q: torch.Tensor) -> torch.Tensor:
        """Ball points → bias points with θ_0 = c: the inverse of `to_ball` where θ_0 = c."""
        Wt, theta = self.ball.split(q)
        rows = Wt * self.scale
        theta_0 = torch.full((*theta.shape[:-1], 1), self.offset, dtype=q.dtype,
                             device=q.device)
        return self.bias.join(rows[..., :-1], rows[..., -1], theta, theta_0)

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
    """The width-l bias reference `p` `(P_l,)` float64, `F` its F, `F_starts` every start's."""

    p: torch.Tensor
    F: float
    F_starts: torch.Tensor


def train_bias_reference(problem: Problem, l: int, *, starts: int, steps: int, lr: float,
                         plateau: tuple[float, int], generator: torch.Generator
                         ) -> BiasReference:
    """ê(l) of the bias model: the best of `starts` width-l `BiasReluNet`s of `problem`
    (its data, loss, κ), trained by `numerics.train` with the given settings."""
    model = problem.model
    if not isinstance(model, BiasReluNet):
        raise TypeError(f"problem.model must be a BiasReluNet, got {type(model).__name__}")
    if l < 1 or starts < 1:
        raise InvalidArgumentError(f"l and starts must be ≥ 1, got l={l}, starts={starts}")
    narrow = BiasReluNet(model.n, l, model.kappa)
    problem_l = Problem(narrow, problem.X, problem.Y, problem.loss)
    p0 = narrow.init(starts, generator, dtype=problem.dtype, device=problem.device)
    p = train(problem_l, p0, steps=steps, lr=lr, plateau=plateau).p.double()
    F = problem_l.with_dtype(torch.float64).F(p)
    k = int(F.argmin())
    return BiasReference(p[k].cpu(), float(F[k]), F.cpu())


def ball_map(problem: Problem, reference: BiasReference, points: torch.Tensor) -> BiasBallMap:
    """The map for `problem`'s bias model: c = the reference's θ_0, R = the smallest power of
    two ≥ every row norm of `points` `(B, P)` and of the reference."""
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


def _same_rows(model: BiasReluNet, p: torch.Tensor, q: torch.Tensor) -> bool:
    return bool(torch.equal(model.split(p)[0], model.split(q)[0])
                and torch.equal(model.split(p)[1], model.split(q)[1]))


def lift_path(mapping: BiasBallMap, path: Path, A: torch.Tensor, B: torch.Tensor) -> Path:
    """The ball path `path` (from map(A_c) to map(B_c)) mapped back, from A to B `(P,)`.

    The end segments A → A_c and B_c → B move θ_0 only; each is merged into the adjacent
    θ-only segment when there is one (one straight move of (θ, θ_0) at fixed rows, convex).
    """
    bias = mapping.bias
    A, B = A.double(), B.double()
    V = mapping.to_bias(path.vertices.detach().cpu().double())
    vertices, kinds = list(V), list(path.kinds)
    if not torch.equal(vertices[0], A):
        if len(vertices) > 1 and _same_rows(bias, vertices[0], vertices[1]) \
                and kinds[0] == SegmentKind.CONVEX:
            vertices[0] = A
        else:
            vertices.insert(0, A)
            kinds.insert(0, SegmentKind.CONVEX)
    if not torch.equal(vertices[-1], B):
        if len(vertices) > 1 and _same_rows(bias, vertices[-1], vertices[-2]) \
                and kinds[-1] == SegmentKind.CONVEX:
            vertices[-1] = B
        else:
            vertices.append(B)
            kinds.append(SegmentKind.CONVEX)
    return Path(torch.stack(vertices), tuple(kinds))


def bias_constructive_paths(problem: Problem, A: torch.Tensor, B: torch.Tensor, *,
                            reference: BiasReference, mapping: BiasBallMap,
                            method: str = "sampling", draws: int = 32, refit_steps: int = 200,
                            generator: torch.Generator | None = None
                            ) -> list[tuple[Path, ConstructivePath]]:
    """Per pair (A_k, B_k) `(pairs, P)` of the bias problem `problem`: the constructive path
    in the bias model's parameter space (`lift_path`) and the ball problem's
    `ConstructivePath` it comes from (`numerics.constructive_paths` on
    `mapping.problem(problem)`, the reference `ball_reference`, l its width)."""
    ball_problem = mapping.problem(problem)
    ref = ball_reference(mapping, reference)
    # float64 endpoints: constructive_paths keeps them exactly
    ends_A, ends_B = (mapping.to_ball(mapping.with_offset(P.double())) for P in (A, B))
    paths = constructive_paths(ball_problem, ends_A, ends_B, l=ref.width, method=method,
                               draws=draws, refit_steps=refit_steps, reference=ref,
                               generator=generator)
    return [(lift_path(mapping, cp.path, A[k].detach().cpu().double(),
                       B[k].detach().cpu().double()), cp) for k, cp in enumerate(paths)]
