"""Persons named by their role: the role phrase of a title or apposition
("Ukraine's foreign minister, Andrii Sybiha"), and the later descriptions
("the minister") linked to the person it introduced. Used by
:mod:`bot.analysis.entities`, which shares ``_Hit`` (a span of tokens and the
entity it mentions) with this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.models import Entity

_ROLES = {
    "president": "president",
    "minister": "minister",
    "secretary": "secretary",
    "chancellor": "chancellor",
    "premier": "premier",
    "spokesperson": "spokesperson",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "ambassador": "ambassador",
    "envoy": "envoy",
    "general": "general",
    "commander": "commander",
    "chief": "chief",
    "leader": "leader",
    "king": "king",
    "queen": "queen",
    "prince": "prince",
    "pope": "pope",
    "governor": "governor",
    "mayor": "mayor",
    "senator": "senator",
    "director": "director",
    "chairman": "chair",
    "chairwoman": "chair",
    "chair": "chair",
    "ceo": "ceo",
    "prosecutor": "prosecutor",
    "commissioner": "commissioner",
    "negotiator": "negotiator",
    "adviser": "adviser",
    "advisor": "adviser",
    "emir": "emir",
    "speaker": "speaker",
}

_LEADER_HEADS = frozenset({"president", "chancellor", "premier", "king", "queen", "emir"})

_QUALIFIER_SKIP = frozenset({"top", "senior", "new", "current", "then", "country", "own"})

_QUALIFIER_SAME = {"defense": "defence"}


@dataclass(slots=True)
class _Hit:
    start: int  # token indices, end exclusive
    end: int
    entity: Entity
    kind: str  # the alias kind (name, alt, demonym, capital, override), or name / role


@dataclass(frozen=True, slots=True)
class _Role:
    head: str
    quals: frozenset[str]
    nationality: str | None


def _role_head(tok: Any) -> str | None:
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return None
    word = str(tok.lower_)
    lemma = str(tok.lemma_).lower()
    return _ROLES.get(word) or _ROLES.get(lemma)


def _qualifier(tok: Any) -> str | None:
    if not tok.is_alpha or tok.lower_ in _QUALIFIER_SKIP or tok.is_stop:
        return None
    word = str(tok.lower_)
    return _QUALIFIER_SAME.get(word, word)


def _nationality(tok: Any, alias_at: dict[int, _Hit]) -> str | None:
    hit = alias_at.get(tok.i)
    if hit is not None and hit.entity.type == "GPE":
        return hit.entity.id
    return None


def _role_from_tokens(tokens: Sequence[Any], head: Any, alias_at: dict[int, _Hit]) -> _Role:
    quals: set[str] = set()
    nat: str | None = None
    for tok in tokens:
        if tok.i == head.i:
            continue
        n = _nationality(tok, alias_at)
        if n:
            nat = nat or n
            continue
        if tok.tag_ == "POS" or tok.pos_ in {"DET", "PRON", "ADP", "PUNCT"}:
            continue
        q = _qualifier(tok)
        if (q and q not in _ROLES) or (
            q and tok.i != head.i and _ROLES[q] != _ROLES.get(head.lower_, "")
        ):
            quals.add(q)
    # "President ... of Ukraine", "the president of Ukraine", "Secretary of State"
    nxt = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
    if nxt is not None and nxt.lower_ == "of" and nxt.i + 1 < len(head.doc):
        obj = head.doc[nxt.i + 1]
        n = _nationality(obj, alias_at)
        if n:
            nat = nat or n
        elif obj.is_title and obj.is_alpha:
            q = _qualifier(obj)
            if q:
                quals.add(q)
    return _Role(_role_head(head) or head.lower_, frozenset(quals), nat)


def _title_prefix(doc: Any, start: int, alias_at: dict[int, _Hit]) -> list[Any]:
    """Title tokens right before a name: "Chinese foreign ministry spokesperson"."""
    out: list[Any] = []
    i = start - 1
    while i >= 0 and len(out) < 7:
        tok = doc[i]
        if tok.tag_ == "POS" and i - 1 >= 0 and i - 1 in alias_at:
            out.insert(0, tok)
            i -= 1
            continue
        if tok.lower_ == "of" and out and i >= 1 and _role_head(doc[i - 1]):
            out.insert(0, tok)
            i -= 1
            continue
        if tok.is_punct or tok.is_space or tok.pos_ in {"DET", "VERB", "AUX", "ADP", "PRON", "NUM"}:
            break
        if tok.pos_ not in {"NOUN", "PROPN", "ADJ"}:
            break
        out.insert(0, tok)
        i -= 1
    heads = [t for t in out if _role_head(t)]
    if not heads:
        return []
    last = heads[-1]
    # keep what leads up to the last role noun
    return [t for t in out if t.i <= last.i] + [t for t in out if t.i > last.i and t.is_title]


def _np_tokens(head: Any) -> list[Any]:
    """The role noun with its left modifiers (det, amod, compound, poss)."""
    return [t for t in head.subtree if t.i <= head.i]


def _role_mentions(
    doc: Any, person_hits: Sequence[_Hit], alias_at: dict[int, _Hit], covered: set[int]
) -> list[_Hit]:
    """Introductions of persons by role, then the role descriptions linked to them."""
    intros: list[tuple[int, _Role, Entity]] = []  # token index, role, person
    used: set[int] = set()  # role tokens that are part of an introduction by title
    appos_hits: list[_Hit] = []
    starts = sorted(person_hits, key=lambda h: h.start)
    for h in starts:
        prefix = _title_prefix(doc, h.start, alias_at)
        if prefix:
            heads = [t for t in prefix if _role_head(t)]
            head = heads[-1]
            role = _role_from_tokens(prefix, head, alias_at)
            # "President Volodymyr Zelensky of Ukraine"
            if role.nationality is None and h.end + 1 < len(doc) and doc[h.end].lower_ == "of":
                n = _nationality(doc[h.end + 1], alias_at)
                if n:
                    role = _Role(role.head, role.quals, n)
            intros.append((h.start, role, h.entity))
            used.update(t.i for t in prefix)
        name_head = doc[h.start : h.end].root
        # "The foreign minister, Andrii Sybiha," : the name is an apposition of the role
        if name_head.dep_ == "appos" and _role_head(name_head.head) and name_head.head.i < h.start:
            role_tok = name_head.head
            tokens = _np_tokens(role_tok)
            intros.append((h.start, _role_from_tokens(tokens, role_tok, alias_at), h.entity))
            used.add(role_tok.i)
            appos_hits.append(_Hit(tokens[0].i, role_tok.i + 1, h.entity, "role"))
        # "Andrii Sybiha, Ukraine's foreign minister,"
        for child in name_head.children:
            if child.dep_ == "appos" and _role_head(child) and child.i > h.end:
                tokens = _np_tokens(child)
                intros.append((h.start, _role_from_tokens(tokens, child, alias_at), h.entity))
                used.add(child.i)
                appos_hits.append(_Hit(tokens[0].i, child.i + 1, h.entity, "role"))
    if not intros:
        return []
    out: list[_Hit] = list(appos_hits)
    for tok in doc:
        if tok.i in used or tok.i in covered or tok.tag_ in {"NNS", "NNPS"}:
            continue
        head = _role_head(tok)
        if not head:
            continue
        # a title right before a name is an introduction, not a description
        nxt = tok.i + 1
        if nxt < len(doc) and doc[nxt].i in covered and doc[nxt].is_title:
            continue
        left = [c for c in tok.children if c.i < tok.i]
        dets = [c for c in left if c.dep_ == "det"]
        if any(d.lower_ not in {"the", "this", "that"} for d in dets):
            continue  # "a president", "every minister"
        if _of_something_else(tok, alias_at):
            continue  # "the president of the football club"
        tokens = _np_tokens(tok)
        role = _role_from_tokens(tokens, tok, alias_at)
        possessive = any(c.dep_ == "poss" for c in left)
        if not dets and not possessive and role.nationality is None:
            continue
        match = _match_role(role, tok.i, intros)
        if match is None:
            continue
        start = min(t.i for t in tokens)
        out.append(_Hit(start, tok.i + 1, match, "role"))
    return out


def _of_something_else(tok: Any, alias_at: dict[int, _Hit]) -> bool:
    """The role is "of" something that is not a country: another body's role."""
    doc = tok.doc
    if tok.i + 2 >= len(doc) or doc[tok.i + 1].lower_ != "of":
        return False
    obj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
    if obj is None:
        return False
    return _nationality(obj, alias_at) is None and not (obj.is_title and obj.i == tok.i + 2)


def _match_role(role: _Role, at: int, intros: Sequence[tuple[int, _Role, Entity]]) -> Entity | None:
    fits = [
        (i, e)
        for i, r, e in intros
        if r.head == role.head
        and role.quals <= r.quals
        and (role.nationality is None or r.nationality is None or role.nationality == r.nationality)
    ]
    if not fits and role.head == "leader" and role.nationality and not role.quals:
        # "the Ukrainian leader": the head of state or government of that country
        fits = [
            (i, e)
            for i, r, e in intros
            if r.nationality == role.nationality
            and (r.head in _LEADER_HEADS or (r.head == "minister" and "prime" in r.quals))
            and not r.quals - {"prime"}
        ]
    if not fits:
        return None
    people = {e.id for _, e in fits}
    if len(people) == 1:
        return fits[0][1]
    before = [(i, e) for i, e in fits if i < at]
    if not before:
        return None
    return max(before, key=lambda p: p[0])[1]
