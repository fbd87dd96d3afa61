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
