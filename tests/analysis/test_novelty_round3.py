"""Novelty, round 3: a repeat's own words stay comparable, two sides each
speaking for itself are two voices, a reciprocal accusation ("blamed each
other") told again. Sentences of our own."""

from __future__ import annotations

from bot.analysis.novelty import classify
from bot.analysis.wording import similarity
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


def test_a_surname_keeps_the_side_its_title_gave() -> None:
    """ "Petra Lind, Ostland's interior minister" speaks for Ostland; "Lind said"
    later in the story (or the NER taking "Lind" for an organisation) too."""
    titled = claim(
        "the barrage was wrecked by the other side's sappers",
        speaker="Petra Lind, Interior Minister of Ostland",
        speaker_id=None,
        speaker_side="gpe:ostland",
    )
    bare = claim(
        "the barrage was wrecked by the other side's sappers at dawn",
        speaker="Lind",
        speaker_id="org:lind",
        speaker_side="org:lind",
    )
    decision = classify(bare, [known("c1", titled)])
    assert decision.novelty is Novelty.REPEAT and "by the same side" in decision.why
    # another person of another surname gains nothing from it
    other = claim(
        "the barrage was wrecked by the other side's sappers at dawn",
        speaker="Holm",
        speaker_id="org:holm",
        speaker_side="org:holm",
    )
    assert "by the same side" not in classify(other, [known("c1", titled)]).why


def test_blew_up_is_destroyed_and_impossible_is_not_possible() -> None:
    assert (
        similarity(
            "the rebels blew up the river barrage", (), "the rebels destroyed the river barrage", ()
        )
        >= 0.9
    )
    assert (
        similarity(
            "it is impossible to estimate when repairs end",
            (),
            "it is not possible to estimate when repairs end",
            (),
        )
        >= 0.9
    )


def test_an_attempt_to_hamper_is_a_try_to_prevent() -> None:
    a = "an attempt by the rebels to hamper the long-awaited offensive"
    b = "the rebels tried to prevent the counteroffensive"
    c = "the rebels welcomed the long-awaited ceasefire"
    assert similarity(a, (), b, ()) >= 0.5 > similarity(a, (), c, ())


LONG_QUOTE = claim(
    "We learned they had mined the barrage last spring. And they chose to use the charges "
    "now to prevent our counteroffensive, which everyone is talking about",
    speaker="Ostland",
    speaker_id="gpe:ostland",
    speaker_side="gpe:ostland",
)


def test_restating_one_sentence_of_a_long_quotation_is_a_repeat() -> None:
    short = claim(
        "the charges were used to try to prevent Ostland's long-awaited counteroffensive",
        speaker="Ostland",
        speaker_id="gpe:ostland",
        speaker_side="gpe:ostland",
    )
    decision = classify(short, [known("c1", LONG_QUOTE)])
    assert decision.novelty is Novelty.REPEAT, decision.why


def test_a_long_claim_holding_a_short_sentence_of_a_quotation_is_not_a_repeat_of_it() -> None:
    quote = claim(
        "We do not know that yet at all. Divers will go down when the sea calms",
        speaker="Mara Quist",
        speaker_id="person:quist",
    )
    longer = claim(
        "We do not know that yet, and the navy is already working with its allies to guard "
        "every cable and pipeline on the seabed of the strait",
        speaker="Mara Quist",
        speaker_id="person:quist",
    )
    assert classify(longer, [known("c1", quote)]).novelty is Novelty.NEW


def test_a_quotation_of_mostly_new_sentences_is_news() -> None:
    earlier = claim(
        "he deeply regretted his part in the board's decision",
        speaker="Ivo Brandt",
        speaker_id="person:brandt",
    )
    quote = claim(
        "I deeply regret my part in the board's decision. I never meant to harm the company "
        "in any way. I will do everything I can to bring the founders back together",
        speaker="Ivo Brandt",
        speaker_id="person:brandt",
    )
    decision = classify(quote, [known("c1", earlier)])
    assert decision.novelty is Novelty.NEW and "sentences are new" in decision.why, decision.why
    # one new sentence beside one told again leaves it a repeat
    half = claim(
        "I deeply regret my part in the board's decision. I never meant to harm the company "
        "in any way",
        speaker="Ivo Brandt",
        speaker_id="person:brandt",
    )
    assert classify(half, [known("c1", earlier)]).novelty is Novelty.REPEAT


def test_contractions_are_not_content_words() -> None:
    a = "they've decided we don't know where the charges went"
    b = "they have decided we do not know where the charges went"
    assert similarity(a, (), b, ()) >= 0.95
    c = "I can't confirm where the charges went"
    assert similarity(c, (), "I cannot confirm where the charges went", ()) >= 0.95


def test_looking_forward_is_one_verb_not_two_telling_words() -> None:
    """ "looked forward to meeting the new board" and "looking forward to going back
    to the lab" share no proposition."""
    earlier = claim(
        "the group looked forward to getting to know the new board and its chair",
        speaker="Harlan Group",
        speaker_id="org:harlan",
        speaker_side="org:harlan",
    )
    later = claim(
        "I am looking forward to returning to the lab",
        speaker="Harlan Group",
        speaker_id="org:harlan",
        speaker_side="org:harlan",
    )
    decision = classify(later, [known("c1", earlier)])
    assert decision.novelty is Novelty.NEW, decision.why
