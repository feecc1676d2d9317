"""Rounding-sound certified maxima (numerics/_rounding.py): adversarial cases against an
exact-arithmetic reference.

The reference evaluates F at exact points $(1-t)a + tb$ in python-flint's `arb` ball
arithmetic (200 bits), independently of torch and of the kernels. A certified value must
never lie below the ball's upper end at any dense point; the float64 bound without the
margin can (shown on a constructed case).
"""

from __future__ import annotations

import pytest
import torch
from flint import arb, ctx
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics import BiasReluNet, Dataset, Problem, ReluNet, _rounding, certified_segment_max
from theory.losses import get_loss

F64 = torch.float64


def _arb_loss(name: str, y: arb, v: arb) -> arb:
    if name == "logistic":  # labels ±1
        return (-y * v).exp().log1p()
    if name == "hinge":
        return (1 - y * v).nonnegative_part()
    if name == "mse":
        return (v - y) ** 2
    if name == "bce_logit":  # labels {0, 1}
        return v.exp().log1p() - y * v
    raise AssertionError(name)


def arb_F(problem: Problem, a: torch.Tensor, b: torch.Tensor, t: float) -> arb:
    """F((1-t)a + tb) in arb: an enclosure of the exact real value."""
    old = ctx.prec
    ctx.prec = 200
    try:
        tt = arb(t)
        p = [(1 - tt) * arb(x) + tt * arb(y) for x, y in zip(a.tolist(), b.tolist(), strict=True)]
        model = problem.model
        m, n = model.m, model.n
        W = [p[i * n:(i + 1) * n] for i in range(m)]
        if isinstance(model, BiasReluNet):
            c, th, o = p[m * n:m * n + m], p[m * n + m:m * n + 2 * m], p[-1]
        else:
            c, th, o = [arb(0)] * m, p[m * n:], arb(0)
        X, Y = problem.X.tolist(), problem.Y.tolist()
        total = arb(0)
        for xk, yk in zip(X, Y, strict=True):
            xa = [arb(v) for v in xk]
            phi = o
            for i in range(m):
                z = c[i]
                for j in range(n):
                    z += W[i][j] * xa[j]
                phi += th[i] * z.nonnegative_part()
            total += _arb_loss(problem.loss.name, arb(yk), phi)
        pen = sum((abs(v) for v in th), arb(0)) + abs(o) if isinstance(model, BiasReluNet) \
            else sum((abs(v) for v in th), arb(0))
        return total / len(X) + arb(model.kappa) * pen
    finally:
        ctx.prec = old


def _problem(loss: str, X: torch.Tensor, Y: torch.Tensor, m: int, bias: bool) -> Problem:
    n = X.shape[1]
    net = BiasReluNet(n, m, 0.01) if bias else ReluNet(n, m, 0.01)
    task = "regression" if get_loss(loss).labels is None else "binary"
    return Problem.of(net, Dataset("d", X, Y, task), get_loss(loss), dtype=F64)


def _float_bound(problem, a, b, tol, monkeypatch) -> float:
    """The certified value without the rounding margin (the pre-issue-21 float64 bound)."""
    with monkeypatch.context() as mp:
        mp.setattr(_rounding.Scale, "add_to", lambda self, c, f: c)
        return float(certified_segment_max(problem, a, b, tol).certified[0])


def test_the_float64_bound_alone_can_lie_below_the_exact_maximum(monkeypatch):
    """W fixed (δz = 0: no kinks, zero excess), so the float64 bound is max(F̂(a), F̂(b)).
    Near-cancelling units with large weights make F̂(b) round below the exact F(b): the old
    bound is below the true maximum, the margin puts the certified value above it."""
    g = torch.Generator().manual_seed(3)
    N, m = 16, 4
    X = torch.cat([torch.randn(N, 2, generator=g, dtype=F64), torch.ones(N, 1, dtype=F64)], 1)
    Y = torch.randn(N, generator=g, dtype=F64)
    problem = _problem("mse", X, Y, m, bias=False)
    W = torch.randn(m, 3, generator=g, dtype=F64) * 1e6
    W[1] = -W[0] * (1 + 1e-15)  # unit 1 cancels unit 0 on every sample where both are active
    found = 0
    for trial in range(40):
        th_a = torch.randn(m, generator=g, dtype=F64)
        th_b = th_a + 1e-3 * torch.randn(m, generator=g, dtype=F64)
        th_a[1] = th_a[0] = th_b[0] = th_b[1] = 1.0 + trial * 1e-9
        a = torch.cat([W.flatten(), th_a])[None]
        b = torch.cat([W.flatten(), th_b])[None]
        old = _float_bound(problem, a, b, 1e-6, monkeypatch)
        exact_top = max(arb_F(problem, a[0], b[0], 0.0), arb_F(problem, a[0], b[0], 1.0),
                        key=lambda v: float(v.upper()))
        new = float(certified_segment_max(problem, a, b, 1e-6).certified[0])
        assert arb(new) >= exact_top.upper(), trial  # never below the exact maximum
        if arb(old) < exact_top.lower():
            found += 1
    assert found > 0, "no case where the float64 bound alone is below the exact maximum"


def _adversarial(kind: str, seed: int):
    g = torch.Generator().manual_seed(seed)
    if kind == "many-samples":
        N, m, scale = 2000, 3, 1.0
    elif kind == "large-weights":
        N, m, scale = 40, 6, 1e7
    else:  # "cancelling", "float32"
        N, m, scale = 60, 6, 1e3
    X = torch.cat([torch.randn(N, 2, generator=g, dtype=F64), torch.ones(N, 1, dtype=F64)], 1)
    W = torch.randn(2, m, 3, generator=g, dtype=F64) * scale
    th = torch.randn(2, m, generator=g, dtype=F64) * scale
    if kind == "cancelling":
        W[:, 1] = -W[:, 0] * (1 + 1e-14)
        th[:, 1] = th[:, 0]
    a, b = (torch.cat([W[s].flatten(), th[s]])[None] for s in (0, 1))
    if kind == "float32":
        a, b = a.float().double(), b.float().double()
    return X, a, b


@pytest.mark.parametrize("kind", ["many-samples", "large-weights", "cancelling", "float32"])
@pytest.mark.parametrize("loss", ["logistic", "hinge", "mse"])
def test_certified_is_never_below_arb_at_dense_points(kind, loss):
    X, a, b = _adversarial(kind, seed=len(kind) + len(loss))
    g = torch.Generator().manual_seed(5)
    N = X.shape[0]
    Y = (torch.randint(0, 2, (N,), generator=g).to(F64) if loss != "mse"
         else torch.randn(N, generator=g, dtype=F64))
    problem = _problem(loss, X, Y, a.shape[1] // 4, bias=False)
    rows = certified_segment_max(problem, a, b, 1e-3, max_points=512)
    C = arb(float(rows.certified[0]))
    T = 9 if kind == "many-samples" else 33
    ts = [j / (T - 1) for j in range(T)] + [float(rows.argmax_t[0])]
    for t in ts:
        assert C >= arb_F(problem, a[0], b[0], t).upper(), (kind, loss, t)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), bias=st.booleans(), scale=st.sampled_from([1.0, 1e4]),
       loss=st.sampled_from(["logistic", "hinge", "bce_logit"]))
def test_random_segments_certified_above_arb(seed, bias, scale, loss):
    g = torch.Generator().manual_seed(seed)
    N, m = 12, 4
    X = torch.cat([torch.randn(N, 2, generator=g, dtype=F64), torch.ones(N, 1, dtype=F64)], 1)
    Y = torch.randint(0, 2, (N,), generator=g).to(F64)
    problem = _problem(loss, X, Y, m, bias)
    P = problem.model.n_params
    a, b = (torch.randn(1, P, generator=g, dtype=F64) * scale for _ in range(2))
    rows = certified_segment_max(problem, a, b, 1e-4, max_points=256)
    C = arb(float(rows.certified[0]))
    for t in [j / 32 for j in range(33)] + [float(rows.argmax_t[0])]:
        assert C >= arb_F(problem, a[0], b[0], t).upper()


def test_margin_is_small_beside_the_tolerance():
    """The margin costs nothing measurable: ~1e-12 relative on a Moons-sized problem."""
    X, a, b = _adversarial("many-samples", seed=1)
    g = torch.Generator().manual_seed(2)
    Y = torch.randint(0, 2, (X.shape[0],), generator=g).to(F64)
    problem = _problem("logistic", X, Y, 3, bias=False)
    rows = certified_segment_max(problem, a, b, 1e-3)
    from numerics._certify import _scale

    margin = float(_scale(problem, a, b).margin(rows.certified, rows.sampled.abs())[0])
    assert 0 < margin < 1e-9 * (1 + float(rows.certified[0]))



@pytest.mark.parametrize("n", [3, 9])  # unrolled (n ≤ 8) and the buffered any-n loop
@pytest.mark.parametrize("N", [256, 257, 700])  # CHUNK = 256 samples per pass
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
@pytest.mark.parametrize("bias", [False, True])
def test_fused_kernels_match_the_float64_reference_on_every_path(n, N, dtype, bias):
    """Forward and backward of the compiled kernels against the float64 torch formula, on
    every code path, more samples than one chunk included."""
    from numerics import _kernels

    if _kernels.backend(torch.zeros(1, dtype=dtype)) != "c":
        pytest.skip("the compiled kernels are not available here")
    g = torch.Generator().manual_seed(n * 1000 + N)
    B, m = 3, 7

    def draw(*shape):
        return torch.randn(*shape, generator=g, dtype=F64)

    W, theta, X, cot = draw(B, m, n), draw(B, m), draw(N, n), draw(B, N)
    b, theta0 = (draw(B, m), draw(B)) if bias else (None, None)
    leaves = [t.clone().requires_grad_(True) for t in (W, theta)]
    bias_leaf = None if b is None else b.clone().requires_grad_(True)
    z = torch.einsum("kd,bid->bki", X, leaves[0]) + (0 if bias_leaf is None
                                                      else bias_leaf[:, None, :])
    Phi = torch.einsum("bki,bi->bk", torch.relu(z), leaves[1])
    grads = torch.autograd.grad((Phi * cot).sum(),
                                leaves + ([bias_leaf] if bias_leaf is not None else []))
    Phi_ref = Phi.detach() + (0 if theta0 is None else theta0[:, None])

    def cast(x):
        return None if x is None else x.to(dtype)

    tol = {"rtol": 1e-12, "atol": 1e-12} if dtype == F64 else {"rtol": 1e-4, "atol": 1e-4}
    fwd = _kernels.relu_forward(cast(W), cast(b), cast(theta), cast(theta0), cast(X))
    assert fwd.dtype == dtype
    torch.testing.assert_close(fwd.double(), Phi_ref, **tol)
    gW, gb, gth = _kernels.relu_backward(cast(W), cast(b), cast(theta), cast(X), cast(cot))
    torch.testing.assert_close(gW.double(), grads[0], **tol)
    torch.testing.assert_close(gth.double(), grads[1], **tol)
    if bias:
        torch.testing.assert_close(gb.double(), grads[2], **tol)
    else:
        assert gb is None
