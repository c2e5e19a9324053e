"""Shared fixtures: the whole network (sites + demo content) is built once per session.

Every test then runs inside a transaction that is rolled back, so tests can
change content freely without seeing each other's changes.
"""

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Site

from cms.core.models import Country


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo_content", stdout=io.StringIO())


@pytest.fixture
def country(db):
    """Look up a synced country by code: ``country("CZ")``."""
    return lambda code: Country.objects.get(code=code)


@pytest.fixture
def site_client(client, db):
    """A test client that talks to a country's site: ``site_client("CZ").get("/cs/")``."""

    def for_country(code: str):
        site = Site.objects.get(country__code=code)
        client.defaults["HTTP_HOST"] = site.hostname
        return client

    return for_country


@pytest.fixture(autouse=True)
def no_language_left_active():
    """A request through the test client leaves its language active in this thread;
    reset it, so that no test depends on which test ran before it."""
    yield
    translation.deactivate()
