"""The bench's smoke run: it runs end to end and its JSON is complete (no timing checks)."""

from __future__ import annotations

import json
import math

from experiments.bench import KEYS, TARGETS, run_bench


def test_bench_smoke_run_writes_every_key(tmp_path):
    record = run_bench(tmp_path, repeats=1, quick=True)
    on_disk = json.loads((tmp_path / "bench.json").read_text())
    for key in KEYS:
        assert key in on_disk and isinstance(on_disk[key], float)
        assert math.isfinite(on_disk[key]) or key in (
            "certify_points_m200", "teacher_huber_cpu_s_per_certified_pair")
    # no certified pair: infinitely many seconds per certified pair, never a number
    if on_disk["teacher_huber_certified_fraction"] == 0:
        assert on_disk["teacher_huber_cpu_s_per_certified_pair"] == math.inf
    assert set(on_disk["targets"]) == set(TARGETS)
    assert on_disk["seed_table_method"] == "extrapolated"
    text = (tmp_path / "bench.md").read_text()
    assert "2·N·m·(2n + 3)" in text
    assert all(key in text for key in TARGETS)
    assert record["config"]["quick"] is True
