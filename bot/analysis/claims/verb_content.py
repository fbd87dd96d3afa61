"""Content boundaries of verb cues: the reported clause when the parse
loses it, a relative clause's noun, a recorded figure, a second attribution
cut off."""

from __future__ import annotations

from typing import Any

from bot.analysis.claims.base import (
    _SUBJ,
    _Ctx,
    _span_of,
    _sub,
)
from bot.analysis.claims.positions import position_content
from bot.analysis.cues import (
    CLAUSE_ONLY_CUES,
    CUE_VERBS,
    POSITION_CUES,
    RECORD_CUES,
)

_BEFORE_CUES = frozenset(
    {"say", "add", "tell", "claim", "insist", "warn", "argue", "write", "state", "note"}
    | {"explain", "report", "allege", "confirm", "acknowledge", "admit", "deny", "stress"}
    # "The ferry will resume on Monday, the port authority announced Friday."
    | {"announce", "predict", "declare", "concede", "reply", "respond", "tweet", "post"}
    | {"recall", "boast", "complain", "counter", "retort", "observe", "remark", "conclude"}
)


_CLAUSE_CUES = frozenset(
    {"say", "claim", "assert", "insist", "warn", "argue", "allege", "suggest", "add", "write"}
    | {"state", "note", "stress", "maintain", "confirm", "acknowledge", "admit", "deny"}
    | {"reveal", "announce", "declare", "report", "tell", "explain", "emphasise", "emphasize"}
    | {"predict"}
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
    # "141,000 workers were on site, the president said, more than 7,000 of
    # them from abroad": a cue set off by commas inside the sentence
    if cue.lemma_.lower() in _BEFORE_CUES and subj and cue.dep_ != "relcl":
        first = min(t.i for t in _sub(subj[-1]))
        last = cue.i + 1
        while last < end and doc[last].dep_ in ("prt", "npadvmod") and doc[last].i - cue.i < 3:
            last += 1
        if (
            first > cue.sent.start + 1
            and doc[first - 1].text == ","
            and last < end - 2
            and doc[last].text == ","
        ):
            tail = end
            for i in range(last + 1, end):
                t = doc[i]
                if t.tag_ == "VBG" and t.lemma_.lower() in CUE_VERBS and t.dep_ == "advcl":
                    # "…, the agency said, also announcing that …": a claim of its own
                    if all(x.dep_ == "advmod" for x in doc[last + 1 : i]):
                        tail = last + 1
                    break
            toks = [
                doc[i]
                for i in [*range(cue.sent.start, first - 1), *range(last + 1, tail)]
                if not ctx.in_dateline(doc[i].idx) and ctx.same_para(doc[i].idx, cue.idx)
            ]
            # "Many of the closures, he said, have involved public courses":
            # the cue may also split the subject from its verb
            if len(toks) >= 5 and any(t.pos_ in ("VERB", "AUX") for t in toks):
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


_TIME_NOUNS = frozenset({"time", "day", "moment", "week", "year", "month", "night", "hour"})


def _with_antecedent(cue: Any, toks: list[Any]) -> list[Any]:
    """ "the 5,600 buildings officials said were destroyed": a cue inside a
    relative clause reports a clause whose subject is the noun the relative
    clause hangs on; the content starts with that noun phrase."""
    if cue.dep_ != "relcl" or not toks:
        return toks
    verbs = [t for t in toks if t.head.i == cue.i and t.pos_ in ("VERB", "AUX")]
    subjects = [c for v in verbs for c in v.children if c.dep_ in _SUBJ]
    if not verbs or any(c.tag_ not in ("WDT", "WP") for c in subjects):
        return toks
    if cue.head.lemma_.lower() in _TIME_NOUNS or cue.head.ent_type_ in ("DATE", "TIME"):
        return toks  # "the first time that Ukraine alleged …"
    # the relative pronoun and the speaker are no part of the content
    toks = [t for t in toks if t.i > cue.i]
    head = cue.head
    skip = {t.i for t in cue.subtree}
    noun = [t for t in _sub(head) if t.i not in skip and t.i < cue.i]
    while (noun and noun[0].dep_ in ("prep", "case")) or (noun and noun[0].is_punct):
        noun = noun[1:]
    return noun + toks if noun else toks


def _outer_coordinate(verb: Any) -> Any | None:
    """ "Markova acknowledged that A and said B": the parser often coordinates
    the second speech verb with the reported clause A instead of the first
    cue. With no subject of its own and a clause it reports, that verb is the
    first cue's speaker speaking again (never A's subject: "the flow of information … said"), and
    its clause is no part of A. The first cue, else None."""
    if verb.dep_ != "conj" or verb.lemma_.lower() not in CUE_VERBS:
        return None
    if any(c.dep_ in _SUBJ for c in verb.children):
        return None
    if not any(c.dep_ == "ccomp" for c in verb.children) and not (
        # "revealed that A and urged Washington to reconsider": a demand is
        # the first cue's speaker's too
        verb.lemma_.lower() in POSITION_CUES and position_content(verb)
    ):
        return None  # "said it is reviewing … and will continue cooperating": no report
    clause = verb.head
    outer = clause.head
    if clause.dep_ != "ccomp" or outer is clause or verb.i < clause.i:
        return None
    return outer if outer.lemma_.lower() in CUE_VERBS else None


def _is_outer(verb: Any, cue: Any) -> bool:
    outer = _outer_coordinate(verb)
    return outer is not None and outer.i == cue.i


def _cut_other_attribution(toks: list[Any], cue: Any, ctx: _Ctx) -> list[Any]:
    """ "Police said two men were arrested, while the mayor warned that …": the
    second attribution is a claim of its own, not part of the first one."""
    if not toks:
        return toks
    first = toks[0].i
    for t in toks:
        if (
            t.i > first + 2
            and t.i != cue.i
            and t.dep_ in ("advcl", "conj")
            and t.lemma_.lower() in CUE_VERBS
            and t.lemma_.lower() not in CLAUSE_ONLY_CUES | RECORD_CUES
            and _speech_sense(t)
            and not ctx.in_quote(t.idx)
            and (any(c.dep_ == "nsubj" for c in t.children) or _is_outer(t, cue) or _hung_saying(t))
        ):
            start = min(x.i for x in _sub(t))
            if start > first + 2:
                kept = [x for x in toks if x.i < start]
                while kept and (kept[-1].is_punct or kept[-1].dep_ in ("cc", "mark")):
                    kept = kept[:-1]
                return kept
    return toks


def _hung_saying(verb: Any) -> bool:
    """ "… to back the plan while adding, “…”": a participle of saying after
    "while" inside the reported clause is a second claim, not part of it."""
    return (
        verb.tag_ == "VBG"
        and verb.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in ("while", "before") for c in verb.children)
    )


def _speech_sense(verb: Any) -> bool:
    """Whether a verb of the cue lexicon is used as one: "for the city to put
    the plan in place", "the talks continued", "called for calm" and "points
    to a gap" report nobody's words."""
    lemma: str = verb.lemma_.lower()
    kids = list(verb.children)
    if lemma == "put":
        return any(c.dep_ == "prep" and c.lower_ == "at" for c in kids)
    if lemma == "point":
        return any(c.dep_ == "prt" and c.lower_ == "out" for c in kids)
    if lemma == "call":
        return not any(c.dep_ == "prep" and c.lower_ in ("for", "on") for c in kids)
    return lemma != "continue"


def _recorded(cue: Any, kids: list[Any]) -> list[Any]:
    """ "registered two explosions Monday near the leaks": the verb phrase,
    when what is recorded is counted."""
    objects = [c for c in kids if c.dep_ == "dobj" and c.i > cue.i]
    if not objects or not any(t.like_num for t in objects[0].subtree):
        return []
    right = [c for c in kids if c.i > cue.i and c.dep_ not in ("punct", "cc", "conj")]
    return [cue, *_span_of(right)]
