"""The Ibis aggregation: the same expression gives the same counts on DuckDB and on Spark."""

import pandas as pd
import pytest

from ris3hub.analytics import aggregate, matrices
from ris3hub.analytics.aggregate import records_table

RECORDS = records_table(
    region=["ITH55", "ITH54", "ITH5", "DE300", "IT", "ITH55", "DE300"],
    domain=["a", "a", "b", "b", "a", "a", "b"],
    year=[2020, None, 2021, 2020, 2020, 2020, 2020],
    weight=[1.0, 2.0, 3.0, 4.0, 5.0, 0.5, 1.5],
)


def rows(frame: pd.DataFrame) -> list[tuple]:
    return [(r.region, r.domain, None if pd.isna(r.year) else int(r.year), r.value, r.records)
            for r in frame.itertuples()]


def test_counts_by_region_domain_and_year_on_duckdb():
    assert rows(aggregate.aggregate(RECORDS, 2)) == [
        ("DE30", "b", 2020, 5.5, 2),
        ("ITH5", "a", None, 2.0, 1),  # a record without a year keeps its place, with no year
        ("ITH5", "a", 2020, 1.5, 2),
        ("ITH5", "b", 2021, 3.0, 1),
    ]
    # At NUTS-0 the country-level record counts too.
    assert rows(aggregate.aggregate(RECORDS, 0))[1:] == [("IT", "a", None, 2.0, 1), ("IT", "a", 2020, 6.5, 3),
                                                         ("IT", "b", 2021, 3.0, 1)]
    assert rows(aggregate.aggregate(RECORDS.to_pandas(), 3)) == [
        ("DE300", "b", 2020, 5.5, 2), ("ITH54", "a", None, 2.0, 1), ("ITH55", "a", 2020, 1.5, 2)]


def test_no_records_and_bad_input():
    empty = aggregate.aggregate(records_table([], [], [], []), 2)
    assert empty.empty and list(empty.columns) == aggregate.COUNT_COLUMNS
    with pytest.raises(ValueError, match="unequal lengths"):
        records_table(["IT"], ["a", "b"], [None], [1.0])
    with pytest.raises(ValueError, match="level 5"):
        aggregate.aggregate(RECORDS, 5)


@pytest.fixture(scope="module")
def spark_backend():
    """Ibis on a local Spark session (one core, no web UI): what runs on a cluster, in small."""
    ibis = pytest.importorskip("ibis")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("ris3hub-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
               .config("spark.driver.memory", "512m").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield ibis.pyspark.connect(session)
    session.stop()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
def test_spark_gives_the_same_counts_as_duckdb(spark_backend, s3_data):
    """Synthetic records with gaps in the years, and the registry's participations weighted by EU
    contribution: DuckDB and Spark agree on every count."""
    for level in (0, 2, 3):
        assert rows(aggregate.aggregate(RECORDS, level, backend=spark_backend)) == \
            rows(aggregate.aggregate(RECORDS, level))
    records, _ = matrices.project_records("thematic", weight="eu")
    on_spark = aggregate.aggregate(records, 2, backend=spark_backend)
    on_duckdb = aggregate.aggregate(records, 2)
    assert rows(on_spark) == rows(on_duckdb)
    assert ("ITH5", "Health", 2021, 220.0, 2) in rows(on_spark)
