"""From raw records to region x domain counts, written once with Ibis.

A record is one observed unit: a participation in a project of some domain, or a published count
of an indicator. Records come as a table with the columns

    region  text     NUTS code of the version in use (any level)
    domain  text     the domain's key in its scheme
    year    integer  may be null (the record still counts in totals over all years)
    weight  float    1 for a count, an amount (EU contribution), or a published value

``count_expression`` sums them by region (cut to a NUTS level: codes nest by prefix, so the
NUTS-2 region of ITH55 is ITH5), domain and year. The same expression runs on DuckDB (the default,
in memory, nothing to install or start) and on Spark (``ibis.pyspark.connect(session)``) when the
records outgrow one machine; ``aggregate`` hands the records to either.

No Django here: the adapters in ``matrices`` read the registry and call this module.
"""

from __future__ import annotations

import itertools

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

RECORD_SCHEMA = pa.schema([
    pa.field("region", pa.string(), nullable=False),
    pa.field("domain", pa.string(), nullable=False),
    pa.field("year", pa.int64()),
    pa.field("weight", pa.float64(), nullable=False),
])
COUNT_COLUMNS = ["region", "domain", "year", "value", "records"]
_view_numbers = itertools.count(1)


def records_table(region: list[str], domain: list[str], year: list[int | None], weight: list[float]) -> pa.Table:
    """The records as an Arrow table of ``RECORD_SCHEMA`` (ValueError on unequal lengths)."""
    lengths = {len(region), len(domain), len(year), len(weight)}
    if len(lengths) != 1:
        raise ValueError(f"record columns of unequal lengths: {sorted(lengths)}")
    return pa.table({"region": pa.array(region, pa.string()), "domain": pa.array(domain, pa.string()),
                     "year": pa.array(year, pa.int64()), "weight": pa.array(weight, pa.float64())},
                    schema=RECORD_SCHEMA)


def count_expression(records: ir.Table, level: int) -> ir.Table:
    """Sum of ``weight`` and number of records by (region at NUTS ``level``, domain, year).

    Records of a region coarser than ``level`` (a code shorter than ``level + 2`` characters)
    cannot be placed at that level and are left out.
    """
    if not 0 <= level <= 3:
        raise ValueError(f"NUTS level {level} does not exist (levels are 0 to 3)")
    width = level + 2
    placed = records.filter(records.region.length() >= width)
    cut = placed.mutate(region=placed.region.substr(0, width))
    return (cut.group_by(["region", "domain", "year"])
               .aggregate(value=cut.weight.sum(), records=cut.count())
               .order_by(["region", "domain", "year"]))


def _backend_table(backend, records: pa.Table) -> ir.Table:
    """The records as a table of ``backend``.

    Spark gets an Arrow-built DataFrame registered as a temporary view: Ibis's in-memory tables
    reach Spark through pandas, which turns a nullable integer column (years with gaps) into nulls.
    """
    if backend.name == "pyspark":
        view = f"ris3hub_records_{next(_view_numbers)}"
        backend._session.createDataFrame(records).createOrReplaceTempView(view)
        return backend.table(view)
    return ibis.memtable(records)


def aggregate(records: pa.Table | pd.DataFrame, level: int, backend=None) -> pd.DataFrame:
    """Counts by (region, domain, year): columns region, domain, year, value, records.

    ``backend`` is an Ibis backend; by default a fresh in-memory DuckDB connection (one a call, so
    that threads of a web server never share one).
    """
    if isinstance(records, pd.DataFrame):
        records = pa.Table.from_pandas(records[RECORD_SCHEMA.names], schema=RECORD_SCHEMA, preserve_index=False)
    else:
        records = records.select(RECORD_SCHEMA.names).cast(RECORD_SCHEMA)
    if records.num_rows == 0:
        return pd.DataFrame({"region": pd.Series(dtype=str), "domain": pd.Series(dtype=str),
                             "year": pd.Series(dtype="Int64"), "value": pd.Series(dtype=float),
                             "records": pd.Series(dtype="int64")})
    own = backend is None
    backend = backend or ibis.duckdb.connect()
    try:
        expr = count_expression(_backend_table(backend, records), level)
        result = backend.to_pyarrow(expr)
    finally:
        if own:
            backend.disconnect()
    return counts_frame(result)


def counts_frame(table: pa.Table) -> pd.DataFrame:
    """Counts as a DataFrame: years as nullable integers, sorted by region, domain, year."""
    frame = table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    frame["records"] = frame["records"].astype("int64")
    return frame[COUNT_COLUMNS].sort_values(["region", "domain", "year"], na_position="first",
                                            ignore_index=True)
