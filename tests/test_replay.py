"""End to end: `claimwatch replay` and `claimwatch demo` on our sample stories,
and the seed articles when ../shared is present."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from tests.conftest import ROOT, SHARED

EXAMPLES = ROOT / "examples"
SEEDS = SHARED / "seeds"


def replay(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert main(["replay", *args, "--json"]) == 0
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_replay_examples_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    stories = replay(capsys, str(EXAMPLES), "--watch", "bulgaria")
    assert [Path(s["source"]).name[:2] for s in stories] == ["01", "02", "03", "04", "05", "06"]
    for s in stories:
        assert set(s) >= {
            "source",
            "title",
            "published",
            "event_id",
            "duplicate_of",
            "entities",
            "claims",
            "alerts",
        }
        for c in s["claims"]:
            assert c["novelty"] in {"new", "update", "contradiction", "repeat"}
            assert c["stance"] in {"assert", "deny", "confirm", "question"}
            assert isinstance(c["numbers"], list) and isinstance(c["direct"], bool)
            if c["novelty"] != "new":
                assert c["matches"], c
        assert len(s["alerts"]) <= 1  # one chat watches: at most one alert per story
    spill = {s["event_id"] for s in stories[:5]}
    assert len(spill) == 1, "the five spill stories are one event"
    assert stories[5]["event_id"] not in spill, "the grain-fee story is another event"
    first = stories[0]
    assert "Bulgaria" in {e["name"] for e in first["entities"]}
    assert first["alerts"] and first["alerts"][0]["links"] == [
        "https://harbourwire.example/2026/03/10/sorna-river-chemical-leak"
    ]
    assert "New event" in first["alerts"][0]["text"]
    # the figure grows from 40 to more than 120: an update, told as such
    updates = [c for s in stories[1:5] for c in s["claims"] if c["novelty"] == "update"]
    assert updates, "an evolving figure is reported as an update"
    # the company's rejection of the cover-up claim is a denial
    denials = [c for c in stories[3]["claims"] if c["stance"] == "deny"]
    assert denials and any("Corvin" in c["speaker"] for c in denials)


def test_re_ingesting_a_story_alerts_nobody(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    for f in sorted(EXAMPLES.glob("0[1-3]*.txt")):
        shutil.copy(f, folder / f.name)
    shutil.copy(EXAMPLES / "02_danubedaily_sorna_border.txt", folder / "04_copy_of_02.txt")
    stories = replay(capsys, str(folder), "--watch", "bulgaria")
    copy = stories[-1]
    assert copy["alerts"] == []
    assert copy["duplicate_of"] is not None and copy["duplicate_of"].endswith(
        "02_danubedaily_sorna_border.txt"
    )


def test_demo_runs_the_whole_pipeline_and_ends(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "── alert for console:demo" in out
    assert "Claims about Bulgaria, newest event first" in out
    assert "https://harbourwire.example/" in out


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent")
def test_seeds_one_event_at_most_one_alert_each(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    shutil.copy(SEEDS / "003_705f04b35cc6ed48.txt", folder / "005_copy_of_003.txt")
    stories = replay(capsys, str(folder), "--watch", "china")
    assert len(stories) == 6
    assert len({s["event_id"] for s in stories[:5]}) == 1
    assert all(len(s["alerts"]) <= 1 for s in stories)
    assert stories[0]["alerts"], "the first story of the event alerts the China watch"
    assert stories[5]["alerts"] == [] and stories[5]["duplicate_of"]
    for s in stories[:5]:
        assert {"China", "Ukraine", "Russia"} <= {e["name"] for e in s["entities"]}
