"""Errors the platform reports to a person: one line, naming the file, row or URL."""


class TmtError(Exception):
    """A problem a user can act on. The CLI prints it on one line and exits non-zero."""


class BadFileError(TmtError):
    """A source file that cannot be loaded as it is. It gets quarantined; the others go on."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason.removeprefix(f"{name}: ")
        # Row-level reasons already start with the file name ("f.csv row 12: ...").
        super().__init__(self.reason if self.reason.startswith(name) else f"{name}: {self.reason}")
