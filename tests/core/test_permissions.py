"""The permission matrix: a national partner acts on its own country only.

For each of the seven countries, each content type (news item, event,
standard page; cluster profile, partner organisation, contact person) and
each admin action (view, create, edit, publish, delete), one user of country
A tries the action on the same kind of object in every country: it succeeds
on A and fails on the six others (7 × 6 denied pairs per action), with a 404
whose body holds none of the other country's data. Publishing is the
moderator's action and exists for pages only (snippets have no drafts: an
edit is live at once). Everything goes through the real admin views with the
Django test client.
"""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from cms.clusters.models import ClusterProfile
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country
from cms.partners.models import ContactPerson, PartnerOrganisation
from tests.factories import (
    PAGE_KINDS,
    country_user,
    draft_page,
    page_form_data,
    page_model,
    page_parent,
)

COUNTRIES = ("CZ", "IT", "DE", "PL", "AT", "SK", "SI")


def assert_denied(response, *secrets):
    """Another country's object: a 404, and nothing of it in the body."""
    assert response.status_code == 404, response.status_code
    body = response.content.decode()
    for secret in secrets:
        assert secret not in body


def others(code):
    return [other for other in COUNTRIES if other != code]


def matrix():
    """Every (actor, target) pair: the 42 cross-country ones first, then the 7 own ones.

    A denied attempt must change nothing, so each object is still intact
    when, last, its own country's user acts on it.
    """
    crossed = [(actor, target) for actor in COUNTRIES for target in others(actor)]
    return crossed + [(code, code) for code in COUNTRIES]


@pytest.fixture
def users(db):
    """An editor and a moderator of every country: ``users["editors"]["CZ"]``."""
    return {
        role: {code: country_user(code, role) for code in COUNTRIES}
        for role in ("editors", "moderators")
    }


# Pages ----------------------------------------------------------------------


def add_url(kind, parent):
    model = page_model(kind)
    return f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"


def drafts_of(kind):
    """One draft page of ``kind`` in every country: ``{"CZ": page, ...}``."""
    return {code: draft_page(Country.objects.get(code=code), kind) for code in COUNTRIES}


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_view_pages(client, users, kind):
    pages = drafts_of(kind)
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        page = pages[target]
        response = client.get(f"/admin/pages/{page.pk}/")
        if actor == target:
            assert response.status_code == 200
            assert page.title in response.content.decode()
        else:
            assert_denied(response, page.title)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_create_pages(client, users, kind):
    model = page_model(kind)
    parents = {code: page_parent(Country.objects.get(code=code), kind) for code in COUNTRIES}
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        parent = parents[target]
        title, slug = f"New {kind} of {actor} in {target}", f"new-{kind}-{actor.lower()}"
        response = client.post(add_url(kind, parent), page_form_data(kind, title=title, slug=slug))
        created = model.objects.child_of(parent).filter(title_en=title)
        if actor == target:
            assert response.status_code == 302, response.context["form"].errors
            assert created.get().live is False  # editors write drafts
        else:
            assert_denied(client.get(add_url(kind, parent)), parent.title)
            assert_denied(response, parent.title)
            assert not created.exists()


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_edit_pages(client, users, kind):
    pages = drafts_of(kind)
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        page = pages[target]
        data = page_form_data(kind, title=f"Edited by {actor}", slug=page.slug)
        response = client.post(f"/admin/pages/{page.pk}/edit/", data)
        latest = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
        if actor == target:
            assert response.status_code == 302, response.context["form"].errors
            assert latest.title_en == f"Edited by {actor}"
        else:
            assert_denied(client.get(f"/admin/pages/{page.pk}/edit/"), page.title)
            assert_denied(response, page.title)
            assert latest.title_en == page.title_en


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_publish_pages(client, users, kind):
    """Publishing is the moderator's action."""
    pages = drafts_of(kind)
    for actor, target in matrix():
        client.force_login(users["moderators"][actor])
        page = pages[target]
        data = page_form_data(kind, title=f"Published by {actor}", slug=page.slug)
        response = client.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})
        page.refresh_from_db()
        if actor == target:
            assert response.status_code == 302, response.context["form"].errors
            assert page.live and page.title_en == f"Published by {actor}"
        else:
            assert_denied(response, page.title)
            assert not page.live


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_editors_cannot_publish_their_own_pages(client, users, kind):
    page = draft_page(Country.objects.get(code="CZ"), kind)
    client.force_login(users["editors"]["CZ"])
    data = page_form_data(kind, title="Not yet", slug=page.slug)
    client.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})
    page.refresh_from_db()
    assert not page.live


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_delete_pages(client, users, kind):
    """Editors delete drafts of their own country (Wagtail: "change" on an unpublished leaf)."""
    pages = drafts_of(kind)
    model = page_model(kind)
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        page = pages[target]
        response = client.post(f"/admin/pages/{page.pk}/delete/")
        exists = model.objects.filter(pk=page.pk).exists()
        if actor == target:
            assert response.status_code == 302
            assert not exists
        else:
            assert_denied(client.get(f"/admin/pages/{page.pk}/delete/"), page.title)
            assert_denied(response, page.title)
            assert exists


def test_editors_cannot_delete_published_pages(client, users):
    """Deleting what visitors see is the moderator's call."""
    from cms.news.models import NewsPage

    cz = Country.objects.get(code="CZ")
    live = NewsPage.objects.live().descendant_of(cz.home_page).first()
    client.force_login(users["editors"]["CZ"])
    client.post(f"/admin/pages/{live.pk}/delete/")
    assert NewsPage.objects.filter(pk=live.pk).exists()
    client.force_login(users["moderators"]["CZ"])
    assert client.post(f"/admin/pages/{live.pk}/delete/").status_code == 302
    assert not NewsPage.objects.filter(pk=live.pk).exists()


def test_other_page_actions_are_denied_across_countries(client, users):
    """Move, copy, unpublish, history, preview, revisions, lock: all 404 on another country."""
    pages = drafts_of("news")
    indexes = {code: page.get_parent() for code, page in pages.items()}
    # One other country per actor: the full matrix above covers the main actions.
    for actor, target in zip(COUNTRIES, COUNTRIES[1:] + COUNTRIES[:1], strict=True):
        client.force_login(users["moderators"][actor])
        page = pages[target]
        urls = [
            f"/admin/pages/{page.pk}/move/",
            f"/admin/pages/{page.pk}/move/{indexes[actor].pk}/confirm/",
            f"/admin/pages/{page.pk}/copy/",
            f"/admin/pages/{page.pk}/unpublish/",
            f"/admin/pages/{page.pk}/history/",
            f"/admin/pages/{page.pk}/usage/",
            f"/admin/pages/{page.pk}/edit/preview/",
            f"/admin/pages/{page.pk}/revisions/compare/earliest...latest/",
            f"/admin/pages/{page.pk}/workflow_history/",
            f"/admin/pages/{page.pk}/add_subpage/",
        ]
        for url in urls:
            assert_denied(client.get(url), page.title)
        for url in (f"/admin/pages/{page.pk}/lock/", f"/admin/pages/{page.pk}/unpublish/"):
            assert_denied(client.post(url), page.title)
        # Nor may one's own page be moved into another country's tree.
        own = pages[actor]
        assert_denied(client.post(f"/admin/pages/{own.pk}/move/{indexes[target].pk}/confirm/"))
        assert type(own).objects.get(pk=own.pk).get_parent().pk == indexes[actor].pk


def test_pages_cannot_be_copied_or_bulk_moved_into_another_country(client, users):
    """The destination is posted, not in the URL; a refusal must not name it either."""
    pages = drafts_of("news")
    indexes = {code: page.get_parent() for code, page in pages.items()}
    for actor, target in zip(COUNTRIES, COUNTRIES[1:] + COUNTRIES[:1], strict=True):
        client.force_login(users["moderators"][actor])
        own, there = pages[actor], indexes[target]
        copy = client.post(
            f"/admin/pages/{own.pk}/copy/",
            {"new_title_en": "Copied", "new_slug_en": "copied", "new_parent_page": there.pk},
        )
        assert_denied(copy, there.title)
        assert not there.get_children().filter(title="Copied").exists()
        move = client.post(f"/admin/bulk/wagtailcore/page/move/?id={own.pk}", {"chooser": there.pk})
        assert_denied(move, there.title)
        assert type(own).objects.get(pk=own.pk).get_parent().pk == indexes[actor].pk
    # Within the own country both work (the copy named in Czech, the site's language).
    client.force_login(users["moderators"]["CZ"])
    own = pages["CZ"]
    response = client.post(
        f"/admin/pages/{own.pk}/copy/",
        {
            **{"new_title_en": "Copied", "new_slug_en": "copied"},
            **{"new_title_cs": "Kopie", "new_slug_cs": "kopie"},
            "new_parent_page": indexes["CZ"].pk,
        },
    )
    assert response.status_code == 302
    assert indexes["CZ"].get_children().filter(slug="copied").exists()


def test_network_wide_reports_are_for_superusers(client, users):
    """The page types report names the last edited page of every country."""
    client.force_login(users["moderators"]["CZ"])
    assert_denied(client.get("/admin/reports/page-types-usage/"))
    assert "page-types-usage" not in client.get("/admin/").content.decode()


# Page chooser and page bulk actions --------------------------------------------


def test_page_chooser_shows_only_the_own_country(client, users):
    pages = drafts_of("news")
    homes = {c.code: c.home_page for c in Country.objects.filter(code__in=COUNTRIES)}
    choosers = {}  # the chooser's first step, per actor
    for actor, target in matrix():
        editor = users["editors"][actor]
        client.force_login(editor)
        page = pages[target]
        # The admin names pages in the editor's language (BasePage.get_admin_display_title).
        with translation.override(editor.wagtail_userprofile.get_preferred_language()):
            home_title, page_title = homes[target].title, page.get_admin_display_title()
        if actor not in choosers:
            # A modal's JSON, whose non-ASCII letters are \u escapes: compared as text.
            choosers[actor] = client.get("/admin/choose-page/").json()["html"]
        root = choosers[actor]
        browse = client.get(f"/admin/choose-page/{page.get_parent().pk}/")
        search = client.get("/admin/choose-page/search/", {"q": page.title_en})
        chosen = client.get("/admin/choose-page/chosen-multiple/", {"id": page.pk})
        if actor == target:
            assert home_title in root
            assert browse.status_code == 200 and page_title in browse.content.decode()
            assert page_title in search.content.decode()
            assert chosen.status_code == 200 and page_title in chosen.content.decode()
        else:
            assert home_title not in root
            assert_denied(browse, page_title)
            assert page_title not in search.content.decode()
            assert_denied(chosen, page_title)


@pytest.mark.parametrize("action", ["delete", "publish", "unpublish", "move"])
def test_page_bulk_actions_stay_in_the_own_country(client, users, action):
    pages = drafts_of("news")
    url = f"/admin/bulk/wagtailcore/page/{action}/"
    for actor, target in matrix():
        client.force_login(users["moderators"][actor])
        page = pages[target]
        response = client.get(url, {"id": page.pk})
        if actor == target:
            assert response.status_code == 200
            assert page.title in response.content.decode()
        else:
            assert_denied(response, page.title)
            assert_denied(client.get(url, {"id": "all", "childOf": page.get_parent().pk}))
            assert_denied(client.post(f"{url}?id={page.pk}"), page.title)
            assert type(page).objects.filter(pk=page.pk, live=False).exists()


def test_bulk_delete_of_own_drafts_works(client, users):
    page = draft_page(Country.objects.get(code="CZ"), "news")
    client.force_login(users["editors"]["CZ"])
    response = client.post(f"/admin/bulk/wagtailcore/page/delete/?id={page.pk}")
    assert response.status_code == 302
    assert not type(page).objects.filter(pk=page.pk).exists()


# Snippets --------------------------------------------------------------------

SNIPPETS = {
    "cluster": (ClusterProfile, "name_en"),
    "partner": (PartnerOrganisation, "name_en"),
    "contact": (ContactPerson, "name"),
}


def snippet_url(kind, view, obj=None):
    meta = SNIPPETS[kind][0]._meta
    base = f"/admin/snippets/{meta.app_label}/{meta.model_name}/"
    if view == "list":
        return base
    return f"{base}{view}/" + (f"{obj.pk}/" if obj is not None else "")


def snippet_form_data(kind, *, name, slug, country):
    """The name in every language, as each country's site requires its own (and the
    country field is what is tested here)."""
    field = SNIPPETS[kind][1]
    if field == "name":  # a person's name is not translated
        return {field: name, "slug": slug, "country": country.pk}
    names = {f"name_{code}": name for code in LANGUAGE_CODES}
    return {**names, "slug": slug, "country": country.pk}


def snippets_of(kind):
    """One snippet of ``kind`` in every country: ``{"CZ": obj, ...}``."""
    model, name_field = SNIPPETS[kind]
    return {
        code: model.objects.create(
            **{name_field: f"Secret {kind} of {code}"},
            slug=f"secret-{kind}-{code.lower()}",
            country=Country.objects.get(code=code),
        )
        for code in COUNTRIES
    }


def name_of(obj):
    return obj.name_en if hasattr(obj, "name_en") else obj.name


@pytest.mark.parametrize("kind", SNIPPETS)
def test_view_snippets(client, users, kind):
    objects = snippets_of(kind)
    listings = {}  # the listing as each actor sees it
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        obj = objects[target]
        if actor not in listings:
            listings[actor] = client.get(snippet_url(kind, "list")).content.decode()
        listing = listings[actor]
        history = client.get(snippet_url(kind, "history", obj))
        usage = client.get(snippet_url(kind, "usage", obj))
        if actor == target:
            assert name_of(obj) in listing
            assert history.status_code == 200 and usage.status_code == 200
        else:
            assert name_of(obj) not in listing
            assert_denied(history, name_of(obj))
            assert_denied(usage, name_of(obj))


def test_the_cluster_export_holds_only_the_own_country(client, users):
    objects = snippets_of("cluster")
    for actor in COUNTRIES:
        client.force_login(users["editors"][actor])
        response = client.get(snippet_url("cluster", "list"), {"export": "csv"})
        assert response.status_code == 200
        exported = b"".join(response.streaming_content).decode()
        assert objects[actor].slug in exported
        for target in others(actor):
            assert objects[target].slug not in exported


@pytest.mark.parametrize("kind", SNIPPETS)
def test_create_snippets(client, users, kind):
    """The country is offered among the editor's own only, and checked on submit."""
    model, name_field = SNIPPETS[kind]
    countries = {code: Country.objects.get(code=code) for code in COUNTRIES}
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        name = f"New {kind} of {actor} in {target}"
        data = snippet_form_data(
            kind, name=name, slug=f"new-{kind}-{actor}-{target}".lower(), country=countries[target]
        )
        response = client.post(snippet_url(kind, "add"), data)
        created = model.objects.filter(**{name_field: name})
        if actor == target:
            form = client.get(snippet_url(kind, "add")).context["form"]
            assert list(form.fields["country"].queryset) == [countries[actor]]
            assert response.status_code == 302, response.context["form"].errors
            assert created.get().country == countries[target]
        else:
            assert response.status_code == 200
            assert "country" in response.context["form"].errors
            assert not created.exists()


@pytest.mark.parametrize("kind", SNIPPETS)
def test_edit_snippets(client, users, kind):
    objects = snippets_of(kind)
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        obj = objects[target]
        url = snippet_url(kind, "edit", obj)
        data = snippet_form_data(
            kind, name=f"Edited by {actor}", slug=obj.slug, country=obj.country
        )
        response = client.post(url, data)
        obj.refresh_from_db()
        if actor == target:
            assert response.status_code == 302, response.context["form"].errors
            assert name_of(obj) == f"Edited by {actor}"
        else:
            assert_denied(client.get(url), name_of(obj))
            assert_denied(client.get(snippet_url(kind, "copy", obj)), name_of(obj))
            assert_denied(response, name_of(obj))
            assert name_of(obj) == f"Secret {kind} of {target}"


def test_editors_cannot_move_their_snippet_to_another_country(client, users):
    obj = snippets_of("cluster")["CZ"]
    client.force_login(users["editors"]["CZ"])
    italy = Country.objects.get(code="IT")
    data = snippet_form_data("cluster", name="Moved", slug=obj.slug, country=italy)
    response = client.post(snippet_url("cluster", "edit", obj), data)
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    obj.refresh_from_db()
    assert obj.country.code == "CZ"


@pytest.mark.parametrize("kind", SNIPPETS)
def test_delete_snippets(client, users, kind):
    model, _ = SNIPPETS[kind]
    objects = snippets_of(kind)
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        obj = objects[target]
        url = snippet_url(kind, "delete", obj)
        response = client.post(url)
        exists = model.objects.filter(pk=obj.pk).exists()
        if actor == target:
            assert response.status_code == 302
            assert not exists
        else:
            assert_denied(client.get(url), name_of(obj))
            assert_denied(response, name_of(obj))
            assert exists


# Snippet choosers and bulk actions -----------------------------------------------


def chooser_url(kind, step=""):
    meta = SNIPPETS[kind][0]._meta
    return f"/admin/snippets/choose/{meta.app_label}/{meta.model_name}/{step}"


@pytest.mark.parametrize("kind", SNIPPETS)
def test_snippet_choosers_offer_only_the_own_country(client, users, kind):
    objects = snippets_of(kind)
    modals = {}  # the modal and a search in it, as each actor sees them
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        obj = objects[target]
        if actor not in modals:
            modals[actor] = client.get(chooser_url(kind)).content.decode()
            modals[actor] += client.get(
                chooser_url(kind, "results/"), {"q": "Secret"}
            ).content.decode()
        chosen = client.get(chooser_url(kind, f"chosen/{obj.pk}/"))
        multiple = client.get(chooser_url(kind, "chosen-multiple/"), {"id": obj.pk})
        if actor == target:
            assert modals[actor].count(name_of(obj)) >= 2  # listed, and found by a search
            assert chosen.status_code == 200 and name_of(obj) in chosen.content.decode()
            assert multiple.status_code == 200
        else:
            assert name_of(obj) not in modals[actor]
            assert_denied(chosen, name_of(obj))
            assert_denied(multiple, name_of(obj))


@pytest.mark.parametrize("kind", SNIPPETS)
def test_snippet_bulk_delete_stays_in_the_own_country(client, users, kind):
    model, _ = SNIPPETS[kind]
    meta = model._meta
    url = f"/admin/bulk/{meta.app_label}/{meta.model_name}/delete/"
    objects = snippets_of(kind)
    confirmations = {}  # "delete all" as each actor sees it
    for actor, target in matrix():
        client.force_login(users["editors"][actor])
        obj, own = objects[target], objects[actor]
        if actor not in confirmations:
            confirmations[actor] = client.get(url, {"id": "all"}).content.decode()
        everything = confirmations[actor]
        if actor == target:
            assert name_of(obj) in everything
            assert client.post(f"{url}?id={obj.pk}").status_code == 302
            assert not model.objects.filter(pk=obj.pk).exists()
        else:
            assert name_of(obj) not in everything
            assert_denied(client.get(url, {"id": [own.pk, obj.pk]}), name_of(obj))
            assert_denied(client.post(f"{url}?id={own.pk}&id={obj.pk}"), name_of(obj))
            assert model.objects.filter(pk__in=[own.pk, obj.pk]).count() == 2


def test_page_forms_offer_only_the_own_countrys_snippets(client, users):
    """Related clusters and the contact person of a news item: own country only."""
    clusters, contacts = snippets_of("cluster"), snippets_of("contact")
    for actor in COUNTRIES:
        client.force_login(users["editors"][actor])
        url = add_url("news", page_parent(Country.objects.get(code=actor), "news"))
        fields = client.get(url).context["form"].fields
        assert set(fields["related_clusters"].queryset) & set(clusters.values()) == {
            clusters[actor]
        }
        assert set(fields["contact"].queryset) & set(contacts.values()) == {contacts[actor]}
        # A crafted submission naming the other countries' objects is refused (one per actor:
        # each re-renders the whole seven-language form).
        target = others(actor)[0]
        data = page_form_data("news", title=f"Links to {target}", slug=f"to-{target}".lower())
        data.update(related_clusters=[clusters[t].pk for t in others(actor)])
        data.update(contact=contacts[target].pk)
        response = client.post(url, data)
        assert response.status_code == 200
        assert {"related_clusters", "contact"} <= set(response.context["form"].errors)
        assert name_of(clusters[target]) not in response.content.decode()


def test_a_contact_belongs_to_an_organisation_of_the_own_country(client, users):
    contact = snippets_of("contact")["CZ"]
    partner = snippets_of("partner")["IT"]
    client.force_login(users["editors"]["CZ"])
    data = {
        **snippet_form_data("contact", name="X", slug=contact.slug, country=contact.country),
        "organisation": partner.pk,
    }
    response = client.post(snippet_url("contact", "edit", contact), data)
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors


def test_links_set_by_a_network_administrator_survive_a_national_edit(client, users):
    """A CZ editor may keep (not add) a link to another country's object already on the page."""
    from cms.news.models import NewsPage

    cluster, contact = snippets_of("cluster")["IT"], snippets_of("contact")["IT"]
    page = draft_page(Country.objects.get(code="CZ"), "news")
    page.related_clusters.set([cluster])
    page.contact = contact
    page.save_revision()
    client.force_login(users["editors"]["CZ"])
    data = {
        **page_form_data("news", title="Still linked", slug=page.slug),
        "related_clusters": [cluster.pk],
        "contact": contact.pk,
    }
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    latest = NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert list(latest.related_clusters.all()) == [cluster]
    assert latest.contact == contact


# Shared taxonomy and network administrators ------------------------------------------


def test_only_network_administrators_edit_sectors(client, db):
    from cms.core.models import Sector
    from tests.factories import network_admin

    sector = Sector.objects.get(slug="food")
    url = f"/admin/snippets/core/sector/edit/{sector.pk}/"
    data = {f"name_{code}": getattr(sector, f"name_{code}") for code in LANGUAGE_CODES}
    data.update({"slug": "food", "name_en": "Food and drink"})
    for code in COUNTRIES:
        client.force_login(country_user(code, "moderators"))
        assert client.get(url).status_code == 302  # Wagtail's "no permission" redirect
        client.post(url, data)
        sector.refresh_from_db()
        assert sector.name_en == "Food"
        assert client.get("/admin/snippets/core/sector/add/").status_code == 302
    client.force_login(network_admin())
    assert client.post(url, data).status_code == 302
    sector.refresh_from_db()
    assert sector.name_en == "Food and drink"


def test_network_administrators_see_every_country(client, db):
    from tests.factories import network_admin

    client.force_login(network_admin())
    for kind in SNIPPETS:
        objects = snippets_of(kind)
        listing = client.get(snippet_url(kind, "list")).content.decode()
        for obj in objects.values():
            assert name_of(obj) in listing
        assert client.get(snippet_url(kind, "edit", objects["IT"])).status_code == 200


def test_a_user_without_a_country_sees_no_snippets(client, db):
    """Model permissions alone (e.g. a hand-made group) do not open any country."""
    from django.contrib.auth import get_user_model

    group = Group.objects.create(name="Loose")
    group.permissions.set(Country.objects.get(code="CZ").editors_group.permissions.all())
    user = get_user_model().objects.create_user("loose", password="pw")
    user.groups.add(group)
    client.force_login(user)
    objects = snippets_of("cluster")
    listing = client.get(snippet_url("cluster", "list")).content.decode()
    for obj in objects.values():
        assert name_of(obj) not in listing
        assert_denied(client.get(snippet_url("cluster", "edit", obj)), name_of(obj))


def test_the_hub_editors_are_scoped_like_a_country(client, db):
    client.force_login(country_user("INT"))
    for obj in snippets_of("cluster").values():
        assert_denied(client.get(snippet_url("cluster", "edit", obj)), name_of(obj))
    cz_home = Country.objects.get(code="CZ").home_page
    assert_denied(client.get(f"/admin/pages/{cz_home.pk}/edit/"), cz_home.title)
