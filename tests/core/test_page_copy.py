"""Copying a page (``cms.core.page_copy``): its new titles asked for in the site's own
language first, and a copy published at once keeping the publication rules, through the
real admin copy view."""

import re

from django.contrib.auth import get_user_model

from cms.core.languages import LANGUAGE_CODES
from cms.news.models import NewsPage
from tests.core.test_own_language_first import add_url, news_in
from tests.factories import country_user, logged_in, page_parent


def copy_form(page, **fields) -> dict:
    """What the copy view posts: every language's new title and slug, empty unless given."""
    empty = {f"new_{name}_{code}": "" for name in ("title", "slug") for code in LANGUAGE_CODES}
    return {**empty, "new_parent_page": page.get_parent().pk, **fields}


def test_a_czech_only_page_is_copied_without_an_english_title(cz):
    """The copy form requires the site's language, as the add form does: English was
    required (wagtail-modeltranslation's form), so a Czech-only item could not be copied."""
    client = logged_in(country_user("CZ"))
    client.post(add_url(cz), news_in("cs", title="Veletrh v Brně", slug="veletrh"))
    page = NewsPage.objects.get(slug_cs="veletrh")
    url = f"/admin/pages/{page.pk}/copy/"
    form = client.get(url).context["form"]
    assert form.fields["new_title_cs"].required and not form.fields["new_title_en"].required
    assert not form.fields["new_slug_en"].required

    refused = client.post(url, copy_form(page, new_slug_cs="veletrh-2"))
    errors = refused.context["form"].errors
    assert errors["new_title_cs"] == ["Povinné: čeština je hlavní jazyk tohoto webu."]
    assert "new_title_en" not in errors

    copy = client.post(url, copy_form(page, new_title_cs="Veletrh 2", new_slug_cs="veletrh-2"))
    assert copy.status_code == 302, copy.context["form"].errors
    copied = NewsPage.objects.get(slug_cs="veletrh-2")
    assert copied.title_cs == "Veletrh 2" and not copied.title_en


def test_copying_to_a_taken_slug_says_so_in_the_editors_language(cz):
    client = logged_in(country_user("CZ"))
    client.post(add_url(cz), news_in("cs", title="Veletrh v Brně", slug="veletrh"))
    page = NewsPage.objects.get(slug_cs="veletrh")
    response = client.post(
        f"/admin/pages/{page.pk}/copy/",
        copy_form(page, new_title_cs="Kopie", new_slug_cs="veletrh"),
    )
    errors = " ".join(response.context["form"].errors["new_slug_cs"])
    assert "Tento název pro URL je již použit" in errors, errors
    assert "already in use" not in errors
    news_index = page.get_parent().specific
    assert news_index.title_cs != news_index.title_en
    assert f'"{news_index.title_cs}"' in errors  # the parent named in Czech too, not "News"


def test_an_editor_with_an_english_admin_copies_a_czech_only_page(cz):
    """Wagtail checks the copy's title in the active language, the editor's admin language,
    where a Czech-only copy has none: a 500. A slug the copy's Slovak falls back to, which a
    sibling has, is said on the form (it was a 500 when publishing the copy)."""
    from wagtail.users.models import UserProfile

    user = country_user("CZ", "moderators")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client = logged_in(user)
    data = news_in("cs", title="Výstava", slug="vystava", lead="P", ready=["cs"])
    assert client.post(add_url(cz), {**data, "action-publish": "1"}).status_code == 302
    page = NewsPage.objects.get(slug_cs="vystava")
    url = f"/admin/pages/{page.pk}/copy/"
    copy = client.post(url, copy_form(page, new_title_cs="Výstava 2", new_slug_cs="vystava-2"))
    assert copy.status_code == 302, copy.context["form"].errors
    assert NewsPage.objects.get(slug_cs="vystava-2").title_cs == "Výstava 2"
    sibling = NewsPage.objects.get(slug_cs="vystava-2")
    sibling.slug_sk = "vystava-3"
    sibling.save_revision().publish()
    taken = copy_form(page, new_title_cs="Výstava 3", new_slug_cs="vystava-3", publish_copies="on")
    refused = client.post(url, taken)
    assert refused.status_code == 200
    assert "new_slug_sk" in refused.context["form"].errors
    assert not NewsPage.objects.filter(slug_cs="vystava-3").exists()


def test_a_copy_to_another_countrys_site_needs_that_sites_language(cz, sk):
    """A network administrator copying a Czech item to the Slovak site was asked for Czech
    only: the copy went to the Slovak site without a Slovak title."""

    admin = get_user_model().objects.create_superuser("network", "n@example.org", "x" * 20)
    client = logged_in(admin)
    data = news_in("cs", title="Pro Slovensko", slug="pro-slovensko", lead="P", ready=["cs"])
    assert logged_in(country_user("CZ")).post(add_url(cz), data).status_code == 302
    page = NewsPage.objects.get(slug_cs="pro-slovensko")
    slovak_news = page_parent(sk, "news")
    fields = {"new_title_cs": "Kopie", "new_slug_cs": "kopie", "new_parent_page": slovak_news.pk}
    refused = client.post(f"/admin/pages/{page.pk}/copy/", copy_form(page, **fields))
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"new_title_sk", "new_slug_sk"}
    fields |= {"new_title_sk": "Kópia", "new_slug_sk": "kopia"}
    copied = client.post(f"/admin/pages/{page.pk}/copy/", copy_form(page, **fields))
    assert copied.status_code == 302, copied.context["form"].errors
    assert NewsPage.objects.get(slug_sk="kopia").get_parent().pk == slovak_news.pk


def test_a_copy_published_at_once_keeps_the_publication_rules(cz, sk):
    """The copy form asks only for a title and a slug: a Czech item copied live to the
    Slovak site went out with a Slovak title and nothing else, and its Slovak visitors
    found no version of it. Live, a copy needs its site's language as a publish does; as
    a draft it does not; a complete one held back is published with the publish's warning."""
    from django.contrib.messages import get_messages
    from wagtail.users.models import UserProfile

    admin = get_user_model().objects.create_superuser("network", "n@example.org", "x" * 20)
    data = news_in("cs", title="Pro Slovensko", slug="pro-slovensko", lead="P", ready=["cs"])
    author = logged_in(country_user("CZ", "moderators"))
    assert author.post(add_url(cz), {**data, "action-publish": "1"}).status_code == 302
    page = NewsPage.objects.get(slug_cs="pro-slovensko")
    fields = {
        "new_title_cs": "Kopie",
        "new_slug_cs": "kopie",
        "new_title_sk": "Kópia",
        "new_slug_sk": "kopia",
        "new_parent_page": page_parent(sk, "news").pk,
        "publish_copies": "on",
    }
    url = f"/admin/pages/{page.pk}/copy/"
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "cs"
    profile.save()
    refused = logged_in(admin).post(url, copy_form(page, **fields))
    assert refused.status_code == 200
    # In the administrator's language, not the destination site's (Slovak).
    assert "Kopii nelze hned zveřejnit" in refused.context["form"].errors["publish_copies"][0]
    assert not NewsPage.objects.filter(slug_sk="kopia").exists()  # nothing half-copied
    draft = logged_in(admin).post(url, copy_form(page, **{**fields, "publish_copies": ""}))
    assert draft.status_code == 302
    assert not NewsPage.objects.get(slug_sk="kopia").live
    # Complete in Slovak, but ready there in nothing (the Czech site's tick cannot be one
    # for Slovak) and no English: live in no language of its site, refused.
    page.lead_sk = "Perex"
    page.save_revision().publish()
    fields |= {"new_slug_cs": "kopie-2", "new_slug_sk": "kopia-2"}
    nowhere = logged_in(admin).post(url, copy_form(page, **fields))
    assert "žádném jazyce" in nowhere.context["form"].errors["publish_copies"][0]
    # With English: copied live, with the publish's warning (Slovak held back).
    page.title_en, page.lead_en, page.slug_en = "For Slovakia", "Lead", "for-slovakia"
    page.save_revision().publish()
    fields |= {"new_title_en": "Copy", "new_slug_en": "copy-2"}
    copied = logged_in(admin).post(url, copy_form(page, **fields))
    assert copied.status_code == 302, copied.context["form"].errors
    assert NewsPage.objects.get(slug_sk="kopia-2").live
    warnings = [str(m) for m in get_messages(copied.wsgi_request) if m.level_tag == "warning"]
    assert any("sk.localhost" in text for text in warnings), warnings


def test_a_live_copy_with_its_subpages_checks_each_of_them(cz, sk):
    """The copy form asks for the top page's new title only: a live recursive copy of a
    Czech section to the Slovak site took its Czech-only items live there too."""

    from cms.core.translation_status import mark_complete_ready
    from cms.home.models import StandardPage
    from tests.factories import translated

    admin = get_user_model().objects.create_superuser("network", "n@example.org", "x" * 20)
    section = StandardPage(
        **translated("title", {"cs": "Sekce", "sk": "Sekcia", "en": "Section"}),
        **translated("slug", {"cs": "sekce", "sk": "sekcia", "en": "section"}),
    )
    mark_complete_ready(section)
    cz.home_page.add_child(instance=section)
    item = StandardPage(title_cs="Jen česky", slug_cs="jen-cesky", ready_languages=["cs"])
    section.add_child(instance=item)
    fields = {
        "new_title_cs": "Sekce 2",
        "new_slug_cs": "sekce-2",
        "new_title_sk": "Sekcia 2",
        "new_slug_sk": "sekcia-2",
        "new_parent_page": sk.home_page.pk,
        "publish_copies": "on",
        "copy_subpages": "on",
    }
    refused = logged_in(admin).post(
        f"/admin/pages/{section.pk}/copy/", copy_form(section, **fields)
    )
    assert refused.status_code == 200
    assert "Jen česky" in refused.context["form"].errors["publish_copies"][0]
    assert not StandardPage.objects.filter(slug_sk="sekcia-2").exists()


def test_the_copy_view_names_the_page_in_the_editors_language(cz):
    """Its heading read Wagtail's ``draft_title``, the English one the seed saved last."""
    from tests.factories import news_page

    page = news_page(cz, title={"en": "Study trip", "cs": "Studijní cesta"})
    assert page.draft_title == "Study trip"
    html = logged_in(country_user("CZ")).get(f"/admin/pages/{page.pk}/copy/").content.decode()
    (heading,) = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert "Studijní cesta" in heading and "Study trip" not in heading
