"""What the mind returns, and the dialogue state it threads from one turn to the next."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Intent(StrEnum):
    EXHIBIT = "exhibit"
    DIRECTIONS = "directions"
    FACILITY = "facility"
    HOURS = "hours"
    TICKETS = "tickets"
    RULES = "rules"
    SOCIAL = "social"
    HELP = "help"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Answer:
    intent: Intent
    text: str
    language: str
    confidence: float
    exhibit: str | None = None
    facility: str | None = None
    gallery: str | None = None
    gesture: str = "none"
    """A suggestion for the avatar: none, wave, nod, point-left, point-right, point-up, point-ahead, point-behind."""
    reason: str = ""
    """Why this answer: 'curated', 'fact:weight', 'summary', 'story', 'out-of-scope', 'unsafe', 'clarify' ..."""
    suggestions: tuple[str, ...] = ()
    """Follow-up questions to offer as buttons, in the answer's language."""

    @property
    def answered(self) -> bool:
        return self.intent is not Intent.FALLBACK


@dataclass(frozen=True)
class DialogueState:
    """One visitor's conversation so far. ``DialogueState()`` is a new visitor."""

    exhibit: str | None = None
    """The exhibit under discussion; pronouns and ellipsis resolve to it."""
    language: str | None = None
    story_next: tuple[tuple[str, int], ...] = ()
    """For each exhibit talked about, the next story paragraph to tell on 'tell me more'."""
    options: tuple[str, ...] = ()
    """Exhibits offered in a clarifying question, resolved by the next turn."""
    turns: int = 0

    def next_paragraph(self, exhibit: str) -> int:
        return dict(self.story_next).get(exhibit, 0)

    def told(self, exhibit: str, paragraph: int) -> DialogueState:
        positions = dict(self.story_next)
        positions[exhibit] = paragraph + 1
        return replace(self, story_next=tuple(positions.items()))


@dataclass(frozen=True)
class Turn:
    answer: Answer
    state: DialogueState = field(default_factory=DialogueState)


__all__ = ["Answer", "DialogueState", "Intent", "Turn"]
