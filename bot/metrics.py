"""Process metrics in the Prometheus text exposition format (version 0.0.4).

A few counters and one histogram, kept in this process and served at
``/metrics`` by :mod:`bot.http`. The boxes that do the work increment them::

    metrics.STORIES_INGESTED.inc(kind="feed")
    with metrics.ANALYSIS_SECONDS.time(): ...

Label values are escaped; names follow Prometheus' conventions (``_total``
for counters, ``_seconds`` for durations). Collectors registered with
:func:`add_collector` add lines computed at scrape time (e.g. outbox sizes
from the store).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

LabelKey = tuple[tuple[str, str], ...]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(key: LabelKey, extra: tuple[tuple[str, str], ...] = ()) -> str:
    pairs = key + extra
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _render_samples(
    name: str, help_text: str, kind: str, samples: dict[str, float], *, ordered: bool = False
) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    keys = list(samples) if ordered else sorted(samples)
    lines += [f"{key} {_number(samples[key])}" for key in keys]
    return lines


def _base(sample: str) -> str:
    return sample.split("{", 1)[0]


class Counter:
    """A monotonically increasing count, optionally per label values."""

    kind = "counter"

    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()) -> None:
        self.name = name
        self.help = help_text
        self.labelnames = tuple(labels)
        self._values: dict[LabelKey, float] = {}
        self._lock = threading.Lock()
        if not self.labelnames:
            self._values[()] = 0.0

    def _key(self, labels: dict[str, str]) -> LabelKey:
        if set(labels) != set(self.labelnames):
            raise ValueError(f"{self.name} takes labels {self.labelnames}, got {sorted(labels)}")
        return tuple((name, str(labels[name])) for name in self.labelnames)

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        if amount < 0:
            raise ValueError("a counter only goes up")
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        return self._values.get(self._key(labels), 0.0)

    def samples(self) -> dict[str, float]:
        """``name{labels}`` → value: what another process adds up (:func:`render`)."""
        with self._lock:
            return {f"{self.name}{_labels(k)}": v for k, v in self._values.items()}

    def render(self) -> list[str]:
        return _render_samples(self.name, self.help, self.kind, self.samples())


class Histogram:
    """Observations in cumulative buckets, with their sum and count."""

    kind = "histogram"

    def __init__(self, name: str, help_text: str, buckets: Sequence[float]) -> None:
        self.name = name
        self.help = help_text
        self.buckets = (*sorted(buckets), math.inf)
        self._counts = [0] * len(self.buckets)
        self._sum = 0.0
        self._count = 0
        self._lock = threading.Lock()

    def observe(self, value: float) -> None:
        with self._lock:
            self._sum += value
            self._count += 1
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    self._counts[i] += 1
                    break

    @contextmanager
    def time(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.observe(time.perf_counter() - start)

    @property
    def count(self) -> int:
        return self._count

    def samples(self) -> dict[str, float]:
        """The cumulative buckets, sum and count as ``name{labels}`` → value."""
        out: dict[str, float] = {}
        with self._lock:
            running = 0
            for bound, n in zip(self.buckets, self._counts, strict=True):
                running += n
                le = (("le", _number(bound)),)
                out[f"{self.name}_bucket{_labels((), le)}"] = float(running)
            out[f"{self.name}_sum"] = self._sum
            out[f"{self.name}_count"] = float(self._count)
        return out

    def render(self) -> list[str]:
        return _render_samples(self.name, self.help, self.kind, self.samples(), ordered=True)


STORIES_INGESTED = Counter(
    "claimwatch_stories_ingested_total",
    "Stories recorded for analysis, by how they came (file, url, feed, http).",
    ["kind"],
)
ANALYSIS_SECONDS = Histogram(
    "claimwatch_analysis_seconds",
    "Seconds the NLP analysis of one story took.",
    [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
)
ALERTS_QUEUED = Counter("claimwatch_alerts_queued_total", "Alerts written to the outbox.")
ALERTS_SENT = Counter(
    "claimwatch_alerts_sent_total", "Alerts a chat platform accepted.", ["platform"]
)
ALERTS_FAILED = Counter(
    "claimwatch_alerts_failed_total",
    "Failed delivery attempts, by outcome (retry, undeliverable).",
    ["platform", "outcome"],
)
SOURCE_ERRORS = Counter(
    "claimwatch_source_errors_total",
    "Failures fetching or reading a source, by kind (timeout, refused, too_large, http_4xx, ...).",
    ["kind"],
)
STORY_FAILURES = Counter(
    "claimwatch_story_failures_total",
    "Failed analyses of one story, by stage (analysis, decision) and result"
    " (failed: retried later; quarantined: given up).",
    ["stage", "result"],
)
FEED_POLLS = Counter(
    "claimwatch_feed_polls_total", "Feed polls, by result (new, unchanged, error).", ["result"]
)

REGISTRY: list[Counter | Histogram] = [
    STORIES_INGESTED,
    ANALYSIS_SECONDS,
    ALERTS_QUEUED,
    ALERTS_SENT,
    ALERTS_FAILED,
    SOURCE_ERRORS,
    STORY_FAILURES,
    FEED_POLLS,
]

Collector = Callable[[], Awaitable[list[str]]]


def samples() -> dict[str, float]:
    """Every sample of this process's metrics (what it writes to the store for
    ``/metrics`` to add up, see :mod:`bot.liveness`)."""
    out: dict[str, float] = {}
    for metric in REGISTRY:
        out.update(metric.samples())
    return out


async def render(
    collectors: Sequence[Collector] = (), others: Mapping[str, float] | None = None
) -> str:
    """Every metric, then every collector's lines, as exposition text. ``others``
    (the other processes' samples, from the store) are added to this process's
    own, so a counter counts what every process did."""
    lines: list[str] = []
    extra = dict(others or {})
    for metric in REGISTRY:
        own = metric.samples()
        if not extra:
            lines += metric.render()
            continue
        names = {_base(k) for k in own} | {metric.name}
        merged = {k: v + extra.pop(k, 0.0) for k, v in own.items()}
        for key in [k for k in extra if _base(k) in names]:
            merged[key] = extra.pop(key)
        ordered = isinstance(metric, Histogram)
        lines += _render_samples(metric.name, metric.help, metric.kind, merged, ordered=ordered)
    for collect in collectors:
        lines += await collect()
    return "\n".join(lines) + "\n"


def gauge_lines(name: str, help_text: str, values: dict[LabelKey, float]) -> list[str]:
    """Exposition lines for a gauge computed at scrape time."""
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    lines += [f"{name}{_labels(k)} {_number(v)}" for k, v in sorted(values.items())]
    return lines
