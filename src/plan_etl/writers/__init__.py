"""Writers: a parsed Report to files (contract JSON, Parquet tables), each written atomically."""

FORMATS: tuple[str, ...] = ("json", "parquet")
"""Output formats `plan-etl parse --format` accepts."""
