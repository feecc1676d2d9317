"""The proof's constructive path (docs/notation.md) and the special paths of §4–§5.

Every path here has only `convex` and `constant` segments; the tests check that claim on a
fine float64 grid of every segment and then the bound of the statement on the vertices.
"""

from __future__ import annotations

import csv
import json
import math

import pytest
import torch
from hypothesis import given, reject
from hypothesis import strategies as st

from experiments.cli import main as cli_main
from numerics import (
    Dataset,
    Path,
    Problem,
    Reference,
    ReluNet,
    SegmentKind,
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
    sampling_bound,
    teacher,
    train_reference,
)
from numerics._walk import _Walk
from theory.losses import LossHypothesisError, get_loss

F64 = torch.float64
# float64 rounding of F on these small problems (|F| ≲ 10²)
ROUNDING = 1e-12
CONVEX_LOSSES = ["bce_logit", "logistic", "hinge", "absolute", "half_squared"]
LIPSCHITZ_LOSSES = ["bce_logit", "logistic", "hinge", "absolute"]
GENERATORS = ["gaussian", "moons", "blobs", "teacher"]


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


def _endpoints(problem: Problem, seed: int, scale: float = 3.0) -> torch.Tensor:
    """Two random points (rows in the ball, θ scaled up so sparsification matters)."""
    model = problem.model
    W, theta = model.split(model.init(2, torch.Generator().manual_seed(seed + 1), dtype=F64))
    return model.join(W, scale * theta)


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
    p = _endpoints(problem, seed)
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
    problem = Problem.of(ReluNet(3, 8, 1e-2), moons(n_samples=60), get_loss("bce_logit"),
                         dtype=F64)
    p = _endpoints(problem, 0)
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
    assert _epsilon_within_sampling_bound(problem, _endpoints(problem, seed), q, maurey_sample,
                                          seed=seed)


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
    p = _endpoints(problem, seed)
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
    p = _endpoints(problem, 0)
    with pytest.raises(LossHypothesisError, match="not convex"):
        constructive_paths(problem, p[:1], p[1:], l=2)
    with pytest.raises(LossHypothesisError, match="not convex"):
        fixed_level_path(problem, p[0], p[1])
    (cp,) = constructive_paths(problem, p[:1], p[1:], l=2, draws=2, refit_steps=2,
                               reference=_quick_reference(problem, 2, 0), negative_control=True)
    # θ-segments are no longer convex: the vertex maximum is no certificate
    assert not cp.exact and SegmentKind.GENERAL in cp.path.kinds


def test_pruning_without_lipschitz_is_refused():
    problem = Problem.of(ReluNet(3, 4, 1e-2), moons(n_samples=40), get_loss("half_squared"),
                         dtype=F64)
    p = _endpoints(problem, 0)
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
    p = _endpoints(strong, seed, scale)
    path = fixed_level_path(strong, p[0], p[1])
    assert path.exact
    _assert_segment_kinds_hold(strong, path)
    level = float(strong.F(p).max())
    assert float(_grid_F(strong, path).max()) <= level + ROUNDING


def test_fixed_level_path_refuses_a_small_kappa():
    problem = Problem.of(ReluNet(3, 4, 1e-3), moons(n_samples=40), get_loss("bce_logit"),
                         dtype=F64)
    p = _endpoints(problem, 0)
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
    p = _endpoints(problem, seed, scale)
    path = one_dimensional_path(problem, p[0], p[1])
    assert path.exact
    assert torch.equal(path.vertices[0], p[0]) and torch.equal(path.vertices[-1], p[1])
    _assert_segment_kinds_hold(problem, path)
    assert float(_grid_F(problem, path).max()) <= float(problem.F(p).max()) + ROUNDING


def test_one_dimensional_path_needs_n_1_and_m_4():
    problem = Problem(ReluNet(1, 3, 0.1), torch.ones(5, 1, dtype=F64), torch.zeros(5, dtype=F64),
                      get_loss("absolute"))
    p = _endpoints(problem, 0)
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
    problem = Problem.of(ReluNet(3, 10, 1e-2), moons(n_samples=80), get_loss("bce_logit"),
                         device="cuda", dtype=F64)
    p = _endpoints(problem, 0).cuda()
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
