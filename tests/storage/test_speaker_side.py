"""The side a claim's speaker speaks for is stored with the claim and read
back by ``event_claims``, so the novelty step needs no memory of its own."""

from __future__ import annotations

from dataclasses import replace

from storage.base import Store
from tests.storage.builders import T0, make_claim, make_record, make_story


async def test_event_claims_return_the_speaker_side(store: Store) -> None:
    story = await store.add_story(make_story(1), T0)
    sided = replace(
        make_claim("c1", "the border crossing will reopen on Friday"),
        speaker_side="gpe:ukraine",
    )
    plain = make_claim("c2", "talks resumed on Tuesday")
    await store.save_analysis(make_record(story, claims=(sided, plain)))
    got = {c.id: c.speaker_side for c in await store.event_claims("ev-1")}
    assert got == {"c1": "gpe:ukraine", "c2": None}
