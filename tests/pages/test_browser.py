"""The event page in a real headless browser: Chromium from the distribution's
packages (``apt-get install chromium``), started by the test against the real
HTTP server on 127.0.0.1, loading the page of the sample stories' event.

Without Chromium the test is skipped, except under CI (``CI`` set), where it
fails: ``.ci/run`` installs Chromium. With ``CLAIMWATCH_SCREENSHOT_DIR`` set, the
screenshots are written there (that is how docs/img/ is made)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from tests.pages.conftest import SampleSite, local

BROWSERS = ("chromium", "chromium-browser")
PHONE = "412,1400"
DESKTOP = "1000,1000"


def chromium() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("CI is set but Chromium is not installed (.ci/run installs it with apt-get)")
    pytest.skip("Chromium is not installed here: apt-get install chromium")


async def run_browser(profile: Path, *args: str) -> tuple[str, str]:
    """Chromium headless with ``args``; (stdout, stderr). The page's console
    (a Content-Security-Policy violation, say) is logged to stderr."""
    process = await asyncio.create_subprocess_exec(
        chromium(),
        "--headless",
        "--no-sandbox",  # the test may run as root in a container
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--enable-logging=stderr",
        "--v=0",
        f"--user-data-dir={profile}",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), 90)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    return out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def first_pixel(png: bytes) -> tuple[int, int, int]:
    """The top-left pixel of an 8-bit RGB(A) PNG (enough to see the page's own
    background, i.e. that its stylesheet was applied under the CSP)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, header = 8, b"", b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunk = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            data += chunk
        pos += 12 + length
    _w, _h, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    raw = zlib.decompress(data)
    # filter byte, then the first pixel; with no row above and no pixel to the left,
    # every PNG filter leaves the first pixel's bytes as stored
    r, g, b = raw[1], raw[2], raw[3]
    return r, g, b


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CLAIMWATCH_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def test_the_event_page_in_chromium(
    sample_site: SampleSite, shots: Path, tmp_path: Path
) -> None:
    chromium()
    links = sample_site.services.pages
    assert links is not None
    url = local(links.event("ev1"), sample_site.port)
    dom, err = await run_browser(tmp_path / "chromium", "--dump-dom", url)
    assert "Content Security Policy" not in err, err
    assert "<h1>Chemical leak on the Sorna river sends dozens to hospital in Bulgaria</h1>" in dom
    # the timeline as the browser built it: every claim of the event, in order
    view = await sample_site.services.store.event_view("ev1")
    assert view is not None
    items = re.findall(r'<li class="(new|update|denial)" id="c-([^"]+)">', dom)
    assert len(items) == len(view.claims) >= 40
    tags = [tag for tag, _ in items]
    assert tags.count("update") >= 2 and tags.count("denial") >= 1
    days = re.findall(
        r'<li class="\w+" id="c-[^"]+"><div class="when"><time datetime="([\d-]+)"', dom
    )
    assert days == sorted(days) and days[0] == "2026-03-10" and days[-1] == "2026-03-12"
    # a denial shows the claim it denies
    denial = re.search(r'<li class="denial"[^>]*>(.*?)</li>', dom, re.S)
    assert denial is not None and 'class="refers denies"' in denial.group(1)
    # the chart: the hospital figure 40 → 80 → 120, as SVG in the DOM
    [chart] = re.findall(r'<svg class="chart".*?</svg>', dom, re.S)
    assert chart.count("<circle") == 3 and "<polyline" in chart
    assert re.findall(r'<text class="val"[^>]*>([^<]+)</text>', chart) == ["40", "80", "120"]
    assert "<script" not in dom

    event_png = shots / "event-page.png"
    _out, err = await run_browser(
        tmp_path / "chromium", f"--screenshot={event_png}", f"--window-size={PHONE}", url
    )
    assert "Content Security Policy" not in err, err
    png = await asyncio.to_thread(event_png.read_bytes)
    assert len(png) > 10_000
    # the page's own background (#fbfbf8), not the browser's white: the styles applied
    assert first_pixel(png) != (255, 255, 255)

    entity_url = local(links.entity("gpe:bulgaria"), sample_site.port)
    dom, err = await run_browser(tmp_path / "chromium", "--dump-dom", entity_url)
    assert "Content Security Policy" not in err, err
    assert "<h1>Bulgaria</h1>" in dom and dom.count("<h3>") == 2  # the spill, the grain fees
    entity_png = shots / "entity-page.png"
    await run_browser(
        tmp_path / "chromium", f"--screenshot={entity_png}", f"--window-size={DESKTOP}", entity_url
    )
    assert len(await asyncio.to_thread(entity_png.read_bytes)) > 10_000
