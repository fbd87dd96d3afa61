"""A quotation broken by its cue into two sentences ("“A,” the company
said. “B.”") holds two propositions: each part, with the speaker, the cue
and the stance of the whole, is offered to the novelty step, which splits
the claim when one part was told before and the other was not. A part that
leans on the other (a question, "But …", "So …", a short "We owe them that")
or a first part of several sentences keeps the quotation whole."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

from bot.analysis.claims.base import _SUBJ, _Ctx, _Draft, _stance, _tokens_text

_CLAUSE_SUBJ = (*_SUBJ, "expl")
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_MIN_WORDS = 6  # "We owe them that", "But one thing is clear" lean on their neighbour


def _finite(verb: Any) -> bool:
    """A verb that makes a clause of its own: tensed, or with a tensed or
    modal auxiliary ("will continue", "has been found")."""
    if verb.tag_ in _FINITE:
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE for c in verb.children)


def _clause(verb: Any, inside: set[int]) -> bool:
    """A main clause: a finite verb with its own subject, not a question word's
    clause ("what was taken") nor a subordinate one ("because it grew")."""
    subjects = [c for c in verb.children if c.dep_ in _CLAUSE_SUBJ and c.i in inside]
    return (
        verb.pos_ in ("VERB", "AUX")
        and _finite(verb)
        and bool(subjects)
        and not any(s.tag_ in ("WDT", "WP", "WRB") for s in subjects)
        and not any(
            c.dep_ in ("mark", "advmod") and c.tag_ in ("IN", "WRB") and c.lower_ != "that"
            for c in verb.children
            if c.i < verb.i
        )
    )


def _words(toks: list[Any]) -> int:
    return sum(1 for t in toks if not (t.is_punct or t.is_space))


def _main_clause(part: list[Any]) -> bool:
    """Whether a part's top verb makes a clause of its own."""
    inside = {t.i for t in part}
    tops = [t for t in part if t.head.i not in inside or t.head.i == t.i]
    return any(_clause(t, inside) for t in tops)


def _split_points(toks: list[Any]) -> list[int]:
    """Token indices where a second proposition of the content begins: "“A,”
    the company said. “B.”", a quotation broken by its cue whose parts are
    each one sentence, a main clause with its own subject and finite verb."""
    points: list[int] = []
    for prev, tok in pairwise(toks):
        opens = tok.sent.start
        # a first part of several sentences is one longer statement ("Both
        # halls were full. We were loading two ships," he said. "Now …")
        if (
            tok.i > prev.i + 1
            and toks[0].sent.start == prev.sent.start
            and all(t.is_punct for t in tok.doc[opens : tok.i])
            and _main_clause([t for t in toks if t.i < tok.i])
            and _main_clause([t for t in toks if t.i >= tok.i])
        ):
            points.append(tok.i)
    return points


_CARRY_ON = frozenset({"so", "however", "yet", "still", "then", "therefore"})


def _asks(part: list[Any]) -> bool:
    last = part[-1]
    after = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
    return any(t.text == "?" for t in part) or (after is not None and after.text == "?")


def _leans(part: list[Any]) -> bool:
    first = next((t for t in part if not t.is_punct), None)
    return first is not None and (first.dep_ == "cc" or first.lower_ in _CARRY_ON)


def _trim(toks: list[Any]) -> list[Any]:
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].dep_ in ("cc", "mark")):
        toks = toks[:-1]
    return toks


def split_clauses(d: _Draft, ctx: _Ctx) -> list[_Draft]:
    """The draft as one claim per coordinated clause of its content."""
    if d.tokens is not None:
        toks = [t for t in d.tokens if not t.is_space]
    else:
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None:
            return [d]
        toks = [t for t in span if not t.is_space]
    points = _split_points(toks)
    if not points:
        return [d]
    parts: list[list[Any]] = []
    rest = toks
    for at in points:
        head = _trim([t for t in rest if t.i < at])
        rest = [t for t in rest if t.i >= at]
        parts.append(head)
    parts.append(_trim(rest))
    if any(_words(p) < _MIN_WORDS for p in parts):
        return [d]
    # a question asserts nothing; a part opening on "But", "So" carries on
    # the argument of the part before it
    if any(_asks(p) or _leans(p) for p in parts):
        return [d]
    # "310 people were infected and 11 have died": one tally, not two claims
    if sum(1 for p in parts if any(t.like_num or t.pos_ == "NUM" for t in p)) > 1:
        return [d]
    lemma = d.cue_lemma or "say"
    whole = _tokens_text(toks)
    # a stance read from the content is read again from each part; one the
    # cue or the sentence gave ("denied", a question) stays with every part
    from_content = d.stance is _stance(lemma, whole, [])
    out = []
    for p in parts:
        stance = _stance(lemma, _tokens_text(p), []) if from_content else d.stance
        end = p[-1].idx + len(p[-1].text)
        out.append(replace(d, start=p[0].idx, end=end, tokens=p, stance=stance, cut=True))
    return out
