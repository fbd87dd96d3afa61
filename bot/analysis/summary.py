"""The alert text: one line on the event, the fresh claims, the sources.

Produces platform-neutral lines of spans; adapters render and escape them.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import AlertClaim, Button, Claim, Line, Link, Novelty, Span, Stance

MAX_CLAIM_CHARS = 280


def claim_tag(claim: Claim) -> str:
    if claim.novelty is Novelty.CONTRADICTION or claim.stance is Stance.DENY:
        return "DENIAL"
    if claim.novelty is Novelty.UPDATE:
        return "UPDATE"
    return "NEW"


def shorten(text: str, limit: int = MAX_CLAIM_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def alert_claim(claim: Claim) -> AlertClaim:
    return AlertClaim(
        claim_id=claim.id or "",
        speaker=claim.speaker,
        text=shorten(claim.text),
        tag=claim_tag(claim),
        stance=claim.stance,
    )


def alert_lines(
    *,
    watch: str,
    event_title: str,
    new_event: bool,
    story_title: str,
    claims: Sequence[AlertClaim],
    links: Sequence[Link],
    outlets: int,
) -> tuple[Line, ...]:
    head = "New event" if new_event else "Update"
    lines: list[Line] = [
        (Span(f"{head} · {watch}: ", bold=True), Span(event_title, bold=True)),
    ]
    if story_title and story_title != event_title:
        lines.append((Span(story_title),))
    for c in claims:
        lines.append((Span(f"[{c.tag}] "), Span(c.speaker, bold=True), Span(f" — {c.text}")))
    covered = f"{outlets} outlet" + ("" if outlets == 1 else "s")
    source_line: list[Span] = [Span(f"Sources ({covered} so far): ")]
    for n, link in enumerate(links):
        if n:
            source_line.append(Span(" · "))
        source_line.append(Span(link.label, url=link.url))
    lines.append(tuple(source_line))
    return tuple(lines)


def alert_buttons(event_id: str, watch_key: str, page: str | None = None) -> tuple[Button, ...]:
    """Sources, Mute 24h, Unwatch; first Timeline when the event has a page."""
    timeline = (Button("Timeline", "event", event_id, url=page),) if page else ()
    return (
        *timeline,
        Button("Sources", "sources", event_id),
        Button("Mute 24h", "mute", "24h"),
        Button("Unwatch", "unwatch", watch_key),
    )
