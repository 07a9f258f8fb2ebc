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
Will China's 14th Five-Year Plan for Technical Education (技工教育“十四五”规划,
人社部发〔2021〕86号) hit its 2025 targets? plananalysis parses the plan's
targets, loads sourced official statistics, forecasts each indicator with
intervals and estimates the probability of meeting each target.
"""

EPILOG = """\
examples:
  plananalysis targets                      the plan's indicator targets (专栏1)
  plananalysis validate                     check the bundled data files
  plananalysis assess --as-of 2022          what we would have said in 2022
  plananalysis report --out reports/weekly  run every notebook, publish HTML

Run 'plananalysis COMMAND --help' for a command's options.
"""


#: Columns shown by ``plananalysis targets --format table`` (csv/json show all).
TARGET_TABLE_COLUMNS = [
    "indicator", "name_zh", "unit", "comparator", "target", "target_year", "cumulative",
    "baseline_year", "baseline_qualifier", "baseline_value", "series", "series_relation",
]


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


def _cmd_targets(args) -> int:
    from .plan import load_targets

    _emit(load_targets(args.path), args.format, TARGET_TABLE_COLUMNS)
    return 0


def _cmd_validate(args) -> int:
    from .data import validate_files

    problems = validate_files(args.paths or None)
    if problems:
        print(f"{len(problems)} problem(s) found:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print("all data files valid")
    return 0


def _cmd_assess(args) -> int:
    from .assessment import assess
    from .data import load_series
    from .plan import load_targets

    targets = load_targets(args.targets) if args.targets else None
    series = load_series(args.series) if args.series else None
    table = assess(
        targets=targets, series=series, as_of=args.as_of, model=args.model,
        n_paths=args.n_paths, seed=args.seed,
    )
    if args.format == "table":
        from .assessment import summary_table

        _emit(summary_table(table), "table")
        print("\nnotes:")
        for ind, note in zip(table["indicator"], table["note"]):
            print(f"  {ind}: {note}")
        return 0
    _emit(table, args.format)
    return 0


def _cmd_report(args) -> int:
    from .report import run_report

    out = run_report(
        as_of=args.as_of, out=args.out, params=args.params, jobs=args.jobs,
        timeout=args.timeout, show_code=args.show_code, kernel=args.kernel,
    )
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
                       description="Parse the plan's indicator table (专栏1) and print one row per target.")
    p.add_argument("--path", help="plan text (.txt) or targets table (.csv/.yaml); default: the bundled plan")
    _add_format(p)
    p.set_defaults(func=_cmd_targets)

    p = sub.add_parser("validate", help="validate data files",
                       description="Validate statistics tables; exit 0 when valid, 1 with every problem listed.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="statistics CSV files to check (default: the bundled data/raw files)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("assess", help="probability of meeting each target",
                       description="Forecast each target's series and assess the chance of meeting the target.")
    p.add_argument("--as-of", type=int, metavar="YEAR",
                   help="use only observations up to YEAR (default: all data)")
    p.add_argument("--model", default="auto", help=_ModelHelp("forecasting model"))
    p.add_argument("--targets", metavar="FILE", help="targets table or plan text (default: the bundled plan)")
    p.add_argument("--series", metavar="FILE", help="statistics CSV (default: the bundled data)")
    p.add_argument("--n-paths", type=int, default=10000, help="simulated paths per target (default: 10000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    _add_format(p)
    p.set_defaults(func=_cmd_assess)

    p = sub.add_parser("report", help="run every notebook and publish an HTML report",
                       description="Execute the notebooks with papermill and publish an offline HTML report "
                                   "atomically: the previous report stays untouched if anything fails.")
    p.add_argument("--as-of", type=int, metavar="YEAR", help="use only observations up to YEAR")
    p.add_argument("--out", metavar="DIR", help="output folder (default: reports/<as_of or latest>/)")
    p.add_argument("--params", metavar="FILE.yaml", help="overrides for notebook parameters")
    p.add_argument("--jobs", type=int, default=1, help="notebooks to run in parallel (default: 1)")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default: 600)")
    p.add_argument("--show-code", action="store_true", help="show code cells in the HTML (hidden by default)")
    p.add_argument("--kernel", default="plananalysis", help="Jupyter kernel name (default: plananalysis)")
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
        return 1
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
