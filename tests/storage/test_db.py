"""The one database object: placeholders and times, the same on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from bot.models import ChatRef
from storage.base import Store
from storage.db import numbered


def test_question_marks_become_numbered_placeholders_outside_quotes() -> None:
    assert numbered("SELECT ?, '?', 'it''s ?', ? WHERE x = ?") == (
        "SELECT $1, '?', 'it''s ?', $2 WHERE x = $3"
    )


async def test_a_time_in_any_zone_reads_back_as_the_same_instant_in_utc(store: Store) -> None:
    chat = ChatRef("telegram", "42")
    kyiv = timezone(timedelta(hours=2))
    until = datetime(2026, 11, 23, 9, 30, 0, 123456, tzinfo=kyiv)
    await store.mute_chat(chat, until)
    back = await store.chat_muted_until(chat)
    assert back == until and back is not None and back.tzinfo == UTC
    naive = datetime(2026, 11, 23, 7, 30)  # taken as UTC
    await store.mute_chat(chat, naive)
    assert await store.chat_muted_until(chat) == naive.replace(tzinfo=UTC)
