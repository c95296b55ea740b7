"""Documents and figures as Parquet, partitioned by council and year, for DuckDB, Spark, Polars or pandas."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

_TABLES = {
    "documents": "SELECT *, year(meeting_day) AS year FROM documents",
    "figures": """
        SELECT f.*, d.council, d.meeting_date, d.file_name, year(d.meeting_day) AS year
        FROM figures AS f JOIN documents AS d ON d.id = f.document_id""",
}


def export_parquet(db_path: Path, out: Path) -> dict[str, int]:
    """Write out/documents/ and out/figures/ as hive-partitioned Parquet (council=…/year=…); replaces out.

    Returns the row count written per table.
    """
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    counts = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for table, select in _TABLES.items():
            counts[table] = con.execute(f"SELECT count(*) FROM ({select})").fetchone()[0]
            target = str(staging / table).replace("'", "''")
            con.execute(f"COPY ({select}) TO '{target}' "
                        "(FORMAT parquet, PARTITION_BY (council, year), COMPRESSION zstd)")
    finally:
        con.close()
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return counts
