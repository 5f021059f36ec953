"""Writers: a parsed Report to files (contract JSON, Parquet tables), each written atomically."""

FORMATS: tuple[str, ...] = ("json", "parquet", "duckdb", "csv", "jsonl", "xlsx")
"""Output formats `plan-etl parse --format` accepts (`all` means every one)."""

DEFAULT_FORMATS: tuple[str, ...] = ("json", "parquet")
