"""What the editor's forms show: every field of an exhibit and of the venue, in a curator's words.

Declarative, so the exhibit form and the venue's tabs are built by one form builder (forms.py). A field's ``key`` is
its YAML key inside the item it belongs to; its kind decides the widget:

text   one line per language            para   a paragraph per language
list   comma-separated names per language  lines  one entry per line, per language (visitors' phrasings)
plain  one value for all languages      int    a whole number          choice  one of a list
days   opening days (seven boxes)       media  the picture of a media entry, with a preview
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.content.loader import PHRASE_KEYS
from kiosk.content.model import TYPED_FACT_KEYS, WEEKDAYS, Direction

PER_LANGUAGE = ("text", "para", "list", "lines")
DIRECTIONS = tuple(d.value for d in Direction)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "text"
    help: str = ""
    choices: tuple[str, ...] | str = ()  # a tuple, or "galleries" for the venue's gallery ids

    @property
    def per_language(self) -> bool:
        return self.kind in PER_LANGUAGE


@dataclass(frozen=True)
class Group:
    """A list of items, each a small form of ``fields`` (story paragraphs, curated questions, galleries...)."""

    key: str
    label: str
    item: str
    fields: tuple[Field, ...]
    new: dict[str, Any] = field(default_factory=dict)
    help: str = ""


@dataclass(frozen=True)
class Facts:
    """The exhibit's facts: a map from a fact kind to its text in each language."""

    key: str = "facts"
    label: str = "Facts"
    help: str = (
        "Short answers the guide can give on their own: 'How heavy is it?' is answered from the weight. "
        "Use a typed kind where one fits."
    )


@dataclass(frozen=True)
class Section:
    label: str
    parts: tuple[Field | Group | Facts, ...]
    help: str = ""


Spec = tuple[Section, ...]

EXHIBIT_KEYS = ("id", "gallery", "name", "aliases", "summary", "story", "facts", "questions", "media")

EXHIBIT: Spec = (
    Section(
        "The exhibit",
        (
            Field("gallery", "Gallery", "choice", "Where visitors find it.", choices="galleries"),
            Field("name", "Name", "text", "What the label says. Visitors ask by this name."),
            Field(
                "aliases",
                "Other names",
                "list",
                "Other names visitors use, separated by commas: old names, short names, everyday words.",
            ),
            Field("summary", "Summary", "para", "Two or three sentences: the guide's first answer about it."),
        ),
    ),
    Section(
        "Story",
        (
            Group(
                "story",
                "Story paragraphs",
                "paragraph",
                (Field("", "Paragraph", "para"),),
                help="Told one paragraph at a time when a visitor says 'tell me more'.",
            ),
        ),
    ),
    Section("Facts", (Facts(),)),
    Section(
        "Curated questions",
        (
            Group(
                "questions",
                "Curated questions",
                "question",
                (
                    Field("ask", "Visitors ask", "lines", "Several ways of asking, one per line."),
                    Field("answer", "The guide answers", "para"),
                ),
                help="Questions the facts do not answer. Give several wordings: the guide matches the closest.",
            ),
        ),
    ),
    Section(
        "Pictures",
        (
            Group(
                "media",
                "Pictures",
                "picture",
                (Field("file", "Picture", "media"), Field("caption", "Caption", "text")),
                help="Shown on the exhibit's card. Add pictures with the button; they are copied into the pack.",
            ),
        ),
    ),
)

VENUE_KEYS = ("id", "languages", "name", "about", "kiosk", "hours", "tickets", "rules", "galleries", "facilities")

VENUE_TABS: tuple[tuple[str, Spec], ...] = (
    (
        "Venue",
        (
            Section(
                "The venue",
                (
                    Field("id", "Short name for kiosks", "plain", "Lower-case words joined by '-'; kiosks sync by it."),
                    Field("name", "Venue name", "text"),
                    Field("about", "About", "para", "What the guide says when asked what this place is."),
                ),
            ),
            Section(
                "This kiosk",
                (
                    Field("kiosk.place", "Where the kiosk stands", "text", "Used in directions: 'from ...'."),
                    Field("kiosk.floor", "Kiosk floor", "int"),
                    Field("kiosk.voices", "Voice", "text", "The speech voice for each language (espeak-ng names)."),
                    Field("kiosk.speech_rate", "Speaking rate", "int", "Words per minute; 150-180 is natural."),
                    Field("kiosk.volume", "Volume", "int", "0 to 100."),
                ),
            ),
        ),
    ),
    (
        "Hours and tickets",
        (
            Section(
                "Opening hours",
                (
                    Field("hours.open_days", "Open on", "days"),
                    Field("hours.opens", "Opens at", "plain", "24-hour time, like 09:00."),
                    Field("hours.closes", "Closes at", "plain"),
                    Field("hours.last_entry", "Last entry", "plain"),
                    Field("hours.text", "Opening hours, in words", "para"),
                    Field("hours.closed", "When closed, in words", "para"),
                ),
            ),
            Section(
                "Tickets",
                (Field("tickets.text", "Tickets, in words", "para"), Field("tickets.price", "Price", "text")),
            ),
        ),
    ),
    (
        "Rules",
        (
            Section(
                "House rules",
                (
                    Group(
                        "rules",
                        "Rules",
                        "rule",
                        (Field("id", "Short name", "plain", "photos, food, pets..."), Field("text", "Rule", "para")),
                        new={"id": "new-rule"},
                    ),
                ),
            ),
        ),
    ),
    (
        "Galleries",
        (
            Section(
                "Galleries",
                (
                    Group(
                        "galleries",
                        "Galleries",
                        "gallery",
                        (
                            Field("id", "Short name", "plain", "Lower-case words joined by '-'; exhibits refer to it."),
                            Field("number", "Number", "int"),
                            Field("floor", "Floor", "int"),
                            Field("wing", "Wing", "plain"),
                            Field("direction", "Direction from the kiosk", "choice", choices=DIRECTIONS),
                            Field("name", "Name", "text"),
                            Field("aliases", "Other names", "list"),
                            Field("route", "How to get there", "para"),
                        ),
                        new={"id": "new-gallery", "floor": 1},
                    ),
                ),
            ),
        ),
    ),
    (
        "Facilities",
        (
            Section(
                "Facilities",
                (
                    Group(
                        "facilities",
                        "Facilities",
                        "facility",
                        (
                            Field("id", "Short name", "plain", "restroom, cafe, exit..."),
                            Field("direction", "Direction from the kiosk", "choice", choices=DIRECTIONS),
                            Field("floor", "Floor", "int"),
                            Field("name", "Name", "text"),
                            Field("aliases", "Other names", "list", "Everyday words: toilet, loo, WC..."),
                            Field("where", "Where it is", "para"),
                        ),
                        new={"id": "new-facility"},
                    ),
                ),
            ),
        ),
    ),
)

PHRASE_LABELS = {
    "greeting": "Greeting",
    "goodbye": "Goodbye",
    "thanks": "Reply to thanks",
    "help": "What I can do",
    "fallback": "When I don't know",
    "clarify": "When I am not sure which one",
    "out_of_scope": "When it is not about the venue",
    "attract": "Attract screen",
}

PHRASES: Spec = (
    Section(
        "Phrases",
        tuple(Field(key, PHRASE_LABELS.get(key, key), "para") for key in PHRASE_KEYS),
        help="The guide's own lines. Leave one empty to use the built-in wording.",
    ),
)

FACT_KINDS = TYPED_FACT_KEYS
DAYS = WEEKDAYS
