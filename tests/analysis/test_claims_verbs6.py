"""A source or reason a side gives ("citing …", "pointed to …"), alone or
as a second cue after a reported clause (issue 12, sixth round), each on
sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_citing_after_an_act_gives_the_reason(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The publisher canceled the memoir, citing legal risks and the cost of fact-checking."
    claim = one(claims_of(nlp, gazetteer, text), "publisher")
    check(claim, has=("citing legal risks and the cost of fact-checking",))


def test_pointing_to_after_a_reported_clause_is_a_claim_of_its_own(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Mayor Dana Holt said the school budget would be cut, "
        "pointing to the drop in sales tax revenue."
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Holt" in c.speaker]
    said = [c for c in claims if "budget" in c.text]
    reason = [c for c in claims if "pointing to" in c.text]
    assert said and reason, [(c.speaker, c.text) for c in claims]
    check(said[0], has=("school budget would be cut",), lacks=("pointing", "sales tax"))
    check(reason[0], has=("pointing to the drop in sales tax revenue",))
    # a gesture is no reason given
    text = (
        "“It goes in here and out here,” Tom Varga said, pointing to one ear. "
        "The dog pointed to the door."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not any("point" in c.text for c in claims), [(c.speaker, c.text) for c in claims]


def test_cited_with_as_keeps_what_it_is_cited_as(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Analysts at Brindle Capital cited Norvik as the most likely buyer."
    claim = one(claims_of(nlp, gazetteer, text), "Brindle")
    check(claim, has=("cited Norvik as the most likely buyer",))
    text = "Critics point to the charities that fund the militants."
    claim = one(claims_of(nlp, gazetteer, text), "Critics")
    check(claim, has=("point to the charities that fund the militants",))


def test_citing_a_report_keeps_what_the_report_found(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The council declined to renew the contract, "
        "citing a report that found the pipes were unsafe."
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "council" in c.speaker]
    cited = [c for c in claims if "citing" in c.text]
    assert cited, [(c.speaker, c.text) for c in claims]
    check(cited[0], has=("citing a report that found the pipes were unsafe",))
    # a bare source says nothing of its own
    text = "The Gazette, citing internal documents, reported that the mill had lost $2 million."
    claims = claims_of(nlp, gazetteer, text)
    assert not any("citing" in c.text for c in claims), [(c.speaker, c.text) for c in claims]
    check(one(claims, "Gazette"), has=("the mill had lost $2 million",), lacks=("citing",))


def test_declined_to_act_is_a_stand_and_declined_to_comment_is_none(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "Mayor Ines Ruiz declined to rule out a tax increase for the harbor district."
    claim = one(claims_of(nlp, gazetteer, text), "Ruiz")
    check(claim, has=("declined to rule out a tax increase",))
    text = (
        "Mayor Ines Ruiz declined to comment on the plan. "
        "Her aide declined to be interviewed for this article. "
        "Shares of the port operator declined to $5 on Monday."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not any("declined" in c.text for c in claims), [(c.speaker, c.text) for c in claims]
