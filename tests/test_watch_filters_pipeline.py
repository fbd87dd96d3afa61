"""Watches with +/- terms through the whole flow: watch → ingest → analyse (the real
spaCy model) → match → outbox → the fake chat. The stories are our own writing."""

from __future__ import annotations

from datetime import date

from bot.models import Story
from bot.runtime import Services
from tests.fakes.chat import FakeAdapter, FakeChat

STRAIT = Story(
    source="filters/strait.txt",
    title="China sends warships towards Taiwan after island's drills",
    body=(
        "China sent six warships towards Taiwan on Tuesday, a day after the island "
        "finished its largest air defence drills in a decade.\n\n"
        "Taiwan's defence ministry said the Chinese ships had crossed the median line "
        'of the strait twice before dawn. "We are watching every move," said Lin Wei-ting, '
        "a spokesperson for the ministry in Taipei.\n\n"
        "China's foreign ministry said the patrols were routine and that Taiwan had "
        "provoked them with its exercises."
    ),
    url="https://news.example/strait",
    outlet="Harbour Post",
    published=date(2026, 11, 30),
)

GAS = Story(
    source="filters/gas.txt",
    title="China and Russia sign a new gas pipeline deal",
    body=(
        "China and Russia signed a deal on Monday for a second gas pipeline across "
        "Mongolia, after ten years of talks over its price.\n\n"
        "Russia's energy minister, Pavel Orlov, said the pipeline would carry 50 billion "
        "cubic metres of gas a year from 2031. China's commerce ministry said the price "
        "had been agreed but would not be made public.\n\n"
        "Analysts said the deal gave Russia a buyer for gas it no longer sells to Europe."
    ),
    url="https://news.example/gas",
    outlet="Steppe Wire",
    published=date(2026, 11, 30),
)


async def test_an_exclusion_skips_the_story_where_it_is_salient(
    services: Services, fake_adapter: FakeAdapter
) -> None:
    plain = FakeChat(services.router, chat_id="plain")
    excluding = FakeChat(services.router, chat_id="excluding")
    combined = FakeChat(services.router, chat_id="combined")
    assert (await plain.say("/watch china")).ok
    assert (await excluding.say("/watch china -taiwan")).ok
    assert (await combined.say("/watch china +russia")).ok

    outcome = await services.pipeline.process(STRAIT)
    assert outcome.analysis is not None
    salient = {s.entity.id: s.salience for s in outcome.analysis.entities}
    assert salient.get("gpe:taiwan", 0) >= services.settings.min_salience  # the premise
    await services.dispatcher.drain()
    assert len(fake_adapter.alerts_for("plain")) == 1
    assert fake_adapter.alerts_for("excluding") == []  # Taiwan is salient in it
    assert fake_adapter.alerts_for("combined") == []  # Russia is not

    await services.pipeline.process(GAS)
    await services.dispatcher.drain()
    assert len(fake_adapter.alerts_for("plain")) == 2
    [skipped_none] = fake_adapter.alerts_for("excluding")
    [both] = fake_adapter.alerts_for("combined")
    assert skipped_none.alert is not None and both.alert is not None
    # each alert's Unwatch button names the watch with its terms, and stops exactly it
    assert any(b.arg == "gpe:china -gpe:taiwan" for b in skipped_none.alert.buttons)
    button = next(b for b in both.alert.buttons if b.action == "unwatch")
    assert button.arg == "gpe:china +gpe:russia"
    assert "Stopped watching China +Russia" in (await combined.say(f"/unwatch {button.arg}")).plain


async def test_filtered_watches_are_found_through_the_index_on_their_target(
    services: Services, chat: FakeChat
) -> None:
    await chat.say("/watch china -taiwan")
    await chat.say('/watch "north korea" +russia')
    index = services.pipeline.index
    assert [s.target.key for s in index.for_entities(["gpe:china"])] == ["gpe:china"]
    assert [s.target.key for s in index.for_entities(["gpe:north-korea"])] == ["gpe:north-korea"]
    # a term is no key of the index: a story about Taiwan or Russia alone finds nothing
    assert index.for_entities(["gpe:taiwan", "gpe:russia"]) == []
