"""The pieces of the constructive paths on tiny float64 problems: sparsification, the
reference, the bounds, the walks' special paths and the refusals that name their argument
(fast enough for every mutant of `numerics._constructive`, mutation.toml)."""

from __future__ import annotations

import math
import re

import pytest
import torch
from conftest import warm_up_optimizer

from numerics import (
    Dataset,
    Path,
    Problem,
    ReluNet,
    SegmentKind,
    buffer_permutation_path,
    constructive_paths,
    data_scale,
    fixed_level_path,
    maurey_sample,
    moons,
    one_dimensional_path,
    pad_buffer,
    permute_units,
    prune,
    pruning_bound,
    reference_width,
    refit_output,
    sampling_bound,
    sparsify,
    train_reference,
)
from numerics._constructive import ConstructivePath, Reference, _reference_slots, _Walk
from theory import bounds
from theory.losses import get_loss

F64 = torch.float64


# the mutation runs fork after collecting: pay torch.optim's import here, once
warm_up_optimizer()


@pytest.fixture(scope="module")
def problem() -> Problem:
    return Problem.of(ReluNet(3, 6, 1e-2), moons(n_samples=30, seed=3), get_loss("hinge"),
                      dtype=F64)


def _points(problem, B=2, seed=0, scale=2.0):
    p = problem.model.init(B, torch.Generator().manual_seed(seed), dtype=F64)
    W, theta = problem.model.split(p)
    return problem.model.join(W, scale * theta)


# ---- reference width, sampling, pruning ------------------------------------------------


def test_reference_width_defaults_to_half_and_checks_its_range():
    assert [reference_width(m) for m in (2, 5, 8)] == [1, 2, 4]
    assert reference_width(5, 1) == 1 and reference_width(5, 4) == 4
    for l in (0, 5):
        with pytest.raises(ValueError, match=rf"^the reference width l must satisfy 1 ≤ l < m "
                           rf"= 5, got {l}$"):
            reference_width(5, l)


def test_maurey_draws_keep_the_mass_signs_and_at_most_q_units():
    theta = torch.tensor([[1.0, -2.0, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0]], dtype=F64)
    hat = maurey_sample(theta, 2, 50, torch.Generator().manual_seed(1))
    assert hat.shape == (2, 50, 4) and hat.dtype == F64
    assert torch.allclose(hat[0].abs().sum(-1), torch.full((50,), 3.5, dtype=F64))
    assert bool(((hat[0] != 0).sum(-1) <= 2).all())
    assert bool((hat[0] * theta[0] >= 0).all()) and bool((hat[0][:, 2] == 0).all())
    assert bool((hat[1] == 0).all())  # θ = 0 gives θ̂ = 0
    # each draw puts a/q on a unit per draw: the values are multiples of a/q
    assert torch.allclose(hat[0] / 1.75, (hat[0] / 1.75).round())


def test_maurey_draws_are_unbiased():
    theta = torch.tensor([[1.0, -2.0, 0.5]], dtype=F64)
    hat = maurey_sample(theta, 3, 20000, torch.Generator().manual_seed(2))
    assert torch.allclose(hat[0].mean(0), theta[0], atol=0.06)


def test_maurey_refuses_by_name():
    theta = torch.ones(1, 3, dtype=F64)
    g = torch.Generator().manual_seed(0)
    with pytest.raises(ValueError, match=r"^q and draws must be ≥ 1, got q=0, draws=3$"):
        maurey_sample(theta, 0, 3, g)
    with pytest.raises(ValueError, match=r"^q and draws must be ≥ 1, got q=2, draws=0$"):
        maurey_sample(theta, 2, 0, g)
    assert maurey_sample(theta, 1, 1, g).shape == (1, 1, 3)


def test_prune_keeps_the_q_largest_masses():
    theta = torch.tensor([[0.5, -3.0, 1.0, -0.1], [1.0, 2.0, 3.0, 4.0]], dtype=F64)
    assert prune(theta, 2).tolist() == [[0.0, -3.0, 1.0, 0.0], [0.0, 0.0, 3.0, 4.0]]
    assert torch.equal(prune(theta, 9), theta)
    assert prune(theta, 1).tolist() == [[0.0, -3.0, 0.0, 0.0], [0.0, 0.0, 0.0, 4.0]]
    with pytest.raises(ValueError, match=r"^q must be ≥ 1, got 0$"):
        prune(theta, 0)


# ---- sparsify and refit ----------------------------------------------------------------


def test_pruning_sparsify_is_prune_evaluated_in_float64(problem):
    p = _points(problem)
    out = sparsify(problem, p, 3, method="pruning", refit_steps=0)
    W, theta = problem.model.split(p)
    assert torch.equal(out.theta, prune(theta, 3))
    assert torch.equal(out.F, problem.F(problem.model.join(W, out.theta)))
    assert out.refitted.tolist() == [False, False]


def test_sampling_sparsify_keeps_the_best_of_its_draws(problem):
    p = _points(problem)
    out = sparsify(problem, p, 3, refit_steps=0, draws=16)
    again = sparsify(problem, p, 3, refit_steps=0, draws=16,
                     generator=torch.Generator().manual_seed(0))
    assert torch.equal(out.theta, again.theta)  # the default generator is seeded with 0
    W, theta = problem.model.split(p)
    cands = maurey_sample(theta, 3, 16, torch.Generator().manual_seed(0))
    for b in range(2):
        F = problem.F(problem.model.join(W[b].expand(16, -1, -1), cands[b]))
        assert float(out.F[b]) == float(F.min())
        assert torch.equal(out.theta[b], cands[b, int(F.argmin())])
    # the documented default draws = 32
    assert torch.equal(sparsify(problem, p, 3, refit_steps=0).theta,
                       sparsify(problem, p, 3, refit_steps=0, draws=32).theta)


def test_a_refit_is_kept_only_when_it_lowers_F(problem):
    p = _points(problem)
    plain = sparsify(problem, p, 3, method="pruning", refit_steps=0)
    fit = sparsify(problem, p, 3, method="pruning", refit_steps=30)
    W = problem.model.split(p)[0]
    assert bool((fit.F <= plain.F).all())
    for b in range(2):
        assert bool(fit.refitted[b]) == bool(fit.F[b] < plain.F[b])
        assert float(fit.F[b]) == float(problem.F(problem.model.join(W[b:b + 1],
                                                                     fit.theta[b:b + 1]))[0])
        # the support stays within the pruned one
        assert bool(((fit.theta[b] != 0) <= (plain.theta[b] != 0)).all())
    assert bool(fit.refitted.any())
    # the documented default refit is 200 steps
    assert torch.equal(sparsify(problem, p, 3, method="pruning").theta,
                       sparsify(problem, p, 3, method="pruning", refit_steps=200).theta)
    with pytest.raises(ValueError, match=r"^method must be one of \('sampling', 'pruning'\), "
                       r"got 'x'$"):
        sparsify(problem, p, 3, method="x")


def test_refit_output_keeps_W_and_the_support_and_never_raises_F(problem):
    p = _points(problem)
    W, theta = problem.model.split(p)
    theta = prune(theta, 2)
    start = problem.model.join(W, theta)
    out = refit_output(problem, start, steps=40, lr=0.05)
    W2, theta2 = problem.model.split(out)
    assert torch.equal(W2, W) and bool(((theta2 != 0) <= (theta != 0)).all())
    assert bool((problem.F(out) <= problem.F(start)).all())
    assert bool((problem.F(out) < problem.F(start)).any())
    assert torch.equal(refit_output(problem, start, steps=0), start)
    assert torch.equal(refit_output(problem, start),
                       refit_output(problem, start, steps=200, lr=0.01))


# ---- reference and bounds --------------------------------------------------------------


def test_train_reference_is_the_best_of_its_starts(problem):
    ref = train_reference(problem, 2, starts=3, steps=20)
    assert ref.width == 2 and ref.W.shape == (2, 3) and ref.F_starts.shape == (3,)
    assert ref.e_hat == float(ref.F_starts.min())
    narrow = Problem(ReluNet(3, 2, problem.model.kappa), problem.X, problem.Y, problem.loss)
    assert ref.e_hat == pytest.approx(float(narrow.F(narrow.model.join(ref.W[None],
                                                                        ref.theta[None]))[0]))
    assert bool((ref.W.norm(dim=-1) <= 1 + 1e-12).all())
    same = train_reference(problem, 2, starts=3, steps=20,
                           generator=torch.Generator().manual_seed(0))
    assert torch.equal(same.theta, ref.theta)
    for kwargs in ({"l": 0}, {"l": 2, "starts": 0}):
        with pytest.raises(ValueError, match=r"^l and starts must be ≥ 1, got l="):
            train_reference(problem, **kwargs)


def test_theorem_bounds_and_their_missing_constants():
    hinge, half = get_loss("hinge"), get_loss("half_squared")
    assert sampling_bound(hinge, 2.0, 1.5, 4) == pytest.approx(
        bounds.sampling_gap(float(hinge.L), 2.0, 1.5, 4))
    assert sampling_bound(hinge, 2.0, 1.5, 4) == pytest.approx(1.0 * 2.0 * 1.5 / 2)
    alpha, H = (float(v) for v in half.holder)
    assert sampling_bound(half, 2.0, 1.5, 4) == pytest.approx(
        bounds.sampling_holder_gap(H, alpha, 2.0, 1.5, 4))
    assert math.isnan(pruning_bound(half, 2.0, 1.5, 0.1, 2, 4))
    assert pruning_bound(hinge, 2.0, 1.5, 0.1, 2, 4) == pytest.approx(
        bounds.pruning_gap(1.0, 1.5, 0.1, 2.0, 2, 4))
    assert pruning_bound(hinge, 2.0, 1.5, 0.1, 2, 4) == pytest.approx((1.5 - 0.1) * 0.5 * 2.0)
    import dataclasses

    neither = dataclasses.replace(half, holder=None)
    assert math.isnan(sampling_bound(neither, 2.0, 1.5, 4))


def test_constructive_path_record_properties():
    path = Path(torch.zeros(3, 2, dtype=F64), (SegmentKind.CONVEX, SegmentKind.CONSTANT))
    rec = ConstructivePath(path=path, F=torch.tensor([1.0, 3.0, 2.0], dtype=F64), level=2.0,
                           F_A=1.0, F_B=2.0, F_A_hat=2.5, F_B_hat=1.5, a=1.0, e_hat=2.2,
                           l=1, q=1, method="pruning", epsilon=0.5, epsilon_thm=1.0,
                           theorem_bound=3.0)
    assert rec.exact and rec.max_F == 3.0 and rec.barrier == 1.0
    assert rec.realized_bound == 2.5
    assert ConstructivePath(**{**rec.__dict__, "e_hat": 2.7}).realized_bound == 2.7


# ---- the constructive path -------------------------------------------------------------


def test_constructive_path_runs_from_A_to_B_below_its_bound(problem):
    p = _points(problem, 4, seed=5)
    A, B = p[:2], p[2:]
    ref = train_reference(problem, 3, starts=2, steps=30)
    out = constructive_paths(problem, A, B, reference=ref, method="pruning", refit_steps=0)
    assert len(out) == 2
    for k, rec in enumerate(out):
        V = rec.path.vertices
        assert torch.equal(V[0], A[k]) and torch.equal(V[-1], B[k])
        assert rec.exact and torch.equal(rec.F, problem.F(V))
        assert (rec.l, rec.q, rec.method, rec.e_hat) == (3, 3, "pruning", ref.e_hat)
        assert rec.level == max(rec.F_A, rec.F_B) == max(float(rec.F[0]), float(rec.F[-1]))
        assert rec.a == max(float(problem.model.split(A[k])[1].abs().sum()),
                            float(problem.model.split(B[k])[1].abs().sum()))
        assert rec.epsilon == max(max(rec.F_A_hat, rec.F_B_hat) - rec.level, 0.0)
        assert rec.epsilon_thm == pruning_bound(problem.loss, rec.a, data_scale(problem.X),
                                                problem.model.kappa, 3, 6)
        assert rec.theorem_bound == max(rec.level + rec.epsilon_thm, rec.e_hat)
        # every vertex is below the realized bound (up to rounding): the path's maximum
        assert rec.max_F <= rec.realized_bound + 1e-9
        # the sparsified ends are vertices of the path
        assert min(abs(float(f) - rec.F_A_hat) for f in rec.F) < 1e-12
    sampled = constructive_paths(problem, A, B, reference=ref, refit_steps=0, draws=4)
    assert sampled[0].method == "sampling" and sampled[0].epsilon_thm == sampling_bound(
        problem.loss, sampled[0].a, data_scale(problem.X), 3)


def test_constructive_path_refusals_name_the_argument(problem):
    p = _points(problem, 2)
    A, B = p[:1], p[1:]
    ref = Reference(torch.zeros(2, 3, dtype=F64), torch.zeros(2, dtype=F64), 0.0,
                    torch.zeros(1, dtype=F64))
    with pytest.raises(ValueError, match=r"^reference has width 2, expected l = 3$"):
        constructive_paths(problem, A, B, reference=ref)
    with pytest.raises(ValueError, match=r"l must satisfy 1 ≤ l < m = 6, got 6"):
        constructive_paths(problem, A, B, l=6, reference=ref)
    with pytest.raises(ValueError, match=r"^B has shape \(2, 24\), expected \(1, 24\)$"):
        constructive_paths(problem, A, p, reference=ref)
    narrow = Problem(ReluNet(3, 1, 1e-2), problem.X, problem.Y, problem.loss)
    q = narrow.model.init(2, torch.Generator().manual_seed(0), dtype=F64)
    with pytest.raises(ValueError, match=r"^the width m must be ≥ 2, got 1$"):
        constructive_paths(narrow, q[:1], q[1:])
    with pytest.raises(TypeError, match=r"^problem.model must be a ReluNet, got"):
        from numerics import BiasReluNet

        bias = Problem(BiasReluNet(2, 3, 1e-2), problem.X[:, :2], problem.Y, problem.loss)
        constructive_paths(bias, A, B)


def test_reference_slots_share_what_they_can():
    a = torch.tensor([0.0, 1.0, 0.0, 0.0, 2.0])
    b = torch.tensor([0.0, 0.0, 3.0, 0.0, 0.0])
    assert _reference_slots(a, b, 2) == ([0, 3], [0, 3])  # the shared free slots first
    sa, sb = _reference_slots(a, b, 3)
    assert len(sa) == len(sb) == 3 and all(a[i] == 0 for i in sa) and all(b[i] == 0 for i in sb)
    with pytest.raises(ValueError, match=r"^a sparsified endpoint has fewer than l = 4 zero "
                       r"coefficients$"):
        _reference_slots(a, b, 4)


# ---- walks and special paths -----------------------------------------------------------


def test_a_walk_moves_only_free_rows_at_constant_F(problem):
    p = _points(problem, 1)[0]
    walk = _Walk(problem.model, p)
    with pytest.raises(ValueError, match=r"^rows_to: only rows with a zero coefficient may "
                       r"move at constant F$"):
        walk.rows_to(torch.tensor([0]), torch.zeros(1, 3, dtype=F64))
    assert walk.free_slots() == []
    path = walk.path()  # a one-point walk: one zero-length constant segment
    assert path.vertices.shape[0] == 2 and path.kinds == (SegmentKind.CONSTANT,)
    assert torch.equal(path.vertices[0], path.vertices[1])


def test_fixed_level_path_and_its_kappa_threshold(problem):
    threshold = problem.loss.L * data_scale(problem.X)
    at = Problem(ReluNet(3, 6, float(threshold)), problem.X, problem.Y, problem.loss)
    p = _points(at, 2, seed=6)
    path = fixed_level_path(at, p[0], p[1])
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])
    assert path.kinds == (SegmentKind.CONVEX, SegmentKind.CONSTANT, SegmentKind.CONVEX)
    F = at.F(path.vertices)
    assert float(F.max()) <= max(float(F[0]), float(F[-1])) + 1e-12
    assert bool((at.model.split(path.vertices[1])[1] == 0).all())
    with pytest.raises(ValueError, match=rf"^kappa = 0.01 < L·D_X = {threshold:g}: "
                       r"ll:thm-fixed-level needs κ ≥ L·D_X$"):
        fixed_level_path(problem, p[0], p[1])


def test_one_dimensional_path_refuses_other_shapes_by_name(problem):
    p = _points(problem, 2)
    with pytest.raises(ValueError, match=r"^ll:cor-1d needs n = 1 and m ≥ 4, got n = 3, "
                       r"m = 6$"):
        one_dimensional_path(problem, p[0], p[1])
    X = torch.linspace(-1, 1, 8, dtype=F64)[:, None]
    three = Problem.of(ReluNet(1, 3, 1e-2), Dataset("l", X, (X[:, 0] > 0).to(F64)),
                       get_loss("hinge"), dtype=F64)
    q = three.model.init(2, torch.Generator().manual_seed(0), dtype=F64)
    with pytest.raises(ValueError, match=r"m ≥ 4, got n = 1, m = 3$"):
        one_dimensional_path(three, q[0], q[1])


def test_one_dimensional_path_never_rises_above_its_ends():
    X = torch.linspace(-1, 1, 10, dtype=F64)[:, None]
    problem = Problem.of(ReluNet(1, 5, 1e-2), Dataset("l", X, (X[:, 0] > 0.2).to(F64)),
                         get_loss("hinge"), dtype=F64)
    p = _points(problem, 2, seed=3, scale=3.0)
    path = one_dimensional_path(problem, p[0], p[1])
    F = problem.F(path.vertices)
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])
    assert path.exact and float(F.max()) <= max(float(F[0]), float(F[-1])) + 1e-12


def test_padding_and_permuting_units_keep_F(problem):
    p = _points(problem, 1, seed=7)[0]
    wide, q = pad_buffer(problem.model, p)
    assert (wide.m, wide.n, wide.kappa) == (7, 3, problem.model.kappa)
    W, theta = wide.split(q)
    assert bool((W[-1] == 0).all()) and float(theta[-1]) == 0.0
    wide_problem = Problem(wide, problem.X, problem.Y, problem.loss)
    assert float(wide_problem.F(q[None])[0]) == pytest.approx(float(problem.F(p[None])[0]),
                                                               rel=1e-13)
    perm = [2, 0, 1, 5, 4, 3]
    r = permute_units(problem.model, p, perm)
    W0, th0 = problem.model.split(p)
    W1, th1 = problem.model.split(r)
    assert torch.equal(W1[0], W0[2]) and float(th1[3]) == float(th0[5])
    assert float(problem.F(r[None])[0]) == pytest.approx(float(problem.F(p[None])[0]),
                                                          rel=1e-13)
    for bad in ([0, 1, 2, 3, 4], [0, 0, 1, 2, 3, 4]):
        with pytest.raises(ValueError, match="^" + re.escape(
                f"perm must be a permutation of 0..5, got {bad!r}") + "$"):
            permute_units(problem.model, p, bad)


def test_buffer_permutation_path_is_a_constant_walk(problem):
    p = _points(problem, 1, seed=8)[0]
    perm = [1, 2, 0, 3, 5, 4]
    wide, path = buffer_permutation_path(problem.model, p, perm)
    assert wide.m == 7
    assert torch.equal(path.vertices[0], pad_buffer(problem.model, p)[1])
    assert torch.equal(path.vertices[-1],
                       pad_buffer(problem.model, permute_units(problem.model, p, perm))[1])
    assert set(path.kinds) == {SegmentKind.CONSTANT}
    F = Problem(wide, problem.X, problem.Y, problem.loss).F(path.vertices)
    assert float(F.max() - F.min()) <= 1e-12
    with pytest.raises(ValueError, match=r"^perm must be a permutation of 0..5"):
        buffer_permutation_path(problem.model, p, [0, 1, 2])
    identity = buffer_permutation_path(problem.model, p, list(range(6)))[1]
    assert torch.equal(identity.vertices[0], identity.vertices[-1])
