"""The context-free analysis of stories: parse, entities, claims, event features.

This is the CPU-heavy part; it needs no store and runs off the event loop
(see :meth:`bot.pipeline.Pipeline`). The contextual steps (which event, is a
claim new) come after, with what the store knows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.analysis import nlp as nlp_mod
from bot.analysis.aliases import Gazetteer, default_gazetteer
from bot.analysis.claims import extract_claims
from bot.analysis.entities import entity_stats, find_mentions
from bot.analysis.events import features
from bot.models import Analysis, Story

log = logging.getLogger(__name__)

MAX_CHARS = 200_000  # a hostile or broken article is cut, not fed whole to the parser
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def story_text(story: Story) -> str:
    """The analysed text: the title, a blank line, the body (control characters removed)."""
    title = _CONTROL.sub(" ", story.title.strip())
    body = _CONTROL.sub(" ", story.body.strip())[:MAX_CHARS]
    if title and body.startswith(title.rstrip("…").rstrip()):
        return body  # the title was cut from the body's first line
    return f"{title}\n\n{body}" if title else body


class Analyser:
    def __init__(
        self, model: str = "en_core_web_sm", batch_size: int = 8, gazetteer: Gazetteer | None = None
    ) -> None:
        self.nlp: Any = nlp_mod.load(model)
        self.gazetteer: Gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
        self.batch_size = batch_size

    def analyse(self, story: Story) -> Analysis:
        return self.analyse_many([story])[0]

    def analyse_many(self, stories: Sequence[Story]) -> list[Analysis]:
        texts = [story_text(s) for s in stories]
        out = []
        for story, text, doc in zip(
            stories, texts, nlp_mod.parse(self.nlp, texts, self.batch_size), strict=True
        ):
            out.append(self._analyse_doc(story, text, doc))
        return out

    def _analyse_doc(self, story: Story, text: str, doc: Any) -> Analysis:
        mentions = find_mentions(doc, self.gazetteer)
        title = story.title.strip().rstrip("…").rstrip()
        title_end = len(title) if text.startswith(title) else 0
        sentences = sum(1 for _ in doc.sents)
        stats = entity_stats(mentions, title_end, sentences)
        claims = extract_claims(doc, mentions, story.outlet_name)
        feats = features(doc, mentions, story.published, self.gazetteer)
        # claims carry entity ids; keep them in text order with their sentence
        claims = [replace(c, entities=tuple(dict.fromkeys(c.entities))) for c in claims]
        return Analysis(
            text=text,
            entities=tuple(stats),
            mentions=tuple(mentions),
            claims=tuple(claims),
            features=feats,
        )
