"""The desktop integration files declare the two file types IronBone opens (sessions and lesson packs)
with the same names and suffixes the code uses, so a double click in a file manager reaches the app."""

from __future__ import annotations

import configparser
import xml.etree.ElementTree as ET
from pathlib import Path

from app.knowledge import session
from app.quiz import pack

LINUX = Path(__file__).resolve().parents[1] / "packaging" / "linux"
NS = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
TYPES = {"application/x-ironbone-session": session.SUFFIX, pack.MIME_TYPE: pack.SUFFIX}


def test_shared_mime_info_declares_both_types_with_the_codes_suffixes() -> None:
    root = ET.parse(LINUX / "org.ironbone.IronBone.mime.xml").getroot()
    declared = {t.get("type"): [g.get("pattern") for g in t.findall("m:glob", NS)]
                for t in root.findall("m:mime-type", NS)}
    assert declared == {mime: [f"*{suffix}"] for mime, suffix in TYPES.items()}
    for t in root.findall("m:mime-type", NS):
        assert t.findtext("m:comment", namespaces=NS)


def test_desktop_file_and_metainfo_name_the_same_types() -> None:
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # keys are case-sensitive in desktop files
    desktop.read(LINUX / "org.ironbone.IronBone.desktop", encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert [m for m in entry["MimeType"].split(";") if m] == list(TYPES)
    assert entry["Exec"].endswith(" %f")  # the file double-clicked is passed to the app
    metainfo = ET.parse(LINUX / "org.ironbone.IronBone.metainfo.xml").getroot()
    assert [m.text for m in metainfo.findall("provides/mediatype")] == list(TYPES)
