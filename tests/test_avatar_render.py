"""The guide rendered for real (Panda3D offscreen, Mesa's software OpenGL here), judged on the pixels."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from kiosk.avatar.behaviour import Arm, Pose
from kiosk.avatar.lipsync import audio_envelope, mouth_offset
from kiosk.avatar.package import load_avatar
from kiosk.avatar.render import OffscreenRenderer, Shot, changed, darkened, region
from kiosk.avatar.sequences import Speech, play, script
from kiosk.cli import main
from kiosk.events import SessionStarted
from kiosk.ops.paths import demo_pack_path
from kiosk.voice.tts import Synthesizer

GUIDE = demo_pack_path() / "avatars" / "docent"
AVATARS = Path(__file__).parent / "avatars"
NEUTRAL = Pose(morphs={"happy": 0.3})


@pytest.fixture(scope="module")
def face() -> Iterator[OffscreenRenderer]:
    renderer = OffscreenRenderer(Shot(240, 240, "face"))
    renderer.load(load_avatar(GUIDE))
    yield renderer
    renderer.close()


@pytest.fixture(scope="module")
def portrait() -> Iterator[OffscreenRenderer]:
    renderer = OffscreenRenderer(Shot(270, 480, "portrait"))
    renderer.load(load_avatar(GUIDE))
    yield renderer
    renderer.close()


def darkness(image: np.ndarray, box: tuple[int, int, int, int], below: int = 80) -> float:
    top, bottom, left, right = box
    return float((image[top:bottom, left:right].mean(axis=2) < below).mean())


def test_the_guide_fills_the_portrait_frame_from_mid_thigh_up(portrait: OffscreenRenderer) -> None:
    image = portrait.render_pose(NEUTRAL)
    guide = portrait.guide
    assert guide is not None
    guide.rig.body.hide()
    empty = portrait.render_pose(NEUTRAL)
    guide.rig.body.show()
    box = region(changed(image, empty))
    assert box is not None, "the guide is not in the frame"
    top, bottom, left, right = box
    assert top < 0.12 * 480, "the head is near the top of the frame"
    assert bottom == 480, "the body continues below the frame (cut at mid-thigh)"
    assert 0.3 * 270 < right - left < 0.95 * 270
    assert float(image.std()) > 20, "the frame has contrast, not a blank fill"
    assert image.reshape(-1, 3).max(axis=0).min() > 150, "the stage is lit"


def test_the_mouth_opens_for_aa_and_only_the_mouth_changes(face: OffscreenRenderer) -> None:
    shut = face.render_pose(NEUTRAL)
    open_ = face.render_pose(Pose(morphs={"happy": 0.3, "aa": 1.0}))
    box = region(changed(shut, open_))
    assert box is not None, "the mouth did not move"
    top, bottom, left, right = box
    assert top > 240 * 0.5, "the change is in the lower half of the face"
    assert (bottom - top) < 240 * 0.35 and (right - left) < 240 * 0.5, "only the mouth area changes"
    assert abs((left + right) / 2 - 120) < 24, "the mouth is centred under the nose"
    inside = region(darkened(shut, open_))
    assert inside is not None, "the open mouth shows its dark inside"
    assert inside[0] >= top and inside[1] <= bottom, "the dark opening is within the mouth area"
    assert darkness(open_, inside) > darkness(shut, inside) + 0.3
    shapes = {v: face.render_pose(Pose(morphs={"happy": 0.3, v: 1.0})) for v in ("ih", "ou", "ee", "oh")}
    for name, image in shapes.items():
        assert changed(shut, image).sum() > 30, f"viseme {name} does not change the mouth"
    assert changed(shapes["ou"], shapes["ee"]).sum() > 30, "rounded and spread lips look different"


def test_the_eyes_close_at_a_blink(face: OffscreenRenderer) -> None:
    open_ = face.render_pose(NEUTRAL)
    closed = face.render_pose(Pose(morphs={"happy": 0.3, "blink": 1.0}))
    mouth = region(changed(open_, face.render_pose(Pose(morphs={"happy": 0.3, "aa": 1.0}))))
    mask = changed(open_, closed)
    box = region(mask)
    assert box is not None and mouth is not None, "blinking changes nothing"
    assert box[1] < mouth[0], "the change is above the mouth"
    assert mask[:, :120].sum() > 20 and mask[:, 120:].sum() > 20, "both eyes close"
    assert darkness(closed, box) < 0.5 * darkness(open_, box), "the dark irises are covered by the lids"


def test_expressions_change_the_face(face: OffscreenRenderer) -> None:
    neutral = face.render_pose(Pose())
    for name in ("happy", "surprised", "sad"):
        assert changed(neutral, face.render_pose(Pose(morphs={name: 1.0}))).sum() > 80, name


def test_pointing_right_raises_the_arm_on_the_right_of_the_screen(portrait: OffscreenRenderer) -> None:
    rest = Arm()
    idle = portrait.render_pose(Pose(arms={"left": rest, "right": rest}))
    pointing = portrait.render_pose(Pose(arms={"left": Arm(55, 42, 68, 50), "right": rest}))
    mask = changed(idle, pointing)
    xs = np.nonzero(mask)[1]
    assert len(xs) > 200, "the arm did not move"
    assert np.mean(xs) > 135 + 20, "the moving arm is on the right side of the screen"
    assert xs.max() > 0.8 * 270, "the arm reaches out to the right, away from the body"


def test_the_guide_waves_when_a_session_starts(portrait: OffscreenRenderer) -> None:
    frames: list[np.ndarray] = []
    cues, duration = script("greet")
    guide = portrait.guide
    assert guide is not None
    play(portrait, cues, duration, 10, lambda i, t, image: frames.append(image))
    assert guide.pose.arms["right"].out < 30, "the arm comes down after the wave"
    still = frames[1]
    moving = [int(changed(still, f)[:, :135].sum()) for f in frames[6:20]]
    assert max(moving) > 400, "the guide's right arm (screen left) rises to wave"


@pytest.fixture(scope="module")
def english() -> Speech:
    synth = Synthesizer()
    try:
        clip = synth.synthesize("Good morning. The bronze horses stand in the west hall, beside the stairs.", "en")
    finally:
        synth.close()
    return Speech(clip.samples, clip.rate, clip.visemes, clip.text, "en")


def test_lips_on_screen_follow_the_speech_within_40_ms(english: Speech) -> None:
    """The mouth's dark area in each rendered frame (60 fps) against the audio's loudness at that frame's audio
    clock: real speech engine, real viseme track, real rendering."""
    renderer = OffscreenRenderer(Shot(160, 160, "face", multisamples=0))
    try:
        renderer.load(load_avatar(GUIDE))
        shut = renderer.render_pose(NEUTRAL)
        box = region(darkened(shut, renderer.render_pose(Pose(morphs={"happy": 0.3, "aa": 1.0}))))
        assert box is not None
        cues, duration = script("talk", english)
        seen: list[tuple[float, float]] = []
        play(
            renderer,
            cues,
            duration,
            60,
            lambda i, t, image: seen.append((t - cues[0].at, darkness(image, box))),
            english,
        )
    finally:
        renderer.close()
    times = np.array([t for t, _ in seen])
    inside = (times >= 0) & (times < english.duration)
    opening = np.array([d for _, d in seen])[inside]
    assert opening.max() - opening.min() > 0.25, "the mouth opens and closes while speaking"
    offset = mouth_offset(times[inside], opening, audio_envelope(english.samples, english.rate, times[inside]))
    assert abs(offset) <= 0.040, f"the mouth is {offset * 1000:.0f} ms off the sound"


def test_robot_expressive_loads_from_its_raw_file_and_animates(tmp_path: Path) -> None:
    folder = tmp_path / "robot"
    shutil.copytree(AVATARS / "robot-expressive", folder)
    renderer = OffscreenRenderer(Shot(180, 320, "portrait"))
    try:
        guide = renderer.load(load_avatar(folder))
        assert guide.rig.clip_behaviours >= {"idle", "greet"}
        assert not guide.behaviour.mouth, "no mouth shapes: talking falls back to head and body motion"
        first = renderer.render(0.0)
        guide.post(SessionStarted())
        later = [renderer.render(0.1 * i) for i in range(1, 14)]
        assert max(int(changed(first, f).sum()) for f in later) > 300, "the robot moves when greeting"
        assert guide.rig.clip("Wave")[0].isPlaying(), "its own Wave clip plays for the greeting"
        head = [guide.rig.joint_position("head") for _ in range(1)]
        assert head[0] is not None
    finally:
        renderer.close()


def test_morph_sphere_morphs_through_its_avatar_yaml() -> None:
    renderer = OffscreenRenderer(Shot(160, 160, "portrait"))
    try:
        guide = renderer.load(load_avatar(AVATARS / "morph-sphere"))
        assert guide.rig.morphs == {"aa", "oh"}
        rest = renderer.render_pose(Pose())
        blob = renderer.render_pose(Pose(morphs={"aa": 1.0}))
        ship = renderer.render_pose(Pose(morphs={"oh": 1.0}))
        assert changed(rest, blob).sum() > 100 and changed(blob, ship).sum() > 100
    finally:
        renderer.close()


def test_render_command_writes_frames_and_a_contact_sheet(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["avatar", "render", "--behaviour", "greet", "--out", str(tmp_path), "--size", "135x240", "--fps", "5"]
    )
    assert result.exit_code == 0, result.output
    frames = sorted((tmp_path / "frames").glob("*.png"))
    assert len(frames) == 16
    assert (tmp_path / "sheet.png").stat().st_size > 5_000
    assert "greet: 16 frames" in result.output
