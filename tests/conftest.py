"""Shared test machinery: the `lemma` marker, a seeded generator, hypothesis profiles.

Hypothesis profiles: `ci` (default, quick), `thorough` (many examples, no deadline) and
`mutation` (a few derandomized examples, set by `selftest --mutation` for every mutant);
choose with HYPOTHESIS_PROFILE=thorough. Slow tests carry the `slow` marker. Hypothesis
keeps its example database and caches under `.cache/hypothesis` at the repository root
(ignored by git), not in a `.hypothesis` folder wherever pytest was started.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

HYPOTHESIS_HOME = Path(__file__).resolve().parents[1] / ".cache" / "hypothesis"
set_hypothesis_home_dir(HYPOTHESIS_HOME)
_DATABASE = DirectoryBasedExampleDatabase(HYPOTHESIS_HOME / "examples")

settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    database=_DATABASE,
)
settings.register_profile(
    "thorough", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    database=_DATABASE,
)
settings.register_profile(
    "mutation", max_examples=5, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
if os.environ.get("HYPOTHESIS_PROFILE") == "mutation":
    # a mutant's tests run in a process forked from this one: what is imported here is
    # not imported again for every mutant. torch.testing.assert_close imports torch's
    # DTensor machinery on first use (about 0.5 s); frozen, the objects in memory are
    # never walked by the collector (nor their pages copied into the fork)
    torch.testing.assert_close(torch.zeros(1), torch.zeros(1))
    gc.freeze()

# one torch thread per test process: pytest-xdist already uses every core, and small
# batched ops slow down badly when threads oversubscribe them
torch.set_num_threads(1)


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded numpy generator (the same numbers every run)."""
    return np.random.default_rng(20170411)


@pytest.fixture
def torch_gen() -> torch.Generator:
    """A seeded torch CPU generator."""
    return torch.Generator().manual_seed(20170411)


def assert_close(actual, expected, *, dtype=torch.float64, rtol=None, atol=None):
    """One tolerance policy for the suite: tight for float64, loose for float32."""
    tol = {torch.float64: (1e-10, 1e-12), torch.float32: (1e-4, 1e-5)}[dtype]
    torch.testing.assert_close(
        torch.as_tensor(actual, dtype=dtype),
        torch.as_tensor(expected, dtype=dtype),
        rtol=tol[0] if rtol is None else rtol,
        atol=tol[1] if atol is None else atol,
    )


LEMMA_LABELS = pytest.StashKey[dict]()
COLLECTED_FILES = pytest.StashKey[set]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Skip CUDA tests without CUDA; record, before any deselection, which statement
    labels have tests (read by the blueprint consistency test)."""
    has_cuda = torch.cuda.is_available()
    labels: dict[str, set[str]] = {}
    for item in items:
        if item.get_closest_marker("cuda") and not has_cuda:
            item.add_marker(pytest.mark.skip(reason="needs a CUDA device"))
        for mark in item.iter_markers("lemma"):
            labels.setdefault(mark.args[0], set()).add(item.nodeid)
    config.stash[LEMMA_LABELS] = labels
    config.stash[COLLECTED_FILES] = {item.path.name for item in items}


@pytest.fixture
def lemma_labels(request) -> dict[str, set[str]]:
    """{label: test node ids} over the whole collected session."""
    return request.config.stash[LEMMA_LABELS]


@pytest.fixture
def collected_files(request) -> set[str]:
    return request.config.stash[COLLECTED_FILES]


def warm_up_optimizer() -> None:
    """Take one step of torch's Adam: its first step imports torch.optim's compiler
    machinery (about 2 s). Test modules whose mutation runs fork after collection call it
    at import, so that every mutant does not pay that import again."""
    w = torch.zeros(1, requires_grad=True)
    w.grad = torch.ones(1)
    torch.optim.Adam([w]).step()
