"""Fuzzing the ways stories come in: files (JSON, JSON lines, text) and
``POST /ingest``. Nothing raises; every good record of a mixed batch is
recorded; a refused HTTP batch records nothing."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.ingest.files import FileProblem, read_stories
from bot.ingest.text import clean_story
from bot.models import Story
from bot.runtime import Services, http_server
from tests.fuzz.strategies import batches

FILE_BATCHES = 150
TEXT_FILES = 300
HTTP_BODIES = 150
TOKEN = "fuzz-token"


async def recorded(services: Services, story: Story) -> bool:
    cleaned = clean_story(story)
    return await services.store.find_story(cleaned.url, cleaned.body_hash) is not None


def test_json_and_jsonl_batches(tmp_path: Path, tried: Counter[str]) -> None:
    settings_ = load_settings(database_url=f"sqlite:///{tmp_path / 'cw.db'}", _env_file=None)
    with asyncio.Runner() as runner:
        services = runner.run(Services.open(settings_))
        try:
            n = 0

            @settings(max_examples=FILE_BATCHES)
            @given(batch=batches, as_lines=st.booleans(), ascii_only=st.booleans())
            def check(batch: list[tuple[bool, Any]], as_lines: bool, ascii_only: bool) -> None:
                nonlocal n
                n += 1
                tried["ingest: JSON / JSON lines batch"] += 1
                records = [record for _, record in batch]
                good = sum(1 for ok, _ in batch if ok)
                if as_lines:
                    path = tmp_path / f"b{n}.jsonl"
                    path.write_text(
                        "\n".join(json.dumps(r, ensure_ascii=ascii_only) for r in records),
                        encoding="utf-8",
                    )
                else:
                    path = tmp_path / f"b{n}.json"
                    path.write_text(json.dumps(records, ensure_ascii=ascii_only), encoding="utf-8")
                items = list(read_stories([path]))
                stories = [i for i in items if isinstance(i, Story)]
                problems = [i for i in items if isinstance(i, FileProblem)]
                assert len(stories) == good, items
                assert len(problems) == len(batch) - good, items
                assert all(p.reason for p in problems)
                for story in stories:
                    runner.run(services.pipeline.ingest(story))
                for story in stories:
                    assert runner.run(recorded(services, story)), story

            check()
        finally:
            runner.run(services.close())


def test_text_files_of_any_bytes(tmp_path: Path, tried: Counter[str]) -> None:
    prefixes = st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"\xfe\xff",
            b"\xff\xfe\x00\x00",
            b"title: x\ndate: 0001-01-01\n\n",
            b"date 9999-12-31 ",
        ]
    )

    @settings(max_examples=TEXT_FILES)
    @given(prefix=prefixes, data=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".md"]))
    def check(prefix: bytes, data: bytes, suffix: str) -> None:
        tried["ingest: text file of arbitrary bytes"] += 1
        path = tmp_path / f"story{suffix}"
        path.write_bytes(prefix + data)
        [item] = list(read_stories([path]))
        if isinstance(item, FileProblem):
            assert item.reason
        else:
            assert item.body.strip() and item.title is not None

    check()


def test_http_push(tmp_path: Path, tried: Counter[str]) -> None:
    settings_ = load_settings(
        database_url=f"sqlite:///{tmp_path / 'cw.db'}",
        ingest_token=TOKEN,
        ingest_max_bytes=20_000,
        _env_file=None,
    )
    bodies = st.one_of(
        batches.map(lambda b: json.dumps([r for _, r in b]).encode()),
        batches.map(lambda b: json.dumps(b[0][1]).encode()),
        st.binary(max_size=200),
        st.sampled_from([b"", b"[]", b"{}", b"null", b"[" * 5000, b'"x"', b"\xff\xfe{}"]),
    )
    with asyncio.Runner() as runner:
        services = runner.run(Services.open(settings_))
        server = http_server(services)
        port = runner.run(server.start("127.0.0.1", 0))
        client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        try:

            @settings(max_examples=HTTP_BODIES)
            @given(body=bodies)
            def check(body: bytes) -> None:
                tried["http: POST /ingest body"] += 1
                newest = runner.run(services.store.recent_story_texts(1))
                response = runner.run(client.post("/ingest", content=body, headers=headers))
                assert response.status_code in {202, 400, 413}, response.text
                assert "error" in response.json() or response.status_code == 202
                if response.status_code == 202:
                    from bot.http import stories_from_body

                    for story in stories_from_body(body):
                        assert runner.run(recorded(services, story)), story
                else:  # refused: nothing of the batch is recorded
                    assert runner.run(services.store.recent_story_texts(1)) == newest

            check()
        finally:
            runner.run(client.aclose())
            runner.run(server.stop())
            runner.run(services.close())
