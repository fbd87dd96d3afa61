"""What a side agrees, plans, decides or hopes to do and what a court rules;
lines that say nothing one could check are no claims — an outlet's
background figure, whom a warning went to, an object that only names a kind
of content (issue 12, seventh round), each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.analysis.summary import claim_spans
from bot.models import Stance
from tests.analysis.test_claims import OUTLET, check, claims_of, one


def _line(speaker: str, text: str, cue: str = "") -> str:
    return "".join(s.text for s in claim_spans(speaker, text, Stance.ASSERT, cue))


def test_an_outlets_background_figure_is_no_claim_but_its_toll_is(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Drones struck the Velta grain terminal early on Monday. "
        "Three dock workers were killed and nine were injured, regional officials said. "
        "The terminal handled about 12% of the region's barley exports last year. "
        "The valley is home to some 4.5 million people. "
        "By Tuesday, more than 2,300 residents had been evacuated from the district."
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if c.speaker == OUTLET]
    texts = [c.text for c in claims]
    assert not any("barley" in t or "4.5 million" in t for t in texts), texts
    assert any("2,300 residents had been evacuated" in t for t in texts), texts


def test_what_a_side_agrees_plans_decides_or_hopes_to_do(nlp: Any, gazetteer: Gazetteer) -> None:
    for text, who, verb_phrase in (
        ("The two dock unions agreed to end the strike on Friday.", "unions", "agreed to end"),
        ("Governor Lena Ortez plans to sign the water bill next week.", "Ortez", "plans to sign"),
        ("The Harlow council decided to delay the vote until March.", "council", "decided to"),
        ("Mayor Tom Brask intends to run for a third term.", "Brask", "intends to run"),
        ("The trade minister hopes to reach a deal with Oslo by June.", "minister", "hopes to"),
    ):
        claim = one(claims_of(nlp, gazetteer, text), who)
        check(claim, has=(verb_phrase,))
        # the line keeps the verb: "… agreed to end the strike", not "… — agreed …"
        assert _line(claim.speaker, claim.text, claim.cue).startswith(
            f"{claim.speaker} {verb_phrase}"
        ), _line(claim.speaker, claim.text, claim.cue)


def test_plain_acts_and_ones_own_voice_are_no_plans(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The Varga family decided to go home after the storm. "
        "We hope to see you at the fair. "
        "She plans to be in Dorrel on Saturday."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not claims, [(c.speaker, c.text) for c in claims]


def test_a_court_ruling_is_a_claim_of_the_court(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "A federal judge in Marlow ruled that the county's ban on street vendors was unlawful."
    claim = one(claims_of(nlp, gazetteer, text), "judge")
    check(claim, has=("ban on street vendors was unlawful",))
    # a ruler's reign or a ruling for one side is no proposition
    text = (
        "The old king ruled the island for thirty years. The court ruled in favor of the tenants."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not claims, [(c.speaker, c.text) for c in claims]


def test_a_warning_needs_what_it_warned_of(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The coast guard warned harbor officials last month."
    claims = claims_of(nlp, gazetteer, text)
    assert not claims, [(c.speaker, c.text) for c in claims]
    text = "The coast guard warned harbor officials about a rise in smuggling."
    check(one(claims_of(nlp, gazetteer, text), "coast guard"), has=("rise in smuggling",))


def test_an_object_naming_only_a_kind_of_content_is_no_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "The shipping firm announced plans on Monday. "
        "The ministry confirmed the figures. "
        "Both parties are contesting Ohio."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not claims, [(c.speaker, c.text) for c in claims]
    # with what the plans are, or a thing of its own, it is one
    text = "The shipping firm announced plans to close two depots. Pell mentioned climate change."
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "firm"), has=("plans to close two depots",))
    check(one(claims, "Pell"), has=("climate change",))


def test_a_vow_a_goal_or_a_vote_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    for text, who, verb_phrase in (
        ("President Ana Voss vowed to veto the harbour bill.", "Voss", "vowed to veto"),
        ("The dock union promised to end the strike by May.", "union", "promised to end"),
        ("The Varnia ministry aims to halve coal use by 2030.", "ministry", "aims to halve"),
        ("The shipping firm expects to hire 500 workers next year.", "firm", "expects to hire"),
        ("Velta Air expects “serious delays on Friday as well.”", "Velta Air", "expects serious"),
        ("Mayor Tom Brask offered to resign over the audit.", "Brask", "offered to resign"),
        ("The Harlow council voted to close the ferry depot.", "council", "voted to close"),
    ):
        claim = one(claims_of(nlp, gazetteer, text), who)
        check(claim, has=(verb_phrase,))
        line = _line(claim.speaker, claim.text, claim.cue)
        # never "Voss — to veto the harbour bill"
        assert line.startswith(f"{claim.speaker} {verb_phrase}"), line


def test_what_others_expect_of_someone_is_not_their_plan(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The party is in turmoil, with both Mayor Tom Brask and his deputy "
        "expected to resign next week."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not claims, [(c.speaker, c.text) for c in claims]


def test_two_roles_of_one_person_are_one_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The former first lady and Maine senator said the bridge tolls were a mistake."
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 1, [(c.speaker, c.text) for c in claims]
    check(claims[0], has=("bridge tolls were a mistake",))


def test_a_quotation_signed_with_a_dash_and_a_name_is_the_signers(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Readers wrote in about the ferry plan.\n\n"
        "“The new bridge will ruin the harbour. Nobody asked us before the vote.” ― Ana Ruiz\n"
        "“We waited ten years for this and it is worth every penny.” — Tom Brask\n\n"
        "The council meets again on Monday."
    )
    claims = claims_of(nlp, gazetteer, text)
    ruiz = one(claims, "Ana Ruiz")
    check(ruiz, has=("ruin the harbour", "Nobody asked us"), lacks=("Brask",), direct=True)
    brask = one(claims, "Tom Brask")
    check(brask, has=("worth every penny",), lacks=("harbour",), direct=True)
    # a dash before a phrase that is no signature signs nothing
    text = "“We will rebuild,” the mayor said — a promise made twice before."
    claims = claims_of(nlp, gazetteer, text)
    assert [c.speaker for c in claims] == ["The mayor"], [(c.speaker, c.text) for c in claims]


def test_defending_a_decision_is_a_stand_defending_a_town_is_none(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "The trade minister defended the decision to close the northern border crossing."
    check(one(claims_of(nlp, gazetteer, text), "minister"), has=("defended the decision to close",))
    text = "Soldiers defended the town for three days. The champion defended her title."
    claims = claims_of(nlp, gazetteer, text)
    assert not claims, [(c.speaker, c.text) for c in claims]


def test_verbs_that_tell_how_something_was_said(nlp: Any, gazetteer: Gazetteer) -> None:
    for text, who, content in (
        ("Senator Tom Brask joked that the ferry ran on hope.", "Brask", "the ferry ran on hope"),
        ("Mayor Ana Ruiz mused that the bridge might never open.", "Ruiz", "might never open"),
        ("Governor Lena Ortez reminded voters that she had cut the levy.", "Ortez", "cut the levy"),
        ("“We will be back next spring,” Ana Ruiz quipped.", "Ruiz", "back next spring"),
    ):
        check(one(claims_of(nlp, gazetteer, text), who), has=(content,))
    text = "The protesters shouted slogans outside the embassy. The crowd yelled at the referee."
    claims = claims_of(nlp, gazetteer, text)
    assert not claims, [(c.speaker, c.text) for c in claims]


def test_a_label_hung_on_the_object_is_still_the_label(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The alliance labeled the damage as acts of sabotage."
    claim = one(claims_of(nlp, gazetteer, text), "alliance")
    check(claim, has=("labeled the damage", "acts of sabotage"))


def test_two_of_a_series_named_together_are_no_figures() -> None:
    from bot.analysis.numbers import extract_numbers

    assert extract_numbers("damage to the Velta Line 1 and 2 cables") == ()
    assert extract_numbers("the storm killed 1 and injured 2") == (1.0, 2.0)
