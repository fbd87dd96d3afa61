"""Figures in a piece of text, normalised to floats.

``extract_numbers("at least 155 Chinese citizens, two captured")`` gives
``(155.0, 2.0)``. Digits ("1,500", "8.5 million", "80%"), number words
("two", "twenty-five", "a dozen", "hundreds" is not a figure) are read; years,
dates ("10 April", "April 10"), ordinals ("65th", "third") and clock times are
not figures and are skipped.
"""

from __future__ import annotations

import re

__all__ = ["extract_numbers"]

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
