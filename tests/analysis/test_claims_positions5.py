"""Positions a side takes in public without saying a proposition (issue 12,
fifth round): demands, calls and proposals, each a claim whose content is
the verb phrase with its verb, so that an alert line reads as what was
asked. Sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.analysis.summary import claim_spans
from bot.models import Stance
from tests.analysis.test_claims import check, claims_of, one


def _holds(nlp: Any, gazetteer: Gazetteer, text: str, start: str) -> None:
    """The control of a test of what is no position: a position beside it is one."""
    claims = claims_of(nlp, gazetteer, text)
    assert any(c.text.startswith(start) for c in claims), claims


def _line(speaker: str, text: str, cue: str = "") -> str:
    return "".join(s.text for s in claim_spans(speaker, text, Stance.ASSERT, cue))


def test_called_for_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The Harlow Council called for an independent inquiry into the harbour spending."
    claim = one(claims_of(nlp, gazetteer, text), "Harlow Council")
    check(claim, has=("called for an independent inquiry into the harbour spending",))
    assert claim.cue == "called for"


def test_called_on_someone_to_act(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Senator Mira Tolvan called on the port agency to release the inspection files."
    claim = one(claims_of(nlp, gazetteer, text), "Tolvan")
    check(claim, has=("called on the port agency to release the inspection files",))


def test_urged_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The dockworkers' union urged the city of Varnes to reopen the wage talks."
    claim = one(claims_of(nlp, gazetteer, text), "union")
    check(claim, has=("urged the city of Varnes to reopen the wage talks",))


def test_a_participle_call_after_a_comma(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Ilse Brandvik criticised the budget on Monday, calling for a public audit "
        "of the tram contracts."
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "audit" in c.text]
    assert claims and "Brandvik" in claims[0].speaker, claims
    assert _line(claims[0].speaker, claims[0].text, claims[0].cue).endswith(
        "called for a public audit of the tram contracts"
    )


def test_demanded_an_object_with_its_source(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The fishermen's guild demanded compensation from the Orlen shipping company."
    claim = one(claims_of(nlp, gazetteer, text), "guild")
    check(claim, has=("demanded compensation from the Orlen shipping company",))


def test_demanded_that_a_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Opposition leader Tomas Vrell demanded that the interior minister resign."
    claim = one(claims_of(nlp, gazetteer, text), "Vrell")
    check(claim, has=("demanded that the interior minister resign",))


def test_asked_someone_to_do_is_a_request_not_a_question(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The Kessel Water Board asked the regional court to block the sale of the reservoir."
    claim = one(claims_of(nlp, gazetteer, text), "Water Board")
    check(claim, has=("asked the regional court to block the sale",), stance=Stance.ASSERT)


def test_appealed_pressed_and_pushed_for(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(nlp, gazetteer, "The Red Cross appealed for donations of blood and bedding."),
        "Red Cross",
    )
    check(claim, has=("appealed for donations of blood and bedding",))
    claim = one(
        claims_of(nlp, gazetteer, "Farm groups are pushing for a new vote on the water levy."),
        "Farm groups",
    )
    check(claim, has=("pushing for a new vote on the water levy",))
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "The Norra teachers union pressed the school board to restore the bus route.",
        ),
        "union",
    )
    check(claim, has=("pressed the school board to restore the bus route",))


def test_requested_an_aid_effort(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "President Okan Demirel requested an international aid effort to rebuild the valley."
    claim = one(claims_of(nlp, gazetteer, text), "Demirel")
    check(claim, has=("requested an international aid effort to rebuild the valley",))


def test_proposed_and_recommended(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(nlp, gazetteer, "Councillor Rita Mendes proposed a ban on new coal plants."),
        "Mendes",
    )
    check(claim, has=("proposed a ban on new coal plants",))
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "The safety panel recommended that the Corvin bridge be closed to lorries.",
        ),
        "panel",
    )
    check(claim, has=("recommended that the Corvin bridge be closed",))


def test_vague_calls_are_no_claims(nlp: Any, gazetteer: Gazetteer) -> None:
    _holds(nlp, gazetteer, "The Lindqvist family appealed for donations.", "appealed for donations")
    for text in (
        "The Lindqvist family appealed for calm after the verdict.",
        "Governor Ann Ferrel has also called on neighbouring states to respond.",
        "The mayor stressed the cost of the floods, calling for urgent national attention.",
        "Velaria Demands Answers From Ostmark",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not any(c.cue.lower().startswith(("appeal", "call", "demand")) for c in claims), (
            claims
        )


def test_no_position_without_a_demand(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The Orlen company appealed to the court to halt the sale."
    _holds(nlp, gazetteer, text, "appealed to the court to halt the sale")
    for text in (
        "The Orlen company appealed the ruling on Tuesday.",
        "The driver pushed the cart into the yard.",
        "Councillor Ida Marsh did not call for new elections.",
        "The emails ask you to pay an invoice within a day.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, claims


def test_alert_line_reads_as_the_demand() -> None:
    assert _line("UN", "called for an independent inquiry", "called for") == (
        "UN called for an independent inquiry"
    )
    assert _line("UN", "calling for an independent inquiry", "calling for") == (
        "UN called for an independent inquiry"
    )
    assert _line("Union", "urged the city to reopen the talks", "urged") == (
        "Union urged the city to reopen the talks"
    )
    assert _line("Union", "pressure on the city is growing", "said") == (
        "Union — pressure on the city is growing"
    )


def test_a_demand_coordinated_with_a_reported_clause_is_the_reporters(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Mayor Ines Kallas has also revealed that Brill and Ostmark signal a delay of the "
        "bridge works and urged the province to reconsider its budget."
    )
    claims = claims_of(nlp, gazetteer, text)
    urged = [c for c in claims if c.text.startswith("urged")]
    assert urged and all("Kallas" in c.speaker for c in urged), claims
    said = one(claims, "Kallas")
    check(said, has=("signal a delay",))
    assert not any("urged" in c.text for c in claims if c.cue == "revealed"), claims


def test_no_position_told_as_background_or_misread(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Governor Ray Hollis proposed a ban on night flights."
    _holds(nlp, gazetteer, text, "proposed a ban on night flights")
    for text in (
        "The email arrived hours after Governor Ray Hollis proposed a ban on night flights.",
        "Velaria proved resistant to the Ostmark calls for new elections.",
        "Be wary of emails that know your name and ask you to pay an invoice.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not any(c.cue.lower().startswith(("propos", "call", "ask")) for c in claims), claims


def test_pushing_someone_to_a_result_is_no_demand(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The Brill council pushed for a vote on the levy."
    _holds(nlp, gazetteer, text, "pushed for a vote on the levy")
    text = (
        "Older voters turned out in force, pushing the mayor to victory despite her "
        "struggles to attract young voters."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not any(c.cue.lower().startswith("push") for c in claims), claims


def test_endorsed_backs_opposes_with_their_object(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "Morton Vale, the institute's founder, has endorsed Senator Ted Crane for president.",
        ),
        "Vale",
    )
    check(claim, has=("endorsed Senator Ted Crane for president",))
    claim = one(claims_of(nlp, gazetteer, "Governor Mark Dale is backing Hillary Ruiz."), "Dale")
    check(claim, has=("backing Hillary Ruiz",))
    assert _line("Mark Dale", claim.text, claim.cue) == "Mark Dale backed Hillary Ruiz"
    claim = one(claims_of(nlp, gazetteer, "Senator Ada Hale opposes the mining bill."), "Hale")
    check(claim, has=("opposes the mining bill",))


def test_support_of_a_thing_is_no_position(nlp: Any, gazetteer: Gazetteer) -> None:
    _holds(nlp, gazetteer, "The dockers union supports the strike.", "supports the strike")
    for text in (
        "The old bridge supports heavy lorries.",
        "The data backed up the claim.",
        "The plan was backed by the council.",
        "The Velna supports the farms of the valley.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not any(c.cue.lower().startswith(("support", "back")) for c in claims), claims


def test_a_reported_or_described_position_is_no_position_of_its_own(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    _holds(nlp, gazetteer, "Governor Rudy Gale backed Jon Mack.", "backed Jon Mack")
    claims = claims_of(nlp, gazetteer, "Records show he backed both Jon Mack and Rudy Gale.")
    assert not any(c.cue.lower().startswith("back") for c in claims), claims
    claims = claims_of(
        nlp, gazetteer, "The group mails voters that oppose both Ida Bren and Tom Ruiz."
    )
    assert not any(c.cue.lower().startswith("oppos") for c in claims), claims


def test_wants_and_refused_to(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(nlp, gazetteer, "Governor Ray Trask wants to build a wall on the border."),
        "Trask",
    )
    check(claim, has=("wants to build a wall on the border",))
    claim = one(
        claims_of(nlp, gazetteer, "Senator Ada Hale wants Congress to raise the levy."), "Hale"
    )
    check(claim, has=("wants Congress to raise the levy",))
    claim = one(claims_of(nlp, gazetteer, "Mayor Ole Brun refused to resign."), "Brun")
    check(claim, has=("refused to resign",))
    assert _line("Ole Brun", claim.text, claim.cue) == "Ole Brun refused to resign"
    for text in ("The minister refused to comment.", "Senator Ada Hale wants to thank her voters."):
        claims = claims_of(nlp, gazetteer, text)
        assert not any(c.cue.lower().startswith(("want", "refus")) for c in claims), claims


def test_who_want_in_a_relative_clause_is_no_stand(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Governor Ray Trask wants to build a wall on the border."
    _holds(nlp, gazetteer, text, "wants to build a wall")
    text = "Customers who want to check their bills can log in to the Norva portal."
    claims = claims_of(nlp, gazetteer, text)
    assert not any(c.cue.lower().startswith("want") for c in claims), claims


def test_a_demand_after_while_is_one_and_after_after_is_background(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "The toll rose to 12, while the farmers union urged the government to pay the families."
    claim = one(claims_of(nlp, gazetteer, text), "union")
    check(claim, has=("urged the government to pay the families",))
    text = "The email came hours after the union urged the city to reopen the talks."
    claims = claims_of(nlp, gazetteer, text)
    assert not any("reopen" in c.text for c in claims), claims


def test_a_body_named_by_what_it_is_is_not_the_one_before(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The UN sent a team to Velna on Monday. "
        "The farmers union urged the government to compensate the families."
    )
    claim = next(c for c in claims_of(nlp, gazetteer, text) if "compensate" in c.text)
    assert claim.speaker == "The farmers union", claim
