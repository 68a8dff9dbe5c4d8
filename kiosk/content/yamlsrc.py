"""Reading pack YAML at the edge: safe loading only, keeping the line of every value for error messages.

PyYAML's composer gives nodes with positions; we build plain values from them ourselves so that every value keeps
its line, duplicate keys are reported (PyYAML silently keeps the last one), and nothing but plain data (maps,
lists, strings, numbers, booleans, null) can be constructed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiosk.content.problems import Problem

MAX_YAML_BYTES = 1024 * 1024
"""A pack YAML file larger than this is refused: real exhibit files are a few kilobytes."""

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass
class Y:
    """A YAML value with its 1-based line. Maps hold ``Y`` values (with ``key_lines``), lists hold ``Y`` items."""

    value: Any
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value without line information."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


_STR_TAG = "tag:yaml.org,2002:str"
_UNREADABLE = (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError)
"""What PyYAML's safe constructors raise on a value their tag does not fit (``!!int abc``, ``!!timestamp x``)."""


def _scalar(node: yaml.Node, scalars: yaml.constructor.SafeConstructor) -> Any:
    """The plain value of a scalar node. Text (almost every scalar in a pack) is the node's own value, as PyYAML's
    constructor would return it; numbers, booleans, null and the like go through ``scalars``."""
    if node.tag == _STR_TAG:
        return node.value
    return scalars.construct_object(node)


def _build(
    node: yaml.Node, rel: str, problems: list[Problem], path: str, scalars: yaml.constructor.SafeConstructor
) -> Y:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        values: dict[str, Y] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(rel, key_line, path, "a key must be a plain word, not a list or a map"))
                continue
            try:
                key = str(_scalar(key_node, scalars))
            except _UNREADABLE as err:
                problems.append(Problem(rel, key_line, path, f"this key cannot be read: {_why(key_node, err)}"))
                continue
            child_path = f"{path}.{key}" if path else key
            if key in values:
                problems.append(
                    Problem(
                        rel,
                        key_line,
                        child_path,
                        f"'{key}' appears twice in the same place (first on line {key_lines[key]}); "
                        "keep one and delete the other",
                        code="duplicate-key",
                    )
                )
                continue
            values[key] = _build(value_node, rel, problems, child_path, scalars)
            key_lines[key] = key_line
        return Y(values, line, key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Y([_build(item, rel, problems, f"{path}[{i + 1}]", scalars) for i, item in enumerate(node.value)], line)
    try:
        value = _scalar(node, scalars)
    except _UNREADABLE as err:
        problems.append(Problem(rel, line, path, f"this value cannot be read: {_why(node, err)}"))
        value = None
    if not isinstance(value, str | int | float | bool | type(None)):
        # Dates and timestamps: keep the text as written, curators mean text.
        value = str(node.value)
    return Y(value, line)


def _why(node: yaml.Node, err: BaseException) -> str:
    if isinstance(err, yaml.YAMLError):
        return str(err).splitlines()[0]
    tag = node.tag.removeprefix("tag:yaml.org,2002:")
    return f"'{node.value}' is not a valid !!{tag}; correct it, or remove the !!{tag}"


def read_yaml(path: Path, rel: str, problems: list[Problem], max_bytes: int = MAX_YAML_BYTES) -> tuple[Y | None, bytes]:
    """Read one pack YAML file. Returns the located document (None when unusable) and its raw bytes."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(_too_large(rel, size, max_bytes))
            return None, b""
        raw = path.read_bytes()
    except OSError as err:
        problems.append(Problem(rel, 0, "", f"the file cannot be read: {err.strerror}", code="unreadable"))
        return None, b""
    return parse_yaml(raw, rel, problems), raw


def _too_large(rel: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        rel,
        0,
        "",
        f"the file is {size / 1024:.0f} KB, over the {max_bytes // 1024} KB limit for one YAML file; "
        "split it, or move long texts and media out of it",
        code="too-large",
    )


def parse_yaml(raw: bytes, rel: str, problems: list[Problem], max_bytes: int = MAX_YAML_BYTES) -> Y | None:
    """Compose YAML bytes (a file's, or unsaved text from the editor) into a located document, or None."""
    if len(raw) > max_bytes:
        problems.append(_too_large(rel, len(raw), max_bytes))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(
            Problem(
                rel,
                line,
                "",
                f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start}); "
                "save it again as UTF-8 (in most editors: Save As, Encoding: UTF-8)",
                code="not-utf8",
            )
        )
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        what = err.problem or "the YAML cannot be read"
        problems.append(
            Problem(
                rel,
                line,
                "",
                f"YAML syntax error: {what}. Check the indentation on this line and the one before it, and put "
                "quotes around text that contains ': ' or starts with a special character",
                code="yaml-syntax",
            )
        )
        return None
    except yaml.YAMLError as err:
        problems.append(Problem(rel, 0, "", f"YAML syntax error: {err}", code="yaml-syntax"))
        return None
    if node is None:
        return Y({}, 1)
    # A constructor of its own for each document: what it remembers of the nodes it built goes with it.
    return _build(node, rel, problems, "", yaml.constructor.SafeConstructor())


def describe(y: Y) -> str:
    """What a value is, for a message that says what was found instead: "a list", "text ('tall')"."""
    if y.is_map:
        return "a map"
    if y.is_list:
        return "a list"
    if y.value is None:
        return "empty"
    if isinstance(y.value, bool):
        return f"yes/no ({y.value})"
    if isinstance(y.value, int | float):
        return f"a number ({y.value})"
    return f"text ('{y.value}')"


__all__ = ["MAX_YAML_BYTES", "Y", "describe", "read_yaml"]
