"""`relu-landscape certify`: a re-checkable certificate of max F along a path.

Reads two models (npz: `W` (m, n), `theta` (m,), and for a net with biases `b` (m,) and
`theta0` (1,)), data (npz: `X` (N, n) as the model sees it, `Y` (N,)) and optionally a
path (npz: `vertices` (V, P), flat parameter vectors from A to B; default the straight
segment). Certifies max F on every segment (`numerics.segment_evidence`: rounding-sound
float64 bounds) and writes the folder OUT: `manifest.json` (sha256 of the inputs and of
every array, loss, κ, per-segment bound, the path's claim) and `arrays.npz` (X, loss-ready
Y, vertices, per segment its split points `t_j` and interval bounds `bounds_j`).
`relu-landscape verify OUT` re-checks it in interval arithmetic without torch.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from pathlib import Path

from experiments._cli_common import Refused, positive_float, positive_int

HELP = "certify max F along a path between two models; write a re-checkable certificate"
FORMAT = "relu-landscape/certificate"
VERSION = 1
LOSSES = ("logistic", "hinge", "mse", "half_squared", "bce_logit")
# a claim is raised by this much above the certified value, so that an independent
# re-check with its own rounding confirms it
_SLACK_REL, _SLACK_ABS = 1e-9, 1e-12


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model-a", required=True, type=Path, metavar="A.npz")
    parser.add_argument("--model-b", required=True, type=Path, metavar="B.npz")
    parser.add_argument("--data", required=True, type=Path, metavar="D.npz")
    parser.add_argument("--loss", required=True, choices=LOSSES)
    parser.add_argument("--kappa", required=True, type=positive_float, metavar="K")
    parser.add_argument("--path", type=Path, metavar="P.npz",
                        help="path vertices (default: the straight segment A → B)")
    parser.add_argument("--tol", type=positive_float, default=1e-4,
                        help="target certified − sampled per segment (default 1e-4)")
    parser.add_argument("--max-points", type=positive_int, default=4096,
                        help="F evaluations per segment at most (default 4096)")
    parser.add_argument("--out", required=True, type=Path, metavar="CERT",
                        help="certificate folder to write (must not exist or be empty)")


def sha256_array(x) -> str:
    """sha256 over dtype, shape and the C-order bytes of a numpy array."""
    import numpy as np

    h = hashlib.sha256()
    h.update(f"{x.dtype.str}{x.shape}".encode())
    h.update(np.ascontiguousarray(x).tobytes())
    return h.hexdigest()


def manifest_sha256(manifest: dict) -> str:
    """sha256 of the manifest's canonical JSON without its own `manifest_sha256` key."""
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _npz(path: Path, keys: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    import numpy as np

    if not path.is_file():
        raise Refused(f"{path}: no such file")
    try:
        with np.load(path, allow_pickle=False) as z:
            missing = [k for k in keys if k not in z.files]
            if missing:
                raise Refused(f"{path}: missing array(s) {', '.join(missing)}")
            out = {k: np.asarray(z[k], dtype=np.float64) for k in keys + optional
                   if k in z.files}
    except Refused:
        raise
    except (OSError, ValueError, EOFError) as exc:
        raise Refused(f"{path}: not a readable npz without pickles ({exc})") from None
    for k, v in out.items():
        if not np.isfinite(v).all():
            raise Refused(f"{path}: array {k} holds NaN or inf")
    return out


def _flat(path: Path, model: dict, n: int | None):
    import numpy as np

    W, theta = model["W"], model["theta"]
    if W.ndim != 2 or theta.shape != (W.shape[0],):
        raise Refused(f"{path}: need W (m, n) and theta (m,), got {W.shape} and {theta.shape}")
    if n is not None and W.shape[1] != n:
        raise Refused(f"{path}: W has {W.shape[1]} inputs, the data {n}")
    bias = "b" in model
    if bias != ("theta0" in model):
        raise Refused(f"{path}: a net with biases needs both b and theta0")
    parts = [W.ravel(), model["b"].ravel(), theta, model["theta0"].ravel()] if bias else \
        [W.ravel(), theta]
    if bias and (model["b"].shape != theta.shape or model["theta0"].size != 1):
        raise Refused(f"{path}: need b (m,) and theta0 (1,)")
    return np.concatenate(parts), bias, W.shape


def run(args: argparse.Namespace) -> int:
    # the answers that need no heavy import first
    for option, path in (("--model-a", args.model_a), ("--model-b", args.model_b),
                         ("--data", args.data), ("--path", args.path)):
        if path is not None and not path.is_file():
            raise Refused(f"{option} {path}: no such file")
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        raise Refused(f"--out {args.out} exists and is not an empty folder")
    import numpy as np
    import torch

    from numerics import CERTIFIED_BY, BiasReluNet, Dataset, Problem, ReluNet, segment_evidence
    from theory.losses import get_loss

    data = _npz(args.data, ("X", "Y"))
    X, Y = data["X"], data["Y"]
    if X.ndim != 2 or Y.shape != (X.shape[0],) or X.shape[0] == 0:
        raise Refused(f"{args.data}: need X (N, n) and Y (N,), got {X.shape} and {Y.shape}")
    a, bias_a, shape_a = _flat(args.model_a, _npz(args.model_a, ("W", "theta"),
                                                  ("b", "theta0")), X.shape[1])
    b, bias_b, shape_b = _flat(args.model_b, _npz(args.model_b, ("W", "theta"),
                                                  ("b", "theta0")), X.shape[1])
    if (bias_a, shape_a) != (bias_b, shape_b):
        raise Refused("models A and B differ in shape or in having biases")
    m, n = shape_a
    if args.path is not None:
        V = _npz(args.path, ("vertices",))["vertices"]
        if V.ndim != 2 or V.shape[0] < 2 or V.shape[1] != a.size:
            raise Refused(f"{args.path}: vertices must be (V ≥ 2, {a.size}), got {V.shape}")
        if not (np.array_equal(V[0], a) and np.array_equal(V[-1], b)):
            raise Refused(f"{args.path}: the path must start at A and end at B exactly")
    else:
        V = np.stack([a, b])
    loss = get_loss(args.loss)
    labels = loss.labels is not None
    if labels and not np.isin(Y, (0.0, 1.0)).all():
        raise Refused(f"{args.data}: loss {args.loss} needs class labels Y ∈ {{0, 1}}")
    net = (BiasReluNet(n, m, args.kappa) if bias_a else ReluNet(n, m, args.kappa))
    dataset = Dataset("certify", torch.from_numpy(X), torch.from_numpy(Y),
                      "binary" if labels else "regression")
    problem = Problem.of(net, dataset, loss, dtype=torch.float64)
    Vt = torch.from_numpy(V)
    rows, evidence = segment_evidence(problem, Vt[:-1], Vt[1:], args.tol,
                                      max_points=args.max_points)
    F_ends = problem.F(Vt[[0, -1]])
    arrays = {"X": X, "Y": problem.Y.cpu().numpy().astype(np.float64), "vertices": V}
    segments: list[dict] = []
    for j, (t, bound) in enumerate(evidence):
        claimed = bound.numpy() * (1 + _SLACK_REL) + _SLACK_ABS
        claimed = np.nextafter(claimed, np.inf)
        arrays[f"t_{j}"], arrays[f"bounds_{j}"] = t.numpy(), claimed
        segments.append({"bound": float(claimed.max()), "intervals": int(claimed.size),
                         "sampled_max": float(rows.sampled[j]), "status": rows.status[j]})
    claim = max(float(s["bound"]) for s in segments)
    args.out.mkdir(parents=True, exist_ok=True)
    apath = args.out / "arrays.npz"
    np.savez(apath, **arrays)
    hashes = {k: sha256_array(v) for k, v in arrays.items()}
    hashes["arrays.npz"] = hashlib.sha256(apath.read_bytes()).hexdigest()
    inputs = {name: {"file": str(p), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
              for name, p in (("model_a", args.model_a), ("model_b", args.model_b),
                              ("data", args.data), ("path", args.path)) if p is not None}
    level = float(F_ends.max())
    manifest = {
        "format": FORMAT, "version": VERSION,
        "model": {"kind": "bias_relu" if bias_a else "relu", "n": n, "m": m},
        "loss": args.loss, "kappa": args.kappa, "tol": args.tol,
        "certified_by": CERTIFIED_BY, "inputs": inputs, "sha256": hashes,
        "level": level, "max": claim, "segments": segments,
    }
    # integrity of the manifest itself: any edit of a stored number is refused
    manifest["manifest_sha256"] = manifest_sha256(manifest)
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n",
                                            encoding="utf-8")
    barrier = claim - level
    print(f"certified: max F along the path ≤ {claim!r} (level λ = {level!r}, barrier ≤ "
          f"{math.nextafter(barrier, math.inf)!r}); wrote {args.out}")
    return 0
