"""The pieces of the constructive paths on tiny float64 problems: sparsification, the
reference, the bounds, the walks' special paths and the refusals that name their argument
(fast enough for every mutant of `numerics._constructive`, mutation.toml). The last section
pins what the mutation run left: records against an independent computation, float64
values from float32 inputs (on both Φ backends), the generator and default budgets, the
kinds of negative-control and asymmetric paths, `ll:two-ray`'s Φ, and lemma names in refusals."""

from __future__ import annotations

import dataclasses
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
    _constructive,
    _kernels,
    _reference,
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
    require_hypotheses,
    sampling_bound,
    sparsify,
    train,
    train_reference,
    zero_radius_path,
)
from numerics._constructive import ConstructivePath
from numerics._reference import Reference
from numerics._walk import _Walk
from numerics._zero_radius import _reference_slots
from theory import bounds
from theory.losses import LossHypothesisError, get_loss

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


# ---- what the mutation run of numerics._constructive left: dtypes, plumbing, names -----


@pytest.fixture(params=["auto", "torch"])
def kernels(request, monkeypatch) -> str:
    """Each backend of Φ: the compiled kernels (which cast X to W's dtype) and torch's, as
    with `RELU_LANDSCAPE_KERNEL=torch` or on a GPU (which refuses mixed dtypes)."""
    if request.param == "torch":
        monkeypatch.setattr(_kernels, "_library", lambda: None)
    return request.param


def _line_problem(m: int = 5, loss: str = "hinge") -> Problem:
    """A bias-free 1-D problem (n = 1) for `ll:two-ray` and `ll:cor-1d`."""
    X = torch.linspace(-1, 1, 10, dtype=F64)[:, None]
    return Problem.of(ReluNet(1, m, 1e-2), Dataset("l", X, (X[:, 0] > 0.2).to(F64)),
                      get_loss(loss), dtype=F64)


def _threshold_problem(problem: Problem) -> Problem:
    """The same data with κ = L·D_X, where `ll:thm-fixed-level` applies."""
    kappa = float(problem.loss.L * data_scale(problem.X))
    return Problem(ReluNet(3, 6, kappa), problem.X, problem.Y, problem.loss)


def _constant_segments_keep_F(problem: Problem, path: Path) -> None:
    """`constant` segments keep F and `convex` ones peak at an endpoint (a float64 grid)."""
    v = path.vertices
    t = torch.linspace(0, 1, 9, dtype=F64)[:, None]
    grid = v[:-1, None] + t * (v[1:] - v[:-1])[:, None]
    F = problem.with_dtype(F64).F(grid.flatten(0, 1)).view(path.n_segments, 9)
    for j, kind in enumerate(path.kinds):
        if kind == SegmentKind.CONSTANT:
            assert float((F[j] - F[j, 0]).abs().max()) <= 1e-12, f"segment {j} not constant"
        assert float(F[j].max()) <= float(F[j, [0, -1]].max()) + 1e-12, f"segment {j} peaks"


def test_require_hypotheses_names_the_lemma_that_needs_each_property():
    half = get_loss("half_squared")
    with pytest.raises(LossHypothesisError, match=r"^loss 'ramp' is not convex; ll:zero-radius "
                       r"needs a convex loss"):
        require_hypotheses(get_loss("ramp"), "sampling")
    with pytest.raises(LossHypothesisError, match=r"^loss 'half_squared' is not Lipschitz; "
                       r"ll:pruning needs an L-Lipschitz loss$"):
        require_hypotheses(half, "pruning")
    neither = dataclasses.replace(half, holder=None)
    with pytest.raises(LossHypothesisError, match=r"derivative; ll:sampling \(without a "
                       r"Lipschitz constant\) needs one$"):
        require_hypotheses(neither, "sampling")


def test_the_special_paths_name_the_lemma_and_the_bad_point(problem):
    p = _points(problem, 2)
    short = p[0, :-1]
    for args, name in (((short, p[1]), "A"), ((p[0], short), "B")):
        with pytest.raises(ValueError, match=rf"^{name} has shape \(1, 23\), expected \(\*, 24\)$"):
            fixed_level_path(problem, *args)
    with pytest.raises(ValueError, match=r"^p has shape \(1, 23\), expected \(\*, 24\)$"):
        buffer_permutation_path(problem.model, short, list(range(6)))
    ramp = Problem(problem.model, problem.X, problem.Y, get_loss("ramp"))
    with pytest.raises(LossHypothesisError, match=r"; ll:thm-fixed-level needs a convex loss"):
        fixed_level_path(ramp, p[0], p[1])
    line = _line_problem()
    q = _points(line, 2)
    for args, name in (((q[0, :-1], q[1]), "A"), ((q[0], q[1, :-1]), "B")):
        with pytest.raises(ValueError, match=rf"^{name} has shape \(1, 9\), expected \(\*, 10\)$"):
            one_dimensional_path(line, *args)
    sigmoid = Problem(line.model, line.X, line.Y, get_loss("sigmoid"))
    with pytest.raises(LossHypothesisError, match=r"; ll:cor-1d needs a convex loss"):
        one_dimensional_path(sigmoid, q[0], q[1])


def test_constructive_paths_name_the_bad_endpoint(problem):
    p = _points(problem, 4)
    A, B = p[:2], p[2:]
    ref = train_reference(problem, 3, starts=1, steps=2)
    with pytest.raises(ValueError, match=r"^A has shape \(2, 23\), expected \(\*, 24\)$"):
        constructive_paths(problem, A[:, :-1], B, reference=ref)
    W, theta = problem.model.split(p)
    far = problem.model.join(2 * W, theta)  # rows of norm up to 2
    with pytest.raises(ValueError, match=r"^A: a row of W lies outside the unit ball"):
        constructive_paths(problem, far[:2], B, reference=ref)
    with pytest.raises(ValueError, match=r"^B: a row of W lies outside the unit ball"):
        constructive_paths(problem, A, far[2:], reference=ref)
    from numerics import BiasReluNet

    bias = Problem(BiasReluNet(2, 3, 1e-2), problem.X[:, :2], problem.Y, problem.loss)
    with pytest.raises(TypeError, match=r"^problem.model must be a ReluNet, got BiasReluNet$"):
        constructive_paths(bias, A, B)


def test_width_two_and_a_single_start_are_allowed(problem):
    two = Problem(ReluNet(3, 2, 1e-2), problem.X, problem.Y, problem.loss)
    ref = train_reference(two, 1, starts=1, steps=3)
    assert ref.F_starts.shape == (1,) and ref.width == 1
    p = _points(two, 2)
    (cp,) = constructive_paths(two, p[:1], p[1:], reference=ref, method="pruning",
                               refit_steps=0)
    assert (cp.l, cp.q) == (1, 1)
    assert torch.equal(cp.path.vertices[0], p[0]) and torch.equal(cp.path.vertices[-1], p[1])


def test_negative_control_paths_have_no_convex_segment(problem):
    """Without convexity every θ-segment is `general`: none may claim `convex`."""
    sigmoid = Problem(problem.model, problem.X, problem.Y, get_loss("sigmoid"))
    p = _points(sigmoid, 2, seed=1)
    ref = train_reference(sigmoid, 3, starts=1, steps=2)
    (cp,) = constructive_paths(sigmoid, p[:1], p[1:], reference=ref, draws=2, refit_steps=0,
                               negative_control=True)
    assert SegmentKind.CONVEX not in cp.path.kinds and SegmentKind.GENERAL in cp.path.kinds
    path = fixed_level_path(sigmoid, p[0], p[1], negative_control=True)
    assert path.kinds == (SegmentKind.GENERAL, SegmentKind.CONSTANT, SegmentKind.GENERAL)
    line = _line_problem(loss="sigmoid")
    q = _points(line, 2, seed=2, scale=3.0)
    path = one_dimensional_path(line, q[0], q[1], negative_control=True)
    assert SegmentKind.CONVEX not in path.kinds and SegmentKind.GENERAL in path.kinds
    assert torch.equal(path.vertices[0], q[0]) and torch.equal(path.vertices[-1], q[1])


def test_an_already_sparse_end_keeps_every_segment_kind_right(problem):
    """B with ≤ q units: its θ-step is empty, so its half of the path is not symmetric."""
    p = _points(problem, 2, seed=9)
    W, theta = problem.model.split(p)
    theta = theta.clone()
    theta[1, 2:] = 0  # B has two active units ≤ q = 3
    p = problem.model.join(W, theta)
    ref = train_reference(problem, 3, starts=1, steps=5)
    (cp,) = constructive_paths(problem, p[:1], p[1:], reference=ref, method="pruning",
                               refit_steps=0)
    assert cp.path.kinds[-1] == SegmentKind.CONSTANT  # B's free rows move last
    assert cp.path.kinds[0] == SegmentKind.CONVEX  # A's θ is pruned first
    _constant_segments_keep_F(problem, cp.path)
    assert torch.equal(cp.path.vertices[-1], p[1])


def test_two_ray_forms_keep_the_function_of_each_end():
    """`ll:two-ray`: θ moves onto the longest row of each sign with the same Φ; zero rows
    belong to neither side (A has no positive row, B no negative one)."""
    line = _line_problem()
    W_A = torch.tensor([[0.0], [-0.5], [-0.8], [-0.3], [-0.2]], dtype=F64)
    W_B = torch.tensor([[0.0], [0.5], [0.7], [0.3], [0.2]], dtype=F64)
    A = line.model.join(W_A, torch.tensor([0.7, 1.0, -2.0, 0.5, 0.3], dtype=F64))
    B = line.model.join(W_B, torch.tensor([-0.4, 1.5, 0.8, -1.0, 0.2], dtype=F64))
    path = one_dimensional_path(line, A, B)
    V = path.vertices
    assert torch.equal(V[0], A) and torch.equal(V[-1], B)
    for end, form in ((A, V[1]), (B, V[-2])):
        W, theta = line.model.split(form)
        assert torch.equal(W, line.model.split(end)[0])  # θ only
        assert int((theta != 0).sum()) == 1  # one sign present: one ray
        torch.testing.assert_close(line.model.predict(form[None], line.X),
                                   line.model.predict(end[None], line.X), rtol=0, atol=1e-14)
        assert float(theta.abs().sum()) <= float(line.model.split(end)[1].abs().sum())
    F = line.F(V)
    assert float(F.max()) <= max(float(F[0]), float(F[-1])) + 1e-12
    _constant_segments_keep_F(line, path)


def test_a_one_move_walk_is_a_single_segment(problem):
    at = _threshold_problem(problem)
    p = _points(at, 1, seed=3)[0]
    W, theta = at.model.split(p)
    start = at.model.join(W, torch.zeros_like(theta))
    path = fixed_level_path(at, start, p)
    assert path.kinds == (SegmentKind.CONVEX,)
    assert torch.equal(path.vertices, torch.stack([start, p]))


def test_walks_are_kept_in_float64(problem):
    at = _threshold_problem(problem)
    p = _points(at, 2, seed=4).float()
    path = fixed_level_path(at, p[0], p[1])
    assert path.vertices.dtype == F64
    assert torch.equal(path.vertices[0], p[0].double())
    assert torch.equal(path.vertices[-1], p[1].double())


def test_zero_radius_path_carries_float32_inputs_in_float64(problem):
    """The path passes through (W_A, θ̂_A) and then exactly through the reference on A's
    slots, whatever the dtype of the sparsified θ̂ and of the reference."""
    model = problem.model
    p = _points(problem, 2, seed=4)
    W, theta = model.split(p)
    hats = prune(theta, 3)
    ref = train_reference(problem, 3, starts=1, steps=5)
    ref32 = Reference(ref.W.float(), ref.theta.float(), ref.e_hat, ref.F_starts)
    slots = torch.tensor(_reference_slots(hats[0], hats[1], 3)[0])
    for hat, reference in ((hats.float(), ref), (hats, ref32)):
        path = zero_radius_path(model, p[0], p[1], hat[0], hat[1], reference)
        V = path.vertices
        assert V.dtype == F64 and torch.equal(V[0], p[0]) and torch.equal(V[-1], p[1])
        assert torch.equal(V[1], model.join(W[0], hat[0].double()))
        W_ref, theta_ref = W[0].clone(), torch.zeros_like(theta[0])
        W_ref[slots] = reference.W.double()
        theta_ref[slots] = reference.theta.double()
        assert torch.equal(V[3], model.join(W_ref, theta_ref))


def test_maurey_sampling_is_scale_equivariant():
    """θ ↦ cθ with c a power of two: the same draws, every θ̂ scaled by c (no overflow or
    underflow of the probabilities, even far from 1)."""
    theta = torch.tensor([[1.0, -2.0, 0.0, 0.5], [0.3, 0.3, -0.1, 0.0]], dtype=F64)
    base = maurey_sample(theta, 3, 20, torch.Generator().manual_seed(4))
    for c in (2.0**600, 2.0**-600):
        scaled = maurey_sample(c * theta, 3, 20, torch.Generator().manual_seed(4))
        assert torch.equal(scaled, c * base)


def test_prune_works_on_the_last_axis_of_any_batch():
    theta = torch.tensor([[[0.5, -3.0, 1.0, -0.1], [1.0, 2.0, 3.0, 4.0]],
                          [[0.0, 0.2, -0.1, 0.0], [-5.0, 1.0, 0.0, 0.0]]], dtype=F64)
    flat = prune(theta.flatten(0, 1), 2)
    assert torch.equal(prune(theta, 2), flat.view(2, 2, 4))
    assert torch.equal(prune(theta[0, 0], 2), flat[0])
    assert torch.equal(prune(theta[:, :, :3], 5), theta[:, :, :3])


def test_sparsify_uses_its_generator_and_32_draws_by_default(problem):
    p = _points(problem, 6, seed=11)
    W, theta = problem.model.split(p)
    for seed, kwargs in ((0, {}), (5, {"generator": torch.Generator().manual_seed(5)})):
        out = sparsify(problem, p, 3, refit_steps=0, **kwargs)
        cands = maurey_sample(theta, 3, 32, torch.Generator().manual_seed(seed))
        F = problem.F(problem.model.join(W.repeat_interleave(32, 0), cands.flatten(0, 1)))
        best = F.view(6, 32).argmin(-1)
        assert torch.equal(out.theta, cands[torch.arange(6), best])
        assert torch.equal(out.F, F.view(6, 32).min(-1).values)
        assert out.refitted.dtype == torch.bool and not bool(out.refitted.any())
    # the draws take from the generator what 32 draws take (it goes on to later draws)
    g, h = torch.Generator().manual_seed(6), torch.Generator().manual_seed(6)
    sparsify(problem, p, 3, refit_steps=0, generator=g)
    maurey_sample(theta, 3, 32, h)
    assert torch.equal(g.get_state(), h.get_state())


def test_sparsify_refits_in_the_problems_dtype_and_keeps_what_float64_finds_lower(problem, kernels):
    """sparsify = prune, then `refit_output` (in float32 here) kept where its float64 F is
    strictly lower; a zero θ can never be refitted; everything returned is float64."""
    single = problem.with_dtype(torch.float32)
    exact = single.with_dtype(F64)  # the float32 data, read in float64
    model = problem.model
    p = _points(problem, 8, seed=12)
    W, theta = model.split(p)
    theta = theta.clone()
    theta[0] = 0
    p = model.join(W, theta)
    pruned = prune(theta, 3)
    F_pruned = exact.F(model.join(W, pruned))
    for steps in (0, 1, 4):
        out = sparsify(single, p, 3, method="pruning", refit_steps=steps)
        assert out.theta.dtype == out.F.dtype == F64 and out.refitted.dtype == torch.bool
        if steps == 0:
            keep = torch.zeros(8, dtype=torch.bool)
            fit, F_fit = pruned, F_pruned
        else:
            fit = model.split(refit_output(single, model.join(W, pruned), steps=steps)
                              .double())[1]
            F_fit = exact.F(model.join(W, fit))
            keep = F_fit < F_pruned
            assert bool(keep.any()) and not bool(keep[0])
        assert torch.equal(out.refitted, keep)
        assert torch.equal(out.theta, torch.where(keep[:, None], fit, pruned))
        assert torch.equal(out.F, torch.where(keep, F_fit, F_pruned))
    # float32 points are read in float64
    low = sparsify(problem, p.float(), 3, method="pruning", refit_steps=0)
    assert low.theta.dtype == F64
    assert torch.equal(low.theta, prune(model.split(p.float().double())[1], 3))


def test_refit_output_steps_at_its_rate_and_keeps_only_strict_improvements(problem):
    model = problem.model
    p = _points(problem, 2, seed=13)
    W, theta = model.split(p)
    start = model.join(W, prune(theta, 3))
    # Adam's first step moves every active coefficient by lr (|g| ≫ eps)
    out = refit_output(problem, start, steps=2, lr=0.003)
    assert bool((problem.F(out) < problem.F(start)).all())
    step = (model.split(out)[1] - model.split(start)[1]).abs()
    active = model.split(start)[1] != 0
    torch.testing.assert_close(step[active], torch.full_like(step[active], 0.003),
                               rtol=1e-5, atol=0)
    assert bool((step[~active] == 0).all())
    # every unit dead (wᵀx < 0 on the data) and κ tiny: Adam moves θ but F does not change
    # in float64, so the start itself is returned
    X = torch.tensor([[1.0, 0.5], [0.2, 1.0], [0.7, 0.7]], dtype=F64)
    dead = Problem(ReluNet(2, 3, 1e-8), X, torch.tensor([1.0, -1.0, 1.0], dtype=F64),
                   get_loss("hinge"))
    q = dead.model.join(-torch.tensor([[0.6, 0.6], [1.0, 0.0], [0.3, 0.6]], dtype=F64)[None],
                        torch.tensor([[0.5, -0.3, 0.2]], dtype=F64))
    assert torch.equal(refit_output(dead, q, steps=3, lr=1e-12), q)


@pytest.mark.parametrize(("dtype", "kernels"), [(F64, "auto"), (torch.float32, "torch")],
                         indirect=["kernels"])
def test_train_reference_is_its_batched_training_evaluated_in_float64(problem, dtype,
                                                                  kernels):
    """ê(l): `starts` width-l models from `ReluNet.init` in the problem's dtype, trained by
    `train` with the plateau rule (0.9, 20) (here the rate is cut), then F in float64."""
    wide = problem.with_dtype(dtype)
    narrow = ReluNet(3, 2, problem.model.kappa)
    narrow_problem = Problem(narrow, wide.X, wide.Y, wide.loss)
    p0 = narrow.init(3, torch.Generator().manual_seed(5), dtype=dtype)
    result = train(narrow_problem, p0, steps=60, lr=0.3, plateau=(0.9, 20))
    p = narrow.project(result.p.double())
    F = narrow_problem.with_dtype(F64).F(p)
    ref = train_reference(wide, 2, starts=3, steps=60, lr=0.3,
                          generator=torch.Generator().manual_seed(5))
    assert ref.F_starts.dtype == F64 and torch.equal(ref.F_starts, F)
    assert ref.e_hat == float(F.min())
    W, theta = narrow.split(p[F.argmin()])
    assert torch.equal(ref.W, W) and torch.equal(ref.theta, theta)


def test_default_budgets_reach_the_trainers(problem, monkeypatch):
    """The documented defaults, seen by the calls they make (spies run tiny budgets):
    train_reference trains 8 starts × 1000 steps at lr 0.01; constructive_paths trains its
    reference with starts = 8, 1000 steps and sparsifies with 32 draws and 200 refit steps."""
    calls: dict[str, object] = {}

    def spy_train(problem_l, p0, **kwargs):
        calls["train"] = (p0.shape[0], kwargs["steps"], kwargs["lr"])
        return train(problem_l, p0, **{**kwargs, "steps": 1})

    def spy_reference(problem_, l, **kwargs):
        calls["reference"] = (kwargs["starts"], kwargs["steps"])
        return real_reference(problem_, l, starts=1, steps=1, generator=kwargs["generator"])

    def spy_sparsify(problem_, p, q, **kwargs):
        calls["sparsify"] = (kwargs["draws"], kwargs["refit_steps"])
        return real_sparsify(problem_, p, q, **{**kwargs, "draws": 1, "refit_steps": 0})

    monkeypatch.setattr(_reference, "train", spy_train)
    train_reference(problem, 2)
    assert calls["train"] == (8, 1000, 0.01)
    real_reference, real_sparsify = _constructive.train_reference, _constructive.sparsify
    monkeypatch.setattr(_constructive, "train_reference", spy_reference)
    monkeypatch.setattr(_constructive, "sparsify", spy_sparsify)
    p = _points(problem, 2)
    constructive_paths(problem, p[:1], p[1:])
    assert calls["reference"] == (8, 1000) and calls["sparsify"] == (32, 200)


@pytest.mark.parametrize("method", ["sampling", "pruning"])
@pytest.mark.parametrize("seed", [None, 7])
def test_constructive_records_match_an_independent_computation(problem, method, seed):
    """Reference then sparsified ends from one generator (default seed 0), each pair's own
    Â, B̂, F(Â), F(B̂) and a; B is scaled up so that ‖θ_B‖₁ decides a."""
    model = problem.model
    A = _points(problem, 3, seed=14)
    B = _points(problem, 3, seed=15, scale=6.0)
    kwargs = {"l": 2, "method": method, "draws": 4, "refit_steps": 2, "starts": 2,
              "reference_steps": 6}
    if seed is not None:
        kwargs["generator"] = torch.Generator().manual_seed(seed)
    out = constructive_paths(problem, A, B, **kwargs)
    g = torch.Generator().manual_seed(0 if seed is None else seed)
    ref = train_reference(problem, 2, starts=2, steps=6, generator=g)
    ends = torch.cat([A, B])
    hat = sparsify(problem, ends, 4, method=method, draws=4, refit_steps=2, generator=g)
    a = model.split(ends)[1].abs().sum(-1)
    assert bool((a[3:] > a[:3]).all())
    for k, rec in enumerate(out):
        assert rec.e_hat == ref.e_hat and (rec.l, rec.q, rec.method) == (2, 4, method)
        assert (rec.F_A_hat, rec.F_B_hat) == (float(hat.F[k]), float(hat.F[3 + k]))
        assert rec.a == float(a[3 + k])
        V = rec.path.vertices
        assert torch.equal(V[1], model.join(model.split(A[k])[0], hat.theta[k]))
        assert torch.equal(V[-2], model.join(model.split(B[k])[0], hat.theta[3 + k]))


def test_constructive_values_are_float64_whatever_the_dtypes(problem, kernels):
    """A float32 problem is evaluated in float64 (its F, ε, bounds), and float32 endpoints
    are read in float64 (a = max ‖θ‖₁ summed in float64)."""
    single = problem.with_dtype(torch.float32)
    ref = train_reference(problem, 3, starts=1, steps=3)
    p = _points(problem, 4, seed=16)
    (cp,) = constructive_paths(single, p[:1], p[1:2], reference=ref, method="pruning",
                               refit_steps=0)
    exact = single.with_dtype(F64)  # the float32 data, read in float64
    assert cp.F.dtype == F64 and torch.equal(cp.F, exact.F(cp.path.vertices))
    low = p.float()
    recs = constructive_paths(problem, low[:2], low[2:], reference=ref, method="pruning",
                              refit_steps=0)
    theta = problem.model.split(low.double())[1]
    for k, rec in enumerate(recs):
        assert rec.path.vertices.dtype == F64
        assert rec.a == max(float(theta[k].abs().sum()), float(theta[2 + k].abs().sum()))


@pytest.mark.cuda
def test_cpu_inputs_on_a_cuda_problem_give_cuda_results(problem):
    cuda = Problem(problem.model, problem.X.cuda(), problem.Y.cuda(), problem.loss)
    p = _points(problem, 2)
    theta = problem.model.split(p)[1]
    assert maurey_sample(theta.cuda(), 3, 4, torch.Generator().manual_seed(0)).is_cuda
    out = sparsify(cuda, p, 3, method="pruning", refit_steps=0)
    assert out.theta.is_cuda and out.F.is_cuda and out.refitted.is_cuda
    assert refit_output(cuda, p, steps=2).is_cuda
    ref = train_reference(cuda, 3, starts=2, steps=3)
    assert ref.W.is_cuda
    (cp,) = constructive_paths(cuda, p[:1], p[1:], reference=ref, method="pruning",
                               refit_steps=2)
    assert cp.path.vertices.is_cuda and torch.equal(cp.path.vertices[0].cpu(), p[0])
