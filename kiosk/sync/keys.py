"""Signing keys for a content repository: one ed25519 key per TUF role, kept in a folder on the publishing side.

``root.pem`` signs the root of trust: it is needed only to create the repository and to rotate keys, and belongs
offline (a USB stick in a safe). ``targets.pem``, ``snapshot.pem`` and ``timestamp.pem`` sign each publication and
live on the curator's publishing computer. No private key ever goes on a kiosk: a kiosk holds only
``1.root.json``, the public root of trust.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner, Signer

from kiosk.sync.errors import PublishError

ROLES = ("root", "targets", "snapshot", "timestamp")
ONLINE_ROLES = ("targets", "snapshot", "timestamp")

GUIDANCE = """\
Docent signing keys
===================

root.pem      the root of trust. Keep it OFFLINE (an encrypted USB stick in a safe, plus a backup copy).
              Needed only to rotate keys and to renew the root before it expires (once a year):
                  kiosk keys rotate ROLE --keys THIS-FOLDER --repo REPO
targets.pem   sign each publication. Keep them on the publishing computer only, readable by the
snapshot.pem  curator's account (they are created with permissions 0600).
timestamp.pem

Never copy any of these files onto a kiosk. A kiosk needs only the public root of trust,
REPO/metadata/1.root.json, installed with `kiosk sync --trust 1.root.json`.

If a key is lost or may have been copied, rotate it at once (kiosks follow the rotation on
their next sync):  kiosk keys rotate targets --keys THIS-FOLDER --repo REPO
A lost root.pem cannot be recovered: every kiosk then needs a new root of trust installed by hand.
"""


@dataclass(frozen=True)
class KeyRing:
    """The private keys of a repository, loaded from a folder."""

    folder: Path
    signers: dict[str, Signer]

    def signer(self, role: str) -> Signer:
        try:
            return self.signers[role]
        except KeyError:
            raise PublishError(
                f"the key for '{role}' is not in {self.folder} ({role}.pem); "
                + (
                    "the root key is kept offline: plug in the drive that holds it and give its folder with --keys"
                    if role == "root"
                    else "give the folder that holds the publishing keys with --keys"
                ),
                code="missing-key",
            ) from None


def generate(folder: Path, roles: tuple[str, ...] = ROLES, *, overwrite: bool = False) -> KeyRing:
    """Create a new ed25519 key for each role in ``folder`` (0600 files) and write the guidance next to them."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, stat.S_IRWXU)
    signers: dict[str, Signer] = {}
    for role in roles:
        path = folder / f"{role}.pem"
        if path.exists() and not overwrite:
            raise PublishError(f"{path} already exists; refusing to overwrite a signing key", code="key-exists")
        signer = CryptoSigner(Ed25519PrivateKey.generate())
        _write_private(path, signer.private_bytes)
        signers[role] = signer
    (folder / "README.txt").write_text(GUIDANCE, encoding="utf-8")
    return KeyRing(folder, signers)


def load(folder: Path, roles: tuple[str, ...] = ROLES) -> KeyRing:
    """Load whichever of ``roles`` have a key in ``folder`` (the root key is usually absent: it lives offline)."""
    if not folder.is_dir():
        raise PublishError(f"{folder}: no such keys folder; create keys with 'kiosk keys init'", code="no-keys")
    signers: dict[str, Signer] = {}
    for role in roles:
        path = folder / f"{role}.pem"
        if not path.is_file():
            continue
        try:
            private = load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError, OSError) as err:
            raise PublishError(f"{path} is not a readable private key: {err}", code="bad-key") from err
        if not isinstance(private, Ed25519PrivateKey):
            raise PublishError(f"{path} is not an ed25519 key", code="bad-key")
        signers[role] = CryptoSigner(private)
    return KeyRing(folder, signers)


def replace(folder: Path, role: str) -> tuple[Signer, Path]:
    """A new key for ``role``; the old file is kept as ``retired/<role>-N.pem`` for the operator to destroy."""
    path = folder / f"{role}.pem"
    retired = folder / "retired"
    retired.mkdir(exist_ok=True)
    number = len(list(retired.glob(f"{role}-*.pem"))) + 1
    kept = retired / f"{role}-{number}.pem"
    if path.exists():
        os.replace(path, kept)
    signer = CryptoSigner(Ed25519PrivateKey.generate())
    _write_private(path, signer.private_bytes)
    return signer, kept


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


__all__ = ["GUIDANCE", "ONLINE_ROLES", "ROLES", "KeyRing", "generate", "load", "replace"]
