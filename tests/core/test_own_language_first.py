"""A partner works in its own language first, and nothing half-done reaches visitors silently.

Driven through the real admin views (create, edit, autosave, submit, approve)
and the real visitor site: a Czech-only draft saves, a Slovak submission does
without English, completing Slovak publishes it unless the editor held it
back, and a held-back language is named to the editor and to the moderator.
"""

import re

import pytest
from django.test import Client, override_settings
from django.utils import translation
from wagtail.rich_text import RichText
from wagtail.users.models import UserProfile

from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country
from cms.core.publication import falling_back_fields, language_notices
from cms.core.translation_status import mark_complete_ready
from cms.home.models import StandardPage
from cms.news.models import NewsPage
from cms.search.models import SearchDocument
from tests.factories import (
    country_user,
    draft_page,
    news_page,
    page_parent,
    path_of,
    translated,
)

EMPTY_FORMSETS = {
    "comments-TOTAL_FORMS": "0",
    "comments-INITIAL_FORMS": "0",
    "comments-MIN_NUM_FORMS": "0",
    "comments-MAX_NUM_FORMS": "1000",
    **{f"body_{code}-count": "0" for code in LANGUAGE_CODES},
}


def news_in(language: str, *, title: str, slug: str, lead: str = "", ready=()) -> dict:
    """What the admin posts for a news item written in one language only."""
    return {
        **EMPTY_FORMSETS,
        "date": "2026-11-30",
        f"title_{language}": title,
        f"slug_{language}": slug,
        f"lead_{language}": lead,
        "ready_languages": list(ready),
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add_url(country) -> str:
    return f"/admin/pages/add/news/newspage/{page_parent(country, 'news').pk}/"


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def ready_choices(html: str) -> dict[str, bool]:
    """The ready checkboxes of an edit form: language code -> ticked."""
    inputs = re.findall(r'<input[^>]*name="ready_languages"[^>]*>', html)
    return {re.search(r'value="(\w+)"', tag).group(1): "checked" in tag for tag in inputs}


def warnings_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages if m.level_tag == "warning"]


def test_a_czech_editor_saves_a_czech_only_draft(cz):
    client = logged_in(country_user("CZ"))
    data = news_in("cs", title="Studijní cesta do Milána", slug="studijni-cesta", lead="Perex")
    response = client.post(add_url(cz), data)
    assert response.status_code == 302, response.context["form"].errors
    page = NewsPage.objects.get(title_cs="Studijní cesta do Milána")
    assert not page.live and page.title_en in ("", None)


def test_a_czech_moderator_publishes_a_czech_only_item_at_creation(cz):
    """Wagtail cleans a page published at creation before it has its address, so its site
    (and so its main language) was unknown and English was required: a 500."""
    client = logged_in(country_user("CZ", "moderators"))
    data = news_in("cs", title="Rovnou zveřejněno", slug="rovnou", lead="Perex", ready=["cs"])
    response = client.post(add_url(cz), {**data, "action-publish": "1"})
    assert response.status_code == 302, response.context["form"].errors
    page = NewsPage.objects.get(title_cs="Rovnou zveřejněno")
    assert page.live and page.title_en in ("", None)


def test_a_czech_only_section_published_from_an_english_admin_keeps_its_addresses(cz, site_client):
    """wagtail-modeltranslation makes a language's address from its slug, else English's,
    else the slug read in the admin's language: in English, a Czech-only section had none,
    so its addresses in every language but Czech ended in ``//``. The English subpage
    below it was then served at ``/en//team/`` only: its search result's link was empty,
    its sitemap entry and the API's ``html_url`` "NoneNone"."""
    moderator = country_user("CZ", "moderators")
    profile = UserProfile.get_for_user(moderator)
    profile.preferred_language = "en"
    profile.save()
    data = {
        **EMPTY_FORMSETS,
        "title_cs": "O nás",
        "slug_cs": "o-nas",
        "ready_languages": ["cs"],
        "action-publish": "1",
    }
    response = logged_in(moderator).post(
        f"/admin/pages/add/home/standardpage/{cz.home_page.pk}/", data
    )
    assert response.status_code == 302, response.context["form"].errors
    section = StandardPage.objects.get(title_cs="O nás")
    paths = {code: getattr(section, f"url_path_{code}") for code in LANGUAGE_CODES}
    assert {code: path for code, path in paths.items() if "//" in path} == {}
    assert site_client("CZ").get("/en/o-nas/")["Location"] == "/cs/o-nas/"

    team = StandardPage(
        slug="team",
        **translated("title", {"cs": "Tým", "en": "Team"}),
        **translated("slug", {"cs": "tym", "en": "team"}),
    )
    mark_complete_ready(team)
    with translation.override("en"):
        section.add_child(instance=team)
        team.save_revision().publish()
    assert site_client("CZ").get("/en/o-nas/team/").status_code == 200
    document = SearchDocument.objects.get(kind="page", object_id=team.pk, language="en")
    assert document.url == "http://cz.localhost/en/o-nas/team/"


def test_a_czech_draft_needs_its_czech_title_and_says_so(cz):
    client = logged_in(country_user("CZ"))
    response = client.post(add_url(cz), news_in("en", title="English only", slug="english-only"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title_en" not in errors
    # In the editor's language (a Czech editor's admin is in Czech).
    assert errors["title_cs"] == ["Povinné: čeština je hlavní jazyk tohoto webu."]


def test_a_title_too_long_is_the_only_error_named(cz):
    """The form counted the refused title as typed and kept Czech ready; the model, whose
    instance lacks the title, added "Not every required field is translated in: Czech",
    in English (checked again in the language of a page without a site)."""
    client = logged_in(country_user("CZ"))
    data = news_in("cs", title="x" * 300, slug="prilis-dlouhy", lead="Perex", ready=["cs"])
    response = client.post(add_url(cz), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["title_cs"], errors


def test_autosave_of_a_czech_only_draft_is_accepted(cz):
    page = draft_page(cz, "news")
    client = logged_in(country_user("CZ"))
    data = news_in("cs", title="Rozepsaná novinka", slug=page.slug, lead="")
    data.update({"title_en": "", "slug_en": page.slug, "lead_en": ""})
    response = client.post(edit_url(page), data, headers={"accept": "application/json"})
    assert response.status_code == 200, response.content
    assert response.json()["success"] is True
    latest = NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.title_cs == "Rozepsaná novinka"


def test_a_slovak_submission_is_not_blocked_by_an_empty_english_lead(sk):
    client = logged_in(country_user("SK"))
    data = news_in(
        "sk", title="Nová správa", slug="nova-sprava", lead="Slovenský perex", ready=["sk"]
    )  # Slovak ticked, as the form offers it
    response = client.post(add_url(sk), {**data, "action-submit": "1"})
    assert response.status_code == 302, response.context["form"].errors
    page = NewsPage.objects.get(title_sk="Nová správa")
    assert page.current_workflow_state is not None  # in moderation


@override_settings(TRANSLATIONS_REQUIRED_AT_PUBLICATION=("en",))
def test_english_required_by_the_network_is_asked_for_when_publishing_only(sk):
    data = news_in("sk", title="Správa", slug="sprava-siete", lead="Perex", ready=["sk"])
    editor = logged_in(country_user("SK"))
    assert editor.post(add_url(sk), {**data, "action-submit": "1"}).status_code == 302
    page = NewsPage.objects.get(title_sk="Správa")

    moderator = logged_in(country_user("SK", "moderators"))
    response = moderator.post(edit_url(page), {**data, "action-publish": "1"})
    assert response.status_code == 200
    page.refresh_from_db()
    assert not page.live
    errors = response.context["form"].errors
    assert errors["title_en"][0].startswith(
        "Povinné na zverejnenie: sieť vyžaduje každú položku aj v tomto jazyku (angličtina)."
    )
    assert "lead_en" in errors


def test_completing_slovak_ticks_it_and_publishing_shows_slovak(sk, site_client):
    page = draft_page(sk, "news", title="Cluster day")
    editor = logged_in(country_user("SK"))
    # Slovak is not written yet, and is ticked already: "publish once complete".
    assert ready_choices(editor.get(edit_url(page)).content.decode()) == {"sk": True}

    data = {
        **news_in("sk", title="Deň klastrov", slug="den-klastrov", lead="Slovenský perex"),
        "title_en": "Cluster day",
        "slug_en": page.slug,
        "lead_en": "Lead",
        "ready_languages": ["sk"],  # as the browser posts the ticked box
        "action-submit": "1",
    }
    response = editor.post(edit_url(page), data)
    assert response.status_code == 302, response.context["form"].errors
    assert warnings_of(response) == []

    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    moderator = logged_in(country_user("SK", "moderators"))
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    assert moderator.post(url).status_code == 302
    page = NewsPage.objects.get(pk=page.pk)
    assert page.live and page.ready_languages == ["sk"]
    html = site_client("SK").get(path_of(page, "sk")).content.decode()
    assert "Deň klastrov" in html and "Slovenský perex" in html


def test_a_held_back_language_is_named_on_submit_and_to_the_moderator(sk):
    page = draft_page(sk, "news", title="Held back")
    editor = logged_in(country_user("SK"))
    data = {
        **news_in("sk", title="Zadržané", slug="zadrzane", lead="Perex"),
        "title_en": "Held back",
        "slug_en": page.slug,
        "lead_en": "Lead",
        "ready_languages": [],  # the editor unticked Slovak
        "action-submit": "1",
    }
    response = editor.post(edit_url(page), data)
    assert response.status_code == 302, response.context["form"].errors
    # In the Slovak editor's language: "Slovak is not ready (held back): visitors of
    # sk.localhost will see the English version instead."
    expected = (
        "Slovenčina nie je pripravená (zadržaná): návštevníci sk.localhost uvidia "
        "namiesto nej verziu v jazyku angličtina."
    )
    assert [text.strip() for text in warnings_of(response)] == [expected]

    # The moderator opens the item: the warning sits beside the content, and the
    # held-back language is shown unticked (a hold is remembered).
    moderator = logged_in(country_user("SK", "moderators"))
    html = moderator.get(edit_url(page)).content.decode()
    assert "data-not-published" in html and expected in html
    assert ready_choices(html) == {"sk": False}


def test_the_ready_choice_lists_only_the_sites_languages_beside_the_title(cz):
    page = draft_page(cz, "news")
    html = logged_in(country_user("CZ")).get(edit_url(page)).content.decode()
    assert set(ready_choices(html)) == {"cs"}
    assert "Zveřejnit tyto překlady" in html  # "Publish these translations"
    # On the content tab (the title's), right after the title fields.
    tab = re.search(r'id="panel-child-(\w+)-title_en-section"', html).group(1)
    assert f'id="panel-child-{tab}-ready_languages-section"' in html
    assert html.index('name="title_sl"') < html.index('name="ready_languages"')
    assert html.index('name="ready_languages"') < html.index('name="lead_en"')


def test_publishing_a_page_visitors_would_read_in_no_language_is_refused(cz):
    """A German-only item left unticked went live with an empty title, its cards empty
    links, as a snippet ready in no language is refused."""
    client = logged_in(country_user("CZ", "moderators"))
    data = news_in("cs", title="Nikde", slug="nikde", lead="Perex", ready=[])
    response = client.post(add_url(cz), {**data, "action-publish": "1"})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["ready_languages"]
    assert error.startswith("Návštěvníci by tuto položku nenašli v žádném jazyce")
    assert not NewsPage.objects.filter(title_cs="Nikde").exists()
    # Nor submitted for moderation: the moderator's approval would publish it as it is.
    editor = logged_in(country_user("CZ"))
    submitted = editor.post(add_url(cz), {**data, "action-submit": "1"})
    assert "ready_languages" in submitted.context["form"].errors
    assert not NewsPage.objects.filter(title_cs="Nikde").exists()
    # A draft may still be saved so; ticking Czech publishes it.
    assert client.post(add_url(cz), data).status_code == 302
    page = NewsPage.objects.get(title_cs="Nikde")
    published = client.post(
        edit_url(page), {**data, "ready_languages": ["cs"], "action-publish": "1"}
    )
    assert published.status_code == 302, published.context["form"].errors
    assert NewsPage.objects.get(pk=page.pk).live


def test_an_item_only_in_czech_is_listed_in_czech_on_the_english_pages(cz, site_client):
    """Its card on the site's English pages showed an empty link: the title was read in
    English, which it lacks, not in the language the card links to."""
    client = logged_in(country_user("CZ", "moderators"))
    data = news_in("cs", title="Pouze česky", slug="pouze-cesky", lead="Český perex", ready=["cs"])
    assert client.post(add_url(cz), {**data, "action-publish": "1"}).status_code == 302
    page = NewsPage.objects.get(title_cs="Pouze česky")
    html = site_client("CZ").get(path_of(page.get_parent().specific, "en")).content.decode()
    (card,) = [part for part in html.split('<article class="card">') if "pouze-cesky" in part]
    assert f'lang="cs"><a href="{path_of(page, "cs")}">Pouze česky</a>' in card
    assert '<p class="card__text" lang="cs">Český perex</p>' in card


def test_approving_in_the_edit_view_refuses_a_page_in_no_language(cz):
    """The moderator's "Approve" in the edit view saves the form, then publishes it: with
    Czech unticked there, the page went live in no language. "Request changes" still goes."""
    editor = logged_in(country_user("CZ"))
    data = news_in("cs", title="Ke schválení", slug="ke-schvaleni", lead="Perex", ready=["cs"])
    assert editor.post(add_url(cz), {**data, "action-submit": "1"}).status_code == 302
    page = NewsPage.objects.get(title_cs="Ke schválení")
    moderator = logged_in(country_user("CZ", "moderators"))
    unticked = {**data, "ready_languages": [], "action-workflow-action": "1"}
    approved = moderator.post(edit_url(page), {**unticked, "workflow-action-name": "approve"})
    assert "ready_languages" in approved.context["form"].errors
    assert not NewsPage.objects.get(pk=page.pk).live
    rejected = moderator.post(edit_url(page), {**unticked, "workflow-action-name": "reject"})
    assert rejected.status_code == 302
    assert not NewsPage.objects.get(pk=page.pk).live


def test_a_taken_slug_is_refused_in_the_editors_language(cz):
    """wagtail-modeltranslation's message (it ships no catalogue for our languages)."""
    client = logged_in(country_user("CZ"))
    client.post(add_url(cz), news_in("cs", title="Veletrh v Brně", slug="veletrh"))
    response = client.post(add_url(cz), news_in("cs", title="Veletrh znovu", slug="veletrh"))
    assert "Tento slug se už používá" in response.context["form"].errors["slug_cs"]


def test_bulk_publish_leaves_pages_in_no_language_unpublished(cz):
    """The explorer's bulk "Publish" published each latest revision, past every rule of the
    edit form: a draft saved with Czech unticked went live with an empty title."""
    moderator = logged_in(country_user("CZ", "moderators"))
    nowhere = news_in("cs", title="Hromadně nikde", slug="hromadne-nikde", lead="Perex")
    ready = news_in("cs", title="Hromadně česky", slug="hromadne-cesky", lead="Perex", ready=["cs"])
    for data in (nowhere, ready):
        assert moderator.post(add_url(cz), data).status_code == 302  # drafts
    pages = {p.slug_cs: p for p in NewsPage.objects.filter(slug_cs__startswith="hromadne-")}
    ids = "&".join(f"id={page.pk}" for page in pages.values())
    parent = page_parent(cz, "news")
    url = f"/admin/bulk/wagtailcore/page/publish/?{ids}&childOf={parent.pk}"
    confirm = moderator.get(url)
    assert confirm.status_code == 200
    assert moderator.post(url, {"include_descendants": ""}).status_code == 302
    assert not NewsPage.objects.get(slug_cs="hromadne-nikde").live
    assert NewsPage.objects.get(slug_cs="hromadne-cesky").live
    # Nor as a draft below a page published with its descendants.
    index = parent.specific
    child = moderator.post(
        f"/admin/pages/add/news/newspage/{parent.pk}/",
        news_in("cs", title="Pod indexem", slug="pod-indexem", lead="Perex"),
    )
    assert child.status_code == 302
    url = f"/admin/bulk/wagtailcore/page/publish/?id={index.pk}&childOf={index.get_parent().pk}"
    assert moderator.post(url, {"include_descendants": "on"}).status_code == 302
    assert not NewsPage.objects.get(slug_cs="pod-indexem").live


def test_bulk_publish_refuses_a_draft_without_the_sites_main_language(sk):
    """A Slovak draft saved without its Slovak lead: the edit form refuses to publish it,
    and the explorer's bulk "Publish" published it (served in English on sk.localhost).
    The confirmation lists it apart, with the form's reason."""
    editor = logged_in(country_user("SK"))
    data = news_in("sk", title="Bez perexu", slug="bez-perexu", ready=["sk"])  # lead empty
    assert editor.post(add_url(sk), data).status_code == 302  # a draft may do without
    page = NewsPage.objects.get(slug_sk="bez-perexu")
    moderator = logged_in(country_user("SK", "moderators"))
    parent = page_parent(sk, "news")
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&childOf={parent.pk}"
    confirm = moderator.get(url).content.decode()
    assert "data-refused" in confirm
    assert "Povinné: slovenčina je hlavný jazyk tohto webu." in confirm
    assert moderator.post(url, {"include_descendants": ""}).status_code == 302
    assert not NewsPage.objects.get(pk=page.pk).live


def test_bulk_publish_says_which_site_languages_will_not_go_out(sk):
    """The edit view, submitting and the approve modal say it; the explorer's bulk "Publish"
    published a Slovak item held back in Slovak (served in English) without a word."""
    editor = logged_in(country_user("SK"))
    data = news_in("sk", title="Zadržaná", slug="zadrzana", lead="Úvod")  # Slovak unticked
    data.update({"title_en": "Held", "slug_en": "held", "lead_en": "Lead"})
    assert editor.post(add_url(sk), data).status_code == 302
    page = NewsPage.objects.get(slug_sk="zadrzana")
    moderator = logged_in(country_user("SK", "moderators"))
    parent = page_parent(sk, "news")
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&childOf={parent.pk}"
    confirm = moderator.get(url).content.decode()
    assert "data-not-published" in confirm and "data-refused" not in confirm
    with translation.override("sk"):  # the moderator's admin language
        (notice,) = language_notices(page.get_latest_revision().as_object())[0]
    assert notice in confirm


def test_bulk_publish_refuses_a_title_without_its_slug(country):
    """A draft (deferred validation) with an English title and no English slug: the form
    asks for the slug before publishing, and so does the explorer's bulk "Publish"."""
    from cms.core.publication import publication_refusals

    at = country("AT")
    editor = logged_in(country_user("AT"))
    data = {
        **news_in("de", title="Ohne Adresse", slug="ohne-adresse", lead="Text"),
        "title_en": "No address",
    }
    assert editor.post(add_url(at), data).status_code == 302  # a draft may do without
    page = NewsPage.objects.get(slug_de="ohne-adresse").get_latest_revision_as_object()
    assert page.title_en == "No address" and not page.slug_en
    (refusal,) = publication_refusals(page)
    assert "slug" in refusal and "English" in refusal


def test_czech_only_items_publish_beside_each_other(cz):
    """wagtail-modeltranslation's slug check compares each language's slug with the
    siblings', and two Czech-only items both have none in English: publishing the second
    was a 500. Published from its revision (scheduled publishing, bulk publish), the server's
    English left its title blank too."""
    client = logged_in(country_user("CZ", "moderators"))
    for n in (1, 2):
        data = news_in("cs", title=f"Jen česky {n}", slug=f"jen-cesky-{n}", lead="P", ready=["cs"])
        response = client.post(add_url(cz), {**data, "action-publish": "1"})
        assert response.status_code == 302, response.context["form"].errors
        data = news_in("cs", title=f"Koncept {n}", slug=f"koncept-{n}", lead="P", ready=["cs"])
        assert client.post(add_url(cz), data).status_code == 302
    page = NewsPage.objects.get(slug_cs="koncept-1")
    page.get_latest_revision().publish()  # as publish_scheduled does, in English
    assert NewsPage.objects.get(pk=page.pk).live
    # A real clash is still one.
    clash = news_in("cs", title="Znovu", slug="jen-cesky-1", lead="P", ready=["cs"])
    refused = client.post(add_url(cz), {**clash, "action-publish": "1"})
    assert "slug_cs" in refused.context["form"].errors


@pytest.mark.parametrize(("admin_language", "shown"), [("en", "pl"), ("de", "pl"), ("pl", "pl")])
def test_a_page_without_the_editors_admin_language_previews_in_its_sites(db, admin_language, shown):
    """An editor with an English admin previewed a Polish-only page as an empty English
    page: ``<html lang="en">``, no heading."""
    page = draft_page(Country.objects.get(code="PL"), "news", title="Dzień informacyjny")
    page.title_en = ""
    page.title_pl = "Dzień informacyjny w Krakowie"
    page.save_revision()
    with translation.override(admin_language):
        html = page.make_preview_request().content.decode()
    assert f'<html lang="{shown}"' in html
    assert "Dzień informacyjny w Krakowie</h1>" in html


def test_a_page_with_the_editors_admin_language_previews_in_it(db):
    page = draft_page(Country.objects.get(code="PL"), "news", title="Info day")
    page.title_pl = "Dzień informacyjny"
    with translation.override("en"):
        html = page.make_preview_request().content.decode()
    assert '<html lang="en"' in html and "Info day</h1>" in html


def test_the_admins_preview_of_unsaved_changes_shows_them(cz):
    """What the editor's Preview button does: post the form, then open the preview. Wagtail
    calls ``make_preview_request`` with three arguments; ours took two (every preview a
    500), which the calls above, with none, never showed."""
    client = logged_in(country_user("CZ", "editors"))
    data = news_in("cs", title="Jen česky", slug="jen-cesky", lead="Perex", ready=["cs"])
    preview = add_url(cz) + "preview/"
    assert client.post(preview, data).json() == {"is_valid": True, "is_available": True}
    response = client.get(preview)
    assert response.status_code == 200
    assert '<html lang="cs"' in response.content.decode()
    assert "Jen česky</h1>" in response.content.decode()

    assert client.post(add_url(cz), data).status_code == 302
    page = NewsPage.objects.get(slug_cs="jen-cesky")
    changed = {**data, "title_cs": "Jen česky, opraveno"}
    assert client.post(edit_url(page) + "preview/", changed).json()["is_valid"]
    response = client.get(edit_url(page) + "preview/?mode=")
    assert response.status_code == 200
    assert "Jen česky, opraveno</h1>" in response.content.decode()


# --- a published language that borrows fields from another -------------------------------


def english_body():
    return [("paragraph", RichText("<p>Only written in English.</p>"))]


def test_a_czech_item_with_only_an_english_body_names_it_to_the_editor(cz):
    page = news_page(cz, title={"en": "Cluster day", "cs": "Den klastrů"}, body_en=english_body())
    assert "cs" in page.real_languages()  # title and lead: complete, ready, published
    with translation.override("en"):
        (item,) = falling_back_fields(page)
        assert item.message() == (
            "Czech has no text of its own for body: visitors of cz.localhost "
            "will read the English text there."
        )
    # The Czech editor sees it beside the content, in Czech.
    html = logged_in(country_user("CZ")).get(edit_url(page)).content.decode()
    assert "data-falling-back" in html
    assert "Čeština – pole bez vlastního textu: text." in html  # "body" is "text" in Czech


def slovak_news_with_a_czech_and_an_english_body(sk, **fields):
    """Complete in Slovak, Czech and English; its body written in Czech and English only."""
    return news_page(
        sk,
        title={"en": "Cluster day", "sk": "Deň klastrov", "cs": "Den klastrů"},
        lead={"en": "Lead", "sk": "Úvod", "cs": "Úvod"},
        body_en=english_body(),
        body_cs=[("paragraph", RichText("<p>Napsáno česky.</p>"))],
        **fields,
    )


def test_slovak_borrows_from_czech_first_and_says_so(sk):
    page = slovak_news_with_a_czech_and_an_english_body(sk)
    assert [(f.language, f.fallback) for f in falling_back_fields(page)] == [("sk", "cs")]


def test_a_held_back_language_is_not_named_as_the_source(sk):
    """Visitors of a Slovak page read a Czech text only when Czech is ready; held back (or
    incomplete), the body they read is the English one, and the notice said Czech."""
    page = slovak_news_with_a_czech_and_an_english_body(sk, ready_languages=["sk"])
    assert [(f.language, f.fallback) for f in falling_back_fields(page)] == [("sk", "en")]


def test_a_language_with_all_its_own_text_borrows_nothing(cz):
    page = news_page(
        cz,
        title={"en": "Cluster day", "cs": "Den klastrů"},
        body_en=english_body(),
        body_cs=[("paragraph", RichText("<p>Česky.</p>"))],
    )
    assert falling_back_fields(page) == []
    html = logged_in(country_user("CZ")).get(edit_url(page)).content.decode()
    assert "data-falling-back" not in html
