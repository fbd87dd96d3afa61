"""Speech the extractor used to miss (issue 12, eighth round): an infinitive
of saying under a word of readiness or expectation ("was quick to point out
that …", "is expected to argue that …", "went out of his way to say that
…"). Each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.models import Stance
from tests.analysis.test_claims import check, claims_of, one


def test_an_infinitive_of_saying_under_a_word_of_readiness(nlp: Any, gazetteer: Gazetteer) -> None:
    for text, who, has in (
        (
            "Mayor Lena Ortez was quick to point out that the ferry fares had not risen in "
            "five years.",
            "Ortez",
            "the ferry fares had not risen",
        ),
        (
            "Councillor Ivo Brandt is expected to argue that the harbor levy hurts small "
            "fishing crews.",
            "Brandt",
            "the harbor levy hurts",
        ),
        (
            "Governor Tomas Reyl spoke at the mill on Monday. He went out of his way to say "
            "that the valley's economy had turned a corner.",
            "Reyl",
            "the valley's economy had turned a corner",
        ),
        (
            "Senator Ada Kovic was careful to note that no vote on the dam had been scheduled.",
            "Kovic",
            "no vote on the dam",
        ),
    ):
        check(one(claims_of(nlp, gazetteer, text), who), has=(has,))


def test_a_verb_of_casting_is_a_claim_only_with_its_label_after_as(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    for text, who, has in (
        (
            "Councillor Ivo Brandt portrayed the dock strikers as paid agitators.",
            "Brandt",
            "the dock strikers as paid agitators",
        ),
        (
            "Mayor Lena Ortez continued to portray the ferry company as a threat to the island.",
            "Ortez",
            "the ferry company as a threat",
        ),
        (
            "Governor Tomas Reyl framed the levy vote as a referendum on the harbor board.",
            "Reyl",
            "a referendum on the harbor board",
        ),
    ):
        check(one(claims_of(nlp, gazetteer, text), who), has=(has,))
    # no label, or a work of art that portrays: no claim
    for text in (
        "Councillor Ivo Brandt painted the fence of the harbor office on Sunday.",
        "The new film portrays the harbor strike as a turning point for the town.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, [(c.speaker, c.text) for c in claims]


def test_a_phrasal_verb_of_talking_up_or_down_is_read_as_its_one_word_cue(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    for text, who, has, stance in (
        (
            "Right afterward, Senator Ada Kovic talked up her plans to widen the ferry port.",
            "Kovic",
            "her plans to widen the ferry port",
            Stance.ASSERT,
        ),
        (
            "Governor Tomas Reyl of Ardan played down the risk of flooding in the lower valley.",
            "Reyl",
            "the risk of flooding",
            Stance.DENY,
        ),
        (
            "Mayor Lena Ortez downplayed the council's attack on the harbor board.",
            "Ortez",
            "attack on the harbor board",
            Stance.DENY,
        ),
    ):
        check(one(claims_of(nlp, gazetteer, text), who), has=(has,), stance=stance)
    claims = claims_of(nlp, gazetteer, "The brass band played up the tempo at the fair.")
    assert not claims, [(c.speaker, c.text) for c in claims]


def test_a_gerund_after_the_phrase_of_a_boast_or_a_warning_is_part_of_it(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "Senator Ada Kovic bragged about her father teaching her how to sail as a girl."
    check(one(claims_of(nlp, gazetteer, text), "Kovic"), has=("teaching her how to sail",))


def test_a_quotation_after_a_round_up_heading_and_a_name(nlp: Any, gazetteer: Gazetteer) -> None:
    for text, who, has in (
        (
            "Harbor poll round-up\n\n"
            "COASTAL TOWNS SWING TOWARD THE FERRY LEVY FOR THE FIRST TIME - Ines Barrow: "
            "“Our survey of 40 coastal towns finds that 22 now back the levy. The rest are "
            "split.”",
            "Barrow",
            "22 now back the levy",
        ),
        (
            "Harbor poll round-up\n\n"
            "The swing was there all along -More from Ines Barrow: “Data "
            "from our panel confirm that the shift began in the final week of the race.”",
            "Barrow",
            "the shift began in the final week",
        ),
    ):
        check(one(claims_of(nlp, gazetteer, text), who), has=(has,), direct=True)


def test_an_apology_with_what_it_is_for(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Councillor Ivo Brandt of Ardan apologized for his campaign's use of the harbor "
        "board's mailing list."
    )
    check(
        one(claims_of(nlp, gazetteer, text), "Brandt"),
        has=("apologized for his campaign's use",),
        stance=Stance.CONFIRM,
    )
    claims = claims_of(nlp, gazetteer, "Councillor Ivo Brandt of Ardan apologized on Monday.")
    assert not claims, [(c.speaker, c.text) for c in claims]


def test_a_speaker_with_an_apposition_after_an_opening_phrase(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "But in a conference call with reporters, Col. Tom Reyl, a military spokesman in "
        "Dover, said, “A raid is a combat operation. There is no way around that.”"
    )
    check(one(claims_of(nlp, gazetteer, text), "Reyl"), has=("a raid is a combat operation",))


def test_a_quotation_that_opens_with_that_keeps_its_first_word(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "“That was a fine speech you gave last night,” Steve Marsh of Ardan said."
    claim = one(claims_of(nlp, gazetteer, text), "Marsh")
    assert claim.text.startswith("That was a fine speech"), claim.text


def test_a_clause_before_a_parenthetical_suggested(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Voters, Senator Ada Kovic suggested, need not worry that the banks can sway "
        "the harbor board with donations."
    )
    check(one(claims_of(nlp, gazetteer, text), "Kovic"), has=("need not worry that the banks",))
    text = (
        "In his 2002 book, “Make Your Kid a Millionaire,” Kevin Marsh of Ardan suggested "
        "looking at the things on a card statement."
    )
    check(one(claims_of(nlp, gazetteer, text), "Marsh"), has=("looking at the things",))


def test_an_infinitive_of_saying_after_an_occasion_to_speak(nlp: Any, gazetteer: Gazetteer) -> None:
    for text, who, has in (
        (
            "Corey Marsh of Ardan took to Twitter to call the reporter “totally delusional.”",
            "Marsh",
            "the reporter “totally delusional",
        ),
        (
            "Senator Ada Kovic used her speech to accuse the governor of hiding the report.",
            "Kovic",
            "the governor of hiding the report",
        ),
    ):
        check(one(claims_of(nlp, gazetteer, text), who), has=(has,))
    # a hedge is no occasion; a tool used is no speech
    for text in (
        "Senator Ada Kovic appeared to suggest the harbor deal was off.",
        "Senator Ada Kovic used the grant to praise the ferry crews with a dinner.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, [(c.speaker, c.text) for c in claims]


def test_a_clause_of_a_voiced_feeling_hung_on_the_verb_past_a_time(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Senator Ada Kovic expressed cautious optimism over the weekend that the ferry "
        "strike would end before the holiday."
    )
    check(
        one(claims_of(nlp, gazetteer, text), "Kovic"),
        has=("the ferry strike would end",),
        lacks=("over the weekend",),
    )


def test_a_round_up_name_in_common_words_or_after_a_wide_space(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    for text, who, has in (
        (
            "Harbor poll round-up\n\n"
            "Estimates of turnout are particularly shaky - Harbor Research: “All the "
            "panels we studied include more engaged voters than the census says exist.”",
            "Harbor Research",
            "more engaged voters",
        ),
        (
            "Harbor poll round-up\n\n"
            "TURNOUT IN THE VALLEY DOES NOT RAISE HOPES - Ines Barrow:\u00a0 “At long last the "
            "contests have started, and we have a first glimpse at turnout in the valley.”",
            "Barrow",
            "a first glimpse at turnout",
        ),
    ):
        check(one(claims_of(nlp, gazetteer, text), who), has=(has,), direct=True)


def test_a_name_given_with_referred_to_as(nlp: Any, gazetteer: Gazetteer) -> None:
    for text, who, has in (
        (
            "A neighbor referred to him as “the kindest man on the whole island” in a post.",
            "neighbor",
            "the kindest man on the whole island",
        ),
        (
            "Senator Ada Kovic referred to the governor as “the best friend the smugglers ever "
            "had.”",
            "Kovic",
            "the best friend the smugglers ever had",
        ),
    ):
        check(one(claims_of(nlp, gazetteer, text), who), has=(has,))


def test_what_was_echoed_when_it_says_something(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Senator Ada Kovic echoed the mayor's call for a ceasefire in the harbor dispute."
    check(one(claims_of(nlp, gazetteer, text), "Kovic"), has=("call for a ceasefire",))
    # whom, or only a kind of content, was echoed; a place echoes sounds
    for text in (
        "Mayor Tom Reyl of Ardan, echoing Governor Lena Ortez, stayed at home on Monday.",
        "Other members of the council echo her concerns.",
        "The harbor echoed the shouts of the crowd.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, [(c.speaker, c.text) for c in claims]
