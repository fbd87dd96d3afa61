"""Addresses of the event and entity pages, and the signatures that guard them.

With ``PAGES=signed`` (the default) a link carries ``until`` (a Unix time) and
``sig``: the first 128 bits of HMAC-SHA256 over ``"{path}\\n{until}"`` with the
server's secret, base64url. Without the secret nobody can make a link, so
pages cannot be enumerated by guessing event ids; a link stops working at
``until`` (``PAGES_LINK_DAYS`` after it was made). ``PAGES=public`` serves
plain links and checks nothing.

The secret is ``PAGES_SECRET``, or, when that is unset, one generated once and
kept in the database (table ``service_secrets``), so every process sharing the
database signs and checks alike and links survive restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote

from bot.config import Settings
from storage.base import Store

SIGNATURE_BYTES = 16
_ROUND_SECONDS = 3600  # expiry rounded up to the hour: one link per event per hour
EVENT_PREFIX = "/event/"
ENTITY_PREFIX = "/entity/"


def event_path(event_id: str) -> str:
    return f"{EVENT_PREFIX}{event_id}"


def entity_path(entity_id: str) -> str:
    return f"{ENTITY_PREFIX}{entity_id}"


@dataclass(frozen=True)
class PageLinks:
    """Makes and checks page links. ``base`` is ``PUBLIC_URL`` without a trailing slash."""

    base: str
    signed: bool
    ttl: timedelta
    clock: Callable[[], datetime]
    key: bytes = field(repr=False, default=b"")

    def event(self, event_id: str) -> str:
        return self.url(event_path(event_id))

    def entity(self, entity_id: str) -> str:
        return self.url(entity_path(entity_id))

    def url(self, path: str) -> str:
        """The public address of ``path`` (decoded form, e.g. ``/entity/gpe:china``)."""
        address = self.base + quote(path, safe="/:")
        if not self.signed:
            return address
        now = int(self.clock().timestamp())
        until = -(-(now + int(self.ttl.total_seconds())) // _ROUND_SECONDS) * _ROUND_SECONDS
        return f"{address}?until={until}&sig={self.signature(path, until)}"

    def signature(self, path: str, until: int) -> str:
        mac = hmac.new(self.key, f"{path}\n{until}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:SIGNATURE_BYTES]).rstrip(b"=").decode("ascii")

    def check(self, path: str, until: str | None, sig: str | None) -> bool:
        """Whether a request for ``path`` may see the page: always when public;
        when signed, a well-formed, unexpired ``until`` and the right ``sig``."""
        if not self.signed:
            return True
        if not until or not sig or len(until) > 12 or len(sig) > 64:
            return False
        if not (until.isascii() and until.isdigit()):  # isdigit() alone takes "²"
            return False
        if int(until) <= self.clock().timestamp():
            return False
        return hmac.compare_digest(self.signature(path, int(until)), sig)


async def open_page_links(
    settings: Settings, store: Store, clock: Callable[[], datetime]
) -> PageLinks | None:
    """The page links of this service, or None when pages are off (no
    ``PUBLIC_URL``, or ``PAGES=off``). Reads (or first creates) the stored
    secret when ``PAGES_SECRET`` is unset."""
    if not settings.pages_on or settings.public_url is None:
        return None
    key = b""
    if settings.pages == "signed":
        if settings.pages_secret is not None and settings.pages_secret.get_secret_value():
            secret = settings.pages_secret.get_secret_value()
        else:
            secret = await store.pages_secret(secrets.token_urlsafe(32), clock())
        key = secret.encode("utf-8")
    return PageLinks(
        base=settings.public_url,
        signed=settings.pages == "signed",
        ttl=timedelta(days=settings.pages_link_days),
        clock=clock,
        key=key,
    )
