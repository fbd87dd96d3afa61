"""A running service with event pages on: the real HTTP server on 127.0.0.1,
a real SQLite file, stories and analyses written through the real store."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.adapters.console import ConsoleAdapter
from bot.config import Settings, load_settings
from bot.http import HttpServer
from bot.ingest.files import read_stories
from bot.models import Story
from bot.pages.links import PageLinks
from bot.runtime import Services, http_server
from tests.conftest import ROOT
from tests.fakes.chat import FakeAdapter

PUBLIC = "https://news.example.org/cw"


def page_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": f"sqlite:///{tmp_path / 'pages.db'}",
        "public_url": PUBLIC,
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


@dataclass
class Site:
    services: Services
    server: HttpServer
    client: httpx.AsyncClient

    @property
    def links(self) -> PageLinks:
        assert self.services.pages is not None
        return self.services.pages

    async def get(self, url: str, **headers: str) -> httpx.Response:
        """GET a page by its public address (the path and query of it)."""
        path = url.removeprefix(PUBLIC) if url.startswith(PUBLIC) else url
        return await self.client.get(path, headers=headers)


OpenSite = Callable[..., Awaitable[Site]]


@pytest.fixture
async def open_site(tmp_path: Path) -> AsyncIterator[OpenSite]:
    opened: list[Site] = []

    async def start(**overrides: object) -> Site:
        services = await Services.open(page_settings(tmp_path, **overrides), [FakeAdapter()])
        server = http_server(services)
        await server.start(host="127.0.0.1", port=0)
        client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}")
        site = Site(services, server, client)
        opened.append(site)
        return site

    yield start
    for site in opened:
        await site.client.aclose()
        await site.server.stop()
        await site.services.close()


def local(url: str, port: int) -> str:
    """A public page address, as reached on the test's own server."""
    return url.replace(PUBLIC, f"http://127.0.0.1:{port}")


@dataclass
class SampleSite:
    services: Services
    out: io.StringIO  # what the console chat printed
    port: int


@pytest.fixture
async def sample_site(tmp_path: Path) -> AsyncIterator[SampleSite]:
    """The sample stories in examples/ analysed by the real pipeline for a console
    chat watching Bulgaria, alerts delivered, the HTTP server running."""
    out = io.StringIO()
    console = ConsoleAdapter(chat_id="demo", out=out)
    services = await Services.open(page_settings(tmp_path), [console])
    server = http_server(services)
    await server.start(host="127.0.0.1", port=0)
    try:
        await services.router(console.command("/watch Bulgaria"))
        for item in read_stories([ROOT / "examples"]):
            assert isinstance(item, Story)
            await services.pipeline.process(item)
            await services.dispatcher.drain()
        assert server.port is not None
        yield SampleSite(services, out, server.port)
    finally:
        await server.stop()
        await services.close()
