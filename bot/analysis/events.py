"""Which event a story belongs to, and exact or near duplicates.

A story is described by weighted terms (:func:`features`):

* its entities, ``gpe:china`` and so on, weighted by salience: the subject of
  a story weighs much, a passing mention little; and
* its content lemmas: nouns, proper nouns the entity step did not claim,
  verbs that carry meaning, and numbers (``155``; number words become digits).
  Each term counts sublinearly (1 + log tf); a term in the title counts three
  times, in the lead (the first three sentences) one and a half times.
  Reporting and light verbs ("say", "tell", "make") are left out, and a
  built-in list of words every news story uses ("year", "official",
  "government", "country", "week") weighs a quarter.

Entity terms are shared by every story about the same countries, so they
carry at most about a third of a story's weight (``ENTITY_SHARE``); what
separates two events about the same parties is what happened, in the lemmas.

:func:`assign_event` compares a story with the recent events: a story whose
body fingerprint is within ``duplicate_distance`` bits of an earlier story's
is a near-duplicate and joins that story's event; otherwise the most similar
event by cosine, above ``threshold`` and within ``window_days`` of the story's
date, wins; otherwise the story starts a new event.

The fingerprint (:func:`fingerprint`) is a 64-bit SimHash of the 3-word
shingles of the normalised body, as a signed 64-bit integer (it fits SQLite's
INTEGER). Hamming distance ignores the sign representation.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
from wordfreq import zipf_frequency

from bot.analysis.aliases import Gazetteer, default_gazetteer
from bot.analysis.entities import entity_stats
from bot.analysis.nlp import text_of
from bot.analysis.summary import is_furniture
from bot.models import (
    EventCandidate,
    EventDecision,
    EventFeatures,
    Mention,
    StoryFingerprint,
    normalise_body,
)

__all__ = [
    "assign_event",
    "cosine",
    "event_title",
    "features",
    "fingerprint",
    "hamming",
    "merge_terms",
]

MAX_TERMS = 200  # per story
MAX_EVENT_TERMS = 400  # per merged event
ENTITY_SHARE = 0.35  # the most of a story's weight its entities may carry
TITLE_BOOST = 3.0
LEAD_BOOST = 1.5
LEAD_SENTENCES = 3
COMMON_WEIGHT = 0.25
HEADLINE = "^"  # the prefix of a headline term in EventFeatures.terms
NAME = "@"  # after it, the prefix of a name (an entity) among the headline terms
PLACE = "%"  # after it, the prefix of a country the headline or the lead names
PLACE_WEIGHT = 3.0  # keeps the places among an event's heaviest terms
MAX_PLACES = 8
ELSEWHERE_MAX = 0.6  # below this cosine, a story set in other countries is another incident
MAX_HEADLINE_TERMS = 24
HEADLINE_SCALE = 3.0  # keeps an event's headline terms among its heaviest
GREY_SHARE = 0.6  # the share of the threshold a story with the event's headline needs
HEADLINE_MIN = 0.18  # headline cosine that says the same thing happened
_PLACEHOLDER_TITLES = frozenset(
    {"", "unknown", "untitled", "no title", "none", "null", "na", "title", "undefined"}
    # page furniture a feed or a scraper gives as the title of any story
    | {"home", "news", "article", "story", "breaking", "breaking news", "live", "latest"}
    | {"latest news", "live updates", "update", "updates", "page not found", "index"}
)
RARITY_MIN = 0.25
RARITY_MAX = 1.5
TITLE_MAX = 120

_MASK = (1 << 64) - 1
_TOP = 1 << 63

_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "NUM"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that report or merely carry a sentence.
_LIGHT_VERBS = _words(
    "be have do say tell add note state claim report write speak ask urge call make take get "
    "go come give put see know think believe want seem appear become include accord use show "
    "mention describe explain suggest comment reply respond continue remain keep let try "
    "provide allow expect plan hold look find bring begin start stress insist assert reiterate"
)
# Words almost every news story uses: they weigh a quarter.
_COMMON = _words(
    "year years month week day time today yesterday people official officials government "
    "country countries state states president minister ministry spokesperson spokesman "
    "statement report reports news media source sources part number way world group "
    "member members leader leaders authority authorities percent per cent thing issue "
    "matter case information situation comment comments question questions side post "
    "video photo interview conference briefing press agency times social account "
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december morning evening "
    "night area region level effort efforts support need plan plans move step fact "
    "development event events meeting talks end point first second last new"
)
_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "dozen": "12",
    "twenty": "20",
    "hundred": "100",
    "thousand": "1000",
    "million": "1000000",
    "billion": "1000000000",
}
# " | The Daily Ledger", " - Reuters", " — BBC News": capitalised words (or a domain)
_OUTLET_WORD = r"(?:[A-Z][\w.&'’]*|of|the|and|on)"
_OUTLET_SUFFIX = re.compile(rf"\s+(?:\||[-–—])\s+[A-Z][\w.&'’]*(?:\s+{_OUTLET_WORD}){{0,4}}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")


# --------------------------------------------------------------------------- features


def features(
    doc: Any,
    mentions: Sequence[Mention],
    published: date | None,
    gazetteer: Gazetteer | None = None,
) -> EventFeatures:
    """The weighted terms and the body fingerprint of a parsed story (title,
    blank line, body)."""
    text: str = text_of(doc)
    split = text.find("\n\n")
    title_end = split if split > 0 else 0
    sentences = list(doc.sents)
    body_start = title_end + 2 if title_end else 0
    lead_end = _lead_end(sentences, body_start)

    covered: set[int] = set()
    for m in mentions:
        covered.update(range(m.start, m.end))
    counts: dict[str, float] = defaultdict(float)
    for tok in doc:
        term = _term(tok)
        if term is None or tok.idx in covered:
            continue
        if tok.idx < title_end:
            boost = TITLE_BOOST
        elif tok.idx < lead_end:
            boost = LEAD_BOOST
        else:
            boost = 1.0
        counts[term] += boost
    lemmas = {
        term: (1.0 + math.log(tf) if tf >= 1.0 else tf)
        * (COMMON_WEIGHT if _common(term) else 1.0)
        * rarity(term)
        for term, tf in counts.items()
    }

    stats = entity_stats(mentions, title_end, len(sentences))
    entities: dict[str, float] = defaultdict(float)
    for s in stats:
        entities[entity_term(s.entity.id)] += s.salience * (1.0 + math.log(s.mentions))
    # entities may carry at most ENTITY_SHARE of the total weight
    lemma_total = sum(lemmas.values())
    entity_total = sum(entities.values())
    if entity_total > 0 and lemma_total > 0:
        cap = ENTITY_SHARE / (1.0 - ENTITY_SHARE) * lemma_total
        if entity_total > cap:
            entities = {k: v * cap / entity_total for k, v in entities.items()}
    terms = _top({**lemmas, **entities}, MAX_TERMS - MAX_HEADLINE_TERMS)
    head_start, head_end = _headline_span(text, title_end, sentences, body_start)
    terms.update(_headline_terms(doc, mentions, head_start, head_end))
    terms.update(_place_terms(mentions, head_start, head_end, gazetteer))
    return EventFeatures(
        terms=terms, fingerprint=fingerprint(text[body_start:]), published=published
    )


def _headline_span(
    text: str, title_end: int, sentences: Sequence[Any], body_start: int
) -> tuple[int, int]:
    """Where the story says what happened in one line: its title, or the
    body's first sentence when the title is missing or a placeholder."""
    if title_end and not is_placeholder_title(text[:title_end]):
        return 0, title_end
    body = [s for s in sentences if s.start_char >= body_start]
    return (int(body[0].start_char), int(body[0].end_char)) if body else (0, 0)


def _headline_terms(
    doc: Any, mentions: Sequence[Mention], start: int, end: int
) -> dict[str, float]:
    """The headline's terms, prefixed ``^``: what happened, where, and who;
    each term once, rare words weighing more (:func:`rarity`)."""
    counts: dict[str, float] = defaultdict(float)
    covered: set[int] = set()
    for m in mentions:
        if start <= m.start < end:
            key = entity_term(m.entity.id)
            counts[NAME + key] = _name_rarity(key)
            covered.update(range(m.start, m.end))
    for tok in doc:
        if tok.idx < start or tok.idx in covered:
            continue
        if tok.idx >= end:
            break
        term = _term(tok)
        if term is not None and not (term.isdigit() and int(term) < 13):
            counts[term] = max(
                counts[term], (COMMON_WEIGHT if _common(term) else 1.0) * rarity(term)
            )
    best = _top(counts, MAX_HEADLINE_TERMS)
    return {HEADLINE + k: round(v * HEADLINE_SCALE, 4) for k, v in best.items()}


def _place_terms(
    mentions: Sequence[Mention], start: int, end: int, gazetteer: Gazetteer | None = None
) -> dict[str, float]:
    """Where it happened, to the country: the countries the headline names (a
    capital names its country), prefixed ``^%``. Towns and regions are left
    out (a follow-up may name the town where the first story named the
    country), and so is the lead, where a country is as often the speaker's."""
    known = gazetteer if gazetteer is not None else default_gazetteer()  # the analyser's
    found = set()
    for m in mentions:
        if not start <= m.start < end:
            continue
        entity = known.entity(m.entity.id)
        if entity is not None and entity.type == "GPE":
            found.add(entity_term(m.entity.id))
    return {HEADLINE + PLACE + p: PLACE_WEIGHT for p in sorted(found)[:MAX_PLACES]}


def is_placeholder_title(title: str) -> bool:
    """A title that names nothing: empty, or "unknown", "untitled", "no title"…"""
    key = " ".join(re.sub(r"[^a-z ]", "", title.lower()).split())
    return key in _PLACEHOLDER_TITLES


def split_terms(terms: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """An event's or story's terms as (body terms, headline terms without the
    prefix); the places (:func:`places`) are in neither."""
    body: dict[str, float] = {}
    head: dict[str, float] = {}
    for k, v in terms.items():
        if k.startswith(HEADLINE):
            if not k.startswith(HEADLINE + PLACE):
                head[k[len(HEADLINE) :]] = v
        else:
            body[k] = v
    return body, head


def places(terms: Mapping[str, float]) -> frozenset[str]:
    """The countries an event's or story's headlines and leads name."""
    prefix = HEADLINE + PLACE
    return frozenset(k[len(prefix) :] for k in terms if k.startswith(prefix))


def entity_term(entity_id: str) -> str:
    """An entity's event term: its id without the type, ``kakhovka`` for
    ``gpe:kakhovka``. The same name typed differently by the NER in two stories
    (``org:openai``, ``person:openai``), or left a plain word in one, is one term."""
    return entity_id.split(":", 1)[-1]


def rarity(term: str) -> float:
    """How much a word tells about what happened: a word of everyday English
    ("water", "talk") weighs less than a rare one ("malfeasance", "floodgate");
    a word outside the frequency list (a place, a product) weighs most. From
    the word's Zipf frequency: ``(7 - zipf) / 3`` between ``RARITY_MIN`` and
    ``RARITY_MAX``. Numbers are left as they are."""
    if not term.isalpha():
        return 1.0
    zipf = _zipf(term)
    return min(RARITY_MAX, max(RARITY_MIN, (7.0 - zipf) / 3.0))


def _name_rarity(key: str) -> float:
    """A name's rarity, its words' mean: a big country named in every story
    ("China") tells less than a town or a dam ("Siversk", "Kakhovka")."""
    words = [w for w in re.split(r"[^a-z]+", key.lower()) if w]
    return sum(rarity(w) for w in words) / len(words) if words else 1.0


@functools.lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return float(zipf_frequency(word, "en", wordlist="small"))


def _common(term: str) -> bool:
    """A word every story uses, or a recent year."""
    if term in _COMMON:
        return True
    if term.isdigit():
        value = int(term)
        return 1990 <= value <= 2100
    return False


def _lead_end(sentences: Sequence[Any], body_start: int) -> int:
    body = [s for s in sentences if s.start_char >= body_start]
    if len(body) <= LEAD_SENTENCES:
        return body[-1].end_char if body else body_start
    return int(body[LEAD_SENTENCES - 1].end_char)


def _term(tok: Any) -> str | None:
    if tok.pos_ not in _CONTENT_POS or tok.is_punct or tok.is_space:
        return None
    lower = str(tok.lower_)
    if tok.pos_ == "NUM" or tok.like_num:
        if lower in _NUMBER_WORDS:
            return _NUMBER_WORDS[lower]
        digits = lower.replace(",", "")
        return digits if re.fullmatch(r"\d{1,15}(?:\.\d{1,6})?", digits) else None
    if tok.is_stop or not tok.is_alpha or not 3 <= len(lower) <= 40:
        return None
    lemma = str(tok.lemma_).lower()
    if tok.pos_ == "VERB" and lemma in _LIGHT_VERBS:
        return None
    if not lemma.isalpha():
        lemma = lower
    return lemma


def _top(terms: Mapping[str, float], n: int) -> dict[str, float]:
    best = sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return {k: round(v, 4) for k, v in best if v > 0}


def merge_terms(a: Mapping[str, float], b: Mapping[str, float]) -> dict[str, float]:
    """The terms of an event after one more story: the sum, the strongest kept."""
    out: dict[str, float] = dict(a)
    for term, weight in b.items():
        out[term] = out.get(term, 0.0) + weight
    return _top(out, MAX_EVENT_TERMS)


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


# --------------------------------------------------------------------------- fingerprints


def fingerprint(text: str) -> int:
    """A 64-bit SimHash of the 3-word shingles of the normalised text, as a
    signed 64-bit integer. Empty text gives 0."""
    words = normalise_body(text).split()
    if not words:
        return 0
    shingles: Iterable[str] = (
        (" ".join(words[i : i + 3]) for i in range(len(words) - 2))
        if len(words) >= 3
        else [" ".join(words)]
    )
    digests = b"".join(hashlib.blake2b(x.encode(), digest_size=8).digest() for x in shingles)
    # one row of 64 bits per shingle, most significant first; a bit of the
    # fingerprint is set when most shingles set it (counted at once, not bit by bit)
    rows = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    ones = rows.sum(axis=0, dtype=np.int64)
    n = rows.shape[0]
    value = sum(1 << (63 - j) for j in range(64) if 2 * int(ones[j]) > n)
    return value - (1 << 64) if value >= _TOP else value


def hamming(a: int, b: int) -> int:
    """Differing bits of two fingerprints, signed or unsigned."""
    return ((a ^ b) & _MASK).bit_count()


# --------------------------------------------------------------------------- decision


def assign_event(
    features: EventFeatures,
    candidates: Sequence[EventCandidate],
    fingerprints: Sequence[StoryFingerprint],
    *,
    threshold: float,
    duplicate_distance: int,
    window_days: int,
    followup_days: int = 0,
) -> EventDecision:
    """Join a near-duplicate's event, else the most similar recent event that
    qualifies (:func:`_join_rule`), else start a new one (``event_id`` None).
    ``candidates`` may reach back ``followup_days``; within ``window_days``
    the words alone can carry a story."""
    if features.fingerprint != 0:
        near = [
            (hamming(features.fingerprint, f.fingerprint), f.story_id, f)
            for f in fingerprints
            if f.fingerprint != 0
        ]
        near = [n for n in near if n[0] <= duplicate_distance]
        if near:
            distance, _, dup = min(near, key=lambda n: (n[0], n[1]))
            return EventDecision(
                event_id=dup.event_id,
                similarity=1.0,
                duplicate_of=dup.story_id,
                why=f"near-duplicate of story #{dup.story_id} ({distance} bits apart)",
            )
    body, head = split_terms(features.terms)
    ours = places(features.terms)
    best: tuple[float, float, EventCandidate] | None = None
    qualified: tuple[float, float, EventCandidate, str] | None = None
    blocked: tuple[float, EventCandidate] | None = None  # would join, but set elsewhere
    skipped = 0
    horizon = max(window_days, followup_days)
    for cand in candidates:
        gap = _days_apart(features.published, cand) if features.published is not None else 0
        if gap > horizon:
            skipped += 1
            continue
        cand_body, cand_head = split_terms(cand.terms)
        sim = cosine(body, cand_body)
        theirs = places(cand.terms)
        elsewhere = bool(ours and theirs and not ours & theirs) and sim < ELSEWHERE_MAX
        head_sim = cosine(head, cand_head)
        # the headlines must share a word of what happened, not only names
        what = any(t in cand_head for t in head if not t.startswith(NAME) and not _common(t))
        head_sim = head_sim if what else 0.0
        if best is None or _better(sim, cand.id, best[0], best[2].id):
            best = (sim, head_sim, cand)
        rule = _join_rule(sim, head_sim, gap, threshold=threshold, window_days=window_days)
        if rule and elsewhere:
            if blocked is None or _better(sim, cand.id, blocked[0], blocked[1].id):
                blocked = (sim, cand)
            rule = None
        if rule and (qualified is None or _better(sim, cand.id, qualified[0], qualified[2].id)):
            qualified = (sim, head_sim, cand, rule)
    if qualified is not None:
        sim, head_sim, cand, rule = qualified
        return EventDecision(
            cand.id, round(sim, 4), None, f"cosine {sim:.2f} with {cand.id} {rule}"
        )
    if best is None:
        why = "no recent event" + (f" ({skipped} outside {horizon} days)" if skipped else "")
        return EventDecision(None, 0.0, None, why)
    if blocked is not None:
        sim, cand = blocked
        theirs = places(cand.terms)
        return EventDecision(
            None,
            round(sim, 4),
            None,
            f"new event: cosine {sim:.2f} with {cand.id}, but the headline names other "
            f"countries ({', '.join(sorted(ours))}; the event: {', '.join(sorted(theirs))})",
        )
    sim, head_sim, cand = best
    return EventDecision(
        None,
        round(sim, 4),
        None,
        f"new event: best cosine {sim:.2f} with {cand.id} < {threshold:.2f} "
        f"(headlines {head_sim:.2f})",
    )


def _days_apart(day: date, cand: EventCandidate) -> int:
    """Days between a story and the nearest day of an event's span: 0 inside it."""
    first = cand.first_seen if cand.first_seen is not None else cand.last_seen
    if day < first:
        return (first - day).days
    return max(0, (day - cand.last_seen).days)


def _join_rule(
    sim: float, head_sim: float, gap: int, *, threshold: float, window_days: int
) -> str | None:
    """Why a story joins an event, or None. Within the window a story joins
    on its words alone (``threshold``); with fewer words in common (down to
    ``GREY_SHARE`` of it) it joins when its headline says the same thing
    happened (headline cosine ≥ ``HEADLINE_MIN``, and a word in common that
    is neither a name nor one every story uses: two stories on the same
    countries share the names, and "officials" or "Monday"). Past the window, up to the
    follow-up horizon, only the second way: an investigation's findings weeks
    later name the incident in their headline."""
    same_headline = head_sim >= HEADLINE_MIN and sim >= threshold * GREY_SHARE
    if gap <= window_days and sim >= threshold:
        return f"≥ {threshold:.2f}"
    if same_headline:
        where = "" if gap <= window_days else f", {gap} days later"
        return (
            f"≥ {threshold * GREY_SHARE:.2f} and headlines {head_sim:.2f} ≥ "
            f"{HEADLINE_MIN:.2f}{where}"
        )
    return None


def _better(sim: float, event_id: str, best_sim: float, best_id: str) -> bool:
    return sim > best_sim or (sim == best_sim and event_id < best_id)


# --------------------------------------------------------------------------- titles


def event_title(title: str, body: str) -> str:
    """A short line naming the event: the story title without an outlet suffix,
    or the body's first sentence when the title is missing or a placeholder
    ("unknown", "untitled"); at most 120 characters."""
    line = " ".join(title.split())
    if is_placeholder_title(line) or is_furniture(line):
        line = ""
    if line:
        stripped = _OUTLET_SUFFIX.sub("", line)
        if len(stripped) >= 15:
            line = stripped
    else:
        text = " ".join(body.split())
        sentences = _SENTENCE_END.split(text) if text else [""]
        # a photo caption ahead of the lead is not what happened
        line = next((x for x in sentences if not is_furniture(x)), sentences[0])
    if len(line) <= TITLE_MAX:
        return line
    cut = line[: TITLE_MAX - 1]
    if " " in cut[60:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"
