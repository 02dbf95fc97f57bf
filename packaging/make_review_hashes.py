"""Builds resources/review-shingles.bin, the review's fingerprint for the copying check, from the
review's text; the text itself is never committed.

    python packaging/make_review_hashes.py REVIEW.txt [--out resources/review-shingles.bin]

REVIEW.txt is the plain text of Cai et al. 2023 (J Zhejiang Univ Sci B 24(4):301-311), e.g. as
`pdftotext` extracts it from the PDF; words broken by a hyphen at a line end are joined again. The
file holds a blake2b digest of every run of 10 consecutive normalised words (lower case, letters
and digits only), sorted: the same text always gives the same bytes, and it holds no word of the
review (a run of words can be checked against it, not read out of it). Run it again only if the
text of the review or the normalisation in app/knowledge/originality.py changes;
`python -m app check-content` and the tests use the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.knowledge.originality import RUN, Fingerprint  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python packaging/make_review_hashes.py",
                                     description="Build the review's fingerprint for the copying check.")
    parser.add_argument("review", type=Path, help="the review's plain text (UTF-8)")
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "review-shingles.bin",
                        help="where to write it (default: resources/review-shingles.bin)")
    args = parser.parse_args(argv)
    try:
        text = args.review.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.review}: cannot read the review's text: {exc}", file=sys.stderr)
        return 1
    fingerprint = Fingerprint.of_text(text, RUN)
    if not fingerprint.digests:
        print(f"{args.review}: fewer than {RUN} words; is this the review?", file=sys.stderr)
        return 1
    data = fingerprint.to_bytes()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"{args.out}: {len(fingerprint.digests)} runs of {RUN} words, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
