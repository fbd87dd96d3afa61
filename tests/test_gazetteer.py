"""The gazetteer is an object its owner creates and passes on (the pipeline's,
shared by its analyser and the handlers): two live side by side, and a name
added to one is in no other."""

from __future__ import annotations

from pathlib import Path

from bot.analysis.aliases import default_gazetteer
from bot.config import load_settings
from bot.models import Entity
from bot.runtime import Services
from tests.fakes.chat import FakeAdapter, FakeChat

ACME = Entity("org:acme", "Acme Robotics", "ORG")


def test_each_gazetteer_is_its_own() -> None:
    first, second = default_gazetteer(), default_gazetteer()
    first.add(ACME, "Acme")
    assert first.lookup("acme") == ACME
    assert second.lookup("Acme") is None and default_gazetteer().lookup("Acme") is None
    assert first.word_ids()["acme"] == "org:acme" and "acme" not in second.word_ids()
    # the built-in names are in both
    assert first.lookup("Beijing") == second.lookup("Beijing") is not None


async def test_two_services_with_their_own_gazetteers(tmp_path: Path) -> None:
    services = []
    for name in ("a", "b"):
        settings = load_settings(database_url=f"sqlite:///{tmp_path / name}.db", _env_file=None)
        services.append(await Services.open(settings, [FakeAdapter()]))
    one, other = services
    try:
        assert one.router.ctx.gazetteer is one.pipeline.gazetteer  # the handlers use the pipeline's
        assert one.pipeline.gazetteer is not other.pipeline.gazetteer
        one.pipeline.gazetteer.add(ACME, "Acme")
        knows = await FakeChat(one.router).say("/watch Acme")
        guesses = await FakeChat(other.router).say("/watch Acme")
        assert knows.ok and "Watching Acme Robotics" in knows.plain
        assert guesses.ok and "phrase" in guesses.plain
    finally:
        for opened in services:
            await opened.close()


def test_novelty_reads_the_gazetteer_it_is_given() -> None:
    from bot.analysis.wording import similarity

    knows = default_gazetteer()
    knows.add(ACME, "Acme")
    named = ("Acme will close the Sorna plant next month", ())
    linked = ("the company will close the Sorna plant next month", ("org:acme",))
    plain = similarity(*named, *linked)
    assert similarity(*named, *linked, gazetteer=default_gazetteer()) == plain
    # with a gazetteer that knows Acme, "Acme" is the entity the other claim names
    assert similarity(*named, *linked, gazetteer=knows) > plain
    assert similarity(*named, *linked) == plain  # and no other gazetteer learnt it
