"""/claims, /event, /sources."""

from __future__ import annotations

from bot.analysis.summary import claim_spans
from bot.models import Button, ClaimView, Command, Reply, Source, Span
from handlers.base import Context, did_you_mean, looks_numeric, parse_count, resolve

MAX_CLAIMS = 20


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _source_spans(sources: tuple[Source, ...], limit: int = 4) -> list[Span]:
    spans: list[Span] = []
    for n, src in enumerate(sources[:limit]):
        if n:
            spans.append(Span(" · "))
        spans.append(Span(src.outlet or src.title, url=src.url))
    if len(sources) > limit:
        spans.append(Span(f" +{len(sources) - limit} more"))
    return spans


def claim_lines(view: ClaimView) -> list[tuple[Span, ...]]:
    count = len(view.sources)
    when = view.first_seen.strftime("%Y-%m-%d %H:%M")
    return [
        claim_spans(view.speaker, view.text, view.stance, view.cue),
        (
            Span(
                f"   {view.stance.value} · first seen {when} · {plural(count, 'source')} · event "
            ),
            Span(view.event_id, code=True),
            Span(" · "),
            *_source_spans(view.sources),
        ),
    ]


async def claims(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if not args:
        return Reply.error(
            f"Tell me about what, e.g. {cmd.usage('claims china')} "
            f"or {cmd.usage('claims china 10')}"
        )
    count = ctx.settings.claims_default_count
    if len(args) > 1 and (n := parse_count(args[-1])) is not None:
        args.pop()
        count = n
        if not 1 <= count <= MAX_CLAIMS:
            return Reply.error(f"Ask for 1 to {MAX_CLAIMS} claims.")
    elif len(args) > 1 and looks_numeric(args[-1]):
        return Reply.error(
            f"“{args[-1]}” is not a number I can read: write how many claims with the digits "
            f"0-9, e.g. {cmd.usage('claims china 10')} (1 to {MAX_CLAIMS})."
        )
    name = " ".join(args)
    found = await resolve(ctx, name)
    views = await ctx.store.claims_about(found.target.key, count)
    shown = found.entity.name if found.entity else f"“{name}”"
    if not views:
        lines = [f"No claims about {shown} yet."]
        if found.entity is None and (hint := did_you_mean(found.suggestions)):
            lines.append(hint)
        return Reply.text(*lines)
    out: list[tuple[Span, ...]] = [
        (Span(f"Latest claims about {shown}, newest first:", bold=True),)
    ]
    for view in views:
        out.extend(claim_lines(view))
    if ctx.pages is not None and found.entity is not None:
        page = ctx.pages.entity(found.entity.id)
        out.append((Span(f"Page of {shown}: "), Span(page, url=page)))
    return Reply(tuple(out))


async def event(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if len(args) != 1:
        return Reply.error(
            f"Give one event id, e.g. {cmd.usage('event ev12')} (alerts and claims show them)."
        )
    view = await ctx.store.event_view(args[0])
    if view is None:
        return Reply.error(f"No event with id “{args[0]}”.")
    out: list[tuple[Span, ...]] = [
        (Span(view.title, bold=True),),
        (
            Span(
                f"{view.first_seen:%Y-%m-%d} – {view.last_seen:%Y-%m-%d} · "
                f"{plural(len(view.sources), 'source')}"
            ),
        ),
    ]
    for claim in view.claims:
        out.extend(claim_lines(claim))
    out.append((Span("Sources: "), *_source_spans(view.sources, limit=20)))
    if ctx.pages is None:
        return Reply(tuple(out))
    page = ctx.pages.event(view.id)
    out.append((Span("Timeline: "), Span(page, url=page)))
    return Reply(tuple(out), buttons=(Button("Timeline", "event", view.id, url=page),))


async def sources(cmd: Command, ctx: Context, args: list[str]) -> Reply:
    if len(args) != 1:
        return Reply.error(f"Give one event id, e.g. {cmd.usage('sources ev12')}")
    view = await ctx.store.event_view(args[0])
    if view is None:
        return Reply.error(f"No event with id “{args[0]}”.")
    out: list[tuple[Span, ...]] = [(Span(f"Sources for: {view.title}", bold=True),)]
    for src in view.sources:
        when = f" ({src.published:%Y-%m-%d})" if src.published else ""
        out.append(
            (
                Span("• "),
                Span(src.outlet, bold=True),
                Span(" — "),
                Span(src.title, url=src.url),
                Span(when),
            )
        )
    return Reply(tuple(out))
