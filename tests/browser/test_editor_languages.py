"""Editors work in their own language first, in a real browser (headless Chromium).

Issue 15's round trip, with the admin in Czech and in Slovak:

1. a Czech editor writes a news item in Czech only (no English at all): its autosave
   (which creates the draft), a later autosave and "Save draft" are all accepted;
2. the explorer and the admin search show her Czech titles (the seeded items' too),
   and the new item is found by a Czech word typed without its diacritics and, once
   she has added an English title, by that English title;
3. she holds Czech back (unticks it under "Publish these translations") and submits:
   the Czech moderator opening the item is warned beside the content that visitors of
   cz.localhost would get the English version instead;
4. a Slovak editor fills in the Slovak text of an English draft and submits it without
   touching the ticks; the Slovak moderator approves it, and visitors of sk.localhost get
   the Slovak version (no silent English fallback).

Screenshots of every step go to ``test-artifacts/browser/`` (``languages-*.png``).

The module shares the ``demo_server`` (one live server over the demo network) instead of
pytest-django's transactional ``live_server``, whose flush afterwards would leave the other
transactional browser test (the editorial flow, which the conftest runs last) an
empty network. So the test has no transaction of its own: its database work (the module
fixture ``scene``, and a look during the test) is committed at once, and what it created is
deleted at the end.

Run on its own: ``make test-browser`` (see ``tests/browser/conftest.py``).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from cms.core.models import Country
from cms.news.models import NewsIndexPage, NewsPage
from tests.factories import country_user, draft_page, path_of

# No ``django_db`` mark: the test's database work (the ``scene`` fixture and two looks) runs
# in autocommit, and a test-wide transaction on its connection would take SQLite's write
# lock at its BEGIN (the settings' IMMEDIATE mode) and hold it against every save the live
# server makes. ``demo_server`` creates the test database (``django_db_setup``) and unblocks
# it for the module.

PASSWORD = "browser-languages-pw"  # noqa: S105
#: A seeded Czech news item (demo content) whose English title differs from its Czech one.
SEEDED_CS = "Klastrové organizace ze střední Evropy a Clusters – Cord"
#: What the edit form's autosave is doing, from Wagtail's own events. The form watches for
#: edits from 2 s after its controller connects, comparing with the form as it was then (an
#: edit typed earlier is taken for the initial state); the controller connects twice (Stimulus
#: reconnects it when ``w-init`` leaves the form's ``data-controller``), so it watches once
#: each connection has taken its snapshot.
AUTOSAVE_EVENTS = """(() => {
  window.editForm = {ready: 0, watching: 0, saves: 0, answers: 0};
  const count = (name, key) => document.addEventListener(name, () => { editForm[key] += 1; });
  count("w-unsaved:ready", "ready");
  count("w-unsaved:watch-edits", "watching");
  count("w-autosave:save", "saves");
  count("w-autosave:success", "answers");
  count("w-autosave:error", "answers");
})();"""
WATCHING_EDITS = "() => editForm.ready > 0 && editForm.watching >= editForm.ready"
#: The edits made since ``saves`` autosaves were started are autosaved: Wagtail's form
#: shows no unsaved edit and no autosave is waiting for its answer. (A form submitted while an
#: autosave is on its way gets that autosave refused, 400 "Saving will overwrite a newer
#: version", as it reaches the server after the submission.)
AUTOSAVED = """saves => editForm.saves > saves && editForm.answers === editForm.saves
    && document.querySelector("[data-edit-form]").dataset.wUnsavedHasEditsValue === 'false'"""


class Steps:
    """Numbered full-page screenshots: ``languages-01-<name>.png``, …"""

    def __init__(self, artifacts):
        self.artifacts = artifacts
        self.paths = []

    def shot(self, page, name: str):
        path = self.artifacts / f"languages-{len(self.paths) + 1:02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        self.paths.append(path)


def person(code: str, role: str, tag: str):
    user = country_user(code, role, username=f"{code.lower()}-{role}-languages-{tag}")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, base: str, user):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert urlsplit(page.url).path == "/admin/", page.url


def footer_action(page, selector: str):
    """A button of the edit form's footer action menu (opened first)."""
    footer = page.locator("footer.footer")
    footer.locator("[data-w-dropdown-target=toggle]").first.click()
    button = footer.locator(selector)
    button.wait_for(state="visible")
    return button


def search(page, base: str, words: str):
    """Search the pages from the admin's search box, as an editor types it."""
    page.goto(f"{base}/admin/pages/search/")
    box = page.locator("main input[name=q]").first
    box.fill(words)
    with page.expect_navigation():
        box.press("Enter")
    assert urlsplit(page.url).query == urlencode({"q": words}), page.url


def messages(page) -> list[str]:
    return [text.strip() for text in page.locator(".messages li").all_inner_texts()]


def result_titles(page) -> list[str]:
    """The page titles of an admin listing (explorer or search results)."""
    return [t.strip() for t in page.locator("table.listing .title-wrapper a").all_inner_texts()]


def edit_and_autosave(page, edits):
    """Make ``edits`` (a function) once the edit form watches, and wait for their autosave.

    So that no autosave is still on its way when the editor then submits: it would reach
    the server after the submission and be refused as out of date (400, rightly).
    """
    page.wait_for_function(WATCHING_EDITS)
    saves = page.evaluate("() => editForm.saves")
    edits()
    page.wait_for_function(AUTOSAVED, arg=saves)


def watch(response, failed: list, autosaves: list):
    """Note any answer >= 400, and the status of each autosave (a POST asking for JSON)."""
    request = response.request
    if response.status >= 400:
        failed.append(f"{response.status} {request.method} {response.url}")
    if request.method == "POST" and "json" in (request.headers.get("accept") or ""):
        if "/admin/pages/" in response.url:
            autosaves.append(response.status)


@dataclass
class Scene:
    tag: str
    cz_editor: object
    cz_moderator: object
    sk_editor: object
    sk_moderator: object
    cz_home_pk: int
    cz_news_pk: int
    cz_news_title_en: str  # "News"
    cz_news_title_cs: str  # the Czech site's news listing, "Aktuality"
    seeded_title_en: str  # the English title of the seeded SEEDED_CS item
    sk_host: str
    cz_host: str
    sk_news_path: str  # the Slovak site's news listing, in Slovak
    english_draft_pk: int  # a Slovak site's news item written in English so far


@pytest.fixture(scope="module")
def scene(demo_server, django_db_blocker):
    """Four people and an English draft on the Slovak site, committed at once and removed
    at the end (see the module's docstring)."""
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock():
        cz, sk = Country.objects.get(code="CZ"), Country.objects.get(code="SK")
        cz_news = NewsIndexPage.objects.child_of(cz.home_page).get()
        assert cz_news.title_en != cz_news.title_cs
        seeded = NewsPage.objects.child_of(cz_news).get(title_cs=SEEDED_CS)
        assert seeded.title_en and seeded.title_en != SEEDED_CS
        sk_news = NewsIndexPage.objects.child_of(sk.home_page).get()
        draft = draft_page(sk, "news", title=f"Cluster day in Bratislava {tag}")
        yield Scene(
            tag=tag,
            cz_editor=person("CZ", "editors", tag),
            cz_moderator=person("CZ", "moderators", tag),
            sk_editor=person("SK", "editors", tag),
            sk_moderator=person("SK", "moderators", tag),
            cz_home_pk=cz.home_page.pk,
            cz_news_pk=cz_news.pk,
            cz_news_title_en=cz_news.title_en,
            cz_news_title_cs=cz_news.title_cs,
            seeded_title_en=seeded.title_en,
            sk_host=Site.objects.get(country=sk).hostname,
            cz_host=Site.objects.get(country=cz).hostname,
            sk_news_path=path_of(sk_news, "sk"),
            english_draft_pk=draft.pk,
        )
        Page.objects.filter(pk=draft.pk).delete()
        for page in NewsPage.objects.filter(title_cs__endswith=tag):
            page.delete()
        get_user_model().objects.filter(username__endswith=f"-languages-{tag}").delete()


def test_own_language_first_in_the_browser(scene, demo_server, new_page, artifacts):
    steps = Steps(artifacts)
    base = demo_server.url
    port = urlsplit(base).port
    tag = scene.tag
    title_cs = f"Studijní cesta potravinářů do Milána {tag}"
    title_en = f"Food producers study trip to Milan {tag}"

    # 1. The Czech editor writes a news item in Czech only: autosaved, then saved as a draft.
    editing = new_page()
    page_errors, failed, autosaves = [], [], []
    editing.add_init_script(AUTOSAVE_EVENTS)
    editing.on("pageerror", lambda error: page_errors.append(error))
    editing.on("response", lambda r: watch(r, failed, autosaves))
    log_in(editing, base, scene.cz_editor)
    assert editing.locator("html").get_attribute("lang") == "cs"
    editing.goto(f"{base}/admin/pages/add/news/newspage/{scene.cz_news_pk}/")

    def write_czech():
        editing.locator("input[name=title_cs]").fill(title_cs)
        editing.locator("textarea[name=lead_cs]").fill("Exkurze do potravinářských podniků.")

    edit_and_autosave(editing, write_czech)  # the autosave creates the draft
    assert editing.locator("input[name=title_en]").input_value() == ""
    steps.shot(editing, "cz-editor-writes-czech-only")
    with editing.expect_navigation():
        editing.locator("footer.footer button.action-save").click()
    steps.shot(editing, "cz-editor-saved-draft")
    edit_url = editing.url
    assert re.search(r"/admin/pages/\d+/edit/$", edit_url), edit_url
    assert [m for m in messages(editing) if title_cs in m], messages(editing)
    assert not editing.locator(".messages .error").count(), messages(editing)
    item = NewsPage.objects.get(title_cs=title_cs)
    assert not item.live and not item.title_en
    assert autosaves == [200], autosaves

    # 2. The explorer names the sections and the news items in Czech, the seeded ones too.
    editing.goto(f"{base}/admin/pages/{scene.cz_home_pk}/")
    titles = result_titles(editing)
    assert scene.cz_news_title_cs in titles and scene.cz_news_title_en not in titles, titles
    editing.goto(f"{base}/admin/pages/{scene.cz_news_pk}/")
    titles = result_titles(editing)
    assert title_cs in titles and SEEDED_CS in titles, titles
    assert scene.seeded_title_en not in titles
    assert scene.cz_news_title_cs in editing.locator("h1, .w-breadcrumbs").first.inner_text()
    steps.shot(editing, "cz-explorer-in-czech")

    # 3. The admin search finds the draft by a Czech word typed without its diacritics.
    search(editing, base, "potravinaru")
    titles = result_titles(editing)
    assert title_cs in titles, titles
    steps.shot(editing, "cz-search-without-diacritics")

    # 4. Back in the Czech-only draft, her typing is autosaved (English still empty) ...
    editing.goto(edit_url)
    assert editing.locator("input[name=title_en]").input_value() == ""
    lead = editing.locator("textarea[name=lead_cs]")
    edit_and_autosave(editing, lambda: lead.press_sequentially(" v Miláně"))
    assert autosaves == [200, 200], autosaves
    steps.shot(editing, "cz-editor-autosaved")

    # ... then she adds the English version, holds Czech back and submits for moderation.
    ready_cs = editing.locator("input[name=ready_languages][value=cs]")
    assert ready_cs.is_checked()  # ticked by default: "publish once complete"

    def write_english_hold_czech():
        editing.locator("input[name=title_en]").fill(title_en)
        editing.locator("textarea[name=lead_en]").fill("A visit to food producers.")
        ready_cs.uncheck()

    edit_and_autosave(editing, write_english_hold_czech)
    steps.shot(editing, "cz-editor-holds-czech-back")
    submit = footer_action(editing, "button[name=action-submit]")
    with editing.expect_navigation():
        submit.click()
    steps.shot(editing, "cz-editor-submitted")
    held_back = (
        f"Čeština není připravena (zadržena): návštěvníci {scene.cz_host} uvidí "
        "místo ní verzi v jazyce angličtina."
    )
    assert held_back in messages(editing)

    # 5. The English title finds it too, shown by its Czech title.
    search(editing, base, title_en)
    titles = result_titles(editing)
    assert title_cs in titles and title_en not in titles, titles
    steps.shot(editing, "cz-search-by-english-title")

    # 6. The Czech moderator opens it from the dashboard: the warning sits beside the content.
    moderating = new_page()
    log_in(moderating, base, scene.cz_moderator)
    moderating.get_by_role("link", name=title_cs).first.click()
    moderating.wait_for_url(re.compile(rf"/admin/pages/{item.pk}/edit/"))
    panel = moderating.locator("[data-not-published]")
    assert panel.is_visible()
    assert held_back in panel.inner_text()
    assert not moderating.locator("input[name=ready_languages][value=cs]").is_checked()
    panel.scroll_into_view_if_needed()
    steps.shot(moderating, "cz-moderator-warned")

    # 7. A Slovak editor writes the Slovak text of an English draft and submits it without
    # touching the ticks.
    slovak = new_page()
    slovak.add_init_script(AUTOSAVE_EVENTS)
    slovak.on("response", lambda r: watch(r, failed, autosaves))
    log_in(slovak, base, scene.sk_editor)
    assert slovak.locator("html").get_attribute("lang") == "sk"
    slovak.goto(f"{base}/admin/pages/{scene.english_draft_pk}/edit/")
    title_sk = f"Deň klastrov v Bratislave {tag}"
    lead_sk = "Stretnutie slovenských klastrov."
    assert slovak.locator("input[name=ready_languages][value=sk]").is_checked()

    def write_slovak():
        slovak.locator("input[name=title_sk]").fill(title_sk)
        slovak.locator("textarea[name=lead_sk]").fill(lead_sk)

    edit_and_autosave(slovak, write_slovak)
    assert slovak.locator("input[name=ready_languages][value=sk]").is_checked()
    steps.shot(slovak, "sk-editor-writes-slovak")
    submit = footer_action(slovak, "button[name=action-submit]")
    with slovak.expect_navigation():
        submit.click()
    steps.shot(slovak, "sk-editor-submitted")
    # Only "... was submitted for moderation": no language will be left out.
    assert len(messages(slovak)) == 1 and "moderáciu" in messages(slovak)[0], messages(slovak)

    # 8. The Slovak moderator approves it, with no warning to read.
    approving = new_page()
    log_in(approving, base, scene.sk_moderator)
    approving.get_by_role("link", name=title_sk).first.click()
    approving.wait_for_url(re.compile(rf"/admin/pages/{scene.english_draft_pk}/edit/"))
    assert approving.locator("[data-not-published]").count() == 0
    approve = footer_action(
        approving,
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])",
    )
    with approving.expect_navigation():
        approve.click()
    steps.shot(approving, "sk-moderator-approved")
    published = NewsPage.objects.get(pk=scene.english_draft_pk)
    assert published.live and "sk" in published.ready_languages

    # 9. Visitors of the Slovak site find it in Slovak in the news listing.
    visiting = new_page()
    response = visiting.goto(f"http://{scene.sk_host}:{port}{scene.sk_news_path}")
    assert response.status == 200
    with visiting.expect_navigation():
        visiting.locator("main a", has_text=title_sk).first.click()
    assert visiting.locator("html").get_attribute("lang") == "sk"
    assert visiting.locator("h1").first.inner_text().strip() == title_sk
    assert visiting.get_by_text(lead_sk).count() >= 1
    steps.shot(visiting, "sk-visitor-reads-slovak")

    assert not page_errors and not failed, (page_errors, failed)
    assert set(autosaves) == {200}, autosaves
    assert all(path.stat().st_size > 0 for path in steps.paths)
