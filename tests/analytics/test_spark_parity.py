from __future__ import annotations

import numpy as np
import pytest

from fanzha.analytics.duckdb_backend import DuckDBBackend
from fanzha.calls.simulator import CallSimulator, SimulationConfig

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    from fanzha.analytics.spark_backend import SparkBackend

    backend = SparkBackend("local[1]")
    yield backend
    backend.close()


def test_spark_and_duckdb_give_the_same_features(spark, tmp_path):
    sim = CallSimulator(SimulationConfig(n_users=120, days=2, seed=4))
    sim.write_parquet(tmp_path)
    tables = {"calls": sim.calls(), **sim.extras()}
    expected = DuckDBBackend().number_features(tables, window_s=86_400)
    got = spark.number_features(tables, window_s=86_400)
    assert list(got["number"]) == list(expected["number"])
    assert (got.dtypes == expected.dtypes).all()
    np.testing.assert_allclose(
        got.iloc[:, 1:].to_numpy(float), expected.iloc[:, 1:].to_numpy(float), rtol=1e-9
    )

    from_parquet = spark.number_features({"calls": tmp_path / "calls"})
    whole = DuckDBBackend().number_features({"calls": tmp_path / "calls"})
    np.testing.assert_allclose(
        from_parquet.iloc[:, 1:].to_numpy(float),
        whole.iloc[:, 1:].to_numpy(float),
        rtol=1e-9,
    )
