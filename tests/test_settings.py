"""One Settings object: validation, files, and every entry point using it."""

from __future__ import annotations

import inspect

import pytest

import plananalysis as pa
from plananalysis.errors import ParameterError
from plananalysis.settings import DEFAULTS, Settings


@pytest.mark.parametrize("changes, message", [
    ({"n_paths": 0}, "n_paths must be a positive integer"),
    ({"seed": -1}, "seed must be a non-negative integer"),
    ({"as_of": "2022"}, "as_of must be a four-digit year"),
    ({"on_track": 0.4, "at_risk": 0.6}, "thresholds"),
    ({"calibration": "platt"}, "calibration must be one of"),
    ({"lang": "fr"}, "lang must be one of"),
    ({"model": "prophet"}, "model must be 'auto' or one of"),
    ({"strict": "yes"}, "strict must be true or false"),
])
def test_bad_settings_name_the_setting(changes, message):
    with pytest.raises(ParameterError, match=message):
        Settings(**changes)


def test_replace_and_unknown_names():
    s = DEFAULTS.replace(as_of=2022, n_paths=200)
    assert (s.as_of, s.n_paths, s.seed) == (2022, 200, 0) and DEFAULTS.as_of is None
    with pytest.raises(ParameterError, match="unknown setting 'sead' \\(did you mean 'seed'\\?\\)"):
        DEFAULTS.replace(sead=1)


def test_settings_file(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("n_paths: 500\nseed: 2\n", encoding="utf-8")
    assert Settings.from_file(f).to_dict() == {**DEFAULTS.to_dict(), "n_paths": 500, "seed": 2}
    f.write_text("n_paths: [\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid YAML"):
        Settings.from_file(f)
    f.write_text("n_paths: lots\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=f"{f}: settings: n_paths"):
        Settings.from_file(f)


@pytest.mark.parametrize("name", ["assess", "vintages", "forecast_target", "cumulative_paths", "backtest_plan",
                                  "explain_auto", "compare_models"])
def test_every_plan_entry_point_takes_plan_and_settings(name):
    params = list(inspect.signature(getattr(pa, name)).parameters)
    assert "plan" in params and "settings" in params
    assert not {"n_paths", "seed", "model", "as_of", "strict"} & set(params)  # no threaded keywords


def test_cli_flags_and_settings_file_build_one_settings(tmp_path, capsys):
    from plananalysis.cli import main

    f = tmp_path / "s.yaml"
    f.write_text("n_paths: 300\nseed: 5\n", encoding="utf-8")
    assert main(["assess", "--settings", str(f), "--seed", "6", "--as-of", "2022", "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["assess", "--n-paths", "0"]) == 1
    assert "n_paths must be a positive integer" in capsys.readouterr().err
    f.write_text("n_pahts: 3\n", encoding="utf-8")
    assert main(["assess", "--settings", str(f)]) == 1
    assert "did you mean 'n_paths'" in capsys.readouterr().err
