"""The alert text: one line on the event, the fresh claims, the sources.

The one alert layout (:class:`AlertLayout`): platform-neutral lines of spans
and buttons that every adapter renders and escapes; no adapter lays out an
alert of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.models import Alert, AlertClaim, Button, Claim, Line, Link, Novelty, Span, Stance

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


@dataclass(frozen=True, slots=True)
class AlertLayout:
    """The one alert layout, platform-neutral: what an alert says and in which
    order. Line-based chats (Telegram, the console) show :meth:`lines`; Slack
    puts ``title`` in a header block, each claim line in a section and
    ``links`` with ``coverage`` in a context block — the same parts."""

    headline: Line  # "New event · China: <event title>"
    title: str  # the event's title (the story's when the event has none)
    subtitle: Line | None  # the story's own title, when it differs
    claims: tuple[Line, ...]  # one line per fresh claim
    links: Line  # the source links, " · " between them
    coverage: str  # "2 outlets"
    buttons: tuple[Button, ...]

    def lines(self) -> tuple[Line, ...]:
        return _compose(self.headline, self.subtitle, self.claims, self.links, self.coverage)


def _compose(
    headline: Line, subtitle: Line | None, claims: Iterable[Line], links: Line, coverage: str
) -> tuple[Line, ...]:
    """The parts as lines: headline, subtitle, claims, then the sources."""
    head = (headline,) if subtitle is None else (headline, subtitle)
    return (*head, *claims, (Span(f"Sources ({coverage} so far): "), *links))


def claim_line(claim: AlertClaim) -> Line:
    """``Speaker — what they said TAG`` (speaker bold, the tag as code)."""
    return (
        Span(claim.speaker.strip(), bold=True),
        Span(f" — {claim.text.strip()} "),
        Span(claim.tag, code=True),
    )


def coverage(outlets: int) -> str:
    return f"{outlets} outlet" + ("" if outlets == 1 else "s")


def links_line(links: Sequence[Link]) -> Line:
    spans: list[Span] = []
    for n, link in enumerate(links):
        if n:
            spans.append(Span(" · "))
        spans.append(Span(link.label, url=link.url))
    return tuple(spans)


def _title(watch: str, event_title: str, story_title: str) -> str:
    return event_title or story_title or watch


def _headline(watch: str, title: str, new_event: bool) -> Line:
    head = "New event" if new_event else "Update"
    return (Span(f"{head} · {watch}: ", bold=True), Span(title, bold=True))


def _subtitle(story_title: str, title: str) -> Line | None:
    return (Span(story_title),) if story_title and story_title != title else None


def layout(
    *,
    watch: str,
    event_title: str,
    new_event: bool,
    story_title: str,
    claims: Sequence[AlertClaim],
    links: Sequence[Link],
    outlets: int,
    buttons: tuple[Button, ...],
) -> AlertLayout:
    title = _title(watch, event_title, story_title)
    return AlertLayout(
        headline=_headline(watch, title, new_event),
        title=title,
        subtitle=_subtitle(story_title, title),
        claims=tuple(map(claim_line, claims)),
        links=links_line(links),
        coverage=coverage(outlets),
        buttons=buttons,
    )


def alert_layout(alert: Alert) -> AlertLayout:
    """The layout of ``alert``, from its fields; its own buttons, else the defaults."""
    return layout(
        watch=alert.watch,
        event_title=alert.event_title,
        new_event=alert.new_event,
        story_title=alert.story_title,
        claims=alert.claims,
        links=alert.links,
        outlets=alert.outlets,
        buttons=alert.buttons or alert_buttons(alert.event_id, alert.watch_key),
    )


def alert_message(alert: Alert) -> tuple[tuple[Line, ...], tuple[Button, ...]]:
    """The lines and buttons a line-based chat shows for ``alert``: the lines
    stored with it (made by this layout when it was queued), else its layout now."""
    shown = alert_layout(alert)
    return alert.lines or shown.lines(), shown.buttons


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
    """The lines of an alert (stored with it in the outbox): :meth:`AlertLayout.lines`
    of the same parts, without building the layout (this runs for every watched
    target a story alerts)."""
    title = _title(watch, event_title, story_title)
    return _compose(
        _headline(watch, title, new_event),
        _subtitle(story_title, title),
        map(claim_line, claims),
        links_line(links),
        coverage(outlets),
    )


def alert_buttons(event_id: str, watch_key: str, page: str | None = None) -> tuple[Button, ...]:
    """The buttons under every alert: Sources, Mute 24h, Unwatch; first Timeline
    when the event has a page."""
    timeline = (Button("Timeline", "event", event_id, url=page),) if page else ()
    return (
        *timeline,
        Button("Sources", "sources", event_id),
        Button("Mute 24h", "mute", "24h"),
        Button("Unwatch", "unwatch", watch_key),
    )
