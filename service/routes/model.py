"""GET /v1/model: the model card."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from service.deps import State, require_api_key

router = APIRouter(prefix="/v1", tags=["model"], dependencies=[Depends(require_api_key)])


@router.get("/model", summary="The model card: name, version, base model, targets, labels, data hash, metrics")
async def model(state: State) -> dict[str, Any]:
    return {**state.model_card, "ready": state.ready}
