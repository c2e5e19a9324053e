"""Pages made before slugs were transliterated keep their addresses: ``transliterate_slugs``
rewrites their slugs in ASCII and redirects the old addresses (the page's and its children's,
in every language) to the new ones."""

import io

from django.core.management import call_command
from django.utils import translation
from wagtail.contrib.redirects.models import Redirect

from cms.core.slugs import ascii_slug
from cms.home.models import StandardPage
from tests.factories import news_page, page_parent, path_of


def run() -> str:
    out = io.StringIO()
    call_command("transliterate_slugs", stdout=out)
    return out.getvalue()


def test_ascii_slug():
    assert ascii_slug("den-klastrů-v-ústí") == "den-klastru-v-usti"
    assert ascii_slug("łódź-żywność") == "lodz-zywnosc"
    assert ascii_slug("süßwaren-österreich") == "susswaren-osterreich"


def test_old_addresses_redirect_to_the_new_ones(country, site_client):
    cz = country("CZ")
    page = news_page(cz, title={"en": "Cluster day", "cs": "Den klastrů"})
    page.slug_cs = "den-klastrů-v-ústí"
    page.save()
    old_cs, en = path_of(page, "cs"), path_of(page, "en")
    assert "%C3%BAst%C3%AD" in old_cs  # "ústí", as the URL carries it

    output = run()
    page.refresh_from_db()
    assert page.slug_cs == "den-klastru-v-usti"
    new_cs = path_of(page, "cs")
    assert new_cs == "/cs/aktuality/den-klastru-v-usti/"
    assert path_of(page, "en") == en  # an ASCII slug stays, and gets no redirect
    assert "den-klastrů-v-ústí -> den-klastru-v-usti" in output

    response = site_client("CZ").get(old_cs)
    assert response.status_code == 301 and response["Location"] == new_cs
    assert site_client("CZ").get(new_cs).status_code == 200
    assert not Redirect.objects.filter(old_path=en.rstrip("/")).exists()


def test_a_parents_new_slug_redirects_its_childrens_addresses(country):
    cz = country("CZ")
    parent = page_parent(cz, "standard")
    with translation.override("cs"):
        section = StandardPage(title_en="Regions", title_cs="Kraje", slug_en="regions")
        section.slug_cs = "území"
        parent.add_child(instance=section)
        child = StandardPage(title_en="Ústí", title_cs="Ústí", slug_en="usti", slug_cs="ústecký")
        section.add_child(instance=child)
    old_child = path_of(child, "cs")

    run()
    child.refresh_from_db()
    new_child = path_of(child, "cs")
    assert "uzemi/ustecky" in new_child and new_child != old_child
    redirect = Redirect.objects.get(old_path=Redirect.normalise_path(old_child))
    assert redirect.link == new_child


def test_a_second_run_changes_nothing(country):
    page = news_page(country("CZ"), title={"en": "Again", "cs": "Znovu"})
    page.slug_cs = "znovu-ústí"
    page.save()
    run()
    count = Redirect.objects.count()
    assert "0 slugs changed, 0 redirects added." in run()
    assert Redirect.objects.count() == count
