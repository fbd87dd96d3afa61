"""Figures in a piece of text, normalised to floats.

``extract_numbers("at least 155 Chinese citizens, two captured")`` gives
``(155.0, 2.0)``. Digits ("1,500", "8.5 million", "80%"), number words
("two", "twenty-five", "a dozen", "hundreds" is not a figure) are read; years,
dates ("10 April", "April 10"), ordinals ("65th", "third"), clock times and
model designations ("Boeing 737 MAX 9") are not figures and are skipped.

Across outlets the same count comes rounded or in other units: "about 1,200"
and "1,187", "1.2 million" and "1,200,000", "$3bn" and "3 billion dollars".
:func:`same_figure` says when two figures are one count, :func:`new_figures`
which figures of a claim no earlier figure gives.
"""

from __future__ import annotations

import re

__all__ = ["extract_numbers", "new_figures", "same_figure"]

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "bn": 1_000_000_000,
    "m": 1_000_000,
    "k": 1_000,
}
_GROUPS = {"dozen": 12, "score": 20}

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)

_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_SCALE = "hundred|thousand|million|billion|trillion|bn|m|k"

# one figure: digits or number words, an optional scale, an optional percent sign
_FIGURE = re.compile(
    rf"""
    (?<![\w.,/-])
    (?:
        (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
      | (?P<words>(?:{_WORD})(?:[\s-]+(?:{_WORD}))*)
      | (?P<group>(?:a|one|half\s+a)\s+(?:dozen|score))
    )
    (?P<scale>(?:[\s-]*(?:hundred|thousand|million|billion|trillion)\b)+|(?:bn|m|k)\b)?
    (?P<pct>\s*(?:%|per\s?cent\b|percent\b))?
    (?P<ord>st\b|nd\b|rd\b|th\b)?
    """,
    re.IGNORECASE | re.VERBOSE,
)

_DATE_BEFORE = re.compile(rf"(?:\b(?:{_MONTHS})\.?\s*)$", re.IGNORECASE)
_DATE_AFTER = re.compile(rf"^\s*(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|of|until|till|from|year|years|early|late|mid|spring|summer|autumn|"
    r"fall|winter|before|after|during)\s*-?\s*)$",
    re.IGNORECASE,
)
_TIME = re.compile(r"^\s*(?::\d\d|[ap]\.?m\.?\b|gmt\b|utc\b|hrs\b|local time\b)", re.IGNORECASE)


def _words_value(words: str) -> float | None:
    total = 0
    current = 0
    seen = False
    for part in re.split(r"[\s-]+", words.lower()):
        if part in _UNITS:
            current += _UNITS[part]
            seen = True
        elif part in _TENS:
            current += _TENS[part]
            seen = True
        elif part in _SCALES:
            current = max(current, 1) * _SCALES[part]
            if _SCALES[part] >= 1000:
                total += current
                current = 0
        elif part == "and":
            continue
        else:
            return None
    return float(total + current) if seen else None


_NOT_COUNTED = re.compile(
    r"^\s*(?:[^\w\s]|$|(?:and|or|to|the|a|an|was|is|were|will|saw|has|had|when|as|in|on|at|"
    r"for|after|before|that|which|with|marked|brought|elections?|census|budget|olympics|"
    r"report|season|war|invasion|law|act|[A-Z])\b)"
)


def _is_year(value: float, raw: str, before: str, after: str) -> bool:
    """A bare 4-digit number from 1900 to 2100 is a year unless it counts
    something ("2000 troops")."""
    if not raw.isdigit() or len(raw) != 4 or not 1900 <= value <= 2100:
        return False
    if _DATE_BEFORE.search(before) or _YEAR_BEFORE.search(before):
        return True
    if re.search(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}},?\s*$", before, re.IGNORECASE):
        return True
    return bool(_NOT_COUNTED.match(after))


# "737 MAX 9", "Boeing 737 Max 9": a number inside a name is a model, not a count
_CAPS_BEFORE = re.compile(r"\b[A-Z]{2,}\s$")
_NAME_BEFORE = re.compile(r"\b([A-Z][\w-]*)\s$")
_NAME_AFTER = re.compile(r"^\s[A-Z][\w-]*")
_MODEL_BEFORE = re.compile(r"\d\s[A-Z][\w-]*\s$")
# two of a series named together ("Nord Stream 1 and 2", "Apollo 11 and 12")
_PAIR_AFTER = re.compile(r"^\s(?:and|or|&)\s\d{1,3}\b")
_PAIR_BEFORE = re.compile(r"[A-Za-z]\s([A-Z][\w-]*)\s\d{1,3}\s(?:and|or|&)\s$")
_WORD_BEFORE = re.compile(r"[A-Za-z]\s$")
# capitalised words before a figure in a title-case headline ("Toll Rises To 17")
_HEADLINE_WORDS = frozenset(
    str.split(
        "to at by of over under than about around top tops hit hits kill kills rise rises reach "
        "reaches near nears pass passes exceed exceeds surpass surpasses climb climbs jump jumps "
        "fall falls more some nearly almost least with and in on for from as up down after "
        "before past toll"
    )
)


def _is_designation(before: str, after: str) -> bool:
    """A model or series name, not a count: "737 MAX 9", "Boeing 737 Max 9",
    "Nord Stream 1 and 2"."""
    if _CAPS_BEFORE.search(before) or _MODEL_BEFORE.search(before):
        return True
    pair = _PAIR_BEFORE.search(before)
    if pair is not None and pair.group(1).lower() not in _HEADLINE_WORDS:
        return True  # the second of "Nord Stream 1 and 2"
    name = _NAME_BEFORE.search(before)
    if name is None or name.group(1).lower() in _HEADLINE_WORDS:
        return False
    if _NAME_AFTER.match(after):
        return True
    # "Nord Stream 1 and 2" inside a sentence, not "Pipelines 1 and 2" opening one
    return bool(_PAIR_AFTER.match(after)) and bool(_WORD_BEFORE.search(before[: name.start()]))


def _significant(value: float) -> int:
    """Significant digits of a whole figure: 1,200 has 2, 1,187 has 4."""
    if value != int(value) or value == 0:
        return 15
    digits = str(int(abs(value))).rstrip("0")
    return len(digits)


def same_figure(a: float, b: float) -> bool:
    """One count told two ways: equal, or the rounder of the two is the other
    rounded to its precision ("about 1,200" and "1,187"; "23,000" and
    "23,4xx" is not: 23,400 rounds to 23,000 only at two digits, and counts
    below 100 must be equal)."""
    if a == b:
        return True
    if min(abs(a), abs(b)) < 100:
        return False
    rough, exact = (a, b) if _significant(a) < _significant(b) else (b, a)
    digits = _significant(rough)
    if digits >= _significant(exact) or digits > 3:
        return False
    scale = 10 ** (len(str(int(abs(exact)))) - digits)
    return round(exact / scale) * scale == rough and abs(rough - exact) <= 0.05 * abs(exact)


def new_figures(
    mine: set[float] | frozenset[float], seen: set[float] | frozenset[float]
) -> set[float]:
    """The figures of ``mine`` that no figure of ``seen`` already gives (see
    :func:`same_figure`)."""
    return {x for x in mine if x not in seen and not any(same_figure(x, y) for y in seen)}


def extract_numbers(text: str) -> tuple[float, ...]:
    """The figures of ``text``, in order, normalised (``"8.5 million"`` → 8500000)."""
    out: list[float] = []
    for m in _FIGURE.finditer(text):
        if m.group("ord"):
            continue
        before = text[max(0, m.start() - 20) : m.start()]
        after = text[m.end() : m.end() + 20]
        scale = 1.0
        for part in re.findall(rf"(?:{_SCALE})", m.group("scale") or "", re.IGNORECASE):
            scale *= _SCALES[part.lower()]
        if m.group("digits"):
            raw = m.group("digits")
            # "m"/"k" glued to digits only ("8.5m"); elsewhere they are words
            value = float(raw.replace(",", ""))
            if not m.group("pct") and not m.group("scale"):
                if _is_year(value, raw, before, after):
                    continue
                if _DATE_BEFORE.search(before) and value <= 31:
                    continue
                if _DATE_AFTER.match(after) and value <= 31:
                    continue
                if _TIME.match(after) or re.search(r"\d:$", before):
                    continue
                if _is_designation(before, after):
                    continue
        elif m.group("words"):
            parsed = _words_value(m.group("words"))
            if parsed is None:
                continue
            value = parsed
            word = m.group("words").lower()
            # "one" as a pronoun ("one of them", "no one") is not a figure
            if word == "one" and not m.group("scale") and not m.group("pct"):
                continue
        else:
            group = m.group("group").lower()
            value = 0.5 * 12 if group.startswith("half") else float(_GROUPS[group.split()[-1]])
        if (
            m.group("scale")
            and m.group("scale").lower() in {"m", "k", "bn"}
            and not m.group("digits")
        ):
            continue
        out.append(value * scale)
    return tuple(out)
