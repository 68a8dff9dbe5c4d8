"""The guide's behaviour, frame by frame at 60 fps: what a visitor would see move, and what must never happen."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from kiosk.avatar.behaviour import Behaviour, Pose, State
from kiosk.avatar.lipsync import LipSync, audio_envelope, mouth_offset
from kiosk.events import (
    AnswerChosen,
    FinalTranscript,
    ListeningStarted,
    ListeningStopped,
    PartialTranscript,
    SessionEnded,
    SessionStarted,
    SpeakingStarted,
    SpeakingStopped,
)
from kiosk.mind.answer import Answer, Intent
from kiosk.voice.visemes import VisemeTrack, track_from_audio

FPS = 60


def run(
    behaviour: Behaviour, seconds: float, start: float = 0.0, events: dict[float, object] | None = None
) -> list[Pose]:
    poses = []
    pending = sorted((events or {}).items())
    for i in range(int(seconds * FPS)):
        t = start + i / FPS
        while pending and pending[0][0] <= t:
            behaviour.handle(pending.pop(0)[1], t)  # type: ignore[arg-type]
        poses.append(behaviour.update(t))
    return poses


def test_blinks_come_at_natural_random_intervals() -> None:
    poses = run(Behaviour(seed=3), 180.0)
    closed = np.array([p.morphs["blink"] > 0.9 for p in poses])
    starts = np.flatnonzero(closed[1:] & ~closed[:-1]) / FPS
    gaps = np.diff(starts)
    assert 30 <= len(starts) <= 90, "a person blinks every 2-6 s"
    singles = gaps[gaps > 0.5]
    assert singles.min() >= 1.9 and singles.max() <= 6.1
    assert 0.1 < np.std(singles) < 2.0, "intervals vary, not a metronome"
    runs = np.diff(np.flatnonzero(np.diff(np.concatenate([[0], closed.astype(int), [0]]))))[::2] / FPS
    assert runs.max() < 0.12, "a blink closes the eyes only briefly"


def test_idle_is_never_frozen() -> None:
    poses = run(Behaviour(seed=5), 20.0)
    head = np.array([p.rotations["head"] for p in poses])
    chest = np.array([p.rotations["chest"][1] for p in poses])
    for second in range(20):
        window = head[second * FPS : (second + 1) * FPS]
        assert np.abs(np.diff(window, axis=0)).sum() > 0.2, f"the head is still during second {second}"
    assert chest.max() - chest.min() > 1.5, "the chest rises and falls with breathing"


def state_of(b: Behaviour) -> State:
    return b.state


def test_session_events_drive_the_states() -> None:
    b = Behaviour(seed=1)
    b.handle(SessionStarted("en"), 0.0)
    assert state_of(b) is State.GREET
    poses = run(b, 1.2, start=0.0)
    assert poses[-1].arms["right"].fore_out > 140, "the guide raises its right hand to wave"
    b.handle(ListeningStarted("hands-free"), 1.3)
    assert state_of(b) is State.GREET, "a greeting is not cut off by the microphone opening"
    run(b, 2.0, start=1.3)
    assert state_of(b) is State.LISTEN, "listening follows the greeting"
    b.handle(ListeningStopped("silence"), 3.4)
    assert state_of(b) is State.THINK
    answer = Answer(Intent.DIRECTIONS, "On your right.", "en", 1.0, gesture="point-right")
    b.handle(AnswerChosen(answer), 3.6)
    b.handle(SpeakingStarted("On your right.", "en", 2.0, VisemeTrack(100, np.zeros((200, 5)))), 3.7)
    assert state_of(b) is State.POINT
    b.handle(SpeakingStopped(False), 8.0)
    assert state_of(b) is State.IDLE
    b.handle(SessionEnded("goodbye"), 9.0)
    assert state_of(b) is State.GOODBYE
    run(b, 3.5, start=9.0)
    assert state_of(b) is State.IDLE


def test_listening_leans_in_and_nods_on_partial_transcripts() -> None:
    b = Behaviour(seed=2)
    b.handle(ListeningStarted("hands-free"), 0.0)
    before = run(b, 1.0)
    b.handle(PartialTranscript("where"), 1.0)
    during = run(b, 0.6, start=1.0)
    chest = before[-1].rotations["chest"][1]
    assert chest < -2.0, "the guide leans toward the visitor"
    pitch = [p.rotations["head"][1] for p in during]
    assert min(pitch) < before[-1].rotations["head"][1] - 4.0, "a nod dips the head"
    b.handle(PartialTranscript("where is"), 1.2)
    assert len(b._nods) == 1, "nods are not repeated faster than a person would"


def test_pointing_uses_the_arm_on_the_side_of_the_place() -> None:
    for direction, side in (("right", "left"), ("left", "right")):
        b = Behaviour(seed=4)
        b.handle(AnswerChosen(Answer(Intent.DIRECTIONS, "x", "en", 1.0, gesture=f"point-{direction}")), 0.0)
        b.handle(SpeakingStarted("x", "en", 3.0, VisemeTrack(100, np.zeros((300, 5)))), 0.0)
        pose = run(b, 1.5)[-1]
        other = "right" if side == "left" else "left"
        assert pose.arms[side].out > 45 and pose.arms[other].out < 30
        assert (pose.rotations["head"][0] > 10) == (direction == "right"), "the head turns toward the place"


def test_transitions_blend_and_never_snap() -> None:
    b = Behaviour(seed=9)
    events: dict[float, object] = {
        0.5: SessionStarted("en"),
        0.9: SessionEnded("timeout"),  # events faster than one blend
        1.0: ListeningStarted("hands-free"),
        4.2: ListeningStopped("silence"),
        4.3: FinalTranscript("hello", 0.9, "free", "en"),
        4.4: AnswerChosen(Answer(Intent.DIRECTIONS, "x", "en", 1.0, gesture="point-left")),
        4.5: SpeakingStarted("x", "en", 2.0, VisemeTrack(100, np.zeros((200, 5)))),
        5.0: SpeakingStopped(True),  # barge-in
        5.05: ListeningStarted("hands-free"),
    }
    poses = run(b, 8.0, events=events)
    for a, c in itertools.pairwise(poses):
        for role in ("hips", "spine", "chest", "neck", "head"):
            step = np.abs(np.subtract(c.rotations[role], a.rotations[role])).max()
            assert step < 3.0, f"{role} jumped {step:.1f} degrees in one frame"
        for side in ("left", "right"):
            x, y = a.arms[side], c.arms[side]
            step = max(
                abs(x.out - y.out),
                abs(x.forward - y.forward),
                abs(x.fore_out - y.fore_out),
                abs(x.fore_forward - y.fore_forward),
            )
            assert step < 9.0, f"the {side} arm jumped {step:.1f} degrees in one frame"
        assert abs(c.morphs.get("happy", 0) - a.morphs.get("happy", 0)) < 0.1


def test_a_rig_without_a_mouth_talks_with_livelier_head_motion() -> None:
    def head_motion(mouth: bool) -> float:
        b = Behaviour(mouth=mouth, seed=11)
        b.handle(SpeakingStarted("x", "en", 4.0, VisemeTrack(100, np.zeros((400, 5)))), 0.0)
        levels = (np.sin(np.arange(240) / FPS * 2 * np.pi * 3) > 0).astype(float)
        poses = [b.update(i / FPS, float(levels[i])) for i in range(240)]
        pitch = np.array([p.rotations["head"][1] for p in poses[60:]])
        return float(np.ptp(pitch))

    assert head_motion(False) > 1.5 * head_motion(True)


def test_clip_rigs_hand_the_arms_to_their_idle_clip() -> None:
    b = Behaviour(clips=frozenset({"idle", "greet"}), seed=1)
    pose = b.update(1.0)
    assert pose.clips == {"idle": 1.0} and pose.procedural_arms == 0.0
    b.handle(SessionStarted(), 1.0)
    pose = run(b, 1.0, start=1.0)[-1]
    assert pose.clips.get("greet", 0) > 0.99


@pytest.mark.parametrize("fps", [30, 60])
def test_lips_follow_the_audio_clock_within_40_ms(fps: int) -> None:
    rng = np.random.default_rng(0)
    rate = 16_000
    # Syllables: 120-250 ms bursts of voiced sound separated by 60-200 ms gaps, like speech.
    pieces = []
    for _ in range(14):
        n = int(rng.uniform(0.12, 0.25) * rate)
        x = np.arange(n) / rate
        burst = np.sin(2 * np.pi * 180 * x) + 0.5 * np.sin(2 * np.pi * 720 * x) + 0.3 * np.sin(2 * np.pi * 1250 * x)
        pieces += [0.6 * burst * np.hanning(n), np.zeros(int(rng.uniform(0.06, 0.2) * rate))]
    samples = (np.concatenate(pieces) * 20_000).astype(np.int16)
    lips = LipSync()
    lips.start(track_from_audio(samples, rate))
    times = np.arange(0, len(samples) / rate, 1 / fps)
    openness = []
    for t in times:
        lips.update(float(t), 1 / fps)
        openness.append(lips.openness())
    offset = mouth_offset(times, np.array(openness), audio_envelope(samples, rate, times))
    assert abs(offset) <= 0.040, f"the mouth is {offset * 1000:.0f} ms off the sound"


def test_reduced_motion_moves_less_and_slower_but_blinks_the_same() -> None:
    def motion(reduced: bool) -> tuple[float, float, list[float]]:
        b = Behaviour(seed=6, reduced_motion=reduced)
        poses = run(b, 10.0, events={6.0: SessionStarted("en")})  # idle, then a wave
        total = 0.0
        for a, c in itertools.pairwise(poses):
            total += sum(float(np.abs(np.subtract(c.rotations[r], a.rotations[r])).sum()) for r in a.rotations)
            total += sum(
                abs(x.out - y.out) + abs(x.forward - y.forward) + abs(x.fore_out - y.fore_out)
                for x, y in ((a.arms[s], c.arms[s]) for s in ("left", "right"))
            )
            total += float(np.abs(np.subtract(c.gaze, a.gaze)).sum())
        hand = np.array([p.arms["right"].fore_out for p in poses])
        return total, float(np.abs(np.diff(hand)).max() * FPS), [p.morphs["blink"] for p in poses]

    full, full_speed, full_blinks = motion(False)
    calm, calm_speed, calm_blinks = motion(True)
    assert calm < 0.6 * full, f"reduced motion moves {calm:.0f} degrees in 10 s against {full:.0f}"
    assert calm_speed < 0.6 * full_speed, f"the waving hand moves at {calm_speed:.0f} against {full_speed:.0f} deg/s"
    assert calm_blinks == full_blinks, "blinks are unchanged"


def test_switching_reduced_motion_on_eases_in_without_a_jump() -> None:
    b = Behaviour(seed=8)
    run(b, 3.0)
    b.set_reduced_motion(True)
    poses = run(b, 2.0, start=3.0)
    for a, c in itertools.pairwise(poses):
        step = max(np.abs(np.subtract(c.rotations[r], a.rotations[r])).max() for r in a.rotations)
        assert step < 1.0, f"the pose jumped {step:.1f} degrees when reduced motion was switched on"
