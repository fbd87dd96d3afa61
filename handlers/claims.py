"""/claims, /event, /sources."""

from __future__ import annotations

from dataclasses import replace

from bot.analysis.summary import claim_spans
from bot.models import (
    Button,
    ClaimView,
    Command,
    EventClaims,
    EventView,
    Novelty,
    Reply,
    Source,
    Span,
    Stance,
)
from handlers.base import Context, did_you_mean, looks_numeric, parse_count, resolve

MAX_CLAIMS = 20
PER_EVENT = 3
"""Claims shown per event in /claims; the rest are a count and a pointer to /event."""
MAX_EVENT_CLAIMS = 15
"""Claims /event lists (in order of appearance); the rest are a count."""
MAX_CLAIM_CHARS = 280
"""Longest claim content shown in a chat line; longer ones end in "…"."""
MAX_TITLE_CHARS = 150
"""Longest event title shown over its claims in /claims."""

_TAGS = {Novelty.CONTRADICTION: "CONTRADICTION", Novelty.UPDATE: "UPDATE"}


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


def claim_tag(view: ClaimView) -> str | None:
    """Why a claim stands out in its event: a denial, a contradiction, an
    updated figure, or a side heard for the first time."""
    if view.stance is Stance.DENY:
        return "DENIAL"
    if view.novelty in _TAGS:
        return _TAGS[view.novelty]
    return "NEW SIDE" if view.new_side else None


def _shorten(line: tuple[Span, ...], limit: int = MAX_CLAIM_CHARS) -> tuple[Span, ...]:
    """The claim line with its content cut at a word near ``limit`` characters."""
    *head, content = line
    text = content.text
    if len(text) <= limit:
        return line
    cut = text.rfind(" ", 0, limit)
    text = text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"
    return (*head, replace(content, text=text))


def published_line(view: ClaimView) -> tuple[Span, ...]:
    """When and where a claim was first published, and how many outlets repeated
    it: the date of the story (as its feed or page gave it); the time we took it
    in only when no story carrying it had a date, and then the line says so."""
    first = view.first_source
    if first is not None and first.published is not None:
        when = f"first published {first.published:%Y-%m-%d}"
    else:
        when = (
            f"first seen {view.first_seen:%Y-%m-%d %H:%M} UTC "
            "(when ClaimWatch took it in: the story gave no date)"
        )
    spans = [Span(f"   {when}")]
    if first is not None:
        spans += [Span(" by "), Span(first.outlet or first.title, url=first.url)]
    others = [s for s in view.sources if s.outlet != (first.outlet if first else None)]
    repeated = view.outlets - (1 if first is not None else 0)
    if repeated > 0:
        spans.append(Span(f" · repeated by {plural(repeated, 'more outlet')}: "))
        spans += _source_spans(tuple({s.outlet: s for s in others}.values()), limit=3)
    else:
        spans.append(Span(" · no other outlet yet"))
    return tuple(spans)


def claim_lines(view: ClaimView) -> list[tuple[Span, ...]]:
    """A claim in two lines: who claimed what (tagged when it stands out), then
    when and by whom it was first published and who repeated it."""
    tag = claim_tag(view)
    line = _shorten(claim_spans(view.speaker, view.text, view.stance, view.cue))
    head = (Span("• "), *((Span(tag, code=True), Span(" ")) if tag else ()), *line)
    return [head, published_line(view)]


def _event_header(group: EventClaims) -> tuple[Span, ...]:
    title = group.title
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    return (
        Span(title, bold=True),
        Span(" · "),
        Span(group.id, code=True),
        Span(f" · {plural(group.total, 'claim')}"),
    )


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
    per_event = min(count, max(PER_EVENT, count // 2))
    answer = await ctx.store.claims_by_event(found.target.key, count, per_event)
    shown = found.entity.name if found.entity else f"“{name}”"
    if not answer.events:
        lines = [f"No claims about {shown} yet."]
        if found.entity is None and (hint := did_you_mean(found.suggestions)):
            lines.append(hint)
        return Reply.text(*lines)
    out: list[tuple[Span, ...]] = [(Span(f"Claims about {shown}, newest event first:", bold=True),)]
    left = count
    events = 0
    for group in answer.events:
        if left <= 0:
            break
        events += 1
        out.append(_event_header(group))
        picked = group.claims[:left]
        left -= len(picked)
        for view in picked:
            out.extend(claim_lines(view))
        if group.total > len(picked):
            more = group.total - len(picked)
            out.append(
                (Span(f"   +{plural(more, 'more claim')}: {cmd.usage('event ' + group.id)}"),)
            )
    if answer.total_events > events:
        older = answer.total_events - events
        hint = (
            f"; {cmd.usage(f'claims {name} {MAX_CLAIMS}')} shows more" if count < MAX_CLAIMS else ""
        )
        out.append((Span(f"+{plural(older, 'older event')}{hint}."),))
    if ctx.pages is not None and found.entity is not None:
        page = ctx.pages.entity(found.entity.id)
        out.append((Span(f"Page of {shown}: "), Span(page, url=page)))
    return Reply(tuple(out))


def _event_span(view: EventView) -> str:
    """The days of an event's stories as they were published; the days we took
    them in only when no story had a date, and then it says so."""
    days = sorted(s.published for s in view.sources if s.published is not None)
    if days:
        return f"published {days[0]:%Y-%m-%d}" + (
            f" – {days[-1]:%Y-%m-%d}" if days[-1] != days[0] else ""
        )
    return (
        f"taken in {view.first_seen:%Y-%m-%d} – {view.last_seen:%Y-%m-%d} "
        "(the stories gave no date)"
    )


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
        (Span(f"{_event_span(view)} · {plural(len(view.sources), 'source')}"),),
    ]
    for claim in view.claims[:MAX_EVENT_CLAIMS]:
        out.extend(claim_lines(claim))
    if len(view.claims) > MAX_EVENT_CLAIMS:
        more = len(view.claims) - MAX_EVENT_CLAIMS
        where = " (the timeline page has them all)" if ctx.pages is not None else ""
        out.append((Span(f"+{plural(more, 'more claim')}{where}"),))
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
