"""Which canonical claim a story's claims belong to: a pure decision over values."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.analysis.canonical import EarlierMention, canonical_ids, unmatched_repeats
from bot.models import Claim, Novelty, Stance, normalise_body


def claim(
    claim_id: str,
    text: str,
    novelty: Novelty = Novelty.NEW,
    matches: str | None = None,
    speaker: str = "Volodymyr Zelensky",
) -> Claim:
    return Claim(
        speaker=speaker,
        cue="said",
        stance=Stance.ASSERT,
        direct=False,
        text=text,
        id=claim_id,
        novelty=novelty,
        matches=matches,
    )


FIGHTING = "at least 155 Chinese citizens are fighting for Russia"


def said(canonical_id: str, text: str, speaker: str = "Volodymyr Zelensky") -> EarlierMention:
    return EarlierMention(canonical_id, speaker, normalise_body(text))


def test_new_claims_and_updates_are_canonical_claims_of_their_own() -> None:
    claims = (
        claim("c2.1", FIGHTING),
        claim("c2.2", "at least 200 are fighting", Novelty.UPDATE, matches="c1.1"),
        claim("c2.3", "the claims are unfounded", Novelty.CONTRADICTION, matches="c1.1"),
    )
    assert canonical_ids(claims, {"c1.1"}) == ("c2.1", "c2.2", "c2.3")


def test_a_repeat_joins_the_known_claim_it_matches() -> None:
    claims = (claim("c2.1", FIGHTING, Novelty.REPEAT, matches="c1.1"),)
    assert canonical_ids(claims, {"c1.1"}) == ("c1.1",)
    assert not unmatched_repeats(claims, {"c1.1"})


def test_a_repeat_of_the_same_story_joins_that_claim() -> None:
    claims = (
        claim("c2.1", FIGHTING),
        claim("c2.2", FIGHTING.upper(), Novelty.REPEAT, matches="c2.1"),
    )
    assert canonical_ids(claims, set()) == ("c2.1", "c2.1")
    assert not unmatched_repeats(claims, set())


def test_an_unmatched_repeat_joins_the_first_mention_with_the_same_speaker_and_words() -> None:
    copied = claim("c3.1", f"{FIGHTING.capitalize()}.", Novelty.REPEAT)
    earlier = [
        said("c1.4", FIGHTING, speaker="China"),  # other speaker
        said("c1.1", FIGHTING),
        said("c2.1", FIGHTING),  # a later mention of another canonical claim
    ]
    assert unmatched_repeats((copied,), {"c1.1", "c2.1"})
    assert canonical_ids((copied,), {"c1.1", "c2.1"}, earlier) == ("c1.1",)


def test_a_repeat_with_nothing_to_join_stands_alone() -> None:
    stray = claim("c3.1", FIGHTING, Novelty.REPEAT, matches="c9.9")  # unknown
    assert canonical_ids((stray,), {"c1.1"}, [said("c1.1", "other words")]) == ("c3.1",)
    # and a later copy in the same story joins it by its words
    again = claim("c3.2", FIGHTING, Novelty.REPEAT)
    assert canonical_ids((stray, again), set()) == ("c3.1", "c3.1")


def test_a_claim_without_its_id_is_refused() -> None:
    with pytest.raises(ValueError, match="no id"):
        canonical_ids((replace(claim("x", FIGHTING), id=None),), set())
