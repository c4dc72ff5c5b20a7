"""Every operation in the OpenAPI schema, fed generated input: never a 5xx, and every 4xx is JSON
with a ``detail`` saying what is wrong. Covers each domain's router as soon as it is added."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsoc.web.wsgi import application

SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# Long-lived event streams are exercised by their own tests, not by a fuzzer.
OPERATIONS = [
    op.ok() for op in SCHEMA.get_all_operations()
    if not any(word in op.ok().path for word in ("stream", "events", "feed"))
]
REAL_SLUG = "test-chapter"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["anonymous", "facilitator"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=[f"{o.method.upper()} {o.path}" for o in OPERATIONS])
def test_generated_requests_get_clear_answers(council_world, operation, role):
    from parsoc.web.accounts.models import ApiToken

    headers = {}
    if role == "facilitator":
        headers["Authorization"] = "Bearer " + ApiToken.issue(council_world.facilitator, "fuzz")[1]

    @settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), real=st.booleans())
    def check(case, real):
        if real and case.path_parameters and "slug" in case.path_parameters:
            case.path_parameters["slug"] = REAL_SLUG
        response = case.call(headers=headers)
        label = f"{case.method} {case.formatted_path} -> {response.status_code}"
        assert response.status_code < 500, label + f": {response.text[:300]}"
        if 400 <= response.status_code < 500:
            body = json.loads(response.text)
            assert body.get("detail"), label

    check()
