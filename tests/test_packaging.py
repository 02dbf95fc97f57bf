"""Packaging metadata agrees with itself: pyproject.toml, the desktop entry and the AppStream
metainfo name the same commands, licence, homepage, authors and keywords, and constraints.txt pins
every dependency to a version its range allows."""

from __future__ import annotations

import configparser
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
METAINFO = ET.parse(ROOT / "packaging" / "linux" / "org.ironbone.IronBone.metainfo.xml").getroot()


def _desktop() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(ROOT / "packaging" / "linux" / "org.ironbone.IronBone.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_gui_is_a_gui_script_and_the_command_line_a_console_script() -> None:
    assert PROJECT["gui-scripts"] == {"ironbone": "app.cli:main"}
    assert PROJECT["scripts"] == {"ironbone-cli": "app.cli:main"}


def test_the_desktop_entry_starts_the_gui_command() -> None:
    assert _desktop()["Exec"].split()[0] in PROJECT["gui-scripts"]


def test_the_metainfo_provides_exactly_the_installed_commands() -> None:
    binaries = {b.text for b in METAINFO.findall("provides/binary")}
    assert binaries == set(PROJECT["gui-scripts"]) | set(PROJECT["scripts"])


def test_licence_homepage_and_authors_agree_with_the_metainfo() -> None:
    assert METAINFO.findtext("project_license") == PROJECT["license"]
    assert METAINFO.find("url[@type='homepage']").text == PROJECT["urls"]["Homepage"]
    assert [a["name"] for a in PROJECT["authors"]] == [METAINFO.findtext("developer/name")]


def test_keywords_agree_with_the_desktop_entry() -> None:
    desktop = [k for k in _desktop()["Keywords"].split(";") if k]
    assert sorted(PROJECT["keywords"]) == sorted(desktop)


def test_constraints_pin_every_dependency_inside_its_range() -> None:
    pinned: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            pinned[canonicalize_name(name)] = version.strip()
    for spec in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pinned, f"constraints.txt has no version of {req.name}: run bash .ci/newest"
        assert req.specifier.contains(pinned[name], prereleases=True), \
            f"constraints.txt pins {req.name}=={pinned[name]}, outside pyproject.toml's {req.specifier}"
