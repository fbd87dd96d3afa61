"""What every handler gets, and how a command's words are read."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process

from bot.analysis.aliases import Gazetteer
from bot.config import Settings
from bot.models import Command, Entity, Reply, WatchTarget
from bot.pages.links import PageLinks
from bot.watch import normalise_phrase
from storage.base import Store

Handler = Callable[[Command, "Context", list[str]], Awaitable[Reply]]

_COUNT = re.compile(r"[0-9]{1,9}")


def parse_count(text: str) -> int | None:
    """A whole number written with the digits 0-9 (at most nine of them), else None.
    ``str.isdigit()`` is not enough: it accepts ``²`` and ``①``, which ``int()`` refuses,
    and ``int()`` alone reads ``٣``, ``３``, ``+3`` and ``1_000``."""
    return int(text) if _COUNT.fullmatch(text) else None


def looks_numeric(text: str) -> bool:
    """Whether a word is meant as a number though :func:`parse_count` refuses it
    (other scripts' digits, superscripts, circled or Roman numerals, signs, fractions)."""
    body = text.lstrip("+-")
    return bool(body) and (
        any(ch.isnumeric() for ch in body)
        and all(ch.isnumeric() or ch in "._,eExX_" for ch in body)
    )


@dataclass
class Context:
    store: Store
    settings: Settings
    gazetteer: Gazetteer
    clock: Callable[[], datetime]
    on_subscriptions_changed: Callable[[], Awaitable[None]] | None = None
    pages: PageLinks | None = None  # event page links, when pages are on

    async def subscriptions_changed(self) -> None:
        if self.on_subscriptions_changed is not None:
            await self.on_subscriptions_changed()


@dataclass(frozen=True, slots=True)
class Resolved:
    target: WatchTarget
    entity: Entity | None
    suggestions: tuple[str, ...]


async def resolve(ctx: Context, name: str) -> Resolved:
    """A name as typed → the entity it means, else a keyword phrase with suggestions."""
    name = " ".join(name.split())
    entity = ctx.gazetteer.lookup(name) or await ctx.store.find_entity(name)
    if entity is None and ":" in name:
        entity = await ctx.store.entity(name)
    if entity is not None:
        return Resolved(WatchTarget("entity", entity.id, entity.name), entity, ())
    return Resolved(
        WatchTarget("keyword", normalise_phrase(name), name), None, await suggest(ctx, name)
    )


async def suggest(ctx: Context, name: str, limit: int = 3) -> tuple[str, ...]:
    choices: dict[str, str] = {}
    for alias, entity in ctx.gazetteer.all_names():
        choices.setdefault(alias.casefold(), entity.name)
    for alias, _entity_id in await ctx.store.entity_names():
        choices.setdefault(alias.casefold(), alias)
    found = process.extract(name.casefold(), list(choices), scorer=fuzz.WRatio, limit=limit * 4)
    out: list[str] = []
    for alias, score, _ in found:
        shown = choices[alias]
        if score >= 80 and shown not in out:
            out.append(shown)
    return tuple(out[:limit])


def did_you_mean(suggestions: tuple[str, ...]) -> str:
    return f"Did you mean: {', '.join(suggestions)}?" if suggestions else ""
