"""One sentence, two attributions (issue 12, fifth round): the content of the
first claim stops where a second verb of saying begins, and the second one
is a claim of its own with the right speaker. Sentences written for these
tests."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def _by_cue(claims: list[Any], cue: str) -> Any:
    found = [c for c in claims if c.cue.split()[0] == cue]
    assert found, f"no claim with cue {cue!r} in {[(c.speaker, c.cue, c.text) for c in claims]}"
    return found[0]


def test_participle_after_the_reported_clause_is_a_second_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Mayor Helen Dravik said she saw no reason to delay the vote, telling reporters "
        "that “the budget is sound.”"
    )
    claims = claims_of(nlp, gazetteer, text)
    said = _by_cue(claims, "said")
    check(said, has=("she saw no reason to delay the vote",), lacks=("telling", "budget"))
    told = _by_cue(claims, "telling")
    assert "Dravik" in told.speaker, told
    check(told, has=("the budget is sound",))
    # a participle that makes no claim of its own ("asking him questions")
    # stays in the content
    text = (
        "Senator Ann Gold told reporters she spoke with the director after the hearing, "
        "asking him a series of questions."
    )
    claim = one(claims_of(nlp, gazetteer, text), "Gold")
    check(claim, has=("she spoke with the director", "asking him a series of questions"))


def test_participle_after_a_clause_with_its_own_subject_is_the_speakers(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    # the parser hangs "insisting" on the reported clause, whose subject is
    # the bridge: the bridge insists nothing, the mayor does
    text = (
        "Mayor Helen Dravik said the bridge would reopen in May, insisting that the "
        "repairs were on schedule."
    )
    claims = claims_of(nlp, gazetteer, text)
    said = _by_cue(claims, "said")
    check(said, has=("the bridge would reopen in May",), lacks=("insisting", "repairs"))
    insisted = _by_cue(claims, "insisting")
    assert "Dravik" in insisted.speaker, insisted
    check(insisted, has=("the repairs were on schedule",))
    # a report relayed by an outlet: what the participle adds is the clause
    # subject's, as before
    text = (
        "The Daily Ledger reported that the Norvale Trust raised its fees, noting that "
        "costs had doubled since 2019."
    )
    noted = _by_cue(claims_of(nlp, gazetteer, text), "noting")
    assert "Norvale" in noted.speaker, noted


def test_participle_of_a_denial(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Interior Minister Paolo Renzetti denied that a reshuffle is coming, explaining "
        "that he had not been consulted about any change."
    )
    claims = claims_of(nlp, gazetteer, text)
    denied = _by_cue(claims, "denied")
    check(denied, has=("a reshuffle is coming",), lacks=("explaining",), stance=denied.stance)
    explained = _by_cue(claims, "explaining")
    assert "Renzetti" in explained.speaker, explained
    check(explained, has=("he had not been consulted",))
    # hung on the clause of a claim noun the cue takes ("denied the notion that")
    text = (
        "Campaign manager Barry Benton denied the notion that a campaign shakeup is "
        "coming, explaining that he was unaware of the interview."
    )
    explained = _by_cue(claims_of(nlp, gazetteer, text), "explaining")
    assert "Benton" in explained.speaker, explained


def test_coordinated_verb_of_saying_with_its_own_tense(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senator Bernard Oakes says he respects Governor Lena Marsh and calls her "
        "“an extremely capable leader.”"
    )
    claims = claims_of(nlp, gazetteer, text)
    says = _by_cue(claims, "says")
    check(says, has=("he respects Governor Lena Marsh",), lacks=("calls", "capable"))
    calls = _by_cue(claims, "calls")
    assert "Oakes" in calls.speaker, calls
    check(calls, has=("an extremely capable leader",))


def test_relative_clause_with_a_label_is_a_second_claim(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Governor Tom Ridley said the new levy would raise $2 billion, which he called "
        "“a fair price for clean water.”"
    )
    claims = claims_of(nlp, gazetteer, text)
    said = _by_cue(claims, "said")
    check(said, has=("the new levy would raise $2 billion",), lacks=("called", "fair price"))
    called = _by_cue(claims, "called")
    assert "Ridley" in called.speaker, called
    check(called, has=("$2 billion", "a fair price for clean water"))
    # in the middle of the content, only the relative clause leaves it
    text = (
        "Senator Maria Lopez said voters have two options: back the mayor, whom she "
        "called “the most divisive figure in a generation,” or stay at home."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(_by_cue(claims, "said"), has=("back the mayor", "or stay at home"), lacks=("divisive",))
    check(_by_cue(claims, "called"), has=("the mayor", "the most divisive figure"))


def test_relative_clause_with_a_reported_clause_is_a_second_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Defence chief Anders Holm noted that spending is in danger of sinking to 1.1 "
        "percent of output, which he said would be its lowest level ever."
    )
    claims = claims_of(nlp, gazetteer, text)
    noted = _by_cue(claims, "noted")
    check(noted, has=("sinking to 1.1 percent of output",), lacks=("lowest",))
    said = _by_cue(claims, "said")
    assert "Holm" in said.speaker, said
    check(said, has=("1.1 percent of output would be its lowest level ever",))


def test_second_verb_of_saying_with_its_own_subject_ends_the_first_content(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    # the parser hangs the second "said" on the first as a second clause
    text = "Three-quarters said they were worried, and more than 4 in 10 said the plan would fail."
    claims = claims_of(nlp, gazetteer, text)
    first = one(claims, "Three-quarters")
    check(first, has=("they were worried",), lacks=("plan",))
    assert not first.text.endswith("and"), first.text
    second = one(claims, "4 in 10")
    check(second, has=("the plan would fail",))
    # "X said Y told her that Z, and she said …": the inner report is part of
    # X's claim (round 8: a report that is the main verb of the reported
    # clause makes no claim of its own); the second "said" still makes one
    text = (
        "Mayor Helen Dravik said the city council told her that the budget was "
        "balanced, and she said she would sign it."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not any("council" in c.speaker for c in claims), [(c.speaker, c.text) for c in claims]
    check(one(claims, "Dravik"), has=("the city council told her", "the budget was balanced"))
    assert any(c.text == "she would sign it" for c in claims), [(c.speaker, c.text) for c in claims]


def test_participle_between_two_cues_of_one_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Tom Ridley spoke on Monday. “We will send divers down to the pier. We do "
        "not know the cause yet,” he said, adding that the city is already working with "
        "its neighbours to “protect this critical bridge,” he added."
    )
    claims = claims_of(nlp, gazetteer, text)
    adding = _by_cue(claims, "adding")
    assert "Ridley" in adding.speaker, adding
    check(adding, has=("the city is already working with its neighbours",))
    # the words before "he said" are that cue's, not the last "he added"'s
    assert not any("he said" in c.text for c in claims), claims


def test_second_participle_coordinated_with_the_first(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Senator Ann Gold spoke in Dover on Monday, urging voters to look at the big "
        "picture and promising to cut taxes for families."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(_by_cue(claims, "urging"), has=("voters to look at the big picture",), lacks=("taxes",))
    promised = _by_cue(claims, "promising")
    assert "Gold" in promised.speaker, promised
    check(promised, has=("to cut taxes for families",))


def test_view_of_other_people_ends_the_content_and_is_their_claim(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Senator Ann Gold says the emails were personal and not work-related, but for "
        "Republicans, they are a smoking gun for a cover-up."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Gold"), has=("the emails were personal",), lacks=("smoking gun",))
    view = one(claims, "Republicans")
    check(view, has=("a smoking gun for a cover-up",), lacks=("for Republicans",))
    # "for" with a time or a thing names nobody's view
    claims = claims_of(nlp, gazetteer, "For now, the bridge over the Vell stays closed.")
    assert not claims, claims


def test_participle_hung_on_the_speaker_named_after_the_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "“The folks who understand the game are engaged,” said Don Ytterberg, the party "
        "chairman for Jefferson County, explaining that dissatisfaction had largely "
        "fallen away since the convention."
    )
    claims = claims_of(nlp, gazetteer, text)
    check(_by_cue(claims, "said"), has=("The folks who understand the game are engaged",))
    explained = _by_cue(claims, "explaining")
    assert "Ytterberg" in explained.speaker, explained
    check(explained, has=("dissatisfaction had largely fallen away",))
