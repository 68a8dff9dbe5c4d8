"""The Docent skeleton (joint names, rest positions, hierarchy) and skin-weight helpers.

Coordinates are glTF ones: Y up, metres, the guide faces +Z, its own left is +X, feet on y = 0.
Every joint is translation-only in the rest pose; positions below are world positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from shapes import Geo, smoothstep

Array = np.ndarray

# Arms hang ~10 degrees away from the body: the arm direction is (sin 10, -cos 10) in the x-y plane.
_ARM = np.radians(10.0)
_UPPER_ARM, _FOREARM = 0.285, 0.245
_SHOULDER_BALL = (0.160, 1.338, -0.014)
_ELBOW = (_SHOULDER_BALL[0] + _UPPER_ARM * np.sin(_ARM), _SHOULDER_BALL[1] - _UPPER_ARM * np.cos(_ARM), -0.03)
_WRIST = (_ELBOW[0] + _FOREARM * np.sin(_ARM), _ELBOW[1] - _FOREARM * np.cos(_ARM), -0.005)

# name: (parent, world position of the left or central joint)
_LEFT_AND_CENTRE: dict[str, tuple[str | None, tuple[float, float, float]]] = {
    "root": (None, (0.0, 0.0, 0.0)),
    "hips": ("root", (0.0, 0.93, -0.012)),
    "spine": ("hips", (0.0, 1.05, -0.022)),
    "chest": ("spine", (0.0, 1.20, -0.02)),
    "neck": ("chest", (0.0, 1.405, -0.022)),
    "head": ("neck", (0.0, 1.50, -0.012)),  # face.HEAD_PIVOT
    "eye_L": ("head", (0.0, 0.0, 0.0)),  # placed by face.py (eyeball centre), see EYE_CENTRE
    "shoulder_L": ("chest", (0.035, 1.37, 0.005)),
    "upper_arm_L": ("shoulder_L", _SHOULDER_BALL),
    "lower_arm_L": ("upper_arm_L", _ELBOW),
    "hand_L": ("lower_arm_L", _WRIST),
    "upper_leg_L": ("hips", (0.088, 0.875, 0.0)),
    "lower_leg_L": ("upper_leg_L", (0.094, 0.48, 0.01)),
    "foot_L": ("lower_leg_L", (0.10, 0.082, -0.028)),
}

JOINT_ORDER = [
    "root",
    "hips",
    "spine",
    "chest",
    "neck",
    "head",
    "eye_L",
    "eye_R",
    "shoulder_L",
    "upper_arm_L",
    "lower_arm_L",
    "hand_L",
    "shoulder_R",
    "upper_arm_R",
    "lower_arm_R",
    "hand_R",
    "upper_leg_L",
    "lower_leg_L",
    "foot_L",
    "upper_leg_R",
    "lower_leg_R",
    "foot_R",
]
J = {name: i for i, name in enumerate(JOINT_ORDER)}
NJ = len(JOINT_ORDER)


def mirror_name(name: str) -> str:
    if name.endswith("_L"):
        return name[:-2] + "_R"
    if name.endswith("_R"):
        return name[:-2] + "_L"
    return name


MIRROR_INDEX = np.array([J[mirror_name(n)] for n in JOINT_ORDER])


def skeleton(eye_centre: Sequence[float]) -> list[tuple[str, str | None, tuple[float, float, float]]]:
    """(name, parent, world position) for all joints, in JOINT_ORDER."""
    table = dict(_LEFT_AND_CENTRE)
    table["eye_L"] = ("head", (float(eye_centre[0]), float(eye_centre[1]), float(eye_centre[2])))
    out = []
    for name in JOINT_ORDER:
        src = name if name in table else mirror_name(name)
        parent, pos = table[src]
        if src != name:
            parent = mirror_name(parent) if parent else None
            pos = (-pos[0], pos[1], pos[2])
        out.append((name, parent, (float(pos[0]), float(pos[1]), float(pos[2]))))
    return out


def jpos(name: str) -> Array:
    """Rest world position of a left/central joint (not the eyes)."""
    src = name if name in _LEFT_AND_CENTRE else mirror_name(name)
    p = np.array(_LEFT_AND_CENTRE[src][1], dtype=float)
    if src != name:
        p[0] = -p[0]
    return p


@dataclass
class Part:
    """A named piece of the model: one material, its mesh, dense skin weights and morph position deltas."""

    name: str
    material: str
    geo: Geo
    weights: Array
    mesh: str = "Body"
    targets: dict[str, Array] = field(default_factory=dict)

    def mirrored(self, name: str) -> Part:
        """The same part reflected to the other side (x -> -x), with left/right joints swapped."""
        pos = self.geo.pos * np.array([-1.0, 1.0, 1.0])
        geo = Geo(pos, self.geo.faces[:, ::-1].copy())
        targets = {k: v * np.array([-1.0, 1.0, 1.0]) for k, v in self.targets.items()}
        return Part(name, self.material, geo, self.weights[:, MIRROR_INDEX], self.mesh, targets)


def rigid(n: int, joint: str) -> Array:
    w = np.zeros((n, NJ))
    w[:, J[joint]] = 1.0
    return w


def chain(pos: Array, joints: Sequence[str], ends: Sequence[Sequence[float]], blends: Sequence[float]) -> Array:
    """Weights along a chain of bones.

    Bone k runs from ``ends[k]`` to ``ends[k + 1]`` and deforms with ``joints[k]``; the switch from bone k to k+1
    happens smoothly over +-``blends[k]`` metres (measured along the chain) around ``ends[k + 1]``.
    """
    pts = np.asarray(ends, dtype=float)
    seg = pts[1:] - pts[:-1]
    length = np.linalg.norm(seg, axis=1)
    cum = np.concatenate([[0.0], np.cumsum(length)])
    best_d = np.full(len(pos), np.inf)
    s = np.zeros(len(pos))
    for k in range(len(seg)):
        t = np.clip(((pos - pts[k]) @ seg[k]) / length[k] ** 2, 0.0, 1.0)
        if k == 0:
            t = np.minimum(((pos - pts[k]) @ seg[k]) / length[k] ** 2, 1.0)
        if k == len(seg) - 1:
            t = np.maximum(((pos - pts[k]) @ seg[k]) / length[k] ** 2, 0.0)
        d = np.linalg.norm(pos - (pts[k] + t[:, None] * seg[k]), axis=1)
        better = d < best_d - 1e-9
        best_d = np.where(better, d, best_d)
        s = np.where(better, cum[k] + t * length[k], s)
    w = np.zeros((len(pos), NJ))
    carry = np.ones(len(pos))
    for k in range(len(joints) - 1):
        nxt = smoothstep(cum[k + 1] - blends[k], cum[k + 1] + blends[k], s)
        w[:, J[joints[k]]] += carry * (1.0 - nxt)
        carry = carry * nxt
    w[:, J[joints[-1]]] += carry
    return w


def mix(a: Array, b: Array, t: Array) -> Array:
    """Blend two weight sets per vertex: t = 0 gives ``a``, 1 gives ``b``."""
    t = np.asarray(t, dtype=float)[:, None]
    return a * (1.0 - t) + b * t


def top4(weights: Array) -> tuple[Array, Array]:
    """The four strongest influences per vertex, normalised to sum exactly 1 in float32."""
    order = np.argsort(-weights, axis=1, kind="stable")[:, :4]
    w = np.take_along_axis(weights, order, axis=1)
    w = np.where(w < 1e-3, 0.0, w)
    w = w / w.sum(axis=1, keepdims=True)
    w = np.round(w, 5).astype(np.float32)
    w[:, 0] = np.float32(1.0) - w[:, 1:].sum(axis=1, dtype=np.float32)
    joints = np.where(w > 0, order, 0).astype(np.uint8)
    return joints, w
