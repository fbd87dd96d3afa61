"""An outlet's own fact sentence is a claim only in the story's lead: the
headline and the first full paragraph say what happened; a fact sentence
further down is background the outlet gives (issue 12, eighth round). Each on
a story written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import OUTLET, claims_of

STORY = (
    "Flood in Marven valley kills at least 14\n\n"
    "Flash floods swept through the Marven valley on Sunday night, killing at least "
    "14 people and forcing 3,000 residents from their homes.\n\n"
    "Rescue teams reached the village of Tolla on Monday morning, the regional "
    "governor, Ines Barrow, said.\n\n"
    "In 1998, a flood in the same valley killed 40 people and destroyed two bridges.\n\n"
    "The valley's reservoir was evacuated twice in 2011 after 200 millimetres of rain fell."
)


def _outlet_texts(nlp: Any, gazetteer: Gazetteer, text: str) -> list[str]:
    return [c.text for c in claims_of(nlp, gazetteer, text) if c.speaker == OUTLET]


def test_the_outlets_fact_in_the_headline_and_lead_is_a_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    texts = _outlet_texts(nlp, gazetteer, STORY)
    assert any("3,000 residents" in t for t in texts), texts
    assert any("kills at least 14" in t for t in texts), texts


def test_the_outlets_background_fact_further_down_is_no_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    texts = _outlet_texts(nlp, gazetteer, STORY)
    assert not any("1998" in t or "40 people" in t for t in texts), texts
    assert not any("reservoir" in t for t in texts), texts


def test_a_figure_further_down_with_a_source_is_still_its_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    claims = claims_of(nlp, gazetteer, STORY)
    barrow = [c for c in claims if "Barrow" in c.speaker]
    assert barrow and "Rescue teams reached" in barrow[0].text, [
        (c.speaker, c.text) for c in claims
    ]


def test_a_fact_after_according_to_stays_the_sources_further_down(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Storm closes ports along the Ardan coast\n\n"
        "A winter storm closed four ports along the Ardan coast on Friday.\n\n"
        "Waves reached nine metres at Port Sella, according to the coast guard. "
        "Two fishing boats were sunk and 11 crew members were rescued."
    )
    claims = claims_of(nlp, gazetteer, text)
    sunk = [c for c in claims if "11 crew members were rescued" in c.text]
    assert sunk and sunk[0].speaker != OUTLET, [(c.speaker, c.text) for c in claims]
