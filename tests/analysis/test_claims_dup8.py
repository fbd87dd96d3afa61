"""Claims that split or merge attributions wrongly (issue 12, eighth round):
a report that is the main verb of another claim's reported clause is part of
that claim, not a second claim beside it. Each on sentences written for
this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import claims_of, one


def test_a_report_inside_the_reported_clause_is_no_claim_of_its_own(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Jana Ortiz, the council's budget chief, said that a panel appointed by the "
        "mayor estimated in 2019 that the new tram line would cost less than $2 billion."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 1, [(c.speaker, c.text) for c in claims]
    assert "panel appointed by the mayor estimated" in one(claims, "Ortiz").text


def test_a_denial_inside_the_reported_clause_stays_the_reporters(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Top aides said the mayor had rejected the idea of a farewell speech "
        "in the style of his predecessor."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert [c.speaker for c in claims] == ["Top aides"], [(c.speaker, c.text) for c in claims]


def test_the_agent_of_asked_is_the_asker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "When asked by a reporter whether the plan differed from the old registry, "
        "Mayor Tom Hale said he would not answer."
    )
    claims = claims_of(nlp, gazetteer, text)
    question = next(c for c in claims if "registry" in c.text)
    assert question.speaker == "a reporter", [(c.speaker, c.text) for c in claims]
    assert one(claims, "Hale").text == "he would not answer"

    # without "by …" the one asked stays the speaker, as before
    text = "Asked whether the plan would pass, Mayor Tom Hale said he was confident."
    claims = claims_of(nlp, gazetteer, text)
    assert all("Hale" in c.speaker for c in claims), [(c.speaker, c.text) for c in claims]


def test_a_participle_after_a_preposition_in_the_clause_is_no_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Tom Vale spoke in Denver on Monday. Asked about his fees, his campaign said he "
        "has not accepted any new speeches since announcing his candidacy and suggested "
        "that the bigger question is whether rivals are wasting public money."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not any(c.cue == "announcing" for c in claims), [(c.speaker, c.text) for c in claims]
    assert "since announcing his candidacy" in one(claims, "campaign").text


def test_a_name_set_off_at_the_end_of_the_subject_is_the_speaker(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    # the parser apposes the name to "Mr. Cole"; a name does not appose a name
    text = (
        "One pastor supporting Mr. Cole, Darran Whiting of Liberty Church in Marion, "
        "said he had made more than 150 phone calls to other pastors."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 1 and "Darran Whiting" in claims[0].speaker, [
        (c.speaker, c.text) for c in claims
    ]


def test_a_second_description_of_the_one_named_is_no_co_speaker(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Steve Bell, senior director of policy at the Harlan Center, and a Republican "
        "who headed the committee staff, said the plans were deeply reckless."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert [c.speaker for c in claims] == ["Steve Bell"], [(c.speaker, c.text) for c in claims]
    # two people named, each with a description, both speak
    text = "Anna Lee, a lawyer, and Tom Ross, a banker, said the deal was fair."
    assert {c.speaker for c in claims_of(nlp, gazetteer, text)} == {"Anna Lee", "Tom Ross"}


def test_a_cue_in_a_condition_inside_the_clause_is_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Tom Vale spoke on Monday. The businessman has insisted that his bargaining "
        "position will be strongest if he refuses to divulge his plans."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert [c.cue for c in claims] == ["insisted"], [(c.speaker, c.cue, c.text) for c in claims]


def test_someone_tied_to_a_named_person_is_not_that_person(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(nlp, gazetteer, "A friend of Mr. Cole said the senator was tired.")
    assert [c.speaker for c in claims] == ["A friend of Mr. Cole"], [
        (c.speaker, c.text) for c in claims
    ]
    claims = claims_of(nlp, gazetteer, "Cole's lawyer said the case was weak.")
    assert [c.speaker for c in claims] == ["Cole's lawyer"], [(c.speaker, c.text) for c in claims]
    # a tie in an apposition leaves the one named the speaker
    claims = claims_of(nlp, gazetteer, "Tom Cole, a friend of the mayor, said the vote was fair.")
    assert [c.speaker for c in claims] == ["Tom Cole"], [(c.speaker, c.text) for c in claims]


def test_people_tied_to_a_person_are_no_antecedent_of_he(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Two aides to Mr. Cole said the senator was tired. He said he would not run again."
    claims = claims_of(nlp, gazetteer, text)
    assert one(claims, "aides").text == "the senator was tired"
    later = next(c for c in claims if "run again" in c.text)
    assert later.speaker == "Cole", [(c.speaker, c.text) for c in claims]


def test_a_judging_verb_on_him_after_the_clause_is_the_first_speakers(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Ms. Khan said Mr. Cole was ignorant of the faith and criticized him for "
        "saying he had sacrificed for his country."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert all("Khan" in c.speaker for c in claims), [(c.speaker, c.text) for c in claims]
    criticism = next(c for c in claims if c.cue == "criticized")
    assert "sacrificed" in criticism.text
    assert "criticized" not in next(c for c in claims if c.cue == "said").text
