"""Names of persons: a transliteration-tolerant key per name word, the stable
``person:`` id of a name, and the clustering of a story's name variants
("Volodymyr Zelenskyy", "Zelensky", "Mr Zelenskiy") into one person.
Used by :mod:`bot.analysis.entities`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from bot.analysis.aliases import fold, slug
from bot.models import Entity


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_HONORIFICS = _words(
    "mr mrs ms miss dr prof sir dame lord lady sen rep gov gen lt col maj capt sgt adm rev "
    "hon president vice prime minister secretary chancellor premier king queen prince "
    "princess pope sheikh emir ayatollah general commander chief senator governor mayor "
    "ambassador judge justice former late deputy acting foreign defence defense interior "
    "finance state spokesperson spokesman spokeswoman leader chairman chairwoman"
)

_NAME_PARTICLES = _words("von van der den de da di du del la le al el bin ben")

_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

_FAMILY_FIRST = _words(
    "xi li wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao "
    "zheng liang xie tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang du ye "
    "cheng wei lu ding ren qin kim park choi jung kang cho yoon jang nguyen tran pham hoang "
    "mao geng hua fu shi bai kong lai"
)


def name_key(word: str) -> str:
    """A transliteration-tolerant key of one name word: zelenskyy -> zelensky."""
    key = re.sub(r"[^a-z]", "", fold(word))
    if len(key) > 4:
        key = re.sub(r"(?:yy|iy|yi|ij|ii)$", "y", key)
        key = re.sub(r"off$", "ov", key)
    return key


def _name_words(name: str) -> list[str]:
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    out = []
    for w in words:
        f = fold(w)
        if not f or f in _NAME_SUFFIXES or (len(f) == 1 and w[:1].isupper()):
            continue  # initials ("V.") and suffixes do not name anyone
        out.append(w)
    while out and fold(out[0]) in _HONORIFICS and len(out) > 1:
        out.pop(0)
    return out


def _surname(words: Sequence[str]) -> list[str]:
    """The words of the surname: the last word with its particles (von der Leyen)."""
    if not words:
        return []
    i = len(words) - 1
    while i > 0 and fold(words[i - 1]) in _NAME_PARTICLES:
        i -= 1
    return list(words[i:])


def _family_first(words: Sequence[str]) -> bool:
    return 2 <= len(words) <= 3 and fold(words[0]) in _FAMILY_FIRST


def person_id(name: str) -> str:
    """The stable id of a person's name: ``person:zelensky`` for "Volodymyr
    Zelenskyy", ``person:lin-jian`` for "Lin Jian"."""
    words = _name_words(name)
    parts = words if _family_first(words) else _surname(words)
    key = "-".join(k for k in (name_key(w) for w in parts) if k)
    return f"person:{key or slug(name)}"


@dataclass(slots=True)
class _Person:
    key: str  # id without "person:"
    words: list[str]  # fullest name words
    short: set[str] = field(default_factory=set)  # keys a single word may link with
    first: str = ""
    display: str = ""


def _cluster_persons(doc: Any, spans: Sequence[tuple[int, int]]) -> dict[str, _Person]:
    """Group the person names of a story: full names first, then single words."""
    persons: dict[str, _Person] = {}
    names = [doc[s:e].text for s, e in spans]
    multi = [n for n in names if len(_name_words(n)) > 1]
    single = [n for n in names if len(_name_words(n)) == 1]
    for name in multi:
        words = _name_words(name)
        key = person_id(name).split(":", 1)[1]
        first = name_key(words[0])
        p = persons.get(key)
        if p is not None and p.first and first and not _compatible(p.first, first):
            key = f"{key}-{first}"  # another person with the same surname
            p = persons.get(key)
        if p is None:
            p = _Person(key, words, first=first)
            persons[key] = p
        if (len(words), len(" ".join(words))) > (len(p.words), len(" ".join(p.words))):
            p.words = words
        p.short.add(key)
        if _family_first(words):
            p.short.add(name_key(words[0]))
        else:
            p.short.add(name_key(words[-1]))
            p.short.add("-".join(name_key(w) for w in _surname(words)))
    for name in single:
        key = name_key(_name_words(name)[0])
        if not key:
            continue
        if any(key in p.short for p in persons.values()):
            continue
        near = next(
            (
                p
                for p in persons.values()
                if len(key) >= 5
                and any(
                    len(s) >= 5 and s[0] == key[0] and fuzz.ratio(s, key) >= 88 for s in p.short
                )
            ),
            None,
        )
        if near is not None:
            near.short.add(key)
            continue
        # a given name or a family name written first ("Mao" for "Mao Ning")
        firsts = [p for p in persons.values() if len(p.words) > 1 and name_key(p.words[0]) == key]
        if len(firsts) == 1:
            firsts[0].short.add(key)
            continue
        persons[key] = _Person(key, _name_words(name), short={key})
    for p in persons.values():
        p.display = " ".join(p.words)
    return persons


def _same_person(
    text: str, persons: dict[str, _Person], by_short: dict[str, _Person]
) -> _Person | None:
    """The story's person that a span with another label names (NER noise:
    "Zelenskyy" tagged ORG), when every word of it is a word of the name."""
    words = _name_words(text)
    if not words or len(words) > 4:
        return None
    found = _person_for(text, persons, by_short)
    if found is None:
        return None
    known = {name_key(w) for w in found.words} | found.short
    return found if all(name_key(w) in known for w in words) else None


def _compatible(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a) or fuzz.ratio(a, b) >= 80


def _person_for(
    text: str, persons: dict[str, _Person], by_short: dict[str, _Person]
) -> _Person | None:
    words = _name_words(text)
    if not words:
        return None
    key = person_id(text).split(":", 1)[1]
    if len(words) > 1:
        first = name_key(words[0])
        exact = persons.get(f"{key}-{first}")
        if exact is not None:
            return exact
        return persons.get(key) or by_short.get(key)
    return by_short.get(name_key(words[0])) or persons.get(key)


def _person_entity(p: _Person) -> Entity:
    return Entity(f"person:{p.key}", p.display, "PERSON")
