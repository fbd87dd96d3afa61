"""Beliefs, views and findings held without a verb of saying (issue 12,
fourth round), each on sentences written for this test: "sees X as Y",
"considers X Y", a noun or an adjective of belief with a clause, "in X's
view", a poll that reports a clause, a survey that shows a noun phrase."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.models import Stance
from tests.analysis.test_claims import check, claims_of, one


def test_seeing_something_as_something_is_a_view(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Port engineers see the new breakwater as the only defence against winter storms."
    claim = one(claims_of(nlp, gazetteer, text), "engineers")
    check(claim, has=("the new breakwater as the only defence",))


def test_a_passive_view_names_its_holder_by_the_agent(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The harbour plan is seen by most fishermen as a threat to their moorings."
    claim = one(claims_of(nlp, gazetteer, text), "fishermen")
    check(claim, has=("harbour plan", "as a threat to their moorings"), lacks=("by most",))


def test_a_view_without_a_holder_or_a_complement_is_no_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "The breakwater is seen as a landmark. Residents saw a rise in ferry fares. "
        "The council is considering a request to extend the pier."
    )
    assert claims_of(nlp, gazetteer, text) == []


def test_considering_someone_something(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Several trawler owners consider the new quota a betrayal."
    claim = one(claims_of(nlp, gazetteer, text), "trawler owners")
    check(claim, has=("the new quota a betrayal",))


def test_a_belief_noun_with_a_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Ingrid Solvang voiced her belief that the ferry schedule will be restored by spring."
    claim = one(claims_of(nlp, gazetteer, text), "Solvang")
    check(claim, has=("ferry schedule will be restored by spring",), lacks=("belief",))
    assert "belief" in claim.cue


def test_in_someones_view(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "In Harbour Master Tomas Eide's view, the channel is too shallow for the new ferries."
    claim = one(claims_of(nlp, gazetteer, text), "Eide")
    check(claim, has=("the channel is too shallow",), lacks=("view",))
    assert not claim.speaker.endswith("'s")


def test_an_adjective_of_belief_with_a_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The dock workers are convinced that the terminal will close next year."
    claim = one(claims_of(nlp, gazetteer, text), "dock workers")
    check(claim, has=("the terminal will close next year",))
    assert "convinced" in claim.cue


def test_doubt_keeps_its_stance(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Ingrid Solvang remained doubtful that the dredging would finish on time."
    claim = one(claims_of(nlp, gazetteer, text), "Solvang")
    check(claim, has=("dredging would finish on time",), stance=Stance.QUESTION)


def test_a_negated_belief_is_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The dock workers are not convinced that the terminal will close."
    assert not [c for c in claims_of(nlp, gazetteer, text) if "terminal" in c.text]


def test_a_poll_reports_the_clause_it_sits_in(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "In the latest Coastal Monitor poll, Mayor Lena Brandt leads her challenger by nine points."
    )
    claim = one(claims_of(nlp, gazetteer, text), "poll")
    check(claim, has=("Lena Brandt leads her challenger by nine points",), lacks=("In the",))


def test_a_survey_showing_a_noun_phrase_is_a_finding(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "A survey released on Monday showed the northern ferry route well ahead of the others."
    claim = one(claims_of(nlp, gazetteer, text), "survey")
    check(claim, has=("the northern ferry route well ahead",))


def test_a_poll_is_named_by_its_name_not_its_date(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "In March's Coastal Monitor poll, Mayor Lena Brandt trailed by two points."
    claim = one(claims_of(nlp, gazetteer, text), "poll")
    assert claim.speaker == "Coastal Monitor poll", claim.speaker
    check(claim, has=("Lena Brandt trailed by two points",))


def test_coming_to_know_with_a_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The ferry crew learned on Friday that the northern port had closed."
    claim = one(claims_of(nlp, gazetteer, text), "crew")
    check(claim, has=("the northern port had closed",))
    assert claim.cue == "learned"


def test_coming_to_know_without_a_clause_is_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Divers discovered the wreck of the trawler near the northern reef on Friday."
    assert claims_of(nlp, gazetteer, text) == []


def test_a_quotation_after_a_view_goes_on_with_the_speaker_before(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "“We rebuilt the pier in a single summer,” said Tomas Eide, the harbour master. "
        "Many fishermen saw the repairs as overdue.\n\n"
        "“Nobody believed the crane would arrive in time.”"
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "fishermen"), has=("the repairs as overdue",))
    crane = [c for c in claims if "crane" in c.text]
    assert crane and "Eide" in crane[0].speaker, [(c.speaker, c.text) for c in claims]


def test_a_concern_within_a_body_is_its_belief(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The concern within the Fisheries Ministry is that the cod stock will not recover."
    claim = one(claims_of(nlp, gazetteer, text), "Fisheries Ministry")
    check(claim, has=("the cod stock will not recover",), stance=Stance.ASSERT)


def test_polls_showing_a_noun_phrase(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The harbour vote is close, with polls showing the mayor's early lead shrinking fast."
    claim = one(claims_of(nlp, gazetteer, text), "polls")
    check(claim, has=("the mayor's early lead",))


def test_every_form_of_hope_is_a_belief_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The harbour master hoped that the ferry would sail on Friday. "
        "The crew hopes the storm will pass by noon."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "harbour master"), has=("the ferry would sail on Friday",))
    check(one(claims, "crew"), has=("the storm will pass by noon",))


def test_hoping_to_act_is_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The harbour master hopes to reopen the northern pier before the summer."
    assert claims_of(nlp, gazetteer, text) == []


def test_hopping_keeps_its_own_lemma(nlp: Any) -> None:
    doc = nlp("The gulls hopped along the pier while the crew hoped for calm seas.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["hopped"] == "hop" and lemmas["hoped"] == "hope"


def test_a_belief_in_the_progressive_has_its_holder(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The crew is hoping the storm will pass by noon."
    check(one(claims_of(nlp, gazetteer, text), "crew"), has=("the storm will pass by noon",))


def test_a_belief_participle_without_its_own_subject_is_no_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "Knowing the storm would pass, the crew stayed in port."
    assert claims_of(nlp, gazetteer, text) == []


def test_what_stirs_a_fear_does_not_hold_it(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The storm stoked fears that the old pier would collapse."
    assert claims_of(nlp, gazetteer, text) == []
    text = "The dock union raised concerns that the old pier would collapse."
    check(one(claims_of(nlp, gazetteer, text), "union"), has=("the old pier would collapse",))


def test_no_doubt_is_certainty(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Senator Alma Reyes left no doubt that she would run for the harbour seat again."
    claim = one(claims_of(nlp, gazetteer, text), "Reyes")
    check(claim, has=("she would run for the harbour seat again",), stance=Stance.ASSERT)
