"""Avatar packages on real models: the bundled guide, two third-party CC0 characters, and one broken package per
class of mistake an artist makes. Each problem must name the file, the line and the field, and say what is valid."""

from __future__ import annotations

import base64
import json
import shutil
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kiosk.avatar.gltfdoc import AvatarModelError, merge_duplicate_skins, read_gltf
from kiosk.avatar.package import (
    TRIANGLE_BUDGET,
    VISEMES,
    AvatarInvalid,
    check_avatar,
    load_avatar,
    validate_avatar,
)
from kiosk.cli import main
from kiosk.content import validate_pack
from kiosk.content.problems import Severity
from kiosk.ops.paths import demo_pack_path
from kiosk.voice.visemes import VISEMES as TRACK_VISEMES
from tests.conftest import TESTS

AVATARS = TESTS / "avatars"
ROBOT = AVATARS / "robot-expressive"
SPHERE = AVATARS / "morph-sphere"
DOCENT = demo_pack_path() / "avatars" / "docent"
ROBOT_GLB = ROBOT / "RobotExpressive.glb"


@pytest.fixture
def robot(tmp_path: Path) -> Path:
    """A writable copy of the robot package, in a folder named 'robot'."""
    return Path(shutil.copytree(ROBOT, tmp_path / "robot"))


def _edit(folder: Path, old: str, new: str) -> None:
    manifest = folder / "avatar.yaml"
    text = manifest.read_text(encoding="utf-8")
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    else:
        text += new
    manifest.write_text(text, encoding="utf-8")


# -- the three real packages ---------------------------------------------------------------------------------


def test_robot_package_maps_onto_the_guide() -> None:
    spec = load_avatar(ROBOT)
    assert spec.name == "Expressive robot"
    assert spec.model == ROBOT_GLB.resolve()
    assert (spec.licence, spec.facing, spec.height) == ("CC0-1.0", "front", None)
    assert spec.heading == 0.0
    assert dict(spec.visemes) == {}
    assert dict(spec.expressions) == {"surprised": "Surprised", "sad": "Sad"}
    assert dict(spec.joints) == {
        "hips": "Hips",
        "spine": "Abdomen",
        "chest": "Torso",
        "neck": "Neck",
        "head": "Head",
        "upper_arm_left": "UpperArm.L",
        "lower_arm_left": "LowerArm.L",
        "hand_left": "Palm2.L",
        "upper_arm_right": "UpperArm.R",
        "lower_arm_right": "LowerArm.R",
        "hand_right": "Palm2.R",
    }
    assert dict(spec.clips) == {"idle": "Idle", "greet": "Wave", "nod": "Yes", "goodbye": "Wave"}
    assert spec.triangles == 3237
    # Only warnings: no mouth shapes, no blink. They travel with the spec.
    assert [(p.code, p.severity) for p in spec.problems] == [
        ("no-visemes", Severity.WARNING),
        ("no-blink", Severity.WARNING),
    ]


def test_morph_sphere_maps_unnamed_targets_by_number() -> None:
    spec = load_avatar(SPHERE)
    # 'aa: 0' (a number) and 'oh: "1"' (text) both become the names panda3d-gltf gives unnamed targets.
    assert dict(spec.visemes) == {"aa": "0", "oh": "1"}
    assert dict(spec.clips) == {"idle": "Globe"}
    assert dict(spec.joints) == {}
    assert spec.model.suffix == ".gltf"
    assert {p.code for p in spec.problems} == {"no-blink", "no-skeleton"}


def test_docent_package_matches_the_built_guide() -> None:
    spec = load_avatar(DOCENT)
    assert spec.name == "Docent guide"
    assert spec.height == 1.68
    assert dict(spec.visemes) == {v: f"viseme_{v}" for v in VISEMES}
    assert dict(spec.expressions) == {e: e for e in ("blink", "happy", "surprised", "sad")}
    assert spec.joints["eye_left"] == "eye_L"
    assert spec.joints["hand_right"] == "hand_R"
    assert len(spec.joints) == 13
    assert dict(spec.clips) == {}
    assert spec.triangles <= TRIANGLE_BUDGET
    assert [p for p in spec.problems if p.severity is Severity.ERROR] == []


def test_viseme_vocabulary_is_the_lip_sync_one() -> None:
    assert VISEMES == TRACK_VISEMES


# -- reading glTF ---------------------------------------------------------------------------------------------


def test_read_robot_glb() -> None:
    doc = read_gltf(ROBOT_GLB)
    assert doc.skins == 2
    assert len(doc.joints) == 43
    assert {"Hips", "Head", "UpperArm.L", "Palm2.R"} <= set(doc.joints)
    assert "RootNode" in doc.nodes and "RootNode" not in doc.joints
    assert doc.morph_targets[2] == ("Angry", "Surprised", "Sad")
    assert doc.target_names == ("Angry", "Surprised", "Sad")
    assert len(doc.clips) == 14 and "Wave" in doc.clips
    assert doc.bin_chunk is not None and len(doc.bin_chunk) > 300_000
    assert read_gltf(ROBOT_GLB, load_binary=False).bin_chunk is None


def test_read_gltf_with_external_buffer() -> None:
    doc = read_gltf(SPHERE / "AnimatedMorphSphere.gltf")
    assert doc.morph_targets == (("0", "1"),)
    assert doc.clips == ("Globe",)
    assert doc.triangles == 960
    assert doc.bin_chunk is None and doc.skins == 0
    assert merge_duplicate_skins(doc.data) is doc.data  # nothing to merge: the same object back


def test_raw_robot_needs_the_skin_merge_and_converts_after_it() -> None:
    from gltf._converter import Converter, GltfSettings

    doc = read_gltf(ROBOT_GLB)
    raw = doc.converter_data(merge_skins=False)
    with pytest.raises(KeyError):  # the panda3d-gltf 1.3.0 failure the merge exists for
        Converter(str(ROBOT_GLB), settings=GltfSettings()).update(raw)

    data = doc.converter_data()
    assert len(data["skins"]) == 1
    assert [n["skin"] for n in data["nodes"] if "skin" in n] == [0, 0]
    assert len(doc.data["skins"]) == 2  # the document itself is untouched
    converter = Converter(str(ROBOT_GLB), settings=GltfSettings())
    converter.update(data)
    [character] = converter.characters.values()
    assert {name for _, name in character.cvsmap} == {"Angry", "Surprised", "Sad"}
    assert len(character.jvtmap) == 43
    assert converter.active_scene.find("**/+Character").get_name() == "RootNode"


def _data_uri(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


def _skin_doc(matrices: list[bytes], skins: list[tuple[list[int], int]]) -> dict[str, Any]:
    raw = b"".join(matrices)
    return {
        "asset": {"version": "2.0"},
        "buffers": [{"uri": _data_uri(raw), "byteLength": len(raw)}],
        "bufferViews": [{"buffer": 0, "byteOffset": 64 * i, "byteLength": 64} for i in range(len(matrices))],
        "accessors": [
            {"bufferView": i, "componentType": 5126, "count": 1, "type": "MAT4"} for i in range(len(matrices))
        ],
        "nodes": [{"name": "root", "children": [1]}, {"name": "bone"}, {"skin": 0}, {"skin": 1}, {"skin": 2}],
        "skins": [{"joints": joints, "inverseBindMatrices": acc} for joints, acc in skins],
    }


def test_merge_compares_inverse_bind_matrix_bytes() -> None:
    identity = struct.pack("<16f", *[1.0 if i % 5 == 0 else 0.0 for i in range(16)])
    moved = struct.pack("<16f", *[1.0 if i % 5 == 0 else (2.0 if i == 12 else 0.0) for i in range(16)])
    # Skins 0 and 1: same joints, equal bytes in different accessors -> merged; skin 2 differs -> kept, renumbered.
    data = _skin_doc([identity, identity, moved], [([0, 1], 0), ([0, 1], 1), ([0, 1], 2)])
    merged = merge_duplicate_skins(data)
    assert merged is not data
    assert merged["skins"] == [
        {"joints": [0, 1], "inverseBindMatrices": 0},
        {"joints": [0, 1], "inverseBindMatrices": 2},
    ]
    assert [n.get("skin") for n in merged["nodes"]][2:] == [0, 0, 1]
    assert len(data["skins"]) == 3

    distinct = _skin_doc([identity, moved], [([0, 1], 0), ([0, 1], 1)])
    assert merge_duplicate_skins(distinct) is distinct
    other_joints = _skin_doc([identity], [([0, 1], 0), ([1], 0)])
    assert merge_duplicate_skins(other_joints) is other_joints


# -- model files that cannot be read --------------------------------------------------------------------------


def _glb(json_chunk: bytes, version: int = 2, total: int | None = None) -> bytes:
    json_chunk += b" " * (-len(json_chunk) % 4)
    body = struct.pack("<I4s", len(json_chunk), b"JSON") + json_chunk
    return b"glTF" + struct.pack("<II", version, total if total is not None else 12 + len(body)) + body


BAD_MODELS: dict[str, tuple[Callable[[], bytes], str]] = {
    "truncated.glb": (
        lambda: ROBOT_GLB.read_bytes()[:200_000],
        "truncated.glb: the GLB file is truncated: its header says 463,988 bytes but the file has 200,000. "
        "Copy or export it again",
    ),
    "chunk.glb": (
        lambda: b"glTF" + struct.pack("<III", 2, 24, 1000) + b"JSON" + b"{}  ",
        "chunk.glb: the GLB file is truncated or damaged: a chunk at byte 12 runs to byte 1,020, past the end of "
        "the file (24 bytes)",
    ),
    "nobin.glb": (
        lambda: _glb(b'{"asset": {"version": "2.0"}, "buffers": [{"byteLength": 4}]}'),
        "nobin.glb: buffer 0 has no data (no 'uri' and no GLB binary chunk)",
    ),
    "header.glb": (
        lambda: b"glTF\x02\x00",
        "header.glb: the GLB file is truncated (it ends inside its 12-byte header)",
    ),
    "text.glb": (lambda: b"solid cube\nfacet normal 0 0 1\n", "text.glb: not a glTF file"),
    "empty.gltf": (lambda: b"", "empty.gltf: not a glTF file"),
    "broken.gltf": (
        lambda: b'{\n  "asset": {"version": "2.0"},\n  "nodes": [\n}\n',
        "broken.gltf: the glTF JSON is broken at line 4, column 1",
    ),
    "old.gltf": (lambda: b'{"asset": {"version": "1.0"}}', "old.gltf: this is glTF 1.0; the kiosk reads glTF 2.0 only"),
    "old.glb": (lambda: _glb(b'{"asset": {"version": "1.0"}}', version=1), "old.glb: this is a glTF 1 binary file"),
    "noasset.gltf": (lambda: b'{"nodes": []}', "noasset.gltf: not a glTF file (it has no 'asset.version')"),
    "lost.gltf": (
        lambda: (SPHERE / "AnimatedMorphSphere.gltf").read_bytes(),
        "lost.gltf: buffer file 'AnimatedMorphSphere.bin' is missing",
    ),
    "online.gltf": (
        lambda: b'{"asset": {"version": "2.0"}, "buffers": [{"uri": "https://example.org/a.bin", "byteLength": 4}]}',
        "online.gltf: buffer 0 is fetched from https://example.org/a.bin; the kiosk works offline",
    ),
    "shape.gltf": (
        lambda: b'{"asset": {"version": "2.0"}, "meshes": [{"primitives": [{"attributes": {}, "indices": 5}]}]}',
        "shape.gltf: the glTF structure is broken (IndexError",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_MODELS))
def test_unreadable_model_is_a_plain_error(tmp_path: Path, name: str) -> None:
    make, expected = BAD_MODELS[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(AvatarModelError) as info:
        read_gltf(path)
    assert str(info.value).startswith(expected), str(info.value)
    assert "Traceback" not in str(info.value)


def test_missing_model_file_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(AvatarModelError, match=r"^gone\.glb: the model file does not exist$"):
        read_gltf(tmp_path / "gone.glb")


def test_truncated_buffer_file(tmp_path: Path) -> None:
    shutil.copy(SPHERE / "AnimatedMorphSphere.gltf", tmp_path)
    (tmp_path / "AnimatedMorphSphere.bin").write_bytes((SPHERE / "AnimatedMorphSphere.bin").read_bytes()[:1000])
    with pytest.raises(AvatarModelError, match=r"'AnimatedMorphSphere\.bin' is truncated: 1,000 bytes, but the model"):
        read_gltf(tmp_path / "AnimatedMorphSphere.gltf")


def test_unreadable_model_is_reported_on_the_model_line(robot: Path) -> None:
    (robot / "RobotExpressive.glb").write_bytes(ROBOT_GLB.read_bytes()[:200_000])
    [problem] = [p for p in validate_avatar(robot) if p.severity is Severity.ERROR]
    assert str(problem) == (
        "avatar.yaml:4: model: RobotExpressive.glb: the GLB file is truncated: its header says 463,988 bytes but "
        "the file has 200,000. Copy or export it again"
    )


# -- one mistake at a time ------------------------------------------------------------------------------------

# (text in the robot's avatar.yaml, its replacement or "" to append, expected start of the problem line)
MISTAKES = {
    "yaml-syntax": ("  sad: Sad\n", "  sad: [Sad\n", "avatar.yaml:12: YAML syntax error: "),
    "unknown-key": (
        "facing: front",
        "faceing: front",
        "avatar.yaml:8: faceing: unknown key 'faceing'. Did you mean 'facing'? Valid keys here: model, author, name,",
    ),
    "missing-author": (
        "author: Tomás Laulhé (Quaternius), modified by Don McCurdy\n",
        "",
        "avatar.yaml:3: author: missing required field 'author' in avatar.yaml",
    ),
    "missing-licence": (
        "licence: CC0-1.0\n",
        "",
        "avatar.yaml:3: licence: missing required field 'licence': the model's licence, as an SPDX id",
    ),
    "both-licence-spellings": (
        "licence: CC0-1.0\n",
        "licence: CC0-1.0\nlicense: CC0-1.0\n",
        "avatar.yaml:6: license: both 'licence' (line 5) and 'license' are given; keep one",
    ),
    "model-missing": (
        "model: RobotExpressive.glb",
        "model: Robot.glb",
        "avatar.yaml:4: model: model file 'Robot.glb' does not exist in robot/. Did you mean 'RobotExpressive.glb'? "
        "Model files here: RobotExpressive.glb",
    ),
    "model-not-gltf": (
        "model: RobotExpressive.glb",
        "model: robot.fbx",
        "avatar.yaml:4: model: 'robot.fbx' is not a glTF model: use a .glb or .gltf file; export it from your 3D "
        "tool as glTF 2.0 binary (.glb)",
    ),
    "model-vrm": (
        "model: RobotExpressive.glb",
        "model: robot.vrm",
        "avatar.yaml:4: model: 'robot.vrm' is not a glTF model: use a .glb or .gltf file; a .vrm file is a .glb "
        "inside, so renaming it to .glb is enough",
    ),
    "model-outside": (
        "model: RobotExpressive.glb",
        "model: ../elsewhere/RobotExpressive.glb",
        "avatar.yaml:4: model: '../elsewhere/RobotExpressive.glb' must be a file inside the avatar folder",
    ),
    "model-absolute": (
        "model: RobotExpressive.glb",
        f"model: {ROBOT_GLB}",
        f"avatar.yaml:4: model: '{ROBOT_GLB}' must be a file inside the avatar folder",
    ),
    "model-is-a-list": (
        "model: RobotExpressive.glb",
        "model: [RobotExpressive.glb]",
        "avatar.yaml:4: model: the model file must be text, not a list",
    ),
    "unknown-viseme": (
        "",
        "visemes:\n  aah: Angry\n",
        "avatar.yaml:30: visemes.aah: unknown key 'aah'. Did you mean 'aa'? Valid keys here: aa, ih, ou, ee, oh",
    ),
    "unknown-expression": (
        "  sad: Sad",
        "  sadness: Sad",
        "avatar.yaml:11: expressions.sadness: unknown key 'sadness'. Did you mean 'sad'? "
        "Valid keys here: blink, happy, surprised, sad",
    ),
    "unknown-joint-key": (
        "  hand_left: Palm2.L",
        "  left_hand: Palm2.L",
        "avatar.yaml:20: joints.left_hand: unknown key 'left_hand'.",
    ),
    "unknown-clip-key": (
        "  greet: Wave",
        "  wave: Wave",
        "avatar.yaml:26: clips.wave: unknown key 'wave'. Valid keys here: idle, greet, listen, nod, think, talk, "
        "point, goodbye",
    ),
    "misspelt-morph": (
        "  surprised: Surprised",
        "  surprised: Suprised",
        "avatar.yaml:10: expressions.surprised: RobotExpressive.glb has no morph target 'Suprised'. "
        "Did you mean 'Surprised'? Its morph targets: Angry, Surprised, Sad",
    ),
    "morph-number-out-of-range": (
        "",
        "visemes:\n  aa: 7\n",
        "avatar.yaml:30: visemes.aa: there is no morph target number 7: RobotExpressive.glb has 3, numbered 0 to 2",
    ),
    "morph-is-a-map": (
        "  sad: Sad",
        "  sad:\n    name: Sad",
        "avatar.yaml:12: expressions.sad: give a morph target (shape key) name, or its number for unnamed targets, "
        "not a map",
    ),
    "misspelt-joint": (
        "  head: Head",
        "  head: Haed",
        "avatar.yaml:17: joints.head: RobotExpressive.glb has no joint 'Haed'. Did you mean 'Head'? "
        "Joints of its skeleton: Bone, Foot.L, Body, Hips,",
    ),
    "node-that-is-not-a-joint": (
        "  hips: Hips",
        "  hips: RootNode",
        "avatar.yaml:13: joints.hips: RobotExpressive.glb has no joint 'RootNode' ('RootNode' is a node, but no "
        "skin uses it as a joint).",
    ),
    "misspelt-clip": (
        "  greet: Wave",
        "  greet: wave",
        "avatar.yaml:26: clips.greet: RobotExpressive.glb has no clip 'wave'. Did you mean 'Wave'? Its animations: "
        "Dance, Death, Idle,",
    ),
    "unquoted-yes": (
        '  nod: "Yes"',
        "  nod: Yes",
        "avatar.yaml:27: clips.nod: YAML reads an unquoted yes, no, on, off, true or false as yes/no (True), not as "
        'a clip name; put the name in quotes, e.g. "Yes"',
    ),
    "height-in-centimetres": (
        "facing: front",
        "facing: front\nheight: 168",
        "avatar.yaml:9: height: the height is in metres, from 0.3 to 3.0 (e.g. 1.68), not 168; 168 looks like "
        "centimetres: write 1.68",
    ),
    "height-not-a-number": (
        "facing: front",
        "facing: front\nheight: tall",
        "avatar.yaml:9: height: the height is a number of metres, e.g. 1.68, not text ('tall')",
    ),
    "facing": (
        "facing: front",
        "facing: forward",
        "avatar.yaml:8: facing: 'forward' is not a valid facing (the way the model looks in glTF space; front is "
        "+Z, the glTF default). Use one of: front, back, left, right",
    ),
    "expressions-as-a-list": (
        "expressions:\n  surprised: Surprised\n  sad: Sad",
        "expressions: [Surprised, Sad]",
        "avatar.yaml:9: expressions: the expressions must be a map of 'key: value' lines, not a list",
    ),
    "name-as-a-list": (
        "name: Expressive robot",
        "name: [Expressive, robot]",
        "avatar.yaml:3: name: the avatar's name must be text, not a list",
    ),
    "duplicate-key": (
        "  idle: Idle",
        "  idle: Idle\n  idle: Dance",
        "avatar.yaml:26: clips.idle: 'idle' appears twice in the same place (first on line 25)",
    ),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_mistake_names_file_line_and_field(robot: Path, case: str) -> None:
    old, new, expected = MISTAKES[case]
    _edit(robot, old, new)
    report = check_avatar(robot)
    errors = [str(p) for p in report.errors]
    assert any(e.startswith(expected) for e in errors), errors
    assert report.spec is None
    with pytest.raises(AvatarInvalid) as info:
        load_avatar(robot)
    assert any(e.startswith(expected) for e in str(info.value).splitlines())


def test_manifest_that_is_not_a_map(robot: Path) -> None:
    (robot / "avatar.yaml").write_text("# a list by mistake\n- model: RobotExpressive.glb\n- licence: CC0-1.0\n")
    assert [str(p) for p in validate_avatar(robot)] == [
        "avatar.yaml:2: avatar.yaml must be a map of 'key: value' lines, not a list"
    ]


def test_all_mistakes_reported_at_once_with_a_pack_path(robot: Path) -> None:
    _edit(robot, "  head: Head", "  head: Haed")
    _edit(robot, "  greet: Wave", "  greet: Wav")
    _edit(robot, "facing: front", "facing: up")
    problems = validate_avatar(robot, "avatars/robot/avatar.yaml")
    errors = [(p.file, p.line, p.field) for p in problems if p.severity is Severity.ERROR]
    assert errors == [
        ("avatars/robot/avatar.yaml", 8, "facing"),
        ("avatars/robot/avatar.yaml", 17, "joints.head"),
        ("avatars/robot/avatar.yaml", 26, "clips.greet"),
    ]


def test_folder_without_manifest(tmp_path: Path) -> None:
    [problem] = validate_avatar(tmp_path)
    assert str(problem).startswith("avatar.yaml: the avatar folder has no avatar.yaml;")
    [problem] = validate_avatar(tmp_path / "nowhere")
    assert str(problem).startswith("avatar.yaml: the avatar folder does not exist;")


# -- warnings -------------------------------------------------------------------------------------------------


def _big_gltf(path: Path, triangles: int) -> None:
    """A real (if degenerate) glTF with one triangle drawn ``triangles`` times."""
    positions = struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)
    indices = struct.pack(f"<{3 * triangles}H", *([0, 1, 2] * triangles))
    raw = positions + indices
    doc = {
        "asset": {"version": "2.0"},
        "buffers": [{"uri": _data_uri(raw), "byteLength": len(raw)}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 36},
            {"buffer": 0, "byteOffset": 36, "byteLength": len(indices)},
        ],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
            {"bufferView": 1, "componentType": 5123, "count": 3 * triangles, "type": "SCALAR"},
        ],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
        "nodes": [{"mesh": 0}],
        "scenes": [{"nodes": [0]}],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_warnings_for_a_heavy_model_with_nothing_mapped(tmp_path: Path) -> None:
    _big_gltf(tmp_path / "big.gltf", TRIANGLE_BUDGET + 1)
    (tmp_path / "avatar.yaml").write_text("model: big.gltf\nlicence: CC0-1.0\nauthor: Test\n", encoding="utf-8")
    spec = load_avatar(tmp_path)  # warnings do not stop it
    assert spec.triangles == TRIANGLE_BUDGET + 1
    assert [str(p) for p in spec.problems] == [
        "avatar.yaml: visemes: warning: no visemes mapped: the guide's mouth will not move; talking falls back to "
        "head and hand motion",
        "avatar.yaml: expressions.blink: warning: no blink mapped: the guide will not blink",
        "avatar.yaml: joints: warning: big.gltf has no skeleton: the guide cannot turn its head, nod or gesture, "
        "only play its clips and morph targets",
        "avatar.yaml:1: model: warning: big.gltf has 30,001 triangles, over the 30,000 budget; it may not hold "
        "60 fps on a kiosk's integrated GPU. Decimate it in your 3D tool",
    ]


def test_mapping_onto_a_model_without_shapes_skeleton_or_animations(tmp_path: Path) -> None:
    _big_gltf(tmp_path / "plain.gltf", 12)
    (tmp_path / "avatar.yaml").write_text(
        "model: plain.gltf\nlicence: CC0-1.0\nauthor: Test\nvisemes:\n  aa: mouth_open\njoints:\n  head: Head\n"
        "clips:\n  idle: Idle\n",
        encoding="utf-8",
    )
    with pytest.raises(AvatarInvalid) as info:
        load_avatar(tmp_path, "avatars/plain/avatar.yaml")
    assert [str(p) for p in info.value.problems if p.severity is Severity.ERROR] == [
        "avatars/plain/avatar.yaml:5: visemes.aa: plain.gltf has no morph targets (shape keys), so 'mouth_open' "
        "cannot be shown; add shape keys to the model, or remove this line",
        "avatars/plain/avatar.yaml:7: joints.head: plain.gltf has no skeleton (skin), so 'Head' cannot be used; "
        "remove this line",
        "avatars/plain/avatar.yaml:9: clips.idle: plain.gltf has no animations, so 'Idle' cannot be used; remove "
        "this line",
    ]


def test_warnings_for_unmapped_head_and_neck(robot: Path) -> None:
    _edit(robot, "  neck: Neck\n  head: Head\n", "")
    codes = [(p.line, p.field, p.code) for p in validate_avatar(robot)]
    assert (12, "joints.head", "no-head") in codes
    assert (12, "joints.neck", "no-neck") in codes


# -- in a content pack ----------------------------------------------------------------------------------------


def _pack_with_avatars(tiny: Path, *names: str) -> None:
    for name in names:
        shutil.copytree(ROBOT, tiny / "avatars" / name)


def _set_kiosk_avatar(tiny: Path, name: str) -> None:
    venue = tiny / "content" / "venue.yaml"
    text = venue.read_text(encoding="utf-8")
    venue.write_text(text.replace("kiosk:\n  floor: 1\n", f"kiosk:\n  floor: 1\n  avatar: {name}\n"), encoding="utf-8")


def test_pack_validation_includes_avatar_problems(tiny_copy: Path) -> None:
    _pack_with_avatars(tiny_copy, "robot")
    _edit(tiny_copy / "avatars" / "robot", "  head: Head", "  head: Haed")
    report = validate_pack(tiny_copy)
    assert [str(p).split(" Joints")[0] for p in report.errors] == [
        "avatars/robot/avatar.yaml:17: joints.head: RobotExpressive.glb has no joint 'Haed'. Did you mean 'Head'?"
    ]
    assert not report.ok
    assert {p.code for p in report.warnings if p.file.startswith("avatars/")} == {"no-visemes", "no-blink"}

    result = CliRunner().invoke(main, ["pack", "validate", str(tiny_copy)])
    assert result.exit_code == 1
    assert "avatars/robot/avatar.yaml:17: joints.head: " in result.output


def test_kiosk_avatar_choice(tiny_copy: Path) -> None:
    pack = validate_pack(tiny_copy).pack
    assert pack is not None and pack.avatar_ref() is None

    _pack_with_avatars(tiny_copy, "robot", "alpha")
    (tiny_copy / "avatars" / "notes").mkdir()
    report = validate_pack(tiny_copy)
    assert report.ok and report.pack is not None
    ref = report.pack.avatar_ref()
    assert ref is not None and ref.name == "alpha" and ref.folder == tiny_copy.resolve() / "avatars" / "alpha"
    assert [(p.file, p.code) for p in report.warnings if p.file == "avatars/notes"] == [
        ("avatars/notes", "missing-file")
    ]

    _pack_with_avatars(tiny_copy, "docent")
    pack = validate_pack(tiny_copy).pack
    ref = pack.avatar_ref() if pack else None
    assert ref is not None and ref.name == "docent"

    _set_kiosk_avatar(tiny_copy, "robot")
    pack = validate_pack(tiny_copy).pack
    assert pack is not None and pack.venue.avatar == "robot"
    ref = pack.avatar_ref()
    assert ref is not None and ref.name == "robot"


def test_kiosk_avatar_must_name_an_avatar_of_the_pack(tiny_copy: Path) -> None:
    _pack_with_avatars(tiny_copy, "robot")
    _set_kiosk_avatar(tiny_copy, "robt")
    assert [str(p) for p in validate_pack(tiny_copy).errors] == [
        "content/venue.yaml:8: kiosk.avatar: unknown avatar 'robt'. Did you mean 'robot'? Avatars in this pack: "
        "robot (see docs/avatars.md)"
    ]


# -- kiosk avatar validate ------------------------------------------------------------------------------------


def test_cli_validates_the_demo_guide() -> None:
    result = CliRunner().invoke(main, ["avatar", "validate"])
    assert result.exit_code == 0, result.output
    assert "docent is valid: docent.glb, " in result.output
    assert "visemes aa, ih, ou, ee, oh; expressions blink, happy, surprised, sad; joints hips," in result.output


def test_cli_validates_a_folder_of_avatars() -> None:
    result = CliRunner().invoke(main, ["avatar", "validate", str(AVATARS)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        "morph-sphere is valid: AnimatedMorphSphere.gltf, 960 triangles; visemes aa, oh; expressions none; "
        "joints none; clips idle; 2 warning(s)." in lines
    )
    assert any(line.startswith("robot-expressive is valid: RobotExpressive.glb, 3,237 triangles;") for line in lines)


def test_cli_reports_a_broken_package(robot: Path) -> None:
    _edit(robot, "  surprised: Surprised", "  surprised: Suprised")
    result = CliRunner().invoke(main, ["avatar", "validate", str(robot)])
    assert result.exit_code == 1
    assert (
        f"{robot.as_posix()}/avatar.yaml:10: expressions.surprised: RobotExpressive.glb has no morph target "
        "'Suprised'. Did you mean 'Surprised'?" in result.output
    )
    assert "robot: 1 error(s) to fix before the kiosk can show this avatar." in result.output


def test_cli_without_avatars_is_unusable(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["avatar", "validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "no avatar packages here" in result.output
