"""The executor seam: the same scorecard wherever the targets are assessed (a process pool, dask)."""

from __future__ import annotations

import pytest

from plananalysis.api import assess
from plananalysis.cli import main
from plananalysis.executors import open_executor
from plananalysis.settings import Settings

SETTINGS = Settings(n_paths=400, as_of=2023)


def _csv(executor=None, settings=SETTINGS):
    return assess(settings=settings, executor=executor).to_frame().to_csv(index=False)


@pytest.mark.slow
def test_a_batch_on_a_dask_cluster_matches_the_process_pool_byte_for_byte():
    pytest.importorskip("distributed")
    inline = _csv()
    with open_executor("process:2") as pool:
        in_pool = _csv(pool)
    with open_executor("local-dask", n_jobs=2) as dask:
        on_dask = _csv(dask)
    assert in_pool == inline
    assert on_dask == in_pool


def test_n_jobs_runs_a_process_pool_with_the_same_answer():
    assert _csv(settings=SETTINGS.replace(n_jobs=2)) == _csv()


def test_the_cli_takes_an_executor(capsys):
    assert main(["assess", "--n-paths", "300", "--as-of", "2023", "--executor", "process:2", "--format", "csv"]) == 0
    pooled = capsys.readouterr().out
    assert main(["assess", "--n-paths", "300", "--as-of", "2023", "--format", "csv"]) == 0
    assert capsys.readouterr().out == pooled
    assert main(["assess", "--n-paths", "300", "--executor", "spark"]) == 1
    assert "executor 'spark' is not known" in capsys.readouterr().err
