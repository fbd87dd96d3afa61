"""Settings for the fuzz suite: deterministic, no example database, no files in the repo.

Every fuzz test draws its inputs with ``derandomize=True`` (the same inputs on
every run, so CI is reproducible) and no example database; Hypothesis's own
cache directory is moved to the system's temporary folder. Each test counts
the inputs it tried; the counts are printed at the end of the run (the
figures in docs/reliability.md come from there).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "claimwatch-hypothesis")
settings.register_profile(
    "claimwatch-fuzz",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
settings.load_profile("claimwatch-fuzz")

TRIED = pytest.StashKey[Counter[str]]()


@pytest.fixture
def tried(request: pytest.FixtureRequest) -> Counter[str]:
    """Inputs tried, by test: ``tried[name] += 1`` in each example."""
    return request.config.stash.setdefault(TRIED, Counter())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    counts = terminalreporter.config.stash.get(TRIED, None)
    if counts:
        terminalreporter.section("fuzz inputs tried")
        for name, n in sorted(counts.items()):
            terminalreporter.write_line(f"{name}: {n}")
        terminalreporter.write_line(f"total: {sum(counts.values())}")
