"""Attributed-claim extraction on sentences written for these tests (real spaCy model).

Run as a script to print the claims of articles for eyeballing::

    .venv/bin/python -m tests.analysis.test_claims ../shared/seeds
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.analysis.aliases import Gazetteer
from bot.analysis.claims import extract_claims, quote_spans
from bot.analysis.entities import find_mentions
from bot.models import Claim, Stance

OUTLET = "Harbour Wire"


def claims_of(
    nlp: Any, gazetteer: Gazetteer, text: str, outlet: str | None = OUTLET
) -> list[Claim]:
    (doc,) = list(nlp.pipe([text], batch_size=8))
    return extract_claims(doc, find_mentions(doc, gazetteer), outlet)


def one(claims: list[Claim], speaker: str) -> Claim:
    found = [c for c in claims if re.search(speaker, c.speaker, re.I)]
    assert found, f"no claim by {speaker!r} in {[(c.speaker, c.text) for c in claims]}"
    return found[0]


def check(
    claim: Claim,
    *,
    has: tuple[str, ...] = (),
    lacks: tuple[str, ...] = (),
    stance: Stance = Stance.ASSERT,
    direct: bool | None = None,
) -> None:
    for part in has:
        assert part.lower() in claim.text.lower(), (part, claim.text)
    for part in lacks:
        assert part.lower() not in claim.text.lower(), (part, claim.text)
    assert claim.stance is stance, (claim.stance, claim.text)
    if direct is not None:
        assert claim.direct is direct, claim


# --------------------------------------------------------------------------- reported speech


def test_said_that(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The health minister, Amelia Ortiz, said on Monday that 42 patients had been admitted "
        "to hospital with the virus."
    )
    c = one(claims_of(nlp, gazetteer, text), "Ortiz")
    check(c, has=("42 patients had been admitted",), lacks=("said", "Ortiz"), direct=False)
    assert c.cue == "said"
    assert c.numbers == (42.0,)


def test_told_reporters(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Police chief Daniel Moreau told reporters the suspect had fled across the border."
    c = one(claims_of(nlp, gazetteer, text), "Moreau")
    check(c, has=("the suspect had fled across the border",), lacks=("reporters",), direct=False)
    assert c.cue == "told reporters"


def test_wrote_on_social_media(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The company's founder, Lena Fischer, wrote on social media that the outage was caused "
        "by a faulty software update."
    )
    c = one(claims_of(nlp, gazetteer, text), "Fischer")
    check(c, has=("the outage was caused by a faulty software update",), lacks=("wrote",))
    assert c.cue == "wrote on social media"


def test_has_claimed_that(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Iran has claimed that its navy intercepted three foreign drones over the Gulf."
    c = one(claims_of(nlp, gazetteer, text), "Iran")
    check(c, has=("its navy intercepted three foreign drones",), lacks=("claimed",))
    assert c.speaker_id == "gpe:iran"
    assert c.numbers == (3.0,)


# --------------------------------------------------------------------------- direct quotes


def test_quote_before_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Prime Minister Karim Haddad spoke after the vote.\n\n"
        "“We will not negotiate under threat,” Haddad said."
    )
    c = one(claims_of(nlp, gazetteer, text), "Haddad")
    check(c, has=("We will not negotiate under threat",), lacks=("said",), direct=True)


def test_quote_after_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Karim Haddad said: “The border will stay closed until the talks resume.”"
    c = one(claims_of(nlp, gazetteer, text), "Haddad")
    check(c, has=("border will stay closed until the talks resume",), direct=True)
    assert "“" not in c.text and "said" not in c.text


def test_quote_inverted_cue(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "“The reactor is stable and there is no leak,” said Yuki Tanaka, the plant's manager."
    c = one(claims_of(nlp, gazetteer, text), "Tanaka")
    check(c, has=("reactor is stable", "no leak"), lacks=("plant's manager",), direct=True)


def test_multi_sentence_quote(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "“The vaccine is safe. We have tested it on forty thousand volunteers. There were no "
        "serious side effects,” said Maria Lopez, the agency's director."
    )
    claims = claims_of(nlp, gazetteer, text)
    c = one(claims, "Lopez")
    check(c, has=("The vaccine is safe", "forty thousand volunteers", "no serious side effects"))
    assert c.direct
    assert c.numbers == (40000.0,)
    assert len(claims) == 1


def test_quote_over_paragraphs(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Shipyard to close\n\n"
        "The chief executive, Tom Rees, said: “The yard will close in June and about 1,200 jobs "
        "will go.\n\n"
        "“We tried every option to save it, and none of them worked.”"
    )
    c = one(claims_of(nlp, gazetteer, text), "Rees")
    check(c, has=("close in June", "none of them worked"), direct=True)
    assert 1200.0 in c.numbers


def test_unattributed_quote_paragraph_continues_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Anna Berg said the river would peak on Thursday night.\n\n"
        "“Everyone in the low streets must leave their homes before dark.”"
    )
    claims = claims_of(nlp, gazetteer, text)
    assert [c.speaker for c in claims] == ["Anna Berg", "Anna Berg"]
    check(claims[1], has=("must leave their homes",), direct=True)


def test_mixed_quote_is_indirect(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Ortiz said the hospitals were “close to breaking point” after the weekend."
    c = one(claims_of(nlp, gazetteer, text), "Ortiz")
    check(c, has=("close to breaking point",), direct=False)


def test_two_attributions_in_one_sentence(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Police said two men had been arrested, while the mayor warned that more could follow."
    claims = claims_of(nlp, gazetteer, text)
    check(one(claims, "Police"), has=("two men had been arrested",), lacks=("mayor",))
    check(one(claims, "mayor"), has=("more could follow",))


def test_passive_cue_with_agent(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The allegations were rejected by the Kremlin on Tuesday."
    c = one(claims_of(nlp, gazetteer, text), "Kremlin|Russia")
    check(c, has=("allegations",), stance=Stance.DENY)


# --------------------------------------------------------------------------- nominal cues


def test_according_to(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "According to the fire brigade, the blaze started in a kitchen on the third floor."
    c = one(claims_of(nlp, gazetteer, text), "fire brigade")
    check(c, has=("the blaze started in a kitchen",), lacks=("according",))
    assert c.cue == "according to"


def test_colon_after_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Trade talks\n\nKarim Haddad: “We are ready to sign the agreement tomorrow.”"
    c = one(claims_of(nlp, gazetteer, text), "Haddad")
    check(c, has=("ready to sign the agreement",), direct=True)
    assert c.cue == ":"


def test_colon_with_single_quotes(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Trade talks\n\nKarim Haddad: 'We are ready to sign the agreement tomorrow.'"
    c = one(claims_of(nlp, gazetteer, text), "Haddad")
    check(c, has=("ready to sign the agreement",), direct=True)


def test_british_single_quotes(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "‘The workers’ union will not accept this offer,’ said Maria Lopez, the union’s leader."
    c = one(claims_of(nlp, gazetteer, text), "Lopez")
    check(c, has=("will not accept this offer",), lacks=("leader",), direct=True)


def test_transcript_line(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Evening news\n\n"
        "ANCHOR: Good evening.\n\n"
        "ORTIZ: The number of new infections has fallen for the third week in a row."
    )
    c = one(claims_of(nlp, gazetteer, text), "Ortiz")
    check(c, has=("number of new infections has fallen",))


def test_in_a_statement(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "In a statement on Tuesday, the Red Cross appealed for safe passage for the aid convoy."
    c = one(claims_of(nlp, gazetteer, text), "Red Cross")
    check(c, has=("appealed for safe passage for the aid convoy",), lacks=("statement",))
    assert c.cue.startswith("In a statement")


# --------------------------------------------------------------------------- relays, datelines


def test_agency_that_relays_is_not_the_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "“The talks were constructive,” Karim Haddad said, according to Reuters."
    claims = claims_of(nlp, gazetteer, text)
    assert [c.speaker for c in claims] == ["Karim Haddad"]
    check(claims[0], has=("talks were constructive",), lacks=("Reuters",), direct=True)


def test_agency_has_reported(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Mayor Ivan Petrenko says four people were injured in the shelling of the market, "
        "the news agency Ukrinform has reported."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert {c.speaker for c in claims} == {"Ivan Petrenko"}
    check(claims[0], has=("four people were injured",), lacks=("Ukrinform",))


def test_subject_hung_on_a_dateline(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Floods\n\nVALMORA, Portugal — Portugal's interior minister, Rui Sequeira, said on "
        "Sunday that 600 soldiers had been sent to help evacuate residents."
    )
    c = one(claims_of(nlp, gazetteer, text), "Sequeira")
    check(c, has=("600 soldiers had been sent",), lacks=("VALMORA",))


def test_dateline_is_never_a_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "GENEVA (Reuters) - The World Health Organization said the outbreak in the north was "
        "under control.\n\nSEOUL: Officials said the missile flew about 800 km."
    )
    claims = claims_of(nlp, gazetteer, text)
    speakers = [c.speaker for c in claims]
    assert not any(re.search(r"geneva|seoul|reuters", s, re.I) for s in speakers), speakers
    check(one(claims, "World Health|WHO"), has=("outbreak in the north was under control",))
    check(one(claims, "Officials"), has=("the missile flew about 800 km",))


def test_live_blog_stamps_are_never_speakers(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Live: port strike\n\n"
        "08:20 - The death toll now stands at nine, Governor Ana Sousa said in a briefing.\n\n"
        "Update, 14:05: The WHO says it is sending 12 epidemiologists to the port."
    )
    claims = claims_of(nlp, gazetteer, text)
    speakers = [c.speaker for c in claims]
    assert not any(re.search(r"live|update|08|14", s, re.I) for s in speakers), speakers
    check(one(claims, "Sousa"), has=("death toll now stands at nine",), lacks=("08:20",))
    check(one(claims, "World Health|WHO"), has=("sending 12 epidemiologists",))


def test_clause_before_the_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Cholera outbreak\n\n"
        "A cholera outbreak in the district has killed six people and infected at least 140 "
        "since September, the national disease agency said on Tuesday."
    )
    c = one(claims_of(nlp, gazetteer, text), "agency")
    check(c, has=("killed six people", "at least 140"), lacks=("said",))


# --------------------------------------------------------------------------- voices and tenses


def test_it_was_claimed(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "It was claimed that the minister had accepted gifts from the contractor."
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 1
    check(claims[0], has=("the minister had accepted gifts",), lacks=("claimed",))
    assert claims[0].speaker == OUTLET


def test_quoted_as_saying(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Two senior officials were quoted as saying that the deal had collapsed overnight."
    c = one(claims_of(nlp, gazetteer, text), "officials")
    check(c, has=("the deal had collapsed overnight",), lacks=("quoted",))
    assert c.cue == "quoted as saying"


# --------------------------------------------------------------------------- speakers


def test_role_apposition_gives_the_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "A spokesperson for Germany's foreign ministry, Clara Weiss, said the embassy would "
        "reopen next week."
    )
    c = one(claims_of(nlp, gazetteer, text), ".")
    assert c.speaker == "Clara Weiss"
    check(c, has=("the embassy would reopen next week",), lacks=("spokesperson",))
    assert "gpe:germany" not in c.entities or c.speaker_id != "gpe:germany"


def test_role_phrase_teaches_the_side(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "A spokesperson for Peru's foreign ministry, Rosa Quispe, said the border was calm."
    c = one(claims_of(nlp, gazetteer, text), "Quispe")
    assert c.speaker_id is not None
    assert c.speaker_side == "gpe:peru"


def test_a_role_met_before_the_claim_gives_the_side(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Orvando's chief executive, Lucia Ferrant, visited the flooded warehouse on Monday.\n\n"
        "Ferrant said the stock would be replaced within a month."
    )
    c = one(claims_of(nlp, gazetteer, text), "Ferrant")
    assert c.speaker_side is not None and c.speaker_side != c.speaker_id


def test_place_as_speaker(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Beijing dismissed the report as a fabrication."
    c = one(claims_of(nlp, gazetteer, text), "China|Beijing")
    assert c.speaker_id == "gpe:china"
    check(c, has=("the report",), stance=Stance.DENY)


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # a speaker linked to an entity is shown by the entity's name
        (
            "The Kremlin said the exercise had been planned months ago.",
            "Kremlin|Russia",
            "exercise",
        ),
        (
            "The State Department called the verdict deeply troubling.",
            "State Department|United States",
            "verdict deeply troubling",
        ),
        (
            "Chinese officials said the shipment contained only farm machinery.",
            "Chinese officials|China",
            "only farm machinery",
        ),
    ],
)
def test_institutions_as_speakers(
    nlp: Any, gazetteer: Gazetteer, text: str, speaker: str, content: str
) -> None:
    c = one(claims_of(nlp, gazetteer, text), speaker)
    check(c, has=(content,))


def test_pronoun_resolves_to_speaker_outside_quotes(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Interior minister Paolo Conti visited the flooded town on Friday.\n\n"
        "Conti said: “I spoke with Mayor Anna Berg this morning.”\n\n"
        "He said the army would send 300 soldiers to help.\n\n"
        "“The damage is enormous,” he added."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert [c.speaker for c in claims] == ["Paolo Conti"] * 3
    check(claims[1], has=("army would send 300 soldiers",))
    check(claims[2], has=("The damage is enormous",), direct=True)


def test_pronoun_prefers_the_person_just_named(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "A local lawmaker, Bola Adeyemi, said the pipes had been broken for a year.\n\n"
        "The first doses have arrived, the health minister, Amara Okoye, confirmed this morning. "
        "She said vaccination would start on Thursday."
    )
    claims = claims_of(nlp, gazetteer, text)
    c = one(claims, "Okoye|Adeyemi")
    assert [x.speaker for x in claims if "vaccination" in x.text] == ["Amara Okoye"], claims
    assert c.speaker == "Bola Adeyemi"


def test_definite_role_refers_back(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Hospital director Omar Nasser said the wards were full.\n\n"
        "The director added that twelve nurses had resigned this month."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert [c.speaker for c in claims] == ["Omar Nasser", "Omar Nasser"]


def test_unnamed_spokesperson_speaks_for_the_organisation(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The health ministry denied any shortage of vaccine.\n\n"
        "“There is no shortage anywhere in the state,” a spokesperson said."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 2
    assert claims[1].speaker == claims[0].speaker
    assert claims[0].stance is Stance.DENY


def test_told_an_outlet(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Nadia Farouk told the BBC that vaccination rates had fallen below 60%."
    c = one(claims_of(nlp, gazetteer, text), "Farouk")
    assert c.cue == "told the BBC"
    check(c, has=("fallen below 60%",), lacks=("BBC",))
    assert c.numbers == (60.0,)


def test_they_refers_to_an_organisation(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The airline union said pilots would strike on Monday.\n\n"
        "They said talks with management had failed."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 2
    assert claims[1].speaker == claims[0].speaker


# --------------------------------------------------------------------------- stance


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        ("The company denied that customer data had been sold.", "company", "customer data"),
        (
            "The ministry dismissed claims that the dam was leaking.",
            "ministry",
            "the dam was leaking",
        ),
        ("Officials rejected the allegations of fraud.", "Officials", "allegations"),
        (
            "The embassy called the reports totally unfounded.",
            "embassy",
            "reports totally unfounded",
        ),
        (
            "A spokesman said the accusations had no basis in facts.",
            "spokesman",
            "no basis in facts",
        ),
    ],
)
def test_denials(nlp: Any, gazetteer: Gazetteer, text: str, speaker: str, content: str) -> None:
    c = one(claims_of(nlp, gazetteer, text), speaker)
    check(c, has=(content,), stance=Stance.DENY)


def test_deny_lifts_the_denied_proposition(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The ministry dismissed claims that the dam was leaking."
    c = one(claims_of(nlp, gazetteer, text), "ministry")
    assert c.text.startswith("the dam was leaking")


def test_headline_cue_taken_for_an_auxiliary(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Corvin Agrochem rejects claim it hid Sorna leak for days\n\nThe plant was closed."
    claims = claims_of(nlp, gazetteer, text)
    c = one(claims, "Corvin")
    check(c, has=("hid Sorna leak",), stance=Stance.DENY)


def test_confirm(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The airline confirmed that flight 204 had been diverted to Lisbon."
    c = one(claims_of(nlp, gazetteer, text), "airline")
    check(c, has=("had been diverted to Lisbon",), stance=Stance.CONFIRM)


def test_question(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Opposition leaders questioned whether the census figures were accurate."
    c = one(claims_of(nlp, gazetteer, text), "Opposition")
    check(c, has=("census figures were accurate",), stance=Stance.QUESTION)


def test_modal_cue_is_not_an_assertion(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "Moscow may claim the drones were launched from Ukrainian territory."
    claims = claims_of(nlp, gazetteer, text)
    assert all(c.stance is not Stance.ASSERT for c in claims), claims


def test_negated_cue_is_dropped(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The finance minister did not say whether income tax would rise next year."
    assert claims_of(nlp, gazetteer, text) == []


def test_declined_to_comment_is_dropped(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The embassy declined to confirm the report."
    assert claims_of(nlp, gazetteer, text) == []


# --------------------------------------------------------------------------- lexicon


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Kenya accused the rebel group of recruiting child soldiers.",
            "Kenya",
            "recruiting child soldiers",
        ),
        ("The mayor blamed the flooding on blocked drains.", "mayor", "blocked drains"),
        (
            "The regulator labelled the merger a threat to competition.",
            "regulator",
            "a threat to competition",
        ),
        ("The WHO warned that cases could double within a month.", "WHO|World", "cases could"),
        ("The coach insisted that the team was ready for the final.", "coach", "team was ready"),
        (
            "The central bank acknowledged that inflation had been underestimated.",
            "bank",
            "inflation had been underestimated",
        ),
        (
            "Engineers revealed that the bridge had been closed twice before.",
            "Engineers",
            "bridge had been closed",
        ),
        (
            "The prosecutor alleged that the firm had hidden losses for years.",
            "prosecutor",
            "hidden losses",
        ),
        (
            "The union stressed that no agreement had been reached.",
            "union",
            "no agreement had been reached",
        ),
        (
            "The minister assured parliament that the reserves would last the winter.",
            "minister",
            "reserves would last",
        ),
        (
            "Scientists noted that the glacier had retreated by 40 metres.",
            "Scientists",
            "glacier had retreated",
        ),
        (
            "The governor declared that the state of emergency was over.",
            "governor",
            "state of emergency was over",
        ),
        (
            "Analysts argue that the tariffs will raise prices for consumers.",
            "Analysts",
            "tariffs will raise prices",
        ),
        (
            "The regulator maintained that the approval process had been rigorous.",
            "regulator",
            "approval process had been rigorous",
        ),
    ],
)
def test_cue_lexicon(nlp: Any, gazetteer: Gazetteer, text: str, speaker: str, content: str) -> None:
    c = one(claims_of(nlp, gazetteer, text), speaker)
    assert content.lower() in c.text.lower(), c.text
    assert c.stance in (Stance.ASSERT, Stance.CONFIRM), c


def test_puts_a_figure_at(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "The terminal's director, Andriy Koval, now puts the loss at nearly 60,000 tonnes. "
        "He put his coat on the chair."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 1
    check(one(claims, "Koval"), has=("the loss at nearly 60,000 tonnes",))
    assert claims[0].numbers == (60000.0,)


def test_repeated_its_claim_that(nlp: Any, gazetteer: Gazetteer) -> None:
    text = "The defence ministry has repeated its claim that the site was a weapons depot."
    c = one(claims_of(nlp, gazetteer, text), "ministry")
    assert c.text == "the site was a weapons depot"


# --------------------------------------------------------------------------- outlet facts


def test_unattributed_figure_is_the_outlets(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Bus crash\n\nAt least 12 people were killed when a bus overturned near the capital. "
        "The town is known for its wine."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 1
    assert claims[0].speaker == OUTLET and claims[0].cue == "reported"
    assert claims[0].numbers == (12.0,)


# --------------------------------------------------------------------------- shape


def test_text_order_sentences_and_entities(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "Ceasefire talks\n\n"
        "Ukraine's foreign minister said Russia had violated the truce overnight. "
        "The Kremlin denied that its forces had fired first."
    )
    claims = claims_of(nlp, gazetteer, text)
    assert len(claims) == 2
    assert claims[0].sentence < claims[1].sentence
    assert "gpe:russia" in claims[0].entities
    assert claims[1].stance is Stance.DENY
    for c in claims:
        assert c.speaker_id is None or c.speaker_id not in c.entities


def test_quote_spans_join_paragraphs() -> None:
    text = "He said: “One.\n\n“Two.” Then “three”."
    spans = quote_spans(text)
    assert text[spans[0][0] : spans[0][1]].startswith("One.")
    assert "Two." in text[spans[0][0] : spans[0][1]]
    assert text[spans[1][0] : spans[1][1]] == "three"


def test_empty_text(nlp: Any, gazetteer: Gazetteer) -> None:
    assert claims_of(nlp, gazetteer, "") == []


# --------------------------------------------------------------------------- script


def _read_article(path: Path) -> tuple[str, str]:
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s*", "", raw)
    header = re.match(r"((?:[a-z]+: .*\n)+)\n", raw)
    if header:
        fields = dict(line.split(": ", 1) for line in header.group(1).splitlines())
        return fields.get("title", ""), raw[header.end() :].strip()
    lines = raw.strip().split("\n")
    return lines[0].strip(), "\n".join(lines[1:]).strip()


def main(args: list[str]) -> None:  # pragma: no cover - a helper for eyeballing
    from bot.analysis.aliases import default_gazetteer
    from bot.analysis.nlp import load

    paths: list[Path] = []
    for arg in args or ["../shared/seeds"]:
        p = Path(arg)
        paths.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    nlp = load("en_core_web_sm")
    gazetteer = default_gazetteer()
    texts = ["\n\n".join(_read_article(p)) for p in paths]
    for path, doc in zip(paths, nlp.pipe(texts, batch_size=8), strict=True):
        print(f"===== {path.name}")
        for c in extract_claims(doc, find_mentions(doc, gazetteer), path.stem):
            tag = "D" if c.direct else "I"
            print(f"[{c.sentence}] {c.speaker} ({c.speaker_id}) {c.cue!r} {c.stance} {tag}")
            print(f"      {c.text}  {list(c.numbers) or ''}")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])


def test_a_group_calling_itself_a_name_is_that_name(nlp: Any, gazetteer: Gazetteer) -> None:
    text = (
        "A group calling itself Redwater claimed on a forum that it had copied the payroll "
        "files of Tellmark Logistics."
    )
    c = one(claims_of(nlp, gazetteer, text), "Redwater")
    check(c, has=("copied the payroll files",))


def test_a_chief_executive_named_without_a_company_speaks_for_the_story_s_company(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Brellow Systems said on Tuesday that its payment terminals had failed across "
        "three countries.\n\n"
        "Brellow Systems blamed a faulty software update. Chief executive Odile Marchand said "
        "the terminals would be working again by Friday."
    )
    c = one(claims_of(nlp, gazetteer, text), "Marchand")
    company = one(claims_of(nlp, gazetteer, text), "Brellow")
    assert company.speaker_id is not None
    assert c.speaker_side == company.speaker_id


def test_a_headline_without_a_full_stop_is_not_part_of_the_lead(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Ferry operator pays out as strike enters third week\n\n"
        "More than 300 sailings have now been cancelled, port officials said on Friday, "
        "as the union rejected a new offer."
    )
    c = one(claims_of(nlp, gazetteer, text), "port officials")
    check(c, has=("More than 300 sailings have now been cancelled",), lacks=("union",))


def test_the_company_is_the_organisation_that_acts_not_a_name_used_as_a_modifier(
    nlp: Any, gazetteer: Gazetteer
) -> None:
    text = (
        "Hackers calling themselves Ashfall said they had copied the records of Brellow "
        "Systems.\n\n"
        "Brellow Systems has now responded to the Ashfall post. The company denied that any "
        "card numbers were copied."
    )
    c = one(claims_of(nlp, gazetteer, text), "Brellow")
    check(c, has=("card numbers were copied",), stance=Stance.DENY)
