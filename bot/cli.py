"""The ``claimwatch`` command."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import workers
from bot.adapters.console import ConsoleAdapter, render_text
from bot.cli_exchange import add_watches_parser, cmd_watches
from bot.cli_sources import add_feeds_parser, cmd_feeds, ingest_urls, is_url
from bot.cli_stories import add_stories_parser, cmd_stories
from bot.config import Settings, load_settings
from bot.errors import ClaimWatchError, ConfigError
from bot.ingest.files import FileProblem, read_stories
from bot.liveness import Liveness
from bot.models import ChatRef, Command
from bot.pipeline import Outcome
from bot.runtime import Services, adapters_from_settings, analysis_loop, http_server, serve

log = logging.getLogger("claimwatch")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _setup_logging(level: str, quiet: bool = False) -> None:
    logging.basicConfig(
        level=logging.WARNING
        if quiet
        else logging.getLevelNamesMapping().get(level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "httpcore", "aiosqlite", "telegram", "slack_bolt", "slack_sdk"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


# ------------------------------------------------------------------- outcome → JSON


def outcome_json(outcome: Outcome, duplicate_source: str | None = None) -> dict[str, Any]:
    """One story in the shape of DESIGN.md's analysis contract."""
    story = outcome.story
    analysis = outcome.analysis
    names: dict[str, str] = {}
    entities: list[dict[str, Any]] = []
    if analysis is not None:
        for m in analysis.mentions:
            names.setdefault(m.entity.id, m.entity.name)
        for stat in analysis.entities:
            names[stat.entity.id] = stat.entity.name
            entities.append(
                {
                    "id": stat.entity.id,
                    "name": stat.entity.name,
                    "type": stat.entity.type,
                    "mentions": stat.mentions,
                    "salience": round(stat.salience, 3),
                }
            )
    return {
        "source": story.source,
        "title": story.title,
        "published": story.published.isoformat() if story.published else None,
        "outlet": story.outlet_name,
        "status": outcome.status,
        "event_id": outcome.event_id,
        "duplicate_of": duplicate_source,
        "entities": entities,
        "claims": [
            {
                "id": c.id,
                "speaker": c.speaker,
                "speaker_side": c.speaker_side,
                "cue": c.cue,
                "stance": c.stance.value,
                "direct": c.direct,
                "text": c.text,
                "entities": [names.get(e, e) for e in c.entities],
                "numbers": [int(n) if float(n).is_integer() else n for n in c.numbers],
                "novelty": c.novelty.value if c.novelty else None,
                "matches": c.matches,
                "why": c.why,
            }
            for c in outcome.claims
        ],
        "alerts": [
            {
                "chat": str(a.chat),
                "watch": a.watch,
                "text": a.text,
                "links": [link.url for link in a.links],
            }
            for a in outcome.alerts
        ],
        "why": outcome.why,
    }


async def _duplicate_source(services: Services, outcome: Outcome) -> str | None:
    if outcome.duplicate_of is None:
        return None
    record = await services.store.story(outcome.duplicate_of)
    return record.story.source if record else str(outcome.duplicate_of)


def _problem(problem: FileProblem) -> None:
    print(f"claimwatch: skipped {problem.path}: {problem.reason}", file=sys.stderr)


FAILED = frozenset({"failed", "quarantined"})
"""Outcomes of a story whose analysis failed (recorded on the story, with the reason)."""


def _failed(source: str, why: object) -> None:
    if isinstance(why, BaseException):
        log.debug("story %s failed", source, exc_info=why)
        why = f"{type(why).__name__}: {why}"
    print(f"claimwatch: story {source} failed: {why}", file=sys.stderr)


# ------------------------------------------------------------------- commands


async def cmd_replay(settings: Settings, args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="claimwatch-replay-") as tmp:
        settings = settings.model_copy(update={"database_url": f"sqlite:///{tmp}/replay.db"})
        services = await Services.open(settings)
        try:
            chat = ChatRef("console", "replay")
            for name in args.watch or []:
                reply = await services.router(
                    Command("console", chat.chat_id, "replay", f"/watch {name}")
                )
                if not reply.ok:
                    print(f"claimwatch: --watch {name}: {reply.plain}", file=sys.stderr)
            problems = failed = 0
            for item in read_stories(args.paths):
                if isinstance(item, FileProblem):
                    _problem(item)
                    problems += 1
                    continue
                try:
                    outcome = await services.pipeline.process(item)
                except Exception as exc:  # one story never ends the replay
                    _failed(item.source, exc)
                    failed += 1
                    continue
                if outcome.status in FAILED:
                    _failed(item.source, outcome.why)
                    failed += 1
                obj = outcome_json(outcome, await _duplicate_source(services, outcome))
                if args.json:
                    print(json.dumps(obj, ensure_ascii=False), flush=True)
                else:
                    _print_outcome(obj)
            if failed:
                print(f"claimwatch: {failed} stories could not be analysed", file=sys.stderr)
        finally:
            await services.close()
    return 1 if (problems or failed) and args.strict else 0


def _print_outcome(obj: dict[str, Any]) -> None:
    print(f"{obj['source']} → {obj['event_id']} ({obj['status']})")
    for c in obj["claims"]:
        print(f"  [{c['novelty']}] {c['speaker']} {c['cue']}: {c['text']}")
    for a in obj["alerts"]:
        print("  alert → " + a["chat"])


async def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from tqdm import tqdm

    services = await Services.open(settings)
    owner = await Liveness.running(services.store, settings, "ingest")  # its story leases
    problems = added = seen = failed = 0
    try:
        urls = [p for p in args.paths if is_url(p)]
        if urls:
            added, seen, problems = await ingest_urls(services, urls, args.queue_only, args.quiet)
        items = list(read_stories([p for p in args.paths if not is_url(p)]))
        bar = tqdm(items, unit="story", disable=len(items) < 20 or args.quiet, file=sys.stderr)
        for item in bar:
            if isinstance(item, FileProblem):
                _problem(item)
                problems += 1
                continue
            try:
                if args.queue_only:
                    _, fresh = await services.pipeline.ingest(item)
                    added += fresh
                    seen += not fresh
                    continue
                outcome = await services.pipeline.process(item)
            except Exception as exc:  # one story never ends the ingest
                _failed(item.source, exc)
                failed += 1
                continue
            if outcome.status == "seen-before":
                seen += 1
            elif outcome.status in FAILED:
                _failed(item.source, outcome.why)
                failed += 1
            else:
                added += 1
    finally:
        await owner.close()
        await services.close()
    verb = "queued" if args.queue_only else "ingested and analysed"
    summary = f"{added} stories {verb}, {seen} seen before, {problems} skipped"
    if failed:
        summary += f", {failed} failed (recorded with the reason; a running service retries them)"
    print(summary, file=sys.stderr)
    return 1 if (problems or failed) and not added else 0


async def cmd_claims(settings: Settings, args: argparse.Namespace) -> int:
    services = await Services.open(settings)
    try:
        text = f"/claims {' '.join(args.name)}" + (f" {args.n}" if args.n else "")
        reply = await services.router(Command("console", "cli", "cli", text))
        print(render_text(reply.lines))
        return 0 if reply.ok else 1
    finally:
        await services.close()


async def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "copy":
        return await _db_copy(args)
    services = await Services.open(settings)  # opening applies pending migrations
    try:
        version = await services.store.schema_version()
        print(f"database schema at version {version}")
    finally:
        await services.close()
    return 0


async def _db_copy(args: argparse.Namespace) -> int:
    from storage.copy import copy_database

    if not args.src or not args.dst:
        raise ConfigError("db copy needs --from URL and --to URL")
    counts = await copy_database(args.src, args.dst)
    for table, rows in counts.items():
        print(f"  {table}: {rows}")
    print(f"copied {sum(counts.values())} rows from {args.src} to {args.dst}")
    return 0


async def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    console = ConsoleAdapter(chat_id=args.chat, read_line=sys.stdin.readline)
    services = await Services.open(settings, [console])
    print("ClaimWatch console chat. Type /help; /quit or Ctrl-D to leave.", flush=True)
    stop = asyncio.Event()

    async def stop_when_closed() -> None:
        await console.closed.wait()
        stop.set()

    watcher = asyncio.create_task(stop_when_closed())
    try:
        await serve(services, stop)
    finally:
        watcher.cancel()
        await services.close()
    return 0


async def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    services = await Services.open(settings, adapters_from_settings(settings))
    stop = asyncio.Event()
    helpers = asyncio.create_task(workers.supervise(settings.analysis_workers - 1, stop))
    try:
        await serve(services, stop, http=True)
    finally:
        stop.set()
        await helpers
        await services.close()
    return 0


async def cmd_work(settings: Settings, args: argparse.Namespace) -> int:
    """An analysis worker: analyse waiting stories until SIGTERM; no chat, no delivery."""
    services = await Services.open(settings)
    await asyncio.to_thread(lambda: services.pipeline.analyser)  # load the model before work
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    liveness = Liveness(services.store, settings, "work")
    await liveness.start()
    heartbeat = asyncio.create_task(liveness.run(stop))
    try:
        await analysis_loop(services, stop)
    finally:
        stop.set()
        await heartbeat
        await liveness.stop()
        await services.close()
    return 0


def _examples(path: str) -> Path:
    folder = Path(path)
    if not folder.is_dir():
        raise ConfigError(f"no sample stories at {folder}")
    return folder


async def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    folder = _examples(args.examples)
    with tempfile.TemporaryDirectory(prefix="claimwatch-demo-") as tmp:
        settings = settings.model_copy(update={"database_url": f"sqlite:///{tmp}/demo.db"})
        console = ConsoleAdapter(chat_id="demo")
        services = await Services.open(settings, [console])
        events: list[str] = []
        try:
            print("ClaimWatch demo — the whole pipeline on the sample stories in examples/,")
            print("with a fresh SQLite database and a console chat.\n")
            for text in [f"/watch {args.watch}"]:
                print(f"you> {text}")
                print(render_text((await services.router(console.command(text))).lines) + "\n")
            for item in read_stories([folder]):
                if isinstance(item, FileProblem):
                    _problem(item)
                    continue
                outcome = await services.pipeline.process(item)
                if outcome.event_id and outcome.event_id not in events:
                    events.append(outcome.event_id)
                fresh = sum(1 for c in outcome.claims if c.novelty and c.novelty.value != "repeat")
                print(
                    f"· ingested {Path(item.source).name} ({item.outlet_name}): "
                    f"event {outcome.event_id}, {len(outcome.claims)} claims, {fresh} fresh, "
                    f"{len(outcome.alerts)} alert(s)"
                )
                await services.dispatcher.drain()
            for text in [f"/claims {args.watch} 5", "/watching"]:
                print(f"\nyou> {text}")
                print(render_text((await services.router(console.command(text))).lines))
            if services.pages is not None:
                await _demo_pages(services, events, args)
        finally:
            await services.close()
    return 0


async def _demo_pages(services: Services, events: list[str], args: argparse.Namespace) -> None:
    """Print the event pages' addresses and, unless ``--no-serve``, serve them
    until Ctrl-C (the demo's database goes when the demo ends)."""
    pages = services.pages
    assert pages is not None
    print("\nEvent pages:")
    for event_id in events:
        view = await services.store.event_view(event_id)
        print(f"  {view.title if view else event_id}: {pages.event(event_id)}")
    entity = await services.store.find_entity(args.watch)
    if entity is not None:
        print(f"  {entity.name}: {pages.entity(entity.id)}")
    if args.no_serve:
        return
    server = http_server(services)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await server.start()
    s = services.settings
    print(f"\nServing them on {s.http_host}:{server.port} until Ctrl-C.", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


# ------------------------------------------------------------------- parser


def package_version() -> str:
    """The installed package's version (``pyproject.toml``), else the source tree's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("claimwatch")
    except PackageNotFoundError:
        from bot import __version__

        return __version__


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="claimwatch", description="News alerts about who claimed what — only when it is new."
    )
    p.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    p.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser(
        "replay", help="analyse files into a fresh database and print one object per story"
    )
    r.add_argument("paths", nargs="+", help="files or folders (a folder: its files in name order)")
    r.add_argument("--json", action="store_true", help="print JSON lines (the analysis contract)")
    r.add_argument(
        "--watch", action="append", metavar="NAME", help="watch NAME in a console chat (repeatable)"
    )
    r.add_argument("--strict", action="store_true", help="exit 1 when a file was skipped")

    i = sub.add_parser(
        "ingest", help="ingest files or web articles (http/https URLs) and analyse them"
    )
    i.add_argument("paths", nargs="+", help="files, folders, or URLs of articles")
    i.add_argument(
        "--queue-only",
        action="store_true",
        help="only record them; a running service analyses them",
    )

    c = sub.add_parser("claims", help="the latest claims about NAME")
    c.add_argument("name", nargs="+")
    c.add_argument("-n", type=int, default=None, help="how many (default 5)")

    d = sub.add_parser("db", help="database maintenance")
    d.add_argument("action", choices=["upgrade", "copy"])
    d.add_argument("--from", dest="src", metavar="URL", help="copy: the database to read")
    d.add_argument("--to", dest="dst", metavar="URL", help="copy: the new, empty database")

    ch = sub.add_parser("chat", help="a local chat on the terminal")
    ch.add_argument("--chat", default="local", help="the console chat id (default: local)")

    sub.add_parser("work", help="an analysis worker beside `run` (see ANALYSIS_WORKERS)")

    sub.add_parser(
        "run",
        help="run the service: feeds, analysis, delivery, the HTTP port and every chat adapter",
    )
    add_feeds_parser(sub)
    add_watches_parser(sub)
    add_stories_parser(sub)

    dm = sub.add_parser("demo", help="the whole pipeline on the sample stories, in a console chat")
    dm.add_argument("--examples", default=str(EXAMPLES), help="folder of sample stories")
    dm.add_argument("--watch", default="Bulgaria", help="what the demo chat watches")
    dm.add_argument(
        "--no-serve",
        action="store_true",
        help="with PUBLIC_URL set: print the event pages' addresses without serving them",
    )
    return p


COMMANDS = {
    "replay": cmd_replay,
    "ingest": cmd_ingest,
    "claims": cmd_claims,
    "db": cmd_db,
    "chat": cmd_chat,
    "run": cmd_run,
    "work": cmd_work,
    "feeds": cmd_feeds,
    "watches": cmd_watches,
    "stories": cmd_stories,
    "demo": cmd_demo,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        quiet = args.quiet or (
            args.command in {"replay", "demo", "claims"} and settings.log_level.upper() != "DEBUG"
        )
        _setup_logging(settings.log_level, quiet)
        return asyncio.run(COMMANDS[args.command](settings, args))
    except ClaimWatchError as exc:
        print(f"claimwatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`claimwatch claims china | head`): end quietly
        _silence_stdout()
        return 0
    except Exception as exc:
        log.debug("unexpected failure", exc_info=exc)
        print(
            f"claimwatch: unexpected error: {type(exc).__name__}: {exc} "
            "(LOG_LEVEL=DEBUG shows where)",
            file=sys.stderr,
        )
        return 1
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush finds no broken pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
