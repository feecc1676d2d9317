"""The allocator settings every CLI run applies (experiments._allocator)."""

from __future__ import annotations

import platform

from experiments._allocator import ENVIRONMENT, keep_freed_memory


def test_child_processes_inherit_the_thresholds(monkeypatch):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    applied = keep_freed_memory()
    import os

    assert {name: os.environ[name] for name in ENVIRONMENT} == ENVIRONMENT
    # mallopt exists exactly where the C library is glibc
    assert applied == (platform.libc_ver()[0] == "glibc")


def test_a_users_own_setting_is_kept(monkeypatch):
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "12345")
    keep_freed_memory()
    import os

    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "12345"
