"""How much two claim texts state the same proposition: content-word stems
(with a small table of news synonyms), the entities they name, and a fuzzy
ratio of their figure-free wording. Used by :mod:`bot.analysis.novelty`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

if TYPE_CHECKING:
    from bot.analysis.aliases import Gazetteer

__all__ = ["similarity"]

_W_ENTITY = 0.5  # an entity counts half a content word
_W_OVERLAP = 0.5  # lexical = this × overlap coefficient + the rest × Dice
_W_FUZZY = 0.9  # the fuzzy ratio is discounted against the lexical score
_MIN_OVERLAP_WEIGHT = 3.0  # content words a text needs before its overlap counts in full
_W_BACKGROUND = 0.2  # weight of an entity most claims of the event name
_MIN_LEXICAL = 0.3  # below this word overlap the fuzzy ratio is not trusted
_MIN_FUZZY_WORDS = 5  # below this many content words a fuzzy ratio is chance


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
    "attack": "strike struck assault raid bombardment shelling offensive counteroffensive "
    "counter-offensive onslaught",
    "try": "tried tries trying attempt attempted attempting attempts",
    "prevent": "prevented preventing prevents hamper hampered hampering hinder hindered "
    "hindering stymie stymied thwart thwarted thwarting impede impeded impeding obstruct "
    "obstructed foil foiled",
    "destroy": "destroyed destroying destroys destruction demolish demolished wreck wrecked",
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


def _names(gazetteer: Gazetteer | None) -> Mapping[str, str]:
    """One-word names (lower case) → entity id: from the caller's gazetteer (the
    pipeline passes its analyser's), else from the built-in names."""
    return (gazetteer if gazetteer is not None else _builtin_gazetteer()).word_ids()


@lru_cache(maxsize=1)
def _builtin_gazetteer() -> Gazetteer:
    """The built-in names, for callers that pass no gazetteer (a private copy,
    never changed)."""
    from bot.analysis.aliases import default_gazetteer

    return default_gazetteer()


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


# phrases that say one thing in several words: "blew up the dam" destroyed it,
# "impossible" is "not possible"
_PHRASES = (
    (
        re.compile(r"\b(?:blow|blew|blown|blowing|blows)\s+(?:\w+\s+)?up\b", re.IGNORECASE),
        "destroy",
    ),
    (re.compile(r"\bim(possible|probable|practical)\b", re.IGNORECASE), r"not \1"),
    (re.compile(r"\bun(able|likely|clear|known)\b", re.IGNORECASE), r"not \1"),
    # one verb in two words: "looking forward to" hopes
    (re.compile(r"\b(?:look|looks|looked|looking)\s+forward\b", re.IGNORECASE), "hope"),
    # contractions: "they've" is "they", "can't" is "can not"
    (re.compile(r"\b(?:(?:can|ca)n['’]t|cannot)\b", re.IGNORECASE), "can not"),
    (re.compile(r"\bwon['’]t\b", re.IGNORECASE), "will not"),
    (re.compile(r"n['’]t\b", re.IGNORECASE), " not"),
    (re.compile(r"['’](?:ve|re|ll|d|m)\b", re.IGNORECASE), ""),
)


def _phrased(text: str) -> str:
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    return text


def _terms(
    text: str, entities: Sequence[str], gazetteer: Gazetteer | None = None
) -> dict[str, float]:
    """Weighted proposition terms: content-word stems 1.0, entities 0.5."""
    return _cached_terms(text, tuple(entities), gazetteer)


@lru_cache(maxsize=4096)
def _cached_terms(
    text: str, entities: tuple[str, ...], gazetteer: Gazetteer | None
) -> dict[str, float]:
    names = _names(gazetteer)
    out: dict[str, float] = {}
    for raw in _WORD.findall(_NUMBER_WORDS.sub(" ", _phrased(text))):
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
    text = _NUMBER_WORDS.sub(" ", _phrased(text).lower())
    words = [_stem(w) for w in _WORD.findall(text) if w not in _STOP]
    return " ".join(words)


def similarity(
    a_text: str,
    a_entities: Sequence[str],
    b_text: str,
    b_entities: Sequence[str],
    background: frozenset[str] = frozenset(),
    rarity: Mapping[str, float] | None = None,
    gazetteer: Gazetteer | None = None,
) -> float:
    """How much two claim contents state the same proposition, 0..1, figures
    ignored. Entities in ``background`` (named by most claims of the event)
    count little: every claim of a war story names both countries. Words in
    ``rarity`` weigh that much (see :func:`_rarity`): "soldiers" and "captured"
    in a story about captured soldiers say little, "passports" and "bank
    cards" much."""
    ta, tb = _terms(a_text, a_entities, gazetteer), _terms(b_text, b_entities, gazetteer)
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
