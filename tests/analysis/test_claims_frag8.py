"""Claims that carry nothing anyone said (issue 12, eighth round, precision):
a statement phrase on a verb that says nothing in it, a participle that only
modifies a noun, and what a side "maintains" when it keeps it. Each on
sentences written for this test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from tests.analysis.test_claims import check, claims_of, one


def _texts(nlp: Any, gazetteer: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(c.speaker, c.text) for c in claims_of(nlp, gazetteer, text)]


def test_taking_part_in_an_interview_says_nothing(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Tom Hale will participate in an interview with WXYZ in Dover."
    assert _texts(nlp, gazetteer, text) == []
    assert (
        _texts(
            nlp,
            gazetteer,
            "The report sparked backlash on Twitter and ultimately resulted in Hale's tweet "
            "discrediting the report.",
        )
        == []
    )
    # a verb with a complement of its own says it in the statement
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "In a Facebook post on Sunday night, Ines Voss urged residents to join her in a fast.",
        ),
        "Voss",
    )
    check(claim, has=("residents to join her in a fast",))


def test_a_statement_phrase_in_a_clause_of_time_or_manner_is_no_cue(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    claims = claims_of(
        nlp,
        gazetteer,
        "In a statement released shortly after the Ardan senator suspended his presidential "
        "campaign, Tom Hale said he is certain Voss will continue to be a champion for the port.",
    )
    assert [c.cue for c in claims] == ["said"], [(c.cue, c.text) for c in claims]
    claims = claims_of(
        nlp,
        gazetteer,
        "Tom Hale wants to build on his skill with radio interviews and his digs at Voss, as he "
        "has demonstrated in recent speeches.",
    )
    assert [c.cue for c in claims] == ["wants"], [(c.cue, c.text) for c in claims]


def test_a_participle_before_its_noun_is_no_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    claims = claims_of(
        nlp,
        gazetteer,
        "Ines Voss leads Tom Hale by 271 pledged delegates according to a count by the Harbour "
        "Wire.",
    )
    assert not any(c.cue == "pledged" for c in claims), [(c.cue, c.text) for c in claims]
    claims = claims_of(
        nlp,
        gazetteer,
        "The investments make up only a tiny fraction of Hale’s reported net worth, and a "
        "comparison with his previous filings show he’s reduced his holdings in some of the firms.",
    )
    assert not any(c.cue == "reported" for c in claims), [(c.cue, c.text) for c in claims]


def test_what_a_side_maintains_is_kept_not_said(nlp: Any, gazetteer: Gazetteer) -> None:
    for text in (
        "Ines Voss maintains a commanding lock on the party's leadership.",
        "The Voss family has maintained some clout in the county.",
        "Tom Hale also maintained above-average costs for raising that money.",
    ):
        assert _texts(nlp, gazetteer, text) == [], text
    # a stand or a clause is still what the side holds
    check(
        one(claims_of(nlp, gazetteer, "Tom Hale has always maintained his innocence."), "Hale"),
        has=("maintained his innocence",),
    )
    check(
        one(claims_of(nlp, gazetteer, "Ines Voss maintained that the pier was safe."), "Voss"),
        has=("the pier was safe",),
    )


def test_a_judgment_keeps_its_reason_after_the_day_it_was_made(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "Senator Marta Quill blasted the Harbour Authority (HA) on Tuesday for its decision "
            "to close the east pier.",
        ),
        "Quill",
    )
    check(
        claim, has=("blasted the Harbour Authority (HA)", "for its decision to close the east pier")
    )
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "Mayor Ines Voss criticized the council on Monday over the delay in the repairs.",
        ),
        "Voss",
    )
    check(claim, has=("over the delay in the repairs",))
    # a time with no reason after it stays out
    claim = one(claims_of(nlp, gazetteer, "Mayor Ines Voss praised the crew on Monday."), "Voss")
    check(claim, has=("praised the crew",), lacks=("Monday",))


def test_a_name_after_a_cue_set_off_by_a_comma_reports_the_clause_before(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    claims = claims_of(
        nlp, gazetteer, "The mayor backs the new budget, reported the Washington Examiner."
    )
    assert not any(c.cue == "reported" and "mayor" in c.speaker.lower() for c in claims), [
        (c.speaker, c.cue, c.text) for c in claims
    ]
    claim = one(
        claims_of(
            nlp,
            gazetteer,
            "The port will close on Monday, reported the Harbour Gazette on Friday.",
        ),
        "Gazette",
    )
    check(claim, has=("The port will close on Monday",), lacks=("reported",))


def test_links_to_other_stories_after_a_related_label_are_no_claims(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Mayor Ines Voss said the port would reopen on Monday.\n\n"
        '"Related:"\n\n'
        "Candidates Resoundingly Reject The Idea Of A Harbour Toll.\n\n"
        "Tom Hale Responds To Question About The Port By Saying We Need Fewer Ferries.\n\n"
        "The harbour master said the ferries would run again by June."
    )
    claims = claims_of(nlp, gazetteer, text)
    texts = [c.text for c in claims]
    assert not any("Toll" in t or "Ferries" in t for t in texts), texts
    assert any("port would reopen" in t for t in texts), texts
    assert any("ferries would run again" in t for t in texts), texts


def test_whom_the_writer_addresses_before_a_colon_is_no_speaker(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "But beware, Republicans: Because the harbour is on our team, the port will win again "
        "and again."
    )
    assert _texts(nlp, gazetteer, text) == []


def test_a_clause_of_time_after_the_cue_is_not_what_was_said(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    claims = claims_of(
        nlp,
        gazetteer,
        "“His legend will live on,” Spencer said, as a few young fighters worked out inside the "
        "gym, while outside some passers-by stopped to take photos near the large image of the "
        "champion.",
    )
    check(one(claims, "Spencer"), has=("His legend will live on",), lacks=("fighters",))


def test_a_shares_answer_to_a_poll_in_the_past_tense_is_the_polls_count(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    assert _texts(nlp, gazetteer, "Less than 1 percent chose Tom Hale.") == []
    claims = claims_of(
        nlp,
        gazetteer,
        "In a Harbour Wire poll released Monday, 50 percent of respondents chose Voss while 40 "
        "percent chose Hale.",
    )
    assert not any(c.speaker.endswith("percent") for c in claims), [
        (c.speaker, c.text) for c in claims
    ]
    # a preference the share states is still its claim
    check(
        one(
            claims_of(nlp, gazetteer, "Forty-one percent would choose Voss to be the next mayor."),
            "Forty-one percent",
        ),
        has=("would choose Voss",),
    )


def test_an_act_weighed_with_for_and_an_infinitive_is_not_its_subjects_stand(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    claims = claims_of(
        nlp,
        gazetteer,
        "Tom Hale declined to say whether it is appropriate for a sitting judge to openly "
        "criticize a mayoral contender.",
    )
    assert not any(c.cue == "criticize" for c in claims), [(c.speaker, c.text) for c in claims]
    # a demand that someone act is still the demand of whoever makes it
    check(
        one(
            claims_of(nlp, gazetteer, "The dockers' union called for the board to resign."), "union"
        ),
        has=("the board to resign",),
    )


def test_a_handle_or_a_post_whose_words_another_cue_gives_is_nothing_said(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "Peter Hale is an economist and a columnist. He tweets @phale1."
    assert _texts(nlp, gazetteer, text) == []
    claims = claims_of(
        nlp,
        gazetteer,
        "Ines Voss immediately posted a Twitter comment of her own, saying, “We are so excited "
        "to meet our grandchild!”",
    )
    assert claims and all("grandchild" in c.text for c in claims), [(c.cue, c.text) for c in claims]
