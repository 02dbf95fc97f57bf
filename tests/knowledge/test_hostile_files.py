"""No file can freeze the core: a content file, a session or the content cache that is a FIFO, a
link to /dev/zero or far too large is refused promptly with a message naming the file (content
problems as `file:line: message`), and the rest of the content still loads."""

from __future__ import annotations

import os
import runpy
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from app import cli
from app.knowledge import content_cache as cc
from app.knowledge import limits
from app.knowledge import session as sf
from app.knowledge.content import load_content
from app.knowledge.session import SessionError

hs = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "hostile.py")))
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(hs.needs_fifo or not os.path.exists("/dev/zero"),
                                reason="FIFOs and /dev/zero are POSIX")

# One file of every kind the content loaders read.
FILES = ["pathway.yaml", "references.yaml", "glossary.yaml", "treatments.yaml", "scenarios.yaml", "claims.yaml",
         "nodes/rankl.md", "topics/about-model.md", "tours/01-iron-after-menopause.yaml",
         "quizzes/predictions.yaml"]
# The other kinds, as a FIFO only: every kind goes through the one reader, which the device case of
# the kinds above already tests (a check-content run takes about a second).
MORE_FILES = ["expectations.yaml", "calibration.yaml", "objectives.yaml", "study_path.yaml", "teacher_guide.yaml",
              "review_weights.yaml"]
WHAT = {"fifo": "is a FIFO (named pipe), not a regular file",
        "dev_zero": "links to /dev/zero, which is a character device, not a regular file"}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("shipped") / "content"
    shutil.copytree(ROOT / "content", dest)
    return dest


@pytest.fixture
def content(pristine: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(pristine, dest, symlinks=True)
    return dest


def _spoil(path: Path, kind: str) -> Path | None:
    """Replace `path` by a FIFO or a link to /dev/zero; returns the FIFO (to release a blocked reader)."""
    path.unlink()
    if kind == "fifo":
        return hs.make_fifo(path)
    hs.link_to_device(path)
    return None


def _check_content(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    source = tmp_path / "review.txt"
    source.write_text("a short stand-in for the review's text", encoding="utf-8")
    code = cli.main(["check-content", str(root), "--source", str(source)])
    # An absolute content directory is echoed as typed: compare from its folder name on.
    prefix = f"{root.parent}/"
    return code, [line.removeprefix(prefix) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(("name", "kind"), [(name, kind) for name in FILES for kind in ("fifo", "dev_zero")]
                         + [(name, "fifo") for name in MORE_FILES])
def test_check_content_names_a_fifo_or_device_promptly(content: Path, tmp_path: Path, name: str, kind: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    fifo = _spoil(content / name, kind)
    code, lines = hs.promptly(lambda: _check_content(content, tmp_path, capsys), fifo=fifo)
    assert code == 1
    assert f"content/{name}:1: cannot read: {WHAT[kind]}" in lines


@pytest.mark.parametrize("name", ["references.yaml", "nodes/rankl.md", "pathway.yaml"])
def test_the_gui_loader_reports_a_fifo_and_loads_the_rest(content: Path, name: str) -> None:
    fifo = _spoil(content / name, "fifo")
    loaded = hs.promptly(lambda: cc.load_content_cached(content), fifo=fifo)
    assert f"content/{name}:1: cannot read: {WHAT['fifo']}" in [str(p) for p in loaded.problems]
    assert len(loaded.topic_pages) > 5  # the rest is there


def test_a_content_file_over_the_limit_is_refused_with_its_size(content: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    with open(content / "glossary.yaml", "r+b") as f:
        f.truncate(limits.CONTENT_FILE_BYTES + 5 * limits.MB)
    code, lines = hs.promptly(lambda: _check_content(content, tmp_path, capsys))
    assert code == 1
    assert ("content/glossary.yaml:1: cannot read: is 7 MB, too large for a content file (at most 2 MB)"
            in lines)


@pytest.mark.parametrize("kind", ["fifo", "dev_zero"])
def test_a_session_that_is_a_fifo_or_device_is_refused_promptly(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "lesson.ironbone"
    path.write_text("{}", encoding="utf-8")
    fifo = _spoil(path, kind)
    with pytest.raises(SessionError) as info:
        hs.promptly(lambda: sf.read(path), fifo=fifo)
    assert str(info.value) == f"lesson.ironbone: {WHAT[kind]}"


def test_a_session_over_the_limit_says_its_size_and_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.ironbone"
    with open(path, "wb") as f:
        f.truncate(25 * limits.MB)
    with pytest.raises(SessionError) as info:
        hs.promptly(lambda: sf.read(path))
    assert str(info.value) == "huge.ironbone: is 25 MB, too large for a session file (at most 20 MB)"


def _cache_path(root: Path, folder: Path) -> Path:
    return folder / f"{cc.PREFIX}{cc.cache_key(root)}{cc.SUFFIX}"


def test_a_cache_file_that_is_a_fifo_is_discarded_and_rebuilt(mini_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    path = _cache_path(mini_dir, folder)
    hs.make_fifo(path)
    loaded = hs.promptly(lambda: cc.load_content_cached(mini_dir, folder), fifo=path)
    assert loaded == load_content(mini_dir)
    assert path.is_file() and not path.is_fifo()  # a real cache took its place
    assert cc.load_content_cached(mini_dir, folder) == loaded


def test_a_cache_file_over_the_limit_is_discarded_and_rebuilt(mini_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    path = _cache_path(mini_dir, folder)
    with open(path, "wb") as f:
        f.truncate(limits.CACHE_FILE_BYTES + 1)
    loaded = hs.promptly(lambda: cc.load_content_cached(mini_dir, folder))
    assert loaded == load_content(mini_dir)
    assert path.stat().st_size < limits.MB


def test_a_content_folder_with_a_fifo_is_loaded_without_the_cache(mini_dir: Path, tmp_path: Path) -> None:
    fifo = _spoil(mini_dir / "references.yaml", "fifo")
    folder = tmp_path / "cache"
    loaded = hs.promptly(lambda: cc.load_content_cached(mini_dir, folder), fifo=fifo)
    assert "content/references.yaml:1: cannot read: is a FIFO (named pipe), not a regular file" in \
        [str(p) for p in loaded.problems]


# --- alias bombs: refused in every YAML file at the anchor's line --------------------------------
# A million strings once expanded; enough to show the anchor was refused, cheap if it were not.
BOMB = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'] + [
    f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]" for i in range(1, 6)]
ALIAS = "YAML aliases (&anchor / *alias) are not allowed: write the value out in full"


@pytest.mark.parametrize("name", ["pathway.yaml", "references.yaml", "glossary.yaml", "treatments.yaml",
                                  "scenarios.yaml", "claims.yaml", "tours/01-iron-after-menopause.yaml",
                                  "quizzes/predictions.yaml", "nodes/rankl.md", "topics/about-model.md"])
def test_an_alias_bomb_in_any_content_file_is_refused_at_its_line(content: Path, tmp_path: Path, name: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = content / name
    lines = path.read_text(encoding="utf-8").splitlines()
    at = 1 if name.endswith(".md") else len(lines)  # front matter: just after the opening '---'
    path.write_text("\n".join(lines[:at] + BOMB + lines[at:]) + "\n", encoding="utf-8")
    code, out = hs.promptly(lambda: _check_content(content, tmp_path, capsys))
    assert code == 1
    assert any(line.startswith(f"content/{name}:{at + 1}: ") and ALIAS in line for line in out), out


@pytest.mark.parametrize("breakage", ["syntax", "fifo", "alias bomb"])
def test_a_broken_pathway_is_reported_first_and_alone(content: Path, tmp_path: Path, breakage: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Every node id in the glossary, quizzes, tours and treatments then looks unknown: 151 lines of
    output used to bury the cause at line 38. The cause comes first and the cascade is not reported."""
    path = content / "pathway.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  - {id: serum_ferritin,"))
    fifo = None
    if breakage == "syntax":
        lines[at] = lines[at].replace("{id: serum_ferritin,", "{id: [serum_ferritin,")
        path.write_text("\n".join(lines), encoding="utf-8")
    elif breakage == "fifo":
        fifo = _spoil(path, "fifo")
    else:
        path.write_text("\n".join(BOMB + lines), encoding="utf-8")
    code, out = hs.promptly(lambda: _check_content(content, tmp_path, capsys), fifo=fifo)
    first = {"syntax": f"content/pathway.yaml:{at + 1}: malformed YAML: did not find expected ',' or ']'",
             "fifo": f"content/pathway.yaml:1: cannot read: {WHAT['fifo']}",
             "alias bomb": f"content/pathway.yaml:1: {ALIAS}"}[breakage]
    assert code == 1 and out == [first]
