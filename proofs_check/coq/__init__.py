"""The Coq development (`*.v`, logical path `RL`) and its link to the registry.

Main definitions: `_printer.CoqPrinter` (sympy → Coq), `_specs.SPECS` (how each statement
reads in the finite-sample setting), `_generate.generate` (the generated theorem file).
Build by hand: `cd proofs_check/coq && coq_makefile -f _CoqProject -o Makefile && make`.
"""
