"""The editorial round trip in a real browser (headless Chromium via Playwright).

A Czech editor logs in and gets the admin in Czech, opens the lead partner's press
release, whose form opens in Czech (then English, the other languages collapsed),
edits its Czech lead and submits it to the Czech moderation workflow; the
Czech moderator approves it from the dashboard; visitors of the CZ site see the
new text; the editor still cannot open a Slovak page. Screenshots of every step
go to ``test-artifacts/browser/``.

Run on its own: ``make test-browser`` (see ``tests/browser/conftest.py``).
"""

from __future__ import annotations

import re
import uuid

import pytest
from wagtail.models import Site
from wagtail.users.models import UserProfile

from cms.core.models import Country
from cms.news.models import NewsPage
from tests.factories import country_user, path_of

PRESS_RELEASE_CS = "Klastrové organizace ze střední Evropy a Clusters – Cord"
PASSWORD = "browser-test-pw"  # noqa: S105


def person(code: str, role: str):
    """A country editor/moderator who logs in with ``PASSWORD``."""
    user = country_user(code, role, username=f"{code.lower()}-{role}-browser")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, base_url: str, user, shot):
    page.goto(f"{base_url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.wait_for_load_state("networkidle")
    shot(page, f"{user.username}-dashboard")


@pytest.mark.django_db(transaction=True)
def test_czech_editor_submits_moderator_approves_visitor_sees_it(live_server, new_page, artifacts):
    screenshots = []

    def shot(page, name):
        path = artifacts / f"{len(screenshots) + 1:02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        screenshots.append(path)

    base = live_server.url  # http://localhost:<port>: the admin answers on any host
    port = base.rsplit(":", 1)[1]
    cz, sk = Country.objects.get(code="CZ"), Country.objects.get(code="SK")
    item = NewsPage.objects.descendant_of(cz.home_page).get(title_cs=PRESS_RELEASE_CS)
    slovak = NewsPage.objects.descendant_of(sk.home_page).live().first()
    assert item.live and slovak is not None
    editor, moderator = person("CZ", "editors"), person("CZ", "moderators")
    assert UserProfile.get_for_user(editor).preferred_language == "cs"
    marker = f"Zkušební úvod z prohlížeče {uuid.uuid4().hex[:8]}"

    # 1. The editor logs in; the admin speaks Czech (the browser itself asks for English).
    editing = new_page()
    log_in(editing, base, editor, shot)
    assert editing.locator("html").get_attribute("lang") == "cs"
    assert editing.get_by_text("Stránky", exact=True).first.is_visible()  # "Pages" in the menu

    # 2. ... opens the press release and changes its Czech lead ...
    page_errors = []
    editing.on("pageerror", lambda error: page_errors.append(error))
    editing.goto(f"{base}/admin/pages/{item.pk}/edit/")
    assert editing.locator("html").get_attribute("lang") == "cs"
    assert editing.locator("input[name=title_cs]").input_value() == PRESS_RELEASE_CS
    # The form opens in the editor's languages without a click: Czech first, then English;
    # the other languages are collapsed behind their picker buttons.
    toggles = editing.locator(".locale-picker button.locale-toggle")
    assert [text.lower() for text in toggles.all_inner_texts()[:2]] == ["cs", "en"]
    assert "showing-locale" in toggles.first.get_attribute("class")
    assert editing.locator("input[name=title_cs]").is_visible()
    assert editing.locator("input[name=title_en]").is_visible()
    assert not editing.locator("input[name=title_sk]").is_visible()
    above = editing.locator("input[name=title_cs]").bounding_box()["y"]
    assert above < editing.locator("input[name=title_en]").bounding_box()["y"]
    # Moving the Czech fields first broke none of the widgets (the StreamField is drawn).
    assert editing.locator("#body_cs-root").count() == 1
    assert not page_errors
    shot(editing, "editor-form-opens-in-czech")
    lead = editing.locator("textarea[name=lead_cs]")
    lead.scroll_into_view_if_needed()
    lead.fill(marker)
    shot(editing, "editor-edits-czech-lead")

    # 3. ... and submits it to the Czech moderation workflow from the footer's action menu.
    footer = editing.locator("footer.footer")
    save_draft = footer.locator("button.action-save")
    assert save_draft.is_visible() and "Uložit" in save_draft.inner_text()  # "Save draft"
    footer.locator("[data-w-dropdown-target=toggle]").first.click()
    submit = footer.locator("button[name=action-submit]")
    submit.wait_for(state="visible")
    assert "Odeslat ke schválení: Moderace – Česká republika" in submit.inner_text()
    shot(editing, "editor-action-menu")
    with editing.expect_navigation():
        submit.click()
    editing.wait_for_load_state("networkidle")
    shot(editing, "editor-submitted")
    item.refresh_from_db()
    state = item.current_workflow_state
    assert state is not None and state.workflow.name == "Moderace – Česká republika"
    assert item.live and item.lead_cs != marker  # still the old text for visitors

    # ... and logs out from the sidebar's account menu ("Odhlásit" = "Log out").
    editing.locator(".sidebar-footer__account").click()
    with editing.expect_navigation():
        editing.get_by_text("Odhlásit", exact=True).click()
    editing.wait_for_url(re.compile(r"/admin/login/"))
    shot(editing, "editor-logged-out")

    # 4. The moderator (a browser of their own) sees it awaiting review and approves it.
    moderating = new_page()
    log_in(moderating, base, moderator, shot)
    assert moderating.locator("html").get_attribute("lang") == "cs"
    assert moderating.get_by_text("Očekává se vaše revize").count() >= 1  # "Awaiting your review"
    moderating.get_by_role("link", name=PRESS_RELEASE_CS).first.click()
    moderating.wait_for_url(re.compile(rf"/admin/pages/{item.pk}/edit/"))
    footer = moderating.locator("footer.footer")
    footer.locator("[data-w-dropdown-target=toggle]").first.click()
    approve = footer.locator(
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    approve.wait_for(state="visible")
    assert approve.inner_text().strip() == "Schválit a publikovat"  # "Approve and Publish"
    shot(moderating, "moderator-action-menu")
    with moderating.expect_navigation():
        approve.click()
    moderating.wait_for_load_state("networkidle")
    shot(moderating, "moderator-approved")
    item.refresh_from_db()
    assert item.live and item.lead_cs == marker and item.current_workflow_state is None

    # 5. A visitor of the Czech site reads the new lead (cz.localhost resolves to 127.0.0.1).
    visiting = new_page()
    hostname = Site.objects.get(country=cz).hostname
    response = visiting.goto(f"http://{hostname}:{port}{path_of(item, 'cs')}")
    assert response.status == 200
    assert visiting.locator("html").get_attribute("lang") == "cs"
    assert visiting.get_by_text(marker).count() >= 1
    shot(visiting, "visitor-sees-it-on-cz-site")

    # 6. The Czech editor, logged in again, cannot open a Slovak page: a 404 naming nothing Slovak.
    log_in(editing, base, editor, shot)
    response = editing.goto(f"{base}/admin/pages/{slovak.pk}/edit/")
    shot(editing, "editor-cannot-open-slovak-page")
    assert response.status == 404
    body = editing.content()
    for text in {slovak.title_sk, slovak.title_en, slovak.lead_sk} - {None, ""}:
        assert text not in body

    assert all(path.stat().st_size > 0 for path in screenshots)
