"""Errors the CLI turns into a one-line message and a non-zero exit."""


class InputError(Exception):
    """The input cannot be used (missing, unreadable, not a report)."""
