"""How questions and content are worded: sentence splitting, filler words, the shape of a number answer.

Shared by the mind's exhibit answering; pure text functions and tables, no pack or state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.content.model import Exhibit
from kiosk.mind.features import MATCH_STOPWORDS, Features

WHERE_FACTS = ("found_at", "held_by", "found_by", "found_in", "origin")
NUMBER_FACTS = ("count", "weight", "dimensions", "date", "found_in", "age")
_NUMBER = (
    r"(?:\d[\d,.]*|[一二三四五六七八九十百千万两]+"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|hundreds?|thousands?)"
)
# What a sentence that answers "how old" or "how many" looks like, when the pack has no typed fact for it.
KIND_SHAPES = {
    "age": re.compile(
        rf"{_NUMBER}\s*(?:岁|살|세)|\baged? {_NUMBER}|{_NUMBER} years? old|\bat {_NUMBER}\b|age of {_NUMBER}"
        rf"|\b(?:only|just) {_NUMBER}\b(?! ?[a-z])|年仅",
        re.I,
    ),
    "count": re.compile(
        rf"{_NUMBER}\s*(?:多|余)?\s*(?:个|位|件|名|座|根|字|片|幅|명|개|점|여|자|그루|채)|{_NUMBER}\s+[a-z]{{3,}}", re.I
    ),
}
ANY_NUMBER = re.compile(rf"\d|[一二三四五六七八九十百千万亿两]|\b{_NUMBER}\b", re.I)
PARTICLES = re.compile(
    r"里面|一共|总共|当时|那个|这个|到底|究竟|大概|一下|请问|知道|怎么|怎样|如何|为什么|什么|后来|然后|现在|"
    r"[的了吗呢啊吧呀嘛哦么是在有个那这些就都也还又被把给从到跟和与]|[은는이가을를에의도요](?=\s|$)"
)
# A sentence ends at . ! ? 。！？ but not inside a number such as "1,191.5" or "7.8".
SENTENCE_END = re.compile(r"(?<=[!?。！？])\s*|(?<=\.)(?!\d)\s*")
CONTENT_STOPWORDS = MATCH_STOPWORDS | frozenset(
    {
        "how",
        "what",
        "which",
        "who",
        "when",
        "where",
        "why",
        "many",
        "much",
        "did",
        "does",
        "happen",
        "happens",
        "happened",
        "thing",
        "one",
        "so",
        "really",
        "actually",
        "exactly",
        "like",
        "just",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "their",
        "s",
        "get",
        "got",
        "go",
        "see",
        "look",
        "know",
        "want",
        "think",
        "is",
        "tell",
        "more",
        "special",
        "that",
        "story",
        "museum",
        "please",
        "here",
        "thank",
        "stuff",
        "display",
        "exhibit",
        "exhibition",
    }
)


@dataclass(frozen=True)
class Passage:
    exhibit: str
    language: str
    text: str
    features: Features
    reason: str


def sentences(exhibit: Exhibit) -> list[tuple[str, str, str]]:
    """Every sentence of the summary and story, and every free fact, as answer candidates."""
    out: list[tuple[str, str, str]] = []
    for n, text in enumerate((exhibit.summary, *exhibit.story)):
        for lang, paragraph in text.values():
            for sentence in SENTENCE_END.split(paragraph):
                if sentence.strip():
                    out.append((lang, sentence.strip(), "summary-sentence" if n == 0 else f"story-sentence:{n}"))
    return out


def drop_spelled_names(text: str, compact_names: str) -> str:
    """Remove a name spelled in pieces ("hou mu wu" for Houmuwu): runs of 2-4 words that join into part of a name."""
    words = text.split()
    keep = [True] * len(words)
    for size in (4, 3, 2):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            joined = "".join(run)
            if all(keep[start : start + size]) and len(joined) >= 5 and joined.isalpha() and joined in compact_names:
                keep[start : start + size] = [False] * size
    return " ".join(w for w, k in zip(words, keep, strict=True) if k)


def floor_words(text: str) -> bool:
    return bool(re.search(r"floor|level|gallery|room|楼|层|厅|展区|층|전시", text))
