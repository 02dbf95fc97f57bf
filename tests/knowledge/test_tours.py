"""Guided tours: the shipped ones load cleanly and agree with the model; broken ones are reported."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from app.knowledge.content import load_content
from app.knowledge.model_io import ModelContent, load_model_content
from app.knowledge.problems import Problem
from app.knowledge.tours import Tour, TourStep, load_tours
from app.model.pathway import Pathway
from app.model.simulation import Inputs

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
REQUIRED = ("iron-after-menopause", "iron-harms-osteoblasts", "iron-feeds-osteoclasts",
            "estrogen-hepcidin-ferroportin", "treatment-targets")


@cache
def _shipped() -> tuple[Pathway, ModelContent]:
    pathway = load_content(CONTENT).pathway
    return pathway, load_model_content(CONTENT, pathway)


def _load(root: Path) -> tuple[dict[str, Tour], list[Problem]]:
    pathway, mc = _shipped()  # a copy of content/ has the same pathway, scenarios and treatments
    return load_tours(root, pathway, mc.scenarios, mc.treatments)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped content/, safe to break."""
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


GOOD_STEP = """\
  - caption: |
      A fine step ([Cai et al., 2023](ref:cai2023)).
    highlight: [estrogen]
"""


def _write_tour(root: Path, bad_step: str, *, tid: str = "zz-test",
                name: str = "zz-test.yaml") -> tuple[Path, int]:
    """A tour file whose second step is `bad_step`; returns the file and that step's line."""
    text = (f"id: {tid}\ntitle: \"Test\"\nminutes: 5\nsummary: \"A test tour.\"\nsteps:\n"
            + GOOD_STEP + textwrap.indent(textwrap.dedent(bad_step), "  "))
    path = root / "tours" / name
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  " + textwrap.dedent(bad_step).splitlines()[0]) + 1
    return path, line


def _messages(root: Path, file: Path) -> list[tuple[int, str]]:
    name = f"content/tours/{file.name}"
    problems = _load(root)[1]
    assert all(p.file.endswith(".yaml") for p in problems)
    return [(p.line, p.message) for p in problems if p.file == name]


# --- the shipped tours ----------------------------------------------------------------------

def test_shipped_tours_load_without_problems() -> None:
    tours, problems = _load(CONTENT)
    assert problems == [], "\n".join(map(str, problems))
    assert set(REQUIRED) <= set(tours)
    assert len(tours) >= 5
    for tour in tours.values():
        assert 6 <= len(tour.steps) <= 10, tour.id
        assert 3 <= tour.minutes <= 10, tour.id
        assert tour.title and tour.summary
        assert all(s.caption and s.line > 0 for s in tour.steps)
        assert tour.file == f"content/tours/{Path(tour.file).name}"


def test_tours_are_listed_in_file_name_order() -> None:
    tours, _ = _load(CONTENT)
    files = [t.file for t in tours.values()]
    assert files == sorted(files)
    assert list(tours)[:5] == list(REQUIRED)


def _net_sign(pathway: Pathway, path: tuple[str, ...]) -> int:
    g = pathway.graph
    sign = 1
    for a, b in pairwise(path):
        assert g.has_edge(a, b), f"{a} -> {b} is not an edge"
        sign *= g.edges[a, b]["sign"]
    return sign


def test_every_tour_path_is_a_real_signed_chain() -> None:
    pathway, _ = _shipped()
    tours, _ = _load(CONTENT)
    paths = [s.path for t in tours.values() for s in t.steps if s.path]
    assert len(paths) >= 20
    for path in paths:
        assert _net_sign(pathway, path) in (1, -1)
    # The signs the captions teach.
    assert _net_sign(pathway, ("estrogen", "hepcidin", "fpn1")) == 1
    assert _net_sign(pathway, ("ros", "bcl2", "cytochrome_c")) == 1
    assert _net_sign(pathway, ("ros", "bax", "cytochrome_c", "caspase9", "caspase3",
                               "ob_apoptosis", "osteoblast")) == -1
    assert _net_sign(pathway, ("hepcidin", "fpn1_ob", "labile_iron")) == 1
    steps = {s.path for s in tours["estrogen-hepcidin-ferroportin"].steps}
    assert ("estrogen", "hepcidin", "fpn1") in steps


def _replay(tour: Tour, mc: ModelContent) -> list[Inputs]:
    """The model inputs in force at each step, as the app applies them (scenario, set, treatments)."""
    inputs = Inputs.reference()
    out = []
    for step in tour.steps:
        if step.scenario:
            s = mc.scenarios[step.scenario]
            inputs = inputs.replace(estrogen=s.estrogen, ferritin=s.ferritin, treatments=s.treatments)
        if step.values:
            inputs = inputs.replace(**step.values)
        if step.treatments is not None:
            inputs = inputs.replace(treatments=step.treatments)
        out.append(inputs)
    return out


# (tour, step number, node, direction against the previous step): what the captions say happens.
DIRECTIONS = [
    ("iron-after-menopause", 6, "transferrin", "up"), ("iron-after-menopause", 6, "labile_iron", "up"),
    *(("iron-harms-osteoblasts", 2, n, "up") for n in
      ("labile_iron", "nox4", "ros", "bax", "cytochrome_c", "caspase3", "autophagy", "hedgehog")),
    *(("iron-harms-osteoblasts", 2, n, "down") for n in
      ("bm_mscs", "bcl2", "runx2", "hif_alpha", "vegf", "h_vessels", "osteoblast", "bone_formation")),
    *(("iron-feeds-osteoclasts", 3, n, "up") for n in
      ("osteoclast", "ros", "rankl", "mcsf", "trap", "cathepsin_k", "bone_resorption")),
    ("iron-feeds-osteoclasts", 3, "opg", "down"),
    ("iron-feeds-osteoclasts", 6, "nfkb", "up"), ("iron-feeds-osteoclasts", 6, "osteoclast", "up"),
    ("iron-feeds-osteoclasts", 6, "ros", "up"),
    ("estrogen-hepcidin-ferroportin", 3, "hepcidin", "up"),
    ("estrogen-hepcidin-ferroportin", 3, "fpn1", "down"),
    ("estrogen-hepcidin-ferroportin", 4, "hepcidin", "up"),
    ("estrogen-hepcidin-ferroportin", 4, "fpn1", "down"),
    ("treatment-targets", 2, "osteoblast", "up"), ("treatment-targets", 3, "osteoclast", "down"),
    ("treatment-targets", 4, "rank", "down"), ("treatment-targets", 4, "traf6", "down"),
    ("treatment-targets", 4, "nfkb", "down"),
    *(("treatment-targets", 6, n, "down") for n in ("hepcidin", "ros", "nfkb")),
    *(("treatment-targets", 7, n, "down") for n in ("serum_ferritin", "transferrin", "labile_iron", "fpn1")),
]


def test_directions_in_the_captions_agree_with_the_model() -> None:
    pathway, mc = _shipped()
    assert mc.model is not None
    tours, _ = _load(CONTENT)
    index = {n: i for i, n in enumerate(mc.model.node_ids)}
    cache_: dict[Inputs, list[float]] = {}

    def act(inputs: Inputs, node: str) -> float:
        if inputs not in cache_:
            cache_[inputs] = list(mc.model.steady_signalling(inputs))
        return cache_[inputs][index[node]]

    wrong = []
    for tid, number, node, direction in DIRECTIONS:
        runs = _replay(tours[tid], mc)
        before, after = act(runs[number - 2], node), act(runs[number - 1], node)
        if not (after > before + 1e-3 if direction == "up" else after < before - 1e-3):
            wrong.append(f"{tid} step {number}: {node} {before:.3f} -> {after:.3f}, caption says {direction}")
    assert wrong == []
    # Step 5 follows denosumab, which removes osteoclasts and so their cathepsin K too; the caption
    # means odanacatib lowers cathepsin K against no treatment.
    runs = _replay(tours["treatment-targets"], mc)
    untreated = runs[4].replace(treatments=())
    assert act(runs[4], "cathepsin_k") < act(untreated, "cathepsin_k") - 1e-3


def test_bone_claims_of_the_captions_hold() -> None:
    _, mc = _shipped()
    assert mc.model is not None

    def mass(estrogen: float, ferritin: float, *treatments: str) -> float:
        inputs = Inputs(estrogen=estrogen, ferritin=ferritin, treatments=treatments)
        return mc.model.simulate(inputs, 3).final.bone_mass_pct

    # Tour 1, step 7: iron on top of estrogen loss loses bone faster than estrogen loss alone.
    assert mass(10, 500) < mass(10, 50) < mass(100, 50)
    # Tour 5, step 9: estradiol with hepcidin keeps more bone than either alone.
    both = mass(10, 500, "estradiol", "hepcidin")
    assert both > mass(10, 500, "estradiol") and both > mass(10, 500, "hepcidin")


def test_a_step_knows_its_values() -> None:
    step = TourStep(caption="x", estrogen=10.0)
    assert step.values == {"estrogen": 10.0}
    assert TourStep(caption="x").treatments is None


# --- each class of error, with its file and line ----------------------------------------------

@pytest.mark.parametrize(("bad_step", "message"), [
    ("- caption: \"Hi\"\n  highlight: [estrogen, oestrogen_x]\n",
     "step 2: 'highlight' names unknown node 'oestrogen_x'"),
    ("- caption: \"Hi\"\n  path: [estrogen, nowhere]\n", "step 2: 'path' names unknown node 'nowhere'"),
    ("- caption: \"Hi\"\n  path: [estrogen, fpn1]\n",
     "step 2: 'path': there is no edge estrogen -> fpn1 in pathway.yaml"),
    ("- caption: \"Hi\"\n  path: [fpn1, transferrin, estrogen]\n",
     "step 2: 'path': there is no edge transferrin -> estrogen in pathway.yaml"),
    ("- caption: \"Hi\"\n  path: [estrogen]\n", "step 2: 'path' needs at least two nodes"),
    ("- caption: \"Hi\"\n  set: {estrogen: 150}\n",
     "step 2: 'set': estrogen must be a number between 0 and 120 (got 150)"),
    ("- caption: \"Hi\"\n  set: {ferritin: 5}\n",
     "step 2: 'set': ferritin must be a number between 10 and 3000 (got 5)"),
    ("- caption: \"Hi\"\n  set: {iron: 5}\n", "step 2: 'set': unknown slider 'iron' (valid: estrogen, ferritin)"),
    ("- caption: \"Hi\"\n  years: 31\n", "step 2: 'years' must be a number between 0 and 30 (got 31)"),
    ("- caption: \"Hi\"\n  years: -1\n", "step 2: 'years' must be a number between 0 and 30 (got -1)"),
    ("- caption: \"Hi\"\n  scenario: menopause\n", "step 2: unknown scenario 'menopause' (valid: "),
    ("- caption: \"Hi\"\n  treatments: [denosumab, aspirin]\n", "step 2: unknown treatment 'aspirin' (valid: "),
    ("- caption: \"Hi\"\n  page: \"node:liver\"\n", "step 2: 'page' names unknown node 'liver'"),
    ("- caption: \"Hi\"\n  page: \"topic:s9-nothing\"\n",
     "step 2: 'page' names unknown topic 's9-nothing' (no topics/s9-nothing.md)"),
    ("- caption: \"Hi\"\n  page: \"https://example.org\"\n",
     "step 2: 'page' must be node:<id> or topic:<id> (got 'https://example.org')"),
    ("- caption: \"   \"\n  highlight: [estrogen]\n", "step 2: empty 'caption'"),
    ("- highlight: [estrogen]\n", "step 2: empty 'caption'"),
    ("- caption: \"See [Nobody, 1900](ref:nobody1900).\"\n",
     "step 2: caption cites unknown reference key 'nobody1900' (not in references.yaml)"),
    ("- caption: \"See [the liver](node:liver).\"\n", "step 2: caption links to unknown node 'liver'"),
    ("- caption: \"See [there](topic:s9-x).\"\n",
     "step 2: caption links to unknown topic 's9-x' (no topics/s9-x.md)"),
    ("- caption: \"See [this](javascript:alert).\"\n", "step 2: caption link scheme 'javascript' is not"),
    ("- caption: \"See [this](app:nowhere).\"\n",
     "step 2: caption links to unknown app link 'app:nowhere' (known: app:evidence)"),
    ("- caption: \"Hi\"\n  hightlight: [estrogen]\n", "step 2: unknown key 'hightlight' (valid: "),
])
def test_a_broken_step_is_reported_at_its_line(content_copy: Path, bad_step: str, message: str) -> None:
    path, line = _write_tour(content_copy, bad_step)
    found = _messages(content_copy, path)
    assert any(ln == line and msg.startswith(message) for ln, msg in found), (line, found)
    assert len(found) == 1, found


def test_bad_parts_are_dropped_and_the_rest_kept(content_copy: Path) -> None:
    _write_tour(content_copy,
                "- caption: \"Hi\"\n  highlight: [estrogen, nope]\n  set: {estrogen: 500, ferritin: 300}\n")
    tours, problems = _load(content_copy)
    step = tours["zz-test"].steps[1]
    assert step.highlight == ("estrogen",)
    assert step.values == {"ferritin": 300.0}
    assert len([p for p in problems if "zz-test" in p.file]) == 2


def test_empty_treatments_clear_and_missing_ones_leave_alone(content_copy: Path) -> None:
    _write_tour(content_copy, "- caption: \"Hi\"\n  treatments: []\n")
    tours, problems = _load(content_copy)
    assert problems == []
    steps = tours["zz-test"].steps
    assert steps[0].treatments is None and steps[1].treatments == ()


def test_malformed_yaml_is_reported_at_its_line(content_copy: Path) -> None:
    path, line = _write_tour(content_copy, "- caption: \"Hi\"\n  highlight: [estrogen\n")
    found = _messages(content_copy, path)
    assert len(found) == 1 and found[0][1].startswith("malformed YAML")
    assert line <= found[0][0] <= line + 2  # the parser gives up at or just after the bad line
    assert "zz-test" not in _load(content_copy)[0]


def test_duplicate_tour_id_is_reported_in_the_second_file(content_copy: Path) -> None:
    path, _ = _write_tour(content_copy, "- caption: \"Cited ([Cai et al., 2023](ref:cai2023)).\"\n",
                          tid="iron-after-menopause")
    found = _messages(content_copy, path)
    assert found == [(1, "duplicate tour id 'iron-after-menopause' (also in "
                         "content/tours/01-iron-after-menopause.yaml)")]
    tours, _ = _load(content_copy)
    assert tours["iron-after-menopause"].file.endswith("01-iron-after-menopause.yaml")


def test_tour_level_problems(content_copy: Path) -> None:
    path = content_copy / "tours" / "zz-test.yaml"
    path.write_text("# a comment\nid: zz-test\ntitle: \"\"\nminutes: 45\nsummary: \"s\"\nlevel: 2\nsteps:\n"
                    "  - caption: \"No citation here.\"\n  - caption: \"Nor here.\"\n", encoding="utf-8")
    found = _messages(content_copy, path)
    assert found == [
        (2, "unknown key 'level' (valid: version, id, title, minutes, summary, steps, recap, check, next, "
            "objectives, teacher)"),
        (2, "tour 'zz-test': no 'title'"),
        (2, "tour 'zz-test': 'minutes' must be a number between 3 and 10 (got 45)"),
        (2, "tour 'zz-test': no caption cites a reference ([Author, year](ref:key))"),
    ]


def test_too_few_steps_and_no_id(content_copy: Path) -> None:
    one = content_copy / "tours" / "zz-one.yaml"
    one.write_text("id: zz-one\ntitle: \"T\"\nminutes: 5\nsummary: \"s\"\nsteps:\n" + GOOD_STEP, encoding="utf-8")
    none = content_copy / "tours" / "zz-none.yaml"
    none.write_text("title: \"T\"\nminutes: 5\nsummary: \"s\"\nsteps: []\n", encoding="utf-8")
    assert _messages(content_copy, one) == [(6, "tour 'zz-one': needs a 'steps' list of at least 2 steps")]
    assert _messages(content_copy, none) == [(1, "tour without a valid 'id' (got null)")]


def test_no_tours_folder_is_fine(content_copy: Path) -> None:
    shutil.rmtree(content_copy / "tours")
    assert _load(content_copy) == ({}, [])


def test_check_content_reports_tour_problems(content_copy: Path) -> None:
    path, line = _write_tour(content_copy, "- caption: \"Hi\"\n  set: {estrogen: 150}\n")
    run = subprocess.run([sys.executable, "-m", "app", "check-content", str(content_copy)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1
    want = f"content/tours/{path.name}:{line}: step 2: 'set': estrogen must be a number between 0 and 120"
    assert want in run.stdout, run.stdout
