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
