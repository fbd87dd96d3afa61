"""The gazetteer: known entities and the names they go by.

Countries come from ``countryinfo``: the common name, the alternative
spellings (ISO codes and non-Latin scripts left out), the demonym ("Chinese",
plural "Americans") and the capital used as a metonym ("Beijing"). When one
alias names two countries, the one with the larger population wins
("Congolese" is the DR Congo, "Dominican" the Dominican Republic). Capitals are taken only for
countries of at least a million people, and a few capitals that are also
common names of other places or people are left out (``_SKIP_CAPITALS``).

On top of that a small, documented override table (``_OVERRIDES``) adds the
metonyms news writes every day (Washington, the White House, the Kremlin,
Downing Street) and the international institutions that are often speakers
(NATO, the EU, the UN, the WHO). An override always beats countryinfo.
Capitals and seats of government have the alias kind "capital": inside an
organisation's name they name the place ("Washington Post"), not the country.

Entity ids are stable and readable: ``gpe:<slug of the common name>``
(``gpe:china``, ``gpe:united-states``), ``org:<acronym or slug>`` (``org:nato``).
Persons are not in the gazetteer by default; :func:`person_id` in
:mod:`bot.analysis.person_names` makes their ids, and :meth:`Gazetteer.add` lets a
caller register any further entity.

Lookups fold the surface: case, diacritics, a trailing possessive ("China's"),
punctuation ("U.S." = "US") and a leading "the" do not matter.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.models import Entity

__all__ = ["Alias", "Gazetteer", "default_gazetteer", "fold", "slug"]

_POSSESSIVE = re.compile(r"(?:'s|'|’s|’)$")
_NON_WORD = re.compile(r"[^\w\s]+|_")
_SPACES = re.compile(r"\s+")
_LATIN = re.compile(r"^[a-z0-9][a-z0-9 ]*$")


def fold(surface: str) -> str:
    """The lookup key of a surface form: no case, diacritics, possessive,
    punctuation or leading article; words separated by single spaces."""
    text = unicodedata.normalize("NFKD", surface)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().strip().replace("’", "'")
    text = _POSSESSIVE.sub("", text)
    # dots inside acronyms join their letters: U.S. -> us, D.C. -> dc
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text).replace(".", " ")
    text = _NON_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def slug(name: str) -> str:
    """``United States`` -> ``united-states``."""
    return fold(name).replace(" ", "-")


@dataclass(frozen=True, slots=True)
class Alias:
    """One name of an entity.

    ``strict_case``: in running text the surface must be written in capitals
    (``US`` is the country, ``us`` is not; ``WHO`` vs ``who``).
    ``kind``: name | alt | demonym | capital | override.
    """

    entity: Entity
    surface: str
    kind: str
    strict_case: bool = False
    rank: float = 0.0  # higher wins a collision (population, overrides on top)


# Institutions and metonyms: (id, display name, type, aliases). An alias written
# in capitals of at most four letters is matched case-sensitively in text.
_OVERRIDES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "gpe:united-states",
        "United States",
        "GPE",
        (
            "United States",
            "United States of America",
            "U.S.",
            "US",
            "USA",
            "U.S.A.",
            "America",
            "American",
            "Americans",
            "Washington",
            "White House",
            "Pentagon",
            "State Department",
            "US government",
        ),
    ),
    ("gpe:russia", "Russia", "GPE", ("Kremlin", "Moscow", "Russian Federation")),
    ("gpe:ukraine", "Ukraine", "GPE", ("Kyiv", "Kiev", "Ukrainians")),
    ("gpe:china", "China", "GPE", ("PRC", "Beijing", "People's Republic of China", "Zhongnanhai")),
    (
        "gpe:united-kingdom",
        "United Kingdom",
        "GPE",
        (
            "UK",
            "U.K.",
            "Britain",
            "Great Britain",
            "British",
            "Briton",
            "Britons",
            "Downing Street",
        ),
    ),
    ("gpe:france", "France", "GPE", ("Elysee", "Élysée Palace", "Paris")),
    ("gpe:germany", "Germany", "GPE", ("Berlin",)),
    ("gpe:israel", "Israel", "GPE", ("Israelis",)),
    ("gpe:north-korea", "North Korea", "GPE", ("DPRK", "Pyongyang", "North Koreans")),
    ("gpe:south-korea", "South Korea", "GPE", ("ROK", "Seoul", "South Koreans")),
    ("gpe:taiwan", "Taiwan", "GPE", ("Taipei", "Taiwanese")),
    ("gpe:iran", "Iran", "GPE", ("Tehran", "Iranians")),
    ("gpe:united-arab-emirates", "United Arab Emirates", "GPE", ("UAE", "Emirati")),
    ("gpe:saudi-arabia", "Saudi Arabia", "GPE", ("Riyadh", "Saudi", "Saudis")),
    ("gpe:vatican-city-state", "Vatican City", "GPE", ("Vatican", "Holy See")),
    ("gpe:myanmar", "Myanmar", "GPE", ("Burma", "Burmese")),
    ("gpe:republic-of-macedonia", "North Macedonia", "GPE", ("Macedonia",)),
    ("org:eu", "European Union", "ORG", ("EU", "E.U.", "European Union")),
    ("org:european-commission", "European Commission", "ORG", ("European Commission",)),
    ("org:nato", "NATO", "ORG", ("NATO", "Nato", "North Atlantic Treaty Organization")),
    ("org:un", "United Nations", "ORG", ("UN", "U.N.", "United Nations")),
    (
        "org:un-security-council",
        "UN Security Council",
        "ORG",
        ("UN Security Council", "Security Council"),
    ),
    ("org:who", "World Health Organization", "ORG", ("WHO", "World Health Organization")),
    ("org:imf", "International Monetary Fund", "ORG", ("IMF", "International Monetary Fund")),
    ("org:world-bank", "World Bank", "ORG", ("World Bank",)),
    ("org:wto", "World Trade Organization", "ORG", ("WTO", "World Trade Organization")),
    (
        "org:iaea",
        "International Atomic Energy Agency",
        "ORG",
        ("IAEA", "International Atomic Energy Agency"),
    ),
    ("org:icc", "International Criminal Court", "ORG", ("ICC", "International Criminal Court")),
    ("org:opec", "OPEC", "ORG", ("OPEC", "Opec")),
    ("org:g7", "G7", "ORG", ("G7", "Group of Seven")),
    ("org:g20", "G20", "ORG", ("G20", "Group of 20")),
    ("org:asean", "ASEAN", "ORG", ("ASEAN", "Asean")),
    ("org:african-union", "African Union", "ORG", ("African Union",)),
    (
        "org:red-cross",
        "Red Cross",
        "ORG",
        ("Red Cross", "ICRC", "International Committee of the Red Cross"),
    ),
)

# Capitals that are also common names of other places or of people.
_SKIP_CAPITALS = frozenset(
    {"kingston", "victoria", "hamilton", "stanley", "san jose", "san juan", "georgetown", "male"}
)
# countryinfo lists these a second time under another name
_DUPLICATES = frozenset(
    {"burma", "holy see (vatican city state)", "palestine, state of", "serbia and montenegro"}
)
_MIN_CAPITAL_POPULATION = 1_000_000
_OVERRIDE_RANK = 1e12
# Override aliases that are places standing for a government (kind "capital"):
# inside an organisation's name they name the place, not the country.
_METONYMS = frozenset(
    {
        "washington",
        "white house",
        "pentagon",
        "state department",
        "kremlin",
        "moscow",
        "kyiv",
        "kiev",
        "beijing",
        "zhongnanhai",
        "downing street",
        "elysee",
        "elysee palace",
        "paris",
        "berlin",
        "pyongyang",
        "seoul",
        "taipei",
        "tehran",
        "riyadh",
    }
)


def is_metonym(surface: str) -> bool:
    """A place or building that news copy uses for a government ("the White
    House", "the Kremlin", "Beijing")."""
    return fold(surface).removeprefix("the ") in _METONYMS


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("ese", "sh", "ch", "ss", "s", "x", "i")):
        return None
    return demonym + "s"


def _latin(surface: str) -> bool:
    return bool(_LATIN.match(fold(surface)))


class Gazetteer:
    """Known entities by folded alias."""

    def __init__(self, aliases: Iterable[Alias] = ()) -> None:
        self._by_key: dict[str, Alias] = {}
        self._entities: dict[str, Entity] = {}
        self._lock = threading.Lock()
        self._automaton: Any = None
        self._words: dict[str, str] | None = None
        self._shared = False  # the tables are shared with a copy: copy them before a change
        for alias in aliases:
            self._put(alias)

    def copy(self) -> Gazetteer:
        """An independent gazetteer with the same names. Cheap: the two share
        their tables until either adds a name."""
        twin = Gazetteer()
        with self._lock:
            twin._by_key, twin._entities = self._by_key, self._entities
            twin._automaton, twin._words = self._automaton, self._words
            self._shared = twin._shared = True
        return twin

    def _put(self, alias: Alias) -> None:
        key = fold(alias.surface)
        if not key:
            return
        # one Entity value per id: the first registered (overrides) names it
        entity = self._entities.setdefault(alias.entity.id, alias.entity)
        if entity is not alias.entity:
            alias = Alias(entity, alias.surface, alias.kind, alias.strict_case, alias.rank)
        old = self._by_key.get(key)
        if old is None or alias.rank > old.rank:
            self._by_key[key] = alias

    def add(self, entity: Entity, *surfaces: str, rank: float = _OVERRIDE_RANK) -> None:
        """Register ``entity`` under its name and ``surfaces`` (overrides by default)."""
        with self._lock:
            if self._shared:
                self._by_key, self._entities = dict(self._by_key), dict(self._entities)
                self._shared = False
            self._automaton = None
            self._words = None
            for surface in (entity.name, *surfaces):
                self._put(Alias(entity, surface, "override", _is_strict(surface), rank))

    def word_ids(self) -> dict[str, str]:
        """One-word names (lower case) → entity id ("china", "chinese", "kremlin")."""
        words = self._words
        if words is None:
            words = {}
            for name, entity in self.all_names():
                if " " not in name.strip():
                    words[name.strip().lower()] = entity.id
            self._words = words
        return words

    def lookup(self, surface: str) -> Entity | None:
        alias = self._by_key.get(fold(surface))
        return alias.entity if alias else None

    def alias(self, key: str) -> Alias | None:
        """The alias stored under an already folded key."""
        return self._by_key.get(key)

    def entity(self, entity_id: str) -> Entity | None:
        return self._entities.get(entity_id)

    def all_names(self) -> list[tuple[str, Entity]]:
        """Every alias with its entity, for "did you mean" suggestions."""
        return sorted(((a.surface, a.entity) for a in self._by_key.values()), key=lambda p: p[0])

    def aliases(self) -> list[tuple[str, Alias]]:
        return list(self._by_key.items())

    def automaton(self) -> Any:
        """An Aho-Corasick automaton of every folded alias, as `` key ``
        (spaces around), for matching on token boundaries."""
        with self._lock:
            if self._automaton is None:
                import ahocorasick

                auto = ahocorasick.Automaton()
                for key in self._by_key:
                    auto.add_word(f" {key} ", key)
                auto.make_automaton()
                self._automaton = auto
            return self._automaton

    def __len__(self) -> int:
        return len(self._by_key)


def _is_strict(surface: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", surface)
    return 0 < len(letters) <= 4 and letters.isupper()


def _country_aliases() -> list[Alias]:
    from countryinfo import CountryInfo

    out: list[Alias] = []
    seen_names: dict[str, float] = {}
    for key, raw in CountryInfo.all().items():
        if key in _DUPLICATES:
            continue
        data: dict[str, Any] = dict(raw)
        name = str(data.get("name") or "").strip()
        if not name or not _latin(name):
            continue
        population = float(data.get("population") or 0)
        if seen_names.get(name, -1.0) >= population:
            continue  # the data lists a few countries twice
        seen_names[name] = population
        entity = Entity(f"gpe:{slug(name)}", name, "GPE")
        out.append(Alias(entity, name, "name", False, population + 1))
        codes = {str(c) for c in (data.get("ISO") or {}).values()}
        for alt in data.get("altSpellings") or ():
            alt = str(alt)
            if alt in codes or len(fold(alt)) <= 4 or not _latin(alt):
                continue
            out.append(Alias(entity, alt, "alt", False, population))
        demonym = str(data.get("demonym") or "").strip()
        if demonym and _latin(demonym):
            out.append(Alias(entity, demonym, "demonym", False, population))
            plural = _plural(demonym)
            if plural:
                out.append(Alias(entity, plural, "demonym", False, population))
        capital = str(data.get("capital") or "").strip()
        if (
            capital
            and _latin(capital)
            and population >= _MIN_CAPITAL_POPULATION
            and fold(capital) not in _SKIP_CAPITALS
        ):
            out.append(Alias(entity, capital, "capital", False, population))
    return out


def _override_aliases() -> list[Alias]:
    out = []
    for entity_id, name, type_, surfaces in _OVERRIDES:
        entity = Entity(entity_id, name, type_)
        for surface in (name, *surfaces):
            kind = "capital" if fold(surface) in _METONYMS else "override"
            out.append(Alias(entity, surface, kind, _is_strict(surface), _OVERRIDE_RANK))
    return out


@lru_cache(maxsize=1)
def _builtin() -> Gazetteer:
    """The built-in names, read from the tables once. Never handed out and never
    changed: callers get copies (:func:`default_gazetteer`)."""
    builtin = Gazetteer([*_override_aliases(), *_country_aliases()])
    builtin.automaton()  # built once, shared by the copies until one adds a name
    return builtin


def default_gazetteer() -> Gazetteer:
    """A new gazetteer of the built-in entities (countries, metonyms). Each call
    makes its own (a cheap copy), which its owner passes on: the analyser's is
    the one the pipeline's novelty step and the handlers use. Names added to
    one are in no other."""
    return _builtin().copy()
