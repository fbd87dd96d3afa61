"""The value types that cross boxes.

Every box of the flow (ingest -> analyse -> store -> match -> outbox -> deliver)
hands one of these to the next. They are frozen: a box that needs a changed
value makes a new one with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Stance(StrEnum):
    ASSERT = "assert"
    DENY = "deny"
    CONFIRM = "confirm"
    QUESTION = "question"


class Novelty(StrEnum):
    NEW = "new"
    UPDATE = "update"
    CONTRADICTION = "contradiction"
    REPEAT = "repeat"


FRESH = frozenset({Novelty.NEW, Novelty.UPDATE, Novelty.CONTRADICTION})

_WS = re.compile(r"\s+")
_COMMAND_NAME = re.compile(r"^/([a-z_]{1,32})(?:@\w+)?$")  # "/watch", "/watch@somebot"


def normalise_body(text: str) -> str:
    """The form of a body used to recognise the same story twice."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return _WS.sub(" ", text).strip()


def body_hash(text: str) -> str:
    return hashlib.sha256(normalise_body(text).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- stories


@dataclass(frozen=True, slots=True)
class Story:
    """One article as ingested, before analysis."""

    source: str  # the path or URL it was read from, as given
    title: str
    body: str
    url: str | None = None
    outlet: str | None = None
    published: date | None = None

    @property
    def link(self) -> str:
        """What an alert links to: the article URL, else the file it came from."""
        return self.url or self.source

    @property
    def body_hash(self) -> str:
        return body_hash(self.body)

    @property
    def outlet_name(self) -> str:
        if self.outlet:
            return self.outlet
        if self.url:
            host = re.sub(r"^https?://(www\.)?", "", self.url).split("/")[0]
            if host:
                return host
        return self.source.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True, slots=True)
class Entity:
    """A thing stories are about. ``id`` is stable across stories and runs
    (``gpe:china``, ``person:zelensky``, ``org:nato``)."""

    id: str
    name: str
    type: str  # GPE, PERSON, ORG, NORP, LOC, ...


@dataclass(frozen=True, slots=True)
class Mention:
    """One place in a story's text that refers to an entity."""

    entity: Entity
    text: str  # the surface form ("Beijing", "Chinese")
    start: int  # character offsets into Analysis.text
    end: int
    sentence: int  # index of the sentence in the story


@dataclass(frozen=True, slots=True)
class EntityStat:
    """How much a story is about one entity."""

    entity: Entity
    mentions: int
    salience: float  # 0..1; a passing mention scores low
    in_title: bool = False


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True, slots=True)
class Claim:
    """An attributed claim. Extraction fills the first block; the novelty step
    fills ``id``, ``novelty``, ``matches`` and ``why``."""

    speaker: str  # display name ("Volodymyr Zelensky", "China", "The Guardian")
    cue: str  # the cue as written ("said", "according to", "dismissed")
    stance: Stance
    direct: bool  # a direct quote
    text: str  # the content of the claim, not the whole sentence
    speaker_id: str | None = None  # entity id of the speaker, when linked
    entities: tuple[str, ...] = ()  # entity ids the claim is about (speaker excluded)
    numbers: tuple[float, ...] = ()  # normalised figures in the content
    sentence: int = 0
    id: str | None = None
    novelty: Novelty | None = None
    matches: str | None = None  # id of the earlier canonical claim
    why: str | None = None
    speaker_side: str | None = None  # entity id of the side the speaker speaks for
    # the propositions the content holds when it holds several ("A,” she said.
    # “B."): the novelty step tells them apart when one is news and one is not
    parts: tuple[Claim, ...] = ()


@dataclass(frozen=True, slots=True)
class CanonicalClaim:
    """A proposition already known, as the novelty step sees it."""

    id: str
    event_id: str
    speaker: str
    speaker_id: str | None
    stance: Stance
    text: str
    entities: tuple[str, ...]
    numbers: tuple[float, ...]
    first_seen: datetime
    sources: int = 1
    speaker_side: str | None = None  # entity id of the side the speaker speaks for


@dataclass(frozen=True, slots=True)
class NoveltyDecision:
    novelty: Novelty
    matches: str | None
    similarity: float
    why: str


# --------------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class EventFeatures:
    """What the event step compares: weighted terms (entity ids and content
    lemmas), a near-duplicate fingerprint and the date."""

    terms: dict[str, float]
    fingerprint: int
    published: date | None = None


@dataclass(frozen=True, slots=True)
class EventCandidate:
    """A recent event, with the merged features of its stories."""

    id: str
    title: str
    terms: dict[str, float]
    last_seen: date
    stories: int = 1
    # the day of its earliest story: a story that arrives late (a backfill, a slow
    # feed) is as close to the event as the event's whole span of days
    first_seen: date | None = None


@dataclass(frozen=True, slots=True)
class StoryFingerprint:
    story_id: int
    fingerprint: int
    event_id: str | None


@dataclass(frozen=True, slots=True)
class EventDecision:
    event_id: str | None  # None: start a new event
    similarity: float
    duplicate_of: int | None  # story id of the story this one repeats
    why: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """The context-free analysis of one story (no store needed)."""

    text: str  # the analysed text: title, blank line, body
    entities: tuple[EntityStat, ...]
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    features: EventFeatures


# --------------------------------------------------------------------------- chats


#: Separates a chat's id from the part of it an address names (``-1001234/42``).
PART_SEPARATOR = "/"


@dataclass(frozen=True, slots=True)
class ChatRef:
    """Where alerts and replies go: a chat, or one part of a chat that keeps its
    own watches and settings (a Telegram forum topic), written
    ``{chat id}/{part}``. Platform ids never contain the separator."""

    platform: str  # "console", "telegram", "slack"
    chat_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.chat_id}"

    @property
    def part(self) -> str | None:
        """The part of the chat this address names (a forum topic's id), if any."""
        _, sep, part = self.chat_id.partition(PART_SEPARATOR)
        return part if sep else None

    @property
    def whole(self) -> ChatRef:
        """The whole chat (itself when it names no part)."""
        base, sep, _ = self.chat_id.partition(PART_SEPARATOR)
        return ChatRef(self.platform, base) if sep else self

    def with_part(self, part: str | None) -> ChatRef:
        """The address of ``part`` of this chat (the whole chat for None)."""
        base = self.whole
        return ChatRef(base.platform, f"{base.chat_id}{PART_SEPARATOR}{part}") if part else base


@dataclass(frozen=True, slots=True)
class DeliveryPrefs:
    """How a chat wants its alerts: at once or as a digest, quiet hours, time zone.

    Times are local wall-clock ``HH:MM`` in ``timezone`` (an IANA name)."""

    digest: str = "off"  # off | hourly | daily
    digest_time: str | None = None  # HH:MM, for daily digests
    quiet_start: str | None = None  # HH:MM; quiet hours may wrap midnight
    quiet_end: str | None = None
    timezone: str = "UTC"


@dataclass(frozen=True, slots=True)
class WatchTarget:
    """What a subscription watches: an entity, or a keyword phrase when the
    name is no known entity."""

    kind: str  # "entity" | "keyword"
    key: str  # entity id, or the normalised phrase
    name: str  # display name


class WatchLevel(StrEnum):
    """How much of an event a watch notifies about.

    ``events``: only a new event notifies; later developments update its first
    alert in place. ``major`` (the default): a new event and its major
    developments (a denial, an updated figure, a side heard for the first time)
    notify; lesser news updates the first alert. ``all``: every fresh claim
    notifies."""

    EVENTS = "events"
    MAJOR = "major"
    ALL = "all"


DEFAULT_LEVEL = WatchLevel.MAJOR


@dataclass(frozen=True, slots=True)
class WatchTerm:
    """A ``+`` or ``-`` term of a watch (``/watch china -taiwan``): a story of the
    watched target alerts only when every required term is salient in it and no
    excluded one is."""

    required: bool  # True for +NAME, False for -NAME
    target: WatchTarget

    @property
    def sign(self) -> str:
        return "+" if self.required else "-"


def canonical_terms(terms: Iterable[WatchTerm]) -> tuple[WatchTerm, ...]:
    """``terms`` in the one order a watch keeps them (``+`` before ``-``, then by
    kind and key), each (sign, kind, key) once: two watches with the same terms
    written in another order are the same watch."""
    seen: dict[tuple[str, str, str], WatchTerm] = {}
    for term in terms:
        seen.setdefault(term_key(term), term)
    return tuple(seen[k] for k in sorted(seen))


def term_key(term: WatchTerm) -> tuple[str, str, str]:
    """What makes a term the same term: its sign, kind and key (not its display name)."""
    return (term.sign, term.target.kind, term.target.key)


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    chat: ChatRef
    target: WatchTarget
    paused: bool = False
    created: datetime | None = None
    level: WatchLevel = DEFAULT_LEVEL
    filters: tuple[WatchTerm, ...] = ()  # in :func:`canonical_terms` order


# --------------------------------------------------------------------------- messages


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text. Adapters escape ``text`` for their markup."""

    text: str
    url: str | None = None
    bold: bool = False
    code: bool = False


Line = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a message. Pressing it is the command ``/{action} {arg}``;
    a button with a ``url`` opens that address instead (an adapter that cannot
    open links falls back to the command)."""

    label: str
    action: str  # "sources", "mute", "unwatch", "event"
    arg: str
    url: str | None = None
    row: int = 0  # buttons with the same row number sit side by side, rows in order
    #: After a press whose command succeeded, the message the button is on is
    #: replaced by this command's answer (a settings panel shows its new state),
    #: where the platform can edit messages; else the answer comes as a reply.
    refresh: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a :class:`FormField` that offers a choice."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class FormField:
    """One setting a :class:`Form` asks for: a choice among ``choices``, or free
    text when there are none (``optional``: it may be left empty)."""

    name: str  # the NAME of ``NAME=VALUE`` in the form's command
    label: str
    value: str  # the current value (a choice's ``value``, or the text)
    choices: tuple[Choice, ...] = ()
    hint: str = ""
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Form:
    """Settings a platform with forms (Slack's modals) can show as one form;
    submitting it runs ``/{command} NAME=VALUE ...`` with every field. Platforms
    without forms show the reply's lines and buttons instead."""

    title: str
    command: str
    fields: tuple[FormField, ...]


def _plain(lines: tuple[Line, ...]) -> str:
    out = []
    for line in lines:
        parts = []
        for span in line:
            if span.url and span.url != span.text:
                parts.append(f"{span.text} <{span.url}>")
            else:
                parts.append(span.text)
        out.append("".join(parts))
    return "\n".join(out)


@dataclass(frozen=True, slots=True)
class FileData:
    """A file sent with a reply (``/export``) or received with a command
    (``/import``). ``problem`` says why a received file could not be read (too
    large, the download failed); its ``data`` is empty then."""

    name: str
    data: bytes
    mime: str = "application/json"
    problem: str | None = None

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler answers: platform-neutral rich text, and maybe a file
    (adapters send it after the text, :meth:`bot.adapters.base.Adapter.send_file`)."""

    lines: tuple[Line, ...]
    ok: bool = True
    buttons: tuple[Button, ...] = ()
    file: FileData | None = None
    #: The command changed the chat (its watches or settings), so the chat
    #: should see the answer; set by the router from the registry. Platforms
    #: that can answer the asker alone (Slack's ephemeral messages) show every
    #: other reply to the asker only, unless asked to share it.
    changed: bool = False
    #: The same settings as a form, for platforms that have forms.
    form: Form | None = None
    #: ``(field name, why)`` for each field of a submitted form that was refused.
    errors: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, *lines: str, ok: bool = True) -> Reply:
        return cls(tuple((Span(line),) for line in lines), ok=ok)

    @classmethod
    def error(cls, *lines: str) -> Reply:
        return cls.text(*lines, ok=False)

    @property
    def plain(self) -> str:
        return _plain(self.lines)


@dataclass(frozen=True, slots=True)
class ChatSummary:
    """A chat's watches and settings in a few lines, for an overview of several chats."""

    chat: ChatRef
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class AlertClaim:
    claim_id: str
    speaker: str
    text: str
    tag: str  # NEW, UPDATE, DENIAL
    stance: Stance = Stance.ASSERT


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert for one chat about one story."""

    chat: ChatRef
    watch: str  # display name of what the chat watches
    watch_key: str
    event_id: str
    event_title: str
    story_title: str
    claims: tuple[AlertClaim, ...]
    links: tuple[Link, ...]
    outlets: int
    new_event: bool
    key: str  # idempotency key: (chat, event, claim set)
    lines: tuple[Line, ...] = ()
    buttons: tuple[Button, ...] = ()
    #: the watch's level when the alert was planned, and whether the story is a
    #: major development of its event (a new event, a denial, an updated figure,
    #: a side heard for the first time): together they decide whether a
    #: follow-up notifies or updates the event's first alert (bot.delivery.attention)
    level: WatchLevel = DEFAULT_LEVEL
    major: bool = True
    more_claims: int = 0  # a living summary: claims of the event not shown in it
    #: a story that brings no fresh claim, only one more outlet: it updates the
    #: event's first alert (outlet count, links) and is never a message of its own
    outlets_only: bool = False

    @property
    def text(self) -> str:
        return _plain(self.lines)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    alert: Alert
    attempts: int = 0
    reply_to: str | None = None  # platform message id of the event's first alert
    #: the first alert was a message of its own that later news may edit (not a
    #: digest, and no edit of it has failed)
    first_editable: bool = False
    hold: str | None = None  # held for a digest: "digest", "quiet" or "flood"


@dataclass(frozen=True, slots=True)
class StartLinks:
    """The beginnings of links that open the bot and run a command, where the
    platform has them (Telegram: ``https://t.me/<bot>?start=`` for a private
    chat, ``?startgroup=`` to add the bot to a group): a payload of
    :func:`bot.start_links.encode_payload` completes one."""

    private: str
    group: str


@dataclass(frozen=True, slots=True)
class Command:
    """An incoming chat command, platform-neutral."""

    platform: str
    chat_id: str
    user_id: str
    text: str  # "/watch china" (the bot mention already stripped)
    chat_type: str = "private"  # private | group | channel
    is_admin: bool = True
    user_name: str | None = None
    reply_to: str | None = None
    received: datetime | None = None
    prefix: str = "/"  # how users type a command here ("/claimwatch " in Slack)
    start_links: StartLinks | None = None  # links that run a command, where the platform has them
    file: FileData | None = None  # a file sent with the command (or the message it replies to)

    @property
    def chat(self) -> ChatRef:
        return ChatRef(self.platform, self.chat_id)

    @property
    def name(self) -> str:
        """The command's name (``/Watch@bot china`` → ``watch``); "" when the text is
        no command."""
        first = self.text.strip().split(maxsplit=1)
        match = _COMMAND_NAME.match(first[0].casefold()) if first else None
        return match.group(1) if match else ""

    def usage(self, text: str) -> str:
        """A command as the user would type it on this platform: ``usage("watch china")``."""
        return f"{self.prefix}{text}"


# --------------------------------------------------------------------------- views


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str
    outlet: str
    published: date | None = None


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A canonical claim as /claims and /event show it."""

    id: str
    event_id: str
    speaker: str
    text: str
    stance: Stance
    first_seen: datetime
    sources: tuple[Source, ...] = ()
    figures: tuple[float, ...] = ()
    cue: str = ""  # the verb it was said with: "blamed the US for …" reads with it
    novelty: Novelty | None = None  # how it entered its event (its first mention's novelty)
    new_side: bool = False  # the first claim of its side in an event others spoke in before

    @property
    def first_source(self) -> Source | None:
        """The story that published it first: the earliest publication date among
        its sources; when none has a date, the first story we took in."""
        dated = [s for s in self.sources if s.published is not None]
        if dated:
            return min(dated, key=lambda s: s.published or date.min)
        return self.sources[0] if self.sources else None

    @property
    def outlets(self) -> int:
        """How many outlets carried it."""
        return len({s.outlet for s in self.sources})


@dataclass(frozen=True, slots=True)
class EventClaims:
    """One event's claims about a subject, as /claims shows them: the few
    shown (denials, updates and new sides first, then the newest) and how many
    there are in all."""

    id: str
    title: str
    claims: tuple[ClaimView, ...]
    total: int


@dataclass(frozen=True, slots=True)
class ClaimsAnswer:
    """The events with claims about a subject, newest event first, and how
    many events have such claims in all."""

    events: tuple[EventClaims, ...]
    total_events: int


@dataclass(frozen=True, slots=True)
class ClaimOrigin:
    """How a canonical claim entered its event: the novelty decided for its first
    mention, the earlier claim that it updates or disputes (``matches``), and the
    day of the first story that carried it (its publication date, else the day
    the story counted for)."""

    novelty: Novelty | None
    matches: str | None
    day: date


@dataclass(frozen=True, slots=True)
class EventSummary:
    """An event as an entity's page lists it: its span, how much coverage it has,
    and its newest claims (newest first)."""

    id: str
    title: str
    first_day: date
    last_day: date
    stories: int
    outlets: int
    claims: int
    latest: tuple[ClaimView, ...] = ()


@dataclass(frozen=True, slots=True)
class EventView:
    id: str
    title: str
    first_seen: datetime
    last_seen: datetime
    claims: tuple[ClaimView, ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryRecord:
    id: int
    story: Story
    status: str  # pending | analysed | duplicate | failed (retrying) | quarantined
    event_id: str | None = None
    ingested: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """One command of a platform's command menu (Telegram's setMyCommands)."""

    name: str
    description: str
    admins_only: bool = False  # in groups only the chat's admins may use it (it changes state)
    linkable: bool = False  # a link may carry it (Telegram's ``?start=`` payloads)
    takes_file: bool = False  # a file sent with it, or replied to by it, is downloaded for it


@dataclass(frozen=True, slots=True)
class LeaseOwner:
    """A running process that can hold leases (stories, outbox rows): who it
    is (``id``, the store's instance id), where (``host``: host name, boot and
    process namespace), which process (``pid`` and its start time), and when
    it last said it was alive."""

    id: str
    host: str
    pid: int
    pid_start: str | None
    role: str
    started_at: datetime
    heartbeat_at: datetime


@dataclass(frozen=True, slots=True)
class HealthFigures:
    """What /healthz and /metrics read from the store about progress."""

    oldest_pending_story_at: datetime | None  # ingested_at of the oldest waiting story
    last_analysed_at: datetime | None  # the latest story analysed (or found a duplicate)
    oldest_due_alert_at: datetime | None  # since when the oldest due outbox row waits
