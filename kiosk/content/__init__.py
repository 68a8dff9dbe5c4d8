"""Content packs: the model, loading with validation, and the local search index."""

from kiosk.content.index import Hit, PackIndex, index_path_for
from kiosk.content.loader import PackInvalid, PackUnusable, Report, load_pack, validate_pack
from kiosk.content.model import (
    TYPED_FACT_KEYS,
    CuratedQuestion,
    Direction,
    Exhibit,
    Facility,
    Fact,
    Gallery,
    Pack,
    Venue,
)
from kiosk.content.problems import Problem, Severity
from kiosk.content.text import Text, TextList

__all__ = [
    "TYPED_FACT_KEYS",
    "CuratedQuestion",
    "Direction",
    "Exhibit",
    "Facility",
    "Fact",
    "Gallery",
    "Hit",
    "Pack",
    "PackIndex",
    "PackInvalid",
    "PackUnusable",
    "Problem",
    "Report",
    "Severity",
    "Text",
    "TextList",
    "Venue",
    "index_path_for",
    "load_pack",
    "validate_pack",
]
