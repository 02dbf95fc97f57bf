"""Loading treatments, scenarios and claims: good content loads clean, bad content gives file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.knowledge.model_io import load_claims, load_model_content, load_scenarios, load_treatments
from app.knowledge.pathway_io import load_pathway
from app.model.treatments import AddInput, BlockEdge, EstrogenFloor, IronTargetFactor
from app.paths import content_dir

CONTENT = content_dir()
PATHWAY, _ = load_pathway(CONTENT / "pathway.yaml")
TREATMENT_IDS = ["teriparatide", "zoledronic_acid", "estradiol", "raloxifene", "denosumab", "odanacatib",
                 "hepcidin", "icariin", "aps", "acupuncture"]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_the_app_content_loads_clean() -> None:
    mc = load_model_content(CONTENT)
    assert mc.problems == () and mc.model is not None
    assert list(mc.treatments) == TREATMENT_IDS
    assert list(mc.scenarios) == ["premenopausal", "early_postmenopause", "postmenopause_iron", "iron_overload"]
    for s in mc.scenarios.values():
        assert 1 <= len(s.description.splitlines()) <= 2 and s.cite
    t = mc.treatments
    (den,) = t["denosumab"].actions  # an antibody on RANKL: the RANKL -> RANK link is blocked
    assert isinstance(den, BlockEdge) and (den.source, den.target) == ("rankl", "rank") and 0.9 < den.fraction <= 1
    assert {tr.section for tr in t.values()} <= {"5", "5.1", "5.2", "5.3"} and t["hepcidin"].section == "5.1"
    assert isinstance(t["hepcidin"].actions[0], IronTargetFactor) and isinstance(t["hepcidin"].actions[1], AddInput)
    assert isinstance(t["estradiol"].actions[0], EstrogenFloor)
    for tr in t.values():
        assert tr.cite and tr.mechanism and "\n" not in tr.mechanism and tr.page.split(":")[0] in ("node", "topic")


def test_cite_keys_exist_in_references() -> None:
    import yaml

    refs = {r["key"] for r in yaml.safe_load((CONTENT / "references.yaml").read_text(encoding="utf-8"))["references"]}
    mc = load_model_content(CONTENT)
    keys = {k for t in mc.treatments.values() for k in t.cite}
    keys |= {k for s in mc.scenarios.values() for k in s.cite}
    keys |= {k for c in mc.claims for k in c.cite}
    assert keys <= refs, keys - refs


def test_bad_treatments_are_reported_with_lines(tmp_path: Path) -> None:
    p = _write(tmp_path, "treatments.yaml", """\
treatments:
  - id: good
    name: Good
    class: c
    mechanism: m
    cite: [x]
    actions:
      - {kind: add_input, node: osteoblast, sign: "+", weight: 0.3}
  - id: bad_kind
    name: B
    class: c
    mechanism: m
    cite: [x]
    actions:
      - {kind: teleport, node: osteoblast}
  - id: bad_node
    name: B
    class: c
    mechanism: m
    cite: [x]
    actions:
      - {kind: block_edge, source: rankl, target: osteoblast, fraction: 0.5}
  - id: good
    name: dup
""")
    treatments, problems = load_treatments(p, PATHWAY, "treatments.yaml")
    assert list(treatments) == ["good"]
    text = [str(x) for x in problems]
    assert any(t.startswith("treatments.yaml:15:") and "unknown action kind 'teleport'" in t for t in text)
    assert any(t.startswith("treatments.yaml:22:") and "no edge rankl->osteoblast" in t for t in text)
    assert any(t.startswith("treatments.yaml:23:") and "duplicate treatment id 'good'" in t for t in text)


def test_bad_scenarios_and_claims_are_reported_with_lines(tmp_path: Path) -> None:
    s = _write(tmp_path, "scenarios.yaml", """\
scenarios:
  - {id: ok, name: OK, estrogen: 50, ferritin: 100, description: "one line", cite: [x]}
  - {id: hot, name: Hot, estrogen: 500, ferritin: 100, description: "one line", cite: [x]}
""")
    scenarios, problems = load_scenarios(s, None, "scenarios.yaml")
    assert list(scenarios) == ["ok"]
    assert [str(p) for p in problems] == ["scenarios.yaml:3: scenario 'hot': 'estrogen' must be between "
                                          "0 and 120 (got 500)"]
    c = _write(tmp_path, "claims.yaml", """\
claims:
  - id: c1
    text: t
    cite: [x]
    compare: sideways
    runs: [{estrogen: 10, ferritin: 50}]
    expect: [{what: ros, direction: up}]
""")
    claims, problems = load_claims(c, "claims.yaml")
    assert claims == () and str(problems[0]).startswith("claims.yaml:2: claim 'c1': compare must be one of")


def test_missing_files_and_unknown_names(tmp_path: Path) -> None:
    root = tmp_path / "content"
    root.mkdir()
    shutil.copy(CONTENT / "pathway.yaml", root / "pathway.yaml")
    mc = load_model_content(root)
    assert mc.model is not None and mc.treatments == {}
    assert {p.file for p in mc.problems} == {"content/treatments.yaml", "content/scenarios.yaml",
                                             "content/claims.yaml"}
    shutil.copy(CONTENT / "claims.yaml", root / "claims.yaml")
    mc = load_model_content(root)
    assert any("unknown treatment 'denosumab'" in p.message for p in mc.problems)


def test_scenario_roles_mark_the_reference(tmp_path: Path) -> None:
    from app.model.scenarios import scenario_with_role

    mc = load_model_content(CONTENT)
    assert scenario_with_role(mc.scenarios, "reference") == "premenopausal"
    s = _write(tmp_path, "scenarios.yaml", """\
scenarios:
  - {id: a, name: A, estrogen: 100, ferritin: 50, description: "d", cite: [x], role: reference}
  - {id: b, name: B, estrogen: 10, ferritin: 50, description: "d", cite: [x], role: reference}
  - {id: c, name: C, estrogen: 10, ferritin: 50, description: "d", cite: [x], role: baseline}
""")
    scenarios, problems = load_scenarios(s, None, "scenarios.yaml")
    assert scenario_with_role(scenarios, "reference") == "a"
    assert [str(p) for p in problems] == [
        "scenarios.yaml:3: scenario 'b': role 'reference' is already held by 'a'",
        "scenarios.yaml:4: scenario 'c': unknown role 'baseline' (valid: reference)"]


def test_an_edge_with_odd_ends_is_named_shortly_on_one_line() -> None:
    """An edge whose source is a long list, or whose target holds a newline, is reported as a short
    one-line message: the ends are shown, not echoed (found by the pathway fuzzer, which produced a
    5,000-character message)."""
    from app.knowledge.pathway_io import parse_pathway

    text = CONTENT.joinpath("pathway.yaml").read_text(encoding="utf-8")
    nested = "[" * 20 + ", ".join(["osteoblast"] * 400) + "]" * 20
    odd = ("  - {source: " + nested + ", target: \"osteoclast\\nline two\", sign: \"+\", weight: 0.5,"
           " cite: [cai2023], section: \"2.2\", evidence: review, inference: [" + "1, " * 300 + "1],"
           " gate: [" + "2, " * 300 + "2], note: \"x\"}\n")
    _, problems = parse_pathway(text + odd, "content/pathway.yaml")
    mine = [p for p in problems if p.line == text.count("\n") + 1]
    assert mine, problems
    for p in mine:
        assert len(p.message) < 400 and "\n" not in p.message, (len(p.message), p.message[:200])
    assert any("source" in p.message and "is not a node" in p.message for p in mine)
    assert any("'inference' must be true or false" in p.message for p in mine)


def test_a_node_with_an_odd_role_is_reported_shortly() -> None:
    """A role that is a long list is shown shortened in its one-line message."""
    from app.knowledge.pathway_io import parse_pathway

    text = CONTENT.joinpath("pathway.yaml").read_text(encoding="utf-8")
    text = text.replace("input: true, role: iron_input}",
                        "input: true, role: [" + ", ".join(["iron_input"] * 400) + "]}", 1)
    _, problems = parse_pathway(text, "content/pathway.yaml")
    (p,) = [p for p in problems if "unknown role" in p.message]
    assert p.message.startswith("node 'serum_ferritin': unknown role [") and len(p.message) < 400, p


def test_odd_section_and_role_values_are_shown_shortly(tmp_path: Path) -> None:
    """A treatment's section or a scenario's role that is a long text or list is shown shortened
    in a one-line message (the hostile-strings fuzzer put a 20,000-character section there)."""
    long_text = "é" * 5000
    t = _write(tmp_path, "treatments.yaml", f"""\
treatments:
  - id: odd
    name: Odd
    class: c
    mechanism: m
    cite: [x]
    section: "{long_text}\\nsecond line"
    actions:
      - {{kind: add_input, node: osteoblast, sign: "+", weight: 0.3}}
""")
    _, problems = load_treatments(t, PATHWAY, "treatments.yaml")
    (p,) = [p for p in problems if "'section' must be" in p.message]
    assert len(p.message) < 400 and "\n" not in p.message, (len(p.message), p.message[:120])
    s = _write(tmp_path, "scenarios.yaml", "scenarios:\n  - {id: ok, name: OK, estrogen: 50, ferritin: 100, "
               "description: \"one line\", cite: [x], role: [" + ", ".join(["reference"] * 800) + "]}\n")
    _, problems = load_scenarios(s, None, "scenarios.yaml")
    (p,) = [p for p in problems if "unknown role" in p.message]
    assert len(p.message) < 400, (len(p.message), p.message[:120])
