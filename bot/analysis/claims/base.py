"""Shared pieces of claim extraction: the story context, drafts, token helpers
and content trimming."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.analysis.cues import (
    CUE_VERBS,
    DENY_CONTENT,
    is_outlet_name,
)
from bot.models import Mention, Stance

_PERSONAL = {"he", "she", "him", "her"}


_GROUP_PRONOUNS = {"they", "it", "we"}


_DATELINE = re.compile(
    r"^[ \t]*(?:[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+)*)[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*"
    r"(?:[:—–―-]|--)[ \t\u00a0]+",
    re.MULTILINE,
)


_TIMESTAMP = re.compile(
    r"^[ \t]*(?:(?:update[sd]?|breaking|latest|live|correction|editor's note)\b[^\n]{0,24}?:[ \t]+"
    r"|\d{1,2}[:.]\d{2}(?:[ \t]*[ap]\.?m\.?)?(?:[ \t]*[A-Z]{2,4})?[ \t]*(?:[-–—:|]|\n)[ \t]*)",
    re.MULTILINE | re.IGNORECASE,
)


# "that" opening a content, not "That’s" (a quotation's first word)
_LEAD_TRIM = re.compile(r"^(?:(?:that|whether|if)\b(?![’'])|,|:|;|—|–|-|\s)+", re.IGNORECASE)
_LEAD_PUNCT = re.compile(r"^(?:,|:|;|—|–|-|\s)+")


_TRAIL_TRIM = re.compile(r"(?:[\s,;:—–-]|\.(?=\s*$))+$")


_SUBJ = ("nsubj", "nsubjpass", "csubj")


@dataclass
class _Speaker:
    name: str
    id: str | None
    kind: str  # person | group | other
    pos: int  # character offset, for recency
    affil: frozenset[str] = frozenset()  # other entities named in the speaker phrase
    side: str | None = None  # whom an unlinked speaker phrase speaks for ("Ukrainian officials")
    # spoke in a relative clause ("a rival who said …"): not the first choice for a pronoun
    minor: bool = False


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
    # whether the writer tells the story in the first person (read once, when first asked)
    _first_person: bool | None = None

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

    def first_person(self) -> bool:
        """Whether the story is the writer's own account: "I" outside
        quotations in three sentences or more, and no transcript turns."""
        if self._first_person is None:
            sents = {
                t.sent.start
                for t in self.doc
                if t.text == "I" and t.pos_ == "PRON" and not self.in_quote(t.idx)
            }
            turns = re.search(r"(?m)^[A-Z][A-Za-z.' ]{0,30}:\s", self.text) is not None
            self._first_person = len(sents) >= 3 and not turns
        return self._first_person

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
    # further speakers of the same words ("Both Alaska and United said …")
    also: list[_Speaker] = field(default_factory=list)
    # one clause cut from a longer content: it does not run on to the end of
    # the quotation it sits in
    cut: bool = False
    # a reported clause ending in a quotation, joined to the quotation that
    # goes on after its cue ("Yet, “it is hard,” he added. “…”")
    joined: bool = False


def _sentence_index(doc: Any) -> tuple[dict[int, int], list[Any]]:
    sents = list(doc.sents)
    return {s.start: k for k, s in enumerate(sents)}, sents


def _paragraphs(text: str, sents: list[Any]) -> list[int]:
    """Each sentence's paragraph number: a line break between the last word of
    one sentence and the first of the next starts a new paragraph (the parser
    may keep the break inside the sentence before, as a whitespace token)."""
    out: list[int] = []
    para = 0
    last_end = 0
    for s in sents:
        if "\n" in text[last_end : s.start_char]:
            para += 1
        out.append(para)
        words = [t for t in s if not t.is_space]
        last_end = words[-1].idx + len(words[-1].text) if words else s.end_char
    return out


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


_GLUED_TIME = re.compile(r"^.*\d{1,2}:\d{2}\s*[AP]\.?M\.?(?=[A-Z])")


def _clean(tokens: Sequence[Any]) -> str:
    text = "".join(t.text_with_ws for t in tokens).strip()
    text = re.sub(r"\s+", " ", text)
    # a live blog's timestamp run into the name ("February 6, 2016 9:23PMRubio")
    text = _GLUED_TIME.sub("", text)
    text = text.strip(" ,;:—–-\"“”'")
    return text[:1].upper() + text[1:] if text[:3].lower() == "the" else text


def _sub(tok: Any) -> list[Any]:
    """A token's subtree in text order (spaCy yields non-projective ones out of order)."""
    return sorted(tok.subtree, key=lambda t: t.i)


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
            return _pobj(c) or _name_after(c)
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        return _pobj(nxt) or _name_after(nxt)
    return None


def _name_after(to: Any) -> Any:
    """ "according to the F.A.A." at a paragraph's end, where the parser
    left "to" without an object: the name right after it, else None."""
    doc = to.doc
    for t in doc[to.i + 1 : min(to.i + 4, to.sent.end)]:
        if t.pos_ == "PROPN" and t.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
            return t
        if t.lower_ not in ("the", "a", "an"):
            return None
    return None


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
    text: str, start: int, end: int, tokens: list[Any] | None, ctx: _Ctx, cut: bool = False
) -> tuple[str, int, int]:
    """Trim a content span; extend it to the end of a quote it opens."""
    if tokens is not None:
        q = None if cut else ctx.quote_at(tokens[-1].idx)
        last = tokens[-1].idx + len(tokens[-1].text)
        if q is not None and q[1] > last and q[1] - last < 400:
            # measured from the last token: a draft's end may already be the
            # quotation's, and its tokens not
            extra = ctx.doc.char_span(last, q[1], alignment_mode="expand")
            if extra is not None:
                tokens = tokens + [t for t in extra if t.i > tokens[-1].i]
                end = q[1]
        raw = _tokens_text(tokens)
    else:
        raw = text[start:end]
    raw = re.sub(r"\s+", " ", raw).strip()
    # "that" opening the content is trimmed as a conjunction, kept as a
    # subject ("That prompted a backlash, the paper reported")
    first = next((t for t in tokens or () if not (t.is_punct or t.is_space)), None)
    demonstrative = first is not None and first.lower_ == "that" and first.dep_ != "mark"
    if tokens is None and re.match(r"[“\"«‘']*That\b(?![’'])", raw) and ctx.in_quote(start):
        # a quotation that opens with "That" ("“That was a good speech,” he
        # said"): the speaker's own first word
        demonstrative = True
    # "whether" and "if" keep a question or a condition from reading as a fact
    kept = demonstrative or (first is not None and first.lower_ in ("whether", "if"))
    raw = (_LEAD_PUNCT if kept else _LEAD_TRIM).sub("", raw)
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


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans merged, in order."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


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
