"""Two people editing the same page at once lose nothing of each other's work.

Wagtail's edit view builds the form on the page's latest revision, and warned of a newer
one only through its editing-session script: a translator's stale form posted back every
field of the revision it was opened on (``ConcurrentEditsFormMixin``, through
``CountryScopedPageForm``). Driven as browsers would, with the snippets' helpers
(``tests.core.test_concurrent_edits``).
"""

import json
from unittest.mock import ANY
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from wagtail import hooks
from wagtail.rich_text import RichText

from cms.core.languages import LANGUAGE_CODES
from tests.core.test_concurrent_edits import (
    KEEPS_MINE,
    discard_link,
    errors_of,
    opened,
    posted_back,
    take_theirs_boxes,
)
from tests.factories import country_user, draft_page, logged_in, news_page


@pytest.fixture
def news(cz):
    """A Czech news item with an empty body (a browser posts its StreamField through
    JavaScript; here an empty one is ``body_<lang>-count=0``, which leaves it as it is)."""
    return news_page(cz, title={"en": "Info day", "cs": "Informační den"})


def opened_page(client: Client, page) -> dict:
    form = opened(client, f"/admin/pages/{page.pk}/edit/")
    form.update({f"body_{code}-count": ["0"] for code in LANGUAGE_CODES})
    form.update(
        {"comments-TOTAL_FORMS": ["0"], "comments-INITIAL_FORMS": ["0"]},
    )
    return form


def latest(page):
    """The page as its newest revision holds it (what the next editor opens)."""
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


def saved_after_both(page, editors, changes_a: dict):
    """A saves ``changes_a`` and then B, who opened ``page`` at the same moment, saves a new
    English lead: both saves go through, and B's keeps it. The page as its newest revision
    holds it, for the test to look at what A changed."""
    a, b = editors
    url = f"/admin/pages/{page.pk}/edit/"
    form_a, form_b = opened_page(a, page), opened_page(b, page)
    form_a.update(changes_a)
    form_b["lead_en"] = ["A new English lead"]

    first = a.post(url, form_a)
    assert first.status_code == 302, errors_of(first)
    response = b.post(url, form_b)
    assert response.status_code == 302, errors_of(response)

    saved = latest(page)
    assert saved.lead_en == "A new English lead"
    return saved


def test_two_people_saving_a_page_at_once_both_keep_their_edit(news, editors):
    """Wagtail warns of a newer version only through its editing-session script, and
    its save writes every field the form was opened with: B's stale form put back the
    Czech title that A had just saved as a draft."""
    saved = saved_after_both(news, editors, {"title_cs": ["Informační den v Ústí"]})
    assert saved.title_cs == "Informační den v Ústí"


def test_a_page_field_changed_by_both_is_refused_and_nothing_saved(news, editors):
    a, b = editors
    url = f"/admin/pages/{news.pk}/edit/"
    form_a, form_b = opened_page(a, news), opened_page(b, news)
    form_a["title_cs"] = ["Verze A"]
    form_b["title_cs"] = ["Verze B"]
    assert a.post(url, form_a).status_code == 302

    response = b.post(url, form_b)

    assert response.status_code == 200
    assert errors_of(response)["title_cs"] == [KEEPS_MINE % "Verze A"]
    assert "Někdo jiný tuto položku uložil, zatímco jste ji upravovali" in response.text
    assert latest(news).title_cs == "Verze A"
    # B has seen A's title and saves again: B's on purpose.
    again = posted_back(response)
    again.update({f"body_{code}-count": ["0"] for code in LANGUAGE_CODES})
    response = b.post(url, again)
    assert response.status_code == 302, errors_of(response)
    assert latest(news).title_cs == "Verze B"


def test_a_pages_body_tags_and_times_saved_meanwhile_are_kept(cz, editors):
    """What B's stale form carries back unchanged, in the form's own shapes: the body's
    blocks (new ids), the tags (names), the start (in Prague time, stored in UTC)."""
    event = draft_page(cz, "event")
    event.title_cs = "Konference"  # the Czech site's language, which its pages need
    event.save_revision()
    changes = {
        "start": ["2031-05-02 09:30"],
        "body_cs-count": ["1"],
        "body_cs-0-type": ["heading"],
        "body_cs-0-value": ["Program dne"],
        "body_cs-0-deleted": [""],
        "body_cs-0-order": ["0"],
        "body_cs-0-id": [""],
    }

    saved = saved_after_both(event, editors, changes)
    assert saved.start.astimezone(ZoneInfo("Europe/Prague")).strftime("%Y-%m-%d %H:%M") == (
        "2031-05-02 09:30"
    )
    assert [block.value for block in saved.body_cs] == ["Program dne"]


def one_block_body(block_type: str, value: str, block_id: str) -> dict:
    """What the admin posts for a Czech body of one block (its value as the widget sends it)."""
    return {
        "body_cs-count": ["1"],
        "body_cs-0-type": [block_type],
        "body_cs-0-value": [value],
        "body_cs-0-deleted": [""],
        "body_cs-0-order": ["0"],
        "body_cs-0-id": [block_id],
    }


def test_a_blocks_text_saved_meanwhile_is_kept(cz, editors):
    """A's new wording of a paragraph, with the body's blocks as many as before: the body's
    fingerprint counted its blocks only, so B's stale form, posting back the old wording
    with a new English lead, put the old paragraph back without a word."""
    event = draft_page(cz, "event")
    event.title_cs = "Konference"
    event.body_cs = [("heading", "Program")]
    event.save_revision()
    block_id = latest(event).body_cs[0].id

    def body(text: str) -> dict:
        return one_block_body("heading", text, block_id)

    a, b = editors
    url = f"/admin/pages/{event.pk}/edit/"
    form_a, form_b = opened_page(a, event), opened_page(b, event)
    form_a.update(body("Program dne"))
    form_b.update({**body("Program"), "lead_en": ["A new English lead"]})
    assert a.post(url, form_a).status_code == 302
    response = b.post(url, form_b)
    assert response.status_code == 302, errors_of(response)
    saved = latest(event)
    assert [block.value for block in saved.body_cs] == ["Program dne"]
    assert saved.lead_en == "A new English lead"

    # Both changing the wording is the conflict a changed title is, not the last one winning.
    form_a, form_b = opened_page(a, event), opened_page(b, event)
    form_a.update(body("Verze A"))
    form_b.update(body("Verze B"))
    assert a.post(url, form_a).status_code == 302
    refused = b.post(url, form_b)
    assert refused.status_code == 200 and "body_cs" in errors_of(refused)
    assert [block.value for block in latest(event).body_cs] == ["Verze A"]


def test_a_body_stored_without_block_keys_is_no_conflict(cz, editors):
    """A paragraph stored without the editor's block keys (seeded content): each browser
    posts it back with keys of its own, new at random, so the body nobody touched looked
    changed by both, and B's save of a new English lead was refused as a conflict."""
    event = draft_page(cz, "event")
    event.title_cs = "Konference"
    event.body_cs = [("paragraph", RichText("<p>Program dne</p>"))]
    event.save_revision()
    block_id = latest(event).body_cs[0].id

    def body(key: str) -> dict:
        contentstate = {
            "blocks": [
                {
                    "key": key,
                    "text": "Program dne",
                    "type": "unstyled",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                }
            ],
            "entityMap": {},
        }
        return one_block_body("paragraph", json.dumps(contentstate), block_id)

    a, b = editors
    url = f"/admin/pages/{event.pk}/edit/"
    form_a, form_b = opened_page(a, event), opened_page(b, event)
    form_a.update({**body("aaaaa"), "title_cs": ["Konference v Ústí"]})
    form_b.update({**body("bbbbb"), "lead_en": ["A new English lead"]})
    assert a.post(url, form_a).status_code == 302
    response = b.post(url, form_b)
    assert response.status_code == 302, errors_of(response)
    saved = latest(event)
    assert (saved.title_cs, saved.lead_en) == ("Konference v Ústí", "A new English lead")


def test_tags_saved_meanwhile_are_kept(news, editors):
    saved = saved_after_both(news, editors, {"tags": ["potraviny, turistika"]})
    assert sorted(tag.name for tag in saved.tags.all()) == ["potraviny", "turistika"]


def test_reverting_to_an_earlier_revision_still_reverts(news, editors):
    """The revert form is built on the old revision, not the latest: nothing is "kept"."""
    a, _b = editors
    url = f"/admin/pages/{news.pk}/edit/"
    form = opened_page(a, news)
    form["title_cs"] = ["Nový název"]
    assert a.post(url, form).status_code == 302
    first = news.revisions.order_by("pk").first()
    form = opened_page(a, news)
    form["title_cs"] = ["Ještě novější název"]
    assert a.post(url, form).status_code == 302

    revert_url = f"/admin/pages/{news.pk}/revisions/{first.pk}/revert/"
    response = a.get(revert_url)
    form = posted_back(response)
    form.update({f"body_{code}-count": ["0"] for code in LANGUAGE_CODES})
    response = a.post(revert_url, form)
    assert response.status_code == 302, errors_of(response)
    assert latest(news).title_cs == "Nový název"


def test_a_revert_opened_before_someone_else_saved_is_refused(news, editors):
    """The revert form is the old version, and saving it replaced whatever was latest: B's
    draft saved after A opened it was gone without a word (only the history kept it)."""
    a, b = editors
    url = f"/admin/pages/{news.pk}/edit/"
    for title in ("Nový název", "Ještě novější název"):
        form = opened_page(a, news)
        form["title_cs"] = [title]
        assert a.post(url, form).status_code == 302
    first = news.revisions.order_by("pk").first()
    revert_url = f"/admin/pages/{news.pk}/revisions/{first.pk}/revert/"
    form = posted_back(a.get(revert_url))
    form.update({f"body_{code}-count": ["0"] for code in LANGUAGE_CODES})
    form_b = opened_page(b, news)
    form_b["title_cs"] = ["Název od B"]
    assert b.post(url, form_b).status_code == 302

    response = a.post(revert_url, form)
    assert (response.status_code, response.url) == (302, f"/admin/pages/{news.pk}/history/")
    assert latest(news).title_cs == "Název od B"
    (error,) = [str(m) for m in response.wsgi_request._messages if m.level_tag == "error"]
    assert error.startswith("Nevráceno:")
    form = posted_back(a.get(revert_url))  # opened again, it reverts
    form.update({f"body_{code}-count": ["0"] for code in LANGUAGE_CODES})
    assert a.post(revert_url, form).status_code == 302
    assert latest(news).title_cs == first.as_object().title_cs


def refused_page_save(news, editors):
    """A changes the Czech title and lead; B, who opened the page at the same moment,
    changes the Czech title and the English lead, and is refused."""
    a, b = editors
    url = f"/admin/pages/{news.pk}/edit/"
    form_a, form_b = opened_page(a, news), opened_page(b, news)
    form_a["title_cs"] = ["Verze A"]
    form_a["lead_cs"] = ["Perex A"]
    form_b["title_cs"] = ["Verze B"]
    form_b["lead_en"] = ["Lead by B"]
    assert a.post(url, form_a).status_code == 302
    response = b.post(url, form_b)
    assert response.status_code == 200
    assert errors_of(response)["title_cs"] == [KEEPS_MINE % "Verze A"]
    return response


def test_a_refused_page_save_offers_to_discard_and_take_the_saved_version(news, editors):
    """As on snippets: the refusal's other way out opens the page as saved, A's title and
    lead, none of B's input; nothing of B's was saved."""
    _a, b = editors
    refused = refused_page_save(news, editors)
    assert "Chcete-li místo toho převzít uloženou verzi, zahoďte své změny." in refused.text
    # Czech stays ready: the refused title is B's, not empty ("held back" said otherwise).
    assert "není připravena" not in refused.text

    reloaded = b.get(discard_link(refused))

    assert reloaded.status_code == 200
    shown = posted_back(reloaded)
    assert (shown["title_cs"], shown["lead_cs"]) == (["Verze A"], ["Perex A"])
    assert shown["lead_en"] != ["Lead by B"]
    saved = latest(news)
    assert (saved.title_cs, saved.lead_cs, saved.lead_en) == (
        "Verze A",
        "Perex A",
        shown["lead_en"][0],
    )


def test_saving_a_refused_page_again_keeps_mine_and_what_the_other_changed_elsewhere(news, editors):
    _a, b = editors
    refused = refused_page_save(news, editors)
    again = posted_back(refused)
    again.update({f"body_{code}-count": ["0"] for code in LANGUAGE_CODES})
    assert again["title_cs"] == ["Verze B"]  # B's input stays in the form

    response = b.post(f"/admin/pages/{news.pk}/edit/", again)

    assert response.status_code == 302, errors_of(response)
    saved = latest(news)
    assert (saved.title_cs, saved.lead_en, saved.lead_cs) == ("Verze B", "Lead by B", "Perex A")


# Saving in the background (Wagtail's autosave) --------------------------------------


def autosaved(client: Client, page, form: dict) -> dict:
    """Post ``form`` as Wagtail's autosave does, and apply its answer to the open form."""
    response = client.post(f"/admin/pages/{page.pk}/edit/", form, HTTP_ACCEPT="application/json")
    answer = response.json()
    assert response.status_code == 200 and answer["success"], answer
    form["overwrite_revision_id"] = [str(answer["revision_id"])]
    form.update({name: [value] for name, value in answer["field_updates"].items()})
    return form


def test_an_editors_own_autosaves_are_no_conflict(news, editors):
    """Wagtail 8 saves an open page in the background as the editor types; the next save
    compared with the version the page was opened on, took the editor's own autosave for
    someone else's change, and refused their next keystrokes."""
    a, _b = editors
    form = opened_page(a, news)
    form["title_cs"] = ["Info"]
    form = autosaved(a, news, form)
    form["title_cs"] = ["Informační den v Ústí"]
    form = autosaved(a, news, form)
    del form["overwrite_revision_id"]  # the editor's own "Save draft" button
    form["title_cs"] = ["Informační den v Ústí nad Labem"]

    response = a.post(f"/admin/pages/{news.pk}/edit/", form)

    assert response.status_code == 302, errors_of(response)
    assert latest(news).title_cs == "Informační den v Ústí nad Labem"


def test_after_an_autosave_what_someone_else_saves_is_kept_or_refused(news, editors):
    """B's page is saved in the background; then A saves the Czech title and lead. B goes on
    with the English lead and, changing the Czech lead too, is refused for that field only;
    saving again keeps B's lead and A's title."""
    a, b = editors
    url = f"/admin/pages/{news.pk}/edit/"
    form_b = opened_page(b, news)
    form_b["lead_en"] = ["Lead by B"]
    form_b = autosaved(b, news, form_b)
    del form_b["overwrite_revision_id"]  # A's revision is newer: B's next save is a new one
    form_a = opened_page(a, news)
    form_a["title_cs"] = ["Verze A"]
    form_a["lead_cs"] = ["Perex A"]
    assert a.post(url, form_a).status_code == 302
    form_b["lead_en"] = ["Lead by B, longer"]
    form_b["lead_cs"] = ["Perex B"]

    refused = b.post(url, form_b)

    assert refused.status_code == 200
    assert errors_of(refused) == {"lead_cs": [KEEPS_MINE % "Perex A"], "__all__": ANY}
    again = posted_back(refused)
    again.update({f"body_{code}-count": ["0"] for code in LANGUAGE_CODES})
    response = b.post(url, again)
    assert response.status_code == 302, errors_of(response)
    saved = latest(news)
    assert (saved.title_cs, saved.lead_cs, saved.lead_en) == (
        "Verze A",
        "Perex B",
        "Lead by B, longer",
    )


def test_on_a_page_each_conflicting_field_is_chosen_on_its_own(news, editors):
    """Two fields changed by both: B takes A's Czech title and keeps their own Czech lead."""
    a, b = editors
    url = f"/admin/pages/{news.pk}/edit/"
    form_a, form_b = opened_page(a, news), opened_page(b, news)
    form_a.update({"title_cs": ["Verze A"], "lead_cs": ["Perex A"]})
    form_b.update({"title_cs": ["Verze B"], "lead_cs": ["Perex B"], "lead_en": ["Lead by B"]})
    assert a.post(url, form_a).status_code == 302
    refused = b.post(url, form_b)
    assert refused.status_code == 200
    assert take_theirs_boxes(refused) == {"title_cs": False, "lead_cs": False}
    form = posted_back(refused)
    form.update({f"body_{code}-count": ["0"] for code in LANGUAGE_CODES})
    form["take_theirs"] = ["title_cs"]

    response = b.post(url, form)

    assert response.status_code == 302, errors_of(response)
    saved = latest(news)
    assert (saved.title_cs, saved.lead_cs, saved.lead_en) == ("Verze A", "Perex B", "Lead by B")


def posted_while_another_lands(b, form_b, a, form_a, url, **options):
    """B's POST of ``form_b``, with A's POST of ``form_a`` landing just after B's request
    has read the page (``before_edit_page`` runs after that read): two saves arriving
    together, in one thread. A's must succeed; B's response is returned."""
    b_user = b.get("/admin/").wsgi_request.user

    def a_saves_meanwhile(request, _page):
        if request.user == b_user and request.method == "POST":
            assert a.post(url, form_a).status_code == 302

    with hooks.register_temporarily("before_edit_page", a_saves_meanwhile):
        return b.post(url, form_b, **options)


def test_a_save_landing_while_another_is_under_way_is_kept(news, editors):
    """Two saves arriving together: Wagtail's view reads the latest revision on arrival,
    and B's compared its form with the revision before A's, so A's change was gone and
    both were told "saved" (3 times in 4 with two threads). Here A's save lands just
    after B's request has read the page (``before_edit_page``, which runs after that
    read); B's save then compares with the page read again, locked (``LockedPageSave``)."""
    a, b = editors
    url = f"/admin/pages/{news.pk}/edit/"
    form_a, form_b = opened_page(a, news), opened_page(b, news)
    form_a["title_cs"] = ["Informační den v Ústí"]
    form_b["lead_en"] = ["A new English lead"]

    response = posted_while_another_lands(b, form_b, a, form_a, url)
    assert response.status_code == 302, errors_of(response)

    saved = latest(news)
    assert (saved.title_cs, saved.lead_en) == ("Informační den v Ústí", "A new English lead")


@pytest.mark.parametrize("action", ["action-publish", None])
def test_a_publish_landing_while_another_save_is_under_way_is_kept(cz, action):
    """The same on a live page without a draft, where Wagtail hands the form the page it
    read on arrival (its cached ``specific``), not the revision: A's publish was gone."""
    page = news_page(cz, title={"en": "Info day", "cs": "Informační den"})
    page.save_revision().publish()
    a, b = (logged_in(country_user("CZ", "moderators")) for _ in range(2))
    url = f"/admin/pages/{page.pk}/edit/"
    form_a, form_b = opened_page(a, page), opened_page(b, page)
    form_a.update({"title_cs": ["Informační den v Ústí"], "action-publish": ["1"]})
    form_b["lead_cs"] = ["Nový perex"]
    if action:
        form_b[action] = ["1"]

    response = posted_while_another_lands(b, form_b, a, form_a, url)
    assert response.status_code == 302, errors_of(response)

    saved = latest(page)
    assert (saved.title_cs, saved.lead_cs) == ("Informační den v Ústí", "Nový perex")


def test_an_autosave_landing_while_another_save_is_under_way_keeps_both(news, editors):
    """Autosave (every half second) raced the same way: both answered success and one
    change was gone. It now compares with the page read again too."""
    a, b = editors
    url = f"/admin/pages/{news.pk}/edit/"
    form_a, form_b = opened_page(a, news), opened_page(b, news)
    form_a["title_cs"] = ["Informační den v Ústí"]
    form_b["lead_en"] = ["A new English lead"]

    response = posted_while_another_lands(
        b, form_b, a, form_a, url, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200 and response.json()["success"] is True

    saved = latest(news)
    assert (saved.title_cs, saved.lead_en) == ("Informační den v Ústí", "A new English lead")
