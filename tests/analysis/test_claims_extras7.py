"""Claims a reader would find wrong (issue 12, seventh round, precision):
a relative clause on a description after "is" speaks for the subject of
"is", and its content is its own words, without the description; each on
sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_a_relative_clause_on_a_description_speaks_for_the_one_described(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Mayor Tom Barlow is a habitual fibber, bigot, crank and bully who has "
        "repeatedly pledged to expel all cyclists — thousands of residents of the "
        "whole city — from the downtown area."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not any("bully" in c.speaker for c in claims), [(c.speaker, c.text) for c in claims]
    claim = one(claims, "Barlow")
    check(
        claim,
        has=("to expel all cyclists", "from the downtown area"),
        lacks=("bully",),
    )


def test_a_relative_clause_on_one_of_two_named_guests_stays_with_that_guest(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Ann Cole has invited two guests: Bob Reyes, the head of a bank, and her "
        "friend Tom Barlow, who has pledged to make Ms. Cole mayor if he wins."
    )
    claims = claims_of(nlp, gazetteer, text)
    claim = one(claims, "Barlow")
    check(claim, has=("to make Ms. Cole mayor",), lacks=("friend",))
    assert not any("Reyes" in c.speaker for c in claims), [(c.speaker, c.text) for c in claims]
