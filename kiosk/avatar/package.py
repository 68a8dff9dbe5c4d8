"""Avatar packages: ``avatars/<name>/avatar.yaml`` beside a glTF model, read and checked against the model.

The manifest maps the guide's vocabulary (visemes, expressions, joints, clips) onto what the artist's model calls
them. Every mistake becomes a :class:`~kiosk.content.problems.Problem` naming the file, the line and the field,
the same as a content pack's, so ``kiosk pack validate`` can list both together. YAML is read here, at the edge;
the runtime gets a frozen :class:`AvatarSpec`. See docs/avatars.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Final

from kiosk.avatar.gltfdoc import AvatarModelError, GltfDoc, read_gltf
from kiosk.content.fields import Reader
from kiosk.content.problems import Problem, Severity, did_you_mean, errors_in, warnings_in
from kiosk.content.yamlsrc import Y, describe, read_yaml
from kiosk.errors import DocentError

MANIFEST = "avatar.yaml"
MODEL_SUFFIXES: Final = (".glb", ".gltf")
VISEMES: Final = ("aa", "ih", "ou", "ee", "oh")
"""The VRM mouth shapes, the same set as :data:`kiosk.voice.visemes.VISEMES`."""
EXPRESSIONS: Final = ("blink", "happy", "surprised", "sad")
JOINTS: Final = (
    "hips",
    "spine",
    "chest",
    "neck",
    "head",
    "eye_left",
    "eye_right",
    "upper_arm_left",
    "lower_arm_left",
    "hand_left",
    "upper_arm_right",
    "lower_arm_right",
    "hand_right",
)
CLIPS: Final = ("idle", "greet", "listen", "nod", "think", "talk", "point", "goodbye")
FACINGS: Final = ("front", "back", "left", "right")
FACING_HEADING: Final = MappingProxyType({"front": 0.0, "back": 180.0, "left": -90.0, "right": 90.0})
"""Panda3D heading (degrees) that turns a model facing this way in glTF space to face glTF +Z (Panda3D -Y)."""
MIN_HEIGHT, MAX_HEIGHT = 0.3, 3.0
TRIANGLE_BUDGET = 30_000
"""More triangles than this may not hold 60 fps on a kiosk's integrated GPU (a warning, not an error)."""

_REQUIRED = ("model", "author")
_OPTIONAL = ("name", "licence", "license", "source", "height", "facing", "visemes", "expressions", "joints", "clips")
_EMPTY: Mapping[str, str] = MappingProxyType({})


def _empty() -> Mapping[str, str]:
    return _EMPTY


class AvatarInvalid(DocentError):
    """An avatar package has errors; ``problems`` lists every one (warnings too)."""

    code = "avatar-invalid"

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        errors = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__(f"the avatar package has {len(errors)} error(s):\n" + "\n".join(str(p) for p in errors))
        self.problems = problems


@dataclass(frozen=True)
class AvatarSpec:
    """A checked avatar package. Mappings go from the guide's words (``aa``, ``blink``, ``head``, ``idle``) to the
    model's names, exactly as panda3d-gltf names them; a word that is not mapped is absent."""

    root: Path
    """The package folder (absolute)."""
    name: str
    """Display name; the folder name when ``name`` is not given."""
    model: Path
    """The .glb or .gltf file (absolute, inside ``root``)."""
    licence: str
    author: str
    source: str = ""
    height: float | None = None
    """Metres; the runtime scales the model to this height. None: use the model's own size."""
    facing: str = "front"
    """One of :data:`FACINGS`: which way the model faces in glTF space."""
    visemes: Mapping[str, str] = field(default_factory=_empty)
    """Viseme (``aa``, ``ih``, ``ou``, ``ee``, ``oh``) to morph target name."""
    expressions: Mapping[str, str] = field(default_factory=_empty)
    """Expression (``blink``, ``happy``, ``surprised``, ``sad``) to morph target name."""
    joints: Mapping[str, str] = field(default_factory=_empty)
    """Body part (:data:`JOINTS`) to skin joint name."""
    clips: Mapping[str, str] = field(default_factory=_empty)
    """Behaviour (:data:`CLIPS`) to animation name."""
    triangles: int = 0
    problems: tuple[Problem, ...] = ()
    """Warnings found while loading (an AvatarSpec is only made when there are no errors)."""

    @property
    def heading(self) -> float:
        """Panda3D heading in degrees that turns the converted model to face Panda3D -Y (toward the camera)."""
        return FACING_HEADING[self.facing]


@dataclass(frozen=True)
class AvatarReport:
    """The outcome of checking one package: the spec when it has no errors, and every problem."""

    root: Path
    spec: AvatarSpec | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return errors_in(self.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return warnings_in(self.problems)

    @property
    def ok(self) -> bool:
        return self.spec is not None


def check_avatar(folder: str | Path, rel: str | None = None) -> AvatarReport:
    """Read and check one avatar package folder. ``rel`` is how problems name its avatar.yaml
    (e.g. ``avatars/docent/avatar.yaml`` inside a pack); by default ``avatar.yaml``."""
    root = Path(folder).expanduser().resolve()
    return _Checker(root, rel or MANIFEST).run()


def validate_avatar(folder: str | Path, rel: str | None = None) -> list[Problem]:
    """Every problem of one avatar package, errors first; an empty list means it is valid with no warnings."""
    return list(check_avatar(folder, rel).problems)


def load_avatar(folder: str | Path, rel: str | None = None) -> AvatarSpec:
    """The checked package, or :class:`AvatarInvalid` listing every problem (``rel`` as in :func:`check_avatar`)."""
    report = check_avatar(folder, rel)
    if report.spec is None:
        raise AvatarInvalid(report.problems)
    return report.spec


class _Checker:
    def __init__(self, root: Path, rel: str) -> None:
        self.root = root
        self.rel = rel
        self.problems: list[Problem] = []
        self.r = Reader(rel, ("en",), self.problems)

    def run(self) -> AvatarReport:
        spec = self._check()
        order = {Severity.ERROR: 0, Severity.WARNING: 1}
        problems = tuple(sorted(self.problems, key=lambda p: (order[p.severity], p.line)))
        if any(p.severity is Severity.ERROR for p in problems):
            spec = None
        elif spec is not None:
            spec = replace(spec, problems=problems)
        return AvatarReport(self.root, spec, problems)

    def _check(self) -> AvatarSpec | None:
        manifest = self.root / MANIFEST
        if not manifest.is_file():
            where = "folder does not exist" if not self.root.is_dir() else f"folder has no {MANIFEST}"
            self.r.error(
                0,
                "",
                f"the avatar {where}; an avatar package is a folder with {MANIFEST} and a .glb model "
                "(see docs/avatars.md)",
                "missing-file",
            )
            return None
        y, _ = read_yaml(manifest, self.rel, self.problems)
        if y is None:
            return None
        r = self.r
        top = r.mapping(y, "", _REQUIRED, _OPTIONAL, what=MANIFEST)
        if top is None:
            return None
        licence = self._licence(y, top)
        model_path, doc = self._model(top.get("model"))
        height = self._height(top.get("height"))
        facing = r.choice(
            top.get("facing"),
            "facing",
            FACINGS,
            what="facing (the way the model looks in glTF space; front is +Z, the glTF default)",
            default="front",
        )
        visemes = self._morphs(top.get("visemes"), "visemes", VISEMES, doc, what="the mouth shapes")
        expressions = self._morphs(top.get("expressions"), "expressions", EXPRESSIONS, doc, what="the expressions")
        joints = self._names(top.get("joints"), "joints", JOINTS, doc, kind="joint")
        clips = self._names(top.get("clips"), "clips", CLIPS, doc, kind="clip")
        name = r.string(top.get("name"), "name", what="the avatar's name") or self.root.name
        author = r.string(top.get("author"), "author", what="the author")
        source = r.string(top.get("source"), "source", what="where the model came from")
        if model_path is None or doc is None:
            return None
        self._warnings(y, top, doc)
        return AvatarSpec(
            root=self.root,
            name=name,
            model=model_path,
            licence=licence,
            author=author,
            source=source,
            height=height,
            facing=facing,
            visemes=visemes,
            expressions=expressions,
            joints=joints,
            clips=clips,
            triangles=doc.triangles,
        )

    # -- fields ----------------------------------------------------------------------------------------------

    def _licence(self, y: Y, top: dict[str, Y]) -> str:
        given = [key for key in ("licence", "license") if key in top]
        if len(given) == 2:
            self.r.error(
                y.key_lines["license"],
                "license",
                f"both 'licence' (line {y.key_lines['licence']}) and 'license' are given; keep one",
                "duplicate-key",
            )
        key = given[0] if given else "licence"
        if key not in top or top[key].value is None:
            self.r.error(
                y.line,
                "licence",
                "missing required field 'licence': the model's licence, as an SPDX id where there is one "
                "(e.g. CC0-1.0, CC-BY-4.0), so the venue knows it may show this character",
                "missing-field",
            )
            return ""
        return self.r.string(top[key], key, what="the licence")

    def _model(self, value: Y | None) -> tuple[Path | None, GltfDoc | None]:
        if value is None:
            return None, None
        name = self.r.string(value, "model", what="the model file")
        if not name:
            return None, None
        line = value.line
        rel = Path(name)
        candidates = sorted(p.name for p in self.root.iterdir() if p.suffix.lower() in MODEL_SUFFIXES)
        if rel.is_absolute() or ".." in rel.parts or "\\" in name:
            self.r.error(
                line, "model", f"'{name}' must be a file inside the avatar folder, e.g. 'docent.glb'", "bad-path"
            )
            return None, None
        target = (self.root / rel).resolve()
        if not target.is_relative_to(self.root):
            self.r.error(
                line, "model", f"'{name}' leads outside the avatar folder; put the model file inside it", "bad-path"
            )
            return None, None
        suffix = rel.suffix.lower()
        if suffix not in MODEL_SUFFIXES:
            hint = (
                "; a .vrm file is a .glb inside, so renaming it to .glb is enough"
                if suffix == ".vrm"
                else "; export it from your 3D tool as glTF 2.0 binary (.glb)"
            )
            self.r.error(line, "model", f"'{name}' is not a glTF model: use a .glb or .gltf file{hint}", "bad-model")
            return None, None
        if not target.is_file():
            self.r.error(
                line,
                "model",
                f"model file '{name}' does not exist in {self.root.name}/.{did_you_mean(name, candidates)} "
                + (
                    f"Model files here: {', '.join(candidates)}"
                    if candidates
                    else f"Put the .glb file beside {MANIFEST}"
                ),
                "missing-model",
            )
            return None, None
        try:
            doc = read_gltf(target, load_binary=False)
        except AvatarModelError as err:
            self.r.error(line, "model", err.message, err.code)
            return None, None
        return target, doc

    def _height(self, value: Y | None) -> float | None:
        if value is None or value.value is None:
            return None
        v = value.value
        if isinstance(v, bool) or not isinstance(v, int | float):
            self.r.error(
                value.line,
                "height",
                f"the height is a number of metres, e.g. 1.68, not {describe(value)}",
                "wrong-type",
            )
            return None
        if not MIN_HEIGHT <= v <= MAX_HEIGHT:
            hint = f"; {v} looks like centimetres: write {v / 100:g}" if 30 <= v <= 300 else ""
            self.r.error(
                value.line,
                "height",
                f"the height is in metres, from {MIN_HEIGHT} to {MAX_HEIGHT} (e.g. 1.68), not {v}{hint}",
                "out-of-range",
            )
            return None
        return float(v)

    def _morphs(
        self, y: Y | None, section: str, keys: tuple[str, ...], doc: GltfDoc | None, *, what: str
    ) -> Mapping[str, str]:
        found: dict[str, str] = {}
        for key, value in self._section(y, section, keys, what=what):
            path = f"{section}.{key}"
            raw = value.value
            if isinstance(raw, bool):
                self._yes_no(value, path, "morph target")
                continue
            if not isinstance(raw, str | int):
                self.r.error(
                    value.line,
                    path,
                    f"give a morph target (shape key) name, or its number for unnamed targets, not {describe(value)}",
                    "wrong-type",
                )
                continue
            text = str(raw).strip()
            if doc is None:
                continue
            resolved = self._morph_name(text, value.line, path, doc)
            if resolved:
                found[key] = resolved
        return MappingProxyType(found)

    def _morph_name(self, text: str, line: int, path: str, doc: GltfDoc) -> str | None:
        names = doc.target_names
        model = doc.path.name
        if text in names:
            return text
        if not names:
            self.r.error(
                line,
                path,
                f"{model} has no morph targets (shape keys), so '{text}' cannot be shown; add shape keys to the "
                "model, or remove this line",
                "unknown-morph",
            )
            return None
        if text.isdigit():
            index = int(text)
            at = doc.target_at(index)
            if len(at) == 1:
                return at[0]
            if not at:
                count = max(len(t) for t in doc.morph_targets)
                self.r.error(
                    line,
                    path,
                    f"there is no morph target number {index}: {model} has {count}, numbered 0 to {count - 1}",
                    "unknown-morph",
                )
            else:
                self.r.error(
                    line,
                    path,
                    f"morph target number {index} has different names in different meshes ({', '.join(at)}); "
                    "give the name instead",
                    "unknown-morph",
                )
            return None
        self.r.error(
            line,
            path,
            f"{model} has no morph target '{text}'.{did_you_mean(text, names)} Its morph targets: {_listing(names)}",
            "unknown-morph",
        )
        return None

    def _names(
        self, y: Y | None, section: str, keys: tuple[str, ...], doc: GltfDoc | None, *, kind: str
    ) -> Mapping[str, str]:
        what = "the skeleton's joints" if kind == "joint" else "the animation clips"
        found: dict[str, str] = {}
        for key, value in self._section(y, section, keys, what=what):
            path = f"{section}.{key}"
            if isinstance(value.value, bool):
                self._yes_no(value, path, kind)
                continue
            text = self.r.string(value, path, what=f"the {kind} name")
            if not text or doc is None:
                continue
            available = doc.joints if kind == "joint" else doc.clips
            model = doc.path.name
            if text in available:
                found[key] = text
            elif not available:
                has = "no skeleton (skin)" if kind == "joint" else "no animations"
                self.r.error(
                    value.line,
                    path,
                    f"{model} has {has}, so '{text}' cannot be used; remove this line",
                    f"unknown-{kind}",
                )
            else:
                listing = "Joints of its skeleton" if kind == "joint" else "Its animations"
                extra = (
                    f" ('{text}' is a node, but no skin uses it as a joint)"
                    if kind == "joint" and text in doc.nodes
                    else ""
                )
                self.r.error(
                    value.line,
                    path,
                    f"{model} has no {kind} '{text}'{extra}.{did_you_mean(text, available)} "
                    f"{listing}: {_listing(available)}",
                    f"unknown-{kind}",
                )
        return MappingProxyType(found)

    def _yes_no(self, value: Y, path: str, kind: str) -> None:
        self.r.error(
            value.line,
            path,
            f"YAML reads an unquoted yes, no, on, off, true or false as yes/no ({value.value}), not as a {kind} "
            f'name; put the name in quotes, e.g. "Yes"',
            "wrong-type",
        )

    def _section(self, y: Y | None, section: str, keys: tuple[str, ...], *, what: str) -> list[tuple[str, Y]]:
        if y is None or y.value is None:
            return []
        m = self.r.mapping(y, section, (), keys, what=what)
        if m is None:
            return []
        return [(key, value) for key, value in m.items() if key in keys and value.value is not None]

    # -- warnings --------------------------------------------------------------------------------------------

    def _warnings(self, y: Y, top: dict[str, Y], doc: GltfDoc) -> None:
        r = self.r
        line = _line(y, "model")
        if doc.triangles > TRIANGLE_BUDGET:
            r.warn(
                line,
                "model",
                f"{doc.path.name} has {doc.triangles:,} triangles, over the {TRIANGLE_BUDGET:,} budget; it may not "
                "hold 60 fps on a kiosk's integrated GPU. Decimate it in your 3D tool",
                "over-budget",
            )
        if not _has_key(top, "visemes"):
            r.warn(
                0,
                "visemes",
                "no visemes mapped: the guide's mouth will not move; talking falls back to head and hand motion",
                "no-visemes",
            )
        if not _has_key(top, "expressions", "blink"):
            r.warn(
                _line(y, "expressions"), "expressions.blink", "no blink mapped: the guide will not blink", "no-blink"
            )
        if doc.skins == 0:
            if not _has_key(top, "joints"):
                r.warn(
                    0,
                    "joints",
                    f"{doc.path.name} has no skeleton: the guide cannot turn its head, nod or gesture, only play "
                    "its clips and morph targets",
                    "no-skeleton",
                )
            return
        for part, does in (("head", "turn its head toward the visitor or nod"), ("neck", "bend its neck")):
            if not _has_key(top, "joints", part):
                r.warn(
                    _line(y, "joints"),
                    f"joints.{part}",
                    f"no {part} joint mapped: the guide cannot {does}; map it to the model's {part} bone",
                    f"no-{part}",
                )


def _has_key(top: dict[str, Y], section: str, key: str | None = None) -> bool:
    """Whether the manifest maps ``section.key`` (or anything in ``section``) to a value, valid or not."""
    value = top.get(section)
    if value is None or not value.is_map:
        return value is not None and value.value is not None
    entries: dict[str, Y] = value.value
    return any(v.value is not None for k, v in entries.items() if key is None or k == key)


def _line(y: Y, key: str) -> int:
    return y.key_lines.get(key, 0) if y.is_map else 0


def _listing(names: tuple[str, ...], limit: int = 40) -> str:
    shown = ", ".join(names[:limit])
    return f"{shown} ... ({len(names)} in all)" if len(names) > limit else shown


__all__ = [
    "CLIPS",
    "EXPRESSIONS",
    "FACINGS",
    "FACING_HEADING",
    "JOINTS",
    "MANIFEST",
    "TRIANGLE_BUDGET",
    "VISEMES",
    "AvatarInvalid",
    "AvatarReport",
    "AvatarSpec",
    "check_avatar",
    "load_avatar",
    "validate_avatar",
]
