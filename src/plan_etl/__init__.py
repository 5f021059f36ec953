"""plan-etl: Japanese municipal plan reports (PDF or extracted text) to structured data."""

from plan_etl.version import __version__


def __getattr__(name: str):  # lazy: `plan-etl --help` must not import pydantic
    if name == "parse_report":
        from plan_etl.pipeline import parse_report

        return parse_report
    raise AttributeError(f"module 'plan_etl' has no attribute {name!r}")


__all__ = ["__version__", "parse_report"]
