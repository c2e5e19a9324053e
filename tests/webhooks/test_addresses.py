"""Webhooks go to public addresses only, and follow no redirect (``cms.webhooks.addresses``,
``cms.webhooks.transport``): an administrator's URL must not make the server send requests
into its own network. ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES`` lets development and the tests
use local receivers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import translation
from wagtail.users.models import UserProfile

from cms.webhooks.delivery import claim, send
from cms.webhooks.models import Webhook, WebhookDelivery
from tests.factories import network_admin
from tests.webhooks.receiver import Receiver, hook

public_only = override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=False)

NOT_PUBLIC = [
    "http://127.0.0.1:8000/hook",  # loopback
    "http://localhost:3000/hook",  # loopback by name (RFC 6761)
    "http://[::1]/hook",
    "http://10.1.2.3/hook",  # private
    "https://192.168.0.10/hook",
    "http://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
    "http://[fe80::1]/hook",
    "http://224.0.0.1/hook",  # multicast
    "http://240.0.0.1/hook",  # reserved
    "http://0.0.0.0:8000/hook",  # unspecified
    "http://[::ffff:127.0.0.1]/hook",  # IPv4 loopback written as IPv6
    "http://100.64.0.1/hook",  # shared address space (carrier NAT)
    "http://[2002:7f00:1::1]/hook",  # 6to4 carrying 127.0.0.1
]


def webhook(country, url: str) -> Webhook:
    return Webhook(country=country, name="front end", url=url, events=["published"])


@public_only
@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_a_url_naming_an_address_that_is_not_public_is_refused_at_save(country, url):
    with pytest.raises(ValidationError) as refused:
        webhook(country("CZ"), url).full_clean()
    assert list(refused.value.message_dict) == ["url"]
    assert "public addresses only" in refused.value.message_dict["url"][0]


@public_only
@pytest.mark.parametrize("url", ["http://2130706433/hook", "http://127.1/", "http://0x7f.1/"])
def test_loopback_in_a_numeric_shorthand_is_refused_at_save_too(country, url):
    """The C library reads these as 127.0.0.1; Django's URL validation refuses them."""
    with pytest.raises(ValidationError) as refused:
        webhook(country("CZ"), url).full_clean()
    assert list(refused.value.message_dict) == ["url"]


@public_only
@pytest.mark.parametrize(
    "url",
    ["https://front.example.org/hook", "http://93.184.216.34/hook", "https://[2606:4700::1]/"],
)
def test_public_urls_are_accepted(country, url):
    webhook(country("CZ"), url).full_clean()


@override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True)
def test_the_setting_allows_local_urls(country):
    webhook(country("CZ"), "http://127.0.0.1:8000/hook").full_clean()


@public_only
def test_the_admin_refuses_a_private_url_in_the_administrators_language(country):
    admin = network_admin()
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "de"
    profile.save()
    client = Client()
    client.force_login(admin)
    form = {
        "name": "metadata",
        "country": country("CZ").pk,
        "url": "http://169.254.169.254/latest/meta-data/",
        "events": ["published"],
        "secret": "s" * 40,
        "active": "on",
    }
    with translation.override("de"):
        expected = translation.gettext(
            "%(host)s is a local, private or reserved address; webhooks are sent to "
            "public addresses only."
        ) % {"host": "169.254.169.254"}
    response = client.post("/admin/snippets/webhooks/webhook/add/", form)
    assert "webhooks are sent to public" not in expected  # translated into German
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Webhook.objects.filter(name="metadata").exists()


def sent(delivery: WebhookDelivery) -> WebhookDelivery:
    """``delivery`` sent once, as a sender does (claimed, then sent); reloaded."""
    assert claim(delivery.pk) is not None
    send(WebhookDelivery.objects.select_related("webhook").get(pk=delivery.pk))
    delivery.refresh_from_db()
    return delivery


@public_only
def test_a_delivery_to_a_name_resolving_to_loopback_is_refused(country, endpoint):
    port = endpoint.server.server_address[1]
    webhook = hook(country("CZ"), f"http://localhost:{port}/hook")  # saved before the check
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="published", payload={})
    delivery = sent(delivery)
    assert endpoint.requests == []
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, None)
    assert delivery.error.startswith("Refused: localhost resolves to 127.0.0.1")
    assert "not a public address" in delivery.error


@override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True)
def test_the_setting_lets_deliveries_reach_local_receivers_by_name(country, endpoint):
    port = endpoint.server.server_address[1]
    webhook = hook(country("CZ"), f"http://localhost:{port}/hook?site=cz")
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="published", payload={})
    delivery = sent(delivery)
    assert (delivery.status, delivery.response_code) == ("delivered", 200)
    (headers, _body), *_ = endpoint.requests
    assert headers["Host"] == f"localhost:{port}"  # the name, though the address was dialled


def test_a_redirect_is_not_followed(country, endpoint):
    elsewhere = Receiver()
    try:
        endpoint.status = 302
        endpoint.headers = {"Location": elsewhere.url}
        webhook = hook(country("CZ"), endpoint.url)
        delivery = WebhookDelivery.objects.create(webhook=webhook, event="published", payload={})
        delivery = sent(delivery)
    finally:
        elsewhere.close()
    assert len(endpoint.requests) == 1
    assert elsewhere.requests == []
    assert (delivery.status, delivery.response_code) == ("pending", 302)
    assert delivery.error == (
        f"HTTP 302: redirected to {elsewhere.url}; webhooks do not follow redirects"
    )
