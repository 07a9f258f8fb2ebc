"""Command-line face of plananalysis: ``plananalysis COMMAND [options]``.

Only argument parsing and output formatting live here; every command calls
a library function that can also be imported. Errors that bad input can
cause (:class:`~plananalysis.errors.PlanAnalysisError`) are printed as one
clear message and give exit status 1 (2 for usage errors, as argparse does).
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .errors import PlanAnalysisError

DESCRIPTION = """\
Will a Chinese plan hit its targets? plananalysis reads a plan bundle (the
plan's targets, sourced official statistics and what is declared about each
series), forecasts each indicator with intervals and estimates the
probability of meeting each target. Without --plan it uses the default
bundle shipped with the package: the 14th Five-Year Plan for Technical
Education (技工教育“十四五”规划, 人社部发〔2021〕86号).
"""

EPILOG = """\
examples:
  plananalysis targets                          the plan's indicator targets
  plananalysis validate                         check the default bundle's data files
  plananalysis assess --as-of 2022              what we would have said in 2022
  plananalysis assess --targets T.csv --series S.csv --as-of 2020
                                                a plan the package has never seen
  plananalysis new-plan my_plan --targets T.csv --series S.csv
                                                write a plan bundle from two tables
  plananalysis report --plan my_plan --out reports/my_plan
                                                run every notebook, publish HTML
  plananalysis calibrate evaluate               how well P(meet) is calibrated on past targets

Settings (model, n_paths, seed, as_of, ...) are flags of assess, backtest and
report, or a YAML file given with --settings (flags win over the file).
Run 'plananalysis COMMAND --help' for a command's options.
"""

#: Columns shown by ``plananalysis targets --format table`` (csv/json show all).
TARGET_TABLE_COLUMNS = [
    "indicator", "name_zh", "unit", "comparator", "target", "target_year", "cumulative",
    "baseline_year", "baseline_qualifier", "baseline_value", "series", "series_relation",
]

#: Help text of each Settings field's flag.
SETTING_HELP = {
    "model": "forecasting model (default: auto)",
    "n_paths": "simulated paths per target (default: 10000)",
    "seed": "random seed; the same seed gives the same numbers (default: 0)",
    "as_of": "use only observations up to YEAR (default: all data)",
    "strict": "read '>'/'<' as exclusive (超过) instead of the plan's 以上 (at least)",
    "on_track": "P(meet) at or above which a target is on track (default: 0.9)",
    "at_risk": "P(meet) at or above which a target is at risk, below it off track (default: 0.5)",
    "fit_start": "first year of every fit window, overriding the plan's declared breaks",
    "calibration": "how p_meet is made from the trend probability: reference_class or none",
    "n_jobs": "worker processes for batches of targets (-1: all CPUs; default: 1)",
    "lang": "language of labels and charts: en or zh (default: en)",
    "horizon": "forecast horizon where no target year sets one (default: 5)",
}


def _emit(frame, fmt: str, table_columns=None) -> None:
    """Print a DataFrame as an aligned table, CSV or JSON records.

    ``table_columns`` narrows the aligned table to the columns a reader needs;
    CSV and JSON always carry every column.
    """
    if fmt == "table" and table_columns:
        frame = frame[[c for c in table_columns if c in frame.columns]]
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", force_ascii=False, indent=2) + "\n")
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            sys.stdout.write(frame.to_string(index=False) + "\n")


def _add_format(parser) -> None:
    parser.add_argument(
        "--format", choices=["table", "csv", "json"], default="table",
        help="output format (default: table)",
    )


def _add_plan(parser, tables=True) -> None:
    parser.add_argument("--plan", metavar="DIR",
                        help="plan bundle folder holding plan.yaml (default: the bundle shipped with the package)")
    if tables:
        parser.add_argument("--targets", metavar="FILE",
                            help="targets table (.csv/.yaml) or plan text, replacing the plan's; "
                                 "with --series too, no bundle is needed")
        parser.add_argument("--series", metavar="FILE", help="statistics table (.csv), replacing the plan's")


def _add_settings(parser) -> None:
    from .settings import Settings

    group = parser.add_argument_group("settings (one Settings object; see --settings)")
    group.add_argument("--settings", metavar="FILE.yaml", help="settings file: 'name: value' lines")
    types = {"model": str, "n_paths": int, "seed": int, "as_of": int, "on_track": float, "at_risk": float,
             "fit_start": int, "calibration": str, "n_jobs": int, "lang": str, "horizon": int}
    for name in Settings.names():
        flag = "--" + name.replace("_", "-")
        text = _ModelHelp(SETTING_HELP["model"]) if name == "model" else SETTING_HELP.get(name, name)
        if name == "strict":
            group.add_argument(flag, action="store_const", const=True, default=None, help=text)
        else:
            meta = "YEAR" if name in ("as_of", "fit_start") else None
            group.add_argument(flag, type=types[name], default=None, metavar=meta, help=text)


def _settings(args):
    """Settings from --settings FILE, then the flags given (flags win)."""
    from .settings import DEFAULTS, Settings

    base = Settings.from_file(args.settings) if getattr(args, "settings", None) else DEFAULTS
    given = {n: getattr(args, n) for n in Settings.names() if getattr(args, n, None) is not None}
    return Settings.from_mapping(given, source="command-line flags", base=base)


def _study(args):
    from .study import study

    return study(args.plan, _settings(args), targets=args.targets, series=args.series)


def _cmd_targets(args) -> int:
    from .bundle import load_plan
    from .plan import load_targets

    frame = load_targets(args.path) if args.path else load_plan(args.plan).targets()
    _emit(frame, args.format, TARGET_TABLE_COLUMNS)
    return 0


def _cmd_validate(args) -> int:
    from .data import validate_files

    problems = validate_files(args.paths or None, plan=args.plan)
    if problems:
        print(f"{len(problems)} problem(s) found:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print("all data files valid")
    return 0


def _cmd_assess(args) -> int:
    from .present import summary_table
    from .study import assess

    st = _study(args)
    card = assess(_study=st)
    table = card.to_frame()
    if args.format == "table":
        print(f"{st.title()} ({st.plan.source if st.plan else 'targets and statistics tables'}); "
              f"as_of {st.settings.as_of or 'all data'}; calibration {st.settings.calibration}")
        _emit(summary_table(table), "table")
        print("\nreasons:")
        for a in card:
            print(f"  {a.indicator}: {a.note}")
        return 0
    _emit(table, args.format)
    return 0


def _cmd_backtest(args) -> int:
    from .backtesting import relative_accuracy
    from .study import backtest_plan

    st = _study(args)
    bt = backtest_plan(st.plan, st.settings, models=args.models, horizons=range(1, args.max_horizon + 1),
                       min_train=args.min_train, targets=st.targets, series=st.statistics)
    _emit(relative_accuracy(bt, by=("indicator", "model")), args.format)
    return 0


def _cmd_new_plan(args) -> int:
    from .bundle import load_plan, write_bundle

    path = write_bundle(args.folder, args.targets, args.series, plan_id=args.id, title=args.title,
                        title_zh=args.title_zh, overwrite=args.force)
    plan = load_plan(path.parent)
    print(f"wrote {path} ({len(plan.targets())} targets); check the inferred domains, then run\n"
          f"  plananalysis assess --plan {path.parent}")
    return 0


def _cmd_calibrate(args) -> int:
    from .calibration import main as calibration_main

    argv = [args.action, "--n-boot", str(args.n_boot)]
    if args.prior_sd is not None:
        argv += ["--prior-sd", str(args.prior_sd)]
    return calibration_main(argv)


def _skip_slow_iri_grammars() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this report process.

    papermill and nbconvert validate notebooks with nbformat, which imports
    jsonschema, whose format checkers import ``rfc3987_syntax`` when it is
    installed (the ``format-nongpl`` extra Jupyter pulls in). That module
    compiles 38 Lark grammars at import: 2.2-2.5 s of every report run on the
    2-core reference machine, a third of the runner's own time (known upstream:
    python-jsonschema/jsonschema#1428). No notebook schema uses the ``iri``
    formats it checks, so the CLI, which owns its short-lived process, marks
    the module absent (jsonschema then skips those two checkers); library
    callers' processes are left alone.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


def _cmd_report(args) -> int:
    _skip_slow_iri_grammars()
    from .report import ReportOptions, run_report

    options = ReportOptions(out=args.out, params=args.params, jobs=args.jobs, timeout=args.timeout,
                            show_code=args.show_code, kernel=args.kernel, latest=args.latest, wait=args.wait,
                            xlsx=not args.no_xlsx, executor=args.executor)
    # --targets/--series: run_report writes the bundle and runs every page on it
    out = run_report(args.plan, _settings(args), targets=args.targets, series=args.series, options=options)
    print(out)
    return 0


class _ModelHelp(str):
    """Help text built from the model registry only when help is shown (keeps start-up light)."""

    def __mod__(self, params):
        from .models import model_help

        return f"{self}: {model_help()}"


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="plananalysis", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"plananalysis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("targets", help="list the plan's indicator targets",
                       description="Print one row per target of a plan bundle (or of a targets table/plan text).")
    _add_plan(p, tables=False)
    p.add_argument("--path", help="plan text (.txt) or targets table (.csv/.yaml) instead of a bundle")
    _add_format(p)
    p.set_defaults(func=_cmd_targets)

    p = sub.add_parser("validate", help="validate data files",
                       description="Validate a bundle's statistics, map and targets (or the files given); "
                                   "exit 0 when valid, 1 with every problem listed.")
    _add_plan(p, tables=False)
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="statistics / map / choices CSV files to check (default: the bundle's files); "
                        "with --plan, statistics are checked against the domains that plan declares")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("assess", help="probability of meeting each target",
                       description="Forecast each target's series and assess the chance of meeting the target.")
    _add_plan(p)
    _add_settings(p)
    _add_format(p)
    p.set_defaults(func=_cmd_assess)

    p = sub.add_parser("backtest", help="rolling-origin accuracy of the models on every target series",
                       description="Refit every model at each past origin (only data available then) and "
                                   "score its forecasts: MASE relative to naive, interval coverage.")
    _add_plan(p)
    _add_settings(p)
    p.add_argument("--models", nargs="+", metavar="MODEL", help="models to compare (default: all and auto)")
    p.add_argument("--max-horizon", type=int, default=5, help="score 1 to N years ahead (default: 5)")
    p.add_argument("--min-train", type=int, default=5, help="observations before the first origin (default: 5)")
    _add_format(p)
    p.set_defaults(func=_cmd_backtest)

    p = sub.add_parser("new-plan", help="write a plan bundle from a targets table and a statistics table",
                       description="Copy the two tables into DIR and write DIR/plan.yaml naming them, with the "
                                   "domain inferred for each series (edit it to declare breaks or domains).")
    p.add_argument("folder", metavar="DIR", help="the new bundle folder")
    p.add_argument("--targets", required=True, metavar="FILE", help="targets table (.csv/.yaml)")
    p.add_argument("--series", required=True, metavar="FILE", help="statistics table (.csv)")
    p.add_argument("--id", help="plan id (default: the targets file's name)")
    p.add_argument("--title", help="English title (default: the targets file's name)")
    p.add_argument("--title-zh", help="Chinese title")
    p.add_argument("--force", action="store_true", help="replace an existing plan.yaml")
    p.set_defaults(func=_cmd_new_plan)

    p = sub.add_parser("calibrate", help="score, show or refit the calibration of P(meet)",
                       description="The calibration that turns the trend probability p_trend into p_meet is "
                                   "fitted on the reference class of past plan targets (data/raw/reference_class). "
                                   "'evaluate' prints its leave-one-plan-out, leave-one-family-out and "
                                   "forward-in-time scores next to the baselines; 'coefficients' the stored model; "
                                   "'refit' rewrites the stored coefficients (the only command that does).")
    p.add_argument("action", choices=["evaluate", "coefficients", "refit"])
    p.add_argument("--n-boot", type=int, default=2000, help="bootstrap resamples for score intervals (default: 2000)")
    p.add_argument("--prior-sd", type=float, default=None, help="prior sd of the standardised slopes (evaluate)")
    p.set_defaults(func=_cmd_calibrate)

    p = sub.add_parser("report", help="run every notebook and publish an HTML report",
                       description="Execute the notebooks with papermill and publish an offline HTML report "
                                   "atomically: the previous report stays untouched if anything fails.")
    _add_plan(p)
    _add_settings(p)
    p.add_argument("--out", metavar="DIR", help="output folder (default: reports/<as_of or latest>/)")
    p.add_argument("--params", metavar="FILE.yaml", help="overrides for notebook parameters")
    p.add_argument("--jobs", type=int, default=1, help="notebooks to run in parallel (default: 1)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default: 600)")
    p.add_argument("--show-code", action="store_true", help="show code cells in the HTML (hidden by default)")
    p.add_argument("--kernel", default="plananalysis", help="Jupyter kernel name (default: plananalysis)")
    p.add_argument("--latest", action=argparse.BooleanOptionalAction, default=None,
                   help="point reports/latest at this report (default: only when it uses the latest data, "
                        "so an --as-of what-if leaves it alone)")
    p.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                   help="when another run is publishing into the same folder, wait up to SECONDS for it "
                        "(default: 0, refuse at once)")
    p.add_argument("--no-xlsx", action="store_true", help="do not write scorecard.xlsx")
    p.add_argument("--executor", default="threads", metavar="NAME",
                   help="what runs the notebooks: threads (default, one kernel each), process, process:N, local-dask "
                        "(a dask LocalCluster of --jobs workers) or dask://HOST:PORT (a running scheduler whose "
                        "workers see the output folder)")
    p.set_defaults(func=_cmd_report)
    return parser


def main(argv=None) -> int:
    """Run the CLI; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    # One BLAS thread (unless the user set otherwise) before numpy is imported:
    # the models fit tiny matrices and extra threads only contend for the cores.
    from .report import kernel_environment

    os.environ.update(kernel_environment())
    try:
        status = args.func(args)
        sys.stdout.flush()  # surface a closed pipe here, not at interpreter exit
        return status
    except PlanAnalysisError as exc:
        print(f"plananalysis {args.command}: error: {exc}", file=sys.stderr)
        return int(getattr(exc, "exit_status", 1))
    except KeyboardInterrupt:
        print(f"plananalysis {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
