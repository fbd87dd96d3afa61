"""A clause of time is no content of a cue: "said as she marched", "But when
the council cut the budget, the union said enough" (issue 12, seventh
round), on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_a_time_after_the_cue_is_not_what_was_said(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "“They are trying to shut us up,” Ana Ruiz, 25, said as she and hundreds of "
        "others marched through the city on Sunday."
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Ruiz" in c.speaker]
    assert len(claims) == 1, [(c.speaker, c.text) for c in claims]
    check(claims[0], has=("trying to shut us up",), lacks=("marched",))
    text = "The union chief said as the strike began that the ferry talks had failed."
    check(
        one(claims_of(nlp, gazetteer, text), "union chief"),
        has=("the ferry talks had failed",),
        lacks=("strike began",),
    )


def test_a_time_before_the_cue_is_not_what_was_said(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "But when the council cut the ferry budget two years later, the union said enough."
    claims = claims_of(nlp, gazetteer, text)
    assert not claims, [(c.speaker, c.text) for c in claims]
    text = "When the storm hit, six people were killed, the agency said."
    check(one(claims_of(nlp, gazetteer, text), "agency"), has=("six people were killed",))
