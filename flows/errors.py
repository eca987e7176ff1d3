"""Errors the platform reports to a person: one line, naming the file, row or URL."""


class TmtError(Exception):
    """A problem a user can act on. The CLI prints it on one line and exits non-zero."""

    # True once a specific alert about it is in the outbox (a quarantined file, a failed dbt
    # build): the run's end hook then adds no second, generic one (flows/ops/record.py).
    alerted = False


class BadFileError(TmtError):
    """A source file that cannot be loaded as it is. It gets quarantined; the others go on."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason.removeprefix(f"{name}: ")
        # Row-level reasons already start with the file name ("f.csv row 12: ...").
        super().__init__(self.reason if self.reason.startswith(name) else f"{name}: {self.reason}")


def alerted(exc: TmtError) -> TmtError:
    """Mark an error whose alert was queued; `raise alerted(exc)`."""
    exc.alerted = True
    return exc


class WithoutTraceback:
    """A logging filter: a record about a TmtError keeps its line, not the traceback. The
    error is expected and already says what happened; Prefect logs every failed task and
    flow with its traceback, and a refused connection printed six of them (issue 17).
    Unexpected exceptions keep theirs."""

    def filter(self, record) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TmtError):
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_expected_tracebacks(logger_name: str = "prefect") -> None:
    """Install WithoutTraceback on the handlers of Prefect's loggers (once each)."""
    import logging

    loggers = [logging.getLogger(logger_name)] + [
        logging.getLogger(name) for name in logging.root.manager.loggerDict
        if name.startswith(f"{logger_name}.")]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(item, WithoutTraceback) for item in handler.filters):
                handler.addFilter(WithoutTraceback())
