"""The golden snapshots of the bundled plans' results, and the one command that regenerates them.

Run after a deliberate change of data or method (adding a year's bulletin
figures, a new default model, a refitted calibration)::

    .venv/bin/python -m tests.snapshots.regenerate      # or: make snapshots

then review ``git diff tests/snapshots`` and commit the data and the
snapshots together. ``tests/test_snapshot.py`` fails while a snapshot is
stale; behaviour tests never pin bundled numbers.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
#: Settings of the snapshots: fixed as_of (the viewpoint does not move with the clock), few paths.
SNAPSHOTS = {
    "default_plan_scorecard.csv": {"plan": None, "as_of": "latest", "n_paths": 2000, "seed": 0},
    "national_14th_fyp_education_as_of_2020.csv": {
        "plan": "plans/national_14th_fyp_education", "as_of": 2020, "n_paths": 2000, "seed": 0},
}
FLOAT_FORMAT = "%.6g"


def make(name) -> str:
    """The CSV text a snapshot should hold now."""
    from plananalysis import assess, load_plan, paths

    spec = dict(SNAPSHOTS[name])
    plan = load_plan(None if spec["plan"] is None else paths.DEFAULT_PLAN_DIR / spec.pop("plan"))
    spec.pop("plan", None)
    if spec["as_of"] == "latest":
        stats = plan.statistics()
        spec["as_of"] = int(stats.loc[stats["indicator"].isin(plan.targets()["series"]), "year"].max())
    return assess(plan, **spec).to_frame().to_csv(index=False, float_format=FLOAT_FORMAT)


def main() -> None:
    for name in SNAPSHOTS:
        (HERE / name).write_text(make(name), encoding="utf-8")
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
