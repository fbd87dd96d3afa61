"""The command registry is an object each router is given: two routers with two
registries live side by side, each running and listing only its own commands."""

from __future__ import annotations

import dataclasses

import pytest

from bot.models import Command, Reply
from bot.runtime import Services
from handlers import help
from handlers.base import Context
from handlers.registry import Registry, Spec
from handlers.router import Router, default_registry


async def ping(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    return Reply.text("pong " + " ".join(args))


def say(text: str) -> Command:
    return Command(platform="fake", chat_id="c1", user_id="u1", text=text)


async def test_two_registries_in_one_process(services: Services) -> None:
    small = Registry(
        (
            Spec("help", help.help_, "[command]", "the commands"),
            Spec("ping", ping, "[WORDS]", "answers pong"),
        )
    )
    own = Router(dataclasses.replace(services.router.ctx, registry=small))
    default = services.router

    assert (await own.dispatch(say("/ping a b"))).plain == "pong a b"
    assert "Unknown command /ping" in (await default.dispatch(say("/ping"))).plain
    assert "Unknown command /watch" in (await own.dispatch(say("/watch china"))).plain
    assert (await default.dispatch(say("/watching"))).ok

    listed = (await own.dispatch(say("/help"))).plain
    assert "/ping [WORDS] — answers pong" in listed and "/watch" not in listed
    assert "/ping" not in (await default.dispatch(say("/help"))).plain
    assert "answers pong" in (await own.dispatch(say("/help ping"))).plain
    # the default registry was not changed by the other one
    assert [s.name for s in default.registry] == [s.name for s in default_registry()]


def test_the_menu_is_every_command_meant_for_it() -> None:
    registry = default_registry()
    names = [entry.name for entry in registry.menu()]
    assert names == [s.name for s in registry if s.in_menu]
    assert {"digest", "quiet", "timezone", "status", "mute", "watch"} <= set(names)
    assert "feeds" not in names  # operators only
    assert all(entry.description[:1].isupper() for entry in registry.menu())


def test_a_name_registered_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="/ping registered twice"):
        Registry((Spec("ping", ping, "", "a"), Spec("ping", ping, "", "b")))
