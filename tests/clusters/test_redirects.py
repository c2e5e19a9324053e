"""A cluster profile's old addresses keep working after a new slug or a new country: each
old one, on its country's site and on the hub, redirects (301) to where the profile is
now (``cms.clusters.redirects``). They were a 404."""

from urllib.parse import urlsplit

from django.test import Client
from wagtail.contrib.redirects.models import Redirect

from cms.clusters.models import ClusterDirectoryPage, ClusterProfile
from tests.factories import path_of, translated


def quokka(country) -> ClusterProfile:
    return ClusterProfile.objects.create(
        slug="quokka-cluster",
        country=country,
        ready_languages=["cs", "en"],
        **translated("name", {"en": "Quokka cluster", "cs": "Klastr kvok"}),
    )


def profile_addresses(country, slug: str) -> dict[str, str]:
    """The profile's address on its country's directory in each of the site's languages."""
    directory = ClusterDirectoryPage.objects.child_of(country.home_page).get()
    return {code: path_of(directory, code) + f"{slug}/" for code in country.languages}


def followed(host: str, path: str) -> tuple[str, str]:
    """Where the 301 from ``path`` on ``host`` leads: (host, path), after checking it serves."""
    response = Client(HTTP_HOST=host).get(path)
    assert response.status_code == 301, (host, path, response.status_code)
    target = urlsplit(response["Location"])
    target_host = target.netloc or host
    assert Client(HTTP_HOST=target_host).get(target.path).status_code in (200, 302), target
    return target_host, target.path


def test_a_new_slug_redirects_the_old_addresses_on_the_site_and_the_hub(country):
    cz, hub = country("CZ"), country("INT")
    profile = quokka(cz)
    old = profile_addresses(cz, profile.slug)
    old_hub = profile_addresses(hub, profile.slug)

    profile.slug = "quokka-cluster-renamed"
    profile.save()

    for path in old.values():
        assert followed("cz.localhost", path) == (
            "cz.localhost",
            path.replace("quokka-cluster/", "quokka-cluster-renamed/"),
        )
    for code in ("cs", "en", "de"):
        assert followed("localhost", old_hub[code]) == (
            "localhost",
            old_hub[code].replace("quokka-cluster/", "quokka-cluster-renamed/"),
        )


def test_a_new_country_sends_the_old_addresses_to_its_new_site(country):
    cz, sk = country("CZ"), country("SK")
    profile = quokka(cz)
    old = profile_addresses(cz, profile.slug)

    profile.country = sk
    profile.save()

    for path in old.values():
        host, new = followed("cz.localhost", path)
        assert host == "sk.localhost" and new.endswith("/quokka-cluster/")


def test_a_new_country_by_import_sends_the_old_addresses_to_its_new_site(country):
    """The import writes in bulk, which sends no signals: the old address was a 404."""
    from cms.clusters.importing import apply_import, preview_import
    from cms.clusters.reading import read_table

    cz = country("CZ")
    profile = quokka(cz)
    old = profile_addresses(cz, profile.slug)
    table = read_table(b"slug,country,name_en\r\nquokka-cluster,SK,Quokka cluster\r\n", "x.csv")
    assert apply_import(preview_import(table))["updated"] == 1

    for path in old.values():
        host, new = followed("cz.localhost", path)
        assert host == "sk.localhost" and new.endswith("/quokka-cluster/")


def test_a_save_that_keeps_the_address_writes_no_redirect(country):
    profile = quokka(country("CZ"))
    profile.name_en = "Quokka cluster, renamed"
    profile.save()
    assert not Redirect.objects.filter(old_path__contains="quokka").exists()
