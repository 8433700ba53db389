"""Property-based checks against the app's own OpenAPI schema: documented answers, never a 5xx."""

import schemathesis
from hypothesis import HealthCheck, given, settings


def test_api_conforms_to_its_schema(client) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
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
