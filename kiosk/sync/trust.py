"""Installing the root of trust on a kiosk: the one file that says which keys may sign its content."""

from __future__ import annotations

import shutil
from pathlib import Path

from tuf.api.exceptions import UnsignedMetadataError
from tuf.api.metadata import Metadata, Root
from tuf.api.serialization import DeserializationError

from kiosk.sync.errors import NotSetUp
from kiosk.sync.store import Store


def install_trust(store: Store, source: Path) -> str:
    """Check that ``source`` is a self-signed TUF root and install it; returns a line for the operator.

    A root different from the installed one means a different repository: the cached metadata is cleared so the
    kiosk starts its chain of trust again from the new root.
    """
    data = source.read_bytes()
    try:
        md = Metadata.from_bytes(data)
    except DeserializationError as err:
        raise NotSetUp(f"{source} is not TUF root metadata: {err}") from err
    if not isinstance(md.signed, Root):
        raise NotSetUp(f"{source} is {md.signed.type} metadata, not the root of trust (1.root.json)")
    root = md.signed
    try:
        root.verify_delegate(Root.type, md.signed_bytes, md.signatures)
    except UnsignedMetadataError as err:
        raise NotSetUp(f"{source} is not signed by its own root keys: {err}") from err
    trust = store.trust_file
    if trust.is_file() and trust.read_bytes() != data and store.metadata_dir.exists():
        shutil.rmtree(store.metadata_dir)
    trust.parent.mkdir(parents=True, exist_ok=True)
    trust.write_bytes(data)
    keyids = ", ".join(k[:12] for k in root.roles[Root.type].keyids)
    return f"Installed the root of trust (version {root.version}, root key {keyids}, expires {root.expires:%Y-%m-%d})."


__all__ = ["install_trust"]
