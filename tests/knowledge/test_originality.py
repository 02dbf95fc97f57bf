"""No content file copies ten or more consecutive words of the review; the check works from the
fingerprint IronBone ships (resources/review-shingles.bin), which holds no text of the review."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.knowledge.originality import RUN, Fingerprint, FingerprintError, content_files, find_copies, words
from app.paths import review_fingerprint

ROOT = Path(__file__).resolve().parents[2]
# A sentence of the review (Section 3.2), quoted here as the copy the check must catch.
REVIEW_SENTENCE = "Hepcidin is a cysteine-rich antibacterial peptide synthesized and secreted by the liver."
# A made-up text for the fingerprint's own tests; its runs are in no shipped file.
STORY = ("The lighthouse keeper counted forty-two gulls every morning before breakfast, wrote the "
         "number in a green ledger and then walked down to the harbour to mend the nets of his "
         "neighbours, who paid him in smoked herring and gossip.")


@pytest.fixture(scope="module")
def review() -> Fingerprint:
    return Fingerprint.load(review_fingerprint())


def _add_line(page: Path, text: str, at: int) -> None:
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.insert(at, text)
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_hyphenated_line_breaks_are_joined() -> None:
    assert words("osteo\u2010\nblasts and iron") == ["osteoblasts", "and", "iron"]


def test_shipped_content_copies_no_run_of_ten_words(review: Fingerprint) -> None:
    problems = find_copies(content_files(ROOT / "content"), review, ROOT / "content")
    assert problems == [], "\n".join(map(str, problems[:10]))


def test_a_copied_sentence_is_reported_with_its_line(mini_dir: Path, review: Fingerprint) -> None:
    _add_line(mini_dir / "nodes" / "alpha.md", REVIEW_SENTENCE, 8)
    problems = find_copies(content_files(mini_dir), review, mini_dir)
    assert [(p.file, p.line) for p in problems] == [("content/nodes/alpha.md", 9)]
    assert "copies 10+ consecutive words" in problems[0].message
    assert '"hepcidin is a cysteine rich antibacterial peptide synthesized and secreted"' in problems[0].message


def test_a_copy_across_a_line_break_and_in_other_case_is_reported(mini_dir: Path, review: Fingerprint) -> None:
    first, second = "HEPCIDIN, is a cysteine-rich (antibacterial)", "peptide synthesized and secreted by"
    _add_line(mini_dir / "nodes" / "beta.md", second, 6)
    _add_line(mini_dir / "nodes" / "beta.md", first, 6)
    problems = find_copies(content_files(mini_dir), review, mini_dir)
    assert [(p.file, p.line) for p in problems] == [("content/nodes/beta.md", 7)]


def test_nine_shared_words_are_fine(mini_dir: Path, review: Fingerprint) -> None:
    page = mini_dir / "nodes" / "alpha.md"
    nine = "hepcidin is a cysteine rich antibacterial peptide synthesized and"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{nine}\n", encoding="utf-8")
    assert find_copies(content_files(mini_dir), review, mini_dir) == []


def test_the_shipped_fingerprint_holds_no_word_of_the_review(review: Fingerprint) -> None:
    data = review_fingerprint().read_bytes()
    assert review.n == RUN
    assert len(review.digests) > 1000  # the review has about 5000 words
    for word in ("hepcidin", "ferroportin", "osteoporosis", "estrogen", "antibacterial"):
        assert word.encode() not in data


def test_a_fingerprint_survives_writing_and_reading_and_keeps_nothing_of_the_text() -> None:
    fp = Fingerprint.of_text(STORY)
    data = fp.to_bytes()
    assert Fingerprint.from_bytes(data, "x") == fp
    assert data == Fingerprint.of_text(STORY).to_bytes()  # the same text gives the same bytes
    assert len(fp.digests) == len(words(STORY)) - RUN + 1
    assert not any(w.encode() in data for w in words(STORY) if len(w) > 3)


def test_a_fingerprint_finds_exactly_the_runs_of_its_text(tmp_path: Path) -> None:
    fp = Fingerprint.of_text(STORY)
    root = tmp_path / "content"
    (root / "nodes").mkdir(parents=True)
    (root / "nodes" / "copy.md").write_text(
        "Our own words first.\n"
        "then walked down to the harbour to mend the nets of his\n"  # 12 words of the story
        "counted forty two gulls every morning before breakfast wrote\n",  # 9 words only
        encoding="utf-8")
    problems = find_copies(content_files(root), fp, root)
    assert [(p.file, p.line) for p in problems] == [("content/nodes/copy.md", 2)]
    assert find_copies(content_files(root), Fingerprint.of_text(STORY, n=13), root) == []


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda d: b"GIF89a" + d[6:], "not an IronBone fingerprint"),
    (lambda d: d[:-3], "the header promises"),
    (lambda d: d[:22] + d[30:38] + d[22:30] + d[38:], "not sorted and unique"),
    (lambda d: d[:16] + b"\x0a\x04" + d[18:], "4-byte digests"),
    (lambda d: b"", "not an IronBone fingerprint"),
])
def test_a_damaged_fingerprint_is_refused_with_a_message_naming_the_file(damage, expected: str) -> None:
    data = Fingerprint.of_text(STORY).to_bytes()
    with pytest.raises(FingerprintError) as info:
        Fingerprint.from_bytes(damage(data), "/some/where/review-shingles.bin")
    assert str(info.value).startswith("/some/where/review-shingles.bin: ")
    assert expected in str(info.value)


def test_the_build_script_writes_a_fingerprint_of_the_text_it_is_given(tmp_path: Path) -> None:
    text = tmp_path / "review.txt"
    text.write_text(STORY, encoding="utf-8")
    out = tmp_path / "out" / "runs.bin"
    proc = subprocess.run([sys.executable, str(ROOT / "packaging" / "make_review_hashes.py"), str(text),
                           "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert Fingerprint.load(out) == Fingerprint.of_text(STORY)
    assert f"{len(words(STORY)) - RUN + 1} runs of 10 words" in proc.stdout


def test_the_build_script_refuses_a_missing_or_too_short_text(tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("only five words in here", encoding="utf-8")
    for source, message in ((tmp_path / "missing.txt", "cannot read the review's text"),
                            (short, "fewer than 10 words")):
        proc = subprocess.run([sys.executable, str(ROOT / "packaging" / "make_review_hashes.py"), str(source),
                               "--out", str(tmp_path / "x.bin")], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 1
        assert proc.stderr.startswith(f"{source}: ") and message in proc.stderr
    assert not (tmp_path / "x.bin").exists()


def test_check_content_reports_a_copy_at_the_path_as_typed(mini_dir: Path) -> None:
    _add_line(mini_dir / "nodes" / "alpha.md", REVIEW_SENTENCE, 8)
    proc = subprocess.run([sys.executable, "-m", "app", "check-content", str(mini_dir)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{mini_dir}/nodes/alpha.md:9: copies 10+ consecutive words")


def test_check_content_can_check_against_a_text_instead(mini_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "other.txt"
    source.write_text(STORY, encoding="utf-8")
    _add_line(mini_dir / "topics" / "overview.md", "He walked down to the harbour to mend the nets of his", 6)
    proc = subprocess.run([sys.executable, "-m", "app", "check-content", str(mini_dir), "--source", str(source)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (proc.returncode, proc.stdout) == (1, f"{mini_dir}/topics/overview.md:7: copies 10+ consecutive words "
                                                 "of the review: \"walked down to the harbour to mend the nets of\" "
                                                 "— rewrite it in your own words\n")
    proc = subprocess.run([sys.executable, "-m", "app", "check-content", str(mini_dir), "--source",
                           str(tmp_path / "missing.txt")], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{tmp_path / 'missing.txt'}: cannot read the review's text")
