"""Verb cues ("said", "told reporters", "denied"): the speaker from the subject,
the content from the complement."""

from __future__ import annotations

from typing import Any

from bot.analysis.claims.base import (
    _SUBJ,
    _clean,
    _Ctx,
    _Draft,
    _finish,
    _pobj,
    _relay_tokens,
    _span_of,
    _Speaker,
    _stance,
    _sub,
)
from bot.analysis.claims.quotes import _adjacent_quote
from bot.analysis.claims.speakers import _speaker
from bot.analysis.claims.verb_content import (
    _BEFORE_CUES,
    _cut_other_attribution,
    _outer_coordinate,
    _recorded,
    _that_clause,
    _with_antecedent,
)
from bot.analysis.cues import (
    AUDIENCE,
    CLAIM_NOUNS,
    CLAUSE_ONLY_CUES,
    CUE_VERBS,
    EMPHASIS_NOUNS,
    MODALS,
    NEEDS_CLAUSE,
    NEEDS_COMPLEMENT,
    OBJECT_CUES,
    RECORD_CUES,
    is_outlet_name,
)
from bot.models import Stance

_AUXILIARIES = frozenset({"be", "have", "do", "will", "shall", "may", "might", "can", "could"})


# determiners by which a noun points at something already said
_POINTING = frozenset({"the", "this", "that", "these", "those"})


def _content_from_children(cue: Any, ctx: _Ctx | None = None) -> tuple[list[Any], str]:
    """The content tokens of a verb cue from its complements, and a tag for
    the kind of complement."""
    lemma = cue.lemma_.lower()
    kids = list(cue.children)
    head = cue.head
    hung = _hung_participle(head) if head.i != cue.i else None
    if hung is not None and hung.i == cue.i:
        # "…, adding, “…”": the parser hung the participle on its own quotation
        skip = {t.i for t in cue.subtree}
        own = [t for t in _sub(head) if t.i not in skip and t.i > cue.i]
        while own and own[0].is_punct:
            own = own[1:]
        return own, "ccomp"
    if ctx is not None:
        # a headline's verb that the parser gave the first paragraph as object
        kids = [c for c in kids if ctx.same_para(c.idx, cue.idx)]
    if lemma in RECORD_CUES:
        return _recorded(cue, kids), "object"
    ccomp = [
        c
        for c in kids
        if c.dep_ in ("ccomp", "parataxis")
        and c.i > cue.i
        and not _quoted_title(c, cue)
        and _hung_participle(c) is None
    ]
    if ccomp:
        # "says X, the agency has reported": a relay hung as a second clause
        own = ccomp[:1] + [
            c
            for c in ccomp[1:]
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
            or (
                # a list number ("2. The toll …"), not a count ("Five hundred …")
                toks[0].like_num
                and toks[0].i == toks[0].sent.start
                and toks[0].i + 1 < len(toks[0].doc)
                and toks[0].doc[toks[0].i + 1].text in (".", ")")
            )
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
        if len(dobj) == 1 and not comp and _label_as_apposition(dobj[0]):
            return _span_of(dobj), "object"
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
    # "asked the minister whether the depot would close": the question is a
    # clause the parser hangs as an adverbial
    if lemma in ("ask", "wonder"):
        asked = [
            c
            for c in kids
            if c.dep_ == "advcl"
            and c.i > cue.i
            and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)
        ]
        if asked:
            return _sub(asked[0]), "ccomp"
    if preps and lemma in ("warn", "speak", "complain", "boast"):
        return _span_of(preps), "object"
    return [], ""


def _label_as_apposition(obj: Any) -> bool:
    """ "called Mrs. Vale an ''Iron Lady''", "called Mr. Dorn, a former
    banker, a fraud": the label the parser took for an apposition of the
    object (one right after it, or a second one after a comma)."""
    for app in (c for c in obj.children if c.dep_ == "appos" and c.i > obj.i):
        first = min(t.i for t in app.subtree)
        if obj.doc[first - 1].text != ",":
            return True
        if any(c.dep_ == "appos" and c.i > app.i for c in app.children):
            return True
    return False


def _participle_holder(cue: Any) -> Any:
    """The noun right before a participle of saying with a clause of its own
    ("with 40 percent saying they would stay home", "left most residents
    saying the plan had failed"): whoever says it; None otherwise."""
    if cue.tag_ != "VBG" or cue.dep_ not in ("acl", "advcl") or cue.i == 0:
        return None
    if cue.lemma_.lower() not in ("say", "claim", "argue", "insist", "predict", "report"):
        return None
    if not any(c.dep_ == "ccomp" for c in cue.children) or any(
        c.dep_ in _SUBJ for c in cue.children
    ):
        return None
    prev = cue.doc[cue.i - 1]
    if prev.pos_ not in ("NOUN", "PROPN") or prev.ent_type_ in ("DATE", "TIME"):
        return None
    node = prev
    # "62 percent of voters": the head of the noun phrase
    while (
        node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.pos_ in ("NOUN", "NUM")
    ):
        node = node.head.head
    return node


def _hung_participle(clause: Any) -> Any:
    """ "said, adding, “He cares”": a participle of saying that the parser
    hung on the clause it introduces (adding ← cares); that clause is the
    participle's, not the main cue's. Returns the participle or None."""
    if clause.dep_ not in ("ccomp", "parataxis"):
        return None
    for c in clause.children:
        if (
            c.dep_ == "advcl"
            and c.i < clause.i
            and c.tag_ == "VBG"
            and c.lemma_.lower() in CUE_VERBS
            and c.lemma_.lower() not in CLAUSE_ONLY_CUES
            and not any(g.dep_ in _SUBJ for g in c.children)
        ):
            return c
    return None


def _quoted_title(clause: Any, cue: Any) -> bool:
    """ "said on CBS's ''Face the Nation''": a quoted name after a preposition
    or a possessive is a title the parser took for the reported clause."""
    doc = clause.doc
    first = min(t.i for t in clause.subtree if not t.is_quote)
    i = first - 1
    while i > cue.i and doc[i].is_quote:
        i -= 1
    if i <= cue.i or i == first - 1:
        return False  # no quotation mark before the clause
    prev = doc[i]
    return prev.dep_ in ("case", "pobj", "poss") or prev.pos_ == "ADP"


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
        outer = _outer_coordinate(node) if node.i == cue.i else None
        if outer is not None:
            node = outer  # "acknowledged that A and said B": the first cue's speaker
            continue
        if node.dep_ in ("advcl", "conj", "xcomp", "pcomp", "prep") and node.head is not node:
            hung = _hung_participle(node.head)
            if hung is not None and hung.i == node.i:
                node = node.head  # the clause it introduces: its subject is not the speaker
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


QUOTE_CUES = (
    frozenset(CUE_VERBS)
    - CLAUSE_ONLY_CUES
    - {
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
)


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
    holder = _participle_holder(cue)
    if holder is not None:
        # "left 62 percent of voters saying race relations are worse"
        group = _speaker(holder, ctx)
        toks, _ = _content_from_children(cue, ctx)
        if group is None or not toks:
            return None
        return _draft_from_tokens(group, cue, lemma, toks, sent, k, ctx, False)
    if cue.dep_ in ("acl", "amod", "compound"):  # "cases reported each day"
        return None
    modal, neg = _modal_or_negated(cue)
    if neg:
        return None
    own_subject = any(c.dep_ in _SUBJ for c in cue.children)
    if lemma in CLAUSE_ONLY_CUES and (
        (cue.tag_ == "VBG" and not own_subject) or (not own_subject and cue.dep_ != "conj")
    ):
        # "knowing it could fail": a belief needs its holder named ("is hoping" has one)
        return None
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
            j = cue.i - 1
            while j > sent.start and cue.doc[j].is_quote:
                j -= 1  # ',” adding': the comma inside the closing quote
            prev = cue.doc[j] if cue.i > 0 else None
            if cue.i != sent.start and (prev is None or prev.text not in (",", "—", "–", ";")):
                return None
    subj, passive = _subject_of(cue, ctx)
    speaker: _Speaker | None = None
    if passive and subj is not None and subj.lower_ == "it":
        agent = _agent(cue)
        if agent is not None:
            speaker = _speaker(agent, ctx)
        elif lemma in CLAUSE_ONLY_CUES:
            return None  # "it is believed that …": nobody holds the belief
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
    if lemma in RECORD_CUES and (
        speaker.kind != "group" or not any(c.dep_ == "nsubj" for c in cue.children)
    ):
        # "the striker recorded 3 goals", "the blast registered 2.3": a
        # record or a measure, not an institution's report
        return None
    draft = _verb_content(cue, lemma, speaker, sent, k, ctx, modal)
    if lemma == "continue" and (
        draft is None or not draft.direct or subj is None or subj.pos_ not in ("PRON", "PROPN")
    ):
        return None  # "the talks continued": speech only when it goes on quoting someone
    if draft is not None and subj is not None and not passive:
        draft.also = _co_speakers(subj, speaker, ctx)
    return draft


def _co_speakers(subj: Any, speaker: _Speaker, ctx: _Ctx) -> list[_Speaker]:
    """ "Both Alaska and United said …", "Moscow and Washington denied …":
    each conjunct of the subject that names someone else speaks too."""
    out: list[_Speaker] = []
    for c in subj.conjuncts:
        if c.i <= subj.i or c.pos_ not in ("PROPN", "NOUN") or ctx.in_quote(c.idx):
            continue
        sp = _speaker(c, ctx)
        if sp is not None and sp.name != speaker.name and sp.id != speaker.id:
            if sp.id is None and not any(
                m.start <= c.idx < m.end for m in ctx.mentions_in(c.idx, c.idx + len(c.text))
            ):
                continue
            out.append(sp)
    return out


def _verb_content(
    cue: Any, lemma: str, speaker: _Speaker, sent: Any, k: int, ctx: _Ctx, modal: bool
) -> _Draft | None:
    """The content of a verb cue whose speaker is known: the complement, the
    quotation beside the cue, or the clause the parse attached elsewhere."""
    toks, tag = _content_from_children(cue, ctx)
    if (
        tag == "object"
        and toks
        and toks[0].i > cue.i
        and lemma not in NEEDS_COMPLEMENT
        and not any(t.pos_ in ("VERB", "AUX") for t in toks)
        and not any(ctx.in_quote(t.idx) for t in toks)
    ):
        # "denied involvement in the blasts", "claimed neutrality": a noun
        # phrase alone is no proposition; with its verb it reads as one
        head = next((t for t in toks if t.head.i == cue.i), None)
        if (
            head is not None
            and head.lemma_.lower() in CLAIM_NOUNS
            and all(t is head or t.dep_ in ("det", "amod", "punct") for t in toks)
            and not any(t.dep_ == "det" and t.lower_ in _POINTING for t in toks)
        ):
            # "dismissed similar accusations": claims that point at nothing
            # stated; "denied those allegations" refers to ones just reported
            return None
        if head is not None and head.lemma_.lower() in EMPHASIS_NOUNS:
            # "stressed the seriousness of the incident": a weight put on
            # something, not a proposition anyone could check
            return None
        toks = [cue, *[c for c in cue.children if c.dep_ == "prt"], *toks]
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
    return _draft_from_tokens(speaker, cue, lemma, _with_antecedent(cue, toks), sent, k, ctx, modal)


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
    return _Draft(speaker, _cue_phrase(cue), stance, direct, start, end, toks, k, 0, lemma, cue.idx)
