"""Webhooks, end to end against a real HTTP server on 127.0.0.1.

Deliveries are recorded in the editor's transaction and sent after commit;
``django_capture_on_commit_callbacks(execute=True)`` runs the commit hooks
the way a real request's commit would (the test transaction never commits).
"""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.clusters.models import ClusterProfile
from cms.projections.models import Tombstone
from cms.webhooks.delivery import claim, send
from cms.webhooks.models import WebhookDelivery
from tests.api.conftest import published_news
from tests.factories import country_user, network_admin
from tests.webhooks.receiver import (
    Dribbler,
    Receiver,
    closed_port_url,
    edit,
    events,
    hook,
    self_signed_tls,
    verify,
)


def test_publishing_sends_a_signed_event(country, endpoint, django_capture_on_commit_callbacks):
    page = published_news(country("CZ"), title={"en": "Signed", "cs": "Podepsáno"})
    webhook = hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Signed again")

    assert len(endpoint.requests) == 1
    headers, body = endpoint.requests[0]
    assert verify(headers, body, webhook.secret)
    assert not verify(headers, body, "another secret")
    event = json.loads(body)
    assert event["event"] == "published"
    # English changed, and so did the languages that fall back to it (not Czech, nor
    # Slovak, which falls back to Czech): what a sync in each language would return.
    assert event["object"] == {
        "type": "news.NewsPage",
        "id": page.pk,
        "site": "CZ",
        "languages": ["en", "de", "it", "pl", "sl"],
        "api_url": f"http://cz.localhost/api/v3/pages/{page.pk}/?site=CZ",
        # A language the site does not publish in links the page in the first language of
        # its fallback chain the site has: here English, the text that changed.
        "html_url": {
            code: f"http://cz.localhost/en/news/{page.slug_en}/"
            for code in ("en", "de", "it", "pl", "sl")
        },
    }
    assert event["sequence"] == 1  # the item's first event any webhook heard
    assert event["occurred_at"].endswith("Z")
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("delivered", 200, 1)
    assert (delivery.object_type, delivery.object_id, delivery.sequence) == (
        "news.NewsPage",
        page.pk,
        1,
    )


def test_a_save_that_changes_nothing_a_reader_sees_sends_nothing(
    country, endpoint, django_capture_on_commit_callbacks
):
    page = published_news(country("CZ"), title={"en": "Unchanged"})
    profile = ClusterProfile.objects.filter(country__code="CZ").first()
    hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
        profile.save()
    assert endpoint.requests == []


def test_a_claimed_delivery_waits_for_its_sender_until_the_lease_runs_out(country, endpoint):
    """Claiming is what keeps a worker and the cron from both sending one delivery."""
    webhook = hook(country("CZ"), endpoint.url)
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="published", payload={})
    assert claim(delivery.pk) is not None  # a worker is sending it
    assert claim(delivery.pk) is None  # nobody else can take it
    call_command("deliver_webhooks")
    assert endpoint.requests == []

    # That worker died mid-send: once its lease has run out, the delivery is due again.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("deliver_webhooks")
    assert len(endpoint.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_a_sender_whose_lease_ran_out_leaves_the_outcome_to_the_new_one(country, endpoint):
    webhook = hook(country("CZ"), endpoint.url)
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="published", payload={})
    claim(delivery.pk)
    late = WebhookDelivery.objects.select_related("webhook").get(pk=delivery.pk)
    # Meanwhile its lease ran out and another sender claimed the delivery.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert claim(delivery.pk) is not None
    send(late)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)  # the new sender's to record


def test_unpublish_and_delete_are_sent(country, endpoint, django_capture_on_commit_callbacks):
    page = published_news(country("CZ"), title={"en": "Short-lived"})
    hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
        page.refresh_from_db()
        page.delete()
    sent = events(endpoint)
    assert [event["event"] for event in sent] == ["unpublished", "published", "deleted"]
    assert [event["sequence"] for event in sent] == [1, 2, 3]
    # Removals name the languages the item was served in, and where it was.
    assert sent[0]["object"]["languages"] == ["en", "cs", "de", "it", "pl", "sk", "sl"]
    assert sent[2]["object"]["languages"] == sent[0]["object"]["languages"]
    assert sent[2]["object"]["html_url"] is None
    assert sent[2]["object"]["api_url"] == f"http://cz.localhost/api/v3/pages/{page.pk}/?site=CZ"


def test_sequence_numbers_go_on_after_the_delivery_log_is_cleared(
    country, endpoint, django_capture_on_commit_callbacks
):
    """An administrator may delete deliveries; the item's next event still gets a new number."""
    page = published_news(country("CZ"), title={"en": "Numbered"})
    webhook = hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Numbered, once")
    webhook.deliveries.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Numbered, twice")
    assert [event["sequence"] for event in events(endpoint)] == [1, 2]


def test_a_page_made_private_is_sent_as_unpublished_once(
    country, endpoint, django_capture_on_commit_callbacks
):
    """It leaves the API as if unpublished (its sync tombstone says so): the webhook too."""
    page = published_news(country("CZ"), title={"en": "Soon private"})
    hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()  # an ordinary unpublish: one event, not two
    sent = events(endpoint)
    assert [event["event"] for event in sent] == ["unpublished", "published", "unpublished"]
    assert sent[0]["object"]["id"] == page.pk and sent[0]["object"]["site"] == "CZ"
    assert "en" in sent[0]["object"]["languages"]


def test_a_private_section_deleted_stays_gone(
    country, endpoint, django_capture_on_commit_callbacks
):
    """Deleting a section deletes its view restriction too: that is no lifting of it, so
    the pages below are not announced as published again, and their tombstones say they
    were deleted (whichever order Django deletes the tables in)."""
    page = published_news(country("CZ"), title={"en": "Private, then deleted"})
    section = page.get_parent()
    hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=section, restriction_type="login")
    with django_capture_on_commit_callbacks(execute=True):
        section.delete()
    about_page = [event for event in events(endpoint) if event["object"]["id"] == page.pk]
    assert [event["event"] for event in about_page] == ["unpublished", "deleted"]
    assert Tombstone.objects.get(object_id=page.pk).reason == Tombstone.Reason.DELETED


def test_only_the_sites_webhooks_and_the_hubs_hear(
    country, endpoint, django_capture_on_commit_callbacks
):
    other = Receiver()
    try:
        page = published_news(country("CZ"), title={"en": "Czech only"})
        hook(country("IT"), other.url)
        hub = hook(country("INT"), endpoint.url)
        hook(country("CZ"), endpoint.url, events=["deleted"])
        with django_capture_on_commit_callbacks(execute=True):
            edit(page, "Czech only, edited")
        assert other.requests == []
        assert len(endpoint.requests) == 1  # the hub's; CZ's wants deletions only
        assert WebhookDelivery.objects.get().webhook == hub
    finally:
        other.close()


def test_snippet_save_and_delete_are_sent(country, endpoint, django_capture_on_commit_callbacks):
    hook(country("CZ"), endpoint.url)
    profile = ClusterProfile.objects.filter(country__code="CZ").first()
    with django_capture_on_commit_callbacks(execute=True):
        profile.city = "Ostrava-Poruba"
        profile.save()
    event = json.loads(endpoint.requests[-1][1])
    assert event["event"] == "published"
    assert event["object"]["type"] == "clusters.ClusterProfile"
    assert (event["object"]["id"], event["object"]["site"]) == (profile.pk, "CZ")
    assert (
        event["object"]["api_url"] == f"http://cz.localhost/api/v3/clusters/{profile.pk}/?site=CZ"
    )
    assert set(event["object"]["html_url"]) == set(event["object"]["languages"])

    pk = profile.pk
    with django_capture_on_commit_callbacks(execute=True):
        profile.delete()
    about = [e for e in events(endpoint) if e["object"]["type"] == "clusters.ClusterProfile"]
    assert [(e["event"], e["object"]["id"], e["sequence"]) for e in about] == [
        ("published", pk, 1),
        ("deleted", pk, 2),
    ]
    # The items that showed it were rendered again: each is announced too.
    assert {e["event"] for e in events(endpoint)} - {"deleted"} == {"published"}


@override_settings(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_RETRY_BASE_SECONDS=10)
def test_a_failing_endpoint_is_retried_with_backoff_then_given_up(
    country, endpoint, django_capture_on_commit_callbacks
):
    endpoint.status = 500
    page = published_news(country("CZ"), title={"en": "Endpoint down"})
    webhook = hook(country("CZ"), endpoint.url)
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Endpoint still down")
    assert page.live  # the editor's publish went through
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("pending", 500, 1)
    assert "500" in delivery.error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=8) < first_wait <= timedelta(seconds=10)

    call_command("deliver_webhooks")  # not due yet
    delivery.refresh_from_db()
    assert delivery.attempts == 1

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    call_command("deliver_webhooks")
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert timedelta(seconds=18) < delivery.next_attempt_at - timezone.now() <= timedelta(20)

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    call_command("deliver_webhooks")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert len(endpoint.requests) == 3


def test_a_webhook_switched_off_keeps_its_deliveries_until_it_is_on_again(country, endpoint):
    """Its queued deliveries went on being sent (retries for half an hour) after an
    administrator unticked "active"."""
    webhook = hook(country("CZ"), endpoint.url)
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="published", payload={})
    webhook.active = False
    webhook.save()
    assert claim(delivery.pk) is None
    call_command("deliver_webhooks")
    assert endpoint.requests == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)

    webhook.active = True
    webhook.save()
    call_command("deliver_webhooks")
    assert len(endpoint.requests) == 1


@override_settings(WEBHOOK_TIMEOUT=0.5)
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_an_endpoint_answering_slowly_is_cut_off_at_the_timeout(
    country, scheme, tmp_path, monkeypatch
):
    """Every read of its answer came quickly, so a timeout per read never struck: a send
    took as long as the endpoint liked (80 s in the review), past the claim's lease, and
    the delivery went out again beside it. Now the answer's head must come within
    ``WEBHOOK_TIMEOUT``; a slow one is a failed attempt, retried later. Over HTTPS too
    (the first cut shut the plain socket that TLS had detached, and missed)."""
    tls = None
    if scheme == "https":
        tls, certificate = self_signed_tls(tmp_path)
        monkeypatch.setenv("SSL_CERT_FILE", certificate)  # the client trusts it, nothing else
    endpoint = Dribbler(lines=100, every=0.1, tls=tls)  # ten seconds for its head
    try:
        webhook = hook(country("CZ"), endpoint.url)
        delivery = WebhookDelivery.objects.create(webhook=webhook, event="published", payload={})
        claim(delivery.pk)
        assert not send(WebhookDelivery.objects.select_related("webhook").get(pk=delivery.pk))
    finally:
        endpoint.close()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.error == "TimeoutError: no complete answer within 0.5 s"
    assert delivery.next_attempt_at > timezone.now()  # retried at its backoff time
    deadline = time.monotonic() + 10
    while endpoint.sent is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert endpoint.sent is not None and endpoint.sent < 100  # hung up on mid-answer


def test_connection_refused_is_logged_and_retried_until_the_endpoint_is_back(
    country, endpoint, django_capture_on_commit_callbacks
):
    page = published_news(country("CZ"), title={"en": "Nobody listens"})
    webhook = hook(country("CZ"), closed_port_url())
    with django_capture_on_commit_callbacks(execute=True):
        edit(page, "Nobody listens yet")
    assert page.live
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert delivery.status == "pending" and delivery.response_code is None
    assert "refused" in delivery.error.lower()

    webhook.url = endpoint.url
    webhook.save()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    call_command("deliver_webhooks")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("delivered", 2, "")
    assert verify(*endpoint.requests[0], webhook.secret)


def test_the_editor_publishes_in_the_admin_while_the_endpoint_is_down(
    client, country, django_capture_on_commit_callbacks
):
    page = published_news(country("CZ"), title={"en": "Admin"})
    hook(country("CZ"), closed_port_url())
    client.force_login(country_user("CZ", "moderators"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/{page.pk}/unpublish/", HTTP_HOST="localhost")
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    delivery = WebhookDelivery.objects.get(event="unpublished")
    assert delivery.status == "pending" and "refused" in delivery.error.lower()


@pytest.mark.parametrize(
    ("who", "allowed"), [("editor", False), ("network admin", True), ("superuser", True)]
)
def test_only_network_administrators_manage_webhooks(client, db, who, allowed):
    from django.contrib.auth import get_user_model

    user = {
        "editor": lambda: country_user("CZ"),
        "network admin": network_admin,
        "superuser": lambda: get_user_model().objects.create_superuser("root", "r@x.org", "pw"),
    }[who]()
    client.force_login(user)
    for url in (
        "/admin/snippets/webhooks/webhook/",
        "/admin/snippets/webhooks/webhook/add/",
    ):
        response = client.get(url, HTTP_HOST="localhost")
        assert (response.status_code == 200) is allowed, (url, response.status_code)
