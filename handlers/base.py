"""What every handler gets, and how a command's words are read."""

from __future__ import annotations

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
