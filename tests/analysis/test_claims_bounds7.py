"""Where a claim's content ends (issue 12, seventh round): a list of demands
cut at its first comma, a reported clause whose quotation goes on after the
cue, a few words in quotation marks taken for what was said, a quotation
opening with "That's". Each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_list_of_demands_after_an_infinitive(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Olsen urged the council to scrap the harbour tax, replace the board "
        "and open the port to small ships."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Olsen")
    check(
        claim,
        has=("urged the council to scrap the harbour tax", "replace the board", "small ships"),
    )


def test_list_hung_on_the_verb_above(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Olsen spoke to the cameras, with Reed standing behind her as she urged the "
        "council to scrap its harbour tax, replace the board's current leadership, open "
        "up the depot on Sundays, and make its meetings open to residents."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Olsen")
    check(claim, has=("scrap its harbour tax", "replace the board", "meetings open to residents"))


def test_list_of_reasons_cited(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Olsen cited a stronger plan on flood defence, opposition to the new "
        "bridge and reforms of the port authority."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Olsen")
    check(claim, has=("cited a stronger plan", "opposition to the new bridge", "port authority"))


def test_what_is_wanted_after_an_infinitive(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The mayor wants to cement what polls show is a large lead over Brandt in the city."
    claim = one(claims_of(nlp, gazetteer, text), "mayor")
    check(claim, has=("wants to cement what polls show is a large lead",))


def test_clause_ending_in_a_quotation_goes_on_after_the_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Yet, "it is hard to prove that the dredging caused it," added Marta Olsen, '
        'the former harbour engineer. "The river has moved before."'
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Olsen" in c.speaker]
    assert len(claims) == 1, claims
    check(claims[0], has=("hard to prove", "The river has moved before"))


def test_clause_with_quotation_after_its_cue_and_a_relative(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Tom Brandt "has a lot of good roles to play, but I think this is the main one," '
        "said Marta Olsen, whose home town of Easthaven is a target too. "
        '"He deserves that job."'
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Olsen" in c.speaker]
    assert len(claims) == 1, claims
    check(claims[0], has=("good roles to play", "He deserves that job"))


def test_quoted_words_inside_a_phrase_are_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Ministers were circulating a passage from the memoir of Marta Olsen, "
        "who wrote about the “creative” use of fake letters in elections.\n\n"
        'Tom Brandt responded with anger, promoting a "Stop Olsen" campaign that '
        "focused on her record."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not any(c.text.strip(' "“”').lower() in ("creative", "stop olsen") for c in claims), [
        (c.speaker, c.text) for c in claims
    ]
    # the quoted words with the phrase they sit in, the verb first
    check(one(claims, "Olsen"), has=("wrote about the “creative” use of fake letters",))


def test_quotation_after_another_verb_is_not_the_cues(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Olsen has proposed appointing a "chief harbour inspector" who reports directly '
        'to the mayor, and called for tripling "the number of harbour inspectors so the '
        'town can act before floods cost jobs."'
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not any("inspector" in c.speaker.lower() for c in claims), [
        (c.speaker, c.text) for c in claims
    ]


def test_quotation_opening_with_thats(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "“That’s where the money went,” Marta Olsen said."
    claim = one(claims_of(nlp, gazetteer, text), "Olsen")
    assert claim.text.startswith("That’s where"), claim.text


def test_that_clause_of_a_judged_noun(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Last fall, Tom Brandt mocked the mayor's protestations that she remained a good "
        "friend of the port, as “political theatre.”"
    )
    claim = one(claims_of(nlp, gazetteer, text), "Brandt")
    check(claim, has=("protestations that she remained a good friend",))


def test_phrase_of_an_announced_object(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Tom Reed announced his engagement to the singer Ana Pike on Monday."
    claim = one(claims_of(nlp, gazetteer, text), "Reed")
    check(claim, has=("his engagement to the singer Ana Pike",), lacks=("Monday",))
    text = "The ministry has dismissed similar accusations in the past."
    assert not claims_of(nlp, gazetteer, text)


def test_urged_someone_with_a_time_before_what_is_asked(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Tom Reed, now head of the harbour trust, urged Olsen last year not to close the "
        "port until there was a way to house the fishermen."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Reed")
    check(claim, has=("urged Olsen last year not to close the port",))


def test_urged_someone_and_nothing_asked_is_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Tom Reed urged the mayor in a letter to close the port."
    check(one(claims_of(nlp, gazetteer, text), "Reed"), has=("to close the port",))
    text = "At the meeting, Tom Reed urged the mayor again."
    assert not [c for c in claims_of(nlp, gazetteer, text) if "Reed" in c.speaker]


def test_clause_of_time_stays_in_the_content(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Ben Ford says he didn't know much about Olsen before she announced her bid for "
        "mayor, but now he plans to vote for her."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Ford")
    check(claim, has=("before she announced her bid",))


def test_what_an_endorsed_object_is_after_a_colon(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Later, Governor Ana Pike endorsed one of their favourite ideas for stopping Reed: "
        "freeing all 500 delegates to vote as they wish, rather than binding them to the count."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Pike")
    check(claim, has=("endorsed one of their favourite ideas", "freeing all 500 delegates"))
