"""Build ``docent.glb``, the Docent museum guide, from code: ``.venv/bin/python avatars/docent/build.py``.

The model is generated procedurally with numpy (no random numbers, no other dependencies) and written as one
binary glTF 2.0 file. Running the script again gives byte-identical output.

Rig contract (the kiosk runtime depends on it):

* glTF conventions: Y up, metres, the guide faces +Z, its own left is +X, feet on y = 0, centred on x = z = 0;
  about 1.68 m tall.
* One skin with the joints ``root`` (at the origin) > ``hips`` > ``spine`` > ``chest`` > ``neck`` > ``head`` >
  ``eye_L`` / ``eye_R``; ``chest`` > ``shoulder_X`` > ``upper_arm_X`` > ``lower_arm_X`` > ``hand_X``; ``hips`` >
  ``upper_leg_X`` > ``lower_leg_X`` > ``foot_X`` (X = L or R). Every joint has identity rotation and unit scale at
  rest (translation only), so runtime rotations turn about world-aligned axes. Pivots: upper arm at the shoulder
  ball, lower arm at the elbow, hand at the wrist, head at the skull base, eyes at the eyeball centres.
* Rest pose: standing relaxed, arms hanging about 10 degrees out from the body.
* Every vertex is skinned (JOINTS_0 / WEIGHTS_0, at most four influences summing to 1) with smooth blends across
  shoulders, elbows, wrists, neck and hips. The eyeballs (white, iris, limbus, pupil, catchlight) follow
  ``eye_L`` / ``eye_R`` alone, for gaze.
* Meshes: ``Face`` (head skin, lips, mouth interior, teeth, eyelids, brows) carries the morph targets, in this
  order, named in ``mesh.extras.targetNames``: viseme_aa, viseme_ih, viseme_ou, viseme_ee, viseme_oh, blink,
  happy, surprised, sad; every primitive of it has all nine (POSITION and NORMAL deltas, zero where
  unaffected). ``Eyes`` and ``Body`` have no targets. At all weights 0 the mouth is closed in a slight smile.
* Materials: glTF metallic-roughness with base colour factors only (no textures); colours are written below as
  sRGB and stored linear, as glTF requires.
* No animations: the kiosk animates the guide procedurally.

Modules beside this script: ``shapes.py`` (mesh primitives), ``rig.py`` (skeleton and skin weights), ``face.py``
(head skin, eyes, mouth, brows and the morph targets), ``hair.py`` (hair and ears), ``body.py`` (the clothed body)
and ``gltfwrite.py`` (the .glb writer).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # keep __pycache__ out of the avatar package (it ships in the content pack)

import face  # noqa: E402
import hair  # noqa: E402
from body import build_body  # noqa: E402
from face import EYE_CENTRE, TARGET_NAMES, normals_and_deltas  # noqa: E402
from gltfwrite import Joint, Material, Mesh, Primitive, write_glb  # noqa: E402
from rig import JOINT_ORDER, Part, skeleton, top4  # noqa: E402
from shapes import vertex_normals  # noqa: E402

OUTPUT = HERE / "docent.glb"

# name: (sRGB colour, roughness, metallic)
MATERIALS: dict[str, tuple[tuple[float, float, float], float, float]] = {
    "skin": ((0.92, 0.72, 0.60), 0.6, 0.0),
    "lips": ((0.80, 0.50, 0.47), 0.45, 0.0),
    "mouth": ((0.16, 0.05, 0.05), 0.8, 0.0),
    "teeth": ((0.93, 0.91, 0.86), 0.35, 0.0),
    "eye_white": ((0.91, 0.90, 0.88), 0.2, 0.0),
    "iris": ((0.50, 0.33, 0.19), 0.2, 0.0),
    "limbus": ((0.22, 0.15, 0.10), 0.2, 0.0),
    "pupil": ((0.05, 0.04, 0.04), 0.2, 0.0),
    "catchlight": ((1.0, 1.0, 1.0), 0.1, 0.0),
    "hair": ((0.24, 0.16, 0.11), 0.5, 0.0),
    "lashes": ((0.12, 0.08, 0.06), 0.6, 0.0),
    "blazer": ((0.16, 0.21, 0.36), 0.8, 0.0),
    "shirt": ((0.88, 0.89, 0.89), 0.7, 0.0),
    "pearl": ((0.86, 0.84, 0.80), 0.3, 0.0),
    "gold": ((0.86, 0.69, 0.38), 0.35, 0.6),
    "ink": ((0.20, 0.16, 0.10), 0.5, 0.0),
    "trousers": ((0.20, 0.21, 0.25), 0.8, 0.0),
    "shoe": ((0.17, 0.11, 0.08), 0.4, 0.0),
    "sole": ((0.10, 0.09, 0.08), 0.7, 0.0),
}
MESHES = ("Body", "Face", "Eyes")


def linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def materials() -> list[Material]:
    return [
        Material(name.replace("_", " ").title().replace(" ", ""), (linear(c[0]), linear(c[1]), linear(c[2])), r, m)
        for name, (c, r, m) in MATERIALS.items()
    ]


def primitive(parts: list[Part], morphs: bool) -> Primitive:
    """Merge the parts (same mesh and material) into one primitive."""
    pos, faces, normals, weights = [], [], [], []
    deltas: list[list[tuple[np.ndarray, np.ndarray]]] = []
    base = 0
    for p in parts:
        pos.append(p.geo.pos)
        faces.append(p.geo.faces + base)
        base += p.geo.n
        weights.append(p.weights)
        if morphs:
            n, d = normals_and_deltas(p)
            normals.append(n)
            deltas.append(d)
        else:
            normals.append(vertex_normals(p.geo.pos, p.geo.faces))
    joints, w = top4(np.concatenate(weights))
    targets = []
    if morphs:
        for t in range(len(TARGET_NAMES)):
            targets.append((np.concatenate([d[t][0] for d in deltas]), np.concatenate([d[t][1] for d in deltas])))
    mat = list(MATERIALS).index(parts[0].material)
    return Primitive(
        mat, np.concatenate(pos), np.concatenate(normals), joints, w, np.concatenate(faces).astype(np.uint32), targets
    )


def build_head() -> list[Part]:
    """Skin (without the part the hair hides), face features with their morph targets, eyes, ears and hair."""
    parts = [
        face.skin_part(hidden=hair.under_hair),
        *face.face_parts(),
        *hair.ear_parts(),
        hair.hair_part(),
        hair.hair_locks(),
    ]
    face.scale_head(parts)
    return parts


def build() -> tuple[list[Joint], list[Mesh]]:
    parts = build_head() + build_body()
    meshes = []
    for mesh_name in MESHES:
        mine = [p for p in parts if p.mesh == mesh_name]
        prims = []
        for mat in MATERIALS:
            group = [p for p in mine if p.material == mat]
            if group:
                prims.append(primitive(group, morphs=mesh_name == "Face"))
        meshes.append(Mesh(mesh_name, prims, list(TARGET_NAMES) if mesh_name == "Face" else []))
    table = skeleton(EYE_CENTRE)
    index = {name: i for i, name in enumerate(JOINT_ORDER)}
    joints = [Joint(name, index[parent] if parent else None, pos) for name, parent, pos in table]
    return joints, meshes


def main() -> None:
    joints, meshes = build()
    size = write_glb(OUTPUT, joints, meshes, materials())
    tris = sum(len(p.faces) for m in meshes for p in m.primitives)
    verts = sum(len(p.pos) for m in meshes for p in m.primitives)
    print(f"wrote {OUTPUT.name}: {size} bytes, {tris} triangles, {verts} vertices, {len(joints)} joints")


if __name__ == "__main__":
    main()
