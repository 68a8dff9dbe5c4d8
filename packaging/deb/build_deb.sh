#!/usr/bin/env bash
# Build the Debian package docent-kiosk_<version>_<arch>.deb from the one-folder bundle (packaging/build_bundle.py).
#
#   .venv/bin/python packaging/build_bundle.py && bash packaging/deb/build_deb.sh     # -> dist/docent-kiosk_*.deb
#   bash packaging/deb/build_deb.sh --bundle DIR --out DIR --fast                    # what the tests do
#
# Options:
#   --bundle DIR       the bundle folder holding kiosk and _internal/ (default: dist/docent)
#   --out DIR          where the .deb is written (default: dist/)
#   --compress KIND    zstd (default), xz, gzip or none
#   --level N          compression level (default 9 for zstd, else dpkg-deb's own)
#   --fast             no compression: a quick package for tests, as large as the bundle
# Measured on 2 CPUs for a 677 MB bundle: zstd -9 12 s, 217 MB (dpkg 1.21.18 or newer reads it: Debian 12,
# Ubuntu 22.04); xz -6 7.5 min, 179 MB (any dpkg); none 2 s, 677 MB.
#
# What the package installs:
#   /opt/docent/                              the bundle (kiosk, _internal/)
#   /usr/bin/kiosk                            the command for staff (as root it runs as the 'docent' user)
#   /usr/lib/systemd/system/docent-kiosk.service   cage on tty1 running 'kiosk run'; READY/watchdog; restarts
#   /etc/pam.d/docent-kiosk                   the service's logind session (screen, input, sound)
#   /usr/share/docent/kiosk.yaml.example      copied to /var/lib/docent/kiosk.yaml on first install
#   /usr/share/doc/docent-kiosk/              README.md (the venue staff's guide), copyright
# and postinst creates the 'docent' system user and /var/lib/docent (DOCENT_HOME) and enables the service.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

bundle="$ROOT/dist/docent"
out="$ROOT/dist"
compress="zstd"
level=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) bundle="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --compress) compress="$2"; shift 2 ;;
    --level) level="$2"; shift 2 ;;
    --fast) compress="none"; level=""; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "build_deb.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ ! -x "$bundle/kiosk" ] || [ ! -d "$bundle/_internal" ]; then
  echo "build_deb.sh: no bundle at $bundle (kiosk and _internal/); build it first: .venv/bin/python packaging/build_bundle.py" >&2
  exit 1
fi
for tool in dpkg-deb dpkg; do
  command -v "$tool" >/dev/null || { echo "build_deb.sh: $tool is needed (a Debian or Ubuntu machine)" >&2; exit 1; }
done

python="${PYTHON:-python3}"
version="$("$python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
arch="$(dpkg --print-architecture)"
# The bundle's native code needs the C library it was built against, or newer.
glibc="$(getconf GNU_LIBC_VERSION | awk '{print $2}')"

work="$(mktemp -d "${TMPDIR:-/tmp}/docent-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT
pkg="$work/docent-kiosk"
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/lib/systemd/system" "$pkg/etc/pam.d" \
  "$pkg/usr/share/docent" "$pkg/usr/share/doc/docent-kiosk"

# Hard links when the bundle is on the same file system (fast: the package is mostly the speech model), else a copy.
cp -al "$bundle" "$pkg/opt/docent" 2>/dev/null || { rm -rf "$pkg/opt/docent"; cp -a "$bundle" "$pkg/opt/docent"; }
chmod -R u+rwX,go+rX,go-w "$pkg/opt/docent"

install -m 0755 "$HERE/kiosk-command" "$pkg/usr/bin/kiosk"
install -m 0644 "$HERE/docent-kiosk.service" "$pkg/usr/lib/systemd/system/docent-kiosk.service"
install -m 0644 "$HERE/pam-docent-kiosk" "$pkg/etc/pam.d/docent-kiosk"
install -m 0644 "$HERE/kiosk.yaml" "$pkg/usr/share/docent/kiosk.yaml.example"
install -m 0644 "$ROOT/packaging/README.md" "$pkg/usr/share/doc/docent-kiosk/README.md"
install -m 0644 "$HERE/copyright" "$pkg/usr/share/doc/docent-kiosk/copyright"
for script in postinst prerm postrm; do
  install -m 0755 "$HERE/$script" "$pkg/DEBIAN/$script"
done
echo "/etc/pam.d/docent-kiosk" > "$pkg/DEBIAN/conffiles"

size_kb="$(du -sk --apparent-size --exclude=DEBIAN "$pkg" | awk '{print $1}')"
cat > "$pkg/DEBIAN/control" <<EOF
Package: docent-kiosk
Version: $version
Architecture: $arch
Maintainer: Docent project <docent@localhost>
Installed-Size: $size_kb
Depends: libc6 (>= $glibc), adduser, libpam-systemd, cage, xwayland, espeak-ng, libportaudio2, fonts-noto-cjk, libgl1, libegl1, libgl1-mesa-dri, libegl-mesa0, libgbm1, libdrm2, libwayland-client0, libwayland-cursor0, libwayland-egl1, libxcb1
Section: misc
Priority: optional
Description: Docent: an offline digital-human museum guide kiosk
 A 3D guide on a kiosk in the hall greets visitors, answers their spoken or
 typed questions in Chinese, English or Korean from the venue's curated
 content, and speaks back. Everything runs on the kiosk, with no network.
 .
 This package boots the machine straight into the guide: the docent-kiosk
 service runs the kiosk full screen under the cage compositor on tty1 as the
 'docent' user, with its data in /var/lib/docent. It includes the demo venue,
 the bundled guide and the Korean speech model.
EOF

mkdir -p "$out"
deb="$out/docent-kiosk_${version}_${arch}.deb"
options=(--root-owner-group "-Z$compress")
[ -z "$level" ] && [ "$compress" = zstd ] && level=9
[ -n "$level" ] && [ "$compress" != none ] && options+=("-z$level")
dpkg-deb "${options[@]}" --build "$pkg" "$deb" >/dev/null
echo "$deb"
