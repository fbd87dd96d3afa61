"""Transcript turns ("KOVAL: …") that gave no claim (issue 12, sixth round),
each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.models import Stance
from tests.analysis.test_claims import check, claims_of, one

_INTRO = (
    "On Sunday, the radio host Mira Koval interviewed Governor Tomas Brandt "
    "about the flood defences of Easthaven.\n\n"
    "A partial transcript follows:\n\n"
)


def test_turn_with_a_first_person_belief_is_the_speakers(nlp: Any, gazetteer: Gazetteer) -> None:
    text = _INTRO + (
        "BRANDT: Well, I think the new dykes will hold through the winter. "
        "The river has never risen this high in March.\n"
    )
    claim = one(claims_of(nlp, gazetteer, text), "Brandt")
    check(claim, has=("new dykes will hold", "never risen this high"))


def test_later_first_person_belief_does_not_end_the_turn(nlp: Any, gazetteer: Gazetteer) -> None:
    text = _INTRO + (
        "BRANDT: The pumps in the harbour were repaired last week. "
        "I believe the town is ready for the storm.\n"
    )
    claim = one(claims_of(nlp, gazetteer, text), "Brandt")
    check(claim, has=("pumps in the harbour were repaired", "town is ready for the storm"))


def test_question_turn_is_a_question(nlp: Any, gazetteer: Gazetteer) -> None:
    text = _INTRO + (
        "KOVAL: Do you think the new dykes will hold through the winter?\n\n"
        "BRANDT: The engineers have tested every section of the wall twice.\n"
    )
    claims = claims_of(nlp, gazetteer, text)
    asked = one(claims, "Koval")
    check(asked, has=("will hold through the winter?",), stance=Stance.QUESTION)
    check(one(claims, "Brandt"), has=("tested every section",))


def test_turn_holding_a_relative_clause_of_saying(nlp: Any, gazetteer: Gazetteer) -> None:
    text = _INTRO + (
        "BRANDT: This is a council that said it would never raise the harbour tax. "
        "It has now raised it twice.\n"
    )
    claim = one(claims_of(nlp, gazetteer, text), "Brandt")
    check(claim, has=("This is a council", "raised it twice"))
    # a turn that reports a third party's words in its main clause stays theirs
    text = _INTRO + "BRANDT: The pumps were repaired last week, the harbour master confirmed.\n"
    claims = claims_of(nlp, gazetteer, text)
    assert not any(
        "brandt" in c.speaker.lower() and "pumps were repaired" in c.text for c in claims
    ), claims


def test_inverted_asked_after_a_question_names_the_asker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "“Is the council running against the harbour board?” asked Mr. Dorn."
    claim = one(claims_of(nlp, gazetteer, text), "Dorn")
    check(claim, has=("running against the harbour board?",), stance=Stance.QUESTION)


def test_question_in_double_apostrophes_before_its_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "''Will the ferry run again before the winter?'' Mr. Dorn asked."
    claim = one(claims_of(nlp, gazetteer, text), "Dorn")
    check(claim, has=("ferry run again before the winter?",), stance=Stance.QUESTION)


def test_the_one_asked_answers_in_a_coordinate_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Lena Ostrova was asked whether the bridge would reopen, "
        "and said it would open again in May."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Ostrova")
    check(claim, has=("it would open again in May",), lacks=("whether",))
