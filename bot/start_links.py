"""Links that run a command when opened (Telegram's ``t.me/<bot>?start=PAYLOAD``
and ``?startgroup=PAYLOAD``): how a command is written into a payload and read
back.

A payload may hold only ``A-Z a-z 0-9 _ -`` and at most 64 characters. It
comes in two forms:

* **plain**, for a command whose words are letters and digits: the command
  name and its words joined by ``_`` — ``watch_china``, ``watch_north_korea``
  (``/watch north korea``), ``claims_china_5``;
* **encoded**, for anything else (accents, other scripts, hyphens, quotes):
  ``-`` and then the command line without its slash (``watch São Tomé``) in
  UTF-8, base64url without padding — ``-d2F0Y2ggU8OjbyBUb23DqQ``.

A plain payload begins with a letter, an encoded one with ``-``, so the two
never mix. A command too long for 64 characters has no link.
"""

from __future__ import annotations

import base64
import binascii
import re

PAYLOAD_LIMIT = 64
_PLAIN = re.compile(r"[a-z]{1,32}(?:_[A-Za-z0-9]+)*")
_WORD = re.compile(r"[A-Za-z0-9]+")
_ENCODED = re.compile(r"-[A-Za-z0-9_-]+")
_NAME = re.compile(r"[a-z_]{1,32}")


def encode_payload(name: str, args: str = "") -> str | None:
    """The payload that runs ``/{name} {args}``; None when it does not fit."""
    words = args.split()
    if _PLAIN.fullmatch(name) and all(_WORD.fullmatch(word) for word in words):
        payload = "_".join((name, *words))
    else:
        line = " ".join((name, *words)).encode("utf-8")
        payload = "-" + base64.urlsafe_b64encode(line).decode("ascii").rstrip("=")
    return payload if len(payload) <= PAYLOAD_LIMIT else None


def decode_payload(payload: str) -> tuple[str, str] | None:
    """``(command name, its arguments)`` from a payload; None when it is none of ours."""
    if len(payload) > PAYLOAD_LIMIT:
        return None
    if _PLAIN.fullmatch(payload):
        name, _, rest = payload.partition("_")
        return name, rest.replace("_", " ")
    if not _ENCODED.fullmatch(payload):
        return None
    body = payload[1:]
    try:
        line = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    name, _, args = line.partition(" ")
    if not _NAME.fullmatch(name) or not line.isprintable():
        return None
    return name, " ".join(args.split())
