"""Novelty, round 4: one sentence holding two propositions (a second verb with
a tense of its own, "that A and that B", "an act of X linked to Y") is offered
to the novelty step as two parts, and a side saying a part of what it said
before, in fewer words, repeats itself. Sentences of our own (real spaCy
model)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.analysis.aliases import Gazetteer
from bot.analysis.novelty import classify
from bot.models import Novelty, Story
from bot.runtime import Services
from tests.analysis.test_claims import claims_of
from tests.analysis.test_novelty import claim, known


def _parts(nlp: Any, gazetteer: Gazetteer, text: str, speaker: str) -> list[str]:
    (whole,) = [c for c in claims_of(nlp, gazetteer, text) if speaker in c.speaker]
    return [p.text for p in whole.parts]


def test_a_second_verb_with_its_own_tense_is_a_second_part(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Harlow Rail said it is studying the preliminary report of the inspectors and "
        "will continue working with the safety board."
    )
    assert _parts(nlp, gazetteer, text, "Harlow") == [
        "it is studying the preliminary report of the inspectors",
        "will continue working with the safety board",
    ]


def test_that_a_and_that_b_are_two_parts(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The mayor of Kellin said that the old bridge would reopen in early May and that "
        "the river ferry would keep running until the end of June."
    )
    assert _parts(nlp, gazetteer, text, "mayor") == [
        "the old bridge would reopen in early May",
        "the river ferry would keep running until the end of June",
    ]


def test_a_participle_after_the_predicated_noun_is_a_second_part(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "The regional governor said the warehouse fire was an act of arson linked to a "
        "long dispute over grazing land."
    )
    assert _parts(nlp, gazetteer, text, "governor") == [
        "the warehouse fire was an act of arson",
        "linked to a long dispute over grazing land",
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # two clauses with subjects of their own and no "that": one thought
        (
            "“The squad trained hard all week, and the players are ready for the cup "
            "final,” the coach said.",
            "coach",
        ),
        # a participle set off by a comma says where the words come from
        (
            "Olessa Varn said there are many more volunteers working at the camps, based "
            "on letters gathered by the charity.",
            "Varn",
        ),
        # a participle that only narrows what is counted
        (
            "The party's treasurer said neither candidate can raise the funds needed for "
            "a campaign in every district.",
            "treasurer",
        ),
        # a verb with no tense of its own is part of the same predicate
        (
            "Harlow Rail said it is studying the preliminary report and cooperating with "
            "the safety board on its inquiry.",
            "Harlow",
        ),
    ],
)
def test_one_proposition_stays_whole(
    nlp: Any, gazetteer: Gazetteer, text: str, speaker: str
) -> None:
    assert _parts(nlp, gazetteer, text, speaker) == []


HARLOW = {"speaker": "Harlow Rail", "speaker_id": "org:harlow-rail", "speaker_side": None}
PROMISE = claim(
    "We will cooperate fully and openly with the safety board and the rail regulator on "
    "their inquiries",
    **HARLOW,
)
# the rest of the event: other voices, one of which also speaks of the inquiry
EVENT = [
    known("c1", PROMISE),
    *(
        known(f"c{n}", claim(text, speaker=speaker, speaker_id=None))
        for n, (speaker, text) in enumerate(
            [
                ("the county police", "the inquiry would look at the signals on the line"),
                ("the safety board", "the crew had been on duty for eleven hours"),
                ("the rail regulator", "the track had been renewed last spring"),
                ("the union", "its members wanted more staff on night trains"),
                ("residents", "they heard a loud bang before midnight"),
            ],
            start=2,
        )
    ),
]


def test_a_part_of_what_the_side_said_before_repeats_it() -> None:
    """ "will continue cooperating with the inquiry" after "we will cooperate
    fully and openly with the safety board … on their inquiries": every word of
    the later claim was said, so it is the same proposition although the two
    wordings overlap little and share one rare word."""
    d = classify(claim("will continue cooperating with the inquiry", **HARLOW), EVENT)
    assert d.novelty is Novelty.REPEAT, d.why
    assert d.matches == "c1"
    assert "every word of it" in d.why


def test_a_part_with_a_word_of_its_own_is_new() -> None:
    d = classify(claim("will not keep cooperating with the inquiry", **HARLOW), EVENT)
    assert d.novelty is Novelty.NEW, d.why


def test_another_side_saying_a_part_of_it_is_new() -> None:
    other = claim(
        "will continue cooperating with the inquiry",
        speaker="Tolvan Freight",
        speaker_id="org:tolvan-freight",
    )
    d = classify(other, EVENT)
    assert d.novelty is Novelty.NEW, d.why


async def test_a_sentence_half_told_before_is_split_into_a_repeat_and_news(
    services: Services,
) -> None:
    """Through the pipeline: the company's promise to work with the board was
    reported the day before, its study of the report is news; told for the
    first time, the sentence stays one claim."""
    lead = "A freight train of Harlow Rail left the tracks near Denby on Sunday night. "
    bodies = (
        lead + "“We will work closely and openly with the safety board and the rail "
        "regulator on their inquiries,” Harlow Rail said in a statement.",
        lead + "Harlow Rail said it is studying the preliminary report of the inspectors "
        "and will continue working with the safety board.",
    )
    outcomes = []
    for n, body in enumerate(bodies):
        story = Story(
            source=f"denby-{n}.txt",
            title="Freight train derails near Denby",
            body=body,
            url=f"https://example.org/denby-{n}",
            published=date(2025, 9, 7 + n),
        )
        outcomes.append(await services.pipeline.process(story))
    assert len({o.event_id for o in outcomes}) == 1
    harlow = [c for c in outcomes[1].claims if "Harlow" in c.speaker]
    tags = {c.text: c.novelty for c in harlow}
    assert tags == {
        "it is studying the preliminary report of the inspectors": Novelty.NEW,
        "will continue working with the safety board": Novelty.REPEAT,
    }, [(c.text, c.novelty, c.why) for c in harlow]


def test_a_negation_on_one_side_only_is_no_restatement_in_other_words() -> None:
    """Two rare words in common make a restatement in other words, not when
    one claim says "not": "will not keep working with the safety board" does
    not restate "we will work … with the safety board, …"."""
    said = claim(
        "We will work fully and transparently with the safety board, the rail regulator "
        "and the county police on each of their inquiries into the derailment",
        **HARLOW,
    )
    refused = claim("will not keep working with the safety board", **HARLOW)
    d = classify(refused, [known("c1", said), *EVENT[1:]])
    assert d.novelty is Novelty.NEW, d.why
