"""Barriers between trained endpoint pairs: DSS next to the proof's constructive path.

`compare_pairs` runs, for pairs (A_k, B_k) of a `ReluNet` problem, the constructive path
of THEORY.md §6 (`ll:zero-radius` with `ll:sampling` or `ll:pruning`) and breadth-first
DSS (§7) at the pair's level λ = max{F(A), F(B)}, and returns one record per pair.
Both `relu-landscape gap` and the E2 width sweep are built on it.
"""

from __future__ import annotations

import torch

from numerics import (
    ConstructivePath,
    DSSResult,
    Problem,
    Reference,
    constructive_paths,
    dss_batched,
)


def pair_measures(cp: ConstructivePath, dss: DSSResult) -> dict:
    """The measurements of one pair (the columns of pairs.csv after the identifiers)."""
    return {
        "level": cp.level,
        "F_A": cp.F_A,
        "F_B": cp.F_B,
        "dss_connected": bool(dss.connected),
        "dss_beads": int(dss.beads),
        "dss_sampled_max": dss.certificate.sampled_max,
        "dss_certified_max": dss.certificate.certified_max,
        "dss_normalized_length": float(dss.normalized_length),
        "constructive_max": cp.max_F,
        "constructive_exact": cp.exact,
        "constructive_normalized_length": cp.path.normalized_length(),
        "theorem_bound": cp.theorem_bound,
        "epsilon": cp.epsilon,
        "epsilon_thm": cp.epsilon_thm,
        "e_hat": cp.e_hat,
        "a": cp.a,
        "l": cp.l,
        "q": cp.q,
        "sparsify": cp.method,
        # a certified upper bound of bar_m(A, B): the better of the two paths
        "barrier_upper": min(dss.certificate.certified_max, cp.max_F) - cp.level,
    }


def compare_pairs(
    problem: Problem,
    A: torch.Tensor,
    B: torch.Tensor,
    *,
    reference: Reference,
    generator: torch.Generator,
    training: dict,
    method: str = "sampling",
    draws: int = 32,
    refit_steps: int = 200,
    tol: float = 1e-3,
    max_depth: int = 10,
    negative_control: bool = False,
) -> list[dict]:
    """Constructive path and DSS for every pair; one `pair_measures` record per pair.

    **Arguments**
    - `A`, `B`: endpoints, shape `(pairs, P)`; `reference`: the width-l reference (its
      width fixes l); `generator`: CPU generator for the Maurey draws.
    - `training`: `train` keyword arguments for the DSS beads; `tol`, `max_depth`: DSS's
      certificate tolerance and depth limit.
    """
    paths = constructive_paths(problem, A, B, l=reference.width, method=method, draws=draws,
                               refit_steps=refit_steps, reference=reference,
                               negative_control=negative_control, generator=generator)
    levels = torch.tensor([cp.level for cp in paths], device=problem.device)
    results = dss_batched(problem, A, B, levels, tol=tol, max_depth=max_depth,
                          train_kwargs=training)
    return [pair_measures(cp, r) for cp, r in zip(paths, results, strict=True)]
