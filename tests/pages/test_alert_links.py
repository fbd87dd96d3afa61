"""Alerts link to their event page: the sample stories through the real
pipeline, a console chat, the Telegram and Slack clients talking to the fake
servers; ``/event ID`` and ``/claims`` answer with the links."""

from __future__ import annotations

import re

import httpx

from bot.adapters.console import ConsoleAdapter
from bot.adapters.slack import SlackAdapter
from bot.adapters.telegram import TelegramAdapter
from bot.config import load_settings
from bot.delivery.digest import render_digest
from bot.models import Alert, Button, ChatRef, Link, Span
from storage.codec import decode_alert, encode_alert
from tests.fakes.slack_server import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from tests.fakes.telegram_server import FakeTelegramServer
from tests.pages.conftest import PUBLIC, SampleSite, local

TIMELINE = Button(
    "Timeline",
    "event",
    "ev1",
    url=f"{PUBLIC}/event/ev1?until=1798876800&sig=abcdefghijklmnopqrstuv",
)


async def test_every_alert_links_to_its_event_page(
    sample_site: SampleSite,
) -> None:
    out, port = sample_site.out, sample_site.port
    printed = out.getvalue()
    # every message the chat sees: alerts, silent follow-ups and summaries edited
    alerts = len(
        re.findall(
            r"^── (?:alert for|silent follow-up for|message \S+ for) console:demo",
            printed,
            re.MULTILINE,
        )
    )
    links = re.findall(
        r"\[Timeline <(https://news\.example\.org/cw/event/(ev\d+)\?[^>]+)>\]", printed
    )
    assert alerts >= 4 and len(links) == alerts  # one Timeline link under every alert
    assert {event for _, event in links} == {"ev1", "ev6"}
    async with httpx.AsyncClient() as client:
        for url, _event in {event: (u, event) for u, event in links}.values():
            response = await client.get(local(url, port))
            assert response.status_code == 200
        ev1 = await client.get(local(next(u for u, e in links if e == "ev1"), port))
    assert "Chemical leak on the Sorna river" in ev1.text
    assert "40</text>" in ev1.text and "120</text>" in ev1.text


async def test_event_and_claims_commands_answer_with_the_links(
    sample_site: SampleSite,
) -> None:
    services, port = sample_site.services, sample_site.port
    console = ConsoleAdapter(chat_id="demo")
    reply = await services.router(console.command("/event ev1"))
    assert reply.ok
    [button] = [b for b in reply.buttons if b.label == "Timeline"]
    assert button.url is not None and button.url.startswith(f"{PUBLIC}/event/ev1?until=")
    assert any(span.url == button.url for line in reply.lines for span in line)
    claims = await services.router(console.command("/claims Bulgaria"))
    [entity_url] = [s.url for line in claims.lines for s in line if s.url and "/entity/" in s.url]
    async with httpx.AsyncClient() as client:
        assert (await client.get(local(button.url, port))).status_code == 200
        page = await client.get(local(entity_url, port))
    assert page.status_code == 200 and "<h1>Bulgaria</h1>" in page.text
    missing = await services.router(console.command("/event ev999"))
    assert not missing.ok and not missing.buttons


def make_alert(chat: ChatRef, *buttons: Button) -> Alert:
    return Alert(
        chat=chat,
        watch="Bulgaria",
        watch_key="gpe:bulgaria",
        event_id="ev1",
        event_title="Spill",
        story_title="Spill",
        claims=(),
        links=(Link("Harbourwire", "https://harbourwire.example/a"),),
        outlets=1,
        new_event=True,
        key="k",
        lines=((Span("Update · Bulgaria: ", bold=True), Span("Spill")),),
        buttons=buttons,
    )


def test_a_timeline_button_survives_the_outbox() -> None:
    alert = make_alert(ChatRef("console", "demo"), TIMELINE, Button("Sources", "sources", "ev1"))
    assert decode_alert(encode_alert(alert)) == alert


async def test_telegram_shows_a_timeline_url_button() -> None:
    async with FakeTelegramServer() as server:
        settings = load_settings(
            _env_file=None, telegram_bot_token=server.token, telegram_api_url=server.api_url
        )
        tg = TelegramAdapter(settings, poll_timeout=1)
        await tg.start(_never)
        try:
            alert = make_alert(
                ChatRef("telegram", "-1001"), TIMELINE, Button("Sources", "sources", "ev1")
            )
            await tg.send_alert(alert, None)
        finally:
            await tg.stop()
    assert server.sent[0].buttons == [("Timeline", TIMELINE.url), ("Sources", "sources:ev1")]
    [row] = server.sent[0].reply_markup["inline_keyboard"]  # type: ignore[index]
    assert "callback_data" not in row[0]


async def test_slack_shows_a_timeline_url_button() -> None:
    fake = FakeSlack()
    await fake.start()
    settings = load_settings(
        _env_file=None,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.api_url,
        http_host="127.0.0.1",
        http_port=0,
    )
    slack = SlackAdapter(settings)
    try:
        await slack.start(_never)
        await slack.send_alert(
            make_alert(ChatRef("slack", "C0NEWS"), TIMELINE, Button("Mute 24h", "mute", "24h")),
            None,
        )
        [posted] = await fake.wait_for_messages(1)
    finally:
        await slack.stop()
        await fake.stop()
    assert posted.channel == "C0NEWS"
    actions = next(b for b in posted.blocks if b["type"] == "actions")
    timeline, mute = actions["elements"]
    assert timeline["url"] == TIMELINE.url and "value" not in timeline
    assert timeline["text"]["text"] == "Timeline"
    assert mute["value"] == "mute:24h" and "url" not in mute


async def _never(command: object) -> object:
    raise AssertionError("no command expected")


def test_a_digest_links_each_event_to_its_page() -> None:
    chat = ChatRef("console", "demo")
    lines = render_digest(
        [make_alert(chat, TIMELINE), make_alert(chat, Button("Sources", "sources", "ev1"))],
        "digest",
    )
    timeline = [span for line in lines for span in line if span.text == "Timeline"]
    assert [span.url for span in timeline] == [TIMELINE.url]
    assert not [
        s for line in render_digest([make_alert(chat)]) for s in line if s.text == "Timeline"
    ]


async def test_telegram_falls_back_to_the_command_for_a_local_page_address() -> None:
    local_page = Button("Timeline", "event", "ev1", url="http://127.0.0.1:8080/event/ev1")
    named = Button("Timeline", "event", "ev6", url="http://localhost:8080/event/ev6")
    async with FakeTelegramServer() as server:
        settings = load_settings(
            _env_file=None, telegram_bot_token=server.token, telegram_api_url=server.api_url
        )
        tg = TelegramAdapter(settings, poll_timeout=1)
        await tg.start(_never)
        try:
            await tg.send_alert(make_alert(ChatRef("telegram", "-1001"), local_page, named), None)
        finally:
            await tg.stop()
    # Telegram refuses such URLs on buttons; pressing these runs /event instead
    assert server.sent[0].buttons == [("Timeline", "event:ev1"), ("Timeline", "event:ev6")]
