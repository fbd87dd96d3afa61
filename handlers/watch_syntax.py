"""How the words of ``/watch`` and ``/unwatch`` are read, in two small steps.

1. :func:`tokenise` splits the text into words, keeping a quoted name of several
   words (``"north korea"``, also with curly quotes) as one, and reads a ``+``
   or ``-`` in front of a word as its sign.
2. :func:`parse_terms` reads the words as ``NAME [+NAME|-NAME ...]``: the
   unsigned words before the first sign are what to watch, each signed word
   a term (``-taiwan``: skip stories where Taiwan is salient; ``+russia``: only
   stories where Russia is salient too).

Anything else that reads the words (a trailing option, say) can take its word
off the list between the two steps. Both steps are pure; a malformed command
raises :class:`WatchSyntaxError` with the sentence to show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

MAX_TERMS = 6
"""The most +/- terms one watch may carry."""

# an opening quote → the quotes that close it (phones type curly ones)
_QUOTES = {'"': '"”“', "“": '”"“', "„": '“”"', "«": "»"}
_SIGNS = "+-"


class WatchSyntaxError(ValueError):
    """A ``/watch`` text that cannot be read; the message says why and what to type."""


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # the word, or the quoted words without their quotes
    sign: str = ""  # "+", "-" or ""
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class TypedTerm:
    required: bool  # + (True) or - (False)
    name: str  # as typed, white space collapsed


@dataclass(frozen=True, slots=True)
class WatchWords:
    name: str  # what to watch, as typed
    terms: tuple[TypedTerm, ...]


def tokenise(text: str) -> list[Token]:
    """The words of ``text``, quoted names kept whole; a sign alone is a token with
    no text (:func:`parse_terms` joins it to the next word)."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        sign = text[i] if text[i] in _SIGNS else ""
        j = i + len(sign)
        if j < n and text[j] in _QUOTES:
            closers = _QUOTES[text[j]]
            end = next((k for k in range(j + 1, n) if text[k] in closers), -1)
            if end < 0:
                raise WatchSyntaxError(
                    f"A quote is not closed: {text[i:]}. Put the name between two quotes, "
                    'like "north korea".'
                )
            inner = " ".join(text[j + 1 : end].split())
            if not inner:
                raise WatchSyntaxError("There is nothing between the quotes: write a name in them.")
            if end + 1 < n and not text[end + 1].isspace():
                raise WatchSyntaxError(
                    f"Leave a space after the closing quote: {text[i : end + 1]} "
                    f"{text[end + 1 :].split()[0]}"
                )
            tokens.append(Token(inner, sign, quoted=True))
            i = end + 1
            continue
        end = j
        while end < n and not text[end].isspace():
            end += 1
        tokens.append(Token(text[j:end], sign))
        i = end
    return tokens


def parse_terms(tokens: Sequence[Token], usage: Callable[[str], str]) -> WatchWords:
    """``NAME [+NAME|-NAME ...]`` → what to watch and its terms, as typed.
    ``usage`` writes a command as the user types it here (``Command.usage``)."""
    name: list[str] = []
    terms: list[TypedTerm] = []
    example = usage("watch china -taiwan") + " or " + usage('watch "north korea" +russia')
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if not tok.sign:
            if terms:
                stray = [tok.text]
                while i < len(tokens) and not tokens[i].sign:
                    stray.append(tokens[i].text)
                    i += 1
                last = terms[-1]
                sign = "+" if last.required else "-"
                joined = " ".join([last.name, *stray])
                raise WatchSyntaxError(
                    f"“{' '.join(stray)}” comes after the term {sign}{last.name}: a name of "
                    f'several words goes in quotes, like {sign}"{joined}".'
                )
            name.append(tok.text)
            continue
        text = tok.text
        if not text and not tok.quoted:  # a sign standing alone: the next word is its name
            if i < len(tokens) and not tokens[i].sign:
                text = tokens[i].text
                i += 1
            else:
                raise WatchSyntaxError(
                    f"“{tok.sign}” needs a name right after it, like "
                    f"{tok.sign}{'russia' if tok.sign == '+' else 'taiwan'}."
                )
        if not name:
            raise WatchSyntaxError(
                f"Start with what to watch, then the terms: {example}. "
                f"“{tok.sign}{text}” alone would watch nothing."
            )
        terms.append(TypedTerm(tok.sign == "+", text))
    if len(terms) > MAX_TERMS:
        raise WatchSyntaxError(
            f"A watch may have at most {MAX_TERMS} +/- terms; this one has {len(terms)}."
        )
    return WatchWords(" ".join(name), tuple(terms))


def read_watch_words(args: Sequence[str], usage: Callable[[str], str]) -> WatchWords:
    """Both steps on a command's words (the router splits on white space)."""
    return parse_terms(tokenise(" ".join(args)), usage)
