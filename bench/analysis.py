"""Analysis speed against raw spaCy, and peak memory with the model loaded.

    .venv/bin/python bench/analysis.py [--repeat 3] [--long 2] [--long-words 34000]
                                       [--tracemalloc]

The texts: the sample stories (``examples/``), the development set
(``dev/articles``) and ``--long`` synthetic long stories, each the sentences
of all of them concatenated (shuffled, seeded) up to ``--long-words`` words,
as a long live blog or transcript would be.

* **raw spaCy**: ``nlp.pipe(texts, batch_size=8)``, every document consumed.
* **full analysis**: :meth:`Analyser.analyse_many` on the same texts, in the
  same run: the same parse plus entity linking, salience, claims and event
  features. Each is timed ``--repeat`` times and the best run is reported,
  one after the other so the two see the same machine state.
* **memory**: the peak resident set size (``getrusage``) of a fresh process
  that loads the model and runs one full analysis of all the texts, and of
  another that runs raw ``nlp.pipe`` on them (peaks do not come down, so each
  needs its own process); with ``--tracemalloc``, also the peak of Python
  allocations during that analysis.

The goal (issue 3) is analysis at ≥ 0.80 of raw spaCy's words/s and a peak
of ≤ 400 MB with the model loaded. Figures vary with the machine;
``docs/benchmarks.md`` has a run.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import re
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analysis.analyser import Analyser, story_text  # noqa: E402
from bot.ingest.files import read_stories  # noqa: E402
from bot.models import Story  # noqa: E402

_SENTENCE = re.compile(r"(?<=[.!?\"”’])\s+(?=[A-Z“\"])")


def peak_rss_mb() -> float:
    """The peak resident set size of this process so far, in MB (Linux: KB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / (1024 * 1024)


def load_stories(folders: Sequence[Path]) -> list[Story]:
    out: list[Story] = []
    for item in read_stories([f for f in folders if f.exists()]):
        if isinstance(item, Story):
            out.append(item)
    return out


def long_stories(base: Sequence[Story], count: int, words: int, seed: int = 7) -> list[Story]:
    """Synthetic long stories: the paragraphs' sentences of ``base`` shuffled
    and joined into paragraphs of four, up to ``words`` words each."""
    sentences = [
        s.strip()
        for story in base
        for para in story.body.split("\n\n")
        for s in _SENTENCE.split(para)
        if len(s.split()) >= 4
    ]
    rng = random.Random(seed)
    out = []
    for n in range(count):
        picked: list[str] = []
        total = 0
        while total < words:
            s = rng.choice(sentences)
            picked.append(s)
            total += len(s.split())
        paras = ["\n".join(picked[i : i + 4]) for i in range(0, len(picked), 4)]
        body = "\n\n".join(" ".join(p.split("\n")) for p in paras)
        out.append(
            Story(
                source=f"synthetic-long-{n}",
                title=f"Live: a long day of coverage ({n + 1})",
                body=body,
                outlet="Bench Live",
            )
        )
    return out


def best_of(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def consume(nlp: Any, texts: Sequence[str], batch_size: int) -> None:
    """Raw spaCy: the model's own pipes only (not our paragraph-break step)."""
    ours = [name for name in nlp.pipe_names if name.startswith("claimwatch")]
    with nlp.select_pipes(disable=ours):
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass


def measure(analyser: Analyser, stories: Sequence[Story], repeat: int) -> tuple[int, float, float]:
    texts = [story_text(s) for s in stories]
    words = sum(len(t.split()) for t in texts)
    raw = best_of(repeat, lambda: consume(analyser.nlp, texts, analyser.batch_size))
    full = best_of(repeat, lambda: analyser.analyse_many(stories))
    return words, raw, full


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each; the best counts")
    ap.add_argument("--long", type=int, default=2, help="synthetic long stories")
    ap.add_argument("--long-words", type=int, default=34_000, help="words per long story")
    ap.add_argument("--model", default="en_core_web_sm")
    ap.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations")
    ap.add_argument("--peak-of", choices=["full", "raw"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peak_of:
        return peak_of(args)

    # memory first, in fresh processes: a child inherits the parent's peak
    # (getrusage's ru_maxrss survives fork and exec on Linux)
    peaks = []
    for kind in ("full", "raw"):
        cmd = [sys.executable, __file__, "--peak-of", kind, "--long", str(args.long)]
        cmd += ["--long-words", str(args.long_words), "--model", args.model]
        if args.tracemalloc:
            cmd.append("--tracemalloc")
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        peaks.append(out)
    base_rss = peak_rss_mb()
    t0 = time.perf_counter()
    analyser = Analyser(args.model, batch_size=8)
    analyser.analyse_many([Story(source="warm-up", title="Warm-up", body="Officials said so.")])
    load_s = time.perf_counter() - t0
    loaded_rss = peak_rss_mb()

    short = load_stories([ROOT / "examples", ROOT / "dev" / "articles"])
    long = long_stories(short, args.long, args.long_words)
    sets = [("examples + dev (short)", short), ("synthetic long", long), ("all", [*short, *long])]

    print(f"python {platform.python_version()} · {platform.machine()} · model {args.model}")
    print(f"model load + warm-up {load_s:.1f} s; peak RSS {base_rss:.0f} MB → {loaded_rss:.0f} MB")
    print(f"{'texts':<24} {'n':>3} {'words':>7} {'raw w/s':>9} {'full w/s':>9} {'ratio':>6}")
    for name, stories in sets:
        if not stories:
            continue
        words, raw, full = measure(analyser, stories, args.repeat)
        print(
            f"{name:<24} {len(stories):>3} {words:>7} {words / raw:>9.0f} {words / full:>9.0f} "
            f"{raw / full:>6.2f}"
        )
    for line in peaks:
        print(line)
    return 0


def peak_of(args: argparse.Namespace) -> int:
    """In a fresh process: the model, then one pass over all the texts."""
    analyser = Analyser(args.model, batch_size=8)
    loaded = peak_rss_mb()
    short = load_stories([ROOT / "examples", ROOT / "dev" / "articles"])
    stories = [*short, *long_stories(short, args.long, args.long_words)]
    if args.tracemalloc:
        tracemalloc.start()
    if args.peak_of == "full":
        analyser.analyse_many(stories)
    else:
        consume(analyser.nlp, [story_text(s) for s in stories], analyser.batch_size)
    traced = ""
    if args.tracemalloc:
        traced = f"; tracemalloc peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MB"
        tracemalloc.stop()
    what = "full analysis" if args.peak_of == "full" else "raw nlp.pipe"
    print(
        f"peak RSS, {what} of all texts: {peak_rss_mb():.0f} MB "
        f"(model loaded: {loaded:.0f} MB){traced}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
