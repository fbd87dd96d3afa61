"""Statements without a cue of their own: an outlet's fact sentence, a fact
carried over from "according to"; beliefs, views and findings held without a
verb of saying ("sees the vote as a test", "her belief that …", "is convinced
that …", "in the latest poll, …", "the survey showed the mayor ahead")."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.analysis.claims.base import (
    _SUBJ,
    _Ctx,
    _Draft,
    _finish,
    _overlap,
    _pobj,
    _relay_tokens,
    _Speaker,
    _sub,
)
from bot.analysis.claims.positions import _someone
from bot.analysis.claims.speakers import (
    _a_share,
    _resolve_previous,
    _share_before,
    _share_speaker,
    _speaker,
)
from bot.analysis.claims.verb_cues import (
    _agent,
    _draft_from_tokens,
    _likelier_holder,
    _subject_of,
)
from bot.analysis.cues import (
    ATTITUDE_ADJECTIVES,
    BELIEF_ADJECTIVES,
    BELIEF_NOUNS,
    BELIEF_VERBS_MORE,
    CLAUSE_VERBS_MORE,
    CUE_VERBS,
    FACT_LEMMAS,
    FAVOUR_ADVERBS,
    FINDING_NOUNS,
    OPINION_NOUNS,
    POLL_NOUNS,
    POLL_VERBS,
    RECORD_CUES,
    VIEW_VERBS,
)
from bot.analysis.numbers import extract_numbers
from bot.models import Stance


def _outlet_fact(sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """A sentence with a figure and a hard fact and no speaker: the outlet's."""
    text = sent.text.strip()
    if not text or ctx.in_quote(sent.start_char + 1) or len(sent) < 6:
        return None
    fact = any(t.lemma_.lower() in FACT_LEMMAS for t in sent if t.pos_ in ("VERB", "NOUN", "ADJ"))
    nums = extract_numbers(text)
    if not nums:
        return None
    if not fact:
        return None
    if not any(t.pos_ in ("VERB", "AUX") and t.dep_ == "ROOT" for t in sent):
        return None
    if any(t.lower_ in ("if", "would", "could", "might", "may") for t in sent):
        return None
    if any(_names_a_source(t, ctx) for t in sent):
        # someone else's words the cue rules could not read: not the outlet's
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


_SOURCE_NOUNS = frozenset({"poll", "survey", "report", "figure", "data", "estimate", "study"})


def _names_a_source(tok: Any, ctx: _Ctx) -> bool:
    """A cue verb or a source noun outside quotes ("…, the budget office said",
    "the latest reports hint at", "figures provided by the ministry")."""
    if ctx.in_quote(tok.idx):
        return False
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and lemma in CUE_VERBS and lemma not in RECORD_CUES:
        # "rescuers discovered 40 bodies": a newer verb of knowing names a
        # source only with the clause it reports
        return lemma not in BELIEF_VERBS_MORE | CLAUSE_VERBS_MORE or any(
            c.dep_ == "ccomp" for c in tok.children
        )
    return tok.pos_ == "NOUN" and lemma in _SOURCE_NOUNS


def _belief_claims(sent: Any, k: int, ctx: _Ctx, found: list[_Draft]) -> list[_Draft]:
    """Beliefs, views and findings that no verb of saying carries: each a
    claim of its holder with the proposition it holds, unless a claim of the
    sentence already covers those words."""
    out: list[_Draft] = []
    for t in sent:
        lemma = t.lemma_.lower()
        if not _may_hold(t, lemma) or ctx.in_quote(t.idx) or ctx.in_dateline(t.idx):
            continue
        d: _Draft | None = None
        if t.pos_ == "VERB" and lemma in VIEW_VERBS:
            d = _view_claim(t, sent, k, ctx)
        elif t.pos_ == "VERB" and lemma in ("show", "find"):
            d = _finding_object(t, sent, k, ctx)
        elif t.dep_ == "prep" and t.lower_ == "in":
            d = _poll_claim(t, sent, k, ctx)
        elif t.pos_ == "NOUN" and lemma in BELIEF_NOUNS:
            d = _belief_noun_claim(t, sent, k, ctx)
        elif t.lower_ in BELIEF_ADJECTIVES and t.dep_ in ("acomp", "oprd"):
            d = _belief_adjective_claim(t, sent, k, ctx)
        elif t.pos_ == "VERB" and lemma == "make":
            d = _made_clear_claim(t, sent, k, ctx)
        if d is None and (
            (t.pos_ == "VERB" and (lemma in POLL_VERBS or lemma in _HOLDING))
            or (t.lower_ in ATTITUDE_ADJECTIVES and t.dep_ == "acomp")
        ):
            d = _poll_share_claim(t, sent, k, ctx)
        if d is not None and not any(_overlap(d, f) for f in (*found, *out)):
            out.append(d)
    return out


_HOLDING = frozenset({"have", "hold", "view", "see", "rate"})
_FINDING_VERBS = frozenset({"show", "find", "make"})


def _may_hold(t: Any, lemma: str) -> bool:
    """Whether a token is one that ``_belief_claims`` reads at all (a verb of
    viewing, finding or polling, "in", a noun of belief, an adjective of
    belief or attitude): the cheap test before the dearer ones."""
    pos = t.pos_
    if pos == "VERB" and (
        lemma in VIEW_VERBS or lemma in _FINDING_VERBS or lemma in POLL_VERBS or lemma in _HOLDING
    ):
        return True
    if pos == "NOUN" and lemma in BELIEF_NOUNS:
        return True
    low = t.lower_
    return (
        (low == "in" and t.dep_ == "prep") or low in BELIEF_ADJECTIVES or low in ATTITUDE_ADJECTIVES
    )


# what a poll verb needs after it to report a preference
_PREFERRED = frozenset({"dobj", "prep", "xcomp", "ccomp", "dative", "attr", "oprd"})


# verbs by which a share picks one of a poll's answers
_PICKING = frozenset({"choose", "select", "pick"})


def _answer_counted(verb: Any) -> bool:
    """ "40 percent chose Trump", "less than 10 percent selected Bush": in
    the past tense, the answer a share gave to a poll's question, a count the
    poll reports, not a preference the share states ("41 percent would choose
    Ruiz", "a majority prefer Ruiz" are)."""
    return (
        verb.lemma_.lower() in _PICKING
        and verb.tag_ == "VBD"
        and not any(c.dep_ in ("aux", "neg") for c in verb.children)
    )


def _poll_share_claim(verb: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "41 percent would choose Ruiz", "a majority of voters oppose the toll",
    "six in 10 have a favourable opinion of her", "with 87 percent viewing him
    favourably": what a counted share of the people a poll asked prefers or
    holds, stated without a verb of saying; the share speaks."""
    lemma = verb.lemma_.lower()
    if _answer_counted(verb):
        return None
    adjective = verb
    if verb.dep_ == "acomp":
        # "nine in 10 are unhappy with the council": the copula carries the subject
        verb = verb.head
        if verb.lemma_.lower() != "be" or not any(
            c.dep_ in ("prep", "ccomp", "xcomp") and c.i > adjective.i for c in adjective.children
        ):
            return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    speaker: _Speaker | None = None
    floor = subj.i if subj is not None else -1  # where the holder's words end
    likelier = _likelier_holder(verb) if subj is None else None
    if subj is not None:
        if ctx.in_quote(subj.idx) or not _a_share(subj):
            return None
        speaker = _speaker(subj, ctx)
    else:
        share = _share_before(verb)
        if share is not None:
            speaker = _share_speaker(share[0])
            floor = share[0][-1].i
        elif likelier is not None and (
            _a_share(likelier) or likelier.tag_ in ("NNS", "NNPS") or likelier.ent_type_ == "NORP"
        ):
            # "Liberal voters were more likely to want a change"
            speaker = _speaker(likelier, ctx)
    if speaker is None or ctx.in_quote(verb.idx):
        return None
    right = [
        c
        for c in verb.children
        if c.i > verb.i
        and c.dep_ not in ("punct", "cc", "conj", "advcl", "parataxis", "relcl")
        and c.lower_ not in ("compared", "up", "down")  # "compared to 50 percent in May"
    ]
    if adjective is verb and not _states_a_view(lemma, right):
        return None
    # "would", "do not", "still" before the verb read with it
    left = [
        c
        for c in verb.children
        if c.i < verb.i and c.dep_ in ("aux", "neg", "advmod") and c.i > floor
    ]
    toks = sorted(
        {t.i: t for t in [*left, verb, *(t for c in right for t in c.subtree)]}.values(),
        key=lambda t: t.i,
    )
    toks = [t for t in toks if t.i >= (left[0].i if left else verb.i)]
    likely = verb.head if likelier is not None else None
    if likely is not None:
        # "were more likely to want …", not "to want …"
        toks = [*verb.doc[likely.head.i : toks[0].i], *toks]
    return _draft_from_tokens(speaker, adjective, "believe", toks, sent, k, ctx, False)


def _states_a_view(lemma: str, right: list[Any]) -> bool:
    """Whether a poll verb with what follows it reports a view or a
    preference: "have a favourable opinion of her" ("have children" is none),
    "viewed him favourably" ("see the pier as a waste" is a view claim of its
    own), "would vote for Ruiz", "oppose the toll"."""
    if lemma in ("have", "hold"):
        objs = [c for c in right if c.dep_ == "dobj"]
        return bool(objs) and objs[0].lemma_.lower() in OPINION_NOUNS
    if lemma in ("view", "see", "rate"):
        return any(c.lower_ in FAVOUR_ADVERBS for c in right)
    if lemma == "vote":
        return any(c.dep_ in ("prep", "dobj") for c in right)
    return any(c.dep_ in _PREFERRED for c in right)


def _negated(tok: Any) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never", "hardly") for c in tok.children)


def _holder(verb: Any, ctx: _Ctx) -> _Speaker | None:
    """Who holds a belief carried by ``verb``: its subject, or the agent of a
    passive ("is seen by party leaders as …"); nobody for "is seen as"."""
    if not any(c.dep_ in _SUBJ for c in verb.children) and verb.dep_ != "conj":
        return None
    subj, passive = _subject_of(verb, ctx)
    if passive:
        agent = _agent(verb)
        return _speaker(agent, ctx) if agent is not None else None
    if subj is None or ctx.in_quote(subj.idx):
        return None
    return _speaker(subj, ctx)


def _view_claim(verb: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "Experts see the vote as a test of the reform", "the board considered
    her the best choice", "she is seen by party leaders as the favourite": the
    object and what it is taken for."""
    if verb.tag_ == "VBG" or _negated(verb):
        return None
    kids = [c for c in verb.children if c.i > verb.i]
    obj = next((c for c in kids if c.dep_ == "dobj"), None)
    as_ = [c for c in kids if _as_phrase(c)]
    if obj is not None and not as_:
        # "see the pier as a waste", "see the votes held Sunday as a test":
        # hung on the object or on its participle
        as_ = [c for c in obj.children if c.i > obj.i and _as_phrase(c)]
        as_ = as_ or [
            g for c in obj.children if c.dep_ == "acl" for g in c.children if _as_phrase(g)
        ]
    comp = [c for c in kids if c.dep_ in ("oprd", "attr") or (c.dep_ == "ccomp" and _small(c))]
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is not None:
        # "she is seen by party leaders as the one to unite them"
        if not as_:
            return None
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
        toks = [*_sub(subj), *aux, verb, *(t for a in as_ for t in _sub(a))]
    elif obj is not None and (as_ or comp):
        toks = [t for p in (obj, *as_, *comp) for t in _sub(p)]
    elif obj is None and len(comp) == 1 and comp[0].dep_ == "ccomp":
        toks = _sub(comp[0])  # "consider him a phony" parsed as a verbless clause
    else:
        return None
    holder = _holder(verb, ctx)
    if holder is None:
        return None
    toks = sorted({t.i: t for t in toks}.values(), key=lambda t: t.i)
    return _draft_from_tokens(holder, verb, "believe", toks, sent, k, ctx, False)


def _as_phrase(tok: Any) -> bool:
    """ "as a test of the reform", "as uniquely credible" (an adverbial)."""
    if tok.dep_ == "prep" and tok.lower_ == "as":
        return any(c.dep_ in ("pobj", "amod", "pcomp", "acomp") for c in tok.children)
    return bool(tok.dep_ == "advcl" and _sub(tok)[0].lower_ == "as")


def _small(clause: Any) -> bool:
    """A verbless clause the parser made of "him a phony" (no verb in it)."""
    return clause.pos_ in ("NOUN", "PROPN", "ADJ") and any(
        c.dep_ in ("nsubj",) for c in clause.children
    )


def _finding_object(verb: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "The survey showed the mayor in the lead", "a study found the drug
    safe": a poll or a study that shows a noun phrase reports a finding."""
    if _negated(verb):
        return None
    kids = [c for c in verb.children if c.i > verb.i]
    if any(c.dep_ in ("ccomp", "parataxis") for c in kids):
        return None  # a reported clause: the verb cue's own claim
    obj = next((c for c in kids if c.dep_ == "dobj"), None)
    subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if verb.tag_ == "VBG":
        # "with polls showing the mayor ahead": the noun the participle is hung on
        subj = verb.head if verb.dep_ == "acl" and verb.head.i == verb.i - 1 else None
    if obj is None or subj is None or subj.lemma_.lower() not in FINDING_NOUNS:
        return None
    rest = [c for c in kids if c.dep_ not in ("punct", "cc", "conj")]
    toks = sorted({t.i: t for c in rest for t in c.subtree}.values(), key=lambda t: t.i)
    words = [t for t in toks if not t.is_punct]
    if len(words) < 3:
        return None  # "showed signs": too little to check
    speaker = _speaker(subj, ctx)
    if speaker is None:
        return None
    return _draft_from_tokens(speaker, verb, verb.lemma_.lower(), toks, sent, k, ctx, False)


def _poll_claim(prep: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "In the latest poll, the mayor leads by six points", "the mayor won 40
    percent in a survey released Monday": the poll reports the clause."""
    obj = _pobj(prep)
    if obj is None or obj.lemma_.lower() not in POLL_NOUNS:
        return None
    verb = prep.head
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT" and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or verb.dep_ not in ("ROOT", "conj"):
        return None
    if verb.lemma_.lower() in CUE_VERBS or not any(c.dep_ in _SUBJ for c in verb.children):
        return None
    # the poll by its name ("the latest Harbour Wire poll"), not what it is
    # about ("polls against the mayor") nor when it ran ("May's poll")
    name = [
        t
        for t in _sub(obj)
        if t.i <= obj.i
        and not (t.dep_ == "poss" and (t.ent_type_ in ("DATE", "TIME") or t.pos_ == "PRON"))
    ]
    first = next((t for t in name if t.dep_ != "case" and not t.is_punct), None)
    if first is None:
        return None
    label = ctx.text[first.idx : obj.idx + len(obj.text)]
    if any(t.like_url or t.text in ("<", ">", "@") for t in name) or "\n" in label:
        return None
    speaker = _Speaker(label, None, "other", first.idx)
    skip = {t.i for t in prep.subtree}
    toks = [t for t in _sub(verb) if t.i not in skip]
    # "In the poll, …": the comma left after the phrase
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    d = _draft_from_tokens(speaker, verb, "find", toks, sent, k, ctx, False)
    if d is not None:
        d.cue = "".join(t.text_with_ws for t in prep.subtree).strip()
    return d


# verbs whose subject holds the belief named by their object
_HOLDING_VERBS = frozenset(
    {"express", "voice", "share", "state", "repeat", "reiterate", "hold", "have", "harbor"}
    | {"harbour", "raise", "air", "offer", "convey", "keep", "maintain", "take", "stress"}
    | {"emphasize", "emphasise", "underline", "make", "give", "revise", "reaffirm", "note"}
    | {"leave", "cast", "issue", "deliver", "sound", "press", "renew", "lay"}
)


def _that_clause(children: Any, after: int, deps: tuple[str, ...] = ("ccomp",)) -> Any:
    """The first clause among ``children`` after token ``after`` that opens
    with "that" ("her belief that …", "is convinced that …"), else None."""
    return next(
        (
            c
            for c in children
            if c.dep_ in deps
            and c.i > after
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ),
        None,
    )


def _belief_noun_claim(noun: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "Her belief that the bridge is safe", "voiced his concern that …",
    "the mayor's view is that …", "in the mayor's view, …": a belief named by
    a noun, held by its owner or by the subject of the verb it is object of."""
    lemma = BELIEF_NOUNS[noun.lemma_.lower()]
    if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
        if lemma != "doubt":
            return None  # "no belief that …"
        lemma = "believe"  # "left no doubt that …"
    clause = _that_clause(noun.children, noun.i, ("acl", "ccomp"))
    head = noun.head
    holder: _Speaker | None = None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if clause is None and noun.dep_ == "dobj" and head.lemma_.lower() in _HOLDING_VERBS:
        # "expressed cautious optimism over the weekend that …": the clause
        # hung on the verb, past a time phrase
        clause = _that_clause(head.children, noun.i)
    if clause is None and noun.dep_ == "nsubj" and head.lemma_ == "be":
        # "the mayor's view is that the bridge is safe"
        clause = _that_clause(head.children, head.i)
    if clause is None and noun.dep_ == "pobj" and head.lower_ == "in" and owner is not None:
        # "in the mayor's view, the bridge is safe"
        if noun.lemma_.lower() not in ("view", "opinion", "assessment", "estimate"):
            return None
        verb = head.head
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in CUE_VERBS:
            return None
        skip = {t.i for t in head.subtree}
        toks = [t for t in _sub(verb) if t.i not in skip]
        while toks and (toks[0].is_punct or toks[0].is_space):
            toks = toks[1:]
        holder = _owner_speaker(owner, ctx)
        if holder is None:
            return None
        d = _draft_from_tokens(holder, noun, lemma, toks, sent, k, ctx, False)
        if d is not None:
            d.cue = "".join(t.text_with_ws for t in head.subtree).strip()
        return d
    if clause is None:
        return None
    among = next(
        (
            _pobj(c)
            for c in noun.children
            if c.dep_ == "prep" and c.lower_ in ("within", "among") and _pobj(c) is not None
        ),
        None,
    )
    if owner is not None:
        holder = _owner_speaker(owner, ctx)
    elif among is not None:
        # "the concern within the ministry is that …"
        holder = _speaker(among, ctx)
    elif (
        noun.dep_ == "dobj"
        and head.pos_ == "VERB"
        and head.lemma_.lower() in _HOLDING_VERBS
        and not _negated(head)
    ):
        # "expressed his belief that …", "shares the fear that …"; not "the
        # storm stoked fears that …", whose subject holds no fear
        holder = _holder(head, ctx)
    if holder is None:
        return None
    d = _draft_from_tokens(holder, noun, lemma, _sub(clause), sent, k, ctx, False)
    if d is not None:
        phrase = [t for t in _sub(noun) if t.i <= noun.i]
        if noun.dep_ == "dobj":
            phrase = [head, *phrase]  # "voiced her belief"
        d.cue = "".join(t.text_with_ws for t in phrase).strip()
    return d


def _made_clear_claim(verb: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "The governor made clear that he would veto the levy", "officials
    made it clear the border would stay open": what the subject made clear
    is a claim of theirs, the clause after "clear"."""
    near = [*verb.children]
    near += [g for c in verb.children if c.dep_ == "npadvmod" for g in c.children]
    clear = next(
        (
            c
            for c in near
            if c.lower_ == "clear" and c.dep_ in ("ccomp", "acomp", "oprd", "amod", "advmod")
        ),
        None,
    )
    if clear is None or _negated(verb) or _negated(clear):
        return None
    if any(c.dep_ == "neg" or c.lower_ in ("not", "never") for c in clear.children):
        return None

    def finite(c: Any) -> bool:
        return (
            c.pos_ in ("VERB", "AUX")
            and c.i > clear.i
            and any(g.dep_ in _SUBJ for g in c.children)
            and not any(m.dep_ == "mark" and m.lower_ != "that" for m in c.children)
        )

    clause = next(
        (
            c
            for c in (*verb.children, *clear.children)
            if c.dep_ in ("ccomp", "advcl") and finite(c)
        ),
        None,
    )
    if clause is None:
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is not None and not _someone(subj):
        return None  # "the primary made it clear that …" tells, but says nothing
    holder = _holder(verb, ctx)
    if holder is None:
        return None
    toks = list(_sub(clause))
    if toks and toks[0].dep_ == "mark":
        toks = toks[1:]
    d = _draft_from_tokens(holder, verb, "say", toks, sent, k, ctx, False)
    if d is not None:
        d.cue = "".join(t.text_with_ws for t in sent if verb.i <= t.i <= clear.i).strip()
    return d


def _owner_speaker(owner: Any, ctx: _Ctx) -> _Speaker | None:
    """The holder named by a possessive ("the mayor's view", "their fear"),
    without the "'s"."""
    low = owner.lower_
    if low in ("his", "her"):
        return _resolve_previous(ctx, "person", owner.idx)
    if low in ("their", "its"):
        prev = _resolve_previous(ctx, "group", owner.idx)
        return prev if prev is not None and owner.idx - prev.pos < 400 else None
    found = _speaker(owner, ctx)
    if found is None:
        return None
    return replace(found, name=re.sub(r"\s*['’]s?$", "", found.name))


def _belief_adjective_claim(adj: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    """ "The engineers are convinced that the dam will hold", "she remained
    hopeful that …": a state of belief with a clause, held by the subject."""
    lemma = BELIEF_ADJECTIVES[adj.lower_]
    if _negated(adj):
        return None
    verb = adj.head
    if _negated(verb):
        return None
    clause = _that_clause((*adj.children, *verb.children), adj.i)
    if clause is None:
        return None
    holder = _holder(verb, ctx)
    if holder is None:
        return None
    d = _draft_from_tokens(holder, adj, lemma, _sub(clause), sent, k, ctx, False)
    if d is not None:
        d.cue = f"{verb.text} {adj.text}" if verb.i == adj.i - 1 else adj.text
    return d
