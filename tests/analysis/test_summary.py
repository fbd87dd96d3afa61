"""How claims read in alerts and /claims: a denial reads as what was denied."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest

from bot.analysis.summary import (
    MAX_SUMMARY_CHARS,
    MAX_SUMMARY_CLAIMS,
    MAX_SUMMARY_LINKS,
    alert_claim,
    alert_lines,
    choose_shown,
    claim_spans,
    denial_text,
    is_fragment,
    living_summary,
    shown_rank,
)
from bot.models import (
    Alert,
    AlertClaim,
    ChatRef,
    Claim,
    ClaimView,
    EventView,
    Link,
    Novelty,
    Span,
    Stance,
)
from bot.pages.render import event_html
from bot.pages.timeline import build_timeline
from handlers.claims import claim_lines


def plain(spans: tuple[Span, ...]) -> str:
    return "".join(s.text for s in spans)


@pytest.mark.parametrize(
    ("content", "reads"),
    [
        # the proposition denied: shown as denied, never bare
        (
            "the navy had fired on the fishing boats",
            "denied that the navy had fired on the fishing boats",
        ),
        ("that its drones crossed the border", "denied that its drones crossed the border"),
        ("Velmora supplied the rockets", "denied that Velmora supplied the rockets"),
        # what was denied is not a clause
        ("shelling the ferry terminal", "denied shelling the ferry terminal"),
        ("the leaked memo", "denied the leaked memo"),
        ("any role in the outage", "denied any role in the outage"),
        ("similar reports", "denied similar reports"),
        (
            "Harbour Post Report, Calls It Smear Campaign",
            "Harbour Post Report, Calls It Smear Campaign",
        ),
        ("Velmora Spy Claims, Urges Talks", "denied Velmora Spy Claims, Urges Talks"),
        # the content says no by itself: shown as it is
        ("the accusations are ‘utterly baseless’", "the accusations are ‘utterly baseless’"),
        ("its troops were never near the village", "its troops were never near the village"),
        ("the report is fabricated", "the report is fabricated"),
    ],
)
def test_denial_text(content: str, reads: str) -> None:
    assert denial_text(content) == reads


def denial(text: str, speaker: str = "Oren Malik") -> Claim:
    return Claim(
        speaker=speaker,
        cue="denied",
        stance=Stance.DENY,
        direct=False,
        text=text,
        id="c7.2",
        novelty=Novelty.CONTRADICTION,
    )


def test_alert_line_of_a_denied_proposition() -> None:
    shown = alert_claim(denial("the navy had fired on the fishing boats"))
    lines = alert_lines(
        watch="Velmora",
        event_title="Fishing boats fired on off the coast",
        new_event=False,
        story_title="",
        claims=[shown],
        links=[Link("Harbour Post", "https://harbour.example/1")],
        outlets=2,
    )
    text = [plain(line) for line in lines]
    # the one alert layout's claim line: the tag, the speaker, what was denied
    assert "[DENIAL] Oren Malik denied that the navy had fired on the fishing boats" in text
    [line] = [line for line in lines if "Oren Malik" in plain(line)]
    assert line[0].text == "[DENIAL] "
    assert [(s.text, s.bold) for s in line if s.bold] == [("Oren Malik", True)]
    # the alert's own claim text reads right for every adapter's layout
    assert shown.text == "denied that the navy had fired on the fishing boats"


def test_alert_line_of_a_denial_in_its_own_words() -> None:
    shown = alert_claim(denial("the claims are ‘totally unfounded’", speaker="Velmora"))
    spans = claim_spans(shown.speaker, "the claims are ‘totally unfounded’", Stance.DENY)
    assert plain(spans) == "Velmora: the claims are ‘totally unfounded’"
    assert spans[0].bold and spans[0].text == "Velmora"
    assert shown.text == "the claims are ‘totally unfounded’"


def test_an_assertion_reads_as_before() -> None:
    spans = claim_spans("Oren Malik", "the boats were fired on", Stance.ASSERT)
    assert plain(spans) == "Oren Malik — the boats were fired on"


def test_claims_command_reads_an_object_with_its_verb() -> None:
    view = ClaimView(
        id="c7.3",
        event_id="ev3",
        speaker="Velmora",
        text="the Republic of Tarn for prolonging the blockade",
        stance=Stance.ASSERT,
        first_seen=datetime(2031, 5, 2, 9, 30),
        cue="blamed",
    )
    first = plain(claim_lines(view)[0])
    assert first == "• Velmora blamed the Republic of Tarn for prolonging the blockade"


def test_claims_command_shows_a_denial_as_denied() -> None:
    view = ClaimView(
        id="c7.2",
        event_id="ev3",
        speaker="Oren Malik",
        text="the navy had fired on the fishing boats",
        stance=Stance.DENY,
        first_seen=datetime(2031, 5, 2, 9, 30),
    )
    first = plain(claim_lines(view)[0])
    assert first == "• DENIAL Oren Malik denied that the navy had fired on the fishing boats"


def said(text: str, speaker: str, speaker_id: str | None = None, sentence: int = 3) -> Claim:
    return Claim(
        speaker=speaker,
        cue="said",
        stance=Stance.ASSERT,
        direct=False,
        text=text,
        speaker_id=speaker_id,
        sentence=sentence,
        novelty=Novelty.NEW,
    )


@pytest.mark.parametrize(
    "text",
    [
        "the ferry's sinking off Korvel",  # a noun phrase, no predicate
        "the missing crew in the dozens",
        "their plans for a",  # cut on a function word
        "should they ‘walk out’",  # a conditional piece
        "were rescued from the water",  # the subject left behind
        "Velmora of sinking the ferry on purpose",  # what "accused Velmora of …" leaves
        "each other of starting the fire",
        "its",
    ],
)
def test_fragments(text: str) -> None:
    assert is_fragment(text)


@pytest.mark.parametrize(
    "text",
    [
        "the ferry sank in calm water",
        "rescuers will search through the night",
        "Divers found the hull on Tuesday",
        "the captain ignored the storm warning, the union says",
        "Bank of Korvel officials froze the accounts",
    ],
)
def test_propositions(text: str) -> None:
    assert not is_fragment(text)


def test_an_alert_prefers_named_speakers_and_skips_fragments() -> None:
    outlet_own = said("the ferry carried 212 passengers when it sank", "Harbour Post")
    fragment = said("the ferry's sinking off Korvel", "Mira Dolan", "person:dolan")
    named = said("the captain ignored a storm warning", "Mira Dolan", "person:dolan")
    agency = said("divers will reach the hull on Friday", "the coastguard", "org:coastguard")
    shown = choose_shown([outlet_own, fragment, named, agency], "The Harbour Post", limit=4)
    assert shown == [named, agency, outlet_own]  # the fragment is left out


def test_an_alert_with_only_fragments_still_shows_them() -> None:
    fragment = said("the ferry's sinking off Korvel", "Mira Dolan", "person:dolan")
    assert choose_shown([fragment], "Harbour Post") == [fragment]


def test_a_country_speaking_in_a_headline_comes_after_the_lead() -> None:
    headline = said("ferry toll passes 40", "Korvelia", "gpe:korvelia", sentence=0)
    lead = said("at least 41 people died when the ferry sank", "the coastguard", "org:coastguard")
    assert shown_rank(headline) == 1 and shown_rank(lead) == 0
    assert choose_shown([headline, lead]) == [lead, headline]


def test_a_wire_dateline_is_not_part_of_the_claim() -> None:
    shown = alert_claim(said("(Wirewatch) – The ferry toll has risen to 41", "the coastguard"))
    assert shown.text == "The ferry toll has risen to 41"
    assert alert_claim(said("Harbour (HX) staff walked out", "the union")).text.startswith(
        "Harbour (HX)"
    )


def test_a_clause_as_speaker_comes_last() -> None:
    broken = said("the captain ignored a storm warning", "Post reported Dolan")
    named = said("divers will reach the hull on Friday", "the coastguard", "org:coastguard")
    assert shown_rank(broken) == 2
    assert choose_shown([broken, named]) == [named]


def test_a_question_gives_way_to_what_was_claimed() -> None:
    # "asked whether the ferry was overloaded" is recorded (stance question),
    # but it claims nothing: an alert shows it only when nothing else is there
    asked = dataclasses.replace(
        said("whether the ferry was overloaded", "Mira Dolan", "person:dolan"),
        cue="asked",
        stance=Stance.QUESTION,
    )
    named = said("divers will reach the hull on Friday", "the coastguard", "org:coastguard")
    assert shown_rank(asked) == 2
    assert choose_shown([asked, named]) == [named]
    assert choose_shown([asked]) == [asked]


def test_event_page_shows_a_denial_as_denied() -> None:
    when = datetime(2031, 5, 2, 9, 30)
    view = EventView(
        id="ev3",
        title="Fishing boats fired on off the coast",
        first_seen=when,
        last_seen=when,
        claims=(
            ClaimView(
                id="c7.2",
                event_id="ev3",
                speaker="Oren Malik",
                text="the navy had fired on the fishing boats",
                stance=Stance.DENY,
                first_seen=when,
            ),
        ),
    )
    html = event_html(build_timeline(view, {}), when)
    assert "Oren Malik</span> — denied that the navy had fired on the fishing boats" in html


def _alert(n: int, *claims: AlertClaim, outlets: int = 1) -> Alert:
    return Alert(
        chat=ChatRef("fake", "1"),
        watch="China",
        watch_key="gpe:china",
        event_id="ev1",
        event_title="Chinese citizens fighting for Russia",
        story_title=f"Story {n}",
        claims=claims,
        links=(Link(f"Outlet {n}", f"https://o{n}.example/"),),
        outlets=outlets,
        new_event=n == 1,
        key=f"k{n}",
    )


def _claim(n: int, text: str = "", speaker: str = "Zelensky") -> AlertClaim:
    return AlertClaim(f"c{n}", speaker, text or f"claim {n} was made", "NEW")


def test_a_living_summary_keeps_the_first_claims_and_adds_the_later_ones() -> None:
    first = _alert(1, _claim(1), _claim(2))
    later = _alert(2, _claim(3), _claim(1), outlets=2)  # c1 again: shown once
    summary = living_summary([first, later])
    text = summary.text
    assert text.startswith("New event · China: Chinese citizens fighting for Russia")
    assert [c.claim_id for c in summary.claims] == ["c1", "c2", "c3"]
    assert "Sources (2 outlets so far): Outlet 1 <https://o1.example/> · Outlet 2" in text
    assert "more claim" not in text and summary.key == "k1"


def test_a_long_thread_folds_replied_claims_first_then_the_oldest() -> None:
    first = _alert(1, _claim(1))
    thread = [first] + [_alert(n, _claim(n), outlets=n) for n in range(2, 3 + MAX_SUMMARY_CLAIMS)]
    replied = {"k2", "k3"}
    summary = living_summary(thread, replied)
    ids = [c.claim_id for c in summary.claims]
    assert len(ids) == MAX_SUMMARY_CLAIMS and ids[0] == "c1"
    assert "c2" not in ids and "c3" not in ids  # in the thread already
    assert f"c{2 + MAX_SUMMARY_CLAIMS}" in ids  # the latest is there
    assert "+2 more claims" in summary.text
    links = [link.label for link in summary.links]
    assert links[0] == "Outlet 1" and links[-1] == f"Outlet {2 + MAX_SUMMARY_CLAIMS}"
    assert len(links) == MAX_SUMMARY_LINKS


def test_a_summary_stays_within_one_message() -> None:
    long = "x" * 270
    thread = [_alert(1, _claim(1))] + [_alert(n, _claim(n, long)) for n in range(2, 14)]
    summary = living_summary(thread)
    assert sum(len(c.text) for c in summary.claims) <= MAX_SUMMARY_CHARS
    assert summary.more_claims == 13 - len(summary.claims)
    assert f"+{summary.more_claims} more claims" in summary.text
