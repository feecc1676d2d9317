"""Whether CUDA is certainly absent, told without importing torch (a few file lookups).

`relu-landscape … --device cuda` on a machine without CUDA is refused while the arguments
are parsed, in a fraction of a second, instead of after torch's import (seconds). Only a
certain absence refuses; anything else is left to `torch.cuda.is_available()` later
(`numerics._validate`), which stays the authority:

- the installed torch is a build without a GPU backend (no `libtorch_cuda*` or
  `libtorch_hip*` in `torch/lib`, e.g. a `+cpu` wheel);
- `CUDA_VISIBLE_DEVICES` hides every device ("" or "-1");
- on Linux, no GPU driver is loaded (none of `/proc/driver/nvidia/version`,
  `/dev/nvidiactl`, `/dev/kfd` exists).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from importlib import metadata
from pathlib import Path

#: files whose presence means a GPU driver is loaded (NVIDIA; ROCm's kernel driver)
DRIVER_FILES = ("/proc/driver/nvidia/version", "/dev/nvidiactl", "/dev/kfd")
GPU_LIBRARIES = ("libtorch_cuda", "libtorch_hip")


def _torch_lib() -> Path | None:
    spec = importlib.util.find_spec("torch")  # finds, does not import
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "lib"


def cuda_absent(driver_files: tuple[str, ...] = DRIVER_FILES) -> str | None:
    """Why CUDA is certainly unavailable here, or None when torch must be asked."""
    lib = _torch_lib()
    if lib is not None and lib.is_dir():
        names = [p.name for p in lib.iterdir()]
        if not any(n.startswith(GPU_LIBRARIES) for n in names):
            try:
                build = metadata.version("torch")
            except metadata.PackageNotFoundError:
                build = "installed"
            return f"torch {build} is a build without CUDA"
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None and visible.strip() in ("", "-1"):
        return f"CUDA_VISIBLE_DEVICES={visible!r} hides every device"
    if sys.platform.startswith("linux") and not any(os.path.exists(f) for f in driver_files):
        return "no GPU driver is loaded (no /proc/driver/nvidia)"
    return None
