"""Whom a speaker speaks for (``speaker_side``): roles, institutions and the story's company."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.analysis.claims.base import _Ctx, _Speaker, _speaker_tokens
from bot.analysis.cues import (
    INSTITUTION_NOUNS,
    ROLE_NOUNS,
)
from bot.models import Mention

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
    # a body named with its country's possessive speaks for the country:
    # "Secretary of Ukraine's National Security Council" → Ukraine
    owners = [m for m in out if m.entity.type in ("GPE", "NORP")]
    return [m for m in out if m.entity.type != "ORG" or not _owned_by(m, owners, ctx)]


def _owned_by(org: Mention, owners: Sequence[Mention], ctx: _Ctx) -> bool:
    """``org`` follows a country's possessive ("Ukraine's …", "China’s …")."""
    before = ctx.text[max(0, org.start - 4) : org.start].replace("’", "'")
    if not before.rstrip().endswith("'s"):
        return False
    end = org.start - (len(before) - before.rstrip().rfind("'s"))
    return any(0 <= end - o.end <= 1 for o in owners)


def _learn_side(person: Mention, phrase: list[Any], around: list[Mention], ctx: _Ctx) -> None:
    """Note, for this story, whom a person speaks for when a phrase says it with
    a role: "Ukrainian President Volodymyr Zelensky" (Ukraine), "a spokesperson
    for China's foreign ministry, Lin Jian" (China), "Nimbra's chief executive,
    Priya Raman" (Nimbra). "Ukraine's ambassador to China" speaks for Ukraine only."""
    if person.entity.type != "PERSON" or person.entity.id in ctx.sides:
        return
    if ctx.text[person.start : person.end].lower() in ROLE_NOUNS:
        return  # a title linked to someone named later ("Secretary"), not the person
    if not any(t.lemma_.lower() in ROLE_NOUNS | INSTITUTION_NOUNS for t in phrase):
        return
    around = _in_noun_phrase(person, around, ctx)
    own = _own_entities(around, person.entity.id, ctx)
    if own:
        ctx.sides[person.entity.id] = min(own, key=_side_rank).entity.id
    elif any(t.lemma_.lower() in _CORPORATE_ROLES for t in phrase) and not any(
        t.lemma_.lower() in INSTITUTION_NOUNS for t in phrase
    ):
        ctx.company_people.add(person.entity.id)


def _in_noun_phrase(person: Mention, around: list[Mention], ctx: _Ctx) -> list[Mention]:
    """The mentions of ``around`` inside the noun phrase of ``person`` (with
    its apposition, without clauses): not "Ukrainian" in "for the Russian
    president's press secretary Dmitry Peskov to claim … a Ukrainian
    sabotage operation"."""
    span = ctx.doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None:
        return around
    root = span.root
    head = root.head if root.dep_ in ("appos", "conj") else root
    toks = _speaker_tokens(head, ctx)
    if not toks:
        return around
    lo, hi = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    # another conjunct is someone else's ("Former Velcor chief Ana Ruiz and
    # Brightloom COO Ivo Petrov": Brightloom is Petrov's)
    other: set[int] = set()
    for t in toks:
        if t.dep_ == "conj" and not t.left_edge.i <= root.i <= t.right_edge.i:
            other.update(x.idx for x in t.subtree)
    if root.dep_ == "conj":
        other.update(x.idx for x in root.head.subtree if x.i < root.left_edge.i)
    out = [
        m
        for m in around
        if lo <= m.start and m.end <= hi and (m.start not in other or _titles(m, span, ctx))
    ]
    # a body someone used to work for is not whom they speak for now
    return [m for m in out if not _former(m, ctx)]


def _titles(m: Mention, span: Any, ctx: _Ctx) -> bool:
    """``m`` runs into the name through title words only ("Brightloom COO Ivo
    Petrov"), however the parser linked it."""
    if m.end > span.start_char:
        return False
    between = ctx.doc.char_span(m.end, span.start_char, alignment_mode="expand")
    if between is None:
        return False
    words = [t for t in between if t.i < span.start]
    for k, t in enumerate(words):
        if t.is_punct:
            return False
        if t.dep_ == "cc" and not (0 < k < len(words) - 1 and _title_word(words[k + 1])):
            return False  # "Velcor and Harwell chief" names two bodies; not "chair and CEO"
    return True


def _title_word(tok: Any) -> bool:
    lemma = tok.lemma_.lower()
    return lemma in ROLE_NOUNS or lemma in _CORPORATE_ROLES or (tok.is_upper and len(tok) <= 4)


def _former(m: Mention, ctx: _Ctx) -> bool:
    """ "former Velcor chief", "ex-Velcor": the mention follows "former"."""
    before = ctx.text[max(0, m.start - 8) : m.start].lower()
    return before.rstrip(" -").endswith(("former", "ex"))


def _titled_like_a_person(span: Any, phrase: Sequence[Any]) -> bool:
    """A name the NER took for an organisation that an apposition gives a
    person's title: "Oleksii Danilov, Secretary of Ukraine's Security
    Council" (its side is then the country, not itself)."""
    if span[-1].lemma_.lower() in INSTITUTION_NOUNS or len(span) > 3:
        return False
    if not all(t.pos_ == "PROPN" for t in span):
        return False
    for t in phrase:
        if span.start <= t.i < span.end or t.lemma_.lower() not in ROLE_NOUNS:
            continue
        chain = (t, t.head, t.head.head)
        if any(x.dep_ == "appos" and x.head.i in range(span.start, span.end) for x in chain):
            return True
    return False


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
        if m.entity.id in ctx.sides or ctx.in_quote(m.start):
            continue
        if m.entity.type not in ("PERSON", "ORG"):
            continue
        if m.entity.type == "ORG" and _side_rank(m) == 2:
            # "the Velorian Foreign Ministry" speaks for Veloria, as "Veloria's
            # foreign ministry" does
            country = [
                x
                for x in ctx.mentions_in(m.start, m.end)
                if x.entity.type in ("GPE", "NORP") and x.start == m.start and x.end < m.end
            ]
            if country:
                ctx.sides[m.entity.id] = country[0].entity.id
                continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        head = root.head if root.dep_ in ("appos", "conj") else root
        phrase = _speaker_tokens(head, ctx)
        if len(phrase) < 2 or len(phrase) > 40:
            continue
        around = ctx.mentions_in(phrase[0].idx, phrase[-1].idx + len(phrase[-1].text))
        if m.entity.type == "PERSON":
            _learn_side(m, phrase, around, ctx)
        elif _titled_like_a_person(span, phrase):
            own = _own_entities(around, m.entity.id, ctx)
            if own:
                ctx.sides[m.entity.id] = min(own, key=_side_rank).entity.id
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
    if sp.side is None and _COMPANY_WORDS & set(sp.name.lower().replace("’", "'").split()):
        return _company_of_story(ctx)  # "a company statement", "the firm's spokesperson"
    return sp.side


# a speaker phrase that names the story's company without its name
_COMPANY_WORDS = frozenset({"company", "company's", "firm", "firm's", "companies'"})
