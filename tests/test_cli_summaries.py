"""What a command prints about its records agrees with the records it wrote.

A summary is read by people who never open the CSV: each number it prints is recomputed
here from the records, under the name the summary gives it (a max printed as the min was
one of the wrong edits the suite used to miss, docs/mutation.md).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re

import pytest

from experiments.cli import main as cli_main

GAP = ["gap", "--dataset", "blobs", "--width", "4", "--pairs", "3", "--loss", "bce_logit",
       "--kappa", "1e-2", "--steps", "40", "--draws", "4", "--refit-steps", "5",
       "--tol", "0.05"]
NUMBER = r"(-?[0-9.]+(?:e[-+]?[0-9]+)?|nan|inf)"


@pytest.fixture(scope="module")
def gap_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("gap") / "run"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert cli_main([*GAP, "--out", str(out)]) == 0
    with open(out / "pairs.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return buffer.getvalue(), rows


def _printed(text: str, pattern: str) -> tuple[float, ...]:
    match = re.search(pattern.replace("{n}", NUMBER), text)
    assert match, f"the summary has no line matching {pattern!r}:\n{text}"
    return tuple(float(g) for g in match.groups())


def _column(rows: list[dict], name: str) -> list[float]:
    return [float(r[name]) for r in rows]


def _same(printed: float, value: float) -> bool:
    # the summary prints 4 significant digits
    return printed == pytest.approx(value, rel=1e-3, abs=1e-12)


def test_gap_summary_matches_its_records(gap_run):
    text, rows = gap_run
    n = len(rows)
    assert n == 3
    (pairs, connected, total) = _printed(text, r"pairs: {n}\s+DSS connected: {n}/{n}")
    assert (pairs, total) == (n, n)
    truthy = {"true", "1", "True"}
    assert connected == sum(r["dss_connected"] in truthy for r in rows)
    converged, total = _printed(text, r"certificates converged: {n}/{n}")
    assert total == n
    assert converged == sum(r["dss_certificates_converged"] in truthy for r in rows)

    upper = _column(rows, "barrier_upper")
    mean, hi, lo = _printed(text, r"barrier upper bound: mean {n}, max {n}, min {n}")
    assert _same(mean, sum(upper) / n)
    assert _same(hi, max(upper))
    assert _same(lo, min(upper))

    constructive = [c - lv for c, lv in zip(_column(rows, "constructive_max"),
                                            _column(rows, "level"), strict=True)]
    (c_max,) = _printed(text, r"constructive barrier \(max − level\): max {n}")
    assert _same(c_max, max(constructive))

    slack = [t - lv for t, lv in zip(_column(rows, "theorem_bound"), _column(rows, "level"),
                                     strict=True)]
    (s_min,) = _printed(text, r"theorem bound − level: min {n}")
    assert _same(s_min, min(slack))

    nonneg, n1, below, n2 = _printed(
        text, r"barrier_upper ≥ 0 for {n}/{n}, constructive_max ≤ theorem_bound for {n}/{n}")
    assert (n1, n2) == (n, n)
    assert nonneg == sum(u >= 0 for u in upper)
    assert below == sum(c <= t for c, t in zip(_column(rows, "constructive_max"),
                                               _column(rows, "theorem_bound"), strict=True))


def test_gap_summary_distinguishes_its_extremes():
    """On records whose mean, max and min all differ, each lands under its own name."""
    from experiments._cli_gap import summary

    rows = [{"barrier_upper": u, "dss_connected": c, "dss_certificates_converged": v,
             "constructive_max": cm, "level": lv, "theorem_bound": tb, "status": st,
             "attained_by": by, "resolution": 1e-3, "barrier_upper_relabeled": u}
            for u, c, v, cm, lv, tb, st, by in [
                (0.5, True, True, 1.5, 1.0, 2.0, "bounded", "dss"),
                (-0.25, False, False, 1.25, 1.0, 1.2, "connected", "dss"),
                (2.0, True, False, 3.0, 2.0, 5.0, "inconclusive", "constructive")]]
    text = summary(rows)
    assert "pairs: 3   DSS connected: 2/3   certificates converged: 1/3" in text
    assert "status: connected 1, bounded 1, inconclusive 1" in text
    assert "attained by dss 2, constructive 1" in text
    assert "barrier upper bound: mean 0.75, max 2, min -0.25" in text
    assert "constructive barrier (max − level): max 1" in text
    assert "theorem bound − level: min 0.2" in text
    assert "barrier_upper ≥ 0 for 2/3, constructive_max ≤ theorem_bound for 2/3" in text
