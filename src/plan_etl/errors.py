"""Errors the CLI turns into a one-line message and a non-zero exit."""


class InputError(Exception):
    """The input cannot be used (missing, unreadable, not a report)."""


class LimitError(InputError):
    """The input goes over one of the run's limits (`plan_etl.limits.Limits`); the message names the
    limit and the option that raises it."""

    def __init__(self, path: object, what: str, limit: str, option: str) -> None:
        super().__init__(f"{path}: {what}: over the limit of {limit} (raise it with {option})")
        self.option = option
