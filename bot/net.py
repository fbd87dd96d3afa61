"""Safe fetching of URLs that users and feeds give us.

Everything ClaimWatch fetches from the web goes through :class:`Fetcher`:

* only ``http`` and ``https`` URLs;
* the host is resolved **once** and every address it resolves to must be
  public (no private, loopback, link-local, multicast, reserved or
  unspecified address), on the first request and on every redirect, which
  are followed here (at most :data:`MAX_REDIRECTS`), never by httpx. The
  request then goes to the address that was checked — the URL's host is
  replaced by that IP while the ``Host`` header and the TLS server name (SNI
  and certificate check) stay the name — so a DNS answer that changes after
  the check (DNS rebinding) is never asked. The address actually connected to
  is checked again before the body is read. ``ALLOW_PRIVATE_URLS=true`` lifts
  all this for a bot on a private network. :func:`check_url_address` checks
  a URL when it is given (``feeds add``), without fetching;
* with ``FETCH_PROXY`` set, every request goes through that HTTP proxy
  (``CONNECT`` by name for https): the target's name is still resolved and
  checked as above before each request and redirect, but the request names
  the host and the proxy resolves and connects, so neither the pinning to the
  checked address nor the connected-address check (which would see the
  proxy) applies, and the proxy must be trusted (``docs/sources.md#proxy``).
  The proxy's own address is the operator's setting and is not checked;
* a cap on the body (``FETCH_MAX_BYTES``), counted on the *decompressed*
  bytes while they stream in, in bounded steps, so a gzip bomb is stopped
  after at most the cap (plus one step) of memory;
* a cap on the total time of a fetch, redirects included
  (``FETCH_TIMEOUT_SECONDS``);
* a per-host concurrency limit, so one slow site does not take every slot;
* text decoded by the charset the headers declare, else the one the document
  declares (``<meta charset>``, ``<?xml encoding?>``), else a detected one;
  a declared charset that does not fit the bytes gives way to detection.

The address checks are :mod:`bot.net_address`, the charset reading
:mod:`bot.net_text` and the errors :mod:`bot.net_errors`; their names are
importable from here too.

Failures are :mod:`bot.errors` types with a ``kind`` for logs and metrics:
:class:`~bot.errors.InputError` (the URL itself is wrong),
:class:`~bot.errors.PermanentError` (refused address, 4xx, too large, not
decodable) and :class:`~bot.errors.TransientError` (time-out, network error,
5xx, 429 with ``retry_after``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from bot.config import Settings
from bot.errors import ClaimWatchError, PermanentError
from bot.net_address import (
    ADD_TIME_RESOLVE_SECONDS,
    Resolver,
    check_url,
    check_url_address,
    is_public_address,
    literal_address,
    pinned_url,
    resolve_checked,
    resolve_host,
)
from bot.net_errors import (
    BadURLError,
    FetchTimeout,
    HTTPStatusError,
    NetworkError,
    ServerError,
    TooLargeError,
    UnsafeURLError,
    _ConnectFailed,
    error_kind,
)
from bot.net_text import declared_charset, decode_text

# The address checks, errors and text decoding live in their own modules; their
# names stay importable from here for callers of ``bot.net``.
__all__ = [
    "ADD_TIME_RESOLVE_SECONDS",
    "MAX_REDIRECTS",
    "REDIRECT_STATUSES",
    "BadURLError",
    "FetchResult",
    "FetchTimeout",
    "Fetcher",
    "HTTPStatusError",
    "NetworkError",
    "Resolver",
    "ServerError",
    "TooLargeError",
    "UnsafeURLError",
    "check_url",
    "check_url_address",
    "declared_charset",
    "decode_text",
    "error_kind",
    "is_public_address",
    "literal_address",
    "pinned_url",
    "resolve_checked",
    "resolve_host",
    "retry_after_seconds",
]

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_STEP = 64 * 1024  # decompressed bytes produced per step


class _Decoder:
    """Undoes a Content-Encoding (gzip, deflate, identity) lazily, at most
    :data:`_STEP` bytes at a time, so the caller can stop a bomb early."""

    def __init__(self, encoding: str) -> None:
        names = [e.strip().lower() for e in encoding.split(",") if e.strip()]
        names = [n for n in names if n != "identity"]
        if len(names) > 1:
            raise PermanentError(f"stacked content encodings are not accepted ({encoding})")
        self.name = names[0] if names else "identity"
        self._z: zlib._Decompress | None
        if self.name in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.name == "deflate":
            self._z = None  # zlib-wrapped or raw: decided on the first bytes
        elif self.name == "identity":
            self._z = None
        else:
            raise PermanentError(f"unsupported content encoding {encoding!r}")

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.name == "identity":
            yield data
            return
        if self._z is None:  # deflate: RFC 9110 says zlib-wrapped; some servers send raw
            wrapped = (
                len(data) >= 2 and (data[0] & 0x0F) == 8 and (data[0] << 8 | data[1]) % 31 == 0
            )
            self._z = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            piece = self._z.decompress(data, _STEP)
            yield piece
            while self._z.unconsumed_tail:
                yield self._z.decompress(self._z.unconsumed_tail, _STEP)
        except zlib.error as exc:
            raise PermanentError(f"the {self.name} body is corrupt: {exc}") from None

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        try:
            return self._z.flush(_STEP)
        except zlib.error as exc:
            raise PermanentError(f"the {self.name} body is corrupt: {exc}") from None


# --------------------------------------------------------------------------- fetching


@dataclass(frozen=True)
class FetchResult:
    """One fetched response (after redirects)."""

    url: str  # the final URL
    status: int  # 200, or 304 for a conditional request that found no change
    headers: Mapping[str, str]
    body: bytes = b""
    redirects: tuple[str, ...] = field(default=())

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        return decode_text(self.body, self.content_type)[0]


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds, capped at a day."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, min(float(value), 86400.0))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, min((when - datetime.now(UTC)).total_seconds(), 86400.0))


class Fetcher:
    """Fetches URLs with the safety rules of this module. One per process;
    :meth:`aclose` when done."""

    def __init__(
        self,
        settings: Settings,
        *,
        per_host: int | None = None,
        resolver: Resolver | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.max_bytes = settings.fetch_max_bytes
        self.timeout = settings.fetch_timeout_seconds
        self.allow_private = settings.allow_private_urls
        self.per_host = per_host or settings.feed_per_host
        self._resolver = resolver
        proxy = settings.fetch_proxy.get_secret_value() if settings.fetch_proxy else None
        self.proxied = proxy is not None
        step = min(self.timeout, 10.0)
        self.client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(step, connect=step),
            headers={
                "User-Agent": settings.user_agent,
                "Accept-Encoding": "gzip, deflate",
            },
            transport=transport,
            proxy=proxy,  # FETCH_PROXY, and no other:
            trust_env=False,  # a proxy from the environment would hide the address we check
        )
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    def _slot(self, host: str) -> asyncio.Semaphore:
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.per_host)
        return sem

    async def _check_host(self, host: str, port: int) -> list[str] | None:
        """The checked addresses of ``host`` to connect to; None with ALLOW_PRIVATE_URLS
        (then httpx resolves the name itself)."""
        if self.allow_private:
            return None
        return await resolve_checked(host, port, resolver=self._resolver)

    def _check_peer(self, response: httpx.Response, host: str) -> None:
        if self.allow_private or self.proxied:  # through a proxy the peer is the proxy
            return
        stream = response.extensions.get("network_stream")
        if stream is None:
            return
        addr = stream.get_extra_info("server_addr")
        if addr and not is_public_address(str(addr[0])):
            raise UnsafeURLError(f"refused {host}: connected to a non-public address ({addr[0]})")

    async def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """GET ``url`` safely; a 304 comes back as a result, every other non-2xx
        as an error (see the module docstring)."""
        try:
            async with asyncio.timeout(self.timeout):
                return await self._get(url, headers or {}, max_bytes or self.max_bytes, accept)
        except TimeoutError:
            raise FetchTimeout(
                f"fetching {url} took longer than {self.timeout:g} s; gave up"
            ) from None

    async def _get(
        self, url: str, headers: Mapping[str, str], cap: int, accept: str | None
    ) -> FetchResult:
        redirects: list[str] = []
        current = url.strip()
        request_headers = dict(headers)
        if accept:
            request_headers["Accept"] = accept
        while True:
            _, host, port = check_url(current)
            addresses = await self._check_host(host, port)
            if self.proxied:
                addresses = None  # checked, but the proxy connects by name
            async with self._slot(host.lower()):
                result = await self._pinned(current, host, addresses, request_headers, cap)
            if isinstance(result, FetchResult):
                return FetchResult(
                    result.url, result.status, result.headers, result.body, tuple(redirects)
                )
            if len(redirects) >= MAX_REDIRECTS:
                raise PermanentError(f"{url}: more than {MAX_REDIRECTS} redirects")
            redirects.append(current)
            current = urljoin(current, result)
            if urlsplit(current).hostname != host:
                # conditional headers belong to the first URL only
                request_headers.pop("If-None-Match", None)
                request_headers.pop("If-Modified-Since", None)
            log.debug("redirect %s → %s", redirects[-1], current)

    async def _pinned(
        self,
        url: str,
        host: str,
        addresses: list[str] | None,
        headers: Mapping[str, str],
        cap: int,
    ) -> FetchResult | str:
        """One request to the checked addresses of ``host``, in order, moving on
        only when a connection could not be made (nothing was sent)."""
        if addresses is None:
            return await self._once(url, url, host, headers, cap)
        last: NetworkError | None = None
        for address in addresses:
            target, host_header = pinned_url(url, address)
            try:
                return await self._once(
                    url, target, host, {**headers, "Host": host_header}, cap, sni=host
                )
            except _ConnectFailed as exc:
                last = exc
                log.debug(
                    "%s: could not connect to %s (%s); trying the next address", url, address, exc
                )
        assert last is not None
        raise last

    async def _once(
        self,
        url: str,
        target: str,
        host: str,
        headers: Mapping[str, str],
        cap: int,
        *,
        sni: str | None = None,
    ) -> FetchResult | str:
        """One request (to ``target``, the URL or its pinned form): a result, or
        the Location of a redirect."""
        extensions = {"sni_hostname": sni} if sni and url.lower().startswith("https") else None
        try:
            async with self.client.stream(
                "GET", target, headers=dict(headers), extensions=extensions
            ) as response:
                self._check_peer(response, host)
                status = response.status_code
                if status in REDIRECT_STATUSES:
                    location = str(response.headers.get("location") or "")
                    if not location:
                        raise PermanentError(f"{url}: redirect ({status}) without a Location")
                    return location
                if status == 304:
                    return FetchResult(url, 304, dict(response.headers))
                if status == 429 or status >= 500:
                    raise ServerError(
                        f"{url}: the server answered {status} {response.reason_phrase}",
                        status,
                        retry_after_seconds(response.headers.get("retry-after")),
                    )
                if not 200 <= status < 300:
                    raise HTTPStatusError(
                        f"{url}: the server answered {status} {response.reason_phrase}", status
                    )
                body = await self._read(response, url, cap)
                return FetchResult(url, status, dict(response.headers), body)
        except ClaimWatchError:
            raise
        except httpx.ConnectError as exc:  # no connection, so nothing was sent
            raise _ConnectFailed(f"{url}: {type(exc).__name__}: {exc}") from None
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"{url}: timed out ({type(exc).__name__})") from None
        except (httpx.TransportError, OSError) as exc:
            raise NetworkError(f"{url}: {type(exc).__name__}: {exc}") from None
        except httpx.HTTPError as exc:
            raise PermanentError(f"{url}: {type(exc).__name__}: {exc}") from None

    async def _read(self, response: httpx.Response, url: str, cap: int) -> bytes:
        length = response.headers.get("content-length")
        with contextlib.suppress(ValueError):
            if length is not None and int(length) > cap:
                raise TooLargeError(
                    f"{url}: the body is {int(length):,} bytes; the limit is {cap:,}"
                )
        decoder = _Decoder(response.headers.get("content-encoding", ""))
        parts: list[bytes] = []
        total = 0
        async for raw in response.aiter_raw():
            for piece in decoder.feed(raw):
                total += len(piece)
                if total > cap:
                    raise TooLargeError(
                        f"{url}: the body is over the limit of {cap:,} bytes"
                        + (" once decompressed" if decoder.name != "identity" else "")
                    )
                parts.append(piece)
        tail = decoder.flush()
        total += len(tail)
        if total > cap:
            raise TooLargeError(f"{url}: the body is over the limit of {cap:,} bytes")
        parts.append(tail)
        return b"".join(parts)
