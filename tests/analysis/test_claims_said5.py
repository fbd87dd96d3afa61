"""Plain verbs of saying and headline colons that gave no claim (issue 12,
fifth round), each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def _colon(claims: list[Any]) -> list[Any]:
    return [c for c in claims if c.cue == ":"]


def test_headline_name_colon_with_a_quoted_part(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Irene Vale: ‘No Regrets’ About Closing the Harbour Pier\n\n"
        "Former harbour master Irene Vale said on Tuesday that she did not regret "
        "closing the pier in March."
    )
    claim = one(_colon(claims_of(nlp, gazetteer, text)), "Irene Vale")
    check(claim, has=("‘No Regrets’ About Closing the Harbour Pier",))
    # a headline about two people, or a question about one, says nothing of theirs
    two = (
        "Irene Vale Backs Tomas Dorn: I Am ‘Shocked’ By the Council\n\n"
        "The former harbour master backed the former mayor on Friday."
    )
    assert not [c for c in _colon(claims_of(nlp, gazetteer, two)) if "Dorn" in c.speaker]
    question = (
        "Tomas Dorn: Reformer or Another Career Politician?\n\nThe former mayor is running again."
    )
    assert not _colon(claims_of(nlp, gazetteer, question))


def test_headline_name_with_a_title_and_a_place(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Former Mayor Dorn at Hearing: Budget Was Never Balanced\n\n"
        "Former mayor Tomas Dorn told a council hearing on Monday that the city "
        "budget had never been balanced during his two terms."
    )
    claim = one(_colon(claims_of(nlp, gazetteer, text)), "Dorn")
    check(claim, has=("Budget Was Never Balanced",), lacks=("Hearing",))


def test_headline_group_of_people_and_rubric(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Historians: Lind, Reyes linked no matter what\n\n"
        "Her fate in November hinges on the governor's popularity."
    )
    claim = one(_colon(claims_of(nlp, gazetteer, text)), "Historians")
    check(claim, has=("Lind, Reyes linked no matter what",))
    rubric = "Analysis: The council has a budget problem\n\nThe council met on Monday."
    assert not _colon(claims_of(nlp, gazetteer, rubric))


def test_headline_rubric_before_the_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "EXCLUSIVE – Irene Vale: Don’t Trust the New Parking Meters\n\n"
        "The new parking meters overcharge drivers, the former harbour master "
        "Irene Vale said."
    )
    claim = one(_colon(claims_of(nlp, gazetteer, text)), "Irene Vale")
    check(claim, has=("Trust the New Parking Meters",), lacks=("EXCLUSIVE",))


def test_quoted_words_before_the_reported_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Lind said on WRVX\'s "This Week With Tom Reyes" that she would "take a look" '
        "at such legislation, which would give police more time to conduct background "
        "checks on buyers."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Lind")
    check(claim, has=("she would", "such legislation"), lacks=("This Week",))


def test_a_word_of_the_quotation_taken_for_the_subject(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        '"Watch a fully formed calf on the table, its heart beating, its legs kicking '
        "while someone says, 'We have to keep it alive,' \" said former executive "
        "Carla Vance during the second debate."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Vance")
    check(claim, has=("Watch a fully formed calf",), direct=True)


def test_a_verb_without_subject_after_the_cue_is_not_its_clause(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        '"Ada Lind reinforces all the worst things voters think of the council: '
        'dishonest and untrustworthy," spokesman Tom Reyes said in a statement issued '
        "a half-hour before the meeting was set to begin."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Reyes")
    check(claim, has=("reinforces all the worst things",), lacks=("issued",))


def test_speaker_before_a_relative_clause_the_parser_took(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The senator met donors in Tampa on Friday. One attendee, who like others "
        "spoke on the condition of anonymity to discuss the private meeting, said the "
        'message was that "this is not going to be over in February or March."'
    )
    claim = one(claims_of(nlp, gazetteer, text), "attendee")
    check(claim, has=("the message was",))
    text = (
        "Although there is no such overlap with the Reyes team, a City Hall official "
        "who spoke anonymously to discuss internal strategy said Wednesday, "
        '"Certainly there are discussions between City Hall and the Reyes campaign."'
    )
    claim = one(claims_of(nlp, gazetteer, text), "official")
    check(claim, has=("Certainly there are discussions",), direct=True)


def test_adjective_after_the_speaker_taken_for_a_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "But while Republicans are happily supporting the delay, multiple sources "
        "privy to negotiations say it is the Democratic leaders in Congress who have "
        "insisted on acting now."
    )
    claim = one(claims_of(nlp, gazetteer, text), "sources")
    check(claim, has=("Democratic leaders in Congress",))


def test_by_saying(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Before the storm, Dorn took a more hands-off approach to the crisis, "
        "suggesting the city outsource the work to the county, was tepid about state "
        "involvement and distinguished himself in the field by saying he would make "
        "peace with the union."
    )
    claim = one([c for c in claims_of(nlp, gazetteer, text) if c.cue == "saying"], "Dorn")
    check(claim, has=("make peace with the union",))
    text = (
        "In the last debate, candidates were able to talk their way out of tough "
        "questions by saying it was the questioner, not the candidate, who had been wrong."
    )
    claim = one(claims_of(nlp, gazetteer, text), "candidates")
    check(claim, has=("it was the questioner",))


def test_participle_after_a_hyphen_dash(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Ada Lind won the primary. When she appeared before supporters late Monday, "
        "she declined to claim outright victory - only saying that she was breathing "
        'a "sigh of relief" at the numbers.'
    )
    claim = one(claims_of(nlp, gazetteer, text), "Lind")
    check(claim, has=("she was breathing",))


def test_it_is_the_document_or_company_before(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The audit also listed breaches in which staff leaving the regulator took "
        "documents with them. It said current officials have concealed information "
        "about breaches that Congress had requested."
    )
    claim = one(claims_of(nlp, gazetteer, text), "audit")
    check(claim, has=("current officials have concealed information",))
    text = (
        '"Mr. Dorn never contacted anyone at our office before the listing was '
        'created," the company wrote in its statement.\n\n'
        'It added, "We want no part in the listing or in any of the publicity it is '
        'receiving."'
    )
    claim = one([c for c in claims_of(nlp, gazetteer, text) if c.cue == "added"], "company")
    check(claim, has=("We want no part in the listing",))


def test_infinitives_of_saying(nlp: Any, gazetteer: Gazetteer) -> None:
    cases = (
        (
            "Ada Lind, who is running for mayor, tweeted on Friday to say she had "
            "never suggested the city should track tenants.",
            "Lind",
            "never suggested the city should track tenants",
        ),
        (
            "The technology columnist Tom Reyes went so far as to say: ''The network "
            "as we know it is over.''",
            "Reyes",
            "The network as we know it is over",
        ),
        (
            "Mayor Tom Reyes took to the radio to say that the bridge would reopen on Monday.",
            "Reyes",
            "the bridge would reopen on Monday",
        ),
        (
            "Even the sleepy timing of the debate led Republicans to say that "
            "Democrats were trying to protect their candidate.",
            "Republicans",
            "Democrats were trying to protect",
        ),
        (
            "Mayor Tom Reyes interjected to say: ''They have both been inconsistent "
            "when it comes to this issue.''",
            "Reyes",
            "They have both been inconsistent",
        ),
    )
    for text, speaker, content in cases:
        claim = one(claims_of(nlp, gazetteer, text), speaker)
        check(claim, has=(content,))
    # an infinitive of purpose reports nothing
    assert not claims_of(nlp, gazetteer, "The mayor called a meeting to say goodbye to the staff.")


def test_cue_the_parser_split_off_as_a_sentence(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "As a general rule, if a graduate earns more than their debt total, they should "
        "not have trouble paying the loans back in 10 years or less, the economist Tom "
        "Reyes said.\n\n"
        'Those who do take on  heavy debt struggle, even with a "good" job, he said.\n\n'
        "Ada Lind is saddled with about $92,000 in student loan debt."
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "debt struggle" in c.text]
    claim = one(claims, "Reyes")
    check(claim, has=("Those who do take on heavy debt struggle",))


def test_quotation_the_content_opens_runs_to_its_end(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Sen. Ada Lind (Ore.) has said that she would "carpet-bomb [the militants] into '
        'oblivion. I do not know if sand can glow in the dark, but we are going to find out."'
    )
    claim = one(claims_of(nlp, gazetteer, text), "Lind")
    check(claim, has=("she would", "we are going to find out"))


def test_reported_subject_taken_for_a_time_of_the_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Reyes, the co-author of "Going Viral," about the rapid spread of information, '
        'said the days when the nation had "a somewhat unifying story" from newspapers '
        "and the leading TV news networks are gone."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Reyes")
    check(claim, has=("the days when the nation had", "are gone"))


def test_first_person_account(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "I had prepared a short statement to read. I decided on the spur of the moment "
        "to speak to the judge directly.\n\n"
        "“Your Honor,” I said, “I would like to answer the question you raised about "
        "why someone like me would do a thing like this.”\n\n"
        "I told the host that the government had tried to put me away."
    )
    claims = claims_of(nlp, gazetteer, text)
    said = one([c for c in claims if c.cue == "said"], "writer")
    check(said, has=("I would like to answer the question",), direct=True)
    told = one([c for c in claims if c.cue == "told"], "writer")
    check(told, has=("the government had tried to put me away",))


def test_aside_after_a_dash_is_not_the_cue_s(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "WASHINGTON -- A six-year trend of falling port deficits will end this year, "
        "sooner than expected, the harbour budget office reported on Tuesday -- a "
        "development that raises new questions for the candidates."
    )
    claim = one(claims_of(nlp, gazetteer, text), "budget office")
    check(claim, has=("trend of falling port deficits will end",), lacks=("development",))


def test_cue_with_its_audience_between_commas(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(nlp, gazetteer, "The solution, the banker told them, was simple."), "banker"
    )
    check(claim, has=("The solution was simple",))
    text = "The plan, the mayor told reporters on Monday, would cost the city nothing."
    claim = one(claims_of(nlp, gazetteer, text), "mayor")
    check(claim, has=("The plan would cost the city nothing",))


def test_according_to_a_name_the_parser_left_outside(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Four of the five boats are more than 20 years old, a rarity for most owners. "
        "The exception is a 19-year-old Cessna 750 Citation X - the only one of the five "
        "without the Dorn name painted on it in large letters. The smaller plane was "
        "grounded last week after The Valley Courier reported that its registration had "
        "expired in January. It is now cleared to fly again, according to the F.A.A.\n\n"
        "Most people who own aircraft do not have more than one or two."
    )
    claim = one(claims_of(nlp, gazetteer, text), "F.A.A")
    check(claim, has=("It is now cleared to fly again",), lacks=("F.A.A",))


def test_participle_opening_the_sentence_after_while(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "While saying that he respects the mayor, Reyes continued to express doubts about the plan."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Reyes")
    check(claim, has=("he respects the mayor",), lacks=("doubts",))


def test_belief_inside_a_headline_claim_is_the_headline_s(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Tom Reyes: Ada thinks feds require too many tests at school.\n\n"
        "Ada Lind thinks the federal government requires too many tests for school "
        "children, former governor Tom Reyes said this week at an event in Wyoming."
    )
    claims = claims_of(nlp, gazetteer, text)
    claim = one(_colon(claims), "Tom Reyes")
    check(claim, has=("Ada thinks feds require too many tests",))
    assert not [c for c in claims if c.cue == "thinks" and "feds" in c.text], claims


def test_clause_first_with_a_long_time_and_place_after_the_cue(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Ada Lind thinks the federal government requires too many tests for school "
        "children, former governor Tom Reyes said this week at an event in Wyoming."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Reyes")
    check(claim, has=("Ada Lind thinks the federal government requires",), lacks=("Wyoming",))
