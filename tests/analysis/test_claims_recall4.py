"""Constructions of attribution with a speech cue that the rules missed
(issue 12, fourth round), each on sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def test_announced_after_the_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The ferry service will resume on Monday with two new boats, "
        "the port authority announced Friday."
    )
    claim = one(claims_of(nlp, gazetteer, text), "port authority")
    check(claim, has=("ferry service will resume on Monday",), lacks=("announced",))


def test_predicted_after_the_clause_with_the_speaker_after_it(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "The strike will end before the harvest, predicted Lena Ostrova, "
        "the union's former treasurer."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Ostrova")
    check(claim, has=("strike will end before the harvest",), lacks=("treasurer",))


def test_contracted_has_said_is_not_a_passive(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senator Ned Dunmore spoke in Ohio on Sunday. "
        "While he's said he will stay in the race, Mr. Dunmore must decide what he wants."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Dunmore")
    check(claim, has=("he will stay in the race",), lacks=("must decide",))


def test_impersonal_its_said_names_nobody(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(nlp, gazetteer, "It's said that the old castle is haunted.")
    assert not any(c.speaker.lower() == "it" for c in claims), claims


def test_as_clause_reports_the_sentence_it_is_set_in(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "As the Valley Courier recently noted, water use in the county has doubled since 2010.",
        ),
        "Courier",
    )
    check(claim, has=("water use in the county has doubled",), lacks=("noted",))
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "Mayor Ana Ruiz toured the plant. Water use in the county has doubled since "
            "2010, as Ruiz told reporters on Monday.",
        ),
        "Ruiz",
    )
    check(claim, has=("Water use in the county has doubled since 2010",), lacks=("reporters",))


def test_as_clause_with_an_object_reports_nothing(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Mayor Ana Ruiz toured the plant. As she announced her budget, the crowd left."
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Ruiz" in c.speaker]
    assert not any("crowd left" in c.text for c in claims), claims


def test_quoted_label_hung_inside_the_object(nlp: Any, gazetteer: Gazetteer) -> None:
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            'Former mayor Tom Reyes called the use of emergency powers "quite reckless."',
        ),
        "Reyes",
    )
    check(claim, has=("use of emergency powers", "quite reckless"))
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            'Party chair Ron Kell called the mayor\'s remarks a "new low" and a '
            '"desperate attempt to hide his ties to developers."',
        ),
        "Kell",
    )
    check(claim, has=("remarks", "new low", "desperate attempt"))


def test_a_phone_call_is_no_label(nlp: Any, gazetteer: Gazetteer) -> None:
    for text in (
        'Ms. Ida Brandt called the office of "Citizens for Water" on Monday.',
        'Ms. Ida Brandt called the "Water First" hotline on Monday.',
    ):
        assert not [c for c in claims_of(nlp, gazetteer, text) if "Brandt" in c.speaker], text
