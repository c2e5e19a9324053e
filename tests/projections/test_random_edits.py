"""After any sequence of edits, the stored projections equal a fresh rendering.

A seeded random walk over what editors do (publish, unpublish, rename a
sector, replace an image, move a page, delete a contact, edit clusters and
partners), then ``check_projections``: every row there, none different, none left over.
"""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.images.tests.utils import get_test_image_file

from cms.clusters.models import ClusterProfile
from cms.core.models import CustomImage, Sector
from cms.events.models import EventPage
from cms.home.models import StandardPage
from cms.news.models import NewsPage
from cms.partners.models import ContactPerson, PartnerOrganisation
from cms.projections.checking import differences
from tests.api.conftest import make_image, published_news, sectors

pytestmark = pytest.mark.django_db


def publish_news(rng, country):
    code = rng.choice(["CZ", "SK", "DE"])
    contact = ContactPerson.objects.filter(country__code=code).order_by("?").first()
    clusters = list(ClusterProfile.objects.order_by("pk")[: rng.randint(0, 3)])
    published_news(
        country(code),
        title={"en": f"Item {rng.random():.6f}", "cs": "Zpráva"},
        sectors=sectors(*rng.sample(["food", "ict", "tourism", "energy-environment"], 2)),
        clusters=clusters,
        contact=contact,
        image=rng.choice([None, *CustomImage.objects.order_by("pk")[:3]]),
    )


def edit_and_publish(rng, country):
    page = NewsPage.objects.live().order_by("?").first()
    page.title_en = f"Edited {rng.random():.6f}"
    page.save_revision().publish()


def save_a_draft(rng, country):
    page = EventPage.objects.live().order_by("?").first()
    page.title_en = "A draft nobody may see"
    page.save_revision()


def unpublish(rng, country):
    page = rng.choice([NewsPage, EventPage]).objects.live().order_by("?").first()
    if page is not None:
        page.unpublish()


def rename_sector(rng, country):
    sector = Sector.objects.order_by("?").first()
    sector.name_en = f"Sector {rng.randint(1, 999)}"
    sector.name_cs = f"Odvětví {rng.randint(1, 999)}"
    sector.save()


def replace_image(rng, country):
    image = CustomImage.objects.order_by("?").first() or make_image(en="New")
    image.file = get_test_image_file(filename=f"replaced-{rng.randint(1, 9999)}.png")
    image.alt_text_en = f"Replaced {rng.randint(1, 999)}"
    image.save()


def move_page(rng, country):
    """A standard page moves between the home page and the news index (its URL changes)."""
    from cms.news.models import NewsIndexPage

    home = country("CZ").home_page
    page = StandardPage.objects.live().filter(path__startswith=home.path).order_by("?").first()
    if page is None:
        return
    news = NewsIndexPage.objects.child_of(home).get()
    page.move(news if page.get_parent().pk == home.pk else home, pos="last-child")


def delete_contact(rng, country):
    contact = ContactPerson.objects.order_by("?").first()
    if contact is not None:
        contact.delete()


def edit_cluster(rng, country):
    cluster = ClusterProfile.objects.order_by("?").first()
    cluster.name_en = f"Cluster {rng.randint(1, 999)}"
    cluster.sectors.set(sectors(rng.choice(["food", "ict"])))
    cluster.save()


def edit_partner(rng, country):
    partner = PartnerOrganisation.objects.order_by("?").first()
    partner.name_en = f"Partner {rng.randint(1, 999)}"
    partner.save()


def set_a_slug(rng, country):
    from cms.news.models import NewsIndexPage

    index = NewsIndexPage.objects.child_of(country(rng.choice(["CZ", "SK"])).home_page).get()
    index.slug_en = index.slug = f"news-{rng.randint(1, 999)}"
    index.save_revision().publish()


EDITS = [
    publish_news,
    edit_and_publish,
    save_a_draft,
    unpublish,
    rename_sector,
    replace_image,
    move_page,
    delete_contact,
    edit_cluster,
    edit_partner,
    set_a_slug,
]


def walk(country, seed: int) -> list[str]:
    """Sixteen random edits; their names, in order."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible walk, not a secret
    make_image(en="A photo")
    done = []
    for _ in range(16):
        edit = rng.choice(EDITS)
        edit(rng, country)
        done.append(edit.__name__)
    return done


@pytest.mark.parametrize("seed", [20261203, 20261205, 7])
def test_projections_stay_current_through_random_edits(country, seed):
    done = walk(country, seed)
    found = [str(d) for d in differences()]
    assert found == [], f"after {done}: {found[:10]}"
    call_command("check_projections")


@pytest.mark.parametrize("seed", [20261203, 20261205, 7])
def test_search_documents_stay_current_through_random_edits(country, seed):
    """What the edits left in the search documents is what a rebuild from scratch makes."""
    done = walk(country, seed)
    out = StringIO()
    call_command("rebuild_search_documents", stdout=out)
    assert "(0 changed, 0 stale removed)" in out.getvalue(), f"after {done}: {out.getvalue()}"
