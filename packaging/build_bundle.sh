#!/usr/bin/env bash
# Builds the PyInstaller one-folder bundle into dist/ironbone and smoke-tests it offscreen and
# under Xvfb. One command: bash packaging/build_bundle.sh   (installs the Xvfb test's system packages
# with apt-get, through sudo when not root; where it cannot, it says what to install and exits 2)
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
PKGS=(xvfb xauth libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0)
missing=()
if command -v dpkg-query >/dev/null; then
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
elif ! command -v xvfb-run >/dev/null; then
  missing=("${PKGS[@]}")
fi
if ((${#missing[@]})) && command -v apt-get >/dev/null; then
  # apt-get needs root: sudo when we are not root (-n without a terminal: fail, do not hang on a prompt).
  as_root=()
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then
    if [ -t 0 ]; then as_root=(sudo); else as_root=(sudo -n); fi
  fi
  if [ "$(id -u)" = 0 ] || ((${#as_root[@]})); then
    echo "== installing for the Xvfb test: ${missing[*]}"
    if { "${as_root[@]}" apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
         || { "${as_root[@]}" apt-get update -q >/dev/null 2>&1 \
              && "${as_root[@]}" apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; }; }; then
      missing=()
    fi
  fi
fi
if ((${#missing[@]})) || ! command -v xvfb-run >/dev/null; then
  echo "== the bundle is built (dist/ironbone) and passed offscreen, but the test under a real X server"
  echo "   did not run: it needs ${missing[*]:-xvfb-run}. Install them, e.g."
  echo "   sudo apt-get install ${missing[*]:-xvfb xauth}"
  echo "   and run this script again."
  exit 2
fi
(cd /tmp && env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1280x1024x24" "$OLDPWD/dist/ironbone/ironbone" --smoke-test)
(cd /tmp && env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1280x1024x24" "$OLDPWD/dist/ironbone/ironbone" --self-test)
echo "== frozen bundle passed the smoke test and the self-test offscreen and under Xvfb"
