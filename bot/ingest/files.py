"""Stories from files: text with an optional header, JSON and JSON lines.

Three forms are read:

``.txt`` / ``.md``
    An optional header of ``key: value`` lines (``url``, ``outlet``,
    ``date``/``published``, ``title``; keys are case-insensitive, unknown keys
    are ignored), a blank line, then the body. The header is only recognised
    when the first line carries a known key. Scraped files may instead start
    with `` date 2025-04-09 `` followed by the text on the same line; the date
    is taken and stripped. Without a title the first line becomes the title
    (its first sentence when the line is longer than 200 characters) and the
    body is the rest, so the analysis, which reads title and body, sees no
    line twice.

``.json``
    One object, or a list of objects, with ``title``, ``url``, ``outlet``,
    ``published`` (or ``date``) and ``body`` (or ``text`` or ``content``).

``.jsonl``
    One such object per line; a broken line is reported and the other lines
    still load. Each story's source is ``path#line``.

The text is kept as written (quotes matter to claim extraction): only line
endings are normalised and a byte order mark is dropped. Files are UTF-8, or
UTF-16/UTF-32 when they start with that byte order mark. A file that cannot be
used becomes a :class:`FileProblem` naming the file and why; the rest go on.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_tz
from pathlib import Path
from typing import Any

from bot.errors import InputError
from bot.ingest.text import strip_invisible
from bot.models import Story

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Files larger than this are refused."""

TITLE_MAX = 200
"""The longest title taken from the first line of a body."""

TEXT_SUFFIXES = frozenset({".txt", ".md"})
JSON_SUFFIX = ".json"
JSONL_SUFFIX = ".jsonl"
SUFFIXES = TEXT_SUFFIXES | {JSON_SUFFIX, JSONL_SUFFIX}

FOLDER_NOTES = frozenset({"README", "LICENSE", "NOTES"})
"""Files in a folder that describe it rather than hold a story."""

HEADER_KEYS = frozenset({"url", "outlet", "date", "published", "title"})
BODY_KEYS = ("body", "text", "content")


@dataclass(frozen=True)
class FileProblem:
    """A file (or one record in it) that could not be read, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class _Problem(Exception):
    """Internal: the reason a file or record cannot be used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- paths


def iter_paths(paths: Sequence[str | Path]) -> list[Path]:
    """The files to read, in order.

    A file is taken as given (whatever its name). A folder stands for its
    non-hidden regular files ending in ``.txt``, ``.md``, ``.json`` or
    ``.jsonl`` (but not a ``README``, which describes the folder), in name
    order, with sub-folders walked in place, also in name order. A path that
    does not exist is kept, so that reading it reports it.
    """
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            out.extend(_walk(path))
        else:
            out.append(path)
    return out


def _walk(folder: Path) -> list[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError:
        return [folder]  # reading it reports that it cannot be listed
    out: list[Path] = []
    for entry in entries:
        if entry.name.startswith(".") or entry.stem.upper() in FOLDER_NOTES:
            continue  # hidden files, and a folder's README, are not stories
        if entry.is_dir():
            if not entry.is_symlink():  # a linked folder could loop
                out.extend(_walk(entry))
        elif entry.is_file() and entry.suffix.lower() in SUFFIXES:
            out.append(entry)
    return out


# --------------------------------------------------------------------------- reading


def read_stories(paths: Sequence[str | Path]) -> Iterator[Story | FileProblem]:
    """Every story in ``paths`` (files and folders, see :func:`iter_paths`), in
    order. A file or record that cannot be used yields a :class:`FileProblem`
    in its place and the rest go on."""
    for path in iter_paths(paths):
        for item in _read_path(path):
            if isinstance(item, FileProblem):
                logger.debug("skipped %s", item)
            yield item


def read_file(path: str | Path) -> list[Story]:
    """The stories in one file; :class:`InputError` when any part of it
    cannot be used."""
    stories: list[Story] = []
    problems: list[FileProblem] = []
    for item in _read_path(Path(path)):
        if isinstance(item, FileProblem):
            problems.append(item)
        else:
            stories.append(item)
    if problems:
        message = str(problems[0])
        if len(problems) > 1:
            more = len(problems) - 1
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise InputError(message)
    return stories


def _read_path(path: Path) -> Iterator[Story | FileProblem]:
    source = str(path)
    try:
        text = _load_text(path)
    except _Problem as problem:
        yield FileProblem(source, problem.reason)
        return
    suffix = path.suffix.lower()
    if suffix == JSONL_SUFFIX:
        yield from _parse_jsonl(text, source)
    elif suffix == JSON_SUFFIX:
        yield from _parse_json(text, source)
    else:
        try:
            yield _parse_text(text, source, markdown=suffix == ".md")
        except _Problem as problem:
            yield FileProblem(source, problem.reason)


def _load_text(path: Path) -> str:
    """The file's text: checked, decoded, line endings normalised."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise _Problem("no such file or folder") from None
    except OSError as exc:
        raise _Problem(f"cannot read it: {_os_reason(exc)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _Problem("is a folder that cannot be listed")
    if not stat.S_ISREG(info.st_mode):
        raise _Problem("not a regular file")
    if path.suffix.lower() not in SUFFIXES:
        raise _Problem(
            f"unsupported file type {path.suffix or '(no extension)'!r}; "
            "expected .txt, .md, .json or .jsonl"
        )
    if info.st_size > MAX_FILE_BYTES:
        raise _Problem(_too_large(info.st_size))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise _Problem(f"cannot read it: {_os_reason(exc)}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _Problem(_too_large(len(data)))
    wide = _wide_encoding(data)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as exc:
            raise _Problem(f"not valid {wide.upper()} text (at byte {exc.start})") from None
    elif b"\x00" in data:
        raise _Problem("looks like a binary file, not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = data[exc.start : exc.start + 1].hex()
            raise _Problem(
                f"not UTF-8 text (byte 0x{bad} at offset {exc.start}); save it as UTF-8"
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _Problem("empty file")
    return text


def _wide_encoding(data: bytes) -> str | None:
    """``utf-32`` or ``utf-16`` when ``data`` starts with that byte order mark
    (Windows editors save "Unicode" text so); the codec then drops the mark."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _visible(text: str) -> bool:
    """Whether ``text`` has something to read once invisible characters are gone."""
    return bool(strip_invisible(text).strip())


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _too_large(size: int) -> str:
    limit = MAX_FILE_BYTES / (1024 * 1024)
    return f"too large ({size / (1024 * 1024):.1f} MB; the limit is {limit:g} MB)"


# --------------------------------------------------------------------------- text

_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")
_INLINE_DATE = re.compile(
    r"[ \t]*date[ \t]+"
    r"(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
    r"(?:[ \t]+|(?=\n)|$)",
    re.IGNORECASE,
)


def _parse_text(text: str, source: str, *, markdown: bool = False) -> Story:
    fields: dict[str, str] = {}
    published: date | None = None
    lines = text.split("\n")
    first = _HEADER_LINE.fullmatch(lines[0])
    if first and first.group(1).lower() in HEADER_KEYS:
        end = 0
        while end < len(lines) and lines[end].strip():
            match = _HEADER_LINE.fullmatch(lines[end])
            if not match:
                break  # no blank line after the header: the body starts here
            key, value = match.group(1).lower(), match.group(2).strip()
            if key in HEADER_KEYS and value:
                fields["date" if key == "published" else key] = value
            end += 1
        body = "\n".join(lines[end:]).strip()
        if not _visible(body):
            raise _Problem("missing body: no text after the header")
        if "date" in fields:
            published = sane_date(parse_date(fields["date"]), source)
    else:
        inline = _INLINE_DATE.match(text)
        if inline:
            published = sane_date(parse_date(inline.group(1)), source)
            text = text[inline.end() :]
        body = text.strip()
        if not _visible(body):
            raise _Problem("missing body: no text after the date")
    title = fields.get("title")
    if title is None:
        title, body = split_title(body, markdown=markdown)
    return Story(
        source=source,
        title=title,
        body=body,
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        published=published,
    )


_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
# A word before a full stop that does not end a sentence: a title, a common
# abbreviation, a month, or initials such as "U.S".
_ABBREVIATION = re.compile(
    r"(?:mrs?|ms|dr|st|mt|gen|lt|col|sgt|capt|cmdr|adm|sen|rep|gov|pres|prof|rev|jr|sr"
    r"|no|vol|inc|co|corp|ltd|dept|est|approx|vs|etc"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
    r"|(?:[a-z]\.)*[a-z])",
    re.IGNORECASE,
)


def split_title(text: str, *, markdown: bool = False) -> tuple[str, str]:
    """``(title, body)`` for a text without a title.

    The title is the first line; when that line is longer than
    :data:`TITLE_MAX`, its first sentence (or, failing one that short, the
    line cut at a word with an ellipsis). The body is what follows the title,
    or the whole text when nothing follows it, so no text is lost and none is
    read twice unless it has to be.
    """
    text = text.strip()
    first, _, rest = text.partition("\n")
    first = first.strip()
    rest = rest.strip()
    title = first
    if markdown:
        title = re.sub(r"^#{1,6}\s+", "", title).strip() or first
    if len(title) <= TITLE_MAX:
        return title, rest or text
    sentence = _first_sentence(title)
    if sentence is not None:
        remainder = title[len(sentence) :].strip()
        body = f"{remainder}\n{rest}" if rest else remainder
        return sentence, body
    cut = title[: TITLE_MAX - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") + "…", text


def _first_sentence(line: str) -> str | None:
    for match in _SENTENCE_END.finditer(line):
        if match.end() > TITLE_MAX:
            return None
        words = line[: match.start()].split()
        word = words[-1].lstrip("(\"'“‘") if words else ""
        if _ABBREVIATION.fullmatch(word):
            continue
        return line[: match.end()]
    return None


EARLIEST_DATE = date(1900, 1, 1)
"""The earliest publication date taken; older dates are cleared (see :func:`sane_date`)."""
FUTURE_DAYS = 2
"""How far ahead of today (UTC) a publication date may be (time zones, embargoes)."""


def sane_date(value: date | None, source: str, today: date | None = None) -> date | None:
    """``value`` when it lies between :data:`EARLIEST_DATE` and today +
    :data:`FUTURE_DAYS`; else None, with a warning naming ``source``. A story
    with such a date is recorded undated rather than refused: its text is
    good, only the date is not (year 1 once stopped all analysis)."""
    if value is None:
        return None
    today = today or datetime.now(UTC).date()
    latest = today + timedelta(days=FUTURE_DAYS)
    if EARLIEST_DATE <= value <= latest:
        return value
    logger.warning(
        "story %s: published date %s is outside %s .. %s; recorded without a date",
        source,
        value.isoformat(),
        EARLIEST_DATE.isoformat(),
        latest.isoformat(),
    )
    return None


def parse_date(value: str) -> date | None:
    """The date in ``value`` (``2025-04-09``, ``2025-04-09T10:30:00Z``,
    ``Wed, 09 Apr 2025 10:30:00 GMT``, ``9 Apr 2025``), or None. The date is
    the one written, in the writer's own time zone."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    for candidate in (value, f"{value} 00:00:00"):
        parts = parsedate_tz(candidate)
        if parts is not None:
            try:
                return date(parts[0], parts[1], parts[2])
            except ValueError:
                return None
    return None


# --------------------------------------------------------------------------- JSON


def _parse_json(text: str, source: str) -> Iterator[Story | FileProblem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield FileProblem(
            source, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        )
        return
    except (ValueError, RecursionError) as exc:
        yield FileProblem(source, f"invalid JSON: {exc}")
        return
    if isinstance(data, dict):
        try:
            yield _story_from_record(data, source)
        except _Problem as problem:
            yield FileProblem(source, problem.reason)
    elif isinstance(data, list):
        if not data:
            yield FileProblem(source, "no stories: the list is empty")
        for number, record in enumerate(data, 1):
            try:
                yield _story_from_record(record, source)
            except _Problem as problem:
                yield FileProblem(source, f"item {number}: {problem.reason}")
    else:
        yield FileProblem(
            source, f"expected a JSON object or a list of objects, got {_json_type(data)}"
        )


def _parse_jsonl(text: str, source: str) -> Iterator[Story | FileProblem]:
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield FileProblem(
                source, f"line {number}: invalid JSON at column {exc.colno}: {exc.msg}"
            )
            continue
        except (ValueError, RecursionError) as exc:
            yield FileProblem(source, f"line {number}: invalid JSON: {exc}")
            continue
        try:
            yield _story_from_record(record, f"{source}#{number}")
        except _Problem as problem:
            yield FileProblem(source, f"line {number}: {problem.reason}")


def _story_from_record(record: object, source: str) -> Story:
    if not isinstance(record, dict):
        raise _Problem(f"expected a JSON object, got {_json_type(record)}")
    fields = {str(key).lower(): value for key, value in record.items()}
    body = _text_field(fields, *BODY_KEYS)
    if body is None:
        raise _Problem("missing body (expected a 'body', 'text' or 'content' field)")
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not _visible(body):
        raise _Problem("empty body")
    title = _text_field(fields, "title")
    title = title.strip() if title else ""
    if not title:
        title, body = split_title(body)
    published: date | None = None
    for key in ("published", "date"):
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            published = sane_date(parse_date(value), source)
            break
    return Story(
        source=source,
        title=title,
        body=body,
        url=_optional(_text_field(fields, "url")),
        outlet=_optional(_text_field(fields, "outlet")),
        published=published,
    )


def _text_field(fields: dict[str, Any], *names: str) -> str | None:
    """The first of ``names`` present (and not null); it must be a string."""
    for name in names:
        value = fields.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise _Problem(f"field {name!r} must be text, got {_json_type(value)}")
        return value
    return None


def _optional(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return "null"
