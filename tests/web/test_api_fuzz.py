"""Every operation in the OpenAPI schema, fed generated input: never a 5xx, and every 4xx is JSON
with a ``detail`` saying what is wrong. Covers each domain's router as soon as it is added.

A second pass feeds every operation *hostile* values in every place of the request (path,
query, each leaf of the JSON body): huge and tiny numbers in every spelling, non-ASCII digits,
control characters and very long strings."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.core import NotSet

from parsoc.web.wsgi import application

SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# Long-lived event streams are exercised by their own tests, not by a fuzzer.
OPERATIONS = [
    op.ok() for op in SCHEMA.get_all_operations()
    if not any(word in op.ok().path for word in ("stream", "events", "feed"))
]
REAL_SLUG = "test-chapter"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """In-process WSGI calls fire request_started/finished, whose ``close_old_connections``
    would close the test's own (transaction-wrapped) connection on PostgreSQL. Django's test
    client disconnects it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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


# Huge and tiny numbers in every spelling, non-ASCII digits, control characters, long strings.
HOSTILE_SCALARS = [
    2**70, -(2**70), 2**63, 10**30, 1e308, -1e308, 5e-324, 1e-300, float("inf"), float("-inf"), float("nan"), 0, -1,
    "1e400", "1e999999", "1e10000000", "-1e400", "1e-400", "NaN", "Infinity", "-inf", "1" * 100_000, "9" * 4301,
    "١٢", "１２", "٣/٤", "1_000", "0x10", "0b11", "1/0", "3/2", "60%", "", " ", "\x00", "12\x00", "\u202e1",
    "x" * 100_000, "\ud7ff" * 10, "<script>", "../../etc/passwd", True, None, [], {},
]
HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_SCALARS),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),
)


def _hostile(value, draw):
    """``value`` with each leaf replaced by a hostile one."""
    if isinstance(value, dict):
        return {k: _hostile(v, draw) for k, v in value.items()}
    if isinstance(value, list):
        return [_hostile(v, draw) for v in value] or [draw(HOSTILE)]
    return draw(HOSTILE)


def _text(value) -> str:
    if isinstance(value, float) or isinstance(value, (list, dict)) or value is None or isinstance(value, bool):
        return str(value)
    return str(value).replace("\x00", "")


@pytest.mark.parametrize("operation", OPERATIONS, ids=[f"{o.method.upper()} {o.path}" for o in OPERATIONS])
def test_hostile_values_get_clear_answers(council_world, operation):
    from django.test import Client

    from parsoc.web.accounts.models import ApiToken

    token = ApiToken.issue(council_world.facilitator, "fuzz")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)

    @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.generate])  # no shrinking: the failing case is printed as it is
    @given(case=operation.as_strategy(), data=st.data())
    def check(case, data):
        draw = data.draw
        if case.path_parameters:
            case.path_parameters = {
                k: (REAL_SLUG if k == "slug" else _text(draw(HOSTILE)) or "0") for k in case.path_parameters}
        if case.query:
            case.query = {k: _text(draw(HOSTILE)) for k in case.query}
        if isinstance(case.body, (dict, list)):
            case.body = _hostile(case.body, draw)
        # Sent by Django's test client: requests (under schemathesis) refuses NaN and infinity in JSON.
        url = quote(case.formatted_path, safe="/") + ("?" + urlencode(case.query, doseq=True) if case.query else "")
        body = json.dumps(case.body) if case.body is not None and not isinstance(case.body, NotSet) else ""
        response = client.generic(case.method, url, body, content_type="application/json")
        label = f"{case.method} {url[:200]} -> {response.status_code}"
        assert response.status_code < 500, label + f": {response.content[:300]!r}"
        if 400 <= response.status_code < 500:
            assert json.loads(response.content).get("detail"), label

    check()
