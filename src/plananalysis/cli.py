"""Command-line face of plananalysis: ``plananalysis COMMAND [options]``.

Only argument parsing and output formatting live here; every command calls
a library function that can also be imported. Errors that bad input can
cause (:class:`~plananalysis.errors.PlanAnalysisError`) are printed as one
clear message and give exit status 1 (2 for usage errors, as argparse does).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import sys
import tempfile
from pathlib import Path

from . import __version__
from .errors import ParameterError, PlanAnalysisError

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
    "bounds": "published bounds ('>97'): censored (in the fit as censored observations; default) or drop",
    "n_jobs": "worker processes that assess a batch of targets inside one assessment (one report page) "
              "(-1: all CPUs; default: 1); report pages running at the same time are --jobs",
    "lang": "language of labels and charts: en or zh (default: en)",
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
        from .present import text_table

        sys.stdout.write(text_table(frame) + "\n")


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
    from .settings import REMOVED_SETTINGS, Settings

    group = parser.add_argument_group("settings (one Settings object; see --settings)")
    group.add_argument("--settings", metavar="FILE.yaml", help="settings file: 'name: value' lines")
    types = {"model": str, "n_paths": int, "seed": int, "as_of": int, "on_track": float, "at_risk": float,
             "fit_start": int, "calibration": str, "bounds": str, "n_jobs": int, "lang": str}
    for name in Settings.names():
        flag = "--" + name.replace("_", "-")
        text = _ModelHelp(SETTING_HELP["model"]) if name == "model" else SETTING_HELP.get(name, name)
        if name == "strict":
            group.add_argument(flag, action="store_const", const=True, default=None, help=text)
        else:
            meta = {"as_of": "YEAR", "fit_start": "YEAR", "n_jobs": "PROCESSES"}.get(name)
            group.add_argument(flag, type=types[name], default=None, metavar=meta, help=text)
    for name in REMOVED_SETTINGS:  # hidden: accepted only to say what to use instead (see _settings)
        group.add_argument("--" + name.replace("_", "-"), dest=f"removed_{name}", default=None,
                           help=argparse.SUPPRESS)


def _settings(args):
    """Settings from --settings FILE, then the flags given (flags win)."""
    from .settings import DEFAULTS, REMOVED_SETTINGS, Settings, refuse_removed

    for name in REMOVED_SETTINGS:
        if getattr(args, f"removed_{name}", None) is not None:
            refuse_removed([name], source=f"command-line flag --{name.replace('_', '-')}")
    base = Settings.from_file(args.settings) if getattr(args, "settings", None) else DEFAULTS
    given = {n: getattr(args, n) for n in Settings.names() if getattr(args, n, None) is not None}
    settings = Settings.from_mapping(given, source="command-line flags", base=base)
    today = _today()
    if settings.as_of is not None and settings.as_of > today.year:
        raise ParameterError(f"as_of {settings.as_of} is in the future (today is {today.isoformat()}): "
                             "use a past year to ask what would have been said then")
    return settings


def _today():
    """Today's date (one place, so tests can pin it)."""
    import datetime

    return datetime.date.today()


def _study(args):
    from .study import study

    return study(args.plan, _settings(args), targets=args.targets, series=args.series)


def _cmd_targets(args) -> int:
    from pathlib import Path

    from .bundle import load_plan
    from .plan import load_targets
    from .present import targets_display, with_reading

    given = Path(args.path) if args.path else None
    if given is not None and (given.is_dir() or given.name == "plan.yaml"):
        frame = load_plan(given).targets()  # --path DIR names a bundle: its targets, with its ids
    else:
        frame = load_targets(given) if given is not None else load_plan(args.plan).targets()
    if args.format == "table":
        _emit(targets_display(frame, strict=args.strict), "table")
    else:  # every column, and the comparator as read
        _emit(with_reading(frame, args.strict), args.format)
    return 0


def _cmd_validate(args) -> int:
    from .bundle import load_plan
    from .data import validate_files

    if args.paths:
        domains = load_plan(args.plan).declared_domains() if args.plan else None
        problems = validate_files(args.paths, domains=domains)
    else:
        problems = load_plan(args.plan).validate()
    if problems:
        print(f"{len(problems)} problem(s) found:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print("all data files valid")
    return 0


def _word(key, lang, fallback) -> str:
    """``labels.text(key, lang)``, or ``fallback`` as it is for a value without words."""
    from .labels import text

    try:
        return text(key, lang)
    except KeyError:
        return str(fallback)


def _source(plan, lang) -> str:
    """Where the plan came from, in ``lang`` (the bundle's path as it is)."""
    if plan is None:
        return _word("cli.tables", lang, "targets and statistics tables")
    where = plan.config_path or plan.targets_path
    return _word("cli.default_bundle" if plan.is_default else "cli.bundle", lang, plan.source).format(where=where)


def _cmd_assess(args) -> int:
    from .api import assess
    from .executors import open_executor
    from .labels import label, text
    from .messages import reason_text
    from .present import summary_table

    st = _study(args)
    with open_executor(args.executor, st.settings.n_jobs) as executor:
        card = assess(st, executor=executor)
    table = card.to_frame()
    if args.format == "table":
        lang = st.settings.lang
        print(text("cli.heading", lang, title=st.title(lang), source=_source(st.plan, lang),
                   as_of=st.settings.as_of or text("cli.all_data", lang),
                   calibration=_word("cli.calibration." + str(st.settings.calibration), lang,
                                     st.settings.calibration)))
        shown = summary_table(table, lang, st.settings.strict)
        model = text("cli.model", lang)
        if lang == "zh" and model in shown:
            shown[model] = [label("model", m, lang) if m else m for m in shown[model]]
        _emit(shown, "table")
        print("\n" + text("cli.reasons", lang))
        for a in card:
            name = (a.target.name_zh if lang == "zh" else a.target.name_en) or a.indicator
            print(f"  {name}:")
            lines = []
            for r in a.reasons:
                meaning, words = label("reason", r.code.value, lang), reason_text(r, lang)
                lines.append(meaning if words == meaning else f"{meaning}: {words}")
            for line in dict.fromkeys(lines):
                print(f"    - {line}")
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
    import time

    from . import calibration as cal

    if args.action == "coefficients":
        m = cal.load_calibration(args.model)
        print(f"{m.n_cases} cases, {m.n_not_met} not met, base rate {m.base_rate:.3f}")
        if "track" in m.info:
            print(f"track record: base rate {m.info['track']['base_rate']:.3f}, k = {m.info['track']['k']:.3g} "
                  "pseudo-cases (empirical Bayes)")
        print(m.coefficients.to_string(float_format=lambda x: f"{x:.3f}"))
        return 0
    if args.action == "refit" and not args.out:
        raise ParameterError("calibrate refit: --out DIR is required: the folder the fit is written into "
                             "(`make calibration` writes the source tree's src/plananalysis/calibration)")
    reference = args.reference or cal.default_reference_dir()
    t0 = time.perf_counter()
    cases = cal.reference_cases(reference)
    print(f"reference cases from {reference}: {len(cases)} ({cases['engine'].value_counts().to_dict()}), "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if args.action == "refit":
        t0 = time.perf_counter()
        import pandas as pd

        preds = pd.concat([cal.cv_predictions(cases, s).assign(scheme=s) for s in cal.SCHEMES], ignore_index=True)
        print(f"cross-validation predictions (nested selection, {len(cal.SCHEMES)} schemes): "
              f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
        model, written = cal.write_calibration(cases, args.out, predictions=preds)
        print("wrote " + " and ".join(str(p) for p in written))
        print(model.coefficients.to_string(float_format=lambda x: f"{x:.3f}"))
        return 0
    prior_sd = cal.PRIOR_SD if args.prior_sd is None else args.prior_sd
    print(cal.evaluation_text(cases, args.n_boot, prior_sd=prior_sd))
    return 0


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


def _check_out_folder(out) -> None:
    """Refuse an ``--out`` that cannot become a folder, in one line, before anything runs."""
    if out is None:
        return
    path = Path(out).expanduser().absolute()
    for parent in [path, *path.parents]:
        if parent.exists():
            break
    if path.exists() and not path.is_dir():
        raise ParameterError(f"--out {out}: {path} is a file, not a report folder")
    if parent.exists() and not parent.is_dir():
        raise ParameterError(f"--out {out}: {parent} is a file, so {path} cannot be a report folder")
    probe_dir = parent if parent != path else path.parent if path.parent.exists() else parent
    try:
        tempfile.TemporaryDirectory(dir=probe_dir, prefix=".plananalysis-probe-").cleanup()
    except OSError as exc:
        raise ParameterError(f"--out {out}: cannot create folders in {probe_dir} ({exc.strerror or exc})") from None


def _cmd_report(args) -> int:
    _check_out_folder(args.out)
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


def _executor_help() -> str:
    from .executors import EXECUTOR_HELP

    return EXECUTOR_HELP


def _option_strings(parser) -> list:
    """The long option strings ``parser`` itself accepts (for "did you mean")."""
    return sorted({o for action in parser._actions for o in action.option_strings  # no public list of actions
                   if o.startswith("--")})


def _subparser(parser, command):
    """The parser of subcommand ``command`` (``parser`` itself when there is none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]
    return parser


def _unrecognized(extras, options) -> str:
    """argparse's "unrecognized arguments" message with the closest option for each misspelt one.

    >>> _unrecognized(["--jobz", "2"], ["--jobs", "--out"])
    'unrecognized arguments: --jobz 2 (did you mean --jobs?)'
    >>> _unrecognized(["--jobz", "--ot=x"], ["--jobs", "--out"])
    'unrecognized arguments: --jobz --ot=x (--jobz: did you mean --jobs?; --ot=x: did you mean --out?)'
    """
    hints = []
    for token in extras:
        if token.startswith("--"):
            close = difflib.get_close_matches(token.split("=")[0], options, n=1, cutoff=0.6)
            if close:
                hints.append((token, close[0]))
    message = "unrecognized arguments: " + " ".join(extras)
    if len(hints) == 1:
        return message + f" (did you mean {hints[0][1]}?)"
    if hints:
        return message + " (" + "; ".join(f"{t}: did you mean {m}?" for t, m in hints) + ")"
    return message


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose invalid-choice errors suggest the closest choice (difflib).

    Unrecognised options are reported by :func:`main`, which knows the
    subcommand and so suggests only that subcommand's own options.
    """

    def error(self, message):
        choice = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if choice:
            choices = re.findall(r"'([^']*)'", choice.group(2)) or [c.strip() for c in choice.group(2).split(",")]
            close = difflib.get_close_matches(choice.group(1), choices, n=1, cutoff=0.5)
            if close:
                message += f" (did you mean '{close[0]}'?)"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (exposed for tests and documentation)."""
    parser = _Parser(
        prog="plananalysis", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"plananalysis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("targets", help="list the plan's indicator targets",
                       description="Print one row per target of a plan bundle (or of a targets table/plan text).")
    _add_plan(p, tables=False)
    p.add_argument("--path", help="plan text (.txt) or targets table (.csv/.yaml) instead of a bundle")
    p.add_argument("--strict", action="store_true", help=SETTING_HELP["strict"] + " (the reading column: > not ≥)")
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
    p.add_argument("--executor", metavar="NAME", help=_executor_help())
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
                                   "'refit --out DIR' refits it and writes the coefficients and the cases into "
                                   "DIR (the only command that writes them; `make calibration` writes the source "
                                   "tree's src/plananalysis/calibration).")
    p.add_argument("action", choices=["evaluate", "coefficients", "refit"])
    p.add_argument("--n-boot", type=int, default=2000, help="bootstrap resamples for score intervals (default: 2000)")
    p.add_argument("--prior-sd", type=float, default=None, help="prior sd of the standardised slopes (evaluate)")
    p.add_argument("--reference", metavar="DIR",
                   help="reference-class folder (targets.csv, series.csv, plan.yaml) for evaluate and refit "
                        "(default: reference_class/ of the shipped bundles)")
    p.add_argument("--out", metavar="DIR", help="refit: existing folder to write reference_class.json and "
                                                "reference_cases.csv into (required)")
    p.add_argument("--model", metavar="FILE", help="coefficients: a calibration JSON file (default: the stored fit)")
    p.set_defaults(func=_cmd_calibrate)

    p = sub.add_parser("report", help="run every notebook and publish an HTML report",
                       description="Execute the notebooks with papermill and publish an offline HTML report "
                                   "atomically: the previous report stays untouched if anything fails.")
    _add_plan(p)
    _add_settings(p)
    p.add_argument("--out", metavar="DIR", help="output folder (default: reports/<as_of or latest>/)")
    p.add_argument("--params", metavar="FILE.yaml", help="overrides for notebook parameters")
    pages = p.add_argument_group(
        "report pages (how the notebooks run)",
        "--jobs runs several pages (notebooks) at once; the setting --n-jobs is the worker processes "
        "inside each page: --jobs 2 --n-jobs 2 can keep 4 worker processes busy.")
    pages.add_argument("--jobs", type=int, default=1, metavar="NOTEBOOKS",
                       help="report pages (notebooks) to run at the same time (default: 1); not to be confused "
                            "with the setting --n-jobs, the worker processes one page uses for its batch of targets")
    pages.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                       help="seconds allowed per cell (default: 600)")
    p.add_argument("--show-code", action="store_true", help="show code cells in the HTML (hidden by default)")
    pages.add_argument("--kernel", default="plananalysis", help="Jupyter kernel name (default: plananalysis)")
    p.add_argument("--latest", action=argparse.BooleanOptionalAction, default=None,
                   help="point reports/latest at this report (default: only when it uses the latest data, "
                        "so an --as-of what-if leaves it alone)")
    p.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                   help="when another run is publishing into the same folder, wait up to SECONDS for it "
                        "(default: 0, refuse at once)")
    p.add_argument("--no-xlsx", action="store_true", help="do not write scorecard.xlsx")
    pages.add_argument("--executor", default="threads", metavar="NAME",
                       help="what runs the notebooks: threads (default, one kernel each), process, process:N, "
                            "local-dask (a dask LocalCluster of --jobs workers) or dask://HOST:PORT (a running "
                            "scheduler whose workers see the output folder)")
    p.set_defaults(func=_cmd_report)
    return parser


#: Commands that fit models (BLAS work); the others only read and print tables.
COMPUTING_COMMANDS = frozenset({"assess", "backtest", "calibrate", "report"})

#: Environment variables through which a user sets BLAS/OpenMP thread counts; when one is
#: set, the CLI leaves the thread pools alone.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS")


@contextlib.contextmanager
def _one_blas_thread(computing=True):
    """One BLAS thread while a command runs (unless the user set a thread count).

    The models fit tiny matrices; extra BLAS threads only contend for the
    cores (the ARIMA backtest ran 5-10x slower with them on a busy 2-core
    machine). :func:`threadpoolctl.threadpool_limits` limits the libraries
    already loaded, so numpy's and scipy's BLAS are loaded first. Commands
    that only read and print (``targets``, ``validate``, ``new-plan``) load
    neither. The report's notebook kernels get one thread through their
    environment (:func:`plananalysis.report.kernel_environment`).
    """
    if not computing or any(os.environ.get(name) for name in THREAD_VARIABLES):
        yield
        return
    import numpy  # noqa: F401  (third-party, loaded here so its BLAS is limited)
    import scipy.linalg  # noqa: F401
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


def main(argv=None) -> int:
    """Run the CLI; returns the exit status."""
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:  # the subcommand's own usage line, and only its own options suggested
        command_parser = _subparser(parser, getattr(args, "command", None))
        command_parser.error(_unrecognized(extras, _option_strings(command_parser)))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        with _one_blas_thread(args.command in COMPUTING_COMMANDS):
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
