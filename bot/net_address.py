"""Which addresses ClaimWatch fetches from: URL checks (http/https only),
resolving a host once and refusing private, loopback, link-local, multicast,
reserved and unspecified addresses in any spelling (:func:`resolve_checked`
on every fetch, :func:`check_url_address` at add time), and the URL pinned to the checked
address (:func:`pinned_url`). :class:`bot.net.Fetcher` applies these on every
request and redirect."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit, urlunsplit

from bot.errors import ClaimWatchError
from bot.net_errors import BadURLError, NetworkError, UnsafeURLError

Resolver = Callable[[str, int], Awaitable[list[str]]]


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
