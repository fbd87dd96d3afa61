"""/watching on a platform with start links: a link per watch that starts the
same watch, at the same level, wherever it is opened."""

from __future__ import annotations

from bot.models import Command, Reply, StartLinks
from bot.runtime import Services
from bot.start_links import decode_payload

LINKS = StartLinks("https://t.me/ClaimWatchBot?start=", "https://t.me/ClaimWatchBot?startgroup=")


async def say(services: Services, chat_id: str, text: str) -> Reply:
    command = Command("telegram", chat_id, chat_id, text, start_links=LINKS)
    return await services.router(command)


async def test_a_share_link_starts_the_same_watch_elsewhere(services: Services) -> None:
    assert (await say(services, "1001", "/watch china")).ok
    assert (await say(services, "1001", "/watch russia all")).ok
    listed = await say(services, "1001", "/watching")
    assert "Share a watch" in listed.plain
    urls = [span.url for line in listed.lines for span in line if span.url]
    assert urls == [
        "https://t.me/ClaimWatchBot?start=watch_China",
        "https://t.me/ClaimWatchBot?startgroup=watch_China",
        "https://t.me/ClaimWatchBot?start=watch_Russia_all",
        "https://t.me/ClaimWatchBot?startgroup=watch_Russia_all",
    ]

    # Someone opens the Russia link: their chat watches Russia, every claim.
    decoded = decode_payload(urls[2].rsplit("=", 1)[1])
    assert decoded == ("watch", "Russia all")
    assert (await say(services, "2002", f"/{decoded[0]} {decoded[1]}")).ok
    theirs = (await say(services, "2002", "/watching")).plain
    assert "Russia — entity · every claim" in theirs and "China" not in theirs.split("Levels")[0]


async def test_no_links_where_the_platform_has_none(services: Services) -> None:
    await services.router(Command("slack", "C1", "U1", "/watch china"))
    listed = await services.router(Command("slack", "C1", "U1", "/watching"))
    assert "China — entity" in listed.plain and "Share a watch" not in listed.plain


async def test_a_share_link_keeps_the_watch_terms(services: Services) -> None:
    """``china`` and ``china -taiwan`` are two watches: each link starts its own."""
    assert (await say(services, "1001", "/watch china")).ok
    assert (await say(services, "1001", "/watch china -taiwan")).ok
    listed = await say(services, "1001", "/watching")
    starts = [span.url for line in listed.lines for span in line if span.url]
    starts = [url for url in starts if "?start=" in url]
    assert len(starts) == 2
    decoded = [decode_payload(url.rsplit("=", 1)[1]) for url in starts]
    assert ("watch", "China -Taiwan") in decoded and ("watch", "China") in decoded
    assert (await say(services, "2002", "/watch China -Taiwan")).ok
    theirs = (await say(services, "2002", "/watching")).plain
    assert "China -Taiwan — entity" in theirs
