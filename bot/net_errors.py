"""The errors a fetch raises (:mod:`bot.net`, :mod:`bot.net_address`), each a
:mod:`bot.errors` type with a ``kind`` for logs and metrics, and
:func:`error_kind`, that name for any exception."""

from __future__ import annotations

from typing import ClassVar

from bot.errors import InputError, PermanentError, TransientError


class UnsafeURLError(PermanentError):
    """The URL points at an address we do not fetch (private, loopback, ...)."""

    kind: ClassVar[str] = "refused"


class TooLargeError(PermanentError):
    """The body is over the cap (or would decompress to more than it)."""

    kind: ClassVar[str] = "too_large"


class HTTPStatusError(PermanentError):
    """The server answered with a status that will not change by retrying (4xx)."""

    kind: ClassVar[str] = "http_4xx"

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ServerError(TransientError):
    """5xx or 429: try again later."""

    kind: ClassVar[str] = "http_5xx"

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message, retry_after)
        self.status = status


class FetchTimeout(TransientError):
    kind: ClassVar[str] = "timeout"


class NetworkError(TransientError):
    kind: ClassVar[str] = "network"


class BadURLError(InputError):
    kind: ClassVar[str] = "bad_url"


class _ConnectFailed(NetworkError):
    """No connection could be made to one address (the next may be tried)."""


def error_kind(exc: BaseException) -> str:
    """A short, stable name for what went wrong (a metrics label)."""
    kind = getattr(exc, "kind", None)
    if isinstance(kind, str):
        return kind
    if isinstance(exc, TransientError):
        return "transient"
    if isinstance(exc, PermanentError):
        return "permanent"
    if isinstance(exc, InputError):
        return "input"
    return "internal"
