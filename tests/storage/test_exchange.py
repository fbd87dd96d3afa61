"""Chats' watches and settings exported and imported (bot/exchange.py) on
both backends: round trip, idempotence, validation entry by entry."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.errors import InputError
from bot.exchange import FORMAT, export_watches, import_watches, load_document
from bot.models import ChatRef, DeliveryPrefs, WatchTarget
from storage import open_store
from storage.base import Store
from tests.storage.builders import T0, at

ALICE = ChatRef("telegram", "-1001234567890")
BOB = ChatRef("slack", "C0BOB")
CAROL = ChatRef("telegram", "42")
CHINA = WatchTarget("entity", "gpe:china", "China")
SORNA = WatchTarget("keyword", "sorna river", "Sorna river")
DAILY = DeliveryPrefs(
    digest="daily",
    digest_time="08:00",
    quiet_start="22:00",
    quiet_end="07:00",
    timezone="Europe/Kyiv",
)
NOW = at(0)


async def set_up(store: Store) -> None:
    await store.add_subscription(ALICE, CHINA, T0)
    await store.add_subscription(ALICE, SORNA, T0)
    await store.set_chat_delivery(ALICE, DAILY)
    await store.mute_chat(ALICE, NOW + timedelta(hours=5))
    await store.add_subscription(BOB, CHINA, T0)
    await store.set_chat_paused(BOB, True, "bot was removed")  # exported all the same
    await store.set_chat_delivery(CAROL, DeliveryPrefs(digest="hourly"))  # settings only
    await store.mute_chat(ChatRef("slack", "C0OLD"), NOW - timedelta(hours=1))  # nothing left


def without_time(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "exported_at"}


async def test_watches_round_trip_between_installations(store: Store, tmp_path: Path) -> None:
    """Exported from one database (SQLite), imported into another (each backend),
    exported again: the same document."""
    source = await open_store(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        await set_up(source)
        doc = await export_watches(source, NOW)
    finally:
        await source.close()
    assert doc["format"] == FORMAT and doc["version"] == 2
    assert [c["chat"] for c in doc["chats"]] == [str(BOB), str(ALICE), str(CAROL)]
    alice = doc["chats"][1]
    assert alice["watches"] == [
        {"kind": "entity", "key": "gpe:china", "name": "China", "level": "major"},
        {"kind": "keyword", "key": "sorna river", "name": "Sorna river", "level": "major"},
    ]
    assert alice["settings"] == {
        "digest": "daily",
        "digest_time": "08:00",
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "timezone": "Europe/Kyiv",
        "muted_until": (NOW + timedelta(hours=5)).isoformat(),
    }
    text = json.dumps(doc)  # what the CLI writes and reads

    report = await import_watches(store, load_document(text), NOW)
    assert report.problems == []
    assert (report.chats, report.added, report.present) == (3, 3, 0)
    assert [s.target for s in await store.chat_subscriptions(ALICE)] == [CHINA, SORNA]
    assert await store.chat_delivery(ALICE) == DAILY
    assert await store.chat_muted_until(ALICE) == NOW + timedelta(hours=5)
    assert await store.chat_delivery(CAROL) == DeliveryPrefs(digest="hourly")
    assert [s.paused for s in await store.chat_subscriptions(BOB)] == [False]
    assert without_time(await export_watches(store, NOW)) == without_time(doc)


async def test_import_is_idempotent_and_removes_nothing(store: Store) -> None:
    await set_up(store)
    doc = load_document(json.dumps(await export_watches(store, NOW)))
    await store.add_subscription(ALICE, WatchTarget("entity", "gpe:russia", "Russia"), at(1))
    version, _, _ = await store.subscriptions_changed_since(0)

    report = await import_watches(store, doc, at(2))
    assert (report.added, report.present, report.settings_changed) == (0, 3, 0)
    assert report.problems == []
    assert (await store.subscriptions_changed_since(version))[0] == version  # nothing written
    assert len(await store.chat_subscriptions(ALICE)) == 3  # Russia is still watched

    # a chat changed since the export gets the file's settings back, once
    await store.set_chat_delivery(ALICE, DeliveryPrefs())
    await store.mute_chat(ALICE, None)
    assert (await import_watches(store, doc, at(3))).settings_changed == 1
    assert await store.chat_delivery(ALICE) == DAILY
    assert await store.chat_muted_until(ALICE) == NOW + timedelta(hours=5)
    assert (await import_watches(store, doc, at(4))).settings_changed == 0


def document(*chats: object) -> str:
    return json.dumps({"format": FORMAT, "version": 1, "chats": list(chats)})


async def test_a_bad_entry_is_named_and_skipped_and_the_rest_import(store: Store) -> None:
    good = {"kind": "keyword", "key": "drone strike", "name": "drone strike"}
    text = document(
        {"chat": "telegram", "watches": [good]},  # no chat id
        {
            "chat": str(ALICE),
            "watches": [
                {"kind": "entity", "key": "gpe:china", "name": "China"},
                {"kind": "topic", "key": "x", "name": "x"},
                {"kind": "keyword", "key": "   ", "name": ""},
                {"kind": "entity", "key": "china", "name": "China"},
                "gpe:russia",
                good,
            ],
            "settings": {"digest": "daily", "digest_time": "08:00", "timezone": "Mars/Olympus"},
        },
        42,
        {"chat": "slack:C0BOB", "watches": [good], "settings": {"quiet_start": "25:00"}},
        {"chat": "telegram:42", "settings": {"digest": "hourly", "sound": "loud"}},
    )
    report = await import_watches(store, load_document(text), NOW)
    assert report.problems == [
        "chats[0]: chat 'telegram' is not platform:chat_id "
        "(e.g. telegram:-1001234567890, slack:C0123)",
        "chats[1] (telegram:-1001234567890).watches[1]: "
        'kind must be "entity" or "keyword", got \'topic\'',
        "chats[1] (telegram:-1001234567890).watches[2]: "
        "a keyword watch needs a key or name with a word in it",
        "chats[1] (telegram:-1001234567890).watches[3]: "
        "an entity watch needs its entity id as key (like gpe:china), got 'china'",
        "chats[1] (telegram:-1001234567890).watches[4]: expected an object with kind, key and name",
        "chats[1] (telegram:-1001234567890).settings: 'Mars/Olympus' is no time zone "
        "(use a name like Europe/Kyiv); the chat's settings were left as they are",
        "chats[2]: expected an object with 'chat' and 'watches'",
        "chats[3] (slack:C0BOB).settings: quiet_start must be a time of day HH:MM, "
        "got '25:00'; the chat's settings were left as they are",
        "chats[4] (telegram:42).settings: unknown settings 'sound'; "
        "the chat's settings were left as they are",
    ]
    drones = WatchTarget("keyword", "drone strike", "drone strike")
    assert [s.target for s in await store.chat_subscriptions(ALICE)] == [CHINA, drones]
    assert [s.target for s in await store.chat_subscriptions(BOB)] == [drones]
    assert await store.chat_delivery(ALICE) == DeliveryPrefs()
    assert await store.chat_delivery(BOB) == DeliveryPrefs()
    assert (report.chats, report.added) == (3, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "is not JSON"),
        ("[]", "expected a JSON object"),
        ('{"format": "opml", "version": 1, "chats": []}', "not a ClaimWatch watches export"),
        (json.dumps({"format": FORMAT, "version": 3, "chats": []}), "version 3 is newer"),
        (json.dumps({"format": FORMAT, "version": "1", "chats": []}), "version must be"),
        (json.dumps({"format": FORMAT, "version": 1, "chats": {}}), "'chats' must be a list"),
    ],
)
def test_a_document_that_is_not_one_is_refused_whole(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_document(text, "watches.json")


async def test_one_chats_import_changes_only_that_chat(store: Store) -> None:
    """What a chat's /import will do: entries of other chats are refused."""
    text = document(
        {"chat": str(ALICE), "watches": [{"kind": "entity", "key": "gpe:china", "name": "China"}]},
        {"chat": str(BOB), "watches": [{"kind": "entity", "key": "gpe:china", "name": "China"}]},
    )
    report = await import_watches(store, load_document(text), NOW, only=BOB)
    assert report.problems == [f"{ALICE}: not this chat; skipped"]
    assert await store.chat_subscriptions(ALICE) == []
    assert [s.target for s in await store.chat_subscriptions(BOB)] == [CHINA]
