"""claimwatch db copy: an installation moved from SQLite to PostgreSQL (and
back) reads the same through the Store interface and carries on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.errors import ConfigError
from bot.models import ChatRef, DeliveryPrefs, WatchTarget
from storage import open_store
from storage.base import Store
from storage.copy import copy_database
from tests.storage.builders import (
    ALICE,
    BOB,
    CHINA,
    T0,
    ZELENSKY,
    at,
    make_alert,
    make_record,
    make_story,
)
from tests.storage.conftest import Backend
from tests.storage.pg import fresh_schema, postgres_dsn, schema_url
from tests.storage.test_analysis import two_stories

CHINA_WATCH = WatchTarget("entity", "gpe:china", "China")
DRONES = WatchTarget("keyword", "drone strike", "drone strike")


@pytest.fixture
async def pg() -> AsyncIterator[Backend]:
    dsn = await postgres_dsn()
    async with fresh_schema(dsn) as schema:
        yield Backend("postgres", schema_url(dsn, schema), dsn, schema)


async def fill(store: Store) -> None:
    """A small installation: two analysed stories, one pending, watches, a
    paused and a muted chat, alerts sent, retried and pending."""
    await two_stories(store)
    await store.add_story(make_story(3, url="https://example.com/pending", published=None), at(20))
    await store.add_subscription(ALICE, CHINA_WATCH, T0)
    await store.add_subscription(ALICE, DRONES, at(1))
    await store.add_subscription(BOB, CHINA_WATCH, at(2))
    await store.remove_subscription(ALICE, "drone strike")
    await store.add_subscription(ChatRef("slack", "C9"), CHINA_WATCH, at(3))
    await store.set_chat_paused(ChatRef("slack", "C9"), True, "kicked")
    await store.mute_chat(BOB, at(90))
    story = await store.add_story(make_story(4, url="https://example.com/4"), at(30))
    await store.save_analysis(
        make_record(
            story,
            event_id="ev-2",
            alerts=(
                make_alert(ALICE, "x1", event_id="ev-2"),
                make_alert(ALICE, "x2", event_id="ev-2", claim_ids=("c7",)),
                make_alert(BOB, "x3", event_id="ev-2"),
            ),
            analysed_at=at(31),
        )
    )
    await store.add_feed("https://example.com/rss", at(34), added_by="u1", title="Example")
    await store.mark_entry_seen(None, ["guid-1", "https://example.com/a"], at(35))
    await store.set_chat_delivery(
        ALICE, DeliveryPrefs("daily", "08:00", "22:00", "07:00", "Europe/Sofia")
    )
    first = await store.claim_due_alerts(at(32), 10, 60)
    for item in first:
        if item.alert.key == "k1":
            await store.mark_sent(item.id, "msg-1", at(33))
        else:
            await store.mark_retry(item.id, at(40), "429")

    await store.pause_delivery("telegram", at(150), "429 Too Many Requests")


async def view(store: Store) -> dict[str, Any]:
    """Everything the Store interface reads back."""
    return {
        "pending": await store.pending_stories(10),
        "stories": [await store.story(n) for n in range(1, 6)],
        "found": await store.find_story("https://guardian.example/b", "x"),
        "events": await store.recent_events(date(2000, 1, 1)),
        "fingerprints": await store.recent_fingerprints(date(2000, 1, 1)),
        "claims": await store.event_claims("ev-1"),
        "outlets": await store.event_outlets("ev-1"),
        "event": await store.event_view("ev-1"),
        "about china": await store.claims_about(CHINA.id, 10),
        "by zelensky": await store.claims_about(ZELENSKY.id, 10),
        "keyword": await store.claims_about("chinese citizens", 10),
        "entity": await store.find_entity("beijing"),
        "names": await store.entity_names(),
        "alice": await store.chat_subscriptions(ALICE),
        "changes": await store.subscriptions_changed_since(0),
        "changes since 2": await store.subscriptions_changed_since(2),
        "muted": await store.chat_muted_until(BOB),
        "counts": await store.outbox_counts(),
        "feeds": await store.list_feeds(),
        "seen": [await store.seen_entry([k]) for k in ("guid-1", "guid-2")],
        "pauses": await store.delivery_pauses(at(0)),
        "prefs": await store.chat_delivery(ALICE),
        "due": await store.claim_due_alerts(at(200), 10, 60),
    }


async def test_sqlite_to_postgres_and_back_reads_the_same(pg: Backend, tmp_path: Path) -> None:
    source_url = f"sqlite:///{tmp_path / 'old.db'}"
    source = await open_store(source_url)
    await fill(source)
    expected = await view(source)
    await source.close()

    counts = await copy_database(source_url, pg.url)
    assert counts["stories"] == 4 and counts["outbox"] == 4 and counts["claims"] == 2
    assert counts["subscription_changes"] >= 5

    moved = await open_store(pg.url)
    try:
        got = await view(moved)
        assert {k: v for k, v in got.items() if k != "due"} == {
            k: v for k, v in expected.items() if k != "due"
        }
        # The old installation's lease is not copied: the alert is due at once,
        # and this lease counts as one more attempt.
        assert [replace(i, attempts=i.attempts - 1) for i in got["due"]] == expected["due"]
        # It carries on: new rows get fresh ids after the copied ones.
        sub, created = await moved.add_subscription(BOB, DRONES, at(300))
        assert created and sub.id > max(s.id for s in expected["changes"][1])
        version, changed, _ = await moved.subscriptions_changed_since(expected["changes"][0])
        assert changed == [sub] and version > expected["changes"][0]
        assert await moved.add_story(make_story(9), at(301)) == 5
    finally:
        await moved.close()

    back_url = f"sqlite:///{tmp_path / 'back.db'}"
    assert (await copy_database(pg.url, back_url))["stories"] == 5
    back = await open_store(back_url)
    try:
        again = await view(back)
        assert again["events"] == expected["events"]
        assert again["claims"] == expected["claims"]
        assert again["event"] == expected["event"]
        assert again["counts"] == expected["counts"]
    finally:
        await back.close()


async def test_copy_refuses_a_target_with_rows(pg: Backend, tmp_path: Path) -> None:
    source_url = f"sqlite:///{tmp_path / 'old.db'}"
    source = await open_store(source_url)
    await source.add_story(make_story(1), T0)
    await source.close()
    target = await open_store(pg.url)
    await target.add_story(make_story(2), T0)
    await target.close()
    with pytest.raises(ConfigError, match="not empty"):
        await copy_database(source_url, pg.url)


def test_the_db_copy_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "old.db"
    target = tmp_path / "new.db"
    assert main(["db", "copy", "--from", f"sqlite:///{source}", "--to", f"sqlite:///{target}"]) == 0
    out = capsys.readouterr().out
    assert "copied 0 rows" in out and target.exists()
