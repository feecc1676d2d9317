"""The width-l reference of the constructive path: (W*, θ*) with ê(l) = F_l(W*, θ*) ≥ e(l).

e(l) = min over width-l models of F_l; ê(l), the best F of several trained
starts, is an upper estimate of it, and the `ll:zero-radius` path passes through the
reference, so ê(l) enters its bound max{λ + ε, ê(l)}. `reference_width` picks l
(default ⌊m/2⌋, `ll:cor-moving-level`). `best_of_starts` is the one best-of-starts loop:
`train_reference` (a `ReluNet` reference) and `numerics._bias_map.train_bias_reference`
(a `BiasReluNet` reference) both call it, so the two share the draws, the batched training
and the float64 choice of the best start.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from numerics._problem import Model, Problem
from numerics._relu import ReluNet
from numerics._train import train
from numerics._walk import _relu_model
from theory.errors import InvalidArgumentError


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
    gen = torch.Generator().manual_seed(0) if generator is None else generator
    p, e_hat, F = best_of_starts(problem, narrow, starts, gen, steps=steps, lr=lr,
                                 plateau=(0.9, 20), project=True)
    W, theta = narrow.split(p)
    return Reference(W, theta, e_hat, F)


def best_of_starts(problem: Problem, narrow: Model, starts: int, generator: torch.Generator, *,
                   steps: int, lr: float, plateau: tuple[float, int],
                   project: bool = False) -> tuple[torch.Tensor, float, torch.Tensor]:
    """The best of `starts` models `narrow` on `problem`'s data and loss: p₀ =
    `narrow.init(starts, generator)` in the problem's dtype and device, one batched `train`
    call, then F_l in float64 at each start's result (projected onto `narrow`'s constraint
    first when `project`).

    **Returns** (p*, ê, F): the best start's point `(P_l,)` float64, ê = F_l(p*) = min F,
    and every start's F `(starts,)` float64.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons
    >>> from numerics._reference import best_of_starts
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 6, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> generator = torch.Generator().manual_seed(0)
    >>> p, e_hat, F = best_of_starts(problem, ReluNet(3, 2, 0.01), 3, generator, steps=10,
    ...                              lr=0.01, plateau=(0.9, 20))
    >>> tuple(p.shape), p.dtype, tuple(F.shape), e_hat == float(F.min())
    ((8,), torch.float64, (3,), True)
    """
    problem_l = Problem(narrow, problem.X, problem.Y, problem.loss)
    p0 = narrow.init(starts, generator, dtype=problem.dtype, device=problem.device)
    p = train(problem_l, p0, steps=steps, lr=lr, plateau=plateau).p.double()
    if project:
        p = narrow.project(p)
    F = problem_l.with_dtype(torch.float64).F(p)
    k = int(F.argmin())
    return p[k], float(F[k]), F
