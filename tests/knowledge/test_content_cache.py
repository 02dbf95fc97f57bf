"""The parsed-content cache of the GUI's start (app/knowledge/content_cache.py): hits skip the parser,
any edit or damage means a fresh parse, a hostile cache file is refused, a broken cache dir is harmless."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from app.knowledge import content_cache as cc
from app.knowledge.content import Content, check_content, load_content
from app.knowledge.problems import Problem

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


def _caches(folder: Path) -> list[Path]:
    return sorted(folder.glob("content-*.pickle"))


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(root: Path) -> None:
        raise AssertionError(f"the parser ran for {root} although the cache was warm")

    monkeypatch.setattr(cc, "load_content", refuse)


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []

    def counting(root: Path) -> Content:
        calls.append(root)
        return load_content(root)

    monkeypatch.setattr(cc, "load_content", counting)
    return calls


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_load_comes_from_the_cache_without_parsing(mini_dir: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache-a"
    first = cc.load_content_cached(mini_dir, cache)
    assert len(_caches(cache)) == 1
    assert first == load_content(mini_dir)
    _no_parse(monkeypatch)
    second = cc.load_content_cached(mini_dir, cache)
    assert second == load_content(mini_dir) and second is not first
    assert second.root == mini_dir
    assert second.pathway.node("alpha").label == "Alpha"  # the index is rebuilt, not just the tuples
    assert second.node_pages["alpha"].meta == first.node_pages["alpha"].meta
    assert len(_caches(cache)) == 1


def test_the_real_content_round_trips_through_the_restricted_unpickler(tmp_path: Path, monkeypatch) -> None:
    """Every class the real content needs is allowed: else each start would parse and rewrite."""
    cache = tmp_path / "cache-real"
    parsed = cc.load_content_cached(CONTENT, cache)
    _no_parse(monkeypatch)
    cached = cc.load_content_cached(CONTENT, cache)
    assert cached == parsed
    assert [r.extra for r in cached.references.values()] == [r.extra for r in parsed.references.values()]
    assert {k: p.meta for k, p in cached.node_pages.items()} == {k: p.meta for k, p in parsed.node_pages.items()}


def test_the_default_cache_dir_is_the_env_override_or_the_user_cache(tmp_path: Path, monkeypatch) -> None:
    from platformdirs import user_cache_dir

    assert cc.default_cache_dir() == tmp_path / "cache"  # tests/conftest.py sets IRONBONE_CACHE_DIR
    monkeypatch.delenv("IRONBONE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cc.default_cache_dir() == Path(user_cache_dir("IronBone", appauthor=False))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cc.default_cache_dir() == Path(user_cache_dir("IronBone", appauthor=False))


def test_without_a_cache_dir_argument_the_env_folder_is_used(mini_dir: Path, tmp_path: Path) -> None:
    cc.load_content_cached(mini_dir)
    assert len(_caches(tmp_path / "cache")) == 1


def test_the_same_tree_spelt_another_way_is_a_hit_with_the_requested_root(mini_dir: Path, tmp_path: Path,
                                                                          monkeypatch) -> None:
    cache = tmp_path / "cache-b"
    cc.load_content_cached(mini_dir, cache)
    _no_parse(monkeypatch)
    other = mini_dir / "nodes" / ".."
    content = cc.load_content_cached(other, cache)
    assert content.root == other


@pytest.mark.parametrize("where", ["pathway", "page"])
def test_editing_one_content_file_gives_the_new_content(mini_dir: Path, tmp_path: Path, monkeypatch,
                                                        where: str) -> None:
    cache = tmp_path / "cache-c"
    before = cc.load_content_cached(mini_dir, cache)
    if where == "pathway":
        _edit(mini_dir / "pathway.yaml", 'label: "Alpha"', 'label: "Alpha edited"')
    else:
        _edit(mini_dir / "nodes" / "beta.md", "The beta node of the test pathway.", "The beta node, now edited.")
    calls = _count_parses(monkeypatch)
    after = cc.load_content_cached(mini_dir, cache)
    assert calls == [mini_dir]
    assert after == load_content(mini_dir) and after != before
    if where == "pathway":
        assert after.pathway.node("alpha").label == "Alpha edited"
    else:
        assert "now edited" in after.node_pages["beta"].body
    assert len(_caches(cache)) == 2


def test_a_new_file_under_the_root_is_a_miss(mini_dir: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache-d"
    cc.load_content_cached(mini_dir, cache)
    page = (mini_dir / "topics" / "overview.md").read_text(encoding="utf-8")
    (mini_dir / "topics" / "second.md").write_text(page.replace("title:", "title: Second", 1), encoding="utf-8")
    calls = _count_parses(monkeypatch)
    content = cc.load_content_cached(mini_dir, cache)
    assert calls == [mini_dir] and "second" in content.topic_pages


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "not content"])
def test_a_damaged_cache_file_means_a_fresh_parse_and_a_rewrite(mini_dir: Path, tmp_path: Path, monkeypatch,
                                                               damage: str) -> None:
    cache = tmp_path / "cache-e"
    cc.load_content_cached(mini_dir, cache)
    (path,) = _caches(cache)
    good = path.read_bytes()
    bad = {
        "truncated": good[: len(good) // 2],
        "garbage": b"\x80\x05this is not a pickle at all" * 10,
        "empty": b"",
        "not content": pickle.dumps({"root": "x", "pathway": None}),
    }[damage]
    path.write_bytes(bad)
    calls = _count_parses(monkeypatch)
    content = cc.load_content_cached(mini_dir, cache)
    assert calls == [mini_dir]
    assert content == load_content(mini_dir)
    assert _caches(cache) == [path] and path.read_bytes() != bad
    _no_parse(monkeypatch)
    assert cc.load_content_cached(mini_dir, cache) == content  # the rewritten file is good


class _Touch:
    """Unpickling this runs a shell command that creates `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch '{self.marker}'",))


class _Exec:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


@pytest.mark.skipif(sys.platform == "win32", reason="the payload uses a POSIX shell")
@pytest.mark.parametrize("payload", ["os.system", "builtins.exec", "inside a page"])
def test_a_cache_file_naming_a_forbidden_global_is_refused(mini_dir: Path, tmp_path: Path, monkeypatch,
                                                           payload: str) -> None:
    cache = tmp_path / "cache-f"
    marker = tmp_path / "owned"
    if payload == "inside a page":  # a real Content with the hostile object deep inside
        content = load_content(mini_dir)
        content.node_pages["alpha"].meta["x"] = _Touch(marker)
        data = pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)
    else:
        data = pickle.dumps((_Touch if payload == "os.system" else _Exec)(marker))
    key = cc.cache_key(mini_dir)
    cache.mkdir()
    (cache / f"content-{key}.pickle").write_bytes(data)
    calls = _count_parses(monkeypatch)
    content = cc.load_content_cached(mini_dir, cache)
    assert not marker.exists(), "the forbidden global ran"
    assert calls == [mini_dir] and content == load_content(mini_dir)
    assert (cache / f"content-{key}.pickle").read_bytes() != data  # replaced by a good one
    pickle.loads(data)  # the payload is real: an unrestricted unpickler runs it
    assert marker.exists()


def test_an_unwritable_cache_dir_is_harmless(mini_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    for folder in (blocker, blocker / "sub"):
        content = cc.load_content_cached(mini_dir, folder)
        assert content == load_content(mini_dir)
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_an_unreadable_content_file_bypasses_the_cache(mini_dir: Path, tmp_path: Path) -> None:
    (mini_dir / "nodes" / "dangling.md").symlink_to(mini_dir / "nowhere.md")
    cache = tmp_path / "cache-g"
    content = cc.load_content_cached(mini_dir, cache)
    assert content == load_content(mini_dir)
    assert any("cannot read" in p.message for p in content.problems)
    assert _caches(cache) == []


def test_at_most_four_cache_files_are_kept_and_the_newest_survives(mini_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache-h"
    page = mini_dir / "topics" / "overview.md"
    text = page.read_text(encoding="utf-8")
    for i in range(7):
        page.write_text(text + f"\nEdit number {i}.\n", encoding="utf-8")
        cc.load_content_cached(mini_dir, cache)
        newest = cache / f"content-{cc.cache_key(mini_dir)}.pickle"
        assert newest.exists()
        for j, old in enumerate(p for p in _caches(cache) if p != newest):  # a coarse clock: all equal
            os.utime(old, (1_000_000 + j, 1_000_000 + j))
        os.utime(newest, (1_000_000, 1_000_000))
    assert len(_caches(cache)) == cc.KEEP
    stale = cache / ".content-left-by-a-crash.tmp"
    stale.write_bytes(b"partial")
    os.utime(stale, (1_000_000, 1_000_000))
    cc.prune(cache)
    assert not stale.exists() and len(_caches(cache)) == cc.KEEP


def test_content_with_problems_is_cached_and_reported_identically(mini_dir: Path, tmp_path: Path,
                                                                  monkeypatch) -> None:
    _edit(mini_dir / "nodes" / "gamma.md", "title:", "title: [unclosed")
    _edit(mini_dir / "nodes" / "beta.md", "[Alpha](node:alpha)", "[Nobody](node:nobody)")
    cache = tmp_path / "cache-i"
    parsed = cc.load_content_cached(mini_dir, cache)
    assert parsed.problems and "node:gamma" in parsed.page_problems and "node:beta" in parsed.page_problems
    _no_parse(monkeypatch)
    cached = cc.load_content_cached(mini_dir, cache)
    assert cached.problems == parsed.problems == load_content(mini_dir).problems
    assert cached.page_problems == parsed.page_problems
    assert [str(p) for p in cached.problems] == [str(p) for p in parsed.problems]


def test_check_content_never_uses_the_cache(mini_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"  # IRONBONE_CACHE_DIR of tests/conftest.py
    cc.load_content_cached(mini_dir)
    (path,) = _caches(cache)
    path.write_bytes(pickle.dumps("tampered"))
    _edit(mini_dir / "nodes" / "beta.md", "[Alpha](node:alpha)", "[Nobody](node:nobody)")
    assert any("node:nobody" in p.message for p in check_content(mini_dir))
    assert _caches(cache) == [path] and pickle.loads(path.read_bytes()) == "tampered"


def _yaml_imports(importtime: str) -> tuple[int | None, int | None]:
    """Line numbers of the first PyYAML import and of the deferred model set-up (after first paint)."""
    first_yaml = model = None
    for i, line in enumerate(importtime.splitlines()):
        if not line.startswith("import time:"):
            continue
        module = line.rsplit("|", 1)[-1].strip()
        if first_yaml is None and (module == "yaml" or module.startswith("yaml.")):
            first_yaml = i
        if model is None and module == "app.ui.model.loader":
            model = i
    return first_yaml, model


def test_a_warm_start_does_not_import_yaml(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRONBONE_CACHE_DIR=str(tmp_path / "cache-j"))
    env.pop("IRONBONE_DATA", None)
    cmd = [sys.executable, "-X", "importtime", "-m", "app", "--smoke-test"]
    runs = []
    for _ in range(2):
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "smoke test ok" in done.stdout
        runs.append(_yaml_imports(done.stderr))
    assert len(_caches(tmp_path / "cache-j")) == 1
    (cold_yaml, cold_model), (warm_yaml, warm_model) = runs
    assert cold_yaml is not None and (cold_model is None or cold_yaml < cold_model)  # the cold start parses
    # The model's own files (treatments, scenarios…) are read after the first paint; the smoke test
    # sometimes sees that begin before it exits. Up to the first paint, a warm start has no PyYAML.
    assert warm_yaml is None or (warm_model is not None and warm_model < warm_yaml)


def _spoilt(content: Content, where: str) -> Content:
    """`content` with one field of the right name holding the wrong type (frozen classes bypassed)."""
    put = object.__setattr__
    page = content.node_pages["alpha"]
    node = content.pathway.nodes[0]
    edge = content.pathway.edges[0]
    if where == "page title":
        put(page, "title", 5)
    elif where == "node position":
        put(node, "pos", "x")
    elif where == "node position NaN":
        put(node, "pos", (float("nan"), 1.0))
    elif where == "edge citations":
        put(edge, "cite", ("a", 3))
    elif where == "nodes as a list":
        put(content.pathway, "nodes", list(content.pathway.nodes))
    elif where == "pages as a list":
        put(content, "node_pages", list(content.node_pages.values()))
    elif where == "page id":
        content.node_pages[7] = content.node_pages.pop("alpha")
    elif where == "index":  # the lookup table disagrees with the node list
        content.pathway._index["alpha"] = content.pathway.nodes[1]
    elif where == "extra attribute":  # a cached_property slot filled with junk
        content.pathway.__dict__["graph"] = "not a graph"
    elif where == "problem line":
        put(content, "problems", (Problem("f", "one", "m"),))
    elif where == "basal as text":
        put(node, "basal", "0.5")
    return content


@pytest.mark.parametrize("where", ["page title", "node position", "node position NaN", "edge citations",
                                   "nodes as a list", "pages as a list", "page id", "index", "extra attribute",
                                   "problem line", "basal as text"])
def test_a_cache_of_allowed_classes_with_wrong_field_types_is_rebuilt(mini_dir: Path, tmp_path: Path,
                                                                      monkeypatch, where: str) -> None:
    """Only content classes, but not what the loader makes: refused and parsed afresh, every start."""
    cache = tmp_path / "cache-k"
    cache.mkdir()
    path = cache / f"content-{cc.cache_key(mini_dir)}.pickle"
    data = pickle.dumps(_spoilt(load_content(mini_dir), where), protocol=pickle.HIGHEST_PROTOCOL)
    path.write_bytes(data)
    calls = _count_parses(monkeypatch)
    content = cc.load_content_cached(mini_dir, cache)
    assert calls == [mini_dir] and content == load_content(mini_dir)
    assert path.read_bytes() != data  # replaced by a good one
    _no_parse(monkeypatch)
    assert cc.load_content_cached(mini_dir, cache) == content


def test_what_the_loader_makes_passes_the_check_so_it_is_cached(mini_dir: Path, tmp_path: Path,
                                                                monkeypatch) -> None:
    """An odd but loadable value (a year written as a date or a list) is stored as text, so the cache
    check accepts what the loader makes: otherwise every start would parse afresh."""
    _edit(mini_dir / "references.yaml", "year: 2010", "year: 2010-05-01")
    cache = tmp_path / "cache-l"
    content = cc.load_content_cached(mini_dir, cache)
    assert content.references["jones2010"].year == "2010-05-01"
    assert len(_caches(cache)) == 1
    shipped = cc.load_content_cached(CONTENT, cache)
    _no_parse(monkeypatch)
    assert cc.load_content_cached(mini_dir, cache) == content
    assert cc.load_content_cached(CONTENT, cache) == shipped
