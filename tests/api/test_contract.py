"""The Delivery API's contract: every resource, in several languages, with fallbacks."""

from __future__ import annotations

import datetime

import pytest
from wagtail.models import Page, PageViewRestriction

from cms.clusters.models import ClusterProfile
from cms.core.languages import LANGUAGE_CODES
from cms.core.models import Country
from cms.events.models import EventPage
from cms.home.models import StandardPage
from cms.news.models import NewsPage
from cms.partners.models import ContactPerson, PartnerOrganisation
from tests.api.conftest import make_image, published_news, sectors

PRESS_RELEASE_CS = "Klastrové organizace ze střední Evropy a Clusters – Cord"
PRESS_RELEASE_EN = "Cluster organisations from Central Europe and Clusters Cord"


def titles(response) -> list:
    return [item["title"] for item in response.json()["items"]]


def test_the_index_links_every_resource_keeping_scope_and_language(api):
    body = api("?site=sk&lang=en").json()
    assert (body["site"], body["language"]) == ("SK", "en")
    assert body["resources"]["news"] == "http://cz.localhost/api/v3/news/?site=sk&lang=en"
    assert body["openapi"] == "http://cz.localhost/api/v3/openapi.json"
    listings = ["sites", "sectors", "pages", "news", "events", "clusters", "partners", "contacts"]
    assert list(body["resources"]) == [*listings, "sync"]
    for url in body["resources"].values():
        assert api(url.split("/api/v3/", 1)[1]).status_code == 200


# --- language negotiation ---------------------------------------------------------


def test_news_in_the_sites_default_language(api):
    response = api("news/")
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "cs"
    assert body["site"] == "CZ"
    assert PRESS_RELEASE_CS in titles(response)
    assert response["Content-Language"] == "cs"
    assert "Accept-Language" in response["Vary"]


def test_lang_parameter_wins_over_accept_language(api):
    response = api("news/?lang=en", HTTP_ACCEPT_LANGUAGE="cs")
    assert response.json()["language"] == "en"
    assert PRESS_RELEASE_EN in titles(response)
    assert response["Content-Language"] == "en"


def test_accept_language_as_lang_would(api):
    response = api("news/", HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9,en;q=0.8")
    # The Czech site does not publish German; German is served as ?lang=de would,
    # falling back to English (tests/api/test_negotiation.py).
    assert response.json()["language"] == "de"
    assert PRESS_RELEASE_EN in titles(response)


def test_unacceptable_accept_language_gets_the_site_default(api):
    response = api("news/", host="de.localhost", HTTP_ACCEPT_LANGUAGE="ja, zh;q=0.5")
    assert response.json()["language"] == "de"


def test_site_parameter_overrides_the_host(api):
    response = api("news/?site=it")
    body = response.json()
    assert body["site"] == "IT"
    assert body["language"] == "it"
    assert {item["meta"]["site"] for item in body["items"]} == {"IT"}


def test_fully_translated_item_reports_no_fallback(api):
    item = api("news/?lang=en").json()["items"][0]
    assert item["_fallback"] == {}
    assert item["meta"]["language"] == "en"
    assert item["meta"]["languages"] == ["en", "cs"]


def test_slovak_falls_back_to_czech_and_says_so(api, country):
    page = published_news(
        country("SK"),
        title={"en": "Engineering day", "cs": "Strojírenský den"},
        lead={"en": "Lead in English", "cs": "Úvod česky"},
        funding_note_en="Funded in English",
    )
    item = api(f"pages/{page.pk}/", host="sk.localhost").json()
    assert item["meta"]["language"] == "sk"
    assert item["title"] == "Strojírenský den"
    assert item["lead"] == "Úvod česky"
    assert item["funding_note"] == "Funded in English"
    assert item["_fallback"]["title"] == "cs"
    assert item["_fallback"]["lead"] == "cs"
    assert item["_fallback"]["funding_note"] == "en"
    # Slugs are translated too, and fall back the same way.
    assert item["_fallback"]["slug"] == "cs"
    assert "sk" not in item["meta"]["languages"]


def test_slovenian_falls_back_to_english(api, country):
    page = published_news(country("SI"), title={"en": "Food day", "cs": "Den potravin"})
    item = api(f"pages/{page.pk}/?lang=sl", host="si.localhost").json()
    assert item["title"] == "Food day"
    assert item["_fallback"]["title"] == "en"


def test_nested_objects_report_their_own_fallbacks(api, country):
    sector = sectors("food")[0]
    sector.name_sk = ""
    sector.save()
    page = published_news(country("SK"), title={"sk": "Potraviny", "en": "Food"}, sectors=[sector])
    item = api(f"pages/{page.pk}/", host="sk.localhost").json()
    assert item["_fallback"].get("title") is None
    (nested,) = item["sectors"]
    assert nested["name"] == "Potravinářství"
    assert nested["_fallback"] == {"name": "cs"}


def test_lang_all_returns_every_language(api):
    response = api("news/?lang=all")
    # The languages the items have text in, not all seven (tests/api/test_negotiation.py).
    assert response["Content-Language"].startswith("en, cs")
    body = response.json()
    assert body["language"] == "all"
    item = next(i for i in body["items"] if i["title"]["cs"] == PRESS_RELEASE_CS)
    assert set(item["title"]) == set(LANGUAGE_CODES)
    assert item["title"]["en"] == PRESS_RELEASE_EN
    assert item["title"]["de"] is None
    assert "_fallback" not in item
    assert set(item["sectors"][0]["name"]) == set(LANGUAGE_CODES)
    assert "_fallback" not in item["sectors"][0]


def test_lang_all_renders_every_body(api):
    page = NewsPage.objects.live().get(title_cs=PRESS_RELEASE_CS)
    item = api(f"pages/{page.pk}/?lang=all").json()
    assert item["body"]["cs"][0]["type"] == "paragraph"
    assert "potravinářství" in item["body"]["cs"][0]["value"]
    assert item["body"]["de"] is None


# --- pages ------------------------------------------------------------------------------


def test_news_detail_has_every_field_typed(api, country):
    image = make_image(en="Cluster meeting", cs="Setkání klastrů")
    target = NewsPage.objects.live().get(title_cs=PRESS_RELEASE_CS)
    cluster = ClusterProfile.objects.get(slug="it-klastr-usti")
    contact = ContactPerson.objects.get(slug="petra-maskova")
    page = published_news(
        country("CZ"),
        title={"cs": "Novinka", "en": "News"},
        lead={"cs": "Úvod", "en": "Lead"},
        body={
            "cs": [f'<p>Viz <a linktype="page" id="{target.pk}">tisková zpráva</a>.</p>'],
            "en": [f'<p>See <a linktype="page" id="{target.pk}">the press release</a>.</p>'],
        },
        sectors=sectors("ict"),
        clusters=[cluster],
        image=image,
        contact=contact,
        funding_note_en="Funded by the Central Europe programme",
    )
    response = api(f"pages/{page.pk}/")
    assert response.status_code == 200
    item = response.json()
    assert item["meta"]["type"] == "news.NewsPage"
    assert item["meta"]["html_url"].startswith("http://cz.localhost/cs/aktuality/")
    assert item["meta"]["detail_url"] == f"http://cz.localhost/api/v3/pages/{page.pk}/"
    # Rich text is display HTML with the internal link resolved to the Czech URL.
    paragraph = item["body"][0]["value"]
    assert 'href="http://cz.localhost/cs/aktuality/klastrove-organizace' in paragraph
    assert "linktype" not in paragraph
    # Images come as renditions, with translated alt text.
    assert item["image"]["alt"] == "Setkání klastrů"
    assert set(item["image"]["renditions"]) == {"thumbnail", "large"}
    thumbnail = item["image"]["renditions"]["thumbnail"]
    assert (thumbnail["width"], thumbnail["height"]) == (480, 320)
    assert thumbnail["url"].startswith("http://cz.localhost/media/")
    assert item["sectors"][0]["slug"] == "ict"
    assert item["related_clusters"][0]["slug"] == "it-klastr-usti"
    assert item["related_clusters"][0]["name"] == "IT klastr Ústí"
    assert item["contact"]["name"] == "Mgr. Petra Mašková"
    assert item["contact"]["role"] == "Projektová manažerka"
    assert item["funding_note"] == "Funded by the Central Europe programme"
    assert item["_fallback"] == {"funding_note": "en"}


def test_every_page_type_has_its_own_shape(api):
    response = api("pages/?limit=100&fields=*")
    types = {item["meta"]["type"]: item for item in response.json()["items"]}
    assert {
        "home.CountryHomePage",
        "home.StandardPage",
        "news.NewsIndexPage",
        "events.EventIndexPage",
        "clusters.ClusterDirectoryPage",
        "news.NewsPage",
        "events.EventPage",
    } <= set(types)
    assert "intro" in types["home.CountryHomePage"]
    assert "kind" in types["events.EventPage"] and "date" not in types["events.EventPage"]
    assert "date" in types["news.NewsPage"] and "kind" not in types["news.NewsPage"]


def test_page_listing_filters_by_type(api):
    response = api("pages/?type=home.StandardPage&lang=en")
    body = response.json()
    # The section page and the legal pages (imprint, privacy, accessibility; sites/legal.toml).
    home = Country.objects.get(code="CZ").home_page
    assert body["count"] == StandardPage.objects.live().descendant_of(home).count() == 4
    assert {item["meta"]["type"] for item in body["items"]} == {"home.StandardPage"}
    about = StandardPage.objects.get(slug_en="about-the-project").title_en
    assert about in titles_of(body)


def test_page_listing_child_of(api):
    home = Page.objects.get(pk=api("sites/CZ/").json()["home_page_id"])
    body = api(f"pages/?child_of={home.pk}&lang=en").json()
    assert {"News", "Events", "Clusters"} <= set(titles_of(body))


def titles_of(body) -> list:
    return [item["title"] for item in body["items"]]


def test_events_in_german(api):
    response = api("events/", host="de.localhost")
    item = response.json()["items"][0]
    assert item["meta"]["type"] == "events.EventPage"
    assert item["kind"] == "info-day"
    assert item["place"]
    assert item["kind_label"]
    assert response["Content-Language"] == "de"


def test_event_detail(api):
    event = (
        EventPage.objects.live()
        .descendant_of(Page.objects.get(pk=api("sites/IT/").json()["home_page_id"]))
        .get()
    )
    item = api(f"pages/{event.pk}/?lang=it", host="it.localhost").json()
    assert item["kind"] == "conference"
    assert item["start"].startswith("2011-10-24")
    assert item["body"] == [] or isinstance(item["body"], list)


def test_country_home_and_standard_page(api):
    home_id = api("sites/CZ/").json()["home_page_id"]
    home = api(f"pages/{home_id}/?lang=en").json()
    assert home["meta"]["type"] == "home.CountryHomePage"
    assert home["intro"].startswith("Cluster organisations of the Czech Republic")
    standard = StandardPage.objects.get(slug_en="about-the-project")
    item = api(f"pages/{standard.pk}/?lang=en").json()
    assert item["meta"]["type"] == "home.StandardPage"
    assert item["lead"] is not None


# --- visibility ---------------------------------------------------------------------


def test_unpublished_pages_are_never_visible(api, country):
    page = published_news(country("CZ"), title={"cs": "Koncept", "en": "Draft"})
    assert api(f"pages/{page.pk}/").status_code == 200
    page.unpublish()
    assert api(f"pages/{page.pk}/").status_code == 404
    assert "Koncept" not in titles(api("news/"))
    assert page.pk not in [i["id"] for i in api("pages/?limit=100").json()["items"]]


def test_private_pages_are_not_visible(api, country):
    page = published_news(country("CZ"), title={"cs": "Interní", "en": "Internal"})
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert api(f"pages/{page.pk}/").status_code == 404
    assert "Interní" not in titles(api("news/"))


def test_a_country_site_sees_only_its_own_pages(api):
    slovak = NewsPage.objects.live().get(
        slug_en="exchange-forum-of-cluster-organisations-in-bratislava"
    )
    assert api(f"pages/{slovak.pk}/").status_code == 404
    assert api(f"pages/{slovak.pk}/", host="sk.localhost").status_code == 200
    assert {i["meta"]["site"] for i in api("news/").json()["items"]} == {"CZ"}


def test_the_hub_sees_the_whole_network(api):
    body = api("news/?limit=100", host="localhost").json()
    assert body["site"] == "INT"
    assert {"CZ", "IT", "DE", "PL", "AT", "SK", "SI", "INT"} <= {
        i["meta"]["site"] for i in body["items"]
    }
    narrowed = api("news/?country=SK,AT", host="localhost").json()
    assert {i["meta"]["site"] for i in narrowed["items"]} == {"SK", "AT"}


# --- querying -----------------------------------------------------------------------


def test_news_filters(api, country):
    cz = country("CZ")
    published_news(
        cz, title={"cs": "Energie 2012", "en": "Energy 2012"}, sectors=sectors("energy-environment")
    )
    by_sector = api("news/?sector=energy-environment").json()
    assert all(
        "energy-environment" in [s["slug"] for s in item["sectors"]] for item in by_sector["items"]
    )
    assert by_sector["count"] == 2
    in_2011 = api("news/?date_from=2011-01-01&date_to=2011-12-31").json()
    assert {item["date"][:4] for item in in_2011["items"]} == {"2011"}
    about_cluster = api("news/?cluster=it-klastr-usti")
    assert titles(about_cluster) == [PRESS_RELEASE_CS]


def test_an_item_in_two_sectors_asked_for_is_listed_once(api):
    body = api("news/?sector=food,ict").json()
    ids = [item["id"] for item in body["items"]]
    assert len(ids) == len(set(ids)) == body["count"]


def test_ordering(api, country):
    published_news(country("CZ"), title={"cs": "Aaa první", "en": "Zzz last"})
    by_title = titles(api("news/?order=title"))
    assert by_title[0] == "Aaa první"
    by_title_desc = titles(api("news/?order=-title&lang=en"))
    assert by_title_desc[0] == "Zzz last"
    oldest_first = [i["date"] for i in api("news/?order=date").json()["items"]]
    assert oldest_first == sorted(oldest_first)


@pytest.mark.parametrize("order", ["", ",", "%20,%20"])
def test_an_order_naming_nothing_is_the_default_order(api, country, order):
    """``order=,`` (as a client joining an empty list writes it) orders as without ``order``,
    not by id alone."""
    published_news(
        country("CZ"), title={"cs": "Nejnovější", "en": "Newest"}, date=datetime.date(2030, 1, 1)
    )
    default = [item["id"] for item in api("news/?site=INT&limit=100").json()["items"]]
    assert [
        item["id"] for item in api(f"news/?site=INT&limit=100&order={order}").json()["items"]
    ] == default


def test_pagination_links(api):
    first = api("clusters/?limit=2&site=INT").json()
    assert first["count"] > 2
    assert first["previous"] is None
    assert "offset=2" in first["next"] and "limit=2" in first["next"]
    second_path = first["next"].split("/api/v3/", 1)[1]
    second = api(second_path).json()
    assert second["offset"] == 2
    assert "offset=0" in second["previous"]
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_a_page_past_the_end_still_counts_and_dates_the_listing(api):
    """The count and Last-Modified come with the items; an empty page asks for them alone."""
    full = api("clusters/?limit=2&site=INT")
    past = api(f"clusters/?limit=2&offset={full.json()['count'] + 5}&site=INT")
    assert past.status_code == 200
    assert past.json()["items"] == []
    assert past.json()["count"] == full.json()["count"]
    assert past["Last-Modified"] == full["Last-Modified"]
    assert past.json()["next"] is None
    # "previous" is the last page with items, not the empty page before this one.
    count = full.json()["count"]
    last = api(past.json()["previous"].split("/api/v3/", 1)[1]).json()
    assert last["offset"] == count - 2 and len(last["items"]) == 2


def test_field_selection(api):
    item = api("news/?fields=body,-lead").json()["items"][0]
    assert "body" in item and "lead" not in item and "title" in item
    only = api("news/?fields=_,date").json()["items"][0]
    assert set(only) == {"id", "type", "language", "meta", "date", "_fallback"}
    everything = api("news/?fields=*").json()["items"][0]
    assert {"body", "contact", "related_clusters", "funding_note"} <= set(everything)
    detail = api(f"pages/{only['id']}/?fields=_,title").json()
    assert set(detail) == {"id", "type", "language", "meta", "title", "_fallback"}


def test_events_filter_by_kind_and_overlapping_dates(api):
    body = api("events/?site=INT&kind=conference,info-day").json()
    assert body["count"] >= 2
    assert {i["kind"] for i in body["items"]} <= {"conference", "info-day"}
    october = api("events/?site=INT&date_from=2011-10-01&date_to=2011-10-31").json()
    assert [i["start"][:10] for i in october["items"]] == ["2011-10-24"]


# --- snippets and the network --------------------------------------------------------


def test_clusters_in_czech_and_english(api):
    cs = api("clusters/").json()
    assert cs["count"] == ClusterProfile.objects.filter(country__code="CZ").count()
    assert "IT klastr Ústí" in [i["name"] for i in cs["items"]]
    en = api("clusters/?lang=en&sector=ict").json()
    assert [i["name"] for i in en["items"]] == ["Ústí IT Cluster"]
    item = en["items"][0]
    assert item["html_url"] == "http://cz.localhost/en/clusters/it-klastr-usti/"
    detail = api(f"clusters/{item['id']}/?lang=en").json()
    assert detail["description"].startswith("<p>Software companies")
    assert detail["sectors"][0]["name"] == "ICT"


def test_other_countries_clusters_are_not_served(api):
    slovak = ClusterProfile.objects.filter(country__code="SK").first()
    assert api(f"clusters/{slovak.pk}/").status_code == 404
    assert api(f"clusters/{slovak.pk}/?site=SK").status_code == 200


def test_partners_and_contacts(api):
    partners = api("partners/?lang=en").json()
    (partner,) = partners["items"]
    assert partner["name"] == "Regional Development Agency of the Ústí Region"
    assert partner["is_lead_partner"] is True
    everyone = api("partners/?site=INT").json()
    assert everyone["count"] == PartnerOrganisation.objects.count()
    contacts = api("contacts/").json()
    (contact,) = contacts["items"]
    assert contact["role"] == "Projektová manažerka"
    assert contact["organisation"]["slug"] == "rra-usteckeho-kraje"
    assert api(f"contacts/{contact['id']}/?lang=en").json()["role"] == "Project manager"
    assert api(f"partners/{partner['id']}/?lang=en").json()["city"] == "Ústí nad Labem"


def test_sectors_in_every_language(api):
    for code, name in [("cs", "Potravinářství"), ("de", "Lebensmittel"), ("it", "Agroalimentare")]:
        body = api(f"sectors/?lang={code}").json()
        assert body["items"][0]["name"] == name
        assert body["items"][0]["slug"] == "food"
    sector_id = body["items"][0]["id"]
    assert api(f"sectors/{sector_id}/?lang=pl").json()["name"] == "Przemysł spożywczy"


def test_sites_with_their_languages(api):
    body = api("sites/?lang=en").json()
    sites = {item["code"]: item for item in body["items"]}
    assert set(sites) == {"INT", "CZ", "IT", "DE", "PL", "AT", "SK", "SI"}
    assert sites["AT"]["languages"] == ["de", "en"]
    assert sites["AT"]["default_language"] == "de"
    assert sites["CZ"]["name"] == "Czech Republic"
    assert sites["INT"]["is_hub"] is True
    assert sites["CZ"]["base_url"] == "http://cz.localhost"
    assert api("sites/AT/?lang=de").json()["name"] == "Österreich"


@pytest.mark.parametrize("language", ["cs", "en", "de", "all"])
def test_every_endpoint_answers_in_several_languages(api, language):
    page_id = NewsPage.objects.live().get(title_cs=PRESS_RELEASE_CS).pk
    cluster_id = ClusterProfile.objects.filter(country__code="CZ").first().pk
    for path in [
        "news/",
        "events/",
        "pages/",
        f"pages/{page_id}/",
        "clusters/",
        f"clusters/{cluster_id}/",
        "partners/",
        "contacts/",
        "sectors/",
        "sites/",
        "sites/CZ/",
    ]:
        response = api(f"{path}?lang={language}")
        assert response.status_code == 200, (path, response.content)
        body = response.json()
        assert body.get("language", body.get("meta", {}).get("language")) == language, path


def test_translated_fields_of_every_model_are_exposed(api):
    """Each translatable field of each served model appears in its representation."""
    from modeltranslation.translator import translator

    from cms.projections.representations import representations

    reps = representations()
    hidden = {"url_path", "seo_title", "search_description"}  # Wagtail's, not content
    for rep in [*reps.pages.values(), reps.cluster, reps.partner, reps.contact, reps.sector]:
        translated_fields = set(translator.get_options_for_model(rep.model).all_fields) - hidden
        assert translated_fields <= rep.translated_fields, rep.model
