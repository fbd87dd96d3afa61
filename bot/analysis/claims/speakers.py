"""Speakers: the subject phrase of a cue resolved to a person, an organisation or a country."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.analysis.aliases import is_metonym
from bot.analysis.claims.base import (
    _PERSONAL,
    _SUBJ,
    _clean,
    _Ctx,
    _is_pronoun,
    _Speaker,
    _speaker_tokens,
    _sub,
)
from bot.analysis.claims.sides import _learn_side, _own_entities, _side_rank
from bot.analysis.cues import (
    CLAIM_NOUNS,
    CUE_VERBS,
    DOCUMENT_NOUNS,
    INSTITUTION_NOUNS,
    NON_SPEAKERS,
    RELATION_NOUNS,
    ROLE_NOUNS,
)
from bot.models import Mention


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


def _core(head: Any) -> Any:
    """The naming part of a subject with an apposition: "the foreign minister,
    Andrii Sybiha" → "Andrii Sybiha"; "Tammy Bruce, a spokesperson" → "Bruce";
    a vocative before it is no speaker ("Lena, the governor, Oksana Hrytsenko, says")."""
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and head.pos_ != "PROPN":
            return child
    doc = head.doc
    named = _name_set_off_last(head)
    if named is not None:
        return named
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


def _name_set_off_last(head: Any) -> Any:
    """ "One pastor supporting Mr. Cole, Darran Whiting of Liberty Church,
    said …": a name (a proper noun) set off by commas at the end of a subject
    that a singular noun heads, right before the verb, which the parser
    apposed to another name inside the subject (a name does not appose
    another name), names the noun's person. Not for institutions ("the
    committee"). The name, else None."""
    if head.tag_ != "NN" or head.dep_ not in ("nsubj", "nsubjpass"):
        return None
    if head.lemma_.lower() in INSTITUTION_NOUNS:
        return None
    doc = head.doc
    last = max(t.i for t in head.subtree)
    for tok in head.subtree:
        if tok.dep_ != "appos" or tok.pos_ != "PROPN" or tok.head.pos_ != "PROPN":
            continue
        span = sorted(t.i for t in tok.subtree)
        if doc[span[0] - 1].text != "," or span[-1] + 1 > last:
            continue
        if doc[span[-1] + 1].text == "," and span[-1] + 1 == last and last + 1 == head.head.i:
            return tok
    return None


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
    fallback: _Speaker | None = None
    for sp in reversed(ctx.history):
        if sp.pos >= before:
            continue
        if affil and not (affil & (sp.affil | {sp.id or ""})):
            continue
        if want == "any" or sp.kind == want or (want == "group" and sp.kind == "other"):
            if sp.minor and want == "person":
                # "… criticism from a rival who said X. “…,” he told reporters":
                # he is the subject the story follows, if one spoke before
                fallback = fallback or sp
                continue
            return sp
    if fallback is not None:
        return fallback
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
    """The person named as the subject of one of the sentences just before
    offset ``before`` ("Okafor, a former nurse, ran the clinic. On Sunday
    he opened a ward.\n\n“…,” he said": Okafor): the previous sentence of
    the paragraph, or further back over sentences whose subject is a
    pronoun or names no person, up to the paragraph before."""
    tok = ctx.doc.char_span(before, before + 1, alignment_mode="expand")
    if tok is None or tok.start == 0:
        return None
    sent = tok.sent
    k0 = ctx.sent_of.get(sent.start)
    if k0 is None:
        return None
    para = ctx.para_of[k0]
    for _ in range(3):
        if sent.start == 0:
            return None
        prev = ctx.doc[sent.start - 1].sent
        k = ctx.sent_of.get(prev.start)
        if k is None or para - ctx.para_of[k] > 1:
            return None
        found = _person_subject_in(prev, ctx)
        if found is not None:
            return found
        if not _pronoun_subject(prev):
            return None
        sent = prev
    return None


def _pronoun_subject(sent: Any) -> bool:
    """Whether the main clause of ``sent`` has "he" or "she" as its subject."""
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she") for c in sent.root.children
    )


def _person_subject_in(prev: Any, ctx: _Ctx) -> tuple[int, _Speaker] | None:
    best: tuple[int, _Speaker] | None = None
    best_rank = 3
    for m in ctx.mentions_in(prev.start_char, prev.end_char):
        if m.entity.type != "PERSON" or ctx.in_quote(m.start):
            continue
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        while root.dep_ in ("appos", "compound") and root.head.i != root.i:
            root = root.head
        if root.dep_ in ("nsubj", "nsubjpass"):
            # "Zelensky said he had told the minister, Sybiha, to call":
            # the minister is the subject of a clause inside, not the story's
            verb = root.head
            if (
                verb.i != prev.root.i
                and verb.dep_ != "conj"
                and verb.lemma_.lower() not in CUE_VERBS
            ):
                continue
            # the main clause's subject first ("Ruiz said, adding that Okoye
            # showed …": Ruiz)
            rank = 0 if verb.i == prev.root.i else 1 if verb.dep_ == "conj" else 2
            known = [h for h in ctx.history if h.id == m.entity.id]
            sp = known[-1] if known else _Speaker(m.entity.name, m.entity.id, "person", m.start)
            if best is None or rank <= best_rank:
                best, best_rank = (m.start, sp), rank
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
    nobody (expletive "it", "the claims"). A share of people a poll asked
    ("in a poll taken in May, 42 percent of voters said") speaks through the
    poll."""
    sp = _subject_speaker(head, ctx)
    if sp is not None and sp.id is None and _SHARE.match(sp.name):
        poll = _poll_named(head, ctx)
        if poll is not None:
            return poll
    return sp


_SHARE = re.compile(
    r"(?i)^(?:[\w-]+ ){0,4}?(?:\d[\d.,]*\s?(?:%|percent)|(?:\w+|\d+) in (?:10|ten)\b"
    r"|majority\b|half\b)"
)
_POLLS = frozenset({"poll", "survey"})


def _poll_named(head: Any, ctx: _Ctx) -> _Speaker | None:
    """The poll a sentence names in a phrase of its own ("in a poll taken in
    May", "according to a survey"); not a poll that is the subject of a
    finding ("a poll found that 9 percent said …": the share speaks inside
    the poll's claim)."""
    own = {t.i for t in head.subtree}  # "a majority of voters in the poll": theirs
    verb = head.head
    for t in head.sent:
        if (
            t.i not in own
            and t.lemma_.lower() in _POLLS
            and t.pos_ == "NOUN"
            and t.dep_ == "pobj"
            and not ctx.in_quote(t.idx)
            and _on_clause_of(t, verb)
        ):
            toks = _speaker_tokens(t, ctx)
            if toks:
                return _Speaker(_clean(toks), None, "other", toks[0].idx)
    return None


def _on_clause_of(noun: Any, verb: Any) -> bool:
    """Whether the phrase of ``noun`` ("in a poll taken in May", "according
    to a survey") modifies ``verb`` or a clause that holds it; not a poll
    inside another group's phrase ("20 percent of people in a poll said A;
    29 percent said B") or another verb's ("…, after half said so in the
    earlier poll")."""
    node = noun
    while node.dep_ in ("pobj", "prep", "pcomp") and node.head.i != node.i:
        node = node.head
    # up from the share's verb through the clauses that report it
    while verb.i != node.i and verb.dep_ in ("ccomp", "xcomp", "conj") and verb.head.i != verb.i:
        verb = verb.head
    return bool(node.i == verb.i)


_NAMED = ("PERSON", "ORG", "NORP", "GPE")


def _described(noun: Any) -> Any:
    """ "Barlow is a fibber, crank and bully who has pledged …": the subject
    of "is" speaks for the relative clause on the description, through its
    conjuncts and appositions; any other noun as it is ("It was the mayor
    who said …", "two guests: Ann Cole and her friend Tom Barlow, who …",
    "the mayor, a lawyer who argued …" keep the noun the clause is on)."""
    if noun.ent_type_ in _NAMED:
        return noun
    top = noun
    while top.head.i != top.i and (
        (top.dep_ == "conj" and top.head.ent_type_ not in _NAMED)
        or (top.dep_ == "appos" and top.head.pos_ in ("NOUN", "PROPN"))
    ):
        top = top.head
    if top.dep_ == "attr" and top.head.lemma_ == "be":
        verb = top.head
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subj and verb.dep_ == "conj":
            # "X campaigns hard and is a crank who …"
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        if subj and (
            subj[0].lower_ in ("he", "she", "they")
            or subj[0].pos_ == "PROPN"
            or subj[0].ent_type_ in _NAMED
        ):
            return subj[0]
    return noun


def _subject_speaker(head: Any, ctx: _Ctx) -> _Speaker | None:
    low = head.lower_
    if ctx.in_dateline(head.idx):
        return None
    if head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl":
        head = _described(head.head.head)
        low = head.lower_
    if low == "those" and any(
        c.dep_ == "relcl" and c.lemma_.lower() not in CUE_VERBS for c in head.children
    ):
        # "Those who voted for Ruiz said …": the people the clause describes
        words = [
            t for t in _sub(head) if not ctx.in_quote(t.idx) and ctx.same_para(t.idx, head.idx)
        ]
        if words and len(words) <= 15:
            return _Speaker(_clean(words), None, "group", words[0].idx)
    if _counted_people(head) or _a_share(head):
        # "some of the nurses said", "three in 10 said": people counted
        counted = _share_tokens(head, ctx)
        if counted:
            return _Speaker(_clean(counted), None, "group", counted[0].idx)
    if _is_pronoun(head):
        ahead = _cataphora(head)
        if ahead is not None:
            return _speaker(ahead, ctx)
        reporter = _reporting_subject(head)
        if reporter is not None:
            said = _speaker(reporter, ctx)
            if said is not None and (said.kind == "person" or low not in _PERSONAL):
                return said
        if low in _PERSONAL:
            return _resolve_previous(ctx, "person", head.idx)
        if head.text == "I" and not ctx.in_quote(head.idx) and ctx.first_person():
            # "“Your Honor,” I said": the writer of a first-person account
            # (never the antecedent of a later "he")
            return _Speaker("the writer", None, "other", head.idx)
        if low in ("they", "we"):
            return (
                _previous_subject(head, ctx)
                or _resolve_previous(ctx, "group", head.idx)
                or _resolve_previous(ctx, "any", head.idx)
            )
        if low == "it":
            first = _first_conjunct_subject(head)
            said = _speaker(first, ctx) if first is not None else None
            if said is not None and (said.kind == "group" or _a_document(said)):
                return said
            thing = _previous_thing_subject(head, ctx)
            if thing is not None:
                return thing
            # "It said in a statement …": the organisation that spoke last;
            # "the report notes …, and it says …": the document
            prev = _resolve_previous(ctx, "group", head.idx)
            if (
                prev is not None
                and head.idx - prev.pos < 400
                and (prev.kind == "group" or _a_document(prev) or _an_organisation(prev))
            ):
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
        dets = {c.lower_ for c in core.children if c.dep_ in ("det", "nummod")}
        member = dets & {"the", "a", "an", "another", "one"}
        if m.entity.type == "NORP" and core.tag_ == "NNP" and member:
            # "the Wisconsin Republican said": a member, not the party; the
            # person named before, or the description itself. "A Nevada
            # Democrat", "another Iowa Republican": someone not named, who
            # speaks for the party
            prev = _resolve_previous(ctx, "person", head.idx) if "the" in dets else None
            if prev is not None:
                return prev
            return _Speaker(_clean(toks), None, "person", start, side=m.entity.id)
        affil = frozenset(x.entity.id for x in around if x.entity.id != m.entity.id)
        _learn_side(m, whole, around, ctx)
        return _Speaker(_mention_name(m, core), m.entity.id, _kind(m, core), start, affil)
    if core.lemma_.lower() in _DELEGATES and core.pos_ == "NOUN":
        delegate = _delegate(core, toks, ctx)
        if delegate is not None:
            return delegate
    persons = [m for m in found if m.entity.type == "PERSON"]
    tied = _tied_to(core, persons)
    if tied is not None:
        # "A friend of Mr. Cole said": the friend, on Cole's side ("Aides to
        # Mr. Cole" are a group: a later "they", not "he")
        kind = "group" if core.tag_ == "NNS" else "person"
        return _Speaker(_clean(toks), None, kind, start, side=tied.entity.id)
    if persons:
        m = persons[-1]
        affil = frozenset(x.entity.id for x in around if x.entity.id != m.entity.id)
        _learn_side(m, whole, around, ctx)
        return _Speaker(m.entity.name, m.entity.id, "person", start, affil)
    lemma = core.lemma_.lower()
    if lemma in DOCUMENT_NOUNS and core.tag_ in ("NN", "NNP"):
        return _document_speaker(core, toks, ctx)
    if lemma in ("half", "majority", "minority", "third", "quarter") and _share_of_people(core):
        # "half of Vermont Democrats said", "a majority of voters say": the
        # people asked, counted by a poll
        return _Speaker(_clean(toks), None, "group", start)
    if (lemma in NON_SPEAKERS or lemma in CLAIM_NOUNS) and not _public_figures(core):
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
        if (
            lemma in _ORG_NOUNS
            and definite
            and not has_propn
            and not found
            # "the farmers union", "the aid group": a body named by what it
            # is, not the one named before
            and not any(c.dep_ == "compound" and c.pos_ == "NOUN" for c in core.children)
        ):
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


def _tied_to(core: Any, persons: list[Mention]) -> Mention | None:
    """ "A friend of Mr. Cole", "an aide to Senator Vale", "Cole's lawyer": a
    noun of a tie to someone (``RELATION_NOUNS``) whose only named people
    are in its possessive or its "of"/"to"/"for" phrase names someone else,
    tied to them. The last person named there, else None."""
    if core.pos_ != "NOUN" or core.lemma_.lower() not in RELATION_NOUNS or not persons:
        return None
    owners = {
        t.i
        for c in core.children
        if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("of", "to", "for"))
        for t in c.subtree
    }
    spans = [core.doc.char_span(m.start, m.end, alignment_mode="expand") for m in persons]
    if not all(sp is not None and all(t.i in owners for t in sp) for sp in spans):
        return None
    return persons[-1]


def _an_organisation(sp: _Speaker) -> bool:
    """A speaker described by an organisation noun ("The company")."""
    words = sp.name.lower().split()
    return sp.id is None and len(words) <= 3 and bool(words) and words[-1] in _ORG_NOUNS


def _previous_thing_subject(pron: Any, ctx: _Ctx) -> _Speaker | None:
    """ "The audit also listed breaches by staff. It said officials hid …":
    "it" is the document or organisation that is the subject of the
    previous sentence of the paragraph, speaker or not."""
    sent = pron.sent
    if pron.dep_ != "nsubj" or sent.start == 0:
        return None
    prev = pron.doc[sent.start - 1].sent
    if not ctx.same_para(prev.start_char, pron.idx):
        return None
    for c in prev.root.children:
        if c.dep_ != "nsubj" or ctx.in_quote(c.idx) or c.tag_ not in ("NN", "NNP"):
            continue
        if c.lemma_.lower() in DOCUMENT_NOUNS or (
            c.lemma_.lower() in _ORG_NOUNS and c.pos_ == "NOUN"
        ):
            return _speaker(c, ctx)
    # "Vale cited a memorandum of the agency. It says …": the one document
    # the previous sentence names as an object
    docs = [
        t
        for t in prev
        if t.dep_ in ("dobj", "pobj")
        and t.tag_ == "NN"
        and t.lemma_.lower() in DOCUMENT_NOUNS
        and not ctx.in_quote(t.idx)
    ]
    return _speaker(docs[0], ctx) if len(docs) == 1 else None


def _first_conjunct_subject(pron: Any) -> Any:
    """ "The report notes that …, and it says …": the subject of the first
    of the coordinated verbs, when it is no pronoun."""
    verb = pron.head
    if pron.dep_ != "nsubj" or verb.dep_ != "conj":
        return None
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None or _is_pronoun(subj) or subj.tag_ in ("WP", "WDT"):
        return None
    return subj


def _a_document(sp: _Speaker) -> bool:
    """A speaker that is a document speaking as itself ("The report")."""
    words = sp.name.lower().split()
    return sp.id is None and bool(words) and words[-1] in DOCUMENT_NOUNS


_PEOPLE = frozenset(
    {"voter", "respondent", "resident", "adult", "american", "member", "supporter", "citizen"}
    | {"worker", "parent", "student", "people", "democrat", "republican", "independent"}
)


def _share_of_people(core: Any) -> bool:
    """ "half of the voters", "a majority of Americans": a share of people."""
    for prep in core.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj" and (
                    obj.ent_type_ == "NORP" or obj.lemma_.lower() in _PEOPLE
                ):
                    return True
    return False


_COUNTS = frozenset({"some", "several", "many", "most", "all", "both"})
# what makes "figures" people ("party figures", "GOP figures", "senior figures
# in the church"), not numbers ("official figures", "the figures show")
_FIGURE_OF = frozenset(
    {"party", "opposition", "establishment", "church", "business", "community", "media"}
    | {"political", "public", "senior", "leading", "prominent", "religious", "key", "sports"}
)


def _public_figures(core: Any) -> bool:
    """ "Some party figures said", "GOP figures declared": people, though
    "figures" alone are numbers."""
    return core.lemma_.lower() == "figure" and any(
        c.dep_ in ("compound", "amod")
        and (c.lemma_.lower() in _FIGURE_OF or c.ent_type_ in ("NORP", "ORG"))
        for c in core.children
    )


def _counted_people(core: Any) -> bool:
    """ "Some of the nurses", "most of the mayors", "three in 10": a
    quantifier or a share standing for the people it counts."""
    if core.tag_ == "CD":
        return _in_ten(core)
    # "a growing number of residents", not "the number of cases"
    counted = core.lemma_.lower() == "number" and any(
        c.dep_ == "det" and c.lower_ == "a" for c in core.children
    )
    if core.lower_ not in _COUNTS and not counted:
        return False
    for prep in core.children:
        objs = [o for o in prep.children if o.dep_ == "pobj"]
        if prep.dep_ != "prep" or not objs:
            continue
        obj = objs[0]
        lemma = obj.lemma_.lower()
        if (
            prep.lower_ == "of"
            and (obj.tag_ in ("NNS", "NNPS") or obj.ent_type_ == "NORP" or lemma in _PEOPLE)
            and lemma not in NON_SPEAKERS | CLAIM_NOUNS | DOCUMENT_NOUNS
        ):
            return True
        if prep.lower_ in ("in", "among", "at") and (
            lemma in _GATHERINGS or obj.ent_type_ in ("NORP", "ORG")
        ):
            # "many in the crowd", "some in the party", "several at the rally"
            return True
    return False


# a group whose part speaks ("many in the crowd", "some in the party")
_GATHERINGS = frozenset(
    {"crowd", "audience", "room", "hall", "party", "caucus", "delegation", "congregation"}
    | {"community", "rally", "meeting", "conference", "convention", "movement", "campaign"}
    | {"administration", "government", "industry", "church", "union", "chamber", "house"}
)


_SHARE_NOUNS = frozenset({"half", "majority", "minority", "plurality", "third", "quarter", "fifth"})
# "those surveyed", "those polled", "those asked"
_POLLED = frozenset({"survey", "poll", "ask", "question", "interview", "sample"})


def _a_share(core: Any) -> bool:
    """A share of the people a poll asked, standing for them: "six in 10",
    "four out of 10", "two-thirds of voters", "half", "a majority of her
    backers", "majorities in all five states", "55 percent", "those
    surveyed"."""
    doc = core.doc
    i = core.i
    if core.tag_ == "CD":
        if i >= 2 and doc[i - 1].lower_ == "in" and doc[i - 2].tag_ == "CD":
            return True  # "six in 10" with "10" as the head
        if i >= 3 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ == "out":
            return bool(doc[i - 3].tag_ == "CD")  # "four out of 10"
        if any(c.lemma_.lower() in _SHARE_NOUNS for c in core.children if c.i > i):
            return True  # "two-thirds" with "two" as the head
        return _in_ten(core) or _out_of_ten(core)
    if core.lower_ == "those":
        return any(c.dep_ == "acl" and c.lemma_.lower() in _POLLED for c in core.children)
    if core.tag_ in ("NNS", "NNPS") and any(
        c.dep_ == "nummod" and c.tag_ == "CD" and c.i < i and _a_share(c) for c in core.children
    ):
        return True  # "six in 10 voters", "four out of 10 residents"
    lemma = core.lemma_.lower()
    if lemma in ("percent", "%") and core.pos_ == "NOUN":
        return any(c.dep_ == "nummod" for c in core.children)
    if core.lower_ in ("majorities", "minorities"):
        lemma = core.lower_[:-3] + "y"  # capitalised, the small model calls it a name
    if lemma not in _SHARE_NOUNS or not (
        core.pos_ in ("NOUN", "PROPN") or (core.pos_ == "ADJ" and core.dep_ in _SUBJ)
    ):
        return False  # "a fifth said": the small model may call it an adjective
    objs = [
        o
        for p in core.children
        if p.dep_ == "prep" and p.lower_ == "of"
        for o in p.children
        if o.dep_ == "pobj"
    ]
    if not objs:
        # "half said", "a third say", "majorities in all five states say";
        # not "the third" of a row
        return lemma in ("half", "majority", "minority", "plurality") or not any(
            c.dep_ == "det" and c.lower_ == "the" for c in core.children
        )
    obj = objs[0]
    olemma = obj.lemma_.lower()
    return (
        obj.tag_ in ("NNS", "NNPS")
        or obj.ent_type_ == "NORP"
        or olemma in _PEOPLE
        or obj.lower_ in ("those", "them", "us")
    ) and olemma not in NON_SPEAKERS | CLAIM_NOUNS | DOCUMENT_NOUNS


def _share_tokens(head: Any, ctx: _Ctx) -> list[Any]:
    """The words of a counted group: the subject phrase, with "in 10" the
    parser hung elsewhere and the participle of "those surveyed"."""
    counted = _speaker_tokens(head, ctx)
    doc = head.doc
    if counted and counted[-1].i == head.i and _in_ten(head):
        counted = [*counted, doc[head.i + 1], doc[head.i + 2]]
    # "those surveyed", "12 percent of those polled"
    polled = [
        t
        for those in [x for x in counted if x.lower_ == "those"]
        for c in those.children
        if c.dep_ == "acl" and c.lemma_.lower() in _POLLED
        for t in _sub(c)
        if not ctx.in_quote(t.idx)
    ]
    counted = sorted({t.i: t for t in [*counted, *polled]}.values(), key=lambda t: t.i)
    first = counted[0].i if counted else 0
    if first >= 2 and doc[first - 1].text == "-" and doc[first - 2].like_num:
        counted = [doc[first - 2], doc[first - 1], *counted]  # "One-third", split
    sub = {t.i for t in head.subtree}
    if counted and counted[-1].i + 1 in sub and doc[counted[-1].i + 1].text == "%":
        counted = [*counted, doc[counted[-1].i + 1]]  # "56%", not "56"
    if counted and sum(t.text == "(" for t in counted) > sum(t.text == ")" for t in counted):
        nxt = counted[-1].i + 1
        if nxt < len(doc) and doc[nxt].text == ")":
            counted = [*counted, doc[nxt]]  # "29 percent (and 43 percent of Republicans)"
    return counted


_SHARE_WORDS = frozenset(
    {"half", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "majority"}
    | {"majorities", "minority", "plurality", "percent", "%"}
)
_SHARE_GLUE = frozenset(
    {"in", "out", "of", "a", "an", "-", "about", "nearly", "almost", "roughly", "some"}
    | {"only", "just", "more", "than", "fewer", "less", "over", "under", "around", "close"}
    | {"to", "at", "least", "most", "slightly", "well", "barely", "large", "small", "vast"}
)
# words after which a clause may begin with a counted group as its subject
_CLAUSE_OPENERS = frozenset(
    {",", ";", ":", "—", "–", "and", "but", "while", "whereas", "although", "though"}
    | {"after", "before", "when", "as", "that", "yet", "compared", "with"}
)


def _share_before(cue: Any) -> tuple[list[Any], int] | None:
    """ "… and one in four said the party was hostile", "About 4 in 10 say
    …", "Nearly a third say …": the counted group right before a verb of
    saying that the parser gave no subject (it hung the words elsewhere or
    took them for modifiers of the verb). The group's words and the index
    where its clause begins (the connective before it, if any), or None."""
    if any(c.dep_ in _SUBJ for c in cue.children) or cue.pos_ != "VERB":
        return None
    doc = cue.doc
    sent_start = cue.sent.start
    j = cue.i - 1
    if j > sent_start and doc[j].text == "," and doc[j - 1].lower_ in ("percent", "%"):
        j -= 1  # "about two-thirds, 67 percent, say"
    while j >= sent_start and (
        doc[j].like_num
        or doc[j].lower_ in _SHARE_WORDS
        or doc[j].lower_ in _SHARE_GLUE
        or (doc[j].text == "," and _apposed_share(doc, j))
    ):
        j -= 1
    words = list(doc[j + 1 : cue.i])
    while words and words[-1].text == ",":
        words = words[:-1]
    while words and words[0].lower_ in ("of", "in", "to", "-", "than", "at"):
        words = words[1:]
    if not words:
        return None
    if j >= sent_start and doc[j].lower_ not in _CLAUSE_OPENERS and not doc[j].is_space:
        return None
    low = [t.lower_ for t in words]
    counted = any(w in _SHARE_WORDS for w in low) or any(
        t.like_num and k + 2 < len(low) and low[k + 1] in ("in", "out") for k, t in enumerate(words)
    )
    if not counted or words[-1].lower_ in _SHARE_GLUE:
        return None
    if words[-1].lower_ in ("percent", "%") and not any(t.like_num for t in words):
        return None
    start = j if j >= sent_start and doc[j].text not in (",", ";", ":") else words[0].i
    return words, start


def _apposed_share(doc: Any, comma: int) -> bool:
    """Whether the comma at ``comma`` sets a figure beside a share ("two-thirds,
    67 percent"): a share word before it, a number after it."""
    return bool(
        comma > 0
        and comma + 1 < len(doc)
        and doc[comma - 1].lower_ in _SHARE_WORDS
        and doc[comma + 1].like_num
    )


def _share_speaker(words: list[Any]) -> _Speaker:
    return _Speaker(_clean(words), None, "group", words[0].idx)


def _out_of_ten(core: Any) -> bool:
    """ "four out of 10" with "four" as the head."""
    doc = core.doc
    return bool(
        core.i + 3 < len(doc)
        and doc[core.i + 1].lower_ == "out"
        and doc[core.i + 2].lower_ == "of"
        and doc[core.i + 3].tag_ == "CD"
    )


def _in_ten(core: Any) -> bool:
    """ "three in 10", wherever the parser hung "in 10"."""
    doc = core.doc
    return bool(
        core.tag_ == "CD"
        and core.i + 2 < len(doc)
        and doc[core.i + 1].lower_ == "in"
        and doc[core.i + 2].tag_ == "CD"
    )


def _transcript_speaker(name: str, ctx: _Ctx, pos: int) -> _Speaker:
    """ "ORTIZ" in a transcript: the person of the story with that surname."""
    key = name.split("(")[0].strip().casefold()
    if key in ("a", "a."):
        # "Q: … A: …": the answers are the interviewee's, the person the
        # story names most (the first named of those tied)
        counts: dict[str, int] = {}
        first: dict[str, Mention] = {}
        for m in ctx.mentions:
            if m.entity.type == "PERSON" and not ctx.in_quote(m.start):
                counts[m.entity.id] = counts.get(m.entity.id, 0) + 1
                first.setdefault(m.entity.id, m)
        if counts:
            top = max(counts, key=lambda e: (counts[e], -first[e].start))
            return _Speaker(first[top].entity.name, top, "person", pos)
    for m in ctx.mentions:
        if m.entity.type == "PERSON" and m.entity.name.split()[-1].casefold() == key:
            return _Speaker(m.entity.name, m.entity.id, "person", pos)
    for ent in ctx.doc.ents:
        if ent.label_ == "PERSON" and ent.text.split()[-1].casefold() == key:
            return _Speaker(ent.text, None, "person", pos)
    return _Speaker(name.title() if name.isupper() else name, None, "person", pos)


def _names_a_person_after(core: Any, toks: list[Any], ctx: _Ctx) -> bool:
    """Whether a person is named in the phrase after its head ``core``."""
    end = toks[-1].idx + len(toks[-1].text)
    return any(m.entity.type == "PERSON" for m in ctx.mentions_in(core.idx + 1, end))


def _owner(core: Any, preps: tuple[str, ...]) -> Any | None:
    """Whose the thing ``core`` names is: its possessive ("the board's report",
    "its review"), else the object of one of ``preps`` ("a review by the
    regulator", "a spokesman for the agency")."""
    owner = None
    for c in core.children:
        if c.dep_ == "poss":
            owner = c
        elif c.dep_ == "prep" and c.lower_ in preps and owner is None:
            owner = next((g for g in c.children if g.dep_ == "pobj"), None)
    return owner


def _document_speaker(core: Any, toks: list[Any], ctx: _Ctx) -> _Speaker | None:
    """ "The board's preliminary report said", "a review by the regulator
    found": the body that issued the document speaks; "its review" is the
    organisation last named; a document with no issuer named ("the letter
    says") speaks as itself."""
    if _names_a_person_after(core, toks, ctx):
        return None  # "the ministry's report, by Clara Weiss": she speaks
    owner = _owner(core, ("by", "from", "of"))
    if owner is not None and owner.lower_ in ("its", "their"):
        prev = _resolve_previous(ctx, "group", core.idx)
        if prev is not None and prev.kind == "group":
            return prev
        org = _latest_organisation(ctx, core.idx)
        if org is not None:
            return org
    elif owner is not None and not (owner.pos_ == "PRON" or ctx.in_quote(owner.idx)):
        found = _named_body(owner, ctx) or _speaker(owner, ctx)
        if found is not None:
            return replace(found, name=re.sub(r"\s*['’]s$", "", found.name))
    if ctx.in_quote(core.idx):
        return None
    issuer = _issuer(core)
    if issuer is not None:
        # "The union issued a statement saying …": the union speaks
        found = _speaker(issuer, ctx)
        if found is not None:
            return found
    return _Speaker(_clean(toks), None, "other", toks[0].idx)


_ISSUING = frozenset(
    {"issue", "release", "publish", "send", "post", "put", "file", "sign", "run", "circulate"}
)
_ANSWERING = frozenset({"respond", "reply", "react", "answer", "hit"})


def _issuer(doc_noun: Any) -> Any:
    """Who issued the document ``doc_noun``: the subject of "issued",
    "released", "ran" … when it is their object, or of "responded with"."""
    verb = doc_noun.head
    if doc_noun.dep_ == "dobj" and verb.lemma_.lower() in _ISSUING:
        return next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if doc_noun.dep_ == "pobj" and verb.lower_ == "with":
        verb = verb.head
        if verb.lemma_.lower() in _ANSWERING:
            return next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return None


_BODY_NOUNS = frozenset(
    {"board", "agency", "authority", "commission", "council", "committee", "ministry"}
    | {"department", "office", "service", "administration", "bureau", "institute", "court"}
)


def _named_body(tok: Any, ctx: _Ctx) -> _Speaker | None:
    """ "the board" after "the Harbour Safety Board": the organisation named
    before whose name ends in that noun."""
    lemma = tok.lemma_.lower()
    if lemma not in _BODY_NOUNS or tok.pos_ != "NOUN":
        return None
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
        return None
    for m in reversed(ctx.mentions_in(0, tok.idx)):
        words = m.entity.name.lower().split()
        if m.entity.type == "ORG" and words and words[-1] == lemma and not ctx.in_quote(m.start):
            known = [h for h in ctx.history if h.id == m.entity.id]
            return known[-1] if known else _Speaker(m.entity.name, m.entity.id, "group", m.start)
    # a body that spoke before under a description ("China's foreign ministry")
    for h in reversed(ctx.history):
        words = h.name.lower().split()
        if h.pos < tok.idx and words and words[-1] == lemma and (h.id or h.side):
            return h
    return None


def _cataphora(pron: Any) -> Any:
    """ "Although it denies blowing up the dam, Moscow has …", "Though he
    defended his government, President Erdogan admitted …": a pronoun in a
    clause that opens the sentence names the subject of the main clause."""
    verb = pron.head
    if verb.dep_ != "advcl" or verb.i > verb.head.i or pron.lower_ not in _CATAPHORIC:
        return None
    if not any(c.dep_ == "mark" for c in verb.children):
        return None
    main = verb.head
    return next(
        (c for c in main.children if c.dep_ == "nsubj" and c.i > verb.i and not _is_pronoun(c)),
        None,
    )


_CATAPHORIC = frozenset({"he", "she", "it", "they"})


def _reporting_subject(pron: Any) -> Any:
    """ "Kasich said Trump would have a path, which he called a disaster",
    "Sanders says he respects her and calls her …": a pronoun subject of a
    verb of saying inside what another verb of saying reports names that
    verb's subject, when a noun names it. None otherwise."""
    verb = pron.head
    if pron.dep_ != "nsubj" or pron.lower_ not in _REPORTING:
        return None
    if verb.lemma_.lower() not in CUE_VERBS:
        return None
    for outer in verb.ancestors:
        if outer.lemma_.lower() not in CUE_VERBS or outer.i > verb.i:
            continue
        subj = next((c for c in outer.children if c.dep_ == "nsubj" and c.i < outer.i), None)
        if subj is None or outer.sent.start != verb.sent.start:
            return None
        return None if _is_pronoun(subj) else subj
    return None


_REPORTING = frozenset({"he", "she", "they", "we"})


def _mention_name(m: Mention, core: Any) -> str:
    """The name a speaker is shown by: the entity's, except where the story
    names a government by its building or city ("the White House", "the
    Kremlin", "Beijing"), by an acronym ("the IMF") or by its people
    ("Mexicans said"): then the words the story used, whose side is still the
    entity's."""
    surface = " ".join(m.text.split())
    if surface.lower().removeprefix("the ") == m.entity.name.lower():
        return m.entity.name
    if m.entity.type == "GPE" and is_metonym(surface):
        return surface.removeprefix("the ").removeprefix("The ")
    if surface.isupper() and 2 <= len(surface) <= 6 and len(m.entity.name.split()) >= 2:
        return surface
    people = core.tag_ in ("NNPS", "NNS") or core.ent_type_ == "NORP"
    if m.entity.type == "GPE" and people and surface.endswith("s") and surface[:1].isupper():
        return surface
    return m.entity.name


# people who speak for someone else: never that someone
_DELEGATES = frozenset({"spokesperson", "spokesman", "spokeswoman"})


def _delegate(core: Any, toks: list[Any], ctx: _Ctx) -> _Speaker | None:
    """ "The prime minister's spokesman", "the ministry's spokesperson", "a
    spokesman for the agency", "the spokesman": someone who speaks for a body
    or a person, and is not them. The name says for whom ("Alan Crewe's
    spokesman"), the side is theirs, found in the phrase ("its", "the
    ministry" after "China's foreign ministry") or, for a bare "the
    spokesman", the speaker before. An indefinite "a spokesperson" alone is
    the organisation that spoke before (see :func:`_speaker`)."""
    if _names_a_person_after(core, toks, ctx):
        return None  # "a spokesperson for the ministry, Clara Weiss": she speaks
    owner = _owner(core, ("for", "of", "at"))
    body: _Speaker | None = None
    if owner is not None:
        if ctx.in_quote(owner.idx):
            return None
        if owner.lower_ in ("its", "their"):
            body = _resolve_previous(ctx, "group", core.idx) or _latest_organisation(ctx, core.idx)
        elif owner.lower_ in ("his", "her"):
            body = _resolve_previous(ctx, "person", core.idx)
        else:
            body = _named_body(owner, ctx) or _speaker(owner, ctx)
    elif toks[0].lower_ in ("the", "this"):
        last = next((h for h in reversed(ctx.history) if h.pos < core.idx), None)
        if last is not None and core.idx - last.pos < 600:
            body = last
    else:
        return None
    role = " ".join(
        t.lower_
        for t in toks
        if t.head.i == core.i and t.dep_ in ("amod", "compound") and t.i < core.i
    )
    role = f"{role} {core.lower_}".strip()
    if body is None:
        return _Speaker(_clean(toks), None, "person", toks[0].idx)
    owner_name = re.sub(r"\s*['’]s$", "", body.name)
    owner_name += "'" if owner_name.endswith("s") else "'s"
    side = ctx.sides.get(body.id or "") or body.side or body.id
    return _Speaker(f"{owner_name} {role}", None, "person", toks[0].idx, side=side)
