r"""Independent re-check of a certificate folder written by `relu-landscape certify`.

Imported by nothing in the project but the `verify` command; it needs numpy and
python-flint only (no torch), and shares no code with the certifying side.

**Certificate.** `manifest.json` + `arrays.npz` (float64, no pickles): data `X` (N, n),
loss-ready targets `Y` (N,), path `vertices` (V, P) of a one-hidden-layer ReLU net
(`relu`: p = (W, θ); `bias_relu`: p = (W, b, θ, θ₀)), and per segment s the split points
`t_s` (0 = t₀ < … < t_M = 1) and the claimed bounds `bounds_s` (M,) of F on each interval.
The manifest holds κ, the loss, each array's sha256 (and the npz file's), each segment's
bound, the path's claim X ≥ every segment bound, and `manifest_sha256` over its own
canonical JSON: any edit of a stored number or array is refused (exit 2) unless every hash
is recomputed, and then the re-check decides (exit 1 when a bound does not hold).

**Check.** All arithmetic is outward-rounded interval arithmetic: numpy arrays of lower and
upper ends, each rounded result of +, −, ×, / moved outward by at least one float (`_dn`,
`_up`), sums widened by $\gamma_{k+4}\sum|x|$; losses and slopes (exp, log) in arb.
On each interval, with ends 0, 1 of the local parameter and
$\Phi_k = \theta_0 + \sum_i\theta_i\rho(z_{ki})$, $F = \frac1N\sum_k\mathcal L(y_k,\Phi_k) +
\kappa(\|\theta\|_1 + |\theta_0|)$ (z, θ affine along the interval):
- first order: $\dot\phi_k = \sum_i|\delta\theta_i|\max\rho(z_{ki}) + \max|\theta_i|\,
  |\delta z_{ki}| + |\delta\theta_0|$ bounds $|\Phi_k'|$; $\Phi_k\in U_k =
  [(\Phi^0_k+\Phi^1_k\mp\dot\phi_k)/2]$; with $w_k \ge \sup_{U_k}|\mathcal L'|$,
  $F \le (F^0 + F^1 + \frac1N\sum_k w_k\dot\phi_k + \kappa(\|\delta\theta\|_1 +
  |\delta\theta_0|))/2$;
- second order (the loss is convex): $F \le \max(F^0, F^1) + \frac1N\sum_k\max_{s\in
  \{s^-_k, s^+_k\}} e_k(s)$, where $s^\mp_k$ bracket the subgradients on $U_k$ and
  $e_k(s) = \frac18\max(0, -\sum_{\text{active}} s b - \sum_{\text{kinked}}\min(0, sb)) +
  \sum_{\text{kinked}}\max(0, -sJ)u^*(1-u^*) + |s|\sum_{\text{undecided}}(|b|/8 +
  \Theta\min(|z^0|, |z^1|))$, $b = 2\,\delta\theta\,\delta z$, $u^* = z^0/(z^0 - z^1)$,
  $J = \theta(u^*)|\delta z|$; a unit is "kinked" when $z^0z^1 < 0$ is certain, "active"
  when $z^0, z^1 \ge 0$ is, "off" when $z^0, z^1 \le 0$ is, else undecided (any of the
  three: its term bounds the excess of each, as $|z^0z^1/(z^0 - z^1)| \le \min|z|$).
The interval's bound is the smaller one; it must not exceed the claimed bound.

Exit 0: valid; 1: a segment's bound does not hold (named); 2: the certificate is
malformed or untrusted (one line).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import zipfile
from pathlib import Path

import numpy as np
from flint import arb

FORMAT = "relu-landscape/certificate"
VERSION = 1
LOSSES = ("logistic", "hinge", "mse", "half_squared", "bce_logit")
MAX_ELEMENTS = 50_000_000  # absurd sizes are refused before allocating
MAX_INTERVALS = 1_000_000
MAX_MANIFEST_BYTES = 10_000_000
_U = 2.0 ** -53


class CertificateError(Exception):
    """Malformed or untrusted certificate (exit 2)."""


class SegmentFailure(Exception):
    """A segment's claimed bound does not hold (exit 1)."""


# ---- outward-rounded interval arithmetic on numpy arrays ------------------------------

# a rounded-to-nearest result x̂ of +, −, ×, / is within ulp(x̂)/2 ≤ u|x̂| of the exact value
# (η/2 for subnormals, η = 2⁻¹⁰⁷⁴); x̂ ± (2⁻⁵¹|x̂| + 2η), itself rounded to nearest, lies
# beyond it: ≥ 1.5 ulp away before rounding, so ≥ 1 ulp after (np.nextafter is 3× slower)
_ETA2 = 2 * 5e-324


def _dn(x):
    return x - (np.abs(x) * 2.0 ** -51 + _ETA2)


def _up(x):
    return x + (np.abs(x) * 2.0 ** -51 + _ETA2)


class Iv:
    """Arrays lo ≤ hi of an enclosure."""

    __slots__ = ("hi", "lo")

    def __init__(self, lo, hi=None):
        self.lo = np.asarray(lo, dtype=np.float64)
        self.hi = self.lo if hi is None else np.asarray(hi, dtype=np.float64)

    def __add__(self, o: Iv) -> Iv:
        return Iv(_dn(self.lo + o.lo), _up(self.hi + o.hi))

    def __sub__(self, o: Iv) -> Iv:
        return Iv(_dn(self.lo - o.hi), _up(self.hi - o.lo))

    def __mul__(self, o: Iv) -> Iv:
        p = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        lo = np.minimum(np.minimum(p[0], p[1]), np.minimum(p[2], p[3]))
        hi = np.maximum(np.maximum(p[0], p[1]), np.maximum(p[2], p[3]))
        return Iv(_dn(lo), _up(hi))

    def mul_nonneg(self, o: Iv) -> Iv:
        """The product when both factors are ≥ 0."""
        return Iv(_dn(self.lo * o.lo), _up(self.hi * o.hi))

    def relu(self) -> Iv:
        return Iv(np.maximum(self.lo, 0.0), np.maximum(self.hi, 0.0))

    def abs(self) -> Iv:
        lo = np.where(self.lo > 0, self.lo, np.where(self.hi < 0, -self.hi, 0.0))
        return Iv(lo, np.maximum(-self.lo, self.hi))

    def half(self) -> Iv:
        return Iv(_dn(self.lo / 2), _up(self.hi / 2))

    def sum(self, axis: int) -> Iv:
        k = self.lo.shape[axis]
        g = (k + 4) * _U * 1.01
        e_lo = _up(np.abs(self.lo).sum(axis) * g) + 1e-300 * k
        e_hi = _up(np.abs(self.hi).sum(axis) * g) + 1e-300 * k
        return Iv(_dn(self.lo.sum(axis) - e_lo), _up(self.hi.sum(axis) + e_hi))


def _upper_sum(x: np.ndarray) -> float:
    """An upper bound of the exact sum of the floats x (arb)."""
    total = arb(0)
    for v in x.tolist():
        total += arb(v)
    return _arb_up(total)


def _arb_up(x: arb) -> float:
    f = float(x.upper())
    return f if arb(f) >= x.upper() else math.nextafter(f, math.inf)


def _arb_dn(x: arb) -> float:
    f = float(x.lower())
    return f if arb(f) <= x.lower() else math.nextafter(f, -math.inf)


# ---- losses: values and slope brackets (arb) -------------------------------------------

def _loss(name: str, y: float, v: float) -> arb:
    Y, V = arb(y), arb(v)
    if name == "logistic":
        return (-Y * V).exp().log1p()
    if name == "hinge":
        return (1 - Y * V).nonnegative_part()
    if name == "mse":
        return (V - Y) ** 2
    if name == "half_squared":
        return (V - Y) ** 2 / 2
    return V.exp().log1p() - Y * V  # bce_logit


def _loss_bounds(name: str, y: float, lo: float, hi: float) -> tuple[float, float]:
    """Lower and upper bounds of ℒ(y, v) for v ∈ [lo, hi] (the losses are convex: the
    maximum is at an end; the squared losses' minimum 0 sits inside when y does)."""
    a, b = _loss(name, y, lo), _loss(name, y, hi)
    upper = max(_arb_up(a), _arb_up(b))
    lower = min(_arb_dn(a), _arb_dn(b))
    if name in ("mse", "half_squared") and lo <= y <= hi:
        lower = 0.0
    return lower, upper


def _slope_bounds(name: str, y: float, lo: float, hi: float) -> tuple[float, float]:
    """s⁻ ≤ every subgradient of ℒ(y, ·) on [lo, hi] ≤ s⁺ (ℒ' is nondecreasing)."""
    if name == "hinge":  # ℒ = max(0, 1 − yv), y = ±1 (y·v exact): slope −y below the
        # kink yv = 1, 0 above; at the kink both count (the two one-sided slopes)
        def candidates(v: float) -> tuple[float, float]:
            return (-y if y * v <= 1 else 0.0, -y if y * v < 1 else 0.0)
        return min(candidates(lo)), max(candidates(hi))
    V = (arb(lo), arb(hi))
    Y = arb(y)
    if name == "logistic":
        d = [-Y / (1 + (Y * v).exp()) for v in V]
    elif name == "mse":
        d = [2 * (v - Y) for v in V]
    elif name == "half_squared":
        d = [v - Y for v in V]
    else:  # bce_logit: σ(v) − y
        d = [1 / (1 + (-v).exp()) - Y for v in V]
    return _arb_dn(d[0]), _arb_up(d[1])


# ---- the certificate --------------------------------------------------------------------

def _sha256_array(x: np.ndarray) -> str:
    h = hashlib.sha256()
    h.update(f"{x.dtype.str}{x.shape}".encode())
    h.update(np.ascontiguousarray(x).tobytes())
    return h.hexdigest()


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _number(manifest: dict, key: str, *, positive: bool = False) -> float:
    v = manifest.get(key)
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise CertificateError(f"manifest {key!r} must be a finite number, got {v!r}")
    if positive and not v > 0:
        raise CertificateError(f"manifest {key!r} must be > 0, got {v!r}")
    return float(v)


def _count(d: dict, key: str, lo: int, hi: int) -> int:
    v = d.get(key)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise CertificateError(f"manifest {key!r} must be an integer in [{lo}, {hi}], "
                               f"got {v!r}")
    return v


class Certificate:
    """A loaded, integrity-checked certificate (raises `CertificateError`)."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise CertificateError(f"{folder} is not a certificate folder")
        mpath = folder / "manifest.json"
        if not mpath.is_file():
            raise CertificateError(f"{mpath} is missing")
        if mpath.stat().st_size > MAX_MANIFEST_BYTES:
            raise CertificateError(f"{mpath} is larger than {MAX_MANIFEST_BYTES} bytes")
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"),
                                  parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CertificateError(f"{mpath} is not valid JSON: {exc}") from None
        if not isinstance(manifest, dict):
            raise CertificateError("the manifest must be a JSON object")
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise CertificateError(f"not a {FORMAT} version {VERSION} manifest")
        body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        if manifest.get("manifest_sha256") != digest:
            raise CertificateError("the manifest does not match its manifest_sha256")
        model = manifest.get("model")
        if not isinstance(model, dict) or model.get("kind") not in ("relu", "bias_relu"):
            raise CertificateError("manifest 'model' must name kind 'relu' or 'bias_relu'")
        self.bias = model["kind"] == "bias_relu"
        self.n = _count(model, "n", 1, 10_000)
        self.m = _count(model, "m", 1, 1_000_000)
        loss = manifest.get("loss")
        if not isinstance(loss, str) or loss not in LOSSES:
            raise CertificateError(f"loss {loss!r} is not one verify supports "
                                   f"({', '.join(LOSSES)})")
        self.loss: str = loss
        self.kappa = _number(manifest, "kappa", positive=True)
        self.claim = _number(manifest, "max")
        segments = manifest.get("segments")
        if not isinstance(segments, list) or not 1 <= len(segments) <= 100_000:
            raise CertificateError("manifest 'segments' must be a non-empty list")
        self.segment_bounds = []
        for j, s in enumerate(segments):
            if not isinstance(s, dict):
                raise CertificateError(f"segment {j}: must be an object")
            self.segment_bounds.append(_number(s, "bound"))
        hashes = manifest.get("sha256")
        if not isinstance(hashes, dict):
            raise CertificateError("manifest 'sha256' must be an object")
        apath = folder / "arrays.npz"
        if not apath.is_file():
            raise CertificateError(f"{apath} is missing")
        if hashes.get("arrays.npz") != _sha256_file(apath):
            raise CertificateError("arrays.npz does not match its sha256 in the manifest")
        self.arrays = self._load(apath, hashes, len(segments))
        self.manifest = manifest

    def _load(self, apath: Path, hashes: dict, S: int) -> dict[str, np.ndarray]:
        names = ["X", "Y", "vertices"] + [f"{k}_{j}" for j in range(S) for k in ("t", "bounds")]
        try:
            with zipfile.ZipFile(apath) as z:
                total = sum(i.file_size for i in z.infolist())
            if total > 8 * MAX_ELEMENTS + 1_000_000:
                raise CertificateError(f"arrays.npz holds {total} bytes, more than allowed")
            with np.load(apath, allow_pickle=False) as npz:
                if sorted(npz.files) != sorted(names):
                    raise CertificateError(f"arrays.npz must hold exactly {len(names)} "
                                           f"arrays (X, Y, vertices, t_j, bounds_j)")
                arrays = {k: npz[k] for k in names}
        except CertificateError:
            raise
        except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
            raise CertificateError(f"arrays.npz cannot be read safely: {exc}") from None
        for k, x in arrays.items():
            if x.dtype != np.float64:
                raise CertificateError(f"array {k} must be float64, got {x.dtype}")
            if not np.isfinite(x).all():
                raise CertificateError(f"array {k} holds NaN or inf")
            if hashes.get(k) != _sha256_array(x):
                raise CertificateError(f"array {k} does not match its sha256 in the manifest")
        X, Y, V = arrays["X"], arrays["Y"], arrays["vertices"]
        n, m = self.n, self.m
        P = m * n + m + (m + 1 if self.bias else 0)
        if X.ndim != 2 or X.shape[1] != n or X.shape[0] < 1:
            raise CertificateError(f"X must have shape (N, {n}), got {X.shape}")
        if Y.shape != (X.shape[0],):
            raise CertificateError(f"Y must have shape ({X.shape[0]},), got {Y.shape}")
        if V.ndim != 2 or V.shape != (S + 1, P):
            raise CertificateError(f"vertices must have shape ({S + 1}, {P}), got {V.shape}")
        if X.shape[0] * m > MAX_ELEMENTS:
            raise CertificateError(f"N·m = {X.shape[0] * m} is more than verify allows")
        if self.loss in ("logistic", "hinge") and not np.isin(Y, (-1.0, 1.0)).all():
            raise CertificateError(f"loss {self.loss} needs targets ±1")
        if self.loss == "bce_logit" and not np.isin(Y, (0.0, 1.0)).all():
            raise CertificateError("loss bce_logit needs targets 0 or 1")
        intervals = 0
        for j in range(S):
            t, b = arrays[f"t_{j}"], arrays[f"bounds_{j}"]
            if t.ndim != 1 or t.shape[0] < 2 or b.shape != (t.shape[0] - 1,):
                raise CertificateError(f"segment {j}: t must have shape (M + 1,) with M ≥ 1 "
                                       f"and bounds (M,), got {t.shape} and {b.shape}")
            if t[0] != 0.0 or t[-1] != 1.0 or not (np.diff(t) > 0).all():
                raise CertificateError(f"segment {j}: split points must rise from 0 to 1")
            intervals += b.shape[0]
        if intervals > MAX_INTERVALS:
            raise CertificateError(f"{intervals} intervals, more than verify allows")
        return arrays

    def parts(self, p: Iv) -> tuple[Iv, Iv | None, Iv, Iv | None]:
        """W (m, n), hidden bias (m,) or None, θ (m,), output bias () or None."""
        m, n = self.m, self.n
        W = Iv(p.lo[:m * n].reshape(m, n), p.hi[:m * n].reshape(m, n))
        if not self.bias:
            return W, None, Iv(p.lo[m * n:], p.hi[m * n:]), None
        c = Iv(p.lo[m * n:m * n + m], p.hi[m * n:m * n + m])
        th = Iv(p.lo[m * n + m:m * n + 2 * m], p.hi[m * n + m:m * n + 2 * m])
        return W, c, th, Iv(p.lo[-1], p.hi[-1])


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


class _Point:
    """z, θ, Φ and F at one exact point (1 − t)a + tb, as enclosures."""

    def __init__(self, cert: Certificate, a: np.ndarray, b: np.ndarray, t: float) -> None:
        one_minus = Iv(_dn(1.0 - t), _up(1.0 - t))
        p = one_minus * Iv(a) + Iv(t) * Iv(b)
        W, c, th, o = cert.parts(p)
        X = cert.arrays["X"]
        z = None
        for j in range(cert.n):
            x = X[:, j][:, None]
            lo = np.where(x >= 0, x * W.lo[None, :, j], x * W.hi[None, :, j])
            hi = np.where(x >= 0, x * W.hi[None, :, j], x * W.lo[None, :, j])
            term = Iv(_dn(lo), _up(hi))
            z = term if z is None else z + term
        assert z is not None
        if c is not None:
            z = z + Iv(np.broadcast_to(c.lo, z.lo.shape), np.broadcast_to(c.hi, z.hi.shape))
        self.z, self.theta, self.out = z, th, o
        Phi = (z.relu() * Iv(th.lo[None, :], th.hi[None, :])).sum(1)
        if o is not None:
            Phi = Phi + Iv(np.broadcast_to(o.lo, Phi.lo.shape),
                           np.broadcast_to(o.hi, Phi.hi.shape))
        self.Phi = Phi
        Y = cert.arrays["Y"]
        lows, ups = zip(*(_loss_bounds(cert.loss, y, lo, hi) for y, lo, hi in
                          zip(Y.tolist(), Phi.lo.tolist(), Phi.hi.tolist(), strict=True)),
                        strict=True)
        pen = th.abs().sum(0)
        if o is not None:
            pen = pen + o.abs()
        N = len(Y)
        k = arb(cert.kappa)
        self.F_hi = _arb_up(arb(_upper_sum(np.array(ups))) / N + k * arb(float(pen.hi)))
        self.F_lo = _arb_dn(arb(-_upper_sum(-np.array(lows))) / N + k * arb(float(pen.lo)))


def _interval_bound(cert: Certificate, P0: _Point, P1: _Point) -> float:
    """An upper bound of F on the interval between two points (module docstring)."""
    z0, z1, th0, th1 = P0.z, P1.z, P0.theta, P1.theta
    N = z0.lo.shape[0]
    dz, dth = z1 - z0, th1 - th0
    row = lambda v: Iv(v.lo[None, :], v.hi[None, :])  # noqa: E731
    thmax = Iv(np.maximum(th0.abs().lo, th1.abs().lo), np.maximum(th0.abs().hi, th1.abs().hi))
    rho = Iv(np.maximum(z0.relu().lo, z1.relu().lo), np.maximum(z0.relu().hi, z1.relu().hi))
    dphi = (row(dth.abs()).mul_nonneg(rho) + row(thmax).mul_nonneg(dz.abs())).sum(1)
    pen_slope = dth.abs().sum(0)
    if P0.out is not None and P1.out is not None:
        dout = (P1.out - P0.out).abs()
        dphi = dphi + Iv(np.broadcast_to(dout.lo, dphi.lo.shape),
                         np.broadcast_to(dout.hi, dphi.hi.shape))
        pen_slope = pen_slope + dout
    lo = (P0.Phi + P1.Phi - Iv(dphi.hi)).half().lo
    hi = (P0.Phi + P1.Phi + Iv(dphi.hi)).half().hi
    Y = cert.arrays["Y"]
    slopes = [_slope_bounds(cert.loss, y, a, b)
              for y, a, b in zip(Y.tolist(), lo.tolist(), hi.tolist(), strict=True)]
    s_lo = np.array([s[0] for s in slopes])
    s_hi = np.array([s[1] for s in slopes])
    w = np.maximum(np.abs(s_lo), np.abs(s_hi))
    k = arb(cert.kappa)
    ell = arb(_upper_sum(_up(w * dphi.hi))) / N + k * arb(float(pen_slope.hi))
    first = (arb(P0.F_hi) + arb(P1.F_hi) + ell) / 2
    # second order: classify units where the signs are certain
    kinked = ((z0.hi < 0) & (z1.lo > 0)) | ((z0.lo > 0) & (z1.hi < 0))
    active = (z0.lo >= 0) & (z1.lo >= 0)
    off = (z0.hi <= 0) & (z1.hi <= 0)
    undecided = ~(kinked | active | off)
    b = Iv(2.0) * row(dth) * dz
    zero = Iv(np.zeros_like(b.lo))

    def masked(x: Iv, mask) -> Iv:
        return Iv(np.where(mask, x.lo, 0.0), np.where(mask, x.hi, 0.0))

    A = masked(b, active).sum(1)
    b_neg = Iv(np.minimum(b.lo, 0.0), np.minimum(b.hi, 0.0))
    b_pos = Iv(np.maximum(b.lo, 0.0), np.maximum(b.hi, 0.0))
    B_neg, B_pos = masked(b_neg, kinked).sum(1), masked(b_pos, kinked).sum(1)
    # u* = z⁰/(z⁰ − z¹) ∈ (0, 1) on kinked units (denominator's sign is certain there)
    den = z0 - z1
    safe = Iv(np.where(kinked, den.lo, 1.0), np.where(kinked, den.hi, 1.0))
    q = [z0.lo / safe.lo, z0.lo / safe.hi, z0.hi / safe.lo, z0.hi / safe.hi]
    u = Iv(np.clip(_dn(np.minimum.reduce(q)), 0.0, 1.0), np.clip(_up(np.maximum.reduce(q)),
                                                                   0.0, 1.0))
    one = Iv(1.0)
    J = (row(th0) + u * row(dth)) * dz.abs() * u * (one - u)
    K_neg = masked(Iv(np.maximum(-J.hi, 0.0), np.maximum(-J.lo, 0.0)), kinked).sum(1)
    K_pos = masked(Iv(np.maximum(J.lo, 0.0), np.maximum(J.hi, 0.0)), kinked).sum(1)
    zmin = Iv(np.minimum(z0.abs().lo, z1.abs().lo), np.minimum(z0.abs().hi, z1.abs().hi))
    unc = masked(b.abs().half().half().half() + row(thmax) * zmin, undecided).sum(1)
    del zero

    def e(s: np.ndarray) -> np.ndarray:
        S = Iv(s)
        D = S * A + S * Iv(np.where(s >= 0, B_neg.lo, B_pos.lo),
                           np.where(s >= 0, B_neg.hi, B_pos.hi))
        kinks = Iv(np.abs(s)) * Iv(np.where(s >= 0, K_neg.lo, K_pos.lo),
                                  np.where(s >= 0, K_neg.hi, K_pos.hi))
        return _up(_up(np.maximum(-D.lo, 0.0) / 8) + kinks.hi + _up(np.abs(s) * unc.hi))

    excess = np.maximum(e(s_lo), e(s_hi))
    second = max(arb(P0.F_hi), arb(P1.F_hi)) + arb(_upper_sum(excess)) / N
    return min(_arb_up(first), _arb_up(second))


def verify(folder: Path) -> str:
    """The verdict line; raises `CertificateError` (exit 2) or `SegmentFailure` (exit 1)."""
    cert = Certificate(folder)
    V = cert.arrays["vertices"]
    if max(cert.segment_bounds) > cert.claim:
        raise SegmentFailure(f"segment {int(np.argmax(cert.segment_bounds))}: its bound "
                             f"exceeds the path's claim {cert.claim!r}")
    ends = []
    for j, seg_bound in enumerate(cert.segment_bounds):
        a, b = V[j], V[j + 1]
        t, bounds = cert.arrays[f"t_{j}"], cert.arrays[f"bounds_{j}"]
        prev = _Point(cert, a, b, float(t[0]))
        if j == 0:
            ends.append(prev)
        for i in range(bounds.shape[0]):
            nxt = _Point(cert, a, b, float(t[i + 1]))
            got = _interval_bound(cert, prev, nxt)
            if not got <= bounds[i]:
                raise SegmentFailure(
                    f"segment {j}: on [{t[i]!r}, {t[i + 1]!r}] F is only bounded by {got!r}, "
                    f"above the claimed {float(bounds[i])!r}")
            if not bounds[i] <= seg_bound:
                raise SegmentFailure(f"segment {j}: interval {i}'s bound {bounds[i]!r} exceeds "
                                     f"the segment's bound {seg_bound!r}")
            prev = nxt
        if j == len(cert.segment_bounds) - 1:
            ends.append(prev)
    level_lo = max(ends[0].F_lo, ends[1].F_lo)
    level_hi = max(ends[0].F_hi, ends[1].F_hi)
    barrier = _arb_up(arb(cert.claim) - arb(level_lo))
    return (f"valid: max F along the path ≤ {cert.claim!r} (level λ ∈ [{level_lo!r}, "
            f"{level_hi!r}], barrier ≤ {barrier!r})")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: verify CERT", file=sys.stderr)
        return 2
    try:
        print(verify(Path(args[0])))
    except CertificateError as exc:
        print(f"verify: error: refused: {exc}", file=sys.stderr)
        return 2
    except SegmentFailure as exc:
        print(f"verify: invalid: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
