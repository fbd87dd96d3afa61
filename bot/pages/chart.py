"""A figure over time as inline SVG, drawn on the server: no script, no fonts
or images to fetch. Styling comes from the page's stylesheet (classes only:
the Content-Security-Policy allows no ``style`` attributes)."""

from __future__ import annotations

from bot.pages.escape import esc
from bot.pages.timeline import Series

WIDTH = 640
HEIGHT = 200
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 36, 44


def figure(value: float) -> str:
    """18000 → "18,000"; 0.4 → "0.4"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}"


def _nice_floor(low: float, high: float) -> float:
    """The bottom of the axis: zero, unless the figures sit far above it."""
    if low >= 0 and low <= high * 0.6:
        return 0.0
    span = high - low
    return low - span * 0.25 if span else low * 0.9


def series_svg(series: Series, number: int) -> str:
    """One chart: a line through each figure with its value above and its day below."""
    points = series.points
    values = [p.value for p in points]
    high = max(values)
    low = _nice_floor(min(values), high)
    top = high + (high - low) * 0.1 or 1.0
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM
    step = inner_w / (len(points) - 1) if len(points) > 1 else 0.0

    def x(i: int) -> float:
        return LEFT + (i * step if len(points) > 1 else inner_w / 2)

    def y(v: float) -> float:
        return TOP + inner_h - (v - low) / (top - low) * inner_h if top != low else TOP

    title_id = f"fig{number}"
    coords = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in enumerate(points))
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{esc(series.label)}: '
        + esc(" → ".join(figure(v) for v in values))
        + "</title>",
        f'<line class="axis" x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - RIGHT}"'
        f' y2="{TOP + inner_h}"/>',
        f'<polyline class="line" points="{coords}"/>',
    ]
    for i, p in enumerate(points):
        cx, cy = x(i), y(p.value)
        anchor = "middle"
        if len(points) > 1 and i == 0:
            anchor = "start"
        elif len(points) > 1 and i == len(points) - 1:
            anchor = "end"
        parts.append(
            f'<circle class="pt" cx="{cx:.1f}" cy="{cy:.1f}" r="5">'
            f"<title>{esc(figure(p.value))} · {esc(p.speaker)} · {esc(p.outlet)}"
            f" · {p.day.isoformat()}</title></circle>"
        )
        parts.append(
            f'<text class="val" x="{cx:.1f}" y="{cy - 12:.1f}" text-anchor="{anchor}">'
            f"{esc(figure(p.value))}</text>"
        )
        parts.append(
            f'<text class="day" x="{cx:.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}">'
            f"{p.day:%d %b}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
