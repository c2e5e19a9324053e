"""Two Czech editors change the same page's Czech lead at once, in real browsers.

The first saves; the second's save is refused in Czech, with the first one's text
under the field, the box "take their value instead of mine" and the button to discard
and reload (``cms.core.concurrent_edits``, ``cms.core.viewsets``). Nothing is saved
behind the second editor's back while they read (Wagtail's autosave did save "mine"
within a second). The second ticks the box and saves: the first one's lead stands and the
second one's other change (the English lead) is saved too. Screenshots in
``test-artifacts/browser/`` (``two-editors-*.png``).

Like ``test_editor_languages.py``, it shares the ``demo_server`` and has no transaction of
its own (a transactional test's flush would leave the editorial flow, run last, an empty
network): what it creates is committed at once and deleted at the end.

Run on its own: ``make test-browser`` (see ``tests/browser/conftest.py``).
"""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from wagtail.models import Page

from cms.core.models import Country
from tests.factories import country_user, news_page

PASSWORD = "browser-two-editors-pw"  # noqa: S105


def person(code: str, role: str, tag: str):
    user = country_user(code, role, username=f"{code.lower()}-{role}-two-editors-{tag}")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, base: str, user) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def save_draft(page) -> None:
    """The footer's first button ("Uložit koncept", save draft); Wagtail asks first when it
    knows of a newer version (its editing sessions): the confirmation, if any, is accepted."""
    footer = page.locator("footer.footer")
    with page.expect_navigation():
        footer.locator("button.action-save").click()
        dialog_button = page.locator("[data-w-dialog-target=confirm], .w-dialog button.button")
        if dialog_button.first.is_visible():
            dialog_button.first.click()
    page.wait_for_load_state("networkidle")


def test_the_second_editor_takes_the_first_ones_lead_and_keeps_their_own_english(
    demo_server, django_db_blocker, new_page, artifacts
):
    shots = []

    def shot(page, name):
        path = artifacts / f"two-editors-{len(shots) + 1:02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        shots.append(path)

    def latest_revision():
        with django_db_blocker.unblock():
            return Page.objects.get(pk=item_pk).get_latest_revision().content

    base = demo_server.url
    tag = uuid.uuid4().hex[:6]
    first_lead, second_lead = f"Úvod první {tag}", f"Úvod druhý {tag}"
    english = f"English lead by the second {tag}"
    with django_db_blocker.unblock():
        item = news_page(
            Country.objects.get(code="CZ"),
            title={"cs": f"Dva redaktoři {tag}", "en": f"Two editors {tag}"},
        )
        item.save_revision().publish()
        item_pk = item.pk
        first, second = person("CZ", "editors", tag), person("CZ", "moderators", tag)
    try:
        a, b = new_page(), new_page()
        log_in(a, base, first)
        log_in(b, base, second)
        for page in (a, b):
            page.goto(f"{base}/admin/pages/{item_pk}/edit/")
            page.wait_for_load_state("networkidle")

        a.locator("textarea[name=lead_cs]").fill(first_lead)
        save_draft(a)
        shot(a, "first-saved")

        b.locator("textarea[name=lead_cs]").fill(second_lead)
        b.locator("textarea[name=lead_en]").fill(english)
        save_draft(b)
        shot(b, "second-refused")
        assert first_lead in b.content()  # the other editor's value, shown under the field
        take_theirs = b.locator("input[name=take_theirs][value=lead_cs]")
        assert take_theirs.is_visible()
        assert b.get_by_role("link", name="Zahodit mé změny a načíst znovu").is_visible()
        # Nothing is saved behind the editor's back, however long they read (autosave
        # posts a changed form every WAGTAIL_AUTOSAVE_INTERVAL, 500 ms; it did, as "mine").
        b.wait_for_timeout(2000)
        assert latest_revision()["lead_cs"] == first_lead

        take_theirs.check()
        shot(b, "second-takes-theirs")
        save_draft(b)
        shot(b, "second-saved")
        saved = latest_revision()
        assert saved["lead_cs"] == first_lead
        assert saved["lead_en"] == english
        assert all(path.stat().st_size > 0 for path in shots)
    finally:
        with django_db_blocker.unblock():
            Page.objects.filter(pk=item_pk).delete()
            get_user_model().objects.filter(username__endswith=f"-two-editors-{tag}").delete()
