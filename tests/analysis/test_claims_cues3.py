"""Constructions of attribution that real copy uses and our rules missed
(issue 12, third round), each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_quotation_resumed_after_a_cue_with_a_title(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "''The bridge is safe for now,'' Ms. Okafor said. "
        "''But the cables are older than anyone admits. We will close it in June.''"
    )
    claims = claims_of(nlp, gazetteer, text)
    okafor = [c for c in claims if "Okafor" in c.speaker]
    assert len(okafor) == 1, [(c.speaker, c.text) for c in claims]
    check(okafor[0], has=("bridge is safe", "close it in June"), direct=True)


def test_cue_between_commas_after_a_short_opening(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Tomas Reyes spoke to the council on Monday. "
        "The aim, he said, is to reopen the harbour before the autumn storms."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Reyes")
    check(claim, has=("The aim", "reopen the harbour before the autumn storms"), lacks=("he said",))


def test_quoted_programme_title_is_not_the_content(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "''The tariff will hurt our farmers first,'' Senator Ada Lind said on "
        "WRVX's ''Ask the Mayor.''"
    )
    claim = one(claims_of(nlp, gazetteer, text), "Lind")
    check(claim, has=("tariff will hurt our farmers",), lacks=("Ask the Mayor",))
