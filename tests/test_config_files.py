"""A `--config` file is input too: every value is checked against its field's domain.

- the four values of the report (negative, wrong type, absurd size, NaN) are refused with
  exit 2 and one line naming the file and the key, before torch is imported;
- a fuzz arm: random TOML documents of random keys and values for every experiment end in
  a config whose every field lies in its domain, or in one `InvalidArgumentError` — never
  another exception (the CI profile draws a few; the `slow` variant ≥ 300 per experiment);
- a negative control: the same fuzz, run against a config class without domains, finds an
  invalid value that gets through (so the property can fail).
"""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments.configs import EXPERIMENTS, PRESETS, SCALES, preset
from experiments.domains import COUNT, domain_of, replaced
from theory.errors import InvalidArgumentError

ROWS = {"pairs = -3": "pairs must be an integer ≥ 1, got -3",
        'widths = "abc"': "widths must be a non-empty increasing list",
        "pairs = 99999999999999999999": "pairs must be an integer in [1, 2147483647]",
        "kappa = nan": "kappa must be a finite number > 0, got nan"}


@pytest.mark.parametrize("line", list(ROWS))
def test_bad_config_values_are_refused_before_torch(tmp_path, line):
    config = tmp_path / "c.toml"
    config.write_text(line + "\n")
    code = ("import sys; from experiments import cli\n"
            f"status = cli.main(['reproduce', 'seed-table', '--scale', 'quick', '--config', "
            f"{str(config)!r}, '--out', {str(tmp_path / 'out')!r}])\n"
            "print('torch' in sys.modules, status)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    lines = done.stderr.strip().splitlines()
    assert done.stdout.split() == ["False", "2"], done.stdout + done.stderr
    assert len(lines) == 1 and str(config) in lines[0] and ROWS[line] in lines[0]
    assert not (tmp_path / "out").exists()


def test_every_experiment_has_every_scale_and_a_pairs_field():
    assert set(PRESETS) == set(EXPERIMENTS)
    for name, scales in PRESETS.items():
        assert set(scales) == set(SCALES)
        assert preset(name, "smoke", pairs=3) is not None


@pytest.mark.parametrize("values, message", [
    ({"lr": {"fb_quadratic": 0.01}}, "lr has no entry for task(s) ['fb_cubic', 'moons_relu']"),
    ({"mlp_output": {"fb_cubic": "linear"}}, "mlp_output has no entry for task(s) "
                                             "['fb_quadratic']"),
    ({"mlp_output": {"fb_cubic": "tanh"}}, "mlp_output.fb_cubic must be one of"),
    ({"mlp_biases": {"moons_relu": True}}, "mlp_biases must be a table with keys among "
                                           "fb_quadratic, fb_cubic"),
])
def test_e3_tables_name_the_task_they_lack(values, message):
    """A per-task table that misses a task the run measures is refused before any work
    (it was a KeyError inside a worker)."""

    with pytest.raises(InvalidArgumentError) as err:
        replaced(preset("fb-geometry", "paper"), values)
    assert message in str(err.value)


def test_e3_mlps_are_fb17_s_per_task():
    """The quadratic net has no biases and a sigmoid output (FB17's QUADRATICS.py), the
    cubic net biases and a linear output (CUBICS.py); a table may cover only the tasks run."""
    from experiments.reproduce.e3_fb_geometry import mlp_of

    cfg = preset("fb-geometry", "paper")
    assert mlp_of("fb_quadratic", cfg).n_params == 24
    assert mlp_of("fb_cubic", cfg).n_params == 33
    only = replaced(cfg, {"tasks": ("fb_cubic",), "mlp_output": {"fb_cubic": "sigmoid"},
                          "levels": {"fb_cubic": (0.1,)}})
    assert mlp_of("fb_cubic", only).name == "sigmoid_mlp(1-4-4-1, sigmoid output)"


def test_numerics_sparsify_methods_match_the_light_names():
    from experiments.configs import SPARSIFY
    from numerics import METHODS

    assert tuple(METHODS) == SPARSIFY


def test_the_light_certificate_budget_is_the_library_s():
    """The command line's --max-points default (torch-free) is numerics' own default."""
    import inspect

    from experiments.configs import MAX_POINTS
    from numerics import DSSConfig, path_max
    from numerics._certify import MAX_POINTS as LIBRARY_MAX_POINTS

    assert MAX_POINTS == LIBRARY_MAX_POINTS == DSSConfig().max_points
    assert inspect.signature(path_max).parameters["max_points"].default == MAX_POINTS


def _value():
    scalar = st.one_of(st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
                       st.booleans(), st.text(max_size=6),
                       st.sampled_from(["moons", "cancer", "sampling", "pair", "fixed",
                                        "bce_logit", "huber(1/4)", "fb_quadratic"]))
    return st.one_of(scalar, st.lists(scalar, max_size=4),
                     st.dictionaries(st.sampled_from(["fb_quadratic", "moons_relu", "x"]),
                                     st.one_of(scalar, st.lists(scalar, max_size=3)),
                                     max_size=2))


def _documents(cls):
    names = [f.name for f in dataclasses.fields(cls)]
    keys = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=5))
    return st.dictionaries(keys, _value(), max_size=4)


def _in_domain(cfg) -> bool:
    for f in dataclasses.fields(cfg):
        domain = domain_of(f)
        if domain is not None:
            value = getattr(cfg, f.name)
            if domain.check(f.name, value) != value:
                return False
    return True


def _fuzz(name: str, doc: dict) -> None:
    try:
        cfg = preset(name, "smoke", overrides=doc, where="--config f.toml")
    except InvalidArgumentError as exc:
        assert str(exc).startswith("--config f.toml: ") and "\n" not in str(exc)
        return
    assert _in_domain(cfg)


@pytest.mark.parametrize("name", list(PRESETS))
def test_config_fuzz(name):
    cls = type(PRESETS[name]["smoke"])

    @settings(max_examples=40, deadline=None)
    @given(_documents(cls))
    def run(doc):
        _fuzz(name, doc)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PRESETS))
def test_config_fuzz_thorough(name):
    cls = type(PRESETS[name]["smoke"])

    @settings(max_examples=400, deadline=None)
    @given(_documents(cls))
    def run(doc):
        _fuzz(name, doc)

    run()


@dataclasses.dataclass(frozen=True)
class _Unchecked:
    """A config without domains: what `--config` values met before they were checked."""

    pairs: int = 2
    kappa: float = 1e-3


def test_negative_control_an_unchecked_config_lets_bad_values_through():
    found: list[dict] = []

    @settings(max_examples=200, deadline=None, database=None)
    @given(_documents(_Unchecked))
    def run(doc):
        try:
            cfg = replaced(_Unchecked(), doc)
        except InvalidArgumentError:
            return
        ok = isinstance(cfg.pairs, int) and not isinstance(cfg.pairs, bool) and \
            cfg.pairs >= 1 and isinstance(cfg.kappa, float) and math.isfinite(cfg.kappa) \
            and cfg.kappa > 0
        if not ok:
            found.append(doc)

    run()
    assert found, "the fuzz found no invalid value in a config without domains"
    # and the checked domain refuses what got through
    with pytest.raises(InvalidArgumentError):
        COUNT.check("pairs", -3)


def test_toml_round_trip_of_the_committed_config():
    from pathlib import Path

    path = Path(__file__).parents[1] / "experiments/reproduce/configs/seed-table-moons.toml"
    preset("seed-table", "paper", overrides=tomllib.loads(path.read_text()))
