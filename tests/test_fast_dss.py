"""DSS on a tiny float64 problem: what each option does to the string, and what every
record promises (fast enough for every mutant of `numerics._dss`, mutation.toml).

With `train_kwargs={"steps": 0}` a bead is exactly its starting point, so the split rule
(argmax of F on the grid, or the midpoint) can be read off the string.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch

from numerics import (
    GAP_DEFINITIONS,
    DSSConfig,
    Problem,
    ReluNet,
    dss_batched,
    dss_recursive,
    gap_of,
    moons,
    train,
)
from theory.losses import get_loss

F64 = torch.float64
STEPS0 = {"steps": 0}


@pytest.fixture(scope="module")
def case():
    """A float64 problem, two trained endpoints, their level L0 = max F(ends)."""
    problem = Problem.of(ReluNet(3, 4, 1e-2), moons(n_samples=30, seed=1),
                         get_loss("bce_logit"), dtype=F64)
    ends = train(problem, problem.model.init(2, torch.Generator().manual_seed(4), dtype=F64),
                 steps=150, lr=0.05)
    return problem, ends.p[:1], ends.p[1:], float(ends.F.max())


def _grid_F(problem, a, b, grid):
    t = torch.linspace(0, 1, grid, dtype=F64)
    return t, problem.F((1 - t)[:, None] * a + t[:, None] * b)


def _dense_max(problem, a, b, n=400):
    return float(_grid_F(problem, a, b, n)[1].max())


def assert_record(result, problem, *, accept, accept_tol):
    """What every DSSResult promises, checked against F itself."""
    V = result.path.vertices
    assert V.dtype == F64 and result.beads == V.shape[0] >= 2
    assert torch.equal(result.F_beads, problem.F(V))
    assert len(result.reached) == V.shape[0] - 2
    # a bead is reported reached iff its F is at or below bead_fraction·L0 (float64 here)
    for F_bead, reached in zip(result.F_beads[1:-1].tolist(), result.reached, strict=True):
        assert reached == (F_bead <= result.bead_target)
    assert result.bead_target == result.config.bead_target(result.level, result.tol)
    seg = result.certificate.segments
    assert len(seg.status) == V.shape[0] - 1
    for j in range(V.shape[0] - 1):
        dense = _dense_max(problem, V[j], V[j + 1])
        # a certified maximum is above every sample of F on its segment, and the sampled
        # maximum is a value of F on it
        if result.acceptance == "certified" or result.config.certify_path:
            assert float(seg.certified[j]) >= dense - 1e-12
            assert float(seg.certified[j]) - float(seg.sampled[j]) <= result.tol + 1e-12 \
                or seg.status[j] == "budget"
        # a finely refined certificate samples points a fixed dense grid misses
        assert float(seg.sampled[j]) <= max(dense, float(seg.certified[j])) + 1e-12
        assert float(seg.sampled[j]) >= float(max(result.F_beads[j], result.F_beads[j + 1])) - 1e-12
    bound = (accept + accept_tol) * result.level
    if result.acceptance == "certified":
        assert result.connected == bool((seg.certified <= bound).all())
    assert all(v > accept * result.level for v in result.above_threshold)
    assert result.depth_limited == (not result.connected)
    assert result.connected or result.depth == result.config.max_depth
    assert result.all_reached == all(result.reached)
    assert result.barrier == result.certificate.certified_max - float(
        max(result.F_beads[0], result.F_beads[-1]))
    assert result.sampled_barrier == result.certificate.sampled_max - float(
        max(result.F_beads[0], result.F_beads[-1]))
    assert result.normalized_length == result.path.normalized_length() >= 1 - 1e-12
    assert result.gap == gap_of(result, result.gap_definition)
    # the certificate is of this path, and no row is left stopped early ("above")
    assert result.certificate.path is result.path
    assert result.certificate.normalized_length == result.normalized_length
    assert "above" not in seg.status


# ---- the split rule and the bead's start -----------------------------------------------


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_argmax_split_starts_the_bead_at_the_grid_argmax(case, form):
    problem, A, B, level = case
    t, F = _grid_F(problem, A[0], B[0], 7)
    k = int(F.argmax())
    assert 0 < k < 6, "the case needs a bump inside the segment"
    kwargs = {"grid": 7, "max_depth": 1, "train_kwargs": STEPS0}
    result = _run(form, problem, A, B, 0.5 * level, **kwargs)
    expected = problem.model.project((1 - t[k]) * A + t[k] * B)[0]
    torch.testing.assert_close(result.path.vertices[1], expected, rtol=0, atol=1e-15)
    assert result.depth == 1 and result.beads == 3
    assert result.path.vertices[0].equal(A[0].to(F64)) and result.path.vertices[-1].equal(B[0])


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_midpoint_split_starts_the_bead_halfway(case, form):
    problem, A, B, level = case
    result = _run(form, problem, A, B, 0.5 * level, split="midpoint", max_depth=2,
                  train_kwargs=STEPS0)
    mid = problem.model.project(0.5 * A + 0.5 * B)[0]
    torch.testing.assert_close(result.path.vertices[2], mid, rtol=0, atol=1e-15)
    # the second generation splits each half at its midpoint again
    V = result.path.vertices
    assert V.shape[0] == 5 and result.depth == 2 and not result.connected
    for j in (1, 3):
        halfway = problem.model.project(0.5 * V[j - 1:j] + 0.5 * V[j + 1:j + 2])[0]
        torch.testing.assert_close(V[j], halfway, rtol=0, atol=1e-15)
    assert_record(result, problem, accept=1.0, accept_tol=1e-3)


def _run(form, problem, A, B, level, **kwargs):
    if form == "batched":
        (result,) = dss_batched(problem, A, B, torch.tensor([level], dtype=F64), **kwargs)
        return result
    return dss_recursive(problem, A[0], B[0], level, **kwargs)


# ---- acceptance ------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["batched", "recursive"])
@pytest.mark.parametrize("acceptance", ["certified", "grid"])
def test_records_keep_their_promises(case, form, acceptance):
    problem, A, B, level = case
    kwargs = {"max_depth": 3, "bead_fraction": 0.97, "accept": 1.02, "accept_tol": 0.01,
              "tol": 1e-3, "acceptance": acceptance, "train_kwargs": {"steps": 60, "lr": 0.05}}
    result = _run(form, problem, A, B, 1.01 * level, **kwargs)
    assert result.acceptance == acceptance and result.config.acceptance == acceptance
    assert_record(result, problem, accept=1.02, accept_tol=0.01)
    assert result.beads > 2


def test_both_forms_build_the_same_string(case):
    problem, A, B, level = case
    kwargs = {"max_depth": 3, "bead_fraction": 0.97, "tol": 1e-5,
              "train_kwargs": {"steps": 60, "lr": 0.05}}
    batched = _run("batched", problem, A, B, 1.01 * level, **kwargs)
    recursive = _run("recursive", problem, A, B, 1.01 * level, **kwargs)
    assert torch.equal(batched.path.vertices, recursive.path.vertices)
    assert batched.reached == recursive.reached and batched.depth == recursive.depth
    assert batched.connected == recursive.connected


def test_grid_acceptance_compares_grid_samples_with_the_threshold(case):
    problem, A, B, level = case
    # a level between the grid maximum of the final segments and their certified maxima
    # would make the rules differ; here: accepted iff every grid maximum ≤ accept·L0
    (result,) = dss_batched(problem, A, B, torch.tensor([level], dtype=F64), acceptance="grid",
                            grid=5, max_depth=2, certify_path=False, accept=1.05,
                            train_kwargs={"steps": 60, "lr": 0.05})
    seg = result.certificate.segments
    assert set(seg.status) == {"sampled"} and seg.certified.isnan().all()
    V = result.path.vertices
    for j in range(V.shape[0] - 1):
        assert float(seg.sampled[j]) == float(_grid_F(problem, V[j], V[j + 1], 5)[1].max())
        assert int(seg.points[j]) == 5
    assert result.connected == bool((seg.sampled <= 1.05 * level).all())
    assert math.isnan(result.gap) and math.isnan(result.barrier)


def test_a_level_above_the_straight_segment(case):
    problem, A, B, level = case
    high = 2.0 * _dense_max(problem, A[0], B[0])
    # Algorithm 1 still trains one bead, then accepts both halves
    always = _run("batched", problem, A, B, high, train_kwargs=STEPS0)
    assert always.beads == 3 and always.connected and always.depth == 1
    assert always.above_threshold == () and always.gap == 0.0
    # the flag accepts the straight segment as it is
    for form in ("batched", "recursive"):
        straight = _run(form, problem, A, B, high, straight_without_bead=True)
        assert straight.beads == 2 and straight.connected and straight.depth == 0
        assert straight.reached == () and straight.certificate.segments.status[0] in (
            "converged", "exact")
    # with max_depth 0 a low level leaves the straight segment unaccepted
    low = _run("batched", problem, A, B, 0.5 * level, straight_without_bead=True, max_depth=0)
    assert low.beads == 2 and not low.connected and low.depth == 0
    assert low.above_threshold == (float(low.certificate.segments.sampled[0]),) or \
        len(low.above_threshold) == 1


def test_an_unreachable_level_is_depth_limited_and_gaps_are_defined(case):
    problem, A, B, level = case
    kwargs = {"max_depth": 2, "tol": 1e-5, "train_kwargs": {"steps": 20, "lr": 0.05}}
    result = _run("batched", problem, A, B, 0.3 * level, gap_definition="legacy_b26_v1",
                  **kwargs)
    assert not result.connected and not any(result.reached) and result.depth == 2
    assert result.beads == 5 and result.gap_definition == "legacy_b26_v1"
    assert result.gap == max(0.0, min(result.above_threshold) - result.level) > 0
    assert gap_of(result) == gap_of(result, "corrected") == \
        result.certificate.certified_max - result.level
    assert_record(result, problem, accept=1.0, accept_tol=1e-3)
    # every segment judged above the threshold is recorded: one per bead plus the first
    assert len(result.above_threshold) >= 3
    # rows stopped early are completed even when the path is not to be certified
    bare = _run("batched", problem, A, B, 0.3 * level, certify_path=False, **kwargs)
    assert_record(bare, problem, accept=1.0, accept_tol=1e-3)


# ---- gap_of on hand-made records -------------------------------------------------------


def _record(case, **fields):
    problem, A, B, level = case
    result = _run("batched", problem, A, B, level, max_depth=1, train_kwargs=STEPS0)
    return dataclasses.replace(result, **fields)


def test_gap_definitions_on_hand_made_records(case):
    base = _record(case)
    cmax = base.certificate.certified_max
    assert gap_of(dataclasses.replace(base, level=cmax - 0.25)) == pytest.approx(0.25)
    assert gap_of(dataclasses.replace(base, level=cmax + 0.25)) == 0.0
    legacy = dataclasses.replace(base, connected=False, above_threshold=(3.0, 2.0, 2.5),
                                 level=1.5)
    assert gap_of(legacy, "legacy_b26_v1") == 0.5
    assert gap_of(dataclasses.replace(legacy, level=2.5), "legacy_b26_v1") == 0.0
    assert gap_of(dataclasses.replace(legacy, connected=True), "legacy_b26_v1") == 0.0
    with pytest.raises(ValueError, match=r"^gap_definition must be one of \('corrected', "
                       r"'legacy_b26_v1'\), got 'x'$"):
        gap_of(base, "x")
    assert GAP_DEFINITIONS == ("corrected", "legacy_b26_v1")


# ---- the configuration -----------------------------------------------------------------


def test_documented_defaults():
    cfg = DSSConfig()
    assert dataclasses.asdict(cfg) == {
        "split": "argmax", "bead_fraction": 1.0, "bead_margin": 0.0, "stop_unreached": False,
        "accept": 1.0, "accept_tol": 1e-3, "grid": 9, "max_depth": 10, "tol": None,
        "tol_ratio": 0.1, "max_points": 4096,
        "acceptance": "certified", "certify_path": True, "straight_without_bead": False,
        "gap_definition": "corrected", "train_kwargs": {}}


@pytest.mark.parametrize(("options", "message"), [
    ({"split": "golden"}, r"^split must be one of \('argmax', 'midpoint'\), got 'golden'$"),
    ({"acceptance": "x"}, r"^acceptance must be one of \('certified', 'grid'\), got 'x'$"),
    ({"gap_definition": "y"}, r"^gap_definition must be one of \('corrected', "
                              r"'legacy_b26_v1'\), got 'y'$"),
    ({"bead_fraction": 0.0}, r"^bead_fraction must be a positive finite number, got 0.0$"),
    ({"accept": -1.0}, r"^accept must be a positive finite number, got -1.0$"),
    ({"accept_tol": -1e-3}, r"^accept_tol must be a nonnegative finite number"),
    ({"tol": 0.0}, r"^tol must be a positive finite number, got 0.0$"),
    ({"grid": 1}, r"^need grid ≥ 2 and max_points ≥ grid, got grid=1, max_points=4096$"),
    ({"grid": 30, "max_points": 29}, r"^need grid ≥ 2 and max_points ≥ grid, got grid=30, "
                                     r"max_points=29$"),
    ({"max_depth": 0}, r"^max_depth must be ≥ 1 \(Algorithm 1 trains at least one bead; 0 "
                       r"needs straight_without_bead=True\), got 0$"),
    ({"max_depth": -1, "straight_without_bead": True}, r"^max_depth must be ≥ 1"),
    ({"train_kwargs": {"target": 0.1}}, r"^train_kwargs must not set 'target'; DSS sets "
                                        r"bead_fraction·level$"),
])
def test_bad_options_are_refused_by_name(options, message):
    with pytest.raises(ValueError, match=message):
        DSSConfig(**options)


def test_boundary_options_are_accepted():
    DSSConfig(accept_tol=0.0, grid=2, max_points=2)
    DSSConfig(max_depth=0, straight_without_bead=True)
    DSSConfig(max_depth=1, train_kwargs={"steps": 3})


def test_options_replace_fields_and_train_kwargs_are_copied():
    kwargs = {"steps": 3}
    cfg = DSSConfig(train_kwargs=kwargs)
    kwargs["steps"] = 4
    assert cfg.train_kwargs == {"steps": 3}
    assert cfg.with_options(max_depth=2) == dataclasses.replace(cfg, max_depth=2)
    assert cfg.with_options() == cfg
    with pytest.raises(ValueError, match=r"^unknown DSS option\(s\) \['depth'\]; known: "
                       r"\['split', 'bead_fraction'"):
        cfg.with_options(depth=2, max_depth=3)


def test_the_config_argument_and_keyword_options(case):
    problem, A, B, level = case
    cfg = DSSConfig(max_depth=1, train_kwargs=STEPS0)
    (result,) = dss_batched(problem, A, B, torch.tensor([level], dtype=F64), cfg, grid=5)
    assert result.config == cfg.with_options(grid=5)
    assert _run("recursive", problem, A, B, level, max_depth=1, train_kwargs=STEPS0).config == cfg
    with pytest.raises(ValueError, match=r"^config must be a DSSConfig, got dict$"):
        dss_batched(problem, A, B, torch.tensor([level], dtype=F64), {"max_depth": 1})


def test_bad_endpoints_and_levels_are_refused_by_name(case):
    problem, A, B, level = case
    L = torch.tensor([level], dtype=F64)
    P = problem.model.n_params
    with pytest.raises(ValueError,
                       match=rf"^pairs_A has shape \(1, {P + 1}\), expected \(\*, {P}\)$"):
        dss_batched(problem, torch.cat([A, A[:, :1]], 1), B, L)
    with pytest.raises(ValueError,
                       match=rf"^pairs_B has shape \(2, {P}\), expected \(1, {P}\)$"):
        dss_batched(problem, A, torch.cat([B, B]), L)
    with pytest.raises(ValueError, match=r"^levels has shape \(2,\), expected \(1,?\)$"):
        dss_batched(problem, A, B, torch.cat([L, L]))
    for name, args in (("pairs_A", (A * math.nan, B, L)), ("pairs_B", (A, B * math.inf, L)),
                       ("levels", (A, B, L * math.nan))):
        with pytest.raises(ValueError, match=rf"^{name} contains"):
            dss_batched(problem, *args)


def test_levels_are_kept_in_float64(case):
    problem, A, B, level = case
    odd = level * (1 + 1e-12)  # not a float32 number
    result = _run("batched", problem, A, B, odd, max_depth=1, train_kwargs=STEPS0)
    assert result.level == odd
    (from_list,) = dss_batched(problem, A, B, [odd], max_depth=1, train_kwargs=STEPS0)
    assert from_list.level == odd


# ---- acceptance at its boundary, and what each rule records ----------------------------


def _straight(form, problem, A, B, level, **kwargs):
    return _run(form, problem, A, B, level, straight_without_bead=True, max_depth=0,
                **kwargs)


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_certified_acceptance_is_certified_max_at_most_the_bound(case, form):
    """accept = 1, accept_tol = 10⁻³: the straight segment is accepted iff its certified
    maximum ≤ (1 + 10⁻³)·L0, judged in float64 (the level is not rounded to float32)."""
    from numerics import certified_segment_max

    problem, A, B, _ = case
    opts = {"accept": 1.0, "accept_tol": 1e-3, "tol": 1e-5, "grid": 5, "max_points": 64}
    c = float(certified_segment_max(problem, A, B, 1e-5, grid=5, max_points=64).certified[0])
    assert _straight(form, problem, A, B, c / 1.001 * (1 + 1e-12), **opts).connected
    below = c / 1.001 * (1 - 1e-12)
    low = _straight(form, problem, A, B, below, **opts)
    assert not low.connected and len(low.above_threshold) == 1


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_grid_acceptance_is_grid_max_at_most_the_threshold(case, form):
    problem, A, B, _ = case
    opts = {"acceptance": "grid", "grid": 5, "certify_path": False, "accept_tol": 0.5}
    s = float(_grid_F(problem, A[0], B[0], 5)[1].max())
    at = _straight(form, problem, A, B, s, **opts)
    assert at.connected and at.certificate.segments.status == ("sampled",)
    below = float(torch.nextafter(torch.tensor(s, dtype=F64), torch.tensor(0.0, dtype=F64)))
    low = _straight(form, problem, A, B, below, **opts)
    assert not low.connected and low.above_threshold == (s,)


def test_grid_rows_sample_the_segment_itself(case):
    problem, A, B, level = case
    for a, b in ((A, B), (B, A)):
        (r,) = dss_batched(problem, a, b, torch.tensor([level], dtype=F64), acceptance="grid",
                           grid=5, certify_path=False, straight_without_bead=True, max_depth=0)
        seg = r.certificate.segments
        assert float(seg.sampled[0]) == float(_grid_F(problem, a[0], b[0], 5)[1].max())
        t = float(seg.argmax_t[0])
        assert t in (0.0, 0.25, 0.5, 0.75, 1.0)
        assert float(seg.sampled[0]) == float(problem.F((1 - t) * a + t * b)[0])


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_ends_only_grid_still_judges_by_the_certificate(case, form):
    """grid = 2 samples only the ends, which lie below L0: only the certificate can see a
    bump between them, and every segment it rejects is recorded."""
    problem, A, B, level = case
    result = _run(form, problem, A, B, level, grid=2, split="midpoint", max_depth=1,
                  train_kwargs=STEPS0)
    assert_record(result, problem, accept=1.0, accept_tol=1e-3)
    seg = result.certificate.segments
    rejected = int((seg.certified > (1.0 + 1e-3) * level).sum())
    assert rejected >= 1, "the case needs a bump between grid points"
    assert not result.connected and len(result.above_threshold) == rejected
    assert result.acceptance == "certified"


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_certificates_use_the_configured_grid_and_budget(case, form):
    problem, A, B, level = case
    result = _run(form, problem, A, B, level, grid=3, max_points=3, max_depth=2,
                  train_kwargs={"steps": 10, "lr": 0.05})
    seg = result.certificate.segments
    assert bool((seg.points == 3).all())
    assert set(seg.status) <= {"converged", "budget", "exact"}


def test_the_straight_segment_before_the_first_bead_is_recorded_only_above(case):
    problem, A, B, level = case
    s = float(_grid_F(problem, A[0], B[0], 9)[1].max())
    low = _run("batched", problem, A, B, 0.5 * level, max_depth=1, train_kwargs=STEPS0)
    assert low.above_threshold[0] == s  # grid maximum of A → B, above 0.5·L0
    at = _run("batched", problem, A, B, s, max_depth=1, train_kwargs=STEPS0,
              acceptance="grid", certify_path=False)
    assert s not in at.above_threshold  # at τ exactly: not above


def test_float32_problems_report_float64_maxima(case):
    problem, A, B, level = case
    p32 = problem.with_dtype(torch.float32)
    (r,) = dss_batched(p32, A.float(), B.float(), torch.tensor([level], dtype=F64),
                       acceptance="grid", certify_path=False, max_depth=1, train_kwargs=STEPS0)
    seg = r.certificate.segments
    assert seg.sampled.dtype == F64 and r.path.vertices.dtype == F64
    assert r.F_beads.dtype == F64 and r.beads == 3


def test_models_without_a_certificate_report_unavailable(torch_gen):
    from numerics import FlatModel

    model = FlatModel(3, lambda p, X: (p @ X.T) ** 2)
    X = torch.randn(12, 3, generator=torch_gen, dtype=F64)
    problem = Problem(model, X, X[:, 0] ** 2, get_loss("half_squared"))
    A, B = torch.randn(2, 1, 3, generator=torch_gen, dtype=F64)
    level = float(torch.maximum(problem.F(A), problem.F(B))[0])
    for form in ("batched", "recursive"):
        r = _run(form, problem, A, B, 0.5 * level, max_depth=1, train_kwargs=STEPS0)
        assert r.acceptance == "grid" and r.certificate.segments.status == (
            ("unavailable",) * (r.beads - 1))
        assert r.segment_certified.isnan().all()


def test_the_recursive_form_takes_its_config_and_a_float64_level(case):
    problem, A, B, level = case
    cfg = DSSConfig(max_depth=1, grid=5, train_kwargs=STEPS0)
    assert dss_recursive(problem, A[0], B[0], level, cfg).config == cfg
    odd = level * (1 + 1e-12)
    assert dss_recursive(problem, A[0], B[0], odd, cfg).level == odd


# ---- survivors of the mutation run (docs/mutation.md) ----------------------------------


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_certified_acceptance_sees_a_bump_between_bead_ends(case, form):
    """Midpoint beads that stay where they start (t = 0, ¼, ½, ¾, 1) and a level at the
    largest of F at those points: every segment's ends lie below τ, yet F peaks near
    t = 0.35, above τ + accept_tol·L0, so only a certificate rejects [¼, ½], in both forms."""
    problem, A, B, _ = case
    t = torch.tensor([0.0, 0.25, 0.5, 0.75, 1.0], dtype=F64)
    level = float(problem.F((1 - t)[:, None] * A + t[:, None] * B).max())
    assert _dense_max(problem, A[0], B[0]) > (1.0 + 1e-3) * level, "the case needs a bump"
    result = _run(form, problem, A, B, level, grid=2, split="midpoint", max_depth=2,
                  train_kwargs=STEPS0)
    assert_record(result, problem, accept=1.0, accept_tol=1e-3)
    assert result.acceptance == "certified" and not result.connected
    assert result.depth == 2 and result.above_threshold
    # grid acceptance on the same string accepts those segments
    grid = _run(form, problem, A, B, level, grid=2, split="midpoint", max_depth=2,
                train_kwargs=STEPS0, acceptance="grid")
    assert grid.acceptance == "grid" and grid.connected


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_a_model_without_a_certificate_is_judged_on_its_grid(torch_gen, form):
    from numerics import FlatModel

    model = FlatModel(3, lambda p, X: (p @ X.T) ** 2)
    X = torch.randn(12, 3, generator=torch_gen, dtype=F64)
    problem = Problem(model, X, X[:, 0] ** 2, get_loss("half_squared"))
    A, B = torch.randn(2, 1, 3, generator=torch_gen, dtype=F64)
    high = 2 * _dense_max(problem, A[0], B[0])
    r = _run(form, problem, A, B, high, max_depth=1, train_kwargs=STEPS0)
    assert r.acceptance == "grid" and r.connected


@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_grid_accepted_rows_are_certified_at_the_end_with_the_configured_budget(case, form):
    """`certify_path` certifies the grid-accepted ("sampled") rows once the string is done,
    with the configured grid and point budget (a tiny tolerance spends the budget)."""
    problem, A, B, level = case
    result = _run(form, problem, A, B, 1.01 * level, acceptance="grid", certify_path=True,
                  grid=3, max_points=3, tol=1e-12, max_depth=1, train_kwargs=STEPS0)
    seg = result.certificate.segments
    assert bool((seg.points == 3).all()) and set(seg.status) == {"budget"}
    assert not seg.certified.isnan().any()


@pytest.mark.parametrize("certify_path", [True, False])
@pytest.mark.parametrize("form", ["batched", "recursive"])
def test_a_straight_segment_stopped_above_is_certified_at_the_end(case, form, certify_path):
    """max_depth = 0: the straight segment, judged under certified acceptance, stops refining
    once above the bound ("above"); no bead follows, so the record's certificate is
    completed to the tolerance at the end."""
    problem, A, B, level = case
    result = _straight(form, problem, A, B, 0.9 * level, certify_path=certify_path, tol=1e-4)
    seg = result.certificate.segments
    assert seg.status in (("converged",), ("budget",))
    assert float(seg.certified[0] - seg.sampled[0]) <= 1e-4
    assert not result.connected and len(result.above_threshold) == 1
