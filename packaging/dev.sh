#!/usr/bin/env bash
# Set up Docent from a fresh clone on Debian/Ubuntu, then run it.
#   bash packaging/dev.sh demo   # system packages + .venv, then talk to the guide on the bundled demo venue
#   bash packaging/dev.sh test   # system packages + .venv with test tools, then ruff, mypy and the whole test suite
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-demo}"
shift || true

APT_PACKAGES=(
  python3-venv            # the virtual environment
  espeak-ng               # speech synthesis voices (pyttsx3 drives espeak-ng on Linux)
  libgl1 libegl1 libgl1-mesa-dri libglu1-mesa   # OpenGL for Panda3D (Mesa's software renderer works headless)
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libfontconfig1 libdbus-1-3 libglib2.0-0  # Qt
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1  # Qt on X11
  fonts-noto-cjk          # Chinese and Korean text on screen
  libportaudio2           # microphone and speaker (sounddevice)
)
if [ "$mode" = "test" ]; then
  APT_PACKAGES+=(nginx xvfb xauth chromium)   # the sync tests' static server; the embedded-window tests' X server; the report's screenshot
  APT_PACKAGES+=(binutils systemd)   # the bundle test: PyInstaller reads libraries with objdump; systemd-analyze checks the .deb's unit
fi

need=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing system packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

python3 - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"Docent needs Python 3.11 or newer; this python3 is {sys.version.split()[0]}")
PY

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras=""
[ "$mode" = "test" ] && extras="[test]"
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${extras}"

case "$mode" in
  demo)
    .venv/bin/kiosk pack validate
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
      echo "No display here, so the kiosk window cannot open; typed questions instead (kiosk ask)."
      exec .venv/bin/kiosk ask "$@"
    fi
    exec .venv/bin/kiosk run "$@"     # the kiosk on the demo venue, in a window (no kiosk.yaml yet)
    ;;
  test)
    .venv/bin/ruff check .
    .venv/bin/mypy
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash packaging/dev.sh demo|test" >&2
    exit 2
    ;;
esac
