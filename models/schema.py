"""Labels, targets and the result types, as defined in ANNOTATION.md.

Everything that names a label or a target reads it from here (or from a model's config, which
is written from here), so the corpus, the model and every door onto it agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

TYPE_LABELS: tuple[str, ...] = ("fact", "quote", "opinion")
STANCE_LABELS: tuple[str, ...] = ("favor", "against", "neutral")
SPAN_FIELDS: tuple[str, ...] = ("source", "cue", "content")
# BIO tags over the three span kinds; "O" first so that index 0 means "outside".
TAG_LABELS: tuple[str, ...] = ("O", *tuple(f"{p}-{k}" for k in SPAN_FIELDS for p in ("B", "I")))

# Default targets with the words that refer to each (ANNOTATION.md section 3). Matching is
# case- and accent-insensitive on word boundaries ("Vucic" finds "Vučić"); a newsroom adding a
# target lists its own aliases.
DEFAULT_TARGETS: dict[str, list[str]] = {
    "Kosovo": [
        "Kosovo",
        "Kosovar",
        "Kosova",
        "Pristina",
        "Prishtina",
        "Kurti",
        "Osmani",
        "Kosovo police",
        "Kosovo Police",
        "Kosovo government",
        "Kosovo Security Force",
        "Hoti",
        "Thaci",
        "Haradinaj",
        "Rohan Hoxha",
        # ministers and officials who act for the state (training gold: mentions in 130 of 132 sentences)
        "Svecla",
        "Bislimi",
        "Gervalla",
        "Maqedonci",
        "Konjufca",
    ],
    "Serbia": [
        "Serbia",
        "Serbian government",
        "Serbian army",
        "Serbian Armed Forces",
        "Belgrade",
        "Vucic",
        "Dacic",
        "Brnabic",
        "Petkovic",
        "Vulin",
        "Serbian President",
        "Serbian Foreign Ministry",
        "Serbian Ministry",
        "Serbian Prime Minister",
        "Serbian Defence Minister",
        "Serbian Defense Minister",
        "Serbian officials",
        "Serbian authorities",
        "Serbian state",
        "Serbian leadership",
        "Serbian Progressive Party",
        "Macut",
        "Djuric",
        "Đurić",  # folds to "Duric", the other common spelling
        "Gasic",
        "Vucevic",
        "Mojsilovic",
        "Starovic",
        "Selakovic",
    ],
    "NATO": [
        "NATO",
        "KFOR",
        "Kosovo Force",
        "the alliance",
        "Stoltenberg",
        "Rutte",
        "Secretary General",
        "North Atlantic",
        "Allied",
        "Ulutas",
        "Barduani",
    ],
}

# Names that contain a target's alias but do not stand for it (ANNOTATION.md section 3):
# they are blanked before alias matching.
DEFAULT_EXCLUSIONS: dict[str, list[str]] = {
    "Kosovo": [
        "Kosovo Force",
        "Kosovo Liberation Army",
        "Office for Kosovo",
        "northern Kosovo Serbs",
        "Kosovo Serbs",
        "Kosovo Serb",
        "Battle of Kosovo",
    ],
    "Serbia": [
        "Serbian Orthodox",
        "Serbian Orthodox Church",
        "Serbian List",
        "Serbian community",
        "Serbian-majority",
        "Serbian majority",
        "Serbian Patriarch",
    ],
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


class ModelConfigError(ValueError):
    """A model config that names an unknown label or target, or lacks a field."""


@dataclass
class TargetSpec:
    """A stance target and the words that refer to it."""

    name: str
    aliases: list[str]
    exclusions: list[str] = field(default_factory=list)


def default_target_specs(names: list[str] | None = None) -> list[TargetSpec]:
    names = list(DEFAULT_TARGETS) if names is None else names
    specs = []
    for name in names:
        aliases = DEFAULT_TARGETS.get(name, [name])
        specs.append(TargetSpec(name, list(aliases), list(DEFAULT_EXCLUSIONS.get(name, []))))
    return specs


@dataclass
class ModelConfig:
    """`sayso.json` in a model folder: everything needed to read text with the model."""

    name: str
    version: str
    targets: list[TargetSpec]
    base_model: dict[str, str]
    max_length: int = 128
    context_tokens: int = 48  # tokens of the previous sentence given as the second segment; 0 = none
    type_labels: list[str] = field(default_factory=lambda: list(TYPE_LABELS))
    stance_labels: list[str] = field(default_factory=lambda: list(STANCE_LABELS))
    tag_labels: list[str] = field(default_factory=lambda: list(TAG_LABELS))
    training_data_sha256: str = ""
    # P(neutral) is multiplied by this before the stance label is taken (then renormalised): chosen
    # on the dev articles after training, because class-weighted training over-predicts favor/against.
    stance_neutral_scale: float = 1.0
    dev_metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    created: str = ""

    @property
    def target_names(self) -> list[str]:
        return [t.name for t in self.targets]

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "targets"}
        data["targets"] = [t.__dict__ for t in self.targets]
        return {"format": 1, **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelConfig:
        if data.get("format") != 1:
            raise ModelConfigError(f"unsupported model config format {data.get('format')!r} (expected 1)")
        try:
            targets = [
                TargetSpec(t["name"], list(t["aliases"]), list(t.get("exclusions", []))) for t in data["targets"]
            ]
            config = cls(
                name=data["name"],
                version=data["version"],
                targets=targets,
                base_model=data["base_model"],
                **{
                    k: data[k]
                    for k in (
                        "max_length",
                        "context_tokens",
                        "type_labels",
                        "stance_labels",
                        "tag_labels",
                        "training_data_sha256",
                        "stance_neutral_scale",
                        "dev_metrics",
                        "training",
                        "created",
                    )
                    if k in data
                },
            )
        except (KeyError, TypeError) as exc:
            raise ModelConfigError(f"model config lacks or mistypes field {exc}") from None
        for kind, labels, known in (
            ("type", config.type_labels, TYPE_LABELS),
            ("stance", config.stance_labels, STANCE_LABELS),
            ("tag", config.tag_labels, TAG_LABELS),
        ):
            unknown = [label for label in labels if label not in known]
            if unknown or len(labels) != len(known):
                raise ModelConfigError(f"unknown or missing {kind} label(s) in model config: {unknown or labels}")
        if not targets or len({t.name for t in targets}) != len(targets):
            raise ModelConfigError("model config needs at least one target and unique target names")
        scale = config.stance_neutral_scale
        if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale < math.inf:
            raise ModelConfigError(f"stance_neutral_scale must be a positive number, not {scale!r}")
        return config
