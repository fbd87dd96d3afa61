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
from bot.analysis.claims.positions import in_background, position_content, whole_object
from bot.analysis.claims.quotes import _adjacent_quote, _quoted_phrase
from bot.analysis.claims.speakers import _a_share, _share_before, _share_speaker, _speaker
from bot.analysis.claims.verb_content import (
    _BEFORE_BARE_CUES,
    _BEFORE_CUES,
    _antecedent,
    _cut_other_attribution,
    _outer_coordinate,
    _pro_form,
    _recorded,
    _saying_after_prep,
    _says_pro_form,
    _that_clause,
    _with_antecedent,
)
from bot.analysis.cues import (
    AS_LABEL_CUES,
    AUDIENCE,
    CLAIM_NOUNS,
    CLAUSE_ONLY_CUES,
    CUE_VERBS,
    DOCUMENT_NOUNS,
    EMPHASIS_NOUNS,
    EMPTY_ECHOES,
    EMPTY_OBJECTS,
    JUDGING_CUES,
    MAINTAINED_NOUNS,
    MEDIUM_NOUNS,
    MODALS,
    NEEDS_CLAUSE,
    NEEDS_COMPLEMENT,
    OBJECT_CUES,
    OCCASION_NOUNS,
    PHRASAL_CUES,
    POSITION_CUES,
    READINESS_VERBS,
    READINESS_WORDS,
    RECORD_CUES,
    ROLE_NOUNS,
    STATEMENT_NOUNS,
    TOPIC_CUES,
    is_outlet_name,
)
from bot.models import Stance

_POSITION_PREPS = frozenset({"for", "on", "to", "with"})
_AUXILIARIES = frozenset({"be", "have", "do", "will", "shall", "may", "might", "can", "could"})


# determiners by which a noun points at something already said
_POINTING = frozenset({"the", "this", "that", "these", "those"})


_PHRASAL_HEADS = frozenset(verb for verb, _ in PHRASAL_CUES)


def _cue_lemma(tok: Any) -> str:
    """The lemma a verb is read as for a cue: a phrasal verb of talking
    something up or down by its one-word sense ("talked up" is "tout",
    "played down" is "downplay"), any other verb by its own lemma."""
    lemma: str = tok.lemma_.lower()
    if lemma not in _PHRASAL_HEADS:
        return lemma
    for c in tok.children:
        if c.dep_ == "prt" and (lemma, c.lower_) in PHRASAL_CUES:
            return PHRASAL_CUES[(lemma, c.lower_)]
    return lemma


def _content_from_children(cue: Any, ctx: _Ctx | None = None) -> tuple[list[Any], str]:
    """The content tokens of a verb cue from its complements, and a tag for
    the kind of complement."""
    lemma = _cue_lemma(cue)
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
    position = position_content(cue)
    if position is not None:
        # "called for an inquiry", "urged the city to reopen the talks"
        return position, "position"
    ccomp = [
        c
        for c in kids
        if c.dep_ in ("ccomp", "parataxis")
        and c.i > cue.i
        and not _quoted_title(c, cue)
        and _hung_participle(c) is None
        and not _behind_other_clause(cue, c, kids)
        and not _subjectless_after_quote(cue, c, kids, ctx)
        and not _clause_of_time(c)
    ]
    if ccomp and ctx is not None and _quote_resumed(cue, ccomp[0], kids, ctx):
        ccomp = []  # "“A,” she said, “and B.”": A is the cue's; B joins it later
    if ccomp:
        late = [
            c
            for c in kids
            if cue.i < c.i < ccomp[0].i
            and c.pos_ in ("NOUN", "PROPN")
            and (
                c.dep_ == "nsubj"
                # "said the days when … are gone": the clause's subject taken
                # for a time or an object of the cue, running into the clause
                or (
                    c.dep_ in ("npadvmod", "dobj")
                    and max(t.i for t in c.subtree) + 1 == min(t.i for t in ccomp[0].subtree)
                    and any(t.dep_ == "relcl" for t in c.children)
                )
            )
        ]
        early = [c for c in kids if c.dep_ == "nsubj" and c.i < cue.i]
        if len(early) >= 2 and not any(g.dep_ in _SUBJ for g in ccomp[0].children):
            # "The plan, the mayor told reporters, would cost nothing": the
            # reported clause's subject, before the cue, taken for a second subject
            first = _sub(early[0])
            if first[-1].i + 1 < early[1].i and cue.doc[first[-1].i + 1].text == ",":
                return [*first, *_span_of(ccomp[:1])], "ccomp"
        if late and not any(g.dep_ in _SUBJ for g in ccomp[0].children):
            # "said closed primaries -- those open to members -- deny …": the
            # parser took the reported clause's subject for a second subject
            return _span_of([late[0], ccomp[0]]), "ccomp"
        # "says X, the agency has reported": a relay hung as a second clause
        own = ccomp[:1] + [
            c
            for c in ccomp[1:]
            if not (c.lemma_.lower() in CUE_VERBS and any(g.dep_ in _SUBJ for g in c.children))
        ]
        return _span_of(own or ccomp[:1]), "ccomp"
    host = _as_clause_host(cue, kids)
    if host is not None:
        # "As the Courier noted, water use has doubled": the clause the cue is set in
        skip = {t.i for t in cue.subtree}
        toks = [t for t in _sub(host) if t.i not in skip]
        while toks and toks[0].is_punct:
            toks = toks[1:]
        return toks, "ccomp"
    # "The toll stands at seven, the governor said." - the clause comes first
    before = [c for c in kids if c.dep_ in ("ccomp", "parataxis") and c.i < cue.i]
    if lemma in _BEFORE_BARE_CUES and any(
        c.dep_ in ("dobj", "xcomp", "ccomp", "advcl", "prep") and c.i > cue.i for c in kids
    ):
        before = []
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
    label = comp or dobj or [p for p in preps if p.lower_ == "as"]
    if label and lemma in OBJECT_CUES and cue.dep_ == "relcl" and _relative_object(cue, kids):
        # "…, which he called “a total disaster”": what the clause hangs on, and the label
        toks = _span_of(label[:1])
        before = cue.doc[toks[0].i - 1]
        return [*_antecedent(cue), *([before] if before.is_quote else []), *toks], "object"
    if lemma == "echo" and (len(dobj) != 1 or not _echoed_content(dobj[0])):
        return [], ""
    if lemma in AS_LABEL_CUES:
        # "portrayed the strikers as criminals": the object with its label
        return (_as_label(cue, dobj[0]), "object") if len(dobj) == 1 else ([], "")
    if lemma in NEEDS_COMPLEMENT:
        if not dobj and comp and ctx is not None and ctx.in_quote(comp[0].idx) and _after_what(cue):
            # "denounced what she called ''a reckless plan''": the quoted label
            return _span_of(comp[:1]), "object"
        if len(dobj) >= 2:
            return _span_of(dobj), "object"
        if dobj and (comp or any(p.lower_ == "as" for p in preps)):
            parts = dobj + comp + [p for p in preps if p.lower_ == "as"]
            return _span_of(parts), "object"
        if any(d.lemma_.lower() in CLAIM_NOUNS for d in dobj) and comp:
            return _span_of(dobj + comp), "object"
        if (
            len(dobj) == 1
            and not comp
            and any(t.dep_ == "prep" and t.lower_ == "as" for t in dobj[0].subtree)
        ):
            # "labeled the damage as acts of sabotage": the label hung on the object
            return _span_of(dobj), "object"
        if len(dobj) == 1 and not comp and _label_as_apposition(dobj[0]):
            return _span_of(dobj), "object"
        if len(dobj) == 1 and not comp and ctx is not None and _quoted_label(dobj[0], ctx):
            return _span_of(dobj), "object"
        if not dobj and len(comp) >= 2 and all(c.dep_ == "oprd" for c in comp):
            # "called both Dorn and Pike ''reckless''": the object read as a complement
            return _span_of(comp), "object"
        if not dobj and len(comp) == 1 and _small_clause(cue, comp[0]):
            # "calling Dorn a fraud": object and label read as a clause
            return _span_of(comp), "object"
        one = dobj if len(dobj) == 1 and not comp else comp if len(comp) == 1 and not dobj else []
        if one and ctx is not None and _label_ends_phrase(one[0], ctx):
            # "called her ''third-rate''", "called the mayor ''the city's worst
            # enemy''": object and quoted label read as one phrase
            return _span_of(one), "object"
        return [], ""
    if lemma in JUDGING_CUES and len(dobj) == 1 and not comp:
        # "praised the efforts of a donor to the senator to attack the rival"
        return whole_object(cue, dobj[0]), "object"
    if lemma == "warn" and dobj and not preps and not comp:
        # "warned state officials last month": whom it warned, not of what
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
    if (
        dobj
        and lemma in OBJECT_CUES
        and not comp
        and not preps
        and (dobj[0].ent_type_ in ("GPE", "LOC", "FAC") or _empty_object(dobj[0]))
    ):
        # "both campaigns are contesting Ohio": a place is fought over;
        # "announced plans", "confirmed the details": nothing one could check
        return [], ""
    if dobj and (lemma in OBJECT_CUES):
        toks = _span_of(dobj + comp + preps)
        if not comp and not preps and len(dobj) == 1:
            # "denied any role in the attacks", "announced his engagement to
            # X": a phrase of the object the parser hung on the verb
            toks = _object_with_phrase(cue, dobj[0])
        return toks, "object"
    # "said as she and others marched": a time with a subject of its own is
    # no complement of a cue by itself
    own = [c for c in comp if not (c.dep_ == "advcl" and any(g.dep_ in _SUBJ for g in c.children))]
    if own and lemma not in NEEDS_CLAUSE:
        return _span_of(own), "xcomp"
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
    about = [p for p in preps if p.lower_ in ("about", "of")]
    if lemma in ("boast", "brag") and about:
        # "bragged for a year about how cheaply …": what the bragging was about
        preps = about
    if preps and lemma in _PREP_CUES:
        end = _span_of(preps)[-1].i
        # "bragged about her father teaching her to fish", "warned of the bank
        # cutting jobs": the gerund of the phrase's noun, hung on the cue
        gerund = [
            c
            for c in kids
            if c.dep_ == "advcl"
            and c.tag_ == "VBG"
            and _sub(c)[0].i == end + 1
            and not any(g.dep_ in _SUBJ or g.dep_ == "mark" for g in c.children)
        ]
        return _span_of(preps + gerund[:1]), "object"
    return [], ""


# cues whose content can be a prepositional phrase ("warned of a new war",
# "cautioned against reading too much into it", "complained about the fees",
# "apologized for the remarks")
_PREP_CUES = frozenset(
    {"warn", "caution", "speak", "complain", "boast", "brag", "apologize", "apologise"}
)


def _echoed_content(obj: Any) -> bool:
    """Whether what was echoed says something ("echoed the mayor's call for a
    ceasefire"), not whom ("echoing Erdogan") nor only a kind of content
    ("echoing comments made earlier by …", "echo her concerns")."""
    if obj.pos_ in ("PRON", "PROPN") or obj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return False
    return obj.lemma_.lower() not in STATEMENT_NOUNS | EMPTY_ECHOES or any(
        c.dep_ == "prep" and c.lower_ in ("for", "about", "on", "of", "against")
        for c in obj.children
    )


def _as_label(cue: Any, obj: Any) -> list[Any]:
    """The object of a verb of casting and its label after "as", however the
    parser hung the label: on the object ("the strikers as criminals"), on
    the verb as a phrase ("as a fight for …") or a clause ("as paid
    agitators"), or as "as" alone before the phrase ("as out of touch with
    voters"). Empty when there is no label."""
    own = _sub(obj)
    if any(t.lower_ == "as" and t.dep_ == "prep" for t in own):
        return own
    for c in cue.children:
        if c.i <= obj.i:
            continue
        if c.lower_ == "as" and c.dep_ == "prep":
            label = _sub(c)
            if len(label) == 1:
                # "as" alone: the phrase the parser hung next to it
                after = [d for d in cue.children if d.i > c.i and not d.is_punct]
                label = [*label, *(_sub(after[0]) if after else [])]
            return list(cue.doc[own[0].i : label[-1].i + 1]) if len(label) > 1 else []
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children):
            # "as paid agitators": a label read as a clause
            cut = [t for t in c.children if t.dep_ == "prep" and t.i > c.i]
            end = cut[0].i if cut else _sub(c)[-1].i + 1
            return list(cue.doc[own[0].i : end])
    return []


def _empty_object(obj: Any) -> bool:
    """An object that names a kind of content without giving it ("plans",
    "the details", "its decision"), with nothing after it that says which."""
    return obj.lemma_.lower() in EMPTY_OBJECTS and all(
        c.dep_ in ("det", "poss", "amod") for c in obj.children
    )


def _phrase_around_quote(cue: Any, sent: Any, ctx: _Ctx) -> list[Any]:
    """The verb and its phrase up to the end of the one that holds a few
    quoted words right after it ("admitted to his government’s
    “shortcomings”"), when that phrase follows the verb straight on."""
    lemma = cue.lemma_.lower()
    if lemma in RECORD_CUES or lemma == "put" or any(c.tag_ == "TO" for c in cue.children):
        return []  # "register as “undeclared”", "to respond … by recognizing that “…”"
    q = next((q for q in ctx.quotes if cue.idx < q[0] < sent.end_char), None)
    if q is None or not _quoted_phrase(q[0], q[1], ctx):
        return []
    doc = cue.doc
    if len(doc.char_span(cue.idx, q[0], alignment_mode="expand") or ()) > 8:
        return []  # the quoted words belong to a later phrase
    end = cue.i
    for c in sorted(cue.children, key=lambda t: t.i):
        if c.i < cue.i or c.dep_ not in ("prep", "dobj", "dative", "prt"):
            continue
        if c.left_edge.i != end + 1:
            return []
        end = c.right_edge.i
        if any(q[0] <= t.idx < q[1] for t in c.subtree):
            return list(doc[cue.i : end + 1])
    return []


def _object_with_phrase(cue: Any, obj: Any) -> list[Any]:
    """The object with an "in" or "to" phrase right after it that the parser
    hung on the verb, when it names neither a place, a time, a medium nor an
    audience ("in Paris", "in a statement", "to reporters")."""
    toks = _sub(obj)
    end = toks[-1].i
    nxt = next((c for c in cue.children if c.dep_ == "prep" and c.i == end + 1), None)
    if nxt is None or nxt.lower_ not in ("in", "to") or obj.lemma_.lower() in CLAIM_NOUNS:
        # "dismissed similar accusations in the past": claims that point at nothing
        return toks
    pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
    if (
        pobj is None
        or pobj.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME", "ORDINAL", "CARDINAL")
        or pobj.pos_ == "PRON"
        or pobj.lemma_.lower() in AUDIENCE | STATEMENT_NOUNS | MEDIUM_NOUNS | DOCUMENT_NOUNS
    ):
        return toks
    return [*toks, *_sub(nxt)]


def _explicit_that(cue: Any) -> bool:
    """Whether a "that" opening a clause follows the cue closely."""
    doc = cue.doc
    for t in doc[cue.i + 1 : min(cue.i + 9, cue.sent.end)]:
        if t.lower_ == "that" and t.dep_ not in ("det", "nsubj", "nsubjpass"):
            return bool(t.head.i == cue.i or cue.is_ancestor(t))
        if t.is_quote or t.text in (";", ":"):
            return False
    return False


def _unquoted_opening(cue: Any, ctx: _Ctx) -> bool:
    """Whether a cue set off by commas follows words of the sentence that are
    no quotation ("Ruiz, an aide said, …"), so that the content runs around it."""
    subj = next((c for c in cue.children if c.dep_ in _SUBJ and c.i < cue.i), None)
    if subj is None:
        return False
    first = min(t.i for t in subj.subtree)
    doc = cue.doc
    if first <= cue.sent.start or doc[first - 1].text != ",":
        return False
    opening = [t for t in doc[cue.sent.start : first - 1] if not t.is_punct]
    # "Ruiz, an aide said, “…”"; not a clause of its own ("That said, she noted, “…”")
    return any(not ctx.in_quote(t.idx) for t in opening) and (
        len(opening) > 3 or not any(t.pos_ in ("VERB", "AUX") for t in opening)
    )


def _relative_object(cue: Any, kids: list[Any]) -> bool:
    """Whether a relative pronoun is the object of the cue ("which he called …")."""
    return any(c.dep_ == "dobj" and c.tag_ in ("WDT", "WP") and c.i < cue.i for c in kids)


def _after_what(cue: Any) -> bool:
    """Whether the cue's clause is a free relative: "what she called …"."""
    subj = next((c for c in cue.children if c.dep_ in _SUBJ and c.i < cue.i), None)
    if subj is None:
        return False
    first = min(t.i for t in subj.subtree)
    return bool(first > 0 and cue.doc[first - 1].lower_ == "what")


def _quoted_label(obj: Any, ctx: _Ctx) -> bool:
    """ "called the use of emergency powers ''quite reckless''", "called the
    remarks a ''new low''": the parser hung the quoted label inside the
    object's phrase. A quotation that starts after the object's head word,
    not as the object of a preposition ("called the office of ''…''")."""
    doc = obj.doc
    sub = sorted(obj.subtree, key=lambda x: x.i)
    if (
        len(sub) > 2
        and sub[0].dep_ == "poss"
        and sub[0].lower_ == "her"
        and sub[1].is_quote
        and ctx.in_quote(sub[2].idx)
    ):
        # "calls her “an extremely intelligent woman”": "her" read as a possessive
        return True
    for t in sub:
        if t.i <= obj.i or t.is_punct or not ctx.in_quote(t.idx):
            continue
        j = t.i - 1
        while j > obj.i and (doc[j].is_quote or doc[j].is_punct):
            j -= 1
        return doc[j].pos_ != "ADP" and not ctx.in_quote(doc[j].idx)
    return False


def _small_clause(cue: Any, comp: Any) -> bool:
    """ "calling Dorn a fraud": the parser read the object and its label as a
    clause right after the cue, the object its verb ("Dorn") and the label
    that verb's object; not an infinitive ("called to ask the minister")."""
    if comp.dep_ != "xcomp" or comp.i != cue.i + 1 or not comp.text[:1].isupper():
        return False
    if any(c.dep_ in ("aux", "mark", "neg") or c.dep_ in _SUBJ for c in comp.children):
        return False
    return any(
        c.dep_ in ("dobj", "oprd", "attr")
        and c.i > comp.i
        and any(d.dep_ == "det" and d.lower_ in ("a", "an", "the") for d in c.children)
        for c in comp.children
    )


def _label_ends_phrase(head: Any, ctx: _Ctx) -> bool:
    """ "her ''third-rate''", "the mayor ''the city's worst enemy''": a phrase
    whose last words are a quotation and whose first words, outside it, end
    in a noun or a pronoun (the object); not "an ''emergency'' meeting"."""
    doc = head.doc
    sub = sorted(head.subtree, key=lambda x: x.i)
    words = [t for t in sub if not (t.is_punct or t.is_space)]
    opens = [t for t in sub if t.is_quote and t.i > sub[0].i]
    if not words or not opens:
        return False
    start = opens[0].i
    before = [t for t in words if t.i < start]
    after = [t for t in words if t.i > start]
    if not before or not after or any(ctx.in_quote(t.idx) for t in before):
        return False
    closer = {"“": "”", "‘": "’", "``": "''"}.get(doc[start].text, doc[start].text)
    close = next((t.i for t in doc[start + 1 : head.sent.end] if t.text == closer), None)
    if close is None or any(t.i > close for t in after):
        return False
    return bool(before[-1].pos_ in ("NOUN", "PROPN", "PRON") and doc[start - 1].i == before[-1].i)


def _as_clause_host(cue: Any, kids: list[Any]) -> Any:
    """ "As the Courier recently noted, water use has doubled", "…, as
    she told reporters": a cue in an "as" clause with a subject and nothing
    reported of its own reports the clause it is set in. That clause's verb,
    else None."""
    if cue.dep_ != "advcl" or cue.head.i == cue.i:
        return None
    lemma = cue.lemma_.lower()
    if lemma in RECORD_CUES | NEEDS_COMPLEMENT or CUE_VERBS.get(lemma) is not Stance.ASSERT:
        return None
    if not any(c.dep_ == "mark" and c.lower_ == "as" and c.i < cue.i for c in kids):
        return None
    if not any(c.dep_ in ("nsubj",) and c.i < cue.i for c in kids):
        return None
    for c in kids:
        if c.dep_ in ("ccomp", "xcomp", "oprd", "attr", "acomp"):
            return None
        if c.dep_ in ("dobj", "dative") and not (
            (lemma == "tell" and (c.lemma_.lower() in AUDIENCE or c.pos_ == "PRON"))
            or (lemma == "put" and c.lower_ == "it")  # "as the report put it"
        ):
            return None
    host = cue.head
    if host.pos_ not in ("VERB", "AUX"):
        return None
    if host.lemma_.lower() in CUE_VERBS and any(c.dep_ in _SUBJ for c in host.children):
        return None  # "As he noted, the mayor said …": the main cue reports it
    return host


def _subjectless_after_quote(cue: Any, clause: Any, kids: list[Any], ctx: _Ctx | None) -> bool:
    """ "“…,” the spokesman said in a statement issued an hour before …":
    a quotation before the cue is what it reports; a verb after it with no
    subject of its own ("issued", "relocated" in a relative clause the parser
    lost) is no second reported clause."""
    if ctx is None or clause.tag_ not in ("VBD", "VBN") or ctx.in_quote(clause.idx):
        return False
    if any(c.dep_ in (*_SUBJ, "expl", "mark") for c in clause.children):
        return False
    before = [c for c in kids if c.dep_ in ("ccomp", "parataxis") and c.i < cue.i]
    return bool(before) and all(
        ctx.in_quote(t.idx) for t in before[-1].subtree if not (t.is_punct or t.is_space)
    )


def _quote_resumed(cue: Any, clause: Any, kids: list[Any], ctx: _Ctx) -> bool:
    """Whether a quoted clause after the cue resumes a quotation the cue
    follows ("“The dam will hold,” she said, “and the town is safe.”")."""

    def quoted(c: Any) -> bool:
        words = [t for t in c.subtree if not t.is_punct]
        return bool(words) and all(ctx.in_quote(t.idx) for t in words)

    before = [c for c in kids if c.dep_ in ("ccomp", "parataxis") and c.i < cue.i]
    if not (before and quoted(before[-1]) and quoted(clause)):
        return False
    # only the cue's own words between it and the quotation ("said Ruiz, “…”")
    own = {t.i for c in kids if c.dep_ in _SUBJ or c.dep_ == "npadvmod" for t in c.subtree}
    first = min(t.i for t in clause.subtree)
    return all(t.is_punct or t.i in own for t in cue.doc[cue.i + 1 : first] if not t.is_space)


def _behind_other_clause(cue: Any, clause: Any, kids: list[Any]) -> bool:
    """ "“…,” Vance said as the heckler yelled: “You stink!”": a clause after
    a second verb with a subject of its own is that verb's, not the cue's."""
    subj = next((c for c in kids if c.dep_ in _SUBJ), None)
    return any(
        a.dep_ == "advcl"
        and cue.i < a.i < clause.i
        and (
            any(_someone_else(g, subj) for g in a.children if g.dep_ in _SUBJ)
            # ", recalling her own race: “…”": the participle's quotation
            or (a.tag_ == "VBG" and a.lemma_.lower() in CUE_VERBS)
        )
        and max(t.i for t in a.subtree) < clause.i
        for a in kids
    )


def _someone_else(subj: Any, cue_subj: Any) -> bool:
    """Whether the subject of a second verb names another than the cue's
    ("as the heckler yelled"; "as he traced her career" is the speaker again)."""
    if subj.pos_ == "PRON":
        return False
    return cue_subj is None or subj.lower_ != cue_subj.lower_


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
    if (
        node.i == prev.i
        and prev.pos_ == "NOUN"
        and prev.tag_ == "NN"
        and prev.ent_type_ == ""
        and prev.dep_ == "dobj"
    ):
        # "opened the debate saying …": a thing, not a group; the one who
        # opened it speaks
        verb = prev.head
        subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
        return subj
    return node


def _speaker_participle(cue: Any) -> Any:
    """ "“…,” said Don Ytterberg, the county chairman, explaining that …": a
    participle of saying the parser hung on the speaker named after the cue
    speaks for that speaker. The speaker's token, else None."""
    head = cue.head
    if (
        cue.tag_ != "VBG"
        or cue.dep_ != "acl"
        or head.dep_ != "nsubj"
        or head.head.i > head.i
        or head.head.lemma_.lower() not in CUE_VERBS
        or head.head.lemma_.lower() in CLAUSE_ONLY_CUES
        or cue.lemma_.lower() in CLAUSE_ONLY_CUES | RECORD_CUES
        or not _set_off(cue)
    ):
        return None
    return head if any(c.dep_ == "ccomp" for c in cue.children) else None


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
    if doc[first].dep_ == "mark" or (
        doc[first].pos_ in ("PROPN", "NOUN", "PRON") and doc[first].dep_ in ("nsubj", "nsubjpass")
    ):
        # "said on ABC's ''This Week'' that he would …", "saying ''of
        # course'' Clinton has …": a clause of its own after the quotation
        return False
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
    if lemma in POSITION_CUES and lemma not in TOPIC_CUES:
        # "called for", "called on", "appealed to", "pleaded with"
        nxt = cue.doc[cue.i + len(words)] if cue.i + len(words) < len(cue.doc) else None
        if (
            nxt is not None
            and nxt.lower_ in _POSITION_PREPS
            and (nxt.head.i == cue.i or (nxt.dep_ == "mark" and nxt.head.head.i == cue.i))
        ):
            words.append(nxt.text)
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
    if subj is not None and ctx is not None and subj.head.i == cue.i:
        # "“…, its heart beating, …,” said Carly Vance": a word of the
        # quotation, or a web address, the parser took for a second subject
        others = [
            c
            for c in cue.children
            if c.dep_ in _SUBJ
            and c.i != subj.i
            and c.pos_ in ("NOUN", "PROPN", "PRON")
            and not ctx.in_quote(c.idx)
        ]
        if others and (
            (ctx.in_quote(subj.idx) and not ctx.in_quote(cue.idx))
            or subj.pos_ not in ("NOUN", "PROPN", "PRON")
        ):
            subj = others[-1] if others[-1].i < cue.i else others[0]
    if (
        subj is not None
        and ctx is not None
        and subj.pos_ in ("VERB", "AUX")
        and subj.i < cue.i
        and not ctx.in_quote(subj.idx)
    ):
        # "multiple sources privy to the talks say …": an adjective the
        # parser took for a verb, made the subject; its own subject speaks
        inner = [c for c in subj.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")]
        if inner:
            subj = inner[0]
    if subj is None and ctx is not None:
        subj = _inverted_object(cue) or _stranded_subject(cue, ctx)
    return subj, passive


def _inverted_object(cue: Any) -> Any:
    """ "“Is the bridge safe?” asked Councillor Ruiz": right after a
    quotation, the parser may take the name after an inverted cue for its
    object; the name is the speaker ("asked Ruiz to stay" is a request)."""
    if cue.i == 0 or not cue.doc[cue.i - 1].is_quote:
        return None
    if any(c.dep_ in ("xcomp", "ccomp", "dative") and c.i > cue.i for c in cue.children):
        return None
    return next(
        (c for c in cue.children if c.dep_ == "dobj" and c.pos_ == "PROPN" and c.i - cue.i <= 4),
        None,
    )


def _stranded_subject(cue: Any, ctx: _Ctx) -> Any:
    """A headline run into the first paragraph makes the parser hang the
    paragraph's subject on the headline's verb: take the noun of the cue's
    paragraph, before the cue, that is attached across the break."""
    sent = cue.sent
    relative = _relative_clause_subject(cue, ctx)
    if relative is not None:
        return relative
    if ctx.same_para(sent.start_char, cue.idx):
        # "In a post on the blog, chief executive Priya Raman confirmed …":
        # the name right before the cue, hung on the preceding phrase
        prev = cue.doc[cue.i - 1] if cue.i > sent.start else None
        if prev is not None and prev.text == ",":
            # "In a call with reporters, Col. Tom Reyl, a military spokesman,
            # said …": the name with its apposition, set off before the cue
            prev = next(
                (
                    t
                    for t in cue.doc[sent.start : cue.i - 1]
                    if t.dep_ == "appos"
                    and t.pos_ == "PROPN"
                    and max(x.i for x in t.subtree) in (cue.i - 1, cue.i - 2)
                ),
                None,
            )
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


def _relative_clause_subject(cue: Any, ctx: _Ctx) -> Any:
    """ "One aide, who like others spoke on condition of anonymity, said …",
    "an official who spoke anonymously to discuss strategy said …": the
    parser hung the speaker on the relative clause's verb and left the cue
    without a subject. The noun right before "who", when the cue is a
    finite verb of the same paragraph with no subject; None otherwise."""
    if cue.tag_ not in ("VBD", "VBZ", "VBP") or cue.dep_ not in ("ROOT", "ccomp"):
        return None
    doc = cue.doc
    lo = max(cue.sent.start, cue.i - 30)
    for j in range(cue.i - 1, lo, -1):
        t = doc[j]
        if ctx.in_quote(t.idx) or t.text in (";", ":") or t.is_space:
            return None
        if t.lower_ != "who" or t.tag_ != "WP":
            continue
        k = j - 1
        while k > cue.sent.start and doc[k].text == ",":
            k -= 1
        prev = doc[k]
        if prev.pos_ in ("NOUN", "PROPN") and ctx.same_para(prev.idx, cue.idx):
            return prev
        return None
    return None


def _parsed_subject(cue: Any) -> tuple[Any, bool]:
    before = _cue_before_participle(cue) or _reporter_of_participle(cue)
    if before is not None:
        # "…, the agency said, also announcing that …": the speaker of the cue
        # the participle follows, wherever the parser hung the participle
        return before, False
    node = cue
    for _ in range(6):
        subjects = [c for c in node.children if c.dep_ in _SUBJ]
        # headline parses hang the subject on a verb taken for an auxiliary
        # ("Corvin Agrochem rejects claim …": rejects/aux, claim/ROOT)
        subjects += [
            g for c in node.children if c.dep_ == "aux" for g in c.children if g.dep_ in _SUBJ
        ]
        before = [c for c in subjects if c.i < node.i]
        if subjects:
            c = before[-1] if before else subjects[0]
            passive = c.dep_ == "nsubjpass" and not _has_contracted(node, c)
            if passive and node.i != cue.i and cue.dep_ == "conj" and cue.tag_ in ("VBD", "VBZ"):
                # "was asked whether …, and said …": the one asked answers
                passive = False
            return _reduced_relative(c) or c, passive
        if node.i == cue.i and cue.dep_ == "dep" and cue.head.i < cue.i:
            # "Majorities of voters going to the polls Tuesday say …" parsed
            # with "going" as the main verb and "say" hung on it
            inner = _reduced_relative(cue.head)
            if inner is not None:
                return inner, False
        outer = _outer_coordinate(node) if node.i == cue.i else None
        if outer is not None:
            node = outer  # "acknowledged that A and said B": the first cue's speaker
            continue
        if (
            node.dep_ in ("advcl", "conj", "xcomp", "pcomp", "prep", "acomp")
            and node.head is not node
        ):
            hung = _hung_participle(node.head)
            if hung is not None and hung.i == node.i:
                node = node.head  # the clause it introduces: its subject is not the speaker
            node = node.head
            continue
        if node.dep_ == "relcl":
            return node.head, False
        break
    return None, False


def _likelier_holder(verb: Any) -> Any:
    """ "Liberal voters were more likely to say …", "women were less likely to
    support …": a poll's comparison of groups, held by the subject of the
    copula; None otherwise ("is likely to say" is a guess about someone)."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.lower_ != "likely" or head.dep_ != "acomp":
        return None
    if not any(c.lower_ in ("more", "less") for c in head.children):
        return None
    return next((c for c in head.head.children if c.dep_ == "nsubj" and c.i < head.i), None)


def _reduced_relative(subj: Any) -> Any:
    """The noun of a subject the parser broke at its participle ("Large
    majorities of voters going to the polls Tuesday said": "going" taken for
    a clausal subject with "majorities" as its own subject), else None."""
    if subj.tag_ != "VBG" or subj.dep_ not in ("csubj", "ROOT"):
        return None
    return next(
        (
            c
            for c in subj.children
            if c.dep_ == "nsubj" and c.i < subj.i and c.pos_ in ("NOUN", "PROPN")
        ),
        None,
    )


def _has_contracted(verb: Any, subj: Any) -> bool:
    """ "he's said he will stay": the parser reads the contracted "has" as
    "is" and makes the verb a passive; with a reported clause of its own it
    is active ("it's said that …" stays an impersonal passive)."""
    return (
        subj.lower_ not in ("it", "there")
        and any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in verb.children)
        and any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children)
    )


def _reporter_of_participle(cue: Any) -> Any:
    """ "insisted it was premature to back the plan while adding, “…”": a
    participle of saying that the parser hung inside another cue's reported
    clause speaks for that cue's subject, not for the clause's. None
    otherwise."""
    after_prep = _saying_after_prep(cue)
    if (
        cue.tag_ != "VBG"
        or (cue.dep_ not in ("advcl", "conj") and not after_prep)
        or any(c.dep_ in _SUBJ for c in cue.children)
    ):
        return None
    # "said the levy had risen before claiming that …": the preposition's head
    node = cue.head.head if after_prep else cue.head
    for _ in range(6):
        claimed = (
            node.dep_ == "acl"
            and node.head.lemma_.lower() in CLAIM_NOUNS
            and node.head.dep_ == "dobj"
            and node.head.head.i != node.head.i
        )
        if (node.dep_ in ("ccomp", "parataxis") or claimed) and node.head.i != node.i:
            inner = [c for c in node.children if c.dep_ in _SUBJ]
            # "denied the notion that a shakeup is coming, explaining …": the
            # clause of the claim noun the cue takes
            outer = node.head.head if claimed else node.head
            if (not inner or inner[0].lower_ not in ("it", "there", "this", "that")) and not (
                outer.i < node.i
                # "said the chief resigned after saying …" is the chief's
                and (_set_off(cue) or (after_prep and cue.head.lower_ != "after"))
                and not _relayed(outer)
            ):
                # "Trump welcomed the news, saying …, CNN reported": the clause's
                # own subject speaks; only an empty subject ("it was premature
                # to back the plan while adding …") is no speaker. After the
                # cue, a participle set off at the end of its clause is the
                # cue's speaker's ("said the bridge would reopen, insisting …")
                return None
            if (
                outer.lemma_.lower() in CUE_VERBS
                and outer.lemma_.lower() not in CLAUSE_ONLY_CUES
                and outer.sent.start == cue.sent.start
                and "\n" not in cue.doc[outer.i : cue.i].text
            ):
                return next((c for c in outer.children if c.dep_ == "nsubj"), None)
            return None
        if node.dep_ in ("xcomp", "advcl", "conj", "acomp") and node.head.i != node.i:
            node = node.head
            continue
        break
    return None


def _relayed(cue: Any) -> bool:
    """Whether a cue relays a report ("The Journal reported that …")."""
    subj = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    return cue.lemma_.lower() == "report" or (
        subj is not None and is_outlet_name(_clean(_sub(subj)))
    )


def _set_off(verb: Any) -> bool:
    """Whether a participle follows a comma or a dash (", also insisting")."""
    doc = verb.doc
    j = verb.i - 1
    while j > verb.sent.start and doc[j].dep_ == "advmod" and doc[j].head.i == verb.i:
        j -= 1
    return j >= verb.sent.start and doc[j].text in (",", "—", "–", ";")


def _what_antecedent(subj: Any, cue: Any) -> Any:
    """ "The council pledged sanctions against what it called a threat": the
    pronoun of a free relative names the subject of the clause it sits in."""
    if subj.pos_ != "PRON" or not _after_what(cue):
        return subj
    for verb in cue.ancestors:
        # the nearest clause whose subject names someone ("Clinton says she
        # valued … what she calls …": past the second "she")
        names = [c for c in verb.children if c.dep_ in _SUBJ and c.pos_ in ("NOUN", "PROPN")]
        if names:
            return names[0]
    return subj


def _relative_antecedent(subj: Any, cue: Any) -> Any:
    """ "12 people died, according to officials, who said …": "who" stands for
    the person noun right before it, wherever the parser hung the clause."""
    if subj.lower_ != "who" or cue.dep_ != "relcl" or subj.i == 0:
        return subj
    doc = subj.doc
    j = subj.i - 1
    while j > 0 and doc[j].text == ",":
        j -= 1
    prev = doc[j]
    if (
        j < subj.i - 1  # ", who"
        and prev.pos_ in ("NOUN", "PROPN")
        and prev.dep_ == "pobj"
        and not cue.head.is_ancestor(prev)
        and prev.i != cue.head.i
    ):
        return prev
    return subj


def _cue_before_participle(cue: Any) -> Any:
    """The subject of a cue right before a participle of saying ("the agency
    said, also announcing …"), or None."""
    if cue.tag_ != "VBG" or any(c.dep_ in _SUBJ for c in cue.children):
        return None
    doc = cue.doc
    j = cue.i - 1
    while j > cue.sent.start and doc[j].dep_ == "advmod" and doc[j].head.i == cue.i:
        j -= 1
    if j <= cue.sent.start or doc[j].text != ",":
        return None
    prev = doc[j - 1]
    while prev.dep_ in ("npadvmod", "advmod", "prt") and prev.head.i < prev.i:
        prev = prev.head  # "said Monday,", "said again,"
    if prev.lemma_.lower() not in CUE_VERBS or prev.pos_ != "VERB":
        return None
    return next((c for c in prev.children if c.dep_ == "nsubj"), None)


def _asker(cue: Any) -> Any:
    """ "When asked by a reporter whether …", "Asked by Starnes if …": the
    agent of a participle "asked" with no subject of its own is who asked the
    question (the person asked is the main clause's subject). The agent's
    noun, else None."""
    if cue.lemma_.lower() != "ask" or cue.tag_ != "VBN":
        return None
    return _agent(cue)


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
        # a quotation next to them is someone's words, not what was cast,
        # played down or apologized for
        "downplay",
        "apologize",
        "apologise",
        "echo",
    }
    - AS_LABEL_CUES
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


# verbs of an occasion to speak: "took to the radio to say", "rose to say"
_OCCASIONS = frozenset({"take", "rise", "step", "return", "interject", "stand", "appear"})
# verbs that make someone say something: "the delay led Republicans to say …"
_MAKING = frozenset({"lead", "prompt", "cause", "force", "spur"})


def _readiness_holder(cue: Any) -> Any:
    """ "was quick to point out that …", "are eager to stress that …", "is
    expected to argue that …", "went out of his way to say that …": an
    infinitive of saying with a reported clause, set under a word of
    readiness or expectation, reports what that word's subject says. The
    subject's token, or None."""
    lemma = cue.lemma_.lower()
    if (
        lemma not in CUE_VERBS
        or lemma in CLAUSE_ONLY_CUES | RECORD_CUES
        or not any(c.dep_ == "ccomp" and c.i > cue.i for c in cue.children)
    ):
        return None
    head = cue.head
    hlemma = head.lemma_.lower()
    if cue.dep_ == "xcomp" and head.dep_ == "acomp" and hlemma in READINESS_WORDS:
        subj, passive = _parsed_subject(head.head)
    elif cue.dep_ in ("xcomp", "advcl") and head.pos_ == "VERB" and hlemma in READINESS_VERBS:
        subj, passive = _parsed_subject(head)
        if hlemma == "expect":
            # "is expected to argue" ("she's expected" parsed with an active
            # subject), not "expects to argue" (a plan)
            passive = passive or any(c.dep_ == "auxpass" for c in head.children)
            return subj if passive else None
    elif (
        cue.dep_ in ("relcl", "acl")
        and hlemma == "way"
        and head.head.lower_ == "of"
        and head.head.head.lower_ == "out"
        and head.head.head.head.lemma_.lower() == "go"
    ):
        # "went out of his way to say that …", the infinitive hung on "way"
        subj, passive = _parsed_subject(head.head.head.head)
    else:
        return None
    return None if subj is None or passive else subj


def _occasion_infinitive(cue: Any, head: Any) -> Any:
    """ "took to Twitter to call Fields “delusional”", "rose to criticize the
    levy", "used her speech to accuse the governor of …": an infinitive of any
    verb of saying after a verb of an occasion to speak, or after using a
    speech or a post, reports what the subject said. The subject's token, or
    None."""
    lemma = cue.lemma_.lower()
    if lemma not in CUE_VERBS or lemma in CLAUSE_ONLY_CUES | RECORD_CUES:
        return None
    if cue.dep_ not in ("advcl", "xcomp") or head.pos_ != "VERB":
        return None
    hlemma = head.lemma_.lower()
    objs = [c for c in head.children if c.dep_ == "dobj" and c.i < cue.i]
    if hlemma == "use":
        # "used her speech to accuse …", not "used the money to …"
        if not objs or objs[0].lemma_.lower() not in STATEMENT_NOUNS | OCCASION_NOUNS:
            return None
    elif hlemma not in _OCCASIONS or hlemma == "appear" or objs:
        # "appeared to suggest …": a hedge, not an occasion
        return None
    subj, passive = _parsed_subject(head)
    return None if subj is None or passive else subj


def _speaking_infinitive(cue: Any) -> Any:
    """ "tweeted on Friday to say …", "took to Twitter to say …", "went so
    far as to say: …", "interjected to say …", "led Republicans to say that …":
    an infinitive of saying that reports what the subject (or, after a verb
    of making, the object) said, not a purpose. The speaker's token, or
    None."""
    if not any(c.tag_ == "TO" for c in cue.children):
        return None
    ready = _readiness_holder(cue)
    if ready is not None:
        return ready
    if cue.dep_ not in ("advcl", "xcomp"):
        return None
    head = cue.head
    if cue.lemma_.lower() not in ("say", "declare", "insist", "argue", "add"):
        return _occasion_infinitive(cue, head)
    if head.lower_ == "far" and head.dep_ == "advmod":
        head = head.head  # "went so far as to say"
    lemma = head.lemma_.lower()
    if lemma in _MAKING and cue.dep_ == "xcomp":
        obj = next((c for c in head.children if c.dep_ == "dobj" and c.i < cue.i), None)
        return obj if obj is not None and obj.pos_ in ("NOUN", "PROPN") else None
    speaking = lemma in CUE_VERBS and lemma not in CLAUSE_ONLY_CUES | NEEDS_COMPLEMENT
    if not (speaking or lemma in _OCCASIONS or (lemma == "go" and head.i != cue.head.i)):
        return None
    if any(c.dep_ == "dobj" or (c.dep_ == "ccomp" and c.i < cue.i) for c in head.children):
        return None  # "wrote a letter to say", "said it was time to say"
    subj, passive = _parsed_subject(head)
    return None if subj is None or passive else subj


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


def _inverted_reporter(cue: Any) -> Any:
    """ "The mayor backs the budget, reported the Harbour Gazette": a cue of
    reporting after a comma, with no subject of its own, whose name after it
    ends the sentence (a time may follow) is the one who reports the clause
    before; the parser hangs the cue on that clause's verb and takes the name
    for its object."""
    doc = cue.doc
    if (
        cue.lemma_.lower() not in _BEFORE_CUES
        or cue.dep_ not in ("conj", "parataxis", "advcl", "ccomp")
        or cue.head.i >= cue.i
        or cue.i < 4
        or doc[cue.i - 1].text != ","
        or any(c.dep_ in _SUBJ or c.dep_ in ("ccomp", "xcomp", "dative") for c in cue.children)
    ):
        return None
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
    if obj is None or obj.pos_ != "PROPN" or obj.i - cue.i > 5:
        return None
    end = max(t.i for t in obj.subtree)
    rest = [t for t in doc[end + 1 : cue.sent.end] if not (t.is_punct or t.is_space)]
    if rest and not all(t.ent_type_ in ("DATE", "TIME") or t.dep_ == "prep" for t in rest):
        return None
    return obj


# conjunctions that open a clause of time, cause or contrast, never a reported one
_TIME_MARKS = frozenset(
    {"as", "while", "when", "whenever", "before", "after", "because", "since", "until"}
    | {"although", "though", "whereas", "once"}
)


def _clause_of_time(clause: Any) -> bool:
    """ "“…,” Spencer said, as a few fighters worked out inside the gym": a
    clause the parser hung on the cue as what was said, opened by a
    conjunction of time, cause or contrast; what was said is elsewhere."""
    return any(
        c.dep_ == "mark" and c.lower_ in _TIME_MARKS and c.i == clause.left_edge.i
        for c in clause.children
    )


def _act_weighed(cue: Any) -> bool:
    """ "it was inappropriate for a sitting judge to criticize a contender":
    an infinitive with its subject after "for" is an act someone weighs, not
    a stand its subject took; with a reported clause it still reports what
    its subject said ("it was absurd for Brenning to claim that …")."""
    kids = list(cue.children)
    return (
        any(c.tag_ == "TO" for c in kids)
        and any(c.dep_ == "mark" and c.lower_ == "for" and c.i < cue.i for c in kids)
        and not any(c.dep_ in ("ccomp", "parataxis") for c in kids)
    )


def _kept(cue: Any) -> bool:
    """ "maintains a commanding lead", "maintained some clout", "maintains the
    title": an object that is kept, not a stand held ("maintained his
    innocence", "maintains its position") nor a clause ("maintained that …")."""
    objs = [c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i]
    return bool(objs) and objs[0].lemma_.lower() not in CLAIM_NOUNS | MAINTAINED_NOUNS


def _noun_modifier(cue: Any) -> bool:
    """A participle between a noun's possessor, determiner or number and the
    noun itself, whatever the parser made of it ("the mayor's reported net
    worth", "271 pledged delegates"): a modifier of the noun, no cue. After a
    possessor no verb can follow; after a number or a determiner only one
    without a subject of its own ("the two reported no damage")."""
    if cue.i == cue.sent.start or cue.tag_ not in ("VBD", "VBN"):
        return False
    prev = cue.doc[cue.i - 1]
    nxt = cue.doc[cue.i + 1] if cue.i + 1 < len(cue.doc) else None
    if nxt is None or nxt.pos_ not in ("NOUN", "ADJ") or not cue.i <= nxt.head.i <= cue.i + 2:
        return False
    if prev.tag_ in ("POS", "PRP$"):
        return True
    return prev.tag_ in ("CD", "DT") and not any(c.dep_ in _SUBJ for c in cue.children)


def _verb_claim(cue: Any, sent: Any, k: int, ctx: _Ctx) -> _Draft | None:
    lemma = _cue_lemma(cue)
    if cue.dep_ == "aux":
        return _headline_cue(cue, sent, k, ctx) if _aux_cue_lemma(cue) else None
    if any(_aux_cue_lemma(c) for c in cue.children):
        return None  # the word after a headline cue, see _headline_cue
    if cue.pos_ not in ("VERB", "AUX") and not (cue.pos_ == "NOUN" and lemma == "say"):
        return None
    if lemma not in CUE_VERBS and position_content(cue) is None:
        return None  # "appealed the ruling", "pushed the cart": no position taken
    if lemma in POSITION_CUES and in_background(cue):
        return None  # "hours after the union urged the city to …": what happened then
    if (
        lemma == "call"
        # "called on the agency to …", not "On Monday, Vale called Dorn a liar"
        and any(
            c.dep_ == "prep" and c.lower_ in ("for", "on") and c.i > cue.i for c in cue.children
        )
        and position_content(cue) is None
    ):
        return None
    if (
        lemma == "point"
        and not any(c.dep_ == "prt" and c.lower_ == "out" for c in cue.children)
        and position_content(cue) is None
    ):
        return None
    if lemma == "quote":  # "X was quoted as saying": the cue is "saying"
        return None
    if lemma == "ask" and cue.tag_ == "VBN" and not any(c.dep_ in _SUBJ for c in cue.children):
        asked, _ = _subject_of(cue, ctx)
        if asked is not None and _a_share(asked):
            return None  # "Asked whether …, 46 percent said yes": the poll asked them
    if _noun_modifier(cue):
        return None  # "leads by 271 pledged delegates", "his reported net worth"
    if _act_weighed(cue):
        return None  # "it was inappropriate for the judge to criticize him"
    reporter = _inverted_reporter(cue)
    if reporter is not None:
        # "The mayor backs the budget, reported the Harbour Gazette."
        reporting = _speaker(reporter, ctx)
        toks = [t for t in sent if t.i < cue.i - 1 and not ctx.in_quote(t.idx)]
        while toks and (toks[0].is_punct or toks[0].is_space):
            toks = toks[1:]
        if reporting is None or len(toks) < 3:
            return None
        return _draft_from_tokens(reporting, cue, lemma, toks, sent, k, ctx, False)
    holder = _participle_holder(cue) or _speaker_participle(cue)
    if holder is not None:
        # "left 62 percent of voters saying race relations are worse"
        group = _speaker(holder, ctx)
        toks, _ = _content_from_children(cue, ctx)
        if group is None or not toks:
            return None
        return _draft_from_tokens(group, cue, lemma, toks, sent, k, ctx, False)
    if cue.dep_ in ("acl", "amod", "compound") and not _document_participle(cue):
        return None  # "cases reported each day"
    if lemma == "maintain" and _kept(cue):
        return None  # "maintains a commanding lead", "maintained some clout"
    modal, neg = _modal_or_negated(cue)
    if neg:
        return None
    own_subject = any(c.dep_ in _SUBJ for c in cue.children)
    likelier = _likelier_holder(cue)
    if likelier is not None:
        # "Liberal voters were more likely to say …": a poll comparing groups
        group = _speaker(likelier, ctx)
        return None if group is None else _verb_content(cue, lemma, group, sent, k, ctx, modal)
    share = _share_before(cue) if lemma not in CLAUSE_ONLY_CUES | RECORD_CUES else None
    if share is not None:
        # "… and one in four said …": a counted group the parser left unattached
        return _verb_content(cue, lemma, _share_speaker(share[0]), sent, k, ctx, modal)
    if (
        lemma in CLAUSE_ONLY_CUES
        and ((cue.tag_ == "VBG" and not own_subject) or (not own_subject and cue.dep_ != "conj"))
        # "say he sees no need to debate, believing that …": the holder is
        # the speaker of the clause the belief is set off after
        and not (cue.tag_ == "VBG" and _set_off(cue) and _reporter_of_participle(cue) is not None)
    ):
        # "knowing it could fail": a belief needs its holder named ("is hoping" has one)
        return None
    infinitive = _speaking_infinitive(cue) if not own_subject else None
    if not own_subject:
        # "to demand an explanation": a purpose, not an attribution
        if (
            any(c.tag_ == "TO" for c in cue.children)
            and cue.head.lemma_.lower() not in ("claim", "continue", "go")
            and infinitive is None
        ):
            return None
        # "..., calling the claims unfounded": a participle after a comma,
        # or opening the sentence; "cards confirming citizenship" is no cue
        if cue.tag_ == "VBG" and cue.dep_ in ("advcl", "acl", "xcomp"):
            j = cue.i - 1
            while j > sent.start and (
                cue.doc[j].is_quote or (cue.doc[j].dep_ == "advmod" and cue.doc[j].head.i == cue.i)
            ):
                j -= 1  # ',” adding': the comma inside the closing quote; ", recently telling"
            prev = cue.doc[j] if cue.i > 0 else None
            # "… while adding, “…”": a participle after "while" that the
            # parser hung inside another cue's reported clause
            after_while = (
                prev is not None
                and prev.dep_ == "mark"
                and prev.head.i == cue.i
                and prev.lower_ in ("while", "before")
                and (
                    _reporter_of_participle(cue) is not None
                    # "While saying that he respects her, Dorn …": the main
                    # clause's subject, after the opening participle
                    or (prev.i == sent.start and cue.dep_ == "advcl" and cue.head.i > cue.i)
                )
            )
            if (
                cue.i != sent.start
                and (prev is None or prev.text not in (",", "—", "–", ";", "-", "--"))
                and not after_while
                and not _document_participle(cue)
            ):
                return None
    subj, passive = _subject_of(cue, ctx)
    if infinitive is not None:
        subj, passive = infinitive, False
    if subj is None and cue.dep_ == "acl" and _document_participle(cue):
        # "the union issued a statement criticizing …": the sender's
        subj = next((c for c in cue.head.head.children if c.dep_ == "nsubj"), None)
    speaker: _Speaker | None = None
    asker = _asker(cue) if not own_subject else None
    if asker is not None:
        # "When asked by a reporter whether …, Hale said …": the reporter asks
        speaker = _speaker(asker, ctx)
        subj, passive = asker, False
    elif passive and subj is not None and subj.lower_ == "it":
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
        if speaker is None or not content or (lemma == "echo" and not _echoed_content(subj)):
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
        speaker = _speaker(_what_antecedent(_relative_antecedent(subj, cue), cue), ctx)
    if speaker is None or (
        (lemma in AS_LABEL_CUES or lemma == "echo" or lemma != cue.lemma_.lower())
        and speaker.kind == "other"
        and (subj is None or subj.pos_ != "PROPN")
    ):
        # "the film portrays the strike as …", "the band played up the
        # tempo": a casting or a phrasal verb by a thing is no side's claim
        return None
    if (
        subj is not None
        and position_content(cue) is not None
        and _relative_head(subj).lemma_.lower() in MEDIUM_NOUNS
    ):
        return None  # "the messages ask them to log in": a scam's text, no side's demand
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


# verbs by which a side puts out a document of its own ("read a letter
# demanding …", "cited a report showing …", "signed the letter demanding …"
# are someone else's, or many people's)
_SENDING = frozenset(
    {"issue", "release", "send", "file", "publish", "post", "write", "submit", "pen"}
    | {"deliver", "draft", "put", "circulate", "lodge"}
)


def _document_participle(cue: Any) -> bool:
    """ "released a statement on Monday condemning the attack", "sent a
    letter urging the council to …": what the document says is its sender's,
    with no comma before the participle."""
    head = cue.head
    if cue.dep_ == "acl":
        return (
            head.lemma_.lower() in DOCUMENT_NOUNS
            and head.dep_ == "dobj"
            and head.head.lemma_.lower() in _SENDING
        )
    return (
        cue.dep_ == "advcl"
        and head.lemma_.lower() in _SENDING
        and any(
            c.dep_ == "dobj" and c.lemma_.lower() in DOCUMENT_NOUNS and c.i < cue.i
            for c in head.children
        )
    )


def _relative_head(subj: Any) -> Any:
    """The noun a relative pronoun stands for ("messages that ask …",
    "emails that know … and ask …"); any other subject as it is."""
    if subj.tag_ not in ("WDT", "WP"):
        return subj
    verb = subj.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.head if verb.dep_ == "relcl" else subj


def _co_speakers(subj: Any, speaker: _Speaker, ctx: _Ctx) -> list[_Speaker]:
    """ "Both Alaska and United said …", "Moscow and Washington denied …":
    each conjunct of the subject that names someone else speaks too."""
    out: list[_Speaker] = []
    for c in subj.conjuncts:
        if c.i <= subj.i or c.pos_ not in ("PROPN", "NOUN") or ctx.in_quote(c.idx):
            continue
        if (
            c.pos_ == "NOUN"
            and c.lemma_.lower() in ROLE_NOUNS
            and not any(d.dep_ in ("det", "poss") for d in c.children)
        ):
            continue  # "the former first lady and senator": one person, two roles
        if any(d.dep_ == "det" and d.lower_ in ("a", "an") for d in c.children) and any(
            a.dep_ == "appos" for a in subj.children
        ):
            # "Steve Bell, senior director of the center, and a Republican
            # who headed the staff": a second description of the one named
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
    if _says_pro_form(cue):
        return None  # "half said so": no proposition of its own
    toks, tag = _content_from_children(cue, ctx)
    if tag == "position":
        # a demand or a proposal: the verb phrase, never a quotation nearby
        if not toks:
            return None
        draft = _draft_from_tokens(speaker, cue, lemma, toks, sent, k, ctx, modal)
        if draft is not None:
            # "called for an inquiry into the false claims", "asked the court
            # to block the sale": a demand, neither a denial nor a question
            draft.stance = Stance.ASSERT
        return draft
    if (
        tag == "object"
        and toks
        and toks[0].i > cue.i
        and lemma not in NEEDS_COMPLEMENT
        and (
            # "questioning her judgment in backing the war": what was judged
            # reads as a proposition only with its verb
            (lemma in JUDGING_CUES and lemma != "accuse" and not _all_quoted(toks, ctx))
            or (
                not any(t.pos_ in ("VERB", "AUX") for t in toks)
                and not any(ctx.in_quote(t.idx) for t in toks)
            )
            # "cautioned against reading too much into it": a phrase that
            # opens with its preposition reads only with its verb
            or (lemma in _PREP_CUES and toks[0].dep_ == "prep" and toks[0].head.i == cue.i)
        )
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
    elif (
        toks
        and toks[0].i > cue.i
        and lemma in NEEDS_COMPLEMENT
        and (tag == "object" or (tag == "ccomp" and _verbless_clause(cue, toks)))
        and not _after_what(cue)
    ):
        # "called Dorn a fraud", "described the plan as reckless": a label
        # reads as the speaker's judgment only with its verb
        toks = [cue, *toks]
    quote = None
    if toks:
        inside = sum(1 for t in toks if ctx.in_quote(t.idx) and not t.is_punct)
        words = sum(1 for t in toks if not t.is_punct)
        if words and inside == words and tag == "ccomp":
            quote = ctx.quote_at(toks[0].idx) or ctx.quote_at(toks[-1].idx)
    if not toks and quote is None and cue.dep_ == "parataxis" and _unquoted_opening(cue, ctx):
        # "Ruiz, an aide said, “is confident” of a deal": the sentence around
        # the cue, not only the quoted words after it
        toks = _that_clause(cue, ctx)
    if not toks and quote is None and _explicit_that(cue):
        # "…,” he said, noting that at one point …": the clause the parse lost,
        # not the quotation that belongs to the cue before
        toks = _that_clause(cue, ctx)
    if (
        not toks
        and quote is None
        and lemma in QUOTE_CUES
        and (cue.dep_ != "xcomp" or _speaking_infinitive(cue) is not None)
    ):
        # "interjected to say: “…”", not "wants to say"
        quote = _adjacent_quote(cue, sent, ctx)
        if quote is None:
            # "wrote about the “creative” use of fake letters": the quoted
            # words with the phrase they sit in, the verb first
            toks = _phrase_around_quote(cue, sent, ctx)
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
    toks = _through_aside(cue, _with_antecedent(cue, toks), sent, ctx)
    return _draft_from_tokens(speaker, cue, lemma, toks, sent, k, ctx, modal)


_DASHES = ("—", "–", "―", "--")


def _through_aside(cue: Any, toks: list[Any], sent: Any, ctx: _Ctx) -> list[Any]:
    """ "pledged to close all depots — some forty sites in the region — by
    spring": when the parser hangs a dashed aside and what follows it on a
    noun before the cue, the content still runs through them to the
    sentence's end (no clause of its own there, nothing quoted)."""
    if not toks or toks[-1].i < cue.i:
        return toks
    doc = cue.doc
    nxt = toks[-1].i + 1
    end = sent.end
    while end > nxt and doc[end - 1].is_punct and doc[end - 1].text not in _DASHES:
        end -= 1
    tail = list(doc[nxt:end])
    dashes = [t for t in tail if t.text in _DASHES]
    if (
        len(tail) < 4
        or tail[0].text not in _DASHES
        or len(dashes) != 2
        or dashes[1].i >= end - 1
        or any(ctx.in_quote(t.idx) or t.is_ancestor(cue) for t in tail)
        or any(c.dep_ in _SUBJ for t in tail for c in t.children)
    ):
        return toks
    return toks + tail


def _verbless_clause(cue: Any, toks: list[Any]) -> bool:
    """ "branded the strike illegal": object and label the parser read as a
    clause with no verb, its subject the object."""
    head = next((t for t in toks if t.head.i == cue.i), None)
    return (
        head is not None
        and head.pos_ not in ("VERB", "AUX")
        and any(c.dep_ in _SUBJ for c in head.children)
    )


def _all_quoted(toks: list[Any], ctx: _Ctx) -> bool:
    words = [t for t in toks if not t.is_punct]
    return bool(words) and all(ctx.in_quote(t.idx) for t in words)


_ANNOUNCING = frozenset({"the following", "this", "these words", "as follows", "the message"})


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
    toks = _cut_other_attribution(
        toks, cue, ctx, lambda other: _verb_claim(other, sent, k, ctx) is not None
    )
    # "said the following: all flights will resume": what follows the colon
    colon = next((n for n, t in enumerate(toks[:4]) if t.text == ":"), None)
    if colon is not None and " ".join(t.lower_ for t in toks[:colon]) in _ANNOUNCING:
        toks = toks[colon + 1 :]
    while toks and (
        (toks[-1].is_punct and toks[-1].text not in '”"»%')
        or (toks[-1].dep_ == "cc" and toks[-1].pos_ == "CCONJ")
    ):
        toks = toks[:-1]  # "… about the economy, and": the next claim's connective
    if not toks:
        return None
    words = [t for t in toks if not t.is_punct]
    if len(words) < 2 and not (words and words[0].pos_ == "PROPN"):
        return None
    if _pro_form(words):
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
