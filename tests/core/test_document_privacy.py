"""Documents used only by what visitors cannot see are a 404 to them
(``cms.core.document_privacy``): a draft's or a restricted page's PDF was a 200 for anyone
holding its address, though the page itself refused them."""

import logging

import pytest
from django.utils import translation
from wagtail.models import Page, ReferenceIndex
from wagtail.rich_text import RichText

from cms.clusters.models import ClusterProfile
from cms.core import document_privacy
from cms.core.models import Country
from tests.core.test_media_isolation import make_document
from tests.factories import country_user, draft_page, news_page, restrict


def link_to(document) -> str:
    return f'<p>The <a linktype="document" id="{document.pk}">minutes</a>.</p>'


def body_linking(document) -> list:
    """A page body whose one paragraph links ``document`` (as the rich text editor saves it)."""
    return [("paragraph", RichText(link_to(document)))]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (Wagtail's reference index task) as a save's commit would."""

    def saving(build):
        with django_capture_on_commit_callbacks(execute=True):
            return build()

    return saving


@pytest.fixture
def cz(site_client):
    return site_client("CZ")


def published_linking(document, code="CZ"):
    country = Country.objects.get(code=code)
    return news_page(
        country, title={"en": f"Minutes published {code}"}, body_en=body_linking(document)
    )


def draft_linking(document, code="CZ"):
    page = draft_page(Country.objects.get(code=code), "news")
    page.body_en = body_linking(document)
    page.save()
    return page


@pytest.fixture
def document(db):
    return make_document("CZ", "Board minutes", "board-minutes.txt")


def get(client, document):
    return client.get(document.url)


def test_a_document_used_only_by_a_never_published_draft_is_a_404(cz, document, commit):
    page = commit(lambda: draft_linking(document))
    assert ReferenceIndex.get_references_to(document).filter(object_id=str(page.pk)).exists()
    response = get(cz, document)
    assert response.status_code == 404
    assert "Stránka nenalezena" in response.content.decode()  # the visitors' 404, in Czech


def test_a_document_used_only_by_a_password_restricted_live_page_is_a_404(cz, document, commit):
    page = commit(lambda: published_linking(document))
    restrict(page)
    assert get(cz, document).status_code == 404


@pytest.mark.parametrize("editor_language", ["en", "cs"])
@pytest.mark.parametrize(("ready", "status"), [([], 404), (["cs"], 200)])
def test_a_document_linked_only_in_a_held_back_translation_is_a_404(
    cz, document, commit, ready, status, editor_language
):
    """Czech unticked: Czech visitors read the English page, the Czech text is blanked for
    them (and the API leaves it out), yet its document was a 200; once ticked, served. Saved
    by an editor whose admin is in Czech, the index also records the untranslated ``body``,
    read in Czech: that reference says nothing of what visitors read."""

    def published():
        page = news_page(
            Country.objects.get(code="CZ"),
            title={"en": "Minutes", "cs": "Zápis"},
            body_cs=body_linking(document),
            ready_languages=ready,
        )
        page.save_revision().publish()
        return page

    with translation.override(editor_language):
        commit(published)
    assert get(cz, document).status_code == status


def test_a_document_below_a_restricted_section_is_a_404(cz, document, commit):
    """The restriction of an ancestor counts too (Wagtail's ``public()``)."""
    page = commit(lambda: published_linking(document))
    restrict(page.get_parent(), "login")
    assert get(cz, document).status_code == 404


def test_a_visitor_the_restriction_admits_gets_the_pages_documents(cz, document, commit):
    """The password given (kept in the session) or a member signed in: they read the page,
    so they download what it links; every restriction above the page must admit them."""
    page = commit(lambda: published_linking(document))
    restrict(page)
    assert get(cz, document).status_code == 404
    form = cz.get(page.url)
    action = form.context["action_url"]
    assert cz.post(action, {"password": "secret", "return_url": page.url}).status_code == 302
    assert get(cz, document).status_code == 200
    # A second restriction above it, which this visitor has not passed: refused again.
    restrict(page.get_parent(), "login")
    assert get(cz, document).status_code == 404
    cz.force_login(country_user("SK", "editors"))  # a member, not an editor of CZ documents
    assert get(cz, document).status_code == 200


def test_a_document_used_by_a_live_public_page_is_served(cz, document, commit):
    commit(lambda: published_linking(document))
    response = get(cz, document)
    assert response.status_code == 200
    assert b"".join(response) == b"minutes of the meeting"


def test_a_document_used_by_a_draft_and_a_public_page_is_served(cz, document, commit):
    commit(lambda: draft_linking(document))
    commit(lambda: published_linking(document))
    assert get(cz, document).status_code == 200


def test_a_document_used_by_nothing_is_served(cz, document):
    """Decision (a): uploaded to be linked from outside (a newsletter), as Wagtail serves it."""
    assert not ReferenceIndex.get_references_to(document).exists()
    assert get(cz, document).status_code == 200


def test_a_document_added_only_in_a_draft_of_a_live_page_is_served(cz, document, commit):
    """Decision (b), the limitation: the index holds the live page's row, not its revisions,
    so a document linked only from an unpublished draft of a live page is "used by nothing"."""
    page = commit(lambda: published_linking(make_document("CZ", "Other", "other.txt")))
    page = Page.objects.get(pk=page.pk).specific
    page.body_en = body_linking(document)
    commit(lambda: page.save_revision())
    assert not ReferenceIndex.get_references_to(document).exists()
    assert get(cz, document).status_code == 200


def test_the_countrys_editors_get_a_drafts_document_and_others_do_not(cz, document, commit):
    """They preview the draft that links it; an editor of another country is a visitor here."""
    commit(lambda: draft_linking(document))
    cz.force_login(country_user("SK", "editors"))
    assert get(cz, document).status_code == 404
    cz.force_login(country_user("CZ", "editors"))
    response = get(cz, document)
    assert response.status_code == 200
    assert b"".join(response) == b"minutes of the meeting"


@pytest.mark.parametrize("code", ["SK", "INT"])
def test_another_countrys_or_the_hubs_public_document_is_served_on_any_site(cz, commit, code):
    document = make_document(code, f"{code} minutes", f"minutes-{code.lower()}.txt")
    commit(lambda: published_linking(document, code))
    assert get(cz, document).status_code == 200


def test_a_document_a_public_cluster_profile_uses_is_served(cz, document, commit):
    """A served snippet counts as public: a profile's description linking the document."""
    commit(lambda: draft_linking(document))
    profile = ClusterProfile.objects.filter(country__code="CZ").first()
    profile.description_en = link_to(document)
    commit(profile.save)
    assert ReferenceIndex.get_references_to(document).filter(object_id=str(profile.pk)).exists()
    assert get(cz, document).status_code == 200


def test_a_failed_check_serves_the_document_and_is_logged(
    cz, document, commit, monkeypatch, caplog
):
    """Refuse only when sure: a broken check is no 500 for a public document."""
    commit(lambda: published_linking(document))

    def broken(document):
        raise RuntimeError("index unreadable")

    monkeypatch.setattr(document_privacy, "used_only_where_hidden", broken)
    with caplog.at_level(logging.ERROR, logger="cms.core.document_privacy"):
        assert get(cz, document).status_code == 200
    assert "Could not check the users of document" in caplog.text


def test_a_public_document_is_decided_in_two_queries(document, commit, django_assert_num_queries):
    """The view restrictions and one EXISTS: no query per user."""
    commit(lambda: published_linking(document))
    commit(lambda: draft_linking(document))
    document_privacy.used_only_where_hidden(document)  # content types cached, as in a server
    with django_assert_num_queries(2):
        assert document_privacy.used_only_where_hidden(document) is False


def test_the_check_comes_before_wagtails_collection_check():
    """A draft's document in a password collection is a 404, not a password form."""
    from wagtail import hooks

    assert hooks.get_hooks("before_serve_document")[0] is document_privacy.refuse_hidden_documents


def test_a_document_is_kept_by_shared_caches_only_when_anyone_may_have_it(cz, document, commit):
    """Documents had no ``Cache-Control``: a CDN that keeps PDFs by default (and ignores
    ``Vary: Cookie``) could hand a member's or an editor's download to the next visitor."""
    commit(lambda: published_linking(document))
    public = get(cz, document)
    assert "public" in public["Cache-Control"] and "max-age=" in public["Cache-Control"]
    assert "Content-Encoding" not in public  # Wagtail's sendfile wrote "None"

    hidden = make_document("CZ", "Draft minutes", "draft-minutes.txt")
    commit(lambda: draft_linking(hidden))
    cz.force_login(country_user("CZ", "editors"))
    editors = get(cz, hidden)
    assert editors.status_code == 200
    assert "no-store" in editors["Cache-Control"] and "private" in editors["Cache-Control"]
