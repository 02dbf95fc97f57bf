"""A cache of the parsed content tree for the GUI's start: a warm start unpickles the `Content` of an
earlier start (~3 ms) instead of importing PyYAML and parsing every file under content/ (~45 ms).

The cache file is named by a hash of everything the parse depends on: every file under the content
root (path and bytes), the loader's own source (app/knowledge, app/model), the app and Python
versions. Any edit gives a new name, so a stale object is never used. A cache file that cannot be
read, is damaged or names anything but the few content classes is ignored and rewritten; a cache
that cannot be written is skipped silently. Deleting the cache folder is always safe.
Validators (`check-content`) do not use this: they call `load_content` directly.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

from app import __version__
from app.knowledge.content import Content, load_content
from app.knowledge.limits import CACHE_FILE_BYTES, CONTENT_FILE_BYTES
from app.knowledge.userfile import UserFileError, read_user_bytes

FORMAT = "ironbone-content-cache/1"  # bump when the cache layout (not the content classes) changes
KEEP = 4  # cache files kept: a few checkouts or content folders side by side
PREFIX, SUFFIX = "content-", ".pickle"
_TMP_PREFIX = ".content-"
_STALE_TMP_S = 3600.0  # a temp file this old was left by a crashed writer

# The only globals a cached Content may name (pickle's "restricting globals" recipe). Containers,
# strings, numbers and bytes need no global; datetime covers YAML timestamps in front matter.
_ALLOWED: dict[str, frozenset[str]] = {
    "app.knowledge.content": frozenset({"Content", "Reference", "GlossaryTerm"}),
    "app.knowledge.pages": frozenset({"Page"}),
    "app.knowledge.problems": frozenset({"Problem"}),
    "app.knowledge.yamlio": frozenset({"LineDict", "LineList"}),
    "app.model.pathway": frozenset({"Pathway", "Node", "Edge", "Compartment"}),
    "pathlib": frozenset({"Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath", "PureWindowsPath"}),
    "datetime": frozenset({"date", "datetime", "time", "timedelta", "timezone"}),
    "builtins": frozenset({"set", "frozenset"}),
}


def default_cache_dir() -> Path | None:
    """IRONBONE_CACHE_DIR if set, else the user's cache folder for IronBone (None if unknown)."""
    override = os.environ.get("IRONBONE_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):
        # platformdirs' XDG rule, without its import (~8 ms): $XDG_CACHE_HOME if absolute, else ~/.cache.
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):
            base = os.path.expanduser("~/.cache")
        if os.path.isabs(base):
            return Path(base) / "IronBone"
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("IronBone", appauthor=False))
    except Exception:  # noqa: BLE001 - no home directory: run without a cache
        return None


def _blake2b() -> Any:
    try:  # the module hashlib wraps; hashlib itself also loads OpenSSL (~3 ms)
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b
    return blake2b(digest_size=20)


def _content_files(root: Path) -> list[tuple[str, str]]:
    """(relative posix path, path) of every file under `root`, sorted. Raises OSError for anything
    that is neither a readable directory nor a regular file (a broken link, a socket)."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[str, str, frozenset]] = []
    st = os.stat(root)
    stack.append((str(root), "", frozenset({(st.st_dev, st.st_ino)})))
    while stack:
        folder, prefix, ancestors = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir():
                    st = entry.stat()
                    ident = (st.st_dev, st.st_ino)
                    if ident in ancestors:  # a symlink loop
                        raise OSError(f"symlink loop at {entry.path}")
                    stack.append((entry.path, name + "/", ancestors | {ident}))
                elif entry.is_file():
                    out.append((name, entry.path))
                else:
                    raise OSError(f"not a regular file: {entry.path}")
    out.sort()
    return out


def _source_files() -> list[Path]:
    """The loader's sources (app/knowledge, app/model). A frozen bundle has none: version only."""
    here = Path(__file__).resolve().parent
    files: list[Path] = []
    for folder in (here, here.parent / "model"):
        try:
            with os.scandir(folder) as entries:
                files += sorted(Path(e.path) for e in entries if e.name.endswith(".py") and e.is_file())
        except OSError:
            continue
    return files


def _yaml_source() -> bytes:
    """PyYAML's __init__.py (it holds its version): an upgraded parser means a fresh parse. Found
    on sys.path without importing yaml; empty where it cannot be read (a frozen bundle)."""
    for entry in sys.path:
        try:
            with open(os.path.join(entry or ".", "yaml", "__init__.py"), "rb") as f:
                return f.read()
        except OSError:
            continue
    return b""


def _feed(h: Any, label: bytes, data: bytes) -> None:
    h.update(b"%d:%d:" % (len(label), len(data)))
    h.update(label)
    h.update(data)


def cache_key(root: Path) -> str | None:
    """Hex hash naming the cache file for `root`; None if some file under it cannot be read."""
    h = _blake2b()
    head = "\0".join((FORMAT, __version__, sys.version, str(root.resolve())))
    _feed(h, b"head", head.encode("utf-8", "surrogateescape"))
    _feed(h, b"yaml", _yaml_source())
    for path in _source_files():
        try:
            _feed(h, b"source:" + path.name.encode("utf-8", "surrogateescape"), path.read_bytes())
        except OSError:
            continue
    try:
        for name, path in _content_files(root):
            # Bounded like the loaders' own reads; an image may be larger than a text file.
            data = read_user_bytes(path, limit=max(CONTENT_FILE_BYTES, CACHE_FILE_BYTES), what="content file")
            _feed(h, b"content:" + name.encode("utf-8", "surrogateescape"), data)
    except (OSError, UserFileError):
        return None
    return h.hexdigest()


@cache
def _unpickler_class() -> type:
    # The C unpickler itself: the pickle module around it costs another ~1.5 ms to import, and
    # only a miss (which writes) needs it.
    import _pickle

    class _Restricted(_pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if name in _ALLOWED.get(module, ()):
                return super().find_class(module, name)
            raise _pickle.UnpicklingError(f"global {module}.{name} is not allowed in the content cache")

    return _Restricted


def _loads(data: bytes) -> Content:
    """Unpickle with only the content classes allowed, then check every field against its type
    hint; raises on anything else (a damaged cache, or one a different build of the classes wrote)."""
    import io

    obj = _unpickler_class()(io.BytesIO(data)).load()
    if not _checker(Content)(obj):
        raise TypeError("the cached object is not a Content whose every field has its declared type")
    if obj.pathway._index != {n.id: n for n in obj.pathway.nodes}:
        raise TypeError("the cached pathway's node index does not match its nodes")
    return obj


@cache
def _checker(hint: Any) -> Any:
    """A function telling whether a value has the type `hint` (the hints of the content classes:
    dataclasses, str, int, float (finite), bool, Path, X | Y, tuple[...], dict[K, V], list[T]),
    built once per hint so a warm start checks the whole tree in about a millisecond."""
    import collections.abc
    import dataclasses
    import math
    import types
    import typing

    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is typing.Any:
        return lambda v: True
    if origin in (typing.Union, types.UnionType):
        alternatives = [_checker(a) for a in args]
        return lambda v: any(ok(v) for ok in alternatives)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _checker(args[0])
            return lambda v: type(v) is tuple and all(map(item, v))
        items = [_checker(a) for a in args]

        def fixed(v: Any) -> bool:
            if type(v) is not tuple or len(v) != len(items):
                return False
            return all([ok(x) for ok, x in zip(items, v, strict=True)])
        return fixed
    if origin in (dict, collections.abc.Mapping):
        key, value = (_checker(a) for a in args)
        return lambda v: isinstance(v, dict) and all(map(key, v)) and all(map(value, v.values()))
    if origin is list:
        item = _checker(args[0])
        return lambda v: isinstance(v, list) and all(map(item, v))
    if hint is float:
        return lambda v: type(v) in (float, int) and math.isfinite(v)
    if hint in (str, int, bool, type(None)):
        return lambda v: type(v) is hint
    if hint is Path:
        return lambda v: isinstance(v, Path)
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        fields = [(f.name, _checker(hints[f.name])) for f in dataclasses.fields(hint)]
        names = {f.name for f in dataclasses.fields(hint)}
        slots = "__slots__" in hint.__dict__

        def check(v: Any) -> bool:
            if type(v) is not hint or (not slots and not set(vars(v)) <= names):
                return False  # e.g. a cached_property's slot filled with something else
            try:
                return all(ok(getattr(v, name)) for name, ok in fields)
            except AttributeError:  # a slot never set
                return False
        return check
    return lambda v: isinstance(v, hint)  # dict, list, datetime...: the type alone


def _read(path: Path, root: Path) -> Content | None:
    try:  # a FIFO or device at the cache's name, or a huge file, is refused at once and replaced
        data = read_user_bytes(path, limit=CACHE_FILE_BYTES, what="content cache")
    except UserFileError:
        return None
    try:
        content = _loads(data)
    except Exception:  # noqa: BLE001 - truncated, garbage, refused global, wrong type: parse instead
        return None
    if content.root != root:
        object.__setattr__(content, "root", root)  # same tree by the key, maybe spelt another way
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:
        pass
    return content


def _write(path: Path, content: Content) -> bool:
    """Atomically write the cache file; False (never an exception) if that is not possible."""
    import pickle
    import tempfile

    tmp = None
    try:
        data = pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)
        _loads(data)  # never store what the next start would refuse
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
    except Exception:  # noqa: BLE001 - read-only or full disk, odd content: start without a cache
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return True


def prune(folder: Path, keep: int = KEEP, current: Path | None = None) -> None:
    """Keep the `keep` most recently used cache files (always `current`, whatever the clock's
    resolution); drop temp files left by a crash."""
    import time

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    caches: list[tuple[bool, float, str]] = []
    now = time.time()
    for e in entries:
        try:
            if e.name.startswith(PREFIX) and e.name.endswith(SUFFIX) and e.is_file():
                caches.append((current is not None and e.name == current.name, e.stat().st_mtime, e.path))
            elif e.name.startswith(_TMP_PREFIX) and e.name.endswith(".tmp") and e.is_file():
                if now - e.stat().st_mtime > _STALE_TMP_S:
                    os.unlink(e.path)
        except OSError:
            continue
    caches.sort(reverse=True)
    for _current, _mtime, p in caches[keep:]:
        try:
            os.unlink(p)
        except OSError:
            pass


def load_content_cached(root: Path, cache_dir: Path | None = None) -> Content:
    """`load_content(root)`, from the cache when the same tree was parsed before. Never raises
    because of the cache: any trouble with it means an ordinary parse."""
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    key = cache_key(root) if folder is not None and root.is_dir() else None
    if folder is None or key is None:
        return load_content(root)
    path = folder / f"{PREFIX}{key}{SUFFIX}"
    content = _read(path, root)
    if content is not None:
        return content
    content = load_content(root)
    if _write(path, content):
        prune(folder, current=path)
    return content
