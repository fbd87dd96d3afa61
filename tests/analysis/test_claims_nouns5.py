"""What a speaker judged, taken whole (issue 12, fifth round): the object of
a cue of praise, criticism, blame or questioning with the pieces the parser
hangs on the verb, each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.models import Stance
from tests.analysis.test_claims import check, claims_of, one


def test_praised_takes_the_whole_object(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Pia Lindqvist praised the efforts of a donor to Mayor Tomas Brandt "
        "to shame the developer by flying banners over the harbour on Sunday."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Lindqvist")
    check(claim, has=("praised the efforts of a donor", "to shame the developer by flying"))


def test_questioning_takes_the_judgment_and_what_it_was_in(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Councillor Ines Marr is hitting back, questioning Brandt's judgment in backing "
        "the tunnel and accepting gifts from builders."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Marr")
    check(
        claim,
        has=(
            "questioning Brandt's judgment in backing the tunnel",
            "accepting gifts from builders",
        ),
        stance=Stance.QUESTION,
    )


def test_criticized_takes_a_partly_quoted_object_whole(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'Governor Ola Vinter criticized the "tribal politics" on display in the increasingly '
        "bitter race for the party leadership."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Vinter")
    check(claim, has=("criticized the", "on display in the increasingly bitter race"))


def test_the_occasion_and_a_clause_of_its_own_stay_out(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(
        nlp,
        gazetteer,
        "Mayor Tomas Brandt blamed the flooding on the closure of the old canal, not on "
        "the rain, in a statement on Monday.",
    )
    check(
        one(claims, "Brandt"),
        has=("blamed the flooding on the closure of the old canal",),
        lacks=("statement", "Monday"),
    )
    claims = claims_of(
        nlp,
        gazetteer,
        "Ines Marr criticized the decision of the board to close the pool because the town "
        "had no other one.",
    )
    check(
        one(claims, "Marr"),
        has=("criticized the decision of the board to close the pool",),
        lacks=("no other one",),
    )


def test_slammed_and_mocked_with_what_for(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(
        nlp,
        gazetteer,
        "Governor Ola Vinter slammed the harbour board for delaying the vote again.",
    )
    check(one(claims, "Vinter"), has=("slammed the harbour board for delaying the vote again",))
    claims = claims_of(
        nlp, gazetteer, "Ines Marr mocked Vinter for not having won a single district."
    )
    check(one(claims, "Marr"), has=("mocked Vinter for not having won a single district",))


def test_denounced(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(
        nlp, gazetteer, "The Fishers Guild strongly denounced the ban on night trawling."
    )
    check(one(claims, "Fishers Guild"), has=("denounced the ban on night trawling",))


def test_attacks_that_judge_nothing_said(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Ines Marr attacked Vinter as too close to the builders. "
        "Rebel forces attacked the town overnight. The storm blasted the coast. "
        "Mayor Tomas Brandt thanked the volunteers for rebuilding the pier. "
        "Vinter was attacked by Marr."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Marr"), has=("attacked Vinter as too close to the builders",))
    assert len(claims) == 1, [(c.speaker, c.text) for c in claims]


def test_a_judgment_reads_with_its_verb_in_an_alert() -> None:
    from bot.analysis.summary import claim_line, with_verb
    from bot.models import AlertClaim

    line = claim_line(AlertClaim("c1", "Marr", "slammed the board for the delay", "NEW"))
    assert "".join(s.text for s in line) == "[NEW] Marr slammed the board for the delay"
    assert (
        with_verb("mocking the board for the delay", "mocking") == "mocked the board for the delay"
    )


def test_a_statement_put_out_condemning(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(
        nlp,
        gazetteer,
        "Mayor Tomas Brandt released a statement on Monday condemning the attack on the ferry.",
    )
    check(one(claims, "Brandt"), has=("condemning the attack on the ferry",))
    claims = claims_of(
        nlp,
        gazetteer,
        "The Fishers Guild issued a statement Tuesday criticizing the decision of the board "
        "to close the depot.",
    )
    check(one(claims, "Fishers Guild"), has=("criticizing the decision of the board",))


def test_a_document_someone_else_put_out(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(
        nlp,
        gazetteer,
        "The Fishers Guild issued a statement Tuesday criticizing the decision of the board "
        "to close the depot. The harbour office read a letter demanding a new quay. "
        "Councillor Ines Marr signed the petition demanding a new quay.",
    )
    check(one(claims, "Fishers Guild"), has=("criticizing the decision",))
    assert not any("new quay" in c.text for c in claims), [(c.speaker, c.text) for c in claims]
