"""A resumable, append-only record store over a JSONL file, and CSV export.

One record (a JSON object with a string `key`) per line. `append` writes the whole line
in one `write` on an O_APPEND descriptor, then fsyncs, so a killed run leaves at most one
torn (unterminated) last line; opening the store cuts it away. A resumed run skips the
keys in `done_keys()` and ends with exactly the records of an uninterrupted one.
One writer per file: the store caches what it has read and written.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from experiments._io import dumps, fsync_dir, write_text_atomic
from theory.errors import InvalidArgumentError, RelulandscapeError


class DuplicateKeyError(RelulandscapeError, ValueError):
    """A record with this key is already in the store."""


class CorruptRecordError(RelulandscapeError, ValueError):
    """A complete line of the store is not a record (not a torn last line: real damage)."""


def _damaged(path: Path, lineno: int, what: str) -> CorruptRecordError:
    """The error for damaged line `lineno` of `path`: where, what, and what to do."""
    import shlex

    return CorruptRecordError(
        f"{path}:{lineno}: {what} — line {lineno} is a damaged record (not a torn last "
        f"line, which would be repaired). To keep the other records, delete that line "
        f"(sed -i '{lineno}d' {shlex.quote(str(path))}) and rerun the same command: it "
        "recomputes the missing task exactly. Or move the folder aside and start over.")


def record_key(**parts: Any) -> str:
    """The canonical key of a record: `record_key(width=20, pair=3)` → "width=20,pair=3"."""
    if not parts:
        raise InvalidArgumentError("record_key needs at least one part")
    return ",".join(f"{name}={value}" for name, value in parts.items())


class RecordStore:
    """Append-only records in the JSONL file `path` (created, with its folder, if absent).

    **Attributes** `path`; `torn_bytes`: how many bytes of a torn last line were cut away
    when the store was opened (0 for a clean file).
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self.path.touch()
            fsync_dir(self.path.parent)
        data = self.path.read_bytes()
        complete = data.rfind(b"\n") + 1
        self.torn_bytes = len(data) - complete
        if self.torn_bytes:
            self._truncate(complete)
        self._records: list[dict[str, Any]] = []
        self._keys: set[str] = set()
        # split on b"\n" only: the writer ends records with it, and damage may hold other
        # line breaks (\r, \x0b, …) that str.splitlines would count
        for lineno, line in enumerate(data[:complete].split(b"\n")[:-1], 1):
            try:
                rec = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise _damaged(self.path, lineno, f"not UTF-8 ({exc.reason})") from exc
            except json.JSONDecodeError as exc:
                raise _damaged(self.path, lineno, f"not JSON ({exc})") from exc
            try:
                self._admit(rec)
            except (TypeError, ValueError) as exc:
                raise _damaged(self.path, lineno, str(exc)) from exc

    def _truncate(self, size: int) -> None:
        fd = os.open(self.path, os.O_WRONLY)
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        finally:
            os.close(fd)

    def _admit(self, rec: Any) -> None:
        """Check `rec` (a dict with a new string key) and add it to the cache."""
        if not isinstance(rec, dict):
            raise TypeError(f"a record must be a dict, got {type(rec).__name__}")
        key = rec.get("key")
        if not isinstance(key, str) or not key:
            raise InvalidArgumentError(f"a record needs a non-empty string 'key', got {key!r}")
        if key in self._keys:
            raise DuplicateKeyError(f"record key {key!r} is already in {self.path}")
        self._keys.add(key)
        self._records.append(rec)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, key: str) -> bool:
        return key in self._keys

    def done_keys(self) -> set[str]:
        """The keys already recorded (a copy)."""
        return set(self._keys)

    def records(self) -> list[dict[str, Any]]:
        """Every record, in the order written (deep copies)."""
        return copy.deepcopy(self._records)

    def append(self, rec: dict[str, Any]) -> None:
        """Write `rec` durably as one line; refuses a key already present.

        Values go through JSON (arrays and tensors become lists), and the cached record is
        the parsed line, so `records()` is the same before and after reopening.
        """
        line = dumps(rec)
        parsed = json.loads(line)
        self._admit(parsed)
        data = (line + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        size = os.fstat(fd).st_size
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        except BaseException:
            # leave the file as it was, so later appends stay line-aligned
            os.ftruncate(fd, size)
            self._keys.discard(parsed["key"])
            self._records.pop()
            raise
        finally:
            os.close(fd)


def to_csv(records: Iterable[dict[str, Any]], path: str | os.PathLike) -> Path:
    """Write records as CSV atomically; columns are all keys in first-seen order.

    Missing values are empty; lists and dicts are written as JSON text. **Returns** the path.
    """
    records = list(records)
    columns = list(dict.fromkeys(name for rec in records for name in rec))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({name: dumps(value) if isinstance(value, list | dict) else value
                         for name, value in rec.items()})
    return write_text_atomic(path, buf.getvalue())
