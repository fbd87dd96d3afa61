"""Numbers in commands are read strictly (issue 11, finding 3): ``str.isdigit()``
accepts ``²`` and ``①``, which ``int()`` refuses, and ``/claims china ²`` once
answered "Something went wrong". Such arguments now get a usage message."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.runtime import Services
from handlers.base import parse_count
from tests.fakes.chat import FakeAdapter, FakeChat

ODD_NUMBERS = ["²", "①", "٣", "３", "1²", "Ⅻ", "½", "1e3", "-1", "+3", "0x10", "1_000"]


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    settings = load_settings(
        database_url=f"sqlite:///{tmp_path / 'cw.db'}", admin_user_ids="fake:boss", _env_file=None
    )
    opened = await Services.open(settings, [FakeAdapter()])
    yield opened
    await opened.close()


@pytest.mark.parametrize("odd", ODD_NUMBERS)
async def test_claims_with_an_odd_number_is_a_usage_error(services: Services, odd: str) -> None:
    reply = await FakeChat(services.router).say(f"/claims china {odd}")
    assert not reply.ok
    assert "Something went wrong" not in reply.plain
    assert "0-9" in reply.plain and "/claims china 10" in reply.plain


async def test_claims_with_a_plain_number_still_works(services: Services) -> None:
    reply = await FakeChat(services.router).say("/claims china 3")
    assert reply.ok and "No claims about China yet" in reply.plain
    assert "1 to 20" in (await FakeChat(services.router).say("/claims china 99")).plain


@pytest.mark.parametrize("odd", ["²", "①", "٣"])
async def test_feeds_remove_with_an_odd_number(services: Services, odd: str) -> None:
    from datetime import UTC, datetime

    await services.store.add_feed("https://harbourwire.example/rss", datetime.now(UTC))
    reply = await FakeChat(services.router).say(f"/feeds remove {odd}", user="boss")
    assert not reply.ok and "Something went wrong" not in reply.plain
    assert "No feed" in reply.plain


@pytest.mark.parametrize("odd", ["²h", "①h", "٣h", "３d"])
async def test_mute_with_an_odd_number(services: Services, odd: str) -> None:
    reply = await FakeChat(services.router).say(f"/mute {odd}")
    assert not reply.ok and "Something went wrong" not in reply.plain
    assert "/mute 24h" in reply.plain


@pytest.mark.parametrize("odd", ["²2:00", "٠٩:٣٠-١٧:٠٠", "①:00-02:00"])
async def test_quiet_hours_with_odd_digits(services: Services, odd: str) -> None:
    reply = await FakeChat(services.router).say(f"/quiet {odd}")
    assert not reply.ok and "Something went wrong" not in reply.plain


def test_parse_count() -> None:
    assert parse_count("7") == 7 and parse_count("0012") == 12
    for odd in [*ODD_NUMBERS, "", " 7", "7 ", "1" * 20]:
        assert parse_count(odd) is None


@pytest.mark.parametrize("until", ["²", "①", "٣٣٣", "３"])
def test_a_page_link_with_odd_digits_is_refused_not_a_crash(until: str) -> None:
    """A signed page's ``until`` is read strictly too (it comes from the URL)."""
    from datetime import UTC, datetime, timedelta

    from bot.pages.links import PageLinks

    links = PageLinks(
        "https://cw.example", True, timedelta(days=1), lambda: datetime.now(UTC), b"k" * 32
    )
    assert links.check("/event/ev1", until, "x") is False
    good = links.event("ev1").partition("?")[2]
    real_until, sig = (part.split("=", 1)[1] for part in good.split("&"))
    assert links.check("/event/ev1", real_until, sig) is True
