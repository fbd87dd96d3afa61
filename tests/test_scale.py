"""Scale-out: the subscription index at 100k, and several `claimwatch run`
instances sharing one PostgreSQL database."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from bot.models import ChatRef, Subscription, WatchTarget
from bot.watch import WatchIndex, _keyword_text, normalise_phrase

T0 = datetime(2026, 11, 23, tzinfo=UTC)

# ------------------------------------------------------------------ the index


@pytest.mark.parametrize(
    "text",
    [
        "Zelensky said at least 155 Chinese citizens are fighting for Russia.",
        "  Tabs\tand\nnew lines, under_scores & dashes-too; 1,000.5 ",
        "Straße, ﬁnancial Ｋelvin — “quoted” İstanbul ÉCOLE",
        "",
        "!!!",
    ],
)
def test_the_fast_keyword_text_is_exactly_normalise_phrase(text: str) -> None:
    assert _keyword_text(text) == normalise_phrase(text)


def _random_subs(rng: random.Random, phrases: list[str], start: int, n: int) -> list[Subscription]:
    subs = []
    for k in range(start, start + n):
        chat = ChatRef("telegram", str(rng.randrange(500)))
        if rng.random() < 0.5:
            phrase = rng.choice(phrases)
            target = WatchTarget("keyword", phrase, phrase.title())
        else:
            key = f"gpe:e{rng.randrange(300)}"
            target = WatchTarget("entity", key, key)
        subs.append(Subscription(k, chat, target, paused=rng.random() < 0.05, created=T0))
    return subs


def _same_answers(index: WatchIndex, live: dict[int, Subscription], texts: list[str]) -> None:
    fresh = WatchIndex(live.values())
    assert len(index) == len(fresh)
    entities = [f"gpe:e{n}" for n in range(300)]
    assert index.for_entities(entities) == fresh.for_entities(entities)
    for text in texts:
        found = index.keywords_in(text)
        assert found == fresh.keywords_in(text)
        assert index.for_keywords(sorted(found)) == fresh.for_keywords(sorted(found))


def test_incremental_updates_answer_like_a_fresh_index() -> None:
    rng = random.Random(3)
    words = [f"w{n}" for n in range(400)]
    phrases = sorted({" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(1500)})
    texts = [" ".join(rng.choice(words) for _ in range(400)) for _ in range(5)]

    live: dict[int, Subscription] = {}
    index = WatchIndex()
    next_id = 1
    for _round in range(12):
        added = _random_subs(rng, phrases, next_id, 300)
        next_id += len(added)
        removed = rng.sample(sorted(live), k=min(len(live), 220))
        for sid in removed:
            del live[sid]
        changed = []
        for sub in added:
            if not sub.paused:
                live[sub.id] = sub
            changed.append(sub)
        # a watch paused, and one resumed, arrive as changes too
        for sid in rng.sample(sorted(live), k=5):
            sub = live.pop(sid)
            changed.append(Subscription(sub.id, sub.chat, sub.target, paused=True))
        index.apply_changes(index.version + 1, changed, removed)
        for sub in [s for s in added[:40] if s.id in live]:  # single watches between stories
            index.remove(sub.id)
            index.keywords_in(texts[0])
            index.add(sub)
        _same_answers(index, live, texts)


def test_a_single_new_watch_does_not_rebuild_the_big_automaton() -> None:
    subs = [
        Subscription(n, ChatRef("slack", f"C{n}"), WatchTarget("keyword", f"phrase {n}", "p"))
        for n in range(1, 20_001)
    ]
    index = WatchIndex(subs)
    assert index.keywords_in("we saw phrase 17 here") == {"phrase 17"}
    base = index._base
    for n in range(1, 101):
        index.add(
            Subscription(
                30_000 + n, ChatRef("slack", "new"), WatchTarget("keyword", f"fresh {n}", "f")
            )
        )
        assert index.keywords_in(f"a fresh {n} story about phrase 5") == {f"fresh {n}", "phrase 5"}
        assert index._base is base  # only the small automaton of recent phrases was rebuilt
    index.remove(5)
    assert index.keywords_in("a fresh 3 story about phrase 5") == {"fresh 3"}
