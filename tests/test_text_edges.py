"""Story text at the edges (issue 11, finding 9): bidi controls and zero-width
characters never reach a chat; Slack mrkdwn formatting characters in story
text show literally; UTF-16 files are read; the README says how the
PostgreSQL half of the tests is switched on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.adapters.slack import escape, render_alert, render_span
from bot.ingest.files import read_stories
from bot.ingest.text import INVISIBLE, strip_invisible
from bot.models import Span, Story
from bot.runtime import Services
from tests.conftest import ROOT
from tests.fakes.chat import FakeAdapter, FakeChat

SPOOFED_TITLE = "Bul\u200bgaria \u202eSEIRDNUOB\u202c closes a border\u2066 crossing\u2069"
SPOOFED_BODY = (
    "Bulgaria closed a border crossing near Sorna on Tuesday, officials said.\u200f "
    "The \u200dministry\u2060 said the \ufeffspill had been contained\u061c."
)


def test_invisible_controls_are_stripped_and_joiners_inside_scripts_kept() -> None:
    assert strip_invisible(SPOOFED_TITLE) == "Bulgaria SEIRDNUOB closes a border crossing"
    assert not INVISIBLE.search(strip_invisible(SPOOFED_BODY))
    assert strip_invisible("👩\u200d💻 coder") == "👩\u200d💻 coder"  # an emoji sequence
    assert strip_invisible("می\u200cخواهم") == "می\u200cخواهم"  # Persian needs ZWNJ
    assert strip_invisible("plain text") == "plain text"


async def test_a_spoofed_story_reaches_the_chat_without_invisible_characters(
    services: Services, fake_adapter: FakeAdapter
) -> None:
    chat = FakeChat(services.router)
    await chat.say("/watch bulgaria")
    story = Story("spoof", SPOOFED_TITLE, SPOOFED_BODY, outlet="Wire\u200b\u202e")
    outcome = await services.pipeline.process(story)
    await services.dispatcher.drain()
    [sent] = fake_adapter.alerts_for("c1")
    assert sent.alert is not None
    shown = " ".join(
        [sent.text, sent.alert.story_title, sent.alert.event_title]
        + [c.text + c.speaker for c in sent.alert.claims]
        + [link.label for link in sent.alert.links]
    )
    assert not INVISIBLE.search(shown), repr(shown)
    assert "Bulgaria SEIRDNUOB" in shown
    assert outcome.story.outlet == "Wire"


# ------------------------------------------------------------------- Slack mrkdwn

ZW = "\u200b"


def assert_no_formatting(rendered: str, original: str) -> None:
    """Every ``* _ ~ ` `` of ``original`` shows literally: it sits between two
    letters or digits (where Slack never formats) or between zero-width spaces."""
    visible = rendered.replace(ZW, "").replace("&lt;", "<").replace("&gt;", ">")
    assert visible.replace("&amp;", "&") == original
    for m in re.finditer(r"[*_~`]", rendered):
        before = rendered[m.start() - 1] if m.start() else ""
        after = rendered[m.end()] if m.end() < len(rendered) else ""
        inside_word = before.isalnum() and after.isalnum()
        assert inside_word or (before == ZW and after == ZW), (rendered, m.start())


@pytest.mark.parametrize(
    "text",
    [
        "*bold* and _italic_ and ~struck~ and `code`",
        "a *claim* that _must_ not ~format~",
        "``` fenced ```",
        "snake_case and 2*3 stay as they are",
        "*",
        "_leading",
        "trailing~",
    ],
)
def test_slack_shows_formatting_characters_literally(text: str) -> None:
    assert_no_formatting(escape(text), text)
    assert_no_formatting(render_span(Span(text)), text)


def test_our_own_bold_still_formats() -> None:
    out = render_span(Span("Zelensky *said*", bold=True))
    assert out.startswith("*Zel") and out.endswith("*")  # our markers, not escaped


def test_a_slack_alert_shows_story_markup_literally() -> None:
    from bot.models import AlertClaim
    from tests.adapters.test_slack import make_alert

    claim = AlertClaim("c1", "~Minister~", "costs *rose* by _half_, see `x`", "NEW")
    alert = make_alert(claims=(claim,))
    _, blocks = render_alert(alert)
    section = next(b for b in blocks if b["type"] == "section" and "rose" in b["text"]["text"])
    text = section["text"]["text"]
    body = text.split(" — ", 1)[1].rsplit(" `", 1)[0]
    assert_no_formatting(body, "costs *rose* by _half_, see `x`")
    speaker = text.split(" — ", 1)[0]
    assert speaker.startswith("*") and speaker.endswith("*")
    assert_no_formatting(speaker[1:-1], "~Minister~")


# ------------------------------------------------------------------------ files


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_with_a_byte_order_mark_are_read(
    tmp_path: Path, encoding: str
) -> None:
    import codecs

    bom = {
        "utf-16": b"",
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32": b"",
    }[encoding]
    text = "title: Киев и Sorna\ndate: 2025-04-09\n\nOfficials said the spill — “contained”.\n"
    path = tmp_path / "story.txt"
    path.write_bytes(bom + text.encode(encoding))
    [story] = list(read_stories([path]))
    assert isinstance(story, Story), story
    assert story.title == "Киев и Sorna" and story.body == "Officials said the spill — “contained”."


def test_a_file_with_nul_bytes_and_no_byte_order_mark_is_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01\x02binary")
    [problem] = list(read_stories([path]))
    assert not isinstance(problem, Story) and "binary" in problem.reason


def test_the_readme_says_how_to_run_the_postgresql_half_of_the_tests() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CLAIMWATCH_TEST_POSTGRES_DSN" in readme
    assert "CLAIMWATCH_TEST_POSTGRES_DSN" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
