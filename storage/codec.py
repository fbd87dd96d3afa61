"""JSON form of an :class:`~bot.models.Alert`, as the outbox stores it.

The payload carries a format version (``v``) so a later change can still read
rows queued by an older release.
"""

from __future__ import annotations

import json
from typing import Any

from bot.models import Alert, AlertClaim, Button, ChatRef, Line, Link, Span, Stance, WatchLevel

FORMAT_VERSION = 1


def _span_to(span: Span) -> dict[str, Any]:
    out: dict[str, Any] = {"text": span.text}
    if span.url is not None:
        out["url"] = span.url
    if span.bold:
        out["bold"] = True
    if span.code:
        out["code"] = True
    return out


def _span_from(data: dict[str, Any]) -> Span:
    url = data.get("url")
    return Span(
        text=str(data["text"]),
        url=None if url is None else str(url),
        bold=bool(data.get("bold", False)),
        code=bool(data.get("code", False)),
    )


def _lines_to(lines: tuple[Line, ...]) -> list[list[dict[str, Any]]]:
    return [[_span_to(span) for span in line] for line in lines]


def _lines_from(data: list[list[dict[str, Any]]]) -> tuple[Line, ...]:
    return tuple(tuple(_span_from(span) for span in line) for line in data)


def _button_to(button: Button) -> dict[str, Any]:
    out = {"label": button.label, "action": button.action, "arg": button.arg}
    if button.url is not None:
        out["url"] = button.url
    return out


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    return {
        "v": FORMAT_VERSION,
        "chat": {"platform": alert.chat.platform, "chat_id": alert.chat.chat_id},
        "watch": alert.watch,
        "watch_key": alert.watch_key,
        "event_id": alert.event_id,
        "event_title": alert.event_title,
        "story_title": alert.story_title,
        "claims": [
            {
                "claim_id": c.claim_id,
                "speaker": c.speaker,
                "text": c.text,
                "tag": c.tag,
                "stance": c.stance.value,
            }
            for c in alert.claims
        ],
        "links": [{"label": link.label, "url": link.url} for link in alert.links],
        "outlets": alert.outlets,
        "new_event": alert.new_event,
        "key": alert.key,
        "lines": _lines_to(alert.lines),
        "buttons": [_button_to(b) for b in alert.buttons],
        "level": alert.level.value,
        "major": alert.major,
        "more_claims": alert.more_claims,
        "outlets_only": alert.outlets_only,
    }


def alert_from_dict(data: dict[str, Any]) -> Alert:
    version = data.get("v", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise ValueError(f"unknown alert payload version {version!r}")
    chat = data["chat"]
    return Alert(
        chat=ChatRef(str(chat["platform"]), str(chat["chat_id"])),
        watch=str(data["watch"]),
        watch_key=str(data["watch_key"]),
        event_id=str(data["event_id"]),
        event_title=str(data["event_title"]),
        story_title=str(data["story_title"]),
        claims=tuple(
            AlertClaim(
                claim_id=str(c["claim_id"]),
                speaker=str(c["speaker"]),
                text=str(c["text"]),
                tag=str(c["tag"]),
                stance=Stance(c.get("stance", Stance.ASSERT.value)),
            )
            for c in data.get("claims", [])
        ),
        links=tuple(Link(str(link["label"]), str(link["url"])) for link in data.get("links", [])),
        outlets=int(data["outlets"]),
        new_event=bool(data["new_event"]),
        key=str(data["key"]),
        lines=_lines_from(data.get("lines", [])),
        buttons=tuple(
            Button(
                str(b["label"]),
                str(b["action"]),
                str(b["arg"]),
                None if b.get("url") is None else str(b["url"]),
            )
            for b in data.get("buttons", [])
        ),
        # a row queued before levels existed notifies as every alert then did
        level=WatchLevel(data.get("level", WatchLevel.ALL.value)),
        major=bool(data.get("major", True)),
        more_claims=int(data.get("more_claims", 0)),
        outlets_only=bool(data.get("outlets_only", False)),
    )


def encode_alert(alert: Alert) -> str:
    """The outbox payload for ``alert``."""
    return json.dumps(alert_to_dict(alert), ensure_ascii=False, separators=(",", ":"))


def decode_alert(payload: str) -> Alert:
    """The alert stored in an outbox payload."""
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise ValueError("alert payload is not a JSON object")
    return alert_from_dict(data)
