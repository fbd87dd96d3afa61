"""The container's health probe: ``python -m bot.healthcheck``.

It asks the running service's HTTP server for ``GET /healthz`` and exits 0
when the answer is a 200, else 1 with one line on stderr saying why. It uses
the standard library only: the slim image has no curl, and importing the
whole bot (spaCy, the clients) every 30 seconds would cost seconds of CPU.

The address comes from the same settings the service reads, taken from the
environment (``HTTP_HOST``, ``HTTP_PORT``, names case-insensitive): a
service listening on every interface (``0.0.0.0``, ``::``) is asked on
loopback. A proxy set in the environment is never used for the probe.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence

HEALTH_PATH = "/healthz"
DEFAULT_PORT = "8080"
TIMEOUT_SECONDS = 5.0
_ANY = {"", "0.0.0.0", "*"}


def _setting(env: Mapping[str, str], name: str) -> str | None:
    for key, value in env.items():
        if key.upper() == name:
            return value.strip()
    return None


def probe_url(env: Mapping[str, str]) -> str:
    """The health address of the service configured by ``env``."""
    host = _setting(env, "HTTP_HOST") or ""
    if host in _ANY:
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    port = _setting(env, "HTTP_PORT") or DEFAULT_PORT
    return f"http://{host}:{port}{HEALTH_PATH}"


def probe(url: str, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """None when ``url`` answers 200, else what went wrong."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        return f"{url} answered {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"{url} did not answer: {reason}"
    return None if status == 200 else f"{url} answered {status}"


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    url = args[0] if args else probe_url(os.environ if env is None else env)
    problem = probe(url)
    if problem is not None:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
