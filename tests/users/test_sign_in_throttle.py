"""Sign-in throttling (django-axes, ``cms/settings/signin.py``): guessing a password is
refused after a few tries, with a page saying so in the user's language."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from lxml import html as lxml_html

from tests.factories import country_user

LIMIT = 5


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, **extra)


def fail(client: Client, username: str, times: int = LIMIT, **extra) -> None:
    """``times`` wrong passwords; the last of ``LIMIT`` is already refused as a lock."""
    for attempt in range(1, times + 1):
        response = sign_in(client, username, "wrong", **extra)
        # The form again, saying the password is wrong; then the lock.
        assert response.status_code == (429 if attempt == LIMIT else 200)


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def editor(db):
    return country_user("CZ", username="jana")


def test_after_the_limit_even_the_right_password_is_refused_with_a_page_saying_so(editor):
    client = Client(HTTP_ACCEPT_LANGUAGE="cs")
    fail(client, "jana")
    response = sign_in(client, "jana", "pw")
    html = response.content.decode()
    assert response.status_code == 429
    assert not is_signed_in(client)
    assert "Přihlašování pozastaveno" in html  # the admin's language, not English
    assert "15 min" in html
    assert response["Retry-After"] == str(15 * 60)
    assert "no-cache" in response["Cache-Control"]


def test_the_limit_counts_failures_not_sign_ins(editor):
    client = Client()
    fail(client, "jana", LIMIT - 1)
    assert sign_in(client, "jana", "pw").status_code == 302
    assert is_signed_in(client)
    # A success clears the count: the editor has the full allowance again.
    other = Client()
    fail(other, "jana", LIMIT - 1)
    assert sign_in(other, "jana", "pw").status_code == 302


def test_the_lock_is_on_the_name_at_that_address_only(editor):
    """A stranger guessing from elsewhere cannot lock the editor out of the office."""
    fail(Client(REMOTE_ADDR="203.0.113.9"), "jana")
    office = Client(REMOTE_ADDR="198.51.100.4")
    assert sign_in(office, "jana", "pw").status_code == 302
    # And another name at the stranger's address is not locked either.
    country_user("CZ", username="petr")
    assert sign_in(Client(REMOTE_ADDR="203.0.113.9"), "petr", "pw").status_code == 302


def test_a_forged_forwarded_for_header_does_not_buy_fresh_attempts(editor, settings):
    """Only a trusted proxy's X-Forwarded-For names the client (cms.ops.addresses)."""
    settings.TRUSTED_PROXIES = []
    for number in range(1, LIMIT + 1):
        response = sign_in(
            Client(REMOTE_ADDR="203.0.113.9"),
            "jana",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
        assert response.status_code == (429 if number == LIMIT else 200)
    refused = sign_in(Client(REMOTE_ADDR="203.0.113.9"), "jana", "pw")
    assert refused.status_code == 429


def test_behind_a_trusted_proxy_the_client_behind_it_is_locked_not_the_proxy(editor, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    fail(proxy, "jana", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert sign_in(proxy, "jana", "pw", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    assert sign_in(proxy, "jana", "pw", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302


def test_the_lock_ends_after_the_cool_off(editor):
    from axes.models import AccessAttempt

    client = Client()
    fail(client, "jana")
    assert sign_in(client, "jana", "pw").status_code == 429
    # A try while locked is refused and starts the wait again, as the page says.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))
    assert sign_in(client, "jana", "pw").status_code == 429
    assert AccessAttempt.objects.get().attempt_time > timezone.now() - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "jana", "pw").status_code == 302


def test_a_network_administrator_unlocks_a_name_with_a_command(editor):
    client = Client()
    fail(client, "jana")
    call_command("axes_reset_username", "jana", verbosity=0)
    assert sign_in(client, "jana", "pw").status_code == 302


def test_the_visitor_sites_member_sign_in_is_throttled_in_the_visitors_language(editor):
    from cms.core.models import Country
    from cms.events.models import EventIndexPage
    from tests.factories import restrict

    restrict(
        EventIndexPage.objects.child_of(Country.objects.get(code="CZ").home_page).get(), "login"
    )
    client = Client(HTTP_HOST="cz.localhost")
    login_url = client.get("/cs/akce/")["Location"].split("?")[0]
    for attempt in range(1, LIMIT + 1):
        response = client.post(login_url, {"username": "jana", "password": "x"})
        assert response.status_code == (429 if attempt == LIMIT else 200)
    response = client.post(login_url, {"username": "jana", "password": "pw"})
    html = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="cs">' in html and "Chyba 429" in html
    assert "Přihlašování pozastaveno" in html
    assert not is_signed_in(client)


# The passwords of protected pages and document collections
# (cms.users.lockout.PasswordGuessThrottle).


@pytest.fixture
def guesses_forgotten(settings):
    """The guesses are counted in the cache, which outlives a test's rolled-back database.

    Counted in fixed windows (django-ratelimit): a window of a day, not 15 minutes, so that
    none ends in the middle of a test and forgets its guesses."""
    from django.core.cache import cache

    settings.AXES_COOLOFF_TIME = timedelta(days=1)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def protected_page(db, guesses_forgotten):
    from cms.core.models import Country
    from tests.factories import news_page, path_of, restrict

    page = news_page(Country.objects.get(code="CZ"), title={"en": "Members", "cs": "Členové"})
    restrict(page)  # the password is "secret"
    client = Client(HTTP_HOST="cz.localhost")
    address = path_of(page, "cs")
    form = lxml_html.fromstring(client.get(address).content)
    return address, form.xpath("//form[@method='post']/@action")[0]


def guess(address_and_action, password: str, ip: str = "203.0.113.9"):
    address, action = address_and_action
    client = Client(HTTP_HOST="cz.localhost", REMOTE_ADDR=ip)
    return client.post(action, {"password": password, "return_url": address})


def test_password_guesses_on_a_protected_page_are_refused_past_the_limit(protected_page):
    for _ in range(LIMIT):
        assert guess(protected_page, "guess").status_code == 200  # the form, saying it is wrong
    response = guess(protected_page, "secret")
    html = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="cs">' in html and "Chyba 429" in html
    assert "Příliš mnoho chybných hesel" in html and "Příliš mnoho pokusů" in html
    assert 0 < int(response["Retry-After"]) <= 24 * 60 * 60
    # Another address is not refused, and a right password there opens the page.
    assert guess(protected_page, "secret", ip="198.51.100.4").status_code == 302


def test_a_right_password_is_not_counted_as_a_guess(protected_page):
    for _ in range(LIMIT + 2):
        assert guess(protected_page, "secret").status_code == 302


def test_password_guesses_on_a_document_collection_are_refused_too(db, guesses_forgotten):
    from wagtail.models import CollectionViewRestriction

    from tests.core.test_media_isolation import make_document

    document = make_document("CZ", "Board minutes", "board-minutes.txt")
    restriction = CollectionViewRestriction.objects.create(
        collection=document.collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="minutes",
    )
    action = f"/documents/authenticate_with_password/{restriction.pk}/"
    client = Client(HTTP_HOST="cz.localhost")
    for _ in range(LIMIT):
        response = client.post(action, {"password": "guess", "return_url": document.url})
        assert response.status_code == 200
    refused = client.post(action, {"password": "minutes", "return_url": document.url})
    assert refused.status_code == 429
    assert "Retry-After" in refused


def test_guesses_sent_at_once_are_counted_before_any_is_answered(protected_page):
    """Counted as they arrive: a burst of parallel guesses got each one checked when the
    count only grew as each was answered (40 at once, all 40 checked)."""
    from django.test import RequestFactory
    from django.urls import resolve

    from cms.users.lockout import PasswordGuessThrottle

    _, action = protected_page
    throttle = PasswordGuessThrottle(lambda request: None)
    answers = []
    for _ in range(LIMIT + 1):  # none of them answered yet
        request = RequestFactory().post(action, {"password": "guess"}, HTTP_HOST="cz.localhost")
        request.resolver_match = match = resolve(action)
        answers.append(throttle.process_view(request, match.func, (), match.kwargs))
    assert answers[:LIMIT] == [None] * LIMIT
    assert answers[LIMIT].status_code == 429


# The admin's sign-in locks (cms.users.sign_in_locks): where a network administrator unlocks.


def test_a_network_administrator_sees_the_locks_and_unlocks_a_name(editor):
    from tests.factories import logged_in, network_admin

    fail(Client(), "jana")
    admin = logged_in(network_admin())
    page = admin.get("/admin/sign-in-locks/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<td>jana</td>" in html and "<td>127.0.0.1</td>" in html
    assert "/admin/sign-in-locks/" in admin.get("/admin/").content.decode()  # the menu
    unlock = re.search(r'action="(/admin/sign-in-locks/\d+/unlock/)"', html).group(1)
    assert admin.post(unlock).status_code == 302
    after = admin.get("/admin/sign-in-locks/").content.decode()
    assert "jana may sign in again from 127.0.0.1" in after  # the message
    assert "<td>jana</td>" not in after and "No user name is locked out now." in after
    assert sign_in(Client(), "jana", "pw").status_code == 302


def test_an_editor_neither_sees_nor_lifts_the_locks(editor):
    from axes.models import AccessAttempt

    from tests.factories import logged_in

    fail(Client(), "jana")
    czech = logged_in(country_user("CZ", "moderators"))
    refused = czech.get("/admin/sign-in-locks/")  # Wagtail's "no permission": back home
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    pk = AccessAttempt.objects.get().pk
    assert czech.post(f"/admin/sign-in-locks/{pk}/unlock/").status_code == 302
    assert AccessAttempt.objects.filter(pk=pk).exists()
    assert "/admin/sign-in-locks/" not in czech.get("/admin/").content.decode()


def test_rotating_the_user_agent_buys_no_fresh_attempts(editor):
    """axes keeps one row per user agent; the lock counts them together."""
    for number in range(1, LIMIT + 1):
        response = sign_in(Client(HTTP_USER_AGENT=f"bot/{number}"), "jana", "wrong")
        assert response.status_code == (429 if number == LIMIT else 200)
