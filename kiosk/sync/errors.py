"""Sync errors: one family, each with a code and a message a venue's staff or curator can act on.

The kiosk side sorts every failure into one of three kinds, because each asks for a different reaction:
``SyncOffline`` (network, server; normal, retried with backoff), ``SyncRefused`` (the server's files failed TUF
verification: tampered, stale, replayed or mixed; never used, reported loudly) and ``SyncFailed`` (a local
problem: disk full, the new pack failed its health check). The kiosk keeps its last good pack in every case.
"""

from __future__ import annotations

from kiosk.errors import DocentError


class SyncError(DocentError):
    """Base of every sync and publishing error."""

    code = "sync-error"


class SyncOffline(SyncError):
    """The server could not be reached or did not answer properly (no network, DNS, timeout, HTTP error)."""

    code = "sync-offline"


class SyncRefused(SyncError):
    """What the server sent failed verification (signature, version, expiry, hash or length): never used."""

    code = "sync-refused"


class SyncFailed(SyncError):
    """A local problem stopped the update (disk full or over its limit, the new pack failed its health check)."""

    code = "sync-failed"


class DiskFull(SyncFailed):
    code = "disk-full"


class HealthCheckFailed(SyncFailed):
    code = "health-check-failed"


class NotSetUp(SyncError):
    """The kiosk has no server or no trust root yet."""

    code = "sync-not-set-up"


class PublishError(SyncError):
    """Building, signing or publishing a repository failed (bad pack, missing keys, unusable folder)."""

    code = "publish-error"


__all__ = [
    "DiskFull",
    "HealthCheckFailed",
    "NotSetUp",
    "PublishError",
    "SyncError",
    "SyncFailed",
    "SyncOffline",
    "SyncRefused",
]
