r"""A-priori float64 rounding margins that make `_certify`'s bounds hold in exact arithmetic.

`_certify` computes its bounds in float64 (torch, the fused kernels, libm). This module
bounds, per segment a → b, how far the computed bound can lie below the bound the same
formulas give in exact real arithmetic at the exact points $p(t) = (1-t)a + tb$; adding
the margin makes the certified value rounding-sound. Notation as in `_certify`;
$u = 2^{-53}$ and $\gamma_j = ju/(1-ju)$ (Higham: a dot product or sum of j terms, in any
order, with or without FMA, is off by at most $\gamma_j\sum|\text{terms}|$).

**Magnitudes.** $\Theta_i = \max(|\theta^a_i|, |\theta^b_i|)$ (≥ |θ_i(t)| for all t, by
convexity), $\Theta_0$ likewise for the output bias, $S_{ki} = |w^a_i|^\top|x_k| + |c^a_i|
+ |w^b_i|^\top|x_k| + |c^b_i| \ge |z_{ki}(t)|$, $G_k = \sum_i\Theta_i S_{ki}$, so
$|\Phi_k(t)| \le G_k + \Theta_0$ everywhere on the segment.

**Per-sample error unit** $E_k = \gamma_{m+n+16}(G_k + \Theta_0) + 10^{-150}(\sum_i\Theta_i + 1)$:
- a point $\hat p = \mathrm{fl}((1-t)a + tb)$ is off by ≤ $\gamma_3\max(|a|, |b|)$ per
  coordinate, so a computed $\hat z_{ki}$ is off from the exact $z_{ki}(p(t))$ by
  ≤ $\gamma_{n+4}S_{ki}$; $\hat\Phi_k$ by ≤ $2E_k$ (the unit sum adds $\gamma_m$);
- the kernels derive every per-(k, i) quantity (δz, ρ, u*, J, b) from one pair
  $\hat z^0, \hat z^1$; the exact formulas applied to the affine interpolant $\tilde z$ of that
  pair describe a network $\tilde\Phi$ with $|\Phi_k - \tilde\Phi_k| \le E_k$ on the whole
  interval (a misclassified kink, $\hat z^0\hat z^1$ of the wrong sign or underflowed, only
  happens where $|z| \le$ its error, covered by the same term; the $10^{-150}$ term covers
  underflow of $z^0z^1$);
- $\dot\phi_k$ is off by ≤ $4E_k$; the enclosure $U_k$ is therefore widened by
  $\varepsilon_k = 8E_k$ before the slopes are taken, so $s^\mp_k$ bracket every
  subgradient at the exact Φ, the exact $\tilde\Phi$ and the computed ends.

**Slope bound** $w_k = \sup|\mathcal L'|$ on $[-R_k, R_k]$, $R_k = 4(G_k + \Theta_0)$, which
holds every value, enclosure and tent above (convex ℒ: the larger of $|\mathcal L'(\pm R_k)|$;
a non-convex L-Lipschitz loss: L).

**Margin.** With $Q = 4(|C| + \max|\hat F|)$ bounding $|F^0| + |F^1| + \ell + $ excess of the
interval that gave the certified value C,
$$M = \gamma_{N+P+m+n+96}\,Q + \tfrac1N\sum_k w_k(12E_k + 128u(G_k + \Theta_0))
  + \kappa\,\gamma_{P+16}\,4(\textstyle\sum_i\Theta_i + \Theta_0) + 10^{-290}.$$
The first term covers the final sums and means and the loss evaluations (libm's exp/log,
and `logaddexp`, are within 32 ulp of the value plus $32u\,w_k|\Phi_k|$ for the
cancelling form softplus(Φ) − yΦ, the 128u term); the second the per-sample errors:
$2w_kE_k$ in each end value F⁰, F¹, $2w_kE_k$ in the excess from $|\Phi - \tilde\Phi| \le E_k$
(a perturbation by ≤ r moves the excess by ≤ 2r), $4w_kE_k$ in ℓ, and slope evaluation
errors times the excess' sensitivity $2G_k$; the third the penalty's rounding. M is
computed in float64 from nonnegative terms (relative error far below the slack of the
constants) and added with one more upward step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from numerics._loss_slope import slope_of
from theory.losses import Loss

UNIT = 2.0 ** -53

# how the certificates are made rounding-sound (recorded beside every certified value)
CERTIFIED_BY = "float64+apriori-rounding"


def gamma(j: int) -> float:
    r"""$\gamma_j = ju/(1 - ju)$, $u = 2^{-53}$."""
    return j * UNIT / (1 - j * UNIT)


@dataclass(frozen=True)
class Scale:
    """Per-segment rounding magnitudes (module docstring), float64.

    - `E` `(S, N)`: the per-sample error unit $E_k$; `widen` = 8E, the enclosure widening.
    - `w` `(S, N)`: $\\sup|\\mathcal L'|$ on $[-R_k, R_k]$.
    - `G` `(S, N)`: $G_k + \\Theta_0$; `penalty` `(S,)`: $\\kappa(\\sum\\Theta + \\Theta_0)$.
    - `terms`: N + P + m + n + 96 (the length of the longest sum, padded).
    """

    E: torch.Tensor
    w: torch.Tensor
    G: torch.Tensor
    penalty: torch.Tensor
    terms: int

    @property
    def widen(self) -> torch.Tensor:
        return 8 * self.E

    def margin(self, certified: torch.Tensor, f_abs: torch.Tensor) -> torch.Tensor:
        """M per segment for certified values C `(S,)` and max |F̂| sampled `(S,)`."""
        Q = 4 * (certified.abs() + f_abs)
        M = (gamma(self.terms) * Q
             + (self.w * (12 * self.E + 128 * UNIT * self.G)).mean(-1)
             + gamma(self.terms) * 4 * self.penalty + 1e-290)
        return M * (1 + 1e-10)

    def add_to(self, certified: torch.Tensor, f_abs: torch.Tensor) -> torch.Tensor:
        """C + M, rounded up one more step (NaN stays NaN)."""
        up = certified + self.margin(certified, f_abs)
        return torch.nextafter(up, up.new_tensor(math.inf))


def scale(loss: Loss, Y: torch.Tensor, X: torch.Tensor, kappa: float, n_params: int,
          ends: tuple[tuple[torch.Tensor, torch.Tensor | None, torch.Tensor,
                            torch.Tensor | None], ...]) -> Scale:
    """`Scale` of S segments from their two ends' parts (W `(S, m, n)`, hidden bias `(S, m)`
    or None, θ `(S, m)`, output bias `(S,)` or None), data X `(N, n)`, labels Y `(N,)`."""
    (Wa, ca, tha, oa), (Wb, cb, thb, ob) = ends
    Theta = torch.maximum(tha.abs(), thb.abs())
    Theta0 = Theta.new_zeros(Theta.shape[0]) if oa is None or ob is None else \
        torch.maximum(oa.abs(), ob.abs())
    # $G_k = \sum_i \Theta_i S_{ki}$ without an (S, m, N) temporary
    v = torch.einsum("si,sid->sd", Theta, Wa.abs() + Wb.abs())
    G = v @ X.abs().T
    if ca is not None and cb is not None:
        G = G + (Theta * (ca.abs() + cb.abs())).sum(-1)[:, None]
    G = (G + Theta0[:, None]) * (1 + 1e-12)
    N, m, n = X.shape[0], Theta.shape[1], X.shape[1]
    E = gamma(m + n + 16) * G + 1e-150 * (Theta.sum(-1)[:, None] + 1)
    R = 4 * G + 1e-300
    if loss.convex:
        slope = slope_of(loss)
        Yb = Y.expand_as(R)
        w = torch.maximum(slope(Yb, -R).abs(), slope(Yb, R).abs()) * (1 + 1e-12)
    else:
        w = torch.full_like(R, float(loss.L if loss.L is not None else math.inf))
    penalty = kappa * (Theta.sum(-1) + Theta0)
    return Scale(E, w, G, penalty, N + n_params + m + n + 96)
