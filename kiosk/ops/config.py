"""The kiosk's own settings: ``kiosk.yaml``, read once at start-up into a frozen :class:`KioskConfig`.

The file lives in the data folder (``data_dir()/kiosk.yaml``; ``DOCENT_HOME`` moves it). Without the file the
kiosk runs with defaults in a window, which is how a developer or a curator previews a pack; ``from_file`` tells
the app which case it is in. Every mistake in the file is a :class:`~kiosk.content.problems.Problem` naming the
file, the line and the field, and what would be valid; :class:`ConfigError` carries all of them at once, and a
configuration with errors is never applied in part.

Privacy: ``keep_audio`` is off by default and no visitor audio is ever written to disk. A technician may turn it on
for a short debugging session (recordings go under the data folder); turn it off again afterwards.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

from kiosk.content.problems import Problem, did_you_mean
from kiosk.content.yamlsrc import Y, describe, read_yaml
from kiosk.errors import DocentError
from kiosk.ops.paths import data_dir
from kiosk.ops.pinhash import hash_problem
from kiosk.sync.settings import SyncSettings, read_sync

CONFIG_NAME = "kiosk.yaml"
IDLE_TIMEOUT_RANGE = (10, 600)
RETENTION_RANGE = (1, 3650)
MAX_LOCATION_CHARS = 120
RENDER_SCALE_RANGE = (0.25, 1.0)
PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


class Orientation(StrEnum):
    AUTO = "auto"
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


class ViewMode(StrEnum):
    AUTO = "auto"
    """A native Panda3D window where the graphics driver allows it, else offscreen rendering."""
    NATIVE = "native"
    OFFSCREEN = "offscreen"


class ConfigError(DocentError):
    """``kiosk.yaml`` has mistakes; ``problems`` lists every one (file, line, field, what would be valid)."""

    code = "config-error"

    def __init__(self, path: Path, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"the kiosk configuration {path} has {count} problem{'s' if count != 1 else ''}; "
            f"fix {'them' if count != 1 else 'it'} and start the kiosk again:\n{lines}"
        )


@dataclass(frozen=True)
class KioskConfig:
    """Validated kiosk settings. Build with :func:`load_config`; the defaults are a windowed preview."""

    pack: Path | None = None
    """The content pack folder; None is the bundled demo venue."""
    language: str | None = None
    """The language the kiosk starts in (and returns to when idle); None is the venue's first language."""
    fullscreen: bool = False
    """Full screen without window decorations; true by default whenever ``kiosk.yaml`` exists."""
    orientation: Orientation = Orientation.AUTO
    idle_timeout_s: int = 45
    """Seconds without a visitor before the guide says goodbye and the screen returns to the start."""
    staff_pin: str | None = None
    """4 to 8 digits that open the staff panel; None means the panel only opens in a windowed preview."""
    hands_free: bool = False
    large_text: bool = False
    high_contrast: bool = False
    reduced_motion: bool = False
    volume: int | None = None
    """0 to 100; None is the pack's own volume."""
    microphone: str | int | None = None
    """An input device name (or part of one) or index; None is the system default."""
    speaker: str | int | None = None
    view: ViewMode = ViewMode.AUTO
    render_scale: float | None = None
    """Offscreen rendering resolution as a share of the window (0.25 to 1.0); None chooses by frame rate."""
    sync: SyncSettings | None = None
    """Where and how often the kiosk fetches its content (the ``sync:`` section); None: no sync."""
    location: str | None = None
    """Where this kiosk stands (e.g. "Hall A, by the north door"): shown to staff, in doctor and in reports."""
    languages: tuple[str, ...] | None = None
    """The venue languages this kiosk offers, in order; None offers all of the pack's languages."""
    staff_pin_hash: str | None = None
    """The staff PIN as a salted hash (``kiosk pin hash`` prints one); preferred over a plain ``staff_pin``."""
    log_questions: bool = True
    """Keep the text of visitors' questions in the interaction log; false keeps only counts, intents and times."""
    log_retention_days: int = 90
    """Interaction log rows older than this many days are deleted."""
    keep_audio: bool = False
    """Debugging only: keep recordings of what the microphone heard. Off by default: no visitor audio is ever
    written to disk unless a technician turns this on."""
    path: Path | None = None
    """The file these settings came from; None when there was no ``kiosk.yaml``."""
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    """The line of each key in the file, for later messages about a value (e.g. a language the pack lacks)."""

    @property
    def from_file(self) -> bool:
        return self.path is not None

    @property
    def preferred_language(self) -> str | None:
        """The language to start in as far as the file says (``language``, else the first of ``languages``)."""
        return self.language or (self.languages[0] if self.languages else None)

    def offered(self, languages: Sequence[str]) -> tuple[str, ...]:
        """The venue languages this kiosk offers: ``languages`` from the file (in its order), else all of them."""
        if not self.languages:
            return tuple(languages)
        return tuple(code for code in self.languages if code in languages) or tuple(languages)

    def start_language(self, languages: Sequence[str]) -> str:
        """The language to start in, given the venue's languages (the first offered one when none is configured)."""
        offered = self.offered(languages)
        if self.language and self.language in offered:
            return self.language
        return offered[0]

    def check_languages(self, languages: Sequence[str]) -> None:
        """Raise :class:`ConfigError` when ``language`` or ``languages`` name a language the pack lacks (known only
        after the pack loads)."""
        where = self.path or config_path()
        problems = []
        for code in self.languages or ():
            if code not in languages:
                problems.append(
                    Problem(
                        str(where),
                        self.lines.get("languages", 0),
                        "languages",
                        f"'{code}' is not one of this venue's languages.{did_you_mean(code, languages)} "
                        f"The venue has: {', '.join(languages)}",
                        code="unknown-language",
                    )
                )
        if self.language is not None and self.language not in languages:
            problems.append(
                Problem(
                    str(where),
                    self.lines.get("language", 0),
                    "language",
                    f"'{self.language}' is not one of this venue's languages.{did_you_mean(self.language, languages)} "
                    f"Use one of: {', '.join(languages)}, or remove the line to start in '{languages[0]}'",
                    code="unknown-language",
                )
            )
        if problems:
            raise ConfigError(where, problems)


def config_path() -> Path:
    """Where the kiosk looks for its configuration: ``data_dir()/kiosk.yaml``."""
    return data_dir() / CONFIG_NAME


def load_config(path: Path | None = None, *, required: bool = False) -> KioskConfig:
    """Read ``kiosk.yaml`` (``path``, or :func:`config_path` when None).

    A missing file gives the defaults (``from_file`` False), unless ``required`` (a path the technician named).
    Raises :class:`ConfigError` with every problem when the file has mistakes.
    """
    where = path or config_path()
    name = str(where)
    if not where.exists():
        if required:
            problem = Problem(name, 0, "", "the file does not exist; check the path", code="missing")
            raise ConfigError(where, [problem])
        return KioskConfig()
    problems: list[Problem] = []
    doc, raw = read_yaml(where, name, problems)
    if doc is None:
        raise ConfigError(where, problems)
    config = _Fields(where, raw, problems).read(doc)
    if problems or config is None:
        raise ConfigError(where, sorted(problems, key=lambda p: p.line))
    return config


# -- reading -------------------------------------------------------------------------------------------------

_BOOLS = ("fullscreen", "hands_free", "large_text", "high_contrast", "reduced_motion", "keep_audio", "log_questions")
KEYS = (
    "pack",
    "location",
    "language",
    "languages",
    "fullscreen",
    "orientation",
    "idle_timeout_s",
    "staff_pin",
    "staff_pin_hash",
    "hands_free",
    "large_text",
    "high_contrast",
    "reduced_motion",
    "volume",
    "microphone",
    "speaker",
    "view",
    "render_scale",
    "keep_audio",
    "log_questions",
    "log_retention_days",
    "sync",
)


class _Fields:
    """Reads the keys of one kiosk.yaml, collecting every problem."""

    def __init__(self, path: Path, raw: bytes, problems: list[Problem]) -> None:
        self.path = path
        self.name = str(path)
        self.raw = raw
        self.problems = problems

    def error(self, line: int, key: str, message: str, code: str = "invalid") -> None:
        self.problems.append(Problem(self.name, line, key, message, code=code))

    def read(self, doc: Y) -> KioskConfig | None:
        if not doc.is_map:
            self.error(
                doc.line, "", f"kiosk.yaml must be a map of 'key: value' lines, not {describe(doc)}", "wrong-type"
            )
            return None
        values: dict[str, Y] = doc.value
        for key in values:
            if key not in KEYS:
                self.error(
                    doc.key_lines.get(key, doc.line),
                    key,
                    f"unknown setting '{key}'.{did_you_mean(key, KEYS)} Valid settings: {', '.join(KEYS)}",
                    "unknown-key",
                )
        bools = {key: self.boolean(values.get(key), key) for key in _BOOLS}
        fullscreen = bools["fullscreen"]
        log_questions = bools["log_questions"]
        staff_pin = self.pin(values.get("staff_pin"))
        staff_pin_hash = self.pin_hash(values.get("staff_pin_hash"))
        if staff_pin is not None and staff_pin_hash is not None:
            self.error(
                values["staff_pin"].line,
                "staff_pin",
                "both staff_pin and staff_pin_hash are set; delete the staff_pin line (the hash is the safer one)",
                "two-pins",
            )
        language = self.language(values.get("language"))
        languages = self.languages(values.get("languages"))
        if language and languages and language not in languages:
            self.error(
                values["language"].line,
                "language",
                f"'{language}' is not one of this kiosk's languages ({', '.join(languages)}); "
                "add it to languages or remove the language line",
                "unknown-language",
            )
        return KioskConfig(
            pack=self.pack(values.get("pack")),
            location=self.location(values.get("location")),
            language=language,
            languages=languages,
            fullscreen=True if fullscreen is None else fullscreen,
            orientation=Orientation(self.choice(values.get("orientation"), "orientation", Orientation, "auto")),
            idle_timeout_s=self.integer(values.get("idle_timeout_s"), "idle_timeout_s", IDLE_TIMEOUT_RANGE, "seconds")
            or 45,
            staff_pin=staff_pin,
            staff_pin_hash=staff_pin_hash,
            hands_free=bool(bools["hands_free"]),
            large_text=bool(bools["large_text"]),
            high_contrast=bool(bools["high_contrast"]),
            reduced_motion=bool(bools["reduced_motion"]),
            volume=self.integer(values.get("volume"), "volume", (0, 100), "percent"),
            microphone=self.device(values.get("microphone"), "microphone"),
            speaker=self.device(values.get("speaker"), "speaker"),
            view=ViewMode(self.choice(values.get("view"), "view", ViewMode, "auto")),
            render_scale=self.scale(values.get("render_scale")),
            keep_audio=bool(bools["keep_audio"]),
            log_questions=True if log_questions is None else log_questions,
            log_retention_days=self.integer(
                values.get("log_retention_days"), "log_retention_days", RETENTION_RANGE, "days"
            )
            or 90,
            sync=read_sync(values["sync"], self.name, self.problems) if "sync" in values else None,
            path=self.path,
            lines=dict(doc.key_lines),
        )

    def boolean(self, y: Y | None, key: str) -> bool | None:
        if y is None or y.value is None:
            return None
        if not isinstance(y.value, bool):
            self.error(y.line, key, f"{key} must be true or false (without quotes), not {describe(y)}", "wrong-type")
            return None
        return y.value

    def choice(self, y: Y | None, key: str, choices: type[StrEnum], default: str) -> str:
        if y is None or y.value is None:
            return default
        options = [c.value for c in choices]
        if not isinstance(y.value, str) or y.value.strip().lower() not in options:
            shown = f"'{y.value}'" if isinstance(y.value, str) else describe(y)
            hint = did_you_mean(str(y.value), options)
            self.error(
                y.line, key, f"{shown} is not a valid {key}.{hint} Use one of: {', '.join(options)}", "bad-choice"
            )
            return default
        return y.value.strip().lower()

    def integer(self, y: Y | None, key: str, bounds: tuple[int, int], unit: str) -> int | None:
        if y is None or y.value is None:
            return None
        low, high = bounds
        if isinstance(y.value, bool) or not isinstance(y.value, int):
            self.error(
                y.line,
                key,
                f"{key} must be a whole number of {unit} from {low} to {high}, not {describe(y)}",
                "wrong-type",
            )
            return None
        if not low <= y.value <= high:
            self.error(y.line, key, f"{key} must be from {low} to {high} {unit}, not {y.value}", "out-of-range")
            return None
        value: int = y.value
        return value

    def scale(self, y: Y | None) -> float | None:
        if y is None or y.value is None:
            return None
        low, high = RENDER_SCALE_RANGE
        if isinstance(y.value, bool) or not isinstance(y.value, int | float) or not math.isfinite(y.value):
            self.error(
                y.line,
                "render_scale",
                f"render_scale must be a number from {low} to {high}, not {describe(y)}",
                "wrong-type",
            )
            return None
        if not low <= y.value <= high:
            self.error(
                y.line,
                "render_scale",
                f"render_scale must be from {low} to {high} (a share of the window's size), not {y.value}; "
                "remove the line to let the kiosk choose",
                "out-of-range",
            )
            return None
        return float(y.value)

    def pin(self, y: Y | None) -> str | None:
        if y is None or y.value is None:
            return None
        if isinstance(y.value, int) and not isinstance(y.value, bool):
            text = self._written(y) or str(y.value)  # 0123 is read by YAML as octal 83: use the digits as written
        elif isinstance(y.value, str):
            text = y.value.strip()
        else:
            text = ""
        if not PIN_PATTERN.match(text):
            shown = f"'{text}'" if text else describe(y)
            self.error(
                y.line,
                "staff_pin",
                f'staff_pin must be 4 to 8 digits (e.g. staff_pin: "4821"), not {shown}; '
                "put it in quotes if it starts with 0",
                "bad-pin",
            )
            return None
        return text

    def pin_hash(self, y: Y | None) -> str | None:
        if y is None or y.value is None:
            return None
        why = hash_problem(y.value) if isinstance(y.value, str) else f"it is {describe(y)}, not text"
        if why:
            self.error(
                y.line,
                "staff_pin_hash",
                f"staff_pin_hash is unusable: {why}. Run 'kiosk config pin-hash' and paste the line it prints",
                "bad-pin-hash",
            )
            return None
        text: str = y.value.strip()
        return text

    def location(self, y: Y | None) -> str | None:
        if y is None or y.value is None:
            return None
        if not isinstance(y.value, str | int | float) or isinstance(y.value, bool) or not str(y.value).strip():
            self.error(
                y.line, "location", f'location must be a short text such as "Hall A, north door", not {describe(y)}'
            )
            return None
        text = " ".join(str(y.value).split())
        if len(text) > MAX_LOCATION_CHARS:
            self.error(y.line, "location", f"location must be at most {MAX_LOCATION_CHARS} characters, not {len(text)}")
            return None
        return text

    def languages(self, y: Y | None) -> tuple[str, ...] | None:
        if y is None or y.value is None:
            return None
        items = y.value if isinstance(y.value, list) else None
        if not items:
            self.error(
                y.line,
                "languages",
                f"languages must be a list of language codes such as [zh, en, ko], not {describe(y)}; "
                "remove the line to offer all of the venue's languages",
                "wrong-type",
            )
            return None
        codes: list[str] = []
        for item in items:
            code = item.value.strip() if isinstance(item.value, str) else ""
            if not LANGUAGE_PATTERN.match(code):
                self.error(
                    item.line,
                    "languages",
                    f"{describe(item)} is not a language code; use codes such as zh, en or ko",
                    "bad-language",
                )
            elif code in codes:
                self.error(item.line, "languages", f"'{code}' is listed twice in languages", "duplicate")
            else:
                codes.append(code)
        return tuple(codes) if codes else None

    def _written(self, y: Y) -> str | None:
        """The staff_pin scalar exactly as written in the file (YAML turns 0123 into 83 and 12_34 into 1234)."""
        try:
            node = yaml.compose(self.raw.decode("utf-8").lstrip("\ufeff"), Loader=yaml.SafeLoader)
        except (yaml.YAMLError, UnicodeDecodeError):
            return None
        if not isinstance(node, yaml.MappingNode):
            return None
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == "staff_pin" and isinstance(value_node, yaml.ScalarNode):
                return str(value_node.value).strip()
        return None

    def device(self, y: Y | None, key: str) -> str | int | None:
        if y is None or y.value is None:
            return None
        if isinstance(y.value, str) and y.value.strip():
            return y.value.strip()
        if isinstance(y.value, int) and not isinstance(y.value, bool) and y.value >= 0:
            return y.value
        self.error(
            y.line,
            key,
            f"{key} must be a device name (or part of one), a device number from 0, or empty for the system default, "
            f"not {describe(y)}",
            "wrong-type",
        )
        return None

    def language(self, y: Y | None) -> str | None:
        if y is None or y.value is None:
            return None
        if not isinstance(y.value, str) or not LANGUAGE_PATTERN.match(y.value.strip()):
            self.error(
                y.line,
                "language",
                f"language must be a language code such as en, zh or ko, not {describe(y)}; "
                "remove the line to start in the venue's first language",
                "bad-language",
            )
            return None
        return y.value.strip()

    def pack(self, y: Y | None) -> Path | None:
        if y is None or y.value is None:
            return None
        if not isinstance(y.value, str) or not y.value.strip():
            self.error(
                y.line, "pack", f"pack must be the path of a content pack folder, not {describe(y)}", "wrong-type"
            )
            return None
        folder = Path(y.value.strip()).expanduser()
        if not folder.is_absolute():
            folder = self.path.parent / folder
        if not (folder / "content" / "venue.yaml").is_file():
            self.error(
                y.line,
                "pack",
                f"there is no content pack at {folder} (a pack is a folder with content/venue.yaml); check the path "
                "(relative paths start from the folder of kiosk.yaml), or remove the line to use the demo venue",
                "missing-pack",
            )
            return None
        return folder


EXAMPLE = """\
# kiosk.yaml: this kiosk's own settings. Every line is optional; delete a line to get its default.
pack: /srv/docent/packs/my-museum   # the content pack folder (default: the bundled demo venue)
location: "Hall A, north door"      # where this kiosk stands: shown to staff, in kiosk doctor and in reports
languages: [zh, en, ko]             # the venue languages this kiosk offers, in order (default: all of them)
language: en                        # the language the kiosk starts in (default: the first offered language)
fullscreen: true                    # full screen (default true whenever this file exists)
orientation: auto                   # auto | portrait | landscape
idle_timeout_s: 45                  # seconds without a visitor before the kiosk returns to the start (10-600)
# staff_pin_hash: "scrypt$16384$8$1$..."  # the staff PIN, hashed: paste the line 'kiosk config pin-hash' prints
# staff_pin: "4821"                 # or the PIN itself (4-8 digits, quoted); the hash is safer. Without either,
                                    # the staff panel cannot be opened on a full-screen kiosk
hands_free: false                   # listen without the talk button
large_text: false
high_contrast: false
reduced_motion: false
volume: null                        # 0-100, or null for the pack's volume
microphone: null                    # device name (or part of one) or number; null for the system default
speaker: null
view: auto                          # auto | native | offscreen
render_scale: null                  # 0.25-1.0 for offscreen rendering, or null to choose by frame rate
keep_audio: false                   # debugging only: never keep visitor audio in normal use
log_questions: true                 # keep the text of visitors' questions for reports (false: counts only)
log_retention_days: 90              # delete interaction log rows older than this (1-3650)
"""
"""A commented kiosk.yaml for technicians to start from (``pack`` must point at a real pack)."""


__all__ = [
    "CONFIG_NAME",
    "EXAMPLE",
    "KEYS",
    "ConfigError",
    "KioskConfig",
    "Orientation",
    "ViewMode",
    "config_path",
    "load_config",
]
