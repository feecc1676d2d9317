"""Reproduce the papers' tables and figures (docs/validation.py, experiments E1–E5).

Main definitions: `EXPERIMENTS` (name → `Experiment`), `reproduce` (run, resumably, and
write records, provenance, figures and `report.md`). Both live in `_reproduce` and are
loaded on first use, so an experiment module can be imported on its own.
"""

__all__ = ["EXPERIMENTS", "reproduce"]


def __getattr__(name: str):
    if name in __all__:
        from experiments.reproduce import _reproduce

        return getattr(_reproduce, name)
    raise AttributeError(name)
