"""The command line for live sources, and `claimwatch run` end to end: a local
feed gains an entry, the service polls it, the watching console chat gets
the alert, and SIGTERM ends the process cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from html import escape
from pathlib import Path

import httpx
import pytest

from bot.ingest.files import read_file
from storage import open_store
from tests.conftest import ROOT
from tests.fakes.web import LocalWeb, Page, article_html, rss
from tests.ingest.test_feeds import OPML
from tests.ingest.test_web import PARAS

EXAMPLE = ROOT / "examples" / "01_harbourwire_sorna_spill.txt"


@pytest.fixture
async def site() -> AsyncIterator[LocalWeb]:
    server = LocalWeb()
    await server.start()
    yield server
    await server.stop()


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'cw.db'}",
        ALLOW_PRIVATE_URLS="true",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


async def claimwatch(
    tmp_path: Path, *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        *args,
        env=env or env_for(tmp_path),
        cwd=str(tmp_path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate(stdin)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_feeds_add_list_import_remove(tmp_path: Path) -> None:
    code, out, _ = await claimwatch(tmp_path, "feeds", "add", "https://a.example/rss")
    assert code == 0 and "added #1 https://a.example/rss" in out
    opml = tmp_path / "subs.opml"
    opml.write_text(OPML, encoding="utf-8")
    code, out, _ = await claimwatch(tmp_path, "feeds", "import", str(opml))
    assert code == 0 and "2 feeds added, 0 already polled, 0 skipped" in out
    code, out, _ = await claimwatch(tmp_path, "feeds", "list")
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()] == ["[new]"] * 3
    assert "https://atom.example/feed · “Atom Wire”" in out
    code, out, _ = await claimwatch(tmp_path, "feeds", "remove", "https://a.example/rss")
    assert code == 0
    code, _, err = await claimwatch(tmp_path, "feeds", "add", "file:///etc/passwd")
    assert code == 2 and "only http:// and https://" in err


async def test_ingest_an_article_url(tmp_path: Path, site: LocalWeb) -> None:
    site.pages["/news/spill"] = Page(article_html("Sorna spill contained", PARAS).encode())
    code, _, err = await claimwatch(
        tmp_path, "ingest", "--queue-only", site.url("/news/spill"), site.url("/nothing")
    )
    assert code == 0, err
    assert "1 stories queued, 0 seen before, 1 skipped" in err
    assert "404" in err
    store = await open_store(f"sqlite:///{tmp_path / 'cw.db'}")
    try:
        [record] = await store.pending_stories(10)
    finally:
        await store.close()
    assert record.story.title == "Sorna spill contained"
    assert record.story.url == site.url("/news/spill")


async def test_private_urls_are_refused_by_the_cli_by_default(
    tmp_path: Path, site: LocalWeb
) -> None:
    site.pages["/a"] = Page(article_html("A", PARAS).encode())
    env = env_for(tmp_path, ALLOW_PRIVATE_URLS="false")
    code, _, err = await claimwatch(tmp_path, "ingest", "--queue-only", site.url("/a"), env=env)
    assert code == 1 and "non-public address (127.0.0.1)" in err
    assert site.hits("/a") == []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_run_polls_a_feed_and_the_watching_chat_gets_the_alert(
    tmp_path: Path, site: LocalWeb
) -> None:
    story = read_file(EXAMPLE)[0]
    site.pages["/rss"] = Page(rss("Harbourwire", []).encode(), etag='"empty"')
    code, out, err = await claimwatch(tmp_path, "chat", stdin=b"/watch bulgaria\n")
    assert code == 0 and "Bulgaria" in out, err
    port = free_port()
    env = env_for(tmp_path, HTTP_PORT=str(port), INGEST_TOKEN="t")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=env,
        cwd=str(tmp_path),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        async with asyncio.timeout(120), httpx.AsyncClient() as client:
            while True:  # the service is up when its HTTP port answers
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            code, out, err = await claimwatch(tmp_path, "feeds", "add", site.url("/rss"))
            assert code == 0, err
            store = await open_store(env["DATABASE_URL"])
            try:  # the service polls it at once (and finds nothing yet)
                while not [f for f in await store.list_feeds() if f.last_ok]:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
            finally:
                await store.close()
            # a new entry appears in the feed; the operator asks for a poll now
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story.body.split("\n\n"))
            entry = {
                "title": escape(story.title),
                "link": story.url or "",
                "guid": "sorna-1",
                "content": paragraphs,
            }
            site.pages["/rss"] = Page(rss("Harbourwire", [entry]).encode(), etag='"one"')
            code, _, err = await claimwatch(tmp_path, "feeds", "refresh", site.url("/rss"))
            assert code == 0, err
            alert = ""
            while "harbourwire.example" not in alert:
                line = await proc.stdout.readline()
                assert line, "the service ended early"
                alert += line.decode()
    finally:
        proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(60):
            _, err_bytes = await proc.communicate()
    assert proc.returncode == 0, err_bytes.decode()[-2000:]
    log = err_bytes.decode()
    assert "stopping: finishing in-flight work" in log
    assert "feed " + site.url("/rss") in log and "1 new stories" in log
    assert [r.headers.get("If-None-Match") for r in site.hits("/rss")][:2] == [None, '"empty"']
