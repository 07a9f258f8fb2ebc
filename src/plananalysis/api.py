"""The facade: a plan and one Settings in, the headline scorecard out.

``assess`` = the study (:func:`plananalysis.study.run_engine`: every target's
trend probability) + the calibration applied after it
(:func:`plananalysis.calibration.calibrate_assessments`: ``p_meet``) + the
:class:`~plananalysis.results.Scorecard`. ``vintages`` is ``assess`` at each
past ``as_of`` year. Everything else a researcher calls lives in its own
namespace (``plananalysis.study``, ``plananalysis.present``, ...).

Examples
--------
>>> import datetime
>>> card = assess(n_paths=2000, today=datetime.date(2026, 6, 1))  # 2025's figures not yet in the data
>>> card["enrollment"].status.value
'pending'
>>> card.to_frame()[["indicator", "status"]].shape
(4, 2)
"""

from __future__ import annotations

import pandas as pd

import warnings

from .backtesting import backtest as backtest_series
from .calibration import calibrate_assessments, fit_calibration, reference_cases
from .results import Scorecard
from .study import Study, backtest_plan, default_vintage_years, run_engine, study

__all__ = ["assess", "vintages", "backtest", "calibrate"]


def assess(plan=None, settings=None, *, targets=None, series=None, executor=None, today=None,
           **overrides) -> Scorecard:
    """Assess every target of a plan: status, probabilities, projections and reasons.

    Parameters
    ----------
    plan : PlanBundle or str or Path or Study, optional
        A bundle, its folder, or a :class:`~plananalysis.study.Study`;
        default: the default bundle (see :func:`plananalysis.study.study`).
    settings : Settings, optional
    targets, series : DataFrame or str or Path, optional
        Replace the plan's targets / statistics tables.
    executor : concurrent.futures.Executor, optional
        Where the targets are assessed (see :mod:`plananalysis.executors`);
        the result is the same wherever they run.
    today : datetime.date, optional
        The date that sets the viewpoint when ``as_of`` is not given.
    **overrides
        Settings to change (``as_of=2022``).

    Returns
    -------
    Scorecard
        ``.to_frame()`` gives one row per target (``status`` codes,
        ``p_meet``, ``p_trend``, projections, agency measures, ``reasons``
        codes and ``note``); iterate for the :class:`Assessment` objects
        with their forecasts and flows.

    Examples
    --------
    >>> card = assess(as_of=2022, n_paths=2000)
    >>> card["enrollment"].status.value in ("on_track", "at_risk", "off_track")
    True
    """
    st = study(plan, settings, targets, series, **overrides)
    final = calibrate_assessments(run_engine(st, executor, today), st)
    return Scorecard(final, st.settings, plan_id=st.plan_id, plan_title=st.title())


def vintages(plan=None, settings=None, years=None, *, targets=None, series=None, executor=None,
             **overrides) -> pd.DataFrame:
    """:func:`assess` at each past ``as_of`` year, stacked with an ``as_of`` column.

    Parameters
    ----------
    years : iterable of int, optional
        The ``as_of`` years; default
        :func:`~plananalysis.study.default_vintage_years` (from the plan's
        ``base_year`` to the latest year of the target series).
    plan, settings, targets, series, executor, **overrides
        See :func:`assess`; ``as_of`` in the settings only ends the default range.

    Returns
    -------
    DataFrame
        ``as_of`` followed by the columns of :meth:`Scorecard.to_frame`.

    Examples
    --------
    >>> v = vintages(years=[2021, 2022], n_paths=500)
    >>> sorted(v["as_of"].unique().tolist())
    [2021, 2022]
    """
    st = study(plan, settings, targets, series, **overrides)
    frames = []
    for y in (default_vintage_years(st) if years is None else years):
        sub = Study(st.plan, st.targets, st.statistics, st.settings.replace(as_of=int(y)))
        t = assess(sub, executor=executor).to_frame()
        t.insert(0, "as_of", int(y))
        frames.append(t)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def backtest(plan=None, settings=None, models=None, horizons=range(1, 6), min_train=5, indicators=None, *,
             targets=None, series=None, **overrides) -> pd.DataFrame:
    """Rolling-origin backtest of every target series of a plan (:func:`plananalysis.study.backtest_plan`).

    One row per target x model x origin x horizon; summarise with
    :func:`plananalysis.backtesting.summarize`. A single series is
    backtested with :func:`plananalysis.backtesting.backtest`.

    Examples
    --------
    >>> bt = backtest(models=["naive", "drift"], horizons=[1, 2])
    >>> sorted(bt["model"].unique())
    ['drift', 'naive']
    """
    if isinstance(plan, (pd.Series, pd.DataFrame)):
        warnings.warn("plananalysis.backtest(series, ...) backtests a plan from 0.3; for one series call "
                      "plananalysis.backtesting.backtest(series, ...)", DeprecationWarning, stacklevel=2)
        old_models = settings if settings is not None else models  # 0.2's second positional argument
        return backtest_series(plan, models=old_models, horizons=horizons, min_train=min_train, **overrides)
    return backtest_plan(plan, settings, models=models, horizons=horizons, min_train=min_train,
                         indicators=indicators, targets=targets, series=series, **overrides)


def calibrate(reference, settings=None, **fit_options):
    """Fit the P(meet) calibration on a reference class of past plan targets.

    Every case goes through the engine (its trend probability as an analyst
    had it at the case's ``as_of``), then the logistic recalibration is
    fitted (:func:`plananalysis.calibration.fit_calibration`).

    Parameters
    ----------
    reference : str or Path
        A reference-class folder (``targets.csv``, ``series.csv``; the
        shipped one is :func:`plananalysis.datasets.reference_class_dir`).
    settings : Settings, optional
        Engine settings for the cases.
    **fit_options
        Passed to :func:`~plananalysis.calibration.fit_calibration`
        (``prior_sd``, ``n_boot``, ``seed``, ``features``).

    Returns
    -------
    CalibrationModel
    """
    return fit_calibration(reference_cases(reference, settings=settings), **fit_options)
