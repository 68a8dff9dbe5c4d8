"""A small, deterministic binary glTF 2.0 (.glb) writer for one skinned character.

Layout written: a group node ``Docent`` holding the joint hierarchy (translation-only nodes) and one node per mesh,
every mesh skinned with the single skin. Primitives carry POSITION, NORMAL, JOINTS_0 (unsigned byte), WEIGHTS_0 and
optional morph targets (POSITION and NORMAL deltas). JSON keys keep insertion order and numbers are rounded, so the
same input always gives the same bytes.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

Array = np.ndarray

FLOAT, UBYTE, USHORT, UINT = 5126, 5121, 5123, 5125
ARRAY_BUFFER, ELEMENT_ARRAY_BUFFER = 34962, 34963


@dataclass
class Primitive:
    """One draw call: a material and its vertices, all skinned; ``targets`` holds (position, normal) deltas."""

    material: int
    pos: Array
    normal: Array
    joints: Array
    weights: Array
    faces: Array
    targets: list[tuple[Array, Array]] = field(default_factory=list)


@dataclass
class Mesh:
    name: str
    primitives: list[Primitive]
    target_names: list[str] = field(default_factory=list)


@dataclass
class Joint:
    name: str
    parent: int | None
    world: tuple[float, float, float]


@dataclass
class Material:
    name: str
    color: tuple[float, float, float]
    roughness: float
    metallic: float = 0.0


class _Buffer:
    def __init__(self) -> None:
        self.data = bytearray()
        self.views: list[dict] = []
        self.accessors: list[dict] = []

    def add(self, array: Array, kind: str, ctype: int, target: int | None, minmax: bool = False) -> int:
        dtype = {FLOAT: "<f4", UBYTE: "u1", USHORT: "<u2", UINT: "<u4"}[ctype]
        arr = np.ascontiguousarray(array, dtype=dtype)
        while len(self.data) % 4:
            self.data.append(0)
        view: dict = {"buffer": 0, "byteOffset": len(self.data), "byteLength": arr.nbytes}
        if target is not None:
            view["target"] = target
        self.views.append(view)
        self.data += arr.tobytes()
        count = arr.shape[0] if kind != "SCALAR" else arr.size
        acc: dict = {"bufferView": len(self.views) - 1, "componentType": ctype, "count": int(count), "type": kind}
        if minmax:
            acc["min"] = [_num(v) for v in arr.min(axis=0)]
            acc["max"] = [_num(v) for v in arr.max(axis=0)]
        self.accessors.append(acc)
        return len(self.accessors) - 1


def _num(v: float) -> float:
    return float(round(float(v), 6))


def _f32(a: Array) -> Array:
    """Round to a micrometre before storing, so tiny platform differences do not change the bytes."""
    return np.round(np.asarray(a, dtype=np.float64), 6).astype(np.float32)


def write_glb(path: Path, joints: list[Joint], meshes: list[Mesh], materials: list[Material]) -> int:
    """Write the character to ``path``; returns the number of bytes written."""
    buf = _Buffer()
    nodes: list[dict] = [{"name": "Docent", "children": []}]
    joint_nodes = []
    for j in joints:
        local = np.array(j.world) - (np.array(joints[j.parent].world) if j.parent is not None else 0.0)
        node: dict = {"name": j.name}
        if np.any(np.abs(local) > 0):
            node["translation"] = [_num(v) for v in local]
        joint_nodes.append(len(nodes))
        nodes.append(node)
    for i, j in enumerate(joints):
        if j.parent is None:
            nodes[0]["children"].append(joint_nodes[i])
        else:
            nodes[joint_nodes[j.parent]].setdefault("children", []).append(joint_nodes[i])

    ibm = np.zeros((len(joints), 4, 4))
    for i, j in enumerate(joints):
        m = np.eye(4)
        m[:3, 3] = -np.array(j.world)
        ibm[i] = m.T  # column-major
    ibm_acc = buf.add(_f32(ibm.reshape(len(joints), 16)), "MAT4", FLOAT, None)

    gltf_meshes = []
    for mesh in meshes:
        prims = []
        for p in mesh.primitives:
            attrs = {
                "POSITION": buf.add(_f32(p.pos), "VEC3", FLOAT, ARRAY_BUFFER, minmax=True),
                "NORMAL": buf.add(_f32(p.normal), "VEC3", FLOAT, ARRAY_BUFFER),
                "JOINTS_0": buf.add(p.joints.astype(np.uint8), "VEC4", UBYTE, ARRAY_BUFFER),
                "WEIGHTS_0": buf.add(p.weights.astype(np.float32), "VEC4", FLOAT, ARRAY_BUFFER),
            }
            itype = USHORT if p.pos.shape[0] < 65536 else UINT
            prim: dict = {
                "attributes": attrs,
                "indices": buf.add(p.faces.reshape(-1), "SCALAR", itype, ELEMENT_ARRAY_BUFFER),
                "material": p.material,
                "mode": 4,
            }
            if p.targets:
                prim["targets"] = [
                    {
                        "POSITION": buf.add(_f32(dp), "VEC3", FLOAT, ARRAY_BUFFER, minmax=True),
                        "NORMAL": buf.add(_f32(dn), "VEC3", FLOAT, ARRAY_BUFFER),
                    }
                    for dp, dn in p.targets
                ]
            prims.append(prim)
        m: dict = {"name": mesh.name, "primitives": prims}
        if mesh.target_names:
            m["weights"] = [0.0] * len(mesh.target_names)
            m["extras"] = {"targetNames": list(mesh.target_names)}
        gltf_meshes.append(m)
        nodes[0]["children"].append(len(nodes))
        nodes.append({"name": mesh.name, "mesh": len(gltf_meshes) - 1, "skin": 0})

    doc = {
        "asset": {"version": "2.0", "generator": "Docent avatars/docent/build.py"},
        "scene": 0,
        "scenes": [{"name": "Docent", "nodes": [0]}],
        "nodes": nodes,
        "skins": [
            {"name": "DocentRig", "inverseBindMatrices": ibm_acc, "skeleton": joint_nodes[0], "joints": joint_nodes}
        ],
        "meshes": gltf_meshes,
        "materials": [
            {
                "name": m.name,
                "pbrMetallicRoughness": {
                    "baseColorFactor": [_num(c) for c in m.color] + [1.0],
                    "metallicFactor": _num(m.metallic),
                    "roughnessFactor": _num(m.roughness),
                },
            }
            for m in materials
        ],
        "buffers": [{"byteLength": 0}],
        "bufferViews": buf.views,
        "accessors": buf.accessors,
    }
    while len(buf.data) % 4:
        buf.data.append(0)
    doc["buffers"][0]["byteLength"] = len(buf.data)
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    text += b" " * (-len(text) % 4)
    total = 12 + 8 + len(text) + 8 + len(buf.data)
    out = struct.pack("<III", 0x46546C67, 2, total)
    out += struct.pack("<II", len(text), 0x4E4F534A) + text
    out += struct.pack("<II", len(buf.data), 0x004E4942) + bytes(buf.data)
    Path(path).write_bytes(out)
    return total
