"""Feed and article addresses are checked when they are given (issue 11,
finding 5): ``feeds add`` (CLI and the operators' ``/feeds add``) and
``ingest URL`` refuse private, loopback, link-local, multicast and reserved
addresses in every spelling, unless ALLOW_PRIVATE_URLS is set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.errors import PermanentError
from bot.net_address import check_url_address
from bot.runtime import Services
from tests.fakes.chat import FakeAdapter, FakeChat

REFUSED = [
    "http://127.0.0.1/rss",
    "http://127.1/rss",  # short form
    "http://2130706433/rss",  # decimal
    "http://0177.0.0.1/rss",  # octal
    "http://0x7f.0.0.1/rss",  # hex
    "http://0x7f000001/rss",  # one hex number
    "http://017700000001/rss",  # one octal number
    "http://localhost/rss",
    "http://LOCALHOST./rss",
    "http://feeds.localhost/rss",
    "http://[::1]/rss",
    "http://[::ffff:127.0.0.1]/rss",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/rss",
    "http://[0:0:0:0:0:ffff:a9fe:a9fe]/latest",  # mapped 169.254.169.254
    "http://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
    "http://[fe80::1%25eth0]/rss",  # IPv6 link-local with a zone
    "http://10.0.0.1/rss",
    "http://192.168.1.1/rss",
    "http://172.16.5.4:8080/rss",
    "http://100.64.0.1/rss",  # shared address space
    "http://[fd00::1]/rss",  # unique local
    "http://0.0.0.0/rss",
    "http://0/rss",
    "http://224.0.0.1/rss",  # multicast
    "http://240.0.0.1/rss",  # reserved
    "http://[2002:7f00:1::]/rss",  # 6to4 of 127.0.0.1
]


@pytest.mark.parametrize("url", REFUSED)
async def test_non_public_addresses_are_refused_in_every_spelling(url: str) -> None:
    with pytest.raises(PermanentError, match="non-public address"):
        await check_url_address(url, allow_private=False)
    await check_url_address(url, allow_private=True)  # the operator's choice


async def test_names_are_resolved_and_unresolvable_names_wait_for_the_poll() -> None:
    async def resolver(host: str, port: int) -> list[str]:
        return {"intranet.example": ["10.1.2.3"], "news.example": ["93.184.216.34"]}[host]

    with pytest.raises(PermanentError, match=r"10\.1\.2\.3"):
        await check_url_address("https://intranet.example/rss", False, resolver)
    await check_url_address("https://news.example/rss", False, resolver)
    await check_url_address("http://93.184.216.34/rss", False)
    # a name that does not resolve now is checked again at each poll
    await check_url_address("https://nowhere.invalid/rss", False)


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path / 'cw.db'}", admin_user_ids="fake:boss", _env_file=None
    )
    opened = await Services.open(settings, [FakeAdapter()])
    yield opened
    await opened.close()


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://[::1]/rss", "http://2130706433/"]
)
async def test_operators_cannot_add_an_internal_feed(services: Services, url: str) -> None:
    reply = await FakeChat(services.router).say(f"/feeds add {url}", user="boss")
    assert not reply.ok and "non-public address" in reply.plain
    assert "ALLOW_PRIVATE_URLS" in reply.plain
    assert await services.store.list_feeds() == []


async def test_the_cli_refuses_internal_feeds_and_urls_at_once(tmp_path: Path) -> None:
    from tests.test_sources_cli import claimwatch, env_for

    env = env_for(tmp_path, ALLOW_PRIVATE_URLS="false")
    code, _, err = await claimwatch(
        tmp_path, "feeds", "add", "http://169.254.169.254/latest", env=env
    )
    assert code == 2 and "non-public address (169.254.169.254)" in err
    code, out, _ = await claimwatch(tmp_path, "feeds", "list", env=env)
    assert code == 0 and "no feeds" in out
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline text="meta" xmlUrl="http://[::ffff:169.254.169.254]/latest"/>'
        '<outline text="news" xmlUrl="https://harbourwire.example/rss"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    code, out, err = await claimwatch(tmp_path, "feeds", "import", str(opml), env=env)
    assert code == 0 and "1 feeds added, 0 already polled, 1 skipped" in out
    assert "non-public address (::ffff:a9fe:a9fe = 169.254.169.254)" in err
    code, _, err = await claimwatch(
        tmp_path, "ingest", "--queue-only", "http://0x7f.1:9/a", env=env
    )
    assert code == 1 and "non-public address (127.0.0.1)" in err
