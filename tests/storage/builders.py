"""Value builders for the storage tests: real bot.models values, small defaults."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.analysis.canonical import canonical_ids
from bot.models import (
    Alert,
    AlertClaim,
    Analysis,
    Button,
    ChatRef,
    Claim,
    Entity,
    EntityStat,
    EventFeatures,
    Link,
    Mention,
    Novelty,
    Span,
    Stance,
    Story,
)
from storage.base import AnalysisRecord

T0 = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)

CHINA = Entity("gpe:china", "China", "GPE")
RUSSIA = Entity("gpe:russia", "Russia", "GPE")
ZELENSKY = Entity("person:zelensky", "Volodymyr Zelensky", "PERSON")

ALICE = ChatRef("telegram", "100")
BOB = ChatRef("slack", "C200")


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def make_story(
    n: int,
    *,
    url: str | None = None,
    outlet: str | None = "Reuters",
    published: date | None = date(2025, 4, 9),
    body: str | None = None,
) -> Story:
    return Story(
        source=f"examples/story-{n}.txt",
        title=f"Story {n}",
        body=body if body is not None else f"Body of story number {n}.",
        url=url,
        outlet=outlet,
        published=published,
    )


def make_claim(
    claim_id: str,
    text: str,
    *,
    speaker: Entity = ZELENSKY,
    about: tuple[Entity, ...] = (CHINA, RUSSIA),
    numbers: tuple[float, ...] = (),
    novelty: Novelty = Novelty.NEW,
    matches: str | None = None,
    stance: Stance = Stance.ASSERT,
) -> Claim:
    return Claim(
        speaker=speaker.name,
        cue="said",
        stance=stance,
        direct=False,
        text=text,
        speaker_id=speaker.id,
        entities=tuple(e.id for e in about),
        numbers=numbers,
        id=claim_id,
        novelty=novelty,
        matches=matches,
        why=f"{novelty.value} claim",
    )


def make_analysis(
    claims: tuple[Claim, ...] = (),
    *,
    terms: dict[str, float] | None = None,
    fingerprint: int = 0x0123_4567_89AB_CDEF,
) -> Analysis:
    text = "Zelensky says Chinese citizens fight for Russia\n\nBeijing denied it."
    mentions = (
        Mention(ZELENSKY, "Zelensky", 0, 8, 0),
        Mention(CHINA, "Chinese", 14, 21, 0),
        Mention(RUSSIA, "Russia", 41, 47, 0),
        Mention(CHINA, "Beijing", 49, 56, 1),
    )
    return Analysis(
        text=text,
        entities=(
            EntityStat(CHINA, 2, 0.9, in_title=True),
            EntityStat(ZELENSKY, 1, 0.6, in_title=True),
            EntityStat(RUSSIA, 1, 0.5),
        ),
        mentions=mentions,
        claims=claims,
        features=EventFeatures(
            terms=terms if terms is not None else {"gpe:china": 2.0, "fight": 1.0},
            fingerprint=fingerprint,
            published=date(2025, 4, 9),
        ),
    )


def make_alert(
    chat: ChatRef,
    key: str,
    *,
    event_id: str = "ev-1",
    claim_ids: tuple[str, ...] = ("c1",),
) -> Alert:
    return Alert(
        chat=chat,
        watch="China",
        watch_key="gpe:china",
        event_id=event_id,
        event_title="Chinese citizens fighting for Russia",
        story_title="Zelensky says Chinese citizens fight for Russia",
        claims=tuple(
            AlertClaim(cid, "Volodymyr Zelensky", f"claim {cid}", "NEW") for cid in claim_ids
        ),
        links=(Link("Reuters", "https://example.com/a"),),
        outlets=1,
        new_event=True,
        key=key,
        lines=((Span("China", bold=True), Span(": new claim")),),
        buttons=(Button("Sources", "sources", event_id),),
    )


def make_record(
    story_id: int,
    *,
    event_id: str = "ev-1",
    new_event: bool = True,
    claims: tuple[Claim, ...] = (),
    alerts: tuple[Alert, ...] = (),
    duplicate_of: int | None = None,
    analysed_at: datetime = T0,
    terms: dict[str, float] | None = None,
    fingerprint: int = 0x0123_4567_89AB_CDEF,
    canonical: tuple[str, ...] | None = None,
) -> AnalysisRecord:
    """A record whose repeats join the claims they match (as the pipeline decides
    with :func:`~bot.analysis.canonical.canonical_ids` when those are known)."""
    if canonical is None:
        canonical = canonical_ids(claims, {c.matches for c in claims if c.matches})
    return AnalysisRecord(
        story_id=story_id,
        analysis=make_analysis(claims, terms=terms, fingerprint=fingerprint),
        event_id=event_id,
        new_event=new_event,
        event_title="Chinese citizens fighting for Russia",
        duplicate_of=duplicate_of,
        claims=claims,
        alerts=alerts,
        analysed_at=analysed_at,
        canonical=canonical,
    )
