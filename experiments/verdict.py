"""What a set of pair records says about width (docs/barrier-protocol.md, "Statistics").

[B26] bounds a supremum over pairs of an infimum over paths, and our numbers are upper
bounds 𝔟̄ of each pair's barrier. So the summaries are of 𝔟̄ per width, over the
*conclusive* pairs (status ≠ inconclusive; the count of the others is always shown):

- the mean and the 90 % quantile q₀.₉ of 𝔟̄, each with a percentile bootstrap CI
  (pairs resampled), and the max;
- the fraction of pairs whose 𝔟̄ exceeds the resolution r (what DSS can resolve);
- wide against narrow: one-sided Fisher exact test of "fewer pairs above r at the wide
  width", and one-sided Mann–Whitney of "(𝔟̄ − r)₊ smaller at the wide width" (bounds
  within the resolution are tied: DSS cannot tell them apart).

A verdict only ever speaks of the upper bound: "the upper bound is smaller at width M",
never "the barrier is larger" (an upper bound cannot show that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.stats

from experiments import stats

ALPHA = 0.05  # the level of the one-sided tests behind a verdict
QUANTILE = 0.9


def _q90(x: np.ndarray) -> float:
    return float(np.quantile(x, QUANTILE))


@dataclass(frozen=True)
class WidthSummary:
    """𝔟̄ at one width: `pairs` records, `inconclusive` of them left out, and over the
    `conclusive` rest: mean and q₀.₉ with CIs, max, and `above` pairs with 𝔟̄ > r."""

    width: int
    pairs: int
    inconclusive: int
    conclusive: int
    mean: float
    mean_ci: tuple[float, float]
    q90: float
    q90_ci: tuple[float, float]
    max: float
    above: int

    @property
    def fraction_above(self) -> float:
        return self.above / self.conclusive if self.conclusive else float("nan")

    def row(self) -> dict[str, object]:
        def ci(lo_hi: tuple[float, float]) -> str:
            return "—" if np.isnan(lo_hi[0]) else f"[{lo_hi[0]:.3g}, {lo_hi[1]:.3g}]"

        return {"width": self.width, "pairs": self.pairs, "inconclusive": self.inconclusive,
                "mean bound": self.mean, "mean CI": ci(self.mean_ci), "q90 bound": self.q90,
                "q90 CI": ci(self.q90_ci), "max bound": self.max,
                "above r": f"{self.above}/{self.conclusive}"}


def summarize(width: int, records: Sequence[dict], *, resamples: int, seed: int,
              key: str = "protocol_barrier_upper") -> WidthSummary:
    """The summary of one width's pair records (each with `key`, `protocol_status` and
    `protocol_resolution`)."""
    kept = [r for r in records if r["protocol_status"] != "inconclusive"]
    x = np.array([r[key] for r in kept], dtype=np.float64)
    r = np.array([r["protocol_resolution"] for r in kept], dtype=np.float64)
    nan2 = (float("nan"), float("nan"))
    if x.size == 0:
        return WidthSummary(width, len(records), len(records), 0, float("nan"), nan2,
                            float("nan"), nan2, float("nan"), 0)
    mean = stats.bootstrap_ci(x, np.mean, n_resamples=resamples, rng=seed)
    q90 = stats.bootstrap_ci(x, _q90, n_resamples=resamples, rng=seed + 1)
    return WidthSummary(width, len(records), len(records) - len(kept), len(kept),
                        mean.estimate, (mean.low, mean.high), q90.estimate,
                        (q90.low, q90.high), float(x.max()), int((x > r).sum()))


@dataclass(frozen=True)
class Comparison:
    """Wide against narrow: the one-sided p-values and the verdict in words."""

    fisher_p: float
    mann_whitney_p: float
    mann_whitney_greater_p: float
    verdict: str


def compare(wide: WidthSummary, narrow: WidthSummary, wide_bounds: np.ndarray,
            narrow_bounds: np.ndarray) -> Comparison:
    """The verdict on "the upper bound is smaller at the wide width" (module docstring).

    Inconclusive when either width has fewer than half of its pairs conclusive; "no width
    effect resolved" when no pair at either width is above r; otherwise "smaller"/"larger"
    when the one-sided Mann–Whitney test of (𝔟̄ − r)₊ in that direction has p < ALPHA,
    else "no width effect resolved"."""
    nan = float("nan")
    if min(wide.conclusive * 2 - wide.pairs, narrow.conclusive * 2 - narrow.pairs) < 0:
        return Comparison(nan, nan, nan, "inconclusive (beads that did not reach λ)")
    if wide.above == narrow.above == 0:
        return Comparison(1.0, nan, nan, "no width effect resolved (every bound ≤ r)")
    table = [[wide.above, wide.conclusive - wide.above],
             [narrow.above, narrow.conclusive - narrow.above]]
    fisher = float(scipy.stats.fisher_exact(table, alternative="less").pvalue)
    less = stats.mann_whitney(wide_bounds, narrow_bounds, alternative="less").p
    greater = stats.mann_whitney(wide_bounds, narrow_bounds, alternative="greater").p
    if less < ALPHA:
        verdict = f"upper bound smaller at width {wide.width}"
    elif greater < ALPHA:
        verdict = f"upper bound larger at width {wide.width}"
    else:
        verdict = "no width effect resolved"
    return Comparison(fisher, less, greater, verdict)


def bounds(records: Sequence[dict], key: str = "protocol_barrier_upper") -> np.ndarray:
    """(𝔟̄ − r)₊ of the conclusive records: what the bound says beyond the resolution. A
    bound ≤ r is written "≤ r", so all of them are tied at 0 here; comparing the values
    below r would compare the protocol's residue, not the landscape."""
    return np.array([max(0.0, r[key] - r["protocol_resolution"]) for r in records
                     if r["protocol_status"] != "inconclusive"], dtype=np.float64)


def conclusion(verdicts: dict[str, str], baseline: str = "baseline") -> str:
    """One sentence on whether the baseline's verdict survives every setting, naming the
    settings it hinges on otherwise."""
    base = verdicts[baseline]
    differ = {k: v for k, v in verdicts.items() if v != base}
    if not differ:
        return (f"The verdict — {base} — holds under every setting of the grid "
                f"({len(verdicts)} settings).")
    hinges = "; ".join(f"{k}: {v}" for k, v in differ.items())
    return (f"The baseline verdict — {base} — does not survive the grid; it hinges on "
            f"{', '.join(differ)} ({hinges}).")
