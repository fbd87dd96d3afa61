"""Constructions of real news copy (issue 12), each on sentences written for
this test: typewriter quotes, quotations broken by their cue, beliefs and
findings, a colon that introduces quoted paragraphs, several speakers at once."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.models import Stance
from tests.analysis.test_claims import OUTLET, check, claims_of, one


def test_typewriter_double_quotes_are_a_quotation(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "''The ferry will not sail before Thursday,'' said Ingrid Solvang, the harbour master."
    claim = one(claims_of(nlp, gazetteer, text), "Solvang")
    check(claim, has=("ferry will not sail before Thursday",), lacks=("''", "harbour master"))
    assert claim.direct


def test_quotation_broken_by_its_cue_is_one_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "“The levee held through the night,” the county engineer, Rafael Duarte, said. "
        "“We will inspect every metre of it before the next storm.”"
    )
    claims = claims_of(nlp, gazetteer, text)
    duarte = [c for c in claims if "Duarte" in c.speaker]
    assert len(duarte) == 1, [(c.speaker, c.text) for c in claims]
    check(duarte[0], has=("levee held", "inspect every metre"), direct=True)


def test_second_part_with_its_own_cue_stays_apart(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "“The levee held,” the county engineer, Rafael Duarte, said. "
        "“It was luck, not design,” replied Mayor Odile Brun."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Duarte"), has=("levee held",), lacks=("luck",))
    check(one(claims, "Brun"), has=("luck, not design",))


def test_a_review_finding_is_a_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "An internal review found that the cooling valves had been left open for two days."
    claim = one(claims_of(nlp, gazetteer, text), "review")
    check(claim, has=("cooling valves had been left open",))


def test_a_belief_with_its_holder_is_a_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Flood officials fear the river will rise another metre by Sunday."
    check(one(claims_of(nlp, gazetteer, text), "officials"), has=("river will rise",))


def test_a_belief_without_a_holder_is_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "It is believed that the smugglers crossed the border at night. "
        "Knowing the bridge could fail, engineers closed it to lorries."
    )
    assert claims_of(nlp, gazetteer, text) == []


def test_a_finding_relayed_inside_a_claim_stays_in_it(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Velora Airways said its pilot was grounded after an inquiry found he had "
        "skipped two safety checks."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 1, [(c.speaker, c.text) for c in claims]
    check(one(claims, "Velora"), has=("grounded", "skipped two safety checks"))


def test_colon_introduces_quoted_paragraphs(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The port authority answered the complaints on Friday.\n\n"
        "Its director, Maren Holt, posted this message on the authority's website:\n\n"
        "“We have heard the fishermen and we will reopen the northern quay.\n\n"
        "The repairs will cost about 4 million euros and end in May.\n\n"
        "Nobody will lose a berth because of the works.”\n\n"
        "Fishermen were not convinced by the promise."
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Holt" in c.speaker]
    texts = " | ".join(c.text for c in claims)
    assert len(claims) == 3, texts
    for part in ("reopen the northern quay", "4 million euros", "lose a berth"):
        assert part in texts
    assert "not convinced" not in texts


def test_colon_without_a_quotation_after_it_claims_nothing(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The council published three figures on Monday:\n\n"
        "The budget, the deficit and the debt all fell."
    )
    assert not [c for c in claims_of(nlp, gazetteer, text) if c.cue == "published"]


def test_several_speakers_at_once(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Both Nordair and Skyline said on Monday they had found loose bolts on grounded jets."
    claims = claims_of(nlp, gazetteer, text)
    for name in ("Nordair", "Skyline"):
        check(one(claims, name), has=("loose bolts",))


def test_two_capitals_deny_at_once(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Paris and Berlin both denied that their envoys had met the rebel commanders."
    claims = claims_of(nlp, gazetteer, text)
    assert {c.speaker_side for c in claims} >= {"gpe:france", "gpe:germany"}, claims


def test_headline_repeated_as_lead_is_one_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Ministry says 40 villages are cut off by the floods\n\n"
        "Ministry says 40 villages are cut off by the floods. Roads are closed."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len([c for c in claims if "40 villages" in c.text]) == 1, claims


def test_an_institution_records_a_figure(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Seismic stations in Norway registered two blasts on Monday near the cable."
    check(one(claims_of(nlp, gazetteer, text), "stations"), has=("two blasts",))


def test_a_record_or_a_measure_is_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Striker Tomas Ruiz recorded 3 goals in the final. "
        "The second blast registered a magnitude of 2.1."
    )
    assert claims_of(nlp, gazetteer, text) == []


def test_cue_in_a_relative_clause_reports_its_noun(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Rescuers searched the more than 300 houses that local officials said were flattened."
    claim = one(claims_of(nlp, gazetteer, text), "officials")
    check(claim, has=("300 houses were flattened",), lacks=("said", "that local"))


def test_that_as_subject_is_kept(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "That prompted a walkout by the dockers, the Coastal Gazette has reported."
    check(one(claims_of(nlp, gazetteer, text), "Gazette"), has=("That prompted a walkout",))


def test_a_count_opening_the_clause_is_kept(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Two hundred nurses have signed the petition, the union's secretary Ana Prieto said."
    check(one(claims_of(nlp, gazetteer, text), "Prieto"), has=("Two hundred nurses",))


def test_reported_clause_with_a_cue_of_its_own(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The memo says that the ministry has assured the teachers they would keep "
        "their posts, should they accept the transfer."
    )
    check(one(claims_of(nlp, gazetteer, text), "memo"), has=("assured the teachers",))


def test_a_report_speaks_for_the_body_that_issued_it(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The Harbour Safety Board released its findings on Tuesday. "
        "The board's preliminary report said that two valves had been left open."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Harbour Safety Board")
    check(claim, has=("two valves had been left open",))


def test_its_review_is_the_organisations(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Velora Airways apologised to passengers on Monday. "
        "Its internal review concluded that the pilots had skipped two checks."
    )
    check(one(claims_of(nlp, gazetteer, text), "Velora"), has=("skipped two checks",))


def test_a_document_without_issuer_speaks_as_itself(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The letter says that the ministry has promised new posts to all of the teachers."
    check(one(claims_of(nlp, gazetteer, text), "^The letter$"), has=("promised new posts",))


def test_a_cue_set_off_by_commas_inside_the_sentence(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "By Friday 9,000 volunteers had reached the flooded valley, the governor said, "
        "and the army had sent another two thousand soldiers to the dams."
    )
    claim = one(claims_of(nlp, gazetteer, text), "governor")
    check(claim, has=("9,000 volunteers had reached",), lacks=("governor said",))


def test_an_unread_attribution_is_not_the_outlets(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The latest reports hint at 15,000 deaths across the two provinces."
    assert not [c for c in claims_of(nlp, gazetteer, text) if c.speaker == OUTLET]


def test_a_plain_fact_with_a_figure_stays_the_outlets(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The storm destroyed 12,000 homes across the two provinces on Sunday."
    assert [c for c in claims_of(nlp, gazetteer, text) if c.speaker == OUTLET]


def test_a_noun_phrase_object_keeps_its_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The ministry confirmed the closure of three border crossings."
    claim = one(claims_of(nlp, gazetteer, text), "ministry")
    assert claim.text.startswith("confirmed the closure"), claim.text


def test_a_cue_between_subject_and_verb(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Lena Ortiz has studied the region for a decade. "
        "Many of the closures, she said, have involved small family farms in the north."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Ortiz")
    check(claim, has=("Many of the closures have involved small family farms",))


def test_a_long_speaker_phrase_after_the_quotation(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "''Harbours work as a way to feed a country and as a way to ruin one,'' "
        "Halvard Munk, the director of the Coastal Fisheries Institute in Bergen, "
        "said at a news conference."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Munk")
    check(claim, has=("feed a country",), direct=True)


def test_a_quotation_running_over_paragraphs(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The harbour master spoke to reporters on Friday.\n\n"
        'Maren Holt said: "The quay is safe and we will reopen it on Monday.\n\n'
        "Nobody has been hurt since the repairs began. We found that the cracks "
        "were older than the storm.\n\n"
        'The only thing I can promise is that the fishermen will keep their berths."\n\n'
        "Fishermen were not convinced."
    )
    claims = claims_of(nlp, gazetteer, text)
    holt = " | ".join(c.text for c in claims if "Holt" in c.speaker)
    for part in ("reopen it on Monday", "cracks were older", "keep their berths"):
        assert part in holt, holt
    assert not [c for c in claims if c.cue.startswith("found")], claims
    assert "not convinced" not in holt


def test_a_pronoun_before_its_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Although it denies flooding the valley, Moscow has bombed three other dams this spring."
    claim = one(claims_of(nlp, gazetteer, text), "Russia|Moscow")
    check(claim, has=("flooding the valley",), stance=Stance.DENY)


def test_a_speaker_in_a_relative_clause_is_not_the_next_he(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Governor Tomas Vela promised on Monday to rebuild every bridge.\n\n"
        "He also answered critics, including the opposition leader Rafael Duarte, "
        'who said, "The governor alone is responsible for this."\n\n'
        '"I will not accept lectures from people who never built anything," '
        "he told reporters in the capital."
    )
    claims = claims_of(nlp, gazetteer, text)
    lectures = [c for c in claims if "lectures" in c.text]
    assert lectures and "Vela" in lectures[0].speaker, [(c.speaker, c.text) for c in claims]


def test_a_question_is_recorded_as_a_question(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        '"Who will pay for the new ferry terminal?" Mayor Ada Krol asked on Tuesday. '
        "Later she asked the harbour board whether the old pier would be demolished."
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Krol" in c.speaker]
    texts = [c.text for c in claims]
    assert any("Who will pay for the new ferry terminal?" in t for t in texts), texts
    pier = [c for c in claims if "old pier" in c.text]
    assert pier, texts
    # "whether" stays: the claim must not read as if the pier would be demolished
    check(pier[0], has=("whether the old pier",), stance=Stance.QUESTION)
    assert all(c.stance is Stance.QUESTION for c in claims), claims


def test_a_request_is_not_a_question(nlp: Any, gazetteer: Gazetteer) -> None:
    # a request is a position of its speaker (issue 12, fifth round): it keeps
    # its verb, so that it never reads as a fact or as a question
    text = "Mayor Ada Krol asked the harbour board to publish its accounts."
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Krol" in c.speaker]
    assert [c.text for c in claims] == ["asked the harbour board to publish its accounts"]
    assert claims[0].stance is Stance.ASSERT


def test_an_exclaimed_quotation_before_its_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = '"The terminal will open in May, not a day later!" the port director, Sven Alt, said.'
    check(one(claims_of(nlp, gazetteer, text), "Alt"), has=("open in May",), direct=True)


def test_he_after_a_clause_naming_someone_else_is_the_speaker(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Governor Tomas Vela said he had ordered the harbour master, Sven Alt, to close the "
        'port at once. "I have ordered the port closed until the storm passes," he said.'
    )
    claims = claims_of(nlp, gazetteer, text)
    storm = [c for c in claims if "storm passes" in c.text]
    assert storm and "Vela" in storm[0].speaker, [(c.speaker, c.text) for c in claims]


def test_dismissing_accusations_without_their_content_is_no_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "The ministry has dismissed similar accusations in the past."
    assert not [c for c in claims_of(nlp, gazetteer, text) if c.stance is Stance.DENY]
    text = "The ministry dismissed the accusations of tampering with the ballots."
    check(one(claims_of(nlp, gazetteer, text), "ministry"), has=("tampering",), stance=Stance.DENY)


def test_a_claim_someone_may_make_belongs_to_who_says_so(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Analyst Petra Holm says the company may claim the outage was caused by a storm."
    claims = claims_of(nlp, gazetteer, text)
    assert [c.speaker for c in claims] == ["Petra Holm"], [(c.speaker, c.text) for c in claims]


def test_stressing_the_importance_of_something_is_no_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Mayor Ada Krol has stressed the seriousness of the flooding in the lower town."
    assert not [c for c in claims_of(nlp, gazetteer, text) if "Krol" in c.speaker]
    text = "Mayor Ada Krol stressed that the lower town would be evacuated by noon."
    check(one(claims_of(nlp, gazetteer, text), "Krol"), has=("evacuated by noon",))


def test_denying_allegations_just_reported_is_a_denial(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Opposition deputies accused the ministry of tampering with the ballots. "
        "The ministry denied those allegations on Friday."
    )
    check(
        one(claims_of(nlp, gazetteer, text), "ministry"), has=("allegations",), stance=Stance.DENY
    )


def test_a_share_of_people_in_a_poll_speaks(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "A majority of voters in the poll say the new tram line is worth its cost."
    check(one(claims_of(nlp, gazetteer, text), "majority of voters"), has=("worth its cost",))
    text = "Half of the bridges were closed, engineers said."
    assert not [c for c in claims_of(nlp, gazetteer, text) if "Half" in c.speaker]


def test_a_party_member_is_a_person_not_the_party(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senator Ivo Lind toured the flooded farms on Monday. "
        "The Wisconsin Republican said the relief bill would pass in June."
    )
    check(one(claims_of(nlp, gazetteer, text), "Lind"), has=("relief bill would pass",))
    text = "The Wisconsin Republican said the relief bill would pass in June."
    assert [c.speaker for c in claims_of(nlp, gazetteer, text)] == ["The Wisconsin Republican"]


def test_a_second_speech_verb_hung_on_the_reported_clause_is_the_same_speaker(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    """ "X acknowledged that A and said B": the parser coordinates "said" with A.
    B is X's second claim; A's subject never speaks, and A ends before "and said"."""
    text = (
        "Harbour chief Lena Okoro acknowledged that the warning system on the pier "
        "had been too slow and said a new siren would be installed by the end of May."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert all("warning system" not in c.speaker for c in claims), [
        (c.speaker, c.text) for c in claims
    ]
    okoro = [c for c in claims if "Okoro" in c.speaker]
    slow = [c for c in okoro if "too slow" in c.text]
    siren = [c for c in okoro if "new siren" in c.text]
    assert len(slow) == 1 and len(siren) == 1, [(c.speaker, c.text) for c in claims]
    check(slow[0], has=("warning system",), lacks=("siren", "and said"), stance=Stance.CONFIRM)


def test_a_coordinated_verb_that_reports_nothing_stays_in_the_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "The ferry operator said it is studying the inspectors' report "
        "and will continue working with the port authority."
    )
    claim = one(claims_of(nlp, gazetteer, text), "ferry operator")
    check(claim, has=("studying the inspectors' report", "continue working"))
