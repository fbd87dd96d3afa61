"""Reading stories from text, JSON and JSON-lines files and folders."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from bot.errors import InputError
from bot.ingest.files import (
    MAX_FILE_BYTES,
    TITLE_MAX,
    FileProblem,
    iter_paths,
    parse_date,
    read_file,
    read_stories,
)
from bot.models import Story

SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def stories(items: list[Story | FileProblem]) -> list[Story]:
    return [item for item in items if isinstance(item, Story)]


def problems(items: list[Story | FileProblem]) -> list[FileProblem]:
    return [item for item in items if isinstance(item, FileProblem)]


def only_story(path: Path) -> Story:
    items = list(read_stories([path]))
    assert len(items) == 1
    assert isinstance(items[0], Story), items[0]
    return items[0]


def only_problem(path: Path) -> FileProblem:
    items = list(read_stories([path]))
    assert len(items) == 1
    assert isinstance(items[0], FileProblem), items[0]
    return items[0]


# --------------------------------------------------------------------------- text


def test_text_with_a_header(tmp_path: Path) -> None:
    path = write(
        tmp_path / "story.txt",
        "URL: https://example.org/news/1\n"
        "Outlet: Example News\n"
        "Published: 2025-04-09\n"
        "Author: someone\n"
        "Title: Two Chinese citizens captured\n"
        "\n"
        "Zelensky said two Chinese citizens were captured.\n"
        "\n"
        "Beijing did not comment.\n",
    )
    story = only_story(path)
    assert story == Story(
        source=str(path),
        title="Two Chinese citizens captured",
        body="Zelensky said two Chinese citizens were captured.\n\nBeijing did not comment.",
        url="https://example.org/news/1",
        outlet="Example News",
        published=date(2025, 4, 9),
    )


def test_header_without_a_title_takes_the_first_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "story.txt",
        "date: Wed, 09 Apr 2025 23:30:00 -0500\n\nKyiv says more captured\nThe rest.\n",
    )
    story = only_story(path)
    assert story.published == date(2025, 4, 9)
    assert story.title == "Kyiv says more captured"
    assert story.body == "The rest."
    assert story.url is None


def test_header_with_an_unparseable_date_still_loads(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "title: A title\ndate: last Tuesday\n\nThe body.\n")
    story = only_story(path)
    assert (story.title, story.body, story.published) == ("A title", "The body.", None)


def test_a_first_line_with_an_unknown_key_is_not_a_header(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "Kyiv: Zelensky speaks\ntitle: not a header\n")
    story = only_story(path)
    assert story.title == "Kyiv: Zelensky speaks"
    assert story.body == "title: not a header"


def test_header_with_no_body_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "title: Only a title\nurl: https://x.org\n\n\n")
    problem = only_problem(path)
    assert problem.path == str(path)
    assert "body" in problem.reason


def test_scraped_date_prefix_is_taken_and_stripped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "scraped.txt",
        " date 2025-04-09 President Zelensky said two were captured.\n\n"
        "He added there are “many more” in the enemy’s units.\n",
    )
    story = only_story(path)
    assert story.published == date(2025, 4, 9)
    assert story.title == "President Zelensky said two were captured."
    assert story.body == "He added there are “many more” in the enemy’s units."


def test_scraped_date_prefix_with_an_impossible_date(tmp_path: Path) -> None:
    path = write(tmp_path / "scraped.txt", " date 2025-02-31 Title line\nBody line\n")
    story = only_story(path)
    assert (story.title, story.body, story.published) == ("Title line", "Body line", None)


def test_plain_text_title_is_the_first_line(tmp_path: Path) -> None:
    path = write(tmp_path / "plain.txt", "\n\nThe title line\nFirst paragraph.\n\nSecond.\n")
    story = only_story(path)
    assert story.title == "The title line"
    assert story.body == "First paragraph.\n\nSecond."
    assert story.published is None


def test_a_single_line_text_keeps_its_body(tmp_path: Path) -> None:
    path = write(tmp_path / "one.txt", "Zelensky said 155 Chinese citizens fight for Russia.")
    story = only_story(path)
    assert story.title == story.body == "Zelensky said 155 Chinese citizens fight for Russia."


def test_a_long_first_line_gives_its_first_sentence_as_title(tmp_path: Path) -> None:
    first = "The U.S. State Department said it was aware of the reports from Kyiv."
    second = "It said " + "the situation was being watched closely, " * 6 + "officials added."
    path = write(tmp_path / "long.txt", f"{first} {second}\nNext paragraph.\n")
    story = only_story(path)
    assert story.title == first
    assert story.body == f"{second}\nNext paragraph."


def test_a_long_first_sentence_is_cut_and_the_body_kept_whole(tmp_path: Path) -> None:
    line = "Zelensky said " + "that many more citizens were fighting, " * 10 + "he said."
    path = write(tmp_path / "long.txt", f"{line}\nMore.\n")
    story = only_story(path)
    assert len(story.title) <= TITLE_MAX
    assert story.title.endswith("…")
    assert line.startswith(story.title[:-1])
    assert story.body == f"{line}\nMore."


def test_line_endings_and_bom_are_normalised_and_quotes_kept(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(
        "\ufefftitle: “Totally unfounded”\r\n\r\nBeijing called the claims ‘totally unfounded’.\r\n"
        "Second line.\r\n".encode()
    )
    story = only_story(path)
    assert story.title == "“Totally unfounded”"
    assert story.body == "Beijing called the claims ‘totally unfounded’.\nSecond line."


def test_markdown_heading_becomes_the_title(tmp_path: Path) -> None:
    path = write(tmp_path / "note.md", "# China denies the claims\n\nBeijing said so.\n")
    story = only_story(path)
    assert story.title == "China denies the claims"
    assert story.body == "Beijing said so."


# --------------------------------------------------------------------------- JSON


def test_json_object(tmp_path: Path) -> None:
    record = {
        "title": "China denies",
        "url": "https://example.org/2",
        "outlet": "Wire",
        "published": "2025-04-10T08:15:00Z",
        "body": "Beijing called the claims “totally unfounded”.",
    }
    path = write(tmp_path / "one.json", json.dumps(record, ensure_ascii=False))
    assert only_story(path) == Story(
        source=str(path),
        title="China denies",
        body="Beijing called the claims “totally unfounded”.",
        url="https://example.org/2",
        outlet="Wire",
        published=date(2025, 4, 10),
    )


def test_json_list_with_alternative_field_names(tmp_path: Path) -> None:
    records = [
        {"title": "First", "date": "2025-04-09", "text": "Body one."},
        {"Title": "Second", "content": "Body two.", "published": None},
        {"body": "Derived title\nBody three."},
    ]
    path = write(tmp_path / "many.json", json.dumps(records))
    items = list(read_stories([path]))
    assert [(s.title, s.body, s.published) for s in stories(items)] == [
        ("First", "Body one.", date(2025, 4, 9)),
        ("Second", "Body two.", None),
        ("Derived title", "Body three.", None),
    ]
    assert {s.source for s in stories(items)} == {str(path)}
    assert problems(items) == []


def test_json_list_with_a_bad_item_loads_the_others(tmp_path: Path) -> None:
    records = [
        {"title": "Good", "body": "Fine."},
        {"title": "No body"},
        "not an object",
        {"title": "Also good", "body": "Fine too."},
    ]
    path = write(tmp_path / "mixed.json", json.dumps(records))
    items = list(read_stories([path]))
    assert [s.title for s in stories(items)] == ["Good", "Also good"]
    found = problems(items)
    assert [p.path for p in found] == [str(path), str(path)]
    assert "item 2" in found[0].reason and "missing body" in found[0].reason
    assert "item 3" in found[1].reason and "object" in found[1].reason


def test_json_with_a_body_that_is_not_text(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.json", json.dumps({"title": "T", "body": ["a", "b"]}))
    problem = only_problem(path)
    assert "'body' must be text" in problem.reason


def test_jsonl_with_a_broken_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "feed.jsonl",
        '{"title": "One", "body": "First."}\n'
        '{"title": "Two", "body": \n'
        "\n"
        '{"title": "Three", "body": "Third.", "published": "2025-04-11"}\n'
        '{"title": "Four"}\n',
    )
    items = list(read_stories([path]))
    assert [(s.source, s.title) for s in stories(items)] == [
        (f"{path}#1", "One"),
        (f"{path}#4", "Three"),
    ]
    assert stories(items)[1].published == date(2025, 4, 11)
    found = problems(items)
    assert [p.path for p in found] == [str(path), str(path)]
    assert found[0].reason.startswith("line 2: invalid JSON")
    assert found[1].reason.startswith("line 5: missing body")
    assert str(found[0]).startswith(f"{path}: line 2:")


# --------------------------------------------------------------------------- folders


def test_folder_files_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "b.txt", "B\nb")
    write(folder / "a.json", json.dumps({"title": "A", "body": "a"}))
    write(folder / "c.md", "C\nc")
    write(folder / "d.jsonl", json.dumps({"title": "D", "body": "d"}) + "\n")
    write(folder / "10.txt", "Ten\nx")
    write(folder / "2.txt", "Two\nx")
    write(folder / "notes.csv", "not,a,story")
    write(folder / "image.png", "x")
    assert [p.name for p in iter_paths([folder])] == [
        "10.txt",
        "2.txt",
        "a.json",
        "b.txt",
        "c.md",
        "d.jsonl",
    ]
    titles = [s.title for s in stories(list(read_stories([str(folder)])))]
    assert titles == ["Ten", "Two", "A", "B", "C", "D"]


def test_nested_folders_are_walked_in_name_order(tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "a.txt", "A\nx")
    write(root / "m" / "z.txt", "MZ\nx")
    write(root / "m" / "b" / "c.txt", "MBC\nx")
    write(root / "m" / "a.txt", "MA\nx")
    write(root / "n.txt", "N\nx")
    write(root / "b" / "y.txt", "BY\nx")
    titles = [s.title for s in stories(list(read_stories([root])))]
    assert titles == ["A", "BY", "MA", "MBC", "MZ", "N"]


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "visible.txt", "Visible\nx")
    write(folder / ".hidden.txt", "Hidden\nx")
    write(folder / ".git" / "inside.txt", "Inside git\nx")
    write(folder / "sub" / ".draft.json", json.dumps({"title": "Draft", "body": "x"}))
    write(folder / "sub" / "kept.json", json.dumps({"title": "Kept", "body": "x"}))
    titles = [s.title for s in stories(list(read_stories([folder])))]
    assert titles == ["Kept", "Visible"]


def test_paths_keep_the_order_given(tmp_path: Path) -> None:
    second = write(tmp_path / "z" / "second.txt", "Second\nx")
    first = write(tmp_path / "a" / "first.txt", "First\nx")
    items = list(read_stories([second, first.parent]))
    assert [s.title for s in stories(items)] == ["Second", "First"]
    assert stories(items)[0].source == str(second)


# --------------------------------------------------------------------------- broken files


def test_broken_files_are_reported_and_the_others_still_load(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "01_good.txt", "Good one\nx")
    write(folder / "02_empty.txt", "")
    write(folder / "03_blank.txt", "  \n\n \n")
    (folder / "04_latin1.txt").write_bytes("Caf\xe9 story\nBody".encode("latin-1"))
    (folder / "05_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(folder / "06_bad.json", '{\n  "title": "x",\n  "body": "y",\n}\n')
    write(folder / "07_good.json", json.dumps({"title": "Good two", "body": "y"}))
    missing = tmp_path / "missing.txt"
    items = list(read_stories([folder, missing]))

    assert [s.title for s in stories(items)] == ["Good one", "Good two"]
    found = {Path(p.path).name: p.reason for p in problems(items)}
    assert list(found) == [
        "02_empty.txt",
        "03_blank.txt",
        "04_latin1.txt",
        "05_binary.txt",
        "06_bad.json",
        "missing.txt",
    ]
    assert found["02_empty.txt"] == "empty file"
    assert found["03_blank.txt"] == "empty file"
    assert "not UTF-8" in found["04_latin1.txt"]
    assert "binary" in found["05_binary.txt"]
    assert found["06_bad.json"].startswith("invalid JSON at line 4")
    assert "no such file" in found["missing.txt"]
    assert problems(items)[-1].path == str(missing)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Title\n" + b"x" * MAX_FILE_BYTES)
    problem = only_problem(path)
    assert problem.path == str(path)
    assert "too large" in problem.reason and "5 MB" in problem.reason


def test_a_file_just_under_the_limit_loads(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Title\n" + b"x" * (MAX_FILE_BYTES - 6))
    assert only_story(path).title == "Title"


def test_utf8_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"title": "BOM", "body": "ok"}).encode())
    assert only_story(path).title == "BOM"


def test_an_unsupported_file_given_explicitly_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "story.csv", "a,b")
    problem = only_problem(path)
    assert "unsupported file type '.csv'" in problem.reason


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", "Locked\nx")
    path.chmod(0)
    try:
        problem = only_problem(path)
    finally:
        path.chmod(0o644)
    assert "cannot read" in problem.reason and "permission" in problem.reason


def test_a_file_that_cannot_be_opened_is_reported(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(tmp_path / "loop.txt")
    good = write(tmp_path / "good.txt", "Good\nx")
    items = list(read_stories([loop, good]))
    assert [s.title for s in stories(items)] == ["Good"]
    [problem] = problems(items)
    assert problem.path == str(loop)
    assert problem.reason.startswith("cannot read it:")


# --------------------------------------------------------------------------- read_file


def test_read_file_returns_the_stories(tmp_path: Path) -> None:
    path = write(tmp_path / "two.jsonl", '{"title": "A", "body": "a"}\n{"title": "B", "body": "b"}')
    assert [s.title for s in read_file(path)] == ["A", "B"]


def test_read_file_raises_an_input_error_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.jsonl", '{"title": "A", "body": "a"}\nnope\n[1]\n')
    with pytest.raises(InputError) as caught:
        read_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line 2: invalid JSON")
    assert "and 1 more problem" in message
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "nowhere.txt")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-09", date(2025, 4, 9)),
        ("2025-04-09T23:30", date(2025, 4, 9)),
        ("2025-04-09T23:30:00+05:00", date(2025, 4, 9)),
        ("2025-04-09T10:00:00Z", date(2025, 4, 9)),
        ("Wed, 09 Apr 2025 10:00:00 GMT", date(2025, 4, 9)),
        ("9 Apr 2025", date(2025, 4, 9)),
        ("2025-02-30", None),
        ("last Tuesday", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


# --------------------------------------------------------------------------- seeds


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed articles are not here")
def test_the_seed_articles_read_correctly() -> None:
    items = list(read_stories([SEEDS]))
    assert problems(items) == []
    seeds = stories(items)
    assert len(seeds) == 5
    assert [Path(s.source).name[:3] for s in seeds] == ["000", "001", "002", "003", "004"]
    assert [s.published for s in seeds].count(date(2025, 4, 9)) == 2
    assert seeds[0].title.startswith("President Volodymyr Zelensky of Ukraine said")
    for story in seeds:
        assert story.title and len(story.title) <= TITLE_MAX
        assert not story.body.lstrip().lower().startswith("date 2025")
        assert "“" in story.title + story.body or "’" in story.title + story.body


def test_a_folder_readme_is_not_a_story(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About these stories\n\nThey are samples.\n")
    (tmp_path / "01.txt").write_text("A title\n\nA body of text.\n")
    assert [p.name for p in iter_paths([tmp_path])] == ["01.txt"]
    # named directly, it is read like any file
    assert [p.name for p in iter_paths([tmp_path / "README.md"])] == ["README.md"]
