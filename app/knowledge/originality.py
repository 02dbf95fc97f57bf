"""Guards against copying: finds runs of N consecutive words shared with the review, which the app
knows only by its fingerprint (a hash of every N-word run of the review), never by its text."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.knowledge.limits import CONTENT_FILE_BYTES
from app.knowledge.problems import Problem, rel
from app.knowledge.userfile import UserFileError, read_user_text

# No run of 10 or more consecutive words of the review may appear in content/: shorter shared runs
# are the field's fixed phrases ("bone mineral density in postmenopausal women"), longer ones are
# copied sentences.
RUN = 10
_WORD = re.compile(r"[a-z0-9]+")
# The review's text comes from a PDF: words broken at line ends by a hyphen are joined again.
_BROKEN = re.compile(r"[\u2010\u00ad-]\s*\n\s*")

# The fingerprint file: a fixed header, then the digests sorted and unique, so that building it
# twice from the same text gives the same bytes. 8-byte digests: with about 5000 runs in the review
# a run of the content matches one by accident with a chance of 5000 / 2^64, below 10^-15.
# The personalisation keeps these digests from matching any other use of blake2b.
_MAGIC = b"IRONBONE-RUNS-1\n"
_HEADER = len(_MAGIC) + 1 + 1 + 4  # magic, run length, digest size, count (big-endian)
DIGEST_BYTES = 8
_PERSON = b"ironbone-review"


class FingerprintError(ValueError):
    """A fingerprint file that cannot be used; the message names the file."""


def words(text: str) -> list[str]:
    """The normalised words of a text: lower case, letters and digits only, line-end hyphens joined."""
    return _WORD.findall(_BROKEN.sub("", text).lower())


def run_digest(run: Sequence[str]) -> bytes:
    """The digest of one run of normalised words."""
    return hashlib.blake2b(" ".join(run).encode("utf-8"), digest_size=DIGEST_BYTES, person=_PERSON).digest()


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The digests of every run of `n` consecutive words of a text. It holds no word of the text: a
    run of words can be checked against it, not read out of it."""

    n: int
    digests: frozenset[bytes]

    @classmethod
    def of_text(cls, text: str, n: int = RUN) -> Fingerprint:
        w = words(text)
        return cls(n, frozenset(run_digest(w[i : i + n]) for i in range(len(w) - n + 1)))

    def to_bytes(self) -> bytes:
        return (_MAGIC + bytes([self.n, DIGEST_BYTES]) + len(self.digests).to_bytes(4, "big")
                + b"".join(sorted(self.digests)))

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> Fingerprint:
        if len(data) < _HEADER or not data.startswith(_MAGIC):
            raise FingerprintError(f"{name}: not an IronBone fingerprint file (it must start with {_MAGIC!r})")
        n, size = data[len(_MAGIC)], data[len(_MAGIC) + 1]
        count = int.from_bytes(data[_HEADER - 4 : _HEADER], "big")
        if n < 2 or size != DIGEST_BYTES:
            raise FingerprintError(f"{name}: runs of {n} words with {size}-byte digests; "
                                   f"expected runs of 2 or more words with {DIGEST_BYTES}-byte digests")
        if len(data) != _HEADER + count * size:
            raise FingerprintError(f"{name}: the header promises {count} digests ({_HEADER + count * size} bytes) "
                                   f"but the file has {len(data)} bytes; it is damaged, build it again")
        body = [data[i : i + size] for i in range(_HEADER, len(data), size)]
        if any(a >= b for a, b in zip(body, body[1:], strict=False)):
            raise FingerprintError(f"{name}: the digests are not sorted and unique; it is damaged, build it again")
        return cls(n, frozenset(body))

    @classmethod
    def load(cls, path: Path) -> Fingerprint:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FingerprintError(f"{path}: cannot read the review's fingerprint: {exc.strerror or exc}") from exc
        return cls.from_bytes(data, str(path))


def find_copies(files: Iterable[Path], source: Fingerprint, root: Path) -> list[Problem]:
    """One Problem per file line where a run of `source.n` words of the source begins."""
    n = source.n
    problems: list[Problem] = []
    for path in files:
        try:
            text = read_user_text(path, limit=CONTENT_FILE_BYTES, what="content file")
        except UserFileError:
            continue  # unreadable files are reported by the loaders
        # Map every word to its line so the message can point at it.
        line_of_word: list[int] = []
        for lineno, line in enumerate(text.split("\n"), start=1):
            line_of_word += [lineno] * len(_WORD.findall(line.lower()))
        w = _WORD.findall(text.lower())
        reported: set[int] = set()
        for i in range(len(w) - n + 1):
            if run_digest(w[i : i + n]) in source.digests:
                line = line_of_word[i] if i < len(line_of_word) else 1
                if line not in reported:
                    reported.add(line)
                    problems.append(Problem(rel(path, root), line,
                                            f"copies {n}+ consecutive words of the review: "
                                            f"\"{' '.join(w[i:i + n])}\" — rewrite it in your own words"))
    return problems


def content_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml", ".yml") and p.is_file()
                  and p.name != "README.md")
