"""Crash-safe file output: JSON encoding of array-like values, atomic whole-file writes."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def _plain(obj: Any) -> Any:
    """numpy/torch scalars and arrays, and paths, as plain JSON values (duck-typed)."""
    if getattr(obj, "ndim", None) == 0 and hasattr(obj, "item"):
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    raise TypeError(f"object of type {type(obj).__name__} is not JSON serializable")


def dumps(obj: Any, indent: int | None = None) -> str:
    """JSON text of `obj`; arrays and tensors become (nested) lists."""
    separators = None if indent else (",", ":")
    return json.dumps(obj, default=_plain, indent=indent, separators=separators)


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Replace `path` by `text` all at once: temp file in the same folder, fsync, os.replace.

    A reader (or a crash) sees either the old file or the new one, never a partial one.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
