"""``kiosk avatar render``: the guide rendered offscreen to PNG frames and a contact sheet, with real speech."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import numpy as np

from kiosk.avatar.package import AvatarSpec
from kiosk.cli.avatar import avatar
from kiosk.cli.common import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, load_or_exit, pack_path
from kiosk.content import Pack
from kiosk.errors import DocentError

SAMPLE_LINES = {
    "en": "Welcome! The terracotta warriors are in Gallery Two, just over there on your right.",
    "zh": "欢迎光临！兵马俑在二号展厅，就在您的右手边。",
    "ko": "어서 오세요! 병마용은 이 전시실 오른쪽에 있습니다.",
}


def _size(value: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in value.lower().split("x"))
    except ValueError as err:
        raise click.BadParameter(f"{value!r}: write the size as WIDTHxHEIGHT, e.g. 540x960") from err
    if not (64 <= w <= 4096 and 64 <= h <= 4096):
        raise click.BadParameter(f"{value!r}: each side must be 64 to 4096 pixels")
    return w, h


@avatar.command("render")
@click.option("--say", "text", help="What the guide says (default: a directions line in --lang).")
@click.option("--lang", "language", default="en", type=click.Choice(["en", "zh", "ko"]), show_default=True)
@click.option(
    "--behaviour",
    default="session",
    show_default=True,
    type=click.Choice(["idle", "greet", "listen", "think", "talk", "point", "goodbye", "session", "all", "faces"]),
    help="Which moment to render; 'all' renders each behaviour into its own sheet; 'faces' a close-up sheet of "
    "every mouth shape and expression.",
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the frames.")
@click.option("--avatar", "avatar_dir", type=click.Path(exists=True, file_okay=False), help="Avatar folder.")
@click.option("--pack", "pack_dir", type=click.Path(), help="Content pack (default: the demo venue).")
@click.option("--size", default="540x960", show_default=True, help="Frame size WIDTHxHEIGHT.")
@click.option("--framing", default="portrait", type=click.Choice(["portrait", "landscape", "face"]), show_default=True)
@click.option("--fps", default=24, show_default=True, type=click.IntRange(1, 120))
@click.option(
    "--sheet",
    "sheet_frames",
    default=12,
    show_default=True,
    type=click.IntRange(1, 48),
    help="Frames on the contact sheet.",
)
@click.option("--no-frames", is_flag=True, help="Write only the contact sheet, not every frame.")
def avatar_render(
    text: str | None,
    language: str,
    behaviour: str,
    out_dir: str,
    avatar_dir: str | None,
    pack_dir: str | None,
    size: str,
    framing: str,
    fps: int,
    sheet_frames: int,
    no_frames: bool,
) -> None:
    """Render the guide offscreen to PNG frames plus a contact sheet (sheet.png), speaking TEXT with the real
    speech engine and lip sync; the way to look at the guide without a screen.

    The avatar is --avatar, else the pack's (kiosk.avatar in venue.yaml, else avatars/docent). Writes
    OUT/frames/0000.png..., OUT/sheet.png and OUT/speech.wav; with --behaviour all, one folder and sheet per
    behaviour (OUT/greet.png, ...). Exit status: 0 rendered, 1 the avatar package has errors, 2 no renderer.
    """
    from kiosk.avatar.package import AvatarInvalid, load_avatar
    from kiosk.avatar.render import OffscreenRenderer, RenderError, Shot, contact_sheet, write_png
    from kiosk.avatar.sequences import BEHAVIOURS, SPEAKING, Speech, play, script
    from kiosk.voice.tts import Synthesizer, join_clips

    width, height = _size(size)
    pack = load_or_exit(pack_path(pack_dir))
    folder = Path(avatar_dir) if avatar_dir else _pack_avatar(pack)
    try:
        spec = load_avatar(folder)
    except AvatarInvalid as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INVALID)
    out = Path(out_dir)
    if behaviour == "faces":
        _faces(spec, out, width, height)
        sys.exit(EXIT_OK)
    wanted = list(BEHAVIOURS) if behaviour == "all" else [behaviour]
    speech = None
    if any(b in SPEAKING for b in wanted):
        synthesizer = Synthesizer(pack.venue.speech)
        try:
            line = text or SAMPLE_LINES[language]
            clips = list(synthesizer.say(line, language))
            _, track = join_clips(clips, out / "speech.wav")
            samples = np.concatenate([c.samples for c in clips])
            speech = Speech(samples, clips[0].rate, track, line, language)
        except DocentError as err:
            click.echo(f"error: speech: {err}", err=True)
            sys.exit(EXIT_UNUSABLE)
        finally:
            synthesizer.close()
    try:
        renderer = OffscreenRenderer(Shot(width, height, framing))
        guide = renderer.load(spec)
    except (RenderError, DocentError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    for name in wanted:
        cues, duration = script(name, speech)
        target = out / name if behaviour == "all" else out
        frames: list[tuple[float, np.ndarray]] = []
        total = round(duration * fps)
        keep = {round(k * (total - 1) / max(1, sheet_frames - 1)) for k in range(sheet_frames)}

        def save(
            i: int,
            t: float,
            image: np.ndarray,
            target: Path = target,
            keep: set[int] = keep,
            frames: list[tuple[float, np.ndarray]] = frames,
        ) -> None:
            if not no_frames:
                write_png(image, target / "frames" / f"{i:04d}.png")
            if i in keep:
                frames.append((t, image))

        play(renderer, cues, duration, fps, save, speech)
        sheet = contact_sheet([img for _, img in frames], columns=min(6, len(frames)), shrink=2)
        sheet_path = out / f"{name}.png" if behaviour == "all" else out / "sheet.png"
        write_png(sheet, sheet_path)
        click.echo(f"{name}: {total} frames at {fps} fps ({duration:.1f} s) -> {sheet_path}")
    if speech is not None:
        click.echo(f"speech: {speech.duration:.2f} s, {out / 'speech.wav'}")
    frame_ms = sorted(guide.frame_ms)
    if frame_ms:
        click.echo(f"animation code per frame: median {frame_ms[len(frame_ms) // 2]:.2f} ms")
    renderer.close()
    sys.exit(EXIT_OK)


FACES = ("neutral", "aa", "ih", "ou", "ee", "oh", "blink", "happy", "surprised", "sad")


def _faces(spec: AvatarSpec, out: Path, width: int, height: int) -> None:
    """One close-up per mouth shape and expression, in that order, on one sheet (OUT/faces.png)."""
    from kiosk.avatar.behaviour import Pose
    from kiosk.avatar.render import OffscreenRenderer, RenderError, Shot, contact_sheet, write_png

    side = min(width, height)
    try:
        renderer = OffscreenRenderer(Shot(side, side, "face"))
        renderer.load(spec)
    except (RenderError, DocentError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    images = [renderer.render_pose(Pose(morphs={} if name == "neutral" else {name: 1.0})) for name in FACES]
    renderer.close()
    path = out / "faces.png"
    write_png(contact_sheet(images, columns=5, shrink=2), path)
    click.echo(f"faces: {', '.join(FACES)} -> {path}")


def _pack_avatar(pack: Pack) -> Path:
    ref = pack.avatar_ref()
    if ref is None:
        click.echo(f"error: {pack.root}: the pack has no avatars/<name>/avatar.yaml; give one with --avatar", err=True)
        sys.exit(EXIT_UNUSABLE)
    return ref.path.parent


__all__ = ["avatar_render"]
