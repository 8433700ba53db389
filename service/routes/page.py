"""GET /: the newsroom page, and GET /page/{name} for its assets (all served by sayso itself, no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from service.errors import ApiError

PAGE_DIR = Path(__file__).resolve().parent.parent / "page"
ASSETS: dict[str, str] = {
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
# The page may talk to this service only, and load nothing from anywhere else.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
router = APIRouter(tags=["page"])


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index() -> FileResponse:
    return FileResponse(PAGE_DIR / "index.html", media_type="text/html; charset=utf-8", headers=HEADERS)


@router.get("/page/{name}", include_in_schema=False)
async def asset(name: str) -> FileResponse:
    # Only the named files: no path from the request ever reaches the file system.
    media_type = ASSETS.get(name)
    if media_type is None:
        raise ApiError(404, "not_found", f"no page asset {name!r}")
    return FileResponse(PAGE_DIR / name, media_type=media_type, headers=HEADERS)
