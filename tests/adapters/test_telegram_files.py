"""/export, /import and /claims through Telegram: the real python-telegram-bot
client against the fake Bot API (sendDocument as a multipart upload, getFile
and the file download), wired to the real router and store."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from bot.adapters.telegram import TelegramAdapter
from bot.models import ChatRef
from bot.runtime import Services, start_adapters
from tests.adapters.test_telegram import make_settings
from tests.fakes.telegram_server import FakeTelegramServer, SentMessage
from tests.test_pipeline import examples


@pytest_asyncio.fixture
async def running(tmp_path: Path) -> AsyncIterator[tuple[FakeTelegramServer, Services]]:
    async with FakeTelegramServer() as server:
        settings = make_settings(server, database_url=f"sqlite:///{tmp_path / 'tg.db'}")
        tg = TelegramAdapter(settings, poll_timeout=1)
        services = await Services.open(settings, [tg])
        try:
            await start_adapters(services, [])
            yield server, services
        finally:
            await tg.stop()
            await services.close()


async def said(server: FakeTelegramServer, chat_id: int, text: str, **kw: object) -> SentMessage:
    """Send ``text`` as a user of ``chat_id``; the bot's answer."""
    before = len(server.messages_to(chat_id))
    server.push_message(chat_id, text, **kw)  # type: ignore[arg-type]
    await server.wait_for(lambda: len(server.messages_to(chat_id)) > before, 10)
    return server.messages_to(chat_id)[-1]


async def test_export_sends_a_document_that_another_chat_imports(
    running: tuple[FakeTelegramServer, Services],
) -> None:
    server, _ = running
    await said(server, 1001, "/watch china")
    await said(server, 1001, "/quiet 22:00-07:00")
    answer = await said(server, 1001, "/export")
    assert "/import" in answer.plain
    await server.wait_for(lambda: len(server.documents) == 1)
    sent = server.documents[0]
    assert sent.chat_id == 1001 and sent.file_name.startswith("claimwatch-telegram-1001-")
    assert sent.reply_to_message_id is not None  # answers the /export message
    doc = json.loads(sent.data)
    assert doc["chats"][0]["watches"][0]["key"] == "gpe:china"

    # another chat sends the file with the caption /import
    server.push_document(2002, sent.file_name, sent.data, caption="/import")
    await server.wait_for(lambda: bool(server.messages_to(2002)), 10)
    reply = server.messages_to(2002)[-1].plain
    assert "Added 1: China" in reply and "Settings changed" in reply
    assert any(c == "download" for c, _ in server.calls)

    # a third replies /import to the document it was sent earlier
    posted = server.push_document(3003, "setup.json", sent.data)
    reply_msg = await said(server, 3003, "/import", reply_to=posted["message_id"])
    assert "Added 1: China" in reply_msg.plain
    watching = await said(server, 3003, "/watching")
    assert "China — entity" in watching.plain


async def test_a_bad_document_gets_a_clear_error_and_changes_nothing(
    running: tuple[FakeTelegramServer, Services],
) -> None:
    server, services = running
    server.push_document(4004, "notes.txt", b"<b>not & json</b>", caption="/import")
    await server.wait_for(lambda: bool(server.messages_to(4004)), 10)
    reply = server.messages_to(4004)[-1].plain
    assert "“notes.txt” is not JSON" in reply and "Nothing was imported" in reply
    assert await services.store.chat_subscriptions(ChatRef("telegram", "4004")) == []


async def test_a_document_replied_to_by_another_command_is_not_downloaded(
    running: tuple[FakeTelegramServer, Services],
) -> None:
    server, _ = running
    posted = server.push_document(5005, "payslip.pdf", b"%PDF private")
    watching = await said(server, 5005, "/watching", reply_to=posted["message_id"])
    assert "watches nothing" in watching.plain
    assert not [c for c, _ in server.calls if c in ("getFile", "download")]


async def test_claims_through_telegram_show_publication_dates_as_valid_html(
    running: tuple[FakeTelegramServer, Services],
) -> None:
    server, services = running
    for story in examples():
        await services.pipeline.process(story)
    answer = await said(server, 1001, "/claims bulgaria 10")
    # the fake parses the HTML as Telegram does: any unescaped text would be a 400
    assert "Claims about Bulgaria, newest event first:" in answer.plain
    assert "first published 2026-03-1" in answer.plain
    assert any(href.startswith("https://") for _, href in answer.links)
