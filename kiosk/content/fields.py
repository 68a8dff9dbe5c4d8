"""Typed field readers used by the pack loader: each turns a located YAML value into a typed value or a Problem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kiosk.content.problems import Problem, Severity, did_you_mean, one_of
from kiosk.content.text import Text, TextList
from kiosk.content.yamlsrc import Y, describe

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


@dataclass
class Reader:
    """Reads the fields of one file, collecting every problem instead of stopping at the first."""

    file: str
    languages: tuple[str, ...]
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, path: str, message: str, code: str = "invalid") -> None:
        self.problems.append(Problem(self.file, line, path, message, Severity.ERROR, code))

    def warn(self, line: int, path: str, message: str, code: str = "warning") -> None:
        self.problems.append(Problem(self.file, line, path, message, Severity.WARNING, code))

    # -- structure -------------------------------------------------------------------------------------------

    def mapping(
        self,
        y: Y,
        path: str,
        required: Sequence[str],
        optional: Sequence[str] = (),
        *,
        what: str = "this section",
        hints: dict[str, str] | None = None,
        extra_keys_ok: bool = False,
    ) -> dict[str, Y] | None:
        """Check that ``y`` is a map with the ``required`` keys and no keys outside ``required + optional``."""
        if not y.is_map:
            self.error(y.line, path, f"{what} must be a map of 'key: value' lines, not {describe(y)}", "wrong-type")
            return None
        values: dict[str, Y] = y.value
        allowed = (*required, *optional)
        if not extra_keys_ok:
            for key in values:
                if key not in allowed:
                    self.error(
                        y.key_lines.get(key, y.line),
                        _join(path, key),
                        f"unknown key '{key}'.{did_you_mean(key, allowed)} Valid keys here: {', '.join(allowed)}",
                        "unknown-key",
                    )
        for key in required:
            if key not in values or values[key].value is None:
                hint = (hints or {}).get(key, "")
                self.error(
                    y.line,
                    _join(path, key),
                    f"missing required field '{key}' in {what}{'; ' + hint if hint else ''}",
                    "missing-field",
                )
        return values

    def items(self, y: Y, path: str, *, what: str) -> list[Y]:
        if y.value is None:
            return []
        if not y.is_list:
            self.error(
                y.line, path, f"{what} must be a list (lines starting with '- '), not {describe(y)}", "wrong-type"
            )
            return []
        items: list[Y] = y.value
        return items

    # -- scalars ---------------------------------------------------------------------------------------------

    def string(self, y: Y | None, path: str, *, what: str = "this field") -> str:
        if y is None or y.value is None:
            return ""
        if isinstance(y.value, bool) or not isinstance(y.value, str | int | float):
            self.error(y.line, path, f"{what} must be text, not {describe(y)}", "wrong-type")
            return ""
        return str(y.value).strip()

    def identifier(self, y: Y | None, path: str, *, what: str) -> str:
        value = self.string(y, path, what=what)
        if value and not ID_PATTERN.match(value):
            line = y.line if y else 0
            suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
            self.error(
                line,
                path,
                f"'{value}' is not a valid {what}: use lower-case letters, digits and single hyphens, "
                f"e.g. '{suggestion or 'my-exhibit'}'",
                "bad-id",
            )
        return value

    def integer(self, y: Y | None, path: str, *, what: str, minimum: int | None = None) -> int | None:
        if y is None or y.value is None:
            return None
        if isinstance(y.value, bool) or not isinstance(y.value, int):
            self.error(y.line, path, f"{what} must be a whole number, not {describe(y)}", "wrong-type")
            return None
        if minimum is not None and y.value < minimum:
            self.error(y.line, path, f"{what} must be {minimum} or more, not {y.value}", "out-of-range")
            return None
        value: int = y.value
        return value

    def choice(self, y: Y | None, path: str, choices: Iterable[str], *, what: str, default: str) -> str:
        if y is None or y.value is None:
            return default
        value = self.string(y, path, what=what)
        options = list(choices)
        if value and value not in options:
            self.error(
                y.line,
                path,
                f"'{value}' is not a valid {what}.{did_you_mean(value, options)} Use one of: {', '.join(options)}",
                "bad-choice",
            )
            return default
        return value or default

    # -- multilingual ----------------------------------------------------------------------------------------

    def text(self, y: Y | None, path: str, *, what: str, partial: bool = False) -> Text:
        """A map from language to text. ``partial`` fields may miss languages (a warning, the guide falls back)."""
        if y is None or y.value is None:
            return Text()
        if isinstance(y.value, str):
            self.error(
                y.line,
                path,
                f"{what} must give the text per language, e.g. '{self.languages[0]}: ...' on its own line for each of "
                f"{', '.join(self.languages)}",
                "not-multilingual",
            )
            return Text()
        values = self.mapping(y, path, (), what=what, extra_keys_ok=True)
        if values is None:
            return Text()
        out: dict[str, str] = {}
        for lang, item in values.items():
            line = y.key_lines.get(lang, y.line)
            if lang not in self.languages:
                self._unknown_language(line, _join(path, lang), lang)
                continue
            text = self.string(item, _join(path, lang), what=f"the '{lang}' text")
            if text:
                out[lang] = text
        self._missing_languages(y, path, out.keys(), what=what, partial=partial)
        return Text.of(out)

    def text_list(self, y: Y | None, path: str, *, what: str, partial: bool = False) -> TextList:
        """A map from language to a list of phrases (aliases, question phrasings)."""
        if y is None or y.value is None:
            return TextList()
        values = self.mapping(y, path, (), what=what, extra_keys_ok=True)
        if values is None:
            return TextList()
        out: dict[str, list[str]] = {}
        for lang, item in values.items():
            line = y.key_lines.get(lang, y.line)
            if lang not in self.languages:
                self._unknown_language(line, _join(path, lang), lang)
                continue
            raw = [item] if isinstance(item.value, str) else self.items(item, _join(path, lang), what=what)
            phrases = []
            for i, entry in enumerate(raw):
                phrase = self.string(entry, f"{_join(path, lang)}[{i + 1}]", what="each phrase")
                if phrase:
                    phrases.append(phrase)
            if phrases:
                out[lang] = phrases
        self._missing_languages(y, path, out.keys(), what=what, partial=partial)
        return TextList.of(out)

    def _unknown_language(self, line: int, path: str, lang: str) -> None:
        self.error(
            line,
            path,
            f"'{lang}' is not one of this pack's languages ({', '.join(self.languages)})."
            f"{did_you_mean(lang, self.languages)} Add it to 'languages' in content/venue.yaml, or remove this text",
            "unknown-language",
        )

    def _missing_languages(self, y: Y, path: str, present: Iterable[str], *, what: str, partial: bool) -> None:
        have = set(present)
        for lang in self.languages:
            if lang in have:
                continue
            if partial:
                fallback = next((lng for lng in self.languages if lng in have), self.languages[0])
                self.warn(
                    y.line,
                    _join(path, lang),
                    f"no '{lang}' text for {what}; visitors asking in '{lang}' will get the '{fallback}' text",
                    "missing-language",
                )
            else:
                self.error(
                    y.line,
                    _join(path, lang),
                    f"no '{lang}' text for {what}; this pack's languages are {', '.join(self.languages)} and "
                    f"{what} needs all of them. Add a line '{lang}: ...'",
                    "missing-language",
                )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


__all__ = ["ID_PATTERN", "LANGUAGE_PATTERN", "Reader", "one_of"]
