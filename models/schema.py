"""Labels, targets and the result types, as defined in ANNOTATION.md.

Everything that names a label or a target reads it from here (or from a model's config, which
is written from here), so the corpus, the model and every door onto it agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TYPE_LABELS: tuple[str, ...] = ("fact", "quote", "opinion")
STANCE_LABELS: tuple[str, ...] = ("favor", "against", "neutral")
SPAN_FIELDS: tuple[str, ...] = ("source", "cue", "content")
# BIO tags over the three span kinds; "O" first so that index 0 means "outside".
TAG_LABELS: tuple[str, ...] = ("O",) + tuple(f"{p}-{k}" for k in SPAN_FIELDS for p in ("B", "I"))

# Default targets with the words that refer to each (ANNOTATION.md section 3). Matching is
# case-insensitive on word boundaries; a newsroom adding a target lists its own aliases.
DEFAULT_TARGETS: dict[str, list[str]] = {
    "Kosovo": [
        "Kosovo", "Kosovar", "Kosova", "Pristina", "Prishtina", "Kurti", "Osmani",
        "Kosovo police", "Kosovo Police", "Kosovo government", "Kosovo Security Force",
        "Hoti", "Thaci", "Haradinaj", "Rohan Hoxha",
    ],
    "Serbia": [
        "Serbia", "Serbian government", "Serbian army", "Serbian Armed Forces", "Belgrade",
        "Vucic", "Vučić", "Dacic", "Dačić", "Brnabic", "Brnabić", "Petkovic", "Petković",
        "Vulin", "Serbian President", "Serbian Foreign Ministry", "Serbian Ministry",
        "Serbian Prime Minister", "Serbian Defence Minister", "Serbian Defense Minister",
        "Serbian officials", "Serbian authorities", "Serbian state", "Serbian leadership",
        "Serbian Progressive Party", "Macut", "Djuric", "Đurić",
    ],
    "NATO": [
        "NATO", "KFOR", "Kosovo Force", "the alliance", "Stoltenberg", "Rutte",
        "Secretary General", "North Atlantic", "Allied",
    ],
}

# Names that contain a target's alias but do not stand for it (ANNOTATION.md section 3):
# they are blanked before alias matching.
DEFAULT_EXCLUSIONS: dict[str, list[str]] = {
    "Kosovo": ["Kosovo Force", "Kosovo Liberation Army", "Office for Kosovo", "northern Kosovo Serbs",
               "Kosovo Serbs", "Kosovo Serb", "Battle of Kosovo"],
    "Serbia": ["Serbian Orthodox", "Serbian Orthodox Church", "Serbian List", "Serbian community",
               "Serbian-majority", "Serbian majority", "Serbian Patriarch"],
    "NATO": [],
}


@dataclass(frozen=True)
class Span:
    """A `[start, end)` character span of a sentence's own text."""

    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Attribution:
    source: Span | None
    cue: Span | None
    content: Span | None
    speaker: str | None
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.as_dict() if self.source else None,
            "cue": self.cue.as_dict() if self.cue else None,
            "content": self.content.as_dict() if self.content else None,
            "speaker": self.speaker,
            "score": round(self.score, 4),
        }


@dataclass
class TargetStance:
    label: str
    scores: dict[str, float]
    mentioned: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "mentioned": self.mentioned,
        }


@dataclass
class SentenceResult:
    """The one sentence shape that `sayso predict`, the service and the scorer all write."""

    index: int
    text: str
    start: int | None
    end: int | None
    type_label: str
    type_scores: dict[str, float]
    attribution: Attribution | None
    stance: dict[str, TargetStance] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "type": {
                "label": self.type_label,
                "scores": {k: round(v, 4) for k, v in self.type_scores.items()},
            },
            "attribution": self.attribution.as_dict() if self.attribution else None,
            "stance": {t: s.as_dict() for t, s in self.stance.items()},
        }
