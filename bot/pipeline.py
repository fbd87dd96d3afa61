"""ingest → analyse → store → match → outbox, for one story at a time.

The context-free analysis (spaCy) runs in a worker thread so the event loop
keeps answering chat commands; the contextual steps (event, novelty, alerts)
run on the loop against the store and are written in one transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot import metrics
from bot.analysis.aliases import Gazetteer, default_gazetteer
from bot.analysis.analyser import Analyser
from bot.analysis.canonical import canonical_ids, unmatched_repeats
from bot.analysis.events import assign_event, event_title
from bot.analysis.novelty import classify
from bot.config import Settings
from bot.errors import ClaimWatchError, InputError, PermanentError
from bot.ingest.files import sane_date
from bot.ingest.text import clean_story
from bot.models import (
    Alert,
    Analysis,
    CanonicalClaim,
    Claim,
    EventDecision,
    Link,
    Novelty,
    NoveltyDecision,
    Story,
    StoryRecord,
)
from bot.watch import AlertPlan, WatchIndex, event_sides, plan_alerts
from storage.base import AnalysisRecord, Store

log = logging.getLogger(__name__)

MAX_RETRY_SECONDS = 3600.0
"""The longest wait before a failed story is tried again."""


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one story: the analysis contract's object."""

    story_id: int
    story: Story
    status: str  # analysed | duplicate | seen-before | queued | failed | quarantined
    event_id: str | None = None
    duplicate_of: int | None = None
    analysis: Analysis | None = None
    claims: tuple[Claim, ...] = ()
    alerts: tuple[Alert, ...] = ()
    why: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Pipeline:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        index: WatchIndex,
        analyser: Analyser | None = None,
        clock: Callable[[], datetime] = utcnow,
        event_page: Callable[[str], str] | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.store = store
        #: the known entities: the analyser's, which the novelty step and the
        #: handlers read too
        self.gazetteer = (
            gazetteer
            if gazetteer is not None
            else analyser.gazetteer
            if analyser is not None
            else default_gazetteer()
        )
        self.event_page = event_page  # the address of an event's page, when pages are on
        self.settings = settings
        self.index = index
        self._analyser = analyser
        self.clock = clock
        self._lock = asyncio.Lock()
        self._stream_day: date | None = None

    @property
    def analyser(self) -> Analyser:
        if self._analyser is None:
            self._analyser = Analyser(
                self.settings.spacy_model, self.settings.nlp_batch_size, self.gazetteer
            )
        return self._analyser

    async def refresh_index(self) -> None:
        version, changed, removed = await self.store.subscriptions_changed_since(self.index.version)
        if version != self.index.version:
            self.index.apply_changes(version, changed, removed)

    # ------------------------------------------------------------------ ingest
    async def ingest(self, story: Story) -> tuple[int, bool]:
        """Record a story; ``(id, False)`` when the same URL or body was seen before.
        Invisible characters are removed (:mod:`bot.ingest.text`), and a publication
        date outside the sane range is cleared (the sources' edges clear it
        already; this catches any other way in)."""
        story = clean_story(story)  # no bidi controls or zero-width characters reach a chat
        if not story.body.strip():
            raise InputError(f"story {story.source}: its body has no visible text")
        published = sane_date(story.published, story.source, self.clock().date())
        if published != story.published:
            story = replace(story, published=published)
        seen = await self.store.find_story(story.url, story.body_hash)
        if seen is not None:
            log.info(
                "story %s already ingested as #%d (%s)", story.source, seen.id, seen.story.source
            )
            return seen.id, False
        story_id = await self.store.add_story(story, self.clock())
        log.info("ingested story #%d from %s", story_id, story.source)
        return story_id, True

    async def process(self, story: Story) -> Outcome:
        """Ingest and, when new, analyse one story now (what `replay` and `demo` do)."""
        story_id, fresh = await self.ingest(story)
        if not fresh:
            return Outcome(
                story_id, story, "seen-before", duplicate_of=story_id, why="same URL or body"
            )
        if not await self.store.lease_story(story_id):
            return Outcome(story_id, story, "queued", why="another process is analysing it")
        record = await self.store.story(story_id)
        assert record is not None
        return await self.analyse_record(record)

    async def analyse_pending(self, limit: int = 16) -> list[Outcome]:
        """Analyse stories that are waiting (another process may have ingested them)."""
        records = await self.store.pending_stories(limit)
        return [await self.analyse_record(r) for r in records]

    # ---------------------------------------------------------------- analyse
    async def analyse_record(self, record: StoryRecord) -> Outcome:
        story = record.story
        try:
            with metrics.ANALYSIS_SECONDS.time():
                analysis = await asyncio.to_thread(self.analyser.analyse, story)
        except Exception as exc:  # a hostile article must not stop the others
            return await self._failed(record, "analysis", exc)
        # one story at a time decides events and novelty, in this process and across
        # every process sharing the database
        try:
            async with self._lock, self.store.decision_lock():
                await self.refresh_index()
                outcome = await self._decide(record, analysis)
        except ClaimWatchError as exc:
            if not isinstance(exc, InputError | PermanentError):
                raise  # the store is busy or down: every story would fail; retry the pass
            return await self._failed(record, "decision", exc)
        except Exception as exc:  # nor must a story the decision step cannot handle
            return await self._failed(record, "decision", exc)
        metrics.ALERTS_QUEUED.inc(len(outcome.alerts))
        return outcome

    async def _failed(self, record: StoryRecord, stage: str, exc: Exception) -> Outcome:
        """Record one story's failure: retried after a backoff, or quarantined once
        it has failed ``STORY_MAX_ATTEMPTS`` times. The stories after it go on."""
        s = self.settings
        attempts = int(record.extra.get("attempts", "0")) + 1
        reason = f"{stage}: {type(exc).__name__}: {exc}"[:500]
        retry_at: datetime | None = None
        if attempts < s.story_max_attempts:
            wait = min(s.story_retry_seconds * 2 ** (attempts - 1), MAX_RETRY_SECONDS)
            retry_at = self.clock() + timedelta(seconds=wait)
        log.error(
            "story #%d (%s): %s failed (attempt %d of %d): %s; %s",
            record.id,
            record.story.source,
            stage,
            attempts,
            s.story_max_attempts,
            reason,
            "quarantined" if retry_at is None else f"retry at {retry_at:%Y-%m-%d %H:%M:%S} UTC",
            exc_info=exc,
        )
        await self.store.mark_story_failed(record.id, reason, retry_at)
        status = "failed" if retry_at is not None else "quarantined"
        metrics.STORY_FAILURES.inc(stage=stage, result=status)
        return Outcome(record.id, record.story, status, why=reason, extra={"attempts": attempts})

    async def _decide(self, record: StoryRecord, analysis: Analysis) -> Outcome:
        story = record.story
        s = self.settings
        now = self.clock()
        if story.published is not None:
            day = story.published
        else:
            # an undated story belongs to the stream as it stands: the newest date seen,
            # which is today in a live service and the archive's date in a replay
            day = min(self._stream_day or now.date(), now.date())
            analysis = replace(analysis, features=replace(analysis.features, published=day))
        since = day - timedelta(days=s.event_window_days)  # a date out of range stops here
        # a storyline may come back weeks later (an investigation's findings): events
        # up to the follow-up horizon are candidates, on a stricter rule (assign_event)
        horizon = day - timedelta(days=max(s.event_window_days, s.event_followup_days))
        if story.published is not None:
            self._stream_day = max(self._stream_day or day, day)
        candidates = await self.store.recent_events(horizon)
        fingerprints = [
            f for f in await self.store.recent_fingerprints(since) if f.story_id != record.id
        ]
        decision: EventDecision = assign_event(
            analysis.features,
            candidates,
            fingerprints,
            threshold=s.event_similarity,
            duplicate_distance=s.duplicate_distance,
            window_days=s.event_window_days,
            followup_days=s.event_followup_days,
        )
        new_event = decision.event_id is None
        event_id = decision.event_id or f"ev{record.id}"
        title = (
            event_title(story.title, story.body)
            if new_event
            else next((c.title for c in candidates if c.id == event_id), story.title)
        )
        earlier = [] if new_event else await self.store.event_claims(event_id)
        wordings = [] if new_event else await self.store.event_wordings(event_id)
        # comparing with every earlier claim of a big event is CPU work: off the loop
        claims = await asyncio.to_thread(
            self._novelty, record.id, event_id, analysis.claims, earlier, wordings, now
        )
        if decision.duplicate_of is not None:
            claims = _all_repeats(claims, decision.duplicate_of)
        # a duplicate (another outlet's copy of a story) is all repeats: like any
        # story of repeats only, it is planned as an update of the first alerts
        outlets = await self.store.event_outlets(event_id) if not new_event else 0
        links = (Link(story.outlet_name, story.link),)
        page = self.event_page(event_id) if self.event_page is not None else None
        heard, denied = event_sides(earlier)
        plan = AlertPlan(
            event_id, title, new_event, max(outlets, 0) + 1, links, page, heard, denied
        )
        alerts = plan_alerts(self.index, story, analysis, claims, plan, min_salience=s.min_salience)
        known = {c.id for c in earlier}
        said = (
            await self.store.event_mentions(event_id, record.id)
            if unmatched_repeats(claims, known)
            else []
        )
        queued = await self.store.save_analysis(
            AnalysisRecord(
                story_id=record.id,
                analysis=analysis,
                event_id=event_id,
                new_event=new_event,
                event_title=title,
                duplicate_of=decision.duplicate_of,
                claims=tuple(claims),
                alerts=tuple(alerts),
                analysed_at=now,
                canonical=canonical_ids(claims, known, said),
            )
        )
        log.info(
            "story #%d → %s (%s); %d claims, %d fresh, %d alerts queued",
            record.id,
            event_id,
            decision.why,
            len(claims),
            sum(1 for c in claims if c.novelty is not Novelty.REPEAT),
            len(queued),
        )
        return Outcome(
            record.id,
            story,
            "duplicate" if decision.duplicate_of is not None else "analysed",
            event_id=event_id,
            duplicate_of=decision.duplicate_of,
            analysis=analysis,
            claims=tuple(claims),
            # outlet updates are no alerts of the story's own (they edit earlier ones)
            alerts=tuple(a for a in queued if not a.outlets_only),
            why=decision.why,
        )

    def _novelty(
        self,
        story_id: int,
        event_id: str,
        extracted: tuple[Claim, ...],
        earlier: list[CanonicalClaim],
        wordings: list[CanonicalClaim],
        now: datetime,
    ) -> list[Claim]:
        known = list(earlier)
        told = list(wordings)  # the repeats' own words, under the id they repeat
        out: list[Claim] = []

        def decide(claim: Claim) -> NoveltyDecision:
            return classify(
                claim,
                known,
                threshold=self.settings.claim_similarity,
                same_story={c.id for c in out if c.id is not None},
                gazetteer=self.gazetteer,
                wordings=told,
            )

        def pieces(claim: Claim) -> tuple[Claim, ...]:
            """A content holding two propositions, one told before and one not,
            is two claims, each with its own tag; otherwise it stays whole."""
            if len({decide(p).novelty is Novelty.REPEAT for p in claim.parts}) > 1:
                return claim.parts
            return (claim,)

        for claim in (p for whole in extracted for p in pieces(whole)):
            claim_id = f"c{story_id}.{len(out) + 1}"
            d = decide(claim)
            decided = replace(
                claim, id=claim_id, novelty=d.novelty, matches=d.matches, why=d.why, parts=()
            )
            out.append(decided)
            if d.novelty is Novelty.REPEAT and d.matches is not None:
                told.append(_canonical(claim, d.matches, event_id, now))
            if d.novelty is not Novelty.REPEAT:
                known.append(_canonical(claim, claim_id, event_id, now))
        return out


def _canonical(claim: Claim, claim_id: str, event_id: str, now: datetime) -> CanonicalClaim:
    """A claim as the novelty step compares with it, under ``claim_id``."""
    return CanonicalClaim(
        id=claim_id,
        event_id=event_id,
        speaker=claim.speaker,
        speaker_id=claim.speaker_id,
        stance=claim.stance,
        text=claim.text,
        entities=claim.entities,
        numbers=claim.numbers,
        first_seen=now,
        speaker_side=claim.speaker_side,
    )


def _all_repeats(claims: list[Claim], duplicate_of: int) -> list[Claim]:
    """A near-duplicate story brings nothing new: every claim is a repeat. A claim
    that matched one of this story's own claims now points where that one points
    (an earlier story's claim, or nothing: canonical_ids then joins the same words)."""
    own = {c.id: c.matches for c in claims if c.id is not None}
    out = []
    for c in claims:
        target = c.matches
        seen: set[str] = set()
        while target in own and target not in seen:
            seen.add(target)
            target = own[target]
        out.append(
            c
            if c.novelty is Novelty.REPEAT and target == c.matches
            else replace(
                c,
                novelty=Novelty.REPEAT,
                matches=target,
                why=c.why
                if c.novelty is Novelty.REPEAT
                else f"near-duplicate of story #{duplicate_of}",
            )
        )
    return out
