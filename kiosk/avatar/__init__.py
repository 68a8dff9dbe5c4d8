"""The guide's body: avatar packages (a glTF model and its avatar.yaml) and the Panda3D runtime that shows them.

``gltfdoc`` reads a glTF 2.0 model without Panda3D; ``package`` checks ``avatars/<name>/avatar.yaml`` against it
(see docs/avatars.md). Nothing is imported here, so the pure modules load without Panda3D.
"""

__all__ = ["gltfdoc", "package"]
