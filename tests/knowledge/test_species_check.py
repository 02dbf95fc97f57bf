"""check-content compares the animal a sentence names with the species references.yaml records for
the study it cites, in pages, tour captions and quiz questions."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.knowledge.content import check_content, load_content
from app.knowledge.species import check_text, named_species

ROOT = Path(__file__).resolve().parents[2]
SPECIES = {"smith2001": ("mouse",), "jones2010": ("rat",)}


def _record_species(root: Path) -> None:
    """Give the fixture's two references a species: smith2001 mouse, jones2010 rat."""
    refs = root / "references.yaml"
    text = refs.read_text(encoding="utf-8")
    text = text.replace('journal: "Test Lett"', 'journal: "Test Lett", species: mouse')
    text = text.replace('journal: "J Test"', 'journal: "J Test", species: [rat]')
    refs.write_text(text, encoding="utf-8")


def _write_beta_sentence(root: Path, sentence: str) -> int:
    page = root / "nodes" / "beta.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    at = lines.index("## Related")
    lines[at:at] = [sentence, ""]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


def _lines(root: Path) -> list[str]:
    return [str(p) for p in check_content(root)]


def test_words_for_animals_are_recognised_and_link_targets_ignored() -> None:
    assert named_species("In OVX mice and in rats; murine cells") == ("mouse", "rat")
    assert named_species("[A study](ref:rattus2000) in people") == ()
    assert named_species("the separate word ratio and mousetrap-free text") == ()


def test_a_rat_named_for_a_mouse_study_is_reported(mini_dir: Path) -> None:
    _record_species(mini_dir)
    line = _write_beta_sentence(mini_dir, "In rats, iron loading raised osteoclast activity "
                                          "([Smith, 2001](ref:smith2001)).")
    assert _lines(mini_dir) == [
        f"content/nodes/beta.md:{line}: the text here names rat next to a citation of 'smith2001', "
        "but references.yaml records that study's species as mouse"]


def test_the_sentence_decides_not_the_paragraph() -> None:
    text = ("Iron was given to mice ([Smith, 2001](ref:smith2001)).\n"
            "Rats lost bone too ([Jones, 2010](ref:jones2010)).")
    assert check_text(text, SPECIES) == []
    swapped = text.replace("ref:smith2001", "ref:x").replace("ref:jones2010", "ref:smith2001")
    assert [(m.line, m.key) for m in check_text(swapped, SPECIES)] == [(1, "smith2001")]


def test_two_species_in_one_sentence_each_match_their_study() -> None:
    text = "Mouse ([Smith, 2001](ref:smith2001)) and rat ([Jones, 2010](ref:jones2010)) studies agree."
    assert check_text(text, SPECIES) == []
    assert [m.key for m in check_text("Mice only ([Jones, 2010](ref:jones2010)).", SPECIES)] == ["jones2010"]


def test_list_items_and_table_rows_are_separate_sentences() -> None:
    text = "- rats were used\n- a study ([Smith, 2001](ref:smith2001))\n| mice | [Jones](ref:jones2010) |"
    assert [m.key for m in check_text(text, SPECIES)] == ["jones2010"]


def test_studies_without_a_recorded_species_are_not_judged() -> None:
    assert check_text("In rats ([Review, 2020](ref:review2020)).", SPECIES) == []


def test_an_unknown_species_value_is_reported(mini_dir: Path) -> None:
    refs = mini_dir / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8").replace('journal: "J Test"', 'journal: "J Test", species: mices'),
                    encoding="utf-8")
    assert any("reference 'jones2010': unknown species 'mices' (valid: human, mouse, rat" in p
               for p in _lines(mini_dir))
    assert load_content(mini_dir).references["smith2001"].species == ()


def test_a_tour_caption_is_checked(tmp_path: Path) -> None:
    from app.knowledge.tours import load_tours

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    refs = root / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8").replace(
        "  - key: wang2018\n", "  - key: wang2018\n    species: mouse\n", 1), encoding="utf-8")
    (root / "tours" / "zz.yaml").write_text(
        "id: zz\ntitle: T\nminutes: 5\nsummary: S\nsteps:\n"
        "  - caption: \"In rats NF-kB rose ([Wang et al., 2018](ref:wang2018)).\"\n"
        "  - caption: \"In mice NF-kB rose ([Wang et al., 2018](ref:wang2018)).\"\n", encoding="utf-8")
    _, problems = load_tours(root, load_content(root).pathway)
    assert [(p.line, p.message) for p in problems if p.file == "content/tours/zz.yaml"] == [
        (6, "step 1: the text here names rat next to a citation of 'wang2018', "
            "but references.yaml records that study's species as mouse")]


def test_a_quiz_question_is_checked(tmp_path: Path) -> None:
    from app.quiz.bank import check_bank

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    refs = root / "references.yaml"
    refs.write_text(refs.read_text(encoding="utf-8").replace(
        "  - key: wang2018\n", "  - key: wang2018\n    species: mouse\n", 1), encoding="utf-8")
    (root / "quizzes" / "zz.yaml").write_text(
        "questions:\n"
        "  - id: zz-rats\n    type: truefalse\n    section: \"3.1\"\n    nodes: [nfkb]\n    difficulty: 1\n"
        "    objectives: [s31-opposite]\n"
        "    prompt: \"In iron-loaded rats without estrogen, NF-kB signalling rose.\"\n"
        "    answer: true\n    explanation: \"Osteoclasts were driven through NF-kB.\"\n"
        "    page: \"node:nfkb\"\n    cite: [wang2018]\n", encoding="utf-8")
    hits = [str(p) for p in check_bank(root) if "zz-rats" in p.message]
    assert hits == ["content/quizzes/zz.yaml:2: question 'zz-rats': the text here names rat next to a "
                    "citation of 'wang2018', but references.yaml records that study's species as mouse"]
