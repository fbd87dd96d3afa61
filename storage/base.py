"""The storage interface: one protocol per aggregate, and :class:`Store`, their
composition. The SQL lives in the aggregate modules (:mod:`storage.stories`,
:mod:`storage.analysis`, …), written once for both engines.

Every method returns the value types of :mod:`bot.models`, never raw rows.
Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.analysis.canonical import EarlierMention
from bot.models import (
    DEFAULT_LEVEL,
    Alert,
    Analysis,
    CanonicalClaim,
    ChatRef,
    Claim,
    ClaimOrigin,
    ClaimsAnswer,
    ClaimView,
    DeliveryPrefs,
    Entity,
    EventCandidate,
    EventSummary,
    EventView,
    HealthFigures,
    LeaseOwner,
    OutboxItem,
    Story,
    StoryFingerprint,
    StoryRecord,
    Subscription,
    WatchLevel,
    WatchTarget,
    WatchTerm,
)
from bot.sources import Feed, FeedPoll

OUTBOX_CHANNEL = "claimwatch_outbox"
"""What a store that can notify (PostgreSQL) notifies when alerts are queued."""


@dataclass(frozen=True, slots=True)
class AnalysisRecord:
    """Everything the analysis of one story decided, written in one transaction.

    ``event_id`` is the event the story joins; when ``new_event`` is true the
    event row is created with ``event_title``. ``claims`` carry their final
    ``id``, ``novelty`` and ``matches``; ``canonical`` holds, for each claim, the
    canonical claim it belongs to (decided by
    :func:`bot.analysis.canonical.canonical_ids`): its own id makes it a
    canonical claim of its own, another id adds a source to that earlier claim.
    ``alerts`` are queued in the outbox in the same transaction; an alert whose
    ``key`` is already in the outbox is skipped (and not returned).
    """

    story_id: int
    analysis: Analysis
    event_id: str
    new_event: bool
    event_title: str
    duplicate_of: int | None
    claims: tuple[Claim, ...]
    alerts: tuple[Alert, ...]
    analysed_at: datetime
    canonical: tuple[str, ...]


class StoryStore(Protocol):
    """Stories as ingested, waiting for analysis and leased to one process."""

    async def find_story(self, url: str | None, body_hash: str) -> StoryRecord | None:
        """A story already ingested with the same URL or the same normalised body."""

    async def add_story(self, story: Story, now: datetime) -> int:
        """Record a story (status ``pending``); return its id."""

    async def pending_stories(self, limit: int) -> list[StoryRecord]:
        """Stories awaiting analysis, oldest first (another process may have added them),
        and failed stories whose retry time has come."""

    async def lease_story(self, story_id: int) -> bool:
        """Take a pending story for analysis by this process; False when another
        process holds it (or it is no longer pending)."""

    async def mark_story_failed(
        self, story_id: int, reason: str, retry_at: datetime | None = None
    ) -> int:
        """Record a failed analysis of a story (``status`` failed, one more attempt,
        ``reason`` as its last error; its lease released). With ``retry_at`` it is
        offered by :meth:`pending_stories` again from then on; without, it is
        quarantined (reported as status ``quarantined``) and never offered again.
        Returns the attempts so far."""

    async def story_failure_counts(self) -> dict[str, int]:
        """Stories waiting for a retry (``failed``) and given up on (``quarantined``)."""

    async def failed_stories(self, limit: int) -> list[StoryRecord]:
        """Stories whose analysis failed — waiting for a retry or quarantined — oldest
        first, with their attempts and last reason (``extra``)."""

    async def retry_stories(self, story_ids: Sequence[int] | None) -> list[int]:
        """Offer failed stories to the analysis again, from a clean slate (no attempts,
        no reason, no lease): those of ``story_ids`` that failed, or with None every
        quarantined story. Returns the ids put back, in order."""

    async def recent_story_texts(self, limit: int) -> list[str]:
        """Title and body (``title + "\n\n" + body``) of the ``limit`` stories
        ingested last, newest first: how common a phrase is in the news lately."""

    async def story(self, story_id: int) -> StoryRecord | None: ...


class AnalysisStore(Protocol):
    """What the contextual analysis reads, and the one write of its result."""

    async def recent_events(self, since: date) -> list[EventCandidate]:
        """Events with a story published (or ingested) on or after ``since``."""

    async def recent_fingerprints(self, since: date) -> list[StoryFingerprint]: ...

    async def event_claims(self, event_id: str) -> list[CanonicalClaim]:
        """The canonical claims of an event, oldest first."""

    async def event_wordings(self, event_id: str) -> list[CanonicalClaim]:
        """The other wordings of the event's canonical claims: each mention that
        repeated one, with its own speaker, side, stance and text and the id
        (and entities, figures) of the claim it repeats, oldest first."""

    async def event_outlets(self, event_id: str) -> int:
        """How many distinct outlets cover the event so far."""

    async def event_mentions(self, event_id: str, story_id: int) -> list[EarlierMention]:
        """The event's claim mentions by stories other than ``story_id``, oldest first."""

    async def save_analysis(self, record: AnalysisRecord) -> list[Alert]:
        """Write one story's analysis and queue its alerts, atomically.
        Returns the alerts actually queued (new idempotency keys only)."""


class SubscriptionStore(Protocol):
    """Chats, their watches and their settings."""

    async def add_subscription(
        self,
        chat: ChatRef,
        target: WatchTarget,
        now: datetime,
        level: WatchLevel = DEFAULT_LEVEL,
        *,
        filters: Sequence[WatchTerm] = (),
    ) -> tuple[Subscription, bool]:
        """Watch ``target`` with its +/- ``filters`` in ``chat`` at ``level``; the bool
        says whether it is new (the same target with the same terms, in any order, is
        not; a watch already there keeps its level)."""

    async def set_subscription_level(
        self, chat: ChatRef, key: str, level: WatchLevel, filters: Sequence[WatchTerm] = ()
    ) -> Subscription | None:
        """Change the level of the watch of ``key`` with exactly these terms; None when
        the chat has no such watch."""

    async def remove_subscription(
        self, chat: ChatRef, key: str, filters: Sequence[WatchTerm] = ()
    ) -> bool:
        """Stop the watch of ``key`` with exactly these terms (none: the plain watch)."""

    async def chat_subscriptions(self, chat: ChatRef) -> list[Subscription]: ...

    async def chats(self) -> list[ChatRef]:
        """Every chat with a subscription (paused too) or stored settings, in order."""

    async def subscriptions_changed_since(
        self, version: int
    ) -> tuple[int, list[Subscription], list[int]]:
        """(current version, added or changed subscriptions, removed ids) since ``version``."""

    async def set_chat_paused(
        self, chat: ChatRef, paused: bool, reason: str | None, *, whole: bool = False
    ) -> int:
        """Pause or resume every subscription of a chat; returns how many changed.
        ``whole``: of every part of the chat too (its forum topics)."""

    async def migrate_chat(self, old: ChatRef, new: ChatRef) -> int:
        """Move a chat's subscriptions to a new chat id (Telegram supergroup migration)."""

    async def mute_chat(self, chat: ChatRef, until: datetime | None) -> None: ...

    async def chat_muted_until(self, chat: ChatRef) -> datetime | None: ...


class QueryStore(Protocol):
    """What the chat commands read: entities, claims, events."""

    async def find_entity(self, name: str) -> Entity | None:
        """An entity seen in stories whose name or alias equals ``name`` (case-insensitive)."""

    async def entity(self, entity_id: str) -> Entity | None: ...

    async def entity_names(self) -> list[tuple[str, str]]:
        """(name or alias, entity id) for every known entity, for suggestions."""

    async def claims_about(self, entity_key: str, limit: int) -> list[ClaimView]:
        """Latest canonical claims whose speaker or content is about the entity
        (or, for a keyword key, whose text contains the phrase), newest first."""

    async def claims_by_event(self, subject: str, max_events: int, per_event: int) -> ClaimsAnswer:
        """The claims about ``subject`` (an entity id or a keyword phrase) grouped
        by event, newest event first, the most telling claims of each first
        (:meth:`storage.queries.Queries.claims_by_event`)."""

    async def event_view(self, event_id: str) -> EventView | None: ...


class FeedStore(Protocol):
    """The feeds the service polls and the entries already taken."""

    async def add_feed(
        self, url: str, now: datetime, added_by: str | None = None, title: str | None = None
    ) -> tuple[Feed, bool]:
        """Poll ``url`` from now on (first poll due at once); the bool says whether it is new."""

    async def remove_feed(self, url: str) -> bool: ...

    async def list_feeds(self) -> list[Feed]:
        """Every feed with its health (errors in a row, last error, last good poll)."""

    async def due_feeds(self, now: datetime, limit: int, lease_seconds: float) -> list[Feed]:
        """Claim up to ``limit`` feeds whose poll is due: their next poll moves
        ``lease_seconds`` ahead so no other poller takes them meanwhile;
        :meth:`record_poll` then sets the real next poll."""

    async def record_poll(self, poll: FeedPoll) -> None: ...

    async def schedule_feeds(self, at: datetime, url: str | None = None) -> int:
        """Move the next poll of one feed (or all) to ``at``; returns how many."""

    async def seen_entry(self, keys: Sequence[str]) -> bool:
        """Whether a feed entry with any of these keys (GUID, link) was taken before."""

    async def mark_entry_seen(
        self, feed_id: int | None, keys: Sequence[str], now: datetime
    ) -> None: ...

    async def forget_entries(self, before: datetime) -> int:
        """Drop seen-entry keys older than ``before``; returns how many."""


class OutboxStore(Protocol):
    """Queued alerts, their delivery, pauses and digests."""

    def set_delivery_platforms(self, platforms: Collection[str] | None) -> None:
        """Lease only alerts for these platforms from now on (None: every platform)."""

    async def claim_due_alerts(
        self, now: datetime, limit: int, lease_seconds: float
    ) -> list[OutboxItem]:
        """Lease up to ``limit`` alerts that are due (pending, retry time passed,
        or lease expired), oldest first per chat; chats that are muted or paused are skipped.
        Each carries the message id of its event's first alert in the chat, if any
        (``reply_to``), and whether that message may be edited (``first_editable``)."""

    async def mark_sent(
        self, item_id: int, message_id: str | None, now: datetime, sent_as: str = "message"
    ) -> None:
        """Record a row delivered: ``sent_as`` says how (``message``, ``reply``,
        ``quiet``, ``edit`` of the first alert ``message_id``)."""

    async def event_last_sent(self, chat: ChatRef, event_id: str) -> datetime | None:
        """When the event's last row went out to ``chat`` (message, reply or edit)."""

    async def event_alerts(self, chat: ChatRef, event_id: str) -> list[tuple[Alert, str | None]]:
        """The alerts of an event sent to ``chat``, in the order sent, each with
        how it was sent (``mark_sent``'s ``sent_as``; None before it was kept)."""

    async def mark_retry(self, item_id: int, at: datetime, error: str) -> None: ...

    async def mark_undeliverable(self, item_id: int, reason: str, now: datetime) -> None: ...

    async def outbox_counts(self) -> dict[str, int]:
        """Rows per status (pending, sent, retry, undeliverable)."""

    async def enqueue_alerts(self, alerts: Sequence[Alert], now: datetime) -> list[Alert]:
        """Queue alerts outside an analysis (tools, benches); an alert whose
        ``key`` is already in the outbox is skipped. Returns the alerts queued."""

    async def defer_alert(
        self, item_id: int, at: datetime, reason: str, hold: str | None = None
    ) -> None:
        """Give a leased row back until ``at`` without counting the attempt (a
        rate-limit pause, a pacing wait). With ``hold`` the row waits for a digest
        (``digest``, ``quiet`` or ``flood``): when it is due again it is sent
        together with every open row of its chat as one message."""

    async def release_held(self, chat: ChatRef, now: datetime) -> int:
        """Make a chat's held rows due now (its digest or quiet settings changed)."""

    async def hold_open_alerts(self, chat: ChatRef, hold: str, at: datetime) -> int:
        """Hold a chat's open rows that no sender has leased, due at ``at``, so its
        next lease sends them as a digest."""

    async def open_alerts(self, chat: ChatRef, limit: int) -> list[OutboxItem]:
        """A chat's undelivered rows (pending or retry), oldest first."""

    async def open_alert_count(self, chat: ChatRef) -> int: ...

    async def mark_sent_many(
        self,
        item_ids: Sequence[int],
        message_id: str | None,
        now: datetime,
        sent_as: str = "digest",
    ) -> None:
        """Mark rows sent together (a digest) in one transaction."""

    async def messages_sent_since(self, chat: ChatRef, since: datetime) -> int:
        """Messages (a digest counts once) delivered to ``chat`` at or after ``since``."""

    async def recent_sends(self, since: datetime) -> list[tuple[ChatRef, datetime]]:
        """(chat, when) of every message delivered at or after ``since``, oldest
        first (a digest once), so a restarted dispatcher knows each chat's pace."""

    async def pause_delivery(self, scope: str, until: datetime, reason: str) -> None:
        """Persist a rate-limit pause of ``scope`` (a platform, or ``platform:chat``);
        a later ``until`` already stored is kept. :meth:`claim_due_alerts` skips
        the rows of a paused scope until then."""

    async def delivery_pauses(self, now: datetime) -> dict[str, datetime]:
        """Pauses still in force at ``now``: scope → until."""

    async def chat_delivery(self, chat: ChatRef) -> DeliveryPrefs: ...

    async def set_chat_delivery(self, chat: ChatRef, prefs: DeliveryPrefs) -> None: ...


class PageStore(Protocol):
    """What the event pages read (with event_view, claims_about and entity)."""

    async def claim_origins(self, claim_ids: Sequence[str]) -> dict[str, ClaimOrigin]:
        """For each canonical claim named: the novelty and ``matches`` of its first
        mention and the day of the first story that carried it."""

    async def entity_events(
        self, entity_id: str, limit: int, min_salience: float
    ) -> list[EventSummary]:
        """The events most recently covered that are about the entity (a story in
        which it is salient or in the title, or a claim by or about it), with their
        counts and newest three claims, the most recent first."""

    async def event_entities(self, event_id: str, limit: int) -> list[Entity]:
        """The entities the event's stories are most about (summed salience)."""

    async def pages_secret(self, candidate: str, now: datetime) -> str:
        """The key page links are signed with: the one stored in the database, else
        ``candidate``, stored now (every process sharing the database agrees)."""


class CoordinationStore(Protocol):
    """Processes sharing the database take turns."""

    def decision_lock(self) -> AbstractAsyncContextManager[None]:
        """Held while a story's event and novelty are decided and saved, so two
        processes sharing the database never both open the same event or both call
        the same claim new."""

    async def try_lease(self, name: str, seconds: float, now: datetime | None = None) -> bool:
        """Take or renew the named lease for ``seconds`` (e.g. ``feed:<url>``); True
        when this store holds it now. Another store gets it only after it expires."""

    async def release_lease(self, name: str) -> None: ...

    async def claim_once(self, name: str, seconds: float, now: datetime | None = None) -> bool:
        """Mark ``name`` (an inbound event's id) handled for ``seconds``; True only
        for the first store, in any process on the database, that claims it."""


class LivenessStore(Protocol):
    """Lease owners, heartbeats, per-process metrics, health (bot/liveness.py)."""

    instance_id: str
    """This store's lease owner id: what its story and outbox leases carry."""

    async def register_lease_owner(self, owner: LeaseOwner) -> None:
        """Record (or refresh) a running process that holds leases."""

    async def renew_lease_owner(self, owner_id: str, now: datetime) -> bool:
        """Renew its heartbeat; False when its row is gone (its leases were taken)."""

    async def lease_owners(self) -> list[LeaseOwner]: ...

    async def database_time(self) -> datetime:
        """The clock heartbeats are written in (PostgreSQL: the server's ``now()``)."""

    async def release_leases_of(self, owner_ids: Sequence[str]) -> tuple[int, int]:
        """Take over the leases of gone owners: clear their story and outbox leases,
        remove them, keep their counters; ``(stories, alerts)`` released."""

    async def leased_alerts(self) -> list[tuple[int, str, str | None]]:
        """``(id, key, owner)`` of every open outbox row under a lease."""

    async def save_process_metrics(self, owner_id: str, samples: Mapping[str, float]) -> None:
        """Write one process's current counter samples (``name{labels}`` → value)."""

    async def process_metric_totals(self, exclude: str | None = None) -> dict[str, float]:
        """Every sample summed over all processes (gone ones too), except ``exclude``."""

    async def health_figures(self, now: datetime) -> HealthFigures: ...


class Store(
    StoryStore,
    AnalysisStore,
    SubscriptionStore,
    QueryStore,
    PageStore,
    FeedStore,
    OutboxStore,
    CoordinationStore,
    LivenessStore,
    Protocol,
):
    """The whole store: every aggregate, plus its schema."""

    async def upgrade(self) -> int:
        """Apply pending numbered migrations; return the schema version."""

    async def schema_version(self) -> int: ...

    async def close(self) -> None: ...
