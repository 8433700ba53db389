"""Contract tests through TestClient with the tiny model: shapes, limits and every error."""

import json
from pathlib import Path

import pytest

from tests.service.conftest import make_client, wait_ready

ARTICLE = (
    'Kurti: We will not back down\n\n"Belgrade must stop," Kosovo Prime Minister Albin Kurti said. '
    '"We will protect every citizen," he added. KFOR troops patrolled Zvecan.'
)


def assert_error(response, status: int, type_: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message", "field"}
    assert body["error"]["type"] == type_ and body["error"]["message"]
    if field is not None:
        assert body["error"]["field"] == field
    return body


def test_classify_article(client) -> None:
    response = client.post("/v1/classify", json={"id": "a-1", "text": ARTICLE})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "a-1" and body["model"]["name"] == "sayso-default" and body["model"]["version"]
    sentences = body["sentences"]
    assert [s["index"] for s in sentences] == list(range(len(sentences))) and len(sentences) == 4
    for s in sentences:
        assert ARTICLE[s["start"] : s["end"]] == s["text"]
        assert list(s["stance"]) == ["Kosovo", "Serbia", "NATO"]
    for header in ("x-queue-time-ms", "x-inference-time-ms", "x-batch-sentences"):
        assert float(response.headers[header]) >= 0
    assert response.headers["x-sentences"] == "4"
    for speaker in body["speakers"]:
        assert speaker["quotes"] and set(speaker["stance"]) == {"Kosovo", "Serbia", "NATO"}
        quoted = [sentences[i] for i in speaker["quotes"]]
        assert all(q["attribution"]["speaker"] == speaker["speaker"] for q in quoted)
        assert sum(speaker["stance"]["Kosovo"].values()) == len(quoted)


def test_sentences_and_a_target_subset(client) -> None:
    body = client.post("/v1/classify", json={"sentences": ["Serbia won.", "NATO said so."], "targets": ["NATO"]}).json()
    assert [s["text"] for s in body["sentences"]] == ["Serbia won.", "NATO said so."]
    assert all(list(s["stance"]) == ["NATO"] and s["start"] is None for s in body["sentences"])


def test_batch_keeps_document_order(client) -> None:
    docs = [{"id": str(i), "text": f"Sentence {i} about Kosovo. Another one."} for i in range(3)]
    body = client.post("/v1/classify/batch", json={"documents": docs}).json()
    assert [r["id"] for r in body["results"]] == ["0", "1", "2"]
    assert all(r["sentences"][0]["text"].startswith(f"Sentence {i} ") for i, r in enumerate(body["results"]))


def test_empty_text_gives_no_sentences(client) -> None:
    body = client.post("/v1/classify", json={"text": ""}).json()
    assert body["sentences"] == [] and body["speakers"] == []


@pytest.mark.parametrize(
    "text", ["🎉🔥 Косово и Србија 🇷🇸", "\x00\x01\x1b[31m control \x7f", "a" * 15_000, "\ud800 lone surrogate"]
)
def test_any_unicode_is_handled(client, text: str) -> None:
    response = client.post(
        "/v1/classify", content=json.dumps({"text": text}), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200 or 400 <= response.status_code < 500


def test_unknown_target_is_422_naming_the_field(client) -> None:
    assert_error(client.post("/v1/classify", json={"text": "x", "targets": ["EU"]}), 422, "unknown_target", "targets")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": 5}, "text"),
        ({"text": "a", "sentences": ["b"]}, None),
        ({}, None),
        ({"text": "a", "colour": "red"}, "colour"),
        ({"sentences": "not a list"}, "sentences"),
        ({"sentences": [True]}, "sentences.0"),
        ({"text": "a", "targets": "NATO"}, "targets"),
    ],
)
def test_schema_errors_are_422_naming_the_field(client, body: dict, field: str | None) -> None:
    response = client.post("/v1/classify", json=body)
    assert_error(response, 422, "invalid_request", field)


def test_invalid_json_and_non_utf8_are_422(client) -> None:
    headers = {"content-type": "application/json"}
    assert_error(client.post("/v1/classify", content=b"{not json", headers=headers), 422, "invalid_request")
    assert_error(client.post("/v1/classify", content=b'{"text": "\xff\xfe"}', headers=headers), 422, "invalid_request")


def test_body_over_the_limit_is_413_even_when_streamed(client) -> None:
    big = json.dumps({"text": "word " * 10_000}).encode()
    assert_error(
        client.post("/v1/classify", content=big, headers={"content-type": "application/json"}), 413, "too_large"
    )

    def chunks():
        for start in range(0, len(big), 1000):
            yield big[start : start + 1000]

    assert_error(
        client.post("/v1/classify", content=chunks(), headers={"content-type": "application/json"}), 413, "too_large"
    )


def test_too_many_sentences_or_documents_is_413(client) -> None:
    assert_error(client.post("/v1/classify", json={"sentences": ["x."] * 51}), 413, "too_large")
    docs = [{"text": "x."}] * 4
    assert_error(client.post("/v1/classify/batch", json={"documents": docs}), 413, "too_large", "documents")


def test_model_card(client) -> None:
    card = client.get("/v1/model").json()
    assert card["name"] == "sayso-default" and card["ready"] is True
    assert [t["name"] for t in card["targets"]] == ["Kosovo", "Serbia", "NATO"]
    assert card["labels"]["type"] == ["fact", "quote", "opinion"]
    assert len(card["training_data_sha256"]) == 64 and "type_macro_f1" in card["dev_metrics"]


def test_health_and_metrics(client) -> None:
    assert client.get("/livez").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ok" and ready["sentences"] == 1
    client.post("/v1/classify", json={"text": "One. Two."})
    text = client.get("/metrics").text
    assert 'sayso_requests_total{method="POST",route="/v1/classify",status="200"}' in text
    for name in (
        "sayso_request_seconds_bucket",
        "sayso_queue_sentences",
        "sayso_batch_sentences_bucket",
        "sayso_sentences_total",
    ):
        assert name in text


def test_openapi_documents_errors_and_examples(client) -> None:
    schema = client.get("/openapi.json").json()
    classify = schema["paths"]["/v1/classify"]["post"]
    assert {"413", "422", "429", "503", "504"} <= set(classify["responses"])
    assert "examples" in json.dumps(schema["components"]["schemas"]["ClassifyRequest"])
    assert client.get("/docs").status_code == 200


def test_not_ready_is_503(tiny_model: Path) -> None:
    import threading

    gate = threading.Event()

    def slow_loader(settings):
        from service.app import load_classifier

        gate.wait(10)
        return load_classifier(settings)

    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    with TestClient(create_app(Settings(model_dir=tiny_model, threads=1), classifier_factory=slow_loader)) as c:
        assert_error(c.get("/readyz"), 503, "not_ready")
        assert_error(c.post("/v1/classify", json={"text": "x"}), 503, "not_ready")
        assert c.get("/livez").status_code == 200
        gate.set()
        wait_ready(c)
        assert c.post("/v1/classify", json={"text": "x"}).status_code == 200


def test_api_key_guards_v1_only(tiny_model: Path) -> None:
    with make_client(tiny_model, api_key="s3cret") as c:
        wait_ready(c)
        assert_error(c.post("/v1/classify", json={"text": "x"}), 401, "unauthorized")
        assert_error(c.get("/v1/model", headers={"Authorization": "Bearer wrong"}), 401, "unauthorized")
        assert c.get("/v1/model", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/livez").status_code == 200 and c.get("/metrics").status_code == 200


def test_queue_full_is_429_and_timeout_is_504(tiny_model: Path) -> None:
    with make_client(tiny_model, max_queue_sentences=1) as c:
        wait_ready(c)
        response = c.post("/v1/classify", json={"sentences": ["a.", "b."]})
        assert_error(response, 429, "overloaded")
        assert response.headers["retry-after"] == "1"
    with make_client(tiny_model, request_timeout_s=0.000001) as c:
        wait_ready(c)
        assert_error(c.post("/v1/classify", json={"text": "Some words here."}), 504, "timeout")


def test_missing_model_fails_fast(tmp_path: Path) -> None:
    from models.encoder import ModelFolderError
    from service.app import create_app
    from service.settings import Settings

    with pytest.raises(ModelFolderError, match="sayso train"):
        create_app(Settings(model_dir=tmp_path / "none"))
