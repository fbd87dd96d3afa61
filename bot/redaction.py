"""Secrets kept out of log lines: a :class:`LogRedactor` is an object that an
adapter creates (or is given) and attaches to the loggers that may print its
secrets, and detaches when it stops. Several can be attached at once (two bots
in one process, or in one test), each removing only its own filter.

PTB and httpx log request URLs, which contain the Telegram token; library
exceptions quote them too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

#: Loggers (by first name part) that may print a request URL or an exception with one.
LOGGER_PREFIXES = ("telegram", "httpx", "httpcore", "aiohttp", "hpack", "h2", "bot", "asyncio")


def library_loggers() -> list[logging.Logger]:
    """The loggers of the HTTP stack and of ours that exist now (see :data:`LOGGER_PREFIXES`)."""
    names = {"telegram", "httpx", "httpcore", "asyncio", "bot"}
    names.update(
        name
        for name in logging.Logger.manager.loggerDict
        if name.split(".", 1)[0] in LOGGER_PREFIXES
    )
    return [logging.getLogger(name) for name in sorted(names)]


class LogRedactor(logging.Filter):
    """Replaces ``secrets`` (and their URL-encoded forms) in the log records of the
    loggers it is attached to."""

    def __init__(
        self, *secrets: str, loggers: Callable[[], Iterable[logging.Logger]] = library_loggers
    ) -> None:
        super().__init__()
        self._loggers = loggers
        self._secrets: list[str] = []
        self._attached: list[logging.Logger] = []
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        forms = set(self._secrets)
        for secret in secrets:
            if secret:
                forms.update({secret, secret.replace(":", "%3A"), secret.replace(":", "%3a")})
        self._secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: let logging report it as usual
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True

    def attach(self) -> None:
        """Filter the loggers that exist now (again after new ones appeared)."""
        for logger in self._loggers():
            if self not in logger.filters:
                logger.addFilter(self)
                self._attached.append(logger)

    def detach(self) -> None:
        for logger in self._attached:
            logger.removeFilter(self)
        self._attached = []
