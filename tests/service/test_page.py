"""The newsroom page: served by sayso with only local assets, and driven in a real browser
(Playwright for Python with Debian's Chromium) against a real `sayso serve` on loopback."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.service.server import running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
ARTICLE = """PRISTINA, May 30 - Kosovo Prime Minister Albin Kurti said on Tuesday that police would stay in the north.
"We will not back down," Kurti told reporters. "Serbia is behind the violence," he added.

NATO peacekeepers were deployed around municipal buildings in Zvecan after clashes on Monday.
"Pristina must de-escalate," NATO chief Jens Stoltenberg said.

Serbian President Aleksandar Vucic accused Kurti of provoking the unrest.
The crisis shows that the West has let Belgrade off the hook for far too long."""


# --- the page through the ASGI app ---------------------------------------------------------------


def local_references(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_page_is_html_that_references_only_local_assets(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    html = response.text
    references = local_references(html)
    assert "/page/app.js" in references and "/page/style.css" in references
    for ref in references:
        assert ref.startswith(("/", "#", "data:")) and not ref.startswith("//"), ref
    assert "http://" not in html and "https://" not in html
    for needed in ('id="article-text"', 'id="classify"', 'id="download"', 'id="copy"', 'aria-live="polite"'):
        assert needed in html
    for kind in ("fact", "quote", "opinion", "source", "cue", "content", "favor", "against"):
        assert re.search(rf'class="(swatch swatch|mark|pill pill)-{kind}"', html), kind  # the legend
    assert 'class="sentence' not in html and 'class="chip' not in html  # the legend is not a result


@pytest.mark.parametrize(("path", "media_type"), [("/page/app.js", "text/javascript"), ("/page/style.css", "text/css")])
def test_page_assets_are_served_and_load_nothing_from_elsewhere(client: TestClient, path: str, media_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert len(response.text) > 500
    assert not re.search(r"https?://", response.text), "assets must not reach outside sayso"
    assert "@import" not in response.text and "url(" not in response.text


@pytest.mark.parametrize("path", ["/page/index.py", "/page/..%2Froutes%2Fpage.py", "/page/", "/page/app.js.map"])
def test_only_named_assets_are_served(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "error" in response.json()


# --- a real browser against a real server ------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with running_server(tiny_model, tmp_path_factory.mktemp("page-server") / "server.log") as (_, url):
        yield url


@pytest.fixture(scope="module")
def chromium_browser(served: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def tab(chromium_browser: Any, served: str) -> Iterator[Any]:
    """A fresh page that records console errors and every URL it asks for."""
    context = chromium_browser.new_context(
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.console_errors = []  # console errors (a failed fetch logs one)
    tab.page_errors = []  # uncaught exceptions in the page's script
    tab.requested = []  # every URL the page asked for
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    tab.on("pageerror", lambda e: tab.page_errors.append(str(e)))
    tab.on("request", lambda r: tab.requested.append(r.url))
    tab.goto(served + "/")
    yield tab
    context.close()


def wait_done(tab: Any) -> str:
    tab.wait_for_selector('#status[data-state="ok"], #status[data-state="error"]')
    return tab.locator("#status").inner_text()


def test_page_classifies_an_article_in_a_real_browser(tab: Any, served: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    expected = httpx.post(f"{served}/v1/classify", json={"text": ARTICLE}, timeout=60).json()
    sentences = expected["sentences"]
    assert sentences

    tab.fill("#article-text", ARTICLE)
    tab.click("#classify")
    status = wait_done(tab)
    assert tab.locator("#status").get_attribute("data-state") == "ok", status

    # Highlighted sentences per type match the API's JSON for the same text.
    shown = tab.locator("#article .sentence")
    assert shown.count() == len(sentences)
    want = Counter(s["type"]["label"] for s in sentences)
    for kind in ("fact", "quote", "opinion"):
        assert tab.locator(f'#article .sentence[data-type="{kind}"]').count() == want[kind], kind
    assert [int(i) for i in shown.evaluate_all("els => els.map(e => e.dataset.index)")] == [
        s["index"] for s in sentences
    ]

    # Stance chips: exactly the non-neutral labels, sentence by sentence.
    chips = tab.locator("#article .sentence").evaluate_all(
        "els => els.map(e => [...e.querySelectorAll('.chip')].map(c => [c.dataset.target, c.dataset.stance]))"
    )
    assert [sorted(map(tuple, c)) for c in chips] == [
        sorted((t, v["label"]) for t, v in s["stance"].items() if v["label"] != "neutral") for s in sentences
    ]

    # Quote parts are marked with the span texts the API gives.
    for s in sentences:
        if s["type"]["label"] != "quote" or not s["attribution"]:
            continue
        for kind in ("source", "cue", "content"):
            span = s["attribution"][kind]
            if span:
                part = tab.locator(f'#article .sentence[data-index="{s["index"]}"] [data-span="{kind}"]')
                assert part.inner_text() == span["text"]

    # The speaker panel lists the response's speakers; choosing one highlights their quotes.
    names = tab.locator("#speakers button[data-speaker]").evaluate_all("els => els.map(e => e.dataset.speaker)")
    assert names == [sp["speaker"] for sp in expected["speakers"]]
    if expected["speakers"]:
        first = expected["speakers"][0]
        button = tab.locator("#speakers button[data-speaker]").first
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        selected = tab.locator("#article .sentence.selected").evaluate_all("els => els.map(e => +e.dataset.index)")
        assert selected == first["quotes"]
    else:
        assert "No named speakers" in tab.locator("#speakers").inner_text()

    # Focusing a sentence (keyboard) shows its scores.
    tab.locator("#article .sentence").first.focus()
    detail = tab.locator("#detail").inner_text()
    assert "Sentence 1" in detail and "Type scores" in detail and "%" in detail
    assert "%" in (tab.locator("#article .sentence").first.get_attribute("title") or "")

    # Download the JSON result.
    with tab.expect_download() as info:
        tab.click("#download")
    download = info.value
    assert download.suggested_filename == "sayso-result.json"
    saved = tmp_path / "sayso-result.json"
    download.save_as(saved)
    body = json.loads(saved.read_text(encoding="utf-8"))
    assert [s["type"]["label"] for s in body["sentences"]] == [s["type"]["label"] for s in sentences]
    assert body["speakers"] == expected["speakers"]

    # Copy the plain-text summary.
    tab.click("#copy")
    expect(tab.locator("#status")).to_contain_text("copied")
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert f"{len(sentences)} sentence" in copied and "Speakers:" in copied

    # Screenshot, for the record and for people.
    tab.locator("#article .sentence").first.focus()
    shot = tmp_path / "page-screenshot.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG")
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "page-screenshot.png")

    assert tab.console_errors == [] and tab.page_errors == []
    outside = [u for u in tab.requested if not u.startswith((served, "data:", "blob:"))]
    assert outside == [], "the page asked for something outside sayso"


def test_page_keyboard_shortcut_and_empty_text(tab: Any) -> None:
    tab.focus("#article-text")
    tab.keyboard.press("Control+Enter")
    assert "Paste an article" in wait_done(tab)
    tab.fill("#article-text", "Serbia won 3-1. NATO troops patrolled the bridge.")
    tab.keyboard.press("Control+Enter")
    tab.wait_for_selector('#status[data-state="ok"]')
    assert tab.locator("#article .sentence").count() == 2
    assert tab.locator("#download").is_enabled() and tab.locator("#copy").is_enabled()


# --- rendering of a known answer, and the API's errors in plain words ------------------------------------

QUOTE = '"Pristina must de-escalate," 🙂 NATO chief Jens Stoltenberg said.'  # an emoji shifts UTF-16 offsets


def _span(text: str, part: str) -> dict[str, Any]:
    start = text.index(part)  # Python offsets count code points, as the service's do
    return {"text": part, "start": start, "end": start + len(part)}


def _stance(label: str) -> dict[str, Any]:
    scores = {s: (0.8 if s == label else 0.1) for s in ("favor", "against", "neutral")}
    return {"label": label, "scores": scores, "mentioned": label != "neutral"}


KNOWN = {
    "id": None,
    "model": {"name": "sayso-test", "version": "0"},
    "sentences": [
        {
            "index": 0,
            "text": "NATO troops patrolled the bridge.",
            "start": 0,
            "end": 33,
            "type": {"label": "fact", "scores": {"fact": 0.9, "quote": 0.05, "opinion": 0.05}},
            "attribution": None,
            "stance": {"Kosovo": _stance("neutral"), "Serbia": _stance("neutral"), "NATO": _stance("neutral")},
        },
        {
            "index": 1,
            "text": QUOTE,
            "start": 34,
            "end": 34 + len(QUOTE),
            "type": {"label": "quote", "scores": {"fact": 0.01, "quote": 0.97, "opinion": 0.02}},
            "attribution": {
                "source": _span(QUOTE, "NATO chief Jens Stoltenberg"),
                "cue": _span(QUOTE, "said"),
                "content": _span(QUOTE, "Pristina must de-escalate"),
                "speaker": "Jens Stoltenberg",
                "score": 0.93,
            },
            "stance": {"Kosovo": _stance("against"), "Serbia": _stance("neutral"), "NATO": _stance("favor")},
        },
        {
            "index": 2,
            "text": "Belgrade has been let off the hook.",
            "start": 100,
            "end": 135,
            "type": {"label": "opinion", "scores": {"fact": 0.1, "quote": 0.1, "opinion": 0.8}},
            "attribution": None,
            "stance": {"Kosovo": _stance("neutral"), "Serbia": _stance("against"), "NATO": _stance("neutral")},
        },
    ],
    "speakers": [
        {
            "speaker": "Jens Stoltenberg",
            "quotes": [1],
            "stance": {
                "Kosovo": {"favor": 0, "against": 1, "neutral": 0},
                "Serbia": {"favor": 0, "against": 0, "neutral": 1},
                "NATO": {"favor": 1, "against": 0, "neutral": 0},
            },
        }
    ],
}


def test_page_renders_spans_chips_and_speakers_of_a_known_answer(tab: Any, tmp_path: Path) -> None:
    tab.route(
        "**/v1/classify",
        lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(KNOWN)),
    )
    tab.fill("#article-text", "anything")
    tab.click("#classify")
    wait_done(tab)
    quote = tab.locator('#article .sentence[data-type="quote"]')
    assert quote.locator('[data-span="source"]').inner_text() == "NATO chief Jens Stoltenberg"
    assert quote.locator('[data-span="cue"]').inner_text() == "said"
    assert quote.locator('[data-span="content"]').inner_text() == "Pristina must de-escalate"
    assert quote.get_attribute("data-speaker") == "Jens Stoltenberg"
    chips = tab.locator(".sentence .chip").evaluate_all("els => els.map(c => c.textContent)")
    assert chips == ["Kosovo: against", "NATO: favor", "Serbia: against"]
    assert tab.locator('.chip[data-target="NATO"][data-stance="favor"]').count() == 1
    assert tab.locator("#counts").inner_text() == "3 sentences: 1 fact, 1 quote, 1 opinion."

    speaker = tab.locator('#speakers button[data-speaker="Jens Stoltenberg"]')
    assert "1 quote" in speaker.inner_text() and "Kosovo: 1 against" in speaker.inner_text()
    speaker.focus()
    tab.keyboard.press("Enter")  # keyboard works on the speaker list
    assert tab.locator(".sentence.selected").evaluate_all("els => els.map(e => +e.dataset.index)") == [1]
    tab.keyboard.press("Escape")
    assert tab.locator(".sentence.selected").count() == 0
    assert speaker.get_attribute("aria-pressed") == "false"

    tab.locator('.sentence[data-index="1"]').hover()
    detail = tab.locator("#detail").inner_text()
    assert "Jens Stoltenberg" in detail and "97%" in detail
    speaker.click()  # the mouse works too: highlight for the screenshot
    tab.locator('.sentence[data-index="1"]').focus()
    shot = tmp_path / "page-rendering.png"
    tab.screenshot(path=str(shot), full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / "page-screenshot-known-answer.png")
    summary = tab.evaluate("window.sayso.summary()")
    assert "Jens Stoltenberg: 1 quote" in summary and "{Kosovo: against; NATO: favor}" in summary


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (413, {"error": {"type": "too_large", "message": "body over 2000000 bytes", "field": None}}, "too long"),
        (429, {"error": {"type": "overloaded", "message": "queue full", "field": None}}, "sayso is busy"),
        (503, {"error": {"type": "not_ready", "message": "the model is loading", "field": None}}, "still loading"),
        (422, {"error": {"type": "invalid_request", "message": "text is not a string", "field": "text"}}, "not a str"),
        (None, None, "network"),
    ],
)
def test_page_shows_api_errors_in_plain_words(tab: Any, status: int | None, body: Any, words: str) -> None:
    if status is None:
        tab.route("**/v1/classify", lambda route: route.abort("connectionrefused"))
    else:
        tab.route(
            "**/v1/classify",
            lambda route: route.fulfill(status=status, content_type="application/json", body=json.dumps(body)),
        )
    tab.fill("#article-text", "Serbia won 3-1.")
    tab.click("#classify")
    message = wait_done(tab)
    assert tab.locator("#status").get_attribute("data-state") == "error"
    assert words in message
    assert tab.locator("#classify").is_enabled()
    tab.unroute("**/v1/classify")
    # A failed fetch logs to the console; the page's own script must not throw.
    assert tab.page_errors == []
