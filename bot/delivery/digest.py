"""One message for many alerts: grouped by event, newest claims first, with sources.

Used for a chat's hourly or daily digest, for what waited through quiet hours,
and for the alerts the flood guard folded. The result is platform-neutral
lines; each adapter renders them like any reply.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Alert, Line, Link, Span

MAX_EVENTS = 15
MAX_CLAIMS_PER_EVENT = 5
MAX_LINKS_PER_EVENT = 5

WHY = {
    "digest": "your digest",
    "quiet": "held during quiet hours",
    "flood": "folded: many alerts at once",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def render_digest(alerts: Sequence[Alert], why: str | None = None) -> tuple[Line, ...]:
    """The lines of one digest of ``alerts`` (oldest first, as queued)."""
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        groups.setdefault(alert.event_id, []).append(alert)
    # Newest event first: the event whose latest alert came last.
    last = {event: i for i, alert in enumerate(alerts) for event in [alert.event_id]}
    order = sorted(groups, key=lambda event: -last[event])
    head = f"Digest: {_plural(len(alerts), 'alert')} about {_plural(len(groups), 'event')}"
    lines: list[Line] = [(Span(head, bold=True), Span(f" ({WHY.get(why or '', why or '')})"))]
    for event in order[:MAX_EVENTS]:
        items = groups[event]
        newest = items[-1]
        watches = sorted({a.watch for a in items})
        lines.append(())
        lines.append(
            (
                Span(newest.event_title or newest.story_title, bold=True),
                Span(f" — {', '.join(watches)}"),
            )
        )
        seen: set[str] = set()
        claims = []
        for alert in reversed(items):  # newest alert first
            for claim in alert.claims:
                if claim.claim_id not in seen:
                    seen.add(claim.claim_id)
                    claims.append(claim)
        for claim in claims[:MAX_CLAIMS_PER_EVENT]:
            lines.append((Span(f"{claim.tag} ", bold=True), Span(f"{claim.speaker}: {claim.text}")))
        if len(claims) > MAX_CLAIMS_PER_EVENT:
            lines.append((Span(f"…and {len(claims) - MAX_CLAIMS_PER_EVENT} more claims"),))
        if not claims:
            lines.append((Span(newest.story_title),))
        links: dict[str, Link] = {}
        for alert in reversed(items):
            for link in alert.links:
                links.setdefault(link.url, link)
        shown = list(links.values())[:MAX_LINKS_PER_EVENT]
        if shown:
            spans: list[Span] = [Span("Sources: ")]
            for i, link in enumerate(shown):
                if i:
                    spans.append(Span(" · "))
                spans.append(Span(link.label, url=link.url))
            lines.append(tuple(spans))
        # the event page, when the alerts link to one (a button with a URL)
        page = next((b.url for a in reversed(items) for b in a.buttons if b.url), None)
        if page:
            lines.append((Span("Timeline", url=page),))
    if len(order) > MAX_EVENTS:
        rest = order[MAX_EVENTS:]
        count = sum(len(groups[event]) for event in rest)
        lines.append(())
        lines.append(
            (Span(f"…and {_plural(count, 'alert')} about {_plural(len(rest), 'more event')}"),)
        )
    return tuple(lines)
