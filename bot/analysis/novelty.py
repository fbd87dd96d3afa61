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

from rapidfuzz import fuzz

from bot.analysis.numbers import extract_numbers, new_figures, same_figure
from bot.models import CanonicalClaim, Claim, Novelty, NoveltyDecision, Stance

__all__ = ["DEFAULT_THRESHOLD", "classify", "side", "similarity"]

DEFAULT_THRESHOLD = 0.5
_W_ENTITY = 0.5  # an entity counts half a content word
_W_OVERLAP = 0.5  # lexical = this × overlap coefficient + the rest × Dice
_W_FUZZY = 0.9  # the fuzzy ratio is discounted against the lexical score
_MIN_OVERLAP_WEIGHT = 3.0  # content words a text needs before its overlap counts in full
_W_BACKGROUND = 0.2  # weight of an entity most claims of the event name
_MIN_LEXICAL = 0.3  # below this word overlap the fuzzy ratio is not trusted
_MIN_FUZZY_WORDS = 5  # below this many content words a fuzzy ratio is chance
_CROSS = 0.7  # the same proposition in close wording from a speaker of no known side
_NEAR = 0.8  # a side restating itself in other words: this share of the threshold …
_MIN_TELLING = 2  # … with this many rare content words in common
_RARE = 0.7  # the rarity (see _rarity) of a word few claims of the event use
_SAME_SIDE = 1.0  # a side restating itself: this share of the threshold is enough

_STOP = frozenset(
    {
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "along",
        "also",
        "although",
        "am",
        "among",
        "an",
        "and",
        "any",
        "are",
        "around",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "like",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "per",
        "rather",
        "same",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "ours",
        "us",
        "say",
        "said",
        "says",
        "tell",
        "told",
        "claim",
        "claimed",
        "claims",
        "assert",
        "asserted",
        "add",
        "added",
        "write",
        "wrote",
        "state",
        "stated",
        "stating",
        "according",
        "ongoing",
        "recently",
        "reportedly",
        "allegedly",
        "already",
        "mr",
        "mrs",
        "ms",
        "dr",
    }
)
# "many more" is a figure word and a content word at once: keep "more", "many"
_KEEP = frozenset({"more", "many", "fewer", "most", "not", "no", "never"})

_SYNONYMS: dict[str, str] = {}
for _canon, _words in {
    "soldier": "troop fighter serviceman servicemen combatant mercenary",
    "citizen": "national nationals citizenship",
    "capture": "captured captive prisoner detain detained seize seized catch caught",
    "kill": "killed dead die died death deaths fatality fatalities toll",
    "injure": "injured wound wounded hurt casualty casualties",
    "attack": "strike struck assault raid bombardment shelling",
    "leak": "spill spillage rupture discharge",
    "treat": "treatment hospitalised hospitalized admitted",
    "country": "nation state",
    "fight": "fought fighting combat battle",
    "support": "backing back aid assist assistance help",
    "weapon": "weaponry arm arms munition munitions",
    "deny": "denied reject rejected dismiss dismissed refute refuted",
    "unfounded": "baseless groundless false untrue",
    "information": "intelligence evidence data",
    "document": "documents passport papers",
    "verify": "verifying verification",
    "repair": "repaired repairing fix fixed fixing mend mended restore restored",
    "examine": "examining examined investigate investigating investigated investigation probe "
    "probing probed",
    "notify": "notified notification notifications informed",
    "matter": "case incident",
    "plane": "aircraft airplane airliner jet jetliner",
    "inspect": "inspection inspections inspected inspecting inspector inspectors check checks "
    "checked checking",
    "explosion": "blast detonation",
    "anything": "everything",
    "continue": "continued continuing prolong prolonged prolonging extend extended",
    "need": "needed needs require required requires requirement necessary must",
    "cooperate": "cooperating cooperated cooperation co-operate co-operating co-operation "
    "collaborate collaborating collaboration",
    "urgent": "urgently immediate immediately swift swiftly prompt promptly",
    "review": "reviewing reviewed assess assessing assessed assessment evaluate evaluating",
    # irregular past forms of common news verbs
    "take": "took taken",
    "give": "gave given",
    "make": "made",
    "hold": "held",
    "know": "knew known",
    "go": "went gone",
    "come": "came",
    "see": "saw seen",
    "find": "found discover discovered uncover uncovered detect detected",
    "leave": "left",
    "keep": "kept",
    "begin": "began begun",
    "bring": "brought",
    "send": "sent",
    "pay": "paid",
    "lose": "lost",
    "build": "built",
    "get": "got gotten",
    "steal": "stole stolen",
    "rise": "rose risen",
    "fall": "fell fallen",
    "shoot": "shot",
    "drive": "drove driven",
    "write": "wrote written",
}.items():
    for _w in _words.split():
        _SYNONYMS[_w] = _canon

_CANON = frozenset(_SYNONYMS.values())

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NUMBER_WORDS = re.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|billion|dozen|percent|per cent)\b|"
    r"\d[\d,.]*%?",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _gazetteer_lookup() -> dict[str, str]:
    """Surface (folded) → entity id, from the shared gazetteer, if present."""
    try:
        from bot.analysis.aliases import default_gazetteer
    except ImportError:  # pragma: no cover - the gazetteer is optional here
        return {}
    out: dict[str, str] = {}
    for name, entity in default_gazetteer().all_names():
        if " " not in name.strip():
            out[name.strip().lower()] = entity.id
    return out


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in _SYNONYMS:
        return _SYNONYMS[w]
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("edly", ""),
        ("ed", ""),
        ("es", ""),
        ("ly", ""),
        ("ment", ""),
        ("ion", ""),
        ("s", ""),
    ):
        if not w.endswith(suffix) or len(w) - len(suffix) < 3:
            continue
        if suffix == "es" and not w.endswith(("sses", "xes", "zes", "ches", "shes")):
            suffix = "s"  # "databases" → "database", "passes" → "pass"
        if suffix == "s" and w.endswith(("ss", "us", "is")):
            break  # "possess", "status", "analysis"
        w = w[: len(w) - len(suffix)] + repl
        break
    w = _SYNONYMS.get(w, w)
    if w not in _CANON and len(w) > 4 and w.endswith("e") and not w.endswith(("ee", "ie")):
        w = w[:-1]  # "investigate" / "investigated" / "investigation" → investigat
    return w


def _terms(text: str, entities: Sequence[str]) -> dict[str, float]:
    """Weighted proposition terms: content-word stems 1.0, entities 0.5."""
    return _cached_terms(text, tuple(entities))


@lru_cache(maxsize=4096)
def _cached_terms(text: str, entities: tuple[str, ...]) -> dict[str, float]:
    names = _gazetteer_lookup()
    out: dict[str, float] = {}
    for raw in _WORD.findall(_NUMBER_WORDS.sub(" ", text)):
        low = raw.lower().replace("’", "'")
        if low.endswith("'s"):
            low = low[:-2]
        low = low.rstrip("'")
        if raw[:1].isupper() and low in names:
            out[names[low]] = _W_ENTITY
            continue
        if (low in _STOP and low not in _KEEP) or len(low) < 2:
            continue
        out[_stem(low)] = 1.0
    for e in entities:
        out.setdefault(e, _W_ENTITY)
    return out


@lru_cache(maxsize=4096)
def _fuzzy_text(text: str) -> str:
    text = _NUMBER_WORDS.sub(" ", text.lower())
    words = [_stem(w) for w in _WORD.findall(text) if w not in _STOP]
    return " ".join(words)


def similarity(
    a_text: str,
    a_entities: Sequence[str],
    b_text: str,
    b_entities: Sequence[str],
    background: frozenset[str] = frozenset(),
    rarity: Mapping[str, float] | None = None,
) -> float:
    """How much two claim contents state the same proposition, 0..1, figures
    ignored. Entities in ``background`` (named by most claims of the event)
    count little: every claim of a war story names both countries. Words in
    ``rarity`` weigh that much (see :func:`_rarity`): "soldiers" and "captured"
    in a story about captured soldiers say little, "passports" and "bank
    cards" much."""
    ta, tb = _terms(a_text, a_entities), _terms(b_text, b_entities)
    if background:
        ta = {k: (_W_BACKGROUND if k in background else w) for k, w in ta.items()}
        tb = {k: (_W_BACKGROUND if k in background else w) for k, w in tb.items()}
    if rarity:
        ta = {k: w * rarity.get(k, 1.0) for k, w in ta.items()}
        tb = {k: w * rarity.get(k, 1.0) for k, w in tb.items()}
    if not ta or not tb:
        return 0.0
    common = sum(min(ta[k], tb[k]) for k in ta.keys() & tb.keys())
    wa, wb = sum(ta.values()), sum(tb.values())
    # the overlap coefficient forgives a short text for missing words; a very
    # short one ("China supplies personnel") would match too much
    overlap = common / max(min(wa, wb), _MIN_OVERLAP_WEIGHT)
    dice = 2 * common / (wa + wb)
    lexical = _W_OVERLAP * overlap + (1 - _W_OVERLAP) * dice
    fa, fb = _fuzzy_text(a_text), _fuzzy_text(b_text)
    fuzzy = fuzz.token_sort_ratio(fa, fb) / 100 if fa and fb else 0.0
    if min(len(fa.split()), len(fb.split())) < _MIN_FUZZY_WORDS:
        fuzzy = 0.0  # a ratio of a few words is chance
    if lexical < _MIN_LEXICAL:
        fuzzy = 0.0  # alike letters, few words of weight in common
    return round(max(lexical, _W_FUZZY * fuzzy), 3)


def side(
    speaker_id: str | None,
    speaker: str = "",
    speaker_side: str | None = None,
    known_sides: dict[str, str] | None = None,
) -> frozenset[str]:
    """The keys of the side a speaker speaks for: its entity id, the side
    extraction read for it (``speaker_side``: "a spokesperson for China's
    foreign ministry, Lin Jian" → ``gpe:china``) or, failing that, the side an
    earlier claim of the event gave the same person (``known_sides``), the
    countries its name mentions ("Russia's defence ministry", "Chinese
    officials" → ``gpe:…``) and its name."""
    keys = {speaker_id} if speaker_id else set()
    if speaker_side:
        keys.add(speaker_side)
    elif speaker_id and known_sides and speaker_id in known_sides:
        keys.add(known_sides[speaker_id])
    names = _gazetteer_lookup()
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


def _name_words(name: str) -> set[str]:
    """The capitalised words of a speaker's name ("The Glasshouse group" → glasshouse)."""
    return {
        w.lower().replace("’", "'").removesuffix("'s")
        for w in _WORD.findall(name)
        if w[:1].isupper() and w.lower() not in _GENERIC_NAME
    }


def _known_sides(earlier: Sequence[CanonicalClaim]) -> dict[str, str]:
    """Whom each speaker of the event's earlier claims was seen to speak for."""
    return {k.speaker_id: k.speaker_side for k in earlier if k.speaker_id and k.speaker_side}


def _same_side(
    claim: Claim, known: CanonicalClaim, known_sides: dict[str, str] | None = None
) -> bool:
    a = side(claim.speaker_id, claim.speaker, claim.speaker_side, known_sides)
    b = side(known.speaker_id, known.speaker, known.speaker_side, known_sides)
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


def _same_body(a: str, b: str) -> bool:
    """One entity id extends the other by words at its end: "org:nord-stream"
    / "org:nord-stream-ag" (a company with and without its legal form)."""
    if ":" not in a or ":" not in b or a.startswith("name:") or b.startswith("name:"):
        return False
    short, long = sorted((a, b), key=len)
    return len(short) > 6 and long.startswith(short + "-") and short[:4] == long[:4]


_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def _acronym_of(short: str, long: str) -> bool:
    """``short`` holds an acronym made of the initials of ``long``'s
    capitalised words ("NTSB" / "National Transportation Safety Board")."""
    initials = "".join(
        w[0] for w in _WORD.findall(long) if w[:1].isupper() and w.lower() not in _GENERIC_NAME
    )
    if len(initials) < 2:
        return False
    return any(m.group(0) == initials for m in _ACRONYM.finditer(short))


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


def _background(earlier: Sequence[CanonicalClaim]) -> frozenset[str]:
    """Entities named by at least a third of the event's claims (five or more)."""
    if len(earlier) < 5:
        return frozenset()
    counts: dict[str, int] = {}
    for k in earlier:
        for e in set(_terms(k.text, k.entities)):
            if ":" in e:
                counts[e] = counts.get(e, 0) + 1
    return frozenset(e for e, c in counts.items() if c * 3 >= len(earlier))


def _rarity(earlier: Sequence[CanonicalClaim]) -> dict[str, float]:
    """The weight of each content word of an event by how many of its claims
    use it (an inverse document frequency scaled to 1 for a word of one
    claim): what every claim of the event says cannot tell two claims apart.
    Empty for an event of fewer than five claims."""
    n = len(earlier)
    if n < 5:
        return {}
    counts: dict[str, int] = {}
    for k in earlier:
        for t in _terms(k.text, ()):
            if ":" not in t:
                counts[t] = counts.get(t, 0) + 1
    top = math.log(n + 1)
    return {t: max(_W_BACKGROUND, math.log((n + 1) / c) / top) for t, c in counts.items() if c > 1}


def _shares_figure(figs: set[float], other: Sequence[float]) -> bool:
    return any(same_figure(x, y) for x in figs for y in other)


def _figures(claim_numbers: Sequence[float], text: str) -> set[float]:
    return set(claim_numbers) or set(extract_numbers(text))


def _telling_words(claim: Claim, known: CanonicalClaim, rarity: Mapping[str, float]) -> list[str]:
    """Content words two claims share that few claims of the event use
    ("documents", "bank cards", "in possession" / "possess passports,
    documents and credit cards"): a paraphrase keeps the rare words."""
    if (claim.stance is Stance.DENY) is not (known.stance is Stance.DENY):
        return []
    mine, theirs = _terms(claim.text, ()), _terms(known.text, ())
    return sorted(
        t
        for t in mine.keys() & theirs.keys()
        if ":" not in t and len(t) > 3 and rarity.get(t, 1.0) >= _RARE
    )


def classify(
    claim: Claim,
    earlier: Sequence[CanonicalClaim],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    same_story: Collection[str] = (),
) -> NoveltyDecision:
    """Decide whether ``claim`` is new, a repeat, an update or a contradiction
    of the canonical claims ``earlier`` (same event). ``same_story`` names the
    claims of ``earlier`` that come from the claim's own story: a figure that
    only they gave (the headline's "toll passes 120") is still new to the
    event when the lead states it again with its speaker."""
    if not earlier:
        return NoveltyDecision(Novelty.NEW, None, 0.0, "first claim of the event")
    background = _background(earlier)
    rarity = _rarity(earlier)
    scored = [
        (similarity(claim.text, claim.entities, k.text, k.entities, background, rarity), n, k)
        for n, k in enumerate(earlier)
    ]
    sides = _known_sides(earlier)
    ours = {k.id for k in earlier if _same_side(claim, k, sides)}
    same = [(s, n, k) for s, n, k in scored if k.id in ours]
    other = [(s, n, k) for s, n, k in scored if k.id not in ours]

    # 1. the same proposition from the same side
    own = threshold * _SAME_SIDE
    if same:
        s, _, best = max(same, key=lambda x: (x[0], x[1]))
        telling = _telling_words(claim, best, rarity) if s >= threshold * _NEAR else []
        if s >= own or len(telling) >= _MIN_TELLING:
            if s < own:
                own = threshold * _NEAR  # the why says what carried it
                rule = f" and {len(telling)} telling words shared ({', '.join(telling[:4])})"
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
            return NoveltyDecision(
                Novelty.REPEAT,
                best.id,
                s,
                f"similarity {s:.2f} ≥ {own:.2f}{rule} with {best.id} by the same side "
                f"({best.speaker}), no new figure → repeat",
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
            generic = _GENERIC_DENIAL.match(claim.text) or len(_terms(claim.text, ())) <= 4
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
    # could not tie to the same side ("the State Department" / its spokesperson)
    alike = [(s, n, k) for s, n, k in other if k.stance is claim.stance]
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
