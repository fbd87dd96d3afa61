"""Speech cues that gave no claim (issue 12, seventh round): what a side
spoke of without what it said of it ("talked about the budget", "…,
referring to the plan", "recalled her years as a teacher"), and judging
verbs in more frames ("the White House blasted …", "lauded", "chided"),
each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def _lines(claims: list[Any]) -> list[tuple[str, str]]:
    return [(c.speaker, c.text) for c in claims]


def test_talked_about_a_topic_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Mayor Dana Holt talked to reporters about the new harbour budget on Monday."
    claim = one(claims_of(nlp, gazetteer, text), "Holt")
    check(claim, has=("talked about the new harbour budget",), lacks=("Monday",))
    text = "Residents of the valley spoke of a loud bang before the fire."
    claim = one(claims_of(nlp, gazetteer, text), "Residents")
    check(claim, has=("spoke of a loud bang before the fire",))


def test_referring_to_after_a_quotation_is_a_claim_of_its_own(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "“It was a mistake,” Tom Varga said, referring to the decision to close the clinic."
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Varga" in c.speaker]
    assert any(c.text == "It was a mistake" for c in claims), _lines(claims)
    refer = [c for c in claims if c.text.startswith("referring to")]
    assert refer, _lines(claims)
    check(refer[0], has=("referring to the decision to close the clinic",))


def test_referring_to_ends_the_reported_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Tom Varga said the school budget would be cut, referring to the drop in sales."
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Varga" in c.speaker]
    said = [c for c in claims if "budget" in c.text]
    assert said and any("referring to the drop" in c.text for c in claims), _lines(claims)
    check(said[0], lacks=("referring",))


def test_recalled_with_an_object_is_a_persons_and_nothing_elses(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "The minister recalled her years as a teacher in the northern valley."
    claim = one(claims_of(nlp, gazetteer, text), "minister")
    check(claim, has=("recalled her years as a teacher",))
    # none from a thing, a body, a pro-form, a definition or another sense
    for text in (
        "Norvik Motors recalled 10,000 cars last week.",
        "The ministry recalled its ambassador.",
        "Dana Holt talked about it for an hour.",
        "The Rust Belt refers to the old mill towns east of the lake.",
        "Dana Holt referred the case to the prosecutor.",
        "Dana Holt spoke on condition of anonymity.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, (text, _lines(claims))


def test_what_is_written_keeps_the_verb_of_saying(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Dana Holt wrote about the strike in her memoir. Tom Varga wrote that the strike failed."
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Holt"), has=("wrote about the strike",))
    check(one(claims, "Varga"), has=("the strike failed",), lacks=("wrote",))


def test_a_body_blasts_and_slams_in_words(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The White House also blasted congressional Republicans."
    check(one(claims_of(nlp, gazetteer, text), "White House"), has=("blasted",))
    text = "A committee aide blasted the statement on Friday."
    check(one(claims_of(nlp, gazetteer, text), "aide"), has=("blasted the statement",))
    for text in (
        "Dana Holt slammed the door and left.",
        "The storm blasted the coast.",
        "The band blasted music all night.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, (text, _lines(claims))


def test_lauded_and_chided_are_judgements(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Tom Weber lauded her choice of campaign manager all the same."
    check(one(claims_of(nlp, gazetteer, text), "Weber"), has=("lauded her choice",))
    text = "Dana Holt chided Tom Varga for raising questions about the budget."
    check(
        one(claims_of(nlp, gazetteer, text), "Holt"),
        has=("chided Tom Varga for raising questions about the budget",),
    )


def test_a_thing_explained_described_or_posted_keeps_its_verb(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "Dana Holt explained her reasoning to the harbour board."
    check(one(claims_of(nlp, gazetteer, text), "Holt"), has=("explained her reasoning",))
    text = "Dana Holt described his visit to the northern mill."
    check(one(claims_of(nlp, gazetteer, text), "Holt"), has=("described his visit to the",))
    text = "Dana Holt tweeted a photo of the flooded street."
    check(one(claims_of(nlp, gazetteer, text), "Holt"), has=("tweeted a photo of the flooded",))
    # a figure or bail is posted, not said; a denial stays nothing said
    for text in (
        "Norvik posted a loss of $2 million.",
        "Dana Holt posted bail on Friday.",
        "Dana Holt did not discuss the plan.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, (text, _lines(claims))


def test_threatened_to_is_a_stand(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The dockers' union has threatened to strike if the talks fail."
    check(one(claims_of(nlp, gazetteer, text), "union"), has=("threatened to strike",))
    text = "New technology threatens to change the industry."
    claims = claims_of(nlp, gazetteer, text)
    assert not claims, _lines(claims)


def test_asked_someone_about_a_topic_is_the_askers(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The host asked Senator Dana Holt about the new harbour budget."
    check(
        one(claims_of(nlp, gazetteer, text), "host"),
        has=("asked Senator Dana Holt about the new harbour budget",),
    )
    for text in ("Dana Holt was asked about the plan.", "The survey asked voters about the tax."):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, (text, _lines(claims))


def test_commented_on_is_a_topic_unless_withheld(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Dana Holt commented on the new harbour budget at the rally."
    check(one(claims_of(nlp, gazetteer, text), "Holt"), has=("commented on the new harbour",))
    for text in (
        "A spokeswoman for the port declined to comment on the latest request.",
        "Dana Holt refused to talk about the case.",
    ):
        claims = claims_of(nlp, gazetteer, text)
        assert not claims, (text, _lines(claims))


def test_part_of_a_gathering_speaks_as_itself(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Many in the crowd said the senator was the only candidate they trusted."
    check(one(claims_of(nlp, gazetteer, text), "Many in the crowd"), has=("only candidate",))
    text = "Several at the rally said they would stay home in November."
    check(one(claims_of(nlp, gazetteer, text), "Several at the rally"), has=("stay home",))
    # a bare "Many" names nobody
    claims = claims_of(nlp, gazetteer, "Many said the ruling raised the stakes.")
    assert not claims, _lines(claims)


def test_party_figures_are_people(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Some party figures concluded it was too late to stop the mayor."
    check(one(claims_of(nlp, gazetteer, text), "party figures"), has=("too late",))
    claims = claims_of(nlp, gazetteer, "Official figures show that unemployment rose.")
    assert not [c for c in claims if "figures" in c.speaker.lower()], _lines(claims)


def test_it_after_a_document_named_as_an_object(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The mayor read the audit aloud at the meeting. It said the bridge was unsafe."
    claims = [c for c in claims_of(nlp, gazetteer, text) if "bridge" in c.text]
    assert claims and "audit" in claims[0].speaker.lower(), _lines(claims)
