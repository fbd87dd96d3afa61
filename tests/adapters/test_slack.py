"""The Slack adapter: the real bolt ``AsyncApp`` and ``AsyncWebClient`` against the
fake Slack Web API in :mod:`tests.fakes.slack_server`.

Inbound requests are signed like Slack signs them and posted to the adapter's
``/slack/events`` endpoint (HTTP mode), or delivered as envelopes over the fake
Socket Mode WebSocket.
"""

from __future__ import annotations

import asyncio
import hmac
import itertools
import json
import logging
import os
import re
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web

from bot.adapters.slack import SLASH_COMMAND, SlackAdapter, clean_incoming, render_blocks
from bot.config import Settings, load_settings
from bot.errors import ConfigError, PermanentError, TransientError
from bot.models import Alert, AlertClaim, Button, ChatRef, Command, Link, Reply, Span
from handlers.router import default_registry
from tests.fakes.slack_server import (
    APP_TOKEN,
    BOT_TOKEN,
    BOT_USER_ID,
    SIGNING_SECRET,
    TEAM_ID,
    FakeSlack,
    signed_headers,
)

CHANNEL = "C0NEWS"
TRIGGERS = itertools.count(1)
ROOT = Path(__file__).resolve().parents[2]


CHANGING = frozenset(spec.name for spec in default_registry() if spec.changes_state)


class Recorder:
    """The core as the adapter sees it: records commands, answers with a reply
    marked ``changed`` as the router marks it (commands the registry says change
    the chat)."""

    def __init__(self) -> None:
        self.commands: list[Command] = []
        self.gate: asyncio.Event | None = None

    async def __call__(self, command: Command) -> Reply:
        self.commands.append(command)
        if self.gate is not None:
            await self.gate.wait()
        if command.text == "/boom":
            raise RuntimeError("handler failed")
        return Reply(
            lines=((Span("Now watching "), Span("China", bold=True), Span(" <&> here")),),
            buttons=(Button("Unwatch", "unwatch", "gpe:china"),),
            changed=command.text.split()[0].lstrip("/") in CHANGING,
        )


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    yield server
    await server.stop()


def slack_settings(fake: FakeSlack, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": fake.api_url,
        "http_host": "127.0.0.1",
        "http_port": 0,
        "per_chat_per_second": 1000.0,
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


@pytest.fixture
def core() -> Recorder:
    return Recorder()


@pytest.fixture
async def adapter(fake: FakeSlack, core: Recorder) -> AsyncIterator[SlackAdapter]:
    slack = SlackAdapter(slack_settings(fake))
    await slack.start(core)
    yield slack
    await slack.stop()


async def post_signed(
    adapter: SlackAdapter,
    body: str,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> tuple[int, str]:
    headers = signed_headers(body, secret=secret, timestamp=timestamp)
    headers["Content-Type"] = content_type
    url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status, await r.text()


def slash_fields(
    text: str,
    *,
    channel: str = CHANNEL,
    user: str = "U0ANN",
    response_url: str = "https://hooks.slack.test/commands/1",
) -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "fake",
        "channel_id": channel,
        "channel_name": "news",
        "user_id": user,
        "user_name": "ann",
        "command": "/claimwatch",
        "text": text,
        "api_app_id": "A0APP",
        "response_url": response_url,
        "trigger_id": f"trigger-{next(TRIGGERS)}",  # Slack's is new with every invocation
    }


def slash_body(text: str, **fields: str) -> str:
    return urlencode(slash_fields(text, **fields))


def event_body(event: dict[str, Any], event_id: str = "Ev0001") -> str:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0APP",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
    )


def action_payload(value: str, *, message_ts: str = "1700000000.000001") -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": {"id": "U0ANN", "username": "ann", "team_id": TEAM_ID},
        "api_app_id": "A0APP",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": CHANNEL},
        "channel": {"id": CHANNEL, "name": "news"},
        "message": {"type": "message", "ts": message_ts, "text": "alert"},
        "trigger_id": "trigger-2",
        "actions": [
            {
                "type": "button",
                "action_id": "claimwatch:mute:1",
                "block_id": "claimwatch_actions",
                "value": value,
                "action_ts": "1700000001.000000",
            }
        ],
    }


def make_alert(**overrides: Any) -> Alert:
    values: dict[str, Any] = {
        "chat": ChatRef("slack", CHANNEL),
        "watch": "China",
        "watch_key": "gpe:china",
        "event_id": "ev-1",
        "event_title": "Chinese citizens fighting for Russia",
        "story_title": "Chinese citizens fighting for Russia",
        "claims": (
            AlertClaim(
                "c1", "Volodymyr Zelensky", "at least 155 Chinese citizens are fighting", "NEW"
            ),
            AlertClaim("c2", "Beijing", "<script> & <@U123>", "DENIAL"),
        ),
        "links": (
            Link("The Guardian", "https://example.com/a?x=1&y=2"),
            Link("BBC <News>", "https://example.org/b"),
        ),
        "outlets": 2,
        "new_event": True,
        "key": "k1",
    }
    values.update(overrides)
    return Alert(**values)


def all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


# --------------------------------------------------------------------------- HTTP mode: commands


async def test_slash_command_becomes_a_command_and_the_reply_is_posted(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    status, _ = await post_signed(
        adapter, slash_body("watch china"), "application/x-www-form-urlencoded"
    )
    assert status == 200
    [posted] = await fake.wait_for_messages(1)

    [command] = core.commands
    assert command.platform == "slack"
    assert command.chat_id == CHANNEL
    assert command.user_id == "U0ANN"
    assert command.text == "/watch china"
    assert command.chat_type == "channel"
    assert command.is_admin is True
    assert command.user_name == "ann"

    assert posted.channel == CHANNEL
    assert posted.thread_ts is None
    assert posted.text == "Now watching China &lt;&amp;&gt; here"
    assert posted.blocks[0]["text"]["text"] == "Now watching *China* &lt;&amp;&gt; here"
    button = posted.blocks[1]["elements"][0]
    assert button["value"] == "unwatch:gpe:china"
    assert button["text"]["text"] == "Unwatch"


async def test_empty_slash_command_asks_for_help(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    url = fake.response_url("h", channel=CHANNEL, user="U0ANN")
    await post_signed(
        adapter, slash_body("", response_url=url), "application/x-www-form-urlencoded"
    )
    await fake.wait_for_ephemerals(1)
    assert [c.text for c in core.commands] == ["/help"]


async def test_the_ack_comes_before_the_work(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    core.gate = asyncio.Event()
    started = time.monotonic()
    status, _ = await post_signed(
        adapter, slash_body("watch china"), "application/x-www-form-urlencoded"
    )
    assert status == 200
    assert time.monotonic() - started < 3
    assert fake.messages == []  # the command is still running
    core.gate.set()
    [posted] = await fake.wait_for_messages(1)
    assert posted.channel == CHANNEL


async def test_a_failing_command_still_gets_an_answer(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    url = fake.response_url("b", channel=CHANNEL, user="U0ANN")
    await post_signed(
        adapter, slash_body("boom", response_url=url), "application/x-www-form-urlencoded"
    )
    [shown] = await fake.wait_for_ephemerals(1)
    assert "failed" in shown.text
    assert fake.messages == []  # a failure is the asker's business


async def test_a_bad_signature_is_refused(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    status, _ = await post_signed(
        adapter,
        slash_body("watch china"),
        "application/x-www-form-urlencoded",
        secret="not-the-secret",
    )
    assert status == 401
    await adapter.wait_idle()
    assert core.commands == []
    assert fake.messages == []
    assert "bad or stale signature" in caplog.text
    assert SIGNING_SECRET not in caplog.text and BOT_TOKEN not in caplog.text
    assert "legacy-verification-token" not in caplog.text


async def test_an_unsigned_request_is_refused(adapter: SlackAdapter, core: Recorder) -> None:
    url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            url,
            data=slash_body("watch china"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ) as response,
    ):
        assert response.status == 401
    assert core.commands == []


async def test_a_request_older_than_five_minutes_is_refused(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    stale = int(time.time()) - 6 * 60
    status, _ = await post_signed(
        adapter, slash_body("watch china"), "application/x-www-form-urlencoded", timestamp=stale
    )
    assert status == 401
    await adapter.wait_idle()
    assert core.commands == []
    # four minutes old is still fine
    status, _ = await post_signed(
        adapter,
        slash_body("watch china"),
        "application/x-www-form-urlencoded",
        timestamp=int(time.time()) - 4 * 60,
    )
    assert status == 200
    await fake.wait_for_messages(1)
    assert len(core.commands) == 1


async def post_raw(
    adapter: SlackAdapter, body: bytes | str, headers: dict[str, str]
) -> tuple[int, str]:
    url = f"http://127.0.0.1:{adapter.http_port}/slack/events"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status, await response.text()


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        # unsigned, malformed JSON
        ("{not json", {"Content-Type": "application/json"}, 401),
        # a timestamp that is not a number
        (
            '{"type": "event_callback"}',
            {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": "soon",
                "X-Slack-Signature": "v0=" + "0" * 64,
            },
            400,
        ),
        (
            "{not json",
            {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": "1e9",
                "X-Slack-Signature": "v0=abc",
            },
            400,
        ),
        # a number, but a signature that is not one
        (
            "{not json",
            {
                "Content-Type": "application/json",
                "X-Slack-Request-Timestamp": str(int(time.time())),
                "X-Slack-Signature": "sha1=whatever",
            },
            401,
        ),
        # an unsigned form with a broken payload
        ("payload=%7Bbroken", {"Content-Type": "application/x-www-form-urlencoded"}, 401),
    ],
)
async def test_unsigned_and_malformed_requests_are_refused_before_parsing(
    adapter: SlackAdapter,
    core: Recorder,
    caplog: pytest.LogCaptureFixture,
    body: str,
    headers: dict[str, str],
    status: int,
) -> None:
    caplog.set_level(logging.INFO)
    got, _ = await post_raw(adapter, body, headers)
    assert got == status
    await adapter.wait_idle()
    assert core.commands == []
    assert no_errors_logged(caplog) == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
        ("payload=%5B%5D", "application/x-www-form-urlencoded"),
    ],
)
async def test_a_signed_but_unreadable_body_is_a_clean_400(
    adapter: SlackAdapter,
    core: Recorder,
    caplog: pytest.LogCaptureFixture,
    body: str,
    content_type: str,
) -> None:
    caplog.set_level(logging.INFO)
    status, _ = await post_signed(adapter, body, content_type)
    assert status == 400
    await adapter.wait_idle()
    assert core.commands == []
    assert no_errors_logged(caplog) == []


async def test_a_signed_body_that_is_not_utf8_is_a_clean_400(
    adapter: SlackAdapter, core: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    body = b"text=\xff\xfe&command=/claimwatch"
    ts = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + ts.encode() + b":" + body, "sha256")
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }
    status, _ = await post_raw(adapter, body, headers)
    assert status == 400
    assert core.commands == []
    assert no_errors_logged(caplog) == []


async def test_a_replayed_slash_command_runs_once(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    body = slash_body("watch china")
    headers = signed_headers(body)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    for _ in range(3):  # the same signature and timestamp, seconds apart
        status, _ = await post_raw(adapter, body, headers)
        assert status == 200
    await fake.wait_for_messages(1)
    await adapter.wait_idle()
    assert [c.text for c in core.commands] == ["/watch china"]
    assert len(fake.messages) == 1


async def test_slack_retrying_a_slash_command_runs_it_once(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    body = slash_body("watch china")
    first = signed_headers(body, timestamp=int(time.time()) - 2)
    retry = {**signed_headers(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}
    for headers in (first, retry):
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, _ = await post_raw(adapter, body, headers)
        assert status == 200
    await fake.wait_for_messages(1)
    await adapter.wait_idle()
    assert [c.text for c in core.commands] == ["/watch china"]


async def test_two_different_commands_in_the_same_second_both_run(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    ts = int(time.time())
    for text in ("watch china", "watch russia"):
        status, _ = await post_signed(
            adapter, slash_body(text), "application/x-www-form-urlencoded", timestamp=ts
        )
        assert status == 200
    await fake.wait_for_messages(2)
    await adapter.wait_idle()
    assert sorted(c.text for c in core.commands) == ["/watch china", "/watch russia"]


async def test_an_app_mention_is_a_command(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    event = {
        "type": "app_mention",
        "user": "U0BOB",
        "text": f"<@{BOT_USER_ID}> claims china &amp; <https://x.test/a|russia>",
        "ts": "1700000100.000100",
        "channel": CHANNEL,
        "event_ts": "1700000100.000100",
    }
    status, _ = await post_signed(adapter, event_body(event), "application/json")
    assert status == 200
    [shown] = await fake.wait_for_ephemerals(1)
    [command] = core.commands
    assert command.text == "/claims china & russia"
    assert (command.chat_id, command.user_id, command.chat_type) == (CHANNEL, "U0BOB", "channel")
    # what only reads is answered to the asker alone (chat.postEphemeral)
    assert (shown.channel, shown.user, shown.thread_ts) == (CHANNEL, "U0BOB", None)
    assert fake.messages == []


async def test_an_app_mention_in_a_thread_is_answered_in_the_thread(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    event = {
        "type": "app_mention",
        "user": "U0BOB",
        "text": f"<@{BOT_USER_ID}> event ev-1",
        "ts": "1700000100.000200",
        "thread_ts": "1700000000.000001",
        "channel": CHANNEL,
    }
    await post_signed(adapter, event_body(event), "application/json")
    [shown] = await fake.wait_for_ephemerals(1)
    assert shown.thread_ts == "1700000000.000001"


async def test_a_direct_message_is_a_command(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    dm = {
        "type": "message",
        "channel_type": "im",
        "user": "U0ANN",
        "text": "watching",
        "ts": "1700000100.000300",
        "channel": "D0ANN",
    }
    await post_signed(adapter, event_body(dm), "application/json")
    [posted] = await fake.wait_for_messages(1)
    [command] = core.commands
    assert (command.chat_id, command.text, command.chat_type) == ("D0ANN", "/watching", "private")
    assert command.is_admin is True
    assert posted.channel == "D0ANN"


async def test_bot_messages_and_edits_are_not_commands(
    adapter: SlackAdapter, core: Recorder
) -> None:
    for extra in ({"bot_id": "B0OTHER"}, {"subtype": "message_changed"}):
        dm = {
            "type": "message",
            "channel_type": "im",
            "user": "U0ANN",
            "text": "watch china",
            "ts": "1700000100.000400",
            "channel": "D0ANN",
            **extra,
        }
        status, _ = await post_signed(
            adapter, event_body(dm, f"Ev{len(extra)}"), "application/json"
        )
        assert status == 200
    await adapter.wait_idle()
    assert core.commands == []


async def test_a_button_click_is_a_command_answered_in_the_alert_thread(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    body = urlencode({"payload": json.dumps(action_payload("mute:24h"))})
    status, _ = await post_signed(adapter, body, "application/x-www-form-urlencoded")
    assert status == 200
    [posted] = await fake.wait_for_messages(1)
    [command] = core.commands
    assert (command.text, command.chat_id, command.user_id) == ("/mute 24h", CHANNEL, "U0ANN")
    assert posted.thread_ts == "1700000000.000001"


async def test_slack_retrying_an_event_does_not_run_the_command_twice(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    event = {
        "type": "app_mention",
        "user": "U0BOB",
        "text": f"<@{BOT_USER_ID}> watch china",
        "ts": "1700000100.000600",
        "channel": CHANNEL,
    }
    for _ in range(2):
        status, _ = await post_signed(adapter, event_body(event, "Ev0RETRY"), "application/json")
        assert status == 200
    await fake.wait_for_messages(1)
    await adapter.wait_idle()
    assert len(core.commands) == 1
    assert len(fake.messages) == 1


async def test_slack_url_verification_is_answered(adapter: SlackAdapter) -> None:
    body = json.dumps({"token": "t", "challenge": "abc123", "type": "url_verification"})
    status, text = await post_signed(adapter, body, "application/json")
    assert status == 200
    assert "abc123" in text


async def test_a_slash_command_where_the_bot_cannot_post_is_answered_privately(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    fake.channel_errors["C0PRIVATE"] = "not_in_channel"
    body = slash_body("watch china", channel="C0PRIVATE", response_url=fake.response_url("r1"))
    status, _ = await post_signed(adapter, body, "application/x-www-form-urlencoded")
    assert status == 200
    await adapter.wait_idle()
    assert [c.chat_id for c in core.commands] == ["C0PRIVATE"]
    assert fake.messages == []
    [response] = fake.responses
    assert response["id"] == "r1"
    assert response["response_type"] == "ephemeral"
    assert "/invite @ClaimWatch" in response["text"]
    assert "Now watching *China*" in all_text(response["blocks"])


async def test_the_endpoint_can_be_mounted_on_the_services_own_http_app(
    fake: FakeSlack, core: Recorder
) -> None:
    slack = SlackAdapter(slack_settings(fake), serve_http=False)
    await slack.start(core)
    assert slack.http_port is None  # no server of its own
    app = web.Application()
    app.router.add_post("/slack/events", slack.handle_http)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    slack.http_port = int(runner.addresses[0][1])
    try:
        status, _ = await post_signed(
            slack, slash_body("watch china"), "application/x-www-form-urlencoded"
        )
        assert status == 200
        await fake.wait_for_messages(1)
        status, _ = await post_signed(
            slack, slash_body("watching"), "application/x-www-form-urlencoded", secret="x"
        )
        assert status == 401
    finally:
        await slack.stop()
        await runner.cleanup()
    assert [c.text for c in core.commands] == ["/watch china"]


# --------------------------------------------------------------------------- admin-only


async def test_admin_only_asks_slack_who_is_an_admin(fake: FakeSlack, core: Recorder) -> None:
    fake.set_user("U0BOSS", is_admin=True)
    fake.set_user("U0OWNER", is_owner=True)
    fake.set_user("U0ANN")
    slack = SlackAdapter(slack_settings(fake, slack_admin_only=True))
    await slack.start(core)
    try:
        for user in ("U0BOSS", "U0OWNER", "U0ANN", "U0ANN", "U0GHOST"):
            await post_signed(
                slack, slash_body("watch china", user=user), "application/x-www-form-urlencoded"
            )
        await fake.wait_for_messages(5)
        # a DM is the user's own chat
        dm = {"type": "message", "channel_type": "im", "user": "U0ANN", "text": "watch x"}
        await post_signed(
            slack, event_body({**dm, "channel": "D0ANN"}, "Ev0002"), "application/json"
        )
        await fake.wait_for_messages(6)
    finally:
        await slack.stop()
    admins = [(c.user_id, c.is_admin) for c in core.commands]
    assert admins == [
        ("U0BOSS", True),
        ("U0OWNER", True),
        ("U0ANN", False),
        ("U0ANN", False),
        ("U0GHOST", False),
        ("U0ANN", True),
    ]
    asked = [c.params["user"] for c in fake.calls_of("users.info")]
    assert asked.count("U0ANN") == 1  # cached


async def test_with_admin_only_a_member_cannot_change_the_channels_watches(
    fake: FakeSlack, tmp_path: Path
) -> None:
    from bot.runtime import Services

    fake.set_user("U0BOSS", is_admin=True)
    fake.set_user("U0ANN")
    settings = slack_settings(
        fake, slack_admin_only=True, database_url=f"sqlite:///{tmp_path / 'cw.db'}"
    )
    slack = SlackAdapter(settings)
    services = await Services.open(settings, [slack])
    await slack.start(services.router)
    try:
        for user in ("U0ANN", "U0BOSS"):
            url = fake.response_url(user, channel=CHANNEL, user=user)
            await post_signed(
                slack,
                slash_body("watch china", user=user, response_url=url),
                "application/x-www-form-urlencoded",
            )
            await slack.wait_idle()
        [accepted] = await fake.wait_for_messages(1)
        [refused] = await fake.wait_for_ephemerals(1)
    finally:
        await slack.stop()
        await services.close()
    assert "Only admins" in refused.text and refused.user == "U0ANN"  # only Ann sees it
    assert accepted.text.startswith("Watching China")


async def test_everyone_is_admin_by_default(
    adapter: SlackAdapter, core: Recorder, fake: FakeSlack
) -> None:
    fake.set_user("U0ANN")
    await post_signed(adapter, slash_body("watch china"), "application/x-www-form-urlencoded")
    await fake.wait_for_messages(1)
    assert core.commands[0].is_admin is True
    assert fake.calls_of("users.info") == []


# --------------------------------------------------------------------------- alerts


async def test_an_alert_is_block_kit_with_escaped_text_links_and_outlets(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    ts = await adapter.send_alert(make_alert(), None)
    [posted] = fake.messages
    assert ts == posted.ts
    assert posted.channel == CHANNEL and posted.thread_ts is None
    header, zelensky, beijing, context, actions = posted.blocks
    assert header == {
        "type": "header",
        "block_id": "claimwatch_event",
        "text": {"type": "plain_text", "text": "Chinese citizens fighting for Russia"},
    }
    assert zelensky["text"]["text"] == (
        "[NEW] *Volodymyr Zelensky* — at least 155 Chinese citizens are fighting"
    )
    assert beijing["text"]["text"] == "[DENIAL] *Beijing* — &lt;script&gt; &amp; &lt;@U123&gt;"
    assert "<script>" not in all_text(posted.blocks)
    assert "<@U123>" not in all_text(posted.blocks)
    links, outlets = context["elements"]
    assert links["text"] == (
        "<https://example.com/a?x=1&amp;y=2|The Guardian> · "
        "<https://example.org/b|BBC &lt;News&gt;>"
    )
    assert outlets["text"] == "2 outlets"
    labels = [(b["text"]["text"], b["value"]) for b in actions["elements"]]
    assert labels == [
        ("Sources", "sources:ev-1"),
        ("Mute 24h", "mute:24h"),
        ("Unwatch", "unwatch:gpe:china"),
    ]
    assert "&lt;script&gt; &amp; &lt;@U123&gt;" in posted.text
    assert "<" not in posted.text


async def test_a_follow_up_goes_into_the_thread_broadcast_and_a_quiet_one_stays_there(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    first = await adapter.send_alert(make_alert(), None)
    assert first is not None and not fake.messages[0].reply_broadcast
    follow_up = make_alert(
        claims=(AlertClaim("c3", "Kremlin", "the figure is 300", "UPDATE"),),
        links=(Link("Reuters", "https://example.net/c"),),
        outlets=3,
        new_event=False,
        key="k2",
    )
    second = await adapter.send_alert(follow_up, first)
    assert second is not None and second != first
    posted = fake.messages[1]
    assert posted.thread_ts == first and posted.reply_broadcast  # the channel hears of it
    assert "[UPDATE] *Kremlin* — the figure is 300" in all_text(posted.blocks)

    quiet = await adapter.send_quiet_alert(make_alert(key="k3"), first)
    assert quiet is not None
    assert fake.messages[2].thread_ts == first and not fake.messages[2].reply_broadcast
    assert fake.updates == []  # the adapter edits only when asked to


async def test_edit_alert_updates_the_first_alert_or_says_it_cannot(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    first = await adapter.send_alert(make_alert(), None)
    assert first is not None
    summary = make_alert(
        links=(*make_alert().links, Link("Reuters", "https://example.net/c")),
        outlets=3,
        more_claims=2,
    )
    assert await adapter.edit_alert(summary, first)
    [update] = fake.updates
    assert (update.channel, update.ts) == (CHANNEL, first)
    assert "Volodymyr Zelensky" in all_text(update.blocks)
    assert "+2 more claims" in all_text(update.blocks)
    context = next(b for b in update.blocks if b["type"] == "context")
    assert context["elements"][-1]["text"] == "3 outlets"
    assert "https://example.net/c|Reuters" in context["elements"][0]["text"]

    for error in ("cant_update_message", "edit_window_closed"):
        fake.fail("chat.update", error)
        assert not await adapter.edit_alert(summary, first)
    assert not await adapter.edit_alert(summary, "1700000000.999999")  # message_not_found
    fake.rate_limit("chat.update", retry_after=30)
    with pytest.raises(TransientError) as raised:
        await adapter.edit_alert(summary, first)
    assert raised.value.retry_after == 30
    assert len(fake.updates) == 1


async def test_send_reply_posts_the_reply(adapter: SlackAdapter, fake: FakeSlack) -> None:
    ts = await adapter.send_reply(ChatRef("slack", CHANNEL), Reply.text("hello & bye"))
    [posted] = fake.messages
    assert ts == posted.ts
    assert posted.text == "hello &amp; bye"


async def test_posts_to_one_channel_are_paced_and_other_channels_are_not_held_up(
    fake: FakeSlack, core: Recorder
) -> None:
    slack = SlackAdapter(slack_settings(fake, per_chat_per_second=5.0))
    await slack.start(core)
    try:
        started = time.monotonic()
        await asyncio.gather(
            *(slack.send_reply(ChatRef("slack", CHANNEL), Reply.text(f"n{i}")) for i in range(3)),
            slack.send_reply(ChatRef("slack", "C0OTHER"), Reply.text("other")),
        )
    finally:
        await slack.stop()
    assert [m.text for m in fake.messages if m.channel == CHANNEL] == ["n0", "n1", "n2"]
    assert time.monotonic() - started >= 0.38  # 3 posts at 5/s: 0.4 s
    # the other channel is not queued behind the busy one
    assert "C0OTHER" in [m.channel for m in fake.messages[:2]]


# --------------------------------------------------------------------------- errors


async def test_429_is_transient_with_retry_after_and_not_retried_by_the_client(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    fake.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(TransientError) as raised:
        await adapter.send_alert(make_alert(), None)
    assert raised.value.retry_after == 7
    assert len(fake.calls_of("chat.postMessage")) == 1
    assert fake.messages == []
    # nothing lost: the dispatcher's retry goes through
    ts = await adapter.send_alert(make_alert(), None)
    assert ts == fake.messages[0].ts


@pytest.mark.parametrize(
    "error", ["channel_not_found", "not_in_channel", "is_archived", "account_inactive"]
)
async def test_a_gone_channel_pauses_the_chat(
    adapter: SlackAdapter, fake: FakeSlack, caplog: pytest.LogCaptureFixture, error: str
) -> None:
    fake.channel_errors[CHANNEL] = error
    with (
        caplog.at_level(logging.WARNING, logger="bot.adapters.slack"),
        pytest.raises(PermanentError) as raised,
    ):
        await adapter.send_alert(make_alert(), None)
    assert raised.value.pause_chat is True
    assert f"pausing slack:{CHANNEL}" in caplog.text
    assert error in caplog.text
    assert BOT_TOKEN not in caplog.text


async def test_other_errors_are_permanent_without_pausing(
    adapter: SlackAdapter, fake: FakeSlack
) -> None:
    fake.fail("chat.postMessage", "invalid_blocks")
    with pytest.raises(PermanentError) as raised:
        await adapter.send_alert(make_alert(), None)
    assert raised.value.pause_chat is False


async def test_slack_server_errors_are_transient(adapter: SlackAdapter, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", "internal_error", status=500)
    with pytest.raises(TransientError):
        await adapter.send_alert(make_alert(), None)


async def test_an_unreachable_slack_is_transient(fake: FakeSlack, core: Recorder) -> None:
    slack = SlackAdapter(slack_settings(fake))
    await slack.start(core)
    await fake.stop()
    try:
        with pytest.raises(TransientError):
            await slack.send_alert(make_alert(), None)
    finally:
        await slack.stop()


async def test_a_revoked_token_stops_start_with_a_clear_message(fake: FakeSlack) -> None:
    slack = SlackAdapter(slack_settings(fake, slack_bot_token="xoxb-wrong"))
    with pytest.raises(ConfigError, match="invalid_auth") as raised:
        await slack.start(Recorder())
    assert "xoxb-wrong" not in str(raised.value)


async def test_socket_mode_with_a_bad_app_token_stops_start(fake: FakeSlack) -> None:
    slack = SlackAdapter(
        slack_settings(fake, slack_app_token="xapp-wrong", slack_signing_secret=None)
    )
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN") as raised:
        await slack.start(Recorder())
    assert "xapp-wrong" not in str(raised.value)
    await slack.stop()


def test_a_bot_token_and_a_way_in_are_required(fake: FakeSlack) -> None:
    with pytest.raises(ConfigError):
        SlackAdapter(slack_settings(fake, slack_bot_token=None))
    with pytest.raises(ConfigError):
        SlackAdapter(slack_settings(fake, slack_signing_secret=None))


# --------------------------------------------------------------------------- Socket Mode


async def test_socket_mode_receives_commands_over_the_websocket(
    fake: FakeSlack, core: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    slack = SlackAdapter(slack_settings(fake, slack_app_token=APP_TOKEN, slack_signing_secret=None))
    assert slack.mode == "socket"
    await slack.start(core)
    try:
        [opened] = fake.calls_of("apps.connections.open")
        assert opened.token == APP_TOKEN
        ack = await fake.send_envelope("slash_commands", slash_fields("watch china"))
        assert ack["envelope_id"].startswith("env-")
        [posted] = await fake.wait_for_messages(1)
        event = {
            "type": "app_mention",
            "user": "U0BOB",
            "text": f"<@{BOT_USER_ID}> claims russia",
            "ts": "1700000100.000500",
            "channel": CHANNEL,
        }
        envelope = json.loads(event_body(event))
        await fake.send_envelope("events_api", envelope)
        await fake.wait_for_ephemerals(1)
        await fake.send_envelope("interactive", action_payload("sources:ev-1"))
        await fake.wait_for_ephemerals(2)
    finally:
        await slack.stop()
    assert [c.text for c in core.commands] == ["/watch china", "/claims russia", "/sources ev-1"]
    assert posted.channel == CHANNEL
    assert fake.calls_of("apps.connections.open")[0].token == APP_TOKEN
    for secret in (APP_TOKEN, BOT_TOKEN, "legacy-verification-token"):
        assert secret not in caplog.text


# --------------------------------------------------------------------------- rendering


def test_render_blocks_marks_up_spans_and_escapes_text() -> None:
    blocks = render_blocks(
        (
            (Span("Claims about "), Span("A&B ", bold=True), Span("id-1", code=True)),
            (
                Span("<Guardian>", url="https://ex.com/x|y"),
                Span(" and "),
                Span("file", url="x.txt"),
            ),
        ),
        (Button("Sources", "sources", "ev-1"),),
    )
    assert blocks[0]["text"]["text"] == (
        "Claims about *A&amp;B* `id-1`\n<https://ex.com/x%7Cy|&lt;Guardian&gt;> and file"
    )
    assert blocks[1]["type"] == "actions"
    assert blocks[1]["elements"][0]["value"] == "sources:ev-1"


def test_render_blocks_splits_long_text_into_sections() -> None:
    line = (Span("x" * 1000),)
    blocks = render_blocks([line] * 7)
    texts = [b["text"]["text"] for b in blocks]
    assert all(len(t) <= 3000 for t in texts)
    assert [t.count("\n") + 1 for t in texts] == [2, 2, 2, 1]  # lines are never cut


def test_incoming_text_is_unescaped_and_the_bot_mention_dropped() -> None:
    text = f"<@{BOT_USER_ID}>  watch <#C1|general> &lt;x&gt; <mailto:a@b.c|a@b.c>"
    assert clean_incoming(text, BOT_USER_ID) == "watch #general <x> a@b.c"


def test_the_manifest_matches_the_adapter() -> None:
    manifest = (ROOT / "slack" / "manifest.yaml").read_text()
    assert f"command: {SLASH_COMMAND}" in manifest
    for scope in (
        "commands",
        "chat:write",
        "app_mentions:read",
        "im:history",
        "users:read",
        "channels:read",
    ):
        assert f"- {scope}" in manifest
    for event in ("app_mention", "message.im"):
        assert f"- {event}" in manifest
    assert "socket_mode_enabled: true" in manifest
    assert "is_enabled: true" in manifest  # interactivity, for the buttons


# --------------------------------------------------------------------------- end to end

STORY_A = """title: Zelensky says Chinese citizens are fighting for Russia
url: https://kyivwire.example/2025/04/08/chinese-citizens-fighting
outlet: Kyiv & Co <Wire>
date: 2025-04-08

KYIV (Kyiv Wire) - Ukrainian President Volodymyr Zelensky said on Tuesday that at least \
155 Chinese citizens are fighting for Russia in Ukraine, after Ukrainian troops captured two \
Chinese men in the Donetsk region.

"We have the names and passport details of 155 Chinese citizens who are fighting on the \
territory of Ukraine," Zelensky told reporters in Kyiv. He said Beijing was aware that Russia \
was recruiting Chinese citizens through social media.

Ukraine's foreign minister, Andrii Sybiha, said he had summoned China's charge d'affaires to \
demand an explanation.
"""

STORY_B = """title: China rejects Zelensky's claim that its citizens fight for Russia
url: https://ledger.example/2025/04/09/china-rejects-zelensky-claim
outlet: Global Ledger
date: 2025-04-09

BEIJING (Global Ledger) - China on Wednesday rejected claims by Ukrainian President Volodymyr \
Zelensky that at least 155 Chinese citizens are fighting for Russia in Ukraine.

Chinese foreign ministry spokesperson Lin Jian said the claims were "totally unfounded" and \
that the Chinese government always asks its citizens to stay away from armed conflict.

Zelensky said on Tuesday that 155 Chinese citizens are fighting for Russia, after Ukrainian \
troops captured two Chinese men in the Donetsk region.
"""


def assert_mrkdwn_escaped(text: str) -> None:
    """Outside ``<url|label>`` links no raw ``<``/``>``, and every ``&`` is an entity."""
    outside = re.sub(r"<https?://[^<>|\s]+\|[^<>]*>", "", text)
    assert "<" not in outside and ">" not in outside, text
    assert not re.search(r"&(?!amp;|lt;|gt;)", text), text


async def ingest_in_another_process(path: Path, database_url: str, workdir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("SLACK_", "TELEGRAM_"))}
    env.update(DATABASE_URL=database_url, PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "ingest",
        "--queue-only",  # the running service analyses it
        str(path),
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 180)
    assert proc.returncode == 0, out.decode(errors="replace")


async def test_end_to_end_watch_in_a_channel_then_alert_and_follow_up_in_its_thread(
    fake: FakeSlack, tmp_path: Path
) -> None:
    from bot.runtime import Services, serve

    database_url = f"sqlite:///{tmp_path / 'claimwatch.db'}"
    settings = slack_settings(
        fake, database_url=database_url, delivery_poll_seconds=0.1, per_chat_per_second=20.0
    )
    slack = SlackAdapter(settings)
    services = await Services.open(settings, [slack])
    stop = asyncio.Event()
    service = asyncio.create_task(serve(services, stop, handle_signals=False))
    try:
        await asyncio.wait_for(slack.ready.wait(), 30)

        # a channel watches China
        status, _ = await post_signed(
            slack, slash_body("watch china"), "application/x-www-form-urlencoded"
        )
        assert status == 200
        [answer] = await fake.wait_for_messages(1)
        assert answer.channel == CHANNEL
        assert "china" in answer.text.casefold()

        # a forged request is refused and changes nothing
        status, _ = await post_signed(
            slack,
            slash_body("unwatch china"),
            "application/x-www-form-urlencoded",
            secret="forged",
        )
        assert status == 401

        # another process ingests a story into the same database: the alert arrives
        (tmp_path / "a.txt").write_text(STORY_A)
        await ingest_in_another_process(tmp_path / "a.txt", database_url, tmp_path)
        messages = await fake.wait_for_messages(2, within=30)
        alert = messages[1]
        assert alert.channel == CHANNEL and alert.thread_ts is None
        kinds = [b["type"] for b in alert.blocks]
        assert kinds[0] == "header" and kinds[-2:] == ["context", "actions"]
        assert "section" in kinds
        context = alert.blocks[-2]["elements"]
        assert context[0]["text"] == (
            "<https://kyivwire.example/2025/04/08/chinese-citizens-fighting"
            "|Kyiv &amp; Co &lt;Wire&gt;>"
        )
        assert context[-1]["text"] == "1 outlet"
        for block in alert.blocks:
            if block["type"] == "section":
                assert_mrkdwn_escaped(block["text"]["text"])
        assert_mrkdwn_escaped(alert.text)
        assert any("Zelensky" in b.get("text", {}).get("text", "") for b in alert.blocks)

        # the next story about the same event: a follow-up in the first alert's thread
        (tmp_path / "b.txt").write_text(STORY_B)
        await ingest_in_another_process(tmp_path / "b.txt", database_url, tmp_path)
        messages = await fake.wait_for_messages(3, within=30)
        follow_up = messages[2]
        assert follow_up.channel == CHANNEL
        assert follow_up.thread_ts == alert.ts
        assert follow_up.reply_broadcast  # a denial: the channel hears of it
        [update] = await fake.wait_for_updates(1)
        await asyncio.sleep(0.5)  # nothing else arrives: one alert per story
        assert len(fake.messages) == 3 and len(fake.updates) == 1
        assert update.ts == alert.ts
        parent_context = next(b for b in update.blocks if b["type"] == "context")
        assert parent_context["elements"][-1]["text"] == "2 outlets"
    finally:
        stop.set()
        await asyncio.wait_for(service, 30)
        await services.close()
