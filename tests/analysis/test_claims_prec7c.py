"""A quotation broken by its cue goes on past a conjunction: "“A,” she
said, but “B”" is one claim that keeps the "but" (issue 12, seventh round),
on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of


def test_a_quotation_goes_on_past_but(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "“You know, I admire Tom,” Mayor Ana Ruiz said, but “when it comes to the "
        "harbour, Tom has a history of siding with the builders.”"
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 1, [(c.speaker, c.text) for c in claims]
    check(claims[0], has=("I admire Tom, but when it comes to the harbour",), direct=True)
    # another speaker after the conjunction keeps the second quotation
    text = "“We will rebuild,” Ana Ruiz said, and Tom Brask warned, “it will cost a fortune.”"
    claims = claims_of(nlp, gazetteer, text)
    assert {c.speaker for c in claims} == {"Ana Ruiz", "Tom Brask"}, claims
