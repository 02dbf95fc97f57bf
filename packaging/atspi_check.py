"""Checks through the Linux accessibility bus (AT-SPI, what the Orca screen reader reads) that IronBone
shows a screen reader every node of its diagram.

Run it with the system Python, which has pyatspi (python3-pyatspi), from the repository's root:

    /usr/bin/python3 packaging/atspi_check.py --python .venv/bin/python [--list]

It starts a virtual X server (Xvfb), a D-Bus session and the accessibility bus, then the app on the
xcb platform with Qt's AT-SPI bridge on, and reads the app's accessibility tree as Orca would: the
"Mechanism diagram" and its children. Each node must be there with its label as name, as a button,
with a description; giving the diagram the focus must put the focus on a node. Exit status 0 when all
holds, 1 when something is missing (an app that exposes no nodes fails), 77 when this machine lacks a
tool the check needs (the automake convention for "skipped"; 2 stays argparse's usage error).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher",
                 "/usr/lib/at-spi2/at-spi-bus-launcher")
DIAGRAM = "Mechanism diagram"
TAB_WAIT_MS = 15_000  # how long the focus event after Tab may take
MISSING_TOOL = 77  # exit status: the check cannot run on this machine
WATCHDOG_S = 240  # the whole check: an accessibility call that never returns fails it instead of hanging CI
LABELS = ("import json; from app.knowledge.content import load_content; from app.paths import content_dir; "
          "print(json.dumps([n.label for n in load_content(content_dir()).pathway.nodes]))")


def fail(message: str, code: int = 1) -> int:
    print(f"atspi_check: FAIL: {message}", file=sys.stderr)
    return code


class Processes:
    """The processes the check started, stopped in reverse order (their whole process groups)."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []
        self.pids: list[int] = []

    def start(self, args: list[str], **kwargs) -> subprocess.Popen:  # noqa: ANN003
        proc = subprocess.Popen(args, start_new_session=True, **kwargs)
        self.started.append(proc)
        return proc

    def stop(self) -> None:
        for pid in reversed(self.pids):
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass
        for proc in reversed(self.started):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except OSError:
                    pass
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


def start_display(procs: Processes) -> str:
    """A virtual X server on a free display; returns ":N"."""
    read, write = os.pipe()
    procs.start(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number.isdigit():
        raise RuntimeError("Xvfb did not report a display number")
    return f":{number}"


def start_session_bus(procs: Processes, env: dict[str, str]) -> None:
    """A D-Bus session bus (dbus-launch); its address goes into `env`."""
    out = subprocess.run(["dbus-launch", "--sh-syntax"], env=env, capture_output=True, text=True, timeout=20,
                         check=True).stdout
    for line in out.splitlines():
        name, _, value = line.partition("=")
        value = value.rstrip(";").strip("'")
        if name == "DBUS_SESSION_BUS_ADDRESS":
            env[name] = value
        elif name == "DBUS_SESSION_BUS_PID" and value.isdigit():
            procs.pids.append(int(value))
    if "DBUS_SESSION_BUS_ADDRESS" not in env:
        raise RuntimeError(f"dbus-launch gave no bus address: {out!r}")


def walk(accessible, depth: int = 0, limit: int = 12):  # noqa: ANN001, ANN201 - pyatspi objects
    """Every accessible object under `accessible` (depth-first, bounded)."""
    yield accessible
    if depth >= limit:
        return
    try:
        count = accessible.childCount
    except Exception:  # noqa: BLE001 - a dying object: skip it
        return
    for i in range(count):
        try:
            child = accessible.getChildAtIndex(i)
        except Exception:  # noqa: BLE001
            child = None
        if child is not None:
            yield from walk(child, depth + 1, limit)


def find_diagram(pyatspi, app_name: str):  # noqa: ANN001, ANN201
    """The diagram's accessible object, or None while it cannot be read yet (the registry or the app
    still starting: the caller asks again)."""
    try:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is None or app.name != app_name:
                continue
            for obj in walk(app):
                if obj.name == DIAGRAM:
                    return obj
    except Exception:  # noqa: BLE001 - GLib errors of a bus still starting
        return None
    return None


def nodes_of(diagram) -> list[dict[str, object]]:  # noqa: ANN001
    nodes = []
    for i in range(diagram.childCount):
        child = diagram.getChildAtIndex(i)
        if child is None:
            continue
        states = child.getState()
        nodes.append({"name": child.name, "role": child.getRoleName(), "description": child.description,
                      "links": child.childCount, "focused": states.contains(_pyatspi().STATE_FOCUSED),
                      "object": child})
    return nodes


def focused_nodes(diagram) -> list[str]:  # noqa: ANN001
    return [str(n["name"]) for n in nodes_of(diagram) if n["focused"]]


def wait_for(condition, seconds: float):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return condition()


def check_focus(pyatspi, diagram, nodes: list[dict[str, object]]) -> list[str]:  # noqa: ANN001
    """Click a node as a person would (the window comes to the front, the diagram takes the focus),
    then press Tab: the focus must be on a node, and the screen reader must be told it moved."""
    first = nodes[min(3, len(nodes) - 1)]
    box = first["object"].queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    pyatspi.Registry.generateMouseEvent(box.x + box.width // 2, box.y + box.height // 2, pyatspi.MOUSE_B1C)
    # States are read one node at a time while the app may still be handling the click: wait until
    # the clicked node, and it alone, reads as focused.
    on = wait_for(lambda: focused_nodes(diagram) == [first["name"]] and [first["name"]], 10) or focused_nodes(diagram)
    if on != [first["name"]]:
        return [f"after a click on {first['name']!r} the focused node is {on!r}"]
    print(f"atspi_check: a click on {first['name']!r}: the screen reader is on node {on[0]!r}")

    heard: list[str] = []

    def on_event(event) -> None:  # noqa: ANN001
        if event.detail1 == 1 and event.source is not None:
            heard.append(event.source.name)

    from gi.repository import GLib

    pyatspi.Registry.registerEventListener(on_event, "object:state-changed:focused")
    try:
        def press_tab() -> bool:
            pyatspi.Registry.generateKeyboardEvent(0xFF09, None, pyatspi.KEY_SYM)  # the Tab keysym
            return False  # once

        waited = {"ms": 0}

        def stop_when_heard() -> bool:
            # A loaded machine may take seconds to deliver the key and the event: listen until a focus
            # event names another object, or for at most TAB_WAIT_MS. (States are read after the loop:
            # while a listener is registered they come from a cache only events update, and Qt sends
            # no "unfocused" for the node left behind.)
            waited["ms"] += 250
            if any(name != first["name"] for name in heard) or waited["ms"] >= TAB_WAIT_MS:
                pyatspi.Registry.stop()
                return False
            return True

        GLib.timeout_add(300, press_tab)
        GLib.timeout_add(250, stop_when_heard)
        pyatspi.Registry.start()
    finally:
        pyatspi.Registry.deregisterEventListener(on_event, "object:state-changed:focused")
    names = {str(n["name"]) for n in nodes}
    now = focused_nodes(diagram)
    if not now or now[0] == first["name"]:
        return [f"Tab did not move the focus to another node (focused: {now!r})"]
    if now[0] not in heard:
        return [f"Tab moved the focus to {now[0]!r} but no focus event named it (heard: {heard!r})"]
    print(f"atspi_check: Tab: the screen reader heard the focus move to node {now[0]!r}"
          f"{'' if now[0] in names else ' (not a node!)'}")
    return []


def _pyatspi():  # noqa: ANN202
    import pyatspi

    return pyatspi


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"),
                        help="the Python that runs IronBone (default: .venv/bin/python)")
    parser.add_argument("--timeout", type=float, default=40.0, help="seconds to wait for the diagram")
    parser.add_argument("--list", action="store_true", help="print every node as a screen reader gets it")
    args = parser.parse_args(argv)

    missing = [tool for tool in ("Xvfb", "dbus-launch") if shutil.which(tool) is None]
    launcher = next((p for p in BUS_LAUNCHERS if Path(p).exists()), None)
    if launcher is None:
        missing.append("at-spi-bus-launcher (at-spi2-core)")
    try:
        _pyatspi()
    except ImportError:
        missing.append("pyatspi (python3-pyatspi, for this Python)")
    if missing:
        print(f"atspi_check: cannot run here: missing {', '.join(missing)}", file=sys.stderr)
        return MISSING_TOOL

    try:
        labels = json.loads(subprocess.run([args.python, "-c", LABELS], cwd=ROOT, capture_output=True, text=True,
                                           check=True, timeout=120).stdout)
    except subprocess.CalledProcessError as exc:
        return fail(f"{args.python} could not list the pathway's nodes:\n{exc.stderr[-2000:]}")
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        return fail(f"{args.python} could not list the pathway's nodes: {exc}")
    if not labels:
        return fail("the pathway has no nodes to look for")

    procs = Processes()
    scratch = tempfile.mkdtemp(prefix="ironbone-atspi-")

    def watchdog() -> None:
        # A thread: it fires even while the main thread waits inside a D-Bus call.
        fail(f"the check did not finish within {WATCHDOG_S} s (an accessibility call hung?)")
        procs.stop()
        shutil.rmtree(scratch, ignore_errors=True)
        os._exit(1)

    timer = threading.Timer(WATCHDOG_S, watchdog)
    timer.daemon = True
    timer.start()
    log_path = Path(scratch) / "app.log"
    started = time.monotonic()
    try:
        # Only the buses started here: never a desktop session's accessibility bus the caller may have.
        for name in ("AT_SPI_BUS_ADDRESS", "DBUS_SESSION_BUS_ADDRESS"):
            os.environ.pop(name, None)
        env = dict(os.environ)
        env["DISPLAY"] = start_display(procs)
        start_session_bus(procs, env)
        env.update(QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1", NO_AT_BRIDGE="0",
                   QT_QPA_PLATFORM="xcb", XDG_CONFIG_HOME=f"{scratch}/config", XDG_DATA_HOME=f"{scratch}/data",
                   XDG_CACHE_HOME=f"{scratch}/cache", IRONBONE_DATA_DIR=f"{scratch}/data",
                   IRONBONE_CACHE_DIR=f"{scratch}/cache", XDG_RUNTIME_DIR=scratch)
        procs.start([launcher, "--launch-immediately"], env=env, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
        os.environ.update({k: env[k] for k in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR")})
        with open(log_path, "w") as log:
            app = procs.start([args.python, "-m", "app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        pyatspi = _pyatspi()

        diagram, nodes = None, []
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline and app.poll() is None:
            diagram = find_diagram(pyatspi, "IronBone")
            nodes = nodes_of(diagram) if diagram is not None else []
            if len(nodes) >= len(labels):
                break
            time.sleep(0.5)
        if app.poll() is not None:
            return fail(f"the app exited ({app.returncode}) before its diagram could be read:\n"
                        + log_path.read_text(errors="replace")[-2000:])
        if diagram is None:
            return fail(f"no accessible object named {DIAGRAM!r} in the app's tree after {args.timeout:.0f} s")

        names = [str(n["name"]) for n in nodes]
        if args.list:
            print(f"{DIAGRAM} ({diagram.getRoleName()}), {len(nodes)} children:")
            for n in nodes:
                print(f"  {n['role']}: {n['name']} ({n['links']} link{'s' if n['links'] != 1 else ''} out) "
                      f"— {str(n['description'])[:110]}")
        problems = []
        absent = [label for label in labels if label not in names]
        if absent:
            problems.append(f"{len(absent)} of {len(labels)} node labels are not exposed: {', '.join(absent)}")
        if not nodes:
            problems.append("the diagram exposes no nodes")
        problems += [f"{n['name']}: role {n['role']!r}, not a push button" for n in nodes if n["role"] != "push button"]
        problems += [f"{n['name']}: no description" for n in nodes if not n["description"]]

        if nodes:
            problems += check_focus(pyatspi, diagram, nodes)
        for problem in problems:
            print(f"atspi_check: {problem}", file=sys.stderr)
        if problems:
            return fail(f"{len(problems)} problem(s) in the diagram's accessibility tree")
        print(f"atspi_check: OK: all {len(labels)} diagram nodes are exposed through AT-SPI by name "
              f"({time.monotonic() - started:.1f} s)")
        return 0
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return fail(str(exc))
    finally:
        timer.cancel()
        procs.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
