"""The service's HTTP server: /healthz, /metrics, POST /ingest (auth, limits,
bad input, batches), adapter routes; and chat commands answered while a
backlog is analysed."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from pydantic import SecretStr

from bot.adapters.base import Route
from bot.adapters.slack import SlackAdapter
from bot.analysis.analyser import Analyser
from bot.config import Settings, load_settings
from bot.http import HttpServer, stories_from_body
from bot.models import Analysis, Story
from bot.runtime import Services, http_server, serve
from tests.fakes.chat import FakeAdapter, FakeChat

TOKEN = "s3cret-push-token"
STORY = {
    "title": "Sorna spill contained",
    "body": "Officials in Sorna said on Tuesday that the spill had been contained.",
    "url": "https://harbourwire.example/spill",
    "outlet": "Harbourwire",
    "published": "2025-04-09",
}


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": f"sqlite:///{tmp_path / 'cw.db'}",
        "ingest_token": TOKEN,
        "ingest_max_bytes": 4096,
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


class Running:
    def __init__(self, services: Services, server: HttpServer) -> None:
        self.services = services
        self.server = server
        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}")

    async def push(
        self, payload: Any, token: str | None = TOKEN, raw: bytes | None = None
    ) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        body = raw if raw is not None else json.dumps(payload).encode()
        return await self.client.post("/ingest", content=body, headers=headers)


async def running(settings: Settings) -> AsyncIterator[Running]:
    services = await Services.open(settings, [FakeAdapter()])
    server = http_server(services)
    await server.start(port=0)
    run = Running(services, server)
    try:
        yield run
    finally:
        await run.client.aclose()
        await server.stop()
        await services.close()


@pytest.fixture
async def svc(tmp_path: Path) -> AsyncIterator[Running]:
    async for run in running(make_settings(tmp_path)):
        yield run


async def test_healthz(svc: Running) -> None:
    response = await svc.client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["schema"] >= 4


async def test_metrics_in_the_text_format(svc: Running) -> None:
    assert (await svc.push(STORY)).status_code == 202
    response = await svc.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    for name in (
        "claimwatch_stories_ingested_total",
        "claimwatch_analysis_seconds_bucket",
        "claimwatch_alerts_queued_total",
        "claimwatch_alerts_sent_total",
        "claimwatch_alerts_failed_total",
        "claimwatch_source_errors_total",
        "claimwatch_outbox_alerts",
        "claimwatch_feeds",
    ):
        assert f"# TYPE {name.removesuffix('_bucket')}" in text, name
    assert 'claimwatch_stories_ingested_total{kind="http"}' in text
    assert 'claimwatch_outbox_alerts{status="pending"} 0' in text


async def test_ingest_is_off_without_a_token(tmp_path: Path) -> None:
    async for run in running(make_settings(tmp_path, ingest_token=None)):
        assert (await run.push(STORY)).status_code == 404


@pytest.mark.parametrize("token", [None, "wrong", "s3cret-push-tokenX"])
async def test_ingest_needs_the_token(svc: Running, token: str | None) -> None:
    response = await svc.push(STORY, token=token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert await svc.services.store.pending_stories(10) == []


async def test_ingest_refuses_a_body_over_the_limit(svc: Running) -> None:
    big = {**STORY, "body": "word " * 2000}
    assert (await svc.push(big)).status_code == 413

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while read
        for _ in range(10):
            yield b" " * 1000

    response = await svc.client.post(
        "/ingest", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "invalid JSON at line 1"),
        (b"[]", "the list is empty"),
        (b'"a story"', "expected a JSON object or a list"),
        (b'{"title": "No body"}', "missing body"),
        (b'{"body": 42}', "'body' must be a string"),
        (b'[{"body": "ok text"}, {"body": "x", "url": "ftp://x"}]', "[1]: url"),
        (b'{"body": "text", "published": "someday"}', "cannot read the date"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
async def test_ingest_says_what_is_wrong(svc: Running, raw: bytes, reason: str) -> None:
    response = await svc.push(None, raw=raw)
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert await svc.services.store.pending_stories(10) == []  # nothing of a bad batch


async def test_ingest_a_story_and_a_batch(svc: Running) -> None:
    one = await svc.push(STORY)
    assert one.status_code == 202
    assert one.json()["accepted"] == 1
    batch = [
        STORY,
        {"text": "Port closes.\nThe port authority closed the harbour.", "outlet": "Wire"},
    ]
    response = await svc.push(batch)
    assert response.status_code == 202
    body = response.json()
    assert (body["accepted"], body["duplicates"]) == (1, 1)
    assert [s["new"] for s in body["stories"]] == [False, True]
    pending = await svc.services.store.pending_stories(10)
    assert [r.story.title for r in pending] == ["Sorna spill contained", "Port closes."]
    first = pending[0].story
    assert first.url == STORY["url"] and first.outlet == "Harbourwire"
    assert first.published is not None and first.published.isoformat() == "2025-04-09"


def test_story_from_json_fields() -> None:
    [story] = stories_from_body(b'{"content": "Headline here\\nAnd the body."}')
    assert (story.title, story.body, story.url) == ("Headline here", "And the body.", None)


async def test_adapters_add_routes_to_the_shared_server(tmp_path: Path) -> None:
    class HttpAdapter(FakeAdapter):
        def http_routes(self) -> Sequence[Route]:
            async def hook(request: web.Request) -> web.Response:
                return web.Response(text="hooked")

            return [("POST", "/fake/hook", hook)]

    settings = make_settings(tmp_path)
    slack = settings.model_copy(
        update={"slack_bot_token": SecretStr("xoxb-1"), "slack_signing_secret": SecretStr("s")}
    )
    shared = SlackAdapter(slack, serve_http=False)
    assert [r[:2] for r in shared.http_routes()] == [("POST", "/slack/events")]
    assert list(SlackAdapter(slack, serve_http=True).http_routes()) == []  # its own port
    assert list(FakeAdapter().http_routes()) == []
    services = await Services.open(settings, [HttpAdapter()])
    server = http_server(services)
    await server.start(port=0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
            assert (await client.post("/fake/hook")).text == "hooked"
    finally:
        await server.stop()
        await services.close()


# --------------------------------------------------------------------------- responsiveness


class BlockingAnalyser:
    """The real analyser, held at the first story until released."""

    def __init__(self, settings: Settings) -> None:
        self.real = Analyser(settings.spacy_model, settings.nlp_batch_size)
        self.started = threading.Event()
        self.release = threading.Event()
        self.done = 0

    def analyse(self, story: Story) -> Analysis:
        self.started.set()
        self.release.wait(60)
        result = self.real.analyse(story)
        self.done += 1
        return result


async def test_commands_are_answered_while_a_backlog_is_analysed(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    adapter = FakeAdapter()
    services = await Services.open(settings, [adapter])
    analyser = BlockingAnalyser(settings)
    services.pipeline._analyser = analyser  # type: ignore[assignment]
    chat = FakeChat(services.router)
    await chat.say("/watch bulgaria")
    for n in range(40):
        await services.pipeline.ingest(
            Story(f"push#{n}", f"Story {n}", f"Bulgaria said on day {n} that the port was shut.")
        )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, handle_signals=False, feeds=False))
    try:
        while not analyser.started.is_set():  # noqa: ASYNC110 - waiting for the worker thread
            await asyncio.sleep(0.01)
        # the analysis thread is busy with the backlog; the loop still answers
        reply = await chat.say("/watching")
        assert reply.ok and "Bulgaria" in reply.plain
        assert analyser.done == 0
    finally:
        analyser.release.set()
        stop.set()
        await task
        await services.close()


# ------------------------------------------------------------------ Slack on the shared port


async def test_slack_http_mode_is_served_on_the_shared_port(tmp_path: Path) -> None:
    from bot.runtime import adapters_from_settings
    from tests.adapters.test_slack import post_signed, slack_settings, slash_body
    from tests.fakes.slack_server import FakeSlack

    fake = FakeSlack()
    await fake.start()
    port = free_port()
    settings = slack_settings(fake, http_port=port, database_url=f"sqlite:///{tmp_path / 'cw.db'}")
    [slack] = adapters_from_settings(settings)
    services = await Services.open(settings, [slack])
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, handle_signals=False, http=True))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            while True:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            assert getattr(slack, "http_port", 0) is None  # no server of its own
            slack.http_port = port  # type: ignore[attr-defined]  # where post_signed sends
            url = fake.response_url("w", channel="C0NEWS", user="U0ANN")
            status, _ = await post_signed(
                slack,  # type: ignore[arg-type]
                slash_body("watching", response_url=url),
                "application/x-www-form-urlencoded",
            )
            assert status == 200
            [answer] = await fake.wait_for_ephemerals(1)  # it only reads: the asker's
            assert "watches nothing yet" in answer.text
            # unsigned and malformed: refused before parsing, not a 500
            for headers, expected in (
                ({}, 401),
                ({"X-Slack-Request-Timestamp": "x", "X-Slack-Signature": "v0=0"}, 400),
            ):
                refused = await client.post(
                    "/slack/events",
                    content=b"{not json",
                    headers={"Content-Type": "application/json", **headers},
                )
                assert refused.status_code == expected
            assert (await client.get("/metrics")).status_code == 200
    finally:
        stop.set()
        await task
        await services.close()
        await fake.stop()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_busy_port_is_a_clear_config_error(svc: Running) -> None:
    from bot.errors import ConfigError

    other = HttpServer(svc.services.settings)
    with pytest.raises(ConfigError, match="HTTP_HOST/HTTP_PORT"):
        await other.start("127.0.0.1", svc.server.port)


async def test_a_pushed_story_is_analysed_and_alerted(tmp_path: Path) -> None:
    from bot.ingest.files import read_file
    from tests.conftest import ROOT

    story = read_file(ROOT / "examples" / "01_harbourwire_sorna_spill.txt")[0]
    port = free_port()
    adapter = FakeAdapter()
    services = await Services.open(make_settings(tmp_path, http_port=port), [adapter])
    await FakeChat(services.router).say("/watch bulgaria")
    stop = asyncio.Event()
    task = asyncio.create_task(serve(services, stop, handle_signals=False, http=True))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            while True:
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            payload = {
                "title": story.title,
                "body": story.body,
                "url": story.url,
                "outlet": story.outlet,
                "published": str(story.published),
            }
            response = await client.post(
                "/ingest", json=payload, headers={"Authorization": f"Bearer {TOKEN}"}
            )
            assert response.status_code == 202
        async with asyncio.timeout(60):
            while not adapter.alerts_for("c1"):  # noqa: ASYNC110 - the fake records sends
                await asyncio.sleep(0.05)
    finally:
        stop.set()
        await task
        await services.close()
    assert "harbourwire.example" in adapter.alerts_for("c1")[0].text
