"""Recognise the entities a story mentions and link them.

Three sources of mentions, in this order:

1. **Gazetteer hits**: an Aho-Corasick automaton over the folded tokens of the
   text finds every alias of a known entity on token boundaries, so demonyms
   ("Chinese") and capitals ("Beijing") link to the country even where the
   NER says nothing. In running text an alias must start with a capital letter,
   and short all-capital aliases ("US", "WHO", "UN") must be written in
   capitals. A hit inside a longer name is dropped ("New Mexico", "Jordan
   Peterson", "South China Sea"); inside an organisation's name a capital
   used as a metonym is dropped ("Washington Post") but a country is kept
   ("Security Service of Ukraine" mentions Ukraine).
2. **spaCy NER** spans (PERSON, ORG, GPE, NORP, LOC, FAC), cleaned of leading
   articles, titles and possessives. A span whose name is in the gazetteer
   links to that entity; other spans become story entities with readable ids
   (``org:<slug>``, ``gpe:<slug>``, ``loc:<slug>``, ``norp:<slug>``). Junk is
   refused: dates, numbers, weekdays and months, lower-case spans, spans
   across lines, multi-word spans in capitals ("KEY POINTS"), a capitalised
   common word the story also writes in lower case. Words around a span
   correct frequent label slips, for every span of that name in the story:
   "the X river" is a place, "the X plant" an organisation, "the mayor, X Y,"
   a person, "the X administration" a person; otherwise the story's majority
   label wins, so one name gets one id within a story.
3. **Persons**. All forms of one person's name in a story are one entity:
   titles (President, Prime Minister, Mr, Dr) are stripped, a surname alone
   links to the full name seen in the story, and transliteration variants
   share one key (:func:`~bot.analysis.person_names.name_key`: Zelensky =
   Zelenskyy = Zelenskiy; names and their clustering live in
   :mod:`bot.analysis.person_names`).
   The id is ``person:<key of the surname>`` (``person:zelensky``), stable
   across stories that name the person differently; for names in family-name
   first order (Chinese, Korean, Vietnamese: "Lin Jian", "Kim Jong Un") it is
   the whole name (``person:lin-jian``) and the family name alone links to it
   inside the story. The display name is the fullest form seen. Tokens of a
   known surname that the NER missed (or labelled ORG/GPE) are mentions too,
   and so are names right after a capitalised title that the NER missed
   ("Defence Minister Rustem Umerov").
   **Role descriptions** ("the Ukrainian president", "the foreign minister",
   "Ukraine's president", "the spokesperson") link to the person introduced
   with that role in the same story, by a title ("Foreign Minister Andrii
   Sybiha", "Ukrainian President Volodymyr Zelensky", "President Volodymyr
   Zelensky of Ukraine") or by apposition ("The foreign minister, Andrii
   Sybiha," / "Andrii Sybiha, Ukraine's foreign minister,"): same role noun,
   the description's qualifiers ("foreign") among the introduction's, and no
   conflicting nationality. When several people hold a matching role, the
   nearest one introduced before wins (:mod:`bot.analysis.roles`).

Mentions may nest (a country inside a role description or an organisation's
name). They are sorted by start, the longer first; to find what a token
refers to, prefer the mention that contains the token's syntactic head.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from bot.analysis.aliases import Alias, Gazetteer, fold, slug
from bot.analysis.nlp import text_of
from bot.analysis.person_names import (
    _HONORIFICS,
    _NAME_PARTICLES,
    _cluster_persons,
    _Person,
    _person_entity,
    _person_for,
    _same_person,
    _words,
    name_key,
)
from bot.analysis.roles import _ROLES, _Hit, _role_head, _role_mentions
from bot.models import Entity, EntityStat, Mention

__all__ = ["entity_stats", "find_mentions"]


_LABEL_ORDER = ("ORG", "GPE", "LOC", "NORP", "FAC")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})
_MAX_NAME = 80
_NER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_PREFIX = {"ORG": "org", "GPE": "gpe", "LOC": "loc", "NORP": "norp", "FAC": "loc"}

_TIME_WORDS = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december today yesterday tomorrow"
)
_NATURE_NOUNS = _words(
    "river lake sea mountains mountain valley island islands bay strait gulf desert peninsula"
)
_ORG_NOUNS = _words(
    "plant factory works company firm mine refinery facility group site headquarters"
)
# Nouns that describe people (an apposition with one makes a name a person's).
_PERSON_NOUNS = _words(
    "official activist farmer resident expert analyst lawyer doctor professor researcher "
    "economist journalist student executive founder owner worker inspector engineer head "
    "officer soldier teacher scientist author candidate lawmaker politician diplomat"
)
_ORG_SUFFIXES = _words(
    "inc corp corporation ltd llc plc group holdings bank company industries technologies "
    "motors airlines pharmaceuticals cloud labs systems networks software solutions "
    "biologics therapeutics logistics robotics semiconductors telecom ventures"
)
_PLACE_NOUNS = _words("region oblast province district county city town village krai governorate")
_GOVERNMENT_NOUNS = _words("administration presidency cabinet")
_PORTFOLIOS = _words(
    "defence defense finance foreign interior health education justice energy trade economy "
    "agriculture transport culture environment labour labor"
)
# The nouns a role description is built on, mapped to one form.
# Frequent family names of names written family name first.


# --------------------------------------------------------------------------- matching


def _gazetteer_hits(doc: Any, gazetteer: Gazetteer) -> list[tuple[int, int, Alias]]:
    """Longest non-overlapping alias matches on token boundaries."""
    parts: list[str] = []
    starts: dict[int, int] = {}  # char offset in the joined string -> token index
    ends: dict[int, int] = {}
    folded: dict[str, str] = {}
    pos = 1
    for tok in doc:
        f = folded.get(tok.text)
        if f is None:
            f = folded[tok.text] = fold(tok.text)
        if not f or "\n" in tok.text:
            if "\n" in tok.text:
                parts.append("\u0000")  # never match across paragraphs
                pos += 2
            continue
        starts[pos] = tok.i
        ends[pos + len(f)] = tok.i
        parts.append(f)
        pos += len(f) + 1
    joined = " " + " ".join(parts) + " "
    found: list[tuple[int, int, Alias]] = []
    for end_char, key in gazetteer.automaton().iter(joined):
        start_char = end_char - len(key)  # pattern is " key "
        first = starts.get(start_char)
        last = ends.get(end_char)
        alias = gazetteer.alias(key)
        if first is None or last is None or alias is None:
            continue
        found.append((first, last + 1, alias))
    found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out: list[tuple[int, int, Alias]] = []
    taken = -1
    for start, end, alias in found:
        if start < taken:
            continue
        span = doc[start:end]
        letters = [ch for ch in span.text if ch.isalpha()]
        if not letters or not letters[0].isupper():
            continue
        if alias.strict_case and not all(ch.isupper() for ch in letters):
            continue
        out.append((start, end, alias))
        taken = end
    return out


class _HitIndex:
    """Non-overlapping hits by token, for quick containment tests."""

    def __init__(self, size: int) -> None:
        self._by_start: dict[int, _Hit] = {}
        self._owner = [-1] * size

    def add(self, hit: _Hit) -> None:
        self._by_start[hit.start] = hit
        for i in range(hit.start, hit.end):
            self._owner[i] = hit.start

    def remove(self, hits: Sequence[_Hit]) -> None:
        for hit in hits:
            if self._by_start.get(hit.start) is hit:
                del self._by_start[hit.start]
                for i in range(hit.start, hit.end):
                    self._owner[i] = -1

    def covers(self, start: int, end: int) -> bool:
        owner = self._owner[start]
        return owner >= 0 and self._by_start[owner].end >= end

    def inside(self, start: int, end: int) -> list[_Hit]:
        starts = dict.fromkeys(o for o in self._owner[start:end] if o >= 0)
        found = [self._by_start[o] for o in starts]
        return [h for h in found if h.start >= start and h.end <= end]

    def hits(self) -> list[_Hit]:
        return [self._by_start[k] for k in sorted(self._by_start)]


def _clean_span(span: Any, label: str, gazetteer: Gazetteer) -> tuple[int, int] | None:
    """Token range of an NER span without articles, titles and possessives, or None
    for junk."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ in {"the", "a", "an"}):
        start += 1
    if label == "PERSON":
        # "Ukrainian President Volodymyr Zelensky": strip up to the last title word,
        # but keep "Jordan" in "Jordan Peterson"
        i = start
        last_title = -1
        while i < end - 1 and _is_title_token(doc[i], gazetteer):
            if fold(doc[i].text) in _HONORIFICS or doc[i].lower_ in _ROLES or doc[i].is_lower:
                last_title = i
            i += 1
        if last_title >= 0:
            start = last_title + 1
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].tag_ == "POS" or doc[end - 1].is_space
    ):
        end -= 1
    if start >= end:
        return None
    text = doc[start:end].text
    if "\n" in text or not any(ch.isalpha() for ch in text):
        return None
    if not text[0].isupper():
        return None
    words = [t for t in doc[start:end] if t.is_alpha]
    if any(t.lower_ in _TIME_WORDS for t in words) and len(words) <= 2:
        return None
    if any(t.like_num or t.is_digit for t in doc[start:end]) and label in {"PERSON", "NORP"}:
        return None
    if len(words) > 1 and all(t.is_upper for t in words):
        return None  # "KEY POINTS"
    if len(text) > _MAX_NAME or any(len(t) > 30 for t in doc[start:end]):
        return None  # no name is that long: markup or garbage
    if len(words) == 1 and words[0].is_upper and len(text) > 6 and not gazetteer.lookup(text):
        return None  # "BREAKING", "EXCLUSIVE"
    if len(text) <= 2 and text.isupper() and gazetteer.lookup(text) is None:
        return None  # "AI", "TV": known short names are in the gazetteer
    if len(text) < 2:
        return None
    if label == "PERSON" and any(
        t.is_alpha and t.is_lower and t.lower_ not in _NAME_PARTICLES for t in doc[start:end]
    ):
        return None
    return start, end


def _is_title_token(tok: Any, gazetteer: Gazetteer) -> bool:
    f = fold(tok.text)
    if f in _HONORIFICS or tok.lower_ in _ROLES:
        return True
    if tok.is_lower and tok.is_alpha:
        return True
    if tok.tag_ == "POS":
        return True
    alias = gazetteer.alias(f)
    return alias is not None and alias.entity.type == "GPE"


def _titled_names(doc: Any, taken: set[int], gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Names right after a capitalised title that the NER missed:
    "Defence Minister Rustem Umerov", "Dr Amina Diallo"."""
    out = []
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if not (tok.is_title and (fold(tok.text) in _HONORIFICS or tok.lower_ in _ROLES)):
            i += 1
            continue
        j = i + 1
        while j < n and j - i <= 4 and _name_like(doc[j], gazetteer) and j not in taken:
            j += 1
        if j > i + 1 and not (j < n and doc[j].is_title and doc[j].pos_ == "PROPN"):
            out.append((i + 1, j))
        i = max(j, i + 1)
    return out


def _name_like(tok: Any, gazetteer: Gazetteer) -> bool:
    return bool(
        tok.pos_ == "PROPN"
        and tok.is_title
        and tok.is_alpha
        and fold(tok.text) not in _HONORIFICS
        and tok.lower_ not in _ROLES
        and tok.lower_ not in _TIME_WORDS
        and gazetteer.alias(fold(tok.text)) is None
    )


def _sentence_index(doc: Any) -> list[int]:
    index = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = n
    return index


# --------------------------------------------------------------------------- main


def _sort_ner_spans(
    doc: Any, gazetteer: Gazetteer, index: _HitIndex
) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    """Clean the NER spans and sort them out: a known name replaces the
    gazetteer hits inside it (``index`` is updated), a person's name goes to
    the persons, anything else becomes a story entity (start, end, label)."""
    persons_spans: list[tuple[int, int]] = []
    other_spans: list[tuple[int, int, str]] = []

    lowercase = {t.text for t in doc if t.is_lower and t.pos_ in {"NOUN", "ADJ", "VERB"}}
    spans: list[tuple[int, int, str]] = []
    strong: dict[str, str] = {}  # names whose label the context made clear
    for ent in doc.ents:
        if ent.label_ not in _NER_LABELS:
            continue
        cleaned = _clean_span(ent, ent.label_, gazetteer)
        if cleaned is None or _common_word(doc, *cleaned, lowercase):
            continue
        label, sure = _relabel(doc, *cleaned, ent.label_)
        if sure:
            strong.setdefault(slug(doc[cleaned[0] : cleaned[1]].text), label)
        spans.append((*cleaned, label))
    spans = _organisations_typed_as_people(doc, spans, strong)

    for start, end, label in spans:
        label = strong.get(slug(doc[start:end].text), label)
        if (
            end - start == 1
            and doc[start].lower_ in _PORTFOLIOS
            and end < len(doc)
            and doc[end].lower_ in _ROLES
        ):
            continue  # "Defence" in "Defence Minister": part of a title
        if index.covers(start, end):
            continue  # "D.C." inside the alias "Washington, D.C."
        inside = index.inside(start, end)
        known = gazetteer.lookup(doc[start:end].text)
        if known is not None:
            index.remove(inside)
            index.add(_Hit(start, end, known, "name"))
            continue
        if label == "PERSON":
            # a person span that is only a known place/demonym: NER noise
            if inside and inside[0].start == start and inside[-1].end == end:
                continue
            index.remove(inside)
            persons_spans.append((start, end))
        elif label == "NORP":
            if inside:
                continue  # "North Korean Soldiers": the gazetteer hit says it
            other_spans.append((start, end, "NORP"))
        elif label == "ORG":
            index.remove([h for h in inside if h.kind == "capital"])
            other_spans.append((start, end, "ORG"))
        else:
            index.remove(inside)
            other_spans.append((start, end, label))
    return persons_spans, other_spans


# words after a name that only an organisation takes ("Quorvex CEO Dara Lenz")
_COMPANY_AFTER = _words("ceo coo cfo cto employees shareholders investors headquarters subsidiary")
# and after its possessive ("Quorvex's board", "Quorvex's chief executive")
_COMPANY_OWNS = _COMPANY_AFTER | _words("board")


def _organisations_typed_as_people(
    doc: Any, spans: list[tuple[int, int, str]], strong: dict[str, str]
) -> list[tuple[int, int, str]]:
    """A one-word name the NER calls a person in one place and an
    organisation in another ("Quorvex said" / "the board of Quorvex"), or
    that a company word follows ("Quorvex CEO Dara Lenz", "Quorvex's
    board"), is an organisation everywhere in the story, so that a company
    keeps one id; never the surname of a full name the story gives."""
    surnames = {name_key(doc[e - 1].text) for s, e, lb in spans if lb == "PERSON" and e - s > 1}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for s, e, lb in spans:
        if e - s == 1:
            votes[slug(doc[s].text)][lb] += 1
    company = {
        slug(doc[s].text)
        for s, e, lb in spans
        if e - s == 1 and lb == "PERSON" and _company_word_after(doc, e)
    }
    out = []
    for s, e, lb in spans:
        key = slug(doc[s:e].text)
        if lb == "PERSON" and e - s == 1 and name_key(doc[s].text) not in surnames:
            v = votes[key]
            if key in company or (v["ORG"] and v["ORG"] + v["GPE"] >= v["PERSON"]):
                lb = "ORG"
                strong.setdefault(key, "ORG")
        out.append((s, e, lb))
    return out


def _company_word_after(doc: Any, end: int) -> bool:
    words = [t.lower_ for t in doc[end : end + 4]]
    if words[:2] == ["co", "-"]:
        words = words[2:]
    if words and words[0] in _COMPANY_AFTER:
        return True
    if words[:1] in (["'s"], ["’s"]):
        rest = words[1:]
        return bool(rest) and (rest[0] in _COMPANY_OWNS or rest[:2] == ["chief", "executive"])
    return False


def find_mentions(doc: Any, gazetteer: Gazetteer) -> list[Mention]:
    """Every reference to an entity in ``doc``, with character offsets into
    ``doc.text`` and the sentence index."""
    index = _HitIndex(len(doc))
    for s, e, a in _gazetteer_hits(doc, gazetteer):
        index.add(_Hit(s, e, a.entity, a.kind))
    persons_spans, other_spans = _sort_ner_spans(doc, gazetteer, index)
    hits = index.hits()

    # ---- persons
    taken = {i for s, e in persons_spans for i in range(s, e)}
    taken.update(i for h in hits for i in range(h.start, h.end))
    taken.update(i for s, e, _ in other_spans for i in range(s, e) if e - s > 1)
    for s, e in _titled_names(doc, taken, gazetteer):
        other_spans = [o for o in other_spans if not (o[0] >= s and o[1] <= e)]
        persons_spans.append((s, e))
    # a company's short name the NER took for a person ("Nimbra" beside
    # "Nimbra Cloud"): the company
    short_org = _company_short_names(doc, other_spans)
    for s, e in [p for p in persons_spans if name_key(doc[p[0] : p[1]].text) in short_org]:
        persons_spans.remove((s, e))
        other_spans.append((s, e, "ORG"))
    persons_spans.sort()
    persons = _cluster_persons(doc, persons_spans)
    by_short: dict[str, _Person] = {}
    for person in persons.values():
        for short in person.short:
            by_short.setdefault(short, person)

    person_hits: list[_Hit] = []
    # a known name alone that is the surname of someone the story names in
    # full ("Ada Cuban … Cuban said"): the person, not the people
    for h in hits:
        tok = doc[h.start]
        named = by_short.get(name_key(tok.text))
        if (
            h.end - h.start == 1
            and (h.kind == "demonym" or tok.dep_ in _SUBJECT_DEPS)
            and named is not None
            and len(named.words) > 1
            and name_key(named.words[-1]) == name_key(tok.text)
            and tok.pos_ == "PROPN"
            and tok.dep_ not in ("amod", "compound")
        ):
            index.remove([h])
            person_hits.append(_Hit(h.start, h.end, _person_entity(named), "name"))
    hits = index.hits()
    for start, end in persons_spans:
        found = _person_for(doc[start:end].text, persons, by_short)
        if found is not None:
            person_hits.append(_Hit(start, end, _person_entity(found), "name"))

    entities_by_id: dict[str, list[str]] = defaultdict(list)
    other_hits: list[_Hit] = []
    # the NER may label one name differently in two places: the story's majority wins
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for start, end, label in other_spans:
        labels[slug(doc[start:end].text)][label] += 1
    for start, end, label in other_spans:
        text = doc[start:end].text
        same = _same_person(text, persons, by_short) if label != "NORP" else None
        if same is not None:
            person_hits.append(_Hit(start, end, _person_entity(same), "name"))
            continue
        votes = labels[slug(text)]
        label = max(votes, key=lambda lb: (votes[lb], -_LABEL_ORDER.index(lb)))
        full = short_org.get(name_key(text)) if label == "ORG" else None
        entity_id = f"{_PREFIX[label]}:{slug(full or text)}"
        entities_by_id[entity_id].append(full or text)
        other_hits.append(_Hit(start, end, Entity(entity_id, text, label), "name"))

    # one display name per story entity: the most frequent, then the longest form
    names = {
        eid: max(set(forms), key=lambda f: (forms.count(f), len(f)))
        for eid, forms in entities_by_id.items()
    }
    other_hits = [
        _Hit(h.start, h.end, Entity(h.entity.id, names[h.entity.id], h.entity.type), h.kind)
        for h in other_hits
    ]

    covered: set[int] = set()
    for h in (*hits, *person_hits, *other_hits):
        covered.update(range(h.start, h.end))
    # surnames the NER missed
    for tok in doc:
        if tok.i in covered or not tok.is_title or tok.pos_ not in {"PROPN", "NOUN", "ADJ"}:
            continue
        key = name_key(tok.text)
        if len(key) >= 3 and key in by_short:
            person_hits.append(_Hit(tok.i, tok.i + 1, _person_entity(by_short[key]), "name"))
            covered.add(tok.i)
        elif len(key) >= 3 and tok.pos_ == "PROPN" and tok.dep_ in _SUBJECT_DEPS:
            # a given name used alone as a subject ("Tedros said")
            firsts = [p for p in persons.values() if len(p.words) > 1 and p.first == key]
            if len(firsts) == 1:
                person_hits.append(_Hit(tok.i, tok.i + 1, _person_entity(firsts[0]), "name"))
                covered.add(tok.i)

    # ---- roles
    alias_at: dict[int, _Hit] = {}
    for h in hits:
        for i in range(h.start, h.end):
            alias_at[i] = h
    role_hits = _role_mentions(doc, person_hits, alias_at, covered)

    all_hits = [*hits, *person_hits, *other_hits, *role_hits]
    sent_of = _sentence_index(doc)
    mentions: list[Mention] = []
    seen: set[tuple[int, int, str]] = set()
    for h in all_hits:
        span = doc[h.start : h.end]
        ident = (span.start_char, span.end_char, h.entity.id)
        if ident in seen:
            continue
        seen.add(ident)
        mentions.append(
            Mention(h.entity, span.text, span.start_char, span.end_char, sent_of[h.start])
        )
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    return mentions


def _relabel(doc: Any, start: int, end: int, label: str) -> tuple[str, bool]:
    """Correct frequent NER slips with the words around the span. The flag
    says the words gave clear evidence (then other spans of the same name in
    the story take the same label)."""
    last = doc[end - 1].lower_
    nxt = doc[end].lower_ if end < len(doc) else ""
    if label in {"PERSON", "ORG", "NORP"} and (last in _PLACE_NOUNS or nxt in _PLACE_NOUNS):
        return "GPE", True  # "Zaporizhzhia region", "Donetsk Oblast"
    if label in {"PERSON", "ORG", "NORP", "GPE"} and (
        last in _NATURE_NOUNS or nxt in _NATURE_NOUNS
    ):
        return "LOC", True  # "the Sorna river"
    if label in {"PERSON", "FAC", "LOC", "GPE"} and (last in _ORG_SUFFIXES or nxt in _ORG_NOUNS):
        return "ORG", True  # "the Corvin Agrochem works", "Acme Holdings"
    if label == "PERSON" and end - start == 1 and start > 0 and doc[start - 1].lower_ == "the":
        return "LOC", True  # "the Danube": people do not take an article
    if (
        label == "NORP"
        and end - start == 1
        and doc[start].pos_ != "ADJ"
        and not last.endswith(("an", "ic", "ish", "ese", "i"))
        and end < len(doc)
        and (_person_noun(doc[end]) or nxt in _COMPANY_AFTER or nxt == "boss")
    ):
        return "ORG", True  # "Twitch boss Emmett Shear": a title word is no nationality
    if label in {"ORG", "GPE", "NORP"} and end - start == 1 and nxt in _GOVERNMENT_NOUNS:
        return "PERSON", True  # "the Trump administration"
    if (
        label in {"ORG", "GPE", "FAC"}
        and end - start >= 2
        and all(t.is_title for t in doc[start:end])
    ):
        root = doc[start:end].root
        before = doc[start - 2] if start >= 2 and doc[start - 1].text == "," else None
        if (
            (root.dep_ == "appos" and _person_noun(root.head))
            or any(c.dep_ == "appos" and _person_noun(_first_word(c)) for c in root.children)
            or (before is not None and _person_noun(before))
            or (start > 0 and doc[start - 1].dep_ == "compound" and _person_noun(doc[start - 1]))
        ):
            return (
                "PERSON",
                True,
            )  # "The mayor of Brestak, Ivo Petrov,"; "chief executive Ivo Petrov"
    return label, False


def _company_short_names(doc: Any, spans: Sequence[tuple[int, int, str]]) -> dict[str, str]:
    """Short name → full name of the companies named with a corporate suffix
    ("Nimbra Cloud", "Acme Holdings" → "nimbra", "acme")."""
    out: dict[str, str] = {}
    for start, end, label in spans:
        if label != "ORG" or end - start < 2 or doc[end - 1].lower_ not in _ORG_SUFFIXES:
            continue
        head = doc[start : end - 1].text
        if head[:1].isupper():
            out.setdefault(name_key(head), doc[start:end].text)
    return out


def _first_word(tok: Any) -> Any:
    """The head of an apposition, or its first word when the parser hung a
    title on its object ("Secretary of the Harbour Council" headed by
    "Council")."""
    if _person_noun(tok):
        return tok
    words = [t for t in tok.subtree if t.pos_ not in ("DET", "PUNCT")]
    return words[0] if words else tok


def _person_noun(tok: Any) -> bool:
    return bool(_role_head(tok)) or (tok.pos_ == "NOUN" and tok.lemma_.lower() in _PERSON_NOUNS)


def _common_word(doc: Any, start: int, end: int, lowercase: set[str]) -> bool:
    """A capitalised common word that the NER took for a name: a single word at
    the start of a sentence or in the title line that the story also writes in
    lower case ("Chemical leak on the Sorna river")."""
    if end - start != 1:
        return False
    tok = doc[start]
    first_line = text_of(doc).find("\n")
    at_start = tok.is_sent_start or (first_line > 0 and tok.idx < first_line)
    return bool(at_start and tok.lower_ in lowercase)


# --------------------------------------------------------------------------- salience


def entity_stats(mentions: Sequence[Mention], title_end: int, sentences: int) -> list[EntityStat]:
    """Per entity: the number of mentions and a salience in 0..1.

    Salience adds up: in the title (0.3), in the lead, the first three sentences
    after the title (0.15), frequency relative to the story's most mentioned
    entity (0.25) and in absolute terms (0.1, saturating near eight mentions),
    and spread over the story's sentences (0.2). A passing mention scores
    below 0.1; the subject of a story near 1."""
    by_id: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_id[m.entity.id].append(m)
    if not by_id:
        return []
    top = max(len(ms) for ms in by_id.values())
    first_body = min((m.sentence for m in mentions if m.start >= title_end), default=0)
    total = max(1, sentences)
    stats = []
    for ms in by_id.values():
        entity = _best_entity(ms)
        count = len(ms)
        in_title = title_end > 0 and any(m.start < title_end for m in ms)
        in_lead = any(m.start >= title_end and m.sentence < first_body + 3 for m in ms)
        spread = len({m.sentence for m in ms}) / total
        score = (
            (0.3 if in_title else 0.0)
            + (0.15 if in_lead else 0.0)
            + 0.25 * count / top
            + 0.1 * min(1.0, math.log1p(count) / math.log1p(8))
            + 0.2 * min(1.0, spread * 2.5)
        )
        stats.append(EntityStat(entity, count, round(min(1.0, score), 3), in_title))
    stats.sort(key=lambda s: (-s.salience, -s.mentions, s.entity.name))
    return stats


def _best_entity(mentions: Sequence[Mention]) -> Entity:
    """The entity value with the fullest name among a group's mentions."""
    return max((m.entity for m in mentions), key=lambda e: (len(e.name.split()), len(e.name)))
