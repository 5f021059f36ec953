"""Extractors: turn an input file into numbered source lines (document -> pages -> lines)."""
