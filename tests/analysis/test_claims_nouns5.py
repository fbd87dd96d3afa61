"""What a speaker judged, taken whole (issue 12, fifth round): the object of
a cue of praise, criticism, blame or questioning with the pieces the parser
hangs on the verb, each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.models import Stance
from tests.analysis.test_claims import check, claims_of, one


def test_praised_takes_the_whole_object(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Pia Lindqvist praised the efforts of a donor to Mayor Tomas Brandt "
        "to shame the developer by flying banners over the harbour on Sunday."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Lindqvist")
    check(claim, has=("praised the efforts of a donor", "to shame the developer by flying"))


def test_questioning_takes_the_judgment_and_what_it_was_in(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Councillor Ines Marr is hitting back, questioning Brandt's judgment in backing "
        "the tunnel and accepting gifts from builders."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Marr")
    check(
        claim,
        has=(
            "questioning Brandt's judgment in backing the tunnel",
            "accepting gifts from builders",
        ),
        stance=Stance.QUESTION,
    )


def test_criticized_takes_a_partly_quoted_object_whole(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Governor Ola Vinter criticized the "tribal politics" on display in the increasingly '
        "bitter race for the party leadership."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Vinter")
    check(claim, has=("criticized the", "on display in the increasingly bitter race"))


def test_the_occasion_and_a_clause_of_its_own_stay_out(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(
        nlp,
        gazetteer,
        "Mayor Tomas Brandt blamed the flooding on the closure of the old canal, not on "
        "the rain, in a statement on Monday.",
    )
    check(
        one(claims, "Brandt"),
        has=("blamed the flooding on the closure of the old canal",),
        lacks=("statement", "Monday"),
    )
    claims = claims_of(
        nlp,
        gazetteer,
        "Ines Marr criticized the decision of the board to close the pool because the town "
        "had no other one.",
    )
    check(
        one(claims, "Marr"),
        has=("criticized the decision of the board to close the pool",),
        lacks=("no other one",),
    )
