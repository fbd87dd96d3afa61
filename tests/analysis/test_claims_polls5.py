"""Polls, surveys and counted groups as speakers (issue 12, fifth round),
each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_six_in_ten_with_ten_as_the_head(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(nlp, gazetteer, "Six in 10 say the ferry fares are too high."), "Six in 10"
    )
    check(claim, has=("the ferry fares are too high",))
    text = "More than six in 10 said they were not looking forward to the harbour works."
    claim = one(claims_of(nlp, gazetteer, text), "six in 10")
    check(claim, has=("they were not looking forward",))


def test_a_bare_share_speaks(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Nearly half said they would rather keep the old bridge over the Avel."
    check(one(claims_of(nlp, gazetteer, text), "half"), has=("keep the old bridge",))
    text = "Nearly a third say they do not know what the levy pays for."
    check(one(claims_of(nlp, gazetteer, text), "third"), has=("they do not know",))


def test_those_surveyed_speak(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "By a wide margin, those surveyed say the island should build a second pier."
    claim = one(claims_of(nlp, gazetteer, text), "those surveyed")
    check(claim, has=("the island should build a second pier",))


def test_majorities_in_places_and_of_any_people(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Two-thirds of fishermen in all four districts back the quota, but majorities in "
        "all four say they want the season to open earlier."
    )
    claim = one(claims_of(nlp, gazetteer, text), "majorities")
    check(claim, has=("they want the season to open earlier",))
    text = "A majority of her backers say they plan to vote for her because they dislike Dorn."
    claim = one(claims_of(nlp, gazetteer, text), "majority of her backers")
    check(claim, has=("they plan to vote for her",))


def test_a_share_the_parser_left_without_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "About 4 in 10 say they want a new harbour master."
    check(one(claims_of(nlp, gazetteer, text), "4 in 10"), has=("they want a new harbour master",))
    text = (
        "One in three said the council does not care very much about the islands and one in "
        "four said the council was openly hostile to the islands."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "One in three"), has=("does not care",), lacks=("one in four", "hostile"))
    check(one(claims, "one in four"), has=("the council was openly hostile",))


def test_a_share_with_its_figure_beside_it(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Among likely voters, about two-thirds, 67 percent, say they will vote for Ana Ruiz."
    claim = one(claims_of(nlp, gazetteer, text), "two-thirds, 67 percent")
    check(claim, has=("they will vote for Ana Ruiz",))


def test_second_share_does_not_run_into_the_first(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Even so, three-quarters of the tenants said they were very worried about the direction "
        "of the housing market, and more than 4 in 10 said Mayor Ana Ruiz would be best at "
        "handling housing."
    )
    claims = claims_of(nlp, gazetteer, text)
    first = one(claims, "three-quarters")
    check(first, has=("they were very worried about the direction",), lacks=("Ruiz",))
    assert not first.text.rstrip(" ,").endswith("and"), first.text
    check(one(claims, "4 in 10"), has=("Mayor Ana Ruiz would be best",))


def test_a_poll_of_another_clause_is_not_the_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Six in 10 say the mayor is decisive, after half said so in the spring poll."
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Six in 10"), has=("the mayor is decisive",), lacks=("spring poll",))
    text = (
        "Some 20 percent of people in a recent Harbour Gazette poll said they believe the mayor "
        "lives abroad; 29 percent (and 43 percent of fishermen) said they believe he is rich."
    )
    claim = one(claims_of(nlp, gazetteer, text), "29 percent")
    assert claim.speaker == "29 percent (and 43 percent of fishermen)", claim.speaker
    check(claim, has=("he is rich",))


def test_a_pro_form_is_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    for text in (
        "Asked whether the mayor should resign, 46 percent of voters said yes.",
        "Only 49 percent of Liberals say the same of Dorn, and three-quarters said the same "
        "of Ruiz.",
        "Six in 10 trust the harbour board, after half said so in the spring.",
        "The minister said as much on Monday.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, claims
    # a word that opens a reported clause is no pro-form
    claims = claims_of(nlp, gazetteer, "Police said no one was hurt in the blaze.")
    check(one(claims, "Police"), has=("no one was hurt",))


def test_a_group_phrase_broken_at_its_participle(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Large majorities of Liberal voters in six states going to the polls on Tuesday said "
        "they support a ban on trawlers."
    )
    claim = one(claims_of(nlp, gazetteer, text), "majorities of Liberal voters")
    check(claim, has=("they support a ban on trawlers",))
    text = (
        "Majorities of Liberals in five states going to the polls Tuesday say they would be "
        "satisfied with both candidates as the nominee."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Majorities of Liberals")
    check(claim, has=("they would be satisfied with both candidates",))


def test_a_poll_result_without_a_verb_of_saying(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Forty-one percent would choose Ana Ruiz to lead the port authority."
    claim = one(claims_of(nlp, gazetteer, text), "Forty-one percent")
    check(claim, has=("would choose Ana Ruiz",))
    text = "Only 32 percent of islanders opposed the ferry tax."
    check(one(claims_of(nlp, gazetteer, text), "32 percent"), has=("opposed the ferry tax",))
    text = "Six in 10 do not trust the harbour board."
    check(one(claims_of(nlp, gazetteer, text), "Six in 10"), has=("do not trust the harbour",))
    text = "More than half of primary voters in Avel opted for Tom Dorn."
    check(one(claims_of(nlp, gazetteer, text), "half"), has=("opted for Tom Dorn",))
    # no share counted, or nothing held: no poll result ("Many residents support
    # the plan" is a stated position, see test_claims_positions5)
    for text in (
        "Half have children at the harbour school.",
        "Fishermen oppose the new quota.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, claims


def test_a_poll_result_of_a_view(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "For Dorn, a majority of likely voters, 56%, have a negative response to his nomination."
    claim = one(claims_of(nlp, gazetteer, text), "majority of likely voters")
    assert claim.speaker.endswith("56%"), claim.speaker
    check(claim, has=("have a negative response to his nomination",))
    text = (
        "Thirty-nine percent of all residents viewed him favorably, compared to 50 percent in May."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Thirty-nine percent")
    check(claim, has=("viewed him favorably",), lacks=("compared",))
    text = "About 9 in 10 voters in five states are unhappy with the direction of the council."
    claim = one(claims_of(nlp, gazetteer, text), "9 in 10")
    check(claim, has=("unhappy with the direction of the council",))


def test_another_share_s_finding_is_cut_from_the_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "In each of the five districts, about half of voters say they prefer a candidate who is "
        "an outsider, while about 4 in 10 want one with political experience."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "half of voters"), has=("they prefer a candidate",), lacks=("4 in 10",))
    check(one(claims, "4 in 10"), has=("want one with political experience",))


def test_groups_compared_by_a_poll(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Liberal voters are slightly more likely to say that Ruiz represents their views."
    check(one(claims_of(nlp, gazetteer, text), "Liberal voters"), has=("Ruiz represents",))
    text = "Women were less likely to support the tunnel."
    claim = one(claims_of(nlp, gazetteer, text), "Women")
    check(claim, has=("were less likely to support the tunnel",))
    # a guess about someone is no poll
    claims = claims_of(nlp, gazetteer, "The mayor is likely to say that the budget is balanced.")
    assert not claims, claims


def test_the_words_of_a_counted_group(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(claims_of(nlp, gazetteer, "About a fifth said they had not decided."), "fifth")
    check(claim, has=("they had not decided",))
    text = "One-third of respondents said the port should be sold."
    assert one(claims_of(nlp, gazetteer, text), "third").speaker == "One-third of respondents"
    text = "Just 12 percent of those polled said the mayor should stay."
    claim = one(claims_of(nlp, gazetteer, text), "12 percent")
    assert claim.speaker == "Just 12 percent of those polled", claim.speaker
    text = "Overall, 48 percent approve of the job Ruiz is doing, while 45 percent disapprove."
    claim = one(claims_of(nlp, gazetteer, text), "48 percent")
    check(claim, has=("approve of the job Ruiz is doing",), lacks=("Overall", "45 percent"))


def test_those_who_did_something(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Those who voted for Ruiz said the port should be sold."
    claim = one(claims_of(nlp, gazetteer, text), "Those who voted for Ruiz")
    check(claim, has=("the port should be sold",))
    # a clause of saying is no description of a speaker
    text = "Those who said the port should be sold were mostly older."
    assert not claims_of(nlp, gazetteer, text)


def test_a_number_of_people(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "A growing number of residents say the port should be sold."
    claim = one(claims_of(nlp, gazetteer, text), "number of residents")
    check(claim, has=("the port should be sold",))
    assert not claims_of(nlp, gazetteer, "The number of cases said nothing.")
