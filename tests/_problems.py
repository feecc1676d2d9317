"""Problems and parameter points the tests share, each built from a seeded generator.

Each factory names what it builds; its arguments are the differences between the tests
that use it, so a test reads its case off the call (`moons_problem("hinge", 6, seed=3)`)
and gets the same numbers every run. Factories for one hand-built case stay in the test
file that needs it.

- `abs_problem()`: F(p) = |p| for one parameter, where every Adam step is exact;
- `moons_problem(loss, m, ...)`: a one-hidden-layer net on `numerics.moons` data;
- `gaussian_problem(loss, ...)`: a net on Gaussian inputs (augmented by c = 1), with labels
  or targets as the loss needs them;
- `scaled_points(problem, B, seed, scale)`: B points of `problem.model.init`, θ scaled by
  `scale` (rows stay in the unit ball; θ > 1 makes sparsification and bumps matter).
"""

from __future__ import annotations

import torch

from numerics import BiasReluNet, Dataset, FlatModel, Problem, ReluNet, moons
from theory.losses import get_loss

F64 = torch.float64

NETS = {"relu": ReluNet, "bias": BiasReluNet}


def abs_problem() -> Problem:
    """F(p) = |p| for one parameter: Φ ≡ p on four points with target 0, absolute loss.
    Its gradient is ±1, so (with eps = 0) every early Adam step has length exactly lr."""
    model = FlatModel(1, lambda p, X: p[:, :1].expand(-1, X.shape[0]))
    data = Dataset("abs", torch.ones(4, 1, dtype=F64), torch.zeros(4, dtype=F64),
                   task="regression")
    return Problem.of(model, data, get_loss("absolute"), dtype=F64)


def moons_problem(loss: str, m: int, kappa: float = 1e-2, *, N: int = 30, seed: int = 0,
                  noise: float = 0.2, c: float | None = 1.0, model: str = "relu",
                  dtype: torch.dtype = F64, device=None) -> Problem:
    """A width-`m` net (`model`: "relu" for ReluNet, "bias" for BiasReluNet) on
    `moons(n_samples=N, noise, seed, c)`, in `dtype` on `device`."""
    data = moons(n_samples=N, noise=noise, seed=seed, c=c)
    return Problem.of(NETS[model](data.n, m, kappa), data, get_loss(loss), dtype=dtype,
                      device=device)


def gaussian_problem(loss: str, model: str = "relu", N: int = 6, n: int = 3, m: int = 3,
                     kappa: float = 0.05, seed: int = 0) -> Problem:
    """N Gaussian inputs in ℝ^{n−1} augmented by c = 1; labels in {0, 1} for a loss on
    labels, Gaussian targets otherwise (drawn after the inputs, from one generator)."""
    g = torch.Generator().manual_seed(seed)
    X = torch.cat([torch.randn(N, n - 1, generator=g, dtype=F64), torch.ones(N, 1, dtype=F64)],
                  1)
    the_loss = get_loss(loss)
    if the_loss.labels is None:
        Y, task = torch.randn(N, generator=g, dtype=F64), "regression"
    else:
        Y, task = torch.randint(0, 2, (N,), generator=g).to(F64), "binary"
    return Problem.of(NETS[model](n, m, kappa), Dataset("d", X, Y, task), the_loss, dtype=F64)


def scaled_points(problem: Problem, B: int = 2, seed: int = 0,
                  scale: float = 1.0) -> torch.Tensor:
    """B points of `problem.model.init` (seeded by `seed`, float64), θ multiplied by
    `scale`; shape `(B, P)`."""
    model = problem.model
    W, theta = model.split(model.init(B, torch.Generator().manual_seed(seed), dtype=F64))
    return model.join(W, scale * theta)
