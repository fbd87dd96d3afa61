"""Positions a side takes without saying a proposition: demands and calls
("the UN called for an independent investigation", "the union urged the
city to reopen the talks", "Rivera called on the agency to release the
files"), proposals and recommendations ("proposed a ban on new coal
plants"), stated support or opposition ("the governor endorsed Cruz"),
what a side wants or refuses to do ("refused to resign"), judgements that
are no verbs of saying ("slammed the board for the delay") and the source
or reason a side gives ("citing rising costs"), and what a side spoke of
without what it said of it ("talked about the new budget", "referring to
the mayor's plan", "recalled her years as a teacher"). The content is the verb
phrase with its verb ("called for an independent investigation"), so that
an alert line "UN called for …" reads as what was asked, and never as a
fact ("UN — an independent investigation")."""

from __future__ import annotations

from typing import Any

from bot.analysis.claims.base import _SUBJ, _span_of
from bot.analysis.cues import (
    CALL_NOUNS,
    CLAIM_NOUNS,
    CUE_VERBS,
    DEFENDED_NOUNS,
    DOCUMENT_NOUNS,
    FINDING_NOUNS,
    INSTITUTION_NOUNS,
    JUDGING_ADJUNCT_PREPS,
    JUDGING_ONLY,
    JUDGING_PHYSICAL,
    LIGHT_CALL_CUES,
    MEASURE_NOUNS,
    MEDIUM_NOUNS,
    PLAIN_ACTS,
    POSITION_CUES,
    PROPOSAL_CUES,
    REASON_CUES,
    ROLE_WORDS,
    STATEMENT_NOUNS,
    SUPPORT_CUES,
    TOPIC_CUES,
    VAGUE_ACTS,
    VAGUE_REQUESTS,
    VOICE_CUES,
    VOICED_NOUNS,
    WILL_CUES,
)

# the preposition each request verb takes before what is asked for
# ("called for", "appealed for", "pressed for", "pleaded for"), or before
# whom it asks ("called on X to …", "appealed to X to …", "pleaded with X to …")
_FOR = frozenset({"call", "appeal", "press", "push", "ask", "plead", "beg", "demand", "urge"})
_ON = {"call": "on", "appeal": "to", "plead": "with"}
# verbs whose object is what is asked for or proposed ("demanded an apology",
# "urged a rethink", "proposed a ban"); the others take a person as object
# and need what the person is to do ("pressed the board to resign")
_THING_OBJECT = frozenset({"demand", "urge", "request"}) | PROPOSAL_CUES
# bodies and groups that are asked to act, besides institutions and roles
_BODIES = frozenset(
    {"board", "company", "firm", "union", "team", "people", "resident", "voter", "member"}
    | {"employee", "worker", "staff", "official", "lawmaker", "leader", "parent", "student"}
    | {"citizen", "country", "nation", "ally", "party", "candidate", "group", "city", "state"}
)
_WHEN = frozenset({"after", "before", "when", "since", "until", "once", "because"})
_AFTER_OBJECT = frozenset({"from", "against", "for", "into", "to", "on", "over", "of", "by"})
# verbs whose clause is what is asked ("demanded that the plant close",
# "recommended that the plant be closed")
_CLAUSE = frozenset({"demand", "urge", "ask", "propose", "recommend", "request"})


def in_background(cue: Any) -> bool:
    """ "the email came hours after Trump proposed a ban": what happened
    then, told as the background of something else."""
    return cue.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in _WHEN and c.i < cue.i for c in cue.children
    )


def position_content(cue: Any) -> list[Any] | None:
    """The tokens of a position verb with what it asks for or proposes (see
    ``_position_tokens``), with the rest of a list the parser hung elsewhere."""
    toks = _position_tokens(cue)
    return _with_list_rest(cue, toks) if toks else toks


def _with_list_rest(cue: Any, toks: list[Any]) -> list[Any]:
    """ "urged the board to cut the fares, hire more drivers and open the
    depot", "citing a busy schedule, a sick child and the weather": the
    parser hangs the later members of a list on the verb (or on one
    another), so a content read off one subtree stops at the first comma.
    The members that follow, each of the kind of the content's head (a verb
    of the same form, a noun) and with no subject of its own, join it when
    the list closes with "and" or "or". A clause the parser hung on the
    verb straight after an infinitive with nothing of its own ("wants to
    cement what polls show is a lead") joins it too."""
    doc = cue.doc
    inside = {t.i for t in toks}
    tops = [t for t in toks if t.i > cue.i and (t.head.i == cue.i or t.head.i not in inside)]
    end = toks[-1].i
    stop = cue.sent.end
    if end + 1 >= stop or not tops:
        return toks
    # the object, before any phrase the parser hung on the verb after it
    obj = next((t for t in tops if t.pos_ != "ADP"), tops[-1])
    allowed = inside | {cue.i} | {a.i for a in cue.ancestors}
    if doc[end + 1].text == ":" and end + 2 < stop:
        # "endorsed one of their methods for stopping him: freeing all the
        # delegates to vote as they wish": what the object is, after a colon
        x = _constituent(doc, end + 2)
        last_word = max(
            (t.i for t in doc[end + 2 : stop] if not (t.is_punct or t.is_space)), default=end + 1
        )
        if (
            obj.pos_ in ("NOUN", "NUM")
            and not _someone(obj)
            and x.head.i in allowed
            and x.right_edge.i >= last_word
            and not x.is_quote
            and not any(c.dep_ in _SUBJ for c in x.children)
            and (x.pos_ in ("NOUN", "PROPN") or x.tag_ == "VBG")
        ):
            return [*toks, *doc[end + 1 : x.right_edge.i + 1]]
    heads = [t for t in tops if t.pos_ in ("VERB", "NOUN", "PROPN")]
    if not heads:
        return toks
    head = heads[-1]
    nxt = _constituent(doc, end + 1)
    if (
        doc[end + 1].is_alpha
        and nxt.dep_ in ("ccomp", "dobj")
        and nxt.head.i == cue.i
        and head.pos_ == "VERB"
        and head.tag_ == "VB"
        and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "prep", "attr") for c in head.children)
    ):
        # "wants to cement what polls show is a large lead"
        return [*toks, *doc[end + 1 : nxt.right_edge.i + 1]]
    # the parser may hang a member on the verb, on the verb above it, or on
    # the member before
    p = end + 1
    last = end
    closed = False
    while p < stop:
        t = doc[p]
        if t.text == ",":
            p += 1
            continue
        if t.dep_ == "cc" and t.lower_ in ("and", "or"):
            closed = True
            p += 1
            continue
        x = _constituent(doc, p)
        if x.head.i not in allowed or not _same_kind(x, head):
            break
        if any(c.dep_ in _SUBJ for c in x.children):
            break
        allowed.update(c.i for c in x.subtree)
        last = x.right_edge.i
        p = last + 1
        # the last member, or the rest of the list in one subtree
        if closed or any(c.dep_ == "cc" and c.lower_ in ("and", "or") for c in x.subtree):
            closed = True
            break
    if not closed or last == end:
        return toks
    return [*toks, *doc[end + 1 : last + 1]]


def _constituent(doc: Any, p: int) -> Any:
    """The highest token whose phrase starts at position ``p``."""
    x = doc[p]
    while x.head.i != x.i and x.head.left_edge.i == p:
        x = x.head
    return x


def _same_kind(x: Any, head: Any) -> bool:
    """Whether ``x`` can be a further member of a list that ``head`` opens:
    a verb of the same form ("cut …, hire …"), a noun ("a plan, a ferry")."""
    if head.pos_ == "VERB":
        return bool(x.pos_ == "VERB" and x.tag_ == head.tag_)
    if x.dep_ == "npadvmod":
        # "…, opposition to the bridge and …"; not "…, Friday"
        return bool(x.pos_ == "NOUN" and x.ent_type_ not in ("DATE", "TIME"))
    return bool(x.pos_ in ("NOUN", "PROPN"))


def _position_tokens(cue: Any) -> list[Any] | None:
    """The tokens of a position verb with what it asks for or proposes, the
    verb first: [] when the verb is used so but asks for nothing one could
    follow up ("called for calm", "urged the council to act"); None when the
    verb is not used as a demand or a proposal here ("appealed the ruling",
    "asked about the vote", "pushed the cart")."""
    lemma = cue.lemma_.lower()
    if lemma not in POSITION_CUES or cue.pos_ != "VERB":
        return None
    if in_background(cue):
        return None
    if _reported(cue):
        # "FEC records show he backed both candidates", "officials said the
        # UN called for an inquiry": the reporter's claim, not a position
        # taken here
        return None
    if cue.dep_ == "relcl" and lemma in SUPPORT_CUES | WILL_CUES:
        # "mailings to voters that oppose both candidates", "party leaders
        # who can support any candidate", "customers who want to check their
        # account": a description, not a stand
        return None
    if (
        cue.tag_ != "VBG"
        and cue.dep_ not in ("ROOT", "conj", "ccomp", "relcl", "parataxis")
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
    ):
        # "resistant to the Obama/Clinton calls for regime change": a finite
        # verb with no subject of its own is a noun the parser misread
        return None
    if lemma in SUPPORT_CUES:
        return _support(cue)
    if lemma in VOICE_CUES:
        return _voiced(cue)
    if lemma in LIGHT_CALL_CUES:
        return _light_call(cue)
    if lemma in JUDGING_ONLY:
        return _judging(cue)
    if lemma in WILL_CUES:
        return _will(cue)
    if lemma in REASON_CUES:
        return _reason(cue)
    if lemma in TOPIC_CUES:
        return _topic(cue)
    if lemma == "ask" and any(c.dep_ == "prep" and c.lower_ == "about" for c in cue.children):
        return _asked_about(cue)
    kids = [c for c in cue.children if c.i > cue.i]
    preps = [c for c in kids if c.dep_ == "prep"]
    objs = [c for c in kids if c.dep_ in ("dobj", "dative")]
    to_do = [c for c in kids if c.dep_ in ("xcomp", "ccomp") and _infinitive(c)]
    clause = [c for c in kids if c.dep_ == "ccomp" and not _infinitive(c)]
    parts: list[Any] | None = None
    asked: list[Any] = []  # what is asked for (noun) or to be done (verb)
    on = _ON.get(lemma)
    for_to = [
        c
        for c in kids
        if c.dep_ == "advcl"
        and _infinitive(c)
        and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)
    ]
    if for_to and lemma in _FOR:
        # "is calling for some of his rivals to drop out": the parser made
        # "for" the mark of a clause
        parts, asked = for_to[:1], for_to[:1]
    for p in [] if parts is not None else preps:
        if on and p.lower_ == on and (to_do or _infinitive_inside(p)):
            # "called on the agency to release the files"
            parts, asked = [p, *to_do], to_do or [_infinitive_inside(p)]
            break
        if p.lower_ == "for" and lemma in _FOR and _obj_of(p) is not None:
            # "called for an inquiry", "pressed for a vote", "asked for a
            # recount"; "has called for the minister to release the files"
            # (the infinitive hung on the verb)
            then = [c for c in kids if c.dep_ == "advcl" and c.i > p.i and _infinitive(c)]
            parts, asked = [p, *to_do, *then[:1]], [_obj_of(p)]
            break
    if parts is None and objs and not to_do and _someone(objs[0]):
        # "pressed the board to restore the route": the parser hung the
        # infinitive on the verb as an adverbial, right after the object
        end = max(t.i for t in objs[0].subtree)
        to_do = [
            c
            for c in kids
            if c.dep_ == "advcl" and _infinitive(c) and min(t.i for t in c.subtree) == end + 1
        ][:1]
    if objs and to_do:
        # "urged the city to reopen the talks"; not "pushing the mayor to
        # victory despite her struggles to attract voters"
        end = max(t.i for t in objs[0].subtree)
        to_do = [c for c in to_do if _after_time(cue, end, min(t.i for t in c.subtree))]
    if parts is None and objs and to_do and lemma not in PROPOSAL_CUES:
        # "urged the city to reopen the talks", "asked the court to block the sale"
        parts, asked = [objs[0], *to_do], to_do
    if parts is None and clause and lemma in _CLAUSE:
        if lemma == "ask" or not any(m.lower_ == "that" for m in clause[0].children):
            # "asked whether …" is a question; "demanded he resign" has no "that"
            # and reads as well with it; only "that" marks a demand for sure
            return None
        parts, asked = clause[:1], []
    if parts is None and objs and lemma in _THING_OBJECT and not to_do:
        # "demanded an apology from the council", "proposed a ban on new coal plants"
        if lemma == "urge" and _someone(objs[0]):
            # "urged the mayor in a letter to close the port": the parser
            # hung the infinitive on the letter
            inner = [p for p in preps if p.i > objs[0].i and _infinitive_inside(p) is not None]
            if not inner:
                return []  # "urged Obama": whom, and nothing asked of them
            return [cue, *_span_of([objs[0], inner[0]])]
        after = [p for p in preps if p.i > objs[0].i and p.lower_ in _AFTER_OBJECT]
        parts, asked = [objs[0], *after[:1]], objs[:1]
    if parts is None and to_do and lemma in PROPOSAL_CUES | {"demand"}:
        # "proposed to cut the fees"; "demanded to know …" is a question
        if any(t.lemma_.lower() == "know" for t in to_do):
            return None
        parts, asked = to_do, to_do
    if parts is None:
        return None
    if any(_vague(a) for a in asked):
        return []
    prt = [c for c in cue.children if c.dep_ == "prt" and c.i == cue.i + 1]
    span = _span_of(parts)
    return [cue, *prt, *[t for t in span if t.i > cue.i + len(prt)]] if span else []


def _after_time(cue: Any, end: int, start: int) -> bool:
    """Whether what starts at ``start`` follows the token at ``end`` straight
    on or after a time the parser hung on the verb ("urged Olsen last year
    not to close the port", "pressed the board on Monday to resign")."""
    if start == end + 1:
        return True
    gap = cue.doc[end + 1 : start]
    return bool(
        0 < len(gap) <= 4
        and all(t.ent_type_ in ("DATE", "TIME") or t.dep_ == "prep" for t in gap)
        and any(t.ent_type_ in ("DATE", "TIME") for t in gap)
        and all(t.head.i == cue.i or end < t.head.i < start for t in gap)
    )


def _reported(verb: Any) -> bool:
    """Whether a verb is (a conjunct with a subject of its own of) the
    clause another verb of saying or finding reports; "revealed that A and
    urged B" (no subject of its own) is the first speaker's act."""
    node = verb
    while (
        node.dep_ == "conj"
        and node.head.i != node.i
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)
    ):
        node = node.head
    return (
        node.dep_ == "ccomp"
        and node.head.i != node.i
        and (node.head.lemma_.lower() in CUE_VERBS or node.head.lemma_.lower() in POSITION_CUES)
    )


def _support(cue: Any) -> list[Any] | None:
    """ "endorsed Cruz for president", "backs the water levy", "opposes the
    bill": the verb with its object, when someone holds it ("the river
    supports the livelihoods of …", "backed up the claim", "supports it"
    are none)."""
    if any(c.dep_ in ("prt", "auxpass") for c in cue.children):
        return None
    subj = _holder(cue, ("conj", "xcomp"))
    if subj is not None and not (_someone(subj) and subj.ent_type_ not in ("LOC", "FAC")):
        return None
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
    if obj is None or obj.pos_ == "PRON" or obj.lemma_.lower() in ("it", "this", "that"):
        return None
    if cue.lemma_.lower() != "endorse" and not (
        obj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
        or obj.lemma_.lower() in MEASURE_NOUNS
        or (obj.tag_ == "VBG" and obj.pos_ == "VERB")
    ):
        return None
    after = [c for c in cue.children if c.dep_ == "prep" and c.i > obj.i and c.lower_ == "for"]
    span = _span_of([obj, *after[:1]])
    return [cue, *[t for t in span if t.i > cue.i]]


def _voiced(cue: Any) -> list[Any] | None:
    """ "expressed support for the levy", "voiced concern about the cost":
    the verb with its noun of a stand or a feeling and what that is about,
    when someone voices it; none with no such phrase ("expressed concern",
    "voiced the hope of millions") or with a clause the belief rules read
    ("expressed concern that …")."""
    obj = _held_object(cue)
    if obj is None:
        return None
    preps = VOICED_NOUNS.get(obj.lower_) or VOICED_NOUNS.get(obj.lemma_.lower())
    if preps is None:
        return None
    if any(c.dep_ in ("acl", "ccomp", "relcl") for c in obj.children):
        return None
    if any(
        c.dep_ == "ccomp" and c.i > obj.i and any(m.lower_ == "that" for m in c.children)
        for c in cue.children
    ):
        # "expressed cautious optimism over the weekend that …": the clause
        # hung on the verb past a time phrase is what is held
        return None
    about = _phrase_after(cue, obj, preps)
    if about is None:
        return None
    obj_of = _obj_of(about)
    if obj_of.pos_ == "PRON" and obj_of.lower_ in ("it", "this", "that"):
        return None
    span = _span_of([obj, about])
    return [cue, *[t for t in span if t.i > cue.i]]


def _held_object(cue: Any) -> Any | None:
    """The object of a verb that voices or makes something, when someone
    (not a place) holds it and the verb is neither passive nor phrasal."""
    if any(c.dep_ in ("prt", "auxpass") for c in cue.children):
        return None
    subj = _holder(cue, ("conj", "xcomp"))
    if subj is None or not (_someone(subj) and subj.ent_type_ not in ("LOC", "FAC")):
        return None
    return next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)


def _phrase_after(cue: Any, obj: Any, preps: frozenset[str]) -> Any | None:
    """The first phrase after ``obj``, hung on it or on the verb, that opens
    with one of ``preps`` and has an object ("support *for the levy*")."""
    return next(
        (
            c
            for c in (*obj.children, *cue.children)
            if c.dep_ == "prep" and c.i > obj.i and c.lower_ in preps and _obj_of(c) is not None
        ),
        None,
    )


def _light_call(cue: Any) -> list[Any] | None:
    """ "made a call for an end to the subsidies", "renewed her appeal for
    donations": a demand carried by a noun, with what it asks for; none
    when the call asks for nothing one could follow up ("made a plea for
    calm"), is no one's, or is a decision ("made the call for …"). "issue"
    ("issued an appeal for …") was tried and cost a claim on a train slice."""
    obj = _held_object(cue)
    if obj is None or obj.lemma_.lower() not in CALL_NOUNS:
        return None
    if obj.lower_ == "call" and any(c.lower_ == "the" for c in obj.children):
        return None  # "made the call for the evacuation": a decision
    about = _phrase_after(cue, obj, frozenset({"for"}))
    if about is None:
        return None
    if _vague(_obj_of(about)):
        return []
    span = _span_of([obj, about])
    return [cue, *[t for t in span if t.i > cue.i]]


def _will(cue: Any) -> list[Any] | None:
    """ "wants to build a wall", "wants Congress to act", "wants a wall",
    "refused to resign": the verb with what is wanted or refused, when
    someone holds it and it is a stand ("refused to comment", "wants to
    thank" are none)."""
    subj = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if subj is None or not _someone(subj) or subj.ent_type_ in ("LOC", "FAC"):
        return None
    if subj.lower_ in ("i", "we", "you"):
        return None  # the outlet's or a quoted speaker's own voice
    if cue.tag_ == "VBN" and not any(c.dep_ == "aux" for c in cue.children):
        return None  # "with the mayor expected to attend": what others expect of someone
    kids = [c for c in cue.children if c.i > cue.i]
    objs = [c for c in kids if c.dep_ == "dobj"]
    to_do = [c for c in kids if c.dep_ in ("xcomp", "ccomp", "advcl") and _infinitive(c)]
    if to_do and to_do[0].lemma_.lower() in PLAIN_ACTS and not objs:
        return None
    if (
        to_do
        and cue.lemma_.lower() == "decline"
        and to_do[0].lemma_.lower() in CUE_VERBS
        and not any(c.dep_ == "prt" for c in to_do[0].children)  # "to rule out"
        and not objs
    ):
        return None  # "declined to claim victory", "declined to predict": words withheld
    if to_do and any(c.dep_ == "auxpass" for c in to_do[0].children):
        return None  # "declined to be interviewed": no stand one could follow up
    if to_do and (not objs or min(t.i for t in to_do[0].subtree) > objs[0].i):
        if objs and (to_do[0].lemma_.lower() in PLAIN_ACTS or not _someone(objs[0])):
            return None
        parts = [*objs[:1], to_do[0]]
    elif (
        objs
        and cue.lemma_.lower() in ("want", "seek")
        and (objs[0].lemma_.lower() in MEASURE_NOUNS or objs[0].ent_type_ == "PERSON")
    ):
        parts = objs[:1]  # "wants a wall"
    elif objs and cue.lemma_.lower() == "expect" and objs[0].pos_ in ("NOUN", "PROPN"):
        parts = objs[:1]  # "expects significant cancellations on Tuesday"
    else:
        return None
    span = _span_of(parts)
    return [cue, *[t for t in span if t.i > cue.i]]


def _holder(cue: Any, through: tuple[str, ...], into_reported: bool = False) -> Any:
    """The subject of a position verb, or of the verb it hangs on by one of
    the relations ``through`` ("endorsed X and backs Y", "went on to slam
    …"); past a reported clause only when ``into_reported``."""
    node = cue
    subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
    while subj is None and node.dep_ in through and node.head.i != node.i:
        if node.dep_ == "ccomp" and node.i != cue.i and not into_reported:
            break
        node = node.head
        subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
    return subj


def _someone(obj: Any) -> bool:
    """Whether an object names someone who could be asked to act (a person,
    a body, "him", "more than 700 of the staff"), not a thing ("pressed the
    button to open the door")."""
    if obj.pos_ == "NUM":
        # "more than 700 of the 770 employees": the people counted
        return any(
            p.dep_ == "prep" and p.lower_ == "of" and any(_someone(o) for o in p.children)
            for p in obj.children
        )
    return (
        obj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
        or obj.pos_ in ("PROPN", "PRON")
        or obj.lemma_.lower() in ROLE_WORDS | _BODIES
    )


def _obj_of(prep: Any) -> Any:
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)


def _infinitive(verb: Any) -> bool:
    return verb.pos_ in ("VERB", "AUX") and any(
        c.tag_ == "TO" and c.i < verb.i for c in verb.children
    )


def _infinitive_inside(prep: Any) -> Any:
    """ "called on the agency to release …": the parser hung the infinitive
    on the object of the preposition."""
    obj = _obj_of(prep)
    if obj is None:
        return None
    return next(
        (c for c in obj.children if c.dep_ in ("acl", "relcl", "xcomp") and _infinitive(c)), None
    )


def _vague(asked: Any) -> bool:
    """Whether what is asked for names nothing one could follow up: "calm",
    "immediate international attention", "answers from Beijing"; an act
    with nothing of its own ("to respond", "to do more")."""
    lemma = asked.lemma_.lower()
    if asked.pos_ == "PROPN":  # a headline's "Demands Answers From …"
        lemma = asked.lower_.removesuffix("s")
    if asked.pos_ in ("VERB", "AUX"):
        return lemma in VAGUE_ACTS and all(
            c.dep_ in ("aux", "advmod", "neg", "punct") for c in asked.children
        )
    return lemma in VAGUE_REQUESTS and all(
        c.dep_ in ("det", "amod", "compound", "punct", "advmod")
        or (c.dep_ == "prep" and c.lower_ == "from")
        for c in asked.children
    )


def whole_object(cue: Any, obj: Any) -> list[Any]:
    """ "praised the efforts of a donor to the senator to attack the rival",
    "questioning her judgment in backing the war", "blamed the violence on a
    disturbed man": the parser hangs the pieces of what was judged on the
    verb; the object with each piece that follows it without a break. A
    clause with its own subject ("… because he lost"), a time, place or
    occasion ("at a rally", "on Monday", "in a statement") and anything
    after a comma are no part of it."""
    toks = {t.i: t for t in obj.subtree}
    end = max(toks)
    kids = sorted((c for c in cue.children if c.i > end), key=lambda t: t.i)
    for n, c in enumerate(kids):
        sub = list(c.subtree)
        if min(t.i for t in sub) != end + 1:
            break
        if (
            c.dep_ == "punct"
            and c.text in _BRACKETS
            and any(t.text == _BRACKETS[c.text] for t in toks.values())
        ):
            # "the Federal Bureau of Investigation (FBI)": the bracket it opened
            toks[c.i] = c
            end = c.i
            continue
        if not (_continues_object(c) or _content_of_noun(obj, c)):
            nxt = kids[n + 1] if n + 1 < len(kids) else None
            if not (_a_time(c) and nxt is not None and _a_reason(nxt, max(t.i for t in sub))):
                break
        toks.update((t.i, t) for t in sub)
        end = max(toks)
    doc = cue.doc
    return [doc[i] for i in range(min(toks), end + 1)]


def _content_of_noun(obj: Any, dep: Any) -> bool:
    """ "mocked the pair's protestations that they remained friends": a
    "that" clause right after a common noun the parser hung on the verb is
    what the noun says."""
    last = obj  # "Bush and Rubio's protestations": the last of the coordinated nouns
    while (more := next((c for c in last.children if c.dep_ == "conj"), None)) is not None:
        last = more
    return bool(
        dep.dep_ == "ccomp"
        and dep.left_edge.lower_ == "that"
        and last.pos_ == "NOUN"
        and not _someone(last)
    )


# a closing bracket and the one that opens it
_BRACKETS = {")": "(", "]": "["}


def _a_time(dep: Any) -> bool:
    """ "Tuesday", "on Monday", "last week": when something was judged."""
    if dep.dep_ == "npadvmod":
        return dep.ent_type_ in ("DATE", "TIME")
    pobj = _obj_of(dep) if dep.dep_ == "prep" else None
    return pobj is not None and pobj.ent_type_ in ("DATE", "TIME")


def _a_reason(dep: Any, after: int) -> bool:
    """ "blasted the bureau on Tuesday for its decision": the reason for a
    judgment right after the time it was made; whole_object keeps the time to
    reach it."""
    return (
        dep.dep_ == "prep"
        and dep.lower_ in ("for", "over")
        and min(t.i for t in dep.subtree) == after + 1
        and _continues_object(dep)
    )


def _continues_object(dep: Any) -> bool:
    if dep.dep_ == "prep":
        if dep.lower_ in JUDGING_ADJUNCT_PREPS:
            return False
        pobj = _obj_of(dep)
        if pobj is None:
            return any(True for _ in dep.children)  # "as too close to the builders"
        return pobj.ent_type_ not in ("DATE", "TIME") and pobj.lemma_.lower() not in STATEMENT_NOUNS
    if dep.dep_ in ("advcl", "xcomp"):
        if any(c.dep_ in _SUBJ for c in dep.children):
            return False  # "… because he lost": a clause of its own
        # "to attack the rival", "for being a failed candidate", "as a liar"
        return any(
            (c.tag_ == "TO" and c.i < dep.i) or (c.dep_ == "mark" and c.lower_ in ("for", "as"))
            for c in dep.children
        )
    return False


def _judging(cue: Any) -> list[Any] | None:
    """ "slammed the media for raising the question again", "mocked his
    rivals", "denounced the ruling": the verb with what it judges, when someone judges someone or
    something ("the storm blasted the coast", "was attacked by", "mocked
    him" are none)."""
    lemma = cue.lemma_.lower()
    if any(c.dep_ in ("prt", "auxpass") for c in cue.children):
        return None
    subj = _holder(cue, ("conj", "xcomp", "advcl"))
    if subj is None or not (_someone(subj) or subj.is_title) or subj.ent_type_ in ("LOC", "FAC"):
        return None
    obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
    if obj is None:
        return None
    span = whole_object(cue, obj)
    # "for raising the question again", "over the delay", "as a liar"
    reason = any(
        t.i > obj.i
        and t.lower_ in ("for", "over", "as")
        and (t.head.i in (cue.i, obj.i) or (t.dep_ == "mark" and t.head.head.i == cue.i))
        for t in span
    )
    if not reason:
        if obj.pos_ == "PRON":
            return None  # "mocked him": nothing judged one could follow up
        if lemma in JUDGING_PHYSICAL and not (
            _judge(subj, lemma)
            and (obj.ent_type_ in ("PERSON", "ORG", "NORP") or obj.lemma_.lower() in _SAID_OR_DONE)
        ):
            return None  # "forces attacked the town", "the storm blasted the coast"
    if lemma == "defend" and obj.lemma_.lower() not in MEASURE_NOUNS | DEFENDED_NOUNS:
        return None  # "defended the town", "defended her title", "defended the suspect"
    return [cue, *[t for t in span if t.i > cue.i]]


# what one slams or blasts in words, not by hand ("blasted the statement",
# "slammed the ruling", "blasted the raids"; not "slammed the door")
_SAID_OR_DONE = (
    MEASURE_NOUNS
    | STATEMENT_NOUNS
    | CLAIM_NOUNS
    | DOCUMENT_NOUNS
    | ROLE_WORDS
    | _BODIES
    | {"loophole", "raid", "roundup", "media", "press", "administration", "government"}
    | {"handling", "response", "record", "remark", "conduct", "approach", "stance", "vote"}
)


def _judge(subj: Any, lemma: str) -> bool:
    """Whether the subject of "attacked", "slammed", "blasted" judges in
    words: a person; for "slammed" and "blasted", which no army does, also
    a body or a group ("the White House blasted …", "Democrats slammed …")."""
    if subj.ent_type_ == "PERSON" or subj.lower_ in ("he", "she"):
        return True
    return lemma in ("slam", "blast") and (
        subj.ent_type_ in ("ORG", "NORP")
        or subj.lower_ in ("they", "who")
        or subj.lemma_.lower() in ROLE_WORDS | _BODIES
    )


# what a source is that can point to something ("the findings point to …")
_SOURCES = frozenset({"finding", "report", "study", "survey", "poll", "data", "analysis", "letter"})
# what a finger points at ("pointing to one ear", "pointed to the door"),
# and pro-forms ("cited it")
_POINTED_AT = frozenset(
    {"it", "this", "that", "one", "ear", "eye", "head", "chest", "heart", "hand", "finger"}
    | {"door", "window", "sky", "ceiling", "floor", "crowd", "camera", "audience", "stage"}
)
# where a report comes from, when cited with nothing it says
_BARE_SOURCES = (
    _SOURCES
    | ROLE_WORDS
    | {"document", "source", "record", "people", "person", "official", "figure", "statistic"}
    | {"account", "estimate", "filing", "court", "paper", "memo", "email", "interview"}
)


def _reason(cue: Any) -> list[Any] | None:
    """ "…, citing a study by the university", "pointed to the drop in
    sales", "cited the ruling as a reason to wait": the verb with what a
    side gives as its source or reason, when someone gives it ("was cited",
    "pointed the camera at", "cited it", "points out that …" are none; the
    last is a verb of saying)."""
    if any(c.dep_ in ("auxpass", "prt") for c in cue.children):
        return None
    # "said the budget would be cut, pointing to …": the one who said it
    subj = _holder(cue, ("conj", "xcomp", "advcl", "ccomp"), into_reported=cue.tag_ == "VBG")
    if subj is None or subj.ent_type_ in ("LOC", "FAC"):
        return None
    if cue.lemma_.lower() == "point" and not (
        _someone(subj) or subj.is_title or subj.lemma_.lower() in _SOURCES | STATEMENT_NOUNS
    ):
        return None  # "the arrow points to the exit"
    if cue.lemma_.lower() == "point":
        to = next((c for c in cue.children if c.dep_ == "prep" and c.i == cue.i + 1), None)
        obj = None if to is None or to.lower_ != "to" else _obj_of(to)
        if obj is None or obj.dep_ != "pobj":
            return None
        span = [to, *whole_object(cue, obj)]
    else:
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
        if obj is None:
            return None
        span = whole_object(cue, obj)
    if obj.pos_ in ("PRON", "NUM") or obj.lemma_.lower() in _POINTED_AT:
        return None
    if (obj.lemma_.lower() in _BARE_SOURCES or obj.ent_type_ in ("PERSON", "ORG")) and not any(
        c.dep_ in ("relcl", "acl", "conj") or (c.dep_ == "prep" and c.lower_ == "as")
        for c in [*obj.children, *(c for c in cue.children if c.i > obj.i)]
    ):
        # "The Gazette, citing internal documents, reported …", "citing a
        # senior official": where a report comes from, saying nothing itself
        return None
    return [cue, *[t for t in span if t.i > cue.i]]


# what a person, never a body, recalls ("Toyota recalled 10,000 cars", "the
# ministry recalled its ambassador" are none) or refers to ("the term refers to")
_PERSON_PRONOUNS = frozenset({"he", "she", "they", "who"})
_PERSON_TOPICS = frozenset({"recall", "recount", "refer"})
# what is posted without being said ("posted a loss", "posted bail")
_POSTED_FIGURES = frozenset(
    {"loss", "profit", "gain", "revenue", "earnings", "bail", "record", "result", "growth"}
    | {"deficit", "surplus", "sale", "figure", "increase", "decline", "drop", "rise", "bond"}
    | {"job", "vacancy", "opening", "guard", "sentry", "time", "score", "win", "victory"}
)


def _not_said(obj: Any) -> bool:
    """Whether an object of "posted", "tweeted", "explained" names no thing
    said: a figure ("posted a loss of $2 million", "posted bail"), an
    account's handle ("tweets @jdoe"), or a message whose words another cue
    gives ("tweeted a message saying …", "posted a comment of her own,
    saying, “…”")."""
    if obj.lemma_.lower() in _POSTED_FIGURES or obj.ent_type_ in ("MONEY", "PERCENT", "CARDINAL"):
        return True
    if obj.text.startswith("@") or obj.like_url or obj.like_email:
        return True
    if any(c.dep_ == "nummod" for c in obj.children):
        return True
    if any(c.dep_ in ("acl", "relcl") and c.lemma_.lower() in CUE_VERBS for c in obj.children):
        return True
    return obj.lemma_.lower() in STATEMENT_NOUNS | {"comment"} and any(
        c.dep_ in ("advcl", "xcomp", "conj") and c.i > obj.i and c.lemma_.lower() in CUE_VERBS
        for c in obj.head.children
    )


# verbs before an infinitive or a gerund of speaking that say it did not
# happen ("declined to comment on …", "refused to talk about …")
_WITHHOLD = frozenset({"decline", "refuse", "avoid", "fail", "want", "hope", "plan", "try"})


def _withheld(cue: Any) -> bool:
    """Whether a verb of speaking hangs on one that withholds it ("declined
    to comment on the case", "has not wanted to talk about it")."""
    node = cue
    for _ in range(3):
        if node.dep_ not in ("xcomp", "pcomp", "prep") or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in _WITHHOLD or any(c.dep_ == "neg" for c in node.children):
            return True
    return False


def _topic(cue: Any) -> list[Any] | None:
    """ "talked about the new budget", "spoke of a visit to the mill",
    "…, referring to the mayor's plan", "recalled her years as a teacher":
    the verb with what someone spoke of, when no clause or quotation says
    what they said of it ("wrote that …", "recalled that …" are verbs of
    saying), someone speaks ("the report refers to"), and the topic is more
    than a pro-form ("talked about it", "referring to him" are none)."""
    lemma = cue.lemma_.lower()
    if any(c.dep_ in ("auxpass", "prt", "ccomp", "parataxis", "neg") for c in cue.children):
        return None  # "did not discuss the plan": nothing said
    if _withheld(cue):
        return None
    subj = _holder(cue, ("conj", "xcomp", "advcl", "ccomp"), into_reported=cue.tag_ == "VBG")
    # "referred to him as “the kindest man I've met”": a name given, which
    # says something of whom it names, even a pronoun, and anyone may give it
    label = next(
        (
            c
            for c in cue.children
            if c.dep_ == "prep"
            and c.lower_ == "as"
            and lemma == "refer"
            # not "… the same as Sotomayor referring to herself as …", a
            # gerund inside what someone else said
            and cue.tag_ != "VBG"
            and _obj_of(c) is not None
        ),
        None,
    )
    if subj is None or subj.ent_type_ in ("LOC", "FAC"):
        return None
    if not (_someone(subj) or subj.is_title or (label is not None and subj.pos_ == "NOUN")):
        return None
    preps = TOPIC_CUES[lemma]
    if lemma in _PERSON_TOPICS:
        # "the Rust Belt refers to …", "Toyota recalled 10,000 cars": a
        # person speaks here, never a place, a body or a product
        named = subj.ent_type_ == "PERSON" or subj.lower_ in _PERSON_PRONOUNS
        if not named and (
            subj.ent_type_ in ("ORG", "GPE", "NORP", "PRODUCT")
            or subj.pos_ == "PRON"
            or subj.lemma_.lower() in INSTITUTION_NOUNS | _BODIES
            or cue.tag_ == "VBZ"  # "the term refers to …", "the Inland Sea refers to …"
        ):
            return None
    if "" in preps:
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
        if obj is None or obj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "DATE", "TIME"):
            return None  # "recalled the ambassador", "recalled Monday"
        if any(c.dep_ in ("oprd", "dative") for c in cue.children) or (
            lemma == "describe"
            and any(t.lower_ == "as" and t.i > obj.i for t in cue.doc[obj.i : cue.sent.end])
        ):
            return None  # "described the plan as a disaster": a label (verb_cues)
        if _not_said(obj):
            return None
        span = whole_object(cue, obj)
    else:
        if any(c.dep_ == "dobj" for c in cue.children):
            return None  # "referred the case to the court", "wrote a letter about"
        prep = next(
            (c for c in cue.children if c.dep_ == "prep" and c.i > cue.i and c.lower_ in preps),
            None,
        )
        obj = None if prep is None else _obj_of(prep)
        if prep is None or obj is None:
            return None
        span = [prep, *whole_object(cue, obj)]
        if label is not None and label.i > prep.i:
            span = _span_of([prep, obj, label])
            return [cue, *[t for t in span if t.i > cue.i]]
    if obj.pos_ not in ("NOUN", "PROPN", "VERB") or obj.lemma_.lower() in _POINTED_AT:
        return None  # "talked about it", "the job he talks about most"
    end = max(t.i for t in span)
    if end + 1 < len(cue.doc) and cue.doc[end + 1].text == ":":
        return None  # "recalling her own experience: “…”": the quotation is what she said
    return [cue, *[t for t in span if t.i > cue.i]]


def _asked_about(cue: Any) -> list[Any] | None:
    """ "the host asked Holt about the new budget": the verb with whom it
    asks and what about, when the asker is named ("was asked about …",
    "Asked about the plan, she said" name none and stay the answer's)."""
    subj = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.ent_type_ in ("LOC", "FAC"):
        return None
    if not (_someone(subj) or subj.is_title or subj.pos_ == "NOUN"):
        return None
    if subj.lemma_.lower() in FINDING_NOUNS | DOCUMENT_NOUNS | MEDIUM_NOUNS:
        return None  # "the survey asked voters about …": a poll's question, no side's
    if any(c.dep_ in ("auxpass", "neg", "ccomp") for c in cue.children):
        return None
    about = next(c for c in cue.children if c.dep_ == "prep" and c.lower_ == "about")
    obj = _obj_of(about)
    if obj is None or obj.pos_ not in ("NOUN", "PROPN", "VERB") or about.i < cue.i:
        return None  # "asked him about it"
    whom = [c for c in cue.children if c.dep_ in ("dobj", "dative") and cue.i < c.i < about.i]
    return [cue, *_span_of(whom[:1]), about, *whole_object(cue, obj)]
