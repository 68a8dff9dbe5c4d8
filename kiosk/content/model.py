"""The content pack as frozen dataclasses. Built only by :mod:`kiosk.content.loader`; raw dicts never travel inward."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kiosk.content.text import Text, TextList

# Fact keys with a known meaning; the mind has question patterns and answer templates for each.
TYPED_FACT_KEYS: tuple[str, ...] = (
    "period",
    "date",
    "creator",
    "material",
    "dimensions",
    "weight",
    "found_at",
    "found_in",
    "found_by",
    "held_by",
)

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Direction(StrEnum):
    """Where something is from the kiosk, as the visitor faces the screen; drives the pointing gesture."""

    LEFT = "left"
    RIGHT = "right"
    AHEAD = "ahead"
    BEHIND = "behind"
    UP = "up"
    DOWN = "down"
    NONE = "none"


@dataclass(frozen=True)
class Gallery:
    id: str
    number: int
    name: Text
    floor: int
    route: Text
    direction: Direction = Direction.NONE
    wing: str | None = None
    facilities: tuple[str, ...] = ()
    aliases: TextList = field(default_factory=TextList)
    """Other names visitors use ("calligraphy and painting gallery" for Brush and Ink)."""


@dataclass(frozen=True)
class Facility:
    id: str
    name: Text
    where: Text
    aliases: TextList = field(default_factory=TextList)
    direction: Direction = Direction.NONE
    floor: int | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    text: Text


@dataclass(frozen=True)
class Hours:
    open_days: tuple[str, ...]
    opens: str
    closes: str
    text: Text
    last_entry: str | None = None
    closed: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Tickets:
    text: Text
    price: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Speech:
    """How the guide speaks at this venue: a voice per language, rate and volume (``kiosk.voices`` and friends)."""

    voices: tuple[tuple[str, str], ...] = ()
    """(language, voice id) pairs: espeak-ng voice names on Linux, SAPI5 or macOS voice ids elsewhere."""
    rate: int = 165
    """Words per minute."""
    volume: int = 100
    """Percent of full volume."""

    def voice(self, language: str) -> str | None:
        return dict(self.voices).get(language)


@dataclass(frozen=True)
class Venue:
    id: str
    name: Text
    languages: tuple[str, ...]
    about: Text
    kiosk_floor: int
    kiosk_place: Text
    hours: Hours
    tickets: Tickets
    rules: tuple[Rule, ...]
    galleries: tuple[Gallery, ...]
    facilities: tuple[Facility, ...]
    speech: Speech = field(default_factory=Speech)
    avatar: str | None = None
    """``kiosk.avatar``: the avatar package the kiosk shows; None picks one (see :meth:`Pack.avatar_ref`)."""

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def gallery(self, gallery_id: str) -> Gallery | None:
        return next((g for g in self.galleries if g.id == gallery_id), None)

    def facility(self, facility_id: str) -> Facility | None:
        return next((f for f in self.facilities if f.id == facility_id), None)


@dataclass(frozen=True)
class Fact:
    key: str
    value: Text

    @property
    def typed(self) -> bool:
        return self.key in TYPED_FACT_KEYS


@dataclass(frozen=True)
class CuratedQuestion:
    asks: TextList
    answer: Text


@dataclass(frozen=True)
class Media:
    file: str
    """Path relative to the pack's ``exhibits/`` folder, e.g. ``media/houmuwu-ding.png``."""
    kind: str
    """``image`` or ``audio``."""
    caption: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Exhibit:
    id: str
    gallery: str
    name: Text
    summary: Text
    aliases: TextList = field(default_factory=TextList)
    story: tuple[Text, ...] = ()
    facts: tuple[Fact, ...] = ()
    questions: tuple[CuratedQuestion, ...] = ()
    media: tuple[Media, ...] = ()

    def fact(self, key: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key), None)


@dataclass(frozen=True)
class Phrases:
    """The venue's own lines (greeting, help, fallback ...) per language; the mind has defaults for the rest."""

    lines: tuple[tuple[str, tuple[Text, ...]], ...] = ()

    def get(self, key: str) -> tuple[Text, ...]:
        for name, texts in self.lines:
            if name == key:
                return texts
        return ()


@dataclass(frozen=True)
class AvatarRef:
    """An avatar package found in the pack: ``avatars/<name>/avatar.yaml``. Loaded fully by the avatar module."""

    name: str
    path: Path
    """The package's ``avatar.yaml``."""

    @property
    def folder(self) -> Path:
        return self.path.parent


@dataclass(frozen=True)
class Pack:
    root: Path
    venue: Venue
    exhibits: tuple[Exhibit, ...]
    phrases: Phrases
    avatars: tuple[AvatarRef, ...]
    fingerprint: str
    """Hash of every pack file that affects answers; the index is rebuilt when it changes."""

    @property
    def languages(self) -> tuple[str, ...]:
        return self.venue.languages

    def exhibit(self, exhibit_id: str) -> Exhibit | None:
        return self._by_id.get(exhibit_id)

    def avatar_ref(self) -> AvatarRef | None:
        """The avatar the kiosk shows: ``kiosk.avatar``, else ``docent`` when the pack has it, else the first by
        name; None when the pack has no avatars."""
        if self.venue.avatar:
            return next((a for a in self.avatars if a.name == self.venue.avatar), None)
        chosen = next((a for a in self.avatars if a.name == "docent"), None)
        return chosen or min(self.avatars, key=lambda a: a.name, default=None)

    @property
    def _by_id(self) -> dict[str, Exhibit]:
        cached: dict[str, Exhibit] | None = self.__dict__.get("_by_id_cache")
        if cached is None:
            cached = {e.id: e for e in self.exhibits}
            object.__setattr__(self, "_by_id_cache", cached)
        return cached


__all__ = [
    "TYPED_FACT_KEYS",
    "WEEKDAYS",
    "AvatarRef",
    "CuratedQuestion",
    "Direction",
    "Exhibit",
    "Facility",
    "Fact",
    "Gallery",
    "Hours",
    "Media",
    "Pack",
    "Phrases",
    "Rule",
    "Tickets",
    "Venue",
]
