"""Obligation modules: each registers its steps with `proofs_check.obligation`."""
