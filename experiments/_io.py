"""Crash-safe file output: JSON encoding of array-like values, atomic whole-file writes."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO


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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> Path:
    """Replace `path` all at once by what `write(f)` writes to a binary file object.

    Temp file in the same folder, fsync, chmod to the user's umask (as an ordinary
    `open` would), os.replace, fsync of the folder: a reader (or a crash) sees either the
    old file or the new one, never a partial one.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """`write_atomic` of UTF-8 text."""
    return write_atomic(path, lambda f: f.write(text.encode("utf-8")))


def write_json_atomic(path: str | os.PathLike, obj: Any) -> Path:
    """`obj` as indented JSON (arrays and tensors as lists), written atomically."""
    return write_text_atomic(path, dumps(obj, indent=2) + "\n")


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
