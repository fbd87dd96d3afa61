"""/export and /import through the fake chat: a chat's watches and settings as
a file another chat imports, with the checks of /watch applied to each watch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings, load_settings
from bot.exchange import FORMAT, VERSION
from bot.models import FileData
from bot.runtime import Services
from tests.fakes.chat import FakeChat


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The shared settings with a cap of five watches a chat."""
    return load_settings(
        database_url=f"sqlite:///{tmp_path / 'cw.db'}", max_watches_per_chat=5, _env_file=None
    )


def document(*watches: dict[str, Any], chat: str = "telegram:-100777") -> str:
    entry = {"chat": chat, "watches": list(watches)}
    return json.dumps({"format": FORMAT, "version": VERSION, "chats": [entry]})


async def test_export_is_a_file_another_chat_imports(services: Services, chat: FakeChat) -> None:
    await chat.say("/watch china")
    await chat.say("/watch grain tariff")
    await chat.say("/digest daily 08:00")
    exported = await chat.say("/export")
    assert exported.ok and exported.file is not None
    assert exported.file.name.startswith("claimwatch-fake-c1-") and "/import" in exported.plain
    doc = json.loads(exported.file.data)
    assert (doc["format"], doc["version"]) == (FORMAT, VERSION)
    assert [c["chat"] for c in doc["chats"]] == ["fake:c1"]
    assert {w["name"] for w in doc["chats"][0]["watches"]} == {"China", "grain tariff"}

    other = FakeChat(services.router, chat_id="c2")
    reply = await other.say("/import", file=exported.file)
    assert reply.ok and "Added 2: " in reply.plain and "Settings changed" in reply.plain
    assert "China — entity" in (await other.say("/watching")).plain
    assert "daily digest at 08:00" in (await other.say("/status")).plain
    again = await other.say("/import", file=exported.file)  # idempotent
    assert "Already watched 2" in again.plain and "Settings unchanged" in again.plain


async def test_import_reads_the_document_pasted_after_the_command(chat: FakeChat) -> None:
    pasted = document({"kind": "entity", "key": "gpe:japan", "name": "Japan"})
    reply = await chat.say(f"/import {pasted}")
    assert reply.ok and "Added 1: Japan" in reply.plain
    assert "Japan — entity" in (await chat.say("/watching")).plain


async def test_import_applies_the_checks_of_watch(services: Services, chat: FakeChat) -> None:
    await chat.say("/watch japan")
    await chat.say("/watch russia")
    await chat.say("/watch india")
    reply = await chat.say(
        "/import",
        file=FileData(
            "setup.json",
            document(
                {"kind": "keyword", "key": "beijing", "name": "Beijing"},  # an entity here
                {"kind": "keyword", "key": "the", "name": "the"},  # a stopword
                {"kind": "keyword", "key": "harbour spill", "name": "harbour spill"},
                {"kind": "keyword", "key": "sorna", "name": "sorna"},  # over the cap of 3
            ).encode(),
        ),
    )
    assert reply.ok, reply.plain
    assert "Added 2: China, harbour spill." in reply.plain
    assert "Skipped “the”: “the” is too common a word to watch" in reply.plain
    assert "Skipped “sorna”: the chat already watches 5 things" in reply.plain
    watching = (await chat.say("/watching")).plain
    assert "China — entity" in watching and "sorna" not in watching


async def test_a_bad_file_gets_a_clear_error_and_changes_nothing(
    services: Services, chat: FakeChat
) -> None:
    await chat.say("/watch china")
    cases = {
        "not json at all": "is not JSON",
        json.dumps({"format": "something-else", "version": 1, "chats": []}): "not a ClaimWatch",
        json.dumps({"format": FORMAT, "version": 99, "chats": []}): "newer than",
        json.dumps({"format": FORMAT, "version": 1, "chats": [{}, {}]}): "2 chats",
    }
    for text, why in cases.items():
        reply = await chat.say("/import", file=FileData("x.json", text.encode()))
        assert not reply.ok and why in reply.plain and "Nothing was imported" in reply.plain
    too_big = FileData("big.json", b" " * (70 * 1024))
    assert "at most 64 KB" in (await chat.say("/import", file=too_big)).plain
    failed = FileData("x.json", b"", problem="the download failed")
    assert (
        "could not read “x.json”: the download failed"
        in (await chat.say("/import", file=failed)).plain
    )
    assert "/export" in (await chat.say("/import")).plain
    subs = await services.store.chat_subscriptions(chat.ref)
    assert [s.target.key for s in subs] == ["gpe:china"]


async def test_only_admins_import_in_groups(chat: FakeChat) -> None:
    pasted = document({"kind": "entity", "key": "gpe:japan", "name": "Japan"})
    refused = await chat.say(f"/import {pasted}", chat_type="group", is_admin=False)
    assert not refused.ok and "Only admins" in refused.plain
    assert (await chat.say("/export", chat_type="group", is_admin=False)).ok


async def test_the_export_carries_each_watchs_level(services: Services, chat: FakeChat) -> None:
    await chat.say("/watch china all")
    await chat.say("/watch japan events")
    exported = await chat.say("/export")
    assert exported.file is not None
    doc = json.loads(exported.file.data)
    assert doc["version"] == VERSION == 2
    assert {w["key"]: w["level"] for w in doc["chats"][0]["watches"]} == {
        "gpe:china": "all",
        "gpe:japan": "events",
    }
    other = FakeChat(services.router, chat_id="c2")
    await other.say("/watch china")  # at the default level: the file's level replaces it
    reply = await other.say("/import", file=exported.file)
    assert "Added 1: Japan" in reply.plain and "Levels set to the file's for 1" in reply.plain
    levels = {
        s.target.key: s.level.value for s in await services.store.chat_subscriptions(other.ref)
    }
    assert levels == {"gpe:china": "all", "gpe:japan": "events"}
    # a version 1 file (no levels) imports at the default level; a bad level is named
    old = {
        "format": FORMAT,
        "version": 1,
        "chats": [
            {
                "chat": "fake:c1",
                "watches": [
                    {"kind": "entity", "key": "gpe:russia", "name": "Russia"},
                    {"kind": "entity", "key": "gpe:india", "name": "India", "level": "loud"},
                ],
            }
        ],
    }
    third = FakeChat(services.router, chat_id="c3")
    reply = await third.say("/import " + json.dumps(old))
    assert "Added 1: Russia" in reply.plain and "level must be one of" in reply.plain
    [sub] = await services.store.chat_subscriptions(third.ref)
    assert sub.level.value == "major"
