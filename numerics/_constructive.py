"""The proof's constructive path (docs/notation.md): the assembly of its stages.

`constructive_paths` joins each pair (A, B) by the `ll:zero-radius` path through a width-l
reference and certifies it:
- the reference (W*, θ*) with ê(l) ≥ e(l): `numerics._reference` (`train_reference`,
  `reference_width`: l = ⌊m/2⌋ by default, `ll:cor-moving-level`);
- the sparsified ends θ̂_A, θ̂_B with ‖θ̂‖₀ ≤ q = m − l: `numerics._sparsify`
  (`ll:sampling`, `ll:pruning`, refit by `ll:convex-output`) and its ε_thm;
- the path A → Â → reference → B̂ → B: `numerics._zero_radius`, built by the walks of
  `numerics._walk`, every segment `convex` or `constant`, so its maximum is exact (the max
  over its vertices);
- `require_hypotheses`: what the loss must have for `method`; `ConstructivePath`: one
  pair's record, with λ = max{F(A), F(B)}, the realized ε = (max{F(Â), F(B̂)} − λ)₊, and the
  theorem's bound max{λ + ε_thm, ê(l)}.

The special paths of §4–§5 are in `numerics._special_paths`.

Notation: width m, reference width l, q = m − l, a = ‖θ‖₁, λ = max{F(A), F(B)}.
Exact quantities are computed in float64; training (reference, refit) runs in the
problem's dtype.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from numerics import _validate as check
from numerics._dataset import data_scale
from numerics._path import Path
from numerics._problem import Problem
from numerics._reference import Reference, reference_width, train_reference
from numerics._sparsify import METHODS, pruning_bound, sampling_bound, sparsify
from numerics._walk import _relu_model, _theta_kind
from numerics._zero_radius import zero_radius_path
from theory.errors import InvalidArgumentError
from theory.losses import Loss


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
