"""Fused kernels and the closed-form gradient: autograd is the reference."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from numerics import BiasReluNet, Problem, ReluNet, _kernels, moons, train
from numerics._loss_slope import has_closed_form, slope_of
from theory.losses import CATALOGUE, get_loss

LOSSES = [*CATALOGUE, "huber(1/4)"]
MODELS = {"relu": ReluNet(3, 7, 1e-2), "bias_relu": BiasReluNet(3, 7, 1e-2)}


@pytest.fixture(scope="module")
def data():
    return moons(n_samples=60, seed=1)


@pytest.mark.parametrize("name", LOSSES)
def test_closed_form_slope_matches_autograd_kinks_included(name):
    loss = get_loss(name)
    assert has_closed_form(loss)
    labels = loss.labels or (0.0, 1.0, -0.5)
    # a grid through every kink (±1, 0, ±δ, the labels) and smooth points
    u = torch.tensor([-3, -1.5, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 1.5, 3], dtype=torch.float64)
    for label in labels:
        y = torch.full_like(u, float(label))
        u_ = u.clone().requires_grad_(True)
        (expected,) = torch.autograd.grad(loss(y, u_).sum(), u_)
        torch.testing.assert_close(slope_of(loss)(y, u), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("model_name", MODELS)
def test_closed_form_gradient_matches_autograd(data, name, model_name, torch_gen):
    model = MODELS[model_name]
    problem = Problem.of(model, data, get_loss(name), dtype=torch.float64)
    p = model.init(4, torch_gen, dtype=torch.float64)
    F, grad = problem.F_and_grad(p)
    F_ref, grad_ref = problem.F_and_grad(p, reference=True)
    torch.testing.assert_close(F, F_ref, rtol=1e-12, atol=1e-13)
    torch.testing.assert_close(grad, grad_ref, rtol=1e-10, atol=1e-12)


@given(n=st.integers(1, 11), m=st.integers(1, 9), N=st.integers(1, 40), B=st.integers(1, 4),
       bias=st.booleans(), seed=st.integers(0, 2**31 - 1))
def test_backends_agree_with_the_torch_formula(n, m, N, B, bias, seed):
    """Every n (unrolled ≤ 8 and buffered beyond), with and without biases, float64."""
    g = torch.Generator().manual_seed(seed)
    W = torch.randn(B, m, n, generator=g, dtype=torch.float64)
    b = torch.randn(B, m, generator=g, dtype=torch.float64) if bias else None
    theta = torch.randn(B, m, generator=g, dtype=torch.float64)
    theta0 = torch.randn(B, generator=g, dtype=torch.float64) if bias else None
    X = torch.randn(N, n, generator=g, dtype=torch.float64)
    cot = torch.randn(B, N, generator=g, dtype=torch.float64)
    leaves = [t.clone().requires_grad_(True) for t in (W, theta)]
    z = torch.einsum("kd,bid->bki", X, leaves[0]) + (0 if b is None else b[:, None, :])
    Phi = torch.einsum("bki,bi->bk", torch.relu(z), leaves[1])
    Phi_ref = Phi.detach() + (0 if theta0 is None else theta0[:, None])
    gW_ref, gth_ref = torch.autograd.grad((Phi * cot).sum(), leaves)
    torch.testing.assert_close(_kernels.relu_forward(W, b, theta, theta0, X), Phi_ref)
    gW, gb, gth = _kernels.relu_backward(W, b, theta, X, cot)
    torch.testing.assert_close(gW, gW_ref)
    torch.testing.assert_close(gth, gth_ref)
    assert (gb is None) == (b is None)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize(("n", "N"), [(3, 700), (9, 257), (12, 600), (17, 513)])
def test_every_kernel_path_agrees_with_the_float64_reference(n, N, bias, dtype):
    """The fused kernels against the float64 torch formula on every code path: unrolled
    (n ≤ 8) and buffered (n > 8) forward and backward, with more samples than one buffered
    chunk (256) and a last chunk that is not full, float64 and float32 (a kernel whose
    chunk offsets were off would read the wrong samples here)."""
    if _kernels.backend(torch.zeros(1, dtype=dtype)) != "c":
        pytest.skip("no compiled kernels on this machine (torch fallback only)")
    g = torch.Generator().manual_seed(n * 1000 + N)
    B, m = 3, 5
    W64 = torch.randn(B, m, n, generator=g, dtype=torch.float64) / n**0.5
    b64 = torch.randn(B, m, generator=g, dtype=torch.float64) if bias else None
    th64 = torch.randn(B, m, generator=g, dtype=torch.float64)
    th0 = torch.randn(B, generator=g, dtype=torch.float64) if bias else None
    X64 = torch.randn(N, n, generator=g, dtype=torch.float64)
    cot64 = torch.randn(B, N, generator=g, dtype=torch.float64)
    z = torch.einsum("kd,bid->bki", X64, W64) + (0 if b64 is None else b64[:, None, :])
    Phi_ref = torch.einsum("bki,bi->bk", torch.relu(z), th64) + (
        0 if th0 is None else th0[:, None])
    active = (z > 0).double()
    gth_ref = torch.einsum("bki,bk->bi", torch.relu(z), cot64)
    gz = active * th64[:, None, :] * cot64[:, :, None]
    gW_ref = torch.einsum("bki,kd->bid", gz, X64)
    gb_ref = gz.sum(1)

    def cast(x):
        return None if x is None else x.to(dtype)

    W, b, th, X, cot = (cast(x) for x in (W64, b64, th64, X64, cot64))
    tol = {"rtol": 1e-10, "atol": 1e-10} if dtype == torch.float64 else \
        {"rtol": 2e-4, "atol": 2e-4}
    # the reference of the rounded inputs: float32 differs from float64 by its own rounding
    Phi = _kernels.relu_forward(W, b, th, cast(th0), X)
    assert Phi.dtype == dtype
    torch.testing.assert_close(Phi.double(), Phi_ref, **tol)
    gW, gb, gth = _kernels.relu_backward(W, b, th, X, cot)
    torch.testing.assert_close(gW.double(), gW_ref, **tol)
    torch.testing.assert_close(gth.double(), gth_ref, **tol)
    if bias:
        torch.testing.assert_close(gb.double(), gb_ref, **tol)


def test_a_batch_costs_its_models_and_gives_their_results(data, torch_gen):
    """Results do not depend on the batch: model b alone equals row b of the batch."""
    net = ReluNet(3, 16, 1e-3)
    problem = Problem.of(net, data, get_loss("bce_logit"))
    p = net.init(5, torch_gen)
    F, grad = problem.F_and_grad(p)
    for b in range(5):
        Fb, gb = problem.F_and_grad(p[b:b + 1])
        assert torch.equal(Fb[0], F[b]) and torch.equal(gb[0], grad[b])


def test_training_is_deterministic_and_stopped_models_leave(data, torch_gen):
    net = ReluNet(3, 12, 1e-3)
    problem = Problem.of(net, data, get_loss("bce_logit"))
    p0 = net.init(6, torch_gen)
    free = train(problem, p0, steps=30, lr=0.02)
    again = train(problem, p0, steps=30, lr=0.02)
    assert torch.equal(free.p, again.p)
    # targets between the start and the end: some models stop early, the rest go on
    target = (problem.F(p0) + free.F) / 2
    stopped = train(problem, p0, steps=30, lr=0.02, target=target)
    assert bool(stopped.reached.all()) and int(stopped.steps.max()) < 30
    for b in range(6):
        alone = train(problem, p0[b:b + 1], steps=30, lr=0.02, target=target[b:b + 1])
        assert torch.equal(alone.p[0], stopped.p[b])
        assert int(alone.steps[0]) == int(stopped.steps[b])


def test_kernel_falls_back_to_torch(monkeypatch, data, torch_gen):
    net = BiasReluNet(3, 5, 1e-2)
    problem = Problem.of(net, data, get_loss("mse"), dtype=torch.float64)
    p = net.init(3, torch_gen, dtype=torch.float64)
    F, grad = problem.F_and_grad(p)
    monkeypatch.setattr(_kernels, "backend", lambda x: "torch")
    F_t, grad_t = problem.F_and_grad(p)
    torch.testing.assert_close(F_t, F, rtol=1e-12, atol=1e-13)
    torch.testing.assert_close(grad_t, grad, rtol=1e-10, atol=1e-12)


@given(n=st.integers(1, 5), m=st.integers(1, 7), N=st.integers(1, 30), R=st.integers(1, 3),
       bias=st.booleans(), seed=st.integers(0, 2**31 - 1))
def test_interval_stats_compiled_and_torch_agree(n, m, N, R, bias, seed):
    g = torch.Generator().manual_seed(seed)

    def draw(*shape):
        return torch.randn(*shape, generator=g, dtype=torch.float64)

    args = (draw(R, m, n), draw(R, m) if bias else None, draw(R, m),
            draw(R, m, n), draw(R, m) if bias else None, draw(R, m), draw(N, n))
    fast = _kernels.interval_stats(*args)
    _kernels._BLOCK_ELEMENTS["cpu"], saved = 7, _kernels._BLOCK_ELEMENTS["cpu"]
    try:
        backend = _kernels.backend
        _kernels.backend = lambda x: "torch"
        slow = _kernels.interval_stats(*args)
    finally:
        _kernels.backend = backend
        _kernels._BLOCK_ELEMENTS["cpu"] = saved
    torch.testing.assert_close(fast, slow, rtol=1e-12, atol=1e-12)
