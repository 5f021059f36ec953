"""plan-etl: Japanese municipal plan reports (PDF or extracted text) to structured data."""

__version__ = "0.1.0"
