"""Novelty, round 3: a repeat's own words stay comparable, two sides each
speaking for itself are two voices, a reciprocal accusation ("blamed each
other") told again. Sentences of our own."""

from __future__ import annotations

from bot.analysis.novelty import classify
from bot.models import Claim, Novelty
from tests.analysis.test_novelty import claim, known

FIRST = claim(
    "it found cracked welds while inspecting its Torva 12 ferries",
    speaker="Marlin Ferries",
    speaker_id="org:marlin-ferries",
    speaker_side="org:marlin-ferries",
)
# a second outlet's wording of the same finding, a repeat of FIRST
SECOND = claim(
    "cracked welds had been discovered on several of its ferries during preliminary "
    "inspections after the harbour collision",
    speaker="Marlin Ferries",
    speaker_id="org:marlin-ferries",
    speaker_side="org:marlin-ferries",
)
# a third outlet follows the second's words, not the first's
THIRD = claim(
    "it had found cracked welds on several vessels during preliminary inspections",
    speaker="Marlin Ferries",
    speaker_id="org:marlin-ferries",
    speaker_side="org:marlin-ferries",
)


def test_a_later_wording_repeats_an_earlier_repeat() -> None:
    canonical = [known("c1", FIRST)]
    alone = classify(THIRD, canonical)
    with_wording = classify(THIRD, canonical, wordings=[known("c1", SECOND)])
    assert with_wording.novelty is Novelty.REPEAT, with_wording.why
    assert with_wording.matches == "c1"
    assert with_wording.similarity > alone.similarity


def test_a_wording_of_an_unknown_claim_is_ignored() -> None:
    decision = classify(THIRD, [known("c1", FIRST)], wordings=[known("c9", SECOND)])
    assert decision.matches != "c9"


def test_a_second_company_saying_the_same_words_is_news() -> None:
    """ "Marlin and Gullwing said cracked welds had been found": Gullwing's copy
    is the first time Gullwing says it."""
    marlin = claim(
        "cracked welds had been found on some of their ferries",
        speaker="Marlin Ferries",
        speaker_id="org:marlin-ferries",
        speaker_side="org:marlin-ferries",
    )
    gullwing = claim(
        "cracked welds had been found on some of their ferries",
        speaker="Gullwing Lines",
        speaker_id="org:gullwing-lines",
        speaker_side="org:gullwing-lines",
    )
    decision = classify(gullwing, [known("c1", marlin)])
    assert decision.novelty is Novelty.NEW, decision.why


def test_the_same_words_from_a_speaker_of_no_known_side_repeat() -> None:
    marlin = claim(
        "cracked welds had been found on some of their ferries",
        speaker="Marlin Ferries",
        speaker_id="org:marlin-ferries",
        speaker_side="org:marlin-ferries",
    )
    someone = claim(
        "cracked welds had been found on some of their ferries",
        speaker="harbour staff",
        speaker_id=None,
    )
    decision = classify(someone, [known("c1", marlin)])
    assert decision.novelty is Novelty.REPEAT, decision.why


def _country(text: str, name: str) -> Claim:
    cid = "gpe:" + name.lower()
    return claim(text, speaker=name, speaker_id=cid, speaker_side=cid)


def test_blaming_each_other_again_is_a_repeat_for_each_side() -> None:
    first = "blaming each other for the flooding"
    again = "each other of wrecking the river barrage, which lies in contested land"
    earlier = [known("c1", _country(first, "Ostland")), known("c2", _country(first, "Westmark"))]
    decision = classify(_country(again, "Ostland"), earlier)
    assert decision.novelty is Novelty.REPEAT and decision.matches == "c1", decision.why
    # the other side's copy of the same sentence, given right after, repeats too
    told = [*earlier, known("c3", _country(again, "Ostland"))]
    assert classify(_country(again, "Westmark"), told).novelty is Novelty.REPEAT


def test_a_first_reciprocal_accusation_is_news() -> None:
    decision = classify(
        claim(
            "blaming each other for the flooding",
            speaker="Ostland",
            speaker_id="gpe:ostland",
            speaker_side="gpe:ostland",
        ),
        [known("c1", FIRST)],
    )
    assert decision.novelty is Novelty.NEW, decision.why
