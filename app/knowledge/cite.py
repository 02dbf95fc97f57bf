"""'Cite this': BibTeX and plain-text citations for the review and for IronBone itself."""

from __future__ import annotations

from app import __version__
from app.knowledge.content import Reference


def _bib_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("&", "\\&")


def _bib_authors(authors: str) -> str:
    """'Cai H, Zhang H' -> 'Cai, H. and Zhang, H.' (BibTeX's own name format)."""
    out = []
    for part in (a.strip() for a in authors.replace(" et al.", "").split(",")):
        if not part:
            continue
        bits = part.split(" ")
        surname, initials = bits[0], "".join(bits[1:])
        out.append(f"{surname}, {' '.join(ch + '.' for ch in initials)}".rstrip(", "))
    return " and ".join(out)


def bibtex(ref: Reference) -> str:
    fields = {
        "author": _bib_authors(ref.authors),
        "title": "{" + _bib_escape(ref.title) + "}",
        "journal": _bib_escape(ref.journal),
        "year": str(ref.year),
        "volume": str(ref.extra.get("volume", "")),
        "number": str(ref.extra.get("issue", "")),
        "pages": str(ref.extra.get("pages", "")).replace("-", "--"),
        "doi": ref.doi,
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v and v != "{}")
    return f"@article{{{ref.key},\n{body}\n}}"


def plain(ref: Reference) -> str:
    vol = str(ref.extra.get("volume", ""))
    pages = str(ref.extra.get("pages", ""))
    where = f"{ref.journal}. {ref.year};{vol}:{pages}" if vol and pages else f"{ref.journal}. {ref.year}"
    doi = f" doi:{ref.doi}" if ref.doi else ""
    return f"{ref.authors}. {ref.title}. {where}.{doi}"


def app_bibtex(year: int = 2026) -> str:
    return ("@software{ironbone,\n"
            "  author = {{The IronBone developers}},\n"
            "  title = {IronBone: an interactive teaching app on iron accumulation, estrogen and "
            "postmenopausal bone loss},\n"
            f"  version = {{{__version__}}},\n"
            f"  year = {{{year}}},\n"
            "  note = {Teaching model built on Cai et al. (2023), doi:10.1631/jzus.B2200519}\n}")


def app_plain(year: int = 2026) -> str:
    return (f"The IronBone developers. IronBone {__version__}: an interactive teaching app on iron "
            f"accumulation, estrogen and postmenopausal bone loss. {year}. Built on Cai et al. 2023, "
            "doi:10.1631/jzus.B2200519.")
