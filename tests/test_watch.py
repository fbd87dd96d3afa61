"""Matching stories to watches and deciding what deserves an alert."""

from __future__ import annotations

from dataclasses import replace

from bot.models import (
    CanonicalClaim,
    ChatRef,
    Claim,
    EntityStat,
    Novelty,
    Stance,
    Subscription,
    WatchLevel,
    WatchTarget,
)
from bot.watch import AlertPlan, WatchIndex, event_sides, plan_alerts
from tests.storage.builders import (
    CHINA,
    RUSSIA,
    T0,
    ZELENSKY,
    make_analysis,
    make_claim,
    make_story,
)

A, B, C = ChatRef("fake", "a"), ChatRef("fake", "b"), ChatRef("fake", "c")
PLAN = AlertPlan("ev1", "Chinese citizens fighting for Russia", False, 3, ())


def index() -> WatchIndex:
    return WatchIndex(
        [
            Subscription(1, A, WatchTarget("entity", "gpe:china", "China")),
            Subscription(2, B, WatchTarget("entity", "gpe:russia", "Russia")),
            Subscription(3, C, WatchTarget("keyword", "prisoners of war", "prisoners of war")),
        ]
    )


def analysis_with(*claims):  # type: ignore[no-untyped-def]
    base = make_analysis(tuple(claims))
    # China is what the story is about; Russia only passes by
    return replace(base, entities=(EntityStat(CHINA, 9, 0.9, True), EntityStat(RUSSIA, 1, 0.05)))


def test_salient_watch_sees_the_freshest_claims_passing_mention_only_its_own() -> None:
    about_russia = make_claim("c1", "Russia recruited them online", about=(RUSSIA,))
    denial = make_claim(
        "c2", "the reports are unfounded", about=(), novelty=Novelty.CONTRADICTION, matches="c0"
    )
    repeat = make_claim(
        "c3",
        "two Chinese citizens were captured",
        about=(CHINA,),
        novelty=Novelty.REPEAT,
        matches="c0",
    )
    alerts = {
        a.chat: a
        for a in plan_alerts(
            index(),
            make_story(1),
            analysis_with(about_russia, denial, repeat),
            [about_russia, denial, repeat],
            PLAN,
            min_salience=0.2,
        )
    }
    assert [c.tag for c in alerts[A].claims] == ["DENIAL", "NEW"]  # denial first, the repeat never
    assert [c.claim_id for c in alerts[B].claims] == ["c1"]
    assert C not in alerts  # the phrase is not in the story


def test_repeats_only_update_outlets_and_keys_differ_by_claim_set() -> None:
    repeat = make_claim(
        "c3",
        "two Chinese citizens were captured",
        about=(CHINA,),
        novelty=Novelty.REPEAT,
        matches="c0",
    )
    # a story of repeats only is no alert of its own: an outlet update (no claims,
    # never major) for the watches it concerns, one key per outlet's story
    updates = plan_alerts(
        index(), make_story(1), analysis_with(repeat), [repeat], PLAN, min_salience=0.2
    )
    assert [(u.chat, u.outlets_only, u.claims, u.major) for u in updates] == [(A, True, (), False)]
    again = plan_alerts(
        index(), make_story(2), analysis_with(repeat), [repeat], PLAN, min_salience=0.2
    )
    assert again[0].key != updates[0].key
    new = make_claim(
        "c4",
        "at least 155 Chinese citizens are fighting",
        about=(CHINA,),
        novelty=Novelty.UPDATE,
        matches="c0",
    )
    first = plan_alerts(index(), make_story(1), analysis_with(new), [new], PLAN, min_salience=0.2)
    again = plan_alerts(index(), make_story(2), analysis_with(new), [new], PLAN, min_salience=0.2)
    other = replace(new, id="c5", matches="c9")
    third = plan_alerts(
        index(), make_story(3), analysis_with(other), [other], PLAN, min_salience=0.2
    )
    assert first[0].key == again[0].key != third[0].key
    assert first[0].claims[0].tag == "UPDATE"


def test_keyword_watch_matches_whole_words_in_the_story() -> None:
    story = make_story(1)
    claim = make_claim("c1", "they were taken as prisoners of war near Donetsk", about=())
    base = analysis_with(claim)
    text = "Two Chinese men taken as prisoners of war\n\n" + base.text
    alerts = plan_alerts(index(), story, replace(base, text=text), [claim], PLAN, min_salience=0.2)
    assert C in {a.chat for a in alerts}
    wrong = replace(base, text="the prisoners of warfare museum")
    assert C not in {
        a.chat
        for a in plan_alerts(
            index(), story, wrong, [replace(claim, text="museum")], PLAN, min_salience=0.2
        )
    }


def test_index_updates_incrementally() -> None:
    idx = index()
    assert [s.id for s in idx.for_entities(["gpe:china"])] == [1]
    idx.apply_changes(5, [Subscription(4, B, WatchTarget("entity", "gpe:china", "China"))], [1])
    assert [s.id for s in idx.for_entities(["gpe:china"])] == [4]
    assert idx.keywords_in("Freed PRISONERS of war return") == {"prisoners of war"}
    idx.apply_changes(6, [], [3])
    assert idx.keywords_in("Freed prisoners of war return") == set()


def _weight(claim: Claim, plan: AlertPlan = PLAN, level: WatchLevel = WatchLevel.MAJOR) -> bool:
    """Whether the alert for a China watch at ``level`` calls ``claim`` a major development."""
    subs = WatchIndex(
        [Subscription(1, A, WatchTarget("entity", "gpe:china", "China"), level=level)]
    )
    [alert] = plan_alerts(
        subs, make_story(1), analysis_with(claim), [claim], plan, min_salience=0.2
    )
    assert alert.level is level  # the watch's level goes with the alert
    return alert.major


def test_what_counts_as_a_major_development() -> None:
    heard = replace(PLAN, heard=frozenset({ZELENSKY.id, "gpe:china"}))
    more = make_claim("c1", "two more Chinese citizens were captured", about=(CHINA,))
    assert not _weight(more, heard, WatchLevel.EVENTS)  # a side heard before says more
    assert _weight(more, replace(heard, new_event=True))  # a new event always is
    figure = make_claim("c2", "at least 155 are fighting", about=(CHINA,), numbers=(155,))
    assert _weight(replace(figure, novelty=Novelty.UPDATE, matches="c0"), heard)
    denial = make_claim(
        "c3",
        "the claims are groundless",
        speaker=CHINA,
        about=(CHINA,),
        novelty=Novelty.CONTRADICTION,
        stance=Stance.DENY,
    )
    assert _weight(denial, heard)  # China's first denial in the event
    assert not _weight(denial, replace(heard, denied=frozenset({"gpe:china"})))  # it denies again
    kremlin = make_claim("c4", "no Chinese citizens serve", speaker=RUSSIA, about=(CHINA,))
    assert _weight(kremlin, heard)  # a side not heard before
    cited = replace(kremlin, cue="according to")
    assert not _weight(cited, heard)  # a fact cited from a source is no statement of a side
    assert not _weight(replace(kremlin, speaker_id=None), heard)  # an unnamed speaker is no side


def test_event_sides_are_the_speakers_sides_and_those_that_denied() -> None:
    earlier = [
        CanonicalClaim("k1", "ev1", "Zelensky", ZELENSKY.id, Stance.ASSERT, "x", (), (), T0),
        CanonicalClaim(
            "k2", "ev1", "Lin Jian", "person:lin", Stance.DENY, "y", (), (), T0, 1, "gpe:china"
        ),
        CanonicalClaim("k3", "ev1", "officials", None, Stance.DENY, "z", (), (), T0),
    ]
    assert event_sides(earlier) == (
        frozenset({ZELENSKY.id, "gpe:china"}),
        frozenset({"gpe:china"}),
    )
