"""``order=name`` and ``order=title`` are the alphabetical order of the reader's language.

Ordered by code points, names starting with Ú or Ž came after Z, "Chmel" before
"Hrad" in Czech, and a name shown in a fallback language was sorted as the name the
row had in the asked-for language. The rows now carry each shown name's collation
key in their language (``cms.core.collation``); the lists inside an item (related
clusters, tags) follow the same order.
"""

import pytest

from cms.clusters.models import ClusterProfile
from tests.api.conftest import published_news
from tests.factories import translated

#: Czech names, and where Czech readers expect them; "Mountain" has English text only.
CZECH_ORDER = [
    "Cukrářský klastr",
    "Čokoládový klastr",
    "Hradní klastr",
    "Chmelařský klastr",
    "Mountain Tourism Cluster",
    "Ústecký klastr",
    "Zlínský klastr",
    "Žatecký klastr",
]


@pytest.fixture
def czech_clusters(country):
    """The clusters of ``CZECH_ORDER``, made in another order, in Czechia and Austria."""
    made = []
    for number, name in enumerate(reversed(CZECH_ORDER)):
        english_only = name.startswith("Mountain")
        made.append(
            ClusterProfile.objects.create(
                slug=f"alphabet-{number}",
                country=country("AT" if english_only else "CZ"),
                ready_languages=[] if english_only else ["cs"],
                **translated("name", {"en": name} if english_only else {"en": name, "cs": name}),
            )
        )
    return made


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"] if item["name"] in CZECH_ORDER]


def test_clusters_by_name_are_in_the_readers_alphabetical_order(api, czech_clusters):
    listed = names(api("clusters/?site=INT&lang=cs&order=name&country=CZ,AT&limit=100"))
    assert listed == CZECH_ORDER
    backwards = names(api("clusters/?site=INT&lang=cs&order=-name&country=CZ,AT&limit=100"))
    assert backwards == CZECH_ORDER[::-1]


def test_slovak_readers_get_the_czech_names_in_slovak_order(api, czech_clusters):
    """Slovak falls back to Czech; Slovak orders "ch" after "h" as Czech does."""
    assert names(api("clusters/?site=INT&lang=sk&order=name&country=CZ,AT&limit=100")) == (
        CZECH_ORDER
    )


def test_english_readers_get_english_order(api, czech_clusters):
    """No letters of their own: accents count only between otherwise equal names."""
    assert names(api("clusters/?site=INT&lang=en&order=name&country=CZ,AT&limit=100")) == [
        "Chmelařský klastr",
        "Čokoládový klastr",
        "Cukrářský klastr",
        "Hradní klastr",
        "Mountain Tourism Cluster",
        "Ústecký klastr",
        "Žatecký klastr",
        "Zlínský klastr",
    ]


def test_an_items_related_clusters_and_tags_are_in_its_languages_order(
    api, country, czech_clusters
):
    page = published_news(
        country("CZ"), title={"cs": "Setkání", "en": "Meeting"}, clusters=czech_clusters
    )
    page.tags.add("žně", "zemědělství", "chmel", "hrady")
    page.save_revision().publish()
    item = api(f"news/{page.pk}/?lang=cs&fields=tags").json()
    assert [cluster["name"] for cluster in item["related_clusters"]] == CZECH_ORDER
    assert [tag["name"] for tag in item["tags"]] == ["hrady", "chmel", "zemědělství", "žně"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # Č after C, before D; Síť before Slovensko (í is an i): not after Z.
        ("cs", ["CZ", "IT", "DE", "PL", "AT", "INT", "SK", "SI"]),
        # Österreich as O, not after Z; Netzwerk between Italien and Österreich.
        ("de", ["DE", "IT", "INT", "AT", "PL", "SK", "SI", "CZ"]),
    ],
)
def test_sites_by_name_are_in_the_readers_alphabetical_order(api, lang, expected):
    """The sites have no stored rows to carry a collation key: their names were ordered by
    the database, by code points (``Česká republika`` and ``Österreich`` last)."""
    sites = api(f"sites/?order=name&lang={lang}&limit=20").json()["items"]
    assert [site["code"] for site in sites] == expected
    reverse = api(f"sites/?order=-name&lang={lang}&limit=20").json()["items"]
    assert [site["code"] for site in reverse] == expected[::-1]
