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
if ! command -v xvfb-run >/dev/null; then
  apt-get install -y -q xvfb xauth >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q xvfb xauth >/dev/null; }
fi
(cd /tmp && env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1280x1024x24" "$OLDPWD/dist/ironbone/ironbone" --smoke-test)
echo "== frozen bundle passed the smoke test offscreen and under Xvfb"
