"""Request and response bodies of the HTTP API, as documented in /openapi.json."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    # Strict types: `true` is not a string and `1` is not a list; unknown fields are errors.
    model_config = ConfigDict(extra="forbid", strict=True)


class ClassifyRequest(_Strict):
    # Optional fields are omitted rather than null, so the schema can say "text or sentences".
    id: str = Field(None, max_length=256, description="echoed back in the response")  # type: ignore[assignment]
    text: str = Field(None, description="a whole article; sayso splits it into sentences")  # type: ignore[assignment]
    sentences: list[str] = Field(None, description="pre-split sentences of one article, in order")  # type: ignore[assignment]
    targets: list[str] = Field(None, description="a subset of the model's targets (default: all)")  # type: ignore[assignment]

    @model_validator(mode="after")
    def one_input(self) -> Self:
        if (self.text is None) == (self.sentences is None):
            raise ValueError("give exactly one of `text` or `sentences`")
        return self

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "oneOf": [
                {"required": ["text"], "not": {"required": ["sentences"]}},
                {"required": ["sentences"], "not": {"required": ["text"]}},
            ],
            "examples": [
                {"id": "a-17", "text": '"Pristina must de-escalate," NATO chief Jens Stoltenberg said. He left.'},
                {"sentences": ["Kurti: We will not back down", '"Never," he added.'], "targets": ["Serbia"]},
            ],
        },
    )


class Document(_Strict):
    id: str = Field(None, max_length=256)  # type: ignore[assignment]
    text: str


class BatchRequest(_Strict):
    documents: list[Document]
    targets: list[str] = Field(None, description="a subset of the model's targets (default: all)")  # type: ignore[assignment]

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "documents": [
                        {"id": "1", "text": "KFOR troops used tear gas."},
                        {"id": "2", "text": "Serbia won 3-1."},
                    ]
                }
            ]
        },
    )


class SpanOut(BaseModel):
    text: str
    start: int
    end: int


class AttributionOut(BaseModel):
    source: SpanOut | None
    cue: SpanOut | None
    content: SpanOut | None
    speaker: str | None
    score: float


class LabelScores(BaseModel):
    label: str
    scores: dict[str, float]


class TargetStanceOut(LabelScores):
    mentioned: bool


class SentenceOut(BaseModel):
    index: int
    text: str
    start: int | None
    end: int | None
    type: LabelScores
    attribution: AttributionOut | None
    stance: dict[str, TargetStanceOut]


class SpeakerOut(BaseModel):
    speaker: str
    quotes: list[int] = Field(description="indexes of the speaker's quote sentences")
    stance: dict[str, dict[str, int]] = Field(description="per target, how many quotes hold each stance")


class ModelRef(BaseModel):
    name: str
    version: str


class ClassifyResponse(BaseModel):
    id: str | None
    model: ModelRef
    sentences: list[SentenceOut]
    speakers: list[SpeakerOut]


class BatchResponse(BaseModel):
    model: ModelRef
    results: list[ClassifyResponse]


class ErrorDetail(BaseModel):
    type: str = Field(
        description="too_large, invalid_request, unknown_target, unauthorized, overloaded, "
        "not_ready, timeout or internal"
    )
    message: str
    field: str | None = Field(None, description="the request field at fault, dotted")


class ErrorBody(BaseModel):
    error: ErrorDetail
