"""save_analysis and what the analysis and the chat commands read back."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import asyncpg
import pytest

from bot.analysis.canonical import EarlierMention, canonical_ids
from bot.models import Entity, Novelty, Source, Stance, normalise_body
from storage.analysis import MAX_EVENT_TERMS
from storage.base import Store
from tests.storage.builders import (
    ALICE,
    BOB,
    CHINA,
    RUSSIA,
    T0,
    ZELENSKY,
    at,
    make_alert,
    make_claim,
    make_record,
    make_story,
)

# What each backend raises when a foreign key fails.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)

BIG_FINGERPRINT = 0xF0E1_D2C3_B4A5_9687  # above 2**63: must survive a signed column

FIGHTING = make_claim(
    "c1", "at least 155 Chinese citizens are fighting for Russia", numbers=(155.0,)
)
DENIAL = make_claim(
    "c2",
    "the claims are totally unfounded",
    speaker=CHINA,
    about=(),
    stance=Stance.DENY,
    novelty=Novelty.CONTRADICTION,
)


async def two_stories(store: Store) -> tuple[int, int]:
    """Reuters breaks the story; the Guardian repeats the claim and adds a denial."""
    first = await store.add_story(
        make_story(1, url="https://reuters.example/a", published=date(2025, 4, 8)), T0
    )
    second = await store.add_story(
        make_story(2, url="https://guardian.example/b", outlet="The Guardian"), at(5)
    )
    await store.save_analysis(
        make_record(
            first,
            claims=(FIGHTING,),
            alerts=(make_alert(ALICE, "k1"),),
            fingerprint=BIG_FINGERPRINT,
            terms={"gpe:china": 2.0, "fight": 1.0},
        )
    )
    repeat = make_claim(
        "c3",
        "155 Chinese nationals fight for Russia",
        novelty=Novelty.REPEAT,
        matches="c1",
    )
    await store.save_analysis(
        make_record(
            second,
            new_event=False,
            claims=(repeat, DENIAL),
            analysed_at=at(10),
            terms={"gpe:china": 1.0, "deny": 3.0},
        )
    )
    return first, second


async def test_an_analysed_story_joins_its_event_with_its_claims(store: Store) -> None:
    story_id = await store.add_story(make_story(1), T0)
    alert = make_alert(ALICE, "k1")
    queued = await store.save_analysis(
        make_record(story_id, claims=(FIGHTING,), alerts=(alert,), fingerprint=BIG_FINGERPRINT)
    )
    assert queued == [alert]

    record = await store.story(story_id)
    assert record is not None
    assert (record.status, record.event_id) == ("analysed", "ev-1")

    (event,) = await store.recent_events(date(2025, 4, 1))
    assert event.id == "ev-1" and event.title == "Chinese citizens fighting for Russia"
    assert event.terms == {"gpe:china": 2.0, "fight": 1.0}
    assert event.last_seen == date(2025, 4, 9) and event.stories == 1
    assert await store.recent_events(date(2025, 4, 10)) == []

    assert [
        (f.story_id, f.fingerprint, f.event_id)
        for f in await store.recent_fingerprints(date(2025, 4, 1))
    ] == [(story_id, BIG_FINGERPRINT, "ev-1")]

    (claim,) = await store.event_claims("ev-1")
    assert claim.id == "c1" and claim.speaker_id == ZELENSKY.id
    assert claim.entities == (CHINA.id, RUSSIA.id) and claim.numbers == (155.0,)
    assert claim.first_seen == T0 and claim.sources == 1
    assert await store.outbox_counts() == {"pending": 1, "sent": 0, "retry": 0, "undeliverable": 0}


async def test_a_repeated_claim_adds_a_source_instead_of_a_new_claim(store: Store) -> None:
    await two_stories(store)
    claims = await store.event_claims("ev-1")
    assert [(c.id, c.sources) for c in claims] == [("c1", 2), ("c2", 1)]
    assert claims[1].stance is Stance.DENY
    assert await store.event_outlets("ev-1") == 2

    (event,) = await store.recent_events(date(2025, 4, 1))
    assert event.terms == {"gpe:china": 3.0, "deny": 3.0, "fight": 1.0}
    assert event.stories == 2


async def test_event_terms_keep_only_the_heaviest(store: Store) -> None:
    story_id = await store.add_story(make_story(1), T0)
    terms = {f"term{i:03d}": float(i) for i in range(MAX_EVENT_TERMS + 50)}
    await store.save_analysis(make_record(story_id, terms=terms))
    (event,) = await store.recent_events(date(2025, 1, 1))
    assert len(event.terms) == MAX_EVENT_TERMS
    assert "term249" in event.terms and "term000" not in event.terms


async def test_an_alert_key_is_queued_once(store: Store) -> None:
    first = await store.add_story(make_story(1), T0)
    second = await store.add_story(make_story(2), at(1))
    await store.save_analysis(make_record(first, alerts=(make_alert(ALICE, "k1"),)))

    again = make_alert(ALICE, "k1")
    fresh = make_alert(BOB, "k2")
    queued = await store.save_analysis(
        make_record(second, new_event=False, alerts=(again, fresh), analysed_at=at(2))
    )
    assert queued == [fresh]
    assert (await store.outbox_counts())["pending"] == 2


async def test_a_duplicate_story_is_marked_so(store: Store) -> None:
    first = await store.add_story(make_story(1), T0)
    copy = await store.add_story(make_story(2, outlet="AP"), at(1))
    await store.save_analysis(make_record(first))
    await store.save_analysis(make_record(copy, new_event=False, duplicate_of=first))
    record = await store.story(copy)
    assert record is not None
    assert record.status == "duplicate" and record.extra["duplicate_of"] == str(first)
    assert await store.pending_stories(10) == []


async def test_a_failed_save_leaves_nothing_behind(store: Store) -> None:
    story_id = await store.add_story(make_story(1), T0)
    broken = make_record(
        story_id,
        claims=(FIGHTING,),
        alerts=(make_alert(ALICE, "k1"),),
        duplicate_of=9999,  # no such story: the foreign key fails mid-transaction
    )
    with pytest.raises(INTEGRITY_ERRORS):
        await store.save_analysis(broken)
    assert await store.recent_events(date(2000, 1, 1)) == []
    assert await store.event_claims("ev-1") == []
    assert (await store.outbox_counts())["pending"] == 0
    assert [r.id for r in await store.pending_stories(10)] == [story_id]

    # The store is still usable afterwards.
    assert await store.save_analysis(make_record(story_id, alerts=(make_alert(ALICE, "k1"),)))


async def test_analysing_a_story_again_does_not_double_count(store: Store) -> None:
    story_id = await store.add_story(make_story(1), T0)
    await store.save_analysis(make_record(story_id, claims=(FIGHTING,)))
    await store.save_analysis(make_record(story_id, claims=(FIGHTING,), new_event=False))
    (claim,) = await store.event_claims("ev-1")
    assert claim.sources == 1


async def test_entities_are_found_by_name_and_alias_ignoring_case(store: Store) -> None:
    story_id = await store.add_story(make_story(1), T0)
    await store.save_analysis(make_record(story_id))

    assert await store.find_entity("china") == CHINA
    assert await store.find_entity("CHINESE") == CHINA
    assert await store.find_entity("Beijing") == CHINA
    assert await store.find_entity("zelensky") == ZELENSKY
    assert await store.find_entity("Atlantis") is None
    assert await store.entity(RUSSIA.id) == RUSSIA
    assert await store.entity("gpe:atlantis") is None

    names = await store.entity_names()
    assert ("Beijing", CHINA.id) in names and ("China", CHINA.id) in names
    assert ("Volodymyr Zelensky", ZELENSKY.id) in names
    assert len(names) == len(set(names))


async def test_an_entity_renamed_by_a_later_analysis_keeps_its_old_alias(
    store: Store,
) -> None:
    first = await store.add_story(make_story(1), T0)
    await store.save_analysis(make_record(first))
    renamed = Entity(CHINA.id, "People's Republic of China", "GPE")
    second = await store.add_story(make_story(2), at(1))
    record = make_record(second, new_event=False)
    analysis = record.analysis
    stats = tuple(
        replace(s, entity=renamed) if s.entity.id == CHINA.id else s for s in analysis.entities
    )
    await store.save_analysis(replace(record, analysis=replace(analysis, entities=stats)))
    assert await store.find_entity("people's republic of china") == renamed
    assert await store.find_entity("China") == renamed


async def test_claims_about_an_entity_newest_first_with_sources(store: Store) -> None:
    await two_stories(store)

    about_china = await store.claims_about(CHINA.id, 10)
    assert [c.id for c in about_china] == ["c2", "c1"]  # the denial is newer
    denial, fighting = about_china
    assert denial.speaker == "China" and denial.stance is Stance.DENY
    assert fighting.figures == (155.0,)
    assert fighting.cue == "said"  # /claims reads a claim with its verb where it needs one
    assert fighting.sources == (
        Source("Story 1", "https://reuters.example/a", "Reuters", date(2025, 4, 8)),
        Source("Story 2", "https://guardian.example/b", "The Guardian", date(2025, 4, 9)),
    )
    assert [c.id for c in await store.claims_about(CHINA.id, 1)] == ["c2"]

    by_zelensky = await store.claims_about(ZELENSKY.id, 10)
    assert [c.id for c in by_zelensky] == ["c1"]


async def test_claims_about_a_keyword_match_the_phrase(store: Store) -> None:
    await two_stories(store)
    assert [c.id for c in await store.claims_about("chinese citizens", 10)] == ["c1"]
    assert [c.id for c in await store.claims_about("Totally Unfounded!", 10)] == ["c2"]
    assert await store.claims_about("citizen", 10) == []  # whole words only
    assert await store.claims_about("north korea", 10) == []


async def test_event_view_lists_claims_and_every_source(store: Store) -> None:
    await two_stories(store)
    view = await store.event_view("ev-1")
    assert view is not None
    assert view.title == "Chinese citizens fighting for Russia"
    assert (view.first_seen, view.last_seen) == (T0, at(10))
    assert [c.id for c in view.claims] == ["c1", "c2"]
    assert [len(c.sources) for c in view.claims] == [2, 1]
    assert [s.outlet for s in view.sources] == ["Reuters", "The Guardian"]
    assert await store.event_view("no-such-event") is None


async def test_sources_without_outlet_or_url_fall_back_to_the_file(store: Store) -> None:
    story_id = await store.add_story(make_story(1, outlet=None), T0)
    await store.save_analysis(make_record(story_id, claims=(FIGHTING,)))
    (claim,) = await store.claims_about(CHINA.id, 5)
    assert claim.sources == (
        Source("Story 1", "examples/story-1.txt", "story-1.txt", date(2025, 4, 9)),
    )
    assert await store.event_outlets("ev-1") == 1


async def test_a_near_duplicate_repeats_the_claims_it_copies(store: Store) -> None:
    first = await store.add_story(make_story(1), T0)
    copy = await store.add_story(make_story(2, outlet="AP"), at(1))
    await store.save_analysis(make_record(first, claims=(FIGHTING,)))
    copied = replace(
        FIGHTING,
        id="c9",
        novelty=Novelty.REPEAT,
        text="At least 155 Chinese citizens are fighting for Russia.",
    )
    # the copy matched nothing: it joins the event's earlier mention in the same words
    said = await store.event_mentions("ev-1", copy)
    assert said == [EarlierMention("c1", FIGHTING.speaker, normalise_body(FIGHTING.text))]
    canonical = canonical_ids((copied,), {"c1"}, said)
    assert canonical == ("c1",)
    await store.save_analysis(
        make_record(
            copy, new_event=False, duplicate_of=first, claims=(copied,), canonical=canonical
        )
    )
    (claim,) = await store.event_claims("ev-1")
    assert claim.id == "c1" and claim.sources == 2
    assert await store.event_mentions("ev-1", first) == [
        EarlierMention("c1", FIGHTING.speaker, normalise_body(copied.text))
    ]


async def test_a_repeat_keeps_its_own_words_for_later_comparison(store: Store) -> None:
    await two_stories(store)
    (wording,) = await store.event_wordings("ev-1")
    # the Guardian's words, under the id of the claim they repeat, with its figures
    assert (wording.id, wording.text) == ("c1", "155 Chinese nationals fight for Russia")
    assert wording.speaker == ZELENSKY.name and wording.speaker_id == ZELENSKY.id
    assert wording.numbers == (155.0,)
    assert await store.event_wordings("ev-2") == []
