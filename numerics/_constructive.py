"""The proof's constructive path (docs/notation.md) and the special paths of §4–§5.

Main definitions:
- `maurey_sample`, `prune`, `refit_output`: sparsify the output layer θ at fixed W
  (`ll:sampling`, `ll:pruning`, `ll:convex-output`);
- `train_reference`: a width-l reference (W*, θ*) whose objective ê(l) ≥ e(l);
- `constructive_paths`: the `ll:zero-radius` path between pairs (A, B), every segment
  `convex` or `constant`, so its maximum is exact (the max over its vertices);
- `sampling_bound`, `pruning_bound`: ε_thm of `ll:sampling` / `ll:pruning`;
- `fixed_level_path` (`ll:thm-fixed-level`), `one_dimensional_path` (`ll:two-ray`,
  `ll:cor-1d`), `buffer_permutation_path` (`new:buffer-permutation`).

Paths are built by a `_Walk` whose moves are the lemmas the proofs use: `theta_to` (only θ
moves, `ll:convex-output`: a `convex` segment), `rows_to` (only zero-coefficient rows move,
`ll:free-row`: `constant`), `relocate` (units change slots by `ll:buffer-transfer`:
`constant`).

Notation: width m, reference width l, q = m − l, a = ‖θ‖₁, λ = max{F(A), F(B)}.
Exact quantities are computed in float64; training (reference, refit) runs in the
problem's dtype.
"""

from __future__ import annotations

import math
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import cast

import torch

from numerics import _validate as check
from numerics._dataset import data_scale
from numerics._path import Path, SegmentKind
from numerics._problem import Problem
from numerics._relu import ReluNet
from numerics._train import train
from theory.buffer import relocation_rounds
from theory.errors import InvalidArgumentError
from theory.losses import Loss

METHODS = ("sampling", "pruning")


def _relu_model(problem: Problem) -> ReluNet:
    if not isinstance(problem.model, ReluNet):
        raise TypeError(f"problem.model must be a ReluNet, got {type(problem.model).__name__}")
    return problem.model


def reference_width(m: int, l: int | None = None) -> int:
    """The reference width l of the constructive path: `l` if given, else ⌊m/2⌋ (the
    choice of `ll:cor-moving-level`, which balances q = m − l against e(l)).

    >>> from numerics import reference_width
    >>> reference_width(9), reference_width(9, l=3)
    (4, 3)
    """
    if l is None:
        return m // 2
    if not 1 <= l < m:
        raise InvalidArgumentError(f"the reference width l must satisfy 1 ≤ l < m = {m}, got {l}")
    return l


def _theta_kind(loss: Loss) -> SegmentKind:
    """θ-only segments are `convex` for convex losses; a negative control gets `general`."""
    return SegmentKind.CONVEX if loss.convex else SegmentKind.GENERAL


# ---------------------------------------------------------------------------------------
# walks: paths built move by move, each move a `convex` or `constant` segment


class _Walk:
    """A path under construction from the point `p` `(P,)` of `model` (kept in float64)."""

    def __init__(self, model: ReluNet, p: torch.Tensor) -> None:
        self.model = model
        W, theta = model.split(p.detach().to(torch.float64))
        self.W, self.theta = W.clone(), theta.clone()
        self._vertices = [model.join(self.W, self.theta)]
        self._kinds: list[SegmentKind] = []

    def _step(self, kind: SegmentKind) -> None:
        vertex = self.model.join(self.W, self.theta)
        if not torch.equal(vertex, self._vertices[-1]):
            self._vertices.append(vertex)
            self._kinds.append(kind)

    def theta_to(self, theta: torch.Tensor, kind: SegmentKind = SegmentKind.CONVEX) -> None:
        """Straight move of θ at fixed W (`ll:convex-output`: max F at an endpoint)."""
        self.theta = theta.to(self.theta).clone()
        self._step(kind)

    def rows_to(self, slots: torch.Tensor, rows: torch.Tensor) -> None:
        """Move the rows `slots` to `rows`; each must carry θ_i = 0 (`ll:free-row`)."""
        if (self.theta[slots] != 0).any():
            raise InvalidArgumentError(
                "rows_to: only rows with a zero coefficient may move at constant F")
        self.W[slots] = rows.to(self.W)
        self._step(SegmentKind.CONSTANT)

    def free_slots(self, exclude: AbstractSet[int] = frozenset()) -> list[int]:
        """Slots with θ_i = 0, in increasing order, other than `exclude`."""
        return [i for i in (self.theta == 0).nonzero().flatten().tolist() if i not in exclude]

    def _transfer(self, moves: dict[int, int]) -> None:
        """Move unit u to the free slot v for every u ↦ v of `moves` (two `constant` segments)."""
        src = torch.tensor(list(moves), device=self.W.device)
        dst = torch.tensor(list(moves.values()), device=self.W.device)
        # the buffer row copies the unit's row while its coefficient is 0 (ll:free-row)
        self.W[dst] = self.W[src]
        self._step(SegmentKind.CONSTANT)
        # $(a, 0) \mapsto ((1-t)a, ta)$: Φ and $|(1-t)a| + |ta| = |a|$ stay fixed
        self.theta[dst] = self.theta[src]
        self.theta[src] = 0
        self._step(SegmentKind.CONSTANT)

    def relocate(self, sources: list[int], targets: list[int]) -> None:
        """Move the unit in slot `sources[j]` to slot `targets[j]` for every j
        (`ll:buffer-transfer`), by the rounds of `theory.buffer.relocation_rounds`: units
        whose targets are still occupied wait, and when only cycles remain one unit is
        parked in a free buffer slot (θ = 0, neither a source nor a target).
        """
        for moves in relocation_rounds(sources, targets, free=self.free_slots()):
            self._transfer(moves)

    def path(self) -> Path:
        """The walk so far (a one-point walk becomes a zero-length `constant` segment)."""
        vertices = self._vertices if len(self._vertices) > 1 else self._vertices * 2
        kinds = self._kinds if self._kinds else [SegmentKind.CONSTANT]
        return Path(torch.stack(vertices), tuple(kinds))


def _reversed(path: Path) -> Path:
    """The same path walked from its end to its start."""
    return Path(path.vertices.flip(0), path.kinds[::-1])


def _meet(a: _Walk, b: _Walk, slots_a: list[int], slots_b: list[int],
         kind: SegmentKind = SegmentKind.CONVEX) -> Path:
    """Join two walks whose active units sit in `slots_a` (walk `a`) and `slots_b` (walk `b`):
    relocate a's units onto b's slots, move a's free rows onto b's rows, interpolate θ at
    the now common W (`kind`), then walk b backwards. Both walks must carry the same rows
    in `slots_b` by then (the same reference, or the same canonical rows).
    """
    a.relocate(slots_a, slots_b)
    rest = torch.tensor(a.free_slots(exclude=set(slots_b)), dtype=torch.long)
    a.rows_to(rest, b.W[rest])
    a.theta_to(b.theta, kind)
    return a.path().concat(_reversed(b.path()))


# ---------------------------------------------------------------------------------------
# sparsification of θ at fixed W


def maurey_sample(theta: torch.Tensor, q: int, draws: int,
                  generator: torch.Generator) -> torch.Tensor:
    """Penalty-preserving Maurey sampling (`ll:sampling`), `draws` independent draws.

    **Arguments**
    - `theta`: θ, shape `(B, m)`.
    - `q`: number of draws I₁..I_q per realization, 1 ≤ q.
    - `generator`: a CPU `torch.Generator` (the draws do not depend on the device).

    **Returns** θ̂ of shape `(B, draws, m)`: ‖θ̂‖₀ ≤ q, ‖θ̂‖₁ = ‖θ‖₁, E θ̂ = θ.
    θ = 0 gives θ̂ = 0.

    >>> import torch
    >>> from numerics import maurey_sample
    >>> theta = torch.tensor([[0.5, -0.25, 0.25, 0.0]], dtype=torch.float64)
    >>> theta_hat = maurey_sample(theta, q=2, draws=3, generator=torch.Generator().manual_seed(0))
    >>> tuple(theta_hat.shape), theta_hat.abs().sum(-1).tolist()  # ‖θ̂‖₁ = ‖θ‖₁ = 1
    ((1, 3, 4), [[1.0, 1.0, 1.0]])
    >>> bool(((theta_hat != 0).sum(-1) <= 2).all())  # at most q atoms
    True
    """
    if q < 1 or draws < 1:
        raise InvalidArgumentError(f"q and draws must be ≥ 1, got q={q}, draws={draws}")
    B, m = theta.shape
    mass = theta.detach().double().cpu().abs()
    a = mass.sum(-1, keepdim=True)
    # $P(I = i) = |\theta_i| / a$ (uniform when θ = 0: every θ̂ is 0 then)
    probs = torch.where(a > 0, mass / a.clamp_min(torch.finfo(a.dtype).tiny), 1.0 / m)
    I = torch.multinomial(probs.repeat_interleave(draws, 0), q, replacement=True,
                          generator=generator)
    counts = torch.zeros(B * draws, m, dtype=torch.float64).scatter_add_(
        1, I, torch.ones_like(I, dtype=torch.float64)).view(B, draws, m)
    # $\hat\theta_i = \frac{a}{q}\,\mathrm{sgn}(\theta_i)\, N_i$
    theta_hat = (a / q)[:, :, None] * theta.detach().cpu().double().sign()[:, None] * counts
    return theta_hat.to(theta.device)


def prune(theta: torch.Tensor, q: int) -> torch.Tensor:
    """Keep the q largest-mass coefficients |θ_i| of each row, zero the rest (`ll:pruning`).

    **Arguments** `theta`: θ, shape `(B, m)`; `q` ≥ 1. **Returns** θ_pr, shape `(B, m)`.

    >>> import torch
    >>> from numerics import prune
    >>> prune(torch.tensor([[0.5, -0.25, 0.125, 0.0]]), q=2).tolist()
    [[0.5, -0.25, 0.0, 0.0]]
    """
    if q < 1:
        raise InvalidArgumentError(f"q must be ≥ 1, got {q}")
    keep = theta.abs().topk(min(q, theta.shape[-1]), dim=-1).indices
    return torch.zeros_like(theta).scatter(-1, keep, theta.gather(-1, keep))


def refit_output(problem: Problem, p: torch.Tensor, *, steps: int = 200,
                 lr: float = 0.01) -> torch.Tensor:
    """Minimize F(W, θ) over θ with supp θ ⊆ supp θ₀ at the fixed W of `p` (a convex problem,
    `ll:convex-output`), by Adam in the problem's dtype.

    **Arguments** `p`: points (W, θ₀), shape `(B, P)`.
    **Returns** shape `(B, P)`: the best iterate of each model (F never above F(p) in the
    problem's dtype), same W, support within that of θ₀.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, refit_output
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> p = problem.model.init(2, torch.Generator().manual_seed(0))
    >>> refit = refit_output(problem, p, steps=20)
    >>> bool((problem.F(refit) <= problem.F(p)).all())
    True
    >>> torch.equal(problem.model.split(refit)[0], problem.model.split(p)[0])  # W is kept
    True
    """
    model = _relu_model(problem)
    p = p.detach().to(problem.device, problem.dtype)
    W, theta0 = model.split(p)
    mask = (theta0 != 0).to(theta0.dtype)
    theta = theta0.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([theta], lr=lr)
    best, best_F = theta0.clone(), problem.F(p)
    for _ in range(steps):
        F = problem.F(model.join(W, theta * mask))
        improved = F.detach() < best_F
        best = torch.where(improved[:, None], (theta * mask).detach(), best)
        best_F = torch.where(improved, F.detach(), best_F)
        optimizer.zero_grad()
        F.sum().backward()
        optimizer.step()
    return model.join(W, best)


@dataclass(frozen=True)
class Sparsified:
    """Sparsified endpoints: `theta` θ̂ `(B, m)` float64 with ‖θ̂‖₀ ≤ q, `F` F(W, θ̂) `(B,)`
    float64, `refitted` `(B,)` whether the refit lowered F and was kept.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, sparsify
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> p = problem.model.init(2, torch.Generator().manual_seed(0))
    >>> result = sparsify(problem, p, q=3, method="pruning", refit_steps=0)
    >>> tuple(result.theta.shape), result.F.dtype, result.refitted.tolist()
    ((2, 6), torch.float64, [False, False])
    """

    theta: torch.Tensor
    F: torch.Tensor
    refitted: torch.Tensor


def sparsify(problem: Problem, p: torch.Tensor, q: int, *, method: str = "sampling",
             draws: int = 32, refit_steps: int = 200,
             generator: torch.Generator | None = None) -> Sparsified:
    """θ ↦ θ̂ with ≤ q active coefficients at fixed W, then an optional refit.

    **Arguments**
    - `p`: points (W, θ), shape `(B, P)`.
    - `method`: "sampling" (best of `draws` Maurey draws, all evaluated in one batched
      F call) or "pruning".
    - `refit_steps`: Adam steps of `refit_output` (0: no refit); a refit is kept only if it
      lowers F in float64.
    - `generator`: CPU generator for the draws (default: seeded with 0).

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, sparsify
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"),
    ...                      dtype=torch.float64)
    >>> p = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> result = sparsify(problem, p, q=3, draws=8, refit_steps=0)
    >>> bool(((result.theta != 0).sum(-1) <= 3).all()), torch.allclose(result.F, problem.F(
    ...     problem.model.join(problem.model.split(p)[0], result.theta)))
    (True, True)
    """
    if method not in METHODS:
        raise InvalidArgumentError(f"method must be one of {METHODS}, got {method!r}")
    model = _relu_model(problem)
    exact = problem.with_dtype(torch.float64)
    p = p.detach().to(problem.device, torch.float64)
    W, theta = model.split(p)
    B = p.shape[0]
    if method == "sampling":
        gen = torch.Generator().manual_seed(0) if generator is None else generator
        candidates = maurey_sample(theta, q, draws, gen)
        F = exact.F(model.join(W.repeat_interleave(draws, 0), candidates.flatten(0, 1)))
        best = F.view(B, draws).argmin(-1)
        theta_hat = candidates[torch.arange(B), best]
        F_hat = F.view(B, draws)[torch.arange(B), best]
    else:
        theta_hat = prune(theta, q)
        F_hat = exact.F(model.join(W, theta_hat))
    refitted = torch.zeros(B, dtype=torch.bool, device=p.device)
    if refit_steps > 0:
        _, theta_fit = model.split(refit_output(problem, model.join(W, theta_hat),
                                                steps=refit_steps).double())
        F_fit = exact.F(model.join(W, theta_fit))
        refitted = F_fit < F_hat
        theta_hat = torch.where(refitted[:, None], theta_fit, theta_hat)
        F_hat = torch.where(refitted, F_fit, F_hat)
    return Sparsified(theta_hat, F_hat, refitted)


# ---------------------------------------------------------------------------------------
# the width-l reference and the theorem's ε


@dataclass(frozen=True)
class Reference:
    """Width-l reference: `W` W* `(l, n)`, `theta` θ* `(l,)` (float64, rows in the ball),
    `e_hat` ê(l) = F_l(W*, θ*) ≥ e(l), `F_starts` `(starts,)` every start's final F.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, train_reference
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> reference = train_reference(problem, 3, starts=2, steps=20)
    >>> best = float(reference.F_starts.min())
    >>> reference.width, tuple(reference.W.shape), reference.e_hat == best
    (3, (3, 3), True)
    """

    W: torch.Tensor
    theta: torch.Tensor
    e_hat: float
    F_starts: torch.Tensor

    @property
    def width(self) -> int:
        """The reference width l."""
        return self.theta.shape[0]


def train_reference(problem: Problem, l: int, *, starts: int = 8, steps: int = 1000,
                    lr: float = 0.01, generator: torch.Generator | None = None) -> Reference:
    """ê(l): the best of `starts` width-l models, trained in one batched `train` call.

    **Arguments** `problem`: the width-m problem (its data, loss and κ are used);
    `l` ≥ 1 the reference width; `generator`: CPU generator for the starts (default seed 0).

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, train_reference
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> reference = train_reference(problem, 2, starts=4, steps=50)
    >>> tuple(reference.theta.shape), tuple(reference.F_starts.shape), reference.W.dtype
    ((2,), (4,), torch.float64)
    >>> bool((reference.W.norm(dim=-1) <= 1).all())  # rows in the ball
    True
    """
    model = _relu_model(problem)
    if l < 1 or starts < 1:
        raise InvalidArgumentError(f"l and starts must be ≥ 1, got l={l}, starts={starts}")
    narrow = ReluNet(model.n, l, model.kappa)
    problem_l = Problem(narrow, problem.X, problem.Y, problem.loss)
    gen = torch.Generator().manual_seed(0) if generator is None else generator
    p0 = narrow.init(starts, gen, dtype=problem.dtype, device=problem.device)
    result = train(problem_l, p0, steps=steps, lr=lr, plateau=(0.9, 20))
    p = narrow.project(result.p.double())
    F = problem_l.with_dtype(torch.float64).F(p)
    W, theta = narrow.split(p[F.argmin()])
    return Reference(W, theta, float(F.min()), F)


def sampling_bound(loss: Loss, a: float, D_X: float, q: int) -> float:
    """ε_thm of `ll:sampling`: L·a·D_X/√q, or H/(1+α)·(a·D_X/√q)^{1+α} for a Hölder loss
    without L (`theory.bounds`, generated from the registered statement); NaN for a loss
    with neither (a negative control).

    >>> from numerics import sampling_bound
    >>> from theory.losses import get_loss
    >>> sampling_bound(get_loss("logistic"), a=2.0, D_X=1.5, q=9)  # L a D_X/√q
    1.0
    >>> sampling_bound(get_loss("half_squared"), a=1.0, D_X=1.0, q=4)  # Hölder (1, 1): ½(½)²
    0.125
    """
    from theory import bounds

    if loss.L is not None:
        return bounds.sampling_gap(float(loss.L), a, D_X, q)
    if loss.holder is not None:
        alpha, H = (float(v) for v in loss.holder)
        return bounds.sampling_holder_gap(H, alpha, a, D_X, q)
    return math.nan


def pruning_bound(loss: Loss, a: float, D_X: float, kappa: float, l: int, m: int) -> float:
    """ε_thm of `ll:pruning`: (L·D_X − κ)₊·(l/m)·a (`theory.bounds`); NaN without L.

    >>> from numerics import pruning_bound
    >>> from theory.losses import get_loss
    >>> pruning_bound(get_loss("hinge"), a=3.0, D_X=2.0, kappa=1.0, l=2, m=4)  # 1 · ½ · 3
    1.5
    >>> pruning_bound(get_loss("mse"), a=3.0, D_X=2.0, kappa=1.0, l=2, m=4)  # no L
    nan
    """
    from theory import bounds

    if loss.L is None:
        return math.nan
    return bounds.pruning_gap(float(loss.L), D_X, kappa, a, l, m)


# ---------------------------------------------------------------------------------------
# the ll:zero-radius path


@dataclass(frozen=True)
class ConstructivePath:
    """One pair's constructive path and its certificate.

    - `path`: float64 vertices, kinds `convex`/`constant` (`general` only in
      negative-control mode); `F` `(V,)` float64 F at the vertices.
    - `level` λ = max{F(A), F(B)}; `F_A`, `F_B`, `F_A_hat`, `F_B_hat` (sparsified ends).
    - `a` = max{‖θ_A‖₁, ‖θ_B‖₁}, `e_hat` ê(l), `l`, `q`, `method`.
    - `epsilon` realized ε = (max{F(Â), F(B̂)} − λ)₊; `epsilon_thm` the theorem's ε;
      `theorem_bound` = max{λ + ε_thm, ê(l)}.

    >>> import torch
    >>> from numerics import Problem, ReluNet, constructive_paths, moons
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"),
    ...                      dtype=torch.float64)
    >>> A, B = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> [result] = constructive_paths(problem, A[None], B[None], draws=8, refit_steps=0,
    ...                               starts=2, reference_steps=20)
    >>> result.exact, result.barrier >= 0, result.max_F <= result.realized_bound + 1e-12
    (True, True, True)
    """

    path: Path
    F: torch.Tensor
    level: float
    F_A: float
    F_B: float
    F_A_hat: float
    F_B_hat: float
    a: float
    e_hat: float
    l: int
    q: int
    method: str
    epsilon: float
    epsilon_thm: float
    theorem_bound: float

    @property
    def exact(self) -> bool:
        """True when every segment is convex or constant: `max_F` is the path's maximum."""
        return self.path.exact

    @property
    def max_F(self) -> float:
        """max of F over the vertices — the exact path maximum when `exact`."""
        return float(self.F.max())

    @property
    def barrier(self) -> float:
        """max_F − λ."""
        return self.max_F - self.level

    @property
    def realized_bound(self) -> float:
        """max{λ + realized ε, ê(l)} (`ll:zero-radius` with the realized ε)."""
        return max(self.level + self.epsilon, self.e_hat)


def require_hypotheses(loss: Loss, method: str, negative_control: bool = False) -> None:
    """Raise `LossHypothesisError` unless `loss` has what the constructive path with `method`
    needs: convexity (`ll:zero-radius`), and L for pruning, L or Hölder for sampling.
    `negative_control=True` waives every hypothesis.

    >>> from numerics import require_hypotheses
    >>> from theory.losses import get_loss
    >>> require_hypotheses(get_loss("half_squared"), "sampling")  # Hölder ℒ' suffices
    >>> require_hypotheses(get_loss("half_squared"), "pruning")
    Traceback (most recent call last):
        ...
    theory.losses._loss.LossHypothesisError: loss 'half_squared' is not Lipschitz; ll:pruning ...
    """
    if method not in METHODS:
        raise InvalidArgumentError(f"method must be one of {METHODS}, got {method!r}")
    if negative_control:
        return
    loss.require(convex=True, needed_by="ll:zero-radius")
    if method == "pruning":
        loss.require(lipschitz=True, needed_by="ll:pruning")
    elif loss.L is None:
        loss.require(holder=True, needed_by="ll:sampling (without a Lipschitz constant)")


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


def _onto(walk: _Walk, slots: list[int], rows: torch.Tensor, coefficients: torch.Tensor,
          kind: SegmentKind) -> None:
    """Move free rows `slots` to `rows` (`ll:free-row`), then θ onto `coefficients` there and
    0 elsewhere (`ll:convex-output`)."""
    index = torch.tensor(slots, dtype=torch.long)
    walk.rows_to(index, rows)
    theta = torch.zeros_like(walk.theta)
    theta[index] = coefficients.to(theta)
    walk.theta_to(theta, kind)


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


def constructive_paths(
    problem: Problem,
    A: torch.Tensor,
    B: torch.Tensor,
    *,
    l: int | None = None,
    method: str = "sampling",
    draws: int = 32,
    refit_steps: int = 200,
    reference: Reference | None = None,
    starts: int = 8,
    reference_steps: int = 1000,
    generator: torch.Generator | None = None,
    negative_control: bool = False,
) -> list[ConstructivePath]:
    """The constructive path of docs/notation.md for each pair (A_k, B_k).

    **Arguments**
    - `problem`: a `ReluNet` problem of width m ≥ 2.
    - `A`, `B`: endpoints, shape `(pairs, P)`.
    - `l`: reference width, 1 ≤ l < m (default ⌊m/2⌋, as in `ll:cor-moving-level`); q = m − l.
    - `method`: "sampling" (`ll:sampling`, best of `draws`) or "pruning" (`ll:pruning`);
      `refit_steps`: refit of the kept coefficients (0: none).
    - `reference`: a `Reference` of width l (default: `train_reference` with `starts`,
      `reference_steps`), shared by every pair.
    - `generator`: CPU generator for the reference starts and the draws (default seed 0).
    - `negative_control`: allow a loss lacking the hypotheses (its θ-segments become
      `general`, so the vertex maximum is no certificate).

    **Returns** one `ConstructivePath` per pair. Raises `LossHypothesisError` for a
    non-convex loss, for sampling with neither L nor Hölder, and for pruning without L.

    >>> import torch
    >>> from numerics import Problem, ReluNet, constructive_paths, moons, path_max
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"),
    ...                      dtype=torch.float64)
    >>> A, B = problem.model.init(4, torch.Generator().manual_seed(0), dtype=torch.float64).split(2)
    >>> paths = constructive_paths(problem, A, B, draws=8, refit_steps=0, starts=2,
    ...                            reference_steps=20)
    >>> [(c.l, c.q, c.exact) for c in paths]  # l = ⌊6/2⌋, only convex and constant segments
    [(3, 3, True), (3, 3, True)]
    >>> path_max(problem, paths[0].path, tol=1e-6).exact  # max F is the vertex maximum
    True
    """
    model = _relu_model(problem)
    require_hypotheses(problem.loss, method, negative_control)
    if model.m < 2:
        raise InvalidArgumentError(f"the width m must be ≥ 2, got {model.m}")
    l = reference_width(model.m, l)
    if not 1 <= l < model.m:
        raise InvalidArgumentError(f"l must satisfy 1 ≤ l < m = {model.m}, got {l}")
    q = model.m - l
    check.shape("A", A, (None, model.n_params))
    check.shape("B", B, (A.shape[0], model.n_params))
    model.validate(A, "A")
    model.validate(B, "B")
    gen = torch.Generator().manual_seed(0) if generator is None else generator
    if reference is None:
        reference = train_reference(problem, l, starts=starts, steps=reference_steps,
                                    generator=gen)
    elif reference.width != l:
        raise InvalidArgumentError(f"reference has width {reference.width}, expected l = {l}")
    exact = problem.with_dtype(torch.float64)
    ends = torch.cat([A, B]).detach().to(problem.device, torch.float64)
    hat = sparsify(problem, ends, q, method=method, draws=draws, refit_steps=refit_steps,
                   generator=gen)
    a_ends = model.split(ends)[1].abs().sum(-1)
    kind = _theta_kind(problem.loss)
    pairs = A.shape[0]
    paths = [zero_radius_path(model, ends[k], ends[pairs + k], hat.theta[k], hat.theta[pairs + k],
                              reference, kind) for k in range(pairs)]
    F_all = exact.F(torch.cat([path.vertices for path in paths]).to(problem.device))
    F_paths = F_all.cpu().split([path.vertices.shape[0] for path in paths])
    D_X = data_scale(problem.X)
    out = []
    for k, (path, F) in enumerate(zip(paths, F_paths, strict=True)):
        # F(A), F(B) from the same evaluation as the other vertices: max_F ≥ λ exactly
        F_A, F_B = float(F[0]), float(F[-1])
        F_A_hat, F_B_hat = float(hat.F[k]), float(hat.F[pairs + k])
        level = max(F_A, F_B)
        a = max(float(a_ends[k]), float(a_ends[pairs + k]))
        eps_thm = (sampling_bound(problem.loss, a, D_X, q) if method == "sampling"
                   else pruning_bound(problem.loss, a, D_X, model.kappa, l, model.m))
        out.append(ConstructivePath(
            path=path, F=F, level=level, F_A=F_A, F_B=F_B, F_A_hat=F_A_hat, F_B_hat=F_B_hat,
            a=a, e_hat=reference.e_hat, l=l, q=q, method=method,
            epsilon=max(max(F_A_hat, F_B_hat) - level, 0.0), epsilon_thm=eps_thm,
            theorem_bound=max(level + eps_thm, reference.e_hat),
        ))
    return out


# ---------------------------------------------------------------------------------------
# special paths: fixed level, one dimension, buffer permutation


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
