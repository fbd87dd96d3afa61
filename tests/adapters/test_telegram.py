"""The Telegram adapter, with the real python-telegram-bot client talking HTTP
to the fake Bot API server in :mod:`tests.fakes.telegram_server`."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import telegram
from telegram.error import BadRequest

from bot.adapters.telegram import (
    ChatPacer,
    TelegramAdapter,
    is_group_chat,
    parse_command,
    render_html,
)
from bot.config import Settings, load_settings
from bot.errors import ConfigError, PermanentError, TransientError
from bot.models import Alert, Button, ChatRef, Command, Line, Reply, Span
from bot.ratelimit import CHAT_MARGIN, PlatformLimits, RateLimiter
from handlers.router import default_registry
from tests.fakes.telegram_server import FakeTelegramServer, SentMessage

MENU = default_registry().menu()

GROUP = -1001234567890
ADMIN = 42
MEMBER = 43

Handler = Callable[[Command], Awaitable[Reply]]


class Chats:
    """What the core would be: records commands, answers with a reply."""

    def __init__(self) -> None:
        self.commands: asyncio.Queue[Command] = asyncio.Queue()
        self.handler: Handler = self._default

    async def _default(self, command: Command) -> Reply:
        if command.chat_type != "private" and not command.is_admin:
            return Reply.error("Only admins of this group can change its watches.")
        return Reply.text(f"ok: {command.text}")

    async def __call__(self, command: Command) -> Reply:
        self.commands.put_nowait(command)
        return await self.handler(command)

    async def next(self) -> Command:
        return await asyncio.wait_for(self.commands.get(), 5)


def make_settings(server: FakeTelegramServer, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": server.token,
        "telegram_api_url": server.api_url,
        "per_chat_per_second": 100.0,
        "global_per_second": 100.0,
    }
    values.update(extra)
    return load_settings(_env_file=None, **values)


def make_alert(chat_id: int, lines: tuple[Line, ...], buttons: tuple[Button, ...] = ()) -> Alert:
    return Alert(
        chat=ChatRef("telegram", str(chat_id)),
        watch="China",
        watch_key="gpe:china",
        event_id="ev-1",
        event_title="Chinese citizens fighting for Russia",
        story_title="Zelensky: 155 Chinese fight for Russia",
        claims=(),
        links=(),
        outlets=1,
        new_event=True,
        key="k-1",
        lines=lines,
        buttons=buttons,
    )


@pytest_asyncio.fixture
async def server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as fake:
        yield fake


@pytest.fixture
def chats() -> Chats:
    return Chats()


@pytest.fixture
def migrations() -> list[tuple[ChatRef, ChatRef]]:
    return []


@pytest_asyncio.fixture
async def adapter(
    server: FakeTelegramServer, chats: Chats, migrations: list[tuple[ChatRef, ChatRef]]
) -> AsyncIterator[TelegramAdapter]:
    async def on_migrate(old: ChatRef, new: ChatRef) -> None:
        migrations.append((old, new))

    tg = TelegramAdapter(make_settings(server), on_migrate=on_migrate, poll_timeout=1)
    await tg.start(chats, MENU)
    try:
        yield tg
    finally:
        await tg.stop()


# --------------------------------------------------------------------------- start


async def test_start_registers_the_command_menu(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    assert [c["command"] for c in server.commands] == [entry.name for entry in MENU]
    assert {"start", "help", "watch", "unwatch", "watching", "claims", "event"} <= {
        c["command"] for c in server.commands
    }
    assert adapter.username == "ClaimWatchBot"
    assert server.called("getMe")


async def test_a_rejected_token_is_a_config_error_without_the_token(
    server: FakeTelegramServer, chats: Chats, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "987654321:AAWrongTokenWrongTokenWrongToken12"
    tg = TelegramAdapter(make_settings(server, telegram_bot_token=wrong), poll_timeout=1)
    with pytest.raises(ConfigError) as info:
        await tg.start(chats)
    assert wrong not in str(info.value)
    assert wrong not in caplog.text


def test_no_token_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        TelegramAdapter(Settings(_env_file=None))  # type: ignore[call-arg]


# --------------------------------------------------------------------------- commands


async def test_group_command_with_bot_mention_from_an_admin(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    server.set_admins(GROUP, ADMIN)
    sent = server.push_message(
        GROUP, "/watch@ClaimWatchBot china", chat_type="supergroup", user_id=ADMIN
    )
    command = await chats.next()
    assert command.platform == "telegram"
    assert command.chat_id == str(GROUP)
    assert command.chat_type == "group"
    assert command.text == "/watch china"
    assert command.user_id == str(ADMIN)
    assert command.is_admin is True
    # The reply lands in the group, threaded under the command.
    [reply] = await server.wait_for_messages(1)
    assert reply.chat_id == GROUP
    assert reply.plain == "ok: /watch china"
    assert reply.reply_to_message_id == sent["message_id"]


async def test_group_non_admin_is_flagged_and_the_check_is_cached(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    server.set_admins(GROUP, ADMIN)
    server.push_message(GROUP, "/watch china", chat_type="supergroup", user_id=MEMBER)
    first = await chats.next()
    server.push_message(GROUP, "/unwatch china", chat_type="supergroup", user_id=MEMBER)
    second = await chats.next()
    assert first.is_admin is False and second.is_admin is False
    assert len(server.called("getChatMember")) == 1
    await server.wait_for_messages(2)
    assert server.sent[0].plain == "Only admins of this group can change its watches."


async def test_basic_group_and_group_creator(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    server.set_admins(-555, creator=7)
    server.push_message(-555, "/watch nato", chat_type="group", user_id=7)
    command = await chats.next()
    assert (command.chat_type, command.is_admin) == ("group", True)


async def test_anonymous_group_admin_counts_as_admin(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    group = {"id": GROUP, "type": "supergroup", "title": "Test group"}
    server.push_message(
        GROUP, "/watch china", chat_type="supergroup", user_id=1087968824, sender_chat=group
    )
    command = await chats.next()
    assert command.is_admin is True
    assert not server.called("getChatMember")


async def test_private_chat_user_is_admin_of_their_chat(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    server.push_message(1001, "/claims China", user_id=1001, user_name="dana")
    command = await chats.next()
    assert command.chat_type == "private"
    assert command.is_admin is True
    assert command.user_name == "dana"
    assert command.text == "/claims China"
    assert not server.called("getChatMember")


async def test_commands_for_another_bot_and_plain_text_are_ignored(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    server.set_admins(GROUP, ADMIN)
    server.push_message(GROUP, "/watch@OtherBot china", chat_type="supergroup", user_id=ADMIN)
    server.push_message(GROUP, "hello everyone", chat_type="supergroup", user_id=ADMIN)
    server.push_message(GROUP, "/help@claimwatchbot", chat_type="supergroup", user_id=ADMIN)
    command = await chats.next()
    assert command.text == "/help"
    assert chats.commands.empty()


async def test_channel_post_is_accepted_as_admin(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    server.push_channel_post(-100777, "/watch china")
    command = await chats.next()
    assert (command.chat_type, command.is_admin, command.chat_id) == ("channel", True, "-100777")
    [reply] = await server.wait_for_messages(1)
    assert reply.chat_id == -100777


async def test_a_failing_handler_gets_a_polite_answer(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    async def broken(command: Command) -> Reply:
        raise RuntimeError("boom")

    chats.handler = broken
    server.push_message(1001, "/watching")
    await chats.next()
    [reply] = await server.wait_for_messages(1)
    assert "try again" in reply.plain


def test_parse_command() -> None:
    assert parse_command("/watch@ClaimWatchBot  china ", "ClaimWatchBot") == "/watch china"
    assert parse_command("/Watch china", "ClaimWatchBot") == "/watch china"
    assert parse_command("/watch@Other china", "ClaimWatchBot") is None
    assert parse_command("watch china", "ClaimWatchBot") is None
    assert parse_command("/watching", "ClaimWatchBot") == "/watching"


# --------------------------------------------------------------------------- buttons


async def test_button_press_becomes_a_command_and_is_answered(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    server.set_admins(GROUP, ADMIN)
    alert = make_alert(
        GROUP,
        ((Span("China"),),),
        (Button("Sources", "sources", "ev-1"), Button("Unwatch China", "unwatch", "china")),
    )
    message_id = await adapter.send_alert(alert, None)
    assert message_id is not None
    assert server.sent[0].buttons == [
        ("Sources", "sources:ev-1"),
        ("Unwatch China", "unwatch:china"),
    ]

    query = server.push_callback(GROUP, int(message_id), "unwatch:china", user_id=ADMIN)
    command = await chats.next()
    assert command.text == "/unwatch china"
    assert command.chat_type == "group" and command.is_admin is True
    await server.wait_for(lambda: bool(server.answered))
    assert server.answered[0]["callback_query_id"] == query
    [_, reply] = await server.wait_for_messages(2)
    assert reply.plain == "ok: /unwatch china"
    assert reply.reply_to_message_id == int(message_id)


async def test_button_press_by_a_non_admin_is_refused_privately(
    server: FakeTelegramServer, adapter: TelegramAdapter, chats: Chats
) -> None:
    server.set_admins(GROUP, ADMIN)
    message_id = await adapter.send_alert(
        make_alert(GROUP, ((Span("China"),),), (Button("Mute 24h", "mute", "24h"),)), None
    )
    assert message_id is not None
    server.push_callback(GROUP, int(message_id), "mute:24h", user_id=MEMBER)
    command = await chats.next()
    assert command.text == "/mute 24h" and command.is_admin is False
    await server.wait_for(lambda: bool(server.answered))
    answer = server.answered[0]
    assert answer["text"] == "Only admins of this group can change its watches."
    assert str(answer["show_alert"]).lower() == "true"
    assert len(server.sent) == 1  # nothing posted to the group


# --------------------------------------------------------------------------- rendering


async def test_alert_text_is_escaped_and_links_are_anchors(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    hostile = '<script>alert(1)</script> Smith & Sons said "<b>" is fine'
    url = 'https://example.org/story?a=1&b="2"'
    lines: tuple[Line, ...] = (
        (Span("China", bold=True), Span(": "), Span(hostile)),
        (Span("claim-id", code=True),),
        (Span("Reuters", url=url), Span(" · "), Span("evil", url="javascript:alert(1)")),
    )
    message_id = await adapter.send_alert(make_alert(1001, lines), None)
    [sent] = server.sent
    assert message_id == str(sent.message_id)
    assert sent.parse_mode == "HTML"
    assert sent.plain == f"China: {hostile}\nclaim-id\nReuters · evil"
    assert sent.links == (("Reuters", url),)  # javascript: is no link
    assert "script" not in sent.parsed.tags
    assert sent.parsed.tags.count("b") == 1 and "code" in sent.parsed.tags
    assert sent.link_preview_disabled is True


async def test_link_previews_can_be_turned_on(server: FakeTelegramServer, chats: Chats) -> None:
    tg = TelegramAdapter(make_settings(server, telegram_link_previews=True), poll_timeout=1)
    await tg.start(chats)
    try:
        await tg.send_reply(ChatRef("telegram", "1001"), Reply.text("hi"))
    finally:
        await tg.stop()
    assert server.sent[0].link_preview_disabled is False


async def test_a_long_reply_is_split_below_the_limit_at_line_boundaries(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    rows = [f"{i:03d} " + "x" * 45 + " <&>" for i in range(100)]  # ~5000 characters
    reply = Reply(
        tuple((Span(row),) for row in rows), buttons=(Button("Sources", "sources", "ev-1"),)
    )
    assert len(reply.plain) > 5000
    first_id = await adapter.send_reply(ChatRef("telegram", "1001"), reply)
    assert len(server.sent) == 2
    first, second = server.sent
    assert first_id == str(first.message_id)
    assert all(len(m.text) < 4096 for m in server.sent)
    assert first.plain.split("\n") + second.plain.split("\n") == rows
    assert first.buttons == [] and second.buttons == [("Sources", "sources:ev-1")]


async def test_a_single_overlong_line_is_cut_between_words(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    words = " ".join(f"w{i}&" for i in range(2500))  # one line, ~12000 characters
    await adapter.send_reply(ChatRef("telegram", "1001"), Reply(((Span(words, bold=True),),)))
    assert len(server.sent) >= 3
    assert all(len(m.text) < 4096 for m in server.sent)
    assert "".join(m.plain for m in server.sent) == words


def test_render_html_escapes_everything() -> None:
    html = render_html(
        ((Span('a<b>&"c"', bold=True), Span("x", url='https://e.org/?q="><script>')),)
    )
    assert html == (
        '<b>a&lt;b&gt;&amp;"c"</b><a href="https://e.org/?q=&quot;&gt;&lt;script&gt;">x</a>'
    )


# --------------------------------------------------------------------------- threads


async def test_follow_up_alert_is_a_reply_to_the_first(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    first = await adapter.send_alert(make_alert(GROUP, ((Span("first"),),)), None)
    second = await adapter.send_alert(make_alert(GROUP, ((Span("update"),),)), first)
    assert first is not None and second is not None and second != first
    assert server.sent[1].reply_to_message_id == int(first)
    # A deleted thread root does not block the follow-up.
    await adapter.send_alert(make_alert(GROUP, ((Span("again"),),)), "99999")
    assert server.sent[2].plain == "again"


# --------------------------------------------------------------------------- errors


async def test_flood_limit_is_transient_with_retry_after(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    server.flood(retry_after=7)
    with pytest.raises(TransientError) as info:
        await adapter.send_alert(make_alert(1001, ((Span("x"),),)), None)
    assert info.value.retry_after == 7
    assert await adapter.send_alert(make_alert(1001, ((Span("x"),),)), None) is not None


async def test_the_fake_enforces_one_message_per_second_per_chat(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    server.per_chat_interval = 1.0
    await adapter.send_alert(make_alert(1001, ((Span("one"),),)), None)
    with pytest.raises(TransientError) as info:
        await adapter.send_alert(make_alert(1001, ((Span("two"),),)), None)
    assert info.value.retry_after == server.retry_after


async def test_adapter_paces_one_message_per_second_per_chat(
    server: FakeTelegramServer, chats: Chats
) -> None:
    server.per_chat_interval = 0.9
    tg = TelegramAdapter(make_settings(server, per_chat_per_second=1.0), poll_timeout=1)
    await tg.start(chats)
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await tg.send_alert(make_alert(1001, ((Span("one"),),)), None)
        await tg.send_alert(make_alert(1001, ((Span("two"),),)), None)
        await tg.send_alert(make_alert(1002, ((Span("other chat"),),)), None)
        elapsed = loop.time() - started
    finally:
        await tg.stop()
    assert [m.plain for m in server.sent] == ["one", "two", "other chat"]
    assert 0.9 <= elapsed < 2.5


async def test_blocked_and_kicked_pause_the_chat(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    server.blocked.add(1001)
    server.kicked.add(GROUP)
    for chat in (1001, GROUP):
        with pytest.raises(PermanentError) as info:
            await adapter.send_alert(make_alert(chat, ((Span("x"),),)), None)
        assert info.value.pause_chat is True
    assert "blocked" in str(info.value) or "kicked" in str(info.value)


async def test_chat_not_found_pauses_the_chat(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    server.missing.add(1001)
    with pytest.raises(PermanentError) as info:
        await adapter.send_alert(make_alert(1001, ((Span("x"),),)), None)
    assert info.value.pause_chat is True
    assert "chat not found" in str(info.value).lower()


async def test_other_bad_requests_are_permanent_for_the_message_only(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    server.fail_next("sendMessage", 400, "Bad Request: BUTTON_DATA_INVALID")
    with pytest.raises(PermanentError) as info:
        await adapter.send_alert(make_alert(1001, ((Span("x"),),)), None)
    assert info.value.pause_chat is False


async def test_server_errors_are_transient(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    server.fail_next("sendMessage", 502, "Bad Gateway")
    with pytest.raises(TransientError):
        await adapter.send_reply(ChatRef("telegram", "1001"), Reply.text("x"))


async def test_unreachable_api_is_transient(chats: Chats) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = load_settings(
        _env_file=None, telegram_bot_token="1:AAx", telegram_api_url=f"http://127.0.0.1:{port}"
    )
    tg = TelegramAdapter(settings, poll_timeout=1)
    with pytest.raises(TransientError):
        await tg.start(chats)


async def test_a_later_part_waits_out_a_flood_limit(
    server: FakeTelegramServer, adapter: TelegramAdapter
) -> None:
    # The fake allows one message a second per chat; the adapter here does not pace,
    # so the second part of a split message meets a 429 and must wait it out itself.
    server.per_chat_interval = 1.0
    rows = tuple((Span("y" * 60),) for _ in range(100))
    first_id = await adapter.send_reply(ChatRef("telegram", "1001"), Reply(rows))
    assert len(server.sent) == 2  # both parts delivered, the first exactly once
    assert first_id == str(server.sent[0].message_id)
    assert server.sent[0].plain.split("\n") + server.sent[1].plain.split("\n") == ["y" * 60] * 100


async def test_pacer_holds_a_group_to_its_per_period_budget() -> None:
    rules = PlatformLimits(1000, 1000, 2, 1.0, is_group_chat, CHAT_MARGIN)
    pacer = ChatPacer(RateLimiter({"telegram": rules}, rules))
    loop = asyncio.get_running_loop()
    stamps: dict[int, list[float]] = {GROUP: [], 1001: []}

    async def send(chat_id: int) -> bool:
        stamps[chat_id].append(loop.time())
        return True

    started = loop.time()
    for chat_id in (GROUP, GROUP, GROUP, 1001, 1001, 1001):
        await pacer.process_request(send, (chat_id,), {}, "sendMessage", {"chat_id": chat_id}, None)
    # Two group messages at once, the third waits for budget; a private chat is not held back.
    assert stamps[GROUP][1] - started < 0.2
    assert stamps[GROUP][2] - started >= 0.4
    assert stamps[1001][2] - stamps[1001][0] < 0.2
    # Non-posting calls are never paced.
    await pacer.process_request(send, (GROUP,), {}, "getChatMember", {"chat_id": GROUP}, None)
    assert stamps[GROUP][3] - stamps[GROUP][2] < 0.2


# --------------------------------------------------------------------------- migration


async def test_group_migration_message_calls_the_hook(
    server: FakeTelegramServer,
    adapter: TelegramAdapter,
    chats: Chats,
    migrations: list[tuple[ChatRef, ChatRef]],
) -> None:
    server.push_migration(-500, GROUP)
    server.push_message(1001, "/help")  # a marker: updates are handled in order
    await chats.next()
    assert migrations == [(ChatRef("telegram", "-500"), ChatRef("telegram", str(GROUP)))]


async def test_sending_to_a_migrated_group_moves_it_and_delivers(
    server: FakeTelegramServer,
    adapter: TelegramAdapter,
    migrations: list[tuple[ChatRef, ChatRef]],
) -> None:
    server.migrated[-600] = GROUP
    message_id = await adapter.send_alert(make_alert(-600, ((Span("moved"),),)), None)
    assert migrations == [(ChatRef("telegram", "-600"), ChatRef("telegram", str(GROUP)))]
    [sent] = server.sent
    assert (sent.chat_id, sent.plain, str(sent.message_id)) == (GROUP, "moved", message_id)
    # Later sends to the old id go straight to the supergroup.
    await adapter.send_alert(make_alert(-600, ((Span("again"),),)), None)
    assert server.sent[1].chat_id == GROUP
    assert len(migrations) == 1


# --------------------------------------------------------------------------- the fake


async def test_the_fake_rejects_malformed_html_like_telegram(server: FakeTelegramServer) -> None:
    bot = telegram.Bot(server.token, base_url=f"{server.api_url}/bot")
    async with bot:
        for bad in ("<b>unclosed", "<script>x</script>", "a < b", "<b><i>x</b></i>", "&nbsp;"):
            with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
                await bot.send_message(1001, bad, parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(1001, "x" * 4097)
        ok = await bot.send_message(
            1001, '<b>ok</b> &lt;&amp;&gt; <a href="https://e.org/">e</a>', parse_mode="HTML"
        )
    assert ok.text == "ok <&> e"
    assert [m.plain for m in server.sent] == ["ok <&> e"]


# --------------------------------------------------------------------------- logs


async def test_token_never_appears_in_logs(
    server: FakeTelegramServer, chats: Chats, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # httpx's own level too: `claimwatch` run in-process by an earlier test quiets it
    caplog.set_level(logging.DEBUG, logger="httpx")
    tg = TelegramAdapter(make_settings(server), poll_timeout=1)
    await tg.start(chats)
    try:
        server.push_message(1001, "/watch china")
        await chats.next()
        await server.wait_for_messages(1)
        server.blocked.add(1002)
        with pytest.raises(PermanentError):
            await tg.send_reply(ChatRef("telegram", "1002"), Reply.text("x"))
    finally:
        await tg.stop()
    assert "HTTP Request" in caplog.text  # httpx logged the request URLs...
    assert "<redacted>" in caplog.text  # ...with the token taken out
    assert server.token not in caplog.text
    assert server.token.split(":")[1] not in caplog.text
    assert server.token not in repr(tg)


# --------------------------------------------------------------------------- webhook


async def test_webhook_mode_checks_the_secret(
    server: FakeTelegramServer, chats: Chats, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    from aiohttp import ClientSession

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/telegram/hook"
    settings = make_settings(
        server,
        telegram_webhook_url=url,
        telegram_webhook_secret="s3cret-value",
        telegram_webhook_port=port,
    )
    tg = TelegramAdapter(settings)
    await tg.start(chats)
    try:
        assert server.webhook_url == url
        assert server.webhook_secret == "s3cret-value"
        assert not server.called("getUpdates")
        server.push_message(1001, "/watch china")
        command = await chats.next()
        assert command.text == "/watch china"
        await server.wait_for_messages(1)
        async with ClientSession() as session:
            update = {
                "update_id": 999,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": 5, "type": "private"},
                    "text": "/watch x",
                },
            }
            async with session.post(url, json=update) as resp:
                assert resp.status == 403
            headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            async with session.post(url, json=update, headers=headers) as resp:
                assert resp.status == 403
    finally:
        await tg.stop()
    assert chats.commands.empty()
    assert server.webhook_deliveries == [200]
    assert "s3cret-value" not in caplog.text and server.token not in caplog.text


# --------------------------------------------------------------------------- end to end

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HOSTILE_TITLE = 'Chemical leak <script>alert(1)</script> & "<b>" on the Sorna river'


async def ingest_in_another_process(database_url: str, *paths: Path) -> None:
    """`claimwatch ingest PATH...` as its own process, against the same database."""
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "-q",
        "ingest",
        *map(str, paths),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 240)
    assert proc.returncode == 0, err.decode()


def alerts_in(server: FakeTelegramServer, chat_id: int) -> list[SentMessage]:
    return [m for m in server.messages_to(chat_id) if m.buttons]


async def test_end_to_end_watch_ingest_alert_follow_up_buttons(
    server: FakeTelegramServer, tmp_path: Path
) -> None:
    from bot.runtime import Services, serve

    first_story = tmp_path / "01.txt"
    original = (EXAMPLES / "01_harbourwire_sorna_spill.txt").read_text(encoding="utf-8")
    first_story.write_text(
        original.replace("title: Chemical leak on the Sorna river", f"title: {HOSTILE_TITLE}", 1),
        encoding="utf-8",
    )
    follow_up = EXAMPLES / "03_balkanbroadcast_sorna_day2.txt"
    database_url = f"sqlite:///{tmp_path / 'claimwatch.db'}"
    settings = make_settings(server, database_url=database_url, delivery_poll_seconds=0.2)
    adapter = TelegramAdapter(settings, poll_timeout=1)
    services = await Services.open(settings, [adapter])
    adapter.on_migrate = services.migrate_chat
    stop = asyncio.Event()
    running = asyncio.create_task(serve(services, stop, handle_signals=False))
    try:
        await server.wait_for(lambda: bool(server.called("getUpdates")), within=30)
        # A private chat (every claim notifies) and a group (the default level)
        # watch Bulgaria; a non-admin is refused.
        server.push_message(1001, "/watch bulgaria all")
        server.set_admins(GROUP, ADMIN)
        server.push_message(
            GROUP, "/watch@ClaimWatchBot bulgaria", chat_type="supergroup", user_id=ADMIN
        )
        server.push_message(GROUP, "/unwatch bulgaria", chat_type="supergroup", user_id=MEMBER)
        await server.wait_for_messages(3, within=30)
        private_ok, group_ok, refused = server.sent[:3]
        assert "Bulgaria" in private_ok.plain and "Bulgaria" in group_ok.plain
        assert refused.chat_id == GROUP and "Only admins" in refused.plain

        # Another process ingests the story; the running service delivers the alert.
        await ingest_in_another_process(database_url, first_story)
        await server.wait_for(
            lambda: bool(alerts_in(server, 1001)) and bool(alerts_in(server, GROUP)), within=60
        )
        [alert] = alerts_in(server, 1001)
        assert alert.parse_mode == "HTML" and alert.link_preview_disabled
        assert HOSTILE_TITLE in alert.plain  # shown literally, not as markup
        assert "script" not in alert.parsed.tags
        assert (
            "Harbourwire",
            "https://harbourwire.example/2026/03/10/sorna-river-chemical-leak",
        ) in alert.links
        labels = [label for label, _ in alert.buttons]
        assert labels == ["Sources", "Mute 24h", "Unwatch"]

        # The follow-up about the same event is a reply to the first alert; in the
        # group, where it is no major development, it updates the first alert instead.
        [group_first] = alerts_in(server, GROUP)
        await ingest_in_another_process(database_url, follow_up)
        await server.wait_for(lambda: len(alerts_in(server, 1001)) >= 2, within=60)
        second = alerts_in(server, 1001)[1]
        assert second.reply_to_message_id == alert.message_id and second.notified
        assert any("balkanbroadcast.example" in href for _, href in second.links)
        await server.wait_for(lambda: group_first.edits >= 1, within=60)
        assert alerts_in(server, GROUP) == [group_first]  # no new message in the group
        assert any("balkanbroadcast.example" in href for _, href in group_first.links)
        assert "2 outlets" in group_first.plain

        # "Sources" works: the outlets of the event come back under the alert.
        sources = dict(alert.buttons)["Sources"]
        before = len(server.sent)
        server.push_callback(1001, alert.message_id, sources, user_id=1001)
        await server.wait_for(lambda: len(server.sent) > before, within=10)
        shown = server.sent[-1]
        assert shown.reply_to_message_id == alert.message_id
        assert "Harbourwire" in shown.plain and "Balkan Broadcast" in shown.plain
        await server.wait_for(lambda: len(server.answered) >= 1)

        # A non-admin pressing "Unwatch" in the group is refused, privately.
        [group_alert, *_] = alerts_in(server, GROUP)
        unwatch = dict(group_alert.buttons)["Unwatch"]
        before = len(server.sent)
        server.push_callback(GROUP, group_alert.message_id, unwatch, user_id=MEMBER)
        await server.wait_for(lambda: len(server.answered) >= 2, within=10)
        assert "Only admins" in server.answered[-1]["text"]
        assert len(server.sent) == before
        server.push_message(GROUP, "/watching", chat_type="supergroup", user_id=MEMBER)
        await server.wait_for(lambda: len(server.sent) > before, within=10)
        assert "Bulgaria" in server.sent[-1].plain  # still watching
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
        await services.close()


# --------------------------------------------------------------------------- menu


async def test_the_running_service_registers_every_menu_command_of_its_router(
    server: FakeTelegramServer, tmp_path: Path
) -> None:
    from bot.runtime import Services, start_adapters

    settings = make_settings(server, database_url=f"sqlite:///{tmp_path / 'menu.db'}")
    tg = TelegramAdapter(settings, poll_timeout=1)
    services = await Services.open(settings, [tg])
    started: list[Any] = []
    try:
        await start_adapters(services, started)
        assert started == [tg]
    finally:
        await tg.stop()
        await services.close()
    registered = [c["command"] for c in server.commands]
    assert registered == [s.name for s in services.router.registry if s.in_menu]
    assert {"digest", "quiet", "timezone", "status"} <= set(registered)
    descriptions = {c["command"]: c["description"] for c in server.commands}
    assert descriptions["quiet"] == "Hold alerts during these hours"


async def test_settings_are_inline_buttons_in_rows_that_change_them(
    server: FakeTelegramServer, tmp_path: Path
) -> None:
    from bot.runtime import Services

    settings = make_settings(server, database_url=f"sqlite:///{tmp_path / 'settings.db'}")
    tg = TelegramAdapter(settings, poll_timeout=1)
    services = await Services.open(settings, [tg])
    await tg.start(services.router, services.router.registry.menu())
    try:
        server.push_message(77, "/watch china")
        await server.wait_for_messages(1)
        server.push_message(77, "/settings")
        [_, panel] = await server.wait_for_messages(2)
        assert "Delivery: each alert as it comes" in panel.plain
        rows = (panel.reply_markup or {})["inline_keyboard"]
        assert [len(row) for row in rows] == [3, 2, 3, 3]  # digest, quiet, mute, China's level
        assert [b["callback_data"] for b in rows[0]] == [
            "settings>digest:off",
            "settings>digest:hourly",
            "settings>digest:daily 08:00",
        ]
        assert rows[3][1] == {
            "text": "✓ China: major developments",
            "callback_data": "settings>watch:gpe:china major",
        }
        # a press changes the setting and the panel shows it in place, with a toast
        query = server.push_callback(77, panel.message_id, rows[0][1]["callback_data"], user_id=77)
        await server.wait_for(lambda: panel.edits == 1)
        assert "Delivery: hourly digest" in panel.plain
        labels = [b["text"] for row in (panel.reply_markup or {})["inline_keyboard"] for b in row]
        assert "✓ Hourly digest" in labels and "Each alert" in labels
        await server.wait_for(lambda: bool(server.answered))
        [toast] = [a for a in server.answered if a["callback_query_id"] == query]
        assert "every hour" in toast["text"] and toast.get("show_alert") in (None, "false")
        assert len(server.messages_to(77)) == 2  # nothing new was posted
        # a button of an older panel (plain "action:arg") still answers with a reply
        server.push_callback(77, panel.message_id, "digest:off", user_id=77)
        [*_, changed] = await server.wait_for_messages(3)
        assert "each alert" in changed.plain.lower()
    finally:
        await tg.stop()
        await services.close()
