"""The one reader of user-supplied files: regular files only, refused promptly otherwise (FIFO,
device, link to a device, socket, folder), size-bounded before and while reading, UTF-8 decoded
with the line of a bad byte; every message names the file and says what is wrong in one line."""

from __future__ import annotations

import os
import runpy
import socket
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.knowledge import userfile
from app.knowledge.userfile import UserFileError, read_user_bytes, read_user_text, size_text

hs = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "hostile.py")))
MB = 1024 * 1024
posix_only = pytest.mark.skipif(hs.needs_fifo, reason="FIFOs and /dev/zero are POSIX")


def _refused(path: Path, **kw: object) -> UserFileError:
    with pytest.raises(UserFileError) as info:
        hs.promptly(lambda: read_user_bytes(path, limit=kw.pop("limit", MB), **kw),
                    fifo=path if path.is_fifo() else None)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(str(path))
    return info.value


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x: 1\n" * 1000)
    assert read_user_bytes(path, limit=5000) == b"x: 1\n" * 1000


@posix_only
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = hs.make_fifo(tmp_path / "lesson.ironbone")
    err = _refused(fifo)
    assert "is a FIFO (named pipe), not a regular file" in err.reason


@posix_only
def test_a_fifo_is_refused_where_the_system_has_no_nonblocking_open(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no O_NONBLOCK: the path is stat()ed before it is opened."""
    monkeypatch.setattr(userfile, "_NONBLOCK", 0)
    monkeypatch.setattr(userfile, "_FLAGS", os.O_RDONLY)
    fifo = hs.make_fifo(tmp_path / "pipe.yaml")
    assert "FIFO" in _refused(fifo).reason
    ok = tmp_path / "ok.yaml"
    ok.write_text("a: 1", encoding="utf-8")
    assert read_user_text(ok, limit=10) == "a: 1"


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_link_to_dev_zero_is_refused_for_what_it_points_at(tmp_path: Path) -> None:
    link = hs.link_to_device(tmp_path / "references.yaml")
    err = _refused(link)
    assert err.reason == "links to /dev/zero, which is a character device, not a regular file"
    assert _refused(Path("/dev/zero")).reason == "is a character device, not a regular file"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert "is a folder, not a regular file" in _refused(tmp_path).reason


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    if len(str(path)) > 100:
        pytest.skip("temporary path too long for a Unix socket")
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        assert "is a socket, not a regular file" in _refused(path).reason


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    err = _refused(tmp_path / "gone.yaml")
    assert err.missing and err.reason == "no such file"


def test_a_25_mb_file_is_refused_with_its_size_before_a_byte_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.ironbone"
    with open(path, "wb") as f:
        f.truncate(25 * MB)  # sparse: nothing is written, and reading it would take a while
    err = _refused(path, limit=20 * MB, what="session file")
    assert err.reason == "is 25 MB, too large for a session file (at most 20 MB)"


def test_one_byte_over_the_limit_reads_differently_from_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "edge.ironbone"
    with open(path, "wb") as f:
        f.truncate(20 * MB + 1)
    err = _refused(path, limit=20 * MB)
    assert err.reason == "is 20,971,521 bytes, too large for a file (at most 20,971,520 bytes)"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc files are Linux")
def test_a_file_longer_than_its_stated_size_is_cut_at_the_limit() -> None:
    """/proc files report size 0 and then deliver text, like a file growing while it is read."""
    path = Path("/proc/self/status")
    err = _refused(path, limit=64)
    assert err.reason == "grew past 64 bytes while being read; a file may be at most 64 bytes"


@pytest.mark.parametrize(("n", "other", "text"), [
    (0, None, "0 bytes"), (1023, None, "1,023 bytes"), (1024, None, "1 KB"), (1536, None, "1.5 KB"),
    (25 * MB, 20 * MB, "25 MB"), (20 * MB, 25 * MB, "20 MB"), (int(20.5 * MB), 20 * MB, "20.5 MB"),
    (20 * MB + 1, 20 * MB, "20,971,521 bytes"), (3 * 1024 * MB, None, "3 GB"),
])
def test_sizes_read_in_sensible_units(n: int, other: int | None, text: str) -> None:
    assert size_text(n, other) == text


def test_text_is_utf8_with_bom_dropped_and_newlines_made_plain(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes("\ufeffa\r\nb\rc\né".encode())
    assert read_user_text(path, limit=100) == "a\nb\nc\né"


def test_a_byte_that_is_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"one\ntwo\nthr\xffee\n")
    with pytest.raises(UserFileError) as info:
        read_user_text(path, limit=100)
    assert info.value.line == 3
    assert str(info.value) == f"{path}:3: byte 0xff is not UTF-8 text (save the file as UTF-8)"


def test_errors_are_value_errors_never_os_errors(tmp_path: Path) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text("a", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # running as root: permissions do not apply
            pytest.skip("permissions are not enforced for this user")
        err = _refused(path)
        assert isinstance(err, ValueError) and "permission denied" in err.reason
    finally:
        path.chmod(0o600)


def test_images_resolve_only_to_regular_files_inside_the_roots(tmp_path: Path) -> None:
    from app.knowledge.userfile import resolve_within

    content, resources, outside = tmp_path / "content", tmp_path / "resources", tmp_path / "secret"
    for folder in (content / "img", resources, outside):
        folder.mkdir(parents=True)
    (content / "img" / "a.png").write_bytes(b"png")
    (resources / "b.png").write_bytes(b"png")
    (outside / "x.png").write_bytes(b"secret")
    (content / "img" / "out.png").symlink_to(outside / "x.png")
    (content / "img" / "folder.png").mkdir()
    roots = [content, resources]
    assert resolve_within("img/a.png", roots) == (content / "img" / "a.png").resolve()
    assert resolve_within("img%2Fa.png", roots) == (content / "img" / "a.png").resolve()
    assert resolve_within("b.png", roots) == (resources / "b.png").resolve()
    refused = ["/etc/passwd", str(outside / "x.png"), "../secret/x.png", "img/../../secret/x.png",
               "%2E%2E/secret/x.png", "%252E%252E/secret/x.png", "%2F%2F127.0.0.1%3A9/x.png", "//127.0.0.1/x.png",
               "\\\\127.0.0.1\\share\\x.png", "C:/x.png", "file:///etc/passwd", "http://e.org/x.png",
               "img/out.png", "img/folder.png", "img/missing.png", "", "img/a.png\x00.txt", "/dev/zero"]
    for src in refused:
        assert resolve_within(src, roots) is None, src
    if not hs.needs_fifo:
        hs.make_fifo(content / "img" / "pipe.png")
        assert resolve_within("img/pipe.png", roots) is None
