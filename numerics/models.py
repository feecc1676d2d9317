"""Model classes on flat parameter vectors p `(B, P)`, all following `Model`
(`n_params`, `predict(p, X) → (B, N)`, `penalty(p) → (B,)`, `project(p)`), each with
`init(B, generator, dtype, device)` and `validate(p)`.

| class | Φ | penalty | `project` |
|---|---|---|---|
| `ReluNet(n, m, κ)` | Σ θ_i ρ(w_iᵀx), THEORY.md §1 | κ‖θ‖₁ | rows onto the unit ball |
| `BiasReluNet(n, m, κ)` | Σ θ_i ρ(w_iᵀx + b_i) + θ_0 [B26] | κ(‖θ‖₁ + \\|θ_0\\|) | unit rows |
| `DeepLinearNet(widths, κ)` | W_K⋯W_1 x, `fb:prop-2.2` | κ Σ‖W_j‖²_F | identity |
| `FlatModel(P, fn, …)` | fn(p, X) | given or 0 | given or identity |
| `sigmoid_mlp(widths)` | [FB17] 1-4-4-1 sigmoid MLP (a `FlatModel`) | 0 | identity |
"""

from numerics._bias_relu import BiasReluNet
from numerics._deep_linear import DeepLinearNet
from numerics._flat import FlatModel, sigmoid_mlp
from numerics._problem import Model
from numerics._relu import ReluNet

__all__ = ["BiasReluNet", "DeepLinearNet", "FlatModel", "Model", "ReluNet", "sigmoid_mlp"]
