"""Matching before and after a change to ``bot/watch.py``, in one process, interleaved.

    .venv/bin/python bench/match_ab.py --before REV [--rounds 5] [--filtered 0.05]
        [--subs 100000] [--stories 300] [--seconds 1]

On a shared machine the load moves ``bench/match.py``'s rates by a factor of
two between runs, far more than a small change does. This script loads
``bot/watch.py`` as it is at git revision ``REV`` beside the current one, builds
``bench/match.py``'s input once, and times the two alternately (matching,
then plan_alerts), ``--rounds`` times each; the best rate of each side is the
one the load disturbed least. The input (``--filtered`` share of watches with
+/- terms included) is the same for both sides; a ``bot/watch.py`` that does not
read the terms sees every watch as a plain one, so with terms the alert counts
differ (they are printed). It asserts that both sides find the same candidates.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import match as bench  # noqa: E402  (bench/match.py, beside this file)

import bot.watch as after  # noqa: E402


def load_before(rev: str, folder: Path) -> ModuleType:
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{rev}:bot/watch.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = folder / "watch_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("watch_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["watch_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--before", required=True, help="git revision to compare with")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--subs", type=int, default=100_000)
    p.add_argument("--entities", type=int, default=3_000)
    p.add_argument("--phrases", type=int, default=5_000)
    p.add_argument("--stories", type=int, default=300)
    p.add_argument("--seconds", type=float, default=1.0, help="minimum time per measurement")
    p.add_argument("--filtered", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)

    rng = random.Random(args.seed)
    world = bench.build_world(args.subs, args.entities, args.phrases, rng)
    bench.add_filters(world, args.filtered, random.Random(args.seed + 1))
    popular = bench.Zipf(args.entities, 1.0, rng)
    mixes = {
        "news": bench.build_stories(world, args.stories, popular, rng),
        "long tail": bench.build_stories(
            world, args.stories, lambda: rng.randrange(args.entities), rng
        ),
    }
    with tempfile.TemporaryDirectory() as tmp:
        before = load_before(args.before, Path(tmp))
        sides = {"before": before, "after": after}
        indexes = {name: mod.WatchIndex(world.subs) for name, mod in sides.items()}
        print(
            f"bot/watch.py at {args.before} against the working tree; {len(world.subs):,} "
            f"watches, {sum(1 for s in world.subs if s.filters):,} with +/- terms; "
            f"best of {args.rounds} interleaved rounds, {args.seconds:g} s each"
        )
        for mix, cases in mixes.items():
            best: dict[tuple[str, str], float] = {}
            found: dict[tuple[str, str], float] = {}
            for _ in range(args.rounds):
                for name, mod in sides.items():
                    index = indexes[name]

                    def matching(case: bench.Case, index: object = index) -> int:
                        return bench.match(index, case)  # type: ignore[arg-type]

                    def planning(
                        case: bench.Case, mod: ModuleType = mod, index: object = index
                    ) -> int:
                        return len(
                            mod.plan_alerts(
                                index,
                                case.story,
                                case.analysis,
                                case.claims,
                                case.plan,
                                min_salience=bench.MIN_SALIENCE,
                            )
                        )

                    fns: dict[str, Callable[[bench.Case], int]] = {
                        "matching": matching,
                        "plan_alerts": planning,
                    }
                    for what, fn in fns.items():
                        rate, per = bench.rate(fn, cases, args.seconds)
                        best[(what, name)] = max(best.get((what, name), 0.0), rate)
                        found[(what, name)] = per
            assert found[("matching", "before")] == found[("matching", "after")]
            print(f"\nstories: {mix} ({len(cases)} stories)")
            for what in ("matching", "plan_alerts"):
                b, a = best[(what, "before")], best[(what, "after")]
                print(
                    f"  {what:<12} before {b:>8,.0f} stories/s   after {a:>8,.0f} stories/s"
                    f"   after/before {a / b:.2f}   (per story: {found[(what, 'before')]:,.1f}"
                    f" / {found[(what, 'after')]:,.1f})"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
