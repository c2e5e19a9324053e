"""Filters and counts an editor meets: only their languages, sites and items, and the
report counting exactly what the filter lists."""

import re

from django.utils import translation
from wagtail.models import Page

from cms.clusters.models import ClusterProfile
from cms.core.translation_admin import UNPUBLISHED, filter_translation
from cms.core.translation_report import build_report, country_items
from cms.core.translation_status import COMPLETE, MISSING, PARTIAL
from cms.news.models import NewsPage
from tests.factories import country_user, network_admin, news_page

CLUSTERS = "/admin/snippets/clusters/clusterprofile/"


def choices(response, name: str) -> list[str]:
    field = response.context["filters"].form.fields[name]
    return [str(value) for value, _label in field.choices if value != ""]


def test_the_translation_filter_is_a_language_and_a_state(client, country):
    client.force_login(country_user("CZ"))
    response = client.get(CLUSTERS)
    assert choices(response, "language") == ["cs", "en"]  # the Czech site's, not all seven
    assert choices(response, "translation") == [UNPUBLISHED, MISSING, PARTIAL, COMPLETE, "ready"]
    html = response.content.decode()
    assert 'name="language"' in html and 'value="sk"' not in html


def test_a_network_admin_is_offered_every_language(client, country):
    client.force_login(network_admin())
    assert len(choices(client.get(CLUSTERS), "language")) == 7


def test_the_two_choices_filter_together(client, country):
    cz = country("CZ")
    partial = ClusterProfile.objects.create(
        slug="af-partial", country=cz, name_en="Partial af", city_cs="Brno"
    )
    client.force_login(country_user("CZ"))
    listed = client.get(CLUSTERS, {"language": "cs", "translation": PARTIAL}).context["object_list"]
    assert [obj.pk for obj in listed] == [partial.pk]
    unpublished = client.get(CLUSTERS, {"language": "cs"}).context["object_list"]  # state: any
    assert partial.pk in {obj.pk for obj in unpublished}


def test_slovak_is_no_choice_for_a_czech_editor(client, country):
    """ "Missing in Slovak" listed every Czech item: not offered, and asking changes nothing."""
    client.force_login(country_user("CZ"))
    everything = client.get(CLUSTERS).context["object_list"]
    asked = client.get(CLUSTERS, {"language": "sk", "translation": MISSING})
    assert not asked.context["filters"].is_valid()
    assert len(asked.context["object_list"]) == len(everything)


def test_the_site_filter_lists_only_the_editors_sites(client, country):
    client.force_login(country_user("SK"))
    home = country("SK").home_page
    for address in (f"/admin/pages/{home.pk}/", "/admin/translations-newspage/"):
        response = client.get(address)
        field = response.context["filters"].form.fields["site"]
        assert [site.pk for site in field.queryset] == [country("SK").site_id], address
        # Named by its country in the editor's language, not by the English site name.
        label = re.search(r'id="id_site_0">\s*([^<]*?)\s*</label>', response.text)
        assert label.group(1) == "Slovensko", address


def test_the_snippets_index_counts_what_the_editor_can_see(client, country):
    client.force_login(country_user("CZ"))
    rows = client.get("/admin/snippets/").context["object_list"]
    owned = [row for row in rows if hasattr(row["model"], "country")]
    assert owned  # contact persons, partner organisations, …
    for row in owned:
        model = row["model"]
        assert row["count"] == model.objects.filter(country__code="CZ").count(), model
    assert any(row["count"] < row["model"].objects.count() for row in owned)


# --- the report and the filter agree ---------------------------------------------------


def english_partial(page):
    """A page with an English title but no English lead, as a Czech-first draft is saved."""
    NewsPage.objects.filter(pk=page.pk).update(lead_en="")
    page.refresh_from_db()
    return page


def test_report_and_filter_agree_on_every_language_and_state(country):
    cz = country("CZ")
    english_partial(news_page(cz, title={"en": "Partial en", "cs": "Částečně"}))
    news_page(cz, title={"en": "Unready af", "cs": "Nepřipraveno"}, ready_languages=[])
    news_page(cz, title={"en": "No Czech af"})
    ClusterProfile.objects.create(slug="af-blank", country=cz, name_en="Blank af", name_cs=" ")
    report = build_report(cz)
    by_model = {}
    for obj, _url in country_items(cz):
        by_model.setdefault(type(obj), []).append(obj.pk)
    for row in report.counts():
        for state in ("ready", COMPLETE, PARTIAL, MISSING):
            listed = sum(
                filter_translation(model.objects.filter(pk__in=pks), state, row["code"]).count()
                for model, pks in by_model.items()
            )
            assert listed == row[state], (row["code"], state)
        unpublished = sum(
            filter_translation(model.objects.filter(pk__in=pks), UNPUBLISHED, row["code"]).count()
            for model, pks in by_model.items()
        )
        assert unpublished == len(report.items) - row["ready"]
    english = {row["code"]: row for row in report.counts()}["en"]
    assert english[PARTIAL] >= 1


def test_partly_english_is_partial_in_the_listing_as_in_the_report(client, country):
    """The report said partial 1 / missing 0 in English while "missing" listed the item."""
    page = english_partial(news_page(country("CZ"), title={"en": "Half en", "cs": "Půl"}))
    client.force_login(country_user("CZ", "moderators"))
    listing = "/admin/translations-newspage/"

    def listed(state):
        response = client.get(listing, {"language": "en", "translation": state})
        return {obj.pk for obj in response.context["object_list"]}

    assert page.pk in listed(PARTIAL) and page.pk not in listed(MISSING)
    assert page.pk in listed(UNPUBLISHED)
    (item,) = [i for i in build_report(country("CZ")).items if i.title == page.title]
    assert item.states["en"] == PARTIAL


def test_the_report_links_each_language_to_the_listings(client, country):
    client.force_login(country_user("CZ"))
    html = client.get("/admin/translation-status/").content.decode()
    assert "/admin/translations-newspage/?language=cs&amp;translation=unpublished" in html
    assert f"{CLUSTERS}?language=en&amp;translation=unpublished" in html
    with translation.override("cs"):
        old_label = translation.gettext("Filter a listing by language:")
    assert old_label not in html  # a "by language" label over a list of content types


def test_the_explorer_listing_is_still_the_editors_country(client, country):
    client.force_login(country_user("CZ"))
    home = country("CZ").home_page
    response = client.get(f"/admin/pages/{home.pk}/", {"language": "en", "search_all": "1"})
    below = set(Page.objects.descendant_of(home, inclusive=True).values_list("pk", flat=True))
    assert {page.pk for page in response.context["pages"]} <= below
    assert NewsPage.objects.exclude(pk__in=below).exists()
