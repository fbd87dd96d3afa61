"""The claims alerts show, scored against a gold annotation: the share of the
lines a reader sees that are real claims with the right speaker.

    .venv/bin/python bench/alert_claims.py --gold ../shared/eval/real/gold.json \\
        --order ../shared/eval/real/order.txt
    .venv/bin/python bench/alert_claims.py --gold ../shared/eval/seeds_gold.json \\
        --watch china ../shared/seeds
    .venv/bin/python bench/alert_claims.py --gold dev/gold.json dev/articles

It runs ``claimwatch replay PATH... --json`` with watches in one chat (as a
user who follows the story would have them) and takes, from every alert, the
claim lines it shows (``alerts[].claims``: the speaker and the text as the
alert prints them, a denial as "denied that …"). A line is *right* when it
matches a gold claim by the shared scorer's own rule (``matches`` of
``../shared/eval/score.py``, imported, not copied: the gold speaker pattern on
the speaker, every keyword on the text). The gold files list only some of the
real claims, so a line it does not match is not always wrong: the report
prints each one, and counts apart the lines whose speaker alone is the
speaker of a gold claim of the same story.

Watches: ``--watch NAME`` (repeatable); without any, a first replay picks them
(the most salient entity of every story, as the reader of that story would
watch it) and a second replay runs with them.

It also counts *developments*: the fresh denials (one per side and story)
and updated figures of every story that alerted, and how many of them its
alert shows (choosing what to show must not drop them).

``--pred FILE`` scores the JSON lines of an earlier replay with watches
instead of running one. ``--min-share X`` exits 1 below X.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FRESH = {"new", "update", "contradiction"}


def load_scorer(path: Path) -> ModuleType:
    """The shared scorer as a module, for its ``matches`` and ``article_key``."""
    spec = importlib.util.spec_from_file_location("shared_score", path)
    if spec is None or spec.loader is None:
        sys.exit(f"alert_claims: cannot load the scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def replay(claimwatch: str, paths: list[str], watches: list[str]) -> list[dict[str, Any]]:
    cmd = [claimwatch, "replay", *paths, "--json"]
    for w in watches:
        cmd += ["--watch", w]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"alert_claims: the replay failed ({run.returncode}):\n{run.stderr[-2000:]}")
    return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


def top_entities(stories: list[dict[str, Any]]) -> list[str]:
    """The most salient entity of every story, each once, in order."""
    out: list[str] = []
    for s in stories:
        ents = sorted(s.get("entities") or [], key=lambda e: -float(e.get("salience", 0)))
        if ents and ents[0]["name"] not in out:
            out.append(ents[0]["name"])
    return out


def development(claim: dict[str, Any]) -> str | None:
    """The alert tag of a fresh denial or updated figure, else None."""
    novelty = str(claim.get("novelty") or "")
    if novelty not in FRESH:
        return None
    if novelty == "contradiction" or claim.get("stance") == "deny":
        return "DENIAL"
    return "UPDATE" if novelty == "update" else None


def score(
    stories: list[dict[str, Any]], gold: dict[str, Any], scorer: ModuleType, verbose: bool
) -> dict[str, Any]:
    speakers = gold["speakers"]
    keys = sorted(
        {k for c in gold["claims"] for k in c["seen"]}
        | {k for g in gold.get("event_groups", []) for k in g}
    )
    lines = right = alerts = voiced = 0
    dev_all = dev_shown = 0
    for story in stories:
        shown_ids: set[str] = set()
        key = scorer.article_key(str(story.get("source", "")), keys) or story.get("source")
        for alert in story.get("alerts") or []:
            alerts += 1
            if verbose:
                print(f"{key} · watch {alert.get('watch')}")
            for line in alert.get("claims") or []:
                lines += 1
                shown_ids.add(str(line.get("id")))
                claim = {"speaker": line.get("speaker"), "text": line.get("text")}
                hit = next((g for g in gold["claims"] if scorer.matches(claim, g, speakers)), None)
                right += hit is not None
                # the speaker alone: a speaker the gold gives to a claim of this story
                here = [g for g in gold["claims"] if key in g["seen"]]
                speaker = str(line.get("speaker") or "")
                voiced += any(re.search(speakers[g["speaker"]], speaker, re.I) for g in here)
                if verbose:
                    mark = f"ok {hit['id']}" if hit else "--"
                    shown = f"[{line.get('tag')}] {line.get('speaker')} — {line.get('text')}"
                    print(f"  {mark:<18} {shown}")
        if story.get("alerts"):
            # a side's denials in one story are one development; each update is one
            units: dict[str, set[str]] = {}
            for c in story.get("claims") or []:
                tag = development(c)
                if tag == "DENIAL":
                    side = c.get("speaker_side") or str(c.get("speaker", "")).lower()
                    units.setdefault(f"denial:{side}", set()).add(str(c.get("id")))
                elif tag:
                    units.setdefault(f"update:{c.get('id')}", set()).add(str(c.get("id")))
            dev_all += len(units)
            dev_shown += sum(1 for ids in units.values() if ids & shown_ids)
    return {
        "alerts": alerts,
        "lines": lines,
        "right": right,
        "share": right / lines if lines else 0.0,
        "voiced": voiced,
        "developments": dev_all,
        "developments_shown": dev_shown,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", help="files or folders to replay, in order")
    ap.add_argument("--gold", required=True, help="gold file in the shared scorer's format")
    ap.add_argument(
        "--order", help="a file listing the paths to replay (relative to it), one a line"
    )
    ap.add_argument("--watch", action="append", default=[], help="a watch for the replay's chat")
    ap.add_argument(
        "--pred", help="JSON lines of an earlier replay (with watches) to score instead"
    )
    ap.add_argument(
        "--scorer",
        default=str(ROOT.parent / "shared" / "eval" / "score.py"),
        help="the shared scorer whose matching rule is used",
    )
    ap.add_argument("--claimwatch", default=str(ROOT / ".venv" / "bin" / "claimwatch"))
    ap.add_argument("--min-share", type=float)
    ap.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    args = ap.parse_args()

    scorer = load_scorer(Path(args.scorer))
    with open(args.gold, encoding="utf-8") as fh:
        gold = json.load(fh)
    paths = list(args.paths)
    if args.order:
        base = os.path.dirname(os.path.abspath(args.order))
        with open(args.order, encoding="utf-8") as fh:
            paths += [os.path.join(base, p.strip()) for p in fh if p.strip()]
    watches = list(args.watch)
    if args.pred:
        with open(args.pred, encoding="utf-8") as fh:
            stories = [json.loads(line) for line in fh if line.startswith("{")]
    else:
        if not paths:
            sys.exit("alert_claims: give paths, --order or --pred")
        if not watches:
            watches = top_entities(replay(args.claimwatch, paths, []))
        stories = replay(args.claimwatch, paths, watches)
    result = score(stories, gold, scorer, verbose=not args.quiet)
    if watches:
        print(f"watches: {', '.join(watches)}")
    print(
        f"alert claims right {result['share']:.2f} ({result['right']}/{result['lines']} lines "
        f"in {result['alerts']} alerts) · speaker of a gold claim of the story "
        f"{result['voiced']}/{result['lines']} · developments shown "
        f"{result['developments_shown']}/{result['developments']}"
    )
    if args.min_share is not None and result["share"] < args.min_share:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
