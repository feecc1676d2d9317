"""The barrier protocol (docs/barrier-protocol.md): one pair's barrier, its status and cause.

For a pair (A, B) at level λ the barrier is 𝔟(A, B) = inf over paths γ from A to B of
max_t F(γ(t)) − λ. Every path family gives a certified upper bound:

- (a) `dss`: the DSS string (certified maximum of its segments);
- (b) `constructive`: the proof's own path (`ll:zero-radius`; exact vertex maximum);
- (c) `aligned`: the straight segment A → π(B), where π relabels B's hidden units to match
  A's (one assignment problem). π(B) has the same F as B but is another point: this family
  bounds the barrier *up to relabeling* of units and is reported beside the others, never
  mixed into `barrier_upper`.

`barrier_upper` = (min over (a), (b) of the certified maximum − λ)₊; `barrier_upper_relabeled`
also takes (c). The resolution r = s + τ (slack s = accept_slack·λ, certificate tolerance τ)
is what DSS can resolve: a bound ≤ r is written "≤ r". Status of the pair:

- `connected`: barrier_upper ≤ r;
- `inconclusive`: a DSS bead did not reach λ (its string was stopped): says nothing of
  the landscape;
- `unconverged`: a DSS certificate ran out of points before its tolerance;
- `bounded`: the DSS string's top segment has a *sampled* value above λ + s after the depth
  limit: a bump seen along the string, bounded above by barrier_upper;
- `depth-limited`: the depth limit was hit though no sample exceeds λ + s (the rejection
  came from certificate slack).

The cause decomposes the DSS excess (certified max − λ) at its top segment j* into
`bead_excess` = (max F at the ends of j* − λ)₊, `sampled_bump` = (sampled max − max(λ, ends))₊
and `certificate_slack` = certified − sampled.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from experiments.configs import Protocol
from numerics import MAX_POINTS, DSSConfig, DSSResult, certified_segment_max
from theory.errors import InvalidArgumentError

FAMILIES = ("dss", "constructive", "aligned")
STATUSES = ("connected", "bounded", "inconclusive", "depth-limited", "unconverged")
# the columns of a pair's protocol record (`assess`), in order
KEYS = ("level", "resolution", "tol", "dss_max", "constructive_max", "aligned_max",
        "barrier_upper", "attained_by", "barrier_upper_relabeled", "status", "bead_excess",
        "sampled_bump", "certificate_slack", "beads_reached", "dss_stopped")


def pair_level(F_A: torch.Tensor, F_B: torch.Tensor) -> torch.Tensor:
    """The pair level λ = max{F(A), F(B)} per pair (float64): the lowest level whose
    sublevel set holds both endpoints."""
    return torch.maximum(F_A, F_B).double()


def levels_of(protocol: Protocol, F_A: torch.Tensor, F_B: torch.Tensor,
              e_hat: float | None = None) -> torch.Tensor:
    """λ per pair under the protocol's level rule: the pair level max{F(A), F(B)}, the
    fixed λ, or the moving level ê(m) + Δ (ê(m): the best trained width-m endpoint)."""
    if protocol.level_rule == "fixed" and protocol.level is not None:
        return torch.full_like(F_A, protocol.level, dtype=torch.float64)
    if protocol.level_rule == "moving" and protocol.level_offset is not None:
        if e_hat is None:
            raise InvalidArgumentError("the moving level rule needs ê(m), the best endpoint")
        return torch.full_like(F_A, e_hat + protocol.level_offset, dtype=torch.float64)
    return pair_level(F_A, F_B)


def dss_options(protocol: Any, *, max_depth: int, grid: int, train_kwargs: dict[str, Any],
                max_points: int = MAX_POINTS, **extra: Any) -> DSSConfig:
    """The DSS settings of the protocol: certified acceptance at λ + s, τ = tol_ratio·s per
    string, beads trained toward min(bead_fraction·λ, λ − bead_margin·τ), strings with an
    unreached bead stopped. `protocol` is an `experiments.configs.Protocol`."""
    return DSSConfig(accept=1.0, accept_tol=protocol.accept_slack, tol=None,
                     tol_ratio=protocol.tol_ratio, bead_fraction=protocol.bead_fraction,
                     bead_margin=protocol.bead_margin, stop_unreached=protocol.stop_unreached,
                     max_depth=max_depth, grid=grid, max_points=max_points,
                     train_kwargs=train_kwargs, **extra)


def aligned(model: Any, A: torch.Tensor, B: torch.Tensor) -> torch.Tensor:
    """π(B) for each pair: B's hidden units relabeled to match A's, π minimizing
    Σ_i ‖u_A,i − u_B,π(i)‖² over the units' parameter rows u (incoming weights, bias and
    outgoing weight): one `scipy.optimize.linear_sum_assignment` per pair. Shapes `(K, P)`.
    """
    from scipy.optimize import linear_sum_assignment

    parts_A, parts_B = model.split(A), model.split(B)
    m = parts_A[0].shape[-2]
    # per-unit rows: every split tensor whose unit axis has length m
    def rows(parts: tuple[torch.Tensor, ...]) -> torch.Tensor:
        cols = [t if t.dim() == 3 else t[..., None] for t in parts
                if t.dim() >= 2 and t.shape[1] == m]
        return torch.cat(cols, dim=-1)

    RA, RB = rows(parts_A).double(), rows(parts_B).double()
    out = []
    for k in range(A.shape[0]):
        cost = torch.cdist(RA[k], RB[k]).pow(2).cpu().numpy()
        _, perm = linear_sum_assignment(cost)
        index = torch.as_tensor(perm, device=A.device)
        parts = [t[k][index] if t.dim() >= 2 and t.shape[1] == m else t[k]
                 for t in parts_B]
        out.append(model.join(*parts))
    return torch.stack(out)


def aligned_max(problem: Any, A: torch.Tensor, B: torch.Tensor, tol: float, *, grid: int,
                max_points: int = MAX_POINTS) -> tuple[torch.Tensor, torch.Tensor]:
    """Certified maximum of F on A → π(B) per pair (float64) and whether it converged."""
    Bp = aligned(problem.model, A, B)
    rows = certified_segment_max(problem, A, Bp, tol, grid=grid, max_points=max_points)
    return rows.certified, rows.converged


def cause(dss: DSSResult) -> dict[str, float]:
    """The DSS excess at its top segment j*: bead excess + sampled bump + certificate slack."""
    seg = dss.certificate.segments
    certified = seg.certified
    if not bool(torch.isfinite(certified).all()):
        return {"bead_excess": math.nan, "sampled_bump": math.nan,
                "certificate_slack": math.nan}
    j = int(torch.argmax(certified))
    ends = float(torch.maximum(dss.F_beads[j], dss.F_beads[j + 1]))
    sampled = float(seg.sampled[j])
    return {"bead_excess": max(0.0, ends - dss.level),
            "sampled_bump": max(0.0, sampled - max(dss.level, ends)),
            "certificate_slack": float(certified[j]) - sampled}


def status(dss: DSSResult, barrier_upper: float, resolution: float) -> str:
    """The pair's status (module docstring)."""
    if barrier_upper <= resolution:
        return "connected"
    if dss.stopped:
        return "inconclusive"
    if not bool(dss.certificate.segments.converged.all()):
        return "unconverged"
    slack = dss.config.slack(dss.level)
    if float(dss.certificate.segments.sampled.max()) > dss.level + slack:
        return "bounded"
    return "depth-limited"


def assess(dss: DSSResult, *, constructive_max: float = math.nan,
           aligned_max: float = math.nan) -> dict[str, Any]:
    """The protocol's record of one pair: the three family maxima, the bound and the family
    attaining it, the resolution, the status and the cause."""
    level = dss.level
    families = {"dss": dss.certificate.certified_max, "constructive": constructive_max,
                "aligned": aligned_max}
    real = {k: v for k, v in families.items() if k != "aligned" and not math.isnan(v)}
    best = min(real, key=lambda k: real[k]) if real else "dss"
    upper = max(0.0, real[best] - level) if real else math.nan
    with_aligned = {k: v for k, v in families.items() if not math.isnan(v)}
    relabeled = max(0.0, min(with_aligned.values()) - level) if with_aligned else math.nan
    resolution = dss.config.slack(level) + dss.tol
    state = status(dss, upper, resolution) if not math.isnan(upper) else "inconclusive"
    record = {
        "level": level, "resolution": resolution, "tol": dss.tol,
        **{f"{k}_max": v for k, v in families.items()},
        "barrier_upper": upper, "attained_by": best,
        "barrier_upper_relabeled": relabeled,
        "status": state, **cause(dss),
        "beads_reached": dss.all_reached, "dss_stopped": dss.stopped,
    }
    return {key: record[key] for key in KEYS}
