"""Attributed claims: who said what, how, and with which stance.

Rules on top of spaCy's dependency parse, in four passes over one story:

1. quotes: the character spans between quotation marks, joined across
   paragraphs when a paragraph reopens a quote it left open;
2. verb cues outside quotes (``said``, ``told reporters``, ``dismissed``,
   ``were quoted as saying`` …): the speaker is the subject (inherited through
   ``advcl``/``conj``/``xcomp`` and passives), the content is the reported
   clause, the object, or the quote next to the cue;
3. nominal cues: ``according to X``, ``in a statement``, ``X: “…”``;
4. left-overs: an unattributed quote paragraph continues the previous speaker;
   a sentence with a figure and a hard fact is the outlet's own claim.

Speakers are resolved to entities through the mentions (gazetteer-linked),
pronouns and role nouns ("he", "the spokesperson") to the most recent
compatible speaker outside quotes. News agencies that relay a quote and
datelines are never speakers.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.analysis.cues import (
    AUDIENCE,
    CLAIM_NOUNS,
    CUE_VERBS,
    DENY_CONTENT,
    FACT_LEMMAS,
    INSTITUTION_NOUNS,
    MODALS,
    NEEDS_CLAUSE,
    NEEDS_COMPLEMENT,
    NON_SPEAKERS,
    OBJECT_CUES,
    ROLE_NOUNS,
    STATEMENT_NOUNS,
    is_outlet_name,
)
from bot.analysis.nlp import text_of
from bot.analysis.numbers import extract_numbers
from bot.models import Claim, Mention, Stance

__all__ = ["extract_claims", "quote_spans"]

_OPEN = {"“": "”", "«": "»", "„": "“"}
_PERSONAL = {"he", "she", "him", "her"}
_GROUP_PRONOUNS = {"they", "it", "we"}
_DATELINE = re.compile(
    r"^[ \t]*(?:[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+)*)[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*"
    r"(?:[:—–-]|--)[ \t]+",
    re.MULTILINE,
)
_TIMESTAMP = re.compile(
    r"^[ \t]*(?:(?:update[sd]?|breaking|latest|live|correction|editor's note)\b[^\n]{0,24}?:[ \t]+"
    r"|\d{1,2}[:.]\d{2}(?:[ \t]*[ap]\.?m\.?)?(?:[ \t]*[A-Z]{2,4})?[ \t]*(?:[-–—:|]|\n)[ \t]*)",
    re.MULTILINE | re.IGNORECASE,
)
_LEAD_TRIM = re.compile(r"^(?:that|whether|if|,|:|;|—|–|-|\s)+", re.IGNORECASE)
_TRAIL_TRIM = re.compile(r"(?:[\s,;:—–-]|\.(?=\s*$))+$")
_SUBJ = ("nsubj", "nsubjpass", "csubj")


# --------------------------------------------------------------------------- quotes


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Interior character spans of quotations, in order.

    Curly, guillemet and straight double quotes are recognised, and single
    quotes within a paragraph. A paragraph
    that ends inside a quote and a next paragraph that opens a quote again
    continue one quotation (the newspaper convention for long quotes)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    closer = ""
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if start is None:
            if ch in _OPEN:
                start, closer = i + 1, _OPEN[ch]
            elif ch == '"':
                start, closer = i + 1, '"'
        elif ch == closer or (closer == "”" and ch == '"') or (closer == '"' and ch == "”"):
            if i > start:
                spans.append((start, i))
            start = None
        elif ch == "\n":
            # a paragraph ends inside the quote: continue it when the next
            # paragraph reopens a quote, else close it here
            j = i
            while j < n and text[j] in "\n \t":
                j += 1
            if j < n and text[j] in ('"', "“", "«") and j > i:
                i = j + 1
                continue
            if i > start:
                spans.append((start, i))
            start = None
        i += 1
    if start is not None and n > start:
        spans.append((start, n))
    return _with_single_quotes(text, spans)


_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(:—–\[]))[‘'](?=\w)", re.MULTILINE)
# a closing single quote follows punctuation ("…fight,’ he said") or comes
# before it ("the ‘new normal’, she said"); "workers’ union" is an apostrophe
_SINGLE_CLOSE = re.compile(r"(?<=[.,!?…])[’'](?=[\s)—–]|$)|(?<=\w)[’'](?=[.,;:!?)—–]|$)")


def _with_single_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Add quotations in single quotes (‘We will fight,’ he said.) that lie
    outside double-quoted ones; one paragraph at most, so that apostrophes
    ("workers' union", "Russia's") cannot open or run on."""
    out = list(spans)
    pos = 0
    while True:
        m = _SINGLE_OPEN.search(text, pos)
        if m is None:
            break
        begin = m.end()
        pos = begin
        if any(a - 1 <= m.start() < b + 1 for a, b in spans):
            continue
        para_end = text.find("\n", begin)
        para_end = len(text) if para_end < 0 else para_end
        close = _SINGLE_CLOSE.search(text, begin, min(para_end, begin + 800))
        if close is None or close.start() - begin < 2:
            continue
        out.append((begin, close.start()))
        pos = close.end()
    return sorted(out)


# --------------------------------------------------------------------------- context


@dataclass
class _Speaker:
    name: str
    id: str | None
    kind: str  # person | group | other
    pos: int  # character offset, for recency
    affil: frozenset[str] = frozenset()  # other entities named in the speaker phrase
    side: str | None = None  # whom an unlinked speaker phrase speaks for ("Ukrainian officials")


@dataclass
class _Ctx:
    doc: Any
    text: str  # doc.text, which spaCy rebuilds on every access
    mentions: Sequence[Mention]
    outlet: str | None
    quotes: list[tuple[int, int]]
    sent_of: dict[int, int]
    para_of: list[int]  # paragraph index by sentence
    datelines: list[tuple[int, int]]
    breaks: list[int] = field(default_factory=list)  # offsets of line breaks
    history: list[_Speaker] = field(default_factory=list)
    # whom a person of this story speaks for, from titles and appositions
    sides: dict[str, str] = field(default_factory=dict)
    # people with a company role and no company named beside it ("chief executive Priya Raman")
    company_people: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.quotes.sort()
        self.datelines.sort()
        self._quote_starts = [q[0] for q in self.quotes]
        self._dateline_starts = [d[0] for d in self.datelines]
        self._mention_starts = [m.start for m in self.mentions]
        self._longest_mention = max((m.end - m.start for m in self.mentions), default=0)

    def same_para(self, a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        return bisect_left(self.breaks, hi) == bisect_left(self.breaks, lo)

    def quote_at(self, i: int) -> tuple[int, int] | None:
        k = bisect_right(self._quote_starts, i) - 1
        if k >= 0 and self.quotes[k][0] <= i < self.quotes[k][1]:
            return self.quotes[k]
        return None

    def in_quote(self, i: int) -> bool:
        return self.quote_at(i) is not None

    def in_dateline(self, i: int) -> bool:
        k = bisect_right(self._dateline_starts, i) - 1
        return k >= 0 and self.datelines[k][0] <= i < self.datelines[k][1]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        lo = bisect_left(self._mention_starts, start - self._longest_mention)
        hi = bisect_left(self._mention_starts, end)
        return [m for m in self.mentions[lo:hi] if m.end > start]


@dataclass
class _Draft:
    speaker: _Speaker
    cue: str
    stance: Stance
    direct: bool
    start: int  # content span
    end: int
    tokens: list[Any] | None  # content tokens when not one contiguous span
    sentence: int
    order: int
    cue_lemma: str = ""
    cue_pos: int = -1


def _sentence_index(doc: Any) -> tuple[dict[int, int], list[Any]]:
    sents = list(doc.sents)
    return {s.start: k for k, s in enumerate(sents)}, sents


def _paragraphs(text: str, sents: list[Any]) -> list[int]:
    out: list[int] = []
    para = 0
    last_end = 0
    for s in sents:
        gap = text[last_end : s.start_char]
        if "\n" in gap or (out and "\n" in text[s.start_char : s.start_char]):
            para += 1
        out.append(para)
        last_end = s.end_char
    return out


# --------------------------------------------------------------------------- speakers


def _is_pronoun(tok: Any) -> bool:
    return bool(tok.pos_ == "PRON" or tok.lower_ in _PERSONAL | _GROUP_PRONOUNS)


def _speaker_tokens(head: Any, ctx: _Ctx) -> list[Any]:
    """The speaker phrase: the subject subtree without relative clauses,
    parentheticals and dateline tokens."""
    skip: set[int] = set()
    for t in _sub(head):
        if t.dep_ in ("relcl", "acl", "advcl", "ccomp") and t.i != head.i:
            skip.update(x.i for x in t.subtree)
    toks = [
        t
        for t in _sub(head)
        if t.i not in skip and not ctx.in_dateline(t.idx) and ctx.same_para(t.idx, head.idx)
    ]
    while toks and (toks[0].is_punct or (toks[0].dep_ in ("cc", "prep") and toks[0].i < head.i)):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    return toks


def _clean(tokens: Sequence[Any]) -> str:
    text = "".join(t.text_with_ws for t in tokens).strip()
    text = re.sub(r"\s+", " ", text)
    text = text.strip(" ,;:—–-\"“”'")
    return text[:1].upper() + text[1:] if text[:3].lower() == "the" else text


def _kind(mention: Mention | None, head: Any) -> str:
    if mention is not None:
        return "person" if mention.entity.type == "PERSON" else "group"
    if head.ent_type_ == "PERSON":
        return "person"
    if head.ent_type_ in ("ORG", "GPE", "NORP", "LOC", "FAC"):
        return "group"
    if head.lemma_.lower() in INSTITUTION_NOUNS or head.tag_ in ("NNS", "NNPS"):
        return "group"
    if head.lemma_.lower() in ROLE_NOUNS:
        return "person"
    return "other"


def _sub(tok: Any) -> list[Any]:
    """A token's subtree in text order (spaCy yields non-projective ones out of order)."""
    return sorted(tok.subtree, key=lambda t: t.i)


def _core(head: Any) -> Any:
    """The naming part of a subject with an apposition: "the foreign minister,
    Andrii Sybiha" → "Andrii Sybiha"; "Tammy Bruce, a spokesperson" → "Bruce";
    a vocative before it is no speaker ("Lena, the governor, Oksana Hrytsenko, says")."""
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and head.pos_ != "PROPN":
            return child
    doc = head.doc
    opens_turn = head.i == head.sent.start or doc[head.i - 1].text == ":"
    if (
        head.pos_ == "PROPN"
        and opens_turn
        and head.i + 1 < len(doc)
        and doc[head.i + 1].text == ","
    ):
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                names = [g for g in child.children if g.dep_ == "appos" and g.pos_ == "PROPN"]
                if names:
                    return names[-1]
    return head


def _resolve_previous(
    ctx: _Ctx, want: str, before: int, affil: frozenset[str] = frozenset()
) -> _Speaker | None:
    """The most recent speaker of the wanted kind before offset ``before``;
    with ``affil`` (entities of a role phrase: "the Ukrainian leader"), one
    whose own phrase named them."""
    if want == "person" and not affil:
        # a person named earlier in the same sentence, outside quotes
        # ("Zelensky's announcement came after he confirmed …")
        sent = ctx.doc.char_span(before, before + 1, alignment_mode="expand")
        if sent is not None:
            s0 = sent.sent.start_char
            same = [
                m
                for m in ctx.mentions
                if m.entity.type == "PERSON"
                and s0 <= m.start
                and m.end <= before
                and not ctx.in_quote(m.start)
            ]
            if same:
                m = same[-1]
                known = [h for h in ctx.history if h.id == m.entity.id]
                return (
                    known[-1] if known else _Speaker(m.entity.name, m.entity.id, "person", m.start)
                )
        # a person who is the subject of the previous sentence of the
        # paragraph, when named after the last speaker ("The doses have
        # arrived, the minister, Amara Okoye, confirmed. She said …")
        subject = _previous_person_subject(ctx, before)
        if subject is not None:
            last = next((h for h in reversed(ctx.history) if h.pos < before), None)
            if last is None or last.pos < subject[0] or last.id == subject[1].id:
                return subject[1]
    for sp in reversed(ctx.history):
        if sp.pos >= before:
            continue
        if affil and not (affil & (sp.affil | {sp.id or ""})):
            continue
        if want == "any" or sp.kind == want or (want == "group" and sp.kind == "other"):
            return sp
    if affil:
        return None
    # no earlier speaker: the latest named person outside quotes
    if want == "person":
        best: Mention | None = None
        for m in ctx.mentions:
            if m.entity.type == "PERSON" and m.end <= before and not ctx.in_quote(m.start):
                best = m
        if best is not None:
            return _Speaker(best.entity.name, best.entity.id, "person", best.start)
        for ent in ctx.doc.ents:
            if (
                ent.label_ == "PERSON"
                and ent.end_char <= before
                and not ctx.in_quote(ent.start_char)
            ):
                return _Speaker(ent.text, None, "person", ent.start_char)
    return None


_ORG_NOUNS = frozenset(
    {"company", "firm", "group", "organisation", "organization", "carrier", "airline", "bank"}
    | {"manufacturer", "maker", "insurer", "retailer", "operator", "startup", "developer"}
    | {"provider", "charity", "regulator", "watchdog", "utility", "club", "party", "union"}
)


def _latest_organisation(ctx: _Ctx, before: int) -> _Speaker | None:
    """ "The company said …": the organisation last named outside quotes;
    a name that only modifies another noun ("responded to the Glasshouse
    post") gives way to an earlier one that acts."""
    best: Mention | None = None
    acting: Mention | None = None
    for m in ctx.mentions:
        if m.end > before:
            break
        if ctx.in_quote(m.start):
            continue
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        labels = {t.ent_type_ for t in span} if span is not None else set()
        # an organisation, or a name the linker typed otherwise but spaCy
        # does not call a person
        org_like = "ORG" in labels or not (labels - {""})
        if m.entity.type == "ORG" or (m.entity.type not in ("GPE", "LOC", "NORP") and org_like):
            best = m
            root = span.root if span is not None else None
            modifier = (
                root is not None
                and root.dep_ in ("compound", "amod")
                and (root.head.ent_type_ == "")
            )
            if not modifier:
                acting = m
    if (
        best is not None
        and acting is not None
        and best is not acting
        and before - acting.start < 600
    ):
        best = acting
    if best is None:
        return None
    known = [h for h in ctx.history if h.id == best.entity.id]
    if known:
        return known[-1]
    return _Speaker(best.entity.name, best.entity.id, "group", best.start)


_NOT_OWN = frozenset({"to", "in", "at", "with", "against", "visiting", "from", "on", "toward"})


def _side_rank(m: Mention) -> int:
    """Which entity of a role phrase a person speaks for: a company before a
    country ("Nimbra's chief executive"), a country before one of its
    institutions ("a spokesperson for China's foreign ministry" → China)."""
    if m.entity.type == "ORG":
        last = m.entity.name.split()[-1].lower() if m.entity.name.split() else ""
        return 2 if last in INSTITUTION_NOUNS else 0
    return 1


def _own_entities(around: Sequence[Mention], skip: str | None, ctx: _Ctx) -> list[Mention]:
    """The countries and organisations a phrase names as its own: not "to
    China" in "Ukraine's ambassador to China"."""
    doc = ctx.doc
    out = []
    for m in around:
        if m.entity.id == skip or m.entity.type not in ("GPE", "ORG", "NORP"):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and span.start > 0 and doc[span.start - 1].lower_ in _NOT_OWN:
            continue
        out.append(m)
    return out


def _learn_side(person: Mention, phrase: list[Any], around: list[Mention], ctx: _Ctx) -> None:
    """Note, for this story, whom a person speaks for when a phrase says it with
    a role: "Ukrainian President Volodymyr Zelensky" (Ukraine), "a spokesperson
    for China's foreign ministry, Lin Jian" (China), "Nimbra's chief executive,
    Priya Raman" (Nimbra). "Ukraine's ambassador to China" speaks for Ukraine only."""
    if person.entity.type != "PERSON" or person.entity.id in ctx.sides:
        return
    if not any(t.lemma_.lower() in ROLE_NOUNS | INSTITUTION_NOUNS for t in phrase):
        return
    own = _own_entities(around, person.entity.id, ctx)
    if own:
        ctx.sides[person.entity.id] = min(own, key=_side_rank).entity.id
    elif any(t.lemma_.lower() in _CORPORATE_ROLES for t in phrase) and not any(
        t.lemma_.lower() in INSTITUTION_NOUNS for t in phrase
    ):
        ctx.company_people.add(person.entity.id)


_CORPORATE_ROLES = frozenset(
    {"executive", "ceo", "founder", "chairman", "chairwoman", "cfo", "cto", "coo", "president"}
)


def _company_of_story(ctx: _Ctx) -> str | None:
    """The organisation a story is about: the one named most often outside
    quotes, at least twice and more often than any other (a chief executive
    named without a company speaks for it)."""
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        if m.entity.type == "ORG" and not ctx.in_quote(m.start) and _side_rank(m) == 0:
            counts[m.entity.id] = counts.get(m.entity.id, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 2:
        return None
    if len(ranked) > 1 and ranked[0][1] <= ranked[1][1]:
        return None
    return ranked[0][0]


def _learn_sides(ctx: _Ctx) -> None:
    """Every person introduced with a role anywhere in the story, speaker or
    not ("Nimbra's chief executive, Priya Raman, apologised"; "Priya Raman,
    the company's chief executive"): the noun phrase around the name, without
    its clauses."""
    doc = ctx.doc
    for m in ctx.mentions:
        if m.entity.type != "PERSON" or m.entity.id in ctx.sides or ctx.in_quote(m.start):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        head = root.head if root.dep_ == "appos" else root
        phrase = _speaker_tokens(head, ctx)
        if len(phrase) < 2 or len(phrase) > 40:
            continue
        around = ctx.mentions_in(phrase[0].idx, phrase[-1].idx + len(phrase[-1].text))
        _learn_side(m, phrase, around, ctx)
    unsided = ctx.company_people - ctx.sides.keys()
    company = _company_of_story(ctx) if unsided else None
    if company is not None:
        for person in unsided:
            ctx.sides[person] = company


def _speaker_side(sp: _Speaker, ctx: _Ctx) -> str | None:
    """The side a speaker speaks for: what the story says of a person, a
    country or a company itself, the country an unlinked phrase names."""
    if sp.id is not None:
        if sp.id in ctx.sides:
            return ctx.sides[sp.id]
        if not sp.id.startswith("person:"):
            return sp.id
    return sp.side


def _previous_subject(head: Any, ctx: _Ctx) -> _Speaker | None:
    """ "Officials here do not accept that. They point out …": a plural
    subject of the previous sentence of the paragraph, speaker or not."""
    sent = head.sent
    if sent.start == 0:
        return None
    prev = head.doc[sent.start - 1].sent
    if not ctx.same_para(prev.start_char, head.idx):
        return None
    root = prev.root
    for c in root.children:
        if (
            c.dep_ in ("nsubj", "nsubjpass")
            and c.tag_ in ("NNS", "NNPS")
            and (
                c.lemma_.lower() in ROLE_NOUNS | INSTITUTION_NOUNS or c.ent_type_ in ("NORP", "ORG")
            )
            and not ctx.in_quote(c.idx)
        ):
            return _speaker(c, ctx)
    return None


def _previous_person_subject(ctx: _Ctx, before: int) -> tuple[int, _Speaker] | None:
    tok = ctx.doc.char_span(before, before + 1, alignment_mode="expand")
    if tok is None or tok.start == 0:
        return None
    sent = tok.sent
    if sent.start == 0:
        return None
    prev = ctx.doc[sent.start - 1].sent
    if not ctx.same_para(prev.start_char, before):
        return None
    best: tuple[int, _Speaker] | None = None
    for m in ctx.mentions_in(prev.start_char, prev.end_char):
        if m.entity.type != "PERSON" or ctx.in_quote(m.start):
            continue
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        while root.dep_ in ("appos", "compound") and root.head is not root:
            root = root.head
        if root.dep_ in ("nsubj", "nsubjpass"):
            known = [h for h in ctx.history if h.id == m.entity.id]
            sp = known[-1] if known else _Speaker(m.entity.name, m.entity.id, "person", m.start)
            best = (m.start, sp)
    return best


_NAMING_VERBS = frozenset({"call", "know", "name", "dub", "style"})


def _self_named(core: Any, ctx: _Ctx) -> _Speaker | None:
    """ "A group calling itself Glasshouse", "a hacker known as Vortex": the
    name in the naming clause is the speaker, not the common noun."""
    if core.pos_ != "NOUN":
        return None
    for child in core.children:
        if child.dep_ != "acl" or child.lemma_.lower() not in _NAMING_VERBS:
            continue
        sub = _sub(child)
        for m in ctx.mentions_in(sub[0].idx, sub[-1].idx + len(sub[-1].text)):
            if m.entity.type in ("ORG", "PERSON", "NORP") and not ctx.in_quote(m.start):
                return _Speaker(m.entity.name, m.entity.id, _kind(m, core), core.idx)
    return None


def _speaker(head: Any, ctx: _Ctx) -> _Speaker | None:
    """Resolve the subject token ``head`` to a speaker, or None if it names
    nobody (expletive "it", "the claims")."""
    low = head.lower_
    if ctx.in_dateline(head.idx):
        return None
    if head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl":
        head = head.head.head
        low = head.lower_
    if _is_pronoun(head):
        if low in _PERSONAL:
            return _resolve_previous(ctx, "person", head.idx)
        if low in ("they", "we"):
            return (
                _previous_subject(head, ctx)
                or _resolve_previous(ctx, "group", head.idx)
                or _resolve_previous(ctx, "any", head.idx)
            )
        if low == "it":
            # "It said in a statement …": the organisation that spoke last
            prev = _resolve_previous(ctx, "group", head.idx)
            if prev is not None and prev.kind == "group" and head.idx - prev.pos < 400:
                return prev
        return None
    core = _core(head)
    toks = _speaker_tokens(core, ctx)
    if not toks:
        return None
    named = _self_named(core, ctx)
    if named is not None:
        return named
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    found = ctx.mentions_in(start, end)
    covering = [m for m in found if m.start <= core.idx < m.end]
    # the whole subject phrase, appositions included, for affiliations
    whole = _sub(head)
    around = ctx.mentions_in(whole[0].idx, whole[-1].idx + len(whole[-1].text))
    if covering:
        m = max(covering, key=lambda x: x.end - x.start)
        affil = frozenset(x.entity.id for x in around if x.entity.id != m.entity.id)
        _learn_side(m, whole, around, ctx)
        return _Speaker(m.entity.name, m.entity.id, _kind(m, core), start, affil)
    persons = [m for m in found if m.entity.type == "PERSON"]
    if persons:
        m = persons[-1]
        affil = frozenset(x.entity.id for x in around if x.entity.id != m.entity.id)
        _learn_side(m, whole, around, ctx)
        return _Speaker(m.entity.name, m.entity.id, "person", start, affil)
    lemma = core.lemma_.lower()
    if lemma in NON_SPEAKERS or lemma in CLAIM_NOUNS:
        return None
    if toks[0].lower_ in ("no", "nobody", "neither", "few"):
        return None
    name = _clean(toks)
    if core.pos_ != "PROPN":
        has_propn = any(t.pos_ == "PROPN" and t.ent_type_ in ("PERSON", "ORG") for t in toks)
        definite = toks[0].lower_ in ("the", "this", "that")
        if lemma in ROLE_NOUNS and definite and not has_propn and core.tag_ == "NN":
            # "the spokesperson", "the Ukrainian leader": someone named before
            prev = _resolve_previous(ctx, "person", head.idx, frozenset(m.entity.id for m in found))
            if prev is not None:
                return prev
        if (
            lemma in ("spokesperson", "spokesman", "spokeswoman", "official")
            and toks[0].lower_ in ("a", "an")
            and len(toks) <= 2
            and not found
        ):
            # "The ministry denied it. “…,” a spokesperson said."
            prev = _resolve_previous(ctx, "group", head.idx)
            if prev is not None and prev.kind == "group" and head.idx - prev.pos < 600:
                return prev
        if lemma in _ORG_NOUNS and definite and not has_propn and not found:
            prev = _latest_organisation(ctx, head.idx)
            if prev is not None:
                return prev
        if found and (lemma in INSTITUTION_NOUNS or lemma in ROLE_NOUNS):
            m = found[0]
            own = _own_entities(found, None, ctx)
            side = min(own, key=_side_rank).entity.id if own else None
            return _Speaker(name, m.entity.id, _kind(None, core), start, side=side)
        if (
            not has_propn
            and lemma not in ROLE_NOUNS
            and lemma not in INSTITUTION_NOUNS
            and core.ent_type_ not in ("PERSON", "ORG", "GPE", "NORP")
            and core.pos_ != "NOUN"
        ):
            return None
    if core.ent_type_ == "PERSON":
        ents = [e for e in ctx.doc.ents if e.start <= core.i < e.end]
        if ents:
            name = ents[0].text
    own = _own_entities(found, None, ctx)
    side = min(own, key=_side_rank).entity.id if own else None
    return _Speaker(name, None, _kind(None, core), start, side=side)


# --------------------------------------------------------------------------- content


_AUXILIARIES = frozenset({"be", "have", "do", "will", "shall", "may", "might", "can", "could"})
_BEFORE_CUES = frozenset(
    {"say", "add", "tell", "claim", "insist", "warn", "argue", "write", "state", "note"}
    | {"explain", "report", "allege", "confirm", "acknowledge", "admit", "deny", "stress"}
)


def _content_from_children(cue: Any, ctx: _Ctx | None = None) -> tuple[list[Any], str]:
    """The content tokens of a verb cue from its complements, and a tag for
    the kind of complement."""
    lemma = cue.lemma_.lower()
    kids = list(cue.children)
    if ctx is not None:
        # a headline's verb that the parser gave the first paragraph as object
        kids = [c for c in kids if ctx.same_para(c.idx, cue.idx)]
    ccomp = [c for c in kids if c.dep_ in ("ccomp", "parataxis") and c.i > cue.i]
    if ccomp:
        # "says X, the agency has reported": a relay hung as a second clause
        own = [
            c
            for c in ccomp
            if not (c.lemma_.lower() in CUE_VERBS and any(g.dep_ in _SUBJ for g in c.children))
        ]
        return _span_of(own or ccomp[:1]), "ccomp"
    # "The toll stands at seven, the governor said." - the clause comes first
    before = [c for c in kids if c.dep_ in ("ccomp", "parataxis") and c.i < cue.i]
    if before and lemma in _BEFORE_CUES:
        toks = [t for t in _span_of(before[-1:]) if t.dep_ != "meta"]
        while toks and (
            toks[0].is_punct
            or toks[0].dep_ == "meta"
            or (toks[0].like_num and toks[0].i == toks[0].sent.start)
        ):
            toks = toks[1:]
        return toks, "ccomp"
    dobj = [c for c in kids if c.dep_ in ("dobj", "dative") and c.i > cue.i]
    comp = [c for c in kids if c.dep_ in ("oprd", "xcomp", "acomp", "attr") and c.i > cue.i]
    comp += [c for c in kids if c.dep_ == "advcl" and c.i > cue.i and _sub(c)[0].lower_ == "as"]
    preps = [
        c
        for c in kids
        if c.dep_ == "prep"
        and c.lower_ in ("of", "for", "as", "about", "over", "against")
        and c.i > cue.i
    ]
    if lemma == "tell":
        dobj = [
            d
            for d in dobj
            if d.lemma_.lower() not in AUDIENCE
            and d.pos_ != "PRON"
            and not is_outlet_name(_clean(_sub(d)))
        ]
    if lemma in NEEDS_COMPLEMENT:
        if len(dobj) >= 2:
            return _span_of(dobj), "object"
        if dobj and (comp or any(p.lower_ == "as" for p in preps)):
            parts = dobj + comp + [p for p in preps if p.lower_ == "as"]
            return _span_of(parts), "object"
        if any(d.lemma_.lower() in CLAIM_NOUNS for d in dobj) and comp:
            return _span_of(dobj + comp), "object"
        return [], ""
    if lemma in ("accuse", "blame", "criticise", "criticize", "condemn", "warn") and dobj:
        return _span_of(dobj + preps), "object"
    if comp and lemma in ("urge", "claim", "promise", "pledge", "vow", "warn", "tell"):
        return _span_of(dobj + comp), "xcomp"
    # "repeated its claim that …", "dismissed the claims that …"
    for d in dobj[:1]:
        if d.lemma_.lower() in CLAIM_NOUNS:
            inner = [c for c in d.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > d.i]
            inner = [c for c in inner if any(x.lower_ == "that" for x in c.children)]
            if inner:
                return _sub(inner[0]), "claim-of"
    # "puts the death toll at 60", "put the loss at nearly 60,000 tonnes"
    if lemma == "put":
        at = [p for p in kids if p.dep_ == "prep" and p.lower_ == "at" and p.i > cue.i]
        if dobj and at:
            return _span_of(dobj + at), "object"
        return [], ""
    if dobj and (lemma in OBJECT_CUES):
        return _span_of(dobj + comp + preps), "object"
    if comp and lemma not in NEEDS_CLAUSE:
        return _span_of(comp), "xcomp"
    if preps and lemma in ("warn", "speak", "complain", "boast"):
        return _span_of(preps), "object"
    return [], ""


def _span_of(heads: Iterable[Any]) -> list[Any]:
    toks: dict[int, Any] = {}
    for h in heads:
        for t in h.subtree:
            toks[t.i] = t
    if not toks:
        return []
    lo, hi = min(toks), max(toks)
    doc = next(iter(toks.values())).doc
    return [doc[i] for i in range(lo, hi + 1)]


def _relay_tokens(sent: Any, ctx: _Ctx) -> set[int]:
    """Token indices of relay phrases ("according to the AP", "per Reuters")."""
    out: set[int] = set()
    for t in sent:
        if (t.lower_ == "per" and t.dep_ == "prep") or _according_to(t) is not None:
            pobj = _according_to(t) if t.lower_ != "per" else _pobj(t)
            if pobj is None:
                continue
            name = _clean(_sub(pobj))
            if is_outlet_name(name, ctx.outlet) or t.lower_ == "per":
                out.update(x.i for x in t.subtree)
                # the comma before it
                if t.i > 0 and t.doc[t.i - 1].is_punct and t.doc[t.i - 1].text == ",":
                    out.add(t.i - 1)
    return out


def _pobj(prep: Any) -> Any:
    for c in prep.children:
        if c.dep_ == "pobj":
            return c
    return None


def _according_to(tok: Any) -> Any:
    """The object of "according to" when ``tok`` is "according"."""
    if tok.lower_ != "according":
        return None
    for c in tok.children:
        if c.lower_ == "to":
            return _pobj(c)
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        return _pobj(nxt)
    return None


def _cue_phrase(cue: Any) -> str:
    words = [cue.text]
    for c in cue.children:
        if c.dep_ == "prt" and c.i == cue.i + 1:
            words.append(c.text)
    lemma = cue.lemma_.lower()
    if lemma == "tell":
        for c in cue.children:
            if c.dep_ in ("dobj", "dative") and (
                c.lemma_.lower() in AUDIENCE or is_outlet_name(_clean(_sub(c)))
            ):
                return " ".join([*words, *[t.text for t in _sub(c) if t.i <= c.i]])
    if lemma in ("write", "post"):
        for c in cue.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "in"):
                obj = _pobj(c)
                if obj is not None and obj.lemma_.lower() in ("medium", "media"):
                    return " ".join([*words, *[t.text for t in c.subtree]])
    if cue.dep_ == "pcomp" and cue.head.lower_ == "as" and cue.head.head.lemma_ == "quote":
        return f"{cue.head.head.text} as {cue.text}"
    return " ".join(words)


def _modal_or_negated(cue: Any) -> tuple[bool, bool]:
    modal = any(c.dep_ == "aux" and c.lower_ in MODALS for c in cue.children)
    neg = any(c.dep_ == "neg" for c in cue.children)
    head = cue
    # "declined to say", "refused to confirm", "did not want to comment"
    if cue.dep_ == "xcomp" and cue.head.lemma_.lower() in ("decline", "refuse", "fail"):
        neg = True
    while head.dep_ in ("xcomp",) and head.head is not head:
        head = head.head
        if any(c.dep_ == "neg" for c in head.children):
            neg = True
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in head.children):
            modal = True
    return modal, neg


def _subject_of(cue: Any, ctx: _Ctx | None = None) -> tuple[Any, bool]:
    """The subject token of ``cue`` (inherited through advcl/conj/xcomp and
    "quoted as saying"), and whether it is the subject of a passive."""
    subj, passive = _parsed_subject(cue)
    if subj is not None and ctx is not None and ctx.in_dateline(subj.idx):
        # "GENEVA (Reuters) - The WHO said": the parser made the dateline a subject too
        others = [
            c
            for c in subj.head.children
            if c.dep_ in _SUBJ and c.i != subj.i and not ctx.in_dateline(c.idx)
        ]
        if others:
            subj = others[0]
        else:
            # "VALMORA, Portugal — Portugal's interior minister, Rui Sequeira,
            # said": the subject was hung on the dateline's place name
            part = {
                t.i: t
                for t in _sub(subj)
                if not ctx.in_dateline(t.idx)
                and not t.is_punct
                and not t.is_space
                and ctx.same_para(t.idx, cue.idx)
            }
            tops = [
                t for t in part.values() if t.head.i not in part and t.pos_ in ("NOUN", "PROPN")
            ]
            subj = tops[0] if tops else None
    if subj is None and ctx is not None:
        subj = _stranded_subject(cue, ctx)
    return subj, passive


def _stranded_subject(cue: Any, ctx: _Ctx) -> Any:
    """A headline run into the first paragraph makes the parser hang the
    paragraph's subject on the headline's verb: take the noun of the cue's
    paragraph, before the cue, that is attached across the break."""
    sent = cue.sent
    if ctx.same_para(sent.start_char, cue.idx):
        # "In a post on the blog, chief executive Priya Raman confirmed …":
        # the name right before the cue, hung on the preceding phrase
        prev = cue.doc[cue.i - 1] if cue.i > sent.start else None
        if (
            prev is not None
            and prev.pos_ == "PROPN"
            and not ctx.in_quote(prev.idx)
            and any(m.entity.type == "PERSON" for m in ctx.mentions_in(prev.idx, prev.idx + 1))
        ):
            return prev
        return None
    found = None
    for t in sent:
        if t.i >= cue.i:
            break
        if not ctx.same_para(t.idx, cue.idx) or t.is_space:
            continue
        if t.pos_ in ("NOUN", "PROPN", "PRON") and not ctx.same_para(t.head.idx, cue.idx):
            found = t
    return found


def _parsed_subject(cue: Any) -> tuple[Any, bool]:
    node = cue
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ in _SUBJ]
        # headline parses hang the subject on a verb taken for an auxiliary
        # ("Corvin Agrochem rejects claim …": rejects/aux, claim/ROOT)
        subjects += [
            g for c in node.children if c.dep_ == "aux" for g in c.children if g.dep_ in _SUBJ
        ]
        before = [c for c in subjects if c.i < node.i]
        if subjects:
            c = before[-1] if before else subjects[0]
            return c, c.dep_ == "nsubjpass"
        if node.dep_ in ("advcl", "conj", "xcomp", "pcomp", "prep") and node.head is not node:
            node = node.head
            continue
        if node.dep_ == "relcl":
            return node.head, False
        break
    return None, False


def _agent(cue: Any) -> Any:
    for c in cue.children:
        if c.dep_ == "agent":
            return _pobj(c)
    return None


# --------------------------------------------------------------------------- extraction


def _adjacent_quote(cue: Any, sent: Any, ctx: _Ctx) -> tuple[int, int] | None:
    """A quotation that ends just before the cue's clause ("“…,” he said") or
    starts just after the cue ("he said: “…”") in the same sentence."""
    text = ctx.text
    s_start, s_end = sent.start_char, sent.end_char
    best: tuple[int, int] | None = None
    for qs, qe in ctx.quotes:
        if qe - qs < 8:
            continue
        if qe <= cue.idx and qe >= s_start - 1:
            between = text[qe + 1 : cue.idx]
            if "\n" in between:
                continue
            if len(between.split()) <= 12 and not any(
                a >= qe + 1 and b <= cue.idx for a, b in ctx.quotes
            ):
                best = (qs, qe)
        elif qs > cue.idx and qs - 1 < s_end + 2:
            between = text[cue.idx + len(cue.text) : qs - 1]
            words = between.split()
            if "\n" in between and not between.strip().endswith(":"):
                break
            if (
                len(words) <= 8
                and ("," in between or ":" in between or between.strip() == "" or len(words) <= 3)
                and best is None
            ):
                return (qs, qe)
    return best


QUOTE_CUES = frozenset(CUE_VERBS) - {
    "urge",
    "call",
    "label",
    "accuse",
    "blame",
    "demand",
    "describe",
    "brand",
    "criticise",
    "criticize",
    "condemn",
    "praise",
    "hail",
    "dismiss",
    "reject",
    "question",
    "doubt",
    "promise",
    "pledge",
    "vow",
    "signal",
    "imply",
    "hint",
    "detail",
    "specify",
    "estimate",
    "characterize",
    "characterise",
    "tout",
    "disclose",
    "reveal",
    "indicate",
    "mention",
    "forecast",
    "predict",
    "inform",
    "underline",
    "underscore",
    "highlight",
}
_CLAUSE_CUES = frozenset(
    {"say", "claim", "assert", "insist", "warn", "argue", "allege", "suggest", "add", "write"}
    | {"state", "note", "stress", "maintain", "confirm", "acknowledge", "admit", "deny"}
    | {"reveal", "announce", "declare", "report", "tell", "explain", "emphasise", "emphasize"}
)


def _that_clause(cue: Any, ctx: _Ctx) -> list[Any]:
    """Fallbacks for parses that lose the reported clause: "confirmed for the
    first time that X" (X hung on "time"); "claims X suggests Y" (X a conj)."""
    if cue.lemma_.lower() not in _CLAUSE_CUES:
        return []
    doc = cue.doc
    end = cue.sent.end
    # "said the remaining differences concerned …": the clause's subject was
    # taken for a second subject of the cue
    late = [c for c in cue.children if c.dep_ in _SUBJ and c.i > cue.i]
    if late:
        toks: list[Any] = [doc[i] for i in range(late[0].i, end)]
        while toks and toks[-1].is_punct:
            toks = toks[:-1]
        if len(toks) >= 3:
            return toks
    # "X has killed six people, the NCDC said": the clause before the comma
    subj = [c for c in cue.children if c.dep_ in _SUBJ and c.i < cue.i]
    after = [t for t in doc[cue.i + 1 : end] if not t.is_punct]
    ends_sentence = len(after) <= 6 and not any(t.pos_ in ("VERB", "AUX") for t in after)
    if cue.lemma_.lower() in _BEFORE_CUES and subj and ends_sentence and cue.dep_ != "relcl":
        first = min(t.i for t in _sub(subj[-1]))
        if first > cue.sent.start and doc[first - 1].text == ",":
            toks = [
                doc[i]
                for i in range(cue.sent.start, first - 1)
                if not ctx.in_dateline(doc[i].idx) and ctx.same_para(doc[i].idx, cue.idx)
            ]
            if len(toks) >= 4 and any(t.pos_ in ("VERB", "AUX") for t in toks):
                return toks
    sub = sorted(cue.subtree, key=lambda t: t.i)
    for t in sub:
        if t.i > cue.i and t.i - cue.i <= 8 and t.lower_ == "that" and t.dep_ != "det":
            rest = [x for x in sub if x.i > t.i]
            if len([x for x in rest if not x.is_punct]) >= 3:
                return rest
    # the clause right after the cue, when the parse attached it elsewhere
    toks = []
    for i in range(cue.i + 1, end):
        tok = doc[i]
        if tok.text == ";" or (ctx.in_quote(tok.idx) and not toks):
            break
        toks.append(tok)
    has_clause = any(
        t.pos_ in ("VERB", "AUX") and any(c.dep_ in _SUBJ and c.i > cue.i for c in t.children)
        for t in toks
    )
    if toks and toks[0].pos_ in ("DET", "PROPN", "NOUN", "PRON", "ADJ", "NUM") and has_clause:
        return toks
    return []


def _tokens_text(tokens: Sequence[Any]) -> str:
    out: list[str] = []
    prev = None
    for t in tokens:
        if prev is not None and t.i != prev.i + 1 and not prev.whitespace_:
            out.append(" ")
        out.append(t.text_with_ws)
        prev = t
    return "".join(out)


def _finish(
    text: str, start: int, end: int, tokens: list[Any] | None, ctx: _Ctx
) -> tuple[str, int, int]:
    """Trim a content span; extend it to the end of a quote it opens."""
    if tokens is not None:
        q = ctx.quote_at(tokens[-1].idx)
        if q is not None and q[1] > end and q[1] - end < 400:
            extra = ctx.doc.char_span(end, q[1], alignment_mode="expand")
            if extra is not None:
                tokens = tokens + [t for t in extra if t.i > tokens[-1].i]
                end = q[1]
        raw = _tokens_text(tokens)
    else:
        raw = text[start:end]
    raw = re.sub(r"\s+", " ", raw).strip()
    raw = _LEAD_TRIM.sub("", raw)
    raw = _TRAIL_TRIM.sub("", raw)
    raw = raw.strip(' “”"«»')
    raw = _TRAIL_TRIM.sub("", raw)
    return _balance(raw), start, end


def _balance(text: str) -> str:
    """Close a quotation the content opens but does not close."""
    if text.count("“") > text.count("”"):
        text += "”"
    if text.count('"') % 2:
        text += '"'
    return text


def _stance(lemma: str, content: str, cue_tokens: Sequence[Any]) -> Stance:
    base = CUE_VERBS.get(lemma, Stance.ASSERT)
    if base is Stance.ASSERT and DENY_CONTENT.search(content):
        return Stance.DENY
    return base


def _headline_cue(cue: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "Corvin Agrochem rejects claim it hid leak": the parser takes the cue
    verb of a headline for an auxiliary of the next word."""
    subj = next((c for c in cue.children if c.dep_ in _SUBJ), None)
    head = cue.head
    if subj is None or head is cue or head.i <= cue.i:
        return None
    speaker = _speaker(subj, ctx)
    if speaker is None:
        return None
    skip = {t.i for t in _sub(cue)}
    toks = [t for t in _sub(head) if t.i not in skip and t.i > cue.i]
    lemma = _aux_cue_lemma(cue) or cue.lemma_.lower()
    return _draft_from_tokens(speaker, cue, lemma, toks, sent, k, ctx, False)


def _aux_cue_lemma(tok: Any) -> str | None:
    """The cue lemma of a headline verb tagged as an auxiliary ("rejects")."""
    if tok.dep_ != "aux" or tok.lemma_.lower() in _AUXILIARIES:
        return None
    low: str = tok.lower_
    lemma: str = tok.lemma_.lower()
    for cand in (lemma, low, low[:-1], low[:-2], low[:-3] + "y"):
        if cand in CUE_VERBS:
            return cand
    return None


def _verb_claim(cue: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    lemma = cue.lemma_.lower()
    if cue.dep_ == "aux":
        return _headline_cue(cue, sent, k, ctx) if _aux_cue_lemma(cue) else None
    if any(_aux_cue_lemma(c) for c in cue.children):
        return None  # the word after a headline cue, see _headline_cue
    if cue.pos_ not in ("VERB", "AUX") and not (cue.pos_ == "NOUN" and lemma == "say"):
        return None
    if lemma == "call" and any(
        c.dep_ == "prep" and c.lower_ in ("for", "on") for c in cue.children
    ):
        return None
    if lemma in ("point",) and not any(c.dep_ == "prt" and c.lower_ == "out" for c in cue.children):
        return None
    if lemma == "quote":  # "X was quoted as saying": the cue is "saying"
        return None
    if cue.dep_ in ("acl", "amod", "compound"):  # "cases reported each day"
        return None
    modal, neg = _modal_or_negated(cue)
    if neg:
        return None
    own_subject = any(c.dep_ in _SUBJ for c in cue.children)
    if not own_subject:
        # "to demand an explanation": a purpose, not an attribution
        if any(c.tag_ == "TO" for c in cue.children) and cue.head.lemma_.lower() not in (
            "claim",
            "continue",
            "go",
        ):
            return None
        # "..., calling the claims unfounded": a participle after a comma,
        # or opening the sentence; "cards confirming citizenship" is no cue
        if cue.tag_ == "VBG" and cue.dep_ in ("advcl", "acl", "xcomp"):
            prev = cue.doc[cue.i - 1] if cue.i > 0 else None
            if cue.i != sent.start and (prev is None or prev.text not in (",", "—", "–", ";")):
                return None
    subj, passive = _subject_of(cue, ctx)
    speaker: _Speaker | None = None
    if passive and subj is not None and subj.lower_ == "it":
        agent = _agent(cue)
        if agent is not None:
            speaker = _speaker(agent, ctx)
        else:
            speaker = _Speaker(ctx.outlet or "unattributed", None, "other", cue.idx)
    elif passive and cue.dep_ != "pcomp":
        agent = _agent(cue)
        if agent is None or lemma not in OBJECT_CUES:
            return None
        speaker = _speaker(agent, ctx)
        content = _sub(subj)
        if speaker is None or not content:
            return None
        return _draft_from_tokens(speaker, cue, lemma, content, sent, k, ctx, modal)
    elif subj is not None:
        if not ctx.same_para(subj.idx, cue.idx):
            # a headline the parser ran into the paragraph: keep the part of
            # the subject that is in the cue's paragraph
            part = {t.i: t for t in subj.subtree if ctx.same_para(t.idx, cue.idx)}
            tops = [t for t in part.values() if t.head.i not in part]
            if len(tops) != 1:
                return None
            subj = tops[0]
        speaker = _speaker(subj, ctx)
    if speaker is None:
        return None
    if ctx.in_quote(subj.idx if subj is not None else cue.idx) and not ctx.in_quote(cue.idx):
        return None
    toks, tag = _content_from_children(cue, ctx)
    quote = None
    if toks:
        inside = sum(1 for t in toks if ctx.in_quote(t.idx) and not t.is_punct)
        words = sum(1 for t in toks if not t.is_punct)
        if words and inside == words and tag == "ccomp":
            quote = ctx.quote_at(toks[0].idx) or ctx.quote_at(toks[-1].idx)
    if not toks and quote is None and lemma in QUOTE_CUES and cue.dep_ != "xcomp":
        quote = _adjacent_quote(cue, sent, ctx)
    if quote is not None:
        text, start, end = _finish(ctx.text, quote[0], quote[1], None, ctx)
        if not text:
            return None
        stance = Stance.QUESTION if modal else _stance(lemma, text, [cue])
        return _Draft(
            speaker, _cue_phrase(cue), stance, True, start, end, None, k, 0, lemma, cue.idx
        )
    if not toks:
        toks = _that_clause(cue, ctx)
    if not toks:
        return None
    return _draft_from_tokens(speaker, cue, lemma, toks, sent, k, ctx, modal)


def _cut_other_attribution(toks: list[Any], cue: Any, ctx: _Ctx) -> list[Any]:
    """ "Police said two men were arrested, while the mayor warned that …": the
    second attribution is a claim of its own, not part of the first one."""
    if not toks:
        return toks
    first = toks[0].i
    for t in toks:
        if (
            t.i > first + 2
            and t is not cue
            and t.dep_ in ("advcl", "conj")
            and t.lemma_.lower() in CUE_VERBS
            and not ctx.in_quote(t.idx)
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
        ):
            start = min(x.i for x in _sub(t))
            if start > first + 2:
                kept = [x for x in toks if x.i < start]
                while kept and (kept[-1].is_punct or kept[-1].dep_ in ("cc", "mark")):
                    kept = kept[:-1]
                return kept
    return toks


def _draft_from_tokens(
    speaker: _Speaker,
    cue: Any,
    lemma: str,
    toks: list[Any],
    sent: Any,
    k: int,
    ctx: _Ctx,
    modal: bool,
) -> _Draft | None:
    relay = _relay_tokens(sent, ctx)
    toks = [
        t
        for t in toks
        if t.i not in relay and ctx.same_para(t.idx, cue.idx) and not ctx.in_dateline(t.idx)
    ]
    toks = _cut_other_attribution(toks, cue, ctx)
    while toks and (toks[-1].is_punct and toks[-1].text not in '”"»%'):
        toks = toks[:-1]
    if not toks:
        return None
    words = [t for t in toks if not t.is_punct]
    if len(words) < 2 and not (words and words[0].pos_ == "PROPN"):
        return None
    inside = sum(1 for t in words if ctx.in_quote(t.idx))
    start = toks[0].idx
    end = toks[-1].idx + len(toks[-1].text)
    text, start, end = _finish(ctx.text, start, end, toks, ctx)
    if not text:
        return None
    direct = bool(words) and inside == len(words)
    stance = Stance.QUESTION if modal else _stance(lemma, text, [cue])
    return _Draft(speaker, _cue_phrase(cue), stance, direct, start, end, toks, k, 0, lemma)


def _according_claim(tok: Any, sent: Any, k: int, ctx: _Ctx, has_other: bool) -> _Draft | None:
    pobj = _according_to(tok)
    if pobj is None:
        return None
    name = _clean(_sub(pobj))
    if has_other and (is_outlet_name(name, ctx.outlet) or pobj.pos_ != "PROPN"):
        return None
    # "“…,” Solberg said, according to Wirewatch": the phrase hangs on a cue
    # that has its own speaker, so it names a relay
    if has_other and tok.head.lemma_.lower() in CUE_VERBS:
        return None
    # "according to data from the health ministry": the source is the ministry
    target = pobj
    if pobj.pos_ == "NOUN" and pobj.lemma_.lower() not in ROLE_NOUNS | INSTITUTION_NOUNS:
        for c in pobj.children:
            if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
                inner = _pobj(c)
                if inner is not None:
                    target = inner
    skip = {t.i for t in tok.subtree}
    # "according to the talks' chair, UN envoy Halvard Munk." - an apposition
    # at the end of the sentence the parser hung elsewhere
    tail_start = max(skip) + 1
    tail = [t for t in sent if t.i >= tail_start]
    while tail and tail[-1].is_punct:
        tail = tail[:-1]
    if (
        tail
        and tail[0].text == ","
        and len(tail) <= 7
        and not any(t.pos_ in ("VERB", "AUX") for t in tail)
    ):
        people = [
            m
            for m in ctx.mentions_in(tail[0].idx, tail[-1].idx + len(tail[-1].text))
            if m.entity.type == "PERSON"
        ]
        skip.update(t.i for t in tail)
        if people:
            m = people[-1]
            speaker: _Speaker | None = _Speaker(m.entity.name, m.entity.id, "person", tail[0].idx)
        else:
            speaker = _speaker(target, ctx)
    else:
        speaker = _speaker(target, ctx)
    if speaker is None:
        return None
    head = tok.head
    toks = [t for t in _sub(head) if t.i not in skip] if head is not tok else []
    if head.dep_ != "ROOT" and head.head is not head:
        # attached low: take the whole sentence minus the phrase
        toks = [t for t in sent if t.i not in skip]
    relay = _relay_tokens(sent, ctx)
    toks = [t for t in toks if t.i not in relay]
    while toks and toks[0].is_punct:
        toks = toks[1:]
    while toks and toks[-1].is_punct and toks[-1].text not in '”"»%':
        toks = toks[:-1]
    if len([t for t in toks if not t.is_punct]) < 3:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    text, start, end = _finish(ctx.text, start, end, toks, ctx)
    words = [t for t in toks if not t.is_punct]
    direct = all(ctx.in_quote(t.idx) for t in words)
    return _Draft(speaker, "according to", _stance("say", text, []), direct, start, end, toks, k, 0)


def _statement_claim(tok: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "In a statement, the ministry condemned …": a nominal cue on a verb
    that is not a cue itself."""
    obj = _pobj(tok)
    if obj is None or obj.lemma_.lower() not in STATEMENT_NOUNS:
        return None
    verb = tok.head
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in CUE_VERBS:
        return None
    subj, passive = _subject_of(verb, ctx)
    if subj is None or passive:
        return None
    speaker = _speaker(subj, ctx)
    if speaker is None:
        return None
    skip = {t.i for t in tok.subtree} | {t.i for t in subj.subtree}
    toks = [t for t in _sub(verb) if t.i not in skip]
    toks = [t for t in toks if not (t.dep_ == "punct" and t.head.i == verb.i and t.i < verb.i)]
    cue = "".join(t.text_with_ws for t in tok.subtree).strip()
    draft = _draft_from_tokens(speaker, verb, "state", toks, sent, k, ctx, False)
    if draft is None:
        return None
    draft.cue = cue
    return draft


_HOSTS = frozenset(
    {"anchor", "host", "presenter", "interviewer", "moderator", "q", "question", "narrator"}
)


def _colon_claim(sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "Zelensky: “…”" and transcript turns "ORTIZ: …"."""
    text = ctx.text
    colon = next((t for t in sent if t.text == ":" and not ctx.in_quote(t.idx)), None)
    if colon is None:
        return None
    left = [t for t in sent if t.i < colon.i and ctx.same_para(t.idx, colon.idx) and not t.is_space]
    if not left or len(left) > 8 or any(ctx.in_dateline(t.idx) for t in left):
        return None
    rest_start = colon.idx + 1
    while rest_start < len(text) and text[rest_start] == " ":
        rest_start += 1
    if rest_start >= len(text):
        return None
    quoted = text[rest_start] in "\"“«‘'"
    found = ctx.mentions_in(left[0].idx, colon.idx)
    speaker: _Speaker | None = None
    persons = [m for m in found if m.entity.type == "PERSON"]
    pick = persons[0] if persons else (found[0] if found else None)
    if pick is not None and (quoted or len(left) <= 4):
        speaker = _Speaker(pick.entity.name, pick.entity.id, _kind(pick, left[0]), left[0].idx)
    elif len(left) <= 8 and not any(t.pos_ in ("VERB", "AUX") for t in left):
        # "HRYTSENKO (through interpreter):" - the parenthesis is no part of the name
        paren = [t.i for t in left if t.text == "("]
        if paren:
            left = [t for t in left if t.i < paren[0]]
        if not left or len(left) > 4:
            return None
        words = [t for t in left if t.is_alpha]
        if not words or not all(t.text[:1].isupper() for t in words):
            return None
        # "Live: …", "Analysis: …" - a rubric, not a name: a transcript name is
        # in capitals or recognised as a person
        if (
            not all(t.text.isupper() for t in words)
            and not any(t.ent_type_ in ("PERSON", "ORG") for t in words)
            and not (quoted and all(t.pos_ == "PROPN" for t in words))
        ):
            return None
        if words[0].lower_ in _HOSTS:
            return None
        name = _clean(left)
        speaker = _transcript_speaker(name, ctx, left[0].idx)
    if speaker is None:
        return None
    q = ctx.quote_at(rest_start + 1)
    if quoted and q is not None:
        content, start, end = _finish(text, q[0], q[1], None, ctx)
    elif not quoted and len(left) <= 4 and not _attributes_itself(sent, colon, ctx):
        # transcript turn: the rest of the paragraph, up to a sentence that
        # attributes something itself ("… The governor says …")
        end = text.find("\n", rest_start)
        end = len(text) if end < 0 else end
        for later in ctx.doc.char_span(rest_start, end, alignment_mode="expand").sents:
            if later.start_char <= rest_start:
                continue
            if any(t.lemma_.lower() in CUE_VERBS and not ctx.in_quote(t.idx) for t in later):
                end = later.start_char
                break
        content, start, end = _finish(text, rest_start, end, None, ctx)
    else:
        return None
    if len(content.split()) < 3:
        return None
    return _Draft(speaker, ":", _stance("say", content, []), True, start, end, None, k, 0)


def _attributes_itself(sent: Any, colon: Any, ctx: _Ctx) -> bool:
    """ "NWOSU: The first doses have arrived, the minister confirmed." - the
    turn reports someone else's claim."""
    first = colon.doc[colon.i + 1].sent if colon.i + 1 < len(colon.doc) else sent
    return any(
        t.i > colon.i
        and t.lemma_.lower() in CUE_VERBS
        and t.pos_ == "VERB"
        and not ctx.in_quote(t.idx)
        and any(c.dep_ in _SUBJ for c in t.children)
        for t in [*sent, *first]
    )


def _transcript_speaker(name: str, ctx: _Ctx, pos: int) -> _Speaker:
    """ "ORTIZ" in a transcript: the person of the story with that surname."""
    key = name.split("(")[0].strip().casefold()
    for m in ctx.mentions:
        if m.entity.type == "PERSON" and m.entity.name.split()[-1].casefold() == key:
            return _Speaker(m.entity.name, m.entity.id, "person", pos)
    for ent in ctx.doc.ents:
        if ent.label_ == "PERSON" and ent.text.split()[-1].casefold() == key:
            return _Speaker(ent.text, None, "person", pos)
    return _Speaker(name.title() if name.isupper() else name, None, "person", pos)


def _outlet_fact(sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """A sentence with a figure and a hard fact and no speaker: the outlet's."""
    text = sent.text.strip()
    if not text or ctx.in_quote(sent.start_char + 1) or len(sent) < 6:
        return None
    fact = any(t.lemma_.lower() in FACT_LEMMAS for t in sent if t.pos_ in ("VERB", "NOUN", "ADJ"))
    nums = extract_numbers(text)
    if not nums:
        return None
    if not fact and not _sizeable_figure(sent):
        return None
    if not any(t.pos_ in ("VERB", "AUX") and t.dep_ == "ROOT" for t in sent):
        return None
    if any(t.lower_ in ("if", "would", "could", "might", "may") for t in sent):
        return None
    relay = _relay_tokens(sent, ctx)
    last = sent[-1].idx
    toks = [
        t
        for t in sent
        if t.i not in relay and not ctx.in_dateline(t.idx) and ctx.same_para(t.idx, last)
    ]
    while toks and (toks[0].is_space or toks[0].is_punct):
        toks = toks[1:]
    if len(toks) < 5:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    _, start, end = _finish(ctx.text, start, end, toks, ctx)
    speaker = _Speaker(ctx.outlet or "unattributed", None, "other", sent.start_char)
    return _Draft(speaker, "reported", Stance.ASSERT, False, start, end, toks, k, 0)


def _sizeable_figure(sent: Any) -> bool:
    """A figure that sizes something: a share ("15%") or a large count
    ("60 million people", "1.2 million accounts", "20,000 tonnes")."""
    for t in sent:
        if not t.like_num:
            continue
        nxt = t.doc[t.i + 1] if t.i + 1 < len(t.doc) else None
        if nxt is not None and nxt.lower_ in ("%", "percent", "per"):
            return True
        if nxt is not None and nxt.lower_ in ("million", "billion", "trillion", "thousand"):
            return True
        if t.ent_type_ in ("DATE", "TIME", "ORDINAL"):
            continue
        digits = t.text.replace(",", "")
        if digits.isdigit() and int(digits) >= 1000 and "," in t.text:
            return True
    return False


def _datelines(doc: Any, text: str, mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """ "GENEVA (Reuters) -", "KYIV, Ukraine —", "SEOUL:" at a paragraph start.
    A capitalised name before a colon is a dateline only when it is a place
    ("ORTIZ:" in a transcript is a speaker)."""
    out = [(m.start(), m.end()) for m in _TIMESTAMP.finditer(text)]
    for m in _DATELINE.finditer(text):
        head = m.group(0)
        word = re.sub(r"\([^)]*\)", "", head).strip(" :—–-\t")
        first = word.split(",")[0].strip()
        if not first or first.upper() != first or len(word) > 40:
            continue
        if "(" in head or not head.rstrip().endswith(":"):
            out.append((m.start(), m.end()))
            continue
        places = [
            x
            for x in mentions
            if x.start < m.end() and x.end > m.start() and x.entity.type in ("GPE", "LOC")
        ]
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        ents = [e for e in span.ents if e.label_ in ("GPE", "LOC")] if span is not None else []
        if places or ents:
            out.append((m.start(), m.end()))
    return out


def extract_claims(doc: Any, mentions: Sequence[Mention], outlet: str | None) -> list[Claim]:
    """The attributed claims of a parsed story, in text order."""
    sent_of, sents = _sentence_index(doc)
    text = text_of(doc)
    datelines = _datelines(doc, text, mentions)
    ctx = _Ctx(
        doc=doc,
        text=text,
        mentions=_named_outside(mentions, datelines),
        outlet=outlet,
        quotes=quote_spans(text),
        sent_of=sent_of,
        para_of=_paragraphs(text, sents),
        datelines=datelines,
        breaks=[m.start() for m in re.finditer(r"\n", text)],
    )
    _learn_sides(ctx)
    drafts: list[_Draft] = []
    covered_quotes: set[tuple[int, int]] = set()
    for k, sent in enumerate(sents):
        found: list[_Draft] = []
        cues = [
            t
            for t in sent
            if (t.lemma_.lower() in CUE_VERBS or _aux_cue_lemma(t))
            and not ctx.in_quote(t.idx)
            and not ctx.in_dateline(t.idx)
        ]
        for cue in cues:
            d = _verb_claim(cue, sent, k, ctx)
            if d is not None:
                found.append(d)
        # a relay ("…, UNIAN has reported") whose content holds another claim
        found = _drop_relays(found, ctx)
        for t in sent:
            if ctx.in_quote(t.idx):
                continue
            if t.lower_ == "according":
                d = _according_claim(t, sent, k, ctx, has_other=bool(found))
                if d is not None:
                    found.append(d)
            elif t.dep_ == "prep" and t.lower_ in ("in", "during"):
                d = _statement_claim(t, sent, k, ctx)
                if d is not None and not any(_overlap(d, f) for f in found):
                    found.append(d)
        if not found:
            d = _colon_claim(sent, k, ctx)
            if d is not None:
                found.append(d)
        found = _dedupe(found)
        for d in found:
            ctx.history.append(replace(d.speaker, pos=sent.start_char))
        drafts.extend(found)
    drafts = _one_per_quote(drafts)
    for d in drafts:
        if d.direct:
            for q in ctx.quotes:
                if q[0] < d.end and d.start < q[1]:
                    covered_quotes.add(q)
    # second pass: sentences without an attribution of their own
    claimed = {d.sentence for d in drafts}
    quoted = _union((d.start, d.end) for d in drafts if d.direct)
    quoted_starts = [q[0] for q in quoted]
    for k, sent in enumerate(sents):
        i = bisect_right(quoted_starts, sent.start_char) - 1
        if i >= 0 and sent.start_char < quoted[i][1]:
            claimed.add(k)
    extra: list[_Draft] = []
    # the latest claim before each sentence, walked in step (not re-sorted per sentence)
    ordered = sorted(drafts, key=lambda d: d.sentence)
    nxt = 0
    latest: _Draft | None = None
    for k, sent in enumerate(sents):
        while nxt < len(ordered) and ordered[nxt].sentence < k:
            if latest is None or ordered[nxt].sentence >= latest.sentence:
                latest = ordered[nxt]
            nxt += 1
        if k in claimed:
            continue
        before = [latest] if latest is not None else []
        d = _continuation(sent, k, ctx, before, covered_quotes)
        if d is None:
            d = _carry_over(sent, k, ctx, before)
        if d is None:
            d = _outlet_fact(sent, k, ctx)
        if d is not None:
            extra.append(d)
            latest = d
    drafts.extend(extra)
    return [_to_claim(d, ctx) for d in sorted(drafts, key=lambda d: (d.sentence, d.start))]


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans merged, in order."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _one_per_quote(drafts: list[_Draft]) -> list[_Draft]:
    """A quotation has one speaker: the cue nearest to it wins."""
    best: dict[tuple[int, int], _Draft] = {}
    for d in drafts:
        if not d.direct or d.tokens is not None or d.cue_pos < 0:
            continue
        key = (d.start, d.end)
        dist = min(abs(d.cue_pos - d.start), abs(d.cue_pos - d.end))
        old = best.get(key)
        if old is None or dist < min(abs(old.cue_pos - old.start), abs(old.cue_pos - old.end)):
            best[key] = d
    return [
        d
        for d in drafts
        if not d.direct or d.tokens is not None or d.cue_pos < 0 or best.get((d.start, d.end)) is d
    ]


def _named_outside(mentions: Sequence[Mention], datelines: list[tuple[int, int]]) -> list[Mention]:
    """Mentions in text order, without those in datelines and without entities
    that are named only there ("(Wirewatch)" taken for a person, and then "the
    regional governor" linked to it)."""

    def in_dateline(m: Mention) -> bool:
        return any(a <= m.start < b for a, b in datelines)

    named = {m.entity.id for m in mentions if not in_dateline(m) and m.text[:1].isupper()}
    kept = [m for m in mentions if not in_dateline(m) and m.entity.id in named]
    return sorted(kept, key=lambda m: m.start)


def _overlap(a: _Draft, b: _Draft) -> bool:
    return a.start < b.end and b.start < a.end


def _dedupe(found: list[_Draft]) -> list[_Draft]:
    out: list[_Draft] = []
    for d in sorted(found, key=lambda d: d.end - d.start, reverse=True):
        same = [o for o in out if o.start == d.start and o.end == d.end]
        if same:
            continue
        # a content inside another claim's content by the same speaker
        inner = [
            o
            for o in out
            if o.speaker.name == d.speaker.name and o.start <= d.start and d.end <= o.end
        ]
        if inner and d.stance is Stance.ASSERT:
            continue
        out.append(d)
    return sorted(out, key=lambda d: d.start)


def _drop_relays(found: list[_Draft], ctx: _Ctx) -> list[_Draft]:
    out = []
    for d in found:
        if is_outlet_name(d.speaker.name, ctx.outlet):
            others = [o for o in found if o is not d and not is_outlet_name(o.speaker.name)]
            if others:
                continue
        if d.cue_lemma == "report" and any(
            o is not d and d.start <= o.start and o.end <= d.end + 1 for o in found
        ):
            continue
        out.append(d)
    return out


def _continuation(
    sent: Any, k: int, ctx: _Ctx, drafts: list[_Draft], covered: set[tuple[int, int]]
) -> _Draft | None:
    """A quotation paragraph with no cue of its own continues the previous
    speaker when it follows that speaker's claim closely."""
    text = ctx.text
    first = sent.start_char
    while first < sent.end_char and text[first] in " \n\t":
        first += 1
    if first >= len(text) or text[first] not in "\"“«‘'":
        return None
    q = ctx.quote_at(first + 1)
    if q is None or q in covered or not drafts:
        return None
    prev = drafts[-1]
    if k - prev.sentence > 3 or ctx.para_of[k] - ctx.para_of[prev.sentence] > 1:
        return None
    if prev.speaker.kind == "other" and prev.cue == "reported":
        return None
    covered.add(q)
    content, start, end = _finish(text, q[0], q[1], None, ctx)
    if len(content.split()) < 3:
        return None
    return _Draft(prev.speaker, prev.cue, _stance("say", content, []), True, start, end, None, k, 0)


def _carry_over(sent: Any, k: int, ctx: _Ctx, drafts: list[_Draft]) -> _Draft | None:
    """Sustained attribution: in the paragraph of an "according to X"
    sentence, a following fact sentence with a figure is still X's."""
    if not drafts or k == 0:
        return None
    prev = drafts[-1]
    if prev.sentence != k - 1 or prev.cue != "according to":
        return None
    if ctx.para_of[k] != ctx.para_of[prev.sentence]:
        return None
    d = _outlet_fact(sent, k, ctx)
    if d is None:
        return None
    d.speaker = prev.speaker
    d.cue = "according to"
    return d


def _to_claim(d: _Draft, ctx: _Ctx) -> Claim:
    text = ctx.text
    if d.tokens is not None:
        content, _, _ = _finish(text, d.start, d.end, d.tokens, ctx)
    else:
        content, _, _ = _finish(text, d.start, d.end, None, ctx)
    ents: list[str] = []
    for m in ctx.mentions_in(d.start, d.end):
        if m.entity.id != d.speaker.id and m.entity.id not in ents:
            ents.append(m.entity.id)
    return Claim(
        speaker=d.speaker.name,
        cue=d.cue,
        stance=d.stance,
        direct=d.direct,
        text=content,
        speaker_id=d.speaker.id,
        entities=tuple(ents),
        numbers=extract_numbers(content),
        sentence=d.sentence,
        speaker_side=_speaker_side(d.speaker, ctx),
    )
