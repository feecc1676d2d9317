"""Statement modules: each defines `STATEMENTS`, a tuple of `theory.Statement`."""
