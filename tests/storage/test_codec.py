"""Alerts survive the outbox's JSON form unchanged."""

from __future__ import annotations

import json

import pytest

from bot.models import Alert, AlertClaim, Button, ChatRef, Link, Span, Stance
from storage.codec import decode_alert, encode_alert
from tests.storage.builders import ALICE, make_alert


def test_a_rich_alert_round_trips() -> None:
    alert = Alert(
        chat=ChatRef("slack", "C0123"),
        watch="China",
        watch_key="gpe:china",
        event_id="ev-1",
        event_title="Chinese citizens «fighting» for Russia",
        story_title="Zelensky: 155 Chinese citizens fight for Russia",
        claims=(
            AlertClaim("c1", "Volodymyr Zelensky", "at least 155 citizens", "NEW"),
            AlertClaim("c2", "China", "totally unfounded", "DENIAL", Stance.DENY),
        ),
        links=(Link("Reuters", "https://example.com/a?x=1&y=2"),),
        outlets=3,
        new_event=False,
        key="slack:C0123|ev-1|c1,c2",
        lines=(
            (Span("China", bold=True), Span(" — "), Span("/claims china", code=True)),
            (Span("Reuters", url="https://example.com/a"),),
            (),
        ),
        buttons=(Button("Sources", "sources", "ev-1"), Button("Mute 1h", "mute", "3600")),
    )
    decoded = decode_alert(encode_alert(alert))
    assert decoded == alert
    assert decoded.claims[1].stance is Stance.DENY
    assert decoded.text == alert.text


def test_the_payload_is_readable_json() -> None:
    data = json.loads(encode_alert(make_alert(ALICE, "k1")))
    assert data["v"] == 1 and data["chat"] == {"platform": "telegram", "chat_id": "100"}


def test_an_unknown_payload_version_is_refused() -> None:
    data = json.loads(encode_alert(make_alert(ALICE, "k1")))
    data["v"] = 2
    with pytest.raises(ValueError, match="version"):
        decode_alert(json.dumps(data))
