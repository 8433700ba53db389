"""Property-based checks against the app's own OpenAPI schema: documented answers, never a 5xx."""

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.service.conftest import make_client, wait_ready


def test_api_conforms_to_its_schema(tiny_model: Path) -> None:
    # Room for every sentence a schema-valid text can hold, so a 413 is never a valid answer.
    with make_client(tiny_model, max_body_bytes=20_000, max_sentences=10_000, max_documents=8) as client:
        wait_ready(client)
        # From the running client: a second ASGI client would run (and on exit, end) the app lifespan.
        schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
        checked = []
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy())
            @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            def check(case) -> None:
                kwargs = case.as_transport_kwargs()
                response = client.request(**{k: v for k, v in kwargs.items() if k != "base_url"})
                assert response.status_code < 500, (case.as_curl_command(), response.text)
                case.validate_response(response)

            check()
            checked.append(operation.label)
    assert {"POST /v1/classify", "POST /v1/classify/batch", "GET /v1/model", "GET /readyz"} <= set(checked)
