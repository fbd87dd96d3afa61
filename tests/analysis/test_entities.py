"""Entity recognition and linking on short articles written for these tests."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bot.analysis.aliases import Gazetteer, fold
from bot.analysis.entities import entity_stats, find_mentions
from bot.analysis.person_names import name_key, person_id
from bot.models import Entity, Mention


def parse(nlp: Any, *texts: str) -> list[Any]:
    return list(nlp.pipe(texts, batch_size=8))


def mentions_of(nlp: Any, gazetteer: Gazetteer, text: str) -> list[Mention]:
    (doc,) = parse(nlp, text)
    return find_mentions(doc, gazetteer)


def ids(mentions: list[Mention]) -> Counter[str]:
    return Counter(m.entity.id for m in mentions)


def linked(mentions: list[Mention], surface: str) -> set[str]:
    return {m.entity.id for m in mentions if m.text == surface}


# --------------------------------------------------------------------------- gazetteer


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("China", "gpe:china"),
        ("chinese", "gpe:china"),
        ("BEIJING", "gpe:china"),
        ("China's", "gpe:china"),
        ("China’s", "gpe:china"),
        ("PRC", "gpe:china"),
        ("U.S.", "gpe:united-states"),
        ("the White House", "gpe:united-states"),
        ("Americans", "gpe:united-states"),
        ("Kremlin", "gpe:russia"),
        ("Kiev", "gpe:ukraine"),
        ("Downing Street", "gpe:united-kingdom"),
        ("British", "gpe:united-kingdom"),
        ("Côte d'Ivoire", None),
        ("Zhōngguó", "gpe:china"),
        ("Türkiye", None),
        ("Turkish", "gpe:turkey"),
        ("nato", "org:nato"),
        ("E.U.", "org:eu"),
        ("the United Nations", "org:un"),
        ("Congolese", "gpe:democratic-republic-of-the-congo"),  # the larger population wins
        ("Dutch", "gpe:netherlands"),
        ("Burma", "gpe:myanmar"),
    ],
)
def test_lookup_folds_case_diacritics_possessives_and_punctuation(
    gazetteer: Gazetteer, surface: str, expected: str | None
) -> None:
    entity = gazetteer.lookup(surface)
    if expected is None:
        assert entity is None or entity.type == "GPE"
    else:
        assert entity is not None and entity.id == expected


def test_ids_are_stable_and_readable(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("United States") == Entity("gpe:united-states", "United States", "GPE")
    assert gazetteer.lookup("NATO") == Entity("org:nato", "NATO", "ORG")
    assert fold("  The U.S.’s ") == "us"


def test_iso_codes_and_short_spellings_are_not_aliases(gazetteer: Gazetteer) -> None:
    for word in ("in", "can", "and", "per", "mann", "be"):
        assert gazetteer.lookup(word) is None, word


def test_all_names_lists_aliases_for_suggestions(gazetteer: Gazetteer) -> None:
    names = dict(gazetteer.all_names())
    assert names["Beijing"].id == "gpe:china"
    assert names["NATO"].id == "org:nato"
    assert len(names) > 500


def test_add_registers_a_new_entity(gazetteer: Gazetteer) -> None:
    local = Gazetteer(a for _, a in gazetteer.aliases())
    local.add(Entity("org:acme", "Acme Robotics", "ORG"), "Acme")
    assert local.lookup("acme robotics") == Entity("org:acme", "Acme Robotics", "ORG")
    assert gazetteer.lookup("Acme") is None


# --------------------------------------------------------------------------- mentions


def test_demonyms_capitals_and_metonyms_link_to_the_country(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Beijing rejected the report.\n\n"
        "Chinese diplomats said the Kremlin had not been consulted, and the White House "
        "declined to comment. A senior American official and two Russian envoys met in Geneva."
    )
    ms = mentions_of(nlp, gazetteer, text)
    assert linked(ms, "Beijing") == {"gpe:china"}
    assert linked(ms, "Chinese") == {"gpe:china"}
    assert linked(ms, "Kremlin") == {"gpe:russia"}
    assert linked(ms, "White House") == {"gpe:united-states"}
    assert linked(ms, "American") == {"gpe:united-states"}
    assert linked(ms, "Russian") == {"gpe:russia"}
    for m in ms:
        assert text[m.start : m.end] == m.text
    assert [m.sentence for m in ms if m.text == "Beijing"] == [0]


def test_case_matters_in_running_text(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Let us know who is coming. The WHO and the US will review the data; "
        "the fine china was a gift and we ate turkey."
    )
    ms = mentions_of(nlp, gazetteer, text)
    found = ids(ms)
    assert found["org:who"] == 1
    assert found["gpe:united-states"] == 1
    assert "gpe:china" not in found
    assert "gpe:turkey" not in found


def test_aliases_inside_longer_names_are_not_mentions(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Governor Maria Lopez of New Mexico spoke to The Washington Post about drought. "
        "Jordan Peterson was not there. Navy ships sailed through the South China Sea."
    )
    found = ids(mentions_of(nlp, gazetteer, text))
    assert "gpe:mexico" not in found
    assert "gpe:united-states" not in found
    assert "gpe:jordan" not in found
    assert "gpe:china" not in found


def test_possessives_and_acronyms_with_dots(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "China's trade surplus grew, the U.S. Treasury said, while the E.U. waited."
    ms = mentions_of(nlp, gazetteer, text)
    assert linked(ms, "China") == {"gpe:china"}
    assert "gpe:united-states" in ids(ms)
    assert "org:eu" in ids(ms)


def test_name_variants_and_titles_resolve_to_one_person(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Zelenskyy meets European leaders\n\n"
        "President Volodymyr Zelensky arrived in Brussels on Monday. Zelenskiy told reporters "
        "that talks were useful. Mr Zelensky later flew to Warsaw."
    )
    ms = mentions_of(nlp, gazetteer, text)
    people = {m.entity for m in ms if m.entity.type == "PERSON"}
    assert {p.id for p in people} == {"person:zelensky"}
    assert {p.name for p in people} == {"Volodymyr Zelensky"}
    assert ids(ms)["person:zelensky"] == 4


def test_a_surname_alone_links_to_the_full_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Health Minister Anna Kowalczyk announced a vaccine campaign on Tuesday. "
        "Kowalczyk said clinics would open in March. Critics said Kowalczyk moved too slowly."
    )
    ms = mentions_of(nlp, gazetteer, text)
    kowalczyk = [m for m in ms if m.entity.id == "person:kowalczyk"]
    assert len(kowalczyk) == 3
    assert {m.entity.name for m in kowalczyk} == {"Anna Kowalczyk"}


def test_family_name_first(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Foreign ministry spokesperson Mao Ning dismissed the report. "
        "Wang Yi, the foreign minister, travelled to Jakarta. Mao said talks would go on."
    )
    ms = mentions_of(nlp, gazetteer, text)
    assert person_id("Wang Yi") == "person:wang-yi"
    assert ids(ms)["person:wang-yi"] >= 1
    mao = [m for m in ms if m.text == "Mao"]
    assert mao and {m.entity.id for m in mao} == {ids_of_name(ms, "Mao Ning")}


def ids_of_name(ms: list[Mention], text: str) -> str:
    (entity_id,) = {m.entity.id for m in ms if m.text == text}
    return entity_id


def test_transliteration_keys() -> None:
    assert name_key("Zelenskyy") == name_key("Zelenskiy") == name_key("Zelensky")
    assert person_id("Volodymyr Zelenskyy") == person_id("President Zelensky") == "person:zelensky"
    assert person_id("Ursula von der Leyen") == "person:von-der-leyen"
    assert person_id("Vladimir V. Putin") == "person:putin"


def test_role_descriptions_link_to_the_person_introduced_with_the_role(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Kenya and Ethiopia sign water deal\n\n"
        "The foreign minister, Musalia Mudavadi, signed the agreement in Nairobi. "
        "Ethiopian Prime Minister Abiy Ahmed welcomed the deal. "
        "The foreign minister said the treaty would be ratified within a month, "
        "and the Ethiopian prime minister promised to share river data."
    )
    ms = mentions_of(nlp, gazetteer, text)
    foreign = [m for m in ms if m.text.lower() == "the foreign minister"]
    assert len(foreign) == 2
    assert {m.entity.id for m in foreign} == {"person:mudavadi"}
    prime = [m for m in ms if m.text == "the Ethiopian prime minister"]
    assert [m.entity.id for m in prime] == ["person:ahmed"]


def test_roles_with_different_qualifiers_do_not_mix(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Defence Minister Rustem Umerov and Finance Minister Serhiy Marchenko met donors. "
        "The defence minister asked for air defence systems. "
        "Later the finance minister presented the budget."
    )
    ms = mentions_of(nlp, gazetteer, text)
    by_text = {m.text.lower(): m.entity.id for m in ms if m.entity.type == "PERSON"}
    assert by_text["the defence minister"] == "person:umerov"
    assert by_text["the finance minister"] == "person:marchenko"


def test_a_role_with_no_one_introduced_is_no_mention(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The president of the club said a minister would attend. Maria Silva scored twice."
    ms = mentions_of(nlp, gazetteer, text)
    assert all(m.entity.type != "PERSON" or m.text == "Maria Silva" for m in ms)


def test_apposition_after_the_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Ian Bremmer, a political scientist, spoke first. Sandra Okafor, Nigeria's health "
        "minister, said the outbreak was contained. Nigeria's health minister added that "
        "testing would continue."
    )
    ms = mentions_of(nlp, gazetteer, text)
    roles = [m for m in ms if "minister" in m.text]
    assert roles and {m.entity.id for m in roles} == {"person:okafor"}


def test_ner_junk_is_not_an_entity(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "KEY POINTS\n\nOn Tuesday, 2,500 workers at Nvidia walked out. By April the company "
        "had lost 3 percent. Apple and Samsung said nothing on Wednesday."
    )
    ms = mentions_of(nlp, gazetteer, text)
    names = {m.entity.name.lower() for m in ms}
    assert not names & {"tuesday", "wednesday", "april", "key points", "2,500", "3 percent"}
    assert all(m.entity.name[0].isupper() for m in ms)
    assert any(m.entity.id.startswith("org:") for m in ms)


# --------------------------------------------------------------------------- salience


def test_salience_ranks_the_subject_above_a_passing_mention(nlp: Any, gazetteer: Gazetteer) -> None:
    title = "Brazil bans gold mining on Yanomami land"
    body = (
        "Brazil's government banned gold mining on indigenous land on Friday. "
        "Brazilian police said they would remove thousands of miners. "
        "The ban follows years of protests. Miners have polluted rivers across the region. "
        "Environment minister Marina Silva said Brazil would protect the forest. "
        "Officials said the operation would last months. "
        "Similar measures were tried in Peru a decade ago. "
        "Brazil plans to fund new health clinics in the area."
    )
    text = f"{title}\n\n{body}"
    (doc,) = parse(nlp, text)
    ms = find_mentions(doc, gazetteer)
    stats = entity_stats(ms, len(title), sum(1 for _ in doc.sents))
    by_id = {s.entity.id: s for s in stats}
    assert stats[0].entity.id == "gpe:brazil"
    assert by_id["gpe:brazil"].in_title and by_id["gpe:brazil"].salience > 0.8
    assert by_id["gpe:peru"].salience < 0.2
    assert by_id["gpe:peru"].mentions == 1
    assert [s.salience for s in stats] == sorted((s.salience for s in stats), reverse=True)
    assert all(0.0 <= s.salience <= 1.0 for s in stats)


def test_entity_stats_of_nothing() -> None:
    assert entity_stats([], 0, 0) == []


def test_one_name_is_one_entity_whatever_the_ner_label(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Regulators open probe into Microsoft's AI deal with OpenAI\n\n"
        "The European Commission said on Thursday it would examine Microsoft's investment "
        "in OpenAI. Sam Altman, OpenAI's chief executive, said the partnership was healthy."
    )
    ms = mentions_of(nlp, gazetteer, text)
    openai = {m.entity.id for m in ms if m.text == "OpenAI"}
    assert len(openai) == 1 and openai.pop().startswith("org:")
    assert all(m.text != "AI" for m in ms)
    assert linked(ms, "European Commission") == {"org:european-commission"}


def test_a_given_name_alone_as_subject(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Tedros Adhanom Ghebreyesus, the WHO director-general, called for a ceasefire. "
        "Tedros said hospitals in Khartoum were overwhelmed."
    )
    ms = mentions_of(nlp, gazetteer, text)
    assert linked(ms, "Tedros") == {"person:ghebreyesus"}
    assert linked(ms, "Khartoum") == {"gpe:sudan"}


def test_a_role_of_another_body_is_not_the_person(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "President Ana Costa of Brazil attended the final. "
        "The president of the football club said tickets had sold out. "
        "The Brazilian president praised the fans."
    )
    ms = mentions_of(nlp, gazetteer, text)
    roles = {m.text: m.entity.id for m in ms if m.entity.type == "PERSON"}
    assert "The president" not in roles
    assert roles["The Brazilian president"] == "person:costa"


def test_context_words_correct_ner_labels(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Fish die in the Velna river after leak\n\n"
        "Oil leaked from the Darrow Petrochem plant into the Velna river on Monday. "
        "Darrow Petrochem said the leak was contained. The mayor of Kostel, Anton Varga, "
        "closed the beaches. Boats on the Velna were told to stay in port."
    )
    ms = mentions_of(nlp, gazetteer, text)
    by_text: dict[str, set[str]] = {}
    for m in ms:
        by_text.setdefault(m.text, set()).add(m.entity.id)
    assert by_text["Velna"] == {"loc:velna"}
    assert by_text["Darrow Petrochem"] == {"org:darrow-petrochem"}
    assert by_text["Anton Varga"] == {"person:varga"}


def test_the_leader_of_a_country_is_its_head_of_state(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Kenyan President Samuel Otieno met Prime Minister Leila Haddad of Tunisia. "
        "The Tunisian leader praised the trade deal, and the Kenyan leader promised more flights."
    )
    ms = mentions_of(nlp, gazetteer, text)
    roles = {m.text: m.entity.id for m in ms if m.entity.type == "PERSON"}
    assert roles["The Tunisian leader"] == "person:haddad"
    assert roles["the Kenyan leader"] == "person:otieno"


def test_garbage_is_no_entity(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "BREAKING\n\n" + "X" * 500 + " was seen. \U0001f600 12345. UNICEF responded."
    ms = mentions_of(nlp, gazetteer, text)
    assert all(len(m.entity.name) <= 80 for m in ms)
    assert "BREAKING" not in {m.text for m in ms}


def test_a_company_s_short_name_taken_for_a_person_is_the_company(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Quorvane Labs said a power cut had stopped its servers. Quorvane said the outage "
        "lasted four hours, and Quorvane promised refunds."
    )
    ids = {m.entity.id for m in find_mentions(nlp(text), gazetteer) if "Quorvane" in m.text}
    assert ids == {"org:quorvane-labs"}
