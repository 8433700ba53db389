"""Every service option, read once from the environment (prefix `SAYSO_`), validated at start."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.classifier import default_model_dir
from models.runtime import FALLBACK_MARGIN


class Settings(BaseSettings):
    """Documented once here and in the README's table; the env variable is SAYSO_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="SAYSO_", extra="ignore", protected_namespaces=())

    model_dir: Path = Field(default_factory=default_model_dir, description="model folder to serve")
    runtime: Literal["torch", "onnx-int8"] = Field("torch", description="inference runtime")
    int8_fallback_margin: float = Field(
        FALLBACK_MARGIN, ge=0, le=1, description="onnx-int8: re-run in fp32 rows this close to a flip (0: plain int8)"
    )
    threads: int = Field(2, ge=1, le=256, description="CPU threads for inference")
    host: str = Field("127.0.0.1", description="address to listen on")
    port: int = Field(8000, ge=1, le=65535, description="port to listen on")
    max_body_bytes: int = Field(2_000_000, ge=1_000, description="largest request body (413 above)")
    max_sentences: int = Field(2_000, ge=1, description="most sentences in one request (413 above)")
    max_documents: int = Field(64, ge=1, description="most documents in one batch request (413 above)")
    max_batch_tokens: int = Field(8_192, ge=256, description="padded tokens per forward pass")
    max_batch_sentences: int = Field(512, ge=1, description="sentences per forward pass")
    max_wait_ms: float = Field(4.0, ge=0, le=1_000, description="how long a forward pass waits to fill up")
    max_queue_sentences: int = Field(20_000, ge=1, description="sentences waiting before 429")
    request_timeout_s: float = Field(30.0, gt=0, description="time budget of one request (504 above)")
    api_key: SecretStr | None = Field(None, description="if set, /v1 routes need `Authorization: Bearer <key>`")
