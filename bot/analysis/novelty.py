"""Is a claim new? Compare it with the canonical claims already known for its event.

The proposition of a claim is its content words (stemmed, with a small table
of news synonyms: "troops" = "soldiers", "captured" = "taken prisoner") plus
the entities it is about; names and demonyms that the gazetteer knows count as
their entity ("Chinese" = "Beijing" = ``gpe:china``). Figures are left out of
the comparison: two claims that differ only in a figure are the same
proposition.

Similarity = the larger of a weighted term overlap and a fuzzy token-set
ratio (rapidfuzz) of the figure-free texts. Then, in order:

* a denial (stance deny) of a proposition by another side → ``contradiction``
  (``matches`` = the claim it denies); a denial that names no content ("the
  claims are unfounded") denies the latest claim of another side about the
  denier;
* the same proposition from the same speaker or side, same figures →
  ``repeat``; with other figures → ``update``;
* else ``new``.

The side of a speaker is its entity id, and for places and organisations of a
country the country ("the Chinese government", "Beijing", "China" are one
side).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.analysis.numbers import extract_numbers, new_figures, same_figure
from bot.analysis.wording import (
    _NUMBER_WORDS,
    _STOP,
    _W_BACKGROUND,
    _WORD,
    _names,
    _stem,
    _terms,
    similarity,
)
from bot.models import CanonicalClaim, Claim, Novelty, NoveltyDecision, Stance

if TYPE_CHECKING:
    from bot.analysis.aliases import Gazetteer

__all__ = ["DEFAULT_THRESHOLD", "classify", "side"]

DEFAULT_THRESHOLD = 0.5
_CROSS = 0.7  # the same proposition in close wording from a speaker of no known side
_NEAR = 0.8  # a side restating itself in other words: this share of the threshold …
_MIN_TELLING = 2  # … with this many rare content words in common
_RARE = 0.7  # the rarity (see _rarity) of a word few claims of the event use
_SAME_SIDE = 1.0  # a side restating itself: this share of the threshold is enough


def side(
    speaker_id: str | None,
    speaker: str = "",
    speaker_side: str | None = None,
    known_sides: dict[str, str] | None = None,
    gazetteer: Gazetteer | None = None,
) -> frozenset[str]:
    """The keys of the side a speaker speaks for: its entity id, the side
    extraction read for it (``speaker_side``: "a spokesperson for China's
    foreign ministry, Lin Jian" → ``gpe:china``) or, failing that, the side an
    earlier claim of the event gave the same person (``known_sides``), the
    countries its name mentions ("Russia's defence ministry", "Chinese
    officials" → ``gpe:…``) and its name."""
    keys = set(_own_side(speaker_id, speaker, speaker_side, gazetteer))
    if not speaker_side and speaker_id and known_sides and speaker_id in known_sides:
        keys.add(known_sides[speaker_id])
    surname = _surname_key(speaker)
    if known_sides and surname in known_sides and _speaks_for_itself(speaker_side, speaker):
        # "Danilov" after "Oleksii Danilov, Secretary of Ukraine's …": the side
        # the person's title gave in an earlier claim
        keys.add(known_sides[surname])
    return frozenset(keys)


@lru_cache(maxsize=8192)
def _own_side(
    speaker_id: str | None, speaker: str, speaker_side: str | None, gazetteer: Gazetteer | None
) -> frozenset[str]:
    """The side keys a speaker has by itself (see :func:`side`)."""
    keys = {speaker_id} if speaker_id else set()
    if speaker_side:
        keys.add(speaker_side)
    names = _names(gazetteer)
    for raw in _WORD.findall(speaker):
        low = raw.lower().replace("’", "'").removesuffix("'s")
        if raw[:1].isupper() and names.get(low, "").startswith("gpe:"):
            keys.add(names[low])
    if speaker_id is None or not speaker_id.startswith("gpe:"):
        # a speaker with no capitalised word ("seismologists", "local
        # officials") is its words, never the empty name every such speaker shares
        words = _name_words(speaker) or {
            w.lower() for w in _WORD.findall(speaker) if w.lower() not in _GENERIC_NAME
        }
        keys.add("name:" + " ".join(sorted(words)))
    return frozenset(keys)


_GENERIC_NAME = frozenset({"the", "a", "an", "mr", "mrs", "ms", "dr", "of", "for", "and"})


@lru_cache(maxsize=8192)
def _name_words(name: str) -> frozenset[str]:
    """The capitalised words of a speaker's name ("The Glasshouse group" → glasshouse)."""
    return frozenset(
        w.lower().replace("’", "'").removesuffix("'s")
        for w in _WORD.findall(name)
        if w[:1].isupper() and w.lower() not in _GENERIC_NAME
    )


def _known_sides(earlier: Sequence[CanonicalClaim]) -> dict[str, str]:
    """Whom each speaker of the event's earlier claims was seen to speak for, by
    entity id and by the person's surname (:func:`_surname_key`)."""
    out = {k.speaker_id: k.speaker_side for k in earlier if k.speaker_id and k.speaker_side}
    for k in earlier:
        key = _surname_key(k.speaker)
        if key and k.speaker_side and not _speaks_for_itself(k.speaker_side, k.speaker):
            out.setdefault(key, k.speaker_side)
    return out


@lru_cache(maxsize=8192)
def _surname_key(speaker: str) -> str:
    """ "surname:danilov" for "Oleksii Danilov, Secretary of …" and for
    "Danilov": the last word of a name of one to three capitalised words before
    any comma; "" for anything else ("Russia's defence ministry")."""
    head = speaker.split(",", 1)[0].strip()
    words = _WORD.findall(head)
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return ""
    last = words[-1].lower()
    return "" if last in _GENERIC_NAME or "'" in last or "’" in last else "surname:" + last


def _speaks_for_itself(speaker_side: str | None, speaker: str) -> bool:
    """No side, or the speaker's own name as its side (a person the NER took for
    an organisation, "org:danilov")."""
    if not speaker_side:
        return True
    key = _surname_key(speaker)
    return bool(key) and speaker_side.split(":", 1)[-1].endswith(key.split(":", 1)[1])


def _same_side(
    claim: Claim,
    known: CanonicalClaim,
    known_sides: dict[str, str] | None = None,
    gazetteer: Gazetteer | None = None,
) -> bool:
    a = side(claim.speaker_id, claim.speaker, claim.speaker_side, known_sides, gazetteer)
    b = side(known.speaker_id, known.speaker, known.speaker_side, known_sides, gazetteer)
    if a & b or any(_same_body(x, y) for x in a for y in b):
        return True
    # one name inside the other: "Nimbra" / "Nimbra Cloud", "Adeyemi" / "Bola Adeyemi"
    wa, wb = _name_words(claim.speaker), _name_words(known.speaker)
    if wa and wb and (wa <= wb or wb <= wa):
        return True
    # an acronym and its name: "FAA" / "the Federal Aviation Administration"
    if _acronym_of(claim.speaker, known.speaker) or _acronym_of(known.speaker, claim.speaker):
        return True
    # unlinked spellings of one name: "Zelenskyy" / "Volodymyr Zelensky"
    return bool(
        (claim.speaker_id is None or known.speaker_id is None)
        and fuzz.ratio(_name_key(claim.speaker), _name_key(known.speaker)) >= 85
    )


# where one sentence of a quotation ends and the next begins ("… harm OpenAI. I
# love …"; quotations joined by extraction: "… at the state level, This is …")
_SENTENCE_END = re.compile(
    r"(?<=[.!?;])\s+(?=[\"“‘']?[A-Z])|,\s+(?=(?:I|We|They|It|This|That|There|Our|He|She)\b)"
)
_MIN_SENTENCE_WORDS = 5


def _sentences(text: str, words: int) -> tuple[str, ...]:
    """The sentences of a claim of several (a long quotation) that a later
    claim of ``words`` words could restate: each of at least
    ``_MIN_SENTENCE_WORDS`` words and not much shorter than the later claim (a
    claim that only contains a short sentence of the quotation says more than
    it). Empty for a claim of one sentence."""
    return tuple(p for p in _split_sentences(text) if 2 * len(p.split()) >= words)


@lru_cache(maxsize=4096)
def _split_sentences(text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    parts = [p for p in parts if len(p.split()) >= _MIN_SENTENCE_WORDS]
    return tuple(parts) if len(parts) >= 2 else ()


def _fresh_sentences(
    claim: Claim,
    ours: Sequence[CanonicalClaim],
    background: frozenset[str],
    rarity: Mapping[str, float],
    threshold: float,
    gazetteer: Gazetteer | None,
) -> list[str]:
    """The sentences of a claim of several that the side had not said in the
    event, when they are more than half of them ("I regret my part in the
    board's actions. I never meant to harm the company. I will do all I can to
    bring it back together" after "he regretted his part"); else none: one
    proposition of several told again does not make the claim a repeat."""
    parts = _split_sentences(claim.text)
    if not parts:
        return []
    fresh = [
        p
        for p in parts
        if max(
            similarity(p, (), piece, k.entities, background, rarity, gazetteer)
            for k in ours
            for piece in (k.text, *_split_sentences(k.text))
        )
        < threshold * _NEAR
    ]
    return fresh if 2 * len(fresh) > len(parts) else []


_RECIPROCAL = re.compile(r"\b(?:each other|one another)(?:'s)?\b", re.IGNORECASE)


def _two_known_sides(claim: Claim, known: CanonicalClaim) -> bool:
    """Both speakers speak for a side extraction read, and not the same one
    (a reciprocal content, "blamed each other for …", is one statement about
    both sides, whichever side it is given to)."""
    return bool(
        not _RECIPROCAL.search(claim.text)
        and claim.speaker_side
        and known.speaker_side
        and claim.speaker_side != known.speaker_side
        and not _same_body(claim.speaker_side, known.speaker_side)
    )


def _same_body(a: str, b: str) -> bool:
    """One entity id extends the other by words at its end: "org:nord-stream"
    / "org:nord-stream-ag" (a company with and without its legal form)."""
    if ":" not in a or ":" not in b or a.startswith("name:") or b.startswith("name:"):
        return False
    short, long = sorted((a, b), key=len)
    return len(short) > 6 and long.startswith(short + "-") and short[:4] == long[:4]


_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


@lru_cache(maxsize=8192)
def _acronym_of(short: str, long: str) -> bool:
    """``short`` holds an acronym made of the initials of ``long``'s
    capitalised words ("NTSB" / "National Transportation Safety Board")."""
    initials = "".join(
        w[0] for w in _WORD.findall(long) if w[:1].isupper() and w.lower() not in _GENERIC_NAME
    )
    if len(initials) < 2:
        return False
    return any(m.group(0) == initials for m in _ACRONYM.finditer(short))


@lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    words = [w for w in _WORD.findall(name.lower()) if w not in ("the", "a", "an")]
    return words[-1] if words else name.lower()


_GENERIC_DENIAL = re.compile(
    r"^\W*(?:(?:the|these|those|such|similar|this|that|all|any)\s+)*"
    r"(?:claims?|allegations?|accusations?|reports?|charges?|suggestions?|assertions?|it|this)\b",
    re.IGNORECASE,
)


# a denial whose content only points at what is denied ("those allegations",
# "the report", "it"): nothing of its own to say
_ONLY_REFERENCE = re.compile(
    r"^\W*(?:(?:denied|denies|dismissed|dismisses|rejected|rejects|refuted)\s+)?"
    r"(?:(?:the|these|those|such|similar|this|that|all|any|earlier|previous|latest|"
    r"recent|western|media)\s+)*"
    r"(?:claims?|allegations?|accusations?|reports?|charges?|suggestions?|assertions?|it|this|"
    r"that|them)\W*$",
    re.IGNORECASE,
)


_FIGURE_AT = re.compile(
    r"\b(?:\d[\d,.]*%?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|"
    r"dozen)\b)",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _figure_context(text: str) -> frozenset[str]:
    """Content stems in the six words after each figure and the four before:
    what is counted and what happened to it ("40 people were treated in
    hospital" → people, treat, hospital; "the death toll stands at seven" →
    kill, stand)."""
    out: set[str] = set()
    for m in _FIGURE_AT.finditer(text):
        after = _WORD.findall(text[m.end() : m.end() + 80])[:6]
        words = _WORD.findall(text[max(0, m.start() - 60) : m.start()])[-4:] + after
        for w in words:
            low = w.lower()
            if low in _STOP or _NUMBER_WORDS.fullmatch(low):
                continue
            out.add(_stem(low))
    return frozenset(out)


# what a figure counts, by kind: two figures of different kinds are two claims
# ("310 cases" and "11 deaths"), never an update of one another
_THING_WORDS = {
    "killed": "dead death deaths died die dies killed kill kills killing fatalities fatality "
    "toll lives bodies perished",
    "injured": "injured wounded hurt injuries injury",
    "infected": "cases case infected infections infection sick ill",
    "hospital": "hospital hospitals hospitalised hospitalized treated treatment",
    "missing": "missing unaccounted",
    "displaced": "evacuated evacuation evacuate displaced homeless fled refugees shelters",
    "detained": "arrested detained arrests detentions",
    "aircraft": "aircraft planes jets airplanes airliners",
    "flights": "flights",
    "devices": "devices computers machines phones",
    "companies": "companies firms businesses organisations organizations",
    "people": "employees staff workers",
    "money": "dollars euros pounds yuan rubles roubles",
}
_THING = {w: kind for kind, words in _THING_WORDS.items() for w in words.split()}


@lru_cache(maxsize=4096)
def _counted(text: str) -> frozenset[str]:
    """The kinds of thing the figures of ``text`` count (the words just after
    each figure and the three before: "the death toll rose to 40" → killed)."""
    out: set[str] = set()
    for m in _FIGURE_AT.finditer(text):
        after = _WORD.findall(text[m.end() : m.end() + 60])[:4]
        before = _WORD.findall(text[max(0, m.start() - 40) : m.start()])[-3:]
        out.update(_THING[w.lower()] for w in before + after if w.lower() in _THING)
    if re.search(r"[$€£¥]\s?\d", text):
        out.add("money")
    return frozenset(out)


@lru_cache(maxsize=4096)
def _kinds_near(text: str) -> frozenset[str]:
    """The kinds of thing (:data:`_THING`) among the words around each figure,
    in the window of :func:`_figure_context` ("the death toll now stands at
    seven" → killed)."""
    out: set[str] = set()
    for m in _FIGURE_AT.finditer(text):
        after = _WORD.findall(text[m.end() : m.end() + 80])[:6]
        words = _WORD.findall(text[max(0, m.start() - 60) : m.start()])[-4:] + after
        out.update(_THING[w.lower()] for w in words if w.lower() in _THING)
    return frozenset(out)


def _other_things(a: str, b: str) -> bool:
    """Figures of different kinds of thing: both texts say what they count
    and no kind is shared."""
    ka, kb = _counted(a), _counted(b)
    return bool(ka and kb and not ka & kb)


def _background(
    earlier: Sequence[CanonicalClaim], gazetteer: Gazetteer | None = None
) -> frozenset[str]:
    """Entities named by at least a third of the event's claims (five or more)."""
    if len(earlier) < 5:
        return frozenset()
    counts: dict[str, int] = {}
    for k in earlier:
        for e in set(_terms(k.text, k.entities, gazetteer)):
            if ":" in e:
                counts[e] = counts.get(e, 0) + 1
    return frozenset(e for e, c in counts.items() if c * 3 >= len(earlier))


def _rarity(
    earlier: Sequence[CanonicalClaim], gazetteer: Gazetteer | None = None
) -> dict[str, float]:
    """The weight of each content word of an event by how many of its claims
    use it (an inverse document frequency scaled to 1 for a word of one
    claim): what every claim of the event says cannot tell two claims apart.
    Empty for an event of fewer than five claims."""
    n = len(earlier)
    if n < 5:
        return {}
    counts: dict[str, int] = {}
    for k in earlier:
        for t in _terms(k.text, (), gazetteer):
            if ":" not in t:
                counts[t] = counts.get(t, 0) + 1
    top = math.log(n + 1)
    return {t: max(_W_BACKGROUND, math.log((n + 1) / c) / top) for t, c in counts.items() if c > 1}


def _shares_figure(figs: set[float], other: Sequence[float]) -> bool:
    return any(same_figure(x, y) for x in figs for y in other)


def _figures(claim_numbers: Sequence[float], text: str) -> set[float]:
    return set(claim_numbers) or set(extract_numbers(text))


_NEGATION = frozenset({"not", "no", "never"})


def _negated(terms: Mapping[str, object]) -> bool:
    return not _NEGATION.isdisjoint(terms.keys())


def _telling_words(
    claim: Claim,
    known: CanonicalClaim,
    rarity: Mapping[str, float],
    gazetteer: Gazetteer | None = None,
) -> list[str]:
    """Content words two claims share that few claims of the event use
    ("documents", "bank cards", "in possession" / "possess passports,
    documents and credit cards"): a paraphrase keeps the rare words."""
    if (claim.stance is Stance.DENY) is not (known.stance is Stance.DENY):
        return []
    mine, theirs = _terms(claim.text, (), gazetteer), _terms(known.text, (), gazetteer)
    if _negated(mine) is not _negated(theirs):
        return []  # "will not work with the board" / "will work with the board"
    return sorted(
        t
        for t in mine.keys() & theirs.keys()
        if ":" not in t and len(t) > 3 and rarity.get(t, 1.0) >= _RARE
    )


_MIN_WITHIN = 2  # content words a claim needs before "all of them said before" tells
# verbs of going on: "will continue cooperating" says the side cooperates
_GOING_ON = frozenset({_stem("continue"), _stem("keep")})


def _said_within(claim: Claim, known: CanonicalClaim, gazetteer: Gazetteer | None = None) -> bool:
    """Every content word of the claim is in the earlier claim ("will continue
    cooperating with the investigation" after "we will cooperate fully with the
    board and the regulator on their investigations"): the side says a part of
    what it said, in fewer words ("continue", "keep" are no word of its own
    here). A denial and an assertion never are."""
    if (claim.stance is Stance.DENY) is not (known.stance is Stance.DENY):
        return False
    theirs = _terms(known.text, (), gazetteer)
    mine = {t for t in _terms(claim.text, (), gazetteer) if ":" not in t} - _GOING_ON
    if _negated(dict.fromkeys(mine)) is not _negated(theirs):
        return False  # "will cooperate" is not a part of "will not cooperate"
    return len(mine) >= _MIN_WITHIN and mine <= theirs.keys()


def classify(
    claim: Claim,
    earlier: Sequence[CanonicalClaim],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    same_story: Collection[str] = (),
    gazetteer: Gazetteer | None = None,
    wordings: Sequence[CanonicalClaim] = (),
) -> NoveltyDecision:
    """Decide whether ``claim`` is new, a repeat, an update or a contradiction
    of the canonical claims ``earlier`` (same event). ``same_story`` names the
    claims of ``earlier`` that come from the claim's own story: a figure that
    only they gave (the headline's "toll passes 120") is still new to the
    event when the lead states it again with its speaker. ``wordings`` are
    the other ways the event's claims were told (the repeats, each with the
    id of the claim it repeats and its own speaker and text): a claim is
    compared with them too, so that a third outlet's wording can repeat a
    second's ("loose hardware … during preliminary inspections") even when
    the first said it otherwise."""
    if not earlier:
        return NoveltyDecision(Novelty.NEW, None, 0.0, "first claim of the event")
    background = _background(earlier, gazetteer)
    rarity = _rarity(earlier, gazetteer)
    known = {k.id for k in earlier}
    told = [*earlier, *(w for w in wordings if w.id in known)]
    sides = _known_sides(earlier)
    ours = {k.id for k in told if _same_side(claim, k, sides, gazetteer)}
    words = len(claim.text.split())
    # a sentence of a long quotation counts for the side that said it (rule 1)
    scored = [
        (
            max(
                similarity(
                    claim.text, claim.entities, piece, k.entities, background, rarity, gazetteer
                )
                for piece in (k.text, *(_sentences(k.text, words) if k.id in ours else ()))
            ),
            n,
            k,
        )
        for n, k in enumerate(told)
    ]
    same = [(s, n, k) for s, n, k in scored if k.id in ours]
    other = [(s, n, k) for s, n, k in scored if k.id not in ours]

    # 1. the same proposition from the same side
    own = threshold * _SAME_SIDE
    if same:
        s, _, best = max(same, key=lambda x: (x[0], x[1]))
        near = s >= threshold * _NEAR
        telling = _telling_words(claim, best, rarity, gazetteer) if near else []
        within = near and s < own and _said_within(claim, best, gazetteer)
        if s >= own or len(telling) >= _MIN_TELLING or within:
            if s < own:
                own = threshold * _NEAR  # the why says what carried it
                rule = (
                    f" and {len(telling)} telling words shared ({', '.join(telling[:4])})"
                    if len(telling) >= _MIN_TELLING
                    else " and every word of it in the earlier claim"
                )
            else:
                rule = ""
            mine, theirs = _figures(claim.numbers, claim.text), set(best.numbers)
            seen = {x for k in earlier if k.id not in same_story for x in k.numbers}
            if best.id in same_story:
                seen |= set(best.numbers)  # the story says it twice: once is news
            if new_figures(mine, seen):
                return NoveltyDecision(
                    Novelty.UPDATE,
                    best.id,
                    s,
                    f"similarity {s:.2f} ≥ {own:.2f}{rule} with {best.id} by the same side "
                    f"({best.speaker}); figures {sorted(new_figures(mine, seen))} new to the event "
                    f"(it had {sorted(theirs)}) → update",
                )
            fresh = _fresh_sentences(
                claim, [k for _, _, k in same], background, rarity, threshold, gazetteer
            )
            if fresh:
                return NoveltyDecision(
                    Novelty.NEW,
                    None,
                    s,
                    f"similarity {s:.2f} ≥ {own:.2f}{rule} with {best.id} by the same side "
                    f"({best.speaker}), but most of its sentences are new to the side "
                    f"('{fresh[0][:40]}') → new",
                )
            return NoveltyDecision(
                Novelty.REPEAT,
                best.id,
                s,
                f"similarity {s:.2f} ≥ {own:.2f}{rule} with {best.id} by the same side "
                f"({best.speaker}), no new figure → repeat",
            )

    # 1b. "X and Y blamed each other": a side's second reciprocal accusation in
    # the event tells no more than its first
    if _RECIPROCAL.search(claim.text):
        mutual = [
            (s, n, k) for s, n, k in same if k.stance is claim.stance and _RECIPROCAL.search(k.text)
        ]
        if mutual:
            s, _, best = max(mutual, key=lambda x: (x[0], x[1]))
            mine, seen_figs = set(claim.numbers), {x for k in earlier for x in k.numbers}
            if not new_figures(mine, seen_figs):
                return NoveltyDecision(
                    Novelty.REPEAT,
                    best.id,
                    s,
                    f"reciprocal again ('each other'): {best.id} by the same side "
                    f"({best.speaker}) said so already → repeat",
                )

    # 2. a denial of another side's proposition; the same side denying
    # again, in other words, repeats itself
    if claim.stance is Stance.DENY:
        denied = [(s, n, k) for s, n, k in same if k.stance is Stance.DENY]
        if denied:
            s, _, best = max(denied, key=lambda x: (x[0], x[1]))
            if s >= threshold * 0.6:
                return NoveltyDecision(
                    Novelty.REPEAT,
                    best.id,
                    s,
                    f"{claim.speaker} already denied this in {best.id}: similarity {s:.2f} ≥ "
                    f"{threshold * 0.6:.2f} → repeat",
                )
            if _ONLY_REFERENCE.match(claim.text):
                # "denied those allegations" names nothing new: the side
                # already said no in this event
                _, _, last = max(denied, key=lambda x: x[1])
                return NoveltyDecision(
                    Novelty.REPEAT,
                    last.id,
                    s,
                    f"generic deny by {claim.speaker} ('{claim.text[:40]}'), which already "
                    f"denied in {last.id} → repeat",
                )
        asserted = [(s, n, k) for s, n, k in other if k.stance is not Stance.DENY]
        if asserted:
            s, _, best = max(asserted, key=lambda x: (x[0], x[1]))
            if s >= threshold * 0.6:
                return NoveltyDecision(
                    Novelty.CONTRADICTION,
                    best.id,
                    s,
                    f"deny by {claim.speaker} of {best.id} by {best.speaker}: similarity "
                    f"{s:.2f} ≥ {threshold * 0.6:.2f} → contradiction",
                )
            generic = (
                _GENERIC_DENIAL.match(claim.text) or len(_terms(claim.text, (), gazetteer)) <= 4
            )
            if generic:
                about = [
                    (n, k)
                    for s_, n, k in asserted
                    if claim.speaker_id and claim.speaker_id in k.entities
                ]
                _, target = max(about or [(n, k) for _, n, k in asserted], key=lambda x: x[0])
                return NoveltyDecision(
                    Novelty.CONTRADICTION,
                    target.id,
                    s,
                    f"generic deny by {claim.speaker} ('{claim.text[:40]}'): latest claim of "
                    f"another side about it is {target.id} by {target.speaker} → contradiction",
                )

    # 3. a figure of the same thing that has changed ("at least 40 people were
    # treated in hospital" → "more than 120 people have needed hospital
    # treatment"), whoever gives it
    seen = {x for k in earlier for x in k.numbers}
    mine = new_figures(set(claim.numbers), seen)
    if mine and claim.stance is not Stance.DENY:
        counted = [
            (len(_figure_context(claim.text) & _figure_context(k.text)), n, k)
            for _, n, k in scored
            if k.numbers and k.stance is not Stance.DENY and not _other_things(claim.text, k.text)
        ]
        counted = [c for c in counted if c[0] >= 2]
        if counted:
            shared, _, best = max(counted, key=lambda x: (x[0], x[1]))
            s = next(x for x, _, k in scored if k is best)
            return NoveltyDecision(
                Novelty.UPDATE,
                best.id,
                s,
                f"figure of the same thing as {best.id} ({best.speaker}; {shared} words around "
                f"the figures shared): {sorted(mine)} new to the event, it had "
                f"{sorted(best.numbers)} → update",
            )

    # 3b. figures the event already has, of the same thing ("38 drones were
    # fired, 31 shot down" after "31 of the 38 drones were downed"): nothing
    # new whoever repeats them; another side must share more of what is counted
    figs = set(claim.numbers)
    if figs and not new_figures(figs, seen) and claim.stance is not Stance.DENY:
        again = [
            (len(_figure_context(claim.text) & _figure_context(k.text)), n, k)
            for _, n, k in scored
            if _shares_figure(figs, k.numbers)
            and k.stance is not Stance.DENY
            and not _other_things(claim.text, k.text)
        ]
        # several figures or a large one again, or a side repeating a figure
        # of the same kind of thing, need one word of what is counted in
        # common; else two
        distinct = len(figs) >= 2 or any(x >= 100 for x in figs)
        # (a side repeating a small figure of a kind of thing it counted
        # before, "the death toll stands at seven"; not "four bolts" of another
        # part of the story)
        again = [
            a
            for a in again
            if a[0]
            >= (
                1
                if distinct
                or (a[2].id in ours and _kinds_near(claim.text) & _kinds_near(a[2].text))
                else 2
            )
        ]
        if again:
            shared, _, best = max(again, key=lambda x: (x[0], x[1]))
            s = next(x for x, _, k in scored if k is best)
            return NoveltyDecision(
                Novelty.REPEAT,
                best.id,
                s,
                f"figures {sorted(figs)} of the same thing as {best.id} ({best.speaker}; "
                f"{shared} words around the figures shared), none new → repeat",
            )

    # 4. the same proposition, in nearly the same words, from a speaker we
    # could not tie to the same side ("the State Department" / its spokesperson);
    # two sides each known to speak for itself ("United and Alaska said …") are
    # two voices, and the second is news
    alike = [
        (s, n, k)
        for s, n, k in other
        if k.stance is claim.stance and not _two_known_sides(claim, k)
    ]
    if alike:
        s, _, best = max(alike, key=lambda x: (x[0], x[1]))
        seen = {x for k in earlier for x in k.numbers}
        if s >= max(_CROSS, threshold) and not new_figures(set(claim.numbers), seen):
            return NoveltyDecision(
                Novelty.REPEAT,
                best.id,
                s,
                f"similarity {s:.2f} ≥ {max(_CROSS, threshold):.2f} with {best.id} by "
                f"{best.speaker}, same stance, no new figure → repeat",
            )

    best_any = max(scored, key=lambda x: (x[0], x[1]))
    s = best_any[0]
    return NoveltyDecision(
        Novelty.NEW,
        None,
        s,
        f"best similarity {s:.2f} with {best_any[2].id} ({best_any[2].speaker})"
        + (" by another side" if best_any[2].id not in ours else "")
        + f"; below {threshold:.2f} or not the same side → new",
    )
