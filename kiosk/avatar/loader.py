"""Load an avatar's glTF model into Panda3D (panda3d-gltf), repairing what its converter trips on.

panda3d-gltf 1.3.0 raises ``KeyError`` on a model whose meshes use two identical skins of one skeleton (exporters
such as FBX2glTF write one skin per skinned mesh). We read the glTF ourselves, merge such skins
(:func:`kiosk.avatar.gltfdoc.merge_duplicate_skins`) and hand the repaired document to the converter, so an
artist's file loads as it is. Any failure becomes an :class:`AvatarModelError` saying which file and why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from panda3d.core import NodePath

from kiosk.avatar.gltfdoc import AvatarModelError, merge_duplicate_skins


def load_model(path: Path) -> NodePath:
    """The model's scene as a Panda3D ``NodePath`` (Z up, the converter's axis conversion applied)."""
    from gltf._converter import Converter, GltfSettings
    from gltf.parseutils import parse_gltf_file

    try:
        data: dict[str, Any] = parse_gltf_file(str(path))
    except (OSError, ValueError, RuntimeError, AssertionError) as err:
        raise AvatarModelError(f"{path.name}: cannot read the model: {err}") from err
    data = merge_duplicate_skins(data, folder=path.parent)
    converter = Converter(str(path), settings=GltfSettings(skip_axis_conversion=False))
    try:
        converter.update(data)
    except Exception as err:  # the converter raises anything from KeyError to struct.error on odd files
        raise AvatarModelError(
            f"{path.name}: Panda3D's glTF converter could not load this model ({type(err).__name__}: {err}). "
            "Re-export it as glTF 2.0 (.glb) with one skin per skeleton."
        ) from err
    root: NodePath = converter.active_scene
    root.setName(path.stem)
    return root


__all__ = ["load_model"]
