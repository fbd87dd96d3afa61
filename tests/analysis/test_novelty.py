"""Novelty of a claim against the canonical claims of its event."""

from __future__ import annotations

from datetime import datetime

from bot.analysis.novelty import DEFAULT_THRESHOLD, classify
from bot.analysis.wording import similarity
from bot.models import CanonicalClaim, Claim, Novelty, Stance

T = DEFAULT_THRESHOLD
NOW = datetime(2026, 1, 5, 12, 0)


def claim(
    text: str,
    speaker: str = "Amelia Ortiz",
    speaker_id: str | None = "person:ortiz",
    stance: Stance = Stance.ASSERT,
    entities: tuple[str, ...] = (),
    numbers: tuple[float, ...] = (),
    speaker_side: str | None = None,
) -> Claim:
    return Claim(
        speaker=speaker,
        cue="said",
        stance=stance,
        direct=False,
        text=text,
        speaker_id=speaker_id,
        entities=entities,
        numbers=numbers,
        speaker_side=speaker_side,
    )


def known(cid: str, c: Claim) -> CanonicalClaim:
    return CanonicalClaim(
        id=cid,
        event_id="ev1",
        speaker=c.speaker,
        speaker_id=c.speaker_id,
        stance=c.stance,
        text=c.text,
        entities=c.entities,
        numbers=c.numbers,
        first_seen=NOW,
        speaker_side=c.speaker_side,
    )


CAPTURED = claim(
    "Ukrainian forces captured two Chinese soldiers fighting for Russia in the Donetsk region",
    speaker="Volodymyr Zelensky",
    speaker_id="person:zelensky",
    entities=("gpe:ukraine", "gpe:china", "gpe:russia"),
    numbers=(2.0,),
)


def test_first_claim_is_new() -> None:
    d = classify(CAPTURED, [], threshold=T)
    assert d.novelty is Novelty.NEW and d.matches is None


def test_repeat_in_other_words() -> None:
    again = claim(
        "two Chinese nationals fighting alongside the Russian army were taken prisoner by "
        "Ukraine's troops in Donetsk",
        speaker="Zelenskyy",
        speaker_id="person:zelensky",
        entities=("gpe:china", "gpe:russia", "gpe:ukraine"),
        numbers=(2.0,),
    )
    d = classify(again, [known("c1", CAPTURED)], threshold=T)
    assert d.novelty is Novelty.REPEAT, d.why
    assert d.matches == "c1"
    assert f"{d.similarity:.2f}" in d.why


def test_repeat_by_the_same_side() -> None:
    first = claim(
        "Chinese citizens are always asked to stay away from armed conflict",
        speaker="The Chinese government",
        speaker_id="gpe:china",
    )
    second = claim(
        "the government always asks its citizens to stay away from areas of armed conflict",
        speaker="China",
        speaker_id="gpe:china",
    )
    d = classify(second, [known("c1", first)], threshold=T)
    assert d.novelty is Novelty.REPEAT, d.why


def test_unlinked_spellings_of_one_speaker_are_one_side() -> None:
    first = claim("the bridge will reopen in May after repairs", "Omar Nasser", None)
    second = claim("the bridge is going to reopen in May once repairs end", "Nasser", None)
    assert classify(second, [known("c1", first)], threshold=T).novelty is Novelty.REPEAT


def test_update_of_a_figure() -> None:
    first = claim("at least 12 people were killed in the floods", numbers=(12.0,))
    second = claim("at least 19 people have been killed by the flooding", numbers=(19.0,))
    d = classify(second, [known("c1", first)], threshold=T)
    assert d.novelty is Novelty.UPDATE, d.why
    assert d.matches == "c1"
    assert "19" in d.why


def test_a_figure_already_known_is_no_update() -> None:
    first = claim("at least 12 people were killed in the floods", numbers=(12.0,))
    second = claim("twelve people died in the floods", numbers=(12.0,))
    assert classify(second, [known("c1", first)], threshold=T).novelty is Novelty.REPEAT


def test_contradiction_by_another_side() -> None:
    denial = claim(
        "Chinese soldiers are fighting for Russia",
        speaker="China",
        speaker_id="gpe:china",
        stance=Stance.DENY,
        entities=("gpe:russia",),
    )
    d = classify(denial, [known("c1", CAPTURED)], threshold=T)
    assert d.novelty is Novelty.CONTRADICTION, d.why
    assert d.matches == "c1"


def test_generic_denial_contradicts_the_claim_about_the_denier() -> None:
    other = claim(
        "the harvest will be the largest in a decade",
        speaker="Ministry of Agriculture",
        speaker_id="org:agriculture",
    )
    denial = claim(
        "the claims were totally unfounded",
        speaker="a Beijing official",
        speaker_id="gpe:china",
        stance=Stance.DENY,
    )
    d = classify(denial, [known("c1", CAPTURED), known("c2", other)], threshold=T)
    assert d.novelty is Novelty.CONTRADICTION, d.why
    assert d.matches == "c1"  # the one about China, not the latest one


def test_repeated_denial_by_the_same_side_is_a_repeat() -> None:
    first = claim(
        "a significant number of Chinese soldiers are fighting alongside Russia",
        speaker="The Chinese government",
        speaker_id="gpe:china",
        stance=Stance.DENY,
    )
    second = claim(
        "a significant number of Chinese nationals were fighting for Russia",
        speaker="China",
        speaker_id="gpe:china",
        stance=Stance.DENY,
    )
    d = classify(second, [known("c0", CAPTURED), known("c1", first)], threshold=T)
    assert d.novelty is Novelty.REPEAT, d.why
    assert d.matches == "c1"


def test_unrelated_claim_is_new() -> None:
    rates = claim("the central bank will raise interest rates next month", "Lena Fischer", None)
    d = classify(rates, [known("c1", CAPTURED)], threshold=T)
    assert d.novelty is Novelty.NEW, d.why
    assert "new" in d.why


def test_same_speaker_different_proposition_is_new() -> None:
    other = claim(
        "Putin intends to do anything but end the war",
        speaker="Volodymyr Zelensky",
        speaker_id="person:zelensky",
        entities=("person:putin",),
    )
    assert classify(other, [known("c1", CAPTURED)], threshold=T).novelty is Novelty.NEW


def test_similarity_ignores_figures_and_is_symmetric() -> None:
    a, b = "12 people were killed in the floods", "19 people were killed in the floods"
    assert similarity(a, (), b, ()) == 1.0
    x, y = "the dam was leaking", "the vaccine plant will open in June"
    assert similarity(x, (), y, ()) == similarity(y, (), x, ()) < 0.3


def test_a_person_learned_to_speak_for_a_country_is_that_side() -> None:
    first = claim(
        "the reports of foreign fighters in the region are disturbing",
        speaker="Testland",
        speaker_id="gpe:testland",
    )
    second = claim(
        "reports that foreign fighters are in the region are disturbing",
        speaker="Kim Test",
        speaker_id="person:test-spokesperson",
        speaker_side="gpe:testland",
    )
    d = classify(second, [known("c1", first)], threshold=T)
    assert d.novelty is Novelty.REPEAT, d.why


def test_a_side_seen_on_an_earlier_claim_of_the_person_carries_over() -> None:
    country = claim(
        "the reports of foreign fighters in the region are disturbing",
        speaker="Testland",
        speaker_id="gpe:testland",
    )
    earlier_by_person = claim(
        "the talks will resume next month",
        speaker="Kim Test",
        speaker_id="person:test-spokesperson",
        speaker_side="gpe:testland",
    )
    again = claim(
        "reports that foreign fighters are in the region are disturbing",
        speaker="Kim Test",
        speaker_id="person:test-spokesperson",
    )
    earlier = [known("c1", country), known("c2", earlier_by_person)]
    d = classify(again, earlier, threshold=T)
    assert d.novelty is Novelty.REPEAT and d.matches == "c1", d.why


def test_a_growing_count_from_another_source_is_an_update() -> None:
    first = claim(
        "At least 40 people were treated in hospital for nausea and burns",
        speaker="local health officials",
        speaker_id=None,
        numbers=(40.0,),
    )
    later = claim(
        "more than 120 people have now needed hospital treatment",
        speaker="Hospitals in the region",
        speaker_id=None,
        numbers=(120.0,),
    )
    d = classify(later, [known("c1", first)], threshold=T)
    assert d.novelty is Novelty.UPDATE, d.why
    assert d.matches == "c1"


# ------------------------------------------------------------------ phase 2 rules


def _event(*claims: Claim) -> list[CanonicalClaim]:
    return [known(f"c{n}", c) for n, c in enumerate(claims, 1)]


# a ferry fire: five claims, so the event's common words are known
FERRY = (
    claim(
        "the ferry caught fire two hours after leaving port",
        speaker="Port authority",
        speaker_id="org:port",
    ),
    claim(
        "the fire on the ferry started in the engine room",
        speaker="Port authority",
        speaker_id="org:port",
    ),
    claim(
        "passengers on the ferry were evacuated by lifeboat",
        speaker="Coast guard",
        speaker_id="org:coast",
    ),
    claim(
        "the ferry fire was brought under control by midnight",
        speaker="Coast guard",
        speaker_id="org:coast",
    ),
    claim(
        "the crew found cracked fuel hoses, loose clamps and a faulty alarm panel",
        speaker="Ferry operator",
        speaker_id="org:operator",
    ),
)


def test_a_side_restating_itself_with_the_rare_words_of_the_event_repeats() -> None:
    again = claim(
        "months ago inspectors warned the operator about worn hoses, clamps and the alarm panel",
        speaker="Ferry operator",
        speaker_id="org:operator",
    )
    d = classify(again, _event(*FERRY), threshold=T)
    assert d.novelty is Novelty.REPEAT and d.matches == "c5", d.why
    assert "telling words" in d.why


def test_common_words_of_the_event_do_not_make_a_repeat() -> None:
    other = claim(
        "the ferry fire forced the port to close for the night",
        speaker="Ferry operator",
        speaker_id="org:operator",
    )
    assert classify(other, _event(*FERRY), threshold=T).novelty is Novelty.NEW


def test_the_same_figures_of_the_same_thing_from_another_side_repeat() -> None:
    first = claim(
        "212 passengers and 14 crew were on board",
        speaker="Port authority",
        speaker_id="org:port",
        numbers=(212.0, 14.0),
    )
    again = claim(
        "all 212 passengers were brought ashore safely",
        speaker="Coast guard",
        speaker_id="org:coast",
        numbers=(212.0,),
    )
    d = classify(again, [known("c1", first)], threshold=T)
    assert d.novelty is Novelty.REPEAT and d.matches == "c1", d.why


def test_a_small_figure_again_with_another_side_needs_more_in_common() -> None:
    first = claim(
        "two lifeboats were launched", speaker="Coast guard", speaker_id="org:coast", numbers=(2.0,)
    )
    other = claim(
        "two engineers were questioned by police",
        speaker="Port authority",
        speaker_id="org:port",
        numbers=(2.0,),
    )
    assert classify(other, [known("c1", first)], threshold=T).novelty is Novelty.NEW


def test_alike_letters_with_few_shared_words_are_not_the_same_proposition() -> None:
    a = "the captain steered toward the harbour entrance at dawn"
    b = "the captives were stored near the harbour warehouses overnight"
    assert similarity(a, (), b, ()) < T


def test_stems_plural_possessive_and_irregular_forms() -> None:
    assert similarity("hackers took the databases", (), "hackers had taken a database", ()) == 1.0
    assert (
        similarity("the guards possess the keys", (), "the keys in the guards' possession", ())
        == 1.0
    )
    assert (
        similarity(
            "the water mains were repaired in May", (), "the water mains were fixed in May", ()
        )
        == 1.0
    )


def test_a_death_toll_given_again_in_other_words_repeats() -> None:
    first = claim(
        "seven people were killed when the bridge collapsed",
        speaker="Lena Moss",
        speaker_id="person:moss",
        numbers=(7.0,),
    )
    again = claim(
        "the death toll now stands at seven",
        speaker="Lena Moss",
        speaker_id="person:moss",
        numbers=(7.0,),
    )
    d = classify(again, [known("c1", first)], threshold=T)
    assert d.novelty is Novelty.REPEAT and d.matches == "c1", d.why


def test_a_figure_only_the_story_s_own_headline_gave_is_still_an_update() -> None:
    before = claim(
        "at least 40 people were treated in hospital",
        speaker="Health officials",
        speaker_id=None,
        numbers=(40.0,),
    )
    headline = claim(
        "flood toll passes 120", speaker="The Ledger", speaker_id=None, numbers=(120.0,)
    )
    lead = claim(
        "more than 120 people have now been treated in hospital",
        speaker="Health officials",
        speaker_id=None,
        numbers=(120.0,),
    )
    earlier = [known("c1", before), known("c2.1", headline)]
    d = classify(lead, earlier, threshold=T, same_story={"c2.1"})
    assert d.novelty is Novelty.UPDATE and d.matches == "c1", d.why
    # without knowing the headline is its own story's, the figure looks old
    assert classify(lead, earlier, threshold=T).novelty is Novelty.REPEAT


FLOOD_TOLL = claim(
    "1,187 people have died in the floods across the delta provinces",
    speaker="the national disaster agency",
    speaker_id="org:disaster-agency",
    numbers=(1187.0,),
)


def test_a_rounded_count_from_another_outlet_is_a_repeat() -> None:
    rounded = claim(
        "about 1,200 people have died in the delta floods",
        speaker="Red Crescent volunteers",
        speaker_id="org:red-crescent",
        numbers=(1200.0,),
    )
    d = classify(rounded, [known("c1", FLOOD_TOLL)], threshold=T)
    assert d.novelty is Novelty.REPEAT, d.why
    assert d.matches == "c1"


def test_a_changed_count_of_the_same_thing_is_an_update() -> None:
    higher = claim(
        "the death toll from the delta floods has climbed to 1,460 people",
        speaker="Red Crescent volunteers",
        speaker_id="org:red-crescent",
        numbers=(1460.0,),
    )
    d = classify(higher, [known("c1", FLOOD_TOLL)], threshold=T)
    assert d.novelty is Novelty.UPDATE, d.why


def test_a_count_of_another_thing_is_not_an_update() -> None:
    # same place, same disaster, but cases of disease are not deaths
    cases = claim(
        "3,400 cholera cases have been recorded in the delta provinces since the floods",
        speaker="Red Crescent volunteers",
        speaker_id="org:red-crescent",
        numbers=(3400.0,),
    )
    d = classify(cases, [known("c1", FLOOD_TOLL)], threshold=T)
    assert d.novelty is Novelty.NEW, d.why


def test_devices_are_not_companies() -> None:
    companies = claim(
        "the malware reached 40 companies in the logistics sector",
        speaker="Kestrel Labs",
        speaker_id="org:kestrel",
        numbers=(40.0,),
    )
    devices = claim(
        "the malware reached 9,000 devices in the logistics sector",
        speaker="Harbour Security",
        speaker_id="org:harbour",
        numbers=(9000.0,),
    )
    d = classify(devices, [known("c1", companies)], threshold=T)
    assert d.novelty is Novelty.NEW, d.why


def test_an_acronym_speaks_for_its_body() -> None:
    full = claim(
        "inspectors will examine every grounded Talon jet before it flies again",
        speaker="the Civil Air Safety Authority",
        speaker_id="org:civil-air-safety-authority",
    )
    short = claim(
        "every grounded Talon jet will be examined by inspectors before it flies again",
        speaker="CASA",
        speaker_id="org:casa",
    )
    d = classify(short, [known("c1", full)], threshold=T)
    assert d.novelty is Novelty.REPEAT, d.why
    assert "same side" in d.why
