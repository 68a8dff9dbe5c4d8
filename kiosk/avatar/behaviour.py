"""How the guide moves: a state machine driven by session events, producing one rig-independent pose per frame.

States: idle, greet, listen, think, talk, point, goodbye. Each state is a *layer* that eases in over
``BLEND_S`` when entered and eases out when left, and the frame's pose is the weighted mean of the live layers,
so a transition never snaps, even when events arrive faster than a blend. On top of the layers, always: breathing,
blinks at random 2-6 s intervals, saccades, and the lip-sync weights the caller passes in.

The pose is in the guide's own terms (degrees, "+ heading" = toward the guide's left, "+ pitch" = up, arm
directions as angles away from hanging down), so the same behaviour drives the bundled guide and any rig that
maps the joints in its avatar.yaml (``kiosk.avatar.rig`` turns it into joint transforms). Pure: no Panda3D.

Reduced motion (a display setting, for visitors who find movement on screen hard to bear): idle sway, weight
shifts, head motion and eye movements keep about a third of their size; the wave, pointing and talking beats are
smaller and slower, and states blend over longer. Blinks, breathing and the lips are unchanged. Switching it on
or off eases over a second, so the guide never jumps.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.avatar.motion import Blinker, Noise, Saccades, bump, smoothstep
from kiosk.events import (
    AnswerChosen,
    Event,
    FinalTranscript,
    ListeningStarted,
    ListeningStopped,
    PartialTranscript,
    SessionEnded,
    SessionStarted,
    SpeakingStarted,
    SpeakingStopped,
)

BLEND_S = 0.45
CALM = 0.35
"""With reduced motion: the share of the usual size that idle motion, eye movements and gestures keep."""
CALM_SLOW = 1.5
"""With reduced motion: how much slower gestures rise and fall, and states blend."""
ROTATED = ("hips", "spine", "chest", "neck", "head")
EXPRESSIONS = ("happy", "surprised", "sad")


class State(StrEnum):
    IDLE = "idle"
    GREET = "greet"
    LISTEN = "listen"
    THINK = "think"
    TALK = "talk"
    POINT = "point"
    GOODBYE = "goodbye"


DURATIONS = {State.GREET: 2.6, State.GOODBYE: 2.8}
POINT_HOLD_S = 3.2


@dataclass(frozen=True)
class Arm:
    """One arm as directions, in degrees: ``out`` = raised sideways from hanging down (90 = horizontal, 180 = up),
    ``forward`` = raised toward the visitor; the same two for the forearm (absolute, not relative to the upper arm).
    """

    out: float = 8.0
    forward: float = 3.0
    fore_out: float = 5.0
    fore_forward: float = 14.0


@dataclass
class Pose:
    rotations: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    """Role -> (heading, pitch, roll) in degrees, added to the role's pose; roles in ``ROTATED``."""
    gaze: tuple[float, float] = (0.0, 0.0)
    """Where both eyes look: (heading, pitch) in degrees relative to the head."""
    arms: dict[str, Arm] = field(default_factory=dict)
    """"left"/"right" -> arm directions (the guide's own left and right)."""
    morphs: dict[str, float] = field(default_factory=dict)
    """Expression and viseme weights 0..1: aa, ih, ou, ee, oh, blink, happy, surprised, sad."""
    clips: dict[str, float] = field(default_factory=dict)
    """Behaviour -> weight, for rigs that map an animation clip to that behaviour."""
    procedural_arms: float = 1.0
    """How much the arms follow ``arms`` (1) rather than the clips (0)."""


def _mix_pose(parts: list[tuple[float, Pose]]) -> Pose:
    total = sum(w for w, _ in parts) or 1.0
    out = Pose()
    for w, p in parts:
        k = w / total
        for role, (h, pi, r) in p.rotations.items():
            h0, p0, r0 = out.rotations.get(role, (0.0, 0.0, 0.0))
            out.rotations[role] = (h0 + k * h, p0 + k * pi, r0 + k * r)
        out.gaze = (out.gaze[0] + k * p.gaze[0], out.gaze[1] + k * p.gaze[1])
        for side, a in p.arms.items():
            b = out.arms.get(side, Arm(0.0, 0.0, 0.0, 0.0))
            out.arms[side] = Arm(
                b.out + k * a.out,
                b.forward + k * a.forward,
                b.fore_out + k * a.fore_out,
                b.fore_forward + k * a.fore_forward,
            )
        for name, v in p.morphs.items():
            out.morphs[name] = out.morphs.get(name, 0.0) + k * v
        for name, v in p.clips.items():
            out.clips[name] = out.clips.get(name, 0.0) + k * v
    out.procedural_arms = sum(w * p.procedural_arms for w, p in parts) / total
    return out


@dataclass
class _Layer:
    state: State
    entered: float
    left: float | None = None
    detail: str = ""
    blend: float = BLEND_S

    def weight(self, t: float) -> float:
        w = smoothstep((t - self.entered) / self.blend)
        if self.left is not None:
            w *= 1.0 - smoothstep((t - self.left) / self.blend)
        return w


class Behaviour:
    """Feed it events with ``handle`` and ask for a pose every frame with ``update``; both take the time."""

    def __init__(
        self, clips: frozenset[str] = frozenset(), mouth: bool = True, seed: int = 7, reduced_motion: bool = False
    ) -> None:
        self.clips = clips
        """Behaviours the rig has an animation clip for (from avatar.yaml); those play the clip."""
        self.mouth = mouth
        """False for a rig with no viseme shapes: talking is shown with livelier head and body motion."""
        rng = random.Random(seed)
        self._blinker = Blinker(rng)
        self._eyes = Saccades(rng, spread=8.0)
        self._noise = {name: Noise(rng, speed) for name, speed in _NOISES.items()}
        self._layers: list[_Layer] = [_Layer(State.IDLE, -BLEND_S)]
        self._after = State.IDLE
        self._gesture = "none"
        self._nods: list[float] = []
        self._level = 0.0
        self._level_slow = 0.0
        self._last_t = 0.0
        self.reduced_motion = reduced_motion
        """Calmer motion for visitors sensitive to it (see the module's docstring); change it with
        ``set_reduced_motion``."""
        self._calm = 1.0 if reduced_motion else 0.0
        """0 = full motion .. 1 = reduced; eases toward ``reduced_motion`` so a switch never jumps."""

    def set_reduced_motion(self, on: bool) -> None:
        """Calmer motion from now on (eases in over a second); blinks and lips are unchanged."""
        self.reduced_motion = on

    @property
    def _amp(self) -> float:
        """How much of the usual amplitude idle motion and gestures have now (1, or down to ``CALM``)."""
        return 1.0 - (1.0 - CALM) * self._calm

    @property
    def _slow(self) -> float:
        """How much longer gestures and blends take now (1, or up to ``CALM_SLOW``)."""
        return 1.0 + (CALM_SLOW - 1.0) * self._calm

    @property
    def state(self) -> State:
        return self._layers[-1].state

    def enter(self, state: State, t: float, detail: str = "") -> None:
        """Switch state now; the new layer eases in while the old ones ease out."""
        current = self._layers[-1]
        if current.state is state and current.detail == detail:
            return
        for layer in self._layers:
            if layer.left is None:
                layer.left = t
        self._layers.append(_Layer(state, t, detail=detail, blend=BLEND_S * self._slow))
        self._eyes.look(t, 0.0, 0.0)
        self._blinker.blink_now(t)

    def handle(self, event: Event, t: float) -> None:
        match event:
            case SessionStarted():
                self._after = State.IDLE
                self.enter(State.GREET, t)
            case SessionEnded():
                self._after = State.IDLE
                self.enter(State.GOODBYE, t)
            case ListeningStarted():
                if self.state in DURATIONS:
                    self._after = State.LISTEN
                else:
                    self.enter(State.LISTEN, t)
            case PartialTranscript():
                if self.state is State.LISTEN and (not self._nods or t - self._nods[-1] > 1.1):
                    self._nods.append(t)
            case ListeningStopped(reason=reason):
                if self.state is State.LISTEN:
                    self.enter(State.THINK if reason in ("silence", "max-length") else State.IDLE, t)
            case FinalTranscript():
                if self.state in (State.LISTEN, State.IDLE):
                    self.enter(State.THINK, t)
            case AnswerChosen(answer=answer):
                self._gesture = answer.gesture
            case SpeakingStarted():
                if self.state not in (State.TALK, State.POINT, *DURATIONS):
                    if self._gesture.startswith("point-"):
                        self.enter(State.POINT, t, self._gesture.removeprefix("point-"))
                    else:
                        self.enter(State.TALK, t)
                self._gesture = "none"
            case SpeakingStopped():
                if self.state in (State.TALK, State.POINT):
                    self.enter(State.IDLE, t)
            case _:
                pass

    def update(self, t: float, speech_level: float = 0.0) -> Pose:
        """The pose at ``t``. ``speech_level`` (0..1, how open the mouth is now) drives head and hand beats."""
        dt = min(max(t - self._last_t, 0.0), 0.1)
        self._last_t = t
        target = 1.0 if self.reduced_motion else 0.0
        self._calm += max(-dt, min(dt, target - self._calm))
        # With reduced motion the beats follow the voice more slowly (softer, later peaks).
        self._level += (speech_level - self._level) * min(1.0, dt / (0.06 * self._slow**2))
        self._level_slow += (speech_level - self._level_slow) * min(1.0, dt / (0.35 * self._slow))
        self._advance(t)
        self._layers = [layer for layer in self._layers if layer.weight(t) > 0.0 or layer is self._layers[-1]]
        parts = [(layer.weight(t), self._layer_pose(layer, t)) for layer in self._layers]
        pose = _mix_pose([(w, p) for w, p in parts if w > 0.0] or [(1.0, parts[-1][1])])
        self._add_always(pose, t)
        return pose

    # -- states -----------------------------------------------------------------------------------------------

    def _advance(self, t: float) -> None:
        layer = self._layers[-1]
        limit = DURATIONS.get(layer.state)
        if limit is not None and t - layer.entered >= limit:
            self.enter(self._after, t)
            self._after = State.IDLE
        elif layer.state is State.POINT and t - layer.entered >= POINT_HOLD_S:
            self.enter(State.TALK, t)

    def _layer_pose(self, layer: _Layer, t: float) -> Pose:
        pose = self._idle(t)
        since = t - layer.entered
        match layer.state:
            case State.GREET | State.GOODBYE:
                self._wave(pose, since, bow=layer.state is State.GOODBYE)
            case State.LISTEN:
                self._listen(pose, t)
            case State.THINK:
                self._think(pose, t)
            case State.TALK:
                self._talk(pose, t)
            case State.POINT:
                self._talk(pose, t)
                self._point(pose, since, layer.detail)
            case _:
                pass
        clip = layer.state.value if layer.state is not State.POINT else "talk"
        if clip in self.clips:
            pose.clips = {clip: 1.0}
            pose.procedural_arms = 0.0 if layer.state is not State.POINT else 1.0
        elif "idle" in self.clips and layer.state is not State.POINT:
            pose.clips = {"idle": 1.0}
            pose.procedural_arms = 0.0 if layer.state is State.IDLE else 1.0
        return pose

    def _n(self, name: str, t: float) -> float:
        return self._noise[name].at(t)

    def _idle(self, t: float) -> Pose:
        """Standing at ease: weight shifts, small head motions, arms hanging with a little sway."""
        a = self._amp
        shift = a * self._n("shift", t)
        pose = Pose()
        pose.rotations = {
            "hips": (2.0 * a * self._n("hips_h", t), 0.0, 2.2 * shift),
            "spine": (0.0, 0.0, -1.6 * shift),
            "chest": (1.5 * a * self._n("chest_h", t), 0.0, -0.6 * shift),
            "neck": (0.0, 0.0, 0.0),
            "head": (
                6.0 * a * self._n("head_h", t),
                3.0 * a * self._n("head_p", t) - 1.0,
                2.5 * a * self._n("head_r", t),
            ),
        }
        sway = a * self._n("arms", t)
        pose.arms = {
            "left": Arm(9.0 + 1.5 * sway, 3.0, 6.0 + 1.5 * sway, 16.0),
            "right": Arm(9.0 - 1.5 * sway, 3.0, 6.0 - 1.5 * sway, 16.0),
        }
        pose.morphs = {"happy": 0.3}
        return pose

    def _wave(self, pose: Pose, since: float, bow: bool) -> None:
        # Reduced motion: the hand rises lower and slower and waves gently, within the same 2.6 s.
        a, slow = self._amp, self._slow
        rise, fall = 0.65 * slow, 0.5 * slow
        up = bump(since, 0.0, rise, 2.6 - rise - fall, fall)
        swing = math.sin(since * 2.0 * math.pi * 1.7 / slow) * up
        idle = pose.arms["right"]
        target = Arm(22.0, 42.0, 165.0 + 14.0 * a * swing, 30.0)
        pose.arms["right"] = _lerp_arm(idle, target, up * (0.6 + 0.4 * a))
        h, p, r = pose.rotations["head"]
        pose.rotations["head"] = (h - 5.0 * a * up, p + 3.0 * a * up, r - 7.0 * a * up)
        if bow:
            dip = a * bump(since, 0.1, 0.4 * slow, 0.5, 0.5 * slow)
            pose.rotations["chest"] = (0.0, -9.0 * dip, 0.0)
            pose.rotations["neck"] = (0.0, -6.0 * dip, 0.0)
        pose.morphs = {"happy": 0.3 + 0.6 * up}

    def _listen(self, pose: Pose, t: float) -> None:
        """Leans in, head tilted, eyes on the visitor; nods while the visitor is talking."""
        nod = self._amp * sum(bump(t, s, 0.18 * self._slow, 0.05, 0.3 * self._slow) for s in self._nods[-2:])
        pose.rotations["spine"] = (0.0, -3.0, 0.0)
        pose.rotations["chest"] = (0.0, -4.0, 0.0)
        h, _, _ = pose.rotations["head"]
        pose.rotations["head"] = (0.35 * h, 4.0 - 9.0 * nod, 7.0)
        for side in ("left", "right"):
            pose.arms[side] = Arm(14.0, 22.0, -28.0, 58.0)
        pose.morphs = {"happy": 0.35}

    def _think(self, pose: Pose, t: float) -> None:
        h, _, _ = pose.rotations["head"]
        pose.rotations["head"] = (10.0 + 0.3 * h, 7.0, -4.0)
        pose.gaze = (14.0, 11.0)
        pose.arms["right"] = Arm(16.0, 30.0, -40.0, 95.0)
        pose.arms["left"] = Arm(14.0, 20.0, -30.0, 50.0)
        pose.morphs = {"happy": 0.1}

    def _talk(self, pose: Pose, t: float) -> None:
        """Head and hand beats follow the speech: emphasis where the voice is loud, rest in the pauses."""
        gain = (1.0 if self.mouth else 2.2) * self._amp
        beat = self._level - self._level_slow
        h, p, r = pose.rotations["head"]
        pose.rotations["head"] = (h + 3.0 * gain * self._n("talk_h", t), p + 2.0 + 7.0 * gain * beat, r)
        pose.rotations["chest"] = (2.5 * gain * self._n("talk_c", t), 2.0 * gain * beat, 0.0)
        lift = 35.0 * self._level_slow * gain
        alt = self._amp * self._n("hands", t)
        pose.arms["left"] = Arm(13.0, 18.0 + 6.0 * alt, 12.0, 45.0 + lift * (1.0 + alt))
        pose.arms["right"] = Arm(13.0, 18.0 - 6.0 * alt, 12.0, 45.0 + lift * (1.0 - alt))
        pose.morphs = {"happy": 0.4}

    def _point(self, pose: Pose, since: float, direction: str) -> None:
        """The arm on the side of the place (the visitor's right is the guide's left) points that way."""
        slow = self._slow
        reach = bump(since, 0.0, 0.55 * slow, POINT_HOLD_S - 1.0, 0.45 * slow)
        look = bump(since, 0.1, 0.35 * slow, 1.3, 0.45 * slow)
        side, target, head = _POINTS.get(direction, _POINTS["ahead"])
        # Reduced motion still points clearly at the place, a little lower, with a smaller turn of the head.
        pose.arms[side] = _lerp_arm(pose.arms[side], target, reach * (0.8 + 0.2 * self._amp))
        turn = look * (0.5 + 0.5 * self._amp)
        h, p, r = pose.rotations["head"]
        pose.rotations["head"] = (h + head[0] * turn, p + head[1] * turn, r)
        pose.gaze = (head[0] * 0.8 * turn, head[1] * 0.8 * turn)

    # -- always ------------------------------------------------------------------------------------------------

    def _add_always(self, pose: Pose, t: float) -> None:
        breath = math.sin(t * 2.0 * math.pi * 0.23)
        h, p, r = pose.rotations.get("chest", (0.0, 0.0, 0.0))
        pose.rotations["chest"] = (h, p + 1.1 * breath, r)
        for side, arm in pose.arms.items():
            pose.arms[side] = Arm(arm.out + 0.8 * breath, arm.forward, arm.fore_out, arm.fore_forward)
        spread = (9.0 if self.state is State.IDLE else 3.0) if self.state in (State.IDLE, State.THINK) else 2.5
        self._eyes.spread = spread * self._amp
        eh, ep = self._eyes.at(t)
        pose.gaze = (pose.gaze[0] + eh, pose.gaze[1] + ep)
        # The head follows a far glance a little, as people's do (not with reduced motion).
        follow = 1.0 - self._calm
        h, p, r = pose.rotations.get("head", (0.0, 0.0, 0.0))
        pose.rotations["head"] = (h + 0.25 * follow * eh, p + 0.2 * follow * ep, r)
        pose.morphs["blink"] = self._blinker.weight(t)


def _lerp_arm(a: Arm, b: Arm, k: float) -> Arm:
    return Arm(
        a.out + (b.out - a.out) * k,
        a.forward + (b.forward - a.forward) * k,
        a.fore_out + (b.fore_out - a.fore_out) * k,
        a.fore_forward + (b.fore_forward - a.fore_forward) * k,
    )


# Which arm, the arm's direction, and where the head turns: (heading, pitch). "right"/"left" are the visitor's.
_POINTS: dict[str, tuple[str, Arm, tuple[float, float]]] = {
    "right": ("left", Arm(55.0, 42.0, 68.0, 50.0), (24.0, 2.0)),
    "left": ("right", Arm(55.0, 42.0, 68.0, 50.0), (-24.0, 2.0)),
    "up": ("right", Arm(40.0, 55.0, 62.0, 120.0), (-8.0, 16.0)),
    "ahead": ("right", Arm(25.0, 62.0, 30.0, 78.0), (-6.0, 0.0)),
    "behind": ("right", Arm(60.0, 45.0, 70.0, 60.0), (-12.0, 0.0)),
}

_NOISES = {
    "shift": 0.09,
    "hips_h": 0.07,
    "chest_h": 0.11,
    "head_h": 0.16,
    "head_p": 0.21,
    "head_r": 0.13,
    "arms": 0.12,
    "talk_h": 0.7,
    "talk_c": 0.5,
    "hands": 0.35,
}

__all__ = ["BLEND_S", "CALM", "CALM_SLOW", "EXPRESSIONS", "ROTATED", "Arm", "Behaviour", "Pose", "State"]
