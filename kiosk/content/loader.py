"""Load a content pack folder into frozen dataclasses, reporting every problem at once.

``validate_pack(path)`` never raises for a bad pack: it returns a :class:`Report` with the pack (when usable) and
the problems. ``load_pack(path)`` returns the pack or raises :class:`PackInvalid` / :class:`PackUnusable`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.fields import ID_PATTERN, LANGUAGE_PATTERN, Reader
from kiosk.content.model import (
    TYPED_FACT_KEYS,
    WEEKDAYS,
    AvatarRef,
    CuratedQuestion,
    Direction,
    Exhibit,
    Facility,
    Fact,
    Gallery,
    Hours,
    Media,
    Pack,
    Phrases,
    Rule,
    Speech,
    Tickets,
    Venue,
)
from kiosk.content.problems import Problem, Severity, did_you_mean, errors_in, one_of, typo_of, warnings_in
from kiosk.content.text import Text
from kiosk.content.yamlsrc import Y, parse_yaml, read_yaml
from kiosk.errors import ContentError

MAX_MEDIA_BYTES = 50 * 1024 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
AUDIO_SUFFIXES = (".wav", ".ogg", ".mp3")
PHRASE_KEYS = ("greeting", "goodbye", "thanks", "help", "fallback", "clarify", "out_of_scope", "attract")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DIRECTIONS = tuple(d.value for d in Direction)


class PackUnusable(ContentError):
    """The path is not a content pack at all (missing, not a folder, no content/ or exhibits/)."""

    code = "pack-unusable"


class PackInvalid(ContentError):
    """The pack has errors; ``problems`` lists every one."""

    code = "pack-invalid"

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        errors = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__(f"the content pack has {len(errors)} error(s):\n" + "\n".join(str(p) for p in errors))
        self.problems = problems


@dataclass(frozen=True)
class Report:
    root: Path
    pack: Pack | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return errors_in(self.problems)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return warnings_in(self.problems)

    @property
    def ok(self) -> bool:
        return self.pack is not None and not self.errors


def load_pack(path: str | Path) -> Pack:
    report = validate_pack(path)
    if report.pack is None or report.errors:
        raise PackInvalid(report.problems)
    return report.pack


def validate_pack(path: str | Path, unsaved: Mapping[str, bytes | None] | None = None) -> Report:
    """Validate the pack in ``path``. ``unsaved`` maps pack-relative YAML paths (``exhibits/x.yaml``) to text that
    replaces the file on disk (the editor's unsaved changes), or to None for a file deleted but not yet saved."""
    root = Path(path).expanduser()
    if not root.exists():
        raise PackUnusable(f"{root}: no such folder. Give the folder that holds content/ and exhibits/")
    if not root.is_dir():
        raise PackUnusable(f"{root}: this is a file; a content pack is a folder holding content/ and exhibits/")
    if not (root / "content").is_dir() and not (root / "exhibits").is_dir():
        raise PackUnusable(
            f"{root}: not a content pack (it has neither content/ nor exhibits/). "
            "Create one with 'kiosk pack new FOLDER'"
        )
    return _PackLoader(root.resolve(), unsaved or {}).run()


class _PackLoader:
    def __init__(self, root: Path, unsaved: Mapping[str, bytes | None]) -> None:
        self.root = root
        self.unsaved = unsaved
        self.problems: list[Problem] = []
        self.digest = hashlib.sha256()
        self._ref_lines: dict[tuple[int, int], int] = {}
        self._avatar_line = 0

    # -- whole pack ------------------------------------------------------------------------------------------

    def run(self) -> Report:
        venue_y = self._read("content/venue.yaml", required=True)
        languages = self._languages(venue_y)
        venue = self._venue(venue_y, languages) if venue_y is not None else None
        phrases = self._phrases(languages)
        exhibits = self._exhibits(languages, venue)
        avatars = self._avatars()
        if venue is not None and venue.avatar:
            self._check_avatar_choice(venue.avatar, avatars)
        pack = None
        if venue is not None:
            pack = Pack(self.root, venue, exhibits, phrases, avatars, self.digest.hexdigest())
        order = {Severity.ERROR: 0, Severity.WARNING: 1}
        problems = sorted(self.problems, key=lambda p: (order[p.severity], p.file, p.line))
        return Report(self.root, pack, tuple(problems))

    def _read(self, rel: str, *, required: bool = False) -> Y | None:
        path = self.root / rel
        if rel in self.unsaved:
            raw = self.unsaved[rel]
            if raw is not None:
                self.digest.update(rel.encode() + b"\0" + hashlib.sha256(raw).digest())
                return parse_yaml(raw, rel, self.problems)
        if rel in self.unsaved or not path.is_file():
            if required:
                self.problems.append(
                    Problem(
                        rel,
                        0,
                        "",
                        f"missing file; every pack needs {rel} (see docs/content-packs.md)",
                        code="missing-file",
                    )
                )
            return None
        y, raw = read_yaml(path, rel, self.problems)
        self.digest.update(rel.encode() + b"\0" + hashlib.sha256(raw).digest())
        return y

    def _languages(self, venue_y: Y | None) -> tuple[str, ...]:
        reader = Reader("content/venue.yaml", ("en",), self.problems)
        if venue_y is None or not venue_y.is_map or "languages" not in venue_y.value:
            if venue_y is not None and venue_y.is_map:
                reader.error(
                    venue_y.line,
                    "languages",
                    "missing required field 'languages', e.g. 'languages: [zh, en, ko]'",
                    "missing-field",
                )
            return ("en",)
        langs_y: Y = venue_y.value["languages"]
        found: list[str] = []
        for i, item in enumerate(reader.items(langs_y, "languages", what="languages")):
            code = reader.string(item, f"languages[{i + 1}]", what="a language code")
            if not LANGUAGE_PATTERN.match(code):
                reader.error(
                    item.line, f"languages[{i + 1}]", f"'{code}' is not a language code; use codes such as zh, en, ko"
                )
            elif code in found:
                reader.error(item.line, f"languages[{i + 1}]", f"'{code}' is listed twice")
            else:
                found.append(code)
        if not found:
            reader.error(langs_y.line, "languages", "list at least one language, e.g. 'languages: [zh, en, ko]'")
            return ("en",)
        return tuple(found)

    # -- venue -----------------------------------------------------------------------------------------------

    def _venue(self, y: Y, languages: tuple[str, ...]) -> Venue | None:
        r = Reader("content/venue.yaml", languages, self.problems)
        top = r.mapping(
            y,
            "",
            ("id", "languages", "name", "hours", "tickets", "galleries"),
            ("about", "kiosk", "rules", "facilities"),
            what="content/venue.yaml",
        )
        if top is None:
            return None
        kiosk_floor, kiosk_place, speech, avatar = 1, Text(), Speech(), None
        if "kiosk" in top:
            k = r.mapping(
                top["kiosk"],
                "kiosk",
                ("floor",),
                ("place", "voices", "speech_rate", "volume", "avatar"),
                what="the kiosk",
            )
            if k is not None:
                kiosk_floor = r.integer(k.get("floor"), "kiosk.floor", what="the kiosk's floor") or 1
                kiosk_place = r.text(k.get("place"), "kiosk.place", what="the kiosk's place")
                speech = self._speech(r, k, languages)
                avatar = r.string(k.get("avatar"), "kiosk.avatar", what="the avatar's name") or None
                self._avatar_line = k["avatar"].line if avatar else 0
        galleries = self._galleries(r, top.get("galleries"))
        facilities = self._facilities(r, top.get("facilities"))
        self._check_gallery_facilities(r, galleries, facilities)
        return Venue(
            id=r.identifier(top.get("id"), "id", what="venue id"),
            name=r.text(top.get("name"), "name", what="the venue name"),
            languages=languages,
            about=r.text(top.get("about"), "about", what="the venue description", partial=True),
            kiosk_floor=kiosk_floor,
            kiosk_place=kiosk_place,
            hours=self._hours(r, top.get("hours")),
            tickets=self._tickets(r, top.get("tickets")),
            rules=self._rules(r, top.get("rules")),
            galleries=galleries,
            facilities=facilities,
            speech=speech,
            avatar=avatar,
        )

    def _speech(self, r: Reader, k: dict[str, Y], languages: tuple[str, ...]) -> Speech:
        voices: list[tuple[str, str]] = []
        if "voices" in k:
            m = r.mapping(k["voices"], "kiosk.voices", (), languages, what="the voice for each language")
            for language, value in (m or {}).items():
                if language in languages:
                    voice = r.string(value, f"kiosk.voices.{language}", what="a voice name")
                    if voice:
                        voices.append((language, voice))
        rate = r.integer(k.get("speech_rate"), "kiosk.speech_rate", what="the speech rate (words a minute)", minimum=80)
        if rate is not None and rate > 400:
            y = k["speech_rate"]
            r.error(y.line, "kiosk.speech_rate", f"the speech rate must be 400 words a minute or less, not {rate}")
            rate = None
        volume = r.integer(k.get("volume"), "kiosk.volume", what="the volume (percent)", minimum=0)
        if volume is not None and volume > 100:
            r.error(k["volume"].line, "kiosk.volume", f"the volume is a percentage from 0 to 100, not {volume}")
            volume = None
        return Speech(tuple(voices), rate or Speech.rate, 100 if volume is None else volume)

    def _hours(self, r: Reader, y: Y | None) -> Hours:
        empty = Hours((), "", "", Text())
        if y is None:
            return empty
        h = r.mapping(
            y, "hours", ("open_days", "opens", "closes", "text"), ("last_entry", "closed"), what="opening hours"
        )
        if h is None:
            return empty
        days: list[str] = []
        if "open_days" in h:
            for i, d in enumerate(r.items(h["open_days"], "hours.open_days", what="open_days")):
                days.append(r.choice(d, f"hours.open_days[{i + 1}]", WEEKDAYS, what="day", default=""))
        times = {}
        for key in ("opens", "closes", "last_entry"):
            value = r.string(h.get(key), f"hours.{key}", what="a time")
            if value and not _TIME.match(value):
                r.error(
                    h[key].line, f"hours.{key}", f"'{value}' is not a time; write it as HH:MM in quotes, e.g. \"09:00\""
                )
            times[key] = value
        return Hours(
            open_days=tuple(d for d in days if d),
            opens=times["opens"],
            closes=times["closes"],
            last_entry=times["last_entry"] or None,
            text=r.text(h.get("text"), "hours.text", what="the opening hours text"),
            closed=r.text(h.get("closed"), "hours.closed", what="the closing days text"),
        )

    def _tickets(self, r: Reader, y: Y | None) -> Tickets:
        if y is None:
            return Tickets(Text())
        t = r.mapping(y, "tickets", ("text",), ("price",), what="tickets")
        if t is None:
            return Tickets(Text())
        return Tickets(
            text=r.text(t.get("text"), "tickets.text", what="the tickets text"),
            price=r.text(t.get("price"), "tickets.price", what="the ticket price"),
        )

    def _rules(self, r: Reader, y: Y | None) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(r.items(y, "rules", what="rules") if y else []):
            path = f"rules[{i + 1}]"
            m = r.mapping(item, path, ("id", "text"), what="a rule")
            if m is None:
                continue
            rule_id = r.identifier(m.get("id"), f"{path}.id", what="rule id")
            self._unique(r, seen, rule_id, item.line, f"{path}.id", "rule")
            rules.append(Rule(rule_id, r.text(m.get("text"), f"{path}.text", what="the rule text")))
        return tuple(rules)

    def _galleries(self, r: Reader, y: Y | None) -> tuple[Gallery, ...]:
        galleries: list[Gallery] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(r.items(y, "galleries", what="galleries") if y else []):
            path = f"galleries[{i + 1}]"
            m = r.mapping(
                item,
                path,
                ("id", "name", "floor", "route"),
                ("number", "wing", "direction", "facilities", "aliases"),
                what="a gallery",
            )
            if m is None:
                continue
            gallery_id = r.identifier(m.get("id"), f"{path}.id", what="gallery id")
            self._unique(r, seen, gallery_id, item.line, f"{path}.id", "gallery")
            refs = r.items(m["facilities"], f"{path}.facilities", what="facilities") if "facilities" in m else []
            facilities = tuple(
                r.string(f, f"{path}.facilities[{j + 1}]", what="a facility id") for j, f in enumerate(refs)
            )
            for j, ref in enumerate(refs):
                self._ref_lines[(i, j)] = ref.line
            galleries.append(
                Gallery(
                    id=gallery_id,
                    number=r.integer(m.get("number"), f"{path}.number", what="the gallery number", minimum=0) or i + 1,
                    name=r.text(m.get("name"), f"{path}.name", what="the gallery name"),
                    floor=r.integer(m.get("floor"), f"{path}.floor", what="the floor") or 0,
                    route=r.text(m.get("route"), f"{path}.route", what="the way to the gallery"),
                    direction=Direction(
                        r.choice(m.get("direction"), f"{path}.direction", _DIRECTIONS, what="direction", default="none")
                    ),
                    wing=r.string(m.get("wing"), f"{path}.wing") or None,
                    facilities=facilities,
                    aliases=r.text_list(
                        m.get("aliases"), f"{path}.aliases", what="the gallery's other names", partial=True
                    ),
                )
            )
        return tuple(galleries)

    def _facilities(self, r: Reader, y: Y | None) -> tuple[Facility, ...]:
        facilities: list[Facility] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(r.items(y, "facilities", what="facilities") if y else []):
            path = f"facilities[{i + 1}]"
            m = r.mapping(item, path, ("id", "name", "where"), ("aliases", "direction", "floor"), what="a facility")
            if m is None:
                continue
            facility_id = r.identifier(m.get("id"), f"{path}.id", what="facility id")
            self._unique(r, seen, facility_id, item.line, f"{path}.id", "facility")
            facilities.append(
                Facility(
                    id=facility_id,
                    name=r.text(m.get("name"), f"{path}.name", what="the facility name"),
                    where=r.text(m.get("where"), f"{path}.where", what="where the facility is"),
                    aliases=r.text_list(
                        m.get("aliases"), f"{path}.aliases", what="the facility's other names", partial=True
                    ),
                    direction=Direction(
                        r.choice(m.get("direction"), f"{path}.direction", _DIRECTIONS, what="direction", default="none")
                    ),
                    floor=r.integer(m.get("floor"), f"{path}.floor", what="the floor"),
                )
            )
        return tuple(facilities)

    def _check_gallery_facilities(
        self, r: Reader, galleries: tuple[Gallery, ...], facilities: tuple[Facility, ...]
    ) -> None:
        known = [f.id for f in facilities]
        for i, gallery in enumerate(galleries):
            for j, facility_id in enumerate(gallery.facilities):
                if facility_id and facility_id not in known:
                    r.error(
                        self._ref_lines.get((i, j), 0),
                        f"galleries[{i + 1}].facilities[{j + 1}]",
                        f"unknown facility '{facility_id}'.{did_you_mean(facility_id, known)} "
                        f"Facilities in this venue: {one_of(known)}",
                        "unknown-reference",
                    )

    def _unique(self, r: Reader, seen: dict[str, int], item_id: str, line: int, path: str, what: str) -> None:
        if not item_id:
            return
        if item_id in seen:
            r.error(
                line,
                path,
                f"duplicate {what} id '{item_id}' (also on line {seen[item_id]}); ids must be unique",
                "duplicate-id",
            )
        else:
            seen[item_id] = line

    # -- phrases ---------------------------------------------------------------------------------------------

    def _phrases(self, languages: tuple[str, ...]) -> Phrases:
        y = self._read("content/phrases.yaml")
        if y is None:
            return Phrases()
        r = Reader("content/phrases.yaml", languages, self.problems)
        m = r.mapping(y, "", (), PHRASE_KEYS, what="content/phrases.yaml")
        if m is None:
            return Phrases()
        lines: list[tuple[str, tuple[Text, ...]]] = []
        for key, value in m.items():
            if key not in PHRASE_KEYS:
                continue
            entries = value.value if value.is_list else [value]
            texts = tuple(
                r.text(entry, f"{key}[{i + 1}]" if value.is_list else key, what=f"the '{key}' line", partial=True)
                for i, entry in enumerate(entries)
            )
            lines.append((key, texts))
        return Phrases(tuple(lines))

    # -- exhibits --------------------------------------------------------------------------------------------

    def _exhibits(self, languages: tuple[str, ...], venue: Venue | None) -> tuple[Exhibit, ...]:
        folder = self.root / "exhibits"
        if not folder.is_dir():
            self.problems.append(
                Problem(
                    "exhibits", 0, "", "missing folder; exhibits/ holds one YAML file per exhibit", code="missing-file"
                )
            )
            return ()
        exhibits: list[Exhibit] = []
        seen: dict[str, str] = {}
        for path in self._exhibit_files(folder):
            if path.suffix.lower() == ".yml":
                self.problems.append(
                    Problem(
                        f"exhibits/{path.name}", 0, "", "exhibit files must end in .yaml; rename it", code="bad-name"
                    )
                )
                continue
            if path.suffix.lower() != ".yaml" or not (path.is_file() or f"exhibits/{path.name}" in self.unsaved):
                continue
            rel = f"exhibits/{path.name}"
            y = self._read(rel)
            if y is None:
                continue
            exhibit = self._exhibit(y, rel, path.stem, languages, venue)
            if exhibit is None:
                continue
            if exhibit.id in seen:
                self.problems.append(
                    Problem(
                        rel,
                        _line(y, "id"),
                        "id",
                        f"duplicate exhibit id '{exhibit.id}', also used in {seen[exhibit.id]}; ids must be unique",
                        code="duplicate-id",
                    )
                )
                continue
            seen[exhibit.id] = rel
            exhibits.append(exhibit)
        self._hash_media()
        return tuple(exhibits)

    def _exhibit_files(self, folder: Path) -> list[Path]:
        """The exhibit files on disk, plus unsaved new ones, minus unsaved deletions."""
        paths = {p.name: p for p in folder.iterdir()}
        for rel, raw in self.unsaved.items():
            head, _, name = rel.partition("/")
            if head == "exhibits" and "/" not in name:
                if raw is None:
                    paths.pop(name, None)
                else:
                    paths[name] = folder / name
        return [paths[name] for name in sorted(paths)]

    def _exhibit(self, y: Y, rel: str, stem: str, languages: tuple[str, ...], venue: Venue | None) -> Exhibit | None:
        r = Reader(rel, languages, self.problems)
        galleries = [g.id for g in venue.galleries] if venue else []
        m = r.mapping(
            y,
            "",
            ("id", "gallery", "name", "summary"),
            ("aliases", "story", "facts", "questions", "media"),
            what="an exhibit",
            hints={"gallery": f"use one of the venue's galleries: {one_of(galleries)}" if galleries else ""},
        )
        if m is None:
            return None
        exhibit_id = r.identifier(m.get("id"), "id", what="exhibit id")
        if exhibit_id and exhibit_id != stem:
            r.error(
                _line(y, "id"),
                "id",
                f"the id '{exhibit_id}' does not match the file name; rename the file to {exhibit_id}.yaml "
                f"or change the id to '{stem}'",
                "id-mismatch",
            )
        gallery = r.string(m.get("gallery"), "gallery", what="the gallery id")
        if gallery and venue is not None and gallery not in galleries:
            r.error(
                _line(y, "gallery"),
                "gallery",
                f"unknown gallery '{gallery}'.{did_you_mean(gallery, galleries)} "
                f"Galleries in content/venue.yaml: {one_of(galleries)}",
                "unknown-reference",
            )
        story = (
            tuple(
                r.text(p, f"story[{i + 1}]", what="a story paragraph", partial=True)
                for i, p in enumerate(r.items(m["story"], "story", what="story"))
            )
            if "story" in m
            else ()
        )
        return Exhibit(
            id=exhibit_id or stem,
            gallery=gallery,
            name=r.text(m.get("name"), "name", what="the exhibit name"),
            summary=r.text(m.get("summary"), "summary", what="the summary"),
            aliases=r.text_list(m.get("aliases"), "aliases", what="the other names"),
            story=story,
            facts=self._facts(r, m.get("facts")),
            questions=self._questions(r, m.get("questions")),
            media=self._media(r, m.get("media")),
        )

    def _facts(self, r: Reader, y: Y | None) -> tuple[Fact, ...]:
        if y is None:
            return ()
        m = r.mapping(y, "facts", (), what="facts", extra_keys_ok=True)
        if m is None:
            return ()
        facts: list[Fact] = []
        for key, value in m.items():
            line = y.key_lines.get(key, y.line)
            if key not in TYPED_FACT_KEYS:
                near = typo_of(key, TYPED_FACT_KEYS)
                if near:
                    r.error(
                        line,
                        f"facts.{key}",
                        f"unknown fact key '{key}'. Did you mean '{near}'? "
                        f"Typed fact keys: {', '.join(TYPED_FACT_KEYS)}; a free key must not look like one of them",
                        "unknown-key",
                    )
                    continue
                if not ID_PATTERN.match(key.replace("_", "-")):
                    r.error(
                        line,
                        f"facts.{key}",
                        f"'{key}' is not a valid fact key: use lower-case words joined by '_', e.g. 'stone_lions'",
                        "bad-id",
                    )
                    continue
            facts.append(Fact(key, r.text(value, f"facts.{key}", what=f"the fact '{key}'")))
        return tuple(facts)

    def _questions(self, r: Reader, y: Y | None) -> tuple[CuratedQuestion, ...]:
        questions: list[CuratedQuestion] = []
        for i, item in enumerate(r.items(y, "questions", what="questions") if y else []):
            path = f"questions[{i + 1}]"
            m = r.mapping(item, path, ("ask", "answer"), what="a curated question")
            if m is None:
                continue
            questions.append(
                CuratedQuestion(
                    asks=r.text_list(m.get("ask"), f"{path}.ask", what="the question's phrasings", partial=True),
                    answer=r.text(m.get("answer"), f"{path}.answer", what="the answer", partial=True),
                )
            )
        return tuple(questions)

    def _media(self, r: Reader, y: Y | None) -> tuple[Media, ...]:
        media: list[Media] = []
        for i, item in enumerate(r.items(y, "media", what="media") if y else []):
            path = f"media[{i + 1}]"
            m = r.mapping(item, path, ("file",), ("caption",), what="a media entry")
            if m is None:
                continue
            file = r.string(m.get("file"), f"{path}.file", what="the media file")
            line = m["file"].line if "file" in m else item.line
            kind = self._check_media_file(r, file, line, f"{path}.file")
            if kind:
                media.append(
                    Media(file, kind, r.text(m.get("caption"), f"{path}.caption", what="the caption", partial=True))
                )
        return tuple(media)

    def _check_media_file(self, r: Reader, file: str, line: int, path: str) -> str:
        if not file:
            return ""
        rel = Path(file)
        if rel.is_absolute() or ".." in rel.parts or "\\" in file:
            r.error(line, path, f"'{file}' must be a path inside exhibits/, such as media/photo.png", "bad-path")
            return ""
        suffix = rel.suffix.lower()
        if suffix not in IMAGE_SUFFIXES + AUDIO_SUFFIXES:
            r.error(
                line,
                path,
                f"'{file}' is not a supported media file; use an image "
                f"({', '.join(IMAGE_SUFFIXES)}) or narration audio ({', '.join(AUDIO_SUFFIXES)})",
                "bad-media",
            )
            return ""
        target = self.root / "exhibits" / rel
        if not target.is_file():
            folder = target.parent
            names = (
                [p.relative_to(self.root / "exhibits").as_posix() for p in folder.glob("*")] if folder.is_dir() else []
            )
            r.error(
                line,
                path,
                f"media file exhibits/{file} does not exist.{did_you_mean(file, names)} "
                "Put the file in exhibits/media/ and give its name here",
                "missing-media",
            )
            return ""
        size = target.stat().st_size
        if size > MAX_MEDIA_BYTES:
            r.error(
                line,
                path,
                f"exhibits/{file} is {size // (1024 * 1024)} MB, over the "
                f"{MAX_MEDIA_BYTES // (1024 * 1024)} MB limit for one media file; make it smaller",
                "too-large",
            )
            return ""
        return "image" if suffix in IMAGE_SUFFIXES else "audio"

    def _hash_media(self) -> None:
        media = self.root / "exhibits" / "media"
        if not media.is_dir():
            return
        for path in sorted(media.rglob("*")):
            if path.is_file():
                stat = path.stat()
                rel = path.relative_to(self.root).as_posix()
                self.digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())

    # -- avatars ---------------------------------------------------------------------------------------------

    def _avatars(self) -> tuple[AvatarRef, ...]:
        # Imported here: kiosk.avatar.package reads YAML with this package's helpers (an import cycle otherwise).
        from kiosk.avatar.package import MANIFEST, validate_avatar

        folder = self.root / "avatars"
        if not folder.is_dir():
            return ()
        found: list[AvatarRef] = []
        for sub in sorted(folder.iterdir()):
            if not sub.is_dir() or sub.name.startswith((".", "_")):
                continue
            manifest = sub / MANIFEST
            rel = f"avatars/{sub.name}/{MANIFEST}"
            if not manifest.is_file():
                self.problems.append(
                    Problem(
                        f"avatars/{sub.name}",
                        0,
                        "",
                        f"this folder has no {MANIFEST}, so the kiosk ignores it; an avatar package is a folder with "
                        f"{MANIFEST} and a .glb model (see docs/avatars.md)",
                        Severity.WARNING,
                        "missing-file",
                    )
                )
                continue
            try:
                raw = manifest.read_bytes()
            except OSError:
                raw = b""
            self.digest.update(rel.encode() + b"\0" + hashlib.sha256(raw).digest())
            self.problems.extend(validate_avatar(sub, rel))
            found.append(AvatarRef(sub.name, manifest))
        return tuple(found)

    def _check_avatar_choice(self, name: str, avatars: tuple[AvatarRef, ...]) -> None:
        names = [a.name for a in avatars]
        if name in names:
            return
        have = (
            f"Avatars in this pack: {one_of(names)}"
            if names
            else "This pack has no avatars; add a folder avatars/<name>/ with avatar.yaml and a .glb model"
        )
        self.problems.append(
            Problem(
                "content/venue.yaml",
                self._avatar_line,
                "kiosk.avatar",
                f"unknown avatar '{name}'.{did_you_mean(name, names)} {have} (see docs/avatars.md)",
                code="unknown-reference",
            )
        )


def _line(y: Y, key: str) -> int:
    return y.key_lines.get(key, y.line) if y.is_map else y.line


__all__ = ["MAX_MEDIA_BYTES", "PackInvalid", "PackUnusable", "Report", "load_pack", "validate_pack"]
