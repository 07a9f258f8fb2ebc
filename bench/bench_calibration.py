"""Benchmark of the calibration: cross-validated scores and the seconds to fit and apply it.

Run: ``.venv/bin/python bench/bench_calibration.py [--quick]``. Prints

1. the time to assess the 100 reference-class cases (engine + bridge, 2000 paths);
2. the time to fit the calibration (with its 200-refit bootstrap, and without);
3. assess() on the bundled plan with and without calibration, and apply_calibration()
   on its scorecard and on 10,000 synthetic rows;
4. leave-one-plan-out, leave-one-family-out and forward-in-time Brier / log loss (95% bootstrap
   intervals) of the calibration and every baseline, with the time each CV takes.

No dependency beyond the package itself.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer bootstrap resamples")
    args = parser.parse_args(argv)
    from plananalysis import assess
    from plananalysis import calibration as cal

    n_boot = 200 if args.quick else 2000
    t_cases, cases = _timed(lambda: cal.reference_cases(cal.default_reference_dir()))
    print(f"reference cases ({len(cases)}, {cases['engine'].value_counts().to_dict()}): {t_cases:.2f} s")
    t_fit, model = _timed(lambda: cal.fit_calibration(cases))
    t_fit0, _ = _timed(lambda: cal.fit_calibration(cases, n_boot=0))
    print(f"fit: {t_fit:.2f} s with {cal.N_BOOT} bootstrap refits, {t_fit0:.3f} s without")
    t_none, _ = _timed(lambda: assess(n_paths=2000, calibration="none"))
    t_cal, card = _timed(lambda: assess(n_paths=2000))
    card = card.to_frame()
    t_apply, _ = _timed(lambda: cal.apply_calibration(card, model=model))
    big = pd.concat([card[card["p_trend"].notna()]] * 3334, ignore_index=True).head(10000)
    big["p_trend"] = np.random.default_rng(0).uniform(size=len(big))
    t_big, _ = _timed(lambda: cal.apply_calibration(big, model=model))
    print(f"assess (bundled plan, 2000 paths): {t_none:.2f} s with calibration='none', {t_cal:.2f} s calibrated")
    print(f"apply_calibration: {t_apply * 1000:.1f} ms on the bundled scorecard ({len(card)} rows), "
          f"{t_big * 1000:.1f} ms on {len(big)} rows")
    for scheme in cal.SCHEMES:
        t_cv, res = _timed(lambda: cal.evaluate(cases, scheme, n_boot=n_boot))
        print(f"\nleave-one-{scheme}-out ({res['predictions']['fold'].nunique()} folds): {t_cv:.2f} s")
        for m, r in res["scores"].iterrows():
            print(f"  {m:<18} Brier {r['brier']:.3f} [{r['brier_lo']:.3f}, {r['brier_hi']:.3f}]  "
                  f"log loss {r['logloss']:.3f} [{r['logloss_lo']:.3f}, {r['logloss_hi']:.3f}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
