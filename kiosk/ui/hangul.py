"""Hangul composition for a 2-beolsik (두벌식) keyboard: jamo in, syllables out. No Qt here.

A 2-beolsik keyboard has one key per consonant and one per vowel; the automaton decides whether a consonant is the
initial of a new syllable or the final of the one being composed, so ㄱㅏㄱ is 각 and ㄱㅏㄱㅏ is 가가 (the final moves
on when a vowel follows). Finals may double (ㄺ ㄳ ㅄ ...) and split again before a vowel (닭+ㅏ → 달가); vowels may
compound (ㅗ+ㅏ → ㅘ). Backspace takes off the last jamo typed, not the whole syllable (닭 → 달 → 다 → ㄷ).

The composer holds only the syllable being typed (``preedit``); ``feed`` returns the text that is finished.
"""

from __future__ import annotations

from dataclasses import dataclass

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
"""The 27 finals, in Unicode order (index + 1 is the final's number in a syllable; 0 is none)."""

COMPOUND_VOWELS = {
    ("ㅗ", "ㅏ"): "ㅘ",
    ("ㅗ", "ㅐ"): "ㅙ",
    ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ",
    ("ㅜ", "ㅣ"): "ㅟ",
    ("ㅡ", "ㅣ"): "ㅢ",
}
DOUBLE_FINALS = {
    ("ㄱ", "ㅅ"): "ㄳ",
    ("ㄴ", "ㅈ"): "ㄵ",
    ("ㄴ", "ㅎ"): "ㄶ",
    ("ㄹ", "ㄱ"): "ㄺ",
    ("ㄹ", "ㅁ"): "ㄻ",
    ("ㄹ", "ㅂ"): "ㄼ",
    ("ㄹ", "ㅅ"): "ㄽ",
    ("ㄹ", "ㅌ"): "ㄾ",
    ("ㄹ", "ㅍ"): "ㄿ",
    ("ㄹ", "ㅎ"): "ㅀ",
    ("ㅂ", "ㅅ"): "ㅄ",
}
SPLIT_FINALS = {double: pair for pair, double in DOUBLE_FINALS.items()}

SYLLABLE_BASE = 0xAC00
BACKSPACE = "\b"


def is_consonant(char: str) -> bool:
    return len(char) == 1 and (char in INITIALS or char in FINALS)


def is_vowel(char: str) -> bool:
    return len(char) == 1 and char in MEDIALS


def is_jamo(char: str) -> bool:
    return is_consonant(char) or is_vowel(char)


def syllable(initial: str, medial: str, final: str = "") -> str:
    """One precomposed syllable: 각 from ㄱ ㅏ ㄱ."""
    number = (INITIALS.index(initial) * len(MEDIALS) + MEDIALS.index(medial)) * (len(FINALS) + 1)
    return chr(SYLLABLE_BASE + number + (FINALS.index(final) + 1 if final else 0))


@dataclass(frozen=True)
class Block:
    """The syllable being composed: an initial, a medial and a final, each possibly missing."""

    initial: str = ""
    medial: str = ""
    final: str = ""

    @property
    def text(self) -> str:
        if self.initial and self.medial:
            return syllable(self.initial, self.medial, self.final)
        return self.initial + self.medial  # a lone consonant or vowel shows as itself


EMPTY = Block()


class HangulComposer:
    """The 2-beolsik automaton. Feed it jamo; it answers the finished text, and keeps the syllable being typed."""

    def __init__(self) -> None:
        self._steps: list[Block] = []
        """The syllable after each jamo typed into it, so backspace can take off one jamo at a time."""

    @property
    def block(self) -> Block:
        return self._steps[-1] if self._steps else EMPTY

    @property
    def preedit(self) -> str:
        """The syllable being composed, as it should show ('' when none)."""
        return self.block.text

    @property
    def composing(self) -> bool:
        return bool(self._steps)

    def reset(self) -> str:
        """Finish the syllable being typed and return it."""
        text = self.preedit
        self._steps.clear()
        return text

    def feed(self, char: str) -> str:
        """Type ``char``; returns the text finished by it. A character that is not a jamo finishes the syllable."""
        if is_vowel(char):
            return self._vowel(char)
        if is_consonant(char):
            return self._consonant(char)
        return self.reset() + char

    def backspace(self) -> bool:
        """Take off the last jamo of the syllable being typed; False when there is none (delete a character)."""
        if not self._steps:
            return False
        self._steps.pop()
        return True

    def _start(self, *steps: Block) -> str:
        done = self.reset()
        self._steps.extend(steps)
        return done

    def _consonant(self, c: str) -> str:
        b = self.block
        if b.initial and b.medial and not b.final and c in FINALS:
            self._steps.append(Block(b.initial, b.medial, c))
            return ""
        if b.final and (b.final, c) in DOUBLE_FINALS:
            self._steps.append(Block(b.initial, b.medial, DOUBLE_FINALS[b.final, c]))
            return ""
        if c in INITIALS:
            return self._start(Block(c))
        return self.reset() + c  # a final-only letter (ㄳ) has no key on 2-beolsik; it cannot start a syllable

    def _vowel(self, v: str) -> str:
        b = self.block
        if b.final:
            # the final moves on to start the next syllable (각+ㅏ → 가가); a double final splits (닭+ㅏ → 달가)
            keep, move = SPLIT_FINALS.get(b.final, ("", b.final))
            self._steps.clear()
            self._steps.extend([Block(move), Block(move, v)])
            return syllable(b.initial, b.medial, keep)
        if b.medial and (b.medial, v) in COMPOUND_VOWELS:
            self._steps.append(Block(b.initial, COMPOUND_VOWELS[b.medial, v]))
            return ""
        if b.initial and not b.medial:
            self._steps.append(Block(b.initial, v))
            return ""
        return self._start(Block("", v))


def compose(keys: str) -> str:
    """The text that typing ``keys`` makes, ``\\b`` being backspace: ``compose("ㄷㅏㄹㄱ") == "닭"``."""
    done = ""
    composer = HangulComposer()
    for key in keys:
        if key == BACKSPACE:
            if not composer.backspace():
                done = done[:-1]
        else:
            done += composer.feed(key)
    return done + composer.preedit


__all__ = [
    "BACKSPACE",
    "COMPOUND_VOWELS",
    "DOUBLE_FINALS",
    "FINALS",
    "INITIALS",
    "MEDIALS",
    "Block",
    "HangulComposer",
    "compose",
    "is_consonant",
    "is_jamo",
    "is_vowel",
    "syllable",
]
