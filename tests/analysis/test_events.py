"""Event grouping on short articles written for these tests.

Two events about the same parties (Ukraine, China, Russia) a few days apart,
each covered by three outlets in their own words, a third story on the same
parties about another matter, an unrelated story, and a follow-up on the first
event weeks later. Stories of one event must join; the others must not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from bot.analysis.aliases import Gazetteer
from bot.analysis.entities import find_mentions
from bot.analysis.events import (
    assign_event,
    cosine,
    entity_term,
    event_title,
    features,
    fingerprint,
    hamming,
    merge_terms,
    places,
    rarity,
    split_terms,
)
from bot.models import EventCandidate, EventDecision, EventFeatures, StoryFingerprint

THRESHOLD = 0.30  # the value recommended for Settings.event_similarity
DISTANCE = 6  # the value recommended for Settings.duplicate_distance
WINDOW = 7
FOLLOWUP = 30  # Settings.event_followup_days


@dataclass(frozen=True)
class Article:
    key: str
    event: str  # the event it belongs to, by this test's own judgement
    published: date
    title: str
    body: str


ARTICLES = [
    Article(
        "capture-1",
        "capture",
        date(2031, 3, 4),
        "Ukraine says it captured two Chinese nationals fighting for Russia",
        "Ukrainian troops captured two Chinese nationals who were fighting in the ranks of "
        "the Russian army near the town of Siversk, President Petro Hnatiuk said on Monday. "
        "Hnatiuk said the men carried Chinese passports and bank cards. He told reporters "
        "that Kyiv believed many more Chinese citizens were serving in Russian units and "
        "asked Beijing to explain how its citizens ended up at the front. Ukraine's foreign "
        "ministry summoned the Chinese ambassador.",
    ),
    Article(
        "capture-2",
        "capture",
        date(2031, 3, 4),
        "Zelenskyy rival? No - Hnatiuk: Chinese fighters taken prisoner near Siversk",
        "Two citizens of China have been taken prisoner after fighting alongside Russian "
        "forces in eastern Ukraine, the Ukrainian president, Petro Hnatiuk, announced. "
        "According to Hnatiuk, a Ukrainian unit clashed with six Chinese fighters near "
        "Siversk and captured two of them. Their passports were shown in a video. "
        "The president said the capture proved that Moscow was recruiting foreigners.",
    ),
    Article(
        "capture-3",
        "capture",
        date(2031, 3, 5),
        "China denies sending soldiers after two nationals captured in Ukraine",
        "Beijing on Tuesday rejected suggestions that it had sent soldiers to fight for "
        "Russia, a day after Ukraine said its forces had captured two Chinese nationals near "
        "Siversk. A Chinese foreign ministry spokesperson said Chinese citizens were told to "
        "stay away from armed conflict and that the two prisoners had acted on their own. "
        "Hnatiuk had said the captured men held Chinese passports.",
    ),
    Article(
        "drones-1",
        "drones",
        date(2031, 3, 7),
        "Ukraine finds Chinese-made engines in Russian attack drones",
        "Ukrainian military intelligence said on Thursday that engines and navigation "
        "modules made in China were found in the wreckage of Russian attack drones shot "
        "down over Kharkiv. The agency said the components were shipped through trading "
        "companies in Hong Kong. Kyiv urged its partners to sanction the suppliers. "
        "Russia has launched hundreds of drones at Ukrainian cities this month.",
    ),
    Article(
        "drones-2",
        "drones",
        date(2031, 3, 7),
        "Chinese components power Russia's drones, Ukrainian spies say",
        "Drone wreckage recovered in Kharkiv contained Chinese engines and satellite "
        "navigation modules, Ukraine's military intelligence agency said. Investigators "
        "traced the parts to suppliers registered in Hong Kong and asked allies to impose "
        "sanctions on the trading firms. The drones were among dozens that struck the city "
        "overnight.",
    ),
    Article(
        "drones-3",
        "drones",
        date(2031, 3, 8),
        "Beijing rejects Kyiv's report on drone parts",
        "China's foreign ministry on Friday rejected a Ukrainian intelligence report that "
        "Chinese engines and navigation modules were found in Russian drones, saying Beijing "
        "strictly controls exports of dual-use items. The report said the components had been "
        "shipped to Russia through Hong Kong trading companies and found in drone wreckage "
        "in Kharkiv.",
    ),
    Article(
        "grain",
        "grain",
        date(2031, 3, 6),
        "Russia and Ukraine wheat harvests lift Chinese imports",
        "China bought record volumes of wheat from Russia in February while Ukrainian grain "
        "shipments through the Black Sea also rose, customs data showed. Traders said "
        "Chinese mills were buying cheaper wheat after a poor domestic harvest, and freight "
        "rates for bulk carriers climbed to a two-year high.",
    ),
    Article(
        "measles",
        "measles",
        date(2031, 3, 6),
        "Measles cases rise sharply across Europe, WHO warns",
        "The World Health Organization said measles cases in Europe tripled last year as "
        "vaccination rates fell after the pandemic. Health officials urged parents to check "
        "that children had received both doses of the vaccine, and several countries "
        "reported outbreaks in schools.",
    ),
    Article(
        "capture-findings",
        "capture",
        date(2031, 3, 26),
        "Investigators say captured Chinese fighters were recruited online",
        "Three weeks after two Chinese nationals were captured near Siversk, Ukraine's "
        "security service said its investigation found that the men had answered an online "
        "advertisement offering contracts with the Russian army. The service said recruiters "
        "in Moscow paid for their flights and that neither man had military training.",
    ),
    Article(
        "swap-later",
        "swap-later",
        date(2031, 3, 27),
        "Ukraine and Russia swap 90 prisoners of war in Gulf-brokered exchange",
        "Ukraine and Russia exchanged 90 prisoners of war each on Friday after talks brokered "
        "by Qatar, the Ukrainian ombudsman said. Most of the freed Ukrainians had been held "
        "since the siege of a steel plant, and several needed hospital care, he said.",
    ),
    Article(
        "capture-later",
        "capture-later",
        date(2031, 6, 20),
        "Captured Chinese fighters to be exchanged, Ukraine says",
        "The two Chinese nationals captured near Siversk in March will be handed over in a "
        "prisoner exchange with Russia, Ukrainian officials said. Hnatiuk said the men had "
        "been questioned by the security service and had cooperated with investigators.",
    ),
]


def analyse(nlp: Any, gazetteer: Gazetteer, articles: list[Article]) -> list[EventFeatures]:
    texts = [f"{a.title}\n\n{a.body}" for a in articles]
    out = []
    for art, doc in zip(articles, nlp.pipe(texts, batch_size=8), strict=True):
        out.append(features(doc, find_mentions(doc, gazetteer), art.published))
    return out


def replay(
    articles: list[Article], feats: list[EventFeatures]
) -> tuple[dict[str, str], list[EventDecision]]:
    """Assign events in order, as the pipeline does, with the store kept in memory."""
    events: dict[str, EventCandidate] = {}
    prints: list[StoryFingerprint] = []
    assigned: dict[str, str] = {}
    decisions = []
    for n, (art, feat) in enumerate(zip(articles, feats, strict=True)):
        decision = assign_event(
            feat,
            list(events.values()),
            prints,
            threshold=THRESHOLD,
            duplicate_distance=DISTANCE,
            window_days=WINDOW,
            followup_days=FOLLOWUP,
        )
        decisions.append(decision)
        event_id = decision.event_id or f"ev{n}"
        old = events.get(event_id)
        if old is None:
            events[event_id] = EventCandidate(event_id, art.title, dict(feat.terms), art.published)
        else:
            events[event_id] = EventCandidate(
                event_id,
                old.title,
                merge_terms(old.terms, feat.terms),
                max(old.last_seen, art.published),
                old.stories + 1,
                min(old.first_seen or old.last_seen, art.published),
            )
        prints.append(StoryFingerprint(n, feat.fingerprint, event_id))
        assigned[art.key] = event_id
    return assigned, decisions


@pytest.fixture(scope="module")
def feats(nlp: Any, gazetteer: Gazetteer) -> list[EventFeatures]:
    return analyse(nlp, gazetteer, ARTICLES)


def test_same_event_joins_and_other_matters_do_not(feats: list[EventFeatures]) -> None:
    assigned, decisions = replay(ARTICLES, feats)
    groups: dict[str, set[str]] = {}
    for art in ARTICLES:
        groups.setdefault(assigned[art.key], set()).add(art.event)
    # every predicted event holds one true event, and every true event is one predicted event
    assert all(len(events) == 1 for events in groups.values()), groups
    assert len(groups) == len({a.event for a in ARTICLES}), groups
    assert all(d.duplicate_of is None for d in decisions)


def test_why_explains_the_decision(feats: list[EventFeatures]) -> None:
    _, decisions = replay(ARTICLES, feats)
    joined = decisions[1]
    assert joined.event_id == "ev0"
    assert joined.why.startswith("cosine ") and "ev0" in joined.why
    assert joined.similarity >= THRESHOLD
    assert decisions[0].why == "no recent event"
    assert "new event" in decisions[6].why  # grain: same countries, another matter


@pytest.mark.parametrize(
    "placeholder", ["", "Unknown", "untitled", "N/A", "Breaking News", "Live updates", "Home"]
)
def test_a_placeholder_title_takes_the_lead(
    nlp: Any, gazetteer: Gazetteer, placeholder: str
) -> None:
    lead = (
        "Floodwater from a burst reservoir dam swept through the village of Brenka on "
        "Sunday. Rescuers evacuated hundreds of residents, the regional governor said."
    )
    doc = nlp(f"{placeholder}\n\n{lead}" if placeholder else lead)
    head = split_terms(features(doc, find_mentions(doc, gazetteer), None).terms)[1]
    assert "dam" in head and "unknown" not in head and "untitled" not in head
    assert "rescuer" not in head  # the first sentence only
    assert event_title(placeholder, lead).startswith("Floodwater from a burst reservoir dam")


def test_same_event_is_more_similar_than_same_parties(feats: list[EventFeatures]) -> None:
    by_key = {a.key: split_terms(f.terms)[0] for a, f in zip(ARTICLES, feats, strict=True)}
    same = cosine(by_key["drones-1"], by_key["drones-3"])
    other = cosine(by_key["drones-1"], by_key["capture-1"])
    unrelated = cosine(by_key["capture-1"], by_key["measles"])
    assert same > THRESHOLD > other > unrelated


def test_findings_weeks_later_join_the_incident(feats: list[EventFeatures]) -> None:
    # three weeks on, past the window: the headline names the same incident
    assigned, decisions = replay(ARTICLES, feats)
    assert assigned["capture-findings"] == assigned["capture-1"]
    why = decisions[[a.key for a in ARTICLES].index("capture-findings")].why
    assert "days later" in why and "headlines" in why


def test_another_matter_with_the_same_parties_in_the_horizon_stays_apart(
    feats: list[EventFeatures],
) -> None:
    # prisoners, Ukraine, Russia in the headline, but no word of the capture
    assigned, _ = replay(ARTICLES, feats)
    assert assigned["swap-later"] not in {assigned["capture-1"], assigned["drones-1"]}


def test_past_the_follow_up_horizon_is_a_new_event(feats: list[EventFeatures]) -> None:
    assigned, decisions = replay(ARTICLES, feats)
    assert assigned["capture-later"] != assigned["capture-1"]
    assert "outside 30 days" in decisions[-1].why or "new event" in decisions[-1].why


def test_a_headline_of_names_only_is_no_evidence(nlp: Any, gazetteer: Gazetteer) -> None:
    # same three countries in both headlines, nothing else in common
    arts = [ARTICLES[0], next(a for a in ARTICLES if a.key == "grain")]
    feats = analyse(nlp, gazetteer, arts)
    decision = replay(arts, feats)[1][1]
    assert decision.event_id is None and "headlines 0.00" in decision.why


def test_a_republished_copy_is_a_near_duplicate(nlp: Any, gazetteer: Gazetteer) -> None:
    original = ARTICLES[0]
    copy = Article(
        "copy",
        "capture",
        original.published,
        "Kyiv: two Chinese men fought for Russia",  # another headline, same wire copy
        original.body.replace("on Monday", "on Monday morning") + " (Reporting by staff.)",
    )
    feats = analyse(nlp, gazetteer, [original, copy])
    assigned, decisions = replay([original, copy], feats)
    assert decisions[1].duplicate_of == 0
    assert assigned["copy"] == assigned[original.key]
    assert "near-duplicate of story #0" in decisions[1].why


def test_terms_weigh_content_and_damp_common_words(feats: list[EventFeatures]) -> None:
    terms = split_terms(feats[3].terms)[0]  # drones-1
    assert terms["engine"] > terms.get("month", 0.0)
    assert "say" not in terms
    assert "china" in terms and "ukraine" in terms  # entities, by name without their type
    entity_weight = terms["china"] + terms["ukraine"] + terms["russia"] + terms["kharkiv"]
    assert entity_weight <= 0.36 * sum(terms.values())
    assert split_terms(feats[0].terms)[0]["2"] > 0  # "two" is the figure 2


def test_rare_words_weigh_more_than_everyday_ones() -> None:
    assert rarity("floodgate") > rarity("dam") > rarity("water") > rarity("people")
    assert rarity("155") == 1.0  # figures are left as they are


def test_an_entity_is_one_term_whatever_its_type() -> None:
    assert entity_term("org:openai") == entity_term("person:openai") == "openai"


def test_fingerprint_is_a_signed_64_bit_simhash() -> None:
    text = "The quick brown fox jumps over the lazy dog near the river bank today."
    fp = fingerprint(text)
    assert -(2**63) <= fp < 2**63
    assert fingerprint(text.upper().replace(" ", "  ")) == fp  # normalised first
    assert hamming(fp, fp % 2**64) == 0  # signed and unsigned forms are the same print
    other = fingerprint("Completely different words about markets, bonds and the central bank.")
    assert hamming(fp, other) > DISTANCE
    assert fingerprint("") == 0


def test_empty_bodies_are_not_duplicates_of_each_other() -> None:
    feat = EventFeatures({"x": 1.0}, fingerprint(""), date(2031, 1, 1))
    decision = assign_event(
        feat,
        [],
        [StoryFingerprint(1, 0, "ev1")],
        threshold=THRESHOLD,
        duplicate_distance=DISTANCE,
        window_days=WINDOW,
    )
    assert decision.duplicate_of is None and decision.event_id is None


def test_merge_terms_sums() -> None:
    assert merge_terms({"a": 1.0, "b": 2.0}, {"b": 1.0, "c": 0.5}) == {
        "a": 1.0,
        "b": 3.0,
        "c": 0.5,
    }


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("Ukraine says it captured two Chinese fighters - Reuters", "", None),
        (
            "Markets rally as inflation cools | The Daily Ledger",
            "",
            "Markets rally as inflation cools",
        ),
        (
            "",
            "Officials confirmed the outbreak. More tests follow.",
            "Officials confirmed the outbreak.",
        ),
        ("  Spaces   everywhere  ", "", "Spaces everywhere"),
        ("Talks collapse — again", "", "Talks collapse — again"),
        ("War in the north - live updates", "", "War in the north - live updates"),
        ("Vaccine trial halted – BBC News", "", "Vaccine trial halted"),
    ],
)
def test_event_title(title: str, body: str, expected: str | None) -> None:
    got = event_title(title, body)
    if expected is None:
        assert got == "Ukraine says it captured two Chinese fighters"
    else:
        assert got == expected


def test_event_title_is_short() -> None:
    long = "word " * 60
    got = event_title(long, "")
    assert len(got) <= 120 and got.endswith("…")


QUAKES = [
    Article(
        "quake-a1",
        "quake-a",
        date(2031, 5, 1),
        "Earthquake kills 40 in southern Peru",
        "A magnitude 6.8 earthquake struck southern Peru on Thursday, killing at least 40 "
        "people and destroying hundreds of homes in the Arequipa region, the civil defence "
        "agency said. Rescuers searched the rubble of collapsed buildings through the night, "
        "and the government declared a state of emergency in three provinces.",
    ),
    Article(
        "quake-a2",
        "quake-a",
        date(2031, 5, 2),
        "Peru quake death toll rises to 52 as rescuers dig through rubble",
        "The death toll from the earthquake in southern Peru rose to 52 on Friday, the civil "
        "defence agency said, as rescue teams dug through the rubble of homes in Arequipa. "
        "More than 300 people were injured, and families left homeless slept in tents.",
    ),
    Article(
        "quake-b",
        "quake-b",
        date(2031, 5, 4),
        "Earthquake in western Nepal kills 18, destroys homes",
        "A magnitude 6.1 earthquake hit western Nepal early on Sunday, killing at least 18 "
        "people and destroying hundreds of homes in the Jumla district, police said. Rescuers "
        "searched the rubble of collapsed houses, and the army sent helicopters with aid to "
        "remote villages.",
    ),
]


def test_two_incidents_of_one_kind_in_other_countries_are_two(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    # the same words (earthquake, rubble, rescuers, homes) in the same week:
    # where it happened tells them apart
    feats = analyse(nlp, gazetteer, QUAKES)
    assigned, decisions = replay(QUAKES, feats)
    assert assigned["quake-a2"] == assigned["quake-a1"]
    assert assigned["quake-b"] != assigned["quake-a1"]
    assert "other countries (nepal; the event: peru)" in decisions[2].why
    assert places(feats[2].terms) == {"nepal"}


@pytest.mark.parametrize(
    ("shared", "joins"),
    [
        ("dam", True),  # a word of what happened
        ("official", False),  # a word every story uses
        ("@kerova", False),  # a name only
    ],
)
def test_a_weak_match_needs_a_headline_word_of_what_happened(shared: str, joins: bool) -> None:
    body = {"flood": 1.0, "river": 1.0, "village": 1.0, "evacuate": 1.0}
    story = EventFeatures(
        {**body, "rescue": 2.0, "^" + shared: 3.0, "^tuesday": 1.0},
        fingerprint("a flood story"),
        date(2031, 7, 2),
    )
    event = EventCandidate(
        "ev1",
        "Dam bursts upstream of Kerova",
        {**body, "harvest": 6.0, "^" + shared: 3.0, "^burst": 3.0},
        date(2031, 7, 1),
    )
    decision = assign_event(
        story,
        [event],
        [],
        threshold=THRESHOLD,
        duplicate_distance=DISTANCE,
        window_days=WINDOW,
        followup_days=FOLLOWUP,
    )
    assert THRESHOLD * 0.6 <= decision.similarity < THRESHOLD
    assert (decision.event_id == "ev1") is joins, decision.why


def test_a_late_story_is_as_close_as_the_event_s_earliest_day() -> None:
    # the event ran from 1 to 20 July; a story of 2 July that a slow feed delivers
    # now is one day from it, not eighteen: its words alone carry it
    body = {"flood": 1.0, "river": 1.0, "village": 1.0, "evacuate": 1.0}
    story = EventFeatures({**body, "^storm": 3.0}, fingerprint("a late story"), date(2031, 7, 2))
    span = EventCandidate(
        "ev1", "Floods in Kerova", {**body, "^dam": 3.0}, date(2031, 7, 20), 5, date(2031, 7, 1)
    )

    def decide(cand: EventCandidate) -> EventDecision:
        return assign_event(
            story,
            [cand],
            [],
            threshold=THRESHOLD,
            duplicate_distance=DISTANCE,
            window_days=WINDOW,
            followup_days=FOLLOWUP,
        )

    joined = decide(span)
    assert joined.event_id == "ev1" and "days later" not in joined.why, joined.why
    # an event that began after the window is past it: only its headline could carry it
    later = EventCandidate(
        "ev2", "Floods in Kerova", {**body, "^dam": 3.0}, date(2031, 7, 20), 5, date(2031, 7, 15)
    )
    assert decide(later).event_id is None
