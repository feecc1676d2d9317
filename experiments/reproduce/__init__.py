"""Reproduce the papers' tables and figures (docs/validation.py, experiments E1–E5).

Main definitions: `EXPERIMENTS` (name → `Experiment`), `reproduce` (run, resumably, and
write records, provenance, figures and `report.md`). Both live in `_reproduce` and are
loaded on first use, so an experiment module can be imported on its own.
"""

from theory.lazy import lazy_exports

__all__ = ["EXPERIMENTS", "reproduce"]

__getattr__, __dir__ = lazy_exports("experiments.reproduce",
                                    dict.fromkeys(__all__, "experiments.reproduce._reproduce"),
                                    globals())
