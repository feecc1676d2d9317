"""The proof's constructive path (docs/notation.md), its pieces, and the special paths of
§4–§5 (numerics._walk, _sparsify, _reference, _zero_radius, _special_paths, _constructive).

- the statements on random problems: every path here has only `convex` and `constant`
  segments; the tests check that claim on a fine float64 grid of every segment and then
  the bound of the statement on the vertices;
- tiny float64 problems (marked `fast`: small cases, run against every mutant of the
  constructive modules, mutation.toml): sparsification, the reference, the bounds, the
  walks' special paths and the refusals that name their argument; then what the mutation
  run left: records against an independent computation, float64 values from float32
  inputs (on both Φ backends), the generator and default budgets, the kinds of
  negative-control and asymmetric paths, `ll:two-ray`'s Φ, and lemma names in refusals;
- every `require` guard of the constructive paths refuses what it should, and only that
  (tests written for mutants that passed the rest of the suite, docs/mutation.md).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re

import pytest
import torch
from _problems import moons_problem, scaled_points
from conftest import warm_up_optimizer
from hypothesis import given, reject
from hypothesis import strategies as st

from experiments.cli import main as cli_main
from numerics import (
    Dataset,
    Path,
    Problem,
    ReluNet,
    SegmentKind,
    _constructive,
    _kernels,
    _reference,
    blobs,
    buffer_permutation_path,
    constructive_paths,
    data_scale,
    fixed_level_path,
    maurey_sample,
    moons,
    one_dimensional_path,
    pad_buffer,
    path_max,
    permute_units,
    prune,
    pruning_bound,
    reference_width,
    refit_output,
    require_hypotheses,
    sampling_bound,
    sparsify,
    teacher,
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
# float64 rounding of F on these small problems (|F| ≲ 10²)
ROUNDING = 1e-12
CONVEX_LOSSES = ["bce_logit", "logistic", "hinge", "absolute", "half_squared"]
LIPSCHITZ_LOSSES = ["bce_logit", "logistic", "hinge", "absolute"]
GENERATORS = ["gaussian", "moons", "blobs", "teacher"]

# the mutation runs fork after collecting: pay torch.optim's import here, once
warm_up_optimizer()


def _dataset(kind: str, seed: int, d: int) -> Dataset:
    """A small binary data set from one of several generators."""
    if kind == "moons":
        return moons(n_samples=50, seed=seed)
    if kind == "blobs":
        return blobs(n_samples=50, n_features=d, seed=seed)
    if kind == "teacher":
        try:
            return teacher(n_samples=50, n_features=d, width_k=3, seed=seed)
        except ValueError:  # a rare seed whose teacher is constant on the sample
            reject()
    g = torch.Generator().manual_seed(seed)
    X = torch.cat([torch.randn(40, d, generator=g, dtype=F64), torch.ones(40, 1, dtype=F64)], 1)
    Y = (X[:, 0] * X[:, -2] > 0).to(F64)
    return Dataset("gaussian", X, Y)


@st.composite
def problems(draw, losses=CONVEX_LOSSES, widths=(4, 12)):
    """(problem in float64, seed) on data from one of `GENERATORS`."""
    seed = draw(st.integers(0, 2**20))
    d = draw(st.integers(1, 3))
    m = draw(st.integers(*widths))
    kappa = draw(st.sampled_from([1e-3, 1e-2, 0.1]))
    loss = get_loss(draw(st.sampled_from(losses)))
    dataset = _dataset(draw(st.sampled_from(GENERATORS)), seed, d)
    return Problem.of(ReluNet(dataset.n, m, kappa), dataset, loss, dtype=F64), seed


def _grid_F(problem: Problem, path: Path, points: int = 17) -> torch.Tensor:
    """F on `points` equispaced points of every segment, shape `(segments, points)`."""
    v = path.vertices.to(F64)
    t = torch.linspace(0, 1, points, dtype=F64, device=v.device)[:, None]
    grid = v[:-1, None] + t * (v[1:] - v[:-1])[:, None]
    return problem.with_dtype(F64).F(grid.flatten(0, 1)).view(path.n_segments, points)


def _assert_segment_kinds_hold(problem: Problem, path: Path) -> None:
    """`constant` segments are constant and `convex` ones peak at an endpoint (float64 grid)."""
    F = _grid_F(problem, path)
    for j, kind in enumerate(path.kinds):
        ends = max(float(F[j, 0]), float(F[j, -1]))
        if kind == SegmentKind.CONSTANT:
            assert float((F[j] - F[j, 0]).abs().max()) <= ROUNDING, f"segment {j} not constant"
        assert float(F[j].max()) <= ends + ROUNDING, f"{kind} segment {j} peaks inside"


def _quick_reference(problem: Problem, l: int, seed: int) -> Reference:
    return train_reference(problem, l, starts=2, steps=30,
                           generator=torch.Generator().manual_seed(seed))


# ---- ll:zero-radius -------------------------------------------------------------------


@pytest.mark.lemma("ll:zero-radius")
@given(problems(), st.sampled_from(["sampling", "pruning"]), st.data())
def test_constructive_path_stays_below_zero_radius_bound(case, method, draw):
    problem, seed = case
    if method == "pruning" and problem.loss.L is None:
        method = "sampling"
    m = problem.model.m
    l = draw.draw(st.integers(1, m - 1))
    p = scaled_points(problem, seed=seed + 1, scale=3.0)
    (cp,) = constructive_paths(problem, p[:1], p[1:], l=l, method=method, draws=8,
                               refit_steps=10, reference=_quick_reference(problem, l, seed),
                               generator=torch.Generator().manual_seed(seed))
    assert cp.exact and cp.q == m - l
    _assert_segment_kinds_hold(problem, cp.path)
    # the path runs from A to B and its exact maximum is the zero-radius bound's
    assert torch.equal(cp.path.vertices[0], p[0]) and torch.equal(cp.path.vertices[-1], p[1])
    assert cp.max_F <= cp.realized_bound + ROUNDING
    assert cp.max_F >= cp.level
    assert cp.epsilon <= cp.epsilon_thm
    assert cp.max_F <= cp.theorem_bound + ROUNDING


@pytest.mark.lemma("ll:zero-radius")
def test_constructive_paths_are_reproducible_and_batched():
    problem = moons_problem("bce_logit", 8, N=60)
    p = scaled_points(problem, seed=1, scale=3.0)
    A, B = p[[0, 1, 0]], p[[1, 0, 0]]

    def run():
        return constructive_paths(problem, A, B, l=3, draws=4, refit_steps=5, starts=2,
                                  reference_steps=20, generator=torch.Generator().manual_seed(7))

    first, second = run(), run()
    for k, (x, y) in enumerate(zip(first, second, strict=True)):
        assert torch.equal(x.path.vertices, y.path.vertices) and torch.equal(x.F, y.F)
        assert torch.equal(x.path.vertices[0], A[k]) and torch.equal(x.path.vertices[-1], B[k])
        assert x.max_F <= x.realized_bound + ROUNDING
        # the certifier (numerics/_certify.py) re-checks every kind and agrees on the maximum
        certificate = path_max(problem, x.path, 1e-6)
        # … up to its a-priori rounding margin (numerics/_rounding.py), ~1e-12 relative
        assert certificate.exact
        assert x.max_F <= certificate.certified_max <= x.max_F + 1e-9 * (1 + abs(x.max_F))


# ---- ll:sampling and ll:pruning -------------------------------------------------------


@pytest.mark.lemma("ll:sampling")
@given(st.integers(0, 2**20), st.integers(2, 30), st.integers(1, 40))
def test_penalty_is_preserved_by_sampling(seed, m, q):
    g = torch.Generator().manual_seed(seed)
    theta = torch.randn(3, m, generator=g, dtype=F64) * (torch.rand(3, m, generator=g) < 0.7)
    theta_hat = maurey_sample(theta, q, 5, g)
    a = theta.abs().sum(-1)
    assert ((theta_hat != 0).sum(-1) <= q).all()
    torch.testing.assert_close(theta_hat.abs().sum(-1), a[:, None].expand(3, 5),
                               rtol=1e-12, atol=0)
    # signs are θ's signs: a realization never flips a coefficient
    assert (theta_hat * theta[:, None] >= 0).all()


@pytest.mark.lemma("ll:sampling")
def test_sampling_is_unbiased():
    g = torch.Generator().manual_seed(3)
    theta = torch.tensor([[0.5, -1.5, 0.0, 2.0, -0.25]], dtype=F64)
    q, draws = 3, 40_000
    theta_hat = maurey_sample(theta, q, draws, g)[0]
    a, p = 4.25, theta.abs()[0] / 4.25
    # θ̂_i = (a/q) sgn(θ_i) N_i with N_i ~ Binomial(q, p_i): sd of the mean over draws
    sd = a / q * (q * p * (1 - p)).sqrt() / math.sqrt(draws)
    assert ((theta_hat.mean(0) - theta[0]).abs() <= 6 * sd + 1e-15).all()


def _sign_dropping_sample(theta, q, draws, generator):
    """A defective sampler: right support and ‖θ̂‖₁, but every coefficient made positive."""
    return maurey_sample(theta, q, draws, generator).abs()


def _epsilon_within_sampling_bound(problem, p, q, sample, draws=16, seed=0) -> bool:
    """The `ll:sampling` checker: best-of-draws F(W, θ̂) − F(W, θ) ≤ L·a·D_X/√q."""
    model = problem.model
    W, theta = model.split(p)
    candidates = sample(theta, q, draws, torch.Generator().manual_seed(seed))
    F_hat = problem.F(model.join(W.repeat_interleave(draws, 0), candidates.flatten(0, 1)))
    excess = F_hat.view(-1, draws).min(-1).values - problem.F(p)
    bound = torch.tensor([sampling_bound(problem.loss, float(a), data_scale(problem.X), q)
                          for a in theta.abs().sum(-1)], dtype=F64)
    return bool((excess <= bound).all())


@pytest.mark.lemma("ll:sampling")
@given(problems(), st.data())
def test_best_of_draws_epsilon_is_within_sampling_bound(case, draw):
    problem, seed = case
    q = draw.draw(st.integers(1, problem.model.m))
    p = scaled_points(problem, seed=seed + 1, scale=3.0)
    assert _epsilon_within_sampling_bound(problem, p, q, maurey_sample, seed=seed)


def _cancelling_problem(m: int, c: float, tilt: float) -> tuple[Problem, torch.Tensor]:
    """Φ = 0 from m/2 + m/2 units of opposite sign on one shared row, targets 0, |ℒ| loss:
    a sign error turns Φ into a·ρ(wᵀx), far above the bound when q is large."""
    X = torch.tensor([[1.0, 1.0], [1.0 + tilt, 1.0], [1.0, 1.0 + tilt]], dtype=F64)
    model = ReluNet(2, m, 1e-3)
    W = torch.full((1, m, 2), 2**-0.5, dtype=F64)
    theta = c * torch.tensor([(-1.0) ** i for i in range(m)], dtype=F64)[None]
    problem = Problem(model, X, torch.zeros(3, dtype=F64), get_loss("absolute"))
    return problem, model.join(W, theta)


@pytest.mark.lemma("ll:sampling")
@given(st.integers(4, 32).map(lambda k: 2 * k), st.floats(0.1, 10), st.floats(0, 0.5))
def test_sampling_checker_catches_a_sign_dropping_sampler(m, c, tilt):
    problem, p = _cancelling_problem(m, c, tilt)
    q = m - 1
    assert _epsilon_within_sampling_bound(problem, p, q, maurey_sample)
    assert not _epsilon_within_sampling_bound(problem, p, q, _sign_dropping_sample)


@pytest.mark.lemma("ll:pruning")
@given(problems(losses=LIPSCHITZ_LOSSES), st.data())
def test_pruning_excess_is_within_pruning_bound(case, draw):
    problem, seed = case
    model = problem.model
    l = draw.draw(st.integers(1, model.m - 1))
    p = scaled_points(problem, seed=seed + 1, scale=3.0)
    W, theta = model.split(p)
    theta_pr = prune(theta, model.m - l)
    assert ((theta_pr != 0).sum(-1) <= model.m - l).all()
    excess = problem.F(model.join(W, theta_pr)) - problem.F(p)
    for a, e in zip(theta.abs().sum(-1), excess, strict=True):
        bound = pruning_bound(problem.loss, float(a), data_scale(problem.X), model.kappa, l,
                              model.m)
        assert float(e) <= bound + ROUNDING


# ---- hypotheses -----------------------------------------------------------------------


@pytest.mark.lemma("ll:zero-radius")
@pytest.mark.parametrize("name", ["ramp", "sigmoid"])
def test_non_convex_losses_are_refused_without_negative_control(name):
    dataset = moons(n_samples=40)
    problem = Problem.of(ReluNet(3, 4, 1e-2), dataset, get_loss(name), dtype=F64)
    p = scaled_points(problem, seed=1, scale=3.0)
    with pytest.raises(LossHypothesisError, match="not convex"):
        constructive_paths(problem, p[:1], p[1:], l=2)
    with pytest.raises(LossHypothesisError, match="not convex"):
        fixed_level_path(problem, p[0], p[1])
    (cp,) = constructive_paths(problem, p[:1], p[1:], l=2, draws=2, refit_steps=2,
                               reference=_quick_reference(problem, 2, 0), negative_control=True)
    # θ-segments are no longer convex: the vertex maximum is no certificate
    assert not cp.exact and SegmentKind.GENERAL in cp.path.kinds


def test_pruning_without_lipschitz_is_refused():
    problem = moons_problem("half_squared", 4, N=40)
    p = scaled_points(problem, seed=1, scale=3.0)
    with pytest.raises(LossHypothesisError, match="not Lipschitz"):
        constructive_paths(problem, p[:1], p[1:], l=2, method="pruning")


@pytest.mark.lemma("ll:convex-output")
def test_negative_control_breaks_convex_interpolation():
    """The sigmoid loss σ(−yu) is concave for yu < 0: a θ-segment peaks inside."""
    model = ReluNet(2, 2, 1e-3)
    problem = Problem(model, torch.eye(2, dtype=F64), torch.ones(2, dtype=F64),
                      get_loss("sigmoid"))
    W = torch.eye(2, dtype=F64)
    ends = model.join(W.expand(2, 2, 2), torch.tensor([[0.0, -4.0], [-4.0, 0.0]], dtype=F64))
    F = _grid_F(problem, Path(ends, (SegmentKind.CONVEX,)))
    assert float(F.max()) > max(float(F[0, 0]), float(F[0, -1])) + 0.1


# ---- ll:thm-fixed-level ---------------------------------------------------------------


@pytest.mark.lemma("ll:thm-fixed-level")
@given(problems(losses=LIPSCHITZ_LOSSES), st.floats(1.0, 3.0), st.floats(0.1, 5.0))
def test_fixed_level_path_never_exceeds_the_larger_endpoint(case, factor, scale):
    problem, seed = case
    kappa = factor * problem.loss.L * data_scale(problem.X)
    strong = Problem(ReluNet(problem.model.n, problem.model.m, kappa), problem.X, problem.Y,
                     problem.loss)
    p = scaled_points(strong, seed=seed + 1, scale=scale)
    path = fixed_level_path(strong, p[0], p[1])
    assert path.exact
    _assert_segment_kinds_hold(strong, path)
    level = float(strong.F(p).max())
    assert float(_grid_F(strong, path).max()) <= level + ROUNDING


def test_fixed_level_path_refuses_a_small_kappa():
    problem = moons_problem("bce_logit", 4, 1e-3, N=40)
    p = scaled_points(problem, seed=1, scale=3.0)
    with pytest.raises(ValueError, match="kappa"):
        fixed_level_path(problem, p[0], p[1])


# ---- ll:two-ray, ll:cor-1d ------------------------------------------------------------


@pytest.mark.lemma("ll:cor-1d")
@given(st.integers(0, 2**20), st.integers(4, 9), st.sampled_from(CONVEX_LOSSES),
       st.sampled_from([1e-3, 0.1]), st.floats(0.1, 5.0))
def test_one_dimensional_path_has_zero_barrier(seed, m, name, kappa, scale):
    g = torch.Generator().manual_seed(seed)
    # bias-free 1-D inputs (an augmented input would be 2-D)
    X = torch.randn(30, 1, generator=g, dtype=F64)
    dataset = Dataset("1d", X, (torch.rand(30, generator=g) < 0.5).to(F64))
    problem = Problem.of(ReluNet(1, m, kappa), dataset, get_loss(name), dtype=F64)
    p = scaled_points(problem, seed=seed + 1, scale=scale)
    path = one_dimensional_path(problem, p[0], p[1])
    assert path.exact
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])
    _assert_segment_kinds_hold(problem, path)
    assert float(_grid_F(problem, path).max()) <= float(problem.F(p).max()) + ROUNDING


def test_one_dimensional_path_needs_n_1_and_m_4():
    problem = Problem(ReluNet(1, 3, 0.1), torch.ones(5, 1, dtype=F64), torch.zeros(5, dtype=F64),
                      get_loss("absolute"))
    p = scaled_points(problem, seed=1, scale=3.0)
    with pytest.raises(ValueError, match="m ≥ 4"):
        one_dimensional_path(problem, p[0], p[1])


# ---- new:buffer-permutation, ll:buffer-transfer ---------------------------------------


def _teacher_problem(m: int, seed: int, name: str, device=None):
    dataset = teacher(n_samples=60, n_features=2, width_k=m, seed=seed, task="regression")
    net, p = dataset.info["teacher"], dataset.info["teacher_p"][0]
    student = ReluNet(net.n, m + 1, 1e-2)
    problem = Problem.of(student, dataset, get_loss(name), device=device, dtype=F64)
    return ReluNet(net.n, m, 1e-2), p, problem


@pytest.mark.lemma("new:buffer-permutation")
@given(st.integers(2, 7).flatmap(lambda m: st.tuples(st.just(m), st.permutations(range(m)))),
       st.integers(0, 2**20), st.sampled_from(["half_squared", "absolute"]))
def test_buffer_permutation_path_has_zero_barrier(m_perm, seed, name):
    m, perm = m_perm
    model, p, problem = _teacher_problem(m, seed, name)
    wide, path = buffer_permutation_path(model, p, list(perm))
    assert wide.m == m + 1 and set(path.kinds) <= {SegmentKind.CONSTANT}
    assert torch.equal(path.vertices[0], pad_buffer(model, p)[1])
    assert torch.equal(path.vertices[-1], pad_buffer(model, permute_units(model, p, perm))[1])
    F = _grid_F(problem, path)
    level = max(float(F[0, 0]), float(F[-1, -1]))
    assert float(F.max()) - level <= 1e-12


@pytest.mark.lemma("ll:buffer-transfer")
def test_a_swap_without_a_free_slot_is_refused():
    model = ReluNet(2, 2, 1e-2)
    walk = _Walk(model, model.join(torch.eye(2, dtype=F64), torch.tensor([1.0, -2.0], dtype=F64)))
    with pytest.raises(ValueError, match="free buffer slot"):
        walk.relocate([0, 1], [1, 0])


# ---- CUDA -----------------------------------------------------------------------------


@pytest.mark.cuda
@pytest.mark.lemma("ll:zero-radius")
def test_constructive_path_on_cuda_matches_the_bound():
    problem = moons_problem("bce_logit", 10, N=80, device="cuda")
    p = scaled_points(problem, seed=1, scale=3.0).cuda()
    (cp,) = constructive_paths(problem, p[:1], p[1:], l=4, draws=8, refit_steps=10, starts=2,
                               reference_steps=30)
    assert cp.exact and cp.max_F <= cp.realized_bound + ROUNDING
    assert cp.epsilon <= cp.epsilon_thm
    _assert_segment_kinds_hold(problem, cp.path)


@pytest.mark.cuda
@pytest.mark.lemma("new:buffer-permutation")
def test_buffer_permutation_on_cuda_has_zero_barrier():
    model, p, problem = _teacher_problem(4, 0, "half_squared", device="cuda")
    _, path = buffer_permutation_path(model, p.cuda(), [2, 0, 3, 1])
    F = _grid_F(problem, path)
    assert float(F.max()) - max(float(F[0, 0]), float(F[-1, -1])) <= 1e-12


# ---- the `gap` command ----------------------------------------------------------------


def _gap(argv: list[str]) -> int:
    try:
        return cli_main(["gap", *argv])
    except SystemExit as exc:  # argparse refuses a malformed argument with exit 2
        return int(exc.code)


BASE = ["--dataset", "blobs", "--width", "4", "--pairs", "2", "--loss", "bce_logit",
        "--kappa", "1e-2", "--steps", "40", "--draws", "4", "--refit-steps", "5"]


@pytest.mark.parametrize(("change", "message"), [
    (["--kappa", "0"], "--kappa"), (["--kappa", "-1"], "--kappa"), (["--width", "1"], "--width"),
    (["--pairs", "0"], "--pairs"), (["--loss", "nope"], "unknown loss"),
    (["--loss", "ramp"], "not convex"), (["--l", "4"], "--l"),
])
def test_gap_rejects_bad_input_with_exit_2(tmp_path, capsys, change, message):
    assert _gap([*BASE, *change, "--out", str(tmp_path / "run")]) == 2
    assert message in capsys.readouterr().err


def test_gap_rejects_an_unwritable_out_and_an_unknown_dataset(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert _gap([*BASE, "--out", str(blocker / "run")]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert _gap(["--dataset", "mnist", *BASE[2:], "--out", str(tmp_path / "run")]) == 2


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-CUDA message")
def test_gap_rejects_cuda_without_cuda(tmp_path, capsys):
    assert _gap([*BASE, "--device", "cuda", "--out", str(tmp_path / "run")]) == 2
    assert "cuda" in capsys.readouterr().err


def test_gap_writes_pairs_and_resumes_to_the_same_records(tmp_path, capsys):
    out = tmp_path / "run"
    argv = [*BASE, "--pairs", "3", "--batch", "2", "--tol", "0.05", "--steps", "15",
            "--out", str(out)]
    assert _gap(argv) == 0
    first = (out / "pairs.csv").read_text()
    rows = list(csv.DictReader(first.splitlines()))
    assert [int(r["pair_id"]) for r in rows] == [0, 1, 2]
    for r in rows:
        assert float(r["barrier_upper"]) >= 0
        assert float(r["constructive_max"]) <= float(r["theorem_bound"])
        assert float(r["barrier_upper"]) == pytest.approx(
            min(float(r["dss_certified_max"]), float(r["constructive_max"])) - float(r["level"]))
    assert json.loads((out / "run.json").read_text())["config"]["widths"] == [4]
    # lose the last pair, as a killed run would: the rerun recomputes exactly that one
    store = out / "records.jsonl"
    store.write_text("".join(store.read_text().splitlines(keepends=True)[:-1]))
    assert _gap(argv) == 0
    assert (out / "pairs.csv").read_text() == first
    assert "pairs: 3" in capsys.readouterr().out
    # another configuration may not reuse the folder
    assert _gap([*argv[:-2], "--seed", "5", "--out", str(out)]) == 2

# ==== tiny float64 problems: the pieces, and what the mutation run left (fast) =========


@pytest.fixture(scope="module")
def problem() -> Problem:
    return moons_problem("hinge", 6, seed=3)


# ---- reference width, sampling, pruning ------------------------------------------------


@pytest.mark.fast
def test_reference_width_defaults_to_half_and_checks_its_range():
    assert [reference_width(m) for m in (2, 5, 8)] == [1, 2, 4]
    assert reference_width(5, 1) == 1 and reference_width(5, 4) == 4
    for l in (0, 5):
        with pytest.raises(ValueError, match=rf"^the reference width l must satisfy 1 ≤ l < m "
                           rf"= 5, got {l}$"):
            reference_width(5, l)


@pytest.mark.fast
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


@pytest.mark.fast
def test_maurey_draws_are_unbiased():
    theta = torch.tensor([[1.0, -2.0, 0.5]], dtype=F64)
    hat = maurey_sample(theta, 3, 20000, torch.Generator().manual_seed(2))
    assert torch.allclose(hat[0].mean(0), theta[0], atol=0.06)


@pytest.mark.fast
def test_maurey_refuses_by_name():
    theta = torch.ones(1, 3, dtype=F64)
    g = torch.Generator().manual_seed(0)
    with pytest.raises(ValueError, match=r"^q and draws must be ≥ 1, got q=0, draws=3$"):
        maurey_sample(theta, 0, 3, g)
    with pytest.raises(ValueError, match=r"^q and draws must be ≥ 1, got q=2, draws=0$"):
        maurey_sample(theta, 2, 0, g)
    assert maurey_sample(theta, 1, 1, g).shape == (1, 1, 3)


@pytest.mark.fast
def test_prune_keeps_the_q_largest_masses():
    theta = torch.tensor([[0.5, -3.0, 1.0, -0.1], [1.0, 2.0, 3.0, 4.0]], dtype=F64)
    assert prune(theta, 2).tolist() == [[0.0, -3.0, 1.0, 0.0], [0.0, 0.0, 3.0, 4.0]]
    assert torch.equal(prune(theta, 9), theta)
    assert prune(theta, 1).tolist() == [[0.0, -3.0, 0.0, 0.0], [0.0, 0.0, 0.0, 4.0]]
    with pytest.raises(ValueError, match=r"^q must be ≥ 1, got 0$"):
        prune(theta, 0)


# ---- sparsify and refit ----------------------------------------------------------------


@pytest.mark.fast
def test_pruning_sparsify_is_prune_evaluated_in_float64(problem):
    p = scaled_points(problem, 2, scale=2.0)
    out = sparsify(problem, p, 3, method="pruning", refit_steps=0)
    W, theta = problem.model.split(p)
    assert torch.equal(out.theta, prune(theta, 3))
    assert torch.equal(out.F, problem.F(problem.model.join(W, out.theta)))
    assert out.refitted.tolist() == [False, False]


@pytest.mark.fast
def test_sampling_sparsify_keeps_the_best_of_its_draws(problem):
    p = scaled_points(problem, 2, scale=2.0)
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


@pytest.mark.fast
def test_a_refit_is_kept_only_when_it_lowers_F(problem):
    p = scaled_points(problem, 2, scale=2.0)
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


@pytest.mark.fast
def test_refit_output_keeps_W_and_the_support_and_never_raises_F(problem):
    p = scaled_points(problem, 2, scale=2.0)
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


@pytest.mark.fast
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


@pytest.mark.fast
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


@pytest.mark.fast
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


@pytest.mark.fast
def test_constructive_path_runs_from_A_to_B_below_its_bound(problem):
    p = scaled_points(problem, 4, seed=5, scale=2.0)
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


@pytest.mark.fast
def test_constructive_path_refusals_name_the_argument(problem):
    p = scaled_points(problem, 2, scale=2.0)
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


@pytest.mark.fast
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


@pytest.mark.fast
def test_a_walk_moves_only_free_rows_at_constant_F(problem):
    p = scaled_points(problem, 1, scale=2.0)[0]
    walk = _Walk(problem.model, p)
    with pytest.raises(ValueError, match=r"^rows_to: only rows with a zero coefficient may "
                       r"move at constant F$"):
        walk.rows_to(torch.tensor([0]), torch.zeros(1, 3, dtype=F64))
    assert walk.free_slots() == []
    path = walk.path()  # a one-point walk: one zero-length constant segment
    assert path.vertices.shape[0] == 2 and path.kinds == (SegmentKind.CONSTANT,)
    assert torch.equal(path.vertices[0], path.vertices[1])


@pytest.mark.fast
def test_fixed_level_path_and_its_kappa_threshold(problem):
    threshold = problem.loss.L * data_scale(problem.X)
    at = Problem(ReluNet(3, 6, float(threshold)), problem.X, problem.Y, problem.loss)
    p = scaled_points(at, 2, seed=6, scale=2.0)
    path = fixed_level_path(at, p[0], p[1])
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])
    assert path.kinds == (SegmentKind.CONVEX, SegmentKind.CONSTANT, SegmentKind.CONVEX)
    F = at.F(path.vertices)
    assert float(F.max()) <= max(float(F[0]), float(F[-1])) + 1e-12
    assert bool((at.model.split(path.vertices[1])[1] == 0).all())
    with pytest.raises(ValueError, match=rf"^kappa = 0.01 < L·D_X = {threshold:g}: "
                       r"ll:thm-fixed-level needs κ ≥ L·D_X$"):
        fixed_level_path(problem, p[0], p[1])


@pytest.mark.fast
def test_one_dimensional_path_refuses_other_shapes_by_name(problem):
    p = scaled_points(problem, 2, scale=2.0)
    with pytest.raises(ValueError, match=r"^ll:cor-1d needs n = 1 and m ≥ 4, got n = 3, "
                       r"m = 6$"):
        one_dimensional_path(problem, p[0], p[1])
    X = torch.linspace(-1, 1, 8, dtype=F64)[:, None]
    three = Problem.of(ReluNet(1, 3, 1e-2), Dataset("l", X, (X[:, 0] > 0).to(F64)),
                       get_loss("hinge"), dtype=F64)
    q = three.model.init(2, torch.Generator().manual_seed(0), dtype=F64)
    with pytest.raises(ValueError, match=r"m ≥ 4, got n = 1, m = 3$"):
        one_dimensional_path(three, q[0], q[1])


@pytest.mark.fast
def test_one_dimensional_path_never_rises_above_its_ends():
    X = torch.linspace(-1, 1, 10, dtype=F64)[:, None]
    problem = Problem.of(ReluNet(1, 5, 1e-2), Dataset("l", X, (X[:, 0] > 0.2).to(F64)),
                         get_loss("hinge"), dtype=F64)
    p = scaled_points(problem, 2, seed=3, scale=3.0)
    path = one_dimensional_path(problem, p[0], p[1])
    F = problem.F(path.vertices)
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])
    assert path.exact and float(F.max()) <= max(float(F[0]), float(F[-1])) + 1e-12


@pytest.mark.fast
def test_padding_and_permuting_units_keep_F(problem):
    p = scaled_points(problem, 1, seed=7, scale=2.0)[0]
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


@pytest.mark.fast
def test_buffer_permutation_path_is_a_constant_walk(problem):
    p = scaled_points(problem, 1, seed=8, scale=2.0)[0]
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


@pytest.mark.fast
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


@pytest.mark.fast
def test_the_special_paths_name_the_lemma_and_the_bad_point(problem):
    p = scaled_points(problem, 2, scale=2.0)
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
    q = scaled_points(line, 2, scale=2.0)
    for args, name in (((q[0, :-1], q[1]), "A"), ((q[0], q[1, :-1]), "B")):
        with pytest.raises(ValueError, match=rf"^{name} has shape \(1, 9\), expected \(\*, 10\)$"):
            one_dimensional_path(line, *args)
    sigmoid = Problem(line.model, line.X, line.Y, get_loss("sigmoid"))
    with pytest.raises(LossHypothesisError, match=r"; ll:cor-1d needs a convex loss"):
        one_dimensional_path(sigmoid, q[0], q[1])


@pytest.mark.fast
def test_constructive_paths_name_the_bad_endpoint(problem):
    p = scaled_points(problem, 4, scale=2.0)
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


@pytest.mark.fast
def test_width_two_and_a_single_start_are_allowed(problem):
    two = Problem(ReluNet(3, 2, 1e-2), problem.X, problem.Y, problem.loss)
    ref = train_reference(two, 1, starts=1, steps=3)
    assert ref.F_starts.shape == (1,) and ref.width == 1
    p = scaled_points(two, 2, scale=2.0)
    (cp,) = constructive_paths(two, p[:1], p[1:], reference=ref, method="pruning",
                               refit_steps=0)
    assert (cp.l, cp.q) == (1, 1)
    assert torch.equal(cp.path.vertices[0], p[0]) and torch.equal(cp.path.vertices[-1], p[1])


@pytest.mark.fast
def test_negative_control_paths_have_no_convex_segment(problem):
    """Without convexity every θ-segment is `general`: none may claim `convex`."""
    sigmoid = Problem(problem.model, problem.X, problem.Y, get_loss("sigmoid"))
    p = scaled_points(sigmoid, 2, seed=1, scale=2.0)
    ref = train_reference(sigmoid, 3, starts=1, steps=2)
    (cp,) = constructive_paths(sigmoid, p[:1], p[1:], reference=ref, draws=2, refit_steps=0,
                               negative_control=True)
    assert SegmentKind.CONVEX not in cp.path.kinds and SegmentKind.GENERAL in cp.path.kinds
    path = fixed_level_path(sigmoid, p[0], p[1], negative_control=True)
    assert path.kinds == (SegmentKind.GENERAL, SegmentKind.CONSTANT, SegmentKind.GENERAL)
    line = _line_problem(loss="sigmoid")
    q = scaled_points(line, 2, seed=2, scale=3.0)
    path = one_dimensional_path(line, q[0], q[1], negative_control=True)
    assert SegmentKind.CONVEX not in path.kinds and SegmentKind.GENERAL in path.kinds
    assert torch.equal(path.vertices[0], q[0]) and torch.equal(path.vertices[-1], q[1])


@pytest.mark.fast
def test_an_already_sparse_end_keeps_every_segment_kind_right(problem):
    """B with ≤ q units: its θ-step is empty, so its half of the path is not symmetric."""
    p = scaled_points(problem, 2, seed=9, scale=2.0)
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


@pytest.mark.fast
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


@pytest.mark.fast
def test_a_one_move_walk_is_a_single_segment(problem):
    at = _threshold_problem(problem)
    p = scaled_points(at, 1, seed=3, scale=2.0)[0]
    W, theta = at.model.split(p)
    start = at.model.join(W, torch.zeros_like(theta))
    path = fixed_level_path(at, start, p)
    assert path.kinds == (SegmentKind.CONVEX,)
    assert torch.equal(path.vertices, torch.stack([start, p]))


@pytest.mark.fast
def test_walks_are_kept_in_float64(problem):
    at = _threshold_problem(problem)
    p = scaled_points(at, 2, seed=4, scale=2.0).float()
    path = fixed_level_path(at, p[0], p[1])
    assert path.vertices.dtype == F64
    assert torch.equal(path.vertices[0], p[0].double())
    assert torch.equal(path.vertices[-1], p[1].double())


@pytest.mark.fast
def test_zero_radius_path_carries_float32_inputs_in_float64(problem):
    """The path passes through (W_A, θ̂_A) and then exactly through the reference on A's
    slots, whatever the dtype of the sparsified θ̂ and of the reference."""
    model = problem.model
    p = scaled_points(problem, 2, seed=4, scale=2.0)
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


@pytest.mark.fast
def test_maurey_sampling_is_scale_equivariant():
    """θ ↦ cθ with c a power of two: the same draws, every θ̂ scaled by c (no overflow or
    underflow of the probabilities, even far from 1)."""
    theta = torch.tensor([[1.0, -2.0, 0.0, 0.5], [0.3, 0.3, -0.1, 0.0]], dtype=F64)
    base = maurey_sample(theta, 3, 20, torch.Generator().manual_seed(4))
    for c in (2.0**600, 2.0**-600):
        scaled = maurey_sample(c * theta, 3, 20, torch.Generator().manual_seed(4))
        assert torch.equal(scaled, c * base)


@pytest.mark.fast
def test_prune_works_on_the_last_axis_of_any_batch():
    theta = torch.tensor([[[0.5, -3.0, 1.0, -0.1], [1.0, 2.0, 3.0, 4.0]],
                          [[0.0, 0.2, -0.1, 0.0], [-5.0, 1.0, 0.0, 0.0]]], dtype=F64)
    flat = prune(theta.flatten(0, 1), 2)
    assert torch.equal(prune(theta, 2), flat.view(2, 2, 4))
    assert torch.equal(prune(theta[0, 0], 2), flat[0])
    assert torch.equal(prune(theta[:, :, :3], 5), theta[:, :, :3])


@pytest.mark.fast
def test_sparsify_uses_its_generator_and_32_draws_by_default(problem):
    p = scaled_points(problem, 6, seed=11, scale=2.0)
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


@pytest.mark.fast
def test_sparsify_refits_in_the_problems_dtype_and_keeps_what_float64_finds_lower(problem, kernels):
    """sparsify = prune, then `refit_output` (in float32 here) kept where its float64 F is
    strictly lower; a zero θ can never be refitted; everything returned is float64."""
    single = problem.with_dtype(torch.float32)
    exact = single.with_dtype(F64)  # the float32 data, read in float64
    model = problem.model
    p = scaled_points(problem, 8, seed=12, scale=2.0)
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


@pytest.mark.fast
def test_refit_output_steps_at_its_rate_and_keeps_only_strict_improvements(problem):
    model = problem.model
    p = scaled_points(problem, 2, seed=13, scale=2.0)
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


@pytest.mark.fast
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


@pytest.mark.fast
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
    p = scaled_points(problem, 2, scale=2.0)
    constructive_paths(problem, p[:1], p[1:])
    assert calls["reference"] == (8, 1000) and calls["sparsify"] == (32, 200)


@pytest.mark.fast
@pytest.mark.parametrize("method", ["sampling", "pruning"])
@pytest.mark.parametrize("seed", [None, 7])
def test_constructive_records_match_an_independent_computation(problem, method, seed):
    """Reference then sparsified ends from one generator (default seed 0), each pair's own
    Â, B̂, F(Â), F(B̂) and a; B is scaled up so that ‖θ_B‖₁ decides a."""
    model = problem.model
    A = scaled_points(problem, 3, seed=14, scale=2.0)
    B = scaled_points(problem, 3, seed=15, scale=6.0)
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


@pytest.mark.fast
def test_constructive_values_are_float64_whatever_the_dtypes(problem, kernels):
    """A float32 problem is evaluated in float64 (its F, ε, bounds), and float32 endpoints
    are read in float64 (a = max ‖θ‖₁ summed in float64)."""
    single = problem.with_dtype(torch.float32)
    ref = train_reference(problem, 3, starts=1, steps=3)
    p = scaled_points(problem, 4, seed=16, scale=2.0)
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


@pytest.mark.fast
@pytest.mark.cuda
def test_cpu_inputs_on_a_cuda_problem_give_cuda_results(problem):
    cuda = Problem(problem.model, problem.X.cuda(), problem.Y.cuda(), problem.loss)
    p = scaled_points(problem, 2, scale=2.0)
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


# ---- each require guard refuses what it should, and only that -------------------------


def _gaussian_line_problem(loss: str) -> Problem:
    """A bias-free 1-D problem (n = 1, m = 4, κ = 10): 20 Gaussian inputs, labels x > 0."""
    g = torch.Generator().manual_seed(0)
    X = torch.randn(20, 1, generator=g, dtype=F64)
    data = Dataset("line", X, (X[:, 0] > 0).to(F64))
    return Problem.of(ReluNet(1, 4, 10.0), data, get_loss(loss), dtype=F64)


@pytest.mark.fast
def test_fixed_level_path_requires_a_lipschitz_loss():
    # half_squared is convex but not Lipschitz: ll:thm-fixed-level needs κ ≥ L·D_X
    problem = moons_problem("half_squared", 4, 10.0)
    p = scaled_points(problem)
    with pytest.raises(LossHypothesisError, match=r"not Lipschitz.*ll:thm-fixed-level"):
        fixed_level_path(problem, p[0], p[1])
    # negative-control mode waives it: the path is built
    path = fixed_level_path(problem, p[0], p[1], negative_control=True)
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])


@pytest.mark.fast
def test_fixed_level_path_requires_a_convex_loss():
    problem = moons_problem("ramp", 4, 10.0)  # Lipschitz, not convex
    p = scaled_points(problem)
    with pytest.raises(LossHypothesisError, match=r"not convex.*ll:thm-fixed-level"):
        fixed_level_path(problem, p[0], p[1])


@pytest.mark.fast
def test_fixed_level_path_accepts_a_lipschitz_convex_loss_at_the_kappa_threshold():
    problem = moons_problem("hinge", 4, 1.0)
    threshold = problem.loss.L * data_scale(problem.X)
    at = Problem(ReluNet(3, 4, float(threshold)), problem.X, problem.Y, problem.loss)
    p = scaled_points(at)
    assert fixed_level_path(at, p[0], p[1]).exact  # κ = L·D_X is allowed
    below = Problem(ReluNet(3, 4, float(threshold) * (1 - 1e-9)), problem.X, problem.Y,
                    problem.loss)
    with pytest.raises(ValueError, match="kappa"):
        fixed_level_path(below, p[0], p[1])


@pytest.mark.fast
def test_one_dimensional_path_requires_a_convex_loss():
    problem = _gaussian_line_problem("sigmoid")
    p = scaled_points(problem)
    with pytest.raises(LossHypothesisError, match=r"not convex.*ll:cor-1d"):
        one_dimensional_path(problem, p[0], p[1])
    path = one_dimensional_path(problem, p[0], p[1], negative_control=True)
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])
    # a non-Lipschitz convex loss is fine for ll:cor-1d
    convex = _gaussian_line_problem("half_squared")
    assert one_dimensional_path(convex, p[0], p[1]).exact


@pytest.mark.fast
@pytest.mark.parametrize(
    ("loss", "method", "refusal"),
    [
        ("ramp", "sampling", "not convex"),
        ("ramp", "pruning", "not convex"),
        ("half_squared", "pruning", r"not Lipschitz.*ll:pruning"),
        ("no_holder", "sampling", r"no Hölder.*ll:sampling"),
        ("no_holder", "pruning", "not Lipschitz"),
    ],
)
def test_require_hypotheses_refuses_what_each_method_lacks(loss, method, refusal):
    if loss == "no_holder":  # convex, neither Lipschitz nor Hölder
        the_loss = dataclasses.replace(get_loss("half_squared"), name="no_holder", holder=None)
    else:
        the_loss = get_loss(loss)
    with pytest.raises(LossHypothesisError, match=refusal):
        require_hypotheses(the_loss, method)
    require_hypotheses(the_loss, method, negative_control=True)  # waived


@pytest.mark.fast
@pytest.mark.parametrize(
    ("loss", "method"),
    [("half_squared", "sampling"), ("mse", "sampling"), ("hinge", "sampling"),
     ("hinge", "pruning"), ("absolute", "pruning"), ("bce_logit", "sampling")],
)
def test_require_hypotheses_accepts_what_each_method_has(loss, method):
    require_hypotheses(get_loss(loss), method)  # no error


@pytest.mark.fast
def test_require_hypotheses_refuses_an_unknown_method_even_as_negative_control():
    with pytest.raises(ValueError, match="method"):
        require_hypotheses(get_loss("hinge"), "sparsify", negative_control=True)
