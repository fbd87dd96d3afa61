"""One content holding two propositions is two claims, so that each gets its
own novelty tag; a content that is one proposition stays whole. Sentences of
our own (real spaCy model)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.analysis.aliases import Gazetteer
from bot.analysis.novelty import classify
from bot.models import Novelty
from tests.analysis.test_claims import claims_of
from tests.analysis.test_novelty import known

BROKEN = (
    "The harbour office issued a short update on Tuesday. "
    "“It is not yet possible to say when the ferry service will resume,” the harbour "
    "master said. “The cause of the collapse of the quay will be established by the "
    "inspectors from the capital.”"
)


def test_a_quotation_broken_by_its_cue_into_two_sentences_holds_two_claims(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    (whole,) = [c for c in claims_of(nlp, gazetteer, BROKEN) if "harbour" in c.speaker.lower()]
    assert [p.text for p in whole.parts] == [
        "It is not yet possible to say when the ferry service will resume",
        "The cause of the collapse of the quay will be established by the inspectors "
        "from the capital",
    ]
    # each part keeps the speaker, the cue, the quotation marks and the stance
    assert {(p.speaker, p.cue, p.direct, p.stance) for p in whole.parts} == {
        (whole.speaker, "said", True, whole.stance)
    }


def test_each_part_gets_its_own_novelty(nlp: Any, gazetteer: Gazetteer) -> None:
    """The first sentence was reported the day before, the second is news:
    one tag for the whole quotation could not be right for both."""
    (earlier,) = [
        c
        for c in claims_of(
            nlp,
            gazetteer,
            "The harbour master said it was not yet possible to say when the ferry "
            "service would resume.",
        )
        if "harbour" in c.speaker.lower()
    ]
    (whole,) = [c for c in claims_of(nlp, gazetteer, BROKEN) if "harbour" in c.speaker.lower()]
    canonical = [known("c1", earlier)]
    tags = [classify(p, canonical).novelty for p in whole.parts]
    assert tags == [Novelty.REPEAT, Novelty.NEW], [classify(p, canonical).why for p in whole.parts]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a first part of several sentences is one longer statement
        (
            "“Both sheds were full. We had loaded three barges this week,” the depot manager "
            "said. “Now there is nothing left for the crews to load at all.”",
            "manager",
        ),
        # a short sentence leaning on the other is no claim of its own
        (
            "“We will call every family whose house was flooded this spring,” the mayor "
            "said. “We owe them that.”",
            "mayor",
        ),
        # a part opening on "But" carries on the argument of the first
        (
            "“The new timetable will add two evening trains to the coast,” the rail "
            "minister said. “But the morning service will stay exactly as it is today.”",
            "minister",
        ),
    ],
)
def test_a_quotation_whose_parts_lean_on_each_other_stays_whole(
    nlp: Any, gazetteer: Gazetteer, text: str, speaker: str
) -> None:
    (whole,) = [c for c in claims_of(nlp, gazetteer, text) if speaker in c.speaker.lower()]
    assert whole.parts == (), [p.text for p in whole.parts]
