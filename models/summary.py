"""Who said what about whom: quotes and stance counts per speaker of an article."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models.schema import STANCE_LABELS, SentenceResult


def speaker_summary(results: Iterable[SentenceResult]) -> list[dict[str, Any]]:
    """One entry per named speaker, in order of first quote: quote sentence indexes and the
    count of each stance label per target over those quotes."""
    speakers: dict[str, dict[str, Any]] = {}
    for result in results:
        speaker = result.attribution.speaker if result.attribution else None
        if not speaker:
            continue
        entry = speakers.setdefault(
            speaker,
            {
                "speaker": speaker,
                "quotes": [],
                "stance": {t: dict.fromkeys(STANCE_LABELS, 0) for t in result.stance},
            },
        )
        entry["quotes"].append(result.index)
        for target, stance in result.stance.items():
            entry["stance"][target][stance.label] += 1
    return list(speakers.values())
