"""The alert text: one line on the event, the fresh claims, the sources.

Produces platform-neutral lines of spans; adapters render and escape them.

A denial reads as what was denied. Its content is either the denial itself
("the claims are ‘totally unfounded’", "Ukraine was not involved") and is
shown after the speaker as it is, or the proposition the speaker denied
("many more Chinese citizens were fighting for Russia") and is shown as
"denied that …": printed bare after "[DENIAL] Lin Jian" it would read as the
opposite of what was said. :func:`denial_text` decides, so every adapter and
/claims show it the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.models import AlertClaim, Button, Claim, Line, Link, Novelty, Span, Stance

MAX_CLAIM_CHARS = 280


def claim_tag(claim: Claim) -> str:
    if claim.novelty is Novelty.CONTRADICTION or claim.stance is Stance.DENY:
        return "DENIAL"
    if claim.novelty is Novelty.UPDATE:
        return "UPDATE"
    return "NEW"


# words with which a content states a denial by itself
_SAYS_NO = re.compile(
    r"\b(?:not|no|never|nothing|none|nobody|neither|nor|n[o']t|cannot|unfounded|baseless|"
    r"groundless|false(?:hood)?s?|untrue|lies?|lying|nonsense|absurd|fake|fabricat\w*|"
    r"ridiculous|stupid|rubbish|deni(?:ed|es|al)|deny|reject\w*|refut\w*|dismiss\w*|"
    r"incorrect|wrong|misleading|disinformation|propaganda|slander\w*|smear)\b",
    re.IGNORECASE,
)
# a content that names what was denied rather than stating it: "blowing up the
# dam", "the report", "any involvement"
_NOUN_LIKE = re.compile(
    r"^(?:(?-i:[a-z]+ing)|the|a|an|any|all|its|his|her|their|these|those|such|reports?|claims?|"
    r"allegations?|accusations?|charges?|involvement|responsibility|role)\b",
    re.IGNORECASE,
)
# a finite verb, not right after a determiner ("the leaked memo" has none)
_FINITE = re.compile(
    r"(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bits )(?<!\bany )"
    r"\b(?:is|are|was|were|be|been|has|have|had|will|would|could|can|did|does|do|"
    r"\w+ed)\b",
    re.IGNORECASE,
)


def denial_text(text: str) -> str:
    """A denial's content as it reads after its speaker: as it is when it says
    no by itself, else "denied that …" (or "denied …" for what is not a
    clause: "denied blowing up the dam", "denied the report")."""
    text = " ".join(text.split())
    if not text or _SAYS_NO.search(text):
        return text
    clause = re.match(r"that\s+", text, flags=re.IGNORECASE)
    if clause:
        return f"denied that {text[clause.end() :]}"
    if _NOUN_LIKE.match(text) and not _FINITE.search(text):
        return f"denied {text}"
    return f"denied that {text}"


def claim_text(text: str, stance: Stance) -> str:
    """A claim's content as alerts and /claims show it (see :func:`denial_text`)."""
    return denial_text(text) if stance is Stance.DENY else " ".join(text.split())


def claim_spans(speaker: str, text: str, stance: Stance) -> tuple[Span, ...]:
    """Speaker and content on one line, so that it reads right: "Lin Jian
    denied that …", "Beijing: the claims are ‘totally unfounded’", "Kyiv — …"."""
    shown = claim_text(text, stance)
    if stance is Stance.DENY:
        sep = " " if shown.startswith("denied ") else ": "
        return (Span(speaker, bold=True), Span(f"{sep}{shown}"))
    return (Span(speaker, bold=True), Span(f" — {shown}"))


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
        text=shorten(claim_text(claim.text, claim.stance)),
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
        lines.append((Span(f"[{c.tag}] "), *_shown_spans(c)))
    covered = f"{outlets} outlet" + ("" if outlets == 1 else "s")
    source_line: list[Span] = [Span(f"Sources ({covered} so far): ")]
    for n, link in enumerate(links):
        if n:
            source_line.append(Span(" · "))
        source_line.append(Span(link.label, url=link.url))
    lines.append(tuple(source_line))
    return tuple(lines)


def _shown_spans(c: AlertClaim) -> tuple[Span, ...]:
    """An alert claim's speaker and text (already as it reads: :func:`alert_claim`)."""
    if c.stance is Stance.DENY:
        sep = " " if c.text.startswith("denied ") else ": "
        return (Span(c.speaker, bold=True), Span(f"{sep}{c.text}"))
    return (Span(c.speaker, bold=True), Span(f" — {c.text}"))


def alert_buttons(event_id: str, watch_key: str) -> tuple[Button, ...]:
    return (
        Button("Sources", "sources", event_id),
        Button("Mute 24h", "mute", "24h"),
        Button("Unwatch", "unwatch", watch_key),
    )
