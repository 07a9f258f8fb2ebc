"""One Settings object: validation, files, and every entry point using it."""

from __future__ import annotations

import importlib
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
    ({"bounds": "tobit"}, "bounds must be one of censored, drop"),
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


@pytest.mark.parametrize("name", ["assess", "vintages", "backtest", "study.forecast_target", "study.cumulative_paths",
                                  "study.backtest_plan", "study.explain_auto", "study.compare_models"])
def test_every_plan_entry_point_takes_plan_and_settings(name):
    module, _, attr = name.rpartition(".")
    params = list(inspect.signature(getattr(importlib.import_module(f"plananalysis.{module}") if module else pa,
                                            attr)).parameters)
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


# ------------------------------------------------------------------ removed settings
REMOVED = "'horizon' was removed in 0.3: the forecast horizon is set by each target's year"


def test_removed_horizon_says_what_to_use_instead_as_a_keyword_and_in_a_mapping():
    with pytest.raises(ParameterError, match=REMOVED):
        Settings(horizon=5)
    with pytest.raises(ParameterError, match=REMOVED):
        Settings.from_mapping({"horizon": 5})
    with pytest.raises(ParameterError, match=REMOVED):
        DEFAULTS.replace(horizon=5)
    assert "horizon" not in Settings.names() and "horizon" not in DEFAULTS.to_dict()


def test_removed_horizon_in_a_settings_file_names_the_file(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("n_paths: 500\nhorizon: 5\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=f"{f}: {REMOVED}"):
        Settings.from_file(f)


def test_removed_horizon_flag_fails_with_the_message(capsys):
    from plananalysis.cli import main

    assert main(["assess", "--horizon", "5", "--n-paths", "200"]) == 1
    err = capsys.readouterr().err
    assert "command-line flag --horizon" in err and REMOVED in err
    assert "--horizon" not in _help("assess", capsys)  # hidden: no longer a setting


def test_every_setting_is_a_documented_flag_and_nothing_else(capsys):
    from plananalysis.cli import SETTING_HELP

    assert set(SETTING_HELP) == set(Settings.names())
    text = _help("assess", capsys)
    for name in Settings.names():
        assert "--" + name.replace("_", "-") in text


def _help(command, capsys) -> str:
    from plananalysis.cli import main

    with pytest.raises(SystemExit):
        main([command, "--help"])
    return capsys.readouterr().out
