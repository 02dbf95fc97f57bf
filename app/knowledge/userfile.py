"""The one reader of files a person or a content author hands IronBone (sessions, content, packs,
quiz files, the content cache): regular files only, size-bounded before and while reading, decoded
as UTF-8 with a one-line message naming the file and what is wrong.

Why each rule: a FIFO or a terminal blocks `open()` and `read()` forever, a character device such
as /dev/zero never ends, and a file can grow while it is read; so the file is opened without
blocking (O_NONBLOCK, where the system has it), `fstat`ed on the open descriptor (a symlink is
judged by what it points at, and nothing can be swapped in between), its size is checked before a
byte is read, and the read itself stops one byte past the limit.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # not on Windows: stat() is checked before opening there
_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) \
    | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


class UserFileError(ValueError):
    """A file that cannot be read as asked. `str()` is one line naming the file (and the line, for a
    decoding error); `reason` is the same without the file, for `file:line: message` reports."""

    def __init__(self, path: os.PathLike[str] | str, reason: str, *, line: int | None = None,
                 missing: bool = False) -> None:
        self.path = Path(path)
        self.reason = reason
        self.line = line
        self.missing = missing  # the file does not exist (loaders treat an absent optional file apart)
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {reason}")


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words, from its st_mode."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return name
    return "a special file"


def _not_regular(path: Path, mode: int) -> UserFileError:
    kind = file_kind(mode)
    via = ""
    if os.path.islink(path):
        try:
            via = f"links to {os.path.realpath(path)}, which "
        except (OSError, ValueError):
            via = "links to something that "
    return UserFileError(path, f"{via}is {kind}, not a regular file")


def size_text(n: int, other: int | None = None) -> str:
    """A byte count with a sensible unit (bytes, KB, MB, GB; 1 KB = 1024 bytes). With `other`, as
    many decimals as needed for the two to read differently: never "20.0 MB ... at most 20.0 MB"."""
    if n < 1024 and (other is None or other < 1024):
        return f"{n:,} bytes"
    unit, scale = next((u, s) for u, s in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("bytes", 1))
                       if max(n, other or 0) >= s)
    for decimals in (0, 1, 2, 3):
        text = f"{n / scale:,.{decimals}f}"
        if (decimals or n % scale == 0) and (other is None or text != f"{other / scale:,.{decimals}f}"):
            return f"{text} {unit}"
    return f"{n:,} bytes"


def _too_large(path: Path, size: int, limit: int, what: str) -> UserFileError:
    return UserFileError(path, f"is {size_text(size, limit)}, too large for {_article(what)} "
                               f"(at most {size_text(limit, size)})")


def _article(what: str) -> str:
    return f"an {what}" if what[:1].lower() in "aeiou" else f"a {what}"


def _os_error(path: Path, exc: OSError) -> UserFileError:
    if isinstance(exc, FileNotFoundError):
        return UserFileError(path, "no such file", missing=True)
    if isinstance(exc, IsADirectoryError):
        return UserFileError(path, "is a folder, not a regular file")
    if isinstance(exc, PermissionError):
        return UserFileError(path, "permission denied (cannot read it)")
    return UserFileError(path, f"cannot read it: {exc.strerror or exc}")


def _open_error(path: Path, exc: OSError) -> UserFileError:
    """Why a path could not be opened; a socket (ENXIO) or the like is named for what it is."""
    if not isinstance(exc, (FileNotFoundError, PermissionError)):
        try:
            st = os.stat(path)
        except OSError:
            pass
        else:
            if not stat.S_ISREG(st.st_mode):
                return _not_regular(path, st.st_mode)
    return _os_error(path, exc)


def read_user_bytes(path: os.PathLike[str] | str, *, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes, else UserFileError (never OSError),
    promptly and without blocking, whatever the path names (FIFO, device, socket, folder, a link to
    any of these, a file still being written)."""
    path = Path(path)
    try:
        if not _NONBLOCK:  # opening a FIFO would block: refuse it before trying
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):
                raise _not_regular(path, st.st_mode)
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise _open_error(path, exc) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, st.st_mode)
        if st.st_size > limit:
            raise _too_large(path, st.st_size, limit, what)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # at most limit + 1 bytes: a file growing under us cannot run away
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise _os_error(path, exc) from None
    finally:
        os.close(fd)
    if total > limit:
        raise UserFileError(path, f"grew past {size_text(limit)} while being read; {_article(what)} may be at "
                                  f"most {size_text(limit)}")
    return b"".join(chunks)


def decode_text(data: bytes, path: os.PathLike[str] | str) -> str:
    """UTF-8 (a leading byte-order mark is dropped) with newlines made "\\n" as text-mode `open()`
    does; a byte that is not UTF-8 is reported with its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UserFileError(path, f"byte 0x{data[exc.start]:02x} is not UTF-8 text (save the file as UTF-8)",
                            line=line) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_user_text(path: os.PathLike[str] | str, *, limit: int, what: str = "file") -> str:
    """`read_user_bytes` decoded by `decode_text`."""
    return decode_text(read_user_bytes(path, limit=limit, what=what), path)


def resolve_within(src: str, roots: Iterable[os.PathLike[str] | str]) -> Path | None:
    """The regular file a relative link `src` (a page's image) names inside one of `roots`, or None.
    The link is judged after decoding percent-escapes (repeatedly: %252F is %2F is /) and after
    resolving links, so neither `%2F%2Fhost/x.png` (a network path on Windows) nor a symlink out of
    the folder passes; a scheme, a host, an absolute or drive path, a backslash, a NUL or `..` is
    refused outright. Read what it returns with read_user_bytes (the file may change meanwhile)."""
    from urllib.parse import unquote

    text = src.strip()
    for _ in range(5):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    else:
        return None  # still escaped after five rounds: no link an author writes
    first = text.split("/", 1)[0]
    if not text or text.startswith("/") or ":" in first or "\\" in text or "\x00" in text \
            or ".." in text.split("/"):
        return None
    for root in roots:
        try:
            base = Path(root).resolve()
            candidate = (base / text).resolve()
            if candidate.is_relative_to(base) and stat.S_ISREG(os.stat(candidate).st_mode):
                return candidate
        except (OSError, ValueError, RuntimeError):  # missing, a loop of links, a name the system refuses
            continue
    return None
