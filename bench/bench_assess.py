"""Plain-timer benchmark of the forecasting and assessment engine.

Run: ``.venv/bin/python bench/bench_assess.py [--quick]``. Prints

1. ``assess()`` on the bundled plan and data (cold: first call in the
   process, including imports and file loading; warm: repeated);
2. one model fit + 10,000-path simulation per model (enrollment series);
3. ``assess()`` on 310 synthetic series (31 provinces x 10 indicators,
   2012-2024 with 2023 and random other years missing) with n_jobs=1 and 2.

No dependency beyond the package itself.
"""

from __future__ import annotations

import os

# Tiny matrices: BLAS threads only add contention on a shared 2-core machine
# (measured: ARIMA fits varied 0.45-7.8 s with threads, 0.5-0.9 s without).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _timer(fn, repeat=1):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def synthetic(n_provinces=31, n_indicators=10, seed=0):
    """(targets, series) frames shaped like load_targets() / load_series()."""
    rng = np.random.default_rng(seed)
    years = np.arange(2012, 2025)
    rows, targets = [], []
    for p in range(n_provinces):
        for i in range(n_indicators):
            name = f"p{p:02d}_i{i:02d}"
            pct = i % 5 == 4
            cumulative = i % 3 == 2
            if pct:
                z = np.log(0.9 / 0.1) + np.cumsum(rng.normal(0.02, 0.1, len(years)))
                values = 100 / (1 + np.exp(-z))
                unit = "%"
            else:
                values = 100 * np.exp(np.cumsum(rng.normal(0.03, 0.05, len(years))))
                unit = "万人"
            keep = (years != 2023) & (rng.random(len(years)) > 0.1)
            for y, v in zip(years[keep], values[keep]):
                rows.append((name, int(y), round(float(v), 2), "", unit, "synthetic", "", "", "", True))
            last = values[keep][-1]
            if pct:
                target = min(last + rng.normal(0.5, 1.0), 99.5)
            else:
                target = last * np.exp(rng.normal(0.05, 0.1)) * (5 if cumulative else 1)
            targets.append({
                "indicator": name, "name_zh": "", "name_en": name, "unit": unit, "comparator": ">",
                "target": round(float(target), 2), "target_year": 2025, "cumulative": cumulative,
                "period_start": 2021, "period_end": 2025, "baseline_year": 2020,
                "baseline_value": float(values[8]), "baseline_qualifier": "", "series": name,
                "series_relation": "direct", "series_note": "", "source_section": "synthetic",
            })
    series = pd.DataFrame(rows, columns=["indicator", "year", "value", "qualifier", "unit", "source_title",
                                         "source_url", "quote", "note", "selected"])
    return pd.DataFrame(targets), series


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer paths and series (smoke run)")
    args = parser.parse_args(argv)
    n_paths = 1000 if args.quick else 10000
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; n_paths={n_paths}; "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")

    t0 = time.perf_counter()
    from plananalysis import assess, load_plan
    from plananalysis.data import get_series
    from plananalysis.study import forecast_target
    from plananalysis.models import MODELS, forecast

    cold = time.perf_counter()
    assess(n_paths=n_paths)
    cold_total = time.perf_counter() - t0
    cold_call = time.perf_counter() - cold
    warm, _ = _timer(lambda: assess(n_paths=n_paths), repeat=3)
    print(f"1. bundled assess(): cold {cold_total:.3f} s (call alone {cold_call:.3f} s), warm {warm:.3f} s")

    forecast_target("enrollment", n_paths=10)  # load the data once
    s = get_series("enrollment_in_school", load_plan().statistics())
    print("2. one fit + 10,000-path simulation (enrollment_in_school from 2015, horizon 5):")

    def one(m):
        return forecast(s, m, horizon=5, n_paths=10000, fit_start=2015)

    for m in MODELS + ("auto",):
        dt, fc = _timer(lambda m=m: one(m), repeat=1 if m == "arima" else 3)  # ARIMA caches its order search
        print(f"   {m:12s} {dt * 1000:8.1f} ms  (model used: {fc.model})")

    n_prov = 8 if args.quick else 31
    targets, series = synthetic(n_provinces=n_prov)
    print(f"3. assess() on {len(targets)} synthetic series ({n_prov} provinces x 10 indicators):")
    for jobs in (1, 2):
        dt, card = _timer(lambda j=jobs: assess(targets=targets, series=series, n_paths=n_paths, n_jobs=j,
                                                as_of=2024))
        counts = card.to_frame()["status"].value_counts().to_dict()
        print(f"   n_jobs={jobs}: {dt:.2f} s  statuses {counts}")


if __name__ == "__main__":
    main()
