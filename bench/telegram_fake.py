"""The limited fake Bot API (:mod:`tests.fakes.telegram_limits`) as a process of
its own, for the delivery benches: start it, point ``TELEGRAM_API_URL`` at
``api_url``, and read what it received when it is closed."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAFakeTokenForTestsOnly-0123456789ab"


class FakeTelegramProcess:
    def __init__(self, retry_after: int = 1) -> None:
        self.retry_after = retry_after
        self.port = 0
        self.stats: dict[str, Any] = {}
        self._proc: asyncio.subprocess.Process | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> FakeTelegramProcess:
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.fakes.telegram_limits",
            str(self.retry_after),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert self._proc.stdout is not None
        line = await asyncio.wait_for(self._proc.stdout.readline(), 30)
        self.port = int(line.split()[1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.close()
        out, _ = await asyncio.wait_for(self._proc.communicate(), 60)
        self.stats = json.loads(out.decode().strip().splitlines()[-1])
