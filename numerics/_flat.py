"""Any model given as a function of a flat parameter vector, and the [FB17] sigmoid MLP.

docs/validation.py E3: DSS must accept any model Φ(x; p), p ∈ ℝ^P, not only the ReLU layer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import torch

from numerics import _layers
from numerics import _validate as check
from theory.errors import InvalidArgumentError

Fn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


class FlatModel:
    """A `Model` from plain functions of p `(B, P)`.

    **Arguments**
    - `n_params`: P.
    - `fn(p, X)`: p `(B, P)`, X `(N, n)` → Φ `(B, N)`.
    - `penalty(p)`: `(B, P)` → `(B,)`; None means no penalty (zeros).
    - `project(p)`: the map applied after every optimizer step; None means the identity.
    - `init(B, generator)`: B starting points `(B, P)`; None means N(0, 1) entries.
    - `name`: for messages and records.

    >>> import torch
    >>> from numerics import FlatModel
    >>> linear = FlatModel(2, lambda p, X: p @ X.T, name="linear")  # Φ(x) = pᵀx
    >>> p = torch.tensor([[1.0, 2.0]])
    >>> linear.predict(p, torch.eye(2)).tolist(), linear.penalty(p).tolist()  # no penalty
    ([[1.0, 2.0]], [0.0])
    """

    def __init__(self, n_params: int, fn: Fn, penalty: Callable | None = None,
                 project: Callable | None = None, init: Callable | None = None,
                 name: str = "flat") -> None:
        if isinstance(n_params, bool) or not isinstance(n_params, int) or n_params < 1:
            raise InvalidArgumentError(f"n_params must be an integer ≥ 1, got {n_params!r}")
        if not callable(fn):
            raise TypeError(f"fn must be callable, got {type(fn).__name__}")
        for arg, value in (("penalty", penalty), ("project", project), ("init", init)):
            if value is not None and not callable(value):
                raise TypeError(f"{arg} must be callable or None, got {type(value).__name__}")
        self.n_params = n_params
        self.fn = fn
        self.name = name
        self._penalty = penalty
        self._project = project
        self._init = init

    def __repr__(self) -> str:
        return f"FlatModel(name={self.name!r}, n_params={self.n_params})"

    def predict(self, p: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
        """Φ(X) for each of the B models: shape `(B, N)` (checked)."""
        return check.shape(f"{self.name}: fn(p, X)", self.fn(p, X), (p.shape[0], X.shape[0]))

    def penalty(self, p: torch.Tensor) -> torch.Tensor:
        """Penalty per model: shape `(B,)`."""
        if self._penalty is None:
            return p.new_zeros(p.shape[0])
        return check.shape(f"{self.name}: penalty(p)", self._penalty(p), (p.shape[0],))

    def project(self, p: torch.Tensor) -> torch.Tensor:
        return p if self._project is None else self._project(p)

    def init(self, B: int, generator: torch.Generator, dtype: torch.dtype = torch.float32,
             device: str | torch.device | None = None) -> torch.Tensor:
        """B starting points, shape `(B, P)`, drawn on the CPU in float64 then cast."""
        if self._init is None:
            p = torch.randn(B, self.n_params, generator=generator, dtype=torch.float64)
        else:
            p = check.shape(f"{self.name}: init(B, generator)", self._init(B, generator),
                            (B, self.n_params))
        return p.to(dtype=dtype, device=check.device_of(device))

    def validate(self, p: torch.Tensor, name: str = "p") -> torch.Tensor:
        """Shape `(B, P)` and finite."""
        return _layers.validate_flat(p, self.n_params, name)


OUTPUTS = ("linear", "sigmoid")


def _mlp_predict(widths: tuple[int, ...], bias: bool, output: str, p: torch.Tensor,
                 X: torch.Tensor) -> torch.Tensor:
    # $h_j = \sigma(W_j h_{j-1} + b_j)$ on hidden layers, $z = W_K h_{K-1} + b_K$,
    # $\Phi = z$ (linear output) or $\sigma(z)$ (sigmoid output)
    z = _layers.forward(_layers.split(p, widths, bias=bias), X, torch.sigmoid)[..., 0]
    return torch.sigmoid(z) if output == "sigmoid" else z


def sigmoid_mlp(widths: Sequence[int] = (1, 4, 4, 1), *, bias: bool = True,
                output: str = "linear") -> FlatModel:
    """The [FB17] regression MLP: sigmoid hidden layers and a scalar output unit.

    **Arguments**
    - `widths` (n_0, …, n_K) with n_K = 1; the default is their 1-4-4-1 net.
    - `bias`: every layer has a bias (P = 33 for 1-4-4-1) or none (P = 24).
    - `output`: "linear" (Φ = W_K h_{K−1} + b_K) or "sigmoid" (Φ = σ(W_K h_{K−1} + b_K)).
      [FB17]'s code fits the cubic with biases and a linear output and the quadratic with
      no biases and a sigmoid output.

    Flat layout: vec W_1, b_1, …, vec W_K, b_K (no b_j without biases). No penalty, no
    constraint; `init` is `nn.Linear`'s default.

    >>> import torch
    >>> from numerics import sigmoid_mlp
    >>> mlp = sigmoid_mlp()
    >>> p = mlp.init(3, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> mlp.n_params, tuple(mlp.predict(p, torch.zeros(5, 1, dtype=torch.float64)).shape)
    (33, (3, 5))
    >>> squashed = sigmoid_mlp(bias=False, output="sigmoid")
    >>> squashed.n_params, squashed.name
    (24, 'sigmoid_mlp(1-4-4-1, no biases, sigmoid output)')
    """
    widths = _layers.check_widths(widths)
    if widths[-1] != 1:
        raise InvalidArgumentError(f"widths must end in 1 (scalar output), got {widths!r}")
    if not isinstance(bias, bool):
        raise InvalidArgumentError(f"bias must be True or False, got {bias!r}")
    if output not in OUTPUTS:
        raise InvalidArgumentError(f"output must be one of {OUTPUTS}, got {output!r}")
    details = ([] if bias else ["no biases"]) + ([] if output == "linear"
                                                 else [f"{output} output"])
    return FlatModel(
        _layers.n_params(widths, bias=bias),
        partial(_mlp_predict, widths, bias, output),
        init=partial(_layers.uniform_init, widths, bias, dtype=torch.float64, device=None),
        name="sigmoid_mlp(" + ", ".join(["-".join(map(str, widths)), *details]) + ")",
    )
