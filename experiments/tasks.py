"""Run an experiment's independent tasks, resumably, in-process or on a Dask cluster.

An experiment is a list of `Task`s (a unique `key`, a picklable function and its keyword
arguments) whose records depend only on the task itself — each task seeds its own
generators from (seed, key) with `experiments.run.generator` — so the order of execution,
a restart, or a cluster cannot change a record. Records are appended atomically to
`records.jsonl` as tasks finish; on restart, tasks whose key is already recorded are
skipped. `tidy` sorts by key, so an interrupted-and-resumed run ends with exactly the
records of an uninterrupted one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from experiments.records import RecordStore
from theory.errors import InvalidArgumentError


@dataclass(frozen=True)
class Task:
    """`fn(**kwargs)` returns a list of record dicts; the runner adds `key` and `task`."""

    key: str
    fn: Callable[..., list[dict[str, Any]]]
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __call__(self, threads: int | None = None) -> list[dict[str, Any]]:
        if threads is not None:
            # float reductions depend on the thread count: pin it for reproducible records
            import torch

            torch.set_num_threads(threads)
        records = self.fn(**self.kwargs)
        return [{"key": f"{self.key}/{i}", "task": self.key, **rec}
                for i, rec in enumerate(records)]


def run_tasks(
    tasks: Sequence[Task],
    store_path: Path,
    *,
    executor: str = "local",
    scheduler: str | None = None,
    threads: int | None = None,
    desc: str = "tasks",
) -> list[dict[str, Any]]:
    """Run the tasks not yet in `store_path`; return every record, sorted by key.

    **Arguments**
    - `executor`: "local" (in-process, in order) or "dask" (needs `scheduler`, the address
      of a running Dask scheduler, or "local:N" for an N-worker LocalCluster).
    - `threads`: torch threads inside every task (None: leave as is). Records are
      bit-identical across executors only at the same thread count.
    """
    keys = [t.key for t in tasks]
    if len(set(keys)) != len(keys):
        raise InvalidArgumentError("task keys must be unique")
    store = RecordStore(store_path)
    done = store.done_keys()
    todo = [t for t in tasks if t.key not in done]
    bar = tqdm(total=len(tasks), initial=len(tasks) - len(todo), desc=desc, unit="task",
               file=sys.stderr, leave=False)
    try:
        if executor == "local":
            for task in todo:
                _append_all(store, task.key, task(threads))
                bar.update()
        elif executor == "dask":
            _run_dask(todo, store, scheduler, bar, threads)
        else:
            raise InvalidArgumentError(f"executor must be 'local' or 'dask', got {executor!r}")
    finally:
        bar.close()
    return tidy([rec for entry in store.records() for rec in entry["records"]])


def _append_all(store: RecordStore, task_key: str, records: list[dict[str, Any]]) -> None:
    # one line per task: a task is recorded whole or not at all
    store.append({"key": task_key, "records": records})


def _run_dask(todo: Sequence[Task], store: RecordStore, scheduler: str | None, bar,
              threads: int | None) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("--executor dask needs the 'distributed' extra: "
                           "pip install 'relu-landscape[distributed]'") from exc
    if not scheduler:
        raise InvalidArgumentError("--executor dask needs --scheduler ADDRESS (or local:N)")
    cluster = None
    if scheduler.startswith("local:"):
        cluster = LocalCluster(n_workers=int(scheduler[6:]), threads_per_worker=1,
                               processes=True, dashboard_address=":0")
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        # Dask does not keep submission order; the priorities do (costly tasks go first)
        futures = {client.submit(task, threads, pure=False, priority=len(todo) - i): task.key
                   for i, task in enumerate(todo)}
        for future in as_completed(futures):
            _append_all(store, futures[future], future.result())
            bar.update()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def chunks(n: int, size: int) -> list[range]:
    """0 … n−1 in consecutive ranges of `size` (the last may be shorter): pairs per task."""
    return [range(i, min(n, i + size)) for i in range(0, n, size)]


def tidy(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records sorted by key (the canonical order of a finished run)."""
    return sorted(records, key=lambda r: _natural(r["key"]))


def _natural(key: str) -> tuple:
    # digits compare as numbers ("w20" < "w200"); tagging keeps the tuple comparable
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", key))
