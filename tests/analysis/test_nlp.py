"""Parsing: long texts in pieces that join back exactly; Doc.text built once."""

from __future__ import annotations

from typing import Any

from bot.analysis import nlp as nlp_mod
from bot.analysis.nlp import LONG_WORDS, parse, pieces, text_of

PARA = (
    "The harbour master, Ilse Varga, said the pier would reopen on Monday. "
    "Divers found no damage to the hull of the ferry Marlin.\n\n"
)


def long_text() -> str:
    paras = (PARA.replace("Monday", f"day {n}") for n in range(LONG_WORDS // 10))
    return "Pier reopens\n\n" + "".join(paras) + "  Tail line without a break"


def test_a_short_text_is_one_piece() -> None:
    assert pieces(PARA * 3) == [PARA * 3]


def test_a_long_text_is_cut_at_paragraph_breaks_and_joins_back() -> None:
    text = long_text()
    parts = pieces(text)
    assert len(parts) > 1
    assert "".join(parts) == text
    assert all(p.endswith("\n\n") for p in parts[:-1])


def test_a_long_text_parses_into_one_doc_with_the_offsets_of_the_whole(nlp: Any) -> None:
    text = long_text()
    short = "Officials said the road was closed."
    docs = list(parse(nlp, [short, text, short], batch_size=4))
    assert [d.text for d in docs] == [short, text, short]
    doc = docs[1]
    for tok in doc[-40:]:
        assert text[tok.idx : tok.idx + len(tok.text)] == tok.text
    assert sum(1 for e in doc.ents if e.text == "Ilse Varga") >= LONG_WORDS // 10 - 2


def test_text_of_builds_the_text_once(nlp: Any) -> None:
    doc = nlp("The minister said the talks would resume.")
    assert text_of(doc) == doc.text
    doc.user_data[nlp_mod._TEXT_KEY] = "cached"
    assert text_of(doc) == "cached"


def test_a_blank_line_starts_a_sentence(nlp: Any) -> None:
    doc = nlp(
        "Harbour reopens as storm damage is cleared\n\n"
        "More than 30 boats were repaired, port officials said on Monday."
    )
    starts = [s.text.strip() for s in doc.sents]
    assert starts[0] == "Harbour reopens as storm damage is cleared"
    assert starts[1].startswith("More than 30 boats")
