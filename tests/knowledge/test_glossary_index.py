"""The glossary index: A-Z groups for a jump bar, a forgiving filter, and terms beyond abbreviations
with their sources checked."""

from __future__ import annotations

from pathlib import Path

from app.knowledge.content import GlossaryTerm, check_content, load_content
from app.knowledge.glossary_index import OTHER, GlossaryIndex, group_letter

CONTENT = Path(__file__).resolve().parents[2] / "content"

TERMS = [
    GlossaryTerm(term="RANKL", expansion="Receptor activator of NF-κB ligand", meaning="Binds RANK.",
                 variants=("RANK ligand",)),
    GlossaryTerm(term="Fenton reaction", expansion="", meaning="Ferrous iron turns peroxide into a radical."),
    GlossaryTerm(term="β-catenin", expansion="", meaning="Carries the Wnt signal."),
    GlossaryTerm(term="25-hydroxyvitamin D", expansion="", meaning="The vitamin D form measured in blood."),
    GlossaryTerm(term="ROS", expansion="Reactive oxygen species", meaning="Made by the Fenton reaction."),
    GlossaryTerm(term="apoptosis", expansion="", meaning="Programmed cell death."),
]


def test_terms_are_grouped_a_to_z_with_greek_and_digits_handled() -> None:
    assert group_letter("β-catenin") == "B" and group_letter("25-hydroxyvitamin D") == OTHER
    assert group_letter("apoptosis") == "A" and group_letter("-x") == "X"
    index = GlossaryIndex(TERMS)
    groups = {g.letter: [t.term for t in g.terms] for g in index.groups()}
    assert list(groups) == ["A", "B", "F", "R", OTHER]
    assert groups["R"] == ["RANKL", "ROS"]
    letters = dict(index.letters())
    assert len(letters) == 27 and letters["B"] and not letters["C"] and letters[OTHER]


def test_the_filter_searches_term_alias_expansion_and_meaning_best_first() -> None:
    index = GlossaryIndex(TERMS)
    assert [t.term for t in index.filter("fenton")] == ["Fenton reaction", "ROS"]  # term before meaning
    assert [t.term for t in index.filter("rank ligand")] == ["RANKL"]  # every word, in the alias
    assert [t.term for t in index.filter("NF-kB")] == ["RANKL"]  # κ, hyphens and case forgiven
    assert [t.term for t in index.filter("beta catenin")] == []
    assert [t.term for t in index.filter("catenin")] == ["β-catenin"]
    assert index.filter("   ") == index.terms and index.filter("zzz") == ()
    assert [g.letter for g in index.groups(index.filter("radical"))] == ["F"]
    assert index.get("ROS") is TERMS[4] and index.get("nope") is None


def test_the_shipped_glossary_defines_mechanism_terms_with_sources() -> None:
    content = load_content(CONTENT)
    terms = {t.term: t for t in content.glossary}
    mechanism = [t for t in content.glossary if not t.is_abbreviation]
    assert len(mechanism) >= 15
    for name in ("Fenton reaction", "Labile iron pool", "Coupling", "Remodelling unit", "Decoy receptor",
                 "Mechanostat"):
        assert terms[name].meaning and not terms[name].expansion, name
    assert terms["Mechanostat"].cite == ("frost1987",) and "frost1987" in content.references
    for t in content.glossary:
        assert all(k in content.references for k in t.cite), t.term
    assert len(GlossaryIndex(content.glossary).groups()) >= 15


def test_a_glossary_source_must_exist(mini_dir: Path) -> None:
    (mini_dir / "glossary.yaml").write_text(
        "terms:\n  - term: \"Coupling\"\n    meaning: \"Formation follows resorption.\"\n    cite: [nobody1900]\n"
        "  - term: \"Empty\"\n    meaning: \"\"\n", encoding="utf-8")
    got = [str(p) for p in check_content(mini_dir)]
    assert "content/glossary.yaml:2: glossary term 'Coupling' cites unknown reference key 'nobody1900'" in got
    assert "content/glossary.yaml:5: glossary term 'Empty' has no 'meaning'" in got
