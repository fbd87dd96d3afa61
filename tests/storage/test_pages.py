"""What the event pages read: claim origins, an entity's recent events, the
signing secret (both backends)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.models import Entity, Novelty, Stance
from storage import open_store
from storage.base import Store
from storage.copy import copy_database
from tests.storage.builders import (
    CHINA,
    RUSSIA,
    T0,
    ZELENSKY,
    at,
    make_claim,
    make_record,
    make_story,
)
from tests.storage.conftest import Backend
from tests.storage.pg import fresh_schema, postgres_dsn, schema_url

NATO = Entity("org:nato", "NATO", "ORG")

FIRST = make_claim("c1", "at least 40 people were treated in hospital", numbers=(40.0,))
SECOND = make_claim(
    "c2", "more than 80 people were treated", numbers=(80.0,), novelty=Novelty.UPDATE, matches="c1"
)
DENIAL = make_claim(
    "c3",
    "the hospital figures are invented",
    speaker=CHINA,
    about=(),
    stance=Stance.DENY,
    novelty=Novelty.CONTRADICTION,
    matches="c1",
)
REPEAT = make_claim("c9", FIRST.text, numbers=(40.0,), novelty=Novelty.REPEAT, matches="c1")


async def three_stories(store: Store) -> list[int]:
    """Story 1 (9 Apr) says 40; story 2 (10 Apr) updates to 80 and is denied;
    story 3, published on 7 Apr but analysed last, repeats the 40."""
    ids = [
        await store.add_story(make_story(1, url="https://a.example/1", outlet="A"), T0),
        await store.add_story(
            make_story(2, url="https://b.example/2", outlet="B", published=date(2025, 4, 10)),
            at(1),
        ),
        await store.add_story(
            make_story(3, url="https://c.example/3", outlet="C", published=date(2025, 4, 7)),
            at(2),
        ),
    ]
    await store.save_analysis(make_record(ids[0], claims=(FIRST,), analysed_at=at(10)))
    await store.save_analysis(
        make_record(ids[1], new_event=False, claims=(SECOND, DENIAL), analysed_at=at(20))
    )
    await store.save_analysis(make_record(ids[2], new_event=False, claims=(REPEAT,)))
    return ids


async def test_claim_origins_give_novelty_match_and_first_publication(store: Store) -> None:
    await three_stories(store)
    origins = await store.claim_origins(["c1", "c2", "c3", "c1", "nope"])
    assert set(origins) == {"c1", "c2", "c3"}
    assert origins["c1"].novelty is Novelty.NEW and origins["c1"].matches is None
    # the repeat in a story published earlier moves the claim's first publication back
    assert origins["c1"].day == date(2025, 4, 7)
    assert (origins["c2"].novelty, origins["c2"].matches) == (Novelty.UPDATE, "c1")
    assert (origins["c3"].novelty, origins["c3"].matches) == (Novelty.CONTRADICTION, "c1")
    assert origins["c2"].day == date(2025, 4, 10)
    assert await store.claim_origins([]) == {}


async def test_entity_events_newest_first_with_counts_and_latest_claims(store: Store) -> None:
    await three_stories(store)
    other = await store.add_story(
        make_story(4, url="https://d.example/4", outlet="D", published=date(2025, 4, 1)), at(3)
    )
    await store.save_analysis(
        make_record(
            other,
            event_id="ev-2",
            claims=(make_claim("c20", "Russia moved troops", about=(RUSSIA,)),),
            analysed_at=at(30),
        )
    )
    events = await store.entity_events(CHINA.id, 10, 0.2)
    assert [e.id for e in events] == ["ev-1", "ev-2"]  # ev-1's last story is newer
    ev = events[0]
    assert (ev.stories, ev.outlets, ev.claims) == (3, 3, 3)
    assert (ev.first_day, ev.last_day) == (date(2025, 4, 7), date(2025, 4, 10))
    assert [c.id for c in ev.latest] == ["c3", "c2", "c1"]
    assert ev.latest[1].figures == (80.0,)
    assert [e.id for e in await store.entity_events(CHINA.id, 1, 0.2)] == ["ev-1"]
    # an event without claims is about Russia when Russia is salient enough in a story (0.5)
    quiet = await store.add_story(
        make_story(5, url="https://e.example/5", outlet="E", published=date(2025, 3, 1)), at(4)
    )
    await store.save_analysis(make_record(quiet, event_id="ev-3", analysed_at=at(40)))
    assert [e.id for e in await store.entity_events(RUSSIA.id, 10, 0.4)] == [
        "ev-1",
        "ev-2",
        "ev-3",
    ]
    assert [e.id for e in await store.entity_events(RUSSIA.id, 10, 0.6)] == ["ev-1", "ev-2"]
    # Zelensky speaks in ev-1 and ev-2 and is in the title of every story
    assert {e.id for e in await store.entity_events(ZELENSKY.id, 10, 0.99)} == {
        "ev-1",
        "ev-2",
        "ev-3",
    }
    assert await store.entity_events(NATO.id, 10, 0.2) == []


async def test_event_entities_most_salient_first(store: Store) -> None:
    await three_stories(store)
    assert [e.id for e in await store.event_entities("ev-1", 10)] == [
        CHINA.id,
        ZELENSKY.id,
        RUSSIA.id,
    ]
    assert await store.event_entities("ev-1", 1) == [CHINA]
    assert await store.event_entities("ev-404", 10) == []


async def test_the_pages_secret_is_made_once_and_shared(store: Store, backend: Backend) -> None:
    first = await store.pages_secret("candidate-one", T0)
    assert first == "candidate-one"
    assert await store.pages_secret("candidate-two", at(1)) == "candidate-one"
    other = await backend.open()
    try:
        assert await other.pages_secret("candidate-three", at(2)) == "candidate-one"
    finally:
        await other.close()


async def test_db_copy_carries_the_pages_secret(tmp_path: Path) -> None:
    """Links signed before a move to PostgreSQL still open after it."""
    source_url = f"sqlite:///{tmp_path / 'old.db'}"
    source = await open_store(source_url)
    await three_stories(source)
    secret = await source.pages_secret("kept-through-the-copy", T0)
    await source.close()
    dsn = await postgres_dsn()
    async with fresh_schema(dsn) as schema:
        target_url = schema_url(dsn, schema)
        counts = await copy_database(source_url, target_url)
        assert counts["service_secrets"] == 1
        moved = await open_store(target_url)
        try:
            assert await moved.pages_secret("a-new-one", at(5)) == secret
            assert (await moved.claim_origins(["c2"]))["c2"].matches == "c1"
        finally:
            await moved.close()


async def test_claims_by_event_put_denials_and_updates_first_with_dates(store: Store) -> None:
    """/claims reads (both backends): the events of an entity's claims, newest
    first, and in each the denial, then the update, then the rest; each claim
    with its sources' publication dates."""
    await three_stories(store)
    other = await store.add_story(
        make_story(4, url="https://d.example/4", outlet="D", published=date(2025, 4, 12)), at(3)
    )
    later = make_claim("c4", "Russia recruited people in Chinese cities")
    await store.save_analysis(make_record(other, event_id="ev-2", claims=(later,)))
    answer = await store.claims_by_event(ZELENSKY.id, max_events=5, per_event=2)
    assert answer.total_events == 2
    assert [e.id for e in answer.events] == ["ev-2", "ev-1"]  # 12 Apr, then 10 Apr
    spill = answer.events[1]
    assert spill.total == 2 and [c.id for c in spill.claims] == ["c2", "c1"]  # update first
    assert spill.claims[0].novelty is Novelty.UPDATE
    first = spill.claims[1].first_source
    assert first is not None and (first.outlet, first.published) == ("C", date(2025, 4, 7))
    assert spill.claims[1].outlets == 2
    # about China: the denial (said by China) comes before the update
    about = await store.claims_by_event(CHINA.id, max_events=1, per_event=3)
    assert about.total_events == 2 and [e.id for e in about.events] == ["ev-2"]
    china = await store.claims_by_event(CHINA.id, max_events=2, per_event=3)
    assert [c.id for c in china.events[1].claims][:2] == ["c3", "c2"]
    # a phrase (no entity): claims whose words contain it
    phrase = await store.claims_by_event("treated in hospital", max_events=5, per_event=5)
    assert [c.id for e in phrase.events for c in e.claims] == ["c1"]
    assert (await store.claims_by_event("nothing like this", 5, 5)).events == ()
