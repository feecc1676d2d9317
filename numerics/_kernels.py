r"""Fused CPU kernels for the one-hidden-layer ReLU nets: Φ and its vector-Jacobian product.

For B models with rows $w_{bi}\in\mathbb R^n$, hidden biases $c_{bi}$ (zero for `ReluNet`),
output weights $\theta_{bi}$ and output bias $\theta_{b0}$, on samples $x_k$:

$$z_{bki} = w_{bi}^\top x_k + c_{bi},\qquad
  \Phi_{bk} = \theta_{b0} + \sum_i \theta_{bi}\,\rho(z_{bki}),$$

and for a cotangent $g_{bk}$ (e.g. $\mathcal L'(y_k, \Phi_{bk})/N$), with
$a_{bki} = g_{bk}\,[z_{bki} > 0]$ ($\rho'(0) := 0$, torch's convention):

$$\frac{\partial}{\partial\theta_{bi}} = \sum_k g_{bk}\,\rho(z_{bki}) = \sum_k a_{bki} z_{bki},\quad
  \frac{\partial}{\partial w_{bi}} = \theta_{bi}\sum_k a_{bki}\,x_k,\quad
  \frac{\partial}{\partial c_{bi}} = \theta_{bi}\sum_k a_{bki}.$$

**Two implementations, one contract.**
- `c`: a small C file compiled once per machine with the system's C compiler (`cc -O3
  -march=native`), loaded with ctypes, cached under `$XDG_CACHE_HOME/relu-landscape`.
  Per model and row i it streams the samples once: z is recomputed from the n inputs inside
  the loop (the n-term contraction is unrolled for n ≤ 8), so no (B, N, m) temporary
  exists; the backward pass recomputes z rather than storing it. Reductions vectorize under
  `-fassociative-math` (a fixed summation order per binary: results are reproducible).
  Models are independent, so a batch costs exactly the sum of its models, and results do
  not depend on B. (`torch.compile`, which on a CPU needs a C compiler as well, is not
  used: this kernel fuses more; `experiments/bench.py` measures it.)
- `torch`: the same formulas with torch ops on blocks of models sized so that a block's
  (models × N × m) temporaries stay below `_BLOCK_ELEMENTS` (cache-sized).
`RELU_LANDSCAPE_KERNEL=torch` forces the fallback; `c` is used when it builds (CPU tensors,
float32/float64, contiguous) and `torch` otherwise (CUDA, no compiler, …).
Both are deterministic for fixed inputs.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import platform
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import torch

# (models in a block) × N × m stays below this in the torch fallback: cache-sized on a CPU
# (1 MiB of float32), large enough on a GPU to fill it
_BLOCK_ELEMENTS = {"cpu": 1 << 18, "cuda": 1 << 26}
# inputs with n ≤ _UNROLL get an unrolled contraction; larger n use a buffered loop
_UNROLL = 8
_TYPES = {torch.float32: ("float", "f32"), torch.float64: ("double", "f64")}
# units per block of the backward pass (its local arrays) and samples per group
_UNITS = 512
_SAMPLES = 4
# units per pass over the samples in the forward pass
_UNITS_PER_PASS = 4
# -std=c11 alone turns floating-point contraction off: -ffp-contract=fast restores FMAs
_FLAGS = ["-O3", "-march=native", "-mprefer-vector-width=256", "-fopenmp-simd",
          "-fassociative-math", "-fno-signed-zeros", "-fno-trapping-math",
          "-ffp-contract=fast", "-std=c11", "-shared", "-fPIC"]


# ---- C source -------------------------------------------------------------------------

def _unrolled(T: str, sfx: str, n: int) -> str:
    """Φ for n ≤ `_UNROLL`: per model, `_UNITS_PER_PASS` units per pass over the samples
    (each load and store of Φ_k serves that many units), then one unit at a time."""
    xs = "".join(f"  const {T}* restrict x{d} = XT + {d} * N;\n" for d in range(n))

    def units(u: int) -> str:
        consts = "\n".join(
            f"      const {T}* w_{j} = W + (b * m + i + {j}) * {n}; "
            + " ".join(f"const {T} w{d}_{j} = w_{j}[{d}];" for d in range(n))
            + f" const {T} c_{j} = bias ? bias[b * m + i + {j}] : ({T})0,"
            f" th_{j} = theta[b * m + i + {j}];" for j in range(u))
        # $z_{ki} = w_i^\top x_k + c_i$
        zs = "\n".join(f"        const {T} z{j} = "
                       + " + ".join([f"c_{j}"] + [f"w{d}_{j} * x{d}[k]" for d in range(n)])
                       + ";" for j in range(u))
        # $\Phi_k \mathrel{+}= \sum_i \theta_i \rho(z_{ki})$
        acc = " + ".join(f"th_{j} * (z{j} > 0 ? z{j} : ({T})0)" for j in range(u))
        return (f"    for (; i + {u} <= m; i += {u}) {{\n{consts}\n      #pragma omp simd\n"
                f"      for (int64_t k = 0; k < N; ++k) {{\n{zs}\n"
                f"        phi[k] += {acc};\n      }}\n    }}\n")

    return f"""
void fwd_{sfx}_n{n}(int64_t B, int64_t m, int64_t N, const {T}* restrict W,
    const {T}* restrict bias, const {T}* restrict theta, const {T}* restrict theta0,
    const {T}* restrict XT, {T}* restrict Phi) {{
{xs}  for (int64_t b = 0; b < B; ++b) {{
    {T}* restrict phi = Phi + b * N;
    const {T} t0 = theta0 ? theta0[b] : ({T})0;
    for (int64_t k = 0; k < N; ++k) phi[k] = t0;
    int64_t i = 0;
{units(_UNITS_PER_PASS)}{units(1)}  }}
}}
"""


def _sample_group(T: str, n: int, kb: int) -> str:
    """One loop of the backward pass over samples, kb at a time (their x and g as scalars),
    each adding its kb samples' terms to the running sums of the units of a block."""
    loads = "\n".join(
        "        " + " ".join(f"const {T} x{d}_{j} = XT[{d} * N + k + {j}];" for d in range(n))
        + f" const {T} g{j} = g[k + {j}];" for j in range(kb))
    # $z_{ki} = w_i^\top x_k + c_i$, $a_{ki} = g_k [z_{ki} > 0]$
    units = "\n".join(
        f"          const {T} z{j} = " + " + ".join(["c[i]"] + [f"w{d}[i] * x{d}_{j}"
                                                    for d in range(n)])
        + f"; const {T} a{j} = z{j} > 0 ? g{j} : ({T})0;" for j in range(kb))
    # $\sum_k a_{ki} z_{ki}$, $\sum_k a_{ki}$, $\sum_k a_{ki} x_{kd}$
    sums = "\n".join(
        [f"          st[i] += {' + '.join(f'a{j} * z{j}' for j in range(kb))};",
         f"          sb[i] += {' + '.join(f'a{j}' for j in range(kb))};"]
        + [f"          s{d}[i] += {' + '.join(f'a{j} * x{d}_{j}' for j in range(kb))};"
           for d in range(n)])
    return (f"      for (; k + {kb} <= N; k += {kb}) {{\n{loads}\n        #pragma omp simd\n"
            f"        for (int64_t i = 0; i < M; ++i) {{\n{units}\n{sums}\n        }}\n"
            "      }\n")


def _unrolled_backward(T: str, sfx: str, n: int) -> str:
    """The gradient sums for n ≤ `_UNROLL`: units in blocks of `_UNITS` copied into local
    arrays (the vectorized axis), samples taken `_SAMPLES` at a time, so each load and store
    of a unit's running sums serves `_SAMPLES` samples."""
    bufs = " ".join(f"{T} w{d}[{_UNITS}], s{d}[{_UNITS}];" for d in range(n))
    load_w = " ".join(f"w{d}[i] = W[u * {n} + {d}]; s{d}[i] = 0;" for d in range(n))
    store = " ".join(f"gW[u * {n} + {d}] = th * s{d}[i];" for d in range(n))
    return f"""
void bwd_{sfx}_n{n}(int64_t B, int64_t m, int64_t N, const {T}* restrict W,
    const {T}* restrict bias, const {T}* restrict theta, const {T}* restrict XT,
    const {T}* restrict G, {T}* restrict gW, {T}* restrict gb, {T}* restrict gth) {{
  {T} c[{_UNITS}], st[{_UNITS}], sb[{_UNITS}]; {bufs}
  for (int64_t b = 0; b < B; ++b) {{
    const {T}* restrict g = G + b * N;
    for (int64_t i0 = 0; i0 < m; i0 += {_UNITS}) {{
      const int64_t M = m - i0 < {_UNITS} ? m - i0 : {_UNITS};
      for (int64_t i = 0; i < M; ++i) {{
        const int64_t u = b * m + i0 + i;
        c[i] = bias ? bias[u] : ({T})0; st[i] = 0; sb[i] = 0; {load_w}
      }}
      int64_t k = 0;
{_sample_group(T, n, _SAMPLES)}{_sample_group(T, n, 1)}      for (int64_t i = 0; i < M; ++i) {{
        const int64_t u = b * m + i0 + i; const {T} th = theta[u];
        {store} gth[u] = st[i];
        if (gb) gb[u] = th * sb[i];
      }}
    }}
  }}
}}
"""


def _buffered(T: str, sfx: str) -> str:
    """Any n: z of a chunk of samples is built in a stack buffer by n rank-1 updates."""
    # z[k] = c + Σ_d w_d·X[k0 + k, d] for the K ≤ CHUNK samples from k0 (forward and backward)
    chunk_z = f"""\
      for (int64_t k0 = 0; k0 < N; k0 += CHUNK) {{
        const int64_t K = N - k0 < CHUNK ? N - k0 : CHUNK;
        #pragma omp simd
        for (int64_t k = 0; k < K; ++k) z[k] = c;
        for (int64_t d = 0; d < n; ++d) {{
          const {T} wd = w[d]; const {T}* restrict xd = XT + d * N + k0;
          #pragma omp simd
          for (int64_t k = 0; k < K; ++k) z[k] += wd * xd[k];
        }}
"""
    return f"""
#define CHUNK 256
void fwd_{sfx}_nany(int64_t B, int64_t m, int64_t n, int64_t N, const {T}* restrict W,
    const {T}* restrict bias, const {T}* restrict theta, const {T}* restrict theta0,
    const {T}* restrict XT, {T}* restrict Phi) {{
  {T} z[CHUNK];
  for (int64_t b = 0; b < B; ++b) {{
    {T}* restrict phi = Phi + b * N;
    const {T} t0 = theta0 ? theta0[b] : ({T})0;
    for (int64_t k = 0; k < N; ++k) phi[k] = t0;
    for (int64_t i = 0; i < m; ++i) {{
      const {T}* w = W + (b * m + i) * n;
      const {T} c = bias ? bias[b * m + i] : ({T})0, th = theta[b * m + i];
{chunk_z}        #pragma omp simd
        for (int64_t k = 0; k < K; ++k) phi[k0 + k] += th * (z[k] > 0 ? z[k] : ({T})0);
      }}
    }}
  }}
}}

void bwd_{sfx}_nany(int64_t B, int64_t m, int64_t n, int64_t N, const {T}* restrict W,
    const {T}* restrict bias, const {T}* restrict theta, const {T}* restrict XT,
    const {T}* restrict G, {T}* restrict gW, {T}* restrict gb, {T}* restrict gth) {{
  {T} z[CHUNK];
  for (int64_t b = 0; b < B; ++b) {{
    const {T}* restrict g = G + b * N;
    for (int64_t i = 0; i < m; ++i) {{
      const {T}* w = W + (b * m + i) * n;
      {T}* gw = gW + (b * m + i) * n;
      const {T} c = bias ? bias[b * m + i] : ({T})0, th = theta[b * m + i];
      {T} sth = 0, sb = 0;
      for (int64_t d = 0; d < n; ++d) gw[d] = 0;
{chunk_z}        for (int64_t k = 0; k < K; ++k) {{
          const {T} gk = g[k0 + k];
          const {T} a = z[k] > 0 ? gk : ({T})0;
          sth += a * z[k]; sb += a; z[k] = a;
        }}
        for (int64_t d = 0; d < n; ++d) {{
          const {T}* restrict xd = XT + d * N + k0; {T} s = 0;
          for (int64_t k = 0; k < K; ++k) s += z[k] * xd[k];
          gw[d] += s;
        }}
      }}
      for (int64_t d = 0; d < n; ++d) gw[d] *= th;
      gth[b * m + i] = sth;
      if (gb) gb[b * m + i] = th * sb;
    }}
  }}
}}
#undef CHUNK
"""


def _interval_stats(n: int) -> str:
    """float64 per-interval sums over units of `_certify`'s bounds (see `interval_stats`).

    Samples outside, units inside: every sum is a register reduction over i (vectorized),
    with masks as selects on registers (no conditional loads or stores)."""
    xs = " ".join(f"const double x{d} = x[{d}];" for d in range(n))
    z0 = " + ".join(["c0[i]"] + [f"W0T[{d} * m + i] * x{d}" for d in range(n)])
    z1 = " + ".join(["c1[i]"] + [f"W1T[{d} * m + i] * x{d}" for d in range(n)])
    return f"""
void stats_f64_n{n}(int64_t R, int64_t m, int64_t N, const double* restrict W0T_,
    const double* restrict W1T_, const double* restrict bias0, const double* restrict bias1,
    const double* restrict theta0, const double* restrict theta1, const double* restrict X,
    const double* restrict zeros, double* restrict out) {{
  for (int64_t r = 0; r < R; ++r) {{
    const double* restrict W0T = W0T_ + r * {n} * m;
    const double* restrict W1T = W1T_ + r * {n} * m;
    const double* restrict c0 = bias0 ? bias0 + r * m : zeros;
    const double* restrict c1 = bias1 ? bias1 + r * m : zeros;
    const double* restrict th0 = theta0 + r * m;
    const double* restrict th1 = theta1 + r * m;
    double* restrict o = out + r * 6 * N;
    for (int64_t k = 0; k < N; ++k) {{
      const double* x = X + k * {n}; {xs}
      double sphi = 0, sA = 0, sBn = 0, sBp = 0, sKn = 0, sKp = 0;
      #pragma omp simd reduction(+:sphi, sA, sBn, sBp, sKn, sKp)
      for (int64_t i = 0; i < m; ++i) {{
        const double z0 = {z0}, z1 = {z1};
        const double t0 = th0[i], dth = th1[i] - t0;
        const double adth = dth < 0 ? -dth : dth;
        const double at0 = t0 < 0 ? -t0 : t0, at1 = th1[i] < 0 ? -th1[i] : th1[i];
        const double thmax = at0 > at1 ? at0 : at1;
        const double dz = z1 - z0, adz = dz < 0 ? -dz : dz;
        const double zmax = z0 > z1 ? z0 : z1, rho = zmax > 0 ? zmax : 0;
        sphi += adth * rho + thmax * adz;
        const double b = 2 * dth * dz, p = z0 * z1;
        /* selects into registers, then plain sums; min(v, 0) = (v − |v|)/2 exactly */
        const double bs = (p >= 0 && zmax > 0) ? b : 0.0;
        const double bk = p < 0 ? b : 0.0;
        const double u = p < 0 ? z0 / (p < 0 ? z0 - z1 : 1.0) : 0.0;
        const double wJ = (t0 + u * dth) * adz * u * (1 - u);
        sA += bs;
        sBn += 0.5 * (bk - fabs(bk));
        sBp += 0.5 * (bk + fabs(bk));
        sKn += 0.5 * (fabs(wJ) - wJ);
        sKp += 0.5 * (fabs(wJ) + wJ);
      }}
      o[k] = sphi; o[N + k] = sA; o[2 * N + k] = sBn; o[3 * N + k] = sBp;
      o[4 * N + k] = sKn; o[5 * N + k] = sKp;
    }}
  }}
}}
"""


def c_source() -> str:
    """The kernels' C source (float32 and float64; n = 1..8 unrolled, any n buffered)."""
    parts = ["#include <math.h>\n#include <stdint.h>\n"]
    for T, sfx in _TYPES.values():
        parts += [_unrolled(T, sfx, n) + _unrolled_backward(T, sfx, n)
                  for n in range(1, _UNROLL + 1)]
        parts.append(_buffered(T, sfx))
    parts += [_interval_stats(n) for n in range(1, _UNROLL + 1)]
    return "".join(parts)


# ---- build and load -------------------------------------------------------------------

def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "relu-landscape" / "kernels"


def _machine_key() -> str:
    """CPU identity for a `-march=native` binary: model name and feature flags."""
    info = ""
    try:
        with open("/proc/cpuinfo") as f:
            info = "".join(line for line in f if line.startswith(("model name", "flags")))
    except OSError:
        pass
    return platform.machine() + platform.processor() + info


@cache
def _library() -> ctypes.CDLL | None:
    """The compiled kernels, building them on first use; None when that is impossible."""
    if os.environ.get("RELU_LANDSCAPE_KERNEL", "auto") == "torch":
        return None
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    source = c_source()
    key = hashlib.sha256("\0".join([source, compiler, *_FLAGS, _machine_key()]).encode())
    target = _cache_dir() / f"relu_kernels_{key.hexdigest()[:16]}.so"
    try:
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
                src = Path(tmp) / "relu_kernels.c"
                src.write_text(source)
                out = Path(tmp) / target.name
                subprocess.run([compiler, *_FLAGS, str(src), "-o", str(out)], check=True,
                               capture_output=True, timeout=300)
                os.replace(out, target)  # atomic: concurrent builders agree
        lib = ctypes.CDLL(str(target))
    except (OSError, subprocess.SubprocessError):
        return None
    i64, ptr = ctypes.c_int64, ctypes.c_void_p
    for _, sfx in _TYPES.values():
        for n in range(1, _UNROLL + 1):
            getattr(lib, f"fwd_{sfx}_n{n}").argtypes = [i64] * 3 + [ptr] * 6
            getattr(lib, f"bwd_{sfx}_n{n}").argtypes = [i64] * 3 + [ptr] * 8
        getattr(lib, f"fwd_{sfx}_nany").argtypes = [i64] * 4 + [ptr] * 6
        getattr(lib, f"bwd_{sfx}_nany").argtypes = [i64] * 4 + [ptr] * 8
    for n in range(1, _UNROLL + 1):
        getattr(lib, f"stats_f64_n{n}").argtypes = [i64] * 3 + [ptr] * 9
    return lib


def backend(x: torch.Tensor) -> str:
    """"c" when the compiled kernels serve tensors like `x`, else "torch"."""
    ok = x.device.type == "cpu" and x.dtype in _TYPES and _library() is not None
    return "c" if ok else "torch"


def _ptr(x: torch.Tensor | None):
    return None if x is None else ctypes.c_void_p(x.data_ptr())


def _call(kind: str, dtype: torch.dtype, sizes: tuple[int, int, int, int], *tensors) -> None:
    B, m, n, N = sizes
    sfx = _TYPES[dtype][1]
    lib = _library()
    args = [_ptr(t) for t in tensors]
    if n <= _UNROLL:
        getattr(lib, f"{kind}_{sfx}_n{n}")(B, m, N, *args)
    else:
        getattr(lib, f"{kind}_{sfx}_nany")(B, m, n, N, *args)


def _dense(x: torch.Tensor) -> torch.Tensor:
    return x.detach().contiguous()


def _contiguous(*xs: torch.Tensor | None) -> list[torch.Tensor | None]:
    return [None if x is None else _dense(x) for x in xs]


def _blocks(B: int, N: int, m: int, device: torch.device) -> list[slice]:
    step = max(1, _BLOCK_ELEMENTS.get(device.type, 1 << 18) // max(1, N * m))
    return [slice(i, min(i + step, B)) for i in range(0, B, step)]


# ---- public kernels -------------------------------------------------------------------

def relu_forward(W: torch.Tensor, bias: torch.Tensor | None, theta: torch.Tensor,
                 theta0: torch.Tensor | None, X: torch.Tensor) -> torch.Tensor:
    """Φ `(B, N)` from W `(B, m, n)`, hidden biases `(B, m)` or None, θ `(B, m)`, output
    bias `(B,)` or None and X `(N, n)` (module docstring). Not differentiable by autograd."""
    B, m, n = W.shape
    N = X.shape[0]
    if backend(W) == "c":
        W, theta = _dense(W), _dense(theta)
        bias, theta0 = _contiguous(bias, theta0)
        XT = X.to(W.dtype).T.contiguous()
        Phi = W.new_empty(B, N)
        _call("fwd", W.dtype, (B, m, n, N), W, bias, theta, theta0, XT, Phi)
        return Phi
    out = []
    for r in _blocks(B, N, m, W.device):
        # $z_{bki} = w_{bi}^\top x_k + c_{bi}$
        z = torch.einsum("kd,bid->bki", X, W[r])
        if bias is not None:
            z = z + bias[r, None, :]
        # $\Phi_{bk} = \sum_i \theta_{bi}\rho(z_{bki})$
        Phi = torch.bmm(z.clamp_min_(0), theta[r, :, None])[..., 0]
        out.append(Phi if theta0 is None else Phi + theta0[r, None])
    return torch.cat(out)


def relu_backward(W: torch.Tensor, bias: torch.Tensor | None, theta: torch.Tensor,
                  X: torch.Tensor, g: torch.Tensor
                  ) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor]:
    """Σ_k g_bk ∂Φ_bk/∂(W, c, θ) for a cotangent g `(B, N)`: (gW `(B, m, n)`, gc `(B, m)` or
    None when `bias` is None, gθ `(B, m)`) (module docstring). The output bias's share is
    Σ_k g_bk, left to the caller."""
    B, m, n = W.shape
    N = X.shape[0]
    if backend(W) == "c":
        W, theta, g = _dense(W), _dense(theta), _dense(g.to(W.dtype))
        (bias,) = _contiguous(bias)
        XT = X.to(W.dtype).T.contiguous()
        gW, gth = torch.empty_like(W), torch.empty_like(theta)
        gb = None if bias is None else torch.empty_like(bias)
        _call("bwd", W.dtype, (B, m, n, N), W, bias, theta, XT, g, gW, gb, gth)
        return gW, gb, gth
    gWs, gbs, gths = [], [], []
    for r in _blocks(B, N, m, W.device):
        z = torch.einsum("kd,bid->bki", X, W[r])
        if bias is not None:
            z = z + bias[r, None, :]
        h = z.clamp_min_(0)
        # $\partial_{\theta_i} = \sum_k g_k \rho(z_{ki})$
        gths.append(torch.bmm(h.transpose(1, 2), g[r, :, None])[..., 0])
        # $a_{ki} = g_k [z_{ki} > 0]$ (sign of ρ(z) is the indicator, ρ'(0) := 0)
        a = h.sign_().mul_(g[r, :, None])
        # $\partial_{w_i} = \theta_i \sum_k a_{ki} x_k$, $\partial_{c_i} = \theta_i \sum_k a_{ki}$
        gWs.append(theta[r, :, None] * torch.einsum("bki,kd->bid", a, X))
        if bias is not None:
            gbs.append(theta[r] * a.sum(1))
    return torch.cat(gWs), (None if bias is None else torch.cat(gbs)), torch.cat(gths)


def interval_stats(W0: torch.Tensor, bias0: torch.Tensor | None, theta0: torch.Tensor,
                   W1: torch.Tensor, bias1: torch.Tensor | None, theta1: torch.Tensor,
                   X: torch.Tensor) -> torch.Tensor:
    r"""Per-sample sums over units for the certificate's interval bounds, float64.

    For R intervals with units $z^0_{ki}, z^1_{ki}$ (from W, biases at the two ends) and
    output weights $\theta^0_i, \theta^1_i$, with $\delta z = z^1 - z^0$, $\delta\theta =
    \theta^1 - \theta^0$, $b = 2\,\delta\theta\,\delta z$, kinked iff $z^0 z^1 < 0$,
    $u^* = z^0/(z^0 - z^1)$ and $J = (\theta^0 + u^*\delta\theta)|\delta z|$, returns `(R, 6, N)`:
    $\sum_i |\delta\theta_i|\max(z^0, z^1)_+ + \max(|\theta^0_i|, |\theta^1_i|)|\delta z|$,
    $\sum_{\text{smooth active}} b$, $\sum_{\text{kinked}} \min(0, b)$,
    $\sum_{\text{kinked}} \max(0, b)$, $\sum_{\text{kinked}} \max(0, -J)u^*(1-u^*)$ and
    $\sum_{\text{kinked}} \max(0, J)u^*(1-u^*)$ (the terms of `numerics._certify`'s bounds).
    No (R, N, m) temporary on the compiled path; blocks of intervals in the fallback.
    """
    R, m, n = W0.shape
    N = X.shape[0]
    if backend(W0) == "c" and W0.dtype == torch.float64 and n <= _UNROLL:
        W0T, W1T = (W.transpose(-1, -2).contiguous() for W in (W0, W1))
        bias0, bias1 = _contiguous(bias0, bias1)
        theta0, theta1 = _dense(theta0), _dense(theta1)
        X = X.to(torch.float64).contiguous()
        out = W0.new_empty(R, 6, N)
        zeros = W0.new_zeros(m)  # the absent biases; a local, so it outlives the call
        getattr(_library(), f"stats_f64_n{n}")(R, m, N, *[_ptr(t) for t in (
            W0T, W1T, bias0, bias1, theta0, theta1, X, zeros, out)])
        return out
    parts = []
    for r in _blocks(R, N, m, W0.device):
        z0, z1 = (torch.einsum("kd,bid->bki", X, W[r]) + (0 if c is None else c[r, None, :])
                  for W, c in ((W0, bias0), (W1, bias1)))
        th0, th1 = theta0[r, None, :], theta1[r, None, :]
        dz, dth = z1 - z0, th1 - th0
        dphi = (dth.abs() * torch.maximum(z0, z1).clamp_min(0)
                + torch.maximum(th0.abs(), th1.abs()) * dz.abs()).sum(-1)
        b = 2 * dth * dz
        kinked = z0 * z1 < 0
        A = torch.where(~kinked & (torch.maximum(z0, z1) > 0), b, 0).sum(-1)
        bk = torch.where(kinked, b, 0)
        u = torch.where(kinked, z0 / torch.where(kinked, z0 - z1, 1), 0)
        wJ = (th0 + u * dth) * dz.abs() * u * (1 - u)
        parts.append(torch.stack([dphi, A, bk.clamp(max=0).sum(-1), bk.clamp(min=0).sum(-1),
                                  wJ.clamp(max=0).neg().sum(-1), wJ.clamp(min=0).sum(-1)], 1))
    return torch.cat(parts)
