"""Certificate folders: max F along a path, with the evidence to re-derive it.

A certificate folder holds `manifest.json` (model kind and shape, loss, κ, the tolerance,
`certified_by`, the sha256 of every stored array and of the inputs it was made from, per
segment its claimed bound, the level max{F(A), F(B)} and the claim max F ≤ `max`) and
`arrays.npz` (X as the model sees it, loss-ready Y, the path's `vertices` (V, P), and per
segment j its split points `t_j` and interval bounds `bounds_j`).

`relu-landscape certify` writes one for two given models; `gap` and `reproduce` write one per
pair and path family under `--certificates DIR` (`pair_folder`). `relu-landscape verify`
re-checks any of them in interval arithmetic without torch (`experiments.verify_certificate`,
which shares no code with this module).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from theory.errors import RelulandscapeError

FORMAT = "relu-landscape/certificate"
VERSION = 1
#: the losses `verify` can evaluate in interval arithmetic
LOSSES = ("logistic", "hinge", "mse", "half_squared", "bce_logit")
# a claim is raised by this much above the certified value, so that an independent
# re-check with its own rounding confirms it
_SLACK_REL, _SLACK_ABS = 1e-9, 1e-12


class CertificateRefused(RelulandscapeError, ValueError):
    """A certificate cannot be written for this problem (its loss or model)."""


def check_certifiable(cfg: Any) -> None:
    """Refuse `--certificates` for a pairs configuration whose certificates `verify` could
    not re-check (light: no torch)."""
    loss_name(cfg.loss)
    if getattr(cfg, "negative_control", False):
        raise CertificateRefused("--certificates: the negative control's paths are not "
                                 "certified")


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


def loss_name(loss: Any) -> str:
    """The certificate name of a loss (`Loss.name`), refused when `verify` cannot evaluate it."""
    name = getattr(loss, "name", loss)
    if name not in LOSSES:
        raise CertificateRefused(f"--certificates: loss {name} has no interval evaluation "
                                 f"in verify (certificates support {', '.join(LOSSES)})")
    return name


def pair_folder(root: Path, width: int, pair_id: int, *, dataset: str | None = None) -> Path:
    """Where `gap` / `reproduce --certificates` put a pair's certificates:
    ROOT[/DATASET]/width=M/pair=K, one certificate folder per path family inside
    (`dss`, `constructive`)."""
    base = root / dataset if dataset else root
    return base / f"width={width}" / f"pair={pair_id}"


def write_certificate(out: Path, problem: Any, vertices: Any, *, tol: float,
                      max_points: int | None = None, inputs: dict | None = None) -> dict:
    """Certify max F on every segment of the path `vertices` `(V ≥ 2, P)` of `problem`
    (`numerics.segment_evidence`: rounding-sound float64 bounds) and write the folder `out`
    (created; it must not hold a certificate already). Returns the manifest.

    `max_points`: F evaluations per segment at most (None: the certificate's default,
    `numerics.MAX_POINTS`). `inputs`: name → {"file", "sha256"} of the files the
    path came from (provenance; the certificate itself is self-contained).
    """
    import numpy as np
    import torch

    from numerics import CERTIFIED_BY, BiasReluNet, segment_evidence

    name = loss_name(problem.loss)
    model = problem.model
    p64 = problem.with_dtype(torch.float64)
    V = torch.as_tensor(vertices, dtype=torch.float64, device=p64.device)
    if V.ndim != 2 or V.shape[0] < 2:
        raise CertificateRefused(f"a path needs vertices (V ≥ 2, P), got {tuple(V.shape)}")
    budget = {} if max_points is None else {"max_points": max_points}
    rows, evidence = segment_evidence(p64, V[:-1], V[1:], tol, **budget)
    F_ends = p64.F(V[[0, -1]])
    arrays = {"X": p64.X.cpu().numpy().astype(np.float64),
              "Y": p64.Y.cpu().numpy().astype(np.float64), "vertices": V.cpu().numpy()}
    segments: list[dict] = []
    for j, (t, bound) in enumerate(evidence):
        claimed = np.nextafter(bound.cpu().numpy() * (1 + _SLACK_REL) + _SLACK_ABS, np.inf)
        arrays[f"t_{j}"], arrays[f"bounds_{j}"] = t.cpu().numpy(), claimed
        segments.append({"bound": float(claimed.max()), "intervals": int(claimed.size),
                         "sampled_max": float(rows.sampled[j]), "status": rows.status[j]})
    out.mkdir(parents=True, exist_ok=True)
    apath = out / "arrays.npz"
    np.savez(apath, **arrays)
    hashes = {k: sha256_array(v) for k, v in arrays.items()}
    hashes["arrays.npz"] = hashlib.sha256(apath.read_bytes()).hexdigest()
    manifest = {
        "format": FORMAT, "version": VERSION,
        "model": {"kind": "bias_relu" if isinstance(model, BiasReluNet) else "relu",
                  "n": int(model.n), "m": int(model.m)},
        "loss": name, "kappa": float(model.kappa), "tol": tol,
        "certified_by": CERTIFIED_BY, "inputs": inputs or {}, "sha256": hashes,
        "level": float(F_ends.max()), "max": max(float(s["bound"]) for s in segments),
        "segments": segments,
    }
    # integrity of the manifest itself: any edit of a stored number is refused
    manifest["manifest_sha256"] = manifest_sha256(manifest)
    tmp = out / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out / "manifest.json")
    return manifest
