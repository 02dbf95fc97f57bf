"""A hostile page (scripts, iframes, remote and data: images, javascript:/data: links) renders inert."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from app.knowledge.render import markdown_to_html

HOSTILE = """
<script>alert('s')</script>
<iframe src="http://evil.example/frame"></iframe>
<img src="http://evil.example/raw.png">
<a href="javascript:alert('raw')">raw anchor</a>

![remote](http://evil.example/r.png) ![protocol relative](//evil.example/p.png)
![data image](data:image/png;base64,iVBORw0KGgo=) ![js image](javascript:alert(1))
![backslash](\\\\evil.example\\share\\x.png) ![upper](HTTPS://evil.example/u.png)

[js link](javascript:alert(1)) [data link](data:text/html,<script>alert(1)</script>)
[relative host](//evil.example/x) [vbscript](vbscript:msgbox)
"""


@pytest.fixture
def no_network(monkeypatch) -> list[str]:
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise AssertionError(f"network access attempted: {args[:2]!r}")

    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"),
                        (socket, "create_connection"), (socket, "getaddrinfo")):
        monkeypatch.setattr(owner, name, refuse)
    return attempts


def test_hostile_markdown_renders_no_active_html() -> None:
    out = markdown_to_html(HOSTILE).lower()
    for tag in ("<script", "<iframe", "<img", "<object", "<embed", "<svg"):
        assert tag not in out, tag
    assert "&lt;script&gt;" in out and "&lt;iframe" in out  # shown as text instead
    for alt in ("remote", "protocol relative", "data image", "js image", "backslash", "upper"):
        assert f"[image not shown: {alt}]" in out, alt


def test_hostile_page_in_the_window_is_inert(qtbot, make_window, mini_dir, no_network, opened_urls) -> None:
    page = mini_dir / "nodes" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    window = make_window(mini_dir)
    window.controller.select_node("alpha")
    panel = window.panel
    text = panel.toPlainText()
    assert "<script>alert('s')</script>" in text and '<iframe src="http://evil.example/frame">' in text
    assert '<img src="http://evil.example/raw.png">' in text
    # No image of any kind made it into the document: nothing for Qt to fetch.
    block = panel.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            assert not it.fragment().charFormat().isImageFormat(), it.fragment().text()
            it += 1
        block = block.next()
    for url in ("http://evil.example/r.png", "//evil.example/p.png", "data:image/png;base64,iVBORw0KGgo="):
        # An empty image: None would let Qt fetch the URL itself.
        image = panel.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(url))
        assert isinstance(image, QImage) and image.isNull(), url
    for link in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x",
                 "vbscript:msgbox"):
        before = panel.location
        panel.follow_link(link)
        assert panel.location == before
        assert "Refused to open link" in window.statusBar().currentMessage(), link
    assert opened_urls == []
    assert no_network == []
