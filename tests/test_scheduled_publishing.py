"""Scheduled publishing: an item goes live, and expires, for every channel at once.

An editor (or a moderator approving) sets "go live" and "expiry" times in the page's
status panel; Wagtail's ``publish_scheduled`` command, run by cron every minute
(README, "Running in production"), publishes and unpublishes when they pass. Until then
nothing of the scheduled version reaches visitors, the API or search; then everything
does, through the same signals as a publish by hand. Real time passes (about a second
each way): the command compares with the clock.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cms.news.models import NewsPage
from cms.projections.models import Projection
from cms.search.models import SearchDocument
from tests.factories import country_user, draft_page, news_page, page_form_data

pytestmark = pytest.mark.django_db

LABEL = NewsPage._meta.label
SOON = timedelta(seconds=1)


def after(moment) -> None:
    """Wait until ``moment`` has passed."""
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.05)


def api_titles(client) -> list[str]:
    body = client.get("/api/v3/news/?lang=en&limit=100", HTTP_HOST="cz.localhost").json()
    return [item["title"] for item in body["items"]]


def channels(client, page) -> dict[str, bool]:
    """Where ``page`` can be read now."""
    return {
        "api": page.title_en in api_titles(client),
        "projection": Projection.objects.filter(object_type=LABEL, object_id=page.pk).exists(),
        "search": SearchDocument.objects.filter(kind="news", object_id=page.pk).exists(),
    }


NOWHERE = {"api": False, "projection": False, "search": False}
EVERYWHERE = {"api": True, "projection": True, "search": True}


def schedule(page, **times):
    """Publish ``page``'s latest version with go-live/expiry ``times``, as the admin does."""
    for name, moment in times.items():
        setattr(page, name, moment)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return revision


def test_a_new_page_goes_live_at_its_time_and_not_before(client, country):
    page = draft_page(country("CZ"), "news", title="Scheduled info day").specific
    go_live_at = timezone.now() + SOON
    schedule(page, go_live_at=go_live_at)
    assert not page.live
    call_command("publish_scheduled")  # too early: nothing
    assert channels(client, page) == NOWHERE

    after(go_live_at)
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert channels(client, page) == EVERYWHERE


def test_a_new_version_of_a_live_page_replaces_it_at_its_time(client, country):
    page = news_page(country("CZ"), title={"en": "Conference in Milan"})
    page.save_revision().publish()
    page.refresh_from_db()
    page.title_en = "Conference in Milan, moved to June"
    go_live_at = timezone.now() + SOON
    schedule(page, go_live_at=go_live_at)
    assert "Conference in Milan" in api_titles(client)  # the live version stays
    assert "Conference in Milan, moved to June" not in api_titles(client)

    after(go_live_at)
    call_command("publish_scheduled")
    assert "Conference in Milan, moved to June" in api_titles(client)
    assert "Conference in Milan" not in api_titles(client)


def test_a_page_leaves_every_channel_when_it_expires(client, country):
    page = news_page(country("CZ"), title={"en": "Call for applications"})
    expire_at = timezone.now() + SOON
    schedule(page, expire_at=expire_at)
    assert channels(client, page) == EVERYWHERE

    after(expire_at)
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live and page.expired
    assert channels(client, page) == NOWHERE
    # The API's consumers learn it is gone.
    since = (expire_at - timedelta(minutes=1)).isoformat().replace("+", "%2B")
    body = client.get(f"/api/v3/news/?lang=en&updated_since={since}", HTTP_HOST="cz.localhost")
    body = body.json()
    assert page.pk in [item["id"] for item in body["deleted"]]


def test_an_approved_submission_waits_for_its_go_live_time(client, country):
    """The editor schedules in the admin and submits; the country's moderator approves;
    the page goes live when its time comes, not at the approval."""
    cz = country("CZ")
    page = draft_page(cz, "news")
    go_live_at = timezone.localtime() + timedelta(seconds=3)
    editor = Client()
    editor.force_login(country_user("CZ"))
    data = {
        **page_form_data("news", title="Study trip to Milan", slug=page.slug),
        "go_live_at": go_live_at.strftime("%Y-%m-%d %H:%M:%S"),
        "action-submit": "1",
    }
    assert editor.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state

    moderator = Client()
    moderator.force_login(country_user("CZ", "moderators"))
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    assert moderator.post(url).status_code == 302
    page.refresh_from_db()
    assert not page.live and page.status_string.lower().startswith("scheduled")
    assert channels(client, page) == NOWHERE

    after(go_live_at)
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live and page.title_en == "Study trip to Milan"
    assert channels(client, page) == EVERYWHERE
