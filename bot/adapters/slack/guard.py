"""The front door of Slack's HTTP mode (``POST /slack/events``).

Nothing of a request is parsed before its signature is checked:

1. ``X-Slack-Request-Timestamp`` must be a number of seconds (digits only)
   within :data:`TOLERANCE_SECONDS` of now, and ``X-Slack-Signature`` must be
   ``v0=`` and 64 hex digits: else 401 (missing or stale) or 400 (malformed);
2. the v0 signature (HMAC-SHA256 over ``v0:timestamp:body`` with the signing
   secret) must match, compared in constant time: else 401;
3. only then is the body decoded (UTF-8) and read (JSON, or a form with an
   optional JSON ``payload``) into an object: else 400.

A request that passes is remembered by the digest of its body for
:data:`REPLAY_WINDOW_SECONDS` (longer than the timestamp tolerance, so a
replay cannot outlive the memory of the original). The same request again —
replayed with its signature and timestamp, or re-sent by Slack with a retry
header — is acknowledged without running again. A request whose handling
failed is forgotten, so Slack's retry of it runs. The memory is bounded
(:data:`REPLAY_CACHE_SIZE` requests, the oldest forgotten first).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

TOLERANCE_SECONDS = 300
"""How far a request's timestamp may be from now (Slack's own rule: five minutes)."""
REPLAY_WINDOW_SECONDS = TOLERANCE_SECONDS + 60
"""How long an accepted request is remembered (more than the tolerance)."""
REPLAY_CACHE_SIZE = 50_000
"""At most this many requests remembered (a few MB); Slack sends far fewer in the window."""

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-fA-F]{64}")


class RequestRefused(Exception):
    """A request that is answered ``status`` and not handled."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Admitted:
    """A request whose signature holds: its body as text, parsed, and its replay key."""

    text: str
    body: dict[str, Any]
    key: str
    retry: str | None  # Slack's X-Slack-Retry-Num, when it is a retry


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    return None if value is None else str(value).strip()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The v0 signature Slack sends for ``body`` at ``timestamp``."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def parse_body(text: str, content_type: str | None) -> dict[str, Any]:
    """The body as Slack means it (the way bolt reads it), or :class:`RequestRefused` (400)."""
    if not text:
        return {}
    kind = (content_type or "").split(";")[0].strip().lower()
    try:
        if kind == "application/json" or text.startswith("{"):
            value: object = json.loads(text)
        else:
            form = dict(parse_qsl(text, keep_blank_values=True))
            value = json.loads(form["payload"]) if "payload" in form else form
    except (ValueError, RecursionError) as exc:
        raise RequestRefused(400, f"the body cannot be read ({type(exc).__name__})") from None
    if not isinstance(value, dict):
        raise RequestRefused(400, "the body is not an object")
    for part in _OBJECTS:  # bolt's middleware reads these as objects and fails on others
        if part in value and not isinstance(value[part], dict):
            raise RequestRefused(400, f"the body's {part!r} is not an object")
    if isinstance(value.get("view"), dict) and "type" not in value["view"]:
        # Slack's views always say their type; bolt reads it and fails without it
        raise RequestRefused(400, "the body's 'view' has no type")
    return value


_OBJECTS = ("event", "view")
"""Parts of a body that must be objects when present (found by tests/fuzz)."""


class SlackGuard:
    """Checks signatures before anything is parsed and answers replays once."""

    def __init__(self, secret: str, clock: Callable[[], float] = time.time) -> None:
        self._secret = secret
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # key -> forget at

    def admit(self, headers: Mapping[str, str], body: bytes) -> Admitted:
        """The checked request, or :class:`RequestRefused` with the status to answer."""
        timestamp = _header(headers, "X-Slack-Request-Timestamp")
        signature = _header(headers, "X-Slack-Signature")
        if not timestamp or not signature:
            raise RequestRefused(401, "unsigned (no signature or timestamp)")
        if not _TIMESTAMP.fullmatch(timestamp):
            raise RequestRefused(400, "the timestamp is not a number of seconds")
        if abs(self._clock() - int(timestamp)) > TOLERANCE_SECONDS:
            raise RequestRefused(401, "stale timestamp (more than 5 minutes off)")
        if not _SIGNATURE.fullmatch(signature):
            raise RequestRefused(401, "malformed signature")
        expected = sign(self._secret, timestamp, body)
        if not hmac.compare_digest(expected, signature.lower()):
            raise RequestRefused(401, "bad signature")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestRefused(400, "the body is not UTF-8") from None
        parsed = parse_body(text, _header(headers, "Content-Type"))
        key = hashlib.sha256(body).hexdigest()
        return Admitted(text, parsed, key, _header(headers, "X-Slack-Retry-Num"))

    def first_time(self, key: str) -> bool:
        """True the first time ``key`` is seen within the window (then remembered)."""
        now = self._clock()
        while self._seen:
            oldest, until = next(iter(self._seen.items()))
            if until > now and len(self._seen) < REPLAY_CACHE_SIZE:
                break
            del self._seen[oldest]
        if key in self._seen:
            return False
        self._seen[key] = now + REPLAY_WINDOW_SECONDS
        return True

    def forget(self, key: str) -> None:
        """Let ``key`` run again (its handling failed; Slack will retry it)."""
        self._seen.pop(key, None)
