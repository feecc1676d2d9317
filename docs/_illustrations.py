"""Quick numeric illustrations of the statements that measure something (seconds each).

Not a page. `ILLUSTRATIONS` maps a label to a function that prints a measured comparison
and draws a titled, labelled figure; the statement pages call `illustrate(label)`. Every
illustration uses float64 torch on the Moons inputs (augmented with a constant 1, so
bias-free) or on a stated toy law, with fixed seeds. They illustrate; the tests check.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import matplotlib.pyplot as plt
import sympy as sp
import torch

torch.set_num_threads(1)

SIZE = (6.4, 3.4)


def _moons():
    from numerics import data_scale, moons

    data = moons(n_samples=250, noise=0.2, seed=0)
    X = data.X.double()
    return X, data.Y.double(), float(data_scale(X))


def _unit_rows(m: int, n: int, gen: torch.Generator) -> torch.Tensor:
    return torch.nn.functional.normalize(torch.randn(m, n, generator=gen, dtype=torch.float64),
                                         dim=1)


def _objective(loss_name: str = "bce_logit"):
    """F(W, θ) = mean ℒ(Y, ρ(XWᵀ)θ) + κ‖θ‖₁ on Moons, with the catalogue's torch form."""
    from theory.losses import CATALOGUE

    X, Y, D_X = _moons()
    loss = CATALOGUE[loss_name]

    def F(W: torch.Tensor, theta: torch.Tensor, kappa: float) -> float:
        pred = torch.relu(X @ W.T) @ theta
        return float(loss.torch_form(Y, pred).mean() + kappa * theta.abs().sum())

    return X, Y, D_X, F, loss


def relu_lipschitz() -> None:
    X, _, D_X = _moons()
    gen = torch.Generator().manual_seed(1)
    A = _unit_rows(64, X.shape[1], gen)
    radii = torch.logspace(-3, 0, 10, dtype=torch.float64)
    worst = []
    for r in radii:
        B = A + r * _unit_rows(64, X.shape[1], gen)
        gap = (torch.relu(X @ A.T) - torch.relu(X @ B.T)).abs().mean(0)  # (64,)
        worst.append(float((gap / (A - B).norm(dim=1)).max()))
    second = float(torch.relu(X @ A.T).pow(2).mean(0).max())
    print(f"D_X = {D_X:.4f}; largest E|ρ(aᵀX) − ρ(bᵀX)| / ‖a − b‖ over 64 pairs per radius "
          f"= {max(worst):.4f} ≤ D_X; largest E ρ(wᵀX)² = {second:.4f} ≤ D_X² = {D_X**2:.4f}")
    fig, ax = plt.subplots(figsize=SIZE)
    ax.semilogx(radii, worst, "o-", label=r"max over pairs of $E|\rho(a^\top X)-\rho(b^\top X)|"
                r"/\|a-b\|$")
    ax.axhline(D_X, color="k", ls="--", label="$D_X$ (the lemma's constant)")
    ax.set(xlabel=r"$\|a-b\|$", ylabel="ratio", title="ll:relu-lipschitz on Moons (n = 3)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def convex_output() -> None:
    X, _, _, F, _ = _objective()
    gen = torch.Generator().manual_seed(2)
    W = _unit_rows(12, X.shape[1], gen)
    t = torch.linspace(0, 1, 41, dtype=torch.float64)
    fig, ax = plt.subplots(figsize=SIZE)
    for k in range(3):
        th0 = 3 * torch.randn(12, generator=gen, dtype=torch.float64)
        th1 = 3 * torch.randn(12, generator=gen, dtype=torch.float64)
        values = [F(W, (1 - s) * th0 + s * th1, 1e-2) for s in t]
        ends = max(values[0], values[-1])
        ax.plot(t, values, label=f"segment {k + 1}: max − max(ends) = {max(values) - ends:.1e}")
    ax.set(xlabel="t (θ = (1−t)θ₀ + tθ₁, W fixed)", ylabel="F(W, θ)",
           title="ll:convex-output: F along θ-segments (BCE, κ = 0.01)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def free_row() -> None:
    X, _, _, F, _ = _objective()
    gen = torch.Generator().manual_seed(3)
    W = _unit_rows(8, X.shape[1], gen)
    theta = torch.randn(8, generator=gen, dtype=torch.float64)
    theta[3] = 0.0
    before = F(W, theta, 1e-2)
    changes = []
    for _ in range(200):
        W2 = W.clone()
        W2[3] = torch.rand((), generator=gen, dtype=torch.float64) * _unit_rows(1, X.shape[1],
                                                                                gen)[0]
        changes.append(abs(F(W2, theta, 1e-2) - before))
    print(f"row 3 has θ₃ = 0; over 200 random positions of w₃ in the ball, "
          f"max |ΔF| = {max(changes):.1e}")


def buffer_transfer() -> None:
    X, _, _, F, _ = _objective()
    gen = torch.Generator().manual_seed(4)
    W = _unit_rows(6, X.shape[1], gen)
    theta = torch.randn(6, generator=gen, dtype=torch.float64)
    W[5], theta[5] = W[2], 0.0  # buffer row 5 copies row 2 (free: θ₅ = 0)
    t = torch.linspace(0, 1, 21, dtype=torch.float64)
    values = []
    for s in t:
        th = theta.clone()
        th[2], th[5] = (1 - s) * theta[2], s * theta[2]
        values.append(F(W, th, 1e-2))
    print(f"F along the transfer (a, 0) ↦ ((1−t)a, ta): max − min = "
          f"{max(values) - min(values):.1e}")
    fig, ax = plt.subplots(figsize=SIZE)
    ax.plot(t, values, "o-")
    ax.set(xlabel="t", ylabel="F", title="ll:buffer-transfer: F is constant along the transfer")
    fig.tight_layout()
    plt.show()


def bridge() -> None:
    X, _, D_X, F, loss = _objective()
    gen = torch.Generator().manual_seed(5)
    kappa, m = 0.05, 10
    radii, ratios = [0.02, 0.05, 0.1, 0.2, 0.4], []
    for r in radii:
        W = _unit_rows(m, X.shape[1], gen)
        W2 = torch.nn.functional.normalize(W + r / 2 * _unit_rows(m, X.shape[1], gen), dim=1)
        rr = float((W - W2).norm(dim=1).max())
        th, th2 = torch.randn(m, generator=gen, dtype=torch.float64), torch.randn(
            m, generator=gen, dtype=torch.float64)
        Lam = max(F(W, th, kappa), F(W2, th2, kappa))
        path = max(F((1 - s) * W + s * W2, (1 - s) * th + s * th2, kappa)
                   for s in torch.linspace(0, 1, 41, dtype=torch.float64))
        bound = Lam + loss.lipschitz * D_X / kappa * rr * Lam  # R̲ = 0
        ratios.append((rr, path - Lam, bound - Lam))
    fig, ax = plt.subplots(figsize=SIZE)
    ax.semilogy([x[0] for x in ratios], [max(x[1], 1e-12) for x in ratios], "o-",
                label=r"measured $\max_t F - \Lambda$ (41 points)")
    ax.semilogy([x[0] for x in ratios], [x[2] for x in ratios], "k--",
                label=r"bound $(L D_X/\kappa)\, r\,(\Lambda - \underline{R})$")
    ax.set(xlabel="row distance r", ylabel="excess over Λ",
           title="ll:bridge: straight segment between nearby-row models (BCE, κ = 0.05)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def pruning() -> None:
    from numerics import prune

    X, _, D_X, F, loss = _objective()
    gen = torch.Generator().manual_seed(6)
    m, kappa = 32, 1e-2
    W = _unit_rows(m, X.shape[1], gen)
    theta = torch.randn(m, generator=gen, dtype=torch.float64) ** 3
    base = F(W, theta, kappa)
    ls = list(range(0, m, 4))
    change, bound = [], []
    for l_ in ls:
        pruned = prune(theta[None], m - l_)[0]
        change.append(F(W, pruned, kappa) - base)
        bound.append(max(loss.lipschitz * D_X - kappa, 0) * l_ / m * float(theta.abs().sum()))
    fig, ax = plt.subplots(figsize=SIZE)
    ax.plot(ls, change, "o-", label=r"$F(\theta_{pr}) - F(\theta)$")
    ax.plot(ls, bound, "k--", label=r"bound $(L D_X - \kappa)_+ (l/m)\|\theta\|_1$")
    ax.set(xlabel="l (units removed of m = 32)", ylabel="change of F",
           title="ll:pruning: removing the smallest masses (BCE, κ = 0.01)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def sharpness() -> None:
    M = 24
    qs = list(range(0, M + 1, 2))
    measured = []
    # X uniform on {√M e_i}: atom i takes the value √M at e_i, 0 elsewhere; f = mean of atoms
    atoms = math.sqrt(M) * torch.eye(M, dtype=torch.float64)  # atoms[k, i] = ρ(e_iᵀ x_k)
    f = atoms.mean(1)
    for q_ in qs:
        if q_ == 0:
            measured.append(float(f.pow(2).mean()))
            continue
        A = atoms[:, :q_]  # by symmetry any q atoms do equally well
        coef = torch.linalg.lstsq(A, f[:, None]).solution
        measured.append(float((A @ coef - f[:, None]).pow(2).mean()))
    fig, ax = plt.subplots(figsize=SIZE)
    ax.plot(qs, measured, "o", label="best error on q atoms (least squares)")
    ax.plot(qs, [(M - q_) / M**2 for q_ in qs], "k--", label="$(M-q)/M^2$")
    ax.set(xlabel="q", ylabel=r"$\min_g \|g - f\|^2_{L^2}$",
           title=f"ll:sharpness: fixed dictionary, M = {M}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def l1_control() -> None:
    X, _, _, F, _ = _objective()
    gen = torch.Generator().manual_seed(7)
    pts = []
    for kappa in (0.01, 0.03, 0.1):
        for _ in range(60):
            W = _unit_rows(10, X.shape[1], gen)
            theta = torch.randn(10, generator=gen, dtype=torch.float64) * float(
                torch.rand((), generator=gen)) * 3
            s = F(W, theta, kappa)
            pts.append((s / kappa, float(theta.abs().sum()), kappa))
    fig, ax = plt.subplots(figsize=SIZE)
    for kappa in (0.01, 0.03, 0.1):
        sel = [p for p in pts if p[2] == kappa]
        ax.loglog([p[0] for p in sel], [p[1] for p in sel], ".", label=f"κ = {kappa}")
    lo = min(p[1] for p in pts)
    hi = max(p[0] for p in pts)
    ax.loglog([lo, hi], [lo, hi], "k--", label=r"$\|\theta\|_1 = (s - \underline{R})/\kappa$")
    ax.set(xlabel=r"$(s - \underline{R})/\kappa$ with $s = F$, $\underline{R} = 0$",
           ylabel=r"$\|\theta\|_1$", title="ll:l1-control: every point lies below the line")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def balancing() -> None:
    theta, w = 2.0, torch.tensor([0.3, 0.1], dtype=torch.float64)
    dt, steps = 1e-3, 3000
    times, product, energy = [], [], []
    for k in range(steps):
        nw2 = float(w.pow(2).sum())
        times.append(k * dt)
        product.append(theta * math.sqrt(nw2))
        energy.append(0.5 * (theta**2 + nw2))
        theta, w = theta + dt * theta * (nw2 - theta**2), w + dt * w * (theta**2 - nw2)
    print(f"θ‖w‖: {product[0]:.4f} → {product[-1]:.4f} (explicit Euler, dt = {dt}); "
          f"½(θ² + ‖w‖²): {energy[0]:.4f} → {energy[-1]:.4f}, "
          f"|θ| − ‖w‖ at the end = {abs(theta) - float(w.norm()):.1e}")
    fig, ax = plt.subplots(figsize=SIZE)
    ax.plot(times, product, label=r"$\theta\|w\|$ (the unit's function)")
    ax.plot(times, energy, label=r"$\frac{1}{2}(\theta^2 + \|w\|^2)$ (nonincreasing)")
    ax.set(xlabel="flow time", ylabel="value", title="ll:balancing: the balancing flow of one unit")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def linearization() -> None:
    gen = torch.Generator().manual_seed(8)
    X = torch.randn(20000, 2, generator=gen, dtype=torch.float64)
    Sigma = float(torch.linalg.matrix_norm(X.T @ X / len(X), ord=2))
    alphas = torch.linspace(0.05, math.pi / 2, 16, dtype=torch.float64)
    w1 = torch.tensor([1.0, 0.0], dtype=torch.float64)
    rows = []
    for a_ in alphas:
        w2 = torch.stack([torch.cos(a_), torch.sin(a_)])
        wm = torch.nn.functional.normalize(w1 + w2, dim=0)
        bracket = float((torch.relu(X @ w1) * torch.relu(X @ w2)).mean())
        norm_m = float(torch.relu(X @ wm).pow(2).mean())
        c = float(torch.cos(a_))
        upper = (1 + c) / 2 * norm_m
        lower = upper - 2 * Sigma * ((1 - c) / 2 + float(torch.sin(a_)) ** 2)
        rows.append((float(a_), lower, bracket, upper))
    fig, ax = plt.subplots(figsize=SIZE)
    ax.plot([r[0] for r in rows], [r[2] for r in rows], "o", label="$[w_1, w_2]_Z$ (sampled)")
    ax.plot([r[0] for r in rows], [r[3] for r in rows], "k--", label="upper bound")
    ax.plot([r[0] for r in rows], [r[1] for r in rows], "k:", label="lower bound")
    ax.set(xlabel="angle α between w₁ and w₂", ylabel="value",
           title="fb:prop-2.3 on a standard Gaussian in ℝ² (20 000 samples)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def nuclear_norm() -> None:
    gen = torch.Generator().manual_seed(10)
    Z = torch.randn(4, 3, generator=gen, dtype=torch.float64) @ torch.randn(
        3, 5, generator=gen, dtype=torch.float64)
    U_s, S, Vh = torch.linalg.svd(Z, full_matrices=False)
    U_s, S, Vh = U_s[:, :3], S[:3], Vh[:3]  # Z has rank 3
    U, V = U_s * S.sqrt(), Vh.T * S.sqrt()  # balanced factors: U Vᵀ = Z
    balanced = 0.5 * float(U.pow(2).sum() + V.pow(2).sum())
    others = []
    for _ in range(400):  # other factorizations U R, V R^{-T} of the same Z
        R = torch.eye(3, dtype=torch.float64) + 0.6 * torch.randn(3, 3, generator=gen,
                                                                   dtype=torch.float64)
        U2, V2 = U @ R, V @ torch.linalg.inv(R).T
        others.append(0.5 * float(U2.pow(2).sum() + V2.pow(2).sum()))
    print(f"‖Z‖_* = {float(S.sum()):.6f}; balanced factors give ½(‖U‖² + ‖V‖²) = "
          f"{balanced:.6f}; smallest over 400 other factorizations = {min(others):.6f}")
    fig, ax = plt.subplots(figsize=SIZE)
    ax.hist(others, bins=40, color="0.7", label="other factorizations U Vᵀ = Z")
    ax.axvline(float(S.sum()), color="k", ls="--", label=r"$\|Z\|_*$ (balanced factors)")
    ax.set(xlabel=r"$\frac{1}{2}(\|U\|^2 + \|V\|^2)$", ylabel="count",
           title="fb:prop-2.2: the variational form of the nuclear norm (K = 2)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def sphericalize() -> None:
    X, _, _, F, _ = _objective()
    gen = torch.Generator().manual_seed(9)
    W = _unit_rows(8, X.shape[1], gen) * torch.rand(8, 1, generator=gen, dtype=torch.float64)
    theta = torch.randn(8, generator=gen, dtype=torch.float64)
    norms = W.norm(dim=1)
    W1, theta1 = W / norms[:, None], theta * norms
    dphi = float((torch.relu(X @ W.T) @ theta - torch.relu(X @ W1.T) @ theta1).abs().max())
    print(f"rows pushed to the sphere, θ_i scaled by ‖w_i‖: max |ΔΦ| = {dphi:.1e}, "
          f"F {F(W, theta, 0.01):.5f} → {F(W1, theta1, 0.01):.5f} (penalty "
          f"{float(theta.abs().sum()):.4f} → {float(theta1.abs().sum()):.4f})")


def loss_curve(name: str) -> Callable[[], None]:
    def draw() -> None:
        from theory.losses import CATALOGUE

        loss = CATALOGUE[name]
        y_sym, u_sym = sp.Symbol("y", real=True), sp.Symbol("u", real=True)
        free = {s.name: s for s in loss.expr.free_symbols}
        f = sp.lambdify((free.get("y", y_sym), free.get("u", u_sym)), loss.expr, "math")
        labels = loss.labels or (0.0, 1.0)
        us = [k / 20 for k in range(-80, 81)]
        fig, ax = plt.subplots(figsize=SIZE)
        for yv in labels:
            ax.plot(us, [float(f(yv, uu)) for uu in us], label=f"y = {yv:g}")
        kind = "negative control: not convex" if loss.negative_control else (
            f"convex, L = {loss.lipschitz}" if loss.lipschitz is not None
            else "convex, not Lipschitz")
        ax.set(xlabel="prediction u", ylabel="ℒ(y, u)", title=f"loss:{name} ({kind})")
        ax.legend(fontsize=8)
        fig.tight_layout()
        plt.show()

    return draw


#: values of the rates' other symbols in `rate_curves` (shape only, not a measurement)
RATE_VALUES = {"L": 1, "D_X": 1, "abar": 1, "l": 1, "n": 3, "alpha": 1, "H": 0.25, "C": 1,
               "kappa": 0.5}


def rate_curves(label: str) -> Callable[[], None]:
    def draw() -> None:
        import numpy as np

        from theory.rates import RATES

        widths = np.unique(np.logspace(0.5, 6, 120).astype(int))
        fig, ax = plt.subplots(figsize=SIZE)
        for rate in RATES.values():
            if rate.label != label:
                continue
            subs = {sym: RATE_VALUES[sym.name] for sym in rate.expr.free_symbols
                    if sym.name in RATE_VALUES}
            m_sym = next(sym for sym in rate.expr.free_symbols if sym.name == "m")
            f = sp.lambdify(m_sym, rate.expr.subs(subs), "numpy")
            values = np.broadcast_to(np.asarray(f(widths.astype(float)), dtype=float),
                                     widths.shape)
            order = sp.latex(rate.exponent)
            ax.loglog(widths, values, label=f"{rate.name}: order $m^{{-{order}}}$")
        ax.set(xlabel="width m", ylabel="ε(m)",
               title=f"{label}: the bound's decay (constants set to 1, n = 3, l = 1)")
        ax.legend(fontsize=8)
        fig.tight_layout()
        plt.show()
        print("Shape only: the constants are set to 1; the width calculator with measured "
              "inputs is on the rates page.")

    return draw


ILLUSTRATIONS: dict[str, Callable[[], None]] = {
    "ll:relu-lipschitz": relu_lipschitz,
    "ll:convex-output": convex_output,
    "ll:free-row": free_row,
    "ll:buffer-transfer": buffer_transfer,
    "ll:bridge": bridge,
    "ll:pruning": pruning,
    "ll:sharpness": sharpness,
    "ll:l1-control": l1_control,
    "ll:balancing": balancing,
    "ll:sphericalize": sphericalize,
    "fb:prop-2.3": linearization,
    "fb:prop-2.2": nuclear_norm,
    "ll:thm-balancing-retraction": balancing,
}


def _add_losses() -> None:
    try:
        from theory.losses import CATALOGUE
    except ImportError:  # pragma: no cover - the catalogue is part of theory
        return
    for name in CATALOGUE:
        ILLUSTRATIONS[f"loss:{name}"] = loss_curve(name)
    try:
        from theory.rates import RATES
    except ImportError:  # pragma: no cover
        return
    for rate in RATES.values():
        ILLUSTRATIONS.setdefault(rate.label, rate_curves(rate.label))


_add_losses()


def illustrate(label: str) -> None:
    """Run the illustration registered for `label`."""
    ILLUSTRATIONS[label]()
