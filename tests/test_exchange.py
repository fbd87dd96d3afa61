"""Export and import for operators: feeds as OPML, chats' watches and settings
as a versioned JSON document (bot/exchange.py and the CLI commands)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.exchange import (
    feeds_opml,
    import_watches,
    load_document,
)
from bot.ingest.feed_parsing import parse_opml
from bot.ingest.files import read_file
from bot.models import ChatRef
from bot.runtime import Services
from storage import open_store
from tests.conftest import ROOT
from tests.storage.builders import T0
from tests.storage.test_exchange import ALICE, NOW, document, set_up
from tests.test_sources_cli import claimwatch, env_for

# --------------------------------------------------------------------------- feeds


FEEDS = [
    ("https://harbourwire.example/rss", "Harbourwire & Sons <World> “news”"),
    ("https://atom.example/feed?lang=en&x=1", "Атом — wire"),
    ("https://untitled.example/feed.xml", None),
]


async def test_feeds_export_is_opml_that_feeds_import_reads_back(tmp_path: Path) -> None:
    first = tmp_path / "first"
    second = tmp_path / "second"
    first.mkdir()
    second.mkdir()
    store = await open_store(f"sqlite:///{first / 'cw.db'}")
    try:
        for url, title in FEEDS:
            await store.add_feed(url, T0, added_by="cli", title=title)
    finally:
        await store.close()

    code, opml, err = await claimwatch(first, "feeds", "export")
    assert code == 0, err
    assert parse_opml(opml) == FEEDS
    (tmp_path / "feeds.opml").write_text(opml, encoding="utf-8")

    code, out, err = await claimwatch(second, "feeds", "import", str(tmp_path / "feeds.opml"))
    assert code == 0, err
    assert "3 feeds added, 0 already polled, 0 skipped" in out
    store = await open_store(f"sqlite:///{second / 'cw.db'}")
    try:
        assert [(f.url, f.title) for f in await store.list_feeds()] == FEEDS
    finally:
        await store.close()
    # importing it again adds nothing
    code, out, _ = await claimwatch(second, "feeds", "import", str(tmp_path / "feeds.opml"))
    assert code == 0 and "0 feeds added, 3 already polled" in out


def test_opml_outlines_carry_what_feed_readers_need() -> None:
    from bot.sources import Feed

    feeds = [Feed(i, url, T0, T0, title=title) for i, (url, title) in enumerate(FEEDS, 1)]
    text = feeds_opml(feeds, NOW)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<dateCreated>" in text and "&amp;" in text and "&lt;World&gt;" in text
    # an outline without a title shows its URL as text, and reads back untitled
    assert 'text="https://untitled.example/feed.xml"' in text
    assert parse_opml(text)[2] == ("https://untitled.example/feed.xml", None)


# --------------------------------------------------------------------------- watches


async def test_imported_watches_alert(services: Services) -> None:
    chat = ChatRef("fake", "newsroom")
    text = document(
        {"chat": str(chat), "watches": [{"kind": "keyword", "key": "sorna", "name": "Sorna"}]}
    )
    report = await import_watches(services.store, load_document(text), NOW)
    assert report.added == 1
    [story] = read_file(ROOT / "examples" / "01_harbourwire_sorna_spill.txt")
    outcome = await services.pipeline.process(story)
    assert [a.chat for a in outcome.alerts] == [chat]


# --------------------------------------------------------------------------- CLI


async def test_watches_export_and_import_on_the_command_line(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    store = await open_store(f"sqlite:///{old / 'cw.db'}")
    try:
        await set_up(store)
    finally:
        await store.close()

    code, out, err = await claimwatch(old, "watches", "export", "--chat", str(ALICE))
    assert code == 0, err
    assert [c["chat"] for c in json.loads(out)["chats"]] == [str(ALICE)]
    code, out, err = await claimwatch(old, "watches", "export")
    assert code == 0 and "exported 3 watches of 3 chats" in err
    exported = tmp_path / "watches.json"
    exported.write_text(out, encoding="utf-8")

    code, out, err = await claimwatch(new, "watches", "import", str(exported))
    assert code == 0, err
    assert "3 chats: 3 watches added, 0 already there" in out
    code, out, _ = await claimwatch(new, "watches", "import", "-", stdin=exported.read_bytes())
    assert code == 0 and "0 watches added, 3 already there, settings changed in 0" in out

    doc = json.loads(exported.read_text(encoding="utf-8"))
    doc["chats"][0]["watches"].append({"kind": "nonsense"})
    doc["chats"][0]["watches"].append({"kind": "keyword", "key": "harbour", "name": "harbour"})
    exported.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = await claimwatch(new, "watches", "import", str(exported))
    assert code == 1
    assert "skipped chats[0] (slack:C0BOB).watches[1]: kind must be" in err
    assert "1 watches added" in out

    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    code, _, err = await claimwatch(new, "watches", "import", str(tmp_path / "broken.json"))
    assert code == 2 and "is not JSON" in err
    code, _, err = await claimwatch(new, "watches", "export", "--chat", "nochat")
    assert code == 2 and "is not platform:chat_id" in err


async def test_watches_import_applies_the_cap_and_phrase_checks_of_watch(tmp_path: Path) -> None:
    """``claimwatch watches import`` vets each watch as /watch and /import do."""
    doc = {
        "format": "claimwatch-watches",
        "version": 1,
        "chats": [
            {
                "chat": "telegram:42",
                "watches": [
                    {"kind": "keyword", "key": "of", "name": "of"},
                    {"kind": "keyword", "key": "beijing", "name": "Beijing"},
                    {"kind": "keyword", "key": "grain tariff", "name": "grain tariff"},
                    {"kind": "keyword", "key": "sorna", "name": "sorna"},
                ],
            }
        ],
    }
    path = tmp_path / "watches.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    env = env_for(tmp_path, MAX_WATCHES_PER_CHAT="2")
    code, out, err = await claimwatch(tmp_path, "watches", "import", str(path), env=env)
    assert code == 1
    assert "1 chats: 2 watches added" in out
    assert "skipped telegram:42: “of”: “of” is too common a word to watch" in err
    assert "skipped telegram:42: “sorna”: the chat already watches 2 things" in err
    code, out, _ = await claimwatch(tmp_path, "watches", "export", env=env)
    keys = [w["key"] for w in json.loads(out)["chats"][0]["watches"]]
    assert sorted(keys) == ["gpe:china", "grain tariff"]
