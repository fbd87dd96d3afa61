"""``claimwatch demo`` with PUBLIC_URL set prints the event pages' addresses
and serves them until Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_prints_and_serves_the_event_pages(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
    }
    with subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--examples", str(ROOT / "examples")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as demo:
        run_demo(demo, port)


def run_demo(demo: subprocess.Popen[str], port: int) -> None:
    lines: list[str] = []
    try:
        assert demo.stdout is not None
        for line in demo.stdout:
            lines.append(line)
            if line.startswith("Serving them on"):
                break
        out = "".join(lines)
        assert f"Serving them on 127.0.0.1:{port} until Ctrl-C." in out, out
        pages = re.findall(r"^  (.+): (http://127\.0\.0\.1:\d+/\S+)$", out, re.M)
        assert [title for title, _ in pages] == [
            "Chemical leak on the Sorna river sends dozens to hospital in Bulgaria",
            "Bulgaria and Romania agree to cut Danube grain transit fees",
            "Bulgaria",
        ]
        # the alerts in the console carry the Timeline link too
        assert re.search(r"\[Timeline <http://127\.0\.0\.1:\d+/event/ev1\?until=\d+&sig=", out)
        for title, url in pages:
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.status == 200
                assert title.replace("'", "&#x27;") in response.read().decode()
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=30) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
