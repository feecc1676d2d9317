r"""Certified maxima of F along straight segments and along paths (THEORY.md §6).

A segment a → b is $p(t) = (1-t)\,a + t\,b$, $t\in[0,1]$. Sampling F on a grid gives a
lower bound of $\max_t F(p(t))$; an explicit Lipschitz constant turns it into an upper one.

**The Lipschitz constant** (`ReluNet`, derived here once; `BiasReluNet` below). Write
$w_i(t)$, $\theta_i(t)$ for the rows and coefficients along the segment,
$\Delta w_i = w_i(b) - w_i(a)$, $\Delta\theta_i = \theta_i(b) - \theta_i(a)$,
$z_{ik}(t) = w_i(t)^\top x_k$ (affine in t).
$t \mapsto \Phi(x_k; p(t)) = \sum_i \theta_i(t)\,\rho(z_{ik}(t))$ is Lipschitz, and for
almost every t

$$\Big|\tfrac{d}{dt}\Phi_k\Big| \le \sum_i |\Delta\theta_i|\,\sup_t \rho(z_{ik}(t))
   + \sup_t|\theta_i(t)|\;|\Delta w_i^\top x_k| =: \dot\phi_k .$$

$\rho\circ z_{ik}$ and $|\theta_i(\cdot)|$ are convex in t, so their suprema are attained at
the ends: $\sup_t \rho(z_{ik}) = \max(\rho(z_{ik}(0)), \rho(z_{ik}(1)))$ and
$\sup_t|\theta_i(t)| = \max(|\theta_i(a)|, |\theta_i(b)|)$. With $\rho(z_{ik}) \le
\|w_i(t)\|\,\|x_k\|$ and $|\Delta w_i^\top x_k| \le \|\Delta w_i\|\,\|x_k\|$ this is at most
THEORY.md §6's $\|x_k\|\sum_i(|\Delta\theta_i|\max_t\|w_i(t)\| + \max_t|\theta_i(t)|\,
\|\Delta w_i\|)$; we use the sharper per-sample form.

Per sample, on the segment $\Phi_k(t)$ stays in $[\Phi_k^-, \Phi_k^+] =
[(\Phi_k(0) + \Phi_k(1) \mp \dot\phi_k)/2]$ (a function with Lipschitz constant
$\dot\phi_k$ on [0, 1] lies between these tents). The loss factor $w_k \ge
\sup_t |\mathcal L'(y_k, \Phi_k(t))|$:
- convex loss (declared, and checked in proofs_check): $u \mapsto \mathcal L'(y, u)$ is
  nondecreasing (any subgradient), so $w_k = \max(|\mathcal L'(y_k, \Phi_k^- - 0)|,
  |\mathcal L'(y_k, \Phi_k^+ + 0)|)$, evaluated by autograd one float below / above the
  ends (so a kink exactly at an end cannot hide the larger one-sided slope). This covers the
  non-Lipschitz half_squared and mse (a local bound of |ℒ'| on the segment), and is ≤ L for
  L-Lipschitz convex losses;
- non-convex L-Lipschitz loss (ramp, sigmoid): $w_k = L$.
Then $|\tfrac{d}{dt}R| \le \frac1N\sum_k w_k\dot\phi_k$, and the penalty adds
$|\tfrac{d}{dt}\,\kappa\|\theta(t)\|_1| \le \kappa\|\Delta\theta\|_1$.

`BiasReluNet` ([B26] v1, $\Phi = \sum_i \theta_i\rho(w_i^\top x + b_i) + \theta_0$) is the
same computation with $z_{ik} = w_i^\top x_k + b_i$ (affine in t as well; no bound above
uses the unit ball) and the output bias adding $|\Delta\theta_0|$ to $\dot\phi_k$ and
$\kappa|\Delta\theta_0|$ to the penalty slope.
Other models (and non-convex losses without L) raise `CertificateUnavailableError`;
the certifying functions then report NaN, never a made-up number.

**The certificate.** On a grid interval $[t_j, t_{j+1}]$ with Lipschitz constant
$\ell_j$ (in the interval's own parameter, i.e. `segment_lipschitz` of the sub-segment),
$F \le \min(F_j + \ell_j s, F_{j+1} + \ell_j(1-s)) \le (F_j + F_{j+1} + \ell_j)/2$.
The certified maximum is the largest of these interval bounds (and of the samples): the
local form of THEORY.md's $\text{sampled max} + \mathrm{Lip}\cdot h/2$. Intervals whose bound
exceeds the sampled maximum by more than `tol` are bisected (local constants shrink with
the interval) until none remain or the point budget is spent. Everything is float64; the
bound holds up to float64 rounding of F itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from numerics import _validate as check
from numerics._bias_relu import BiasReluNet
from numerics._path import Path, SegmentKind
from numerics._problem import Problem
from numerics._relu import ReluNet
from theory.losses import Loss

# (rows in a block) × (elements per row) stays below this
_BLOCK_ELEMENTS = 1 << 22
# relative tolerance for "F is constant along a `constant` segment"
_CONSTANT_RTOL = 1e-9


class CertificateUnavailableError(TypeError):
    """No explicit Lipschitz bound along segments for this model or loss."""


@dataclass(frozen=True)
class SegmentMax:
    """Maxima of F along S segments (float64, on the problem's device).

    - `sampled` `(S,)`: the largest sampled value (a lower bound of the maximum).
    - `certified` `(S,)`: an upper bound of the maximum (NaN when unavailable).
    - `argmax_t` `(S,)`: the t ∈ [0, 1] of the sampled maximum.
    - `lipschitz` `(S,)`: Lipschitz constant of t ↦ F on the whole segment (NaN if unavailable).
    - `points` `(S,)`: number of F evaluations on the segment.
    - `status`: per segment, "converged" (certified − sampled ≤ tol), "budget" (point
      budget spent first), "above" (stopped once sampled > `stop_above`), "exact" (max at an
      endpoint by a structural argument) or "unavailable" (no certificate).
    """

    sampled: torch.Tensor
    certified: torch.Tensor
    argmax_t: torch.Tensor
    lipschitz: torch.Tensor
    points: torch.Tensor
    status: tuple[str, ...]
    tol: float

    @property
    def converged(self) -> torch.Tensor:
        return torch.tensor([s in ("converged", "exact") for s in self.status],
                            device=self.sampled.device)

    def select(self, index: list[int]) -> SegmentMax:
        """The segments at `index`, in that order."""
        i = torch.as_tensor(index, dtype=torch.long, device=self.sampled.device)
        return SegmentMax(self.sampled[i], self.certified[i], self.argmax_t[i],
                          self.lipschitz[i], self.points[i],
                          tuple(self.status[j] for j in index), self.tol)

    @staticmethod
    def cat(parts: list[SegmentMax]) -> SegmentMax:
        """Concatenate records (the tolerance is the largest one)."""
        if not parts:
            raise ValueError("parts must hold at least one SegmentMax")
        return SegmentMax(
            torch.cat([q.sampled for q in parts]), torch.cat([q.certified for q in parts]),
            torch.cat([q.argmax_t for q in parts]), torch.cat([q.lipschitz for q in parts]),
            torch.cat([q.points for q in parts]),
            tuple(s for q in parts for s in q.status), max(q.tol for q in parts),
        )


@dataclass(frozen=True)
class PathMax:
    """Maximum of F along a `Path`.

    - `F_vertices` `(V,)`, per-segment `segments` (a `SegmentMax` of V − 1 rows).
    - `sampled_max` (lower bound), `certified_max` (upper bound; NaN if some general segment
      has no certificate), `endpoint_max` = max{F(A), F(B)}.
    - barriers: `sampled_barrier`, `certified_barrier` = max − endpoint_max.
    """

    path: Path
    F_vertices: torch.Tensor
    segments: SegmentMax

    @property
    def sampled_max(self) -> float:
        return float(self.segments.sampled.max())

    @property
    def certified_max(self) -> float:
        return float(self.segments.certified.max())  # NaN propagates through max

    @property
    def endpoint_max(self) -> float:
        return float(torch.maximum(self.F_vertices[0], self.F_vertices[-1]))

    @property
    def sampled_barrier(self) -> float:
        return self.sampled_max - self.endpoint_max

    @property
    def certified_barrier(self) -> float:
        return self.certified_max - self.endpoint_max

    @property
    def normalized_length(self) -> float:
        return self.path.normalized_length()

    @property
    def exact(self) -> bool:
        return all(s == "exact" for s in self.segments.status)


def _rows(n_rows: int, row_size: int) -> list[slice]:
    step = max(1, _BLOCK_ELEMENTS // max(1, row_size))
    return [slice(i, min(i + step, n_rows)) for i in range(0, n_rows, step)]


def _points(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    # $p(t) = (1-t)\,a + t\,b$ (exactly a at t = 0 and b at t = 1)
    return (1 - t)[:, None] * a + t[:, None] * b


def _segments(problem: Problem, a: torch.Tensor, b: torch.Tensor, dtype: torch.dtype):
    P = problem.model.n_params
    check.shape("a", a, (None, P))
    check.shape("b", b, (a.shape[0], P))
    check.finite("a", a)
    check.finite("b", b)
    return (a.to(problem.device, dtype), b.to(problem.device, dtype))


def segment_values(problem: Problem, a: torch.Tensor, b: torch.Tensor,
                   t: torch.Tensor) -> torch.Tensor:
    """F along S segments at the points t, in the problem's dtype.

    **Arguments**
    - `a`, `b`: segment ends $a, b\\in\\mathbb R^{S\\times P}$, shape `(S, P)`.
    - `t`: positions in [0, 1], shape `(T,)` (shared) or `(S, T)` (per segment).

    **Returns** $F((1-t)a_s + t\\,b_s)$, shape `(S, T)`.
    """
    a, b = _segments(problem, a, b, problem.dtype)
    S = a.shape[0]
    t = torch.as_tensor(t, dtype=problem.dtype, device=problem.device)
    if t.dim() == 1:
        t = t.expand(S, -1)
    check.shape("t", t, (S, None))
    check.finite("t", t)
    T = t.shape[1]
    out = []
    for r in _rows(S, T * a.shape[1]):
        # $p_{sj} = (1 - t_{sj})\,a_s + t_{sj}\,b_s$
        p = (1 - t[r, :, None]) * a[r, None] + t[r, :, None] * b[r, None]
        out.append(problem.F(p.reshape(-1, a.shape[1])).view(-1, T))
    return torch.cat(out)


def _require_certificate(problem: Problem) -> None:
    if not isinstance(problem.model, ReluNet | BiasReluNet):
        raise CertificateUnavailableError(
            f"model {type(problem.model).__name__} provides no explicit Lipschitz bound along "
            "segments; certified maxima are unavailable (reported as NaN)")
    if not problem.loss.convex and problem.loss.L is None:
        raise CertificateUnavailableError(
            f"loss {problem.loss.name!r} is neither convex nor Lipschitz; no bound of ℒ' along "
            "segments")


def has_certificate(problem: Problem) -> bool:
    """True when `segment_lipschitz` can bound this problem's model and loss."""
    try:
        _require_certificate(problem)
    except CertificateUnavailableError:
        return False
    return True


def _evaluate(problem: Problem, a, b, seg, t) -> tuple[torch.Tensor, torch.Tensor]:
    """F `(R,)` and Φ `(R, N)` at p_seg(t) for every r (Φ feeds the local bound of ℒ').

    `Problem.F_at` takes the predictions, so Φ (the costly part) is computed once.
    """
    F, Phi = [], []
    for r in _rows(t.shape[0], a.shape[1] + problem.X.shape[0]):
        p = _points(a[seg[r]], b[seg[r]], t[r])
        Phi.append(problem.model.predict(p, problem.X))
        F.append(problem.F_at(p, Phi[-1]))
    return torch.cat(F), torch.cat(Phi)


def _units(problem: Problem, p: torch.Tensor):
    """Pre-activations $z_{ik}$ `(S, m, N)`, output weights θ `(S, m)` and output bias θ_0
    `(S,)` of the hidden ReLU units at points p (θ_0 = 0 for `ReluNet`)."""
    model = problem.model
    if isinstance(model, BiasReluNet):
        W, b, theta, theta_0 = model.split(p)
        # $z_{ik} = w_i^\top x_k + b_i$
        return W @ problem.X.T + b[..., None], theta, theta_0[..., 0]
    W, theta = model.split(p)
    # $z_{ik} = w_i^\top x_k$
    return W @ problem.X.T, theta, torch.zeros_like(theta[..., 0])


def _dphi(problem: Problem, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    r"""$\dot\phi_k$ of the module docstring for segments a → b: shape `(S, N)`."""
    (z_a, theta_a, theta0_a), (z_b, theta_b, theta0_b) = _units(problem, a), _units(problem, b)
    # $\sup_t \rho(z_{ik}(t)) = \max(\rho(z_{ik}(0)), \rho(z_{ik}(1)))$
    rho_max = torch.maximum(z_a, z_b).clamp_min(0)
    # $\sup_t |\theta_i(t)| = \max(|\theta_i(a)|, |\theta_i(b)|)$
    theta_max = torch.maximum(theta_a.abs(), theta_b.abs())
    # $\dot\phi_k = \sum_i |\Delta\theta_i| \sup\rho(z_{ik})
    #   + \sup|\theta_i|\,|\Delta z_{ik}| + |\Delta\theta_0|$
    return (torch.einsum("si,sik->sk", (theta_b - theta_a).abs(), rho_max)
            + torch.einsum("si,sik->sk", theta_max, (z_b - z_a).abs())
            + (theta0_b - theta0_a).abs()[:, None])


def _slope_bound(loss: Loss, Y: torch.Tensor, lo: torch.Tensor, hi: torch.Tensor):
    r"""$\sup_{u\in[lo, hi]} |\mathcal L'(y, u)|$ for a convex loss (ℒ' nondecreasing)."""
    with torch.enable_grad():
        # one float outside [lo, hi]: every subgradient there brackets those inside
        u_ = torch.stack([torch.nextafter(lo, lo.new_tensor(-math.inf)),
                          torch.nextafter(hi, hi.new_tensor(math.inf))]).requires_grad_(True)
        (slope,) = torch.autograd.grad(loss(Y, u_).sum(), u_)
    return slope.abs().amax(0)


def _lipschitz_from(problem: Problem, dphi, Phi_0, Phi_1, penalty_slope) -> torch.Tensor:
    """Lipschitz constants from $\\dot\\phi$ `(R, N)`, Φ at both ends `(R, N)` and
    κ‖Δθ‖₁ `(R,)` (module docstring): shape `(R,)`."""
    loss = problem.loss
    if loss.convex:
        # $\Phi_k(t) \in [(\Phi_k(0) + \Phi_k(1) \mp \dot\phi_k)/2]$
        w = _slope_bound(loss, problem.Y, (Phi_0 + Phi_1 - dphi) / 2, (Phi_0 + Phi_1 + dphi) / 2)
    else:
        w = torch.full_like(dphi, loss.L)
    # $\frac1N\sum_k w_k \dot\phi_k + \kappa\|\Delta\theta\|_1$
    return (w * dphi).mean(-1) + penalty_slope


def _penalty_slope(problem: Problem, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    (_, theta_a, theta0_a), (_, theta_b, theta0_b) = _units(problem, a), _units(problem, b)
    # $\kappa(\|\Delta\theta\|_1 + |\Delta\theta_0|)$
    return problem.model.kappa * ((theta_b - theta_a).abs().sum(-1) + (theta0_b - theta0_a).abs())


def _row_size(problem: Problem) -> int:
    """Elements per segment held by the temporaries of `_dphi`."""
    return problem.model.n_params + 4 * problem.model.m * problem.X.shape[0]


def segment_lipschitz(problem: Problem, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """A Lipschitz constant of $t \\mapsto F((1-t)a + tb)$ on [0, 1], per segment (float64).

    The derivation is in this module's docstring (`ReluNet` and `BiasReluNet`).

    **Arguments**
    - `a`, `b`: segment ends, shape `(S, P)`.

    **Returns** the constants, shape `(S,)`, float64.

    **Raises** `CertificateUnavailableError` for models without an explicit bound (anything
    but `ReluNet`, `BiasReluNet`) and losses that are neither convex nor Lipschitz.
    """
    _require_certificate(problem)
    problem = problem.with_dtype(torch.float64)
    a, b = _segments(problem, a, b, torch.float64)
    out = []
    for r in _rows(a.shape[0], _row_size(problem)):
        Phi_a, Phi_b = (problem.model.predict(p, problem.X) for p in (a[r], b[r]))
        out.append(_lipschitz_from(problem, _dphi(problem, a[r], b[r]), Phi_a, Phi_b,
                                   _penalty_slope(problem, a[r], b[r])))
    return torch.cat(out) if out else a.new_zeros(0)


def _rank_within(seg: torch.Tensor, key: torch.Tensor, S: int) -> torch.Tensor:
    """Rank of each entry by descending `key` among the entries of its segment."""
    order = torch.argsort(-key, stable=True)
    order = order[torch.argsort(seg[order], stable=True)]
    counts = torch.bincount(seg, minlength=S)
    starts = torch.cumsum(counts, 0) - counts
    rank = torch.empty_like(seg)
    rank[order] = torch.arange(seg.shape[0], device=seg.device) - starts[seg[order]]
    return rank


def _refine(problem: Problem, a, b, tol: float, grid: int, max_points: int,
            limit: torch.Tensor) -> SegmentMax:
    """`certified_segment_max` for one block of segments (float64 problem and ends).

    On a sub-interval of length h the constant is `_lipschitz_from` with $h\\dot\\phi_k$
    ($\\dot\\phi_k$ of the whole segment: its suprema bound those of any sub-interval),
    the sub-interval's own Φ at both ends, and $h\\kappa\\|\\Delta\\theta\\|_1$.
    """
    S, dev = a.shape[0], problem.device
    t_grid = torch.linspace(0, 1, grid, dtype=torch.float64, device=dev)
    seg = torch.arange(S, device=dev).repeat_interleave(grid)
    Fv, Phi = _evaluate(problem, a, b, seg, t_grid.repeat(S))
    Fv, Phi = Fv.view(S, grid), Phi.view(S, grid, -1)
    smax, j = Fv.max(-1)
    sarg = t_grid[j]
    points = torch.full((S,), grid, dtype=torch.long, device=dev)
    dphi, penalty = _dphi(problem, a, b), _penalty_slope(problem, a, b)
    lipschitz = _lipschitz_from(problem, dphi, Phi[:, 0], Phi[:, -1], penalty)

    def interval_lipschitz(seg, t0, t1, Phi0, Phi1):
        h = t1 - t0
        return _lipschitz_from(problem, h[:, None] * dphi[seg], Phi0, Phi1, h * penalty[seg])

    seg = torch.arange(S, device=dev).repeat_interleave(grid - 1)
    t0, t1 = t_grid[:-1].repeat(S), t_grid[1:].repeat(S)
    F0, F1 = Fv[:, :-1].reshape(-1), Fv[:, 1:].reshape(-1)
    Phi0, Phi1 = Phi[:, :-1].flatten(0, 1), Phi[:, 1:].flatten(0, 1)
    ell = interval_lipschitz(seg, t0, t1, Phi0, Phi1)
    settled = torch.full((S,), -math.inf, dtype=torch.float64, device=dev)
    while True:
        # $F \le (F_j + F_{j+1} + \ell_j)/2$ on $[t_j, t_{j+1}]$
        bound = (F0 + F1 + ell) / 2
        open_ = (bound > smax[seg] + tol) & (smax <= limit)[seg]
        rank = _rank_within(seg, torch.where(open_, bound, -math.inf), S)
        split = open_ & (rank < (max_points - points)[seg])
        settled = settled.scatter_reduce(0, seg[~split], bound[~split], "amax")
        seg, t0, t1, F0, F1 = seg[split], t0[split], t1[split], F0[split], F1[split]
        Phi0, Phi1 = Phi0[split], Phi1[split]
        n_new = seg.numel()
        if n_new == 0:
            break
        tm = (t0 + t1) / 2
        Fm, Phim = _evaluate(problem, a, b, seg, tm)
        points += torch.bincount(seg, minlength=S)
        best = torch.full_like(smax, -math.inf).scatter_reduce(0, seg, Fm, "amax")
        # the first new point attaining the segment's new best (deterministic on any device)
        position = torch.where(Fm == best[seg], torch.arange(n_new, device=dev), n_new)
        first = torch.full((S,), n_new, device=dev).scatter_reduce(0, seg, position, "amin")
        sarg = torch.where(best > smax, tm[first.clamp_max(n_new - 1)], sarg)
        smax = torch.maximum(smax, best)
        seg = seg.repeat(2)
        t0, t1 = torch.cat([t0, tm]), torch.cat([tm, t1])
        F0, F1 = torch.cat([F0, Fm]), torch.cat([Fm, F1])
        Phi0, Phi1 = torch.cat([Phi0, Phim]), torch.cat([Phim, Phi1])
        ell = interval_lipschitz(seg, t0, t1, Phi0, Phi1)
    certified = torch.maximum(smax, settled)
    status = tuple(
        "above" if above else ("converged" if close else "budget")
        for above, close in zip((smax > limit).tolist(), (certified <= smax + tol).tolist(),
                                strict=True)
    )
    return SegmentMax(smax, certified, sarg, lipschitz, points, status, float(tol))


def certified_segment_max(
    problem: Problem,
    a: torch.Tensor,
    b: torch.Tensor,
    tol: float,
    *,
    grid: int = 20,
    max_points: int = 4096,
    stop_above: torch.Tensor | float | None = None,
) -> SegmentMax:
    """Sampled and certified maxima of F along S segments, in float64.

    Starts from `grid` equally spaced points (ends included) and bisects, per segment, every
    interval whose bound (module docstring) exceeds the sampled maximum by more than `tol`,
    until none is left or the segment has used `max_points` evaluations.

    **Arguments**
    - `a`, `b`: segment ends, shape `(S, P)`.
    - `tol`: target for certified − sampled (> 0).
    - `grid`: initial points per segment (≥ 2); `max_points`: budget per segment (≥ grid).
    - `stop_above`: stop refining a segment once its sampled maximum exceeds this (scalar or
      `(S,)`); its certified value is then a valid but loose bound (status "above").

    **Returns** a `SegmentMax`. Models without a certificate get the grid maximum, NaN as
    certified and Lipschitz values and status "unavailable".
    """
    check.positive("tol", tol)
    if grid < 2 or max_points < grid:
        raise ValueError(f"need grid ≥ 2 and max_points ≥ grid, got grid={grid}, "
                         f"max_points={max_points}")
    problem = problem.with_dtype(torch.float64)
    a, b = _segments(problem, a, b, torch.float64)
    S = a.shape[0]
    if S == 0:
        raise ValueError("a and b hold no segments (S = 0)")
    if not has_certificate(problem):
        t_grid = torch.linspace(0, 1, grid, dtype=torch.float64, device=problem.device)
        smax, j = segment_values(problem, a, b, t_grid).max(-1)
        nan = torch.full_like(smax, math.nan)
        return SegmentMax(smax, nan, t_grid[j], nan, torch.full_like(j, grid),
                          ("unavailable",) * S, float(tol))
    limit = torch.as_tensor(math.inf if stop_above is None else stop_above,
                            dtype=torch.float64, device=problem.device).expand(S)
    return SegmentMax.cat([_refine(problem, a[r], b[r], tol, grid, max_points, limit[r])
                           for r in _rows(S, _row_size(problem))])
def _exact_segments(problem: Problem, path: Path, F_vertices: torch.Tensor) -> list[int]:
    """Indices of segments whose maximum is exact (checked structurally), for ReluNet."""
    if not isinstance(problem.model, ReluNet):
        return []
    W = problem.model.split(path.vertices)[0]
    exact = []
    for j, kind in enumerate(path.kinds):
        if kind is SegmentKind.CONVEX:
            problem.loss.require(convex=True, needed_by="the exact maximum of a convex segment")
            if not torch.equal(W[j], W[j + 1]):
                raise ValueError(f"path segment {j} is marked convex but W changes along it")
            exact.append(j)
        elif kind is SegmentKind.CONSTANT:
            Fa, Fb = float(F_vertices[j]), float(F_vertices[j + 1])
            if abs(Fa - Fb) > _CONSTANT_RTOL * (1 + abs(Fa)):
                raise ValueError(f"path segment {j} is marked constant but F goes from "
                                 f"{Fa:.12g} to {Fb:.12g}")
            exact.append(j)
    return exact


def path_max(problem: Problem, path: Path, tol: float, *, grid: int = 20,
             max_points: int = 4096) -> PathMax:
    """Maximum of F along `path`, float64.

    `convex` segments (W fixed, convex loss: `ll:convex-output`) and `constant` ones take the
    larger endpoint value, exactly; the claim is checked (W unchanged, resp. equal endpoint
    values). Other segments, and every segment of a model other than `ReluNet` (where a kind
    cannot be checked), go through `certified_segment_max(…, tol, grid, max_points)`.

    **Arguments**
    - `path`: a `Path` with `(V, P)` vertices. `tol`, `grid`, `max_points`: as in
      `certified_segment_max`.

    **Returns** a `PathMax`.
    """
    problem = problem.with_dtype(torch.float64)
    V = path.vertices.to(problem.device, torch.float64)
    check.shape("path.vertices", V, (None, problem.model.n_params))
    F_vertices = problem.F(V)
    exact = _exact_segments(problem, path, F_vertices)
    general = [j for j in range(path.n_segments) if j not in exact]
    parts, order = [], []
    if exact:
        i = torch.as_tensor(exact, device=problem.device)
        top, at_end = torch.stack([F_vertices[i], F_vertices[i + 1]]).max(0)
        parts.append(SegmentMax(top, top, at_end.to(torch.float64), torch.full_like(top, math.nan),
                                torch.full_like(i, 2), ("exact",) * len(exact), float(tol)))
        order += exact
    if general:
        i = torch.as_tensor(general, device=problem.device)
        parts.append(certified_segment_max(problem, V[i], V[i + 1], tol, grid=grid,
                                           max_points=max_points))
        order += general
    segments = SegmentMax.cat(parts).select(sorted(range(len(order)), key=order.__getitem__))
    return PathMax(path, F_vertices, segments)
