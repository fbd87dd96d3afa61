"""Who speaks (issue 12, speakers): someone who speaks for another, a
government named by its building, an acronym, a people, a live blog's
timestamp run into a name. Each on sentences written for the test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_a_spokesman_is_not_the_person_he_speaks_for(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Prime Minister Alan Crewe opened the harbour summit on Monday. "
        "Later the prime minister's spokesman said the talks would resume in March."
    )
    c = one(claims_of(nlp, gazetteer, text), "spokesman")
    assert c.speaker == "Alan Crewe's spokesman"
    assert c.speaker_side is not None and c.speaker_side.endswith("crewe")
    check(c, has=("talks would resume in March",))


def test_the_spokesman_speaks_for_the_speaker_before(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Alan Crewe said the summit had gone well. "
        "The spokesman said the talks would resume in March."
    )
    claims = claims_of(nlp, gazetteer, text)
    crewe, spokesman = one(claims, "^Alan Crewe$"), one(claims, "spokesman")
    assert spokesman.speaker != crewe.speaker
    assert spokesman.speaker_side == crewe.speaker_id


def test_a_ministry_spokesperson_takes_the_side_named_before(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "China's foreign ministry condemned the missile test.\n\n"
        "Diplomats met in Geneva on Tuesday.\n\n"
        "The ministry's spokesperson said the test had broken the treaty."
    )
    c = one(claims_of(nlp, gazetteer, text), "spokesperson")
    assert c.speaker_side == "gpe:china"
    check(c, has=("test had broken the treaty",))


def test_its_spokeswoman_speaks_for_the_company(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Velmar Airlines said the engine had been inspected. "
        "Its spokeswoman said the plane would fly again on Friday."
    )
    c = one(claims_of(nlp, gazetteer, text), "spokeswoman")
    assert c.speaker == "Velmar Airlines' spokeswoman"
    assert c.speaker_side is not None and "velmar" in c.speaker_side


def test_a_spokesperson_with_a_name_is_the_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "A spokesperson for the port authority, Ines Varga, said the cranes were safe."
    assert one(claims_of(nlp, gazetteer, text), "Varga").speaker == "Ines Varga"


def test_a_government_named_by_its_building_keeps_that_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The White House said the tariffs on steel would stay until June."
    c = one(claims_of(nlp, gazetteer, text), "White House")
    assert c.speaker == "White House"
    assert c.speaker_id == c.speaker_side == "gpe:united-states"


def test_an_acronym_and_a_people_keep_the_story_s_words(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(nlp, gazetteer, "The IMF said growth would slow to 2 percent next year.")
    assert one(claims, "IMF").speaker == "IMF"
    claims = claims_of(nlp, gazetteer, "Mexicans say the new border fees are far too high.")
    c = one(claims, "Mexic")
    assert c.speaker == "Mexicans" and c.speaker_side == "gpe:mexico"


def test_a_timestamp_run_into_a_name_is_not_the_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Live coverage 9:52PMHolloway said the vote count would finish by midnight."
    c = one(claims_of(nlp, gazetteer, text), "Holloway")
    assert c.speaker == "Holloway"
