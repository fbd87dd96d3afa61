"""/watch NAME all|events|major: how much of an event a watch notifies about."""

from __future__ import annotations

from bot.models import WatchLevel
from bot.runtime import Services
from handlers.watch import split_level
from tests.fakes.chat import FakeChat


def test_the_level_is_the_last_word_and_only_after_a_name() -> None:
    assert split_level(["china", "all"]) == (["china"], WatchLevel.ALL)
    assert split_level(["north", "korea", "EVENTS"]) == (["north", "korea"], WatchLevel.EVENTS)
    assert split_level(["china"]) == (["china"], None)
    assert split_level(["all"]) == (["all"], None)  # nothing to watch before it: a name
    assert split_level(["all", "china"]) == (["all", "china"], None)


async def test_watch_starts_at_major_and_watching_shows_the_level(chat: FakeChat) -> None:
    reply = await chat.say("/watch china")
    assert "major developments" in reply.plain and "/watch China all" in reply.plain
    listed = await chat.say("/watching")
    assert "China — entity · major developments" in listed.plain
    labels = [b.label for b in listed.buttons]
    assert labels == ["China: new events only", "China: every claim"]


async def test_a_level_word_sets_or_changes_the_level(chat: FakeChat, services: Services) -> None:
    await chat.say("/watch russia events")
    assert "Russia — entity · new events only" in (await chat.say("/watching")).plain
    changed = await chat.say("/watch Moscow all")  # an alias of the same watch
    assert changed.ok and "every new, updated or disputed claim" in changed.plain
    assert "Russia — entity · every claim" in (await chat.say("/watching")).plain
    # the match index sees the new level at once
    [sub] = services.pipeline.index.for_entities(["gpe:russia"])
    assert sub.level == WatchLevel.ALL
    assert "already watch Russia" in (await chat.say("/watch russia all")).plain


async def test_the_level_buttons_run_the_watch_command(chat: FakeChat) -> None:
    await chat.say("/watch china")
    listed = await chat.say("/watching")
    button = next(b for b in listed.buttons if b.label == "China: every claim")
    pressed = await chat.say(f"/{button.action} {button.arg}")
    assert pressed.ok and "every new, updated or disputed claim" in pressed.plain
    after = await chat.say("/watching")
    assert "China — entity · every claim" in after.plain
    assert [b.label for b in after.buttons] == [
        "China: new events only",
        "China: major developments",
    ]


async def test_a_phrase_watch_takes_a_level_too(chat: FakeChat) -> None:
    await chat.say("/watch drone strike events")
    assert "drone strike — phrase · new events only" in (await chat.say("/watching")).plain
