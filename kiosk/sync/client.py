"""The kiosk side of sync: one run of "is there a new version, and if so install it safely".

Metadata is fetched and verified by python-tuf's ngclient against the root of trust installed with the kiosk
(rollback, freeze, mix-and-match and wrong-key defences are TUF's). Files are fetched by :class:`HttpFetcher`
into resumable ``.part`` files, checked against their signed length and hash, and only then enter the blob
store. The new version is assembled beside the current one, must pass the health check, and becomes current by
one rename (:meth:`Store.switch`). Every failure leaves the current version in place and is reported as one of
:class:`SyncOffline`, :class:`SyncRefused` or :class:`SyncFailed`.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tuf.api import exceptions as tuf_errors
from tuf.api.metadata import TargetFile
from tuf.ngclient import Updater, UpdaterConfig

import kiosk
from kiosk.sync.errors import HealthCheckFailed, NotSetUp, SyncError, SyncFailed, SyncOffline, SyncRefused
from kiosk.sync.fetch import HttpFetcher, NetSettings, reason
from kiosk.sync.layout import LISTING_FORMAT, file_target, hashed_name, listing_path, safe_relpath
from kiosk.sync.store import LOCAL_PREFIX, Store

MAX_FILES = 100_000
OWN_PER_YAML_BYTE = 8
"""The health check of a pack writes its search index and the mind's work into the new version's folder: about 6.6
bytes per byte of the pack's YAML (22 MB for 3.4 MB of YAML). The space a sync needs counts 8, or what the check of
the current version wrote, whichever is more."""


@dataclass(frozen=True)
class Progress:
    """One step of a sync, for a progress bar or the staff panel."""

    stage: str
    """check, download, stage, health, switch, cleanup, done"""
    done: int = 0
    total: int = 0
    """Bytes (download) or files (stage)."""
    message: str = ""


@dataclass(frozen=True)
class Limits:
    max_disk_bytes: int | None = None
    """The most the blob store may hold (None: no limit beyond free space)."""
    keep_free_bytes: int = 200_000_000
    """Free space the update must leave on the disk."""
    parallel: int = field(default_factory=lambda: min(4, max(2, os.cpu_count() or 2)))
    """Files downloaded at once: one per processor, two to four. From a nearby server a download is work for the
    interpreter (each request and answer handled in Python, each byte hashed), and threads beyond the processors
    only queue for its lock; from a distant one, two to four connections cover the wait for each answer."""


@dataclass(frozen=True)
class SyncResult:
    kind: str
    name: str
    updated: bool
    version: int
    previous: int | None
    files: int
    downloaded_files: int
    downloaded_bytes: int
    """Every body byte received over the network, metadata included."""
    seconds: float
    health: str = ""
    requests: int = 0
    """HTTP requests sent, metadata included."""

    def summary(self) -> str:
        if not self.updated:
            return f"{self.name} is up to date (version {self.version})"
        before = f" (was {self.previous})" if self.previous else ""
        return (
            f"{self.name} updated to version {self.version}{before}: {self.downloaded_files} of {self.files} files "
            f"downloaded, {self.downloaded_bytes / 1_000_000:.2f} MB in {self.seconds:.1f} s"
        )


Health = Callable[[Path], str]


class Client:
    """Syncs bundles from one server into one :class:`Store`."""

    def __init__(
        self,
        store: Store,
        server: str,
        *,
        net: NetSettings | None = None,
        limits: Limits | None = None,
        progress: Callable[[Progress], None] | None = None,
        health: Health | None = None,
    ) -> None:
        self.store = store
        self.server = server if server.endswith("/") else server + "/"
        self.net = net or NetSettings()
        self.limits = limits or Limits()
        self.progress = progress or (lambda _p: None)
        if health is None:
            from kiosk.sync.health import check_pack

            health = check_pack
        self.health = health
        self._local = threading.local()
        self._fetchers: list[HttpFetcher] = []
        self._fetchers_lock = threading.Lock()
        self._count: Callable[[int], None] = lambda _n: None

    # -- the run ---------------------------------------------------------------------------------------------

    def sync(self, name: str, kind: str = "packs") -> SyncResult:
        """Bring bundle ``kind/name`` up to date. Raises a :class:`SyncError`; never leaves a half install."""
        start = time.monotonic()
        with self._lock():
            try:
                return self._sync(kind, name, start)
            finally:
                for fetcher in self._fetchers:
                    fetcher.close()

    def _sync(self, kind: str, name: str, start: float) -> SyncResult:
        self.progress(Progress("check", message=f"checking {self.server}"))
        updater = self._updater()
        with _tuf_errors("the server's metadata"):
            updater.refresh()
            info = updater.get_targetinfo(listing_path(kind, name))
        if info is None:
            raise SyncFailed(
                f"the server has no {kind[:-1]} named '{name}'; check sync.pack in kiosk.yaml (or --pack)",
                code="no-such-bundle",
            )
        version = int((info.custom or {}).get("version", 0))
        installed = self.store.installed(kind, name)
        current = installed.current.version if installed else None
        if installed is not None:
            if version in installed.rejected:
                raise SyncFailed(
                    f"version {version} failed its health check on this kiosk before; keeping version "
                    f"{current} until a newer one is published",
                    code="version-rejected",
                )
            folder = self.store.bundle_dir(kind, name) / installed.current.folder
            if version == current and not self.store.check_version(folder):
                elapsed = time.monotonic() - start
                return SyncResult(
                    kind, name, False, version, None, 0, 0, self._received(), elapsed, requests=self._requests()
                )
            if current is not None and version < current:
                raise SyncRefused(
                    f"the server offers version {version}, older than this kiosk's version {current}; "
                    "kept the newer one (was the server restored from an old copy?)",
                    code="older-bundle",
                )
        listing = self._read_listing(updater, info, kind, name)
        files: dict[str, TargetFile] = {}
        with _tuf_errors("the server's metadata"):  # hash bins load here, on demand
            for rel in listing:
                target = updater.get_targetinfo(file_target(kind, name, rel))
                if target is None:
                    raise SyncRefused(
                        f"the file list names {rel!r}, which no signed metadata describes", code="unsigned"
                    )
                files[rel] = target
        downloaded = self._download(kind, name, list(files.values()))
        self.progress(Progress("stage", 0, len(files), "assembling the new version"))
        table = {rel: (t.hashes["sha256"], t.length) for rel, t in files.items()}
        folder = self.store.stage(kind, name, version, table, info.hashes["sha256"])
        self.progress(Progress("health", message="checking the new version"))
        try:
            health = self.health(folder)
        except HealthCheckFailed:
            self.store.reject(kind, name, version)
            raise
        except Exception as err:  # the check crashed: as good as failed
            self.store.reject(kind, name, version)
            raise HealthCheckFailed(f"the health check crashed: {type(err).__name__}: {err}") from err
        self.progress(Progress("switch", message=f"switching to version {version}"))
        self.store.switch(kind, name, version)
        self.progress(Progress("cleanup", message="removing files no version needs"))
        self.store.cleanup()
        result = SyncResult(
            kind,
            name,
            True,
            version,
            current,
            len(files),
            downloaded,
            self._received(),
            time.monotonic() - start,
            health,
            self._requests(),
        )
        self.progress(Progress("done", message=result.summary()))
        return result

    # -- pieces ----------------------------------------------------------------------------------------------

    def _updater(self) -> Updater:
        meta = self.store.metadata_dir
        meta.mkdir(parents=True, exist_ok=True)
        bootstrap: bytes | None = None
        if not (meta / "root.json").is_file():
            trust = self.store.trust_file
            if not trust.is_file():
                raise NotSetUp(
                    f"this kiosk has no root of trust ({trust}); install the repository's 1.root.json with "
                    "'kiosk sync --trust FILE'"
                )
            bootstrap = trust.read_bytes()
        config = UpdaterConfig(app_user_agent=f"Docent-kiosk/{kiosk.__version__}")
        with _tuf_errors("the installed root of trust"):
            return Updater(
                str(meta),
                self.server + "metadata/",
                None,
                self.server + "targets/",
                self._fetcher(),
                config,
                bootstrap=bootstrap,
            )

    def _read_listing(self, updater: Updater, info: TargetFile, kind: str, name: str) -> list[str]:
        self._fetch_blob(info)
        path = self.store.blob(info.hashes["sha256"])
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise SyncRefused(f"the file list of '{name}' is not readable: {err}", code="bad-listing") from err
        files = data.get("files") if isinstance(data, dict) else None
        if (
            not isinstance(data, dict)
            or data.get("format") != LISTING_FORMAT
            or data.get("name") != name
            or data.get("kind") != kind
            or not isinstance(files, list)
            or not all(isinstance(f, str) for f in files)
            or len(files) > MAX_FILES
        ):
            raise SyncRefused(f"the file list of '{name}' is not one this kiosk understands", code="bad-listing")
        checked = [safe_relpath(f) for f in files]
        if len(set(checked)) != len(checked):
            raise SyncRefused(f"the file list of '{name}' names a file twice", code="bad-listing")
        if any(rel.startswith(LOCAL_PREFIX) for rel in checked):
            raise SyncRefused(
                f"the file list of '{name}' names a file the kiosk keeps for itself ({LOCAL_PREFIX}...)",
                code="bad-listing",
            )
        return checked

    def _download(self, kind: str, name: str, targets: list[TargetFile]) -> int:
        unique = {t.hashes["sha256"]: t for t in targets}
        missing = [t for sha, t in unique.items() if not self.store.has_blob(sha, t.length)]
        parts = {t.hashes["sha256"]: self.store.partial(t.hashes["sha256"]) for t in missing}
        total = sum(t.length for t in missing)
        have = sum(_size(part) for part in parts.values())
        own = max(self.store.own_bytes(kind, name), OWN_PER_YAML_BYTE * _yaml_bytes(targets))
        self._check_space(total - have + own, frozenset(t.hashes["sha256"] for t in missing))
        done = [have]
        lock = threading.Lock()

        def count(n: int) -> None:
            with lock:
                done[0] += n
                self.progress(Progress("download", done[0], total))

        self.progress(Progress("download", have, total, f"{len(missing)} files to download"))
        self._count = count
        if not missing:
            return 0
        with ThreadPoolExecutor(max(1, self.limits.parallel), thread_name_prefix="docent-sync") as pool:
            ordered = _order(missing)
            futures = [pool.submit(self._fetch_blob, t, parts[t.hashes["sha256"]]) for t in ordered]
            wait(futures, return_when=FIRST_EXCEPTION)
            failed = next((f for f in futures if f.done() and f.exception() is not None), None)
            if failed is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        # Verified files enter the store once the downloads are over: a rename while other threads create files in
        # the same folders waits for them (the kernel locks both folders), a rename afterwards does not.
        for target, future in zip(ordered, futures, strict=True):
            if future.done() and not future.cancelled() and future.exception() is None and future.result():
                self.store.add_blob(target.hashes["sha256"], parts[target.hashes["sha256"]])
        if failed is not None:
            failed.result()
        return len(missing)

    def _check_space(self, needed: int, keep: frozenset[str]) -> None:
        limits = self.limits
        try:
            self.store.check_space(needed, max_bytes=limits.max_disk_bytes, keep_free=limits.keep_free_bytes)
        except SyncFailed:
            self.store.cleanup(keep_partials=keep)
            self.store.check_space(needed, max_bytes=limits.max_disk_bytes, keep_free=limits.keep_free_bytes)

    def _fetch_blob(self, info: TargetFile, part: Path | None = None) -> bool:
        """Download one file into its ``.part`` and check its signed hash and length; True when it was fetched
        (and moved into the blob store), False when the store already had it. Given its ``part``, the caller has
        just found the blob missing, and moves the checked ``.part`` into the store itself."""
        sha = info.hashes["sha256"]
        add = part is None
        if part is None:
            if self.store.has_blob(sha, info.length):
                return False
            part = self.store.partial(sha)
        url = self.server + "targets/" + hashed_name(info.path, sha)
        with _tuf_errors(info.path):
            try:
                got = self._fetcher().download_to(url, part, info.length)
            except OSError as err:
                if err.errno == 28:  # ENOSPC
                    raise SyncFailed(f"the disk filled up while downloading {info.path}", code="disk-full") from err
                raise
            if got != sha:  # the signed hash; download_to wrote exactly the signed length, or raised
                part.unlink(missing_ok=True)
                raise tuf_errors.LengthOrHashMismatchError(f"{info.path}: sha256 {got}, signed {sha}")
        if add:
            self.store.add_blob(sha, part)
        return True

    def _fetcher(self) -> HttpFetcher:
        fetcher: HttpFetcher | None = getattr(self._local, "fetcher", None)
        if fetcher is None:
            fetcher = HttpFetcher(self.net)
            fetcher.on_bytes = lambda n: self._count(n)
            if self._fetchers:
                fetcher.limiter = self._fetchers[0].limiter  # one bandwidth cap for all threads
            with self._fetchers_lock:
                self._fetchers.append(fetcher)
            self._local.fetcher = fetcher
        return fetcher

    def _received(self) -> int:
        return sum(f.received for f in self._fetchers)

    def _requests(self) -> int:
        return sum(f.requests for f in self._fetchers)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.store.home.mkdir(parents=True, exist_ok=True)
        path = self.store.home / "sync.lock"
        handle = path.open("a+")
        try:
            if os.name == "posix":
                import fcntl

                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError as err:
                    raise SyncFailed("another sync is already running on this kiosk", code="busy") from err
            yield
        finally:
            handle.close()


def _order(targets: list[TargetFile]) -> list[TargetFile]:
    """The largest file, the smallest, the next largest, the next smallest ...: threads that stream large files wait
    on the network and the disk, while the others spend their time on the per-request work of the small ones."""
    by_size = sorted(targets, key=lambda t: (-t.length, t.path))
    order: list[TargetFile] = []
    low, high = 0, len(by_size) - 1
    while low <= high:
        order.append(by_size[low])
        if low < high:
            order.append(by_size[high])
        low, high = low + 1, high - 1
    return order


def _yaml_bytes(targets: list[TargetFile]) -> int:
    return sum(t.length for t in targets if t.path.endswith((".yaml", ".yml")))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@contextmanager
def _tuf_errors(what: str) -> Iterator[None]:
    """python-tuf's errors, sorted into offline (retry later) and refused (never use), in words staff can act on."""
    try:
        yield
    except SyncError:
        raise
    except tuf_errors.ExpiredMetadataError as err:
        raise SyncRefused(
            f"{what} has expired ({err}); the publisher must re-sign it ('kiosk pack publish --refresh'). "
            "If the kiosk's clock is wrong, set it right",
            code="expired",
        ) from err
    except tuf_errors.BadVersionNumberError as err:
        raise SyncRefused(
            f"{what} is older than what this kiosk already trusts ({err}): a replayed or restored old copy; refused",
            code="rollback",
        ) from err
    except tuf_errors.UnsignedMetadataError as err:
        raise SyncRefused(
            f"{what} is not signed by the keys this kiosk trusts ({err}); refused", code="bad-signature"
        ) from err
    except tuf_errors.LengthOrHashMismatchError as err:
        raise SyncRefused(
            f"{what} does not match its signed hash or length ({err}); discarded", code="tampered"
        ) from err
    except tuf_errors.DownloadLengthMismatchError as err:
        raise SyncRefused(f"{what}: {err}", code="too-long") from err
    except tuf_errors.RepositoryError as err:
        raise SyncRefused(f"{what} failed verification: {type(err).__name__}: {err}", code="refused") from err
    except tuf_errors.DownloadHTTPError as err:
        hint = " (not published there?)" if err.status_code == 404 else ""
        raise SyncOffline(f"the server answered HTTP {err.status_code} for {what}{hint}", code="http-error") from err
    except tuf_errors.SlowRetrievalError as err:
        raise SyncOffline(f"the server is too slow: {err}", code="slow") from err
    except tuf_errors.DownloadError as err:
        cause = err.__cause__
        detail = reason(cause) if str(err).startswith("Failed to download") and cause is not None else str(err)
        raise SyncOffline(f"cannot download {what}: {detail}", code="offline") from err
    except OSError as err:
        if err.errno == 28:
            raise SyncFailed(f"the disk is full ({err})", code="disk-full") from err
        raise SyncFailed(f"cannot write sync files: {err}", code="io-error") from err


__all__ = ["Client", "Limits", "Progress", "SyncResult"]
