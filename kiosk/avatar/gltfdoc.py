"""Reading a glTF 2.0 model (.gltf or .glb) into a small summary, without Panda3D.

The summary names what an ``avatar.yaml`` may point at: skin joints, morph targets and animation clips, named the
way panda3d-gltf names them in the scene graph (unnamed targets are ``"0"``, ``"1"`` ...; unnamed clips
``"anim0"`` ...; unnamed joints ``"bone7"``). It also counts triangles for the kiosk's rendering budget.

Anything wrong with the file becomes one :class:`AvatarModelError` with a message an artist can act on; no
``struct.error``, ``KeyError`` or ``JSONDecodeError`` escapes. :func:`merge_duplicate_skins` works around a
panda3d-gltf 1.3.0 limitation (two skins sharing one skeleton) on the JSON before conversion.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from kiosk.errors import DocentError

GLB_MAGIC = b"glTF"
_JSON_CHUNK = b"JSON"
_BIN_CHUNK = b"BIN\x00"
_GLB_BIN_KEY = "_glb_bin"
"""Where panda3d-gltf's own GLB parser keeps the BIN chunk: ``buffers[0] = {'uri': '_glb_bin', '_glb_bin': ...}``."""

_COMPONENT_SIZE = {5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4}
_TYPE_COUNT = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}


class AvatarModelError(DocentError):
    """A model file cannot be read as glTF 2.0 (missing, truncated, broken JSON, wrong version, lost buffer)."""

    code = "avatar-model"


@dataclass(frozen=True)
class GltfDoc:
    """What an avatar model offers, as panda3d-gltf will name it. ``data`` is the raw JSON; treat it as read-only."""

    path: Path
    data: dict[str, Any]
    """The parsed glTF JSON (for a .glb, the JSON chunk). :meth:`converter_data` gives panda3d-gltf's own copy."""
    bin_chunk: bytes | None
    """The BIN chunk of a .glb (None for .gltf, or when read with ``load_binary=False``)."""
    nodes: tuple[str, ...]
    """Every node's name, by node index (unnamed nodes are ``node<i>``)."""
    joints: tuple[str, ...]
    """Names of the nodes used as joints by any skin, in skin order, each once (unnamed: ``bone<i>``)."""
    morph_targets: tuple[tuple[str, ...], ...]
    """For each mesh (by mesh index), its morph target names; ``()`` for a mesh without targets."""
    clips: tuple[str, ...]
    """Animation names, by animation index (unnamed: ``anim<i>``)."""
    triangles: int
    """Triangles over all primitives of all meshes (each mesh counted once)."""
    skins: int

    @property
    def target_names(self) -> tuple[str, ...]:
        """Every morph target name over all meshes, each once, in mesh order."""
        seen: dict[str, None] = {}
        for names in self.morph_targets:
            for name in names:
                seen.setdefault(name)
        return tuple(seen)

    def target_at(self, index: int) -> tuple[str, ...]:
        """The names morph target number ``index`` has in the meshes that have that many targets."""
        return tuple(dict.fromkeys(names[index] for names in self.morph_targets if index < len(names)))

    def converter_data(self, *, merge_skins: bool = True) -> dict[str, Any]:
        """A fresh copy of the JSON ready for ``gltf._converter.Converter.update``.

        For a .glb, buffer 0 carries the BIN chunk the way panda3d-gltf's own parser does. Duplicate skins are
        merged (see :func:`merge_duplicate_skins`). The converter edits what it is given, hence the copy.
        """
        data = copy.deepcopy(self.data)
        buffers0 = data.get("buffers") or [{}]
        if self.bin_chunk is None and isinstance(buffers0[0], dict) and "uri" not in buffers0[0]:
            raise AvatarModelError(f"{self.path.name}: read the model with load_binary=True to convert it")
        if self.bin_chunk is not None:
            buffers = data.setdefault("buffers", [])
            glb = {"uri": _GLB_BIN_KEY, _GLB_BIN_KEY: self.bin_chunk, "byteLength": len(self.bin_chunk)}
            if buffers and isinstance(buffers[0], dict) and "uri" not in buffers[0]:
                buffers[0] = {**buffers[0], **glb}
            else:
                buffers.insert(0, glb)
        return merge_duplicate_skins(data, folder=self.path.parent) if merge_skins else data


def read_gltf(path: str | Path, *, load_binary: bool = True) -> GltfDoc:
    """Read and summarise a glTF 2.0 model. ``load_binary=False`` checks a .glb's BIN chunk without keeping it."""
    file = Path(path)
    name = file.name
    try:
        with file.open("rb") as handle:
            head = handle.read(12)
            if head[:4] == GLB_MAGIC:
                data, bin_chunk, has_bin = _read_glb(handle, head, name, load_binary=load_binary)
            else:
                data, bin_chunk, has_bin = _parse_json(head + handle.read(), name), None, False
    except FileNotFoundError as err:
        raise AvatarModelError(f"{name}: the model file does not exist", code="missing-model") from err
    except IsADirectoryError as err:
        raise AvatarModelError(f"{name}: this is a folder, not a model file") from err
    except OSError as err:
        raise AvatarModelError(f"{name}: the model file cannot be read: {err.strerror}") from err
    _check_version(data, name)
    _check_buffers(data, file, has_bin)
    try:
        return _summarise(file, data, bin_chunk)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as err:
        raise AvatarModelError(
            f"{name}: the glTF structure is broken ({type(err).__name__}: {err}); "
            "export the model again, or check it with the Khronos glTF validator"
        ) from err


def _read_glb(handle: Any, head: bytes, name: str, *, load_binary: bool) -> tuple[dict[str, Any], bytes | None, bool]:
    """The JSON chunk, the BIN chunk (when ``load_binary``) and whether there is a BIN chunk."""
    if len(head) < 12:
        raise AvatarModelError(f"{name}: the GLB file is truncated (it ends inside its 12-byte header)")
    version, length = struct.unpack("<II", head[4:12])
    if version != 2:
        raise AvatarModelError(
            f"{name}: this is a glTF {version} binary file; the kiosk reads glTF 2.0 only. "
            "Export it again as glTF 2.0 (.glb)",
            code="gltf-version",
        )
    size = handle.seek(0, 2)
    if size < length:
        raise AvatarModelError(
            f"{name}: the GLB file is truncated: its header says {length:,} bytes but the file has {size:,}. "
            "Copy or export it again"
        )
    handle.seek(12)
    chunk_type, chunk = _chunk(handle, name, 12, length, read=True)
    if chunk_type != _JSON_CHUNK:
        raise AvatarModelError(f"{name}: the GLB file does not start with a JSON chunk; export it again")
    data = _parse_json(chunk, name)
    offset = handle.tell()
    if offset + 8 > length:
        return data, None, False
    chunk_type, chunk = _chunk(handle, name, offset, length, read=load_binary)
    if chunk_type != _BIN_CHUNK:
        return data, None, False
    return data, chunk if load_binary else None, True


def _chunk(handle: Any, name: str, offset: int, length: int, *, read: bool) -> tuple[bytes, bytes]:
    header = handle.read(8)
    if len(header) < 8:
        raise AvatarModelError(f"{name}: the GLB file is truncated (a chunk header at byte {offset:,} is cut off)")
    chunk_length, chunk_type = struct.unpack("<I4s", header)
    end = offset + 8 + chunk_length
    if end > length:
        raise AvatarModelError(
            f"{name}: the GLB file is truncated or damaged: a chunk at byte {offset:,} runs to byte {end:,}, "
            f"past the end of the file ({length:,} bytes). Copy or export it again"
        )
    if not read:
        handle.seek(chunk_length, 1)
        return chunk_type, b""
    return chunk_type, handle.read(chunk_length)


def _parse_json(raw: bytes, name: str) -> dict[str, Any]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    stripped = raw.lstrip()
    if not stripped.startswith(b"{"):
        raise AvatarModelError(
            f"{name}: not a glTF file (it is neither a .glb binary nor glTF JSON); "
            "export the model as glTF 2.0 (.glb) from your 3D tool",
            code="not-gltf",
        )
    try:
        data = json.loads(raw.rstrip(b"\x00 ").decode("utf-8"))
    except UnicodeDecodeError as err:
        raise AvatarModelError(f"{name}: the glTF JSON is not UTF-8 text (at byte {err.start:,})") from err
    except json.JSONDecodeError as err:
        raise AvatarModelError(
            f"{name}: the glTF JSON is broken at line {err.lineno}, column {err.colno}: {err.msg}", code="bad-json"
        ) from err
    if not isinstance(data, dict):
        raise AvatarModelError(f"{name}: not a glTF file (its JSON is not an object)", code="not-gltf")
    return data


def _check_version(data: dict[str, Any], name: str) -> None:
    asset = data.get("asset")
    version = asset.get("version") if isinstance(asset, dict) else None
    if not isinstance(version, str):
        raise AvatarModelError(f"{name}: not a glTF file (it has no 'asset.version')", code="not-gltf")
    if not version.startswith("2."):
        raise AvatarModelError(
            f"{name}: this is glTF {version}; the kiosk reads glTF 2.0 only. Export it again as glTF 2.0 (.glb)",
            code="gltf-version",
        )


def _check_buffers(data: dict[str, Any], file: Path, has_glb_bin: bool) -> None:
    name = file.name
    buffers = data.get("buffers", [])
    if not isinstance(buffers, list):
        raise AvatarModelError(f"{name}: the glTF 'buffers' entry is not a list; export the model again")
    for i, buffer in enumerate(buffers):
        if not isinstance(buffer, dict):
            raise AvatarModelError(f"{name}: buffer {i} is not an object; export the model again")
        uri = buffer.get("uri")
        declared = buffer.get("byteLength", 0)
        if uri is None:
            if i != 0 or not has_glb_bin:
                raise AvatarModelError(
                    f"{name}: buffer {i} has no data (no 'uri' and no GLB binary chunk); export the model again"
                )
            continue
        if not isinstance(uri, str):
            raise AvatarModelError(f"{name}: buffer {i} has a 'uri' that is not text; export the model again")
        if uri.startswith("data:"):
            _decode_data_uri(uri, name, i)
            continue
        if "://" in uri:
            raise AvatarModelError(
                f"{name}: buffer {i} is fetched from {uri}; the kiosk works offline, so keep every buffer inside "
                "the .glb or beside the .gltf file",
                code="missing-buffer",
            )
        target = file.parent / unquote(uri)
        if not target.is_file():
            raise AvatarModelError(
                f"{name}: buffer file '{unquote(uri)}' is missing; keep it beside {name} (or export a single .glb)",
                code="missing-buffer",
            )
        size = target.stat().st_size
        if isinstance(declared, int) and size < declared:
            raise AvatarModelError(
                f"{name}: buffer file '{unquote(uri)}' is truncated: {size:,} bytes, but the model needs "
                f"{declared:,}. Copy or export it again",
                code="missing-buffer",
            )


def _decode_data_uri(uri: str, name: str, index: int) -> bytes:
    header, _, payload = uri.partition(",")
    if not header.endswith(";base64"):
        raise AvatarModelError(f"{name}: buffer {index} is a data URI that is not base64; export the model again")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as err:
        raise AvatarModelError(f"{name}: buffer {index}'s embedded base64 data is damaged; export it again") from err


def _summarise(file: Path, data: dict[str, Any], bin_chunk: bytes | None) -> GltfDoc:
    nodes_json: list[dict[str, Any]] = _list(data, "nodes")
    nodes = tuple(str(n.get("name", f"node{i}")) for i, n in enumerate(nodes_json))
    joints: dict[str, None] = {}
    skins = _list(data, "skins")
    for skin in skins:
        for node_id in skin["joints"]:
            joints.setdefault(str(nodes_json[node_id].get("name", f"bone{node_id}")))
    accessors = _list(data, "accessors")
    meshes = _list(data, "meshes")
    triangles = sum(_triangles(p, accessors) for mesh in meshes for p in mesh["primitives"])
    clips = tuple(str(a.get("name", f"anim{i}")) for i, a in enumerate(_list(data, "animations")))
    return GltfDoc(
        path=file,
        data=data,
        bin_chunk=bin_chunk,
        nodes=nodes,
        joints=tuple(joints),
        morph_targets=tuple(_target_names(mesh) for mesh in meshes),
        clips=clips,
        triangles=triangles,
        skins=len(skins),
    )


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise TypeError(f"'{key}' must be a list of objects")
    return value


def _target_names(mesh: dict[str, Any]) -> tuple[str, ...]:
    """Morph target names as panda3d-gltf names its sliders (``build_character_sliders``)."""
    count = max((len(p.get("targets") or ()) for p in mesh["primitives"]), default=0)
    if count == 0:
        return ()
    extras = mesh.get("extras")
    names = extras.get("targetNames", []) if isinstance(extras, dict) else []
    names = [str(n) for n in names] if isinstance(names, list) else []
    weights = mesh.get("weights") or [0.0] * max(len(names), count)
    return (*names, *(str(i) for i in range(len(names), len(weights))))


def _triangles(primitive: dict[str, Any], accessors: list[dict[str, Any]]) -> int:
    mode = primitive.get("mode", 4)
    if "indices" in primitive:
        count = int(accessors[primitive["indices"]]["count"])
    elif "POSITION" in primitive["attributes"]:
        count = int(accessors[primitive["attributes"]["POSITION"]]["count"])
    else:
        return 0
    if mode == 4:
        return count // 3
    if mode in (5, 6):
        return max(count - 2, 0)
    return 0


# -- duplicate skins ------------------------------------------------------------------------------------------


def merge_duplicate_skins(data: dict[str, Any], *, folder: Path | None = None) -> dict[str, Any]:
    """Merge skins that share one skeleton, for panda3d-gltf 1.3.0.

    panda3d-gltf builds one Character per skeleton root; when two skins have the same root, the second replaces
    the first in its table and ``add_node`` fails with ``KeyError``. FBX2glTF writes exactly that (one skin per
    skinned mesh, e.g. RobotExpressive's two hands). Skins with the same ``joints`` list and the same inverse
    bind matrices (the same accessor, or accessors with equal bytes) are merged into the first: nodes are
    re-pointed, the duplicates removed and the remaining skin indices renumbered.

    Returns ``data`` itself when there is nothing to merge, else a changed copy. Accessor bytes are read from
    panda3d-gltf's ``_glb_bin`` buffer, a base64 data URI, or a buffer file in ``folder``.
    """
    skins = data.get("skins")
    if not isinstance(skins, list) or len(skins) < 2:
        return data
    read = _accessor_reader(data, folder)
    keep: list[int] = []
    remap: dict[int, int] = {}
    for i, skin in enumerate(skins):
        for new_index, kept in enumerate(keep):
            if _same_skin(skins[kept], skin, read):
                remap[i] = new_index
                break
        else:
            remap[i] = len(keep)
            keep.append(i)
    if len(keep) == len(skins):
        return data
    merged = copy.copy(data)
    merged["skins"] = [skins[i] for i in keep]
    merged["nodes"] = [
        {**node, "skin": remap[node["skin"]]} if isinstance(node, dict) and "skin" in node else node
        for node in data.get("nodes", [])
    ]
    return merged


def _same_skin(a: dict[str, Any], b: dict[str, Any], read: Callable[[int], bytes | None]) -> bool:
    if a.get("joints") != b.get("joints"):
        return False
    ia, ib = a.get("inverseBindMatrices"), b.get("inverseBindMatrices")
    if ia == ib:
        return True
    if ia is None or ib is None:
        return False
    bytes_a, bytes_b = read(ia), read(ib)
    return bytes_a is not None and bytes_a == bytes_b


def _accessor_reader(data: dict[str, Any], folder: Path | None) -> Callable[[int], bytes | None]:
    cache: dict[int, bytes | None] = {}

    def buffer(index: int) -> bytes | None:
        if index not in cache:
            cache[index] = _buffer_bytes(data.get("buffers", []), index, folder)
        return cache[index]

    def read(accessor_id: int) -> bytes | None:
        try:
            accessor = data["accessors"][accessor_id]
            view = data["bufferViews"][accessor["bufferView"]]
            raw = buffer(view["buffer"])
            if raw is None:
                return None
            size = _COMPONENT_SIZE[accessor["componentType"]] * _TYPE_COUNT[accessor["type"]]
            start = view.get("byteOffset", 0) + accessor.get("byteOffset", 0)
            stride = view.get("byteStride") or size
            count = accessor["count"]
            return b"".join(raw[start + k * stride : start + k * stride + size] for k in range(count))
        except (KeyError, IndexError, TypeError):
            return None

    return read


def _buffer_bytes(buffers: Sequence[Any], index: int, folder: Path | None) -> bytes | None:
    if not 0 <= index < len(buffers) or not isinstance(buffers[index], dict):
        return None
    buffer = buffers[index]
    inline = buffer.get(_GLB_BIN_KEY)
    if isinstance(inline, bytes | bytearray | memoryview):
        return bytes(inline)
    uri = buffer.get("uri")
    if not isinstance(uri, str):
        return None
    if uri.startswith("data:"):
        try:
            return _decode_data_uri(uri, "", index)
        except AvatarModelError:
            return None
    if folder is None or "://" in uri:
        return None
    try:
        return (folder / unquote(uri)).read_bytes()
    except OSError:
        return None


__all__ = ["GLB_MAGIC", "AvatarModelError", "GltfDoc", "merge_duplicate_skins", "read_gltf"]
