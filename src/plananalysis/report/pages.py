"""The pages of a report: which notebook runs how often, with which parameters.

A report runs ``01_data_overview``, ``03_target_scorecard``,
``04_model_backtest`` and ``05_calibration`` once and
``02_indicator_trajectory`` once per target that has a statistics series.
:func:`plan_pages` turns one :class:`~plananalysis.settings.Settings`, the
checked overrides and the plan bundle into that list of :class:`Page`
objects; :class:`PageResult` is what executing one page gave.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReportError
from ..labels import text as label
from .params import NOTEBOOK_ORDER, PER_TARGET

__all__ = ["Page", "PageResult", "plan_pages", "targets_with_series"]


@dataclass
class Page:
    """One notebook execution of the report.

    Parameters
    ----------
    name : str
        File stem of the page, e.g. ``"02_indicator_trajectory-enrollment"``.
    notebook : str
        Stem of the source notebook, e.g. ``"02_indicator_trajectory"``.
    source : Path
        The source ``.ipynb``.
    parameters : dict
        The parameters papermill injects.
    title : str
        Title shown in the index.

    Examples
    --------
    >>> page = Page("01_data_overview", "01_data_overview", Path("01_data_overview.ipynb"), {"lang": "en"}, "Data")
    >>> page.parameters.get("indicator") is None
    True
    """

    name: str
    notebook: str
    source: Path
    parameters: dict
    title: str


@dataclass
class PageResult:
    """Outcome of executing one :class:`Page`.

    ``status`` is ``"pending"``, ``"ok"``, ``"failed"`` or ``"cancelled"``;
    ``error`` names the notebook and the failing cell when it failed.
    """

    page: Page
    status: str = "pending"
    duration: float = 0.0
    error: ReportError | None = None
    started: str | None = None
    finished: str | None = None
    extra: dict = field(default_factory=dict)


def targets_with_series(targets) -> list[str]:
    """Ids of the targets that have a statistics series, in table order.

    Examples
    --------
    >>> import pandas as pd
    >>> targets_with_series(pd.DataFrame({"indicator": ["a", "b", "c"], "series": ["s", None, " "]}))
    ['a']
    """
    series = targets["series"].astype("string").fillna("").str.strip()
    return [str(ind) for ind, s in zip(targets["indicator"], series) if s]


def _title(stem: str, lang: str) -> str:
    try:
        return label(f"page.{stem}", lang)
    except KeyError:
        return stem[3:].replace("_", " ").capitalize()


def plan_pages(notebooks_dir: Path, settings, glob: dict, per: dict, declared: dict, indicators,
               plan="", names: dict | None = None, lang: str | None = None) -> list[Page]:
    """Build the list of notebook executions with their final parameters.

    Parameters
    ----------
    notebooks_dir : Path
        Folder holding the notebooks of :data:`~plananalysis.report.params.NOTEBOOK_ORDER`.
    settings : Settings
        Every field is passed to every notebook that declares it (so the index
        and every page come from the same numbers).
    glob, per : dict
        Validated overrides from :func:`~plananalysis.report.params.validate_params`.
    declared : dict
        ``{notebook stem: declared parameters}``.
    indicators : list of str
        Targets that get a ``02_indicator_trajectory`` page.
    plan : str
        Bundle directory passed as ``plan`` to every notebook declaring it
        (``""``: the default bundle).
    names : dict, optional
        Indicator -> display name for the page titles (default: the indicator).
    lang : {"en", "zh"}, optional
        Language of the page titles (default: ``settings.lang``).

    Returns
    -------
    list of Page

    Examples
    --------
    >>> from plananalysis.settings import Settings
    >>> declared = {s: {"plan": {}, "seed": {}} for s in NOTEBOOK_ORDER}
    >>> pages = plan_pages(Path("nb"), Settings(seed=3), {}, {}, declared, ["enrollment"], plan="my_plan")
    >>> [p.name for p in pages][:2], pages[1].parameters
    (['01_data_overview', '02_indicator_trajectory-enrollment'], {'seed': 3, 'plan': 'my_plan', 'indicator': 'enrollment'})
    """
    values = settings.to_dict()
    lang = lang or values.get("lang", "en")
    pages = []
    for stem in NOTEBOOK_ORDER:
        decl = declared[stem]
        base = {k: v for k, v in glob.items() if k in decl}
        base.update(per.get(stem, {}))
        base.update({k: v for k, v in values.items() if k in decl})
        if "results_dir" in decl:
            base["results_dir"] = "."
        if "plan" in decl:
            base["plan"] = "" if plan is None else str(plan)
        source = notebooks_dir / f"{stem}.ipynb"
        title = _title(stem, lang)
        if stem == PER_TARGET:
            for ind in indicators:
                name = (names or {}).get(ind) or ind
                pages.append(Page(f"{stem}-{ind}", stem, source, {**base, "indicator": ind}, f"{title}: {name}"))
        else:
            pages.append(Page(stem, stem, source, base, title))
    return pages
