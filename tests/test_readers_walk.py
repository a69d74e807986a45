"""Folder walking: recursive, loop-safe, unknown suffixes ignored and counted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from statement_search.readers import iter_source_files


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / "a" / "one.txt").write_text("One\n\nx")
    (tmp_path / "a" / "b" / "two.html").write_text("<p>x</p>")
    (tmp_path / "a" / "b" / "three.JSONL").write_text("{}")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "a" / "notes.docx").write_bytes(b"PK")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.txt").write_text("x")
    return tmp_path


def test_recursive_sorted_with_ignored_count(tree: Path) -> None:
    found = iter_source_files([tree])
    assert [p.relative_to(tree).as_posix() for p in found.files] == [
        "a/b/three.JSONL",
        "a/b/two.html",
        "a/one.txt",
    ]
    assert found.ignored == 2
    assert found.errors == []


def test_symlink_loop_is_safe(tree: Path) -> None:
    os.symlink(tree / "a", tree / "a" / "b" / "loop")
    found = iter_source_files([tree])
    assert len(found.files) == 3


def test_explicit_file_with_unknown_suffix_is_kept_and_missing_reported(tree: Path) -> None:
    found = iter_source_files([tree / "a" / "notes.docx", tree / "missing", tree / "a" / "one.txt"])
    assert found.files == [tree / "a" / "notes.docx", tree / "a" / "one.txt"]
    assert len(found.errors) == 1 and "missing: no such file or folder" in str(found.errors[0])


def test_same_file_twice_is_listed_once(tree: Path) -> None:
    found = iter_source_files([tree / "a" / "one.txt", tree / "a"])
    assert [p.name for p in found.files].count("one.txt") == 1


def test_parlamint_sittings_are_read_but_the_corpus_files_beside_them_ignored(
    tmp_path: Path,
) -> None:
    for name in (
        "ParlaMint-XX.xml",
        "ParlaMint-XX-listPerson.xml",
        "ParlaMint-XX-listOrg.xml",
        "ParlaMint-taxonomy-parla.legislature.xml",
        "ParlaMint-XX_2025-06-04.xml",
    ):
        (tmp_path / name).write_text("<TEI/>")
    found = iter_source_files([tmp_path])
    assert [p.name for p in found.files] == ["ParlaMint-XX_2025-06-04.xml"]
    assert found.ignored == 4


def test_a_name_that_is_not_utf8_is_that_file_s_error(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good\n\nx")
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xffname.txt"), "wb") as handle:
        handle.write(b"Bad\n\nx")
    found = iter_source_files([tmp_path])
    assert [f.name for f in found.files] == ["good.txt"]
    (error,) = found.errors
    assert "bad\\xffname.txt: file name is not UTF-8" in str(error)


def test_special_files_are_refused_without_opening(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    found = iter_source_files([fifo, tmp_path])
    assert found.files == []
    assert "pipe.txt: not a regular file" in str(found.errors[0])
