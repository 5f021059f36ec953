"""Parsers: pure functions from numbered source lines to pydantic records."""
