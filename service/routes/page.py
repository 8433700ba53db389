"""GET /: the newsroom page (static files served by sayso itself, no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

PAGE_DIR = Path(__file__).resolve().parent.parent / "page"
router = APIRouter(tags=["page"])


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index() -> FileResponse:
    return FileResponse(PAGE_DIR / "index.html", media_type="text/html")
