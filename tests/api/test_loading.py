"""``ObjectsPlan`` builds the same objects as Django's own loading, only cheaper."""

from __future__ import annotations

import pytest
from django.db.models import Model

from cms.api.loading import CONSTRUCTOR_FLAGS, ObjectsPlan
from cms.api.representations import representations
from cms.core.models import CustomImage, Sector
from cms.news.models import NewsPage
from tests.api.conftest import make_image, published_news, sectors


def snapshot(obj, depth: int = 2):
    """Everything an instance holds: its values, what was loaded with it, where it came from.

    Related objects are followed ``depth`` levels (they point back at their owner).
    """
    if isinstance(obj, list):
        return [snapshot(item, depth) for item in obj]
    if not isinstance(obj, Model):
        return obj
    if depth == 0:
        return type(obj), obj.pk
    for parent in obj._meta.get_parent_list():  # the parents' keys resolve lazily, without a query
        getattr(obj, parent._meta.pk.attname)
    values = {
        name: snapshot(value, depth - 1)
        for name, value in vars(obj).items()
        if name not in {"_state", "_prefetched_objects_cache", *CONSTRUCTOR_FLAGS}
    }
    related = {name: snapshot(value, depth - 1) for name, value in obj._state.fields_cache.items()}
    prefetched = {
        name: snapshot(list(items), depth - 1)
        for name, items in getattr(obj, "_prefetched_objects_cache", {}).items()
    }
    return type(obj), values, related, prefetched, obj._state.adding, obj._state.db


@pytest.fixture
def content(country):
    czechia = country("CZ")
    image = make_image(en="A photo", cs="Fotka")
    published_news(
        czechia,
        title={"en": "Fast", "cs": "Rychle"},
        lead={"en": "Lead", "cs": "Úvod"},
        sectors=sectors("food", "ict"),
        image=image,
    )
    published_news(czechia, title={"en": "No image"}, lead={"en": "Lead"})


def fast(queryset) -> list:
    """The objects as the API loads them."""
    return ObjectsPlan.of(queryset).run()


def every_representation():
    reps = representations()
    return [
        *reps.pages.values(),
        reps.cluster,
        reps.partner,
        reps.contact,
        reps.sector,
        reps.site,
    ]


@pytest.mark.parametrize(
    "representation", every_representation(), ids=lambda rep: rep.model._meta.label
)
def test_every_served_model_loads_the_same_either_way(content, representation):
    """With every field selected: deferred columns, select_related and prefetches included."""
    queryset = representation.optimise(
        representation.model.objects.order_by("pk"), representation.field_names
    )
    assert [snapshot(obj) for obj in fast(queryset)] == [snapshot(obj) for obj in queryset]


def test_listing_fields_load_the_same_and_the_rest_stays_deferred(content):
    representation = representations().page(NewsPage)
    queryset = representation.optimise(
        NewsPage.objects.order_by("pk"), representation.listing_fields
    )
    loaded = fast(queryset)
    assert [snapshot(obj) for obj in loaded] == [snapshot(obj) for obj in queryset]
    assert "body_en" not in vars(loaded[0])
    # A deferred column still loads on access, as with Django's loading.
    assert loaded[0].body_en == NewsPage.objects.get(pk=loaded[0].pk).body_en


def test_images_and_renditions_load_the_same(content):
    queryset = CustomImage.objects.order_by("pk")
    assert [snapshot(obj) for obj in fast(queryset)] == [snapshot(obj) for obj in queryset]
    fast_image = fast(queryset)[0]
    assert fast_image.file.width == fast_image.width  # the file field works as loaded


def test_only_model_querysets_are_planned():
    with pytest.raises(ValueError, match="model instances"):
        ObjectsPlan.of(Sector.objects.values_list("slug"))


@pytest.mark.django_db
def test_countries_of_every_request_are_the_orms():
    """``load_countries`` (prepared SQL, no constructors) gives what the ORM would."""
    from cms.api.negotiation import load_countries
    from cms.core.models import Country

    countries = load_countries()
    for country in Country.objects.select_related("site", "site__root_page"):
        loaded = countries[country.code]
        values = snapshot(loaded, depth=1)[1]
        values.pop("root_path")
        assert values == snapshot(country, depth=1)[1]
        if country.site is None:
            assert loaded.site is None and loaded.root_path is None
        else:
            assert snapshot(loaded.site, depth=1)[1] == snapshot(country.site, depth=1)[1]
            assert loaded.root_path == country.site.root_page.path
