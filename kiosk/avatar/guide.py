"""The guide on stage: one object the kiosk steps every frame and feeds session events.

Events may arrive from any thread (the recogniser's, the speech player's); ``post`` queues them and ``step`` (on
the thread that renders) applies them, asks the behaviour for a pose, reads the lips from the audio clock and
poses the rig. ``step`` also times itself: ``frame_ms`` is the Python work per frame, the figure that decides
whether a kiosk's integrated GPU, not our code, sets the frame rate.
"""

from __future__ import annotations

import queue
import time

import numpy as np
from panda3d.core import NodePath

from kiosk.avatar.behaviour import Behaviour, Pose
from kiosk.avatar.lipsync import LipSync
from kiosk.avatar.package import AvatarSpec
from kiosk.avatar.rig import Rig
from kiosk.events import Event, SessionStarted, SpeakingStarted, SpeakingStopped
from kiosk.voice.out import AudioOut
from kiosk.voice.visemes import VISEMES, VisemeTrack


class Guide:
    def __init__(
        self, spec: AvatarSpec, parent: NodePath, audio: AudioOut, seed: int = 7, reduced_motion: bool = False
    ) -> None:
        self.spec = spec
        self.rig = Rig(spec, parent)
        self.audio = audio
        has_mouth = any(v in self.rig.morphs for v in VISEMES)
        self.behaviour = Behaviour(self.rig.clip_behaviours, mouth=has_mouth, seed=seed, reduced_motion=reduced_motion)
        self.lips = LipSync()
        self._events: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self._last: float | None = None
        self.pose = Pose()
        self.frame_ms: list[float] = []

    def set_reduced_motion(self, on: bool) -> None:
        """Calmer motion for visitors sensitive to it (see ``kiosk.avatar.behaviour``); eases in over a second."""
        self.behaviour.set_reduced_motion(on)

    def post(self, event: Event) -> None:
        """Queue a session event (thread-safe); it takes effect at the next ``step``."""
        self._events.put(event)

    def wave(self) -> None:
        """Wave to the hall (the attract screen does this now and then): the greeting gesture, back to idling."""
        self.post(SessionStarted(None))

    def speak(self, samples: np.ndarray, rate: int, track: VisemeTrack, text: str = "", language: str = "") -> None:
        """Play an answer through the guide's audio output and move the lips with it."""
        self.post(SpeakingStarted(text, language, len(samples) / rate, track))
        self.audio.play(samples, rate)

    def step(self, now: float) -> Pose:
        started = time.perf_counter()
        dt = 0.0 if self._last is None else max(0.0, now - self._last)
        self._last = now
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                break
            if isinstance(event, SpeakingStarted):
                self.lips.start(event.visemes)
            elif isinstance(event, SpeakingStopped):
                self.lips.stop()
            self.behaviour.handle(event, now)
        position = self._position()
        visemes = self.lips.update(position, dt)
        pose = self.behaviour.update(now, self.lips.openness())
        pose.morphs.update(visemes)
        self.rig.apply(pose)
        self.pose = pose
        self.frame_ms.append((time.perf_counter() - started) * 1000.0)
        if len(self.frame_ms) > 4000:
            del self.frame_ms[:2000]
        return pose

    def _position(self) -> float | None:
        """The audio clock of the clip the lips follow; None until it starts and after it ends."""
        if not self.lips.active or not self.audio.playing:
            return None
        return self.audio.position

    def close(self) -> None:
        self.audio.stop()
        self.rig.body.removeNode()


__all__ = ["Guide"]
