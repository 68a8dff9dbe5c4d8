"""Multilingual text values: every human-readable field in a pack is a map from language code to text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """Text in several languages, immutable. ``Text.of({"en": "Hello", "zh": "你好"})``."""

    items: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Text:
        return cls(tuple(values.items()))

    def get(self, language: str) -> str | None:
        for lang, value in self.items:
            if lang == language:
                return value
        return None

    def pick(self, language: str, fallbacks: Iterable[str] = ()) -> tuple[str, str]:
        """The text in ``language``, else in the first fallback that has one, else any. Returns (text, language)."""
        for lang in (language, *fallbacks):
            value = self.get(lang)
            if value:
                return value, lang
        for lang, value in self.items:
            if value:
                return value, lang
        return "", language

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.items)

    def values(self) -> Iterator[tuple[str, str]]:
        return iter(self.items)

    def __bool__(self) -> bool:
        return any(value for _, value in self.items)


@dataclass(frozen=True)
class TextList:
    """Lists of phrases per language, e.g. aliases or the phrasings of a curated question."""

    items: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def of(cls, values: Mapping[str, Iterable[str]]) -> TextList:
        return cls(tuple((lang, tuple(texts)) for lang, texts in values.items()))

    def get(self, language: str) -> tuple[str, ...]:
        for lang, texts in self.items:
            if lang == language:
                return texts
        return ()

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.items)

    def values(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        return iter(self.items)

    def all(self) -> Iterator[tuple[str, str]]:
        """Every (language, phrase) pair."""
        for lang, texts in self.items:
            for text in texts:
                yield lang, text


__all__ = ["Text", "TextList"]
