"""A quotation broken by its cue into two sentences ("“A,” the company
said. “B.”") holds two propositions: each part, with the speaker, the cue
and the stance of the whole, is offered to the novelty step, which splits
the claim when one part was told before and the other was not. A part that
leans on the other (a question, "But …", "So …", a short "We owe them that")
or a first part of several sentences keeps the quotation whole.

Two more shapes hold two propositions in one sentence: a second verb of the
content's main clause with a tense of its own ("it is reviewing the findings
and will continue cooperating with the inquiry", "that A and that B"), and a
participle with a phrase of its own after the noun a copula predicates ("it
was an act of sabotage linked to the unrest")."""

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
    first = toks[0].sent.start if toks else 0
    for prev, tok in pairwise(toks):
        # a first part of several sentences is one longer statement ("Both
        # halls were full. We were loading two ships," he said. "Now …");
        # the gap is read first, a token's sentence is dear to compute
        if (
            tok.i > prev.i + 1
            and first == prev.sent.start
            and all(t.is_punct for t in tok.doc[tok.sent.start : tok.i])
            and _main_clause([t for t in toks if t.i < tok.i])
            and _main_clause([t for t in toks if t.i >= tok.i])
        ):
            points.append(tok.i)
    return sorted({*points, *_coordinated(toks), *_modified(toks)})


def _tops(toks: list[Any], inside: set[int]) -> list[Any]:
    return [t for t in toks if t.head.i not in inside or t.head.i == t.i]


def _runs_to_end(toks: list[Any], tok: Any) -> int | None:
    """Where ``tok``'s phrase begins, when it runs to the end of the content
    (nothing after it but punctuation); else None."""
    sub: set[int] = {t.i for t in tok.subtree}
    start = min(sub)
    if any(t.i not in sub and not t.is_punct for t in toks if t.i >= start):
        return None
    return start


def _coordinated(toks: list[Any]) -> list[int]:
    """ "it is reviewing the findings and will continue cooperating", "that the
    bridge would reopen in May and that the ferry would run until then": a
    second verb of the content's main clause with a tense or modal of its own
    states a second proposition, with or without a subject of its own."""
    inside = {t.i for t in toks}
    if toks and (
        min(toks, key=lambda t: t.i).sent.start != max(toks, key=lambda t: t.i).sent.start
    ):
        return []  # a quotation of several sentences is one longer statement
    points = []
    for head in _tops(toks, inside):
        if head.pos_ not in ("VERB", "AUX") or not _finite(head):
            continue
        for conj in head.children:
            if conj.dep_ != "conj" or conj.i not in inside or conj.pos_ not in ("VERB", "AUX"):
                continue
            if not _finite(conj) or not any(
                c.dep_ == "cc" and head.i < c.i < conj.i for c in head.children
            ):
                continue
            # a clause with a subject of its own is a second proposition only
            # when it is reported as one ("… and that the ferry would run");
            # "A, and B" may be one thought in two clauses
            own = any(c.dep_ in _CLAUSE_SUBJ for c in conj.children)
            that = any(c.dep_ == "mark" and c.lower_ == "that" for c in conj.children)
            if own and not that:
                continue
            start = _runs_to_end(toks, conj)
            if start is not None and _main_clause([t for t in toks if t.i < start]):
                points.append(start)
    return points


def _modified(toks: list[Any]) -> list[int]:
    """ "it was an act of sabotage linked to the escalation": a participle
    right after the noun a copula predicates, with a phrase of its own, says
    a second thing of it ("there are …" only says what there is)."""
    inside = {t.i for t in toks}
    tops = {t.i for t in _tops(toks, inside)}
    points = []
    for tok in toks:
        noun = tok.head
        if not (
            tok.dep_ == "acl"
            and tok.tag_ == "VBN"
            and noun.dep_ == "attr"
            and noun.head.i in tops
            and any(c.dep_ in ("prep", "agent") for c in tok.children)
            and not any(c.dep_ == "expl" for c in noun.head.children)
        ):
            continue
        start = _runs_to_end(toks, tok)
        # set off by a comma, it is an aside on where the words come from
        # ("…, based on intelligence gathered by …"), not a second claim
        if start is None or tok.doc[start - 1].is_punct:
            continue
        if _main_clause([t for t in toks if t.i < start]):
            points.append(start)
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
    # "… and that the ferry would run": the second part without its "that"
    parts = [p[1:] if p and p[0].dep_ == "mark" and p[0].lower_ == "that" else p for p in parts]
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
