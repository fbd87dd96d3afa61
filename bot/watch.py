"""Match analysed stories against subscriptions, and decide what deserves an alert.

Subscriptions are found through an index — entity id → subscriptions, and a
keyword automaton over the story text — never by looping over all of them.
The index updates incrementally as chats watch and unwatch.
"""

from __future__ import annotations

import hashlib
import math
import re
import string
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick

from bot.analysis.summary import alert_buttons, alert_claim, alert_lines, choose_shown
from bot.models import (
    FRESH,
    Alert,
    AlertClaim,
    Analysis,
    Button,
    CanonicalClaim,
    Claim,
    Line,
    Link,
    Novelty,
    Stance,
    Story,
    Subscription,
    WatchTarget,
    WatchTerm,
)


def normalise_phrase(text: str) -> str:
    """Keyword form: NFKC, case-folded, inner white space collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


_ASCII_WORD = frozenset(string.ascii_letters + string.digits + "_")
_ASCII_FOLD = bytes(c if chr(c) in _ASCII_WORD else 0x20 for c in range(256))


def _keyword_text(text: str) -> str:
    """Exactly :func:`normalise_phrase`, faster on ASCII text (most news copy):
    the words of a long story are found with one byte table instead of a regex."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if folded.isascii():
        return " ".join(folded.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split())
    return " ".join(re.findall(r"\w+", folded))


def phrase_in(phrase: str, text: str) -> bool:
    """Whether a keyword phrase (:func:`normalise_phrase` form) is in ``text`` as the
    index matches it: whole words, case-folded."""
    return f" {phrase} " in f" {_keyword_text(text)} "


class WatchIndex:
    """Subscriptions by entity id, plus an Aho-Corasick automaton of keyword phrases.

    Built for about 100k subscriptions that change one at a time:

    * entity id → subscription ids, with the sorted answer of a key cached
      until that key changes, so a story costs O(subscriptions it touches);
    * keyword phrases are matched by a large *base* automaton plus a small one
      of the phrases watched since the base was built. A new phrase rebuilds
      only the small automaton; the base is rebuilt when the small one holds
      more than about 2·√K of the K phrases (so a single watch costs O(√K),
      amortised), or when more than half of the base is no longer watched
      (unwatched phrases are filtered out until then).
    """

    MIN_RECENT = 128

    def __init__(self, subscriptions: Iterable[Subscription] = ()) -> None:
        self._subs: dict[int, Subscription] = {}
        self._by_key: dict[str, set[int]] = {}
        self._keywords: dict[str, set[int]] = {}
        self._answers: dict[tuple[bool, str], tuple[Subscription, ...]] = {}
        self._base: ahocorasick.Automaton | None = None
        self._base_phrases: frozenset[str] = frozenset()
        self._stale = 0  # phrases in the base that nobody watches any more
        self._recent: set[str] = set()  # watched phrases not in the base
        self._recent_automaton: ahocorasick.Automaton | None = None
        self.version = 0
        for sub in subscriptions:
            self.add(sub)

    def __len__(self) -> int:
        return len(self._subs)

    def add(self, sub: Subscription) -> None:
        if sub.id in self._subs:
            self.remove(sub.id)
        if sub.paused:
            return
        self._subs[sub.id] = sub
        if sub.target.kind == "keyword":
            phrase = normalise_phrase(sub.target.key)
            ids = self._keywords.get(phrase)
            if ids is None:
                ids = self._keywords[phrase] = set()
                self._phrase_added(phrase)
            ids.add(sub.id)
            self._answers.pop((True, phrase), None)
        else:
            self._by_key.setdefault(sub.target.key, set()).add(sub.id)
            self._answers.pop((False, sub.target.key), None)

    def remove(self, sub_id: int) -> None:
        sub = self._subs.pop(sub_id, None)
        if sub is None:
            return
        if sub.target.kind == "keyword":
            phrase = normalise_phrase(sub.target.key)
            ids = self._keywords.get(phrase, set())
            ids.discard(sub_id)
            self._answers.pop((True, phrase), None)
            if not ids:
                self._keywords.pop(phrase, None)
                self._phrase_removed(phrase)
        else:
            ids = self._by_key.get(sub.target.key, set())
            ids.discard(sub_id)
            self._answers.pop((False, sub.target.key), None)
            if not ids:
                self._by_key.pop(sub.target.key, None)

    def apply_changes(
        self, version: int, changed: Sequence[Subscription], removed: Sequence[int]
    ) -> None:
        for sid in removed:
            self.remove(sid)
        for sub in changed:
            self.add(sub)
        self.version = version

    def _answer(self, keyword: bool, key: str) -> tuple[Subscription, ...]:
        """The subscriptions on ``key``, by id (cached until the key changes)."""
        cached = self._answers.get((keyword, key))
        if cached is None:
            ids = (self._keywords if keyword else self._by_key).get(key, ())
            cached = tuple(self._subs[i] for i in sorted(ids))
            self._answers[(keyword, key)] = cached
        return cached

    def for_entities(self, entity_ids: Iterable[str]) -> list[Subscription]:
        out: list[Subscription] = []
        for eid in entity_ids:
            if eid in self._by_key:
                out.extend(self._answer(False, eid))
        return out

    # ------------------------------------------------------------ keywords

    def _phrase_added(self, phrase: str) -> None:
        if phrase in self._base_phrases:
            self._stale -= 1  # watched again: the base still has it
        else:
            self._recent.add(phrase)
            self._recent_automaton = None

    def _phrase_removed(self, phrase: str) -> None:
        if phrase in self._recent:
            self._recent.discard(phrase)
            self._recent_automaton = None
        elif phrase in self._base_phrases:
            self._stale += 1

    @staticmethod
    def _automaton(phrases: Iterable[str]) -> ahocorasick.Automaton:
        auto = ahocorasick.Automaton()
        for phrase in phrases:
            auto.add_word(f" {phrase} ", phrase)
        auto.make_automaton()
        return auto

    def _automata(self) -> list[ahocorasick.Automaton]:
        """The automata to run, rebuilding the base when it is due."""
        total = len(self._keywords)
        recent_cap = max(self.MIN_RECENT, 2 * math.isqrt(total))
        if (
            (self._base is None and total)
            or len(self._recent) > recent_cap
            or self._stale > max(self.MIN_RECENT, len(self._base_phrases) // 2)
        ):
            self._base_phrases = frozenset(self._keywords)
            self._base = self._automaton(self._base_phrases) if self._base_phrases else None
            self._stale = 0
            self._recent.clear()
            self._recent_automaton = None
        if self._recent and self._recent_automaton is None:
            self._recent_automaton = self._automaton(self._recent)
        out = [] if self._base is None else [self._base]
        if self._recent and self._recent_automaton is not None:
            out.append(self._recent_automaton)
        return out

    def keywords_in(self, text: str) -> set[str]:
        """Keyword phrases found in ``text`` on word boundaries."""
        if not self._keywords:
            return set()
        hay = f" {_keyword_text(text)} "
        found: set[str] = set()
        for auto in self._automata():
            found.update(phrase for _end, phrase in auto.iter(hay))
        if self._stale:
            found &= self._keywords.keys()
        return found

    def for_keywords(self, phrases: Iterable[str]) -> list[Subscription]:
        out: list[Subscription] = []
        for phrase in phrases:
            if phrase in self._keywords:
                out.extend(self._answer(True, phrase))
        return out


def _quoted(text: str) -> str:
    return f'"{text}"' if " " in text else text


def term_label(term: WatchTerm) -> str:
    """How a term is shown: ``-Taiwan``, ``+"North Korea"``."""
    return f"{term.sign}{_quoted(term.target.name)}"


def watch_label(target: WatchTarget, terms: Sequence[WatchTerm]) -> str:
    """How a watch is shown: ``China -Taiwan +"North Korea"``."""
    return " ".join([target.name, *map(term_label, terms)])


def watch_spec(target: WatchTarget, terms: Sequence[WatchTerm]) -> str:
    """The watch by its keys, as ``/unwatch`` reads it back (an alert's Unwatch
    button): ``gpe:china -gpe:taiwan +"south china sea"``."""
    return " ".join([target.key, *(f"{t.sign}{_quoted(t.target.key)}" for t in terms)])


def terms_hold(terms: Sequence[WatchTerm], salient: frozenset[str], lead: str) -> bool:
    """Whether a story passes a watch's +/- terms: every ``+`` term salient in it and
    no ``-`` term. An entity is salient when it is among ``salient`` (the story's
    entities at or above the salience threshold); a phrase when it is in ``lead``
    (the story's opening in keyword form, spaces around), as for a phrase watch."""
    for term in terms:
        target = term.target
        found = f" {target.key} " in lead if target.kind == "keyword" else target.key in salient
        if found != term.required:
            return False
    return True


@dataclass(frozen=True, slots=True)
class AlertPlan:
    event_id: str
    event_title: str
    new_event: bool
    outlets: int
    links: tuple[Link, ...]
    page: str | None = None  # the event page's address, when pages are on
    #: the sides (speaker_side, else speaker_id) heard in the event's earlier
    #: stories, and those of them that denied or disputed something there
    heard: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()


def claim_side(claim: Claim | CanonicalClaim) -> str | None:
    """The side a claim speaks for: its speaker's side, else the speaker itself
    when linked to an entity; None for an unnamed or unlinked speaker."""
    return claim.speaker_side or claim.speaker_id


def event_sides(earlier: Iterable[CanonicalClaim]) -> tuple[frozenset[str], frozenset[str]]:
    """(the sides heard in an event's earlier claims, the sides that denied there)."""
    heard: set[str] = set()
    denied: set[str] = set()
    for c in earlier:
        side = claim_side(c)
        if side is not None:
            heard.add(side)
            if c.stance is Stance.DENY:
                denied.add(side)
    return frozenset(heard), frozenset(denied)


#: a cue that cites a source for a fact rather than reporting a statement
_SOURCING = frozenset({"according to"})


def is_major(shown: Sequence[Claim], plan: AlertPlan) -> bool:
    """A major development of its event: a new event; an updated figure; a
    denial or contradiction by a side that has not denied anything in the event
    yet (the same side denying again in other words is not news); or the first
    statement of a side not heard before in it (a fact cited "according to" a
    source is no statement of a side)."""
    if plan.new_event:
        return True
    for c in shown:
        side = claim_side(c)
        if c.novelty is Novelty.UPDATE:
            return True
        if c.novelty is Novelty.CONTRADICTION or c.stance is Stance.DENY:
            if side is None or side not in plan.denied:
                return True
        elif (
            side is not None
            and side not in plan.heard
            and " ".join(c.cue.lower().split()) not in _SOURCING
        ):
            return True
    return False


def _claim_about(claim: Claim, key: str, keyword: bool) -> bool:
    if keyword:
        return f" {key} " in f" {normalise_phrase(claim.speaker + ' ' + claim.text)} "
    return key in claim.entities or claim.speaker_id == key


MAX_SHOWN = 4


def rank_claims(about: Sequence[Claim], others: Sequence[Claim]) -> list[Claim]:
    """Claims about the watched entity first, then denials and updates before new
    claims; text order within each (news copy puts what matters first)."""
    first = {id(c) for c in about}

    def weight(pos_claim: tuple[int, Claim]) -> tuple[int, int, int]:
        pos, c = pos_claim
        tag = {Novelty.CONTRADICTION: 0, Novelty.UPDATE: 1}.get(c.novelty or Novelty.NEW, 2)
        return (0 if id(c) in first else 1, tag, pos)

    unique = list({id(c): c for c in [*about, *others]}.values())
    return [c for _, c in sorted(enumerate(unique), key=weight)]


def _idempotency_props(claims: Sequence[Claim]) -> list[str]:
    # the tag is part of the key (a denial of c1 is not c1 again), and so are
    # an update's figures (40 → 80 and 80 → 120 both update c1)
    props = set()
    for c in claims:
        tag = c.novelty.value if c.novelty else ""
        figures = ",".join(f"{n:g}" for n in c.numbers) if c.novelty is Novelty.UPDATE else ""
        props.add(f"{tag}:{c.matches or c.id or normalise_phrase(c.text)}:{figures}")
    return sorted(props) or ["event-start"]


def _idempotency_hash(chat: str, event_id: str, props: Sequence[str]) -> str:
    raw = "\x1f".join([chat, event_id, *props])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def idempotency_key(chat: str, event_id: str, claims: Sequence[Claim]) -> str:
    """Unique per (chat, event, claim set): the same story ingested twice, or an
    alert planned again after a crash, cannot be queued twice."""
    return _idempotency_hash(chat, event_id, _idempotency_props(claims))


def plan_alerts(
    index: WatchIndex,
    story: Story,
    analysis: Analysis,
    claims: Sequence[Claim],
    plan: AlertPlan,
    *,
    min_salience: float,
) -> list[Alert]:
    """At most one alert per chat for this story, and only when the story brings
    something fresh about what the chat watches: the first story of a new event
    in which the watched entity is salient, or a new / updated / contradicting
    claim about it. Repeats alert nobody: a story of repeats only is planned as
    an outlet update (``Alert.outlets_only``, no claims), which the outbox keeps
    only for chats that already have the event's first alert, to edit it. A
    watch with +/- terms alerts only when the story also passes them
    (:func:`terms_hold`): its candidates come from the index on its target like
    any other, and the terms are set lookups.

    What an alert says depends on the watch, not on the chat, so it is worked
    out once per watched key; each chat then costs one value and its key."""
    fresh = [c for c in claims if c.novelty in FRESH]
    # a story with no fresh claim only adds an outlet: it updates the first alert
    # of the event in the chats that have one (the outbox decides which), and is
    # matched to watches on the claims it repeats
    outlets_only = not fresh and not plan.new_event
    if outlets_only:
        fresh = list(claims)
    salience = {s.entity.id: s.salience for s in analysis.entities}
    names = {s.entity.id: s.entity.name for s in analysis.entities}
    touched = set(salience)
    for c in fresh:
        touched.update(c.entities)
        if c.speaker_id:
            touched.add(c.speaker_id)
    candidates = index.for_entities(sorted(touched))
    candidates += index.for_keywords(sorted(index.keywords_in(analysis.text)))
    lead = f" {normalise_phrase(analysis.text[:600])} "

    salient_ids = frozenset(eid for eid, value in salience.items() if value >= min_salience)

    templates: dict[tuple[str, str, str], _Template | None] = {}
    # a watch with +/- terms shares its target's template; only its Unwatch button
    # (which names the terms) is its own
    term_buttons: dict[tuple[str, tuple[WatchTerm, ...]], tuple[Button, ...]] = {}

    def template_for(sub: Subscription) -> _Template | None:
        keyword = sub.target.kind == "keyword"
        key = normalise_phrase(sub.target.key) if keyword else sub.target.key
        about = [c for c in fresh if _claim_about(c, key, keyword)]
        salient = f" {key} " in lead if keyword else salience.get(key, 0.0) >= min_salience
        if not about and not salient:
            return None  # a passing mention, and nothing fresh about it
        # a story about what the chat watches shows its freshest claims, even those
        # that do not name the watched entity themselves (the company's denial in a
        # story about a spill in Bulgaria); a passing mention shows only claims about it
        shown = choose_shown(
            rank_claims(about, fresh if salient else []), story.outlet_name, MAX_SHOWN
        )
        if not shown and not plan.new_event and not outlets_only:
            return None
        watch = sub.target.name if keyword else names.get(key, sub.target.name)
        if outlets_only:  # no claim of its own: the outlet's link is the news
            shown = []
        alert_claims = tuple(alert_claim(c) for c in shown)
        return _Template(
            watch=watch,
            major=not outlets_only and is_major(shown, plan),
            claims=alert_claims,
            props=([f"outlet:{story.link}"] if outlets_only else _idempotency_props(shown)),
            lines=alert_lines(
                watch=watch,
                event_title=plan.event_title,
                new_event=plan.new_event,
                story_title=story.title,
                claims=alert_claims,
                links=plan.links,
                outlets=plan.outlets,
            ),
            buttons=alert_buttons(plan.event_id, sub.target.key, plan.page),
        )

    alerts: dict[str, Alert] = {}
    for sub in candidates:
        chat = str(sub.chat)
        if chat in alerts:
            continue
        if sub.filters and not terms_hold(sub.filters, salient_ids, lead):
            continue
        slot = (sub.target.kind, sub.target.key, sub.target.name)
        if slot not in templates:
            templates[slot] = template_for(sub)
        template = templates[slot]
        if template is None:
            continue
        buttons = template.buttons
        if sub.filters:
            own = (sub.target.key, sub.filters)
            if own not in term_buttons:
                spec = watch_spec(sub.target, sub.filters)
                term_buttons[own] = alert_buttons(plan.event_id, spec, plan.page)
            buttons = term_buttons[own]
        alerts[chat] = Alert(
            chat=sub.chat,
            watch=template.watch,
            watch_key=sub.target.key,
            event_id=plan.event_id,
            event_title=plan.event_title,
            story_title=story.title,
            claims=template.claims,
            links=plan.links,
            outlets=plan.outlets,
            new_event=plan.new_event,
            key=_idempotency_hash(chat, plan.event_id, template.props),
            lines=template.lines,
            buttons=buttons,
            level=sub.level,
            major=template.major,
            outlets_only=outlets_only,
        )
    return list(alerts.values())


@dataclass(frozen=True, slots=True)
class _Template:
    """The chat-independent part of an alert."""

    watch: str
    major: bool
    claims: tuple[AlertClaim, ...]
    props: list[str]
    lines: tuple[Line, ...]
    buttons: tuple[Button, ...]
