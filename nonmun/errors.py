"""The exception tree of nonmun.

Library code raises these; the CLI turns them into a one-line message and an
exit status, the web app (later) into a 4xx/5xx answer. Anything else that
escapes is a bug and is allowed to show a traceback.
"""

from __future__ import annotations


class NonmunError(Exception):
    """Base of every error a user can cause or fix."""

    exit_code = 1

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.where() + message)

    def where(self) -> str:
        """``"FILE:LINE: "`` prefix naming the input, or ``""``."""
        if self.source is None:
            return ""
        if self.line is None:
            return f"{self.source}: "
        return f"{self.source}:{self.line}: "


class InputError(NonmunError):
    """The input (a file, an identifier, a query) is malformed."""

    exit_code = 2


class NotFoundError(NonmunError):
    """Something asked for does not exist (a paper, a hub)."""

    exit_code = 3


class NetworkError(NonmunError):
    """A remote service could not be reached or answered badly."""

    exit_code = 4


class DatabaseError(NonmunError):
    """The database cannot be opened, connected to or upgraded."""

    exit_code = 5
