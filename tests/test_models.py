"""Model classes: hand-written references, the [B26] v1 renormalization, init, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from conftest import assert_close
from hypothesis import given
from hypothesis import strategies as st

import numerics
from numerics import (
    BiasReluNet,
    DeepLinearNet,
    FlatModel,
    NonFiniteError,
    Problem,
    ReluNet,
    ShapeError,
    sigmoid_mlp,
    train,
)
from theory.losses import get_loss


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


def _models():
    """(model, input dimension) for every new model class."""
    return [(BiasReluNet(3, 5, 1e-3), 3), (DeepLinearNet((3, 4, 2, 1), 0.1), 3),
            (sigmoid_mlp(), 1), (sigmoid_mlp((2, 3, 1)), 2),
            (sigmoid_mlp(bias=False, output="sigmoid"), 1)]


MODELS = _models()
IDS = ["bias_relu", "deep_linear", "sigmoid_1441", "sigmoid_231", "sigmoid_1441_squashed"]


# ---- BiasReluNet ---------------------------------------------------------------------

def test_bias_relu_predict_matches_hand_written_sum(torch_gen):
    net = BiasReluNet(3, 4, 0.01)
    p = torch.randn(2, net.n_params, generator=torch_gen, dtype=torch.float64)
    X = torch.randn(6, 3, generator=torch_gen, dtype=torch.float64)
    W, b, theta, theta_0 = (t.numpy() for t in net.split(p))
    expected = np.zeros((2, 6))
    for bb in range(2):
        for k in range(6):
            expected[bb, k] = theta_0[bb, 0] + sum(
                theta[bb, i] * max(0.0, float(W[bb, i] @ X[k].numpy()) + b[bb, i])
                for i in range(4))
    assert_close(net.predict(p, X), expected)
    assert_close(net.penalty(p), 0.01 * (np.abs(theta).sum(1) + np.abs(theta_0[:, 0])))


def test_bias_relu_layout_round_trips(torch_gen):
    net = BiasReluNet(2, 3, 1.0)
    p = torch.randn(4, net.n_params, generator=torch_gen)
    assert net.n_params == 3 * 2 + 3 + 3 + 1
    assert torch.equal(net.join(*net.split(p)), p)


@given(st.integers(0, 2**31), st.floats(-6, 6), st.integers(0, 4))
def test_bias_relu_renormalization_preserves_phi_exactly(seed, log_scale, zero_row):
    g = torch.Generator().manual_seed(seed)
    net = BiasReluNet(3, 5, 1e-3)
    W, b, theta, theta_0 = net.split(torch.randn(3, net.n_params, generator=g,
                                                 dtype=torch.float64))
    W = W * 10.0**log_scale
    W[:, zero_row] = 0.0
    p = net.join(W, b, theta, theta_0)
    X = torch.randn(40, 3, generator=g, dtype=torch.float64)
    q = net.project(p)
    assert_close(net.predict(q, X), net.predict(p, X))
    W_q, _, theta_q, _ = net.split(q)
    norms = W_q.norm(dim=-1)
    assert_close(norms[:, zero_row], torch.zeros(3))
    keep = torch.arange(5) != zero_row
    assert_close(norms[:, keep], torch.ones(3, 4))
    # the penalty is what changes: |θ_i| picks up the row norm s_i
    s = W.norm(dim=-1).where(W.norm(dim=-1) > 0, torch.ones(()))
    assert_close(net.penalty(q), 1e-3 * ((theta * s).abs().sum(-1) + theta_0.abs()[:, 0]))
    assert_close(theta_q, theta * s)


def test_bias_relu_renormalization_is_idempotent(torch_gen):
    net = BiasReluNet(4, 6, 1e-3)
    q = net.project(torch.randn(5, net.n_params, generator=torch_gen, dtype=torch.float64))
    assert_close(net.project(q), q)


def test_bias_relu_without_biases_is_the_canonical_relu_net(torch_gen):
    relu, biased = ReluNet(3, 4, 0.1), BiasReluNet(3, 4, 0.1)
    p = relu.project(torch.randn(2, relu.n_params, generator=torch_gen, dtype=torch.float64))
    W, theta = relu.split(p)
    q = biased.join(W, torch.zeros(2, 4, dtype=torch.float64), theta,
                    torch.zeros(2, 1, dtype=torch.float64))
    X = torch.randn(10, 3, generator=torch_gen, dtype=torch.float64)
    assert_close(biased.predict(q, X), relu.predict(p, X))
    assert_close(biased.penalty(q), relu.penalty(p))


def test_bias_relu_init_has_unit_rows(torch_gen):
    net = BiasReluNet(2, 7, 1e-3)
    W = net.split(net.init(3, torch_gen, dtype=torch.float64))[0]
    assert_close(W.norm(dim=-1), torch.ones(3, 7))


def test_training_the_bias_model_keeps_rows_unit_and_lowers_F():
    d = numerics.moons(n_samples=200, seed=0, c=None)
    net = BiasReluNet(2, 8, 1e-3)
    problem = Problem.of(net, d, get_loss("mse"), dtype=torch.float64)
    p0 = net.init(3, torch.Generator().manual_seed(1), dtype=torch.float64)
    result = train(problem, p0, steps=20, lr=0.01)
    assert (result.F < problem.F(p0)).all()
    assert_close(net.split(result.p)[0].norm(dim=-1), torch.ones(3, 8))


# ---- DeepLinearNet -------------------------------------------------------------------

def test_deep_linear_predict_and_penalty_match_numpy(torch_gen):
    net = DeepLinearNet((3, 4, 2, 1), kappa=0.3)
    p = torch.randn(2, net.n_params, generator=torch_gen, dtype=torch.float64)
    X = torch.randn(5, 3, generator=torch_gen, dtype=torch.float64)
    flat = p.numpy()
    for bb in range(2):
        W1 = flat[bb, :12].reshape(4, 3)
        W2 = flat[bb, 12:20].reshape(2, 4)
        W3 = flat[bb, 20:22].reshape(1, 2)
        expected = [(W3 @ W2 @ W1 @ x)[0] for x in X.numpy()]
        assert_close(net.predict(p, X)[bb], expected)
        assert_close(net.end_to_end(p)[bb], W3 @ W2 @ W1)
        frob = sum(np.sum(W**2) for W in (W1, W2, W3))
        assert_close(net.penalty(p)[bb], 0.3 * frob)


def test_deep_linear_allows_kappa_zero():
    net = DeepLinearNet((2, 3, 1), kappa=0.0)
    assert_close(net.penalty(torch.ones(2, net.n_params, dtype=torch.float64)), torch.zeros(2))


def test_deep_linear_project_is_the_identity(torch_gen):
    net = DeepLinearNet((2, 3, 1), kappa=1.0)
    p = torch.randn(2, net.n_params, generator=torch_gen)
    assert torch.equal(net.project(p), p)


# ---- FlatModel and the sigmoid MLP ---------------------------------------------------

def test_sigmoid_mlp_matches_hand_written_forward_pass(torch_gen):
    model = sigmoid_mlp()
    assert model.n_params == 33
    p = model.init(2, torch_gen, dtype=torch.float64)
    X = torch.rand(7, 1, generator=torch_gen, dtype=torch.float64)
    for bb in range(2):
        v = list(p[bb].numpy())
        W1, b1 = np.array(v[0:4]).reshape(4, 1), np.array(v[4:8])
        W2, b2 = np.array(v[8:24]).reshape(4, 4), np.array(v[24:28])
        W3, b3 = np.array(v[28:32]).reshape(1, 4), v[32]
        for k, x in enumerate(X.numpy()):
            h1 = [_sigmoid(z) for z in W1 @ x + b1]
            h2 = [_sigmoid(z) for z in W2 @ np.array(h1) + b2]
            assert_close(model.predict(p, X)[bb, k], (W3 @ np.array(h2))[0] + b3)


def test_bias_free_sigmoid_output_mlp_matches_hand_written_forward_pass(torch_gen):
    # [FB17]'s quadratic net: Φ(x) = σ(W_3 σ(W_2 σ(W_1 x))), no biases
    model = sigmoid_mlp(bias=False, output="sigmoid")
    assert model.n_params == 24
    p = model.init(2, torch_gen, dtype=torch.float64)
    X = torch.rand(7, 1, generator=torch_gen, dtype=torch.float64)
    for bb in range(2):
        v = list(p[bb].numpy())
        W1, W2, W3 = (np.array(v[0:4]).reshape(4, 1), np.array(v[4:20]).reshape(4, 4),
                      np.array(v[20:24]).reshape(1, 4))
        for k, x in enumerate(X.numpy()):
            h1 = [_sigmoid(z) for z in W1 @ x]
            h2 = [_sigmoid(z) for z in W2 @ np.array(h1)]
            assert_close(model.predict(p, X)[bb, k], _sigmoid((W3 @ np.array(h2))[0]))
    # each option alone changes Φ: the output unit squashes, the biases shift
    linear = sigmoid_mlp(bias=False)
    assert torch.allclose(model.predict(p, X), torch.sigmoid(linear.predict(p, X)))


def test_sigmoid_mlp_init_is_bounded_by_fan_in(torch_gen):
    model = sigmoid_mlp((1, 4, 4, 1))
    p = model.init(50, torch_gen, dtype=torch.float64)
    assert p[:, :8].abs().max() <= 1.0
    assert p[:, 8:].abs().max() <= 0.5
    assert p[:, 8:].abs().max() > 0.45


def test_sigmoid_mlp_fits_the_fb_quadratic():
    d = numerics.load("fb_quadratic", n_samples=100, seed=0)
    model = sigmoid_mlp()
    problem = Problem.of(model, d, get_loss("absolute"), dtype=torch.float64)
    p0 = model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    result = train(problem, p0, steps=100, lr=0.02)
    assert (result.F < 0.5 * problem.F(p0)).all()


def test_flat_model_wraps_plain_functions(torch_gen):
    def fn(p, X):
        return p[:, :1] * X[:, 0] + p[:, 1:2]

    model = FlatModel(2, fn, penalty=lambda p: p.abs().sum(-1), project=lambda p: p.clamp(-1, 1))
    p = torch.tensor([[2.0, -3.0]], dtype=torch.float64)
    X = torch.tensor([[1.0], [2.0]], dtype=torch.float64)
    assert_close(model.predict(p, X), [[-1.0, 1.0]])
    assert_close(model.penalty(p), [5.0])
    assert_close(model.project(p), [[1.0, -1.0]])
    plain = FlatModel(2, fn)
    assert_close(plain.penalty(p), [0.0])
    assert torch.equal(plain.project(p), p)
    assert plain.init(4, torch_gen).shape == (4, 2)


def test_flat_model_checks_what_its_functions_return():
    model = FlatModel(2, lambda p, X: p, penalty=lambda p: p)
    p = torch.zeros(3, 2)
    with pytest.raises(ShapeError, match=r"fn\(p, X\)"):
        model.predict(p, torch.zeros(5, 1))
    with pytest.raises(ShapeError, match=r"penalty\(p\)"):
        model.penalty(p)
    with pytest.raises(ShapeError, match=r"init"):
        FlatModel(2, lambda p, X: p, init=lambda B, g: torch.zeros(B, 3)).init(2, None)


# ---- shared: determinism, validation, errors ----------------------------------------

@pytest.mark.parametrize(("model", "n"), MODELS, ids=IDS)
def test_same_seed_gives_the_same_init(model, n):
    a = model.init(3, torch.Generator().manual_seed(5))
    b = model.init(3, torch.Generator().manual_seed(5))
    assert a.shape == (3, model.n_params) and a.dtype == torch.float32
    assert torch.equal(a, b)
    assert model.validate(a) is a


@pytest.mark.parametrize(("model", "n"), MODELS, ids=IDS)
def test_predict_and_penalty_shapes(model, n, torch_gen):
    p = model.init(4, torch_gen, dtype=torch.float64)
    X = torch.randn(9, n, generator=torch_gen, dtype=torch.float64)
    assert model.predict(p, X).shape == (4, 9)
    assert model.penalty(p).shape == (4,)
    assert model.project(p).shape == p.shape


@pytest.mark.parametrize(("model", "n"), MODELS, ids=IDS)
def test_validate_names_bad_parameters(model, n):
    with pytest.raises(ShapeError, match="theta_A has shape"):
        model.validate(torch.zeros(2, model.n_params + 1), name="theta_A")
    bad = torch.zeros(2, model.n_params)
    bad[1, 0] = float("nan")
    with pytest.raises(NonFiniteError, match="p contains 1"):
        model.validate(bad)


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: BiasReluNet(3, 4, 0.0), "kappa"),
        (lambda: BiasReluNet(3, 4, -1.0), "kappa"),
        (lambda: BiasReluNet(0, 4, 1.0), "n and m"),
        (lambda: DeepLinearNet((3, 2, 1), -0.5), "kappa"),
        (lambda: DeepLinearNet((3, 2, 2), 0.5), "end in 1"),
        (lambda: DeepLinearNet((3,), 0.5), "widths"),
        (lambda: sigmoid_mlp((1, 0, 1)), "widths"),
        (lambda: sigmoid_mlp(output="relu"), "output"),
        (lambda: sigmoid_mlp(bias=1), "bias"),
        (lambda: FlatModel(0, lambda p, X: p), "n_params"),
    ],
)
def test_bad_model_arguments_raise(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_flat_model_needs_callables():
    with pytest.raises(TypeError, match="fn must be callable"):
        FlatModel(2, None)
    with pytest.raises(TypeError, match="penalty must be callable"):
        FlatModel(2, lambda p, X: p, penalty=3.0)


@pytest.mark.cuda
@pytest.mark.parametrize(("model", "n"), MODELS, ids=IDS)
def test_cuda_matches_cpu(model, n, torch_gen):
    p = model.init(3, torch_gen, dtype=torch.float64)
    X = torch.randn(11, n, generator=torch_gen, dtype=torch.float64)
    assert torch.equal(model.init(3, torch.Generator().manual_seed(1), device="cuda").cpu(),
                       model.init(3, torch.Generator().manual_seed(1)))
    assert_close(model.predict(p.cuda(), X.cuda()).cpu(), model.predict(p, X))
    assert_close(model.penalty(p.cuda()).cpu(), model.penalty(p))
    assert_close(model.project(p.cuda()).cpu(), model.project(p))


@pytest.mark.skipif(torch.cuda.is_available(), reason="the refusal needs a machine without CUDA")
@pytest.mark.parametrize("model", [ReluNet(2, 3, 0.1), BiasReluNet(2, 3, 0.1),
                                   DeepLinearNet((2, 3, 1), 0.1)],
                         ids=["relu", "bias_relu", "deep_linear"])
def test_init_on_an_absent_cuda_device_is_a_clear_error(model):
    from theory.errors import RelulandscapeError

    with pytest.raises(RelulandscapeError, match=r"torch\.cuda\.is_available"):
        model.init(2, torch.Generator().manual_seed(0), device="cuda")
