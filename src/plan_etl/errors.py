"""Errors the CLI turns into a one-line message and a non-zero exit.

Two classes, told apart by exit status: the input or output cannot be used (InputError,
OutputError, LimitError: exit 2, the message says what is wrong with the file), or plan-etl itself
failed (WorkerCrash or any other exception: exit INTERNAL_EXIT, "internal error", a bug to report)."""

from __future__ import annotations

INPUT_EXIT = 2
"""The exit status of an input or output that cannot be used."""
INTERNAL_EXIT = 3
"""The exit status of an internal error: a bug in plan-etl, not a problem with the user's file."""


class InputError(Exception):
    """The input cannot be used (missing, unreadable, not a report)."""


class LimitError(InputError):
    """The input goes over one of the run's limits (`plan_etl.limits.Limits`); the message names the
    limit and the option that raises it."""

    def __init__(self, path: object, what: str, limit: str, option: str) -> None:
        super().__init__(f"{path}: {what}: over the limit of {limit} (raise it with {option})")
        self.option = option

    def __reduce__(self) -> tuple[object, ...]:
        # raised in a page worker, it is pickled back to the parent by its message
        return (_restore_limit_error, (str(self), self.option))


def _restore_limit_error(message: str, option: str) -> LimitError:
    error = LimitError.__new__(LimitError)
    InputError.__init__(error, message)
    error.option = option
    return error


class OutputError(Exception):
    """The outputs cannot be written where asked (the directory busy, not plan-etl's, unwritable)."""


class WorkerCrash(Exception):
    """A job in a worker process failed with an unexpected error (a bug, not a bad input); the
    message names the file and the error, whose traceback stayed in the worker."""
