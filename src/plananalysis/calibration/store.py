"""The stored calibration: the fitted coefficients and the reference cases they were fitted on.

Both files live in this package's folder (:data:`STORED`,
:data:`STORED_CASES`) and are written only by :func:`write_calibration`,
which ``plananalysis calibrate refit --out DIR`` calls with the folder it is
told (``make calibration`` passes the source tree's
``src/plananalysis/calibration``); nothing refits at run time, and nothing
writes into an installed package unless it is named as the output folder.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from ..errors import DataError, ParameterError
from .model import REFIT_HINT, CalibrationModel, fit_calibration

__all__ = ["STORED", "STORED_CASES", "STORED_NAMES", "STORED_PREDICTIONS", "load_calibration", "load_reference_cases",
           "load_cv_predictions", "cases_to_csv", "write_calibration"]

#: File names of the coefficients and of the reference cases, in a calibration folder.
STORED_NAMES = ("reference_class.json", "reference_cases.csv")
#: The stored coefficients (written by ``plananalysis calibrate refit``).
STORED = Path(__file__).with_name(STORED_NAMES[0])
#: The reference cases the stored model was fitted on (p_trend and features per case), written with it.
STORED_CASES = Path(__file__).with_name(STORED_NAMES[1])
#: The out-of-sample predictions of every method in every scheme, nested selection included
#: (:func:`~plananalysis.calibration.cv_predictions`; about 30 s to compute), written by a refit so
#: notebook 05 and the report read them instead of recomputing; a slow test checks they are current.
STORED_PREDICTIONS = Path(__file__).with_name("cv_predictions.csv")


def load_calibration(path=None):
    """A fitted calibration from its JSON file (default: the stored fit, :data:`STORED`).

    Parameters
    ----------
    path : str or Path, optional
        A :meth:`CalibrationModel.to_json` file, e.g. one a plan bundle
        declares (``calibration: FILE`` in ``plan.yaml``).

    Returns
    -------
    CalibrationModel
        Cached by the file's path, size and modification time, so a refit is
        picked up at once.

    Raises
    ------
    ParameterError
        No such file, or not a calibration.

    Examples
    --------
    >>> load_calibration().n_cases
    100
    """
    path = STORED if path is None else Path(path)
    if not path.is_file():
        raise ParameterError(f"no stored calibration at {path}; run {REFIT_HINT}")
    stat = path.stat()
    return _load_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_cached(path, mtime_ns, size):  # keyed by file stamp: a refit is picked up at once
    return CalibrationModel.from_json(Path(path).read_text(encoding="utf-8"))


def cases_to_csv(cases) -> str:
    """The reference cases as stored next to the coefficients (:data:`STORED_CASES`), byte-reproducible.

    Examples
    --------
    >>> cases_to_csv(pd.DataFrame({"case": ["a"], "p_trend": [1 / 3]}))
    'case,p_trend\\na,0.3333333333\\n'
    """
    return cases.to_csv(index=False, float_format="%.10g")


def load_reference_cases(path=None):
    """The reference cases the stored calibration was fitted on (no engine run; fast).

    Written by :func:`write_calibration` together with the coefficients; a
    test checks that it equals a fresh
    :func:`~plananalysis.calibration.reference_cases` run, so it cannot go
    stale. Use ``reference_cases`` to assess the cases under other engine
    settings.

    Parameters
    ----------
    path : str or Path, optional
        A :func:`cases_to_csv` file (default: :data:`STORED_CASES`).

    Examples
    --------
    >>> cases = load_reference_cases()
    >>> len(cases), int((~cases["outcome_met"]).sum())
    (100, 29)
    """
    path = STORED_CASES if path is None else Path(path)
    if not path.is_file():
        raise DataError(f"stored reference cases not found; run {REFIT_HINT}", path=path)
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for col in ("name_en", "name_zh", "unsupported_reason", "aggregation", "series_relation", "domain", "lever",
                "plan_kind"):
        if col in frame:
            frame[col] = frame[col].astype(object).fillna("").astype(str)
    for col in ("outcome_met", "cumulative"):
        if col in frame:
            frame[col] = frame[col].astype(bool)
    return frame


def load_cv_predictions(path=None) -> pd.DataFrame:
    """The stored out-of-sample predictions (column ``scheme``), as :func:`write_calibration` wrote them.

    Pass them to :func:`~plananalysis.calibration.evaluate` (``predictions=``)
    to score every scheme without rerunning the nested cross-validation.

    Examples
    --------
    >>> preds = load_cv_predictions()
    >>> sorted(preds["scheme"].unique())
    ['family', 'plan', 'time']
    """
    path = STORED_PREDICTIONS if path is None else Path(path)
    if not path.is_file():
        raise DataError(f"stored cross-validation predictions not found; run {REFIT_HINT}", path=path)
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for col in ("case", "selected", "scheme"):
        frame[col] = frame[col].astype(object).fillna("").astype(str)
    frame["fold"] = frame["fold"].astype(str)
    frame["outcome_met"] = frame["outcome_met"].astype(bool)
    return frame


def write_calibration(cases, folder, predictions=None, **fit_options):
    """Fit the calibration on ``cases`` and write it with the cases into ``folder``.

    The one function that writes a calibration (``plananalysis calibrate
    refit --out DIR`` calls it). The files are named :data:`STORED_NAMES`;
    a folder other than this package's makes a calibration a plan bundle can
    declare (``calibration: reference_class.json``).

    Parameters
    ----------
    cases : DataFrame
        :func:`~plananalysis.calibration.reference_cases` output.
    folder : str or Path
        Existing folder to write into (required: there is no default, so a
        refit never writes into an installed package unasked).
    predictions : DataFrame, optional
        :func:`~plananalysis.calibration.cv_predictions` of every scheme with a
        ``scheme`` column, written as ``cv_predictions.csv``.
    **fit_options
        Passed to :func:`~plananalysis.calibration.fit_calibration`.

    Returns
    -------
    (CalibrationModel, list of Path)
        The fit and the two files written.

    Raises
    ------
    ParameterError
        ``folder`` is not an existing folder.

    Examples
    --------
    >>> model, written = write_calibration(reference_cases(default_reference_dir()), "out")  # doctest: +SKIP
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ParameterError(f"calibration output folder {folder} does not exist (give an existing folder)")
    model = fit_calibration(cases, **fit_options)
    json_path, cases_path = (folder / name for name in STORED_NAMES)
    json_path.write_text(model.to_json(), encoding="utf-8")
    cases_path.write_text(cases_to_csv(cases), encoding="utf-8")
    written = [json_path, cases_path]
    if predictions is not None:
        written.append(folder / STORED_PREDICTIONS.name)
        written[-1].write_text(predictions.to_csv(index=False, float_format="%.10g", lineterminator="\n"),
                               encoding="utf-8")
    return model, written
