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

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from bot.analysis.entities import entity_stats
from bot.analysis.nlp import text_of
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


def features(doc: Any, mentions: Sequence[Mention], published: date | None) -> EventFeatures:
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
        term: (1.0 + math.log(tf) if tf >= 1.0 else tf) * (COMMON_WEIGHT if _common(term) else 1.0)
        for term, tf in counts.items()
    }

    stats = entity_stats(mentions, title_end, len(sentences))
    entities = {s.entity.id: s.salience * (1.0 + math.log(s.mentions)) for s in stats}
    # entities may carry at most ENTITY_SHARE of the total weight
    lemma_total = sum(lemmas.values())
    entity_total = sum(entities.values())
    if entity_total > 0 and lemma_total > 0:
        cap = ENTITY_SHARE / (1.0 - ENTITY_SHARE) * lemma_total
        if entity_total > cap:
            entities = {k: v * cap / entity_total for k, v in entities.items()}
    terms = _top({**lemmas, **entities}, MAX_TERMS)
    return EventFeatures(
        terms=terms, fingerprint=fingerprint(text[body_start:]), published=published
    )


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
) -> EventDecision:
    """Join a near-duplicate's event, else the most similar recent event, else
    start a new one (``event_id`` None)."""
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
    best: tuple[float, EventCandidate] | None = None
    skipped = 0
    for cand in candidates:
        if features.published is not None and abs((features.published - cand.last_seen).days) > (
            window_days
        ):
            skipped += 1
            continue
        sim = cosine(features.terms, cand.terms)
        if best is None or sim > best[0] or (sim == best[0] and cand.id < best[1].id):
            best = (sim, cand)
    if best is None:
        why = "no recent event" + (f" ({skipped} outside {window_days} days)" if skipped else "")
        return EventDecision(None, 0.0, None, why)
    sim, cand = best
    if sim >= threshold:
        return EventDecision(
            cand.id, round(sim, 4), None, f"cosine {sim:.2f} with {cand.id} ≥ {threshold:.2f}"
        )
    return EventDecision(
        None,
        round(sim, 4),
        None,
        f"new event: best cosine {sim:.2f} with {cand.id} < {threshold:.2f}",
    )


# --------------------------------------------------------------------------- titles


def event_title(title: str, body: str) -> str:
    """A short line naming the event: the story title without an outlet suffix,
    or the body's first sentence; at most 120 characters."""
    line = " ".join(title.split())
    if line:
        stripped = _OUTLET_SUFFIX.sub("", line)
        if len(stripped) >= 15:
            line = stripped
    else:
        text = " ".join(body.split())
        line = _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""
    if len(line) <= TITLE_MAX:
        return line
    cut = line[: TITLE_MAX - 1]
    if " " in cut[60:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"
