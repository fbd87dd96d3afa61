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


def test_participle_hung_on_its_own_quotation(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "''The pumps are running again,'' Ms. Varga said, adding of the crews, "
        "''They have not slept since Sunday.''"
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Varga" in c.speaker]
    assert len(claims) == 2, [(c.speaker, c.cue, c.text) for c in claims]
    check(claims[0], has=("pumps are running",), lacks=("slept",))
    check(claims[1], has=("have not slept since Sunday",), lacks=("pumps",))


def test_participle_after_a_closing_quotation(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "“The dam will hold,” Inspector Lena Hart said on WKVR's “Evening Report,” adding, "
        "“The spillway is the weak point and we are watching it.”"
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Hart" in c.speaker]
    assert any("spillway is the weak point" in c.text for c in claims), claims


def test_continued_with_a_quotation(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Councillor Maya Osei opened the hearing. "
        "''The ferry timetable was written for another century,'' Ms. Osei continued."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Osei")
    check(claim, has=("ferry timetable was written",), direct=True)


def test_continued_without_a_quotation_is_no_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "“We are frightened,” a fisherman, Ivo Rant, said. "
        "The shelling continued through the night near the port."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert all(c.cue != "continued" for c in claims), [(c.speaker, c.cue) for c in claims]


def test_group_before_a_participle_of_saying(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The closures have left 58 percent of residents saying the town is dying."
    claim = one(claims_of(nlp, gazetteer, text), "percent of residents")
    check(claim, has=("the town is dying",))


def test_label_the_parser_took_for_an_apposition(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "At the time, Ms. Ferro called Mr. Lund, a former shipping executive, "
        "an honest broker who had been badly misread in the capital."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Ferro")
    check(claim, has=("Lund", "an honest broker"))


def test_phone_call_is_no_label(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The president called Anna Kessel, the finance minister, on Monday night."
    assert all(c.cue != "called" for c in claims_of(nlp, gazetteer, text))


def test_headline_with_a_document_before_a_colon(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Survey: Commuters in the valley spend two hours a day on buses\n\n"
        "The regional transit board published the figures on Tuesday."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Survey")
    check(claim, has=("Commuters in the valley spend two hours",))


def test_rubric_before_a_colon_is_no_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Watch: The mayor opens the new bridge over the river\n\nShe spoke briefly."
    assert all(c.speaker != "Watch" for c in claims_of(nlp, gazetteer, text))


def test_people_counted_by_a_share_or_quantifier_speak(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The survey reached 900 tenants in May. "
        "Three in 10 said the new levy would push them out of the city. "
        "Some of the older tenants said they had never been asked about the plan."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Three in 10"), has=("levy would push them out",))
    check(one(claims, "Some of the older tenants"), has=("never been asked",))


def test_a_quantifier_over_things_is_no_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Some of the figures show the port is losing trade to its rivals."
    assert [c.speaker for c in claims_of(nlp, gazetteer, text)] == []
