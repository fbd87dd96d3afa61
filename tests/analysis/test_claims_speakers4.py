"""Speakers and sides, fourth round (issue 12): a company the parser calls a
person, a surname that is also a people's name, a party member not named, a
pronoun after a paragraph about someone else, a Q&A's answers, "it" for a
document, a statement someone issued, a poll's share of people, and whom a
person speaks for (own conjunct, not a former employer, a ministry named with a
demonym). Sentences written for the test."""

from __future__ import annotations

from typing import Any

from bot.analysis.aliases import Gazetteer
from bot.analysis.entities import find_mentions
from tests.analysis.test_claims import check, claims_of, one


def _ids(nlp: Any, gazetteer: Gazetteer, text: str, surface: str) -> set[str]:
    doc = nlp(text)
    return {m.entity.id for m in find_mentions(doc, gazetteer) if m.text == surface}


def test_a_company_the_parser_calls_a_person_keeps_one_id(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The board of Quorvex removed its founder on Friday. "
        "Quorvex CEO Dara Lenz said the vote was unfair. "
        "Quorvex said it would hire a new chief."
    )
    assert _ids(nlp, gazetteer, text, "Quorvex") == {"org:quorvex"}
    c = one(claims_of(nlp, gazetteer, text), "^Quorvex$")
    check(c, has=("would hire a new chief",))


def test_a_name_followed_by_company_words_is_a_company(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Brightloom's board met on Monday. Brightloom said the talks had failed."
    assert _ids(nlp, gazetteer, text, "Brightloom") == {"org:brightloom"}


def test_a_surname_that_is_also_a_people_is_the_person(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The investor Ada Cuban spoke to students on Monday. "
        "Cuban said the tax plan would hurt small firms."
    )
    c = one(claims_of(nlp, gazetteer, text), "Cuban")
    assert c.speaker == "Ada Cuban"
    assert c.speaker_id == "person:cuban"
    check(c, has=("tax plan would hurt small firms",))


def test_a_person_s_surname_does_not_hide_the_country(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Michael Jordan flew to Jordan on Monday to open a school."
    assert "gpe:jordan" in _ids(nlp, gazetteer, text, "Jordan")


def test_an_unnamed_party_member_is_not_the_person_named_before(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Governor Ted Marsh spoke in Reno on Monday.\n\n"
        "“The race is close,” a Nevada Democrat said.\n\n"
        "Another Oregon Republican said the senator would lose in the fall."
    )
    claims = claims_of(nlp, gazetteer, text)
    dem = one(claims, "Nevada Democrat")
    assert "Marsh" not in dem.speaker
    check(dem, has=("race is close",))
    rep = one(claims, "Oregon Republican")
    check(rep, has=("senator would lose",))


def test_he_after_a_paragraph_about_someone_named(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Lydia Moreau said the ferry timetable would change in May.\n\n"
        "Ravi Okonkwo, a former harbour pilot, had long opposed the plan. "
        "But on Tuesday he finally backed the new timetable.\n\n"
        "“We need ferries that run on time,” he said at the pier."
    )
    c = one([c for c in claims_of(nlp, gazetteer, text) if "ferries" in c.text], "Okonkwo")
    check(c, has=("ferries that run on time",))


def test_a_company_before_a_title_is_not_a_nationality(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Brightloom named former Quillsoft boss Nadia Ferro as its chief executive on Monday. "
        "Ferro said the company would hire 200 engineers."
    )
    c = one(claims_of(nlp, gazetteer, text), "Ferro")
    assert c.speaker_side is None or not c.speaker_side.startswith("norp:")
    assert c.speaker_side != "org:quillsoft"  # a former employer is not her side


def test_each_conjunct_keeps_its_own_company(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Former Quillsoft Labs chief executive Ana Ruiz and Harwell Systems chief executive "
        "Ivo Petrov signed the letter. Petrov said the board had to resign."
    )
    c = one(claims_of(nlp, gazetteer, text), "Petrov")
    assert c.speaker_side == "org:harwell-systems"
    check(c, has=("board had to resign",))


def test_a_ministry_named_with_a_demonym_speaks_for_the_country(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "The Chilean Foreign Ministry said the border talks had failed. "
        "Chile's defence ministry said the army would stay in its barracks."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert one(claims, "Foreign Ministry").speaker_side == "gpe:chile"
    assert one(claims, "defence ministry").speaker_side == "gpe:chile"


def test_he_is_the_main_clause_s_subject_not_one_in_reported_speech(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "“Prices will fall,” Ada Ruiz said on Monday, adding that Tom Okoye showed poor "
        "judgment.\n\n"
        "She continued, “I have never seen a worse budget.”"
    )
    c = one(claims_of(nlp, gazetteer, text), "Ruiz|Okoye")
    assert [x.speaker for x in claims_of(nlp, gazetteer, text) if "worse budget" in x.text] == [
        "Ada Ruiz"
    ]
    assert c.speaker == "Ada Ruiz"


def test_answers_of_a_q_and_a_are_the_interviewee_s(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Q&A with Senator Mara Quist.\n\n"
        "Senator Mara Quist spoke with reporters on Tuesday about the farm bill. "
        "Quist also met Governor Leo Brandt.\n\n"
        "Q: Will the bill pass this year?\n\n"
        "A: It will pass. We have the votes in the committee.\n\n"
        "Q: What about the tax?\n\n"
        "A: The tax stays."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert not [c for c in claims if c.speaker in ("A", "Q")]
    # the intro's "spoke … about the farm bill" is her claim too (topic, noclaim7)
    answers = [c for c in claims if "Quist" in c.speaker and "will pass" in c.text]
    assert answers, [(c.speaker, c.text) for c in claims]
    check(answers[0], has=("It will pass",))


def test_it_after_a_document_in_the_same_sentence_is_the_document(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "The harbour board published a report on Monday. The report notes that 300 ferries "
        "were late, and it says the port lost 40 million euros."
    )
    c = one(claims_of(nlp, gazetteer, text), "report")
    lost = [x for x in claims_of(nlp, gazetteer, text) if "40 million" in x.text]
    assert [x.speaker for x in lost] == [c.speaker]


def test_it_after_a_storm_names_no_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The storm hit the coast on Monday, and it said nothing to anyone."
    assert not [c for c in claims_of(nlp, gazetteer, text) if "storm" in c.speaker.lower()]


def test_whoever_issued_a_statement_speaks(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The Harbour Workers Union issued a statement saying it would strike on Monday."
    c = one(claims_of(nlp, gazetteer, text), "Union")
    assert c.speaker == "Harbour Workers Union"
    check(c, has=("would strike on Monday",))
    text = "Minutes later, the Velmar campaign issued a statement saying the mayor was misquoted."
    c = one(claims_of(nlp, gazetteer, text), "campaign")
    check(c, has=("mayor was misquoted",))


def test_a_share_of_people_speaks_through_the_poll_named(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "In a Harbour Gazette poll conducted in May, 42 percent of voters said they do not "
        "trust the mayor."
    )
    c = one(claims_of(nlp, gazetteer, text), "poll")
    check(c, has=("do not trust the mayor",))
    # no poll named: the share itself speaks
    text = "Some 55 percent of the dockers said they would strike."
    check(one(claims_of(nlp, gazetteer, text), "55 percent"), has=("would strike",))


def test_a_share_inside_a_poll_s_finding_keeps_its_own_words(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = "A Harbour Gazette poll found that 9 percent of voters said they had no preference."
    claims = claims_of(nlp, gazetteer, text)
    assert [
        c.speaker for c in claims if "no preference" in c.text and c.text.startswith("they")
    ] == ["9 percent of voters"]


def test_a_quotation_two_paragraphs_on_is_not_the_last_speaker(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    """Paragraphs are counted also when the parser keeps the line break inside
    the sentence before it: a quotation after a paragraph about something else
    is not put in the mouth of the speaker of the paragraph before that."""
    text = (
        "Port director Helga Maren said the new crane would arrive in June.\n\n"
        "The harbour has lost three contracts this year to a rival port across the bay.\n\n"
        '"We cannot wait for another winter like the last one."\n\n'
        "The union has called a meeting."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert [c.text for c in claims if c.speaker == "Helga Maren"] == [
        "the new crane would arrive in June"
    ]
    # in the speaker's own paragraph the quotation is still theirs
    near = (
        "Port director Helga Maren said the new crane would arrive in June. "
        'The harbour is quiet. "We cannot wait for another winter like the last one."'
    )
    [quoted] = [c for c in claims_of(nlp, gazetteer, near) if "another winter" in c.text]
    assert quoted.speaker == "Helga Maren"
