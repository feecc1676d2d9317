"""`relu-landscape certify`: a re-checkable certificate of max F along a path.

Reads two models (npz: `W` (m, n), `theta` (m,), and for a net with biases `b` (m,) and
`theta0` (1,)), data (npz: `X` (N, n) as the model sees it, `Y` (N,)) and optionally a
path (npz: `vertices` (V, P), flat parameter vectors from A to B; default the straight
segment). Certifies max F on every segment (`numerics.segment_evidence`: rounding-sound
float64 bounds) and writes the folder OUT: `manifest.json` (sha256 of the inputs and of
every array, loss, κ, per-segment bound, the path's claim) and `arrays.npz` (X, loss-ready
Y, vertices, per segment its split points `t_j` and interval bounds `bounds_j`).
`relu-landscape verify OUT` re-checks it in interval arithmetic without torch. `--lower`
writes instead `lower.json`: a certified lower bound of the barrier over every path, by the
crossing argument (`theory.crossing`), for width-2 nets without bias on 2-D data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from pathlib import Path

from experiments._cli_common import Refused, count_option, positive_option
from experiments.certificates import LOSSES
from experiments.configs import MAX_POINTS

HELP = ("certify max F along a path between two models and write a re-checkable "
        "certificate; --lower: a certified lower bound of the barrier (width-2 nets on 2-D data)")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model-a", required=True, type=Path, metavar="A.npz")
    parser.add_argument("--model-b", required=True, type=Path, metavar="B.npz")
    parser.add_argument("--data", required=True, type=Path, metavar="D.npz")
    parser.add_argument("--loss", required=True, choices=LOSSES)
    parser.add_argument("--kappa", required=True, type=positive_option("--kappa"), metavar="K")
    parser.add_argument("--path", type=Path, metavar="P.npz",
                        help="path vertices (default: the straight segment A → B)")
    parser.add_argument("--tol", type=positive_option("--tol"), default=1e-4,
                        help="target certified − sampled per segment (default 1e-4)")
    parser.add_argument("--max-points", type=count_option("--max-points"), default=MAX_POINTS,
                        help=f"F evaluations per segment at most (default {MAX_POINTS})")
    parser.add_argument("--out", required=True, type=Path, metavar="CERT",
                        help="certificate folder to write (must not exist or be empty)")
    parser.add_argument("--lower", action="store_true",
                        help="instead: a certified lower bound of the barrier between A and B "
                        "over every path, by the crossing argument (lb:crossing-barrier; "
                        "width-2 nets without bias on 2-D data, loss mse or half_squared); "
                        "writes CERT/lower.json; exit 0 when it proves A and B disconnected "
                        "below a level, 1 when no lower bound is found")


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


def _lower(args: argparse.Namespace, problem, V, inputs: dict) -> int:
    """`certify --lower`: barrier(A, B) ≥ inf_𝒞 F − max{F(A), F(B)} over every path
    (`theory.crossing.barrier_lower_bound`), or "no lower bound found"."""
    from theory.crossing import SQUARED_LOSSES, CrossingArgumentError, barrier_lower_bound

    if args.path is not None:
        raise Refused("--lower bounds the barrier over every path: --path does not apply")
    if args.loss not in SQUARED_LOSSES:
        raise Refused(f"--lower needs loss {' or '.join(SQUARED_LOSSES)} (the crossing "
                      f"bound's closed form), got {args.loss}")
    model = problem.model
    if model.__class__.__name__ != "ReluNet" or (model.n, model.m) != (2, 2):
        raise Refused(f"--lower needs width-2 nets without bias on 2-D data (W of shape "
                      f"(2, 2)), got {model.__class__.__name__} with W ({model.m}, {model.n})")
    m, n = model.m, model.n
    A, B = V[0], V[-1]
    X, Y = problem.X.tolist(), problem.Y.tolist()
    try:
        got = barrier_lower_bound(A[:m * n].reshape(m, n).tolist(), A[m * n:].tolist(),
                                  B[:m * n].reshape(m, n).tolist(), B[m * n:].tolist(),
                                  X, Y, args.kappa, loss=args.loss, tol=args.tol)
    except CrossingArgumentError as exc:
        print(f"no lower bound found: {exc}")
        return 1
    c = got.crossing
    record = {"format": "relu-landscape/lower-bound", "version": 1, "statement":
              "lb:crossing-barrier", "inputs": inputs, "loss": args.loss, "kappa": args.kappa,
              "tol": args.tol, "crossing_inf": [c.lower, c.upper], "crossing_phi": c.phi,
              "boxes": c.boxes, "closed": c.closed, "level": got.level,
              "barrier_lower": got.barrier_lower, "det_A": got.det_A, "det_B": got.det_B,
              "proved": got.barrier_lower > 0}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "lower.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    if got.barrier_lower <= 0:
        print(f"no lower bound found: every path crosses det W = 0, where F ≥ {c.lower!r}, "
              f"but the level max{{F(A), F(B)}} ≤ {got.level!r} is not below it; wrote "
              f"{args.out / 'lower.json'}")
        return 1
    print(f"certified: the level set {{F ≤ λ}} has A and B in different components for "
          f"every λ < {c.lower!r} (inf of F over det W = 0 ∈ [{c.lower!r}, {c.upper!r}]); "
          f"barrier ≥ {got.barrier_lower!r} above max{{F(A), F(B)}} ≤ {got.level!r}; wrote "
          f"{args.out / 'lower.json'}")
    return 0


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

    from experiments.certificates import write_certificate
    from numerics import BiasReluNet, Dataset, Problem, ReluNet
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
    inputs = {name: {"file": str(p), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
              for name, p in (("model_a", args.model_a), ("model_b", args.model_b),
                              ("data", args.data), ("path", args.path)) if p is not None}
    if args.lower:
        return _lower(args, problem, V, inputs)
    manifest = write_certificate(args.out, problem, torch.from_numpy(V), tol=args.tol,
                                 max_points=args.max_points, inputs=inputs)
    claim, level = manifest["max"], manifest["level"]
    barrier = claim - level
    print(f"certified: max F along the path ≤ {claim!r} (level λ = {level!r}, barrier ≤ "
          f"{math.nextafter(barrier, math.inf)!r}); wrote {args.out}")
    return 0
