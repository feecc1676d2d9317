"""experiments/verdict.py: the width verdict finds a planted effect, and only in upper-bound
terms; bounds within the resolution are ties; inconclusive pairs are counted, not used."""

from __future__ import annotations

import numpy as np
import pytest

from experiments import verdict


def _records(bounds, r=1e-4, inconclusive=0):
    rows = [{"protocol_barrier_upper": float(b), "protocol_status": "bounded" if b > r
             else "connected", "protocol_resolution": r} for b in bounds]
    rows += [{"protocol_barrier_upper": 5.0, "protocol_status": "inconclusive",
              "protocol_resolution": r}] * inconclusive
    return rows


def _verdict(wide, narrow):
    sw = verdict.summarize(200, wide, resamples=200, seed=1)
    sn = verdict.summarize(20, narrow, resamples=200, seed=2)
    return verdict.compare(sw, sn, verdict.bounds(wide), verdict.bounds(narrow))


def test_a_planted_width_effect_is_found_in_both_directions():
    rng = np.random.default_rng(0)
    small = _records(rng.uniform(0, 2e-4, 40))
    large = _records(rng.uniform(1e-3, 1e-2, 40))
    assert _verdict(small, large).verdict == "upper bound smaller at width 200"
    assert _verdict(large, small).verdict == "upper bound larger at width 200"


def test_the_same_distribution_resolves_no_effect():
    rng = np.random.default_rng(1)
    assert _verdict(_records(rng.uniform(1e-3, 1e-2, 40)),
                    _records(rng.uniform(1e-3, 1e-2, 40))).verdict == "no width effect resolved"


def test_bounds_within_the_resolution_are_ties():
    # every bound ≤ r: however different their values, DSS cannot tell them apart
    wide = _records(np.full(30, 1e-7))
    narrow = _records(np.linspace(5e-5, 1e-4, 30))
    assert _verdict(wide, narrow).verdict == "no width effect resolved (every bound ≤ r)"


def test_inconclusive_pairs_are_counted_and_left_out():
    wide = _records(np.full(10, 1e-3), inconclusive=11)
    s = verdict.summarize(200, wide, resamples=100, seed=0)
    assert (s.pairs, s.inconclusive, s.conclusive, s.max) == (21, 11, 10, 1e-3)
    assert _verdict(wide, _records(np.full(21, 2e-3))).verdict.startswith("inconclusive")


@pytest.mark.parametrize(("verdicts", "expected"), [
    ({"baseline": "a", "x": "a"}, "holds under every setting"),
    ({"baseline": "a", "x": "b"}, "hinges on x"),
])
def test_conclusion_names_what_the_verdict_hinges_on(verdicts, expected):
    assert expected in verdict.conclusion(verdicts)


def test_each_sensitivity_setting_changes_one_field():
    import dataclasses

    from experiments import sensitivity
    from experiments.configs import SeedTableConfig

    base = SeedTableConfig()
    for name in sensitivity.GRID:
        varied = sensitivity.variant(base, name, bead_steps="corrected_bead_steps",
                                     fixed_level=0.3)
        changed = {f.name for f in dataclasses.fields(base)
                   if getattr(base, f.name) != getattr(varied, f.name)}
        assert changed and changed <= {"bead_fraction", "tol_ratio", "corrected_bead_steps",
                                       "max_depth", "level_rule", "level"}, name
    assert sensitivity.variant(base, "bead-steps-1/5", bead_steps="corrected_bead_steps"
                               ).corrected_bead_steps == 150  # the published budget
    with pytest.raises(ValueError, match="unknown sensitivity setting"):
        sensitivity.variant(base, "depth-99", bead_steps="corrected_bead_steps")
