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
  all this for a bot on a private network. :func:`check_address` does the
  same check without fetching (``feeds add``);
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

Failures are :mod:`bot.errors` types with a ``kind`` for logs and metrics:
:class:`~bot.errors.InputError` (the URL itself is wrong),
:class:`~bot.errors.PermanentError` (refused address, 4xx, too large, not
decodable) and :class:`~bot.errors.TransientError` (time-out, network error,
5xx, 429 with ``retry_after``).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import ipaddress
import logging
import re
import socket
import zlib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import ClassVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from bot.config import Settings
from bot.errors import ClaimWatchError, InputError, PermanentError, TransientError

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_STEP = 64 * 1024  # decompressed bytes produced per step

Resolver = Callable[[str, int], Awaitable[list[str]]]


# --------------------------------------------------------------------------- errors


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


# --------------------------------------------------------------------------- addresses


def is_public_address(text: str) -> bool:
    """Whether ``text`` (an IP address) is one the public internet routes to."""
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        mapped = addr.ipv4_mapped or addr.sixtofour
        if mapped is not None:
            addr = mapped
        elif addr.teredo is not None:
            addr = addr.teredo[1]
    return not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
        or not addr.is_global
    )


async def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests patch this function)."""
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise NetworkError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    return sorted({str(info[4][0]) for info in infos})


async def resolve_checked(
    host: str, port: int, *, allow_private: bool = False, resolver: Resolver | None = None
) -> list[str]:
    """Resolve ``host`` once; every address must be public (unless
    ``allow_private``). The addresses, in the resolver's order, to connect to."""
    try:
        addresses = [str(ipaddress.ip_address(host))]  # a literal needs no resolving
    except ValueError:
        addresses = await (resolver or resolve_host)(host, port)
    if not addresses:
        raise NetworkError(f"{host} resolves to no address")
    if not allow_private:
        bad = [a for a in addresses if not is_public_address(a)]
        if bad:
            raise UnsafeURLError(
                f"refused {host}: it resolves to a non-public address ({bad[0]}); "
                "set ALLOW_PRIVATE_URLS=true to fetch from private networks"
            )
    return addresses


async def check_address(
    url: str, *, allow_private: bool = False, resolver: Resolver | None = None
) -> list[str]:
    """Check a URL the way a fetch would, without fetching: an http(s) URL
    (:class:`BadURLError`) whose host resolves only to public addresses
    (:class:`UnsafeURLError`; :class:`NetworkError` when it does not resolve).
    Returns the addresses."""
    _, host, port = check_url(url)
    return await resolve_checked(host, port, allow_private=allow_private, resolver=resolver)


def pinned_url(url: str, address: str) -> tuple[str, str]:
    """``(url with its host replaced by address, Host header)``: the request goes
    to the address that was checked and still names the host it is for."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    default = 443 if scheme == "https" else 80
    port = parts.port or default
    literal = f"[{address}]" if ":" in address else address
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (f"{userinfo}@" if userinfo else "") + f"{literal}:{port}"
    named = f"[{host}]" if ":" in host else host
    host_header = named if port == default else f"{named}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, "")), host_header


def check_url(url: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` of an http(s) URL, else :class:`BadURLError`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise BadURLError(f"not a valid URL: {url!r} ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadURLError(f"only http:// and https:// URLs are fetched, not {url!r}")
    host = parts.hostname
    if not host:
        raise BadURLError(f"the URL {url!r} names no host")
    return scheme, host, port or (443 if scheme == "https" else 80)


_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+")


def literal_address(host: str) -> str | None:
    """The IP address ``host`` spells without DNS, in any form a resolver reads:
    IPv6 (a zone dropped), dotted IPv4 and its short, decimal, octal and hex
    spellings (``127.1``, ``2130706433``, ``0177.0.0.1``, ``0x7f.1``); else None."""
    host = host.strip("[]").split("%", 1)[0].lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not _NUMERIC_HOST.fullmatch(host) or not any(c.isdigit() for c in host):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


ADD_TIME_RESOLVE_SECONDS = 5.0


async def check_url_address(
    url: str, allow_private: bool, resolver: Resolver | None = None
) -> None:
    """Refuse a URL when it is given (``feeds add``, ``ingest URL``) whose host is,
    or resolves to, a non-public address (:func:`is_public_address`), in any
    spelling, or names this machine (``localhost``); :class:`UnsafeURLError`.
    A name that does not resolve now is let through: every fetch checks again."""
    _, host, port = check_url(url)
    if allow_private:
        return
    hint = "set ALLOW_PRIVATE_URLS=true to fetch from private networks"
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        raise UnsafeURLError(f"refused {host}: it names this machine, a non-public address; {hint}")
    literal = literal_address(name)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            async with asyncio.timeout(ADD_TIME_RESOLVE_SECONDS):
                addresses = await (resolver or resolve_host)(name, port)
        except (ClaimWatchError, TimeoutError, OSError):
            return
    bad = [a for a in addresses if not is_public_address(a)]
    if bad:
        verb = "is" if literal is not None else "resolves to"
        shown = bad[0]
        with contextlib.suppress(ValueError):
            ip = ipaddress.ip_address(shown.split("%", 1)[0])
            inner = (
                ip.ipv4_mapped or ip.sixtofour if isinstance(ip, ipaddress.IPv6Address) else None
            )
            if inner is not None:
                shown = f"{shown} = {inner}"
        raise UnsafeURLError(f"refused {host}: it {verb} a non-public address ({shown}); {hint}")


# --------------------------------------------------------------------------- decoding


_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.IGNORECASE)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def declared_charset(content_type: str | None, body: bytes) -> str | None:
    """The charset the headers declare, else the one the document declares."""
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (name := _codec(m.group(1))):
            return name
    head = body[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found and (name := _codec(found.group(1).decode("ascii", "replace"))):
            return name
    return None


_SINGLE_BYTE = frozenset({"latin-1", "iso8859-1", "cp1252", "iso8859-15", "ascii"})


def decode_text(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """``(text, charset)``: a byte order mark wins, then the declared charset
    (when the bytes fit it), then detection, then UTF-8 with replacements."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(name, errors="replace"), name
    declared = declared_charset(content_type, body)
    if declared in _SINGLE_BYTE and not body.isascii():
        # any bytes "fit" a single-byte charset; text that is valid UTF-8 is UTF-8
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if declared is not None:
        try:
            return body.decode(declared), declared
        except UnicodeDecodeError:
            log.debug("declared charset %s does not fit the bytes; detecting", declared)
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(body[:200_000])
    matches = list(results)
    detected: str | None = None
    if matches:
        least = min(m.chaos for m in matches)
        calm = [m for m in matches if m.chaos <= least + 0.01]
        # several code pages read the bytes equally well: the web's default
        # (windows-1252, what a "latin-1" label means to browsers) wins a tie
        pick = next((m for m in calm if _codec(m.encoding) == "cp1252"), None)
        detected = _codec((pick or results.best() or calm[0]).encoding)
    if detected is not None:
        return body.decode(detected, errors="replace"), detected
    return body.decode("utf-8", errors="replace"), "utf-8"


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
