r"""Certified maxima of F along straight segments and along paths.

A segment a → b is $p(t) = (1-t)\,a + t\,b$, $t\in[0,1]$. Sampling F gives a lower bound
of $\max_t F(p(t))$; on each interval between samples an explicit bound of F gives an upper
one. Intervals whose bound exceeds the sampled maximum by more than `tol` are bisected
until none remain or the point budget is spent. Everything is computed in float64; the
certified values carry the a-priori rounding margin of `_rounding` and hold in exact real
arithmetic (`_rounding.CERTIFIED_BY`, "float64+apriori-rounding"). `ReluNet` and
`BiasReluNet` are certifiable (other models raise `CertificateUnavailableError`; the
certifying functions then report NaN).

**Notation.** On an interval $[t_0, t_1]$ use the local parameter $u\in[0,1]$. For unit i
and sample k, $z_{ki}(u) = w_i(u)^\top x_k + b_i(u)$ ($b_i = 0$ for `ReluNet`) and
$\theta_i(u)$ are affine in u; $\Phi_k(u) = \theta_0(u) + \sum_i \theta_i(u)\rho(z_{ki}(u))$
($\theta_0 = 0$ for `ReluNet`); $F = \frac1N\sum_k \mathcal L(y_k, \Phi_k) +
\kappa(\|\theta\|_1 + |\theta_0|)$. Superscripts 0, 1 are the interval's ends,
$\delta z_{ki} = z^1_{ki} - z^0_{ki}$, $\delta\theta_i = \theta^1_i - \theta^0_i$.

**First-order bound (Lipschitz).** For almost every u
$|\tfrac{d}{du}\Phi_k| \le \dot\phi_k := \sum_i |\delta\theta_i|\max(\rho(z^0_{ki}),
\rho(z^1_{ki})) + \max(|\theta^0_i|, |\theta^1_i|)\,|\delta z_{ki}| + |\delta\theta_0|$
(ρ∘z and |θ| are convex in u, so their suprema sit at the ends). Hence $\Phi_k(u)\in
U_k = [(\Phi_k^0 + \Phi_k^1 \mp \dot\phi_k)/2]$ (a $\dot\phi_k$-Lipschitz function lies
between these tents). With $w_k \ge \sup_{U_k}|\mathcal L'(y_k, \cdot)|$, F is
$\ell = \frac1N\sum_k w_k\dot\phi_k + \kappa(\|\delta\theta\|_1 + |\delta\theta_0|)$-Lipschitz
and $\max F \le (F^0 + F^1 + \ell)/2$. For a convex loss ℒ' is nondecreasing, so
$w_k = \max(|s^-_k|, |s^+_k|)$ with $s^\mp_k$ the closed-form slopes one float below and
above $U_k$ (every subgradient on $U_k$ lies between them, a kink at an end included); a
non-convex L-Lipschitz loss uses $w_k = L$. The error of this bound is O(h) in the
interval length h: refinement converges only linearly.

**Second-order bound (convex losses), exact in the ReLU kinks.** Call
$\mathrm{ch}\,f(u) = (1-u)f(0) + u f(1)$ the chord and say f has *excess* ≤ c on [0, 1] when
$f - \mathrm{ch}\,f \le c$. Then $\max f \le \max(f(0), f(1)) + c$, and
1. a convex f has excess ≤ 0;
2. if $f'' \ge -C$ (in the sense of distributions: $f + Cu^2/2$ is convex) the excess is
   ≤ C/8, since $f + Cu^2/2 \le \mathrm{ch} f + Cu/2$;
3. $f = J\max(0, \pm(u - u^*))$ with J < 0 has excess $|J|\,u^*(1-u^*)$ (at $u = u^*$);
4. excess bounds add (ch is linear), and a supremum of functions with excess ≤ c has
   excess ≤ c (ch is monotone in the end values).
Each term $g_{ki} = \theta_i\rho(z_{ki})$ is exactly one of:
- no sign change of z inside ($z^0 z^1 \ge 0$): $g = \theta z$ when $\max(z^0, z^1) > 0$,
  a quadratic with $g'' = b_{ki} := 2\,\delta\theta_i\,\delta z_{ki}$, else $g = 0$;
- a kink at $u^*_{ki} = z^0/(z^0 - z^1)\in(0,1)$: g is θz on the active side and 0 on the
  other; the derivative jumps (crossing left to right) by $J_{ki} = \theta_i(u^*)
  |\delta z_{ki}|$, so $g - J_{ki}\max(0, \pm(u - u^*))$ is $C^1$ with second derivative
  in $\{0, b_{ki}\}$.
So for any real s, $s\,\Phi_k$ has excess at most
$$e_k(s) = \tfrac18\max\Big(0, -\sum_{\text{smooth active}} s\,b_{ki}
  - \sum_{\text{kinked}}\min(0, s\,b_{ki})\Big) + \sum_{\text{kinked}}
  \max(0, -s J_{ki})\,u^*_{ki}(1-u^*_{ki}).$$
A convex loss is the supremum of its tangents over $U_k$:
$\mathcal L(y_k, \Phi) = \sup_{v\in U_k}[\mathcal L(y_k, v) + s_v(\Phi - v)]$ with
$s_v\in\partial\mathcal L(y_k, v)\subset[s^-_k, s^+_k]$, so by 4, $\mathcal L(y_k, \Phi_k)$
has excess ≤ $\max(e_k(s^-_k), e_k(s^+_k))$ ($e_k$ is convex in s: the sup over the slope
interval sits at an end). The penalty is convex (excess 0). Therefore
$$\max_{[t_0,t_1]} F \le \max(F^0, F^1) + \tfrac1N\sum_k\max(e_k(s^-_k), e_k(s^+_k)).$$
The smooth part scales with $h^2$ (b ∝ h²); each kink contributes O(h) and an interval
of length h holds O(h) of the segment's kinks: the excess is O(h²) and refinement converges
quadratically. The certified bound on an interval is the smaller of the two bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import torch

from numerics import _kernels, _rounding
from numerics import _validate as check
from numerics._bias_relu import BiasReluNet
from numerics._loss_slope import slope_of
from numerics._path import Path, SegmentKind
from numerics._problem import Problem
from numerics._relu import ReluNet
from theory.errors import InvalidArgumentError, RelulandscapeError
from theory.losses import Loss

# (rows in a block) × (elements per row) stays below this
_BLOCK_ELEMENTS = 1 << 22
#: a certificate's defaults: `GRID` first points per segment (ends included) and at most
#: `MAX_POINTS` evaluations of F per segment (experiments.configs.MAX_POINTS is the light
#: copy the command line shows; tests/test_certify.py holds them equal)
GRID = 20
MAX_POINTS = 4096
# relative tolerance for "F is constant along a `constant` segment"
_CONSTANT_RTOL = 1e-9


class CertificateUnavailableError(RelulandscapeError, TypeError):
    """No explicit Lipschitz bound along segments for this model or loss.

    >>> import torch
    >>> from numerics import Problem, segment_lipschitz, sigmoid_mlp
    >>> from theory.losses import get_loss
    >>> problem = Problem(sigmoid_mlp(), torch.zeros(3, 1), torch.zeros(3), get_loss("mse"))
    >>> segment_lipschitz(problem, torch.zeros(1, 33), torch.ones(1, 33))
    Traceback (most recent call last):
        ...
    numerics._certify.CertificateUnavailableError: model FlatModel provides no explicit ...
    """


@dataclass(frozen=True)
class SegmentMax:
    """Maxima of F along S segments (float64, on the problem's device).

    - `sampled` `(S,)`: the largest sampled value (a lower bound of the maximum).
    - `certified` `(S,)`: an upper bound of the maximum (NaN when unavailable).
    - `argmax_t` `(S,)`: the t ∈ [0, 1] of the sampled maximum.
    - `lipschitz` `(S,)`: Lipschitz constant of t ↦ F on the whole segment (NaN if unavailable).
    - `points` `(S,)`: number of F evaluations on the segment.
    - `status`: per segment, "converged" (float64 bound − sampled ≤ tol; `certified` adds
      the rounding margin of `_rounding`, ~1e-12 relative, on top), "budget" (point
      budget spent first), "above" (stopped once sampled > `stop_above`), "exact" (max at an
      endpoint by a structural argument), "sampled" (grid maximum only: the certificate was
      not asked for) or "unavailable" (no certificate).

    >>> import torch
    >>> from numerics import Problem, ReluNet, certified_segment_max, moons
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> a, b = problem.model.init(2, torch.Generator().manual_seed(0)).split(1)
    >>> result = certified_segment_max(problem, a, b, tol=1e-6)
    >>> result.status, bool(result.converged.all()), result.sampled.dtype
    (('converged',), True, torch.float64)
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
            raise InvalidArgumentError("parts must hold at least one SegmentMax")
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

    >>> import torch
    >>> from numerics import Path, Problem, ReluNet, moons, path_max
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> a = problem.model.init(1, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> W, theta = problem.model.split(a)
    >>> flip = Path(torch.cat([a, problem.model.join(W, -theta)]), ("convex",))  # W fixed
    >>> result = path_max(problem, flip, tol=1e-6)
    >>> result.exact, result.sampled_max == result.endpoint_max, result.sampled_barrier
    (True, True, 0.0)
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

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, segment_values
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> a, b = problem.model.init(4, torch.Generator().manual_seed(0)).split(2)
    >>> values = segment_values(problem, a, b, torch.linspace(0, 1, 5))
    >>> tuple(values.shape), torch.equal(values[:, 0], problem.F(a))  # t = 0 is a
    ((2, 5), True)
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
    """True when `segment_lipschitz` can bound this problem's model and loss.

    >>> import torch
    >>> from numerics import Problem, ReluNet, has_certificate, sigmoid_mlp
    >>> from theory.losses import get_loss
    >>> X, Y = torch.zeros(3, 1), torch.zeros(3)
    >>> has_certificate(Problem(ReluNet(1, 2, 0.1), X, Y, get_loss("mse")))
    True
    >>> has_certificate(Problem(sigmoid_mlp(), X, Y, get_loss("mse")))  # no explicit bound
    False
    """
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


def _model(problem: Problem) -> ReluNet | BiasReluNet:
    # `_require_certificate` admitted only these two models
    return cast(ReluNet | BiasReluNet, problem.model)


def _parts(problem: Problem, p: torch.Tensor
           ) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor, torch.Tensor | None]:
    """W `(S, m, n)`, hidden biases `(S, m)` or None, θ `(S, m)`, output bias `(S,)` or None
    (`ReluNet` has no biases) at points p."""
    model = _model(problem)
    if isinstance(model, BiasReluNet):
        W, b, theta, theta_0 = model.split(p)
        return W, b, theta, theta_0[..., 0]
    W, theta = model.split(p)
    return W, None, theta, None


def _stats(problem: Problem, p0: torch.Tensor, p1: torch.Tensor
           ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""`_kernels.interval_stats` between points p0 and p1 `(R, P)` → ($\dot\phi$ `(R, N)`,
    the five sums of the second-order bound `(R, 5, N)`, the penalty's slope bound `(R,)`)."""
    W0, c0, th0, o0 = _parts(problem, p0)
    W1, c1, th1, o1 = _parts(problem, p1)
    stats = _kernels.interval_stats(W0, c0, th0, W1, c1, th1, problem.X)
    # $|\delta\theta_0|$ (0 without an output bias)
    # o0 and o1 are both None or both tensors (one model)
    dbias = th0.new_zeros(th0.shape[0]) if o0 is None else (cast(torch.Tensor, o1) - o0).abs()
    # $\kappa(\|\delta\theta\|_1 + |\delta\theta_0|)$
    penalty = _model(problem).kappa * ((th1 - th0).abs().sum(-1) + dbias)
    return stats[:, 0] + dbias[:, None], stats[:, 1:], penalty


def _scale(problem: Problem, a: torch.Tensor, b: torch.Tensor) -> _rounding.Scale:
    """Rounding magnitudes of the segments a → b (`_rounding`)."""
    return _rounding.scale(problem.loss, problem.Y, problem.X, _model(problem).kappa,
                           problem.model.n_params, (_parts(problem, a), _parts(problem, b)))


def _slope_range(loss: Loss, Y: torch.Tensor, lo: torch.Tensor, hi: torch.Tensor):
    r"""Slopes $s^-, s^+$ bracketing $\partial\mathcal L(y, u)$ for u ∈ [lo, hi], for a convex
    loss (ℒ' nondecreasing): closed-form slopes one float below lo and above hi."""
    slope = slope_of(loss)
    return (slope(Y, torch.nextafter(lo, lo.new_tensor(-math.inf))),
            slope(Y, torch.nextafter(hi, hi.new_tensor(math.inf))))


def _enclosure(dphi, Phi_0, Phi_1, widen):
    r"""$U_k = [(\Phi_k^0 + \Phi_k^1 \mp \dot\phi_k)/2]$, widened by $\varepsilon_k$ `widen`
    `(R, N)` so that it holds the exact Φ despite rounding (`_rounding`)."""
    return (Phi_0 + Phi_1 - dphi) / 2 - widen, (Phi_0 + Phi_1 + dphi) / 2 + widen


def _lipschitz_from(problem: Problem, dphi, Phi_0, Phi_1, penalty_slope, widen,
                    slopes: tuple[torch.Tensor, torch.Tensor] | None = None) -> torch.Tensor:
    r"""Lipschitz constants from $\dot\phi$ `(R, N)`, Φ at both ends `(R, N)` and
    κ(‖δθ‖₁ + |δθ_0|) `(R,)` (module docstring): shape `(R,)`. `slopes`: $s^\mp$ when the
    caller already has them (convex losses)."""
    loss = problem.loss
    if loss.convex:
        s_lo, s_hi = slopes or _slope_range(loss, problem.Y,
                                            *_enclosure(dphi, Phi_0, Phi_1, widen))
        w = torch.maximum(s_lo.abs(), s_hi.abs())
    else:  # `_require_certificate` admitted a non-convex loss only with its constant L
        w = torch.full_like(dphi, cast(float, loss.L))
    # $\frac1N\sum_k w_k \dot\phi_k + \kappa(\|\delta\theta\|_1 + |\delta\theta_0|)$
    return (w * dphi).mean(-1) + penalty_slope


def _excess(sums: torch.Tensor, s_lo: torch.Tensor, s_hi: torch.Tensor) -> torch.Tensor:
    r"""$\frac1N\sum_k \max(e_k(s^-_k), e_k(s^+_k))$ of the module docstring: shape `(R,)`.

    `sums` `(R, 5, N)`: per sample $\sum_{\text{smooth active}} b$,
    $\sum_{\text{kinked}}\min(0, b)$, $\sum_{\text{kinked}}\max(0, b)$ and
    $\sum_{\text{kinked}}\max(0, \mp J)u^*(1-u^*)$; slopes `(R, N)`."""
    A, B_neg, B_pos, K_neg, K_pos = sums.unbind(1)

    def e(s):
        # $D_k(s) = \sum_{\text{smooth}} s\,b + \sum_{\text{kinked}} \min(0, s\,b)$
        D = s * A + s * torch.where(s >= 0, B_neg, B_pos)
        # $\sum_{\text{kinked}} \max(0, -sJ)\,u^*(1-u^*)$
        kinks = torch.where(s >= 0, s * K_neg, -s * K_pos)
        return (-D).clamp_min(0) / 8 + kinks

    return torch.maximum(e(s_lo), e(s_hi)).mean(-1)


def _bounds_from(problem: Problem, stats, F0, F1, Phi0, Phi1, widen) -> torch.Tensor:
    """Upper bounds of F on intervals from their `_stats` and their ends' F `(R,)` and Φ
    `(R, N)`: the smaller of the first- and second-order bounds, shape `(R,)`."""
    dphi, sums, penalty = stats
    slopes = (_slope_range(problem.loss, problem.Y, *_enclosure(dphi, Phi0, Phi1, widen))
              if problem.loss.convex else None)
    ell = _lipschitz_from(problem, dphi, Phi0, Phi1, penalty, widen, slopes)
    # $F \le (F^0 + F^1 + \ell)/2$
    bound = (F0 + F1 + ell) / 2
    if slopes is not None:
        # $F \le \max(F^0, F^1) + \frac1N\sum_k \max(e_k(s^-_k), e_k(s^+_k))$
        bound = torch.minimum(bound, torch.maximum(F0, F1) + _excess(sums, *slopes))
    return bound


def _interval_bounds(problem: Problem, a, b, seg, t0, t1, F0, F1, Phi0, Phi1, widen
                     ) -> torch.Tensor:
    """`_bounds_from` on the intervals [t0, t1] of segments `seg` (module docstring),
    shape `(R,)`."""
    out = []
    for r in _rows(seg.shape[0], 8 * problem.X.shape[0] + problem.model.n_params):
        stats = _stats(problem, _points(a[seg[r]], b[seg[r]], t0[r]),
                       _points(a[seg[r]], b[seg[r]], t1[r]))
        out.append(_bounds_from(problem, stats, F0[r], F1[r], Phi0[r], Phi1[r],
                                widen[seg[r]]))
    return torch.cat(out) if out else F0.new_zeros(0)


def _row_size(problem: Problem, grid: int = 2) -> int:
    """Elements held per segment during refinement: Φ at its grid points and at both ends of
    its open intervals, with room for their midpoints (the kernels hold no (N, m)
    temporaries; their torch fallback blocks its own)."""
    return problem.model.n_params + (3 * grid + 64) * problem.X.shape[0]


def segment_lipschitz(problem: Problem, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """A Lipschitz constant of $t \\mapsto F((1-t)a + tb)$ on [0, 1], per segment (float64).

    The derivation is in this module's docstring (`ReluNet` and `BiasReluNet`).

    **Arguments**
    - `a`, `b`: segment ends, shape `(S, P)`.

    **Returns** the constants, shape `(S,)`, float64.

    **Raises** `CertificateUnavailableError` for models without an explicit bound (anything
    but `ReluNet`, `BiasReluNet`) and losses that are neither convex nor Lipschitz.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, segment_lipschitz, segment_values
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"),
    ...                      dtype=torch.float64)
    >>> a, b = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64).split(1)
    >>> L = segment_lipschitz(problem, a, b)
    >>> F = segment_values(problem, a, b, torch.linspace(0, 1, 101))[0]
    >>> tuple(L.shape), bool(((F[1:] - F[:-1]).abs() <= L * 0.01).all())  # |ΔF| ≤ L·Δt
    ((1,), True)
    """
    _require_certificate(problem)
    problem = problem.with_dtype(torch.float64)
    a, b = _segments(problem, a, b, torch.float64)
    out = []
    for r in _rows(a.shape[0], _row_size(problem)):
        dphi, _, penalty = _stats(problem, a[r], b[r])
        Phi_a, Phi_b = (problem.model.predict(p, problem.X) for p in (a[r], b[r]))
        out.append(_lipschitz_from(problem, dphi, Phi_a, Phi_b, penalty,
                                   _scale(problem, a[r], b[r]).widen))
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
            limit: torch.Tensor, evidence: dict | None = None) -> SegmentMax:
    """`certified_segment_max` for one block of segments (float64 problem and ends).

    `evidence`: when a dict, its "intervals" list receives each settled interval as a tuple
    of tensors (segment, t0, t1, float64 bound) — the final partition of every segment —
    and its "margin" the segments' rounding margins `(S,)`.

    An interval's bound is the first-order one with the whole segment's constant; where that
    leaves it open, the smaller of it and `_interval_bounds` (its own ends: Φ, F, units).
    """
    S, dev = a.shape[0], problem.device
    t_grid = torch.linspace(0, 1, grid, dtype=torch.float64, device=dev)
    seg = torch.arange(S, device=dev).repeat_interleave(grid)
    Fv, Phi = _evaluate(problem, a, b, seg, t_grid.repeat(S))
    Fv, Phi = Fv.view(S, grid), Phi.view(S, grid, -1)
    smax, j = Fv.max(-1)
    f_abs = Fv.abs().max(-1).values
    sarg = t_grid[j]
    points = torch.full((S,), grid, dtype=torch.long, device=dev)
    stats = _stats(problem, a, b)
    rounding = _scale(problem, a, b)
    widen = rounding.widen
    lipschitz = _lipschitz_from(problem, stats[0], Phi[:, 0], Phi[:, -1], stats[2], widen)
    # the whole segment as one interval first: a short, flat segment (DSS between beads)
    # is often settled by it at once, sparing its grid intervals' unit sums
    every = torch.arange(S, device=dev)
    whole = _bounds_from(problem, stats, Fv[:, 0], Fv[:, -1], Phi[:, 0], Phi[:, -1], widen)
    done = whole <= smax + tol
    settled = torch.where(done, whole, -math.inf)
    if evidence is not None:
        evidence["intervals"].append((every[done], torch.zeros_like(whole[done]),
                         torch.ones_like(whole[done]), whole[done]))

    seg = every.repeat_interleave(grid - 1)
    t0, t1 = t_grid[:-1].repeat(S), t_grid[1:].repeat(S)
    F0, F1 = Fv[:, :-1].reshape(-1), Fv[:, 1:].reshape(-1)
    Phi0, Phi1 = Phi[:, :-1].flatten(0, 1), Phi[:, 1:].flatten(0, 1)
    keep = ~done[seg]
    seg, t0, t1, F0, F1, Phi0, Phi1 = (x[keep] for x in (seg, t0, t1, F0, F1, Phi0, Phi1))
    while True:
        # $F \le (F^0 + F^1 + \ell h)/2$ with the whole segment's constant: O(1) per interval,
        # enough to settle the intervals far below the maximum
        bound = (F0 + F1 + lipschitz[seg] * (t1 - t0)) / 2
        # segments already above their limit stop: their bound is only needed to be valid
        active = (smax <= limit)[seg]
        sharpen = active & (bound > smax[seg] + tol)
        bound[sharpen] = torch.minimum(bound[sharpen], _interval_bounds(
            problem, a, b, seg[sharpen], t0[sharpen], t1[sharpen], F0[sharpen], F1[sharpen],
            Phi0[sharpen], Phi1[sharpen], widen))
        open_ = (bound > smax[seg] + tol) & active
        rank = _rank_within(seg, torch.where(open_, bound, -math.inf), S)
        split = open_ & (rank < (max_points - points)[seg])
        settled = settled.scatter_reduce(0, seg[~split], bound[~split], "amax")
        if evidence is not None:
            evidence["intervals"].append((seg[~split], t0[~split], t1[~split],
                                          bound[~split]))
        seg, t0, t1, F0, F1 = seg[split], t0[split], t1[split], F0[split], F1[split]
        Phi0, Phi1 = Phi0[split], Phi1[split]
        n_new = seg.numel()
        if n_new == 0:
            break
        tm = (t0 + t1) / 2
        Fm, Phim = _evaluate(problem, a, b, seg, tm)
        points += torch.bincount(seg, minlength=S)
        f_abs = f_abs.scatter_reduce(0, seg, Fm.abs(), "amax")
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
    bound = torch.maximum(smax, settled)
    status = tuple(
        "above" if above else ("converged" if close else "budget")
        for above, close in zip((smax > limit).tolist(), (bound <= smax + tol).tolist(),
                                strict=True)
    )
    # rounding-sound: the a-priori margin of `_rounding` on top of the float64 bound
    certified = rounding.add_to(bound, f_abs)
    if evidence is not None:
        evidence["margin"] = rounding.margin(bound, f_abs)
    return SegmentMax(smax, certified, sarg, lipschitz, points, status, float(tol))


def certified_segment_max(
    problem: Problem,
    a: torch.Tensor,
    b: torch.Tensor,
    tol: float,
    *,
    grid: int = GRID,
    max_points: int = MAX_POINTS,
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

    >>> import torch
    >>> from numerics import Problem, ReluNet, certified_segment_max, moons
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> a, b = problem.model.init(4, torch.Generator().manual_seed(0)).split(2)
    >>> result = certified_segment_max(problem, a, b, tol=1e-6)
    >>> result.status, bool((result.sampled <= result.certified).all())
    (('converged', 'converged'), True)
    >>> bool((result.certified - result.sampled <= 1e-6 + 1e-9).all())  # tol + rounding margin
    True
    """
    check.positive("tol", tol)
    if grid < 2 or max_points < grid:
        raise InvalidArgumentError(f"need grid ≥ 2 and max_points ≥ grid, got grid={grid}, "
                         f"max_points={max_points}")
    problem = problem.with_dtype(torch.float64)
    a, b = _segments(problem, a, b, torch.float64)
    S = a.shape[0]
    if S == 0:
        raise InvalidArgumentError("a and b hold no segments (S = 0)")
    if not has_certificate(problem):
        t_grid = torch.linspace(0, 1, grid, dtype=torch.float64, device=problem.device)
        smax, j = segment_values(problem, a, b, t_grid).max(-1)
        nan = torch.full_like(smax, math.nan)
        return SegmentMax(smax, nan, t_grid[j], nan, torch.full_like(j, grid),
                          ("unavailable",) * S, float(tol))
    limit = torch.as_tensor(math.inf if stop_above is None else stop_above,
                            dtype=torch.float64, device=problem.device).expand(S)
    return SegmentMax.cat([_refine(problem, a[r], b[r], tol, grid, max_points, limit[r])
                           for r in _rows(S, _row_size(problem, grid))])
def segment_evidence(problem: Problem, a: torch.Tensor, b: torch.Tensor, tol: float, *,
                     grid: int = GRID, max_points: int = MAX_POINTS
                     ) -> tuple[SegmentMax, list[tuple[torch.Tensor, torch.Tensor]]]:
    """`certified_segment_max` of S segments together with the evidence of each bound: per
    segment its split points t `(M + 1,)` (0 = t_0 < … < t_M = 1) and the bound of F on
    each interval `(M,)`, float64 bound plus the segment's rounding margin (`_rounding`).

    **Raises** `CertificateUnavailableError` when the model or loss has no certificate.

    >>> import torch
    >>> from numerics import Problem, ReluNet, moons, segment_evidence
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> a, b = problem.model.init(2, torch.Generator().manual_seed(0)).split(1)
    >>> result, [(t, bounds)] = segment_evidence(problem, a, b, tol=1e-6)
    >>> float(t[0]), float(t[-1]), len(t) == len(bounds) + 1
    (0.0, 1.0, True)
    >>> float(bounds.max()) == float(result.certified[0])  # the certificate is the top bound
    True
    """
    check.positive("tol", tol)
    if grid < 2 or max_points < grid:
        raise InvalidArgumentError(f"need grid ≥ 2 and max_points ≥ grid, got grid={grid}, "
                                   f"max_points={max_points}")
    _require_certificate(problem)
    problem = problem.with_dtype(torch.float64)
    a, b = _segments(problem, a, b, torch.float64)
    S = a.shape[0]
    evidence: dict = {"intervals": []}
    rows = _refine(problem, a, b, tol, grid, max_points,
                   torch.full((S,), math.inf, dtype=torch.float64, device=problem.device),
                   evidence)
    seg, t0, t1, bound = (torch.cat([e[k] for e in evidence["intervals"]]) for k in range(4))
    # the segment's bound C ≥ every interval's bound, so C's margin covers each of them
    margin = evidence["margin"]
    out = []
    for j in range(S):
        mine = seg == j
        order = torch.argsort(t0[mine])
        lo, hi, bj = t0[mine][order], t1[mine][order], bound[mine][order]
        if not (lo[0] == 0 and hi[-1] == 1 and torch.equal(lo[1:], hi[:-1])):
            raise AssertionError(f"segment {j}: the settled intervals do not tile [0, 1]")
        up = bj + margin[j]
        out.append((torch.cat([lo, hi[-1:]]).cpu(),
                    torch.nextafter(up, up.new_tensor(math.inf)).cpu()))
    return rows, out


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
                raise InvalidArgumentError(
                    f"path segment {j} is marked convex but W changes along it")
            exact.append(j)
        elif kind is SegmentKind.CONSTANT:
            Fa, Fb = float(F_vertices[j]), float(F_vertices[j + 1])
            if abs(Fa - Fb) > _CONSTANT_RTOL * (1 + abs(Fa)):
                raise InvalidArgumentError(f"path segment {j} is marked constant but F goes from "
                                 f"{Fa:.12g} to {Fb:.12g}")
            exact.append(j)
    return exact


def path_max(problem: Problem, path: Path, tol: float, *, grid: int = GRID,
             max_points: int = MAX_POINTS) -> PathMax:
    """Maximum of F along `path`, float64.

    `convex` segments (W fixed, convex loss: `ll:convex-output`) and `constant` ones take the
    larger endpoint value, exactly; the claim is checked (W unchanged, resp. equal endpoint
    values). Other segments, and every segment of a model other than `ReluNet` (where a kind
    cannot be checked), go through `certified_segment_max(…, tol, grid, max_points)`.

    **Arguments**
    - `path`: a `Path` with `(V, P)` vertices. `tol`, `grid`, `max_points`: as in
      `certified_segment_max`.

    **Returns** a `PathMax`.

    >>> import torch
    >>> from numerics import Path, Problem, ReluNet, moons, path_max
    >>> from theory.losses import get_loss
    >>> problem = Problem.of(ReluNet(3, 4, 0.01), moons(n_samples=20), get_loss("logistic"))
    >>> ends = problem.model.init(2, torch.Generator().manual_seed(0), dtype=torch.float64)
    >>> result = path_max(problem, Path(ends, ("general",)), tol=1e-6)
    >>> result.segments.status, result.sampled_max <= result.certified_max, result.exact
    (('converged',), True, False)
    >>> result.sampled_barrier >= 0  # the straight segment's max is at least max{F(A), F(B)}
    True
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
        # the exact maximum is an endpoint value: its rounding margin (`_rounding`)
        sound = _scale(problem, V[i], V[i + 1]).add_to(top, top.abs())
        parts.append(SegmentMax(top, sound, at_end.to(torch.float64),
                                torch.full_like(top, math.nan),
                                torch.full_like(i, 2), ("exact",) * len(exact), float(tol)))
        order += exact
    if general:
        i = torch.as_tensor(general, device=problem.device)
        parts.append(certified_segment_max(problem, V[i], V[i + 1], tol, grid=grid,
                                           max_points=max_points))
        order += general
    segments = SegmentMax.cat(parts).select(sorted(range(len(order)), key=order.__getitem__))
    return PathMax(path, F_vertices, segments)
