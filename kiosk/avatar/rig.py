"""Turn a rig-independent :class:`~kiosk.avatar.behaviour.Pose` into joint transforms and morph weights.

Joint rotations in a pose are in the guide's own axes (X = the guide's left, -Y = toward the visitor, Z = up), so
they mean the same on any skeleton, whatever its joints' local axes. For each mapped joint we keep its rest
rotation in those axes and conjugate the pose's rotation into the joint's parent frame; arms are *aimed*: the
rotation that takes the rest direction of the upper arm (and then the forearm) to the pose's direction, so a
T-pose robot and our A-pose guide point the same way. Joints the pose does not drive keep their animation clips,
and mapped joints start from the clips' blended value where the rig has clips (Actor blending for the rest).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from panda3d.core import (
    AnimControl,
    AnimControlCollection,
    CharacterJointEffect,
    LMatrix4f,
    LPoint3f,
    LQuaternionf,
    LVecBase3f,
    LVector3f,
    NodePath,
    PandaNode,
    PartGroup,
    TransformState,
    autoBind,
)

from kiosk.avatar.behaviour import ROTATED, Arm, Pose
from kiosk.avatar.loader import load_model
from kiosk.avatar.package import AvatarSpec

ONE_SHOT = ("greet", "goodbye", "nod")
"""Behaviours whose clip plays once from the start each time; the others loop."""


def hpr_quat(heading: float, pitch: float, roll: float) -> LQuaternionf:
    """A rotation in the guide's axes: + heading toward its left, + pitch up, + roll tilting toward its left."""
    q = LQuaternionf()
    q.setHpr(LVecBase3f(heading, -pitch, roll))
    return q


def arc(a: LVector3f, b: LVector3f) -> LQuaternionf:
    """The shortest rotation taking direction ``a`` to direction ``b``."""
    a = a.normalized()
    b = b.normalized()
    axis = a.cross(b)
    dot = max(-1.0, min(1.0, a.dot(b)))
    q = LQuaternionf()
    if axis.length() < 1e-6:
        if dot > 0:
            return q
        axis = a.cross(LVector3f(0, 0, 1)) if abs(a.z) < 0.9 else a.cross(LVector3f(1, 0, 0))
    q.setFromAxisAngle(math.degrees(math.acos(dot)), axis.normalized())
    return q


def arm_direction(out: float, forward: float, side: float) -> LVector3f:
    """Direction of an arm raised ``out`` degrees sideways and ``forward`` degrees toward the visitor."""
    a, f = math.radians(out), math.radians(forward)
    return LVector3f(side * math.sin(a) * math.cos(f), -math.sin(f), -math.cos(a) * math.cos(f)).normalized()


def _bind_clips(model: NodePath) -> dict[str, list[AnimControl]]:
    """Bind every animation in the model to its character; clip name -> its controls (Panda3D's Actor would
    drop transforms above a character, which some exporters put there)."""
    controls = AnimControlCollection()
    autoBind(model.node(), controls, PartGroup.HMFOkPartExtra | PartGroup.HMFOkAnimExtra | PartGroup.HMFOkWrongRootName)
    found: dict[str, list[AnimControl]] = {}
    for i in range(controls.getNumAnims()):
        found.setdefault(controls.getAnimName(i), []).append(controls.getAnim(i))
    return found


def _skeleton_space(character: NodePath) -> NodePath:
    """The node joint transforms are relative to: the parent of parts rigidly attached to joints (an exporter's
    armature node, which may carry a scale) or else the character itself."""
    kind = CharacterJointEffect.getClassType()
    for node in character.findAllMatches("**"):
        if node.node().getEffect(kind) is not None and not node.getParent().isEmpty():
            return node.getParent()
    return character


@dataclass
class _Joint:
    name: str
    joint: object
    space: NodePath
    node: NodePath
    rest: LMatrix4f
    rest_quat: LQuaternionf
    rest_pos: LVecBase3f
    rest_scale: LVecBase3f
    parent: LQuaternionf
    """The parent's rest rotation in the guide's axes."""
    net: LQuaternionf
    """This joint's rest rotation in the guide's axes."""
    where: LPoint3f
    """Rest position in the guide's space."""

    def to_parent(self, rotation: LQuaternionf, parent: LQuaternionf | None = None) -> LQuaternionf:
        p = parent if parent is not None else self.parent
        inv = LQuaternionf(p)
        inv.invertInPlace()
        return p * rotation * inv


class Rig:
    """An avatar in the scene: the model, fitted to its height and turned to face the visitor, with controls."""

    def __init__(self, spec: AvatarSpec, parent: NodePath) -> None:
        self.spec = spec
        self.body = parent.attachNewNode(f"avatar-{spec.root.name}")
        self.model = load_model(spec.model)
        self.model.reparentTo(self.body)
        self.model.setH(spec.heading)
        self._fit()
        self._bundles = [c.node().getBundle(0) for c in self.model.findAllMatches("**/+Character")]
        self._controls = _bind_clips(self.model)
        for bundle in self._bundles:
            bundle.forceUpdate()
        self._sliders: dict[str, NodePath] = {}
        for word, target in {**spec.visemes, **spec.expressions}.items():
            node = NodePath(PandaNode(f"morph-{word}"))
            if any(b.controlJoint(target, node.node()) for b in self._bundles):
                self._sliders[word] = node
        self._joints: dict[str, _Joint] = {}
        for role, name in spec.joints.items():
            joint = self._joint(role, name)
            if joint is not None:
                self._joints[role] = joint
        self._clip_names = {b: c for b, c in spec.clips.items() if c in self._controls}
        self._playing: dict[str, float] = {}
        self._channels: dict[tuple[str, str], tuple[AnimControl, object] | None] = {}
        if self._clip_names:
            for bundle in self._bundles:
                bundle.setAnimBlendFlag(True)

    # -- set-up ------------------------------------------------------------------------------------------------

    def _fit(self) -> None:
        lo, hi = self.model.getTightBounds(self.body)
        if self.spec.height:
            self.model.setScale(self.spec.height / max(hi.z - lo.z, 1e-6))
            lo, hi = self.model.getTightBounds(self.body)
        self.model.setPos(self.model.getPos() - LVector3f((lo.x + hi.x) / 2, (lo.y + hi.y) / 2, lo.z))
        self.height = hi.z - lo.z
        self.width = hi.x - lo.x

    def _joint(self, role: str, name: str) -> _Joint | None:
        found = None
        for character in self.model.findAllMatches("**/+Character"):
            joint = character.node().getBundle(0).findChild(name)
            if joint is not None:
                found = (character, joint)
                break
        if found is None:
            return None
        character, joint = found
        space = _skeleton_space(character)
        node = NodePath(PandaNode(f"joint-{role}"))
        if not any(b.controlJoint(name, node.node()) for b in self._bundles):
            return None
        rest = LMatrix4f(joint.getDefaultValue())
        state = TransformState.makeMat(rest)
        net_mat = LMatrix4f()
        joint.getNetTransform(net_mat)
        to_body = space.getQuat(self.body)
        net = TransformState.makeMat(net_mat).getQuat() * to_body
        inv_local = LQuaternionf(state.getQuat())
        inv_local.invertInPlace()
        where = self.body.getRelativePoint(space, LPoint3f(net_mat.getRow3(3)))
        node.setMat(rest)
        q, pos, scale = state.getQuat(), state.getPos(), state.getScale()
        return _Joint(name, joint, space, node, rest, q, pos, scale, inv_local * net, net, where)

    # -- what the rig offers -----------------------------------------------------------------------------------

    def clip(self, name: str) -> list[AnimControl]:
        """The animation controls of a clip in the model (one per character that has it)."""
        return list(self._controls.get(name, []))

    @property
    def morphs(self) -> frozenset[str]:
        return frozenset(self._sliders)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self._joints)

    @property
    def clip_behaviours(self) -> frozenset[str]:
        return frozenset(self._clip_names)

    def joint_position(self, role: str) -> LPoint3f | None:
        """Where a mapped joint is now, in the scene's coordinates (for framing and tests)."""
        joint = self._joints.get(role)
        if joint is None:
            return None
        mat = LMatrix4f()
        joint.joint.getNetTransform(mat)  # type: ignore[attr-defined]
        return LPoint3f(self.body.getParent().getRelativePoint(joint.space, LPoint3f(mat.getRow3(3))))

    # -- every frame -------------------------------------------------------------------------------------------

    def apply(self, pose: Pose) -> None:
        self._clips(pose.clips)
        for word, node in self._sliders.items():
            node.setX(max(0.0, min(1.0, pose.morphs.get(word, 0.0))))
        for role in ROTATED:
            joint = self._joints.get(role)
            if joint is not None:
                h, p, r = pose.rotations.get(role, (0.0, 0.0, 0.0))
                self._set(joint, self._base(joint) * joint.to_parent(hpr_quat(h, p, r)))
        for role in ("eye_left", "eye_right"):
            joint = self._joints.get(role)
            if joint is not None:
                self._set(joint, joint.rest_quat * joint.to_parent(hpr_quat(pose.gaze[0], pose.gaze[1], 0.0)))
        for side, sign in (("left", 1.0), ("right", -1.0)):
            arm = pose.arms.get(side)
            if arm is not None:
                self._arm(side, sign, arm, pose.procedural_arms)

    def refresh(self) -> None:
        """Recompute the skinned vertices now (Panda3D otherwise does it once per new frame time)."""
        for bundle in self._bundles:
            bundle.forceUpdate()

    def _set(self, joint: _Joint, quat: LQuaternionf, pos: LVecBase3f | None = None) -> None:
        joint.node.setPosQuatScale(pos if pos is not None else joint.rest_pos, quat, joint.rest_scale)

    def _arm(self, side: str, sign: float, arm: Arm, weight: float) -> None:
        upper = self._joints.get(f"upper_arm_{side}")
        lower = self._joints.get(f"lower_arm_{side}")
        hand = self._joints.get(f"hand_{side}")
        if upper is None or lower is None or weight <= 0.0:
            for joint in (upper, lower, hand):
                if joint is not None:
                    self._set(joint, self._base(joint))
            return
        rest_upper = LVector3f(lower.where - upper.where)
        q_upper = arc(rest_upper, arm_direction(arm.out, arm.forward, sign))
        rest_fore = LVector3f(hand.where - lower.where) if hand is not None else rest_upper
        q_fore = arc(q_upper.xform(rest_fore), arm_direction(arm.fore_out, arm.fore_forward, sign))
        upper_q = self._blend(self._base(upper), upper.rest_quat * upper.to_parent(q_upper), weight)
        lower_target = lower.rest_quat * lower.to_parent(q_fore, lower.parent * q_upper)
        lower_q = self._blend(self._base(lower), lower_target, weight)
        self._set(upper, upper_q)
        self._set(lower, lower_q)
        if hand is not None:
            self._set(hand, self._base(hand))

    @staticmethod
    def _blend(a: LQuaternionf, b: LQuaternionf, k: float) -> LQuaternionf:
        if k >= 1.0:
            return b
        if a.dot(b) < 0:
            b = -b
        q = a * (1.0 - k) + b * k
        q.normalize()
        return q

    # -- animation clips ---------------------------------------------------------------------------------------

    def _clips(self, weights: dict[str, float]) -> None:
        if not self._clip_names:
            return
        for behaviour, clip in self._clip_names.items():
            w = weights.get(behaviour, 0.0)
            for control in self._controls[clip]:
                if w > 0.0 and behaviour not in self._playing:
                    if behaviour in ONE_SHOT:
                        control.play()
                    else:
                        control.loop(True)
                if w <= 0.0 and behaviour in self._playing:
                    control.stop()
                control.getPart().setControlEffect(control, w)
            if w > 0.0:
                self._playing[behaviour] = w
            else:
                self._playing.pop(behaviour, None)

    def _base(self, joint: _Joint) -> LQuaternionf:
        """The joint's rotation from the clips now playing (the rest pose where none is)."""
        if not self._playing:
            return joint.rest_quat
        total = 0.0
        acc = LQuaternionf(0, 0, 0, 0)
        for behaviour, w in self._playing.items():
            q = self._clip_quat(self._clip_names[behaviour], joint)
            if q is None:
                continue
            if acc.dot(q) < 0:
                q = -q
            acc += q * w
            total += w
        if total < 1.0:
            rest = joint.rest_quat if acc.dot(joint.rest_quat) >= 0 else -joint.rest_quat
            acc += rest * (1.0 - total)
        acc.normalize()
        return acc

    def _clip_quat(self, clip: str, joint: _Joint) -> LQuaternionf | None:
        key = (clip, joint.name)
        if key not in self._channels:
            self._channels[key] = None
            for control in self._controls[clip]:
                channel = control.getAnim().findChild(joint.name)
                if channel is not None:
                    self._channels[key] = (control, channel)
                    break
        found = self._channels[key]
        if found is None:
            return None
        control, channel = found
        mat = LMatrix4f()
        channel.getValue(control.getFrame(), mat)  # type: ignore[attr-defined]
        return TransformState.makeMat(mat).getQuat()


__all__ = ["Rig", "arc", "arm_direction", "hpr_quat"]
