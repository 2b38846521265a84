"""Parquet files: one record per row, with the same field rules as a JSON line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from unspin.io.records import RECORD_FIELDS, BadRecord, Item, record_to_document, short_error

_BATCH_ROWS = 1024


def read_parquet(path: Path, doc_id: str, where: str, max_bytes: int) -> Iterator[Item]:
    """One Document per row; a corrupt row group is skipped as a whole and reported."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises several types for a file that is not Parquet
        yield BadRecord(where, f"not a readable Parquet file ({short_error(error)})")
        return
    names = set(parquet.schema_arrow.names)
    missing = [f"'{name}'" for name in ("id", "text") if name not in names]
    if missing:
        yield BadRecord(where, f"Parquet file has no {' or '.join(missing)} column")
        return
    columns = [name for name in RECORD_FIELDS if name in names]
    row = 0
    for group in range(parquet.num_row_groups):
        group_rows = parquet.metadata.row_group(group).num_rows
        try:
            table = parquet.read_row_group(group, columns=columns)
        except Exception as error:
            yield BadRecord(
                f"{where}:rows {row + 1}-{row + group_rows}",
                f"unreadable Parquet row group {group} ({short_error(error)})",
            )
            row += group_rows
            continue
        for batch in table.to_batches(_BATCH_ROWS):
            for fields in batch.to_pylist():
                row += 1
                yield record_to_document(fields, f"{where}:row {row}", max_bytes=max_bytes)
    if parquet.metadata.num_rows == 0:
        yield BadRecord(where, "no records in file")


def count_rows(path: Path) -> int:
    """The row count a Parquet file's footer declares."""
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)
