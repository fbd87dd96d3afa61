"""One claim of ours that held two attributions (issue 12, seventh round):
a second verb of the same speaker coordinated with the reported clause, or
set off after it, gets a claim of its own and ends the first one. Sentences
written for these tests."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of


def _by_cue(claims: list[Any], cue: str) -> Any:
    found = [c for c in claims if c.cue.split()[0] == cue]
    assert found, f"no claim with cue {cue!r} in {[(c.speaker, c.cue, c.text) for c in claims]}"
    return found[0]


def test_coordinated_pledge_after_the_reported_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The harbour master, Ines Kolar, announced that she was leaving the port authority "
        "and vowed to spend more time on the lifeboat service."
    )
    claims = claims_of(nlp, gazetteer, text)
    said = _by_cue(claims, "announced")
    check(said, has=("she was leaving the port authority",), lacks=("vowed", "lifeboat"))
    vowed = _by_cue(claims, "vowed")
    assert "Kolar" in vowed.speaker, vowed
    check(vowed, has=("spend more time on the lifeboat service",))


def test_coordinated_demand_after_a_belief(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Many fishermen believe the new quota is unfair and have been calling on the "
        "ministry to suspend it until the spring."
    )
    claims = claims_of(nlp, gazetteer, text)
    believe = _by_cue(claims, "believe")
    check(believe, has=("the new quota is unfair",), lacks=("calling", "ministry"))
    calling = _by_cue(claims, "calling")
    assert "fishermen" in calling.speaker.lower(), calling
    check(calling, has=("ministry to suspend it",))


def test_belief_set_off_after_the_reported_clause(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Aides to the senator say she sees no reason to answer her rivals, believing "
        "that her voting record speaks for itself."
    )
    claims = claims_of(nlp, gazetteer, text)
    say = _by_cue(claims, "say")
    check(say, has=("no reason to answer her rivals",), lacks=("believing", "voting record"))
    believing = _by_cue(claims, "believing")
    assert "aides" in believing.speaker.lower(), believing
    check(believing, has=("her voting record speaks for itself",))


def test_participle_of_saying_after_before(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        'The governor said the toll had "paid for the bridge" in a radio interview '
        'before claiming that the ferries were "never late."'
    )
    claims = claims_of(nlp, gazetteer, text)
    said = _by_cue(claims, "said")
    check(said, has=("paid for the bridge",), lacks=("claiming", "ferries"))
    claiming = _by_cue(claims, "claiming")
    assert "governor" in claiming.speaker.lower(), claiming
    check(claiming, has=("ferries were",))


def test_participle_of_saying_after_after_is_the_clause_subjects(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "The mayor said the police chief resigned after saying that the force was underfunded."
    claims = claims_of(nlp, gazetteer, text)
    said = _by_cue(claims, "said")
    check(said, has=("police chief resigned",), lacks=("underfunded",))
    saying = _by_cue(claims, "saying")
    assert "chief" in saying.speaker.lower(), saying
    check(saying, has=("the force was underfunded",))


def test_clause_set_against_the_report_speaks_for_its_subject(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Growers in the valley argue that the water levy is rigged against small farms, "
        "while the mayor, Tom Reyes, has gained support by saying that the levy "
        "protects the river."
    )
    claims = claims_of(nlp, gazetteer, text)
    argue = _by_cue(claims, "argue")
    check(argue, has=("rigged against small farms",), lacks=("Reyes", "protects the river"))
    saying = _by_cue(claims, "saying")
    assert "Reyes" in saying.speaker, saying
    check(saying, has=("the levy protects the river",))


def test_quote_paragraph_with_its_own_cue_is_not_the_one_before(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "The historian Dana Roth spoke about the crowds at the rallies.\n\n"
        "“One kind I would call a polite hostility,” Roth said. “The rallies give "
        "people a place to let it out — and they enjoy it.\n"
        "“There is another kind that just wants to wreck things,” Roth said. "
        "“I cannot tell if it was relief or a symptom.”\n"
    )
    claims = [c for c in claims_of(nlp, gazetteer, text) if "Roth" in c.speaker]
    first = next(c for c in claims if "polite hostility" in c.text)
    check(first, has=("they enjoy it",), lacks=("another kind",))
    second = next(c for c in claims if "another kind" in c.text)
    check(second, has=("relief or a symptom",), lacks=("enjoy",))


def test_dateline_with_a_horizontal_bar_is_no_content(nlp: Any, gazetteer: Gazetteer) -> None:
    for text in (
        "OSLO ― The port will reopen in May, the mayor said on Tuesday.",
        "OSLO ―\u00a0The port will reopen in May, the mayor said on Tuesday.",
    ):
        claim = _by_cue(claims_of(nlp, gazetteer, text), "said")
        check(claim, has=("The port will reopen in May",), lacks=("OSLO",))


def test_what_a_brag_is_about(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "For a year, Mayor Tom Brandt bragged to voters about how cheaply he was running the port."
    )
    claim = _by_cue(claims_of(nlp, gazetteer, text), "bragged")
    assert "Brandt" in claim.speaker, claim
    check(claim, has=("how cheaply he was running the port",), lacks=("For a year",))
