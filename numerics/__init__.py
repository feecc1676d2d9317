"""Numerics: measuring what the theorems talk about (training, paths, DSS, certificates)."""
