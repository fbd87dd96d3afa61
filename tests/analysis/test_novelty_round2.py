"""Novelty and display, round 2: word forms, a body with and without its legal
form, "a company statement", a cue's object shown with its verb, page
furniture. Sentences of our own."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.analysis.events import event_title
from bot.analysis.novelty import classify
from bot.analysis.summary import (
    alert_claim,
    alert_lines,
    choose_shown,
    claim_spans,
    is_furniture,
)
from bot.analysis.wording import similarity
from bot.models import Claim, Novelty, Stance
from tests.analysis.test_claims import claims_of
from tests.analysis.test_novelty import claim, known
from tests.analysis.test_summary import plain


def test_word_forms_of_one_verb_are_one_word() -> None:
    a = "the spill needed to be investigated by the coastguard"
    b = "the spill requires an investigation by the coastguard"
    c = "the spill was cleaned by the coastguard"
    assert similarity(a, (), b, ()) > similarity(a, (), c, ())
    assert similarity(a, (), b, ()) >= 0.5


def test_cooperating_and_cooperation_match() -> None:
    first = claim(
        "Velstra will cooperate fully with the safety board",
        speaker="Velstra",
        speaker_id="org:velstra",
    )
    again = claim(
        "Velstra will continue cooperating with the safety board",
        speaker="Velstra",
        speaker_id="org:velstra",
    )
    decision = classify(again, [known("c1", first)])
    assert decision.novelty is Novelty.REPEAT, decision.why


def test_a_company_with_and_without_its_legal_form_is_one_side() -> None:
    first = claim(
        "the pipeline cannot be repaired before winter",
        speaker="Baltgas AG",
        speaker_id="org:baltgas-ag",
    )
    again = claim(
        "the pipeline cannot be repaired before winter",
        speaker="a company statement",
        speaker_id=None,
        speaker_side="org:baltgas",
    )
    decision = classify(again, [known("c1", first)])
    assert decision.novelty is Novelty.REPEAT, decision.why
    assert "same side" in decision.why


def test_a_company_statement_speaks_for_the_story_company(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Harrowgate Ferries cancelled all crossings on Friday. Harrowgate Ferries blamed a "
        "fault in the engine room. In a company statement, Harrowgate Ferries apologised. "
        '"The fault has been repaired and crossings resume on Monday," a company statement said.'
    )
    claims = claims_of(nlp, gazetteer, text)
    stmt = [c for c in claims if "statement" in c.speaker.lower()]
    assert stmt, claims
    assert all(c.speaker_side and "harrowgate" in c.speaker_side for c in stmt), stmt


def _accusation(text: str, cue: str) -> Claim:
    return Claim(
        speaker="Velmora",
        cue=cue,
        stance=Stance.ASSERT,
        direct=False,
        text=text,
        id="c3.1",
        novelty=Novelty.NEW,
    )


def test_the_object_of_a_blame_reads_with_its_verb() -> None:
    c = _accusation("the Republic of Tarn for prolonging the blockade", "blamed")
    shown = alert_claim(c)
    assert shown.text == "blamed the Republic of Tarn for prolonging the blockade"
    lines = alert_lines(
        watch="Velmora",
        event_title="Blockade of the strait",
        new_event=False,
        story_title="",
        claims=[shown],
        links=[],
        outlets=1,
    )
    assert "[NEW] Velmora blamed the Republic of Tarn for prolonging the blockade" in [
        plain(line) for line in lines
    ]
    spans = claim_spans("Velmora", c.text, c.stance, c.cue)
    assert plain(spans) == "Velmora blamed the Republic of Tarn for prolonging the blockade"
    # with its verb it is a proposition, shown before the outlet's own claims
    own = Claim(
        speaker="Harbour Post",
        cue="reported",
        stance=Stance.ASSERT,
        direct=False,
        text="the blockade has lasted nine days",
        id="c3.2",
    )
    assert choose_shown([own, c], outlet="Harbour Post")[0] is c


def test_a_reported_statement_keeps_its_dash() -> None:
    c = _accusation("the blockade would end on Friday", "said")
    assert plain(claim_spans("Velmora", c.text, c.stance, c.cue)) == (
        "Velmora — the blockade would end on Friday"
    )


def test_page_furniture_is_never_the_summary_line() -> None:
    caption = "In this photo released by the port authority, a tug tows the tanker out of the bay."
    assert is_furniture(caption)
    assert is_furniture("FILE - A tanker waits outside the harbour")
    assert not is_furniture("The port authority said the tanker was towed out of the bay.")
    body = (
        caption + " The tanker Meridian ran aground near Kellby on Sunday. Crews worked all night."
    )
    assert event_title("", body) == "The tanker Meridian ran aground near Kellby on Sunday."
    assert event_title(caption, body) == "The tanker Meridian ran aground near Kellby on Sunday."
    shown = alert_claim(_accusation("the tanker was towed out of the bay", "said"))
    lines = alert_lines(
        watch="Kellby",
        event_title="Tanker aground near Kellby",
        new_event=False,
        story_title=caption,
        claims=[shown],
        links=[],
        outlets=1,
    )
    assert not any("photo" in plain(line) for line in lines)


def test_a_title_linked_to_a_later_person_does_not_give_its_side(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Ilse Varnholt, Secretary of Norway’s Coastal Defence Council, said that Norway had no "
        "part in the sinking, adding that it was absurd for the Swedish premier’s press secretary "
        "Karl Brenning to claim that the ship was sunk by a Norwegian mine."
    )
    claims = claims_of(nlp, gazetteer, text)
    brenning = [c for c in claims if "Brenning" in c.speaker]
    assert brenning and all(c.speaker_side == "gpe:sweden" for c in brenning), claims
    varnholt = [c for c in claims if "Varnholt" in c.speaker]
    assert varnholt and all(c.speaker_side == "gpe:norway" for c in varnholt), claims


def test_a_bare_denial_by_a_side_that_already_denied_repeats() -> None:
    accused = claim("Velmora's navy sank the survey ship", speaker="Tarn", speaker_id="gpe:tarn")
    first = claim(
        "the sinking was staged by Tarn",
        speaker="Velmora",
        speaker_id="gpe:velmora",
        stance=Stance.DENY,
    )
    again = claim(
        "denied those allegations", speaker="Velmora", speaker_id="gpe:velmora", stance=Stance.DENY
    )
    earlier = [known("c1", accused), known("c2", first)]
    decision = classify(again, earlier)
    assert decision.novelty is Novelty.REPEAT, decision.why
    # a denial in words of its own is still news
    own_words = claim(
        "the survey ship hit a reef in a storm",
        speaker="Velmora",
        speaker_id="gpe:velmora",
        stance=Stance.DENY,
    )
    assert classify(own_words, earlier).novelty is not Novelty.REPEAT
    # the first denial of a side contradicts the claim it answers
    lone = classify(again, [known("c1", accused)])
    assert lone.novelty is Novelty.CONTRADICTION, lone.why


def test_a_small_figure_of_another_thing_by_the_same_source_is_new() -> None:
    bolts = claim(
        "four bolts meant to hold the panel were missing",
        speaker="The report",
        speaker_id=None,
        numbers=(4.0,),
    )
    rivets = claim(
        "workers removed four bolts at the plant to replace damaged rivets",
        speaker="The report",
        speaker_id=None,
        numbers=(4.0,),
    )
    decision = classify(rivets, [known("c1", bolts)])
    assert decision.novelty is Novelty.NEW, decision.why
    toll = claim("seven people were killed in the blast", numbers=(7.0,))
    again = claim("the death toll now stands at seven", numbers=(7.0,))
    assert classify(again, [known("c1", toll)]).novelty is Novelty.REPEAT


def test_speakers_without_a_name_are_not_one_side() -> None:
    analysts = claim("the ferry was overloaded when it sailed", speaker="analysts", speaker_id=None)
    officials = claim(
        "the ferry was overloaded when it sailed", speaker="port officials", speaker_id=None
    )
    # the same words from two unnamed groups: the cross-side rule, not "same side"
    decision = classify(officials, [known("c1", analysts)])
    assert "same side" not in decision.why
    again = claim("the ferry was overloaded when it sailed", speaker="Analysts", speaker_id=None)
    assert "same side" in classify(again, [known("c1", analysts)]).why


def test_checks_are_inspections() -> None:
    a = "loose parts were found on grounded jets during checks"
    b = "loose parts were found on grounded jets during inspections"
    assert similarity(a, (), b, ()) == 1.0
