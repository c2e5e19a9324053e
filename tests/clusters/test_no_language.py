"""A cluster profile or partner that visitors read in no language is shown nowhere.

The edit form and the import refuse to save one (every translation held back,
English empty), but rows saved before they did exist. Such a profile was a card
without a name in the directory, a profile page with an empty ``<h1>`` and a
projection row (so an API item and a search link); now it is treated as a
translation not yet ready is: no card, a 404, no row, no document, no sitemap
entry, and a news item relating it does not name it.
"""

import pytest

from cms.clusters.models import ClusterProfile
from cms.core.translation_status import has_a_language, in_a_language_q
from cms.partners.models import ContactPerson, PartnerOrganisation
from cms.projections.models import Projection
from cms.search.models import SearchDocument
from tests.factories import news_page, translated

LABEL = ClusterProfile._meta.label


@pytest.fixture
def nameless(country):
    """A Czech profile written in Czech only, Czech held back, English empty."""
    return ClusterProfile.objects.create(
        slug="jen-cesky",
        country=country("CZ"),
        ready_languages=[],
        **translated("name", {"cs": "Jen česky"}),
    )


def rows(obj) -> int:
    return Projection.objects.filter(object_type=obj._meta.label, object_id=obj.pk).count()


def documents(cluster) -> int:
    return SearchDocument.objects.filter(kind="cluster", object_id=cluster.pk).count()


def test_a_profile_in_no_language_is_shown_nowhere(site_client, nameless):
    assert not has_a_language(nameless)
    client = site_client("CZ")
    assert "jen-cesky" not in client.get("/cs/klastry/").content.decode()
    assert client.get("/cs/klastry/jen-cesky/").status_code == 404
    assert client.get("/en/clusters/jen-cesky/").status_code == 404
    assert "jen-cesky" not in client.get("/sitemap.xml").content.decode()
    assert rows(nameless) == 0
    assert documents(nameless) == 0
    hub = site_client("INT")
    assert "jen-cesky" not in hub.get("/en/clusters/").content.decode()
    assert hub.get("/en/clusters/jen-cesky/").status_code == 404


def test_it_is_shown_once_its_czech_is_ready(site_client, nameless):
    """The same profile with Czech ticked: everything above, as for any profile."""
    nameless.ready_languages = ["cs"]
    nameless.save()
    client = site_client("CZ")
    assert "jen-cesky" in client.get("/cs/klastry/").content.decode()
    response = client.get("/cs/klastry/jen-cesky/")
    assert response.status_code == 200 and "<h1>Jen česky</h1>" in response.content.decode()
    assert rows(nameless) > 0
    assert documents(nameless) > 0


def test_a_profile_that_loses_its_last_language_leaves_the_api(site_client, nameless):
    """Rows already written go when it is saved so (a shell, an old import): the API's
    projection of it is withdrawn as a view restriction withdraws a page's."""
    nameless.ready_languages = ["cs"]
    nameless.save()
    assert rows(nameless) > 0
    nameless.ready_languages = []
    nameless.save()
    assert rows(nameless) == 0
    assert documents(nameless) == 0


def api(client, path: str):
    return client.get(f"/api/v3/{path}", HTTP_HOST="cz.localhost")


def test_a_news_item_does_not_name_it(country, client, site_client, nameless):
    named = ClusterProfile.objects.get(slug="it-klastr-usti")
    item = news_page(country("CZ"), title={"cs": "Novinka", "en": "News"})
    item.related_clusters.set([named, nameless])
    item.save_revision().publish()
    response = api(client, f"pages/{item.pk}/?lang=cs")
    assert [c["slug"] for c in response.json()["related_clusters"]] == ["it-klastr-usti"]
    html = site_client("CZ").get(item.url_in(None, "cs")).content.decode()
    related = html.split('<div class="aside-panel">')[-1].split("</ul>")[0]
    assert related.count("<li>") == 1 and "IT klastr Ústí" in related


def test_a_partner_in_no_language_is_not_in_the_footer_nor_the_api(client, site_client, country):
    """The Czech partner with its Czech name held back and no English name."""
    partner = PartnerOrganisation.objects.get(country=country("CZ"))
    contact = ContactPerson.objects.filter(organisation=partner).first()
    assert contact is not None
    partner.name_en = ""
    partner.ready_languages = []
    partner.save()
    assert rows(partner) == 0
    footer = site_client("CZ").get("/cs/").content.decode().split('class="site-footer"')[1]
    assert "<address>" not in footer and "<strong></strong>" not in footer
    assert api(client, f"partners/{partner.pk}/").status_code == 404
    assert api(client, f"contacts/{contact.pk}/?lang=cs").json()["organisation"] is None


def test_the_query_agrees_with_the_rule(nameless):
    """``in_a_language_q`` (listings, projections) and ``has_a_language`` (one object)."""
    for model in (ClusterProfile, PartnerOrganisation, ContactPerson):
        found = set(model.objects.filter(in_a_language_q(model)).values_list("pk", flat=True))
        assert found == {obj.pk for obj in model.objects.all() if has_a_language(obj)}
    assert nameless.pk not in set(
        ClusterProfile.objects.filter(in_a_language_q(ClusterProfile)).values_list("pk", flat=True)
    )


def test_the_database_check_names_them_to_the_operator(nameless):
    """``manage.py check --database default`` (and ``migrate``) warns; a plain check does not
    touch the database."""
    from django.core import checks

    from cms.core.checks import check_content_visitors_read

    assert check_content_visitors_read(databases=None) == []
    (warning,) = check_content_visitors_read(databases=["default"])
    assert warning.id == "cms.W002" and warning.level == checks.WARNING
    assert warning.obj is ClusterProfile and "jen-cesky" in warning.msg
    nameless.ready_languages = ["cs"]
    nameless.save()
    assert check_content_visitors_read(databases=["default"]) == []


def test_the_database_check_names_live_pages_in_no_language(db, country):
    """Published before the page form refused it, such a page is live with an empty title."""
    from cms.core.checks import check_content_visitors_read
    from cms.news.models import NewsPage

    page = news_page(country("DE"), title={"de": "Nur Deutsch"}, ready_languages=[])
    (warning,) = check_content_visitors_read(databases=["default"])
    assert warning.obj is NewsPage and page.slug in warning.msg
    assert "live with an empty title" in warning.msg
    page.unpublish()  # a draft in no language harms nobody
    assert check_content_visitors_read(databases=["default"]) == []
