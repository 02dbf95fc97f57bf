#!/usr/bin/env bash
# Builds the PyInstaller one-folder bundle into dist/ironbone and smoke-tests it offscreen and
# under Xvfb. One command: bash packaging/build_bundle.sh   (installs what it needs)
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
python3 -m venv .venv-bundle
.venv-bundle/bin/python -m pip install -q --upgrade pip
.venv-bundle/bin/python -m pip install -q . "pyinstaller>=6.10"
rm -rf build/bundle dist/ironbone
.venv-bundle/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/bundle packaging/ironbone.spec
echo "== bundle: $(du -sh dist/ironbone | cut -f1), built in $(( $(date +%s) - start )) s"
(cd /tmp && QT_QPA_PLATFORM=offscreen "$OLDPWD/dist/ironbone/ironbone" --smoke-test)
(cd /tmp && QT_QPA_PLATFORM=offscreen "$OLDPWD/dist/ironbone/ironbone" --self-test)  # lazily imported modules too
# A real X server and the libraries Qt's xcb plugin loads (the README names them for users).
PKGS="xvfb xauth libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 \
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0"
# shellcheck disable=SC2086
apt-get install -y -q $PKGS >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q $PKGS >/dev/null; }
(cd /tmp && env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1280x1024x24" "$OLDPWD/dist/ironbone/ironbone" --smoke-test)
(cd /tmp && env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1280x1024x24" "$OLDPWD/dist/ironbone/ironbone" --self-test)
echo "== frozen bundle passed the smoke test and the self-test offscreen and under Xvfb"
