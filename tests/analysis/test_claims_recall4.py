"""Constructions of attribution with a speech cue that the rules missed
(issue 12, fourth round), each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_announced_after_the_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The ferry service will resume on Monday with two new boats, "
        "the port authority announced Friday."
    )
    claim = one(claims_of(nlp, gazetteer, text), "port authority")
    check(claim, has=("ferry service will resume on Monday",), lacks=("announced",))


def test_predicted_after_the_clause_with_the_speaker_after_it(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "The strike will end before the harvest, predicted Lena Ostrova, "
        "the union's former treasurer."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Ostrova")
    check(claim, has=("strike will end before the harvest",), lacks=("treasurer",))


def test_contracted_has_said_is_not_a_passive(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senator Ned Dunmore spoke in Ohio on Sunday. "
        "While he's said he will stay in the race, Mr. Dunmore must decide what he wants."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Dunmore")
    check(claim, has=("he will stay in the race",), lacks=("must decide",))


def test_impersonal_its_said_names_nobody(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(nlp, gazetteer, "It's said that the old castle is haunted.")
    assert not any(c.speaker.lower() == "it" for c in claims), claims


def test_as_clause_reports_the_sentence_it_is_set_in(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "As the Valley Courier recently noted, water use in the county has doubled since 2010.",
        ),
        "Courier",
    )
    check(claim, has=("water use in the county has doubled",), lacks=("noted",))
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "Mayor Ana Ruiz toured the plant. Water use in the county has doubled since "
            "2010, as Ruiz told reporters on Monday.",
        ),
        "Ruiz",
    )
    check(claim, has=("Water use in the county has doubled since 2010",), lacks=("reporters",))


def test_as_clause_with_an_object_reports_nothing(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Mayor Ana Ruiz toured the plant. As she announced her budget, the crowd left."
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Ruiz" in c.speaker]
    assert not any("crowd left" in c.text for c in claims), claims


def test_quoted_label_hung_inside_the_object(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            'Former mayor Tom Reyes called the use of emergency powers "quite reckless."',
        ),
        "Reyes",
    )
    check(claim, has=("use of emergency powers", "quite reckless"))
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            'Party chair Ron Kell called the mayor\'s remarks a "new low" and a '
            '"desperate attempt to hide his ties to developers."',
        ),
        "Kell",
    )
    check(claim, has=("remarks", "new low", "desperate attempt"))


def test_a_phone_call_is_no_label(nlp: Any, gazetteer: Gazetteer) -> None:
    for text in (
        'Ms. Ida Brandt called the office of "Citizens for Water" on Monday.',
        'Ms. Ida Brandt called the "Water First" hotline on Monday.',
    ):
        assert not [c for c in claims_of(nlp, gazetteer, text) if "Brandt" in c.speaker], text


def test_cue_between_commas_keeps_the_rest_of_the_sentence(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "So it makes sense, analysts said, for the city to put the levy on the ballot now."
    claim = one(claims_of(nlp, gazetteer, text), "analysts")
    check(claim, has=("it makes sense", "put the levy on the ballot now"))


def test_cue_between_commas_with_a_quotation_after_it(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Ana Ruiz spoke on Monday. Ruiz, a top aide said, “is very confident in the "
        "plan” for the harbour."
    )
    claim = one(claims_of(nlp, gazetteer, text), "aide")
    check(claim, has=("Ruiz", "very confident in the plan", "for the harbour"))


def test_participle_after_a_thing_speaks_for_the_subject(nlp: Any, gazetteer: Gazetteer) -> None:
    text = 'Senator Ivo Renn opened the debate saying "of course" the mayor can lead.'
    claim = one(claims_of(nlp, gazetteer, text), "Renn")
    check(claim, has=("the mayor can lead",))
    assert not [c for c in claims_of(nlp, gazetteer, text) if "debate" in c.speaker.lower()]


def test_reported_subject_taken_for_a_second_subject(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Okafor, whose coalition includes farmers and students, said closed primaries -- "
        "those open only to members -- deny many independents the right to vote."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Okafor")
    check(claim, has=("closed primaries", "deny many independents the right to vote"))


def test_quotation_after_someone_elses_verb_is_not_the_speakers(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Senator Ted Vance spoke at the fair. \"Apparently there's a young man who's having "
        'some problems," Vance said as the heckler yelled: "You stink!"'
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Vance" in c.speaker]
    assert len(claims) == 1, claims
    check(claims[0], has=("young man",), lacks=("stink",))


def test_quotation_resumed_after_the_cue_is_one_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = '"The dam will hold," Mayor Ana Ruiz said, "and the town is safe."'
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Ruiz" in c.speaker]
    assert len(claims) == 1, claims
    check(claims[0], has=("The dam will hold", "the town is safe"))
    text = (
        '"I thought she was the most amazing person," Mayor Ana Ruiz said, as she traced '
        'her friend\'s career. "She had not been elected to anything."'
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Ruiz" in c.speaker]
    assert any("amazing person" in c.text and "elected" in c.text for c in claims), claims


def test_participle_with_that_after_a_quoted_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senator Ivo Renn spoke in Dover. “We have come a long way,” he said, noting that "
        "at one point earlier in the race he had trailed by 50 points."
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Renn" in c.speaker]
    assert any("trailed by 50 points" in c.text for c in claims), claims
    assert any(c.text.startswith("We have come a long way") for c in claims), claims


def test_participle_after_an_adverb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Ana Ruiz has expressed frustration about the audit, recently telling one "
        "friend that she is puzzled about the timing."
    )
    # the frustration she voiced is a claim of its own now (round 7, light7)
    claims = [c for c in claims_of(nlp, gazetteer, text) if "puzzled" in c.text]
    check(one(claims, "Ruiz"), has=("she is puzzled about the timing",))


def test_declared_after_a_quotation_with_an_aside(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "“Nobody has run for this job better prepared,” Ruiz declared of her deputy, her "
        "words drowned by applause."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Ruiz")
    check(claim, has=("Nobody has run for this job",), lacks=("applause",))


def test_predicted_that_after_a_place(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Governor Ned Scott predicted at the most recent debate that his party will take "
        '"every county" if Ruiz wins.'
    )
    claim = one(claims_of(nlp, gazetteer, text), "Scott")
    check(claim, has=("will take", "every county"), lacks=("debate",))


def test_quotation_after_a_message_and_a_colon(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senate leader Tom Vale delivered a blunt message to the mayor: "
        '"It is time to stop attacking people and fix the roads."'
    )
    claim = one(claims_of(nlp, gazetteer, text), "Vale")
    check(claim, has=("time to stop attacking people",), direct=True)
    text = (
        "A paper from the Harlow Institute had this to say about the plan: "
        '"Families at the top would gain the most from it."'
    )
    claim = one(claims_of(nlp, gazetteer, text), "Harlow|paper")
    check(claim, has=("Families at the top would gain",))


def test_a_message_received_is_not_the_receivers(nlp: Any, gazetteer: Gazetteer) -> None:
    text = 'The museum received a letter from the council: "The grant is over."'
    assert not [c for c in claims_of(nlp, gazetteer, text) if "museum" in c.speaker.lower()]


def test_participle_after_while_inside_the_reported_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "In a 2014 interview, Mayor Ana Ruiz insisted it was “premature” to back the plan "
        "while adding on water matters, “I have no doubt that her heart is in the right place.”"
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Ruiz" in c.speaker]
    first = [c for c in claims if "premature" in c.text]
    assert first, claims
    check(first[0], has=("to back the plan",), lacks=("adding", "heart"))
    assert any(c.text.startswith("I have no doubt") for c in claims), claims


def test_according_to_a_source_with_a_relative_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The storm killed at least 12 people, according to officials, who said the toll could rise."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not [c for c in claims if "storm" in c.speaker.lower()], claims
    told = [c for c in claims if c.speaker.lower() == "officials"]
    assert any(c.text == "The storm killed at least 12 people" for c in told), claims
    assert any(c.text == "the toll could rise" for c in told), claims


def test_according_to_in_the_middle_leaves_one_comma(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The city faces a deficit of $4 million, according to the budget office, "
        "with most of the gap in transit."
    )
    claim = one(claims_of(nlp, gazetteer, text), "budget office")
    check(claim, has=("$4 million, with most of the gap in transit",), lacks=(", ,",))


def test_what_someone_called_a_quoted_label(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Mayor Ana Ruiz denounced what she called ''a reckless plan'' to sell the harbour."
    claim = one(claims_of(nlp, gazetteer, text), "Ruiz")
    check(claim, has=("a reckless plan",))
    plain = "Mayor Ana Ruiz did what she called the right thing."
    assert not [c for c in claims_of(nlp, gazetteer, plain) if "Ruiz" in c.speaker]


def test_pronoun_of_what_it_called_is_the_clause_subject(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The Harbour Trust said on Monday that the ferry was late. The city council on "
        "Friday condemned the sale and vowed to fight what it called ''a reckless plan.''"
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "reckless plan" in c.text]
    assert claims and all("council" in c.speaker.lower() for c in claims), claims


def test_quotation_after_a_participle_is_the_participles(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Former governor Ida Kunz spoke. "She can never be as far left as Bernie," she said, '
        'recalling her own experience: "I\'m not sure he hurt me, but he took my attention away."'
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Kunz" in c.speaker]
    assert any(c.text.startswith("She can never be as far left") for c in claims), claims
    assert any(c.text.startswith("I'm not sure he hurt me") for c in claims), claims


def test_participle_of_a_relayed_sentence_is_the_subjects(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Ana Ruiz welcomed the news that Dorn would quit, saying the councillor was "
        '"doing the right thing," the Valley Courier reported.'
    )
    claim = one(claims_of(nlp, gazetteer, text), "Ruiz")
    check(claim, has=("doing the right thing",))


def test_a_discourse_phrase_is_no_part_of_the_content(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Ida Kunz spoke in May. She described him as "kind." (That said, she also noted, '
        '"When you attack him, he will punch back harder.")'
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "punch back" in c.text]
    assert claims and not any("That said" in c.text for c in claims), claims


def test_plain_paragraph_after_a_colon(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The water ministry said in a statement on Monday:\n\n"
        "The plant will close in May and its 400 workers will be moved to the new site.\n\n"
        "Separately, the mayor visited the harbour."
    )
    claim = one(claims_of(nlp, gazetteer, text), "ministry")
    check(claim, has=("plant will close in May",), lacks=("harbour",))
    text = "Here is what we know:\n\nThe bridge closed at noon and traffic was diverted."
    assert not [c for c in claims_of(nlp, gazetteer, text) if "bridge closed" in c.text]


def test_the_following_is_no_part_of_the_content(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The ferry company said the following: all crossings will resume on Monday."
    claim = one(claims_of(nlp, gazetteer, text), "ferry company")
    check(claim, has=("all crossings will resume",), lacks=("following",))
