"""Experiments: where a run is configured, executed, recorded and reported.

- `experiments.run`: `Run` (a typed frozen config, `claim(folder)`, one seeding scheme);
- `experiments.pairs`: the pairs pipeline (`gap` and the E2 width sweep);
- `experiments.reproduce`: the papers' experiments E1–E5 and `report.md`;
- `experiments.records`, `experiments.provenance`: the append-only record store and
  where a result came from; `experiments.stats`: the statistics of the reports;
- `experiments.bench`: speed ratios measured side by side;
- `experiments.cli`: the `relu-landscape` command line.
"""
