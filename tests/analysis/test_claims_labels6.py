"""Labels a speaker puts on someone or something ("called Dorn a fraud",
"called her ''second-rate''") that the parser read as one phrase or as a
clause (issue 12, sixth round), each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.analysis.summary import alert_claim, claim_line, claim_spans, claim_tag
from bot.models import Claim, Stance
from tests.analysis.test_claims import check, claims_of, one


def test_object_and_label_read_as_a_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The former governor, Martin Owen, took aim at the senator, calling Dorn a fascist."
    claim = one(claims_of(nlp, gazetteer, text), "Owen")
    check(claim, has=("Dorn a fascist",), lacks=("took aim",))


def test_two_objects_and_a_quoted_label(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Ruiz called both Dorn and Republican front-runner Ada Vale “crazy” "
        "and said the party would lose."
    )
    claims = claims_of(nlp, gazetteer, text)
    label = "Dorn and Republican front-runner Ada Vale “crazy”"
    assert any(label in c.text for c in claims), claims


def test_object_and_quoted_label_as_one_phrase(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The idea came up in a debate in May, when Ada Vale "
        "called the Republican frontrunner “Varnia’ best recruiter.”"
    )
    claim = one(claims_of(nlp, gazetteer, text), "Vale")
    check(claim, has=("the Republican frontrunner “Varnia’ best recruiter",))


def test_pronoun_object_and_quoted_label(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(claims_of(nlp, gazetteer, "Mayor Dorn called her “second-rate” and left."), "Dorn")
    check(claim, has=("her “second-rate”",))


def test_label_kept_and_no_label_in_a_call_to_a_meeting(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(claims_of(nlp, gazetteer, "Mayor Dorn called Vale “a coward.”"), "Dorn")
    check(claim, has=("Vale “a coward",))
    for text in (
        "The council called an “emergency” meeting on Monday.",
        "The council called the “snap” vote on Monday.",
        "Ruiz called Dorn to ask about the plan.",
        "Ruiz called Dorn on Monday.",
        "A group called the “Friends of the Lake” met on Monday.",
    ):
        assert not claims_of(nlp, gazetteer, text), text


def test_label_reads_with_its_verb_in_an_alert(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The former governor, Martin Owen, took aim at the senator, calling Dorn a fascist."
    claim = one(claims_of(nlp, gazetteer, text), "Owen")
    line = "".join(s.text for s in claim_spans(claim.speaker, claim.text, claim.stance, claim.cue))
    assert line == "Martin Owen called Dorn a fascist", line
    claim = one(claims_of(nlp, gazetteer, "The ministry called the claims unfounded."), "ministry")
    line = "".join(s.text for s in claim_spans(claim.speaker, claim.text, claim.stance, claim.cue))
    assert line.endswith(" called the claims unfounded"), line
    line = "".join(
        s.text for s in claim_spans("Police", "calls to the hotline rose", Stance.ASSERT, "said")
    )
    assert line == "Police — calls to the hotline rose", line
    text = "The mayor denounced what she called “a reckless plan.”"
    for claim in claims_of(nlp, gazetteer, text):
        assert not claim.text.startswith("called"), claim


def test_opening_on_is_no_call_on_someone(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(claims_of(nlp, gazetteer, "On Monday, Ada Vale called Dorn a liar."), "Vale")
    check(claim, has=("Dorn a liar",))
    claim = one(
        claims_of(nlp, gazetteer, "On Twitter, former Gov. Ada Vale called Dorn “unhinged.”"),
        "Vale",
    )
    check(claim, has=("Dorn “unhinged",))


def test_label_read_as_a_verbless_clause_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(claims_of(nlp, gazetteer, "Vale branded the strike illegal."), "Vale")
    assert claim.text == "branded the strike illegal", claim.text
    claim = one(claims_of(nlp, gazetteer, "Vale described how the plan would fail."), "Vale")
    assert not claim.text.startswith("described"), claim.text


def test_an_alert_line_reads_as_the_claims_answer_does() -> None:
    # the alert (claim_line) and /claims (claim_spans) join speaker and content alike
    for speaker, cue, stance, text, line in (
        ("Beijing", "called", Stance.DENY, "called the claims unfounded", "Beijing called"),
        ("Vale", "branded", Stance.ASSERT, "branded the strike illegal", "Vale branded"),
        ("Ruiz", "declined", Stance.ASSERT, "declined to rule out a levy", "Ruiz declined"),
        ("Mill", "citing", Stance.ASSERT, "citing legal risks", "Mill cited legal risks"),
        ("Police", "said", Stance.ASSERT, "calls to the hotline rose", "Police — calls"),
        ("Beijing", "said", Stance.DENY, "the claims are unfounded", "Beijing: the claims"),
    ):
        claim = Claim(speaker, cue, stance, False, text)
        spans = "".join(s.text for s in claim_spans(speaker, text, stance, cue))
        alert = "".join(s.text for s in claim_line(alert_claim(claim)))
        assert spans.startswith(line), spans
        assert alert == f"[{claim_tag(claim)}] {spans}", alert
