"""Schemathesis against the JSON API's own OpenAPI schema: every operation, with generated valid and
invalid parameters, signed in as the office and as a unit liaison, never answers a server error.

The schema comes from the API object itself and the requests go to the Django WSGI application in
this process (no server, no network), inside the test's transaction.
"""

from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from gandang.api.main import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()

# Examples per operation and role: the API has ten operations, so the whole run stays under a minute.
EXAMPLES = 25


@pytest.fixture
def records(city):
    """A period of reports and a listing, so that the lists and their filters have rows to find."""
    from gandang.dispatch import services as dispatch
    from gandang.supervision import services as supervision

    dispatch.period_open(actor=city.users["office"], year=2023, month=10)
    supervision.listing_create(
        actor=city.users["office"],
        item=city.items["a"],
        data=supervision.ListingInput(
            level="office", reason="进展缓慢", requirements="加快", deadline=date(2099, 1, 1)
        ),
    )
    return city


@pytest.fixture(params=["office", "liaison_a"])
def session(request, records, client):
    """The session cookie of the role (as a cookie: the WSGI client drops a Cookie header); Django's
    connection kept open across the in-process requests, as Django's own test client keeps it (the
    test's transaction lives on it)."""
    client.force_login(records.users[request.param])
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield {"sessionid": client.cookies["sessionid"].value}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_answers_a_server_error(case, session):
    case.call_and_validate(cookies=session, checks=[not_a_server_error])
