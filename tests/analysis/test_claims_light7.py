"""Speech carried by a light verb and a noun, or by "made clear" (issue 12,
round 7): "made clear that …", "issued a warning that …", "expressed
frustration that …", "expressed support for …", each on sentences written
for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_made_clear_reports_its_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The governor, Paul Ostrander, made clear that he would veto the ferry levy."
    claim = one(claims_of(nlp, gazetteer, text), "Ostrander")
    check(claim, has=("he would veto the ferry levy",), lacks=("made clear",))
    assert claim.cue == "made clear"


def test_made_it_clear_reports_its_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Harbour officials made it clear that the northern pier would stay open all winter. "
        "The flood made it clear that the old dykes were too low for the river."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "officials"), has=("northern pier would stay open",))
    # an event that makes something clear says nothing
    assert not [c for c in claims if "dykes" in c.text]


def test_warning_issued_with_a_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Mayor Rhea Calloway issued a warning that the storm could reach the harbour by noon."
    claim = one(claims_of(nlp, gazetteer, text), "Calloway")
    check(claim, has=("storm could reach the harbour",))
    assert "warning" in claim.cue


def test_assurances_and_the_case_made_with_a_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The minister, Hana Ortiz, gave assurances that no jobs would be lost at the mill. "
        "Her deputy, Ilse Brandt, made the case that lower tariffs would help farmers."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Ortiz"), has=("no jobs would be lost",))
    check(one(claims, "Brandt"), has=("lower tariffs would help farmers",))


def test_feeling_voiced_with_a_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senator Ann Pryce expressed frustration that the neighbouring states "
        "were sending too few pumps."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Pryce")
    check(claim, has=("sending too few pumps",))


def test_support_voiced_for_a_measure_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Councillor Ben Amato has expressed support for the plan to widen the river bridge."
    claim = one(claims_of(nlp, gazetteer, text), "Amato")
    check(claim, has=("expressed support for the plan to widen the river bridge",))


def test_concern_voiced_about_a_topic_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The union leader, Marta Vos, voiced concerns about the cost of the new depot. "
        "The singer Lena Hart expressed concern. "
        "The mayor, Tom Reyes, voiced the hopes of the whole valley."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Vos"), has=("voiced concerns about the cost of the new depot",))
    # a feeling voiced about nothing named, or for others, is no claim
    assert [c.speaker for c in claims] == ["Marta Vos"]


def test_caution_against_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Mayor Tom Reyes cautioned against reading too much into a single poll of the valley."
    claim = one(claims_of(nlp, gazetteer, text), "Reyes")
    check(claim, has=("cautioned against reading too much into a single poll",))


def test_charged_that_reports_its_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senator Ann Pryce charged that the ministry had ignored the flood victims for a month. "
        "The driver will be charged with reckless driving."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Pryce"), has=("the ministry had ignored the flood victims",))
    # a charge in court is no one's words here
    assert not [c for c in claims if "reckless" in c.text]


def test_call_made_with_a_noun_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senator Ann Pryce made an unprompted call for an end to the ferry subsidies. "
        "Mayor Tom Reyes made a plea for calm."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Pryce"), has=("made an unprompted call for an end to the ferry subsidies",))
    assert not [c for c in claims if "calm" in c.text]
