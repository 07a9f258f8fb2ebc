"""The plan bundles shipped with plananalysis, behind an explicit name (like ``statsmodels.datasets``).

Every reader in the package reads only the files it is given; the shipped
data are reached here, by name, or through :func:`plananalysis.load_plan`
with no argument (the default bundle).

Shipped bundles
---------------
``technical_education``
    The 14th Five-Year Plan for Technical Education (技工教育“十四五”规划,
    人社部发〔2021〕86号): the plan text, its official statistics and source
    choices. The default bundle (:func:`technical_education`).
``reference_class``
    100 past Chinese plan targets with their outcomes, the reference class
    the calibration of P(meet) is fitted on (:func:`reference_class`;
    folder: :func:`reference_class_dir`).

Examples
--------
>>> from plananalysis import datasets
>>> datasets.names()
['reference_class', 'technical_education']
>>> plan = datasets.technical_education()
>>> plan.id, plan.is_default
('technical_education_14th_fyp', True)
>>> datasets.reference_class_dir().name
'reference_class'
"""

from __future__ import annotations

from pathlib import Path

from . import paths
from .bundle import PlanBundle, load_plan
from .errors import ParameterError

__all__ = ["names", "load", "technical_education", "technical_education_dir", "reference_class",
           "reference_class_dir"]


def technical_education_dir() -> Path:
    """The folder of the technical-education plan bundle (the default bundle, ``plan.yaml`` inside).

    Examples
    --------
    >>> (technical_education_dir() / "plan.yaml").is_file()
    True
    """
    return Path(paths.DEFAULT_PLAN_DIR)


def technical_education() -> PlanBundle:
    """The 14th Five-Year Plan for Technical Education (the default plan bundle).

    Returns
    -------
    PlanBundle
        Its targets (``.targets()``), statistics (``.statistics()``), plan
        text and programme targets. The same bundle as ``load_plan()``.

    Examples
    --------
    >>> technical_education().period
    (2021, 2025)
    """
    return load_plan()


def reference_class_dir() -> Path:
    """The folder of the reference class of past plan targets (``targets.csv``, ``series.csv``, ``plan.yaml``).

    Examples
    --------
    >>> sorted(p.name for p in reference_class_dir().glob("*.csv"))
    ['series.csv', 'targets.csv']
    """
    return technical_education_dir() / "reference_class"


def reference_class() -> PlanBundle:
    """The reference class of past plan targets, as a plan bundle.

    Examples
    --------
    >>> reference_class().id
    'reference_class'
    """
    return load_plan(reference_class_dir())


_LOADERS = {"technical_education": technical_education, "reference_class": reference_class}


def names() -> list:
    """The names of the shipped bundles, sorted."""
    return sorted(_LOADERS)


def load(name) -> PlanBundle:
    """A shipped bundle by name (one of :func:`names`).

    Examples
    --------
    >>> load("technical_education").id
    'technical_education_14th_fyp'
    """
    if name not in _LOADERS:
        raise ParameterError(f"unknown dataset {name!r}; expected one of {', '.join(names())}")
    return _LOADERS[name]()
