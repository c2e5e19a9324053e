"""Two Czech editors change the same page's Czech lead at once, in real browsers.

The first saves; the second's save is refused in Czech, with the first one's text
under the field, the box "take their value instead of mine" and the button to discard
and reload (``cms.core.concurrent_edits``, ``cms.core.viewsets``). The second ticks the
box and saves: the first one's lead stands and the second one's other change (the
English lead) is saved too. Screenshots in ``test-artifacts/browser/``.

Run on its own: ``make test-browser`` (see ``tests/browser/conftest.py``).
"""

from __future__ import annotations

import uuid

import pytest

from cms.core.models import Country
from cms.news.models import NewsPage
from tests.browser.test_editorial_flow import PRESS_RELEASE_CS, log_in, person


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


@pytest.mark.django_db(transaction=True)
def test_the_second_editor_takes_the_first_ones_lead_and_keeps_their_own_english(
    live_server, new_page, artifacts
):
    shots = []

    def shot(page, name):
        path = artifacts / f"two-editors-{len(shots) + 1:02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        shots.append(path)

    base = live_server.url
    cz = Country.objects.get(code="CZ")
    item = NewsPage.objects.descendant_of(cz.home_page).get(title_cs=PRESS_RELEASE_CS)
    first, second = person("CZ", "editors"), person("CZ", "moderators")
    tag = uuid.uuid4().hex[:6]
    first_lead, second_lead = f"Úvod první {tag}", f"Úvod druhý {tag}"
    english = f"English lead by the second {tag}"

    a, b = new_page(), new_page()
    log_in(a, base, first, shot)
    log_in(b, base, second, shot)
    for page in (a, b):
        page.goto(f"{base}/admin/pages/{item.pk}/edit/")
        page.wait_for_load_state("networkidle")

    a.locator("textarea[name=lead_cs]").fill(first_lead)
    save_draft(a)
    shot(a, "first-saved")

    b.locator("textarea[name=lead_cs]").fill(second_lead)
    b.locator("textarea[name=lead_en]").fill(english)
    save_draft(b)
    shot(b, "second-refused")
    body = b.content()
    assert first_lead in body  # the other editor's value, shown under the field
    take_theirs = b.locator("input[name=take_theirs][value=lead_cs]")
    assert take_theirs.is_visible()
    assert b.get_by_role("link", name="Zahodit mé změny a načíst znovu").is_visible()
    # Nothing is saved behind the editor's back, however long they read (autosave posts
    # a changed form every WAGTAIL_AUTOSAVE_INTERVAL, 500 ms; it did, as "keep mine").
    b.wait_for_timeout(2000)
    item.refresh_from_db()
    assert (
        item.get_latest_revision().content["lead_cs"] == first_lead
    )  # nothing of the second saved yet

    take_theirs.check()
    shot(b, "second-takes-theirs")
    save_draft(b)
    shot(b, "second-saved")
    item.refresh_from_db()
    saved = item.get_latest_revision().content
    assert saved["lead_cs"] == first_lead
    assert saved["lead_en"] == english
    assert all(path.stat().st_size > 0 for path in shots)
